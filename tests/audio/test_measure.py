"""ACX-style measurement of samples: RMS, peak, noise floor, room tone, dead silence."""

from __future__ import annotations

import numpy as np
import pytest

from audiobook.audio.measure import measure

RATE = 44100


def chapter(head: float = 0.75, speech: float = 3.0, tail: float = 2.5, floor_db: float = -70.0):
    rng = np.random.default_rng(1)
    n = int((head + speech + tail) * RATE)
    x = (rng.standard_normal(n) * 10 ** (floor_db / 20)).astype(np.float32)
    t = np.arange(int(speech * RATE)) / RATE
    start = int(head * RATE)
    x[start : start + len(t)] += (0.2 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    return x


def test_levels_of_a_tone_over_room_tone() -> None:
    m = measure(chapter(), RATE)
    assert m.channels == 1 and m.rate == RATE and m.seconds == pytest.approx(6.25)
    tone_rms = 20 * np.log10(0.2 / np.sqrt(2) * np.sqrt(3.0 / 6.25))
    assert m.rms_db == pytest.approx(tone_rms, abs=0.05)
    assert m.peak_db == pytest.approx(20 * np.log10(0.2), abs=0.05)
    assert m.noise_floor_db == pytest.approx(-70.0, abs=1.0)
    assert m.head_s == pytest.approx(0.75, abs=0.011) and m.tail_s == pytest.approx(2.5, abs=0.011)
    assert m.longest_silence_s < 0.01
    assert m.lufs is not None and -30 < m.lufs < -10


def test_digital_silence_is_measured() -> None:
    x = chapter(floor_db=-200.0)
    m = measure(x, RATE)
    assert m.noise_floor_db is not None and m.noise_floor_db < -96
    assert m.longest_silence_s == pytest.approx(2.5, abs=0.01)


def test_no_speech_and_tiny_files() -> None:
    m = measure(np.full(RATE // 10, 1e-4, np.float32), RATE)
    assert m.head_s is None and m.tail_s is None and m.noise_floor_db is None and m.lufs is None


def test_stereo_reports_the_loudest_channel() -> None:
    x = chapter()
    m = measure(np.stack([x * 0.5, x], axis=1), RATE)
    assert m.channels == 2 and m.rms_db == pytest.approx(measure(x, RATE).rms_db, abs=1e-6)
