"""What rendering produces: timed segments, written chapter files, failures, the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from audiobook.cast.assign import Casting
from audiobook.engines.base import Voice
from audiobook.publish.check import Check, FileReport
from audiobook.script.model import Segment


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
    synthesized: int = 0  # segments synthesized in this run (the rest came from the cache)
    reused: int = 0  # chapters whose files were already up to date
