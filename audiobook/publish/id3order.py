"""Put the CHAP frames of a saved ID3v2 tag in time order, in place.

mutagen sorts the frames it saves by an importance list and then by frame size, so
chapter frames come out ordered by the length of their titles (mutagen issue 506).
Readers that ignore the CTOC table of contents (ffmpeg, many players) list chapters in
stored order. This module swaps the CHAP frames among the slots they already occupy,
sorted by start time, so the tag keeps its size and every other frame its place.
"""

from __future__ import annotations

import logging
from pathlib import Path

_LOGGER = logging.getLogger(__name__)

_HEADER = 10  # bytes of the tag header and of each frame header
_UNSYNC, _EXTENDED = 0x80, 0x40  # tag header flags this module cannot rewrite under


def _size(raw: bytes, syncsafe: bool) -> int:
    """A size field: plain big-endian, or "syncsafe" (7 bits per byte, as tag headers are)."""
    if not syncsafe:
        return int.from_bytes(raw, "big")
    size = 0
    for byte in raw:
        size = (size << 7) | (byte & 0x7F)
    return size


def _frames(body: bytes, syncsafe: bool) -> list[tuple[bytes, bytes]]:
    """(frame id, whole frame bytes) for each frame of a tag body, up to the padding."""
    frames = []
    pos = 0
    while pos + _HEADER <= len(body) and body[pos] != 0:
        length = _size(body[pos + 4 : pos + 8], syncsafe)
        end = pos + _HEADER + length
        if end > len(body):
            raise ValueError("frame runs past the end of the tag")
        frames.append((body[pos : pos + 4], body[pos:end]))
        pos = end
    return frames


def _start_time(frame: bytes) -> int:
    """Start time (ms) of a CHAP frame: after the frame header and NUL-ended element id."""
    id_end = frame.index(b"\x00", _HEADER)
    return int.from_bytes(frame[id_end + 1 : id_end + 5], "big")


def reorder(tag: bytes) -> bytes:
    """A whole ID3v2.3/2.4 tag (header included) with its CHAP frames in time order.

    Returns ``tag`` unchanged when it has fewer than two CHAP frames, or uses
    unsynchronisation or an extended header (mutagen writes neither).
    """
    if tag[:3] != b"ID3" or tag[3] not in (3, 4) or tag[5] & (_UNSYNC | _EXTENDED):
        return tag
    body = tag[_HEADER:]
    frames = _frames(body, syncsafe=tag[3] == 4)
    chapters = [frame for fid, frame in frames if fid == b"CHAP"]
    if len(chapters) < 2:
        return tag
    in_time = iter(sorted(chapters, key=_start_time))
    ordered = [next(in_time) if fid == b"CHAP" else frame for fid, frame in frames]
    used = sum(len(f) for f in ordered)
    return tag[:_HEADER] + b"".join(ordered) + body[used:]


def order_chapter_frames(path: Path) -> None:
    """Rewrite the ID3v2 tag at the start of ``path`` with CHAP frames in time order.

    The tag's size does not change, so only its bytes are overwritten. OS errors
    propagate (the caller names the file).
    """
    with open(path, "r+b") as handle:
        header = handle.read(_HEADER)
        if len(header) < _HEADER or header[:3] != b"ID3":
            return
        tag = header + handle.read(_size(header[6:10], syncsafe=True))
        fixed = reorder(tag)
        if fixed != tag:
            handle.seek(0)
            handle.write(fixed)
            _LOGGER.debug("%s: CHAP frames put in time order", path)
