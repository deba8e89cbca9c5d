"""The whole job, stage by stage: load -> script -> cast -> synthesize -> stitch -> publish.

Each stage is a plain function passing frozen objects to the next; this module only
wires them together, owns the engines for the run, and reports progress. Synthesis
and writing at book scale (cache, workers, resuming) live in :mod:`audiobook.render`
and :mod:`audiobook.synth`.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from audiobook.audio.profiles import get_profile
from audiobook.cast.assign import Casting, cast_voices
from audiobook.cast.config import CastConfig
from audiobook.cast.pronounce import book_lexicon
from audiobook.cast.studio import studio_cast
from audiobook.engines.base import Engine
from audiobook.engines.registry import create_engine
from audiobook.errors import InputError, PartialFailure
from audiobook.progress import Progress, Silent
from audiobook.publish.files import book_dirname, ensure_dir
from audiobook.publish.release import Release
from audiobook.render.book import render_book
from audiobook.render.model import ChapterFile, Failure, Result, Timed
from audiobook.script.analyse import Script, analyse
from audiobook.script.edits import edited_script
from audiobook.script.scriptfile import is_script_file
from audiobook.synth.cache import SegmentCache
from audiobook.synth.executor import Executor, LocalExecutor
from audiobook.text.load import load_book

__all__ = [
    "ChapterFile",
    "Failure",
    "Result",
    "Timed",
    "make",
    "plan_cast",
    "read_script",
    "render",
]

_LOGGER = logging.getLogger(__name__)


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
    cache: SegmentCache | None = None,
    executor: Executor | None = None,
    taken: Mapping[Path, Path] | None = None,
) -> Result:
    """Turn ``story`` into tagged, mastered chapter MP3s plus ``script.json`` under ``out_root``.

    ``release`` picks the mastering profile, cover, credits and extra outputs (M4B,
    playlist, transcripts). Segments are synthesized by ``executor`` (default: a
    process per core) into ``cache`` (default: a temporary one for this call); chapters
    already up to date in the output folder are kept. ``taken`` maps book folders other
    books of the same run wrote to their stories: a title that would write into one of
    them is an :class:`InputError`. Raises :class:`PartialFailure`
    (after writing everything it could) when some segments failed to synthesize.
    """
    progress = progress or Silent()
    config = config or CastConfig()
    release = release or Release()
    get_profile(release.profile)  # an unknown profile is a usage error before any work
    script = read_script(story, config, progress)
    casting, engines = plan_cast(script, config, engine)
    folder = out_root / book_dirname(script.book.meta.title)
    if taken and folder in taken:
        raise InputError(f"{story}: its title gives the same folder as {taken[folder]}: {folder}")
    ensure_dir(folder)
    with _closing(engines.values()):
        result = render(script, casting, engines, folder, progress, release,
                        cache=cache, executor=executor)  # fmt: skip
    if result.failures:
        first = result.failures[0]
        raise PartialFailure(
            f"{len(result.failures)} segment(s) could not be synthesized; first in chapter "
            f"{first.chapter}: {first.text[:60]!r} ({first.reason})"
        )
    return result


def read_script(story: Path, config: CastConfig, progress: Progress) -> Script:
    """The script to render: an edited script file as the user left it, else a new analysis."""
    if is_script_file(story):
        return edited_script(story, config)
    book = load_book(story)
    for warning in book.warnings:
        progress.warn(warning)
    return analyse(book, config)


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
    *,
    cache: SegmentCache | None = None,
    executor: Executor | None = None,
) -> Result:
    """Synthesize, stitch, master, encode and tag every chapter of ``script`` into ``folder``.

    A chapter longer than the profile allows becomes several files. Each file is
    measured after writing; its report is on its :class:`ChapterFile`. Without a
    ``cache`` a temporary one is used; without an ``executor``, a local process pool.
    """
    with ExitStack() as stack:
        if cache is None:
            temporary = stack.enter_context(tempfile.TemporaryDirectory(prefix="audiobook-"))
            cache = SegmentCache(Path(temporary))
        if executor is None:
            executor = stack.enter_context(LocalExecutor())
        return render_book(script, casting, engines, folder, progress, release or Release(),
                           cache=cache, executor=executor)  # fmt: skip
