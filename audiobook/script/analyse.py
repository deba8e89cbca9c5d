"""Text -> attributed script: segmentation, the cast, and speaker attribution."""

from __future__ import annotations

from dataclasses import dataclass

from audiobook.cast.config import CastConfig
from audiobook.script.cast import Cast, Character
from audiobook.script.discover import discover_cast
from audiobook.script.model import Segment
from audiobook.script.segments import segment_book
from audiobook.script.speakers import attribute
from audiobook.text.model import Book


@dataclass(frozen=True)
class Script:
    """A book split into attributed segments, with the cast that speaks them."""

    book: Book
    cast: Cast
    segments: tuple[Segment, ...]

    def chapter_segments(self, index: int) -> tuple[Segment, ...]:
        """The segments of chapter ``index`` (1-based), in order."""
        return tuple(s for s in self.segments if s.chapter == index)


def closed_cast(config: CastConfig) -> Cast:
    """The user's character list as a :class:`Cast`."""
    return Cast(
        tuple(
            Character(c.name, c.aliases, c.gender, narrator=c.narrator) for c in config.characters
        ),
        closed=True,
    )


def analyse(book: Book, config: CastConfig | None = None) -> Script:
    """Segment ``book``, find or take its cast, and attribute every quotation."""
    segments = segment_book(book)
    if config is not None and config.closed_cast:
        cast = closed_cast(config)
    else:
        cast = discover_cast(book.text, segments)
    return Script(book, cast, attribute(book.text, segments, cast))
