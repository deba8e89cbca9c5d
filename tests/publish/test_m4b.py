"""The one-file audiobook: chapters, metadata and cover, read back by mutagen."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.mp4 import MP4

from audiobook.audio.profiles import AUDIOBOOK
from audiobook.publish.cover import draw_cover
from audiobook.publish.m4b import BookInfo, Part, ffmetadata, write_m4b
from tests.publish.helpers import mastered_mp3

INFO = BookInfo("Gull Point; a = b", "Ann Author", narrator="Joe", year=2024, language="eng")


def test_ffmetadata_escapes_and_uses_milliseconds() -> None:
    parts = [Part(Path("a.mp3"), "One # two", 1.5), Part(Path("b.mp3"), "Three\\four", 2.25)]
    text = ffmetadata(INFO, parts)
    assert text.startswith(";FFMETADATA1\ntitle=Gull Point\\; a \\= b\n")
    assert "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=One \\# two\n" in text
    assert "START=1500\nEND=3750\ntitle=Three\\\\four\n" in text
    assert "composer=Joe" in text and "date=2024" in text


def test_m4b_has_chapters_metadata_and_cover(tmp_path: Path) -> None:
    files = [mastered_mp3(tmp_path / f"{i}.mp3", AUDIOBOOK, seconds=4.0) for i in (1, 2, 3)]
    from audiobook.audio.encode import decode_audio

    parts = [Part(f, f"Chapter {i}", len(decode_audio(f)) / 44100) for i, f in enumerate(files, 1)]
    path = write_m4b(tmp_path / "book.m4b", parts, INFO, draw_cover("Gull Point", "Ann"))
    book = MP4(path)
    chapters = list(book.chapters)
    assert [c.title for c in chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    starts = [0.0, parts[0].seconds, parts[0].seconds + parts[1].seconds]
    assert [c.start for c in chapters] == pytest.approx(starts, abs=0.002)
    tags = book.tags
    assert tags["©nam"] == ["Gull Point; a = b"] and tags["©ART"] == ["Ann Author"]
    assert tags["©wrt"] == ["Joe"] and tags["©gen"] == ["Audiobook"] and len(tags["covr"][0]) > 1000
    assert book.info.length == pytest.approx(sum(p.seconds for p in parts), abs=0.1)
    assert not list(tmp_path.glob(".*.part"))


def test_no_parts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        write_m4b(tmp_path / "x.m4b", [], INFO)
