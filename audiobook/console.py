"""Progress reporting on the terminal: a rich bar, or nothing with ``--quiet``."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from audiobook.progress import Silent

_LABELS = {"synthesize": "Synthesizing", "encode": "Encoding"}


class QuietProgress(Silent):
    """Nothing but warnings, on stderr."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def warn(self, message: str) -> None:
        super().warn(message)
        self.console.print(f"warning: {message}", markup=False, highlight=False)

    def __enter__(self) -> QuietProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


class BarProgress(QuietProgress):
    """A progress bar per stage, drawn on stderr."""

    def __init__(self, console: Console) -> None:
        super().__init__(console)
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}
        self.totals: dict[str, int] = {}

    def start(self, stage: str, total: int) -> None:
        if not self.tasks:
            self.bar.start()  # drawn only once there is work to show
        label = _LABELS.get(stage, stage.capitalize())
        self.tasks[stage] = self.bar.add_task(label, total=total)
        self.totals[stage] = total

    def advance(self, stage: str, done: int = 1) -> None:
        if stage in self.tasks:
            self.bar.advance(self.tasks[stage], done)

    def finish(self, stage: str) -> None:
        if stage in self.tasks:
            self.bar.update(self.tasks[stage], completed=self.totals[stage])

    def __enter__(self) -> BarProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.tasks:
            self.bar.stop()


def stderr_console() -> Console:
    """A console on stderr so stdout stays clean for data (``script --format json``)."""
    return Console(file=sys.stderr, highlight=False)
