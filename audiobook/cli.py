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
from audiobook.cast.config import CastConfig, load_cast
from audiobook.console import BarProgress, QuietProgress, stderr_console
from audiobook.errors import EXIT_INTERRUPTED, EXIT_USAGE, AudiobookError
from audiobook.pipeline import make as make_book
from audiobook.pipeline import plan_cast
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
    story: Annotated[Path, typer.Argument(help="The story: .txt or .md.")],
    voices: VoicesOption = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("output"),
    engine: EngineOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Make the audiobook: OUT/<book title>/NN - <chapter>.mp3 plus script.json."""
    console = stderr_console()
    progress = QuietProgress(console) if quiet else BarProgress(console)

    def action() -> None:
        config = _find_voices(story, voices)
        with progress:
            result = make_book(story, out, config=config, engine=engine, progress=progress)
        if not quiet:
            total = sum(c.seconds for c in result.chapters)
            minutes = total / 60
            console.print(
                f"wrote {len(result.chapters)} chapter(s), {minutes:.1f} min, to {result.folder}",
                markup=False,
            )

    _run(action)


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
