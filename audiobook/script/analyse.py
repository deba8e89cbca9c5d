"""Text -> attributed script: segmentation, the cast, and speaker attribution."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from audiobook.cast.config import CastConfig
from audiobook.script.cast import Cast, Character
from audiobook.script.discover import discover_cast, with_nicknames
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
    """The user's character list as a :class:`Cast`, exactly as written."""
    return Cast(
        tuple(
            Character(c.name, c.aliases, c.gender, narrator=c.narrator) for c in config.characters
        ),
        closed=True,
    )


def find_cast(text: str, segments: Sequence[Segment], config: CastConfig | None) -> Cast:
    """The user's character list with the nicknames the text uses, or, without one,
    the cast discovered from the text."""
    if config is not None and config.closed_cast:
        return with_nicknames(closed_cast(config), text, segments)
    return discover_cast(text, segments)


def analyse(book: Book, config: CastConfig | None = None) -> Script:
    """Segment ``book``, find or take its cast, and attribute every quotation."""
    segments = segment_book(book)
    cast = find_cast(book.text, segments, config)
    return Script(book, cast, attribute(book.text, segments, cast))
