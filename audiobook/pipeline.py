"""The whole job, stage by stage: load -> script -> cast -> synthesize -> stitch -> publish.

Each stage is a plain function passing frozen objects to the next; this module only
wires them together, owns the engines for the run, and reports progress.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from audiobook.audio.encode import MP3_DELAY_SAMPLES
from audiobook.audio.master import encode_checked
from audiobook.audio.mpeg import read_format
from audiobook.audio.parts import split_parts
from audiobook.audio.profiles import Profile, get_profile
from audiobook.audio.stitch import stitch
from audiobook.cast.assign import Casting, cast_voices
from audiobook.cast.config import CastConfig
from audiobook.cast.pronounce import book_lexicon
from audiobook.cast.studio import studio_cast
from audiobook.engines.base import Audio, Engine, Voice
from audiobook.engines.registry import create_engine
from audiobook.errors import EngineError, PartialFailure, SynthesisError
from audiobook.progress import Progress, Silent
from audiobook.publish.check import Check, FileReport, check_measured, check_set
from audiobook.publish.credits import narrator_credit, with_credits
from audiobook.publish.files import atomic_path, book_dirname, chapter_filename, ensure_dir
from audiobook.publish.release import Release, book_cover, cues, finish_book, lyrics, markers
from audiobook.publish.script_json import write_script_json
from audiobook.publish.tags import ChapterTags, Picture, write_tags
from audiobook.publish.transcripts import write_transcripts
from audiobook.script.analyse import Script, analyse
from audiobook.script.model import Pause, Segment
from audiobook.text.load import load_book
from audiobook.text.model import Chapter

_LOGGER = logging.getLogger(__name__)

RETRIES = 1  # extra attempts for a segment whose synthesis fails
# Segments synthesized at once. The ONNX engines run one thread per call: Kokoro gains
# little from a second thread (1.6x real time on one core, 2.0-2.7x on two), so two
# single-threaded calls side by side make more speech (docs/benchmarks.md).
WORKERS = max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Timed:
    """A segment placed in a chapter file."""

    segment: Segment
    voice: Voice
    file: str  # the chapter MP3's file name
    t_start: float  # seconds into that file
    t_end: float


@dataclass(frozen=True)
class ChapterFile:
    """One written chapter."""

    index: int
    title: str
    path: Path
    seconds: float
    report: FileReport | None = None  # compliance with the run's profile, measured on the file


@dataclass(frozen=True)
class Failure:
    """A segment that could not be synthesized."""

    chapter: int
    text: str
    reason: str


@dataclass(frozen=True)
class Result:
    """What ``make`` produced."""

    folder: Path
    chapters: tuple[ChapterFile, ...]
    casting: Casting
    timed: tuple[Timed, ...] = ()
    failures: tuple[Failure, ...] = field(default=())
    book_checks: tuple[Check, ...] = ()  # checks across the files (all mono, one rate...)
    extras: tuple[Path, ...] = ()  # cover, playlist, M4B


def plan_cast(
    script: Script, config: CastConfig, engine_name: str | None
) -> tuple[Casting, dict[str, Engine]]:
    """Cast ``script`` and build every engine the cast needs (checked before any work).

    With no engine named (argument or ``config.engine``) the default cast mixes the
    best installed engines (:func:`studio_cast`); a named engine gets its own.
    """
    name = engine_name or config.engine
    if name:
        engines: dict[str, Engine] = {name: create_engine(name)}
        default = engines[name].default_cast()
    else:
        default, engines = studio_cast()
    lexicon = book_lexicon(config.lexicon)
    casting = cast_voices(script.segments, script.cast, config, default, lexicon)
    for voice in casting.voices():
        if voice.engine not in engines:
            engines[voice.engine] = create_engine(voice.engine)
        engines[voice.engine].check_voice(voice)
    return casting, engines


def make(
    story: Path,
    out_root: Path,
    *,
    config: CastConfig | None = None,
    engine: str | None = None,
    progress: Progress | None = None,
    release: Release | None = None,
) -> Result:
    """Turn ``story`` into tagged, mastered chapter MP3s plus ``script.json`` under ``out_root``.

    ``release`` picks the mastering profile, cover, credits and extra outputs (M4B,
    playlist, transcripts). Raises :class:`PartialFailure` (after writing everything
    it could) when some segments failed to synthesize.
    """
    progress = progress or Silent()
    config = config or CastConfig()
    release = release or Release()
    get_profile(release.profile)  # an unknown profile is a usage error before any work
    book = load_book(story)
    for warning in book.warnings:
        progress.warn(warning)
    script = analyse(book, config)
    casting, engines = plan_cast(script, config, engine)
    folder = ensure_dir(out_root / book_dirname(book.meta.title))
    with _closing(engines.values()):
        result = render(script, casting, engines, folder, progress, release)
    if result.failures:
        first = result.failures[0]
        raise PartialFailure(
            f"{len(result.failures)} segment(s) could not be synthesized; first in chapter "
            f"{first.chapter}: {first.text[:60]!r} ({first.reason})"
        )
    return result


@contextmanager
def _closing(engines: Iterable[Engine]) -> Iterator[None]:
    try:
        yield
    finally:
        for engine in engines:
            engine.close()


def render(
    script: Script,
    casting: Casting,
    engines: Mapping[str, Engine],
    folder: Path,
    progress: Progress,
    release: Release | None = None,
) -> Result:
    """Synthesize, stitch, master, encode and tag every chapter of ``script`` into ``folder``.

    A chapter longer than the profile allows becomes several files. Each file is
    measured after writing; its report is on its :class:`ChapterFile`.
    """
    release = release or Release()
    profile = get_profile(release.profile)
    meta = script.book.meta
    cover = book_cover(meta, release.cover)
    narrator = narrator_credit(casting.narrator)
    chapters = script.book.chapters
    progress.start("synthesize", len(script.segments) + (2 if release.credits else 0))
    files: list[ChapterFile] = []
    timed: list[Timed] = []
    failures: list[Failure] = []
    for chapter in chapters:
        segments = script.chapter_segments(chapter.index)
        if release.credits:
            first, last = chapter is chapters[0], chapter is chapters[-1]
            segments = with_credits(segments, chapter, meta, narrator, first=first, last=last)
        pieces, voices = _synthesize_all(segments, casting, engines, failures, progress)
        ranges = split_parts([(a.seconds, p) for a, p in pieces], _max_seconds(profile))
        for part, (lo, hi) in enumerate(ranges, start=1):
            title = _part_title(chapter.title, part, len(ranges))
            name = chapter_filename(chapter.index, len(chapters), title)
            tags = _tags(script, casting, chapter, title, len(chapters), narrator)
            made, placed = _write_file(
                folder / name, pieces[lo:hi], voices[lo:hi], profile, cover, release, tags
            )
            files.append(ChapterFile(chapter.index, title, made.path, made.levels.seconds, made))
            timed.extend(placed)
    progress.finish("synthesize")
    write_script_json(folder / "script.json", script, casting, timed)
    extras = finish_book(folder, meta, files, cover, release, narrator)
    book = check_set([f.report for f in files if f.report is not None], profile)
    return Result(folder, tuple(files), casting, tuple(timed), tuple(failures), book, tuple(extras))


def _synthesize_all(
    segments: Iterable[Segment],
    casting: Casting,
    engines: Mapping[str, Engine],
    failures: list[Failure],
    progress: Progress,
) -> tuple[list[tuple[Audio, Pause]], list[tuple[Segment, Voice]]]:
    """Each segment's audio with its pause, and the segment with its voice (failures left out).

    :data:`WORKERS` segments are synthesized at once (engines are thread-safe and run
    one thread per call); results, failures and progress keep the segments' order.
    """
    todo = list(segments)

    def one(seg: Segment) -> tuple[Voice, Audio | None, list[Failure]]:
        voice = casting.voice_for(seg.speaker)
        engine = engines[voice.engine]
        lost: list[Failure] = []
        return voice, _synthesize(engine, seg, voice, lost, casting.spoken(seg.text, engine)), lost

    pieces, voices = [], []
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="synthesize")
    try:
        for seg, (voice, audio, lost) in zip(todo, pool.map(one, todo), strict=True):
            progress.advance("synthesize")
            failures.extend(lost)
            if audio is not None:
                pieces.append((audio, seg.pause_after))
                voices.append((seg, voice))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # an error or Ctrl-C stops the rest
    return pieces, voices


def _max_seconds(profile: Profile) -> float | None:
    return profile.max_minutes * 60 if profile.max_minutes is not None else None


def _part_title(title: str, part: int, parts: int) -> str:
    return title if parts == 1 else f"{title} (part {part} of {parts})"


def _write_file(
    path: Path,
    pieces: list[tuple[Audio, Pause]],
    voices: list[tuple[Segment, Voice]],
    profile: Profile,
    cover: Picture,
    release: Release,
    tags: ChapterTags,
) -> tuple[FileReport, list[Timed]]:
    """Stitch, master, encode and tag one file; measure it; write its transcripts."""
    stitched = stitch(pieces, finish=False)
    delay = MP3_DELAY_SAMPLES / stitched.rate  # decoders start the audio this late
    placed = [
        Timed(seg, voice, path.name, start + delay, end + delay)
        for (seg, voice), (start, end) in zip(voices, stitched.timings, strict=True)
    ]
    with atomic_path(path) as tmp:
        levels = encode_checked(stitched.samples, stitched.rate, profile, tmp)
        del stitched
        marks = markers(placed, tags.title, levels.seconds)
        full = replace(tags, lyrics=lyrics([s for s, _ in voices]), cover=cover, markers=marks)
        write_tags(tmp, full)
        fmt = read_format(tmp)
    if release.transcripts:
        write_transcripts(path, cues(placed))
    return check_measured(path, fmt, levels, profile), placed


def _synthesize(
    engine: Engine, seg: Segment, voice: Voice, failures: list[Failure], text: str
) -> Audio | None:
    """One segment's audio (``text``: its words as spoken); failures retried, then recorded."""
    for attempt in range(RETRIES + 1):
        try:
            return engine.synthesize(text, voice)
        except SynthesisError as exc:
            _LOGGER.warning("segment failed (attempt %d): %s", attempt + 1, exc)
            reason = str(exc)
        except EngineError:
            raise
    failures.append(Failure(seg.chapter, seg.text, reason))
    return None


def _tags(
    script: Script, casting: Casting, chapter: Chapter, title: str, total: int, narrator: str
) -> ChapterTags:
    meta = script.book.meta
    author = meta.author or "Unknown"
    return ChapterTags(
        title=title,
        album=meta.title,
        artist=author,
        album_artist=author,
        track=chapter.index,
        total=total,
        year=meta.year,
        language=meta.language,
        comment=f"Narrated by {casting.narrator.id}; produced with audiobook",
        cast=tuple((name, voice.id) for name, voice in sorted(casting.characters.items())),
        narrator=narrator,
    )
