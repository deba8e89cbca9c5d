"""MP3 encoding round trips: stitch -> lameenc -> mutagen and ffmpeg read it back."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
from mutagen.mp3 import MP3

from audiobook.audio.encode import (
    _to_int16,
    decode_audio,
    encode_mp3,
    probe_duration,
)
from audiobook.audio.stitch import PauseTimes, Stitched, stitch
from audiobook.engines.base import Voice
from audiobook.errors import InputError, OutputError
from audiobook.script.model import Pause
from tests.fakes import FakeEngine

RATE = 44100
FRAME = 1152  # samples per MPEG-1 Layer III frame
LAME_DELAY = 576 + 529  # encoder delay plus decoder delay, in samples
LINES = [
    ("The net was cast at dawn.", "narrator", Pause.SENTENCE),
    ("Pull!", "f1", Pause.CLAUSE),
    ("she cried, and the boat leaned over", "narrator", Pause.PARAGRAPH),
    ("Not yet, not yet.", "m1", Pause.SCENE),
]


@pytest.fixture(scope="module")
def chapter() -> Stitched:
    engine = FakeEngine()
    pieces = [(engine.synthesize(text, Voice("fake", v)), p) for text, v, p in LINES]
    return stitch(pieces, rate=RATE)


@pytest.fixture(scope="module")
def mp3(chapter: Stitched, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mp3") / "01 - The Net.mp3"
    encode_mp3(chapter.samples, chapter.rate, path)
    return path


@pytest.fixture(scope="module")
def decoded(mp3: Path) -> np.ndarray:
    return decode_audio(mp3)


def frame_bitrates(path: Path) -> list[int]:
    """Bitrate (kbit/s) of every MPEG-1 Layer III frame, walking the frame headers."""
    table = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    data, pos, rates = path.read_bytes(), 0, []
    while pos + 4 <= len(data):
        header = int.from_bytes(data[pos : pos + 4], "big")
        assert header >> 21 == 0x7FF, f"lost frame sync at byte {pos}"
        kbps = table[(header >> 12) & 0xF]
        rates.append(kbps)
        pos += 144 * kbps * 1000 // RATE + ((header >> 9) & 1)
    assert pos == len(data)
    return rates


def db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))))


def test_mp3_is_192k_cbr_mono_44k(mp3: Path) -> None:
    info = MP3(mp3).info
    assert (info.bitrate, info.sample_rate, info.channels) == (192000, RATE, 1)
    rates = frame_bitrates(mp3)
    assert len(rates) > 100 and set(rates) == {192}


def test_duration_is_pieces_plus_pauses_plus_lead_and_tail(mp3: Path) -> None:
    words = sum(len(text.split()) for text, _, _ in LINES)
    pauses = PauseTimes()
    gaps = pauses.lead_in + 400 + 250 + 750 + pauses.tail  # SCENE is replaced by the tail
    expected = words * FakeEngine.WORD_SECONDS + gaps / 1000
    # Without a LAME info tag, players count whole frames: the encoder delay and the
    # padding of the last frame are included, so allow delay plus one frame.
    assert 0 <= probe_duration(mp3) - expected < (LAME_DELAY + FRAME) / RATE


def test_decoded_audio_meets_acx_levels(decoded: np.ndarray) -> None:
    assert np.max(np.abs(decoded)) > 0.05  # not silent
    assert -23.0 <= db(decoded) <= -18.0
    assert 20 * np.log10(np.max(np.abs(decoded))) <= -3.0


def test_room_tone_survives_encoding(chapter: Stitched, decoded: np.ndarray) -> None:
    # The lead-in, shifted by the codec delay and clear of the first word's onset.
    gap = decoded[LAME_DELAY + 2000 : round(chapter.timings[0][0] * RATE)]
    assert db(gap) < -60.0
    assert np.count_nonzero(gap) == len(gap)  # noise floor, not digital silence


def test_timings_are_monotone_and_inside_the_file(chapter: Stitched, mp3: Path) -> None:
    flat = [t for pair in chapter.timings for t in pair]
    assert flat == sorted(flat) and len(chapter.timings) == len(LINES)
    assert all(start < end for start, end in chapter.timings)
    assert flat[0] > 0 and flat[-1] < probe_duration(mp3)


def test_bad_arguments_are_rejected_before_a_file_exists(tmp_path: Path) -> None:
    path = tmp_path / "x.mp3"
    with pytest.raises(ValueError, match="44100"):
        encode_mp3(np.zeros(100, np.float32), 22050, path)
    with pytest.raises(ValueError, match="mono"):
        encode_mp3(np.zeros((100, 2), np.float32), RATE, path)
    with pytest.raises(ValueError, match="bitrate"):
        encode_mp3(np.zeros(100, np.float32), RATE, path, bitrate=100)
    assert os.listdir(tmp_path) == []


def test_other_bitrates(tmp_path: Path) -> None:
    path = tmp_path / "x.mp3"
    encode_mp3(np.zeros(RATE, np.float32), RATE, path, bitrate=64)
    assert set(frame_bitrates(path)) == {64}


def test_unwritable_destination_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    target = blocker / "sub" / "x.mp3"
    with pytest.raises(OutputError, match=re.escape(f"cannot write {target}: Not a directory")):
        encode_mp3(np.zeros(RATE, np.float32), RATE, target)


def test_to_int16_clips_and_rounds() -> None:
    pcm = _to_int16(np.array([0.0, 1.0, -1.0, 2.0, -2.0, 0.49 / 32767, 0.51 / 32767], np.float32))
    assert pcm.tolist() == [0, 32767, -32767, 32767, -32767, 0, 1]


def test_decode_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.mp3"
    with pytest.raises(InputError, match=r"missing\.mp3: no such file"):
        decode_audio(missing)
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"this is not audio" * 10)
    with pytest.raises(InputError, match=r"cannot decode .*junk.mp3: .+"):
        decode_audio(junk)


def test_probe_errors_name_the_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"\0" * 10)
    with pytest.raises(InputError, match=r"junk\.mp3"):
        probe_duration(junk)
    with pytest.raises(InputError, match=r"gone\.mp3"):
        probe_duration(tmp_path / "gone.mp3")


def test_decoded_audio_lags_by_the_documented_delay(tmp_path: Path) -> None:
    """Times inside a chapter file are PCM times plus MP3_DELAY_SAMPLES: measured, not assumed."""
    from audiobook.audio.encode import MP3_DELAY_SAMPLES

    click = np.zeros(44100 * 2, np.float32)
    click[44100 : 44100 + 441] = (np.hanning(441) * 0.5).astype(np.float32)
    path = tmp_path / "click.mp3"
    encode_mp3(click, 44100, path)
    decoded = decode_audio(path)
    assert int(np.argmax(np.abs(decoded))) - int(np.argmax(np.abs(click))) == MP3_DELAY_SAMPLES
