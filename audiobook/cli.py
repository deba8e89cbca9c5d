"""The ``audiobook`` command: parse options, call the library, report.

No text or audio logic lives here. Every :class:`AudiobookError` becomes one line
``error: ...`` on stderr and the exit code the error carries; Ctrl-C exits 130.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from audiobook import __version__
from audiobook.audio.profiles import get_profile
from audiobook.cast.config import CastConfig, load_cast
from audiobook.console import BarProgress, JsonProgress, QuietProgress, stderr_console
from audiobook.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    AudiobookError,
    ConfigError,
    PartialFailure,
)
from audiobook.pipeline import Result, plan_cast, read_script
from audiobook.progress import Silent
from audiobook.publish.check import check_file, check_set, compliance_table
from audiobook.publish.release import Release
from audiobook.publish.script_json import dumps, script_document
from audiobook.script.analyse import analyse
from audiobook.synth.cache import SegmentCache, default_cache_dir
from audiobook.synth.executor import Executor, LocalExecutor
from audiobook.text.load import load_book

if TYPE_CHECKING:
    from audiobook.batch import BookOutcome

app = typer.Typer(
    help="Turn a story into a full-cast audiobook: one tagged MP3 per chapter.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")


class ScriptFormat(StrEnum):
    """What ``audiobook script`` prints."""

    TEXT = "text"
    JSON = "json"


VoicesOption = Annotated[
    Path | None,
    typer.Option(
        "--voices",
        help="Cast file (default: voices.yaml beside the story, else in the current folder).",
        dir_okay=False,
    ),
]


class ProfileName(StrEnum):
    """The ``--profile`` choices: the keys of :data:`audiobook.audio.profiles.PROFILES`."""

    AUDIOBOOK = "audiobook"
    PODCAST = "podcast"


ProfileOption = Annotated[
    ProfileName,
    typer.Option("--profile", help="Mastering profile: audiobook (ACX) or podcast (LUFS)."),
]
EngineOption = Annotated[
    str | None, typer.Option("--engine", help="Speech engine for voices the cast does not set.")
]


def _error(message: str) -> None:
    """One line on stderr, never wrapped (scripts grep it)."""
    sys.stderr.write(f"error: {' '.join(message.split())}\n")


def _note(message: str) -> None:
    """A one-line note on stderr, never wrapped (it names a path)."""
    sys.stderr.write(message + "\n")


def _fail(exc: AudiobookError) -> typer.Exit:
    _error(str(exc))
    return typer.Exit(exc.exit_code)


def _run(action: Callable[[], T]) -> T:
    """Call ``action``, mapping library errors and Ctrl-C to messages and exit codes."""
    try:
        return action()
    except AudiobookError as exc:
        raise _fail(exc) from None
    except KeyboardInterrupt:
        sys.stderr.write("interrupted; run the same command again to finish\n")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _find_voices(story: Path, explicit: Path | None) -> CastConfig:
    if explicit is not None:
        return load_cast(explicit)
    for candidate in (story.parent / "voices.yaml", Path.cwd() / "voices.yaml"):
        if candidate.is_file():
            return load_cast(candidate)
    return CastConfig()


class ProgressMode(StrEnum):
    """The ``--progress`` choices."""

    BAR = "bar"
    JSON = "json"
    NONE = "none"


class ExecutorName(StrEnum):
    """The ``--executor`` choices."""

    LOCAL = "local"
    DASK = "dask"


CacheOption = Annotated[
    Path | None,
    typer.Option(
        "--cache",
        help="Segment cache folder (default: $AUDIOBOOK_CACHE, else the user cache folder).",
        file_okay=False,
    ),
]


def _cache(folder: Path | None) -> SegmentCache:
    return SegmentCache(folder if folder is not None else default_cache_dir())


def _executor(kind: ExecutorName, scheduler: str | None, workers: int | None) -> Executor:
    if kind is ExecutorName.DASK:
        if not scheduler:
            raise ConfigError("--executor dask needs --scheduler ADDRESS, e.g. tcp://host:8786")
        from audiobook.synth.dask_executor import DaskExecutor

        return DaskExecutor(scheduler)
    if scheduler:
        raise ConfigError("--scheduler is only used with --executor dask")
    return LocalExecutor(workers)


def _book_event(outcome: BookOutcome) -> dict[str, object]:
    """What the JSON ``book_done`` event says about one book."""
    result = outcome.result
    files = [] if result is None else [
        {"file": str(c.path), "seconds": round(c.seconds, 2),
         "passed": c.report.passed if c.report else None}
        for c in result.chapters
    ]  # fmt: skip
    return {
        "story": str(outcome.story),
        "folder": str(result.folder) if result else None,
        "files": files,
        "synthesized": result.synthesized if result else None,
        "chapters_kept": result.reused if result else None,
        "error": str(outcome.error) if outcome.error else None,
    }


def _profile_misses(result: Result, profile: str) -> PartialFailure | None:
    failing = [c.path.name for c in result.chapters if c.report and not c.report.passed]
    if not failing:
        return None
    return PartialFailure(
        f"{len(failing)} file(s) miss the {profile} profile: {', '.join(failing)}"
    )


@app.command()
def make(
    stories: Annotated[
        list[Path],
        typer.Argument(help="Stories (.txt, .md, .epub, script files), or folders of them."),
    ],
    voices: VoicesOption = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("output"),
    engine: EngineOption = None,
    profile: ProfileOption = ProfileName.AUDIOBOOK,
    cover: Annotated[
        Path | None, typer.Option("--cover", help="Cover image (default: drawn from the title).")
    ] = None,
    credits: Annotated[
        bool, typer.Option("--credits", help="Speak opening and closing credits.")
    ] = False,
    m4b: Annotated[bool, typer.Option("--m4b", help="Also write one .m4b of the book.")] = False,
    cache: CacheOption = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Synthesis processes (default: one per core)."),
    ] = None,
    executor: Annotated[
        ExecutorName, typer.Option("--executor", help="Where synthesis runs: local or dask.")
    ] = ExecutorName.LOCAL,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (with --executor dask)."),
    ] = None,
    progress_mode: Annotated[
        ProgressMode,
        typer.Option("--progress", help="bar, json (one event per line on stdout) or none."),
    ] = ProgressMode.BAR,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
) -> None:
    """Make audiobooks: OUT/<book title>/NN - <chapter>.mp3 plus script.json, per story."""
    from audiobook.batch import find_stories, make_books

    console = stderr_console()
    mode = ProgressMode.NONE if quiet else progress_mode
    progress: QuietProgress = {ProgressMode.BAR: BarProgress, ProgressMode.JSON: JsonProgress}.get(
        mode, QuietProgress
    )(console)
    release = Release(profile=profile.value, cover=cover, credits=credits, m4b=m4b)
    several = len(stories) > 1 or any(s.is_dir() for s in stories)
    failed: list[str] = []

    def report(outcome: BookOutcome) -> None:
        error = outcome.error
        if outcome.result is not None:
            if mode is ProgressMode.BAR:
                result = outcome.result
                reports = [c.report for c in result.chapters if c.report is not None]
                chosen = get_profile(release.profile)
                sys.stdout.write(compliance_table(reports, chosen, result.book_checks))
                minutes = sum(c.seconds for c in result.chapters) / 60
                _note(f"wrote {len(result.chapters)} chapter(s), {minutes:.1f} min, "
                      f"to {result.folder}")  # fmt: skip
            error = _profile_misses(outcome.result, release.profile)
        progress.event("book_done", **_book_event(outcome))
        if error is not None:
            if not several:
                raise _fail(error)
            failed.append(outcome.story.name)
            _error(f"{outcome.story}: {error}")

    def action() -> None:
        found = find_stories(stories)
        with _executor(executor, scheduler, workers) as runner, progress:
            make_books(
                found, out, configure=lambda story: _find_voices(story, voices), engine=engine,
                progress=progress, release=release, cache=_cache(cache), executor=runner,
                started=lambda story: progress.event("book", story=str(story)), report=report,
            )  # fmt: skip
        progress.event("done", books=len(found), failed=len(failed))
        if failed:
            raise PartialFailure(f"{len(failed)} of {len(found)} book(s) failed: "
                                 f"{', '.join(failed)}")  # fmt: skip

    _run(action)


cache_app = typer.Typer(
    help="The segment cache: synthesized lines kept for re-runs.", no_args_is_help=True
)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info(cache: CacheOption = None) -> None:
    """Show where the segment cache is and how big it is."""
    stats = _run(lambda: _cache(cache).stats())
    sys.stdout.write(
        f"folder:  {stats.root}\nentries: {stats.entries}\nsize:    {stats.bytes / 1e6:.1f} MB\n"
    )


@cache_app.command("clear")
def cache_clear(cache: CacheOption = None) -> None:
    """Delete every cached segment (the next make synthesizes everything again)."""
    stats = _run(lambda: _cache(cache).clear())
    sys.stdout.write(
        f"removed {stats.entries} entries ({stats.bytes / 1e6:.1f} MB) from {stats.root}\n"
    )


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="MP3 files to measure.")],
    profile: ProfileOption = ProfileName.AUDIOBOOK,
) -> None:
    """Measure MP3 files against a profile; exit 1 if any fails."""

    def action() -> bool:
        chosen = get_profile(profile.value)
        reports = [check_file(path, chosen) for path in files]
        book = check_set(reports, chosen)
        sys.stdout.write(compliance_table(reports, chosen, book))
        return all(r.passed for r in reports) and all(c.status != "fail" for c in book)

    if not _run(action):
        raise typer.Exit(EXIT_FAILURE)


@app.command()
def feed(
    folder: Annotated[Path, typer.Argument(help="A made book's folder (its chapter MP3s).")],
    base_url: Annotated[str, typer.Option("--base-url", help="Where the folder is served.")],
    title: Annotated[str | None, typer.Option("--title", help="Show title.")] = None,
    author: Annotated[str | None, typer.Option("--author", help="Show author.")] = None,
    image: Annotated[str | None, typer.Option("--image", help="Artwork URL.")] = None,
    explicit: Annotated[bool, typer.Option("--explicit", help="Mark as explicit.")] = False,
) -> None:
    """Write FOLDER/feed.xml: a podcast feed with one episode per chapter."""
    from audiobook.publish.feed import FeedOptions, write_feed

    options = FeedOptions(base_url, title=title, author=author, image=image, explicit=explicit)
    path = _run(lambda: write_feed(folder, options))
    stderr_console().print(f"wrote {path}", markup=False)


@app.command()
def script(
    story: Annotated[
        Path, typer.Argument(help="The story (.txt, .md, .epub), or an editable script file.")
    ],
    voices: VoicesOption = None,
    fmt: Annotated[
        ScriptFormat, typer.Option("--format", help="Output format.")
    ] = ScriptFormat.TEXT,
    engine: EngineOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write an editable script file (.yaml).", dir_okay=False),
    ] = None,
    update: Annotated[
        Path | None,
        typer.Option(
            "--update",
            help="Re-analyse STORY, keeping this script file's corrections.",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out file.")] = False,
) -> None:
    """Print who says each line, or write (-o) or --update an editable script file."""
    from audiobook.scripting import update_report, update_script, write_script

    def action() -> None:
        config = _find_voices(story, voices)
        if update is not None:
            written = update_script(story, update, out, config=config, engine=engine)
            sys.stdout.write(update_report(written))
            return
        if out is not None:
            written = write_script(story, out, config=config, engine=engine, force=force)
            _note(f"wrote {out} ({len(written.script.lines)} lines)")
            return
        result = read_script(story, config, Silent())
        if fmt is ScriptFormat.JSON:
            sys.stdout.write(dumps(script_document(result)))
            return
        for seg in result.segments:
            who = seg.speaker or "?"
            sys.stdout.write(f"{seg.chapter:>3} {seg.kind.value[:4]} {who:<20} {seg.text}\n")

    _run(action)


@app.command()
def cast(
    story: Annotated[Path, typer.Argument(help="The story: .txt or .md.")],
    voices: VoicesOption = None,
    engine: EngineOption = None,
    write: Annotated[
        Path | None, typer.Option("--write", help="Write the cast as an editable voices.yaml.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --write file.")
    ] = False,
    merge: Annotated[
        list[str] | None,
        typer.Option("--merge", help="Join characters FROM=INTO in voices.yaml (repeatable)."),
    ] = None,
    rename: Annotated[
        list[str] | None,
        typer.Option("--rename", help="Rename a character OLD=NEW in voices.yaml (repeatable)."),
    ] = None,
) -> None:
    """List the characters found, their lines and voices; merge or rename them for good."""
    from audiobook.cast.identities import apply_edits, cast_specs
    from audiobook.cast.writer import cast_table, cast_yaml, save_characters

    def action() -> None:
        config = _find_voices(story, voices)
        book = load_book(story)
        if merge or rename:
            target = voices or story.parent / "voices.yaml"
            found = analyse(book, config).cast
            specs = apply_edits(cast_specs(config, found), merge or (), rename or ())
            save_characters(target, specs, book.meta.title, base=config.source)
            _note(f"wrote {target}")
            config = load_cast(target)
        result = analyse(book, config)
        casting, _ = plan_cast(result, config, engine)
        sys.stdout.write(cast_table(result, casting))
        if write is not None:
            cast_yaml(result, casting, write, force=force)
            stderr_console().print(f"wrote {write}", markup=False)

    _run(action)


@app.command()
def review(
    source: Annotated[
        Path, typer.Argument(help="A story, an editable script file, or a folder `make` wrote.")
    ],
    voices: VoicesOption = None,
    engine: EngineOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="The page (default: beside SOURCE).", dir_okay=False),
    ] = None,
) -> None:
    """Write one HTML page showing who says every line, with players when audio exists."""
    from audiobook.scripting import write_review

    def action() -> Path:
        config = _find_voices(source, voices) if not source.is_dir() else CastConfig()
        return write_review(source, out, config=config, engine=engine)

    _note(f"wrote {_run(action)}")


@app.command()
def audition(
    story: Annotated[Path, typer.Argument(help="The story: .txt, .md or .epub.")],
    characters: Annotated[
        list[str] | None,
        typer.Argument(help="Who to hear (default: the narrator and every speaker)."),
    ] = None,
    voices: VoicesOption = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("output"),
    engine: EngineOption = None,
) -> None:
    """Hear the cast before the book: each speaker's own first lines, one MP3 each."""
    from audiobook.audition import audition_story

    def action() -> None:
        config = _find_voices(story, voices)
        samples = audition_story(
            story, out, config=config, engine=engine, names=characters or (),
            progress=QuietProgress(stderr_console()),
        )  # fmt: skip
        for s in samples:
            sys.stdout.write(f"{s.speaker:<24} {s.voice.id:<40} {s.seconds:5.1f}s  {s.path}\n")

    _run(action)


@app.command()
def lexicon(
    story: Annotated[Path, typer.Argument(help="The story: .txt, .md or .epub.")],
    voices: VoicesOption = None,
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, help="Only names said this often.")
    ] = 2,
) -> None:
    """List the names in STORY the pronunciation lexicon does not cover yet."""
    from audiobook.cast.pronounce import book_lexicon, default_say, lexicon_table, uncovered

    def action() -> None:
        config = _find_voices(story, voices)
        result = analyse(load_book(story), config)
        names = [n for c in result.cast for n in (c.name, *c.aliases)]
        rows = uncovered(result.book.text, book_lexicon(config.lexicon), names, min_count)
        sys.stdout.write(lexicon_table(rows, default_say() if rows else None))

    _run(action)


@app.command("voices")
def list_voices(
    engine: Annotated[str | None, typer.Option("--engine", help="Only this engine.")] = None,
) -> None:
    """List the voices of every installed engine."""
    from audiobook.engines.catalog import voice_table

    _run(lambda: sys.stdout.write(voice_table(engine)))


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"audiobook {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn a story into a full-cast audiobook."""


def main() -> None:
    """Console-script entry point: usage errors are one ``error:`` line too."""
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")  # bare `audiobook`: show the help
        else:
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            _error(message.replace("Value error, ", ""))
        sys.exit(getattr(exc, "exit_code", EXIT_USAGE))
    except typer.Abort:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(code or 0)
