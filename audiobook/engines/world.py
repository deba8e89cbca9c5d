"""Pitch and formant shifting with the WORLD vocoder (``pyworld``), for any engine's audio.

WORLD splits speech into a pitch contour, a spectral envelope (the formants: vocal
tract size, what makes a voice sound like a man, a woman or a child) and an
aperiodicity map, then builds speech back from them. Changing pitch and envelope
separately derives new voices from one speaker that sound more natural than the
resampling trick, which moves both by the same ratio (a "chipmunk" voice).

Cost: about 6x real time on one core at 22-24 kHz, mostly in pitch tracking.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

from audiobook.audio.dsp import FloatArray
from audiobook.engines.base import Voice
from audiobook.errors import ConfigError, EngineError, UnknownNameError

_LOGGER = logging.getLogger(__name__)

FRAME_MS = 5.0  # WORLD's default analysis hop; coarser hops blur fast pitch movement
MAX_SHIFT = 12.0  # semitones either way, for pitch and for formants
VOICE_OPTIONS = ("formant",)  # the Voice.options that engines using this module read


@dataclass(frozen=True)
class PitchRange:
    """Where to look for the source voice's pitch (Hz).

    A range that fits the speaker matters: a wide one lets the tracker jump an octave
    (measured on piper's joe: 20 % octave errors with 71-800 Hz, under 5 % with 60-300).
    """

    low: float
    high: float


MALE_RANGE = PitchRange(60.0, 300.0)
FEMALE_RANGE = PitchRange(120.0, 500.0)


def _pyworld() -> Any:
    try:
        import pyworld
    except ImportError as exc:
        raise EngineError("pitch/formant shifting needs the 'pyworld' package") from exc
    return pyworld


def check_available() -> None:
    """Raise :class:`EngineError` when ``pyworld`` is missing (call when an engine is built)."""
    _pyworld()


def check_shift(what: str, semitones: float) -> None:
    """Raise ``ValueError`` when a shift of ``semitones`` is beyond an octave."""
    if abs(semitones) > MAX_SHIFT:
        raise ValueError(f"{what} shift {semitones:+g} is beyond ±{MAX_SHIFT:g} semitones")


def formant_option(voice: Voice) -> float | None:
    """The ``formant`` option of ``voice`` in semitones, or None when it is not set.

    Raises :class:`UnknownNameError` for any other option and :class:`ConfigError` for
    a value that is not a number or is beyond an octave (``voice.pitch`` too).
    """
    options = dict(voice.options)
    for key in options:
        if key not in VOICE_OPTIONS:
            raise UnknownNameError(f"option of voice {voice.id}:", key, VOICE_OPTIONS)
    formant = options.get("formant")
    if formant is not None and (isinstance(formant, bool) or not isinstance(formant, int | float)):
        raise ConfigError(f"voice {voice.id}: formant must be a number of semitones")
    try:
        check_shift("pitch", voice.pitch)
        check_shift("formant", float(formant or 0.0))
    except ValueError as exc:
        raise ConfigError(f"voice {voice.id}: {exc}") from None
    return None if formant is None else float(formant)


def warp_envelope(envelope: np.ndarray[Any, Any], ratio: float) -> np.ndarray[Any, Any]:
    """Stretch a spectral envelope along frequency by ``ratio`` (> 1 raises formants).

    Bin ``k`` of the result takes the (linearly interpolated) value at bin ``k / ratio``;
    bins that would read past the top repeat the last one.
    """
    if ratio == 1.0:
        return envelope
    bins = envelope.shape[1]
    source = np.minimum(np.arange(bins) / ratio, bins - 1)
    lower = np.floor(source).astype(np.int64)
    upper = np.minimum(lower + 1, bins - 1)
    frac = source - lower
    warped: np.ndarray[Any, Any] = envelope[:, lower] * (1.0 - frac) + envelope[:, upper] * frac
    return warped


def shift(
    samples: FloatArray,
    rate: int,
    *,
    pitch: float = 0.0,
    formant: float = 0.0,
    source: PitchRange = MALE_RANGE,
) -> FloatArray:
    """``samples`` with pitch moved by ``pitch`` and formants by ``formant`` semitones.

    Duration is unchanged. Raises ``ValueError`` for shifts beyond an octave; the
    caller turns that into its own error type. Returns ``samples`` itself when both
    shifts are zero.
    """
    check_shift("pitch", pitch)
    check_shift("formant", formant)
    if (pitch == 0.0 and formant == 0.0) or len(samples) < rate // 20:
        return samples
    pw = _pyworld()
    x = samples.astype(np.float64)
    f0, times = pw.harvest(x, rate, f0_floor=source.low, f0_ceil=source.high, frame_period=FRAME_MS)
    envelope = pw.cheaptrick(x, f0, times, rate)
    aperiodicity = pw.d4c(x, f0, times, rate)
    envelope = np.ascontiguousarray(warp_envelope(envelope, 2.0 ** (formant / 12.0)))
    y = np.asarray(
        pw.synthesize(f0 * 2.0 ** (pitch / 12.0), envelope, aperiodicity, rate, FRAME_MS)
    )
    y = y[: len(samples)]
    if len(y) < len(samples):
        y = np.pad(y, (0, len(samples) - len(y)))
    out: FloatArray = np.clip(y, -1.0, 1.0).astype(np.float32)
    return out
