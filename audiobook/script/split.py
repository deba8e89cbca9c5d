"""Length splitting: where to cut a stretch of text that is too long to speak in one go.

Speech engines choke on long inputs, so a spoken piece over :data:`MAX_CHARS` is cut at
the latest sentence end that leaves a chunk that is not tiny, else a clause end, else a
space, else hard. A full stop after a common abbreviation (``Mr.``, ``e.g.``, an initial)
does not end a sentence. Everything is linear in the text.
"""

from __future__ import annotations

import bisect
import re

MAX_CHARS = 600  # longer spoken pieces are split (engines choke on long inputs)

_NON_SPACE = re.compile(r"\S")
_SENTENCE_CUT = re.compile(r"[.!?…]+[\"'”’)\]*_]*(?=\s)")
_CLAUSE_CUT = re.compile(r"(?:[,;:]|--|[—–])[\"'”’)\]*_]*(?=\s)")
_SPACE_RUN = re.compile(r"\s+")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Mx|Dr|St|Jr|Sr|Prof|Capt|Col|Gen|Lt|Sgt|Cpl|Rev|Hon|Mt|Ft|Gov|Pres"
    r"|Sen|Rep|Messrs|Mme|Mlle|Mssrs|vs|viz|cf|Fr|No|Vol|Ch|pp)|\b[A-Z]|\be\.g|\bi\.e|\ba\.m|\bp\.m)$"
)


def cut_points(text: str, start: int, end: int) -> list[int]:
    """Where to end chunks of ``text[start:end]`` so each is at most MAX_CHARS long.

    Each cut is an offset in ``(start, end)``; the next chunk starts at the first
    non-space character after it. Returns ``[]`` when the text is short enough.
    """
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
