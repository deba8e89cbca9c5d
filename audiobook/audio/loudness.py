"""Loudness (ITU-R BS.1770-4) and true peak, measured in chunks so memory stays flat.

Integrated loudness uses the K-weighting filters as pyloudnorm designs them and
BS.1770's gating: 400 ms blocks every 100 ms, an absolute gate at -70 LUFS and a
relative gate 10 LU under the ungated mean. pyloudnorm's own ``Meter`` holds several
float64 copies of the whole signal; working on 100 ms block energies instead gives the
same figure (the tests hold it to 0.05 LU) for a two-hour chapter in a few megabytes.

True peak is the largest magnitude after 4x polyphase oversampling, as BS.1770 Annex 2
describes, with the interpolator scipy's ``resample_poly`` uses; only the blocks that
could hold the peak are oversampled. The filters come from :mod:`audiobook.audio.filters`,
which spares every run the import of ``scipy.signal``.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import numpy.typing as npt

from audiobook.audio.filters import (
    Biquad,
    Cascade,
    Float64Array,
    filtered,
    high_pass,
    high_shelf,
    interpolator,
    oversampled,
)

FloatArray = npt.NDArray[np.float32]

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
_OFFSET = -0.691  # BS.1770's constant between K-weighted mean square and LUFS
_CHUNK_SECONDS = 10  # samples filtered at a time
_OVERSAMPLE = 4
_CONTEXT = (interpolator(_OVERSAMPLE).shape[1] - 1) // 2  # inputs either side of an output


def db(amplitude: float) -> float:
    """``20 log10(amplitude)``; ``-inf`` for zero."""
    return 20.0 * math.log10(amplitude) if amplitude > 0 else -math.inf


def split_channels(samples: npt.NDArray[np.floating]) -> list[npt.NDArray[np.floating]]:
    """Mono 1-D or ``(frames, channels)`` audio as a list of 1-D channels."""
    if samples.ndim == 1:
        return [samples]
    if samples.ndim == 2:
        return [samples[:, c] for c in range(samples.shape[1])]
    raise ValueError(f"audio must be 1-D or (frames, channels), got shape {samples.shape}")


@cache
def _k_filters(rate: int) -> tuple[Biquad, ...]:
    """BS.1770's two K-weighting stages at ``rate``, with pyloudnorm's design parameters.

    pyloudnorm derives the stages from their analogue parameters at any rate (BS.1770
    tabulates 48 kHz only); its meter is the reference the tests hold these figures to.
    """
    return (high_shelf(1500.0, 1 / math.sqrt(2), 4.0, rate), high_pass(38.0, 0.5, rate))


def k_weighted(samples: FloatArray, rate: int) -> Float64Array:
    """One channel K-weighted in one go (for short pieces; see :func:`block_energies`)."""
    return filtered(_k_filters(rate), samples)


def block_energies(channel: npt.NDArray[np.floating], rate: int) -> Float64Array:
    """Sum of squares of the K-weighted ``channel`` over each whole 100 ms hop."""
    hop = rate // 10
    k_weighting = Cascade(_k_filters(rate))
    chunk = hop * 10 * _CHUNK_SECONDS
    sums: list[Float64Array] = []
    carry = np.zeros(0)
    for start in range(0, len(channel), chunk):
        y = np.concatenate([carry, np.square(k_weighting(channel[start : start + chunk]))])
        whole = len(y) // hop * hop
        sums.append(y[:whole].reshape(-1, hop).sum(axis=1))
        carry = y[whole:]
    return np.concatenate(sums) if sums else np.zeros(0)


def integrated_lufs(samples: npt.NDArray[np.floating], rate: int) -> float | None:
    """BS.1770-4 integrated loudness of mono or ``(frames, channels)`` audio, in LUFS.

    ``None`` when the audio is shorter than one 400 ms gating block; ``-inf`` when
    every block is under the absolute gate (silence). Channel weights are 1.0 (mono,
    left, right), which is all this project writes.
    """
    hop = rate // 10
    power: Float64Array | None = None
    for channel in split_channels(samples):
        hops = block_energies(channel, rate)
        if len(hops) < 4:
            return None
        blocks = np.convolve(hops, np.ones(4), mode="valid") / (4 * hop)  # 400 ms, 75 % overlap
        power = blocks if power is None else power + blocks
    if power is None:
        return None
    with np.errstate(divide="ignore"):
        loudness = _OFFSET + 10.0 * np.log10(power)
    above = loudness >= ABSOLUTE_GATE_LUFS
    if not above.any():
        return -math.inf
    relative = _OFFSET + 10.0 * math.log10(float(power[above].mean())) + RELATIVE_GATE_LU
    kept = above & (loudness > relative)
    return _OFFSET + 10.0 * math.log10(float(power[kept].mean()))


@cache
def _tp_bound() -> float:
    """Most an oversampled value can exceed the input's peak: the largest polyphase L1 norm."""
    return float(np.abs(interpolator(_OVERSAMPLE)).sum(axis=1).max())


def true_peak(channel: npt.NDArray[np.floating], rate: int) -> float:
    """Largest magnitude of one channel after 4x oversampling (linear, not dB).

    Blocks whose sample peak times the filter's worst-case gain stays under the peak
    found so far cannot hold the true peak, so only the others are oversampled.
    """
    if len(channel) == 0:
        return 0.0
    block = max(1, rate // 10)
    whole = len(channel) // block * block
    peaks = [np.max(np.abs(channel[whole:]))] if whole < len(channel) else []
    block_peaks = np.abs(channel[:whole]).reshape(-1, block).max(axis=1) if whole else np.zeros(0)
    sample_peak = float(max([*peaks, *block_peaks.tolist()], default=0.0))
    if sample_peak == 0.0:
        return 0.0
    candidates = np.flatnonzero(block_peaks * _tp_bound() >= sample_peak)
    spans = [(int(b) * block, int(b + 1) * block) for b in candidates]
    if whole < len(channel):
        spans.append((whole, len(channel)))
    best = sample_peak
    for start, end in _merged(spans):
        up = oversampled(_with_context(channel, start, end, _CONTEXT), _OVERSAMPLE)
        best = max(best, float(np.max(np.abs(up))))
    return best


def _with_context(x: npt.NDArray[np.floating], start: int, end: int, context: int) -> Float64Array:
    """``x[start - context : end + context]``, with zeros where that runs past either end."""
    lo, hi = max(0, start - context), min(len(x), end + context)
    before, after = np.zeros(lo - (start - context)), np.zeros(end + context - hi)
    return np.concatenate([before, np.asarray(x[lo:hi], np.float64), after])


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join touching ``(start, end)`` spans (already in order) into longer ones."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
