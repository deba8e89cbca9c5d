"""EPUB input: chapters from the table of contents and spine, front and back matter left out.

The package is read with ebooklib. Chapters start where table-of-contents entries point
(a whole content document, or an element inside one) and take their titles; content
documents that no entry points to continue the chapter before them. Without a usable
table of contents every spine document is a chapter. Front and back matter (cover,
title page, copyright, contents, dedication, acknowledgements, about the author, notes,
index...) is recognised by its ``epub:type``, the OPF guide, or its title, and is not
read: it does not even enter :attr:`Book.text`, so the cast finder never sees it.

:attr:`Book.text` is built here: each chapter is its title line, a blank line, then its
paragraphs separated by blank lines, with ``* * *`` for scene breaks. Italic runs are
kept in the text as Markdown emphasis (``_like this_``, which the segmenter does not
speak) and their offsets are returned by :func:`parse_epub`, as a hint for thoughts.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from audiobook.errors import InputError
from audiobook.text.chapters import WORD, tidy_title
from audiobook.text.header import readable_title
from audiobook.text.model import Book, BookMeta, Chapter, Span
from audiobook.text.xhtml import Block, BlockKind, parse_document

_LOGGER = logging.getLogger(__name__)

SCENE_MARK = "* * *"
_TITLE_PAGE_WORDS = 150  # a title page has fewer words than this
_TITLE_PAGE_LINE = 15  # and no line longer than this
# epub:type (EPUB 3) and guide types (EPUB 2) of pages that are not the story.
MATTER_TYPES = frozenset(
    {"cover", "titlepage", "halftitlepage", "title-page", "copyright-page", "copyright",
     "toc", "landmarks", "loi", "lot", "dedication", "acknowledgments", "acknowledgements",
     "colophon", "index", "glossary", "bibliography", "endnotes", "footnotes", "rearnotes",
     "contributors", "other-credits", "imprint", "imprimatur", "errata", "frontispiece",
     "notes", "appendix", "seriespage", "adcard"}
)  # fmt: skip
_MATTER_TITLE = re.compile(
    r"^\W*(?:(?:table of )?contents|copyright(?: page)?|title ?page|half ?title|cover"
    r"|dedication|acknowledge?ments?|about the (?:author|authors|publisher|translator)"
    r"|also by\b.*|(?:other )?books by\b.*|praise for\b.*|colophon|index|glossary"
    r"|bibliography|(?:end|foot)?notes|newsletter.*|sign up.*|credits|imprint"
    r"|copyright notice|landmarks|list of (?:illustrations|figures|tables))\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EpubText:
    """An EPUB read as a :class:`Book`, with what the book model has no field for."""

    book: Book
    italics: tuple[Span, ...]  # italic runs in Book.text (the words, not the ``_`` marks)
    skipped: tuple[str, ...]  # titles of the front and back matter left out


@dataclass
class _Section:
    """A chapter being gathered: its title, where it came from, and its blocks."""

    title: str
    href: str  # the content document it starts in
    blocks: list[Block] = field(default_factory=list)
    types: set[str] = field(default_factory=set)  # epub:type / guide types of its documents
    from_toc: bool = True


def read_epub(path: Path, data: bytes) -> Book:
    """Reader for ``.epub`` files (see :data:`audiobook.text.load.READERS`)."""
    book = parse_epub(data, name=str(path), stem=path.stem).book
    return Book(book.text, book.meta, book.chapters, source=path, warnings=book.warnings)


def parse_epub(data: bytes, *, name: str, stem: str) -> EpubText:
    """Read EPUB bytes; :class:`InputError` naming ``name`` when it is not a readable EPUB."""
    package = _open(data, name)
    meta = _meta(package, stem)
    guide = {_href(g.get("href", "")): str(g.get("type", "")).lower() for g in package.guide}
    sections = [s for s in _sections(package, guide) if any(WORD.search(b.text) for b in s.blocks)]
    matter = [_is_matter(s) for s in sections]
    _mark_title_pages(sections, matter)
    kept = [s for s, skip in zip(sections, matter, strict=True) if not skip]
    skipped = tuple(s.title for s, skip in zip(sections, matter, strict=True) if skip)
    if not kept:
        raise InputError(f"{name} has no story text (only front or back matter)")
    text, chapters, italics = _assemble(kept)
    _LOGGER.debug("%s: %d chapters, skipped %s", name, len(chapters), skipped)
    return EpubText(Book(text=text, meta=meta, chapters=chapters), italics, skipped)


def _open(data: bytes, name: str) -> Any:
    from ebooklib import epub  # imported here: only EPUB input needs it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about its own future defaults
            return epub.read_epub(io.BytesIO(data), {"ignore_ncx": False})
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, AttributeError,
            epub.EpubException, OSError) as exc:  # fmt: skip
        raise InputError(f"{name} is not a readable EPUB: {exc}") from exc


def _first(package: Any, key: str) -> str:
    values = package.get_metadata("DC", key)
    return " ".join(str(values[0][0]).split()) if values and values[0][0] else ""


def _meta(package: Any, stem: str) -> BookMeta:
    authors = [" ".join(str(v).split()) for v, _ in package.get_metadata("DC", "creator") if v]
    year = re.match(r"\s*(\d{4})", _first(package, "date"))
    return BookMeta(
        title=_first(package, "title") or readable_title(stem),
        author=" and ".join(authors) or None,
        year=int(year.group(1)) if year and 1 <= int(year.group(1)) <= 9999 else None,
        language=_first(package, "language") or "en",
    )


def _href(href: str) -> str:
    """A document's path as the manifest names it, without fragment or ``./``."""
    return unquote(href.split("#", 1)[0]).removeprefix("./")


def _toc_entries(package: Any) -> list[tuple[str, str, str]]:
    """(document, fragment, title) of every table-of-contents entry, depth first."""
    out: list[tuple[str, str, str]] = []

    def walk(nodes: Any) -> None:
        for node in nodes:
            if isinstance(node, tuple):  # (Section, children)
                section, children = node
                if getattr(section, "href", None):
                    out.append(_entry(section.href, section.title))
                walk(children)
            elif getattr(node, "href", None):
                out.append(_entry(node.href, node.title))

    toc = package.toc
    walk(toc if isinstance(toc, list | tuple) else [toc])
    return out


def _entry(href: str, title: str | None) -> tuple[str, str, str]:
    return _href(href), unquote(href.partition("#")[2]), " ".join(str(title or "").split())


def _documents(package: Any) -> list[tuple[str, Any]]:
    """(file name, item) of the linear spine documents in reading order, nav excluded."""
    from ebooklib import ITEM_DOCUMENT, epub

    docs = []
    for idref, linear in package.spine:
        item = package.get_item_with_id(idref)
        if item is None or item.get_type() != ITEM_DOCUMENT or str(linear).lower() == "no":
            continue
        if isinstance(item, epub.EpubNav) or "nav" in (getattr(item, "properties", None) or []):
            continue  # the table of contents as a page
        docs.append((_href(item.file_name), item))
    return docs


def _relative(toc_href: str, doc_names: list[str]) -> str:
    """Match a TOC href (relative to the nav) to a spine document name."""
    for doc in doc_names:
        if doc == toc_href or doc.endswith("/" + toc_href) or toc_href.endswith("/" + doc):
            return doc
    return toc_href


def _sections(package: Any, guide: dict[str, str]) -> list[_Section]:
    docs = _documents(package)
    names = [n for n, _ in docs]
    entries = [(_relative(h, names), frag, title) for h, frag, title in _toc_entries(package)]
    starts: dict[str, list[tuple[str, str]]] = {}
    for doc, fragment, title in entries:
        if doc in names:
            starts.setdefault(doc, []).append((fragment, title))
    sections: list[_Section] = []
    for number, (doc, item) in enumerate(docs, start=1):
        blocks, types = parse_document(item.get_content())
        types |= {guide[doc]} if doc in guide else set()
        _split(doc, blocks, types, starts.get(doc, []), sections, number, bool(starts))
    return sections


def _split(
    doc: str, blocks: list[Block], types: set[str], marks: list[tuple[str, str]],
    sections: list[_Section], number: int, has_toc: bool,
) -> None:  # fmt: skip
    """Add ``doc``'s blocks to ``sections``, starting a new one at each TOC mark."""
    by_id = {fragment: title for fragment, title in marks if fragment}
    whole = [title for fragment, title in marks if not fragment]
    if whole or not has_toc or not sections:
        named = _first_heading(blocks) or ", ".join(sorted(types & MATTER_TYPES))
        title = whole[0] if whole else named or f"Chapter {number}"
        sections.append(_Section(title, doc, types=set(types), from_toc=bool(whole)))
    elif types:  # a document no entry points to, but typed (an untitled copyright page)
        sections.append(_Section(_first_heading(blocks) or doc, doc, types=set(types),
                                 from_toc=False))  # fmt: skip
    for block in blocks:
        hit = next((by_id[i] for i in sorted(block.ids) if i in by_id), None)
        if hit is not None:
            by_id = {k: v for k, v in by_id.items() if k not in block.ids}
            if sections[-1].href == doc and not any(b.text for b in sections[-1].blocks):
                sections[-1].title = hit  # the document starts with the entry's target
                sections[-1].from_toc = True
            else:
                sections.append(_Section(hit, doc, types=set(types)))
        sections[-1].blocks.append(block)


def _first_heading(blocks: list[Block]) -> str:
    """The document's leading headings as one title: "Chapter 2: The Morning After"."""
    lines = [b for b in blocks if b.text or b.kind is BlockKind.BREAK]
    heads = []
    for block in lines:
        if block.kind is not BlockKind.HEADING:
            break
        heads.append(tidy_title(block.text))
    return ": ".join(h for h in heads if h)


def _is_matter(section: _Section) -> bool:
    """Front or back matter: typed so, titled so, or a short untitled page before the story."""
    if section.types & MATTER_TYPES:
        return True
    return bool(_MATTER_TITLE.match(section.title))


def _mark_title_pages(sections: list[_Section], matter: list[bool]) -> None:
    """Pages at the start that read like a title page (a few short lines) are not story.

    Only pages before the first table-of-contents chapter (or, without a table of
    contents, at the very start) are looked at; a page with a real paragraph ends it.
    """
    for i, section in enumerate(sections):
        if section.from_toc:
            break
        lines = [len(b.text.split()) for b in section.blocks]
        if sum(lines) >= _TITLE_PAGE_WORDS or max(lines, default=0) > _TITLE_PAGE_LINE:
            break
        matter[i] = True


def _same(a: str, b: str) -> bool:
    norm = [" ".join(re.findall(r"\w+", x.lower())) for x in (a, b)]
    return bool(norm[0]) and bool(norm[1]) and (norm[0] in norm[1] or norm[1] in norm[0])


def _assemble(sections: list[_Section]) -> tuple[str, tuple[Chapter, ...], tuple[Span, ...]]:
    """Lay the sections out as Book.text; return it, the chapters and the italic spans."""
    text: list[str] = []
    pos = 0
    chapters: list[Chapter] = []
    italics: list[Span] = []
    for index, section in enumerate(sections, start=1):
        title = tidy_title(section.title) or f"Chapter {index}"
        blocks = [b for b in section.blocks if b.text or b.kind is BlockKind.BREAK]
        while blocks and blocks[0].kind is BlockKind.HEADING and _same(blocks[0].text, title):
            blocks.pop(0)  # the document's own heading repeats the TOC title
        heading = Span(pos, pos + len(title))
        text.append(title + "\n\n")
        pos += len(title) + 2
        breaks: list[Span] = []
        for block in _trim_breaks(blocks):
            piece, spans = _block_text(block)
            if block.kind is BlockKind.BREAK:
                breaks.append(Span(pos, pos + len(piece)))
            italics.extend(Span(pos + a, pos + b) for a, b in spans)
            text.append(piece + "\n\n")
            pos += len(piece) + 2
        chapters.append(Chapter(index, title, Span(heading.end, pos), heading, tuple(breaks)))
    return "".join(text), tuple(chapters), tuple(italics)


def _trim_breaks(blocks: list[Block]) -> list[Block]:
    """Drop scene breaks at the very start or end of a chapter, and doubled ones."""
    out: list[Block] = []
    for block in blocks:
        if block.kind is BlockKind.BREAK and (not out or out[-1].kind is BlockKind.BREAK):
            continue
        out.append(block)
    while out and out[-1].kind is BlockKind.BREAK:
        out.pop()
    return out


def _block_text(block: Block) -> tuple[str, list[tuple[int, int]]]:
    """A block as it goes into Book.text, with its italic spans (of the words)."""
    if block.kind is BlockKind.BREAK:
        return SCENE_MARK, []
    out, spans, last = "", [], 0
    for start, end in block.italics:
        out += block.text[last:start]
        word_edges = (start == 0 or not block.text[start - 1].isalnum()) and (
            end == len(block.text) or not block.text[end].isalnum()
        )
        mark = "_" if word_edges and "_" not in block.text[start:end] else ""
        out += mark
        spans.append((len(out), len(out) + end - start))
        out += block.text[start:end] + mark
        last = end
    return out + block.text[last:], spans
