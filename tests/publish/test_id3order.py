"""Reordering CHAP frames inside raw tag bytes."""

from __future__ import annotations

from audiobook.publish.id3order import reorder


def frame(fid: bytes, payload: bytes) -> bytes:
    return fid + len(payload).to_bytes(4, "big") + b"\x00\x00" + payload


def chap(eid: bytes, start: int, title: bytes = b"") -> bytes:
    times = start.to_bytes(4, "big") + (start + 10).to_bytes(4, "big") + b"\xff" * 8
    return frame(b"CHAP", eid + b"\x00" + times + title)


def tag(frames: list[bytes], padding: int = 16) -> bytes:
    body = b"".join(frames) + b"\x00" * padding
    size = len(body)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x03\x00\x00" + syncsafe + body


def test_chapters_move_into_time_order_around_other_frames() -> None:
    tit2 = frame(b"TIT2", b"\x00Title")
    late, early, middle = chap(b"c3", 300, b"xxxxxxxx"), chap(b"c1", 0), chap(b"c2", 100, b"yy")
    fixed = reorder(tag([tit2, early, late, frame(b"TALB", b"\x00A"), middle]))
    assert fixed == tag([tit2, early, middle, frame(b"TALB", b"\x00A"), late])


def test_nothing_to_do_leaves_the_bytes_alone() -> None:
    one = tag([frame(b"TIT2", b"\x00T"), chap(b"c1", 0)])
    assert reorder(one) == one
    assert reorder(b"not a tag") == b"not a tag"
