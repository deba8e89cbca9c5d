"""Quote detection: which marks delimit speech in a book, and where a paragraph's quotes are.

:func:`detect_quote_style` picks a book's :class:`QuoteStyle` once; :func:`find_quotes`
then finds the quoted ranges of one paragraph by the shape and context of each mark,
leaving apostrophes (``don't``, ``the boys'``, ``'tis``, ``'95``, ``rock 'n' roll``) and
a few quoted words inside a sentence (``the "trend" of``) out. Everything is linear in
the text.
"""

from __future__ import annotations

import re
from enum import StrEnum


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
_EMBEDDED_WORDS, _EMBEDDED_CHARS = 4, 60
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_SPEECH_WORDS = frozenset(
    """said says say saying asked asks replied replies cried cries answered shouted whispered
    murmured exclaimed added continued began repeated reiterated muttered yelled screamed
    shouting sang laughed sighed snapped returned echoed declared observed remarked rejoined
    he she i they we you it""".split()
)


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


def opens_quote(text: str, start: int, end: int, style: QuoteStyle) -> bool:
    """Whether the paragraph ``text[start:end]`` begins with a mark that opens a quote."""
    return _MARKS[style].match(text, start) is not None and (
        _mark_type(text, start, start, end) != _CLOSE
    )


def find_quotes(text: str, start: int, end: int, style: QuoteStyle) -> list[tuple[int, int, bool]]:
    """Quoted speech in the paragraph ``text[start:end]`` as (opening mark, stop, closed).

    ``stop`` is one past the closing mark; an unclosed quote stops where the next one
    opens, or at the paragraph's end. A few quoted words inside a sentence are left out.
    """
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
