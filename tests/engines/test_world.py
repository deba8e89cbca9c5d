"""WORLD pitch and formant shifting on a voice-like test signal."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from audiobook.engines import world
from audiobook.engines.base import Voice
from audiobook.errors import ConfigError, UnknownNameError
from tests.engines import estimate_f0

RATE = 22050


def buzz(freq: float = 120.0, seconds: float = 1.5) -> npt.NDArray[np.float32]:
    """A harmonic buzz with a vowel-like bump in its spectrum near 700 Hz."""
    t = np.arange(int(seconds * RATE)) / RATE
    harmonics = range(1, int(4000 / freq))
    gains = {k: (0.3 / k) * (1 + 3 * np.exp(-(((k * freq - 700) / 200) ** 2))) for k in harmonics}
    x = sum(g * np.sin(2 * np.pi * k * freq * t) for k, g in gains.items())
    x = x / np.max(np.abs(x)) * 0.5
    return np.asarray(x + 1e-3 * np.random.default_rng(0).standard_normal(len(t)), np.float32)


def centroid(x: npt.NDArray[np.float32]) -> float:
    spectrum = np.abs(np.fft.rfft(x))
    freqs = np.fft.rfftfreq(len(x), 1 / RATE)
    return float(np.sum(freqs * spectrum) / np.sum(spectrum))


@pytest.fixture(autouse=True)
def _needs_pyworld() -> None:
    pytest.importorskip("pyworld")


def test_pitch_moves_by_semitones_and_length_stays() -> None:
    x = buzz(120.0)
    up = world.shift(x, RATE, pitch=7.0)
    assert len(up) == len(x) and up.dtype == np.float32
    assert estimate_f0(up, RATE) == pytest.approx(120 * 2 ** (7 / 12), rel=0.05)


def test_formant_shift_keeps_pitch_and_moves_the_spectrum() -> None:
    x = buzz(120.0)
    higher = world.shift(x, RATE, formant=4.0)
    assert estimate_f0(higher, RATE) == pytest.approx(120, rel=0.05)
    assert centroid(higher) > centroid(world.shift(x, RATE, pitch=0.0, formant=-4.0))


def test_no_shift_returns_the_input() -> None:
    x = buzz()
    assert world.shift(x, RATE) is x


def test_envelope_warp_moves_a_peak_by_the_ratio() -> None:
    envelope = np.zeros((2, 101))
    envelope[:, 40] = 1.0
    warped = world.warp_envelope(envelope, 1.25)
    assert int(np.argmax(warped[0])) == 50
    assert world.warp_envelope(envelope, 1.0) is envelope


def test_limits() -> None:
    with pytest.raises(ValueError, match="beyond"):
        world.shift(buzz(), RATE, pitch=13)
    with pytest.raises(ValueError, match="formant"):
        world.check_shift("formant", -12.5)


def test_formant_option_validation() -> None:
    assert world.formant_option(Voice("piper", "joe")) is None
    assert world.formant_option(Voice("piper", "joe", options=(("formant", -2),))) == -2.0
    with pytest.raises(UnknownNameError, match="valid: formant"):
        world.formant_option(Voice("piper", "joe", options=(("fromant", 1),)))
    with pytest.raises(ConfigError, match="number"):
        world.formant_option(Voice("piper", "joe", options=(("formant", True),)))
    with pytest.raises(ConfigError, match="beyond"):
        world.formant_option(Voice("piper", "joe", pitch=20, options=(("formant", 0),)))
