"""The book's ``.m3u8`` playlist: its chapter files in reading order.

Extended M3U in UTF-8 (the ``8``): a ``#EXTM3U`` header, a ``#PLAYLIST`` title, then
per file an ``#EXTINF:<seconds>,<artist> - <title>`` line and the file's name relative
to the playlist, so the folder can be moved or served as it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audiobook.publish.files import atomic_write


@dataclass(frozen=True)
class Entry:
    """One file in the playlist."""

    path: Path  # the chapter file; written relative to the playlist's folder
    seconds: float
    title: str


def _one_line(text: str) -> str:
    return " ".join(text.split())


def playlist(entries: Sequence[Entry], *, title: str, artist: str, folder: Path) -> str:
    """The text of an extended M3U playlist of ``entries`` living in ``folder``."""
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(title)}"]
    for entry in entries:
        seconds = math.ceil(entry.seconds)
        label = f"{_one_line(artist)} - {_one_line(entry.title)}" if artist else entry.title
        lines.append(f"#EXTINF:{seconds},{label}")
        lines.append(Path(entry.path).relative_to(folder).as_posix())
    return "\n".join(lines) + "\n"


def write_playlist(path: Path, entries: Sequence[Entry], *, title: str, artist: str) -> Path:
    """Write the playlist to ``path`` atomically; the entries must sit in its folder."""
    text = playlist(entries, title=title, artist=artist, folder=path.parent)
    with atomic_write(path, "w") as handle:
        handle.write(text)
    return path
