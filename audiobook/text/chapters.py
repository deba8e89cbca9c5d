"""Chapter boundaries: headings, the text before them, and scene breaks inside chapters.

One pass over the lines of a region of :attr:`Book.text` finds heading candidates
(``Chapter 3``, ``PART TWO - The Return``, a bare ``IV.`` paragraph, Markdown ``##``),
scene-break markers (``* * *``, ``o0o``) and runs of blank lines; the chapters are cut
from those. Everything is linear in the region's length and safe for ``\\r\\n`` and
``\\r`` line breaks, which are never rewritten: all spans index the original text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from audiobook.text.model import Chapter, Span

# One line: its content and its line break (or the end of the searched range).
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|\Z)")
WORD = re.compile(r"[^\W_]")  # a letter or digit: the text has something to say

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ORD_UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_ORD_TEENS = (
    "tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
    "eighteenth|nineteenth"
)
_ORD_TENS = "twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth"
_ROMAN = r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBER = (
    rf"\d{{1,4}}|{_ROMAN}|(?:the\s+)?(?:(?:{_TENS})[- ](?:{_ORD_UNITS})|{_ORD_TENS}|{_ORD_TEENS}"
    rf"|{_ORD_UNITS})|(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|{_UNITS}"
)
_NUMBERED = re.compile(
    rf"(?P<label>chapter|chap\.?|part|book|volume|vol\.?|act|section|episode)[ \t]+"
    rf"(?P<num>{_NUMBER})\b(?P<rest>.*)",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"(?P<label>prologue|epilogue|interlude|preface|foreword|afterword|introduction"
    r"|(?:table[ \t]+of[ \t]+)?contents)\b(?P<rest>.*)",
    re.IGNORECASE,
)
_BARE = re.compile(rf"(?P<num>\d{{1,3}}|{_ROMAN})\.?")  # case-sensitive: "I." yes, "i." no
_REST_SEPARATOR = re.compile(r"[ \t]*[.:\-–—]+[ \t]*(?P<title>.*)")
_MD_HEADING = re.compile(r" {0,3}(?P<hashes>#{1,6})[ \t]+(?P<title>.*?)(?:[ \t]+#+)?[ \t]*")
_EMPHASIS_WRAP = re.compile(r"^[*_]+|[*_]+$")
_TRAILING_NOISE = re.compile(r"[\s.:;,\-–—_*#]+$")
_SENTENCE_END = re.compile(r"[.!?,;:…\"'”’]$")
_TITLE_END = re.compile(r"[.,;:…\"'”’]$")  # a title may end in "?" or "!", not in a full stop
_MARKER_SYMBOLS = r"*#~=_+\-–—•·◦○●◇◆■□▪★☆✦✧❖⁂※§|<>^"
_SCENE_MARKER = re.compile(
    rf"[{_MARKER_SYMBOLS}](?:[{_MARKER_SYMBOLS} \t]*[{_MARKER_SYMBOLS}])?"
    rf"|[{_MARKER_SYMBOLS} \t]*(?:o0o|oOo|OoO|0o0|xXx|XxX|xox|oxo|xxx|XXX|ooo|OOO)"
    rf"[{_MARKER_SYMBOLS} \t]*"
    rf"|[{_MARKER_SYMBOLS}][ \t]*[oOxX0][ \t]*[{_MARKER_SYMBOLS}]"
)
# Cheap first look at a line: can it be a heading at all?
_HEADING_START = re.compile(
    r"[*_#]|(?i:chap|part|book|vol|act|section|episode|prologue|epilogue|interlude|preface"
    r"|foreword|afterword|introduction|contents|table)|[IVXLCDM\d]+\.?$"
)
_MARKER_FIRST = frozenset(_MARKER_SYMBOLS.replace("\\", "") + "oOxX0")
_MAX_HEADING = 120  # longer lines are prose, not headings
_MAX_TITLE_LINE = 80


def is_scene_marker(line: str) -> bool:
    """Whether a stripped line is a scene-break marker: ``* * *``, ``#``, ``~~~``, ``o0o``..."""
    return len(line) <= _MAX_HEADING and _SCENE_MARKER.fullmatch(line) is not None


def iter_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """Yield ``(line_start, content_end, next_line_start)`` for each line of ``text[start:end]``."""
    for match in _LINE.finditer(text, start, end):
        if match.start() == match.end():
            return
        yield match.start(), match.end(1), match.end()


def tidy_title(raw: str) -> str:
    """A heading as a title: emphasis wrappers, extra spaces and trailing punctuation removed."""
    return _TRAILING_NOISE.sub("", " ".join(_unwrap(raw).split()))


def _unwrap(line: str) -> str:
    """``**Chapter 1**`` -> ``Chapter 1``: a stripped line without emphasis markers around it."""
    return _EMPHASIS_WRAP.sub("", line.strip()).strip()


@dataclass
class _Heading:
    span: Span
    title: str
    level: int  # 0 for a plain-text heading, 1-6 for Markdown
    words_before: int  # word lines seen before the heading
    words_after: int  # ... and after its last line


@dataclass
class _Break:
    span: Span
    words: int  # word lines seen before it


def split_chapters(
    text: str, region: Span, *, markdown: bool, default_title: str
) -> tuple[Chapter, ...]:
    """Cut ``text[region.start:region.end]`` into chapters at its headings.

    Text before the first heading becomes a chapter titled ``default_title`` when it has
    any letters or digits; a region without headings is one such chapter. Chapters whose
    body has no words (a table of contents) are dropped. Indexes are 1-based and dense.
    """
    headings, breaks, total_words = _scan(text, region, markdown)
    headings = _chapter_level(headings, markdown)
    chapters: list[Chapter] = []
    first_start = headings[0].span.start if headings else region.end
    first_words = headings[0].words_before if headings else total_words
    if first_words > 0:
        body = Span(region.start, first_start)
        scene = _breaks_in(breaks, body, 0, first_words)
        chapters.append(Chapter(1, default_title, body, None, scene))
    for i, head in enumerate(headings):
        nxt = headings[i + 1] if i + 1 < len(headings) else None
        end = nxt.span.start if nxt else region.end
        words_end = nxt.words_before if nxt else total_words
        if words_end <= head.words_after:
            continue  # nothing to read: a table of contents line or an empty part heading
        body = Span(head.span.end, end)
        scene = _breaks_in(breaks, body, head.words_after, words_end)
        chapters.append(Chapter(len(chapters) + 1, head.title, body, head.span, scene))
    return tuple(chapters)


def _breaks_in(
    breaks: list[_Break], body: Span, words_from: int, words_to: int
) -> tuple[Span, ...]:
    """The breaks inside ``body`` with story text on both sides, adjacent ones merged."""
    kept: list[Span] = []
    last_words = -1
    first = bisect.bisect_left(breaks, body.start, key=lambda b: b.span.start)
    for brk in itertools.islice(breaks, first, None):
        if brk.span.end > body.end:
            break
        if not words_from < brk.words < words_to:
            continue
        if kept and brk.words == last_words:  # no words between: one break (blank, marker, blank)
            kept[-1] = Span(kept[-1].start, brk.span.end)
        else:
            kept.append(brk.span)
        last_words = brk.words
    return tuple(kept)


def _chapter_level(headings: list[_Heading], markdown: bool) -> list[_Heading]:
    """Keep the headings that start chapters.

    Markdown headings win over plain ones when there are any; the chapter level is the
    highest level used at least twice (``#`` parts above ``##`` chapters are kept too,
    deeper headings stay in the text).
    """
    marked = [h for h in headings if h.level > 0]
    if not markdown or not marked:
        return [h for h in headings if h.level == 0]
    levels = sorted({h.level for h in marked})
    repeated = [lvl for lvl in levels if sum(h.level == lvl for h in marked) >= 2]
    level = repeated[0] if repeated else levels[0]
    return [h for h in marked if h.level <= level]


def _scan(text: str, region: Span, markdown: bool) -> tuple[list[_Heading], list[_Break], int]:
    """One pass over the lines: heading candidates, scene breaks and the word-line count."""
    headings: list[_Heading] = []
    breaks: list[_Break] = []
    words = 0
    prev_blank = True  # the region starts a paragraph
    blank_start, blank_lines = region.start, 0
    resume = region.start
    for match in _LINE.finditer(text, region.start, region.end):  # hot loop: kept lean
        start, next_start = match.start(), match.end()
        if start < resume:
            continue  # a title line already taken into a heading
        if start == next_start:
            break
        line = match.group(1)
        stripped = line.strip()
        if not stripped:
            if blank_lines == 0:
                blank_start = start
            blank_lines += 1
            prev_blank = True
            continue
        if blank_lines >= 2:
            breaks.append(_Break(Span(blank_start, start), words))
        blank_lines = 0
        lead = start + len(line) - len(line.lstrip())
        found = None
        if _HEADING_START.match(stripped):
            line_span = Span(lead, lead + len(stripped))
            found = _heading_at(text, line_span, next_start, region.end, markdown, prev_blank)
        if found is not None:
            span, title, level, resume = found
            headings.append(_Heading(span, title, level, words, words + 1))
            words += 1
            prev_blank = True  # a heading may follow a heading (tables of contents)
            continue
        if stripped[0] in _MARKER_FIRST and is_scene_marker(stripped):
            breaks.append(_Break(Span(lead, lead + len(stripped)), words))
        elif stripped[0].isalnum() or WORD.search(stripped):
            words += 1
        prev_blank = False
    return headings, breaks, words


def _heading_at(
    text: str, line: Span, next_start: int, end: int, markdown: bool, prev_blank: bool
) -> tuple[Span, str, int, int] | None:
    """The heading starting at ``line``: (span, title, level, where scanning resumes)."""
    stripped = text[line.start : line.end]
    if len(stripped) > _MAX_HEADING:
        return None
    if markdown:
        md = _MD_HEADING.fullmatch(stripped)
        if md and WORD.search(md["title"]):
            return line, tidy_title(md["title"]), len(md["hashes"]), next_start
    if not prev_blank:
        return None
    plain = _match_plain(_unwrap(stripped.lstrip("#")))
    if plain is None:
        return None
    title, has_title, bare = plain
    nxt = _line_after(text, next_start, end)
    next_blank = nxt is None or not text[nxt[0] : nxt[1]].strip()
    if not has_title and nxt is not None and not next_blank:
        merged = _title_line(text, nxt, end)
        if merged is not None:
            return Span(line.start, merged[0]), f"{title}: {merged[1]}", 0, merged[2]
    if not has_title and next_blank and nxt is not None:
        merged = _caps_paragraph(text, nxt[2], end)
        if merged is not None:
            return Span(line.start, merged[0]), f"{title}: {merged[1]}", 0, merged[2]
    if bare and not next_blank and nxt is not None:
        following = _unwrap(text[nxt[0] : nxt[1]].strip().lstrip("#"))
        if _match_plain(following) is None:
            return None  # a number starting a paragraph of prose, not a heading
    return line, title, 0, next_start


def _match_plain(line: str) -> tuple[str, bool, bool] | None:
    """A plain heading line as (title, whether it has its own title, whether it is bare)."""
    bare = _BARE.fullmatch(line)
    if bare:
        return f"Chapter {bare['num']}", False, True
    match = _NUMBERED.fullmatch(line) or _NAMED.fullmatch(line)
    if match is None:
        return None
    label = " ".join(match["label"].split())
    if "num" in match.groupdict():
        label = f"{label} {' '.join(match['num'].split())}"
    rest = match["rest"]
    if not rest.strip():
        return label, False, False
    sep = _REST_SEPARATOR.fullmatch(rest)
    if sep is not None:
        title = tidy_title(sep["title"])
        return (f"{label}: {title}", True, False) if title else (label, False, False)
    title = rest.strip()
    if rest[0] in " \t" and title[0].isupper() and not _SENTENCE_END.search(title):
        return f"{label}: {tidy_title(title)}", True, False
    return None


def _line_after(text: str, pos: int, end: int) -> tuple[int, int, int] | None:
    """The line starting at ``pos``: (start, content_end, next_start), or None at the end."""
    match = _LINE.match(text, pos, end)
    if match is None or match.start() == match.end():
        return None
    return match.start(), match.end(1), match.end()


def _is_title_text(line: str) -> bool:
    """A short line that names a chapter: words, no sentence punctuation, not a heading."""
    return (
        0 < len(line) <= _MAX_TITLE_LINE
        and WORD.search(line) is not None
        and line[0] not in "\"'“‘(["
        and not _TITLE_END.search(line)
        and not is_scene_marker(line)
        and _match_plain(line) is None
    )


def _title_line(text: str, nxt: tuple[int, int, int], end: int) -> tuple[int, str, int] | None:
    """``Chapter 3`` + ``The Net`` on the next line: (title end, title, resume) or None.

    The title line must be followed by a blank line (or be in capitals), so that the
    first line of prose after a bare ``Chapter 3`` is not taken for a title.
    """
    raw = text[nxt[0] : nxt[1]]
    line = _unwrap(raw)
    if not _is_title_text(line):
        return None
    after = _line_after(text, nxt[2], end)
    if after is not None and text[after[0] : after[1]].strip() and not line.isupper():
        return None
    title_end = nxt[0] + len(raw.rstrip())
    return title_end, tidy_title(line), nxt[2]


def _caps_paragraph(text: str, pos: int, end: int) -> tuple[int, str, int] | None:
    """``I`` + blank + ``THE HAMILTONS`` as its own paragraph: (title end, title, resume)."""
    line = _line_after(text, pos, end)
    while line is not None and not text[line[0] : line[1]].strip():
        line = _line_after(text, line[2], end)
    if line is None:
        return None
    raw = text[line[0] : line[1]]
    title = _unwrap(raw).strip('"“”')  # XII / "ALL THE WORLD'S A STAGE"
    if not (title.isupper() and _is_title_text(title)):
        return None
    after = _line_after(text, line[2], end)
    if after is not None and text[after[0] : after[1]].strip():
        return None
    return line[0] + len(raw.rstrip()), tidy_title(title), line[2]
