"""Small signal helpers shared by engines and the audio stage."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import soxr

from audiobook.engines.base import Audio

FloatArray = npt.NDArray[np.float32]


def resample(samples: FloatArray, from_rate: int, to_rate: int) -> FloatArray:
    """Resample mono float32 ``samples`` with soxr's high-quality filter."""
    if from_rate == to_rate or len(samples) == 0:
        return samples.astype(np.float32, copy=False)
    out = soxr.resample(samples.astype(np.float32, copy=False), from_rate, to_rate, quality="HQ")
    return np.asarray(out, dtype=np.float32)


def to_rate(audio: Audio, rate: int) -> Audio:
    """``audio`` at ``rate`` Hz (the same object when it already is)."""
    if audio.sample_rate == rate:
        return audio
    return Audio(resample(audio.samples, audio.sample_rate, rate), rate)


def int16_to_float(pcm: npt.NDArray[np.int16]) -> FloatArray:
    """Convert int16 PCM to float32 in [-1, 1)."""
    return (pcm.astype(np.float32) / 32768.0).astype(np.float32, copy=False)
