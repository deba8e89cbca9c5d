"""What a made book ships besides its chapter MP3s, and the per-file extras built from timings.

The pipeline writes each chapter file; this module turns the timed segments of a file
into its lyrics text, its chapter markers (one per scene) and its transcript cues, and
when every chapter is written adds the book-level files: ``cover.jpg``, the ``.m3u8``
playlist and, when asked, the ``.m4b``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from audiobook.audio.profiles import DEFAULT_PROFILE
from audiobook.publish.cover import draw_cover, load_cover
from audiobook.publish.feed import COVER_NAME
from audiobook.publish.files import atomic_write, safe_name
from audiobook.publish.m4b import BookInfo, Part, write_m4b
from audiobook.publish.playlist import Entry, write_playlist
from audiobook.publish.tags import Marker, Picture, iso639_2
from audiobook.publish.transcripts import Cue
from audiobook.script.model import NARRATOR, Pause, Segment
from audiobook.text.model import BookMeta

if TYPE_CHECKING:
    from audiobook.pipeline import ChapterFile, Timed

_LOGGER = logging.getLogger(__name__)

_MARKER_WORDS = 6  # words of a scene's first line in its marker title


@dataclass(frozen=True)
class Release:
    """How ``make`` finishes a book (the ``make`` options beyond the cast and engine)."""

    profile: str = DEFAULT_PROFILE  # mastering profile: "audiobook" (ACX) or "podcast"
    cover: Path | None = None  # the user's cover image; None draws one from title and author
    credits: bool = False  # speak opening and closing credits
    m4b: bool = False  # also write one .m4b of the whole book
    transcripts: bool = True  # .vtt and .srt beside each chapter file
    playlist: bool = True  # an .m3u8 of the chapter files


def book_cover(meta: BookMeta, image: Path | None) -> Picture:
    """The user's image fitted as a cover, or one drawn from the title and author."""
    return load_cover(image) if image is not None else draw_cover(meta.title, meta.author)


def is_credit(seg: Segment) -> bool:
    """Credits are the only segments with an empty span (see :mod:`.credits`)."""
    return seg.start == seg.end


def speaker_label(seg: Segment) -> str:
    """The name a transcript shows for ``seg``'s speaker."""
    if seg.speaker == NARRATOR:
        return "Narrator"
    return seg.speaker or "Unknown"


def cues(timed: Sequence[Timed]) -> list[Cue]:
    """One transcript cue per timed segment, at its time in the file."""
    return [Cue(t.t_start, t.t_end, speaker_label(t.segment), t.segment.text) for t in timed]


def lyrics(segments: Sequence[Segment]) -> str:
    """The spoken text of a file: a segment's words, paragraphs separated by blank lines."""
    paragraphs: list[list[str]] = []
    last: tuple[int, int] | None = None
    for seg in segments:
        key = (seg.chapter, seg.paragraph)
        if key != last or is_credit(seg) or seg.heading:
            paragraphs.append([])
        paragraphs[-1].append(seg.text)
        last = key if not (is_credit(seg) or seg.heading) else None
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def markers(timed: Sequence[Timed], title: str, seconds: float) -> tuple[Marker, ...]:
    """Chapter markers of a file of ``seconds``: its start, and each scene after a break.

    A marker starts halfway through the pause before its first line, so skipping to
    it lands in silence. Credits get a marker of their own.
    """
    starts: list[tuple[float, str]] = [(0.0, "Credits" if timed and is_credit(timed[0].segment)
                                        else title)]  # fmt: skip
    scene = 1
    for before, after in pairwise(timed):
        if before.segment.pause_after is not Pause.SCENE and not is_credit(before.segment):
            continue
        at = (before.t_end + after.t_start) / 2
        if is_credit(after.segment):
            name = "Credits"
        elif is_credit(before.segment):
            name = title
        else:
            scene += 1
            words = after.segment.text.split()
            name = f"Scene {scene}: " + " ".join(words[:_MARKER_WORDS])
            name += "…" if len(words) > _MARKER_WORDS else ""
        starts.append((at, name))
    end_ms = int(seconds * 1000)
    ms = [min(round(at * 1000), end_ms) for at, _ in starts] + [end_ms]
    return tuple(
        Marker(ms[i], ms[i + 1], name) for i, (_, name) in enumerate(starts) if ms[i] < ms[i + 1]
    )


def finish_book(
    folder: Path,
    meta: BookMeta,
    files: Sequence[ChapterFile],
    cover: Picture,
    release: Release,
    narrator: str,
) -> list[Path]:
    """Write ``cover.jpg``, the playlist and (if asked) the M4B; return what was written."""
    written = [folder / COVER_NAME]
    with atomic_write(written[0]) as handle:
        handle.write(cover.data)
    author = meta.author or "Unknown"
    if release.playlist:
        entries = [Entry(f.path, f.seconds, f.title) for f in files]
        path = folder / f"{safe_name(meta.title)}.m3u8"
        written.append(write_playlist(path, entries, title=meta.title, artist=author))
    if release.m4b:
        info = BookInfo(
            title=meta.title,
            author=author,
            narrator=narrator,
            year=meta.year,
            language=iso639_2(meta.language),
            comment="Produced with audiobook",
        )
        parts = [Part(f.path, f.title, f.seconds) for f in files]
        written.append(write_m4b(folder / f"{safe_name(meta.title)}.m4b", parts, info, cover))
    return written
