"""Stitching: one chapter's synthesized pieces laid end to end with pauses and room tone.

Layout: lead-in, piece, its pause, piece, ..., last piece, tail. Each piece is
resampled to the chapter rate, its leading and trailing near-silence trimmed (so pauses
are what :class:`PauseTimes` says, whatever the engine padded), and levelled so that
voices from different engines sit at one loudness. The whole chapter lies on very quiet
deterministic noise ("room tone"): ACX rejects digital silence as much as a loud floor.

Voices are levelled against each other piece by piece: each piece's loudness is
measured as BS.1770 does (K-weighted and gated, so a deep voice and a bright one that
measure the same also sound equally loud) and brought to one level. With ``finish=True`` (the
default) the chapter then gets a simple make-up gain, peak limiter and room tone aiming
at ACX's RMS -23..-18 dB and peak -3 dB; the pipeline passes ``finish=False`` and lets
:mod:`audiobook.audio.master` do that part to a chosen profile, measured.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
import numpy.typing as npt

from audiobook.audio.dsp import to_rate
from audiobook.audio.loudness import integrated_lufs, k_weighted
from audiobook.engines.base import Audio
from audiobook.script.model import Pause

_LOGGER = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]

_BLOCK = 1 << 20  # samples per block when walking a whole chapter (bounds temporary memory)


@dataclass(frozen=True)
class PauseTimes:
    """Milliseconds of silence after each kind of :class:`Pause`, and around the chapter."""

    none: int = 80  # a quote interrupted mid-sentence: just a breath
    clause: int = 250  # after a comma-ended quote or speech tag
    sentence: int = 400  # between sentences of a paragraph
    paragraph: int = 750  # end of a paragraph
    scene: int = 1800  # a scene break
    lead_in: int = 750  # room tone before the first word (ACX: 0.5-1 s)
    tail: int = 2500  # room tone after the last word (ACX: 1-5 s); replaces its pause

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ValueError(f"pause {f.name} must not be negative")

    def after(self, pause: Pause) -> int:
        """Milliseconds of silence that follow a segment ending with ``pause``."""
        ms: int = getattr(self, pause.value)
        return ms


@dataclass(frozen=True)
class Levels:
    """Loudness targets for levelling (dBFS; RMS of full-scale sine = -3 dB)."""

    speech_rms_db: float = -20.0  # loudness (LUFS) each piece is brought to
    # Sample-peak ceiling: ACX's -3 dB less 0.5 dB, because MP3 encoding overshoots peaks.
    peak_db: float = -3.5
    min_rms_db: float = -23.0  # ACX window for the RMS of the whole chapter
    max_rms_db: float = -18.0
    room_tone_db: float = -70.0  # RMS of the noise floor: under ACX's -60 dB, never silent
    max_makeup_db: float = 12.0  # most gain the chapter step adds, so pauses stay pauses


@dataclass(frozen=True, eq=False)  # eq=False: numpy arrays have no single truth value
class Stitched:
    """A stitched chapter."""

    samples: FloatArray  # mono float32 at ``rate``, speech over room tone
    rate: int  # samples per second
    # (start, end) seconds of each piece's (trimmed) speech in ``samples``, in piece order.
    timings: tuple[tuple[float, float], ...]

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


def stitch(
    pieces: Sequence[tuple[Audio, Pause]],
    *,
    rate: int = 44100,
    pauses: PauseTimes = PauseTimes(),
    seed: int = 0,
    levels: Levels = Levels(),
    finish: bool = True,
) -> Stitched:
    """Lay ``pieces`` (audio, pause after it) out as one chapter at ``rate`` Hz.

    With ``finish=False`` the chapter is left as levelled speech over digital silence,
    for :func:`audiobook.audio.master.master`. The result's length is exactly lead-in +
    trimmed pieces + their pauses + tail (the last piece's pause is replaced by the
    tail), each rounded to whole samples. It is
    deterministic for given inputs and ``seed`` (which seeds the room tone). Memory is
    about twice the chapter's samples.
    """
    if rate <= 0:
        raise ValueError(f"sample rate must be positive, not {rate}")
    # Unfinished chapters go to a limiter, so their pieces need no peak cap (which would
    # leave peaky voices quieter than the rest).
    cap = levels if finish else replace(levels, peak_db=math.inf)
    prepared = [_prepare(audio, rate, cap) for audio, _ in pieces]
    gaps = [_to_samples(pauses.after(pause), rate) for _, pause in pieces[:-1]]
    gaps.append(_to_samples(pauses.tail, rate))
    lead = _to_samples(pauses.lead_in, rate)
    total = lead + sum(len(p) for p in prepared) + sum(gaps)  # no pieces: lead + tail

    out = np.zeros(total, dtype=np.float32)  # speech first; room tone is added at the end
    timings: list[tuple[float, float]] = []
    pos = lead
    for piece, gap in zip(prepared, gaps, strict=False):
        out[pos : pos + len(piece)] = piece
        timings.append((pos / rate, (pos + len(piece)) / rate))
        pos += len(piece) + gap
    del prepared
    if not finish:
        return Stitched(out, rate, tuple(timings))
    level_chapter(out, rate, levels)
    add_room_tone(out, levels.room_tone_db, seed)
    # Room tone can lift a limited peak by a hair; ACX's -3 dB is the hard line.
    ceiling = _db_to_amp(-3.0)
    np.clip(out, -ceiling, ceiling, out=out)
    return Stitched(out, rate, tuple(timings))


def _prepare(audio: Audio, rate: int, levels: Levels) -> FloatArray:
    """One piece at ``rate``: trimmed, levelled, with short fades at the cut edges."""
    if audio.samples.ndim != 1:
        raise ValueError(f"audio must be mono (1-D), got shape {audio.samples.shape}")
    if not np.isfinite(audio.samples).all():
        # One NaN from an engine would smear through resampling and levelling.
        clean = np.nan_to_num(audio.samples, nan=0.0, posinf=0.0, neginf=0.0)
        audio = Audio(clean.astype(np.float32, copy=False), audio.sample_rate)
    samples = to_rate(audio, rate).samples
    start, end = trim_bounds(samples, rate)
    piece = np.array(samples[start:end], dtype=np.float32)  # a copy we may scale in place
    piece *= np.float32(piece_gain(piece, rate, levels))
    _fade_edges(piece, rate)
    return piece


def _to_samples(ms: float, rate: int) -> int:
    return round(ms * rate / 1000)


def _db_to_amp(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def _peak(samples: FloatArray) -> float:
    return float(np.max(np.abs(samples))) if len(samples) else 0.0


def trim_bounds(
    samples: FloatArray, rate: int, *, floor_db: float = -40.0, keep_ms: float = 20.0
) -> tuple[int, int]:
    """``(start, end)`` of ``samples`` without leading and trailing near-silence.

    Near-silence is below ``floor_db`` relative to the piece's peak (and anything under
    -60 dBFS). ``keep_ms`` of it is kept either side so soft onsets and releases of
    words are not clipped. A silent piece gives ``(0, 0)``.
    """
    peak = _peak(samples)
    threshold = max(peak * _db_to_amp(floor_db), _db_to_amp(-60.0))
    loud = np.abs(samples) > threshold
    if not loud.any():
        return 0, 0
    keep = _to_samples(keep_ms, rate)
    first = int(np.argmax(loud))
    last = len(samples) - int(np.argmax(loud[::-1]))
    return max(0, first - keep), min(len(samples), last + keep)


def _fade_edges(samples: FloatArray, rate: int, ms: float = 5.0) -> None:
    """Raised-cosine fades at both ends, in place, so a cut never clicks."""
    n = min(_to_samples(ms, rate), len(samples) // 2)
    if n <= 0:
        return
    ramp = (0.5 - 0.5 * np.cos(np.pi * (np.arange(n) + 0.5) / n)).astype(np.float32)
    samples[:n] *= ramp
    samples[len(samples) - n :] *= ramp[::-1]


def active_rms(
    samples: FloatArray, rate: int, *, frame_ms: float = 20.0, gate_db: float = -30.0
) -> float:
    """RMS over the frames of ``samples`` that hold speech (0.0 for silence).

    A frame counts when its energy is within ``gate_db`` of the loudest frame, so the
    gaps between words do not pull a voice's level down. The gate is relative, so it
    works at any recording level.
    """
    frame = max(1, _to_samples(frame_ms, rate))
    usable = len(samples) // frame * frame or len(samples)
    if usable == 0:
        return 0.0
    frames = samples[:usable].reshape(-1, min(frame, usable))
    energy = np.mean(np.square(frames, dtype=np.float64), axis=1)
    loudest = float(energy.max())
    if loudest <= 1e-12:  # -120 dBFS: digital silence
        return 0.0
    active = energy[energy >= loudest * 10.0 ** (gate_db / 10.0)]
    return float(np.sqrt(active.mean()))


def piece_gain(samples: FloatArray, rate: int, levels: Levels) -> float:
    """Gain that brings a piece's loudness to ``levels.speech_rms_db`` (as LUFS).

    Loudness is BS.1770's integrated loudness for pieces of 400 ms or more, and for
    shorter ones the K-weighted RMS of their active frames on the same scale. Either way
    K-weighting (how loud a spectrum sounds) keeps a bass voice from being pushed above
    a bright one of the same RMS, and every voice in the book measures the same.
    Capped so the piece's sample peak stays at or under ``levels.peak_db``. Silence
    gets 1.0.
    """
    level = piece_loudness(samples, rate)
    if level is None:
        return 1.0
    gain = _db_to_amp(levels.speech_rms_db - level)
    if math.isinf(levels.peak_db):
        return gain
    return min(gain, _db_to_amp(levels.peak_db) / _peak(samples))


def piece_loudness(samples: FloatArray, rate: int) -> float | None:
    """A piece's loudness in LUFS (see :func:`piece_gain`); None for silence."""
    lufs = integrated_lufs(samples, rate) if len(samples) >= rate * 0.4 else None
    if lufs is not None and np.isfinite(lufs):
        return lufs
    weighted = k_weighted(samples, rate).astype(np.float32) if len(samples) else samples
    level = active_rms(weighted, rate)
    return 20.0 * float(np.log10(level)) - 0.691 if level > 0.0 else None


def rms(samples: FloatArray) -> float:
    """RMS of ``samples`` (a whole chapter), summed block by block in float64."""
    if len(samples) == 0:
        return 0.0
    energy = sum(
        float(np.dot(block, block.astype(np.float64)))
        for block in (samples[i : i + _BLOCK] for i in range(0, len(samples), _BLOCK))
    )
    return float(np.sqrt(energy / len(samples)))


def level_chapter(samples: FloatArray, rate: int, levels: Levels) -> None:
    """Bring the chapter's overall RMS into ``levels``' window, in place.

    Too loud: scale down (peaks only fall). Too quiet (long pauses around short
    speech): add gain, at most ``levels.max_makeup_db`` in all, and limit peaks to
    ``levels.peak_db``; limiting lowers the RMS again, so this repeats a few times.
    Silence is left alone.
    """
    budget = levels.max_makeup_db
    for _ in range(4):
        level = rms(samples)
        if level == 0.0:
            return
        db = 20.0 * np.log10(level)
        if db > levels.max_rms_db:
            samples *= np.float32(_db_to_amp(levels.max_rms_db - 1.0 - db))
            return
        if db >= levels.min_rms_db or budget <= 0.0:
            return
        gain_db = min(levels.min_rms_db + 1.0 - db, budget)
        budget -= gain_db
        samples *= np.float32(_db_to_amp(gain_db))
        limit_peaks(samples, rate, levels.peak_db)
    _LOGGER.debug("chapter RMS %.1f dB after levelling", 20.0 * np.log10(rms(samples)))


def limit_peaks(
    samples: FloatArray, rate: int, ceiling_db: float, *, block_ms: float = 5.0
) -> None:
    """Keep every sample within ``ceiling_db``, in place, with short smooth gain ramps.

    The gain needed by each ``block_ms`` block is the minimum over it and its two
    neighbours, and is interpolated linearly between block centres; every sample
    then gets at most the gain its own block allows, so the ceiling holds exactly,
    while ramps last one block (no hard clipping, so little distortion).
    """
    ceiling = _db_to_amp(ceiling_db)
    block = max(1, _to_samples(block_ms, rate))
    starts = np.arange(0, len(samples), block)
    if len(starts) == 0:
        return
    peaks = np.maximum.reduceat(np.abs(samples), starts)
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if need.min() >= 1.0:
        return
    gain = need.copy()
    gain[1:] = np.minimum(gain[1:], need[:-1])
    gain[:-1] = np.minimum(gain[:-1], need[1:])
    centres = starts + (block - 1) / 2.0
    for i in range(0, len(samples), _BLOCK):
        j = min(i + _BLOCK, len(samples))
        samples[i:j] *= np.interp(np.arange(i, j), centres, gain).astype(np.float32)
    # Float rounding can leave a peak a hair over; the ramps above did the real work.
    np.clip(samples, -ceiling, ceiling, out=samples)


def add_room_tone(samples: FloatArray, rms_db: float, seed: int) -> None:
    """Add white noise of RMS ``rms_db`` dBFS to ``samples``, in place, reproducibly."""
    rng = np.random.default_rng(seed)
    sigma = np.float32(_db_to_amp(rms_db))
    for i in range(0, len(samples), _BLOCK):
        block = samples[i : i + _BLOCK]
        block += rng.standard_normal(len(block), dtype=np.float32) * sigma
