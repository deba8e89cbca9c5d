"""Progress reporting for people and programs: a rich bar, JSON lines, or warnings only.

Units are what each stage says they are: ``synthesize`` counts characters of text
still to synthesize (cache hits are not in the total, so the rate and the time left
are those of real synthesis), ``write`` counts chapters to write.

``--progress json`` writes one JSON object per line on stdout and nothing else there
(errors still go to stderr as ``error:`` lines as well)::

    {"event": "start", "stage": "synthesize", "total": 23197}
    {"event": "progress", "stage": "synthesize", "done": 512, "total": 23197,
     "elapsed_s": 3.1, "eta_s": 137.4}
    {"event": "finish", "stage": "synthesize", "elapsed_s": 140.2}
    {"event": "warning", "message": "..."}

plus the ``book`` and ``done`` events the ``make`` command adds (see README).
``eta_s`` is the time left at the stage's rate since its first finished work (start-up
is not counted against the rate; null before any work).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from audiobook.progress import Silent

_LABELS = {"synthesize": "Synthesizing", "encode": "Encoding", "write": "Writing chapters"}


class QuietProgress(Silent):
    """Nothing but warnings, on stderr."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def warn(self, message: str) -> None:
        super().warn(message)
        self.console.print(f"warning: {message}", markup=False, highlight=False)

    def event(self, kind: str, **fields: Any) -> None:
        """A run-level event (a book started or finished); only JSON progress shows it."""

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
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}
        self.totals: dict[str, int] = {}
        self.started = False

    def start(self, stage: str, total: int) -> None:
        if total <= 0:
            return  # nothing to do (everything cached): no bar
        if not self.started:
            self.bar.start()  # drawn only once there is work to show
            self.started = True
        label = _LABELS.get(stage, stage.capitalize())
        self.tasks[stage] = self.bar.add_task(label, total=total)
        self.totals[stage] = total

    def advance(self, stage: str, done: int = 1) -> None:
        if stage in self.tasks:
            self.bar.advance(self.tasks[stage], done)

    def finish(self, stage: str) -> None:
        if stage in self.tasks:
            self.bar.update(self.tasks.pop(stage), completed=self.totals[stage])

    def __enter__(self) -> BarProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.started:
            self.bar.stop()


@dataclass
class _Stage:
    total: int
    done: int
    started: float
    first_at: float | None = None  # when the first units were reported
    first_done: int = 0  # how many units that first report carried

    def eta(self, now: float) -> float | None:
        """Seconds left at the rate measured since the first report.

        The time before the first report is start-up (workers spawning, models
        loading), not work: counting it would promise a long wait that never comes.
        Until a second report, the average since the start is all there is.
        """
        if self.done <= 0:
            return None
        left = self.total - self.done
        units, span = self.done - self.first_done, now - (self.first_at or now)
        if units > 0 and span > 0:
            return max(left * span / units, 0.0)
        return max(left * (now - self.started) / self.done, 0.0)


class JsonProgress(QuietProgress):
    """One JSON event per line on ``stream`` (stdout), flushed as it happens."""

    def __init__(
        self,
        console: Console,
        stream: IO[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(console)
        self.stream = stream or sys.stdout
        self.clock = clock
        self.stages: dict[str, _Stage] = {}
        self._lock = threading.Lock()  # events may come from more than one thread

    def event(self, kind: str, **fields: Any) -> None:
        line = json.dumps({"event": kind, **fields}, ensure_ascii=False, default=str)
        with self._lock:
            self.stream.write(line + "\n")
            self.stream.flush()

    def start(self, stage: str, total: int) -> None:
        self.stages[stage] = _Stage(total, 0, self.clock())
        self.event("start", stage=stage, total=total)

    def advance(self, stage: str, done: int = 1) -> None:
        info = self.stages.get(stage)
        if info is None:
            return
        info.done += done
        now = self.clock()
        if info.first_at is None:
            info.first_at, info.first_done = now, info.done
        elapsed = now - info.started
        eta = info.eta(now)
        self.event(
            "progress",
            stage=stage,
            done=info.done,
            total=info.total,
            elapsed_s=round(elapsed, 2),
            eta_s=None if eta is None else round(max(eta, 0.0), 1),
        )

    def finish(self, stage: str) -> None:
        info = self.stages.pop(stage, None)
        elapsed = self.clock() - info.started if info else 0.0
        self.event("finish", stage=stage, elapsed_s=round(elapsed, 2))

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        self.event("warning", message=message)


def stderr_console() -> Console:
    """A console on stderr so stdout stays clean for data (``script --format json``)."""
    return Console(file=sys.stderr, highlight=False)
