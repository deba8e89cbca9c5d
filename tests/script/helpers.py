"""Build scripts from short hand-written passages."""

from __future__ import annotations

from audiobook.cast.config import parse_cast
from audiobook.script.analyse import Script, analyse
from audiobook.text.load import parse_text


def script_of(text: str, voices: str | None = None) -> Script:
    """Analyse ``text`` (plain text), with an optional voices.yaml body."""
    book = parse_text(text, stem="passage", markdown=False)
    return analyse(book, parse_cast(voices) if voices else None)


def speakers(text: str, voices: str | None = None) -> list[str | None]:
    """The speaker of each dialogue segment, in order."""
    return [s.speaker for s in script_of(text, voices).segments if s.is_dialogue]
