"""The header block above a story: what the text says about itself, as :class:`BookMeta`.

:func:`read_header` finds, at the top of the decoded text, Markdown YAML front matter, a
``Key: value`` block (``Author: ...``, ``Rating: PG``; optionally under a bare title line,
or a title page with a ``by ...`` line) and a lone Markdown ``# Title``. :func:`book_meta`
turns the fields found into a :class:`BookMeta`. Nothing here raises: what cannot be read
is left to the story, or ignored with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

import yaml

from audiobook.text.chapters import WORD, iter_lines, tidy_title
from audiobook.text.model import BookMeta, Span

_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_LANG_TAG = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_LANGUAGES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "russian": "ru", "polish": "pl", "swedish": "sv",
    "norwegian": "no", "danish": "da", "finnish": "fi", "japanese": "ja", "chinese": "zh",
    "korean": "ko", "greek": "el", "turkish": "tr", "czech": "cs", "hungarian": "hu",
}  # fmt: skip
_TITLE_KEYS = {"title"}
_AUTHOR_KEYS = {"author", "authors", "by", "writer", "written by", "creator"}
_YEAR_KEYS = {"year", "date", "published", "release date", "posted"}
_LANGUAGE_KEYS = {"language", "lang"}

_HEADER_LINES = 200  # a header block is looked for in the first lines only
_FRONT_MATTER_CHARS = 1 << 16
_KEY_WORD = r"[A-Za-z'’&/\-]*"
_KEY_LINE = re.compile(
    rf"(?P<key>[A-Z]{_KEY_WORD}(?:[ \t]+[A-Za-z]{_KEY_WORD}){{0,2}})[ \t]*:[ \t]*(?P<value>.*)"
)
_KNOWN_KEYS = frozenset(
    """title author authors by writer creator rating rated disclaimer summary category categories
    pairing pairings warning warnings note notes a/n date year language lang series feedback
    archive archiving spoilers spoiler genre genres characters character status fandom fandoms
    dedication beta betas email e-mail website url timeline setting keywords tags published
    updated completed length copyright distribution translator illustrator posted codes
    """.split()
) | {"word count", "words", "written by", "translated by", "author's note", "author's notes",
     "authors note", "beta reader", "release date", "produced by", "story notes"}  # fmt: skip
_HEADING_WORDS = frozenset(
    "chapter chap part book volume vol act section episode prologue epilogue interlude".split()
)
_FRONT_MATTER_END = re.compile(r"(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?=\r\n|\r|\n|\Z)")
_YAML_LINE = re.compile(r"\s*(?:[\w\-]+[ \t]*:|- |#)|\s")  # a line that YAML front matter may have
_MD_TOP_HEADING = re.compile(r"(?:\A|[\r\n])[ ]{0,3}(#{1,2})[ \t]+\S")
_MD_H1 = re.compile(r"[ ]{0,3}#[ \t]+(?P<title>.*?)(?:[ \t]+#+)?[ \t]*")
_BY_LINE = re.compile(r"[Bb]y[ \t]+(?P<name>[A-Z][^!?:;\"“”]{1,60}?)\.?")
_TITLE_LINE_END = re.compile(r"[.!?,;:…\"'”’]$")


@dataclass(frozen=True)
class Header:
    """The header found at the top of a text."""

    span: Span | None  # from the first header character to the end of its last line
    fields: tuple[tuple[str, str], ...]  # (key as written, value) in source order
    warnings: tuple[str, ...]  # what was ignored, without the text's name
    key_lines: bool  # a ``Key: value`` block was part of it


def read_header(text: str, *, markdown: bool, key_lines: bool) -> Header:
    """The header at the top of ``text``; its span is None when there is none.

    Looked for in this order, each right after the one before: YAML front matter
    (``markdown``), a ``Key: value`` block (``key_lines``), a lone ``# Title`` (``markdown``).
    """
    fields: list[tuple[str, str]] = []
    warnings: list[str] = []
    start, end = None, 0
    if markdown and (matter := _front_matter(text, warnings)) is not None:
        start, end = 0, matter[0]
        fields += matter[1]
    found_block = False
    if key_lines and (block := _key_block(text, end)) is not None:
        start = block[0].start if start is None else start
        end, found_block = block[0].end, True
        fields += block[1]
    if markdown and (h1 := _markdown_title(text, end)) is not None:
        start = h1[0].start if start is None else start
        end = h1[0].end
        if not any(k.lower() == "title" for k, _ in fields):
            fields.append(("Title", h1[1]))
    span = Span(start, end) if start is not None else None
    return Header(span, tuple(fields), tuple(warnings), found_block)


def book_meta(fields: Iterable[tuple[str, str]], stem: str) -> BookMeta:
    """BookMeta from header fields in source order; the first of each known key wins.

    ``stem`` (a file name's stem) gives the title when no field does.
    """
    title = author = None
    year: int | None = None
    language = "en"
    extra: list[tuple[str, str]] = []
    for key, value in fields:
        low = " ".join(key.lower().split())
        if low in _TITLE_KEYS and title is None and value:
            title = value
        elif low in _AUTHOR_KEYS and author is None and value:
            author = value
        elif low in _YEAR_KEYS and year is None and (found := _YEAR.search(value)):
            year = int(found.group())
            if low != "year":  # a full date says more than its year
                extra.append((key, value))
        elif low in _LANGUAGE_KEYS and _language(value) is not None:
            language = _language(value) or language
        else:
            extra.append((key, value))
    return BookMeta(
        title=title or readable_title(stem),
        author=author,
        year=year,
        language=language,
        extra=tuple(extra),
    )


def readable_title(stem: str) -> str:
    """A file stem as a title: ``captain_red-v2`` -> ``Captain Red V2``."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", stem.strip())  # AnneOfGreenGables
    words = re.split(r"[\s_\-.]+", spaced)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Untitled"


def _language(value: str) -> str | None:
    value = value.strip()
    if _LANG_TAG.fullmatch(value):
        return value.replace("_", "-")
    return _LANGUAGES.get(value.lower())


# --- front matter and Markdown title ------------------------------------------------


def _front_matter(text: str, warnings: list[str]) -> tuple[int, list[tuple[str, str]]] | None:
    """YAML between ``---`` lines at the very top: (end offset, fields)."""
    first = next(iter_lines(text, 0, len(text)), None)
    if first is None or text[first[0] : first[1]].rstrip() != "---":
        return None
    close = _FRONT_MATTER_END.search(text, first[1], min(len(text), _FRONT_MATTER_CHARS))
    if close is None:
        return None
    body = text[first[2] : close.start()]
    if not all(_YAML_LINE.match(line) for line in body.splitlines() if line.strip()):
        return None  # a "---" scene marker over prose, not front matter
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError:
        data = "bad"
    if data is not None and not isinstance(data, dict):
        warnings.append("front matter is not valid YAML; ignored it")
        data = None
    return close.end(), [(str(k), _yaml_text(v)) for k, v in (data or {}).items() if v is not None]


def _yaml_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_yaml_text(v) for v in value)
    return str(value).strip()


def _markdown_title(text: str, start: int) -> tuple[Span, str] | None:
    """A lone top ``# Title`` over ``##`` chapters: (span of the line, title)."""
    lines = iter_lines(text, start, len(text))
    line = next((_trimmed(text, s, e) for s, e, _ in lines if text[s:e].strip()), None)
    if line is None or (match := _MD_H1.fullmatch(text, line.start, line.end)) is None:
        return None
    levels = [len(m.group(1)) for m in _MD_TOP_HEADING.finditer(text)]
    if levels.count(1) != 1 or 2 not in levels:
        return None
    return line, tidy_title(match["title"])


# --- Key: value block ---------------------------------------------------------------


@dataclass
class _Block:
    """A ``Key: value`` block while it is read."""

    fields: list[tuple[str, str]] = field(default_factory=list)  # (key, value) in order
    last: int = -1  # index of its last line so far
    known: bool = False  # a well-known key (or a by-line) was seen
    count: int = 0  # key lines and by-lines read


def _key_block(text: str, start: int) -> tuple[Span, list[tuple[str, str]]] | None:
    """The ``Key: value`` block at the top (optionally under a title line): (span, fields)."""
    lines = [(s, e) for s, e, _ in islice(iter_lines(text, start, len(text)), _HEADER_LINES)]
    stripped = [text[s:e].strip() for s, e in lines]
    first = _next_filled(stripped, 0)
    block = _Block()
    at = _title_page(stripped, first, block)
    if at is None:
        return None
    while at is not None and at < len(lines) and _key_line(stripped[at]) is not None:
        at = _key_paragraph(text, lines, stripped, at, block)
    if block.count == 0 or not (block.known or block.count >= 2):
        return None
    span = Span(_trimmed(text, *lines[first]).start, _trimmed(text, *lines[block.last]).end)
    return span, block.fields


def _title_page(stripped: list[str], i: int, block: _Block) -> int | None:
    """Read a bare title line at ``i`` (and a ``by`` line under it) into ``block``.

    Returns the index where key lines may start, or None when a title-like line stands
    over neither a by-line nor a key line: then there is no header block at all.
    """
    n = len(stripped)
    if i >= n or _key_line(stripped[i]) is not None or not _title_line(stripped[i]):
        return i
    j = _next_filled(stripped, i + 1, min(i + 4, n))
    by = _BY_LINE.fullmatch(stripped[j]) if j < n else None
    if by is None and (j >= n or _key_line(stripped[j]) is None):
        return None
    block.fields.append(("Title", stripped[i]))
    block.last = i
    if by is None:
        return j
    block.fields.append(("Author", by["name"]))  # "The Gambler" / "by Fyodor Dostoyevsky"
    block.last, block.known, block.count = j, True, 1
    return _next_filled(stripped, j + 1)


def _key_paragraph(
    text: str, lines: list[tuple[int, int]], stripped: list[str], i: int, block: _Block
) -> int | None:
    """Read the key lines of the paragraph starting at line ``i`` into ``block``.

    Returns the index of the next paragraph, or None when the block ends here.
    """
    end = next((k for k in range(i, len(lines)) if not stripped[k]), len(lines))
    entries = {k: e for k in range(i, end) if (e := _key_line(stripped[k])) is not None}
    keyed = sorted(entries)
    para_known = any(e[2] for e in entries.values())
    if not (para_known or len(keyed) >= 2):
        return None
    block.known, block.count = block.known or para_known, block.count + len(keyed)
    k = i
    while k < end and (k <= keyed[-1] or text[lines[k][0]][:1] in " \t"):
        entry = entries.get(k)
        if entry is not None:
            block.fields.append((entry[0], entry[1]))
        elif block.fields:  # a wrapped value: indented, or followed by more header lines
            key, value = block.fields[-1]
            block.fields[-1] = (key, f"{value} {stripped[k]}".strip())
        block.last, k = k, k + 1
    if k < end:
        return None  # the story starts right under the header lines
    return _next_filled(stripped, end)


def _next_filled(stripped: list[str], start: int, stop: int | None = None) -> int:
    """The index of the first non-blank line in ``[start, stop)``, else ``len(stripped)``."""
    end = len(stripped) if stop is None else stop
    return next((k for k in range(start, end) if stripped[k]), len(stripped))


def _key_line(line: str) -> tuple[str, str, bool] | None:
    """``Rating: PG`` -> (key, value, whether the key is a well-known header key)."""
    match = _KEY_LINE.fullmatch(line)
    if match is None:
        return None
    key, value = " ".join(match["key"].split()), match["value"].strip()
    low = key.lower()
    if low.split()[0] in _HEADING_WORDS:
        return None  # "Part Two: The Return" is a heading
    known = low in _KNOWN_KEYS
    if not known and (not value or not all(w[0].isupper() for w in key.split())):
        return None
    return key, value, known


def _title_line(line: str) -> bool:
    """A short bare title line above a header block: no sentence punctuation, no quotes."""
    return (
        0 < len(line) <= 80
        and len(line.split()) <= 12
        and WORD.search(line) is not None
        and not any(q in line for q in '"“”')
        and not _TITLE_LINE_END.search(line)
    )


def _trimmed(text: str, start: int, end: int) -> Span:
    """The span of ``text[start:end]`` without its leading and trailing whitespace."""
    line = text[start:end]
    lead = len(line) - len(line.lstrip())
    return Span(start + lead, start + len(line.rstrip()))
