"""The segment cache: each segment's synthesized audio, stored under a key of what made it.

The key is a SHA-256 over everything that decides the sound: the spoken text (after
the pronunciation lexicon, Unicode-normalised, whitespace collapsed), the engine's
name, version and options, and the voice with its settings. Re-running a book after
editing one line, or one character's voice, finds every other segment here. Lexicon
entries are part of the spoken text, so changing how a name is said re-synthesises
only the lines that contain it; :data:`LEXICON_RULES` versions how entries are applied.

An entry is one file, ``ab/abcdef....seg``: a header (magic, sample rate, frame count,
SHA-256 of the samples) and mono float32 samples. A file whose checksum does not match
(a torn write after a power cut, a disk error, a hand edit) is deleted and counts as a
miss, so the segment is synthesized again and never stitched. Entries are written
under a temporary name and renamed, so readers (other processes, other machines
sharing the folder) only ever see whole entries. They are not fsynced: a killed
process loses nothing the kernel has, and the checksum catches what a power cut tears.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import struct
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audiobook.engines.base import Audio, Voice
from audiobook.errors import OutputError
from audiobook.publish.files import reason

_LOGGER = logging.getLogger(__name__)

CACHE_ENV = "AUDIOBOOK_CACHE"  # overrides the default folder; ``--cache`` overrides both
FORMAT = 1  # bump when the entry layout or the key recipe changes
LEXICON_RULES = 1  # bump when the way lexicon entries are applied to text changes
# Engine options that change speed, not sound: left out of the key.
_NOT_SOUND = frozenset({"threads"})
_MAGIC = b"ABSEG\x00\x00\x01"
_HEADER = struct.Struct("<8sIQ32s")  # magic, sample rate, frames, SHA-256 of the samples
_SUFFIX = ".seg"
_TEMP_SUFFIX = ".tmp"
_READ_CHUNK = 1 << 20


def default_cache_dir() -> Path:
    """``$AUDIOBOOK_CACHE``, else the user cache folder (``~/.cache/audiobook/segments``)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("audiobook")) / "segments"


def spoken_text(text: str) -> str:
    """``text`` as it is keyed and sent to engines: NFC, whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def segment_key(
    text: str, voice: Voice, engine_version: str, engine_options: Mapping[str, Any]
) -> str:
    """The cache key of ``text`` (already :func:`spoken_text`) spoken by ``voice``."""
    recipe = {
        "format": FORMAT,
        "lexicon_rules": LEXICON_RULES,
        "engine": voice.engine,
        "engine_version": engine_version,
        "engine_options": {k: v for k, v in engine_options.items() if k not in _NOT_SOUND},
        "voice": [voice.name, voice.speed, voice.pitch, [list(o) for o in voice.options]],
        "text": text,
    }
    blob = json.dumps(recipe, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """What the header of a verified entry says."""

    key: str
    rate: int  # samples per second
    frames: int  # number of samples

    @property
    def seconds(self) -> float:
        return self.frames / self.rate


@dataclass(frozen=True)
class CacheStats:
    """The size of a cache folder."""

    root: Path
    entries: int  # whole entries
    bytes: int  # their size on disk
    temporary: int  # leftovers of interrupted writes


class SegmentCache:
    """Segment audio on disk under ``root``; safe to share between processes and machines."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.discarded: list[Path] = []  # corrupt entries found (and deleted) by this object

    def entry_path(self, key: str) -> Path:
        """Where the entry for ``key`` lives (it may not exist)."""
        return self.root / key[:2] / f"{key}{_SUFFIX}"

    def verify(self, key: str) -> Entry | None:
        """The entry for ``key`` after checking its checksum; None if missing or corrupt."""
        found = self._read(key, keep=False)
        return found[0] if found else None

    def load(self, key: str) -> Audio | None:
        """The audio stored for ``key``, checksum verified; None if missing or corrupt."""
        found = self._read(key, keep=True)
        if found is None:
            return None
        entry, payload = found
        samples = np.frombuffer(payload, dtype="<f4").astype(np.float32)
        return Audio(samples, entry.rate)

    def store(self, key: str, audio: Audio) -> Entry:
        """Write ``audio`` for ``key`` atomically; :class:`OutputError` naming the file if not."""
        samples = np.ascontiguousarray(audio.samples, dtype="<f4")
        payload = samples.tobytes()
        header = _HEADER.pack(
            _MAGIC, audio.sample_rate, len(samples), hashlib.sha256(payload).digest()
        )
        path = self.entry_path(key)
        tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}{_TEMP_SUFFIX}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                handle.write(header)
                handle.write(payload)
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise OutputError(f"cannot write cache entry {path}: {reason(exc)}") from exc
        return Entry(key, audio.sample_rate, len(samples))

    def stats(self) -> CacheStats:
        """How many entries the folder holds and their size."""
        entries = size = temporary = 0
        for path in self._files():
            if path.name.endswith(_TEMP_SUFFIX):
                temporary += 1
                continue
            entries += 1
            with contextlib.suppress(OSError):
                size += path.stat().st_size
        return CacheStats(self.root, entries, size, temporary)

    def clear(self) -> CacheStats:
        """Delete every entry and leftover temporary file (nothing else); what was removed."""
        before = self.stats()
        for path in self._files():
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise OutputError(f"cannot delete {path}: {reason(exc)}") from exc
        for folder in self._folders():
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: the user's own files stay
        return before

    def _folders(self) -> Iterator[Path]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and len(folder.name) == 2:
                yield folder

    def _files(self) -> Iterator[Path]:
        for folder in self._folders():
            for path in folder.iterdir():
                if path.name.endswith((_SUFFIX, _TEMP_SUFFIX)):
                    yield path

    def _read(self, key: str, *, keep: bool) -> tuple[Entry, bytes] | None:
        """Read and check one entry; a corrupt one is deleted and reported as missing."""
        path = self.entry_path(key)
        try:
            with open(path, "rb") as handle:
                parsed = _parse(key, handle, keep=keep)
        except FileNotFoundError:
            return None
        except OSError as exc:
            _LOGGER.warning("cannot read cache entry %s: %s", path, reason(exc))
            return None
        if parsed is None:
            _LOGGER.warning("corrupt cache entry %s: synthesizing it again", path)
            self.discarded.append(path)
            with contextlib.suppress(OSError):
                path.unlink()
        return parsed


def _parse(key: str, handle: Any, *, keep: bool) -> tuple[Entry, bytes] | None:
    """Header and (if ``keep``) payload of an open entry; None when anything is off."""
    head = handle.read(_HEADER.size)
    if len(head) != _HEADER.size:
        return None
    magic, rate, frames, digest = _HEADER.unpack(head)
    if magic != _MAGIC or rate <= 0:
        return None
    hasher = hashlib.sha256()
    chunks: list[bytes] = []
    remaining = frames * 4
    while remaining > 0:
        chunk = handle.read(min(_READ_CHUNK, remaining))
        if not chunk:
            return None  # truncated
        hasher.update(chunk)
        if keep:
            chunks.append(chunk)
        remaining -= len(chunk)
    if handle.read(1) or hasher.digest() != digest:
        return None
    return Entry(key, rate, frames), b"".join(chunks)
