"""Biquad (IIR) and polyphase (FIR) filters for measuring audio, without ``scipy.signal``.

``scipy.signal`` takes about 0.6 s to import (it rewrites hundreds of docstrings as it
loads), a sixth of everything the pipeline itself spends on a short book. What
measuring needs from it is small: two-pole recursive filters and one windowed-sinc
interpolator. Both are here, in compiled code all the same:

- a biquad's recursion ``y[n] = v[n] - a1 y[n-1] - a2 y[n-2]`` is a lower-triangular
  banded linear system in ``y``, which LAPACK's ``dtbtrs`` solves by forward
  substitution (``scipy.linalg`` imports in about 0.15 s). The results equal
  ``scipy.signal.lfilter``'s to about 1e-12, in less time;
- the interpolator's taps are those ``scipy.signal.firwin`` designs, applied one
  polyphase branch at a time by a matrix product.

Designs follow R. Bristow-Johnson's "Audio EQ Cookbook" (bilinear transform with the
corner frequency prewarped); a Butterworth high-pass is a cascade of cookbook
high-passes whose Q values come from the Butterworth pole angles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

Float64Array = npt.NDArray[np.float64]

_BLOCK = 1 << 15  # samples filtered at a time (and the banded matrix kept per biquad)


@dataclass(frozen=True)
class Biquad:
    """``H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)``."""

    b0: float
    b1: float
    b2: float
    a1: float
    a2: float

    @classmethod
    def normalised(cls, b: tuple[float, float, float], a: tuple[float, float, float]) -> Biquad:
        """The biquad with numerator ``b`` and denominator ``a`` (any ``a[0] != 0``)."""
        return cls(b[0] / a[0], b[1] / a[0], b[2] / a[0], a[1] / a[0], a[2] / a[0])


def high_pass(freq: float, q: float, rate: int) -> Biquad:
    """Second-order high-pass with corner ``freq`` Hz and quality ``q``."""
    cos, alpha = _corner(freq, q, rate)
    edge = (1.0 + cos) / 2.0
    return Biquad.normalised((edge, -2.0 * edge, edge), (1.0 + alpha, -2.0 * cos, 1.0 - alpha))


def high_shelf(freq: float, q: float, gain_db: float, rate: int) -> Biquad:
    """Shelf raising everything above about ``freq`` Hz by ``gain_db``."""
    cos, alpha = _corner(freq, q, rate)
    amp = 10.0 ** (gain_db / 40.0)
    root = 2.0 * math.sqrt(amp) * alpha
    b = (
        amp * ((amp + 1.0) + (amp - 1.0) * cos + root),
        -2.0 * amp * ((amp - 1.0) + (amp + 1.0) * cos),
        amp * ((amp + 1.0) + (amp - 1.0) * cos - root),
    )
    a = (
        (amp + 1.0) - (amp - 1.0) * cos + root,
        2.0 * ((amp - 1.0) - (amp + 1.0) * cos),
        (amp + 1.0) - (amp - 1.0) * cos - root,
    )
    return Biquad.normalised(b, a)


def butterworth_high_pass(order: int, freq: float, rate: int) -> tuple[Biquad, ...]:
    """Butterworth high-pass of even ``order`` as ``order / 2`` biquads."""
    if order < 2 or order % 2:
        raise ValueError(f"order must be even and at least 2, not {order}")
    angles = [math.pi * (2 * k + 1) / (2 * order) for k in range(order // 2)]
    return tuple(high_pass(freq, 1.0 / (2.0 * math.cos(t)), rate) for t in angles)


def _corner(freq: float, q: float, rate: int) -> tuple[float, float]:
    if not 0.0 < freq < rate / 2:
        raise ValueError(f"corner {freq} Hz must lie between 0 and {rate / 2} Hz")
    w0 = 2.0 * math.pi * freq / rate
    return math.cos(w0), math.sin(w0) / (2.0 * q)


class Cascade:
    """Biquads in series, run over consecutive chunks of one signal.

    Each call continues where the last left off, so a long signal can be filtered a
    chunk at a time with the same result as in one go.
    """

    def __init__(self, sections: tuple[Biquad, ...]) -> None:
        self._sections = sections
        # Per section: its last two inputs and last two outputs, oldest first.
        self._inputs = [np.zeros(2) for _ in sections]
        self._outputs = [np.zeros(2) for _ in sections]

    def __call__(self, chunk: npt.NDArray[np.floating]) -> Float64Array:
        """The next ``len(chunk)`` filtered samples, as float64."""
        out = np.empty(len(chunk))
        # Block by block through every section: the arrays stay small enough for the
        # CPU's caches, and fresh memory for long ones costs more than the filtering.
        for start in range(0, len(chunk), _BLOCK):
            y = np.asarray(chunk[start : start + _BLOCK], np.float64)
            for i, section in enumerate(self._sections):
                x = y
                y = _run(section, x, self._inputs[i], self._outputs[i])
                self._inputs[i] = _last_two(self._inputs[i], x)
                self._outputs[i] = _last_two(self._outputs[i], y)
            out[start : start + len(y)] = y
        return out


def filtered(sections: tuple[Biquad, ...], samples: npt.NDArray[np.floating]) -> Float64Array:
    """``samples`` through ``sections`` in one go, starting from rest."""
    return Cascade(sections)(samples)


def _last_two(before: Float64Array, x: Float64Array) -> Float64Array:
    return np.concatenate([before, x[-2:]])[-2:]


def _run(s: Biquad, x: Float64Array, inputs: Float64Array, outputs: Float64Array) -> Float64Array:
    """One biquad over at most :data:`_BLOCK` samples ``x``, after ``inputs`` and ``outputs``.

    ``inputs`` and ``outputs`` are the two samples before ``x`` in and out, oldest first.
    """
    padded = np.concatenate([inputs, x])
    y = np.multiply(x, s.b0)  # the numerator's part; the recursion then runs over y
    term = np.multiply(padded[1:-1], s.b1)
    y += term
    y += np.multiply(padded[:-2], s.b2, out=term)
    y[0] -= s.a1 * outputs[1] + s.a2 * outputs[0]
    if len(y) > 1:
        y[1] -= s.a2 * outputs[1]
    band = _band(s.a1, s.a2)[:, : len(y)]
    # diag="U": the diagonal is all ones, and saying so spares LAPACK a division a sample.
    solved, info = _dtbtrs()(band, y[:, None], uplo="L", diag="U", overwrite_b=1)
    if info != 0:  # only for a bad argument: a unit diagonal is never singular
        raise ArithmeticError(f"LAPACK dtbtrs failed with info={info}")
    return np.asarray(solved[:, 0], np.float64)


@lru_cache(maxsize=16)
def _band(a1: float, a2: float) -> Float64Array:
    """The recursion's matrix for :data:`_BLOCK` samples, in LAPACK's lower band storage."""
    band = np.empty((3, _BLOCK), order="F")  # rows: diagonal, first and second subdiagonal
    band[0], band[1], band[2] = 1.0, a1, a2
    return band


@cache
def _dtbtrs():  # type: ignore[no-untyped-def]  # an f2py routine: no stubs
    from scipy.linalg.lapack import dtbtrs  # imported on first use, like numpy's heavier parts

    return dtbtrs


@cache
def interpolator(factor: int, half_taps: int = 10, beta: float = 5.0) -> Float64Array:
    """Polyphase taps to oversample by ``factor``: shape ``(factor, 2 * half_taps + 1)``.

    The prototype is a Kaiser-windowed sinc low-pass with ``2 * factor * half_taps + 1``
    taps cut at the original Nyquist frequency, scaled so each branch passes DC at
    unity: the filter ``scipy.signal.resample_poly`` uses by default. Row ``p`` holds
    the taps that make the output samples ``p / factor`` of a sample after each input
    sample, ordered to multiply the inputs from ``half_taps`` before to ``half_taps``
    after.
    """
    length = 2 * factor * half_taps + 1
    offsets = np.arange(length) - (length - 1) / 2
    prototype = np.sinc(offsets / factor) / factor * np.kaiser(length, beta)
    prototype *= factor / prototype.sum()
    # Branch p holds taps p, p + factor, p + 2 * factor, ... (zeros pad the short
    # branches); reversed, they multiply the inputs in time order.
    padded = np.concatenate([prototype, np.zeros(factor - 1)])
    return np.asarray([padded[p::factor][::-1] for p in range(factor)], np.float64)


def oversampled(x: npt.NDArray[np.floating], factor: int) -> Float64Array:
    """``x`` interpolated ``factor`` times, for the samples whose taps all fall inside it.

    Output sample ``k`` lies at input time ``half + k / factor``, where ``half`` is the
    number of taps either side of the centre (see :func:`interpolator`).
    """
    taps = interpolator(factor)
    width = taps.shape[1]
    if len(x) < width:
        return np.zeros(0)
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(x, np.float64), width)
    return np.asarray((windows @ taps.T).ravel(), np.float64)
