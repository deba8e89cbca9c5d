"""The ``audiobook`` command: parse options, call the library, report.

No text or audio logic lives here. Every :class:`AudiobookError` becomes one line
``error: ...`` on stderr and the exit code the error carries; Ctrl-C exits 130.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from audiobook import __version__
from audiobook.audio.profiles import get_profile
from audiobook.cast.config import CastConfig, load_cast
from audiobook.console import BarProgress, QuietProgress, stderr_console
from audiobook.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    AudiobookError,
    PartialFailure,
)
from audiobook.pipeline import make as make_book
from audiobook.pipeline import plan_cast
from audiobook.publish.check import check_file, check_set, compliance_table
from audiobook.publish.release import Release
from audiobook.publish.script_json import dumps, script_document
from audiobook.script.analyse import analyse
from audiobook.text.load import load_book

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


@app.command()
def make(
    story: Annotated[Path, typer.Argument(help="The story: .txt, .md or .epub.")],
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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Make the audiobook: OUT/<book title>/NN - <chapter>.mp3 plus script.json."""
    console = stderr_console()
    progress = QuietProgress(console) if quiet else BarProgress(console)
    release = Release(profile=profile.value, cover=cover, credits=credits, m4b=m4b)

    def action() -> None:
        config = _find_voices(story, voices)
        with progress:
            result = make_book(
                story, out, config=config, engine=engine, progress=progress, release=release
            )
        reports = [c.report for c in result.chapters if c.report is not None]
        if not quiet:
            sys.stdout.write(compliance_table(reports, get_profile(release.profile),
                                              result.book_checks))  # fmt: skip
            minutes = sum(c.seconds for c in result.chapters) / 60
            console.print(
                f"wrote {len(result.chapters)} chapter(s), {minutes:.1f} min, to {result.folder}",
                markup=False,
            )
        failing = [r.path.name for r in reports if not r.passed]
        if failing:
            raise PartialFailure(
                f"{len(failing)} file(s) miss the {release.profile} profile: {', '.join(failing)}"
            )

    _run(action)


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
    story: Annotated[Path, typer.Argument(help="The story: .txt or .md.")],
    voices: VoicesOption = None,
    fmt: Annotated[
        ScriptFormat, typer.Option("--format", help="Output format.")
    ] = ScriptFormat.TEXT,
    engine: EngineOption = None,
) -> None:
    """Print the attributed script: who says each line."""

    def action() -> None:
        config = _find_voices(story, voices)
        result = analyse(load_book(story), config)
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
) -> None:
    """List the characters found, their lines and voices."""
    from audiobook.cast.writer import cast_table, cast_yaml

    def action() -> None:
        config = _find_voices(story, voices)
        result = analyse(load_book(story), config)
        casting, _ = plan_cast(result, config, engine)
        sys.stdout.write(cast_table(result, casting))
        if write is not None:
            cast_yaml(result, casting, write, force=force)
            stderr_console().print(f"wrote {write}", markup=False)

    _run(action)


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
