"""Carry the user's corrections from an old script file onto a new analysis of the story.

Lines are matched by their text anchor (the id's hash of the source text), aligned as
sequences so repeated lines ("Yes.") pair up by position. A line the user changed is
a correction (so is a line split into copies, and lines merged away):

- its anchor is still in the story: the user's values stay, at the new offsets;
- its anchor is gone: the correction no longer applies; it is listed under
  ``dropped:`` in the new file and in the report, never silently lost.

Lines the user merged away (deleted) leave a gap in the old file's offsets; when the
new story has exactly as much text at that place, they stay merged. Lines nobody
touched take whatever the new analysis says.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from audiobook.script.lines import Line, runs_by_id
from audiobook.script.scriptfile import Dropped

GONE = "its text is no longer in the story"
_FIELDS = ("speaker", "text", "pause", "style", "kind")


@dataclass(frozen=True)
class Correction:
    """One user change, as the update report names it."""

    id: str  # the line's id (in the new file when kept, else in the old one)
    chapter: int
    what: str  # e.g. "speaker: Mara Quill", "text", "split in 2", "merged 1 line into it"


@dataclass(frozen=True)
class Merged:
    """The outcome of an update: the new lines and what happened to the user's changes."""

    lines: tuple[Line, ...]
    dropped: tuple[Dropped, ...]  # corrections that no longer apply (new ones first)
    kept: tuple[Correction, ...]
    lost: tuple[Correction, ...]  # the corrections in ``dropped`` that this update dropped


@dataclass(frozen=True)
class _Group:
    """An old line and the copies it was split into (consecutive lines with one id)."""

    lines: tuple[Line, ...]

    @property
    def anchor(self) -> str:
        return self.lines[0].anchor

    @property
    def edited(self) -> bool:
        return len(self.lines) > 1 or self.lines[0].edited


def _groups(lines: Sequence[Line]) -> list[_Group]:
    return [_Group(tuple(run)) for run in runs_by_id(lines)]


def merge(old: Sequence[Line], new: Sequence[Line], dropped: Sequence[Dropped] = ()) -> Merged:
    """``new`` (a fresh analysis, ``auto`` set) with the corrections made in ``old``."""
    groups = _groups(old)
    matcher = difflib.SequenceMatcher(
        None, [g.anchor for g in groups], [n.anchor for n in new], autojunk=False
    )
    out: list[Line] = []
    kept: list[Correction] = []
    lost: list[Dropped] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for group, line in zip(groups[i1:i2], new[j1:j2], strict=True):
                out += _carry(group, line, kept) if group.edited else [line]
            continue
        lost += [Dropped(ln, GONE) for g in groups[i1:i2] if g.edited for ln in g.lines]
        if op == "insert" and _merged_away(groups, i1, new, j1, j2):
            into = out[-1]
            kept.append(Correction(into.id, into.chapter, f"merged {j2 - j1} line(s) into it"))
            continue
        out += new[j1:j2]
    gone = tuple(Correction(d.line.id, d.line.chapter, _summary(d.line)) for d in lost)
    return Merged(tuple(out), (*lost, *dropped), tuple(kept), gone)


def _merged_away(groups: Sequence[_Group], i: int, new: Sequence[Line], j1: int, j2: int) -> bool:
    """Whether new lines ``j1:j2``, between old groups ``i-1`` and ``i``, fill a gap the
    user left there by deleting lines, with text of the same length."""
    if not 0 < i < len(groups) or j1 == 0 or j2 >= len(new):
        return False
    before, after = groups[i - 1].lines[0], groups[i].lines[0]
    if before.chapter != after.chapter or min(before.end, after.start) < 0:
        return False
    gap = after.start - before.end
    return gap > 0 and new[j2].start - new[j1 - 1].end == gap


def _carry(group: _Group, line: Line, kept: list[Correction]) -> list[Line]:
    """The user's version of ``line``: their values at the new line's id and offsets."""
    placed = [
        replace(old, id=line.id, chapter=line.chapter, start=line.start, end=line.end,
                auto=line.auto, voice=None, row=0)
        for old in group.lines
    ]  # fmt: skip
    if len(placed) > 1:
        kept.append(Correction(line.id, line.chapter, f"split in {len(placed)}"))
        return placed
    changed = [f for f in _FIELDS if getattr(placed[0], f) != getattr(line, f)]
    if not changed:
        return [line]  # the analysis now agrees with the user: nothing left to keep
    what = ", ".join(f"{f}: {_show(getattr(placed[0], f))}" if f != "text" else f for f in changed)
    kept.append(Correction(line.id, line.chapter, what))
    return placed


def _show(value: object) -> str:
    return "?" if value is None else str(value)


def _summary(line: Line) -> str:
    words = line.text.split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")
