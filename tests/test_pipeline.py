"""End to end: the project's sample story through the real default engine to real MP3s."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

from audiobook.audio.encode import decode_audio
from audiobook.audio.profiles import AUDIOBOOK, PROFILES
from audiobook.cast.config import CastConfig
from audiobook.engines import registry
from audiobook.pipeline import Result, make
from audiobook.progress import Silent
from audiobook.publish.release import Release
from audiobook.publish.tags import read_tags
from tests.fakes import FakeEngine

SAMPLE = Path(__file__).parents[1] / "examples" / "gull-point.txt"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = make(SAMPLE, out, config=CastConfig(), progress=Silent(), release=Release(m4b=True))
    assert not result.failures
    return result.folder


@pytest.mark.slow
def test_chapters_are_real_tagged_mp3s(book: Path) -> None:
    files = sorted(book.glob("*.mp3"))
    assert [f.name for f in files] == [
        "01 - Chapter 1 - The Lamp.mp3",
        "02 - Chapter 2 - The Morning After.mp3",
    ]
    for index, path in enumerate(files, start=1):
        info = MP3(path).info
        assert info.sample_rate == 44100 and info.channels == 1
        assert info.bitrate == 192000
        assert info.length > 30
        tags = ID3(path)
        assert str(tags["TALB"]) == "The Keeper of Gull Point"
        assert str(tags["TPE1"]) == str(tags["TPE2"]) == "The audiobook developers"
        assert str(tags["TRCK"]) == f"{index}/2"
        assert str(tags["TCON"]) == "Audiobook"
        assert str(tags["TDRC"]) == "2026"
        assert str(tags["TLAN"]) == "eng"
    assert str(ID3(files[0])["TIT2"]) == "Chapter 1: The Lamp"


@pytest.mark.slow
def test_audio_is_speech_not_silence(book: Path) -> None:
    samples = decode_audio(next(book.glob("01 *.mp3")))
    rms_db = 20 * np.log10(np.sqrt(np.mean(samples**2)))
    assert -23 <= rms_db <= -18
    assert np.max(np.abs(samples)) <= 10 ** (-3 / 20)


@pytest.mark.slow
def test_script_json_times_every_segment(book: Path) -> None:
    document = json.loads((book / "script.json").read_text(encoding="utf-8"))
    segments = document["segments"]
    assert not any("Author:" in s["text"] or "Disclaimer" in s["text"] for s in segments)
    durations = {p.name: MP3(p).info.length for p in book.glob("*.mp3")}
    for seg in segments:
        assert 0 <= seg["t_start"] < seg["t_end"] <= durations[seg["file"]]
    speakers = {s["speaker"] for s in segments if s["kind"] == "dialogue"}
    assert {"Mara Quill", "Elias", "Tom Harlow", "Nell Harlow"} <= speakers
    voices = {s["speaker"]: s["voice"] for s in segments}
    assert (
        len({voices[n] for n in ("narrator", "Mara Quill", "Elias", "Tom Harlow", "Nell Harlow")})
        == 5
    )


AUDIT = Path(__file__).parents[2] / "shared" / "tools" / "audit_audio.py"
_TOOLS = AUDIT.is_file() and shutil.which("ffmpeg") and shutil.which("ffprobe")


@pytest.mark.slow
@pytest.mark.skipif(not _TOOLS, reason="needs ../shared/tools/audit_audio.py, ffmpeg and ffprobe")
def test_shared_audit_passes_and_ffprobe_reads_the_m4b(book: Path) -> None:
    files = sorted(str(p) for p in book.glob("*.mp3"))
    audit = subprocess.run([sys.executable, str(AUDIT), "--profile", "acx", *files],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert audit.returncode == 0, audit.stdout
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(book / "The Keeper of Gull Point.m4b")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    titles = [c["tags"]["title"] for c in json.loads(probe.stdout)["chapters"]]
    assert titles == ["Chapter 1: The Lamp", "Chapter 2: The Morning After"]


# --- release: mastering, tags, transcripts, playlist, M4B (fake engine, fast) ---------------

STORY = """The Net

Author: Ann Author
Year: 2024

Chapter 1: Dawn

The boats went out before the sun. Anna checked the nets twice.

"Hurry up," Tom said.

* * *

By noon the sea had turned grey. Nobody spoke for a long time.

Chapter 2: Dusk

"We're back," Anna said. The harbour lights were on.
"""


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Result:
    folder = tmp_path_factory.mktemp("release")
    story = folder / "net.txt"
    story.write_text(STORY, encoding="utf-8")
    release = Release(credits=True, m4b=True)
    registry.register(FakeEngine)  # module scope: before conftest's per-test registration
    try:
        return make(story, folder / "out", engine="fake", progress=Silent(), release=release)
    finally:
        registry.unregister(FakeEngine.NAME)


def test_every_file_is_mastered_and_measured(released: Result) -> None:
    assert [c.path.name for c in released.chapters] == [
        "01 - Chapter 1 - Dawn.mp3",
        "02 - Chapter 2 - Dusk.mp3",
    ]
    for chapter in released.chapters:
        assert chapter.report is not None and chapter.report.passed, chapter.report.failed
        assert chapter.seconds == pytest.approx(chapter.report.levels.seconds)
        assert MP3(chapter.path).info.length == pytest.approx(chapter.seconds, abs=0.05)
    assert released.book_checks and all(c.status != "fail" for c in released.book_checks)


def test_transcript_cues_match_the_segment_timings(released: Result) -> None:
    document = json.loads((released.folder / "script.json").read_text(encoding="utf-8"))
    for chapter in released.chapters:
        vtt = chapter.path.with_suffix(".vtt").read_text(encoding="utf-8")
        cues = re.findall(
            r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n<v ([^>]+)>", vtt
        )
        mine = [s for s in document["segments"] if s["file"] == chapter.path.name]
        assert len(cues) == len(mine)
        for cue, seg in zip(cues, mine, strict=True):
            h1, m1, s1, ms1, h2, m2, s2, ms2, voice = cue
            start = int(h1) * 3600 + int(m1) * 60 + int(s1) + int(ms1) / 1000
            end = int(h2) * 3600 + int(m2) * 60 + int(s2) + int(ms2) / 1000
            assert (start, end) == pytest.approx((seg["t_start"], seg["t_end"]), abs=0.0011)
            assert voice == {"narrator": "Narrator", None: "Unknown"}.get(
                seg["speaker"], seg["speaker"]
            )
        assert chapter.path.with_suffix(".srt").is_file()


def test_credits_open_and_close_the_book(released: Result) -> None:
    first, last = released.timed[0].segment, released.timed[-1].segment
    assert first.text == "The Net. Written by Ann Author. Narrated by Narrator."
    assert last.text.startswith("The end. You have been listening to The Net")
    assert released.timed[0].t_start == pytest.approx(0.75 + 1105 / 44100, abs=0.03)


def test_tags_carry_text_cover_and_scene_markers(released: Result) -> None:
    tags = read_tags(released.chapters[0].path)
    assert tags.narrator == "Narrator" and tags.cover is not None
    assert "Anna checked the nets twice." in tags.lyrics
    assert [m.title for m in tags.markers[:2]] == ["Credits", "Chapter 1: Dawn"]
    assert tags.markers[2].title.startswith("Scene 2: By noon the sea")
    assert tags.markers[-1].end_ms == int(released.chapters[0].seconds * 1000)


def test_book_files_playlist_cover_and_m4b(released: Result) -> None:
    names = {p.name for p in released.extras}
    assert names == {"cover.jpg", "The Net.m3u8", "The Net.m4b"}
    playlist = (released.folder / "The Net.m3u8").read_text(encoding="utf-8").splitlines()
    assert playlist[3] == "01 - Chapter 1 - Dawn.mp3"
    chapters = list(MP4(released.folder / "The Net.m4b").chapters)
    assert [c.title for c in chapters] == ["Chapter 1: Dawn", "Chapter 2: Dusk"]
    assert chapters[1].start == pytest.approx(released.chapters[0].seconds, abs=0.01)


def test_long_chapters_are_split_into_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = replace(AUDIOBOOK, name="short", max_minutes=0.1)  # six seconds a file
    monkeypatch.setitem(PROFILES, "short", short)
    story = tmp_path / "net.txt"
    story.write_text(STORY, encoding="utf-8")
    result = make(story, tmp_path / "out", engine="fake", progress=Silent(),
                  release=Release(profile="short", transcripts=False))  # fmt: skip
    names = [c.path.name for c in result.chapters]
    assert len(names) > 2 and names[0].startswith("01 - Chapter 1 - Dawn (part 1 of ")
    assert all(c.report is not None and c.report.passed for c in result.chapters)
    assert len({t.segment for t in result.timed}) == len(result.timed)


def test_podcast_profile(tmp_path: Path) -> None:
    story = tmp_path / "net.txt"
    story.write_text(STORY, encoding="utf-8")
    result = make(story, tmp_path / "out", engine="fake", progress=Silent(),
                  release=Release(profile="podcast", playlist=False))  # fmt: skip
    for chapter in result.chapters:
        assert chapter.report is not None and chapter.report.passed
        assert chapter.report.levels.lufs == pytest.approx(-19.0, abs=0.6)
        assert MP3(chapter.path).info.bitrate == 128000


def test_epub_book(tmp_path: Path) -> None:
    from tests.text.epubs import build_epub

    result = make(
        build_epub(tmp_path / "gull.epub"), tmp_path / "out", engine="fake", progress=Silent()
    )
    assert [c.title for c in result.chapters] == [
        "Chapter 1: The Lamp",
        "Chapter 2: The Morning After",
    ]
    assert all(c.report is not None and c.report.passed for c in result.chapters)
