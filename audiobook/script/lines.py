"""Lines of an editable script: the attributed book as a person reads and corrects it.

A :class:`Line` is one segment as ``story.script.yaml`` shows it (see
:mod:`audiobook.script.scriptfile` for the file itself). Two small hashes make edits
safe to carry across a new analysis:

- ``id``: a hash of the line's *source* text (whitespace collapsed), so the same words
  keep the same id however the story changes around them; repeats of one text in the
  book get ``-2``, ``-3``... in reading order. The part before the dash is the line's
  text anchor, which ``audiobook script --update`` matches on.
- ``auto``: a checksum of the values the analysis wrote (kind, speaker, pause, style,
  spoken text). A line whose values no longer match it was changed by the user.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from audiobook.engines.base import has_words
from audiobook.script.model import NARRATOR, Kind, Pause, Segment, Style

if TYPE_CHECKING:
    from audiobook.cast.assign import Casting
    from audiobook.script.analyse import Script

LOW_CONFIDENCE = 0.7  # under this, a line is worth a person's look (about 1 in 3 is wrong)
UNKNOWN = "?"  # how a file writes "nobody could be named"
_ID_CHARS = 7  # letters in an anchor: 33 bits; two lines of a long book rarely share one
_AUTO_CHARS = 4
_WORD = re.compile(r"\w+")


class LineKind(StrEnum):
    """What a line is: the chapter heading, narration or dialogue."""

    HEADING = "heading"
    NARRATION = "narration"
    DIALOGUE = "dialogue"


@dataclass(frozen=True)
class Line:
    """One line of an editable script."""

    id: str  # anchor hash of the source text, with "-N" for the N-th repeat
    chapter: int  # 1-based chapter index
    kind: LineKind
    speaker: str | None  # NARRATOR, a character's name, or None (nobody could be named)
    text: str  # the words spoken; may differ from the source (spellings for speech)
    start: int  # offset into Book.text of the line's source span
    end: int  # one past the span's end
    pause: Pause = Pause.SENTENCE  # the break after the line
    style: Style | None = None
    confidence: float = 1.0  # how sure attribution was, 0..1
    voice: str | None = None  # the voice that read it when the file was written (for reading)
    auto: str | None = None  # checksum of what the analysis wrote; None when unknown
    row: int = 0  # line number in the file it was read from (0: generated)

    @property
    def anchor(self) -> str:
        """The text anchor: the id without its repeat number."""
        return self.id.partition("-")[0]

    @property
    def edited(self) -> bool:
        """True when the user changed what the analysis wrote (or removed ``auto``)."""
        return self.auto != checksum(self)


def _letters(data: str, chars: int) -> str:
    """``chars`` lowercase letters from a hash of ``data``: always a plain word in YAML."""
    digest = hashlib.sha1(data.encode("utf-8", "surrogatepass"), usedforsecurity=False).digest()
    number = int.from_bytes(digest, "big")
    out = []
    for _ in range(chars):
        number, digit = divmod(number, 26)
        out.append(chr(ord("a") + digit))
    return "".join(out)


def anchor_of(source: str) -> str:
    """The text anchor of a line whose source text is ``source``."""
    return _letters(" ".join(source.split()), _ID_CHARS)


def checksum(line: Line) -> str:
    """What the user may edit in ``line``, hashed (compared with ``line.auto``)."""
    values = (line.kind, line.speaker or "", line.pause, line.style or "", line.text)
    return _letters("\x1f".join(values), _AUTO_CHARS)


def number_ids(anchors: Iterable[str]) -> list[str]:
    """Ids for lines with these anchors, in order: repeats get ``-2``, ``-3``..."""
    seen: Counter[str] = Counter()
    ids = []
    for anchor in anchors:
        seen[anchor] += 1
        ids.append(anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}")
    return ids


def segment_anchor(text: str, seg: Segment) -> str:
    """A segment's anchor: its source text, or its spoken text when it has no span."""
    return anchor_of(text[seg.start : seg.end] if seg.end > seg.start else seg.text)


def line_ids(text: str, segments: Sequence[Segment]) -> list[str]:
    """The id of each of ``segments`` (of a book whose text is ``text``)."""
    return number_ids(segment_anchor(text, s) for s in segments)


def _kind(seg: Segment) -> LineKind:
    if seg.heading:
        return LineKind.HEADING
    return LineKind.DIALOGUE if seg.is_dialogue else LineKind.NARRATION


def script_lines(script: Script, casting: Casting | None = None) -> tuple[Line, ...]:
    """The lines of ``script``, as the analysis (and ``casting``) decided them."""
    ids = line_ids(script.book.text, script.segments)
    lines = []
    for line_id, seg in zip(ids, script.segments, strict=True):
        voice = casting.voice_for(seg.speaker).id if casting else None
        line = Line(
            line_id, seg.chapter, _kind(seg), seg.speaker, seg.text, seg.start, seg.end,
            seg.pause_after, seg.style, seg.confidence, voice,
        )  # fmt: skip
        lines.append(stamped(line))
    return tuple(lines)


def stamped(line: Line) -> Line:
    """``line`` with ``auto`` set to its own values: as if the analysis wrote it."""
    return replace(line, auto=checksum(line))


def line_segments(
    lines: Sequence[Line], text: str, resolve: Callable[[str], str] = str
) -> tuple[Segment, ...]:
    """Segments to render ``lines`` of a book whose text is ``text``.

    Lines with no words to say are left out. Copies of one line (a split: the same
    id, one after the other) share its source span, cut where each copy's words are
    found. A narration line given a character's name becomes dialogue. Speakers pass
    through ``resolve`` (an alias to its character's name). Lines the user changed
    count as checked: confidence 1.
    """
    out: list[Segment] = []
    paragraph: dict[int, int] = {}
    for group in runs_by_id(lines):
        spans = _cut(text, group)
        for line, (start, end) in zip(group, spans, strict=True):
            if not has_words(line.text):
                continue
            speaker = line.speaker
            if speaker not in (None, NARRATOR):
                speaker = resolve(speaker)
            dialogue = line.kind is LineKind.DIALOGUE or speaker != NARRATOR
            number = paragraph.setdefault(line.chapter, 0)
            out.append(
                Segment(
                    chapter=line.chapter, start=start, end=end,
                    kind=Kind.DIALOGUE if dialogue else Kind.NARRATION,
                    text=" ".join(line.text.split()), paragraph=number, pause_after=line.pause,
                    speaker=speaker, confidence=1.0 if line.edited else line.confidence,
                    heading=line.kind is LineKind.HEADING, style=line.style,
                )
            )  # fmt: skip
            if line.pause in (Pause.PARAGRAPH, Pause.SCENE) or line.kind is LineKind.HEADING:
                paragraph[line.chapter] = number + 1
    return tuple(out)


def runs_by_id(lines: Sequence[Line]) -> list[list[Line]]:
    """Runs of consecutive lines with one id: a line and the copies it was split into."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and groups[-1][0].id == line.id:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _cut(text: str, group: Sequence[Line]) -> list[tuple[int, int]]:
    """Source spans for the copies of one split line: its span cut where each copy begins.

    A copy whose first words are not found in what is left of the span gets an empty
    span at its end.
    """
    start, end = group[0].start, group[0].end
    cuts = [start]
    for line in group[1:]:
        found = _find_words(text, line.text, cuts[-1] + 1, end)
        cuts.append(found if found is not None else end)
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], end], strict=True)]


def _find_words(text: str, said: str, start: int, end: int) -> int | None:
    """Where the first (up to three) words of ``said`` occur in ``text[start:end]``."""
    words = _WORD.findall(said)[:3]
    if not words or start >= end:
        return None
    pattern = re.compile(r"\W+".join(re.escape(w) for w in words))
    match = pattern.search(text, start, end)
    return match.start() if match else None
