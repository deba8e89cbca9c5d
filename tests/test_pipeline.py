"""End to end: the project's sample story through the real default engine to real MP3s."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from audiobook.audio.encode import decode_audio
from audiobook.cast.config import CastConfig
from audiobook.pipeline import make
from audiobook.progress import Silent

SAMPLE = Path(__file__).parents[1] / "examples" / "gull-point.txt"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = make(SAMPLE, out, config=CastConfig(), progress=Silent())
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
