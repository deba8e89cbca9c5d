"""Read a story file into a :class:`Book`: checks, decoding, header block, chapters.

:func:`load_book` picks a reader by file suffix from :data:`READERS`; an EPUB reader
plugs in there. Every reader rejects what is not a story with an :class:`InputError`
naming the file. :func:`parse_text` does the same work for a string already in memory.
The decoded text is kept exactly (line breaks included): every later offset indexes it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

import yaml

from audiobook.errors import InputError
from audiobook.text.chapters import WORD, iter_lines, split_chapters, tidy_title
from audiobook.text.model import Book, BookMeta, Span

_LOGGER = logging.getLogger(__name__)

MAX_BYTES = 200 * 1024 * 1024  # larger files are not stories; refuse before reading them

Reader = Callable[[Path, bytes], Book]

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_HIGH_BYTES = bytes(range(0x80, 0x100))
# surrogateescape turns each undecodable byte b into U+DC00+b; map those to cp1252
# (latin-1 for the five bytes cp1252 leaves undefined).
_ESCAPED = re.compile("[\udc80-\udcff]")
_AS_CP1252 = {
    0xDC00 + b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)
}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")  # not \t \n \v \f \r or DOS EOF
_SAMPLE = 1 << 20


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
    """The place for an EPUB reader; until there is one, say so."""
    raise InputError(f"{path}: EPUB input is not supported yet")


READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".text": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".epub": read_epub,
}


def decode(data: bytes, *, name: str = "text") -> tuple[str, str, tuple[str, ...]]:
    """Decode story bytes: ``(text, encoding name, warnings)``; never raises.

    UTF-8 (BOM dropped), UTF-16/32 with a BOM or (UTF-16) without one; bytes that are
    not UTF-8 are read as cp1252, one by one in a mostly-UTF-8 file, with a warning
    prefixed by ``name``.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_unicode(data[len(bom) :], codec, name)
    if b"\x00" in data:
        sniffed = _sniff_utf16(data)
        if sniffed is not None:
            return _decode_unicode(data, sniffed, name)
    encoding = "utf-8"
    if data.startswith(_UTF8_BOM):
        data, encoding = data[len(_UTF8_BOM) :], "utf-8-sig"
    try:
        return data.decode("utf-8"), encoding, ()
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    text, bad = _ESCAPED.subn(_cp1252_char, text)
    if bad == len(data) - len(data.translate(None, _HIGH_BYTES)):  # no UTF-8 sequence at all
        text = _ESCAPED.sub(_cp1252_char, data.decode("cp1252", errors="surrogateescape"))
        return text, "cp1252", (f"{name}: not UTF-8; read it as cp1252 (Windows Western)",)
    noun = "byte is" if bad == 1 else "bytes are"
    return text, encoding, (f"{name}: {bad} {noun} not UTF-8; read them as cp1252",)


def parse_text(text: str, *, stem: str, markdown: bool, name: str | None = None) -> Book:
    """Build a :class:`Book` from decoded text: header block, title, chapters.

    ``stem`` gives the title when the text names none; ``name`` (default ``stem``)
    names the text in messages. Raises :class:`InputError` when there is nothing to read.
    """
    name = name or stem
    if WORD.search(text) is None:
        raise InputError(f"{name} has no text")
    head = _read_header(text, markdown=markdown, key_lines=True)
    meta = _meta(head.fields, stem)
    region = Span(head.span.end if head.span else 0, len(text))
    chapters = split_chapters(text, region, markdown=markdown, default_title=meta.title)
    if not chapters and head.key_lines:  # what looked like a header was the story: read it
        head = _read_header(text, markdown=markdown, key_lines=False)
        meta = _meta(head.fields, stem)
        region = Span(head.span.end if head.span else 0, len(text))
        chapters = split_chapters(text, region, markdown=markdown, default_title=meta.title)
    if not chapters:
        raise InputError(f"{name} has no story text after its header")
    warnings = tuple(f"{name}: {w}" for w in head.warnings)
    _LOGGER.debug("%s: %d chapters", name, len(chapters))
    return Book(text=text, meta=meta, chapters=chapters, header=head.span, warnings=warnings)


def readable_title(stem: str) -> str:
    """A file stem as a title: ``captain_red-v2`` -> ``Captain Red V2``."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", stem.strip())  # AnneOfGreenGables
    words = re.split(r"[\s_\-.]+", spaced)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Untitled"


def _read_text(path: Path, data: bytes, *, markdown: bool) -> Book:
    _check_magic(path, data)
    text, encoding, warnings = decode(data, name=path.name)
    _check_binary(path, text)
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


def _check_magic(path: Path, data: bytes) -> None:
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        raise InputError(f"{path} is a PDF file, not text")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise InputError(f"{path} is a ZIP archive (an EPUB or Word file?), not text")


def _check_binary(path: Path, text: str) -> None:
    sample = text[:_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if "\x00" in text or (controls >= 3 and controls * 100 > len(sample)):
        raise InputError(f"{path} looks like a binary file, not text")


def _decode_unicode(body: bytes, codec: str, name: str) -> tuple[str, str, tuple[str, ...]]:
    try:
        return body.decode(codec), codec, ()
    except UnicodeDecodeError:
        text = body.decode(codec, errors="replace")
        warning = f"{name}: some bytes are not valid {codec}; replaced them with \ufffd"
        return text, codec, (warning,)


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _cp1252_char(match: re.Match[str]) -> str:
    return _AS_CP1252[ord(match.group())]


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


def _meta(fields: list[tuple[str, str]], stem: str) -> BookMeta:
    """BookMeta from header fields in source order; the first of each known key wins."""
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


def _language(value: str) -> str | None:
    value = value.strip()
    if _LANG_TAG.fullmatch(value):
        return value.replace("_", "-")
    return _LANGUAGES.get(value.lower())


# --- header block -----------------------------------------------------------------

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
    """.split()  # noqa: SIM905
) | {"word count", "words", "written by", "translated by", "author's note", "author's notes",
     "authors note", "beta reader", "release date", "produced by", "story notes"}  # fmt: skip
_HEADING_WORDS = frozenset(
    "chapter chap part book volume vol act section episode prologue epilogue interlude".split()  # noqa: SIM905
)
_FRONT_MATTER_END = re.compile(r"(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?=\r\n|\r|\n|\Z)")
_YAML_LINE = re.compile(r"\s*(?:[\w\-]+[ \t]*:|- |#)|\s")  # a line that YAML front matter may have
_MD_TOP_HEADING = re.compile(r"(?:\A|[\r\n])[ ]{0,3}(#{1,2})[ \t]+\S")
_MD_H1 = re.compile(r"[ ]{0,3}#[ \t]+(?P<title>.*?)(?:[ \t]+#+)?[ \t]*")
_BY_LINE = re.compile(r"[Bb]y[ \t]+(?P<name>[A-Z][^!?:;\"“”]{1,60}?)\.?")
_TITLE_LINE_END = re.compile(r"[.!?,;:…\"'”’]$")


@dataclass(frozen=True)
class _Header:
    span: Span | None  # from the first header character to the end of its last line
    fields: list[tuple[str, str]]  # (key as written, value) in source order
    warnings: list[str]
    key_lines: bool  # a ``Key: value`` block was part of it


def _read_header(text: str, *, markdown: bool, key_lines: bool) -> _Header:
    """Front matter (Markdown), a ``Key: value`` block, a lone ``# Title`` (Markdown)."""
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
    return _Header(span, fields, warnings, found_block)


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


def _key_block(text: str, start: int) -> tuple[Span, list[tuple[str, str]]] | None:
    """The ``Key: value`` block at the top (optionally under a title line): (span, fields)."""
    lines = [(s, e) for s, e, _ in islice(iter_lines(text, start, len(text)), _HEADER_LINES)]
    stripped = [text[s:e].strip() for s, e in lines]
    i = next((k for k, line in enumerate(stripped) if line), len(lines))
    fields: list[tuple[str, str]] = []
    first, last, known, count = i, -1, False, 0
    if i < len(lines) and _key_line(stripped[i]) is None and _title_line(stripped[i]):
        j = next((k for k in range(i + 1, min(i + 4, len(lines))) if stripped[k]), len(lines))
        by = _BY_LINE.fullmatch(stripped[j]) if j < len(lines) else None
        if by is None and (j >= len(lines) or _key_line(stripped[j]) is None):
            return None
        fields.append(("Title", stripped[i]))
        last, i = i, j
        if by is not None:  # "The Gambler" / "by Fyodor Dostoyevsky": a title page
            fields.append(("Author", by["name"]))
            last, known, count = j, True, 1
            i = next((k for k in range(j + 1, len(lines)) if stripped[k]), len(lines))
    while i < len(lines) and _key_line(stripped[i]) is not None:
        end = next((k for k in range(i, len(lines)) if not stripped[k]), len(lines))
        entries = {k: e for k in range(i, end) if (e := _key_line(stripped[k])) is not None}
        keyed = sorted(entries)
        para_known = any(e[2] for e in entries.values())
        if not (para_known or len(keyed) >= 2):
            break
        known, count = known or para_known, count + len(keyed)
        k = i
        while k < end and (k <= keyed[-1] or text[lines[k][0]][:1] in " \t"):
            entry = entries.get(k)
            if entry is not None:
                fields.append((entry[0], entry[1]))
            elif fields:  # a wrapped value: indented, or followed by more header lines
                fields[-1] = (fields[-1][0], f"{fields[-1][1]} {stripped[k]}".strip())
            last, k = k, k + 1
        if k < end:
            break  # the story starts right under the header lines
        i = next((n for n in range(end, len(lines)) if stripped[n]), len(lines))
    if count == 0 or not (known or count >= 2):
        return None
    return Span(_trimmed(text, *lines[first]).start, _trimmed(text, *lines[last]).end), fields


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


def _trimmed(text: str, start: int, end: int) -> Span:
    """The span of ``text[start:end]`` without its leading and trailing whitespace."""
    line = text[start:end]
    lead = len(line) - len(line.lstrip())
    return Span(start + lead, start + len(line.rstrip()))
