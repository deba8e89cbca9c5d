"""Mastering to a profile, then measuring the encoded file and correcting from it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audiobook.audio.loudness import db, integrated_lufs, true_peak
from audiobook.audio.master import Correction, encode_checked, master, misses
from audiobook.audio.measure import Measurement
from audiobook.audio.profiles import AUDIOBOOK, PODCAST, get_profile
from audiobook.audio.stitch import rms
from audiobook.errors import UnknownNameError

RATE = 44100


def speech(seconds: float = 6.0, level: float = 0.05, seed: int = 0) -> np.ndarray:
    """Bursts of bright noise with spikes and silent gaps: a hard case for levelling."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    gate = np.repeat(rng.uniform(size=n // 4410 + 1) > 0.4, 4410)[:n]
    x = (rng.standard_normal(n) * level * gate).astype(np.float32)
    x[::5003] *= 8  # spikes that only a limiter can hold
    x[: int(0.75 * RATE)] = 0  # lead-in and tail as stitch lays them out
    x[-int(2.5 * RATE) :] = 0
    return x


@pytest.mark.parametrize("level", [0.02, 0.05, 0.3])
def test_audiobook_profile_hits_the_rms_window_under_the_peak_limit(level: float) -> None:
    out = master(speech(level=level), RATE, AUDIOBOOK).samples
    assert db(rms(out)) == pytest.approx(AUDIOBOOK.rms_target, abs=0.3)
    assert db(float(np.max(np.abs(out)))) <= AUDIOBOOK.peak_max - AUDIOBOOK.encoder_margin + 1e-3


def test_podcast_profile_hits_the_lufs_target_under_the_true_peak_limit() -> None:
    out = master(speech(level=0.2), RATE, PODCAST).samples
    lufs = integrated_lufs(out, RATE)
    assert lufs == pytest.approx(-19.0, abs=0.3)
    assert db(true_peak(out, RATE)) <= -1.0 - PODCAST.encoder_margin / 2 + 1e-3


def test_room_tone_fills_the_silence_and_input_is_untouched() -> None:
    x = speech()
    before = x.copy()
    out = master(x, RATE, AUDIOBOOK, seed=3).samples
    assert np.array_equal(x, before)
    lead = out[: int(0.7 * RATE)]
    assert np.count_nonzero(lead == 0) == 0 and -72 < db(rms(lead)) < -68
    assert np.array_equal(out, master(x, RATE, AUDIOBOOK, seed=3).samples)


def test_gain_is_capped_so_near_silence_is_not_blown_up() -> None:
    assert master(speech(level=0.001), RATE, AUDIOBOOK).gain_db == pytest.approx(30.0)


def test_silence_stays_room_tone() -> None:
    out = master(np.zeros(RATE * 2, np.float32), RATE, AUDIOBOOK)
    assert out.gain_db == 0.0 and db(rms(out.samples)) == pytest.approx(-70, abs=0.5)


def _found(**changes: float) -> Measurement:
    base = dict(seconds=10.0, channels=1, rate=RATE, rms_db=-20.5, peak_db=-4.0, true_peak_db=-4.0,
                noise_floor_db=-70.0, lufs=-19.0, head_s=0.75, tail_s=2.5, longest_silence_s=0.0)  # fmt: skip
    return Measurement(**{**base, **changes})  # type: ignore[arg-type]


def test_misses_says_how_to_correct_an_encoding() -> None:
    assert misses(_found(), AUDIOBOOK) is None
    assert misses(_found(rms_db=-23.5), AUDIOBOOK) == Correction(level_db=3.0)
    fix = misses(_found(peak_db=-2.9), AUDIOBOOK)
    assert fix is not None and fix.headroom_db == pytest.approx(0.4) and fix.level_db == 0.0
    assert misses(_found(lufs=-17.5), PODCAST) == Correction(level_db=-1.5)
    assert misses(_found(lufs=-19.2, true_peak_db=-0.8), PODCAST) == Correction(
        0.0, pytest.approx(0.5)
    )


def test_encoded_file_is_measured_and_meets_the_profile(tmp_path: Path) -> None:
    found = encode_checked(speech(), RATE, AUDIOBOOK, tmp_path / "a.mp3")
    assert -23 <= found.rms_db <= -18 and found.peak_db <= -3.0
    assert found.noise_floor_db is not None and -96 < found.noise_floor_db <= -60
    assert 0.5 <= (found.head_s or 0) <= 1.0 and 1.0 <= (found.tail_s or 0) <= 5.0


def test_unknown_profile_lists_the_choices() -> None:
    with pytest.raises(UnknownNameError, match="unknown profile 'acx'; valid: audiobook, podcast"):
        get_profile("acx")
