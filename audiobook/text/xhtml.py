"""One EPUB content document (XHTML) as the blocks a listener hears.

A block is a paragraph, a heading, or a scene break (``<hr>``, or a paragraph that is
only ``* * *``). Inline text is gathered with HTML's whitespace rules (runs of spaces
become one; ``<br>`` is a line break). What is not read aloud is left out: images (and
so their alt text), SVG and MathML, scripts and styles, navigation, note references
and footnote bodies. Italic runs (``<i>``, ``<em>``) are recorded as offsets into the
block's text, as a hint for inner thoughts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

import lxml.html
from lxml import etree

from audiobook.text.chapters import is_scene_marker

_SKIP = frozenset(
    {"head", "script", "style", "img", "image", "svg", "math", "nav", "audio", "video",
     "object", "embed", "iframe", "noscript", "template", "rt", "rp", "map"}
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "aside", "blockquote", "li", "ul", "ol", "dl", "dt",
     "dd", "pre", "figure", "figcaption", "table", "tr", "td", "th", "tbody", "thead",
     "header", "footer", "main", "body", "html", "hr", "address", "center", "hgroup"}
    | _HEADINGS
)  # fmt: skip
_ITALIC = frozenset({"i", "em"})
# epub:type values whose content is not read where it stands.
_NOTES = frozenset({"noteref", "footnote", "endnote", "rearnote", "footnotes", "endnotes"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")


class BlockKind(StrEnum):
    """What a block is."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    BREAK = "break"  # a scene break


@dataclass
class Block:
    """A paragraph, heading or scene break of a content document."""

    kind: BlockKind
    text: str = ""  # the words, whitespace collapsed; "" for a break
    italics: list[tuple[int, int]] = field(default_factory=list)  # spans of ``text``
    ids: set[str] = field(default_factory=set)  # element ids at or inside the block


def epub_types(element: etree._Element) -> set[str]:
    """The element's ``epub:type`` values (``"chapter"``, ``"copyright-page"``...)."""
    raw = element.get("epub:type") or element.get("{http://www.idpf.org/2007/ops}type") or ""
    return {t.partition(":")[2] or t for t in raw.lower().split()}


def _tag(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rpartition("}")[2].lower()


class _Inline:
    """Builds one block's text, collapsing whitespace and tracking italic runs."""

    def __init__(self) -> None:
        self.text = ""
        self.italics: list[tuple[int, int]] = []
        self.ids: set[str] = set()

    def add(self, raw: str | None) -> None:
        if not raw:
            return
        piece = _SPACE.sub(" ", raw)
        if piece.startswith(" ") and (not self.text or self.text[-1] in " \n"):
            piece = piece[1:]
        self.text += piece

    def line_break(self) -> None:
        self.text = self.text.rstrip(" ") + "\n"

    def finish(self, kind: BlockKind) -> Block:
        text = self.text.rstrip()
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        spans = []
        for start, end in self.italics:
            start, end = max(0, start - lead), min(len(text), end - lead)
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                spans.append((start, end))
        return Block(kind, text, spans, set(self.ids))


def _inline(element: etree._Element, out: _Inline, italic: bool = False) -> None:
    """Append ``element``'s readable text (not its tail) to ``out``."""
    tag = _tag(element)
    if element.get("id"):
        out.ids.add(str(element.get("id")))
    if tag in _SKIP or epub_types(element) & _NOTES or element.get("aria-hidden") == "true":
        return
    if tag == "br":
        out.line_break()
        return
    starts_italic = tag in _ITALIC and not italic
    begin = len(out.text)
    out.add(element.text)
    for child in element:
        _inline(child, out, italic or starts_italic)
        out.add(child.tail)
    if starts_italic and len(out.text) > begin:
        out.italics.append((begin, len(out.text)))


def _has_blocks(element: etree._Element) -> bool:
    return any(_tag(child) in _BLOCKS for child in element)


def _walk(element: etree._Element, blocks: list[Block]) -> None:
    """Append the blocks of ``element`` (a block container) to ``blocks``."""
    tag = _tag(element)
    if tag in _SKIP or epub_types(element) & _NOTES:
        return
    if tag == "hr":
        blocks.append(Block(BlockKind.BREAK, ids={str(element.get("id"))} - {"None"}))
        return
    if not _has_blocks(element):
        _emit(element, blocks, BlockKind.HEADING if tag in _HEADINGS else BlockKind.PARAGRAPH)
        return
    loose = _Inline()  # text sitting directly in a container, between its blocks
    if element.get("id"):
        loose.ids.add(str(element.get("id")))
    loose.add(element.text)
    for child in element:
        if _tag(child) in _BLOCKS:
            _flush(loose, blocks)
            loose = _Inline()
            _walk(child, blocks)
        else:
            _inline(child, loose)
        loose.add(child.tail)
    _flush(loose, blocks)


def _emit(element: etree._Element, blocks: list[Block], kind: BlockKind) -> None:
    inline = _Inline()
    _inline(element, inline)
    block = inline.finish(kind)
    if block.text and is_scene_marker(block.text):
        block = Block(BlockKind.BREAK, ids=block.ids)
    if block.text or block.kind is BlockKind.BREAK or block.ids:
        blocks.append(block)


def _flush(loose: _Inline, blocks: list[Block]) -> None:
    block = loose.finish(BlockKind.PARAGRAPH)
    if block.text or block.ids:
        blocks.append(block)


def _decode(content: bytes) -> str:
    """EPUB content documents are UTF-8 or UTF-16 (with a BOM); the XML declaration goes,
    since lxml refuses one in a string, and HTML parsing would guess Latin-1 from bytes."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = content.decode("utf-16", errors="replace")
    else:
        text = content.decode("utf-8-sig", errors="replace")
    return _XML_DECLARATION.sub("", text, count=1)


def parse_document(content: bytes) -> tuple[list[Block], set[str]]:
    """The blocks of an XHTML document, and the ``epub:type`` values of its body.

    Blocks without text keep their ids (so a table-of-contents link to them still
    finds its place) but are dropped by the caller once chapters are cut.
    """
    markup = _decode(content)
    if not markup.strip():
        return [], set()
    root = lxml.html.document_fromstring(markup)
    body = root.find("body")
    if body is None:
        return [], set()
    types = epub_types(body)
    for section in body.iter():  # the first sectioning element usually carries the type
        if _tag(section) in ("section", "div", "article") and epub_types(section):
            types |= epub_types(section)
            break
    blocks: list[Block] = []
    _walk(body, blocks)
    return blocks, types
