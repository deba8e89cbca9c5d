"""The loaded story: decoded text, metadata and chapter boundaries.

Every offset in the project indexes :attr:`Book.text`, the source exactly as decoded,
end exclusive. Later stages never copy or rewrite that text; they point into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Span:
    """A half-open range ``[start, end)`` of :attr:`Book.text`."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class BookMeta:
    """What the story says about itself (header block, Markdown front matter, EPUB OPF)."""

    title: str  # book title; the file name's stem when the text gives none
    author: str | None = None  # as written in the source
    year: int | None = None  # publication year, when stated
    language: str = "en"  # BCP 47 tag of the text
    # Other header fields (``Rating``, ``Disclaimer``...) in source order: kept, not read aloud.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Chapter:
    """One chapter: its heading (if any) and the body that is read aloud."""

    index: int  # 1-based position in the book
    title: str  # heading text without the "Chapter 3:" label's punctuation noise
    body: Span  # the chapter's story text, from after the heading to the next heading
    heading: Span | None = None  # the heading line in the source, when there is one
    # Scene-break markers (``* * *``, ``#``, runs of blank lines) inside ``body``.
    scene_breaks: tuple[Span, ...] = ()

    @property
    def span(self) -> Span:
        """Everything the chapter's segments tile: the heading (if any) through the body's end."""
        start = self.heading.start if self.heading is not None else self.body.start
        return Span(start, self.body.end)


@dataclass(frozen=True)
class Book:
    """A story ready for segmentation."""

    text: str  # the whole source, decoded; all offsets index this string
    meta: BookMeta
    chapters: tuple[Chapter, ...]
    source: Path | None = None  # where it was read from
    encoding: str = "utf-8"  # the codec that decoded ``text``
    header: Span | None = None  # the metadata block that is not read aloud
    warnings: tuple[str, ...] = field(default=())  # e.g. "decoded as cp1252"
