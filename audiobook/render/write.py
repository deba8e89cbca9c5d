"""Writing one chapter's files from cached segment audio: split, stitch, master, encode, tag.

Only one file's audio is in memory at a time: a chapter's parts are cut from the
segments' cached lengths (:func:`audiobook.audio.parts.split_parts`) before any audio
is loaded, and each part loads its own segments. Every file is written under a
temporary name and measured before it takes its final name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from audiobook.audio.encode import MP3_DELAY_SAMPLES
from audiobook.audio.master import encode_checked
from audiobook.audio.mpeg import read_format
from audiobook.audio.parts import split_parts
from audiobook.audio.profiles import Profile
from audiobook.audio.stitch import stitch
from audiobook.audio.styles import apply_style
from audiobook.engines.base import Audio
from audiobook.publish.check import FileReport, check_measured
from audiobook.publish.files import atomic_path, chapter_filename
from audiobook.publish.release import Release, cues, lyrics, markers
from audiobook.publish.tags import Picture, write_tags
from audiobook.publish.transcripts import write_transcripts
from audiobook.render.model import ChapterFile, Timed
from audiobook.render.plan import ChapterPlan, Item
from audiobook.render.state import FileState, file_digest
from audiobook.script.model import Pause

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Made:
    """A chapter file, written now or kept from an earlier run."""

    file: ChapterFile
    timed: tuple[Timed, ...]
    state: FileState


@dataclass(frozen=True)
class Output:
    """Where and how files are written: shared by every chapter of a book."""

    folder: Path
    profile: Profile
    cover: Picture
    release: Release
    total: int  # chapters in the book (for file names)


def part_title(title: str, part: int, parts: int) -> str:
    """``title``, or ``"title (part 2 of 3)"`` for a chapter split into several files."""
    return title if parts == 1 else f"{title} (part {part} of {parts})"


def write_chapter(
    plan: ChapterPlan,
    items: Sequence[tuple[Item, float]],
    load: Callable[[Item], Audio],
    out: Output,
) -> list[Made]:
    """Write the files of ``plan`` from ``items`` (each with its cached length in seconds).

    ``load`` returns an item's audio (from the cache). A chapter longer than the
    profile allows becomes several files.
    """
    limit = out.profile.max_minutes * 60 if out.profile.max_minutes is not None else None
    ranges = split_parts([(seconds, i.segment.pause_after) for i, seconds in items], limit)
    made = []
    for part, (lo, hi) in enumerate(ranges, start=1):
        title = part_title(plan.chapter.title, part, len(ranges))
        name = chapter_filename(plan.chapter.index, out.total, title)
        chosen = [item for item, _ in items[lo:hi]]
        pieces = [(apply_style(load(i), i.segment.style), i.segment.pause_after) for i in chosen]
        made.append(_write_file(out.folder / name, title, plan, chosen, pieces, out))
    return made


def _write_file(
    path: Path,
    title: str,
    plan: ChapterPlan,
    items: list[Item],
    pieces: list[tuple[Audio, Pause]],
    out: Output,
) -> Made:
    """Stitch, master, encode and tag one file; measure it; write its transcripts."""
    stitched = stitch(pieces, finish=False)
    del pieces
    delay = MP3_DELAY_SAMPLES / stitched.rate  # decoders start the audio this late
    placed = tuple(
        Timed(i.segment, i.voice, path.name, start + delay, end + delay)
        for i, (start, end) in zip(items, stitched.timings, strict=True)
    )
    tags = replace(plan.tags, title=title)
    with atomic_path(path) as tmp:
        levels = encode_checked(stitched.samples, stitched.rate, out.profile, tmp)
        del stitched
        marks = markers(placed, title, levels.seconds)
        full = replace(tags, lyrics=lyrics([i.segment for i in items]), cover=out.cover,
                       markers=marks)  # fmt: skip
        write_tags(tmp, full)
        fmt = read_format(tmp)
        digest = file_digest(tmp)
    if out.release.transcripts:
        write_transcripts(path, cues(placed))
    report = check_measured(path, fmt, levels, out.profile)
    timings = tuple((t.t_start, t.t_end) for t in placed)
    state = FileState(path.name, title, digest, fmt, levels, timings)
    return Made(ChapterFile(plan.chapter.index, title, path, levels.seconds, report), placed, state)


def kept_chapter(plan: ChapterPlan, files: Sequence[FileState], out: Output) -> list[Made]:
    """The files of an unchanged chapter, as an earlier run wrote them.

    Their timings are the recorded ones; transcripts are written again (cheap, and
    they may have been deleted).
    """
    made = []
    start = 0
    for state in files:
        count = len(state.timings)
        items = plan.items[start : start + count]
        start += count
        path = out.folder / state.name
        placed = tuple(
            Timed(i.segment, i.voice, state.name, a, b)
            for i, (a, b) in zip(items, state.timings, strict=True)
        )
        if out.release.transcripts:
            write_transcripts(path, cues(placed))
        report: FileReport = check_measured(path, state.format, state.levels, out.profile)
        chapter = ChapterFile(plan.chapter.index, state.title, path, state.levels.seconds, report)
        made.append(Made(chapter, placed, state))
    return made
