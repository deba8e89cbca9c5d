"""Many books in one run: ``audiobook make DIR_OR_FILES... --out DIR``.

Each book goes through :func:`audiobook.pipeline.make` with the run's cache and
executor (the workers and their loaded engines serve every book). A book that fails
on its own account (unreadable text, invalid ``voices.yaml``, segments that would not
synthesize) is reported and skipped and the others go on; what would fail every book
(an engine that cannot start, a full disk, Ctrl-C) stops the run at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from audiobook.cast.config import CastConfig
from audiobook.errors import AudiobookError, EngineError, InputError, OutputError
from audiobook.pipeline import Result, make
from audiobook.progress import Progress
from audiobook.publish.release import Release
from audiobook.synth.cache import SegmentCache
from audiobook.synth.executor import Executor

_LOGGER = logging.getLogger(__name__)

# What a folder of stories is searched for (script files are named one by one).
STORY_SUFFIXES = (".txt", ".md", ".markdown", ".epub")


@dataclass(frozen=True)
class BookOutcome:
    """One book of a batch: its result, or the error that stopped it."""

    story: Path
    result: Result | None = None
    error: AudiobookError | None = None


def find_stories(paths: Iterable[Path]) -> list[Path]:
    """``paths`` with each folder replaced by the stories directly in it, sorted.

    Paths that are not folders are kept as given (a missing file is reported when its
    turn comes). A folder with no story in it raises :class:`InputError`.
    """
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix.lower() in STORY_SUFFIXES and not p.name.startswith(".")
        )
        if not inside:
            raise InputError(f"{path}: no stories (.txt, .md, .epub) in this folder")
        found.extend(inside)
    return list(dict.fromkeys(found))  # the same file named twice is made once


def make_books(
    stories: Sequence[Path],
    out_root: Path,
    *,
    configure: Callable[[Path], CastConfig],
    engine: str | None,
    progress: Progress,
    release: Release,
    cache: SegmentCache,
    executor: Executor,
    started: Callable[[Path], None] = lambda story: None,
    report: Callable[[BookOutcome], None] = lambda outcome: None,
) -> list[BookOutcome]:
    """Make every story in turn; ``configure`` finds each one's cast file.

    ``started`` is called before each book and ``report`` after it. :class:`EngineError`
    and :class:`OutputError` (and ``KeyboardInterrupt``) stop the run; other errors are
    recorded on the book.
    """
    outcomes: list[BookOutcome] = []
    folders: dict[Path, Path] = {}  # book folder -> the story that made it in this run
    for story in stories:
        started(story)
        try:
            result = make(story, out_root, config=configure(story), engine=engine,
                          progress=progress, release=release, cache=cache, executor=executor,
                          taken=folders)  # fmt: skip
            outcome = BookOutcome(story, result)
            folders[result.folder] = story
        except (EngineError, OutputError):
            raise
        except AudiobookError as exc:
            outcome = BookOutcome(story, error=exc)
        outcomes.append(outcome)
        report(outcome)
    return outcomes
