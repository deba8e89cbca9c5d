"""Segmentation: a chapter's text -> narration and dialogue segments that tile it.

Contract (checked by property tests): the segments of a chapter tile ``chapter.span``
exactly, in order, with no empty span, and every :attr:`Segment.text` - the spoken
words: delimiting quote marks, scene markers and emphasis markup removed, whitespace
collapsed - holds at least one letter or digit. Pieces with nothing to say (``...``,
``* * *``, a lone dash) are absorbed by a neighbour. Everything is linear in the text.

Where a paragraph's quotes are is decided in :mod:`audiobook.script.quotes`, and where a
piece too long to speak is cut in :mod:`audiobook.script.split`.
"""

from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass, field

from audiobook.script.model import NARRATOR, Kind, Pause, Segment
from audiobook.script.quotes import QuoteStyle, detect_quote_style, find_quotes, opens_quote
from audiobook.script.split import MAX_CHARS, cut_points
from audiobook.text.chapters import WORD, is_scene_marker
from audiobook.text.model import Book, Chapter, Span

# A line break, then one or more blank lines; "\r(?!\n)" keeps one CRLF from counting as two.
_BLANK_SEP = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?:[^\S\r\n]*(?:\r\n|\r(?!\n)|\n))+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_END_PUNCT = re.compile(r"[.!?:…\"'”’)\]*_—-]\s*$")
_NON_SPACE = re.compile(r"\S")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_EMPHASIS = re.compile(r"(?<![\w*])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_])[*_]{1,3}(?![\w*])")
_MD_PREFIX = re.compile(r"^#{1,6}\s+")
_NOT_SPOKEN = str.maketrans("", "", '"“”„«»')  # double quote marks; single ones may be apostrophes
_TRAILING_MARKUP = "\"'“”‘’)]*_ "


def segment_book(book: Book) -> tuple[Segment, ...]:
    """All chapters' segments in order, with one quote style decided for the whole book."""
    style = detect_quote_style(book.text)
    return tuple(seg for ch in book.chapters for seg in segment_chapter(book.text, ch, style))


@dataclass
class _Piece:
    """A stretch of visible text read by one voice, before spans are assigned."""

    start: int  # first visible character
    end: int  # one past the last visible character
    kind: Kind
    paragraph: int
    skip: list[tuple[int, int]] = field(default_factory=list)  # ranges that are not spoken
    speakable: bool = True
    run_on: bool = False
    heading: bool = False
    split: bool = False
    spoken: str | None = None  # the spoken text once known (the heading's: its tidy title)


def segment_chapter(text: str, chapter: Chapter, style: QuoteStyle) -> tuple[Segment, ...]:
    """Split one chapter into segments tiling ``chapter.span`` (see the module contract).

    Returns ``()`` only for a chapter with nothing speakable at all.
    """
    pieces: list[_Piece] = []
    if chapter.heading is not None:
        pieces.append(_heading_piece(text, chapter))
    for number, (start, end, marker) in enumerate(_paragraphs(text, chapter), start=1):
        _link_run_on(text, pieces, start, end, None if marker else style)
        if marker:
            pieces.append(_Piece(start, end, Kind.NARRATION, number, [(start, end)], False))
        else:
            pieces += _paragraph_pieces(text, start, end, style, number)
    _link_run_on(text, pieces, 0, 0, None)  # nothing after the chapter's last paragraph
    pieces = [p for piece in _absorb(text, pieces) for p in _split_long(text, piece)]
    if not pieces:
        return ()
    return _segments(text, chapter, pieces)


def _heading_piece(text: str, chapter: Chapter) -> _Piece:
    assert chapter.heading is not None
    head = _Piece(chapter.heading.start, chapter.heading.end, Kind.NARRATION, 0, heading=True)
    if WORD.search(chapter.title):
        head.spoken = chapter.title
    else:  # a title with nothing to say: read the heading line, or absorb it
        head.heading = head.speakable = WORD.search(text, head.start, head.end) is not None
    return head


def _paragraphs(text: str, chapter: Chapter) -> list[tuple[int, int, bool]]:
    """Visible paragraph ranges of the body as (start, end, is_scene_marker).

    Blank lines separate paragraphs, and so do scene breaks; a body with no blank line
    but many unwrapped lines has one paragraph per line.
    """
    body = chapter.body
    seps = [m.span() for m in _BLANK_SEP.finditer(text, body.start, body.end)]
    first = _NON_SPACE.search(text, body.start, body.end)
    inner = any(first is not None and a > first.start() and b < body.end for a, b in seps)
    if not inner and first is not None and _lines_are_paragraphs(text, first.start(), body.end):
        seps = [m.span() for m in _LINE_BREAK.finditer(text, body.start, body.end)]
    breaks = [(b.start, b.end) for b in chapter.scene_breaks]
    markers = set(breaks)
    out: list[tuple[int, int, bool]] = []
    cursor = body.start
    for cut_start, cut_end in heapq.merge(seps, breaks):
        if cut_start > cursor:
            out += _trimmed(text, cursor, cut_start)
        if (cut_start, cut_end) in markers and cut_end > cursor:
            out += [(a, b, True) for a, b, _ in _trimmed(text, max(cursor, cut_start), cut_end)]
        cursor = max(cursor, cut_end)
    out += _trimmed(text, cursor, body.end)
    return out


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return []
    stop = end
    while text[stop - 1].isspace():
        stop -= 1
    stripped = text[first.start() : stop]
    marker = "\n" not in stripped and "\r" not in stripped and is_scene_marker(stripped)
    return [(first.start(), stop, marker)]


def _lines_are_paragraphs(text: str, start: int, end: int) -> bool:
    """Whether unbroken lines are paragraphs (most end a sentence) rather than hard wraps."""
    lines = [text[a:b] for a, b, _ in _limited_lines(text, start, end, 200)]
    if len(lines) < 3:
        return False
    ended = sum(1 for line in lines[:-1] if _LINE_END_PUNCT.search(line))
    return ended * 2 >= len(lines) - 1


def _limited_lines(text: str, start: int, end: int, limit: int) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    pos = start
    while pos < end and len(out) < limit:
        brk = _LINE_BREAK.search(text, pos, end)
        stop = brk.start() if brk else end
        out.append((pos, stop, brk.end() if brk else end))
        pos = brk.end() if brk else end
    return out


# --- paragraph -> pieces -------------------------------------------------------------


def _link_run_on(
    text: str, pieces: list[_Piece], start: int, end: int, style: QuoteStyle | None
) -> None:
    """Keep the previous paragraph's unclosed speech ``run_on`` only if this one reopens it.

    ``style`` is None for what cannot reopen a quote (a scene break, the chapter's end).
    """
    if not pieces or not pieces[-1].run_on:
        return
    pieces[-1].run_on = style is not None and opens_quote(text, start, end, style)


def _paragraph_pieces(
    text: str, start: int, end: int, style: QuoteStyle, number: int
) -> list[_Piece]:
    """Narration and dialogue pieces of one paragraph, in order.

    A dialogue piece runs from its opening mark through its closing mark; an unclosed
    one ends where the next quote opens or at the paragraph's end (``run_on`` is set
    provisionally there; :func:`_link_run_on` keeps it only if the next paragraph
    opens a quote).
    """
    pieces: list[_Piece] = []
    cursor = start
    for q_start, q_end, closed in find_quotes(text, start, end, style):
        if q_start > cursor:
            pieces += _narration(text, cursor, q_start, number)
        stop = q_end
        while not closed and text[stop - 1].isspace():
            stop -= 1
        skip = [(q_start, q_start + 1)] + ([(q_end - 1, q_end)] if closed else [])
        piece = _Piece(q_start, stop, Kind.DIALOGUE, number, skip)
        piece.speakable = _has_word(text, piece)
        piece.run_on = not closed and q_end == end
        pieces.append(piece)
        cursor = q_end
    if cursor < end:
        pieces += _narration(text, cursor, end, number)
    return pieces


def _narration(text: str, start: int, end: int, number: int) -> list[_Piece]:
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return []
    stop = end
    while text[stop - 1].isspace():
        stop -= 1
    piece = _Piece(first.start(), stop, Kind.NARRATION, number)
    piece.speakable = _has_word(text, piece)
    return [piece]


# --- pieces -> segments -----------------------------------------------------------


def _has_word(text: str, piece: _Piece) -> bool:
    """Whether the piece's spoken part has a letter or digit."""
    pos = piece.start
    for a, b in piece.skip:
        if a > pos and WORD.search(text, pos, a):
            return True
        pos = max(pos, b)
    return pos < piece.end and WORD.search(text, pos, piece.end) is not None


def _absorb(text: str, pieces: list[_Piece]) -> list[_Piece]:
    """Merge pieces with nothing to say into the previous piece (or the next, at the start)."""
    out: list[_Piece] = []
    pending: list[_Piece] = []
    for piece in pieces:
        if not piece.speakable:
            if out:
                _extend(out[-1], piece)
            else:
                pending.append(piece)
            continue
        for early in reversed(pending):  # leading "..." or "* * *": the first words take it
            piece.skip[:0] = early.skip
            piece.start = early.start
        pending = []
        out.append(piece)
    return out


def _extend(piece: _Piece, tail: _Piece) -> None:
    piece.end = tail.end
    piece.skip += tail.skip


def _spoken(text: str, piece: _Piece) -> str:
    """The words to say: the visible text minus skipped ranges, markup and extra spaces."""
    if piece.spoken is not None:
        return piece.spoken
    parts: list[str] = []
    pos = piece.start
    for a, b in piece.skip:
        if a > pos:
            parts.append(text[pos : min(a, piece.end)])
        pos = max(pos, b)
    if pos < piece.end:
        parts.append(text[pos : piece.end])
    raw = "".join(parts)
    if _CONTROL.search(raw):
        raw = _CONTROL.sub(" ", raw)
    if "*" in raw or "_" in raw:
        raw = _EMPHASIS.sub("", raw)
    words = " ".join(raw.translate(_NOT_SPOKEN).split())
    return _MD_PREFIX.sub("", words) if words.startswith("#") else words


def _split_long(text: str, piece: _Piece) -> list[_Piece]:
    """Split a piece whose spoken text is over :data:`MAX_CHARS` at sentence, clause or space."""
    if piece.spoken is not None:
        return [piece]
    said = _spoken(text, piece)
    if len(said) <= MAX_CHARS:
        piece.spoken = said  # final: keep it rather than build it again
        return [piece]
    chunks: list[_Piece] = []
    start = piece.start
    for cut in [*cut_points(text, piece.start, piece.end), piece.end]:
        if cut <= start:
            continue
        skip = [(max(a, start), min(b, cut)) for a, b in piece.skip if a < cut and b > start]
        chunk = _Piece(start, cut, piece.kind, piece.paragraph, skip, split=bool(chunks))
        chunk.speakable = _has_word(text, chunk)
        if chunks and not chunk.speakable:
            _extend(chunks[-1], chunk)
        elif chunks and not chunks[-1].speakable:
            chunk.start, chunk.skip, chunk.split = chunks[-1].start, chunks[-1].skip + skip, False
            chunks[-1] = chunk
        else:
            chunks.append(chunk)
        nxt = _NON_SPACE.search(text, cut, piece.end)
        start = nxt.start() if nxt else piece.end
    chunks[0].split = piece.split
    chunks[-1].run_on = piece.run_on
    return chunks


def _segments(text: str, chapter: Chapter, pieces: list[_Piece]) -> tuple[Segment, ...]:
    """Turn pieces into segments: spans from consecutive starts, pauses, dense paragraphs."""
    span = chapter.span
    starts = [span.start] + [p.start for p in pieces[1:]]
    ends = [*starts[1:], span.end]
    paragraphs: dict[int, int] = {}
    spoken = [_spoken(text, p) for p in pieces]
    pauses = _pauses(spoken, pieces, _scene_pieces(chapter.scene_breaks, starts, pieces))
    out: list[Segment] = []
    for i, piece in enumerate(pieces):
        narration = piece.kind is Kind.NARRATION
        out.append(
            Segment(
                chapter=chapter.index,
                start=starts[i],
                end=ends[i],
                kind=piece.kind,
                text=spoken[i],
                paragraph=paragraphs.setdefault(piece.paragraph, len(paragraphs)),
                pause_after=pauses[i],
                speaker=NARRATOR if narration else None,
                confidence=1.0 if narration else 0.0,
                run_on=piece.run_on,
                split=piece.split,
                heading=piece.heading,
            )
        )
    return tuple(out)


def _pauses(spoken: list[str], pieces: list[_Piece], scene: set[int]) -> list[Pause]:
    """The pause after each piece; ``scene`` holds the indexes a scene break follows."""
    out: list[Pause] = []
    for i, piece in enumerate(pieces):
        last_in_paragraph = i + 1 == len(pieces) or pieces[i + 1].paragraph != piece.paragraph
        out.append(_pause(spoken[i], last_in_paragraph, i in scene, piece.heading))
    return out


def _scene_pieces(breaks: tuple[Span, ...], starts: list[int], pieces: list[_Piece]) -> set[int]:
    """Indexes of the pieces that a scene break follows (not the chapter's last piece)."""
    found = set()
    for brk in breaks:
        i = bisect.bisect_right(starts, brk.start) - 1
        if 0 <= i < len(pieces) - 1 and not pieces[i].heading:
            found.add(i)
    return found


def _pause(spoken: str, last_in_paragraph: bool, scene: bool, heading: bool) -> Pause:
    """Scene, paragraph, else clause or sentence by the last mark said, else none."""
    if scene:
        return Pause.SCENE
    if last_in_paragraph or heading:
        return Pause.PARAGRAPH
    tail = spoken.rstrip(_TRAILING_MARKUP)[-1:]
    if tail in (",", ";", ":", "-", "—", "–"):
        return Pause.CLAUSE
    if tail in (".", "!", "?", "…"):
        return Pause.SENTENCE
    return Pause.NONE
