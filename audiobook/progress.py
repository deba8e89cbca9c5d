"""How the library reports progress without printing.

Long-running library calls take a :class:`Progress` and call it as work advances. The
CLI passes an implementation that draws a bar or writes JSON lines; tests and library
users pass :data:`SILENT` or their own object.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress events from a running pipeline."""

    def start(self, stage: str, total: int) -> None:
        """A stage (``"synthesize"``, ``"encode"``...) begins with ``total`` units of work."""

    def advance(self, stage: str, done: int = 1) -> None:
        """``done`` more units of ``stage`` are finished."""

    def finish(self, stage: str) -> None:
        """``stage`` is complete."""

    def warn(self, message: str) -> None:
        """Something the user should know that does not stop the run."""


class Silent:
    """A :class:`Progress` that ignores everything; warnings are kept for inspection."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, done: int = 1) -> None:
        pass

    def finish(self, stage: str) -> None:
        pass

    def warn(self, message: str) -> None:
        self.warnings.append(message)
