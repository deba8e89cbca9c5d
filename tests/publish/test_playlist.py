"""The .m3u8 playlist."""

from __future__ import annotations

from pathlib import Path

from audiobook.publish.playlist import Entry, write_playlist


def test_extended_m3u_with_relative_names(tmp_path: Path) -> None:
    entries = [Entry(tmp_path / "01 - The Lamp.mp3", 121.3, "Chapter 1: The Lamp"),
               Entry(tmp_path / "02 - Après.mp3", 75.0, "Chapter 2:\nAprès")]  # fmt: skip
    path = write_playlist(tmp_path / "Book.m3u8", entries, title="Book", artist="Ann")
    assert path.read_text(encoding="utf-8") == (
        "#EXTM3U\n#PLAYLIST:Book\n"
        "#EXTINF:122,Ann - Chapter 1: The Lamp\n01 - The Lamp.mp3\n"
        "#EXTINF:75,Ann - Chapter 2: Après\n02 - Après.mp3\n"
    )
