"""Splitting a chapter that is too long for one file (retailers: 120 minutes at most).

The split is made after synthesis, when every piece's length is known, and only between
pieces: at a scene break when one falls in the second half of a part, else at the last
paragraph end, else after the last sentence that fits. A part is never empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from audiobook.audio.stitch import PauseTimes
from audiobook.script.model import Pause

_PAUSES = PauseTimes()
_PREFERENCE = (Pause.SCENE, Pause.PARAGRAPH)  # where a cut should fall, best first


def split_parts(
    pieces: Sequence[tuple[float, Pause]],
    max_seconds: float | None,
    pauses: PauseTimes = _PAUSES,
) -> list[tuple[int, int]]:
    """``[start, end)`` index ranges of ``pieces`` (seconds, pause after) for each file.

    Each range's estimated length (lead-in, pieces, their pauses, tail) stays within
    ``max_seconds`` unless a single piece is longer than that on its own. ``None`` or
    an empty chapter gives one range.
    """
    if max_seconds is None or not pieces:
        return [(0, len(pieces))]
    frame = (pauses.lead_in + pauses.tail) / 1000
    ranges: list[tuple[int, int]] = []
    start, used = 0, frame
    for i, (seconds, pause) in enumerate(pieces):
        length = seconds + pauses.after(pause) / 1000
        if used + seconds > max_seconds and i > start:
            cut = _best_cut(pieces, start, i, max_seconds, frame)
            ranges.append((start, cut))
            used = frame + sum(s + pauses.after(p) / 1000 for s, p in pieces[cut:i])
            start = cut
        used += length
    ranges.append((start, len(pieces)))
    return ranges


def _best_cut(
    pieces: Sequence[tuple[float, Pause]], start: int, stop: int, limit: float, frame: float
) -> int:
    """Index to cut before, in ``(start, stop]``: a scene or paragraph break past halfway."""
    elapsed = frame
    ends: list[tuple[int, float, Pause]] = []  # (cut index, time at the cut, pause there)
    for i in range(start, stop):
        elapsed += pieces[i][0]
        ends.append((i + 1, elapsed, pieces[i][1]))
    for wanted in _PREFERENCE:
        for cut, at, pause in reversed(ends):
            if pause is wanted and at >= limit / 2:
                return cut
    return stop
