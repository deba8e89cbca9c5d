"""The filters without scipy.signal: the same numbers scipy.signal and pyloudnorm give."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pyloudnorm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import butter, lfilter, resample_poly, sosfilt

from audiobook.audio.filters import (
    Biquad,
    Cascade,
    butterworth_high_pass,
    filtered,
    high_pass,
    high_shelf,
    interpolator,
    oversampled,
)

RATE = 44100
SQRT_HALF = 1 / math.sqrt(2)
NOISE = np.random.default_rng(7).standard_normal(20_011)


def _coefficients(section: Biquad) -> tuple[list[float], list[float]]:
    return [section.b0, section.b1, section.b2], [1.0, section.a1, section.a2]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (high_shelf(1500.0, SQRT_HALF, 4.0, RATE), ("high_shelf", 4.0, SQRT_HALF, 1500.0)),
        (high_pass(38.0, 0.5, RATE), ("high_pass", 0.0, 0.5, 38.0)),
    ],
)
def test_designs_match_pyloudnorms_k_weighting(
    ours: Biquad, theirs: tuple[str, float, float, float]
) -> None:
    kind, gain, q, freq = theirs
    reference = pyloudnorm.IIRfilter(gain, q, freq, RATE, kind)
    b, a = _coefficients(ours)
    assert b == pytest.approx(list(reference.b), abs=1e-12)
    assert a == pytest.approx(list(reference.a), abs=1e-12)


def test_butterworth_matches_scipys_design_and_filtering() -> None:
    expected = sosfilt(butter(4, 10.0, btype="highpass", fs=RATE, output="sos"), NOISE)
    assert np.max(np.abs(filtered(butterworth_high_pass(4, 10.0, RATE), NOISE) - expected)) < 1e-9


def test_one_biquad_equals_lfilter() -> None:
    section = high_pass(38.0, 0.5, RATE)
    expected = lfilter(*_coefficients(section), NOISE)
    assert np.max(np.abs(filtered((section,), NOISE) - expected)) < 1e-9


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=3000), max_size=8))
def test_filtering_in_chunks_equals_filtering_in_one_go(cuts: list[int]) -> None:
    sections = butterworth_high_pass(4, 10.0, RATE)
    bounds = sorted({0, len(NOISE), *(min(c, len(NOISE)) for c in cuts)})
    cascade = Cascade(sections)
    pieces = [cascade(NOISE[lo:hi]) for lo, hi in pairwise(bounds)]
    assert np.max(np.abs(np.concatenate(pieces) - filtered(sections, NOISE))) < 1e-9


def test_float32_input_is_filtered_in_float64() -> None:
    out = filtered((high_pass(38.0, 0.5, RATE),), NOISE.astype(np.float32))
    assert out.dtype == np.float64 and len(out) == len(NOISE)


def test_interpolation_matches_resample_poly() -> None:
    half = (interpolator(4).shape[1] - 1) // 2
    expected = resample_poly(NOISE, 4, 1, window=("kaiser", 5.0))
    ours = oversampled(NOISE, 4)  # starts at input sample `half`, where full context begins
    assert len(ours) == 4 * (len(NOISE) - 2 * half)
    assert np.max(np.abs(ours - expected[4 * half : 4 * half + len(ours)])) < 1e-12
    assert len(oversampled(NOISE[: 2 * half], 4)) == 0  # too short for one full window


def test_each_branch_passes_dc_at_unity() -> None:
    assert interpolator(4).sum(axis=1) == pytest.approx([1.0] * 4, abs=1e-3)


@pytest.mark.parametrize("order", [0, 3, -2])
def test_butterworth_order_must_be_even(order: int) -> None:
    with pytest.raises(ValueError, match="order must be even"):
        butterworth_high_pass(order, 10.0, RATE)


@pytest.mark.parametrize("freq", [0.0, RATE / 2, -5.0])
def test_corner_must_lie_below_nyquist(freq: float) -> None:
    with pytest.raises(ValueError, match="must lie between 0"):
        high_pass(freq, 0.5, RATE)
