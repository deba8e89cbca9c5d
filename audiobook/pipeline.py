"""The whole job, stage by stage: load -> script -> cast -> synthesize -> stitch -> publish.

Each stage is a plain function passing frozen objects to the next; this module only
wires them together, owns the engines for the run, and reports progress.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.audio.encode import encode_mp3
from audiobook.audio.stitch import stitch
from audiobook.cast.assign import Casting, cast_voices
from audiobook.cast.config import CastConfig
from audiobook.engines.base import Audio, Engine, Voice
from audiobook.engines.registry import create_engine
from audiobook.errors import EngineError, PartialFailure, SynthesisError
from audiobook.progress import Progress, Silent
from audiobook.publish.files import atomic_path, book_dirname, chapter_filename, ensure_dir
from audiobook.publish.script_json import write_script_json
from audiobook.publish.tags import ChapterTags, write_tags
from audiobook.script.analyse import Script, analyse
from audiobook.script.model import Segment
from audiobook.text.load import load_book

_LOGGER = logging.getLogger(__name__)

DEFAULT_ENGINE = "piper"
RETRIES = 1  # extra attempts for a segment whose synthesis fails


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


def plan_cast(
    script: Script, config: CastConfig, engine_name: str | None
) -> tuple[Casting, dict[str, Engine]]:
    """Cast ``script`` and build every engine the cast needs (checked before any work)."""
    name = engine_name or config.engine or DEFAULT_ENGINE
    engines: dict[str, Engine] = {name: create_engine(name)}
    casting = cast_voices(script.segments, script.cast, config, engines[name].default_cast())
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
) -> Result:
    """Turn ``story`` into tagged chapter MP3s plus ``script.json`` under ``out_root``.

    Raises :class:`PartialFailure` (after writing everything it could) when some
    segments failed to synthesize.
    """
    progress = progress or Silent()
    config = config or CastConfig()
    book = load_book(story)
    for warning in book.warnings:
        progress.warn(warning)
    script = analyse(book, config)
    casting, engines = plan_cast(script, config, engine)
    folder = ensure_dir(out_root / book_dirname(book.meta.title))
    with _closing(engines.values()):
        result = render(script, casting, engines, folder, progress)
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
) -> Result:
    """Synthesize, stitch, encode and tag every chapter of ``script`` into ``folder``."""
    chapters = script.book.chapters
    progress.start("synthesize", len(script.segments))
    files: list[ChapterFile] = []
    timed: list[Timed] = []
    failures: list[Failure] = []
    for chapter in chapters:
        segments = script.chapter_segments(chapter.index)
        name = chapter_filename(chapter.index, len(chapters), chapter.title)
        pieces, voices = [], []
        for seg in segments:
            voice = casting.voice_for(seg.speaker)
            audio = _synthesize(engines[voice.engine], seg, voice, failures)
            progress.advance("synthesize")
            if audio is not None:
                pieces.append((audio, seg.pause_after))
                voices.append((seg, voice))
        stitched = stitch(pieces)
        path = folder / name
        with atomic_path(path) as tmp:
            encode_mp3(stitched.samples, stitched.rate, tmp)
            write_tags(tmp, _tags(script, casting, chapter.index, chapter.title, len(chapters)))
        seconds = len(stitched.samples) / stitched.rate
        files.append(ChapterFile(chapter.index, chapter.title, path, seconds))
        timed.extend(
            Timed(seg, voice, name, start, end)
            for (seg, voice), (start, end) in zip(voices, stitched.timings, strict=True)
        )
    progress.finish("synthesize")
    write_script_json(folder / "script.json", script, casting, timed)
    return Result(folder, tuple(files), casting, tuple(timed), tuple(failures))


def _synthesize(
    engine: Engine, seg: Segment, voice: Voice, failures: list[Failure]
) -> Audio | None:
    """One segment's audio; a failure is retried, then recorded and skipped."""
    for attempt in range(RETRIES + 1):
        try:
            return engine.synthesize(seg.text, voice)
        except SynthesisError as exc:
            _LOGGER.warning("segment failed (attempt %d): %s", attempt + 1, exc)
            reason = str(exc)
        except EngineError:
            raise
    failures.append(Failure(seg.chapter, seg.text, reason))
    return None


def _tags(script: Script, casting: Casting, index: int, title: str, total: int) -> ChapterTags:
    meta = script.book.meta
    author = meta.author or "Unknown"
    return ChapterTags(
        title=title,
        album=meta.title,
        artist=author,
        album_artist=author,
        track=index,
        total=total,
        year=meta.year,
        language=meta.language,
        comment=f"Narrated by {casting.narrator.id}; produced with audiobook",
        cast=tuple((name, voice.id) for name, voice in sorted(casting.characters.items())),
    )
