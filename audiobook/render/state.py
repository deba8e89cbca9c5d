"""What an output folder already holds: which files were made from which chapter recipe.

``make`` records, in ``.audiobook-state.json`` inside a book's folder, each chapter's
recipe (:mod:`audiobook.render.plan`) and, for each file it wrote, the file's SHA-256,
its measurement and its segments' times. On the next run a chapter whose recipe is
unchanged and whose files are all still there, byte for byte, is kept as it is: no
synthesis, no mastering, no encoding. Anything else (a missing or edited file, an
unreadable or older state file) means the chapter is made again, so the state file can
only save work, never keep a wrong file. It is written atomically after every chapter,
so a killed run keeps what it finished.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from audiobook.audio.measure import Measurement
from audiobook.audio.mpeg import Mp3Format
from audiobook.publish.files import atomic_write

_LOGGER = logging.getLogger(__name__)

STATE_NAME = ".audiobook-state.json"
_VERSION = 1
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileState:
    """One written file as the state remembers it."""

    name: str  # file name in the book folder
    title: str  # chapter (or part) title
    sha256: str  # of the file's bytes
    format: Mp3Format
    levels: Measurement
    timings: tuple[tuple[float, float], ...]  # each item's (start, end) in the file, in order


def file_digest(path: Path) -> str:
    """SHA-256 of ``path``'s bytes, read in chunks."""
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_HASH_CHUNK), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


class BookState:
    """The state file of one book folder, loaded at start and saved after each chapter."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / STATE_NAME
        self._chapters: dict[str, dict[str, Any]] = _load(self.path)
        self.previous = {f["name"] for c in self._chapters.values() for f in c.get("files", [])}

    def reusable(self, index: int, recipe: str) -> list[FileState] | None:
        """The files of chapter ``index`` if they were made from ``recipe`` and are intact."""
        record = self._chapters.get(str(index))
        if not record or record.get("recipe") != recipe:
            return None
        try:
            files = [_file_state(f) for f in record["files"]]
        except (KeyError, TypeError, ValueError):
            return None
        for state in files:
            path = self.folder / state.name
            try:
                if file_digest(path) != state.sha256:
                    return None
            except OSError:
                return None
        return files

    def record(self, index: int, recipe: str, files: Sequence[FileState]) -> None:
        """Remember chapter ``index``'s files and save the state file."""
        self._chapters[str(index)] = {
            "recipe": recipe,
            "files": [_file_record(f) for f in files],
        }
        self._save()

    def forget(self, index: int) -> None:
        """Drop chapter ``index`` (it is being made again, or failed in part)."""
        if self._chapters.pop(str(index), None) is not None:
            self._save()

    def remove_stale(self, chapters: Iterable[int], produced: Iterable[str]) -> list[Path]:
        """Forget chapters not in ``chapters``; delete files this folder's state listed
        before the run that the run did not produce (an old chapter title's MP3 and
        transcripts). Returns the deleted paths.
        """
        wanted = {str(i) for i in chapters}
        self._chapters = {k: v for k, v in self._chapters.items() if k in wanted}
        removed = []
        for name in sorted(self.previous - set(produced)):
            for path in (self.folder / name, *_transcripts(self.folder / name)):
                try:
                    path.unlink()
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    _LOGGER.warning("cannot delete stale %s: %s", path, exc)
                    continue
                removed.append(path)
        self._save()
        return removed

    def _save(self) -> None:
        body = {"version": _VERSION, "chapters": self._chapters}
        with atomic_write(self.path, "w") as handle:
            handle.write(json.dumps(body, indent=1, sort_keys=True) + "\n")


def _transcripts(mp3: Path) -> tuple[Path, Path]:
    return mp3.with_suffix(".vtt"), mp3.with_suffix(".srt")


def _load(path: Path) -> dict[str, dict[str, Any]]:
    """The chapters of a state file; empty when it is missing, unreadable or another version."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        _LOGGER.info("ignoring %s: %s", path, exc)
        return {}
    if not isinstance(body, dict) or body.get("version") != _VERSION:
        return {}
    chapters = body.get("chapters")
    return chapters if isinstance(chapters, dict) else {}


def _file_record(state: FileState) -> dict[str, Any]:
    return {
        "name": state.name,
        "title": state.title,
        "sha256": state.sha256,
        "format": asdict(state.format),
        "levels": asdict(state.levels),
        "timings": [list(t) for t in state.timings],
    }


def _file_state(record: dict[str, Any]) -> FileState:
    """A :class:`FileState` from its record; ``TypeError``/``KeyError`` when it does not fit."""
    fmt = dict(record["format"])
    fmt["bitrates"] = tuple(tuple(pair) for pair in fmt["bitrates"])
    name = str(record["name"])
    if Path(name).name != name or name.startswith("."):
        raise ValueError(f"not a file name: {name!r}")  # a hand-edited state file
    return FileState(
        name=name,
        title=str(record["title"]),
        sha256=str(record["sha256"]),
        format=Mp3Format(**fmt),
        levels=Measurement(**record["levels"]),
        timings=tuple((float(a), float(b)) for a, b in record["timings"]),
    )
