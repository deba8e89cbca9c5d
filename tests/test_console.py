"""JSON progress: one event per line, and a time left that start-up does not inflate."""

from __future__ import annotations

import io
import json

from audiobook.console import JsonProgress, stderr_console


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def events(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_eta_counts_the_rate_after_start_up() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = JsonProgress(stderr_console(), stream, clock)
    progress.start("synthesize", 1000)
    clock.now = 10.0  # workers started and models loaded: the first 100 units arrive
    progress.advance("synthesize", 100)
    clock.now = 11.0  # then 100 units a second
    progress.advance("synthesize", 100)
    first, second = [e for e in events(stream) if e["event"] == "progress"]
    assert first["eta_s"] == 90.0  # nothing better known yet: the average since the start
    assert second["eta_s"] == 8.0  # 800 units left at 100 a second
    assert second["elapsed_s"] == 11.0


def test_every_event_is_one_line_of_json() -> None:
    stream = io.StringIO()
    progress = JsonProgress(stderr_console(), stream, Clock())
    progress.start("write", 2)
    progress.warn("a warning\nover two lines")
    progress.finish("write")
    kinds = [e["event"] for e in events(stream)]
    assert kinds == ["start", "warning", "finish"]
    assert progress.warnings == ["a warning\nover two lines"]
