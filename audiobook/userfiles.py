"""Reading the small text files users write by hand: voices.yaml, script files, lexicons."""

from __future__ import annotations

from pathlib import Path

from audiobook.errors import ConfigError


def read_user_text(path: Path, limit: int, kind: str) -> str:
    """The text of ``path``: UTF-8 (a BOM is dropped), at most ``limit`` bytes.

    ``kind`` names the file in the message ("a voices file"). Raises
    :class:`ConfigError` naming ``path`` when it is missing, too big, not UTF-8 or
    unreadable; the size is checked before anything is read.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise ConfigError(f"{path}: {size} bytes is too big for {kind}")
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from exc
