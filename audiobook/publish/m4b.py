"""One-file audiobook (``.m4b``): every chapter file joined, with chapter marks and a cover.

ffmpeg (the binary inside ``imageio-ffmpeg``) decodes the chapter MP3s, joins them
with its ``concat`` filter (sample-exact, unlike joining files by timestamps), encodes
AAC and muxes an MP4 with the book's metadata, a chapter list and the cover as an
attached picture. Chapters come from an ffmetadata file; its ``TIMEBASE=1/1000``
matters, since without it ffmpeg reads the times as nanoseconds.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audiobook.audio.ffmpeg import run_ffmpeg
from audiobook.errors import OutputError
from audiobook.publish.files import atomic_path
from audiobook.publish.tags import Picture

_LOGGER = logging.getLogger(__name__)

AAC_BITRATE = 64  # kbit/s: transparent for mono speech, a tenth of the MP3s' size
_SPECIAL = ("\\", "=", ";", "#", "\n")  # characters ffmetadata needs escaped


@dataclass(frozen=True)
class BookInfo:
    """The book-level metadata of the M4B."""

    title: str
    author: str
    narrator: str = ""
    year: int | None = None
    language: str = ""  # ISO 639-2, e.g. "eng"
    genre: str = "Audiobook"
    comment: str = ""


@dataclass(frozen=True)
class Part:
    """One chapter file going into the M4B."""

    path: Path  # an audio file ffmpeg can decode
    title: str  # the chapter mark's title
    seconds: float  # its decoded duration: the chapter marks are cumulative sums of these


def _escape(value: str) -> str:
    for ch in _SPECIAL:
        value = value.replace(ch, "\\" + ch)
    return value


def ffmetadata(info: BookInfo, parts: Sequence[Part]) -> str:
    """The ffmetadata text: global tags, then one ``[CHAPTER]`` per part (milliseconds)."""
    tags = {
        "title": info.title,
        "album": info.title,
        "artist": info.author,
        "album_artist": info.author,
        "composer": info.narrator,
        "genre": info.genre,
        "date": str(info.year) if info.year else "",
        "language": info.language,
        "comment": info.comment,
    }
    lines = [";FFMETADATA1"]
    lines += [f"{key}={_escape(value)}" for key, value in tags.items() if value]
    start = 0
    elapsed = 0.0
    for part in parts:
        elapsed += part.seconds
        end = round(elapsed * 1000)
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}"]
        lines.append(f"title={_escape(part.title)}")
        start = end
    return "\n".join(lines) + "\n"


def _command(parts: Sequence[Part], meta: Path, cover: Path | None, out: Path) -> list[str]:
    cmd = ["-y"]
    for part in parts:
        cmd += ["-i", str(part.path)]
    meta_index = len(parts)
    cmd += ["-f", "ffmetadata", "-i", str(meta)]
    if cover is not None:
        cmd += ["-i", str(cover)]
    joined = "".join(f"[{i}:a:0]" for i in range(len(parts)))
    cmd += ["-filter_complex", f"{joined}concat=n={len(parts)}:v=0:a=1[book]", "-map", "[book]"]
    cmd += ["-map_metadata", str(meta_index), "-map_chapters", str(meta_index)]
    if cover is not None:
        cmd += ["-map", f"{meta_index + 1}:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]
    cmd += ["-c:a", "aac", "-b:a", f"{AAC_BITRATE}k", "-movflags", "+faststart"]
    return [*cmd, "-f", "mp4", str(out)]


def write_m4b(
    path: Path, parts: Sequence[Part], info: BookInfo, cover: Picture | None = None
) -> Path:
    """Write the M4B audiobook of ``parts`` to ``path`` (atomically) and return it.

    Raises :class:`OutputError` with ffmpeg's last error line when it fails, and
    ``ValueError`` when there are no parts.
    """
    if not parts:
        raise ValueError("an M4B needs at least one chapter")
    with tempfile.TemporaryDirectory(prefix="audiobook-m4b-") as work:
        meta = Path(work) / "chapters.txt"
        meta.write_text(ffmetadata(info, parts), encoding="utf-8")
        art = None
        if cover is not None:
            art = Path(work) / ("cover.png" if cover.mime == "image/png" else "cover.jpg")
            art.write_bytes(cover.data)
        with atomic_path(path) as tmp:
            _run(_command(parts, meta, art, tmp), path)
    return path


def _run(cmd: list[str], path: Path) -> None:
    run_ffmpeg(cmd, lambda why: OutputError(f"cannot write {path}: {why}"))
