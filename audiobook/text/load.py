"""Read a story file into a :class:`Book`: checks, decoding, header block, chapters.

:func:`load_book` picks a reader by file suffix from :data:`READERS`; an EPUB reader
plugs in there. Every reader rejects what is not a story with an :class:`InputError`
naming the file. :func:`parse_text` does the same work for a string already in memory.
The decoded text is kept exactly (line breaks included): every later offset indexes it.
Decoding lives in :mod:`audiobook.text.decode`, the header block in
:mod:`audiobook.text.header`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from audiobook.errors import InputError
from audiobook.text.chapters import WORD, split_chapters
from audiobook.text.decode import check_binary, check_magic, decode
from audiobook.text.header import book_meta, read_header
from audiobook.text.model import Book, Span

_LOGGER = logging.getLogger(__name__)

MAX_BYTES = 200 * 1024 * 1024  # larger files are not stories; refuse before reading them

Reader = Callable[[Path, bytes], Book]


def load_book(path: Path) -> Book:
    """Read the story at ``path``; raise :class:`InputError` when it cannot be a story."""
    data = _read_bytes(path)
    reader = READERS.get(path.suffix.lower(), read_plain)
    return reader(path, data)


def read_plain(path: Path, data: bytes) -> Book:
    """Reader for plain text (and any unknown suffix)."""
    return _read_text(path, data, markdown=False)


def read_markdown(path: Path, data: bytes) -> Book:
    """Reader for Markdown: front matter, ``#`` title, ``##`` chapters."""
    return _read_text(path, data, markdown=True)


def read_epub(path: Path, data: bytes) -> Book:
    """Reader for EPUB (its XHTML parser loads only for EPUB input)."""
    from audiobook.text.epub import read_epub as read

    return read(path, data)


READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".text": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".epub": read_epub,
}


def parse_text(text: str, *, stem: str, markdown: bool, name: str | None = None) -> Book:
    """Build a :class:`Book` from decoded text: header block, title, chapters.

    ``stem`` gives the title when the text names none; ``name`` (default ``stem``)
    names the text in messages. Raises :class:`InputError` when there is nothing to read.
    """
    name = name or stem
    if WORD.search(text) is None:
        raise InputError(f"{name} has no text")
    head = read_header(text, markdown=markdown, key_lines=True)
    meta = book_meta(head.fields, stem)
    region = Span(head.span.end if head.span else 0, len(text))
    chapters = split_chapters(text, region, markdown=markdown, default_title=meta.title)
    if not chapters and head.key_lines:  # what looked like a header was the story: read it
        head = read_header(text, markdown=markdown, key_lines=False)
        meta = book_meta(head.fields, stem)
        region = Span(head.span.end if head.span else 0, len(text))
        chapters = split_chapters(text, region, markdown=markdown, default_title=meta.title)
    if not chapters:
        raise InputError(f"{name} has no story text after its header")
    warnings = tuple(f"{name}: {w}" for w in head.warnings)
    _LOGGER.debug("%s: %d chapters", name, len(chapters))
    return Book(text=text, meta=meta, chapters=chapters, header=head.span, warnings=warnings)


def _read_text(path: Path, data: bytes, *, markdown: bool) -> Book:
    check_magic(path, data)
    text, encoding, warnings = decode(data, name=path.name)
    check_binary(path, text)
    if not text.strip():
        raise InputError(f"{path} has no text")
    book = parse_text(text, stem=path.stem, markdown=markdown, name=str(path))
    return replace(book, source=path, encoding=encoding, warnings=warnings + book.warnings)


def _read_bytes(path: Path) -> bytes:
    try:
        if not path.exists():
            raise InputError(f"{path} does not exist")
        if path.is_dir():
            raise InputError(f"{path} is a directory, not a story file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path} is {size // 2**20} MB; stories over 200 MB are not supported")
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from err
    if not data:
        raise InputError(f"{path} is empty")
    return data
