"""Output files: atomic writes, safe names from titles, output folders.

Every file the tool publishes is written under a hidden temporary name in the same
folder and renamed onto its final name only when complete, so a killed run (Ctrl-C,
power cut, full disk) never leaves a half-written MP3 that looks finished. Names come
from story titles, which may contain anything; :func:`safe_name` turns them into one
portable path component.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from audiobook.errors import OutputError

_LOGGER = logging.getLogger(__name__)

# A file-system name may hold 255 bytes; temporary names add a prefix and suffix.
NAME_MAX_BYTES = 255
_TEMP_EXTRA_BYTES = 24  # "." + "." + 8 random characters + ".part", with room to spare
_TEMP_STEM_BYTES = NAME_MAX_BYTES - _TEMP_EXTRA_BYTES

# Characters Windows (and often macOS Finder or Samba shares) refuse in names, and how
# each is written instead: readable substitutes where there is one, else dropped.
_REPLACE = str.maketrans(
    {"/": "-", "\\": "-", ":": " -", "|": "-", '"': "'", "*": "", "?": "", "<": "", ">": ""}
)
# Bidirectional overrides can make a name display differently from what it is.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]}
)
_SPACES = re.compile(r"\s+")


def reason(exc: BaseException) -> str:
    """Why ``exc`` happened, in a few words, without repeating the file name.

    ``"No space left on device"`` for OS errors, also when wrapped in another library's
    error (as mutagen does); otherwise the exception's own message.
    """
    cause = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], OSError) else exc
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(exc) or type(exc).__name__


def _output_error(path: Path, exc: OSError, what: str = "write") -> OutputError:
    """``cannot write PATH: REASON`` in one line, from an OS error."""
    return OutputError(f"cannot {what} {path}: {reason(exc)}")


def _temp_prefix(path: Path) -> str:
    """Hidden temp-name prefix for ``path``, short enough for any final name."""
    return "." + _truncate_bytes(path.name, _TEMP_STEM_BYTES) + "."


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it onto ``path`` when the body succeeds.

    ``mode`` is ``"wb"`` or ``"w"`` (text, UTF-8). The data are flushed and fsynced
    before the rename (by :func:`atomic_path`, which this builds on). If the body
    raises, the temporary file is removed and ``path`` is left as it was. OS errors
    from opening, syncing or renaming, and write errors raised in the body (those
    naming no other file), become :class:`OutputError`.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_write mode must be 'wb' or 'w', not {mode!r}")
    with atomic_path(path) as tmp:
        try:
            encoding = None if "b" in mode else "utf-8"
            stream: IO[Any] = open(tmp, mode, encoding=encoding)  # noqa: SIM115
        except OSError as exc:
            raise _output_error(path, exc) from exc
        with stream:
            try:
                yield stream
                stream.flush()  # fsync follows in atomic_path, after the file is closed
            except OSError as exc:
                # A failed write in the body carries no file name (or the temp name);
                # an error about some other file (an input) is not ours to relabel.
                if exc.filename not in (None, str(tmp), tmp):
                    raise
                raise _output_error(path, exc) from exc


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` when the body succeeds.

    For writers that take a path (the encoder, then the tagger, both on the same
    temporary file). The temporary file exists, empty, when the body starts; its name
    starts with ``"."`` and ends with ``".part"``. On an exception it is removed and
    ``path`` is untouched.
    """
    path = Path(path)
    tmp = _create_temp(path)
    try:
        yield tmp
        _fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError) and exc.filename in (None, str(tmp), str(path)):
            raise _output_error(path, exc) from exc
        raise
    _fsync_dir(path.parent)


def _create_temp(path: Path) -> Path:
    """Create an empty, uniquely named temporary file beside ``path``.

    Unlike ``tempfile.mkstemp`` (mode 0600), the file gets the usual permissions the
    umask allows, which the finished file keeps after the rename.
    """
    prefix = _temp_prefix(path)
    for _ in range(100):
        tmp = path.parent / f"{prefix}{secrets.token_hex(4)}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _output_error(path, exc) from exc
        os.close(fd)
        return tmp
    raise OutputError(f"cannot write {path}: no free temporary name in {path.parent}")


def _fsync_file(path: Path) -> None:
    """Flush ``path``'s data to disk (writers that work on paths rarely fsync)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Persist a rename; best effort, as some file systems refuse fsync on folders."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        _LOGGER.debug("fsync of folder %s failed: %s", folder, exc)
    finally:
        os.close(fd)


def ensure_dir(path: Path) -> Path:
    """Create folder ``path`` (and its parents) and check it is writable; return it.

    Raises :class:`OutputError` naming the folder when it cannot be created (a file is
    in the way, permission denied) or is not writable.
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"cannot create folder {path}: a file is in the way") from None
    except OSError as exc:
        raise _output_error(path, exc, "create folder") from exc
    # os.access also honours read-only mounts, which matters when running as root.
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to folder {path}: permission denied")
    return path


def _truncate_bytes(text: str, max_bytes: int) -> str:
    """The longest prefix of ``text`` whose UTF-8 form fits ``max_bytes``, whole characters."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    # Dropping the bytes of a cut character keeps the prefix valid UTF-8.
    return data[:max_bytes].decode("utf-8", errors="ignore")


def _is_unsafe_char(ch: str) -> bool:
    """Control, separator-line, lone-surrogate and bidi-override characters."""
    return unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI_CONTROLS


def _unreserve(name: str) -> str:
    """Make Windows device names (``CON``, ``com1.txt``...) ordinary by marking the stem."""
    stem, dot, rest = name.partition(".")
    if stem.strip().upper() in _RESERVED:
        return f"{stem.rstrip()}_{dot}{rest}"
    return name


def _clean(title: str, max_len: int) -> str:
    """:func:`safe_name` without the fallback: may return ``""``."""
    text = unicodedata.normalize("NFC", title)
    text = "".join(" " if _is_unsafe_char(ch) else ch for ch in text).translate(_REPLACE)
    # Leading dots would hide the file (and make "." or ".."); trailing dots and spaces
    # are silently dropped by Windows, so two titles could collide there.
    name = _SPACES.sub(" ", text).strip(" .")
    name = _unreserve(name)
    if len(name.encode("utf-8")) > max_len:
        name = _unreserve(_truncate_bytes(name, max_len).rstrip(" ."))
        # Marking a reserved stem added a byte; cutting one more cannot make it reserved again.
        name = _truncate_bytes(name, max_len).rstrip(" .")
    return name


def safe_name(title: str, *, max_len: int = 120) -> str:
    """One portable file or folder name made from ``title``.

    The result has no path separators, NUL or control characters, none of
    ``:*?"<>|``, no leading dots or spaces, no trailing dots or spaces, and is never
    ``.``, ``..`` or a Windows device name. Unicode is kept (NFC). It is at most
    ``max_len`` bytes of UTF-8 (whole characters only): the default leaves room for a
    track-number prefix, an extension and the temporary-name suffix within the 255-byte
    limit of common file systems. An empty result becomes ``"untitled"``.
    """
    if not 16 <= max_len <= NAME_MAX_BYTES:
        raise ValueError(f"max_len must be 16..{NAME_MAX_BYTES} bytes, not {max_len}")
    return _clean(title, max_len) or "untitled"


def chapter_filename(index: int, total: int, title: str) -> str:
    """``"01 - The Net.mp3"``: the 1-based ``index`` zero-padded wide enough for ``total``.

    Padding makes names sort in reading order. An empty or unusable title gives
    ``"01 - Chapter 1.mp3"``.
    """
    if not 1 <= index <= total:
        raise ValueError(f"chapter index {index} is outside 1..{total}")
    width = max(2, len(str(total)))
    name = _clean(title, 120) or f"Chapter {index}"
    return f"{index:0{width}d} - {name}.mp3"


def book_dirname(title: str) -> str:
    """Folder name for a book's files, from its title (``"untitled"`` if none is usable)."""
    return safe_name(title)
