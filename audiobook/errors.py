"""Typed errors raised by the library.

The library never prints and never exits: it raises one of these, and the CLI (the
only place that talks to the user) turns each into a one-line ``error: ...`` message
and the exit code the class carries.
"""

from __future__ import annotations

# Exit codes shared by the CLI and the docs.
EXIT_OK = 0
EXIT_FAILURE = 1  # the run could not go on (engine will not start, disk full, ...)
EXIT_USAGE = 2  # bad input: missing file, unreadable text, invalid voices.yaml
EXIT_PARTIAL = 3  # the run finished, but some segments or books failed
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class AudiobookError(Exception):
    """Base class: a failure the user can act on, described by its message."""

    exit_code = EXIT_FAILURE


class InputError(AudiobookError):
    """The story file cannot be used (missing, empty, binary, undecodable)."""

    exit_code = EXIT_USAGE


class ConfigError(AudiobookError):
    """``voices.yaml`` (or another user configuration) is invalid."""

    exit_code = EXIT_USAGE


class UnknownNameError(AudiobookError):
    """A name (engine, voice, character, profile) is not one of the valid choices."""

    exit_code = EXIT_USAGE

    def __init__(self, what: str, name: str, valid: list[str] | tuple[str, ...]) -> None:
        shown = ", ".join(sorted(valid)) if valid else "none available"
        super().__init__(f"unknown {what} {name!r}; valid: {shown}")
        self.what = what
        self.name = name
        self.valid = tuple(valid)


class EngineError(AudiobookError):
    """A speech engine cannot start (package missing, voice data missing, network down)."""


class SynthesisError(AudiobookError):
    """One segment failed to synthesize; the run goes on and reports it at the end."""


class OutputError(AudiobookError):
    """An output file or folder cannot be written."""


class PartialFailure(AudiobookError):
    """The run finished but some of its parts failed; the message says which."""

    exit_code = EXIT_PARTIAL
