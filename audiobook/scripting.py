"""Editable scripts and their review: the work of the ``script`` and ``review`` commands.

The voices each line shows come from casting the script as written (the user's
speakers included), so building them needs the engines, checked and closed here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from audiobook.cast.config import CastConfig
from audiobook.errors import ConfigError, InputError
from audiobook.pipeline import plan_cast, read_script
from audiobook.progress import Silent
from audiobook.publish.files import atomic_write
from audiobook.publish.review import render_review
from audiobook.publish.script_json import FORMAT, script_document
from audiobook.script.analyse import analyse
from audiobook.script.edits import (
    lines_script,
    new_script_file,
    save,
    updated_script_file,
    with_voices,
)
from audiobook.script.scriptfile import ScriptFile, is_script_file
from audiobook.script.scriptread import read_script_file
from audiobook.script.update import Merged
from audiobook.text.load import load_book
from audiobook.text.model import Book


@dataclass(frozen=True)
class Written:
    """A script file written to disk."""

    path: Path
    script: ScriptFile
    backup: Path | None = None  # the previous version of ``path``, when there was one
    merged: Merged | None = None  # what an update kept and dropped


def write_script(
    story: Path,
    target: Path,
    *,
    config: CastConfig | None = None,
    engine: str | None = None,
    force: bool = False,
) -> Written:
    """Analyse ``story`` and write its script file to ``target``.

    An existing ``target`` may hold the user's corrections: it is replaced only with
    ``force`` (and kept as ``TARGET.bak``); otherwise :class:`OutputError`.
    """
    if not is_script_file(target):
        raise ConfigError(f"{target}: an editable script is YAML; name it NAME.script.yaml")
    _check_story(story)
    config = config or CastConfig()
    book = load_book(story)
    script_file = new_script_file(analyse(book, config), target)
    script_file = _voiced(script_file, book, config, engine)
    backup = save(target, script_file, replace_existing=force)
    return Written(target, script_file, backup)


def update_script(
    story: Path,
    existing: Path,
    target: Path | None = None,
    *,
    config: CastConfig | None = None,
    engine: str | None = None,
) -> Written:
    """Re-analyse ``story`` keeping the corrections in ``existing``; write ``target``.

    ``target`` defaults to ``existing`` itself, whose previous version is then kept as
    ``EXISTING.bak``. Corrections that no longer apply are listed in the new file.
    """
    _check_story(story)
    config = config or CastConfig()
    old = read_script_file(existing)
    book = load_book(story)
    target = target or existing
    script_file, merged = updated_script_file(old, analyse(book, config), target)
    script_file = _voiced(script_file, book, config, engine)
    backup = save(target, script_file, replace_existing=True)
    return Written(target, script_file, backup, merged)


def _check_story(story: Path) -> None:
    if is_script_file(story):
        raise ConfigError(f"{story} is a script file; give the story it was made from")


def _voiced(
    script_file: ScriptFile, book: Book, config: CastConfig, engine: str | None
) -> ScriptFile:
    script = lines_script(script_file, book, config)
    casting, engines = plan_cast(script, config, engine)
    for built in engines.values():
        built.close()
    return with_voices(script_file, casting, script.cast)


def update_report(written: Written) -> str:
    """What an update kept and dropped, as the ``script --update`` command prints it."""
    merged = written.merged
    lines = [f"wrote {written.path} ({len(written.script.lines)} lines)"]
    if written.backup is not None:
        lines[0] += f"; the previous version is {written.backup}"
    if merged is None:
        return "\n".join(lines) + "\n"
    lines.append(f"kept {len(merged.kept)} correction(s)" + (":" if merged.kept else ""))
    lines += [f"  {c.id}  ch {c.chapter}  {c.what}" for c in merged.kept]
    if merged.lost:
        lines.append(
            f"dropped {len(merged.lost)} correction(s) whose text is no longer in the story "
            "(listed under `dropped:` in the file):"
        )
        lines += [f"  {c.id}  ch {c.chapter}  {c.what}" for c in merged.lost]
    else:
        lines.append("dropped 0 corrections")
    return "\n".join(lines) + "\n"


def review_document(
    source: Path, config: CastConfig | None = None, engine: str | None = None
) -> tuple[dict[str, Any], Path | None]:
    """The script document to review, and the folder of its MP3s (None: no audio yet).

    ``source`` is a folder made by ``make`` (its ``script.json``), an editable script
    file, or a story (analysed and cast here).
    """
    if source.is_dir():
        path = source / "script.json"
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{source}: no script.json; is it a folder `make` wrote?") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: not a readable script.json ({exc})") from exc
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise InputError(f"{path}: not a script.json written by audiobook")
        return document, source
    config = config or CastConfig()
    script = read_script(source, config, Silent())
    casting, engines = plan_cast(script, config, engine)
    for built in engines.values():
        built.close()
    return script_document(script, casting), None


def write_review(
    source: Path,
    out: Path | None = None,
    *,
    config: CastConfig | None = None,
    engine: str | None = None,
) -> Path:
    """Write the review page of ``source`` (see :func:`review_document`); return its path.

    By default the page is ``review.html`` in a book's folder, else ``NAME.review.html``
    beside the file. Players link the chapter MP3s by relative paths.
    """
    document, folder = review_document(source, config, engine)
    if out is None:
        out = folder / "review.html" if folder else source.with_name(f"{source.stem}.review.html")
    audio = {}
    if folder is not None:
        for name in {s.get("file") for s in document["segments"]} - {None}:
            if (folder / name).is_file():
                href = os.path.relpath((folder / name).resolve(), out.resolve().parent)
                audio[name] = quote(Path(href).as_posix())
    page = render_review(document, audio)
    with atomic_write(out, "w") as handle:
        handle.write(page)
    return out
