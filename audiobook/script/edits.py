"""Editable scripts end to end: write one for a story, update it, read it back as a Script.

- :func:`new_script_file` turns an analysed story into a :class:`ScriptFile`.
- :func:`updated_script_file` re-analyses a changed story and keeps the corrections of
  an existing file (:mod:`audiobook.script.update`).
- :func:`edited_script` reads a script file and its story into the :class:`Script`
  that ``make`` renders: the user's speakers, spellings, pauses and styles.
- :func:`save` writes a file without ever losing the user's: refused if it exists
  (unless asked), the previous version kept as ``NAME.bak``, the new one atomic.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from audiobook.cast.assign import Casting
from audiobook.cast.config import CastConfig
from audiobook.errors import ConfigError, InputError, OutputError
from audiobook.publish.files import atomic_write
from audiobook.script.analyse import Script
from audiobook.script.cast import Cast, Character
from audiobook.script.lines import Line, line_segments, script_lines
from audiobook.script.model import NARRATOR
from audiobook.script.scriptfile import CastEntry, ScriptFile, dumps
from audiobook.script.scriptread import read_script_file
from audiobook.script.update import Merged, merge
from audiobook.text.load import load_book
from audiobook.text.model import Book

BACKUP_SUFFIX = ".bak"


def text_sha256(book: Book) -> str:
    """The fingerprint a script file keeps of its story's text."""
    return hashlib.sha256(book.text.encode("utf-8", "surrogatepass")).hexdigest()


def source_name(story: Path, target: Path) -> str:
    """How a script file at ``target`` names ``story``: relative to its folder if possible."""
    try:
        return Path(os.path.relpath(story.resolve(), target.resolve().parent)).as_posix()
    except ValueError:  # another drive (Windows)
        return story.resolve().as_posix()


def new_script_file(script: Script, target: Path) -> ScriptFile:
    """The file for an analysed story, to be written at ``target`` (voices not yet set)."""
    book = script.book
    assert book.source is not None, "a script file needs the story's path"
    cast = tuple(CastEntry(c.name, c.gender, c.narrator) for c in script.cast)
    return ScriptFile(
        book.meta.title, source_name(book.source, target), text_sha256(book),
        script_lines(script), cast,
    )  # fmt: skip


def updated_script_file(old: ScriptFile, script: Script, target: Path) -> tuple[ScriptFile, Merged]:
    """A new analysis (``script``) with the corrections of ``old`` carried over."""
    fresh = new_script_file(script, target)
    merged = merge(old.lines, fresh.lines, old.dropped)
    used = {line.speaker for line in merged.lines}
    names = {c.name for c in fresh.cast}
    mine = {c.name: c for c in old.cast}
    # The user may have fixed a gender, or added a character their corrections use.
    cast = [mine.get(c.name, c) for c in fresh.cast]
    cast += [c for c in old.cast if c.name not in names and c.name in used]
    return replace(fresh, lines=merged.lines, cast=tuple(cast), dropped=merged.dropped), merged


def with_voices(script_file: ScriptFile, casting: Casting, cast: Cast) -> ScriptFile:
    """``script_file`` with each line's ``voice`` field saying who reads it under ``casting``."""
    resolve = _resolver(cast)
    lines = tuple(
        replace(ln, voice=casting.voice_for(ln.speaker and resolve(ln.speaker)).id)
        for ln in script_file.lines
    )
    return replace(script_file, lines=lines)


def lines_script(script_file: ScriptFile, book: Book, config: CastConfig) -> Script:
    """The :class:`Script` of ``script_file``'s lines over ``book`` (not checked against it)."""
    cast = edited_cast(script_file, config)
    return Script(book, cast, line_segments(script_file.lines, book.text, _resolver(cast)))


def edited_script(path: Path, config: CastConfig | None = None) -> Script:
    """The :class:`Script` the script file at ``path`` describes, ready to cast and render.

    Raises :class:`InputError` when the story is missing or has changed since the file
    was written (its offsets would point at the wrong words), and :class:`ConfigError`
    for a line outside the story's chapters or text.
    """
    script_file = read_script_file(path)
    story = script_file.story_path()
    if not story.is_file():
        raise InputError(f"{path}: its story {story} is missing (see `source:` in the file)")
    book = load_book(story)
    if text_sha256(book) != script_file.sha256:
        raise InputError(
            f"{path}: {story} has changed since this script was written; run "
            f"`audiobook script {story} --update {path}` first"
        )
    placed = replace(script_file, lines=tuple(_placed(script_file.lines, book, path)))
    return lines_script(placed, book, config or CastConfig())


def edited_cast(script_file: ScriptFile, config: CastConfig) -> Cast:
    """The user's characters (``voices.yaml`` first) plus the script file's own list."""
    chars = [Character(c.name, c.aliases, c.gender, c.narrator) for c in config.characters]
    known = {n.casefold() for c in chars for n in (c.name, *c.aliases)}
    chars += [
        Character(e.name, (), e.gender, e.narrator)
        for e in script_file.cast
        if e.name.casefold() not in known
    ]
    return Cast(tuple(chars), closed=True)


def _resolver(cast: Cast) -> Callable[[str], str]:
    """A speaker's character: an alias (or merged name) in voices.yaml gives its character."""

    def resolve(name: str) -> str:
        return name if name == NARRATOR or cast.get(name) else cast.resolve(name) or name

    return resolve


def _placed(lines: Sequence[Line], book: Book, path: Path) -> list[Line]:
    """Lines checked against the book; a line without ``at`` goes after the previous one."""
    problems = []
    out: list[Line] = []
    for line in lines:
        if line.start < 0:
            at = out[-1].end if out else 0
            line = replace(line, start=at, end=at)
        if not 1 <= line.chapter <= len(book.chapters):
            problems.append(f"line {line.row}: ch: the story has {len(book.chapters)} chapter(s)")
        if line.end > len(book.text):
            problems.append(f"line {line.row}: at: {line.end} is past the story's end")
        out.append(line)
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems[:5]))
    return out


def save(path: Path, script_file: ScriptFile, *, replace_existing: bool) -> Path | None:
    """Write ``script_file`` to ``path``; return the backup of the previous file, if any.

    An existing ``path`` is replaced only with ``replace_existing`` (else
    :class:`OutputError`), and its content is first copied to ``PATH.bak``.
    """
    backup = None
    if path.exists():
        if not replace_existing:
            raise OutputError(
                f"{path} already exists; use --update {path} to keep its corrections, "
                "or --force to replace it"
            )
        backup = path.with_name(path.name + BACKUP_SUFFIX)
        try:
            previous = path.read_bytes()
        except OSError as exc:
            raise OutputError(f"cannot read {path}: {exc.strerror or exc}") from exc
        with atomic_write(backup) as handle:
            handle.write(previous)
    with atomic_write(path, "w") as handle:
        handle.write(dumps(script_file))
    return backup
