"""Loudness and true peak: chunked figures agree with pyloudnorm and plain oversampling."""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from audiobook.audio.loudness import db, integrated_lufs, true_peak

RATE = 44100


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """Noise bursts with gaps, so both gates of BS.1770 have work to do."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    envelope = np.repeat(rng.uniform(0.0, 1.0, n // 4410 + 1) > 0.3, 4410)[:n]
    return (rng.standard_normal(n) * 0.1 * envelope).astype(np.float32)


@pytest.mark.parametrize("seconds", [0.5, 3.7, 25.0])
def test_lufs_agrees_with_pyloudnorm(seconds: float) -> None:
    x = speechlike(seconds)
    expected = pyloudnorm.Meter(RATE).integrated_loudness(x.astype(np.float64))
    assert integrated_lufs(x, RATE) == pytest.approx(expected, abs=0.05)


def test_lufs_of_a_stereo_pair_adds_the_channels() -> None:
    x = speechlike(5.0)
    stereo = np.stack([x, x], axis=1)
    expected = pyloudnorm.Meter(RATE).integrated_loudness(stereo.astype(np.float64))
    assert integrated_lufs(stereo, RATE) == pytest.approx(expected, abs=0.05)
    assert integrated_lufs(stereo, RATE) == pytest.approx(integrated_lufs(x, RATE) + 3.01, abs=0.02)


def test_lufs_of_short_and_silent_audio() -> None:
    assert integrated_lufs(np.zeros(RATE // 4, np.float32), RATE) is None
    assert integrated_lufs(np.zeros(RATE, np.float32), RATE) == -math.inf


def test_true_peak_finds_the_peak_between_samples() -> None:
    # A sine at a quarter of the rate, sampled at 45 degrees: samples at 0.707, peaks at 1.0.
    n = np.arange(4000)
    x = (np.sin(2 * np.pi * n / 4 + np.pi / 4) * 0.5).astype(np.float32)
    assert np.max(np.abs(x)) == pytest.approx(0.5 * math.sqrt(0.5), rel=1e-3)
    assert true_peak(x, RATE) == pytest.approx(0.5, rel=0.02)  # filter ripple at the ends


def test_true_peak_equals_oversampling_everything() -> None:
    x = speechlike(4.0, seed=2)
    x[30000] = 0.9
    brute = float(np.max(np.abs(resample_poly(x.astype(np.float64), 4, 1))))
    assert true_peak(x, RATE) == pytest.approx(brute, rel=1e-6)
    assert true_peak(np.zeros(10, np.float32), RATE) == 0.0


def test_db() -> None:
    assert db(1.0) == 0.0 and db(0.5) == pytest.approx(-6.02, abs=0.01) and db(0.0) == -math.inf
