"""Segmentation: a chapter's text -> narration and dialogue segments that tile it.

Contract (checked by property tests): the segments of a chapter tile ``chapter.span``
exactly, in order, with no empty span, and every :attr:`Segment.text` - the spoken
words: delimiting quote marks, scene markers and emphasis markup removed, whitespace
collapsed - holds at least one letter or digit. Pieces with nothing to say (``...``,
``* * *``, a lone dash) are absorbed by a neighbour. Everything is linear in the text.
"""

from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass, field
from enum import StrEnum

from audiobook.script.model import NARRATOR, Kind, Pause, Segment
from audiobook.text.chapters import WORD, is_scene_marker
from audiobook.text.model import Book, Chapter, Span

MAX_CHARS = 600  # longer spoken pieces are split (engines choke on long inputs)


class QuoteStyle(StrEnum):
    """Which quotation marks delimit speech in a book."""

    STRAIGHT_DOUBLE = "straight-double"  # "..."
    CURLY_DOUBLE = "curly-double"  # “...”
    CURLY_SINGLE = "curly-single"  # ‘...’ (British)
    STRAIGHT_SINGLE = "straight-single"  # '...'

    @property
    def single(self) -> bool:
        return self in (QuoteStyle.CURLY_SINGLE, QuoteStyle.STRAIGHT_SINGLE)


# Marks looked at per style: the other double shapes too (books mix " and “ ”); for
# curly single, straight ' is left alone - there it is an apostrophe.
_MARKS = {
    QuoteStyle.STRAIGHT_DOUBLE: re.compile(r"[\"“”]"),
    QuoteStyle.CURLY_DOUBLE: re.compile(r"[\"“”]"),
    QuoteStyle.CURLY_SINGLE: re.compile(r"[‘’]"),
    QuoteStyle.STRAIGHT_SINGLE: re.compile(r"['‘’]"),
}
_OPEN_SHAPES, _CLOSE_SHAPES = "“‘", "”’"
_QUOTE_CHARS = "\"'“”‘’«»„‚"
_BEFORE_OPENING = set("([{<—–-/*_" + _QUOTE_CHARS)  # may stand right before an opening mark
_AFTER_CLOSING = set(".,;:!?)]}>…—–-/*_" + _QUOTE_CHARS)  # may stand right after a closing one
# Words that start with an apostrophe ('tis, 'em, 'cause) and years ('95).
_ELISION = re.compile(
    r"(?:tis|twas|twere|til|till|em|cause|cos|coz|bout|round|nuff|fraid|scuse|kay|cept|neath"
    r"|gainst|twixt|mongst|im|er|ere|e|ow|ave|n|ello|alf|ome|ead|un|uns)(?![^\W\d_])|\d\d(?:s\b|\b)",
    re.IGNORECASE,
)
_SINGLE_OPENING = re.compile(  # for style detection: ' or ‘ opening a word, not an elision
    r"(?:^|[\s(\[—–-])['‘](?!(?:tis|twas|til|em|cause|cos|bout|round|n|\d\d)(?![^\W\d_]))[^\W\d_]",
    re.IGNORECASE | re.MULTILINE,
)
_OPEN, _CLOSE, _BOTH, _NEITHER = 1, 2, 3, 0
_SPACED_APOSTROPHES = {" '", " ‘", " ’"}

# A line break, then one or more blank lines; "\r(?!\n)" keeps one CRLF from counting as two.
_BLANK_SEP = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?:[^\S\r\n]*(?:\r\n|\r(?!\n)|\n))+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_END_PUNCT = re.compile(r"[.!?:…\"'”’)\]*_—-]\s*$")
_NON_SPACE = re.compile(r"\S")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_EMPHASIS = re.compile(r"(?<![\w*])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_])[*_]{1,3}(?![\w*])")
_MD_PREFIX = re.compile(r"^#{1,6}\s+")
_SENTENCE_CUT = re.compile(r"[.!?…]+[\"'”’)\]*_]*(?=\s)")
_CLAUSE_CUT = re.compile(r"(?:[,;:]|--|[—–])[\"'”’)\]*_]*(?=\s)")
_SPACE_RUN = re.compile(r"\s+")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Mx|Dr|St|Jr|Sr|Prof|Capt|Col|Gen|Lt|Sgt|Cpl|Rev|Hon|Mt|Ft|Gov|Pres"
    r"|Sen|Rep|Messrs|Mme|Mlle|Mssrs|vs|viz|cf|Fr|No|Vol|Ch|pp)|\b[A-Z]|\be\.g|\bi\.e|\ba\.m|\bp\.m)$"
)
_EMBEDDED_WORDS, _EMBEDDED_CHARS = 4, 60
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_SPEECH_WORDS = frozenset(
    """said says say saying asked asks replied replies cried cries answered shouted whispered
    murmured exclaimed added continued began repeated reiterated muttered yelled screamed
    shouting sang laughed sighed snapped returned echoed declared observed remarked rejoined
    he she i they we you it""".split()  # noqa: SIM905
)
_NOT_SPOKEN = str.maketrans("", "", '"“”„«»')  # double quote marks; single ones may be apostrophes
_TRAILING_MARKUP = "\"'“”‘’)]*_ "


def detect_quote_style(text: str) -> QuoteStyle:
    """The book's speech marks, from counts: double quotes win when both are frequent."""
    curly = text.count("“") + text.count("”")
    straight = text.count('"')
    curly_single = text.count("‘")
    single_opens = len(_SINGLE_OPENING.findall(text))
    if single_opens > (curly + straight):  # opening singles outnumber double *pairs* twice
        return (
            QuoteStyle.CURLY_SINGLE
            if curly_single * 2 >= single_opens
            else QuoteStyle.STRAIGHT_SINGLE
        )
    return QuoteStyle.CURLY_DOUBLE if curly > straight else QuoteStyle.STRAIGHT_DOUBLE


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


# --- quotes -------------------------------------------------------------------------


def _link_run_on(
    text: str, pieces: list[_Piece], start: int, end: int, style: QuoteStyle | None
) -> None:
    """Keep the previous paragraph's unclosed speech ``run_on`` only if this one reopens it.

    ``style`` is None for what cannot reopen a quote (a scene break, the chapter's end).
    """
    if not pieces or not pieces[-1].run_on:
        return
    reopens = style is not None and _MARKS[style].match(text, start) is not None
    pieces[-1].run_on = reopens and _mark_type(text, start, start, end) != _CLOSE


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
    for q_start, q_end, closed in _quotes(text, start, end, style):
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


def _quotes(text: str, start: int, end: int, style: QuoteStyle) -> list[tuple[int, int, bool]]:
    """Quoted ranges of a paragraph as (opening mark, one past the end, closed)."""
    marks = _classify(text, start, end, style)
    later_close = [False] * len(marks)
    seen = False
    for k in range(len(marks) - 1, -1, -1):
        later_close[k] = seen
        seen = marks[k][1] != _OPEN  # a strict opener ends the search for a later close
    quotes: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for k, (pos, typ, ambiguous) in enumerate(marks):
        if open_at is None:
            if typ != _CLOSE:  # a closing mark with nothing open is narration text
                open_at = pos
        elif typ == _OPEN:  # a new quote opens: the last one was never closed
            quotes.append((open_at, pos, False))
            open_at = pos
        elif not (ambiguous and later_close[k]):
            quotes.append((open_at, pos + 1, True))
            open_at = None
    if open_at is not None:  # closed at the latest at the paragraph's end
        quotes.append((open_at, end, False))
    return [q for q in quotes if not _embedded(text, q, start)]


def _embedded(text: str, quote: tuple[int, int, bool], para_start: int) -> bool:
    """A few quoted words inside a sentence (``the "trend" of``): a term, not speech.

    Speech after a word is kept when that word is a speech verb or a pronoun
    (``he said "No" and left``).
    """
    q_start, q_end, closed = quote
    if not closed or q_end - q_start > _EMBEDDED_CHARS:
        return False
    if len(text[q_start + 1 : q_end - 1].split()) > _EMBEDDED_WORDS:
        return False
    k = q_start - 1
    while k >= para_start and text[k].isspace():
        k -= 1
    if k < para_start or not text[k].isalnum():
        return False
    word = _WORD_BEFORE.search(text, max(para_start, k - 20), k + 1)
    return word is None or word.group().lower() not in _SPEECH_WORDS


def _classify(text: str, start: int, end: int, style: QuoteStyle) -> list[tuple[int, int, bool]]:
    """Candidate marks as (position, type, ambiguous); apostrophes are left out.

    ``ambiguous`` marks a single-quote close that may be an apostrophe (``the boys' car``,
    ``goin' home``): it closes only if no later mark in the paragraph could.
    """
    marks: list[tuple[int, int, bool]] = []
    inside = False
    for match in _MARKS[style].finditer(text, start, end):
        pos = match.start()
        typ = _mark_type(text, pos, start, end)
        ambiguous = False
        if style.single:
            before = text[pos - 1] if pos > start else " "
            after = text[pos + 1] if pos + 1 < end else " "
            if before.isalnum() and after.isalnum():
                continue  # don't, Willow's
            if typ != _CLOSE and _is_elision(text, pos + 1, end, inside):
                continue  # 'tis, 'em, 'cause, '95
            if before == "n" and text[pos - 3 : pos - 1] in _SPACED_APOSTROPHES:
                continue  # the second mark of rock 'n' roll
            ambiguous = typ == _CLOSE and before.isalpha() and after.isspace()
        marks.append((pos, typ, ambiguous))
        inside = (typ != _CLOSE) if not inside else typ == _OPEN
    return marks


def _is_elision(text: str, pos: int, end: int, inside: bool) -> bool:
    """An apostrophe starting a word: lowercase always; capitalised only inside a quote."""
    match = _ELISION.match(text, pos, end)
    if match is None:
        return False
    return inside or not text[pos].isupper()


def _mark_type(text: str, pos: int, start: int, end: int) -> int:
    """Whether the mark at ``pos`` opens, closes, may do both, or neither, by shape and context."""
    before = text[pos - 1] if pos > start else " "
    after = text[pos + 1] if pos + 1 < end else " "
    opener = (before.isspace() or before in _BEFORE_OPENING) and not after.isspace()
    closer = not before.isspace() and (after.isspace() or after in _AFTER_CLOSING)
    mark = text[pos]
    if mark in _OPEN_SHAPES:
        return _CLOSE if closer and not opener else _OPEN
    if mark in _CLOSE_SHAPES:
        return _OPEN if opener and not closer else _CLOSE
    return (_OPEN if opener else 0) | (_CLOSE if closer else 0)


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
    for cut in [*_cut_points(text, piece.start, piece.end), piece.end]:
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


def _cut_points(text: str, start: int, end: int) -> list[int]:
    """Where to end chunks of ``text[start:end]`` so each is at most MAX_CHARS long."""
    sentences = [
        m.end()
        for m in _SENTENCE_CUT.finditer(text, start, end)
        if m.group() != "." or not _ABBREVIATION.search(text, max(start, m.start() - 10), m.start())
    ]
    clauses = [m.end() for m in _CLAUSE_CUT.finditer(text, start, end)]
    spaces = [m.start() for m in _SPACE_RUN.finditer(text, start, end)]
    cuts: list[int] = []
    pos = start
    while end - pos > MAX_CHARS:
        limit = pos + MAX_CHARS
        cut = _best_cut((sentences, clauses, spaces), pos, limit)
        cuts.append(cut)
        nxt = _NON_SPACE.search(text, cut, end)
        if nxt is None:
            break
        pos = nxt.start()
    return cuts


def _best_cut(kinds: tuple[list[int], ...], pos: int, limit: int) -> int:
    """The latest sentence end, else clause end, else space in a chunk that is not tiny."""
    for low in (pos + MAX_CHARS // 4, pos + 1):
        for bounds in kinds:
            cut = _last(bounds, low, limit)
            if cut is not None:
                return cut
    return limit  # one long "word": cut it hard


def _last(bounds: list[int], low: int, high: int) -> int | None:
    """The last boundary in ``[low, high]``, if any."""
    i = bisect.bisect_right(bounds, high) - 1
    return bounds[i] if i >= 0 and bounds[i] >= low else None


def _segments(text: str, chapter: Chapter, pieces: list[_Piece]) -> tuple[Segment, ...]:
    """Turn pieces into segments: spans from consecutive starts, pauses, dense paragraphs."""
    span = chapter.span
    starts = [span.start] + [p.start for p in pieces[1:]]
    ends = [*starts[1:], span.end]
    paragraphs: dict[int, int] = {}
    spoken = [_spoken(text, p) for p in pieces]
    scene = _scene_pieces(chapter.scene_breaks, starts, pieces)
    out: list[Segment] = []
    for i, piece in enumerate(pieces):
        paragraph = paragraphs.setdefault(piece.paragraph, len(paragraphs))
        last_in_paragraph = i + 1 == len(pieces) or pieces[i + 1].paragraph != piece.paragraph
        narration = piece.kind is Kind.NARRATION
        out.append(
            Segment(
                chapter=chapter.index,
                start=starts[i],
                end=ends[i],
                kind=piece.kind,
                text=spoken[i],
                paragraph=paragraph,
                pause_after=_pause(spoken[i], last_in_paragraph, i in scene, piece.heading),
                speaker=NARRATOR if narration else None,
                confidence=1.0 if narration else 0.0,
                run_on=piece.run_on,
                split=piece.split,
                heading=piece.heading,
            )
        )
    return tuple(out)


def _scene_pieces(breaks: tuple[Span, ...], starts: list[int], pieces: list[_Piece]) -> set[int]:
    """Indexes of the pieces that a scene break follows (not the chapter's last piece)."""
    found = set()
    for brk in breaks:
        i = bisect.bisect_right(starts, brk.start) - 1
        if 0 <= i < len(pieces) - 1 and not pieces[i].heading:
            found.add(i)
    return found


def _pause(spoken: str, last_in_paragraph: bool, scene: bool, heading: bool) -> Pause:
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
