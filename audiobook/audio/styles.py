"""Performances a user can ask for on a line of an editable script: a thought, a whisper.

They are applied to a segment's audio after synthesis, so every engine can perform
them and one recording of the words serves the plain and the styled line alike.

- ``whisper``: the voice rebuilt by the WORLD vocoder with no pitch at all. Every
  frame is unvoiced, so the spectral envelope (which carries the words) is excited by
  noise instead of the vocal folds: that is what a whisper is.
- ``thought``: the voice in a small, close room, as radio drama plays an inner voice:
  a short synthetic reverb (decaying noise from a fixed seed) under the dry voice, and
  the top end softened.

Both are deterministic: the same audio and style always give the same samples.
"""

from __future__ import annotations

import logging

import numpy as np

from audiobook.audio.dsp import FloatArray
from audiobook.engines.base import Audio
from audiobook.script.model import Style

_LOGGER = logging.getLogger(__name__)

ROOM_SECONDS = 0.35  # reverb tail of a thought: a small room, not a hall
ROOM_RT60 = 0.3  # seconds for the tail to fall 60 dB
ROOM_WET = 0.35  # reverb level under the dry voice
THOUGHT_CUTOFF_HZ = 5000.0
_FRAME_MS = 5.0


def apply_style(audio: Audio, style: Style | None) -> Audio:
    """``audio`` performed in ``style`` (the same object when ``style`` is None)."""
    if style is None or len(audio.samples) == 0:
        return audio
    if style is Style.WHISPER:
        return Audio(whisper(audio.samples, audio.sample_rate), audio.sample_rate)
    return Audio(thought(audio.samples, audio.sample_rate), audio.sample_rate)


def whisper(samples: FloatArray, rate: int) -> FloatArray:
    """``samples`` whispered: same words and length, no pitch (see the module notes)."""
    if len(samples) < rate // 20:
        return samples
    import pyworld  # a dependency (engines use it for pitch); imported when needed

    x = samples.astype(np.float64)
    f0, times = pyworld.dio(x, rate, frame_period=_FRAME_MS)
    f0 = pyworld.stonemask(x, f0, times, rate)
    envelope = pyworld.cheaptrick(x, f0, times, rate)
    aperiodicity = np.ones_like(envelope)  # all noise
    y = np.asarray(pyworld.synthesize(np.zeros_like(f0), envelope, aperiodicity, rate, _FRAME_MS))
    y = np.pad(y[: len(samples)], (0, max(0, len(samples) - len(y))))
    out: FloatArray = np.clip(y, -1.0, 1.0).astype(np.float32)
    return out


def thought(samples: FloatArray, rate: int) -> FloatArray:
    """``samples`` in a small room, softened; longer by the room's tail."""
    # scipy.signal takes 0.6 s to import (see audio/filters): only books with thoughts pay it.
    from scipy.signal import butter, fftconvolve, sosfilt

    n = int(ROOM_SECONDS * rate)
    t = np.arange(n) / rate
    rng = np.random.default_rng(7)
    room = rng.standard_normal(n) * np.exp(-6.91 * t / ROOM_RT60)  # -60 dB at RT60
    room /= np.sqrt(np.sum(room**2))
    wet = fftconvolve(samples.astype(np.float64), room)
    dry = np.pad(samples.astype(np.float64), (0, len(wet) - len(samples)))
    mixed = dry * (1.0 - ROOM_WET) + wet * ROOM_WET
    cutoff = min(THOUGHT_CUTOFF_HZ, rate * 0.45)
    soft = sosfilt(butter(2, cutoff, fs=rate, output="sos"), mixed)
    out: FloatArray = np.clip(soft, -1.0, 1.0).astype(np.float32)
    return out
