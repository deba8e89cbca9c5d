"""ID3 tags: write, reopen, compare against golden frames."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import CHAP, ID3, TIT2, TXXX

from audiobook.audio.encode import encode_mp3
from audiobook.audio.ffmpeg import ffmpeg_exe
from audiobook.errors import InputError, OutputError
from audiobook.publish.files import atomic_path
from audiobook.publish.tags import (
    ChapterTags,
    Marker,
    Picture,
    bcp47,
    iso639_2,
    read_tags,
    write_tags,
)

TAGS = ChapterTags(
    title="The Net",
    album="Fishers of Dawn",
    artist="Ann Author",
    album_artist="Ann Author",
    track=1,
    total=12,
    year=2024,
    language="en-GB",
    comment="Narrated by espeak:en-us; characters by the audiobook tool",
    cast=(("Alice", "espeak:en-us+f3"), ("Mr: Bob", "fake:m1[speed=1.2]")),
)

GOLDEN = {
    "TIT2": ["The Net"],
    "TALB": ["Fishers of Dawn"],
    "TPE1": ["Ann Author"],
    "TPE2": ["Ann Author"],
    "TRCK": ["1/12"],
    "TCON": ["Audiobook"],
    "TDRC": ["2024"],
    "TLAN": ["eng"],
    "COMM::eng": ["Narrated by espeak:en-us; characters by the audiobook tool"],
    "TXXX:CAST": ["Alice: espeak:en-us+f3\nMr: Bob: fake:m1[speed=1.2]"],
}


@pytest.fixture(scope="module")
def blank_mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tags") / "blank.mp3"
    encode_mp3(np.zeros(4410, np.float32), 44100, path)
    return path


@pytest.fixture
def mp3(blank_mp3: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(blank_mp3, tmp_path / "01 - The Net.mp3"))


def frames(path: Path) -> dict[str, list[str]]:
    """Text frames as strings (chapters, pictures and lyrics are checked on their own)."""
    return {
        key: [str(t) for t in frame.text]
        for key, frame in ID3(path).items()
        if key[:4] not in ("CHAP", "CTOC", "APIC", "USLT")
    }


def test_frames_match_golden(mp3: Path) -> None:
    write_tags(mp3, TAGS)
    assert frames(mp3) == GOLDEN
    assert ID3(mp3).version == (2, 3, 0)  # what every player reads


def test_round_trip(mp3: Path) -> None:
    write_tags(mp3, TAGS)
    # The language comes back as its primary subtag: TLAN holds only the language.
    assert read_tags(mp3) == ChapterTags(**{**TAGS.__dict__, "language": "en"})


def test_unicode_round_trip_and_empty_fields(mp3: Path) -> None:
    tags = ChapterTags(
        title="Ça commence 🐟",
        album="Les Pêcheurs",
        artist="Zoë",
        album_artist="",
        track=3,
        total=3,
        language="fr",
    )
    write_tags(mp3, tags)
    assert read_tags(mp3) == tags
    assert "TPE2" not in frames(mp3) and "TDRC" not in frames(mp3)
    assert frames(mp3)["TLAN"] == ["fre"]


def test_write_replaces_existing_tags(mp3: Path) -> None:
    write_tags(mp3, TAGS)
    old = ID3(mp3)
    old.add(TXXX(encoding=3, desc="STALE", text=["x"]))
    old.save(mp3, v1=2)  # with an ID3v1 tag too
    write_tags(mp3, ChapterTags("Dawn", "Fishers of Dawn", "Ann Author", "Ann Author", 2, 12))
    assert set(frames(mp3)) == {"TIT2", "TALB", "TPE1", "TPE2", "TRCK", "TCON", "TLAN"}
    assert mp3.read_bytes()[-128:-125] != b"TAG"  # the ID3v1 tag is gone


def test_write_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "gone.mp3"
    message = f"cannot write tags to {missing}: No such file"
    with pytest.raises(OutputError, match=re.escape(message)):
        write_tags(missing, TAGS)
    assert not missing.exists()
    with pytest.raises(OutputError, match=re.escape(f"cannot write tags to {tmp_path}")):
        write_tags(tmp_path, TAGS)


def test_read_errors_name_the_file(blank_mp3: Path, tmp_path: Path) -> None:
    message = f"cannot read tags from {blank_mp3}: no ID3 tag"
    with pytest.raises(InputError, match=re.escape(message)):
        read_tags(blank_mp3)
    with pytest.raises(InputError, match=r"gone\.mp3: No such file"):
        read_tags(tmp_path / "gone.mp3")


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("en", "eng"),
        ("en-US", "eng"),
        ("de_DE", "ger"),
        ("zh-Hant-TW", "chi"),
        ("haw", "haw"),
        ("xx", "und"),
        ("", "und"),
    ],
)
def test_iso639_2(language: str, code: str) -> None:
    assert iso639_2(language) == code


@pytest.mark.parametrize(
    ("code", "language"), [("eng", "en"), ("ger", "de"), ("deu", "de"), ("und", ""), ("haw", "haw")]
)
def test_bcp47(code: str, language: str) -> None:
    assert bcp47(code) == language


def test_chapter_tags_validate() -> None:
    with pytest.raises(ValueError, match="track 0"):
        ChapterTags("t", "a", "b", "b", 0, 3)
    with pytest.raises(ValueError, match="track 4"):
        ChapterTags("t", "a", "b", "b", 4, 3)
    with pytest.raises(ValueError, match="year"):
        ChapterTags("t", "a", "b", "b", 1, 3, year=0)
    with pytest.raises(ValueError, match="one line"):
        ChapterTags("t", "a", "b", "b", 1, 3, cast=(("Al\nice", "fake:f1"),))


def test_encode_then_tag_under_one_temp_name(tmp_path: Path) -> None:
    final = tmp_path / "01 - The Net.mp3"
    with atomic_path(final) as tmp:
        encode_mp3(np.zeros(4410, np.float32), 44100, tmp)
        write_tags(tmp, TAGS)
        assert not final.exists()
    assert frames(final) == GOLDEN
    assert [p.name for p in tmp_path.iterdir()] == [final.name]


# Titles of very different lengths: mutagen alone would store these by size, not time.
MARKERS = (
    Marker(0, 1200, "A first scene with a long, long title that makes a big frame"),
    Marker(1200, 2500, "B"),
    Marker(2500, 4000, "Third scene, middling"),
    Marker(4000, 5000, "Fourth"),
)
FULL = replace(
    TAGS,
    language="en",
    narrator="Joe",
    lyrics='The storm came in.\n\n"You\'re late," Elias said.',
    cover=Picture(b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg"),
    markers=MARKERS,
)


def test_full_tags_round_trip(mp3: Path) -> None:
    write_tags(mp3, FULL)
    assert read_tags(mp3) == FULL
    found = frames(mp3)
    assert found["TCOM"] == ["Joe"]
    id3 = ID3(mp3)
    (lyrics,) = id3.getall("USLT")
    assert (lyrics.lang, lyrics.text) == ("eng", FULL.lyrics)
    (cover,) = id3.getall("APIC")
    assert (cover.type, cover.mime, cover.data) == (3, "image/jpeg", FULL.cover.data)
    (toc,) = id3.getall("CTOC")
    assert toc.child_element_ids == ["ch1", "ch2", "ch3", "ch4"] and toc.flags == 3


def test_mutagen_alone_stores_chapters_out_of_order(mp3: Path) -> None:
    """The trap (mutagen issue 506) that write_tags works around."""
    id3 = ID3()
    for i, m in enumerate(MARKERS, start=1):
        id3.add(CHAP(element_id=f"ch{i}", start_time=m.start_ms, end_time=m.end_ms,
                     sub_frames=[TIT2(encoding=3, text=[m.title])]))  # fmt: skip
    id3.save(mp3, v2_version=3)
    starts = [f.start_time for f in ID3(mp3).getall("CHAP")]
    assert starts != sorted(starts)


def test_chapter_frames_are_stored_in_time_order(mp3: Path) -> None:
    write_tags(mp3, FULL)
    stored = [f for f in ID3(mp3, translate=False).values() if f.FrameID == "CHAP"]
    assert [f.start_time for f in stored] == [0, 1200, 2500, 4000]
    assert read_tags(mp3).markers == MARKERS


def test_ffmpeg_reads_the_chapters_in_order(mp3: Path) -> None:
    """ffmpeg ignores CTOC and lists CHAP frames as stored: a reader that shows the trap."""
    write_tags(mp3, FULL)
    done = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "ffmetadata", "-"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    titles = re.findall(r"^title=(.*)$", done.stdout.split("[CHAPTER]", 1)[1], re.MULTILINE)
    assert titles == [m.title for m in MARKERS]


def test_markers_must_be_in_time_order() -> None:
    with pytest.raises(ValueError, match="time order"):
        ChapterTags("t", "a", "b", "b", 1, 1, markers=(MARKERS[1], MARKERS[0]))
    with pytest.raises(ValueError, match="start before it ends"):
        Marker(5, 5, "empty")
