"""What a chapter measures: the figures audiobook retailers and podcast hosts check.

Conventions follow Audacity's ACX Check (and ``shared/tools/audit_audio.py``, which
the project's ``check`` must agree with): per channel, DC removed, RMS over the whole
file, ``dBFS = 20 log10(x)`` with 1.0 as full scale. The noise floor is the RMS of the
quietest 500 ms window (100 ms hop) after a 10 Hz high-pass. Head and tail room tone
are the time before the first and after the last 10 ms block whose RMS reaches
:data:`SPEECH_THRESHOLD_DB`. With several channels each figure is the loudest
channel's. Everything is computed in chunks, so a two-hour file is no problem.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from audiobook.audio.filters import Cascade, butterworth_high_pass
from audiobook.audio.loudness import db, integrated_lufs, split_channels, true_peak

SPEECH_THRESHOLD_DB = -45.0  # a 10 ms block this loud is narration, not room tone
DIGITAL_SILENCE = 2.0**-16  # samples below half a 16-bit step are dead silence
_CHUNK_BLOCKS = 100  # 100 ms blocks per chunk: 10 s at a time


@dataclass(frozen=True)
class Measurement:
    """Levels of one piece of audio (a decoded file, or samples about to be encoded)."""

    seconds: float  # duration
    channels: int  # 1 mono, 2 stereo
    rate: int  # samples per second
    rms_db: float  # whole-file RMS, DC removed (ACX: -23..-18)
    peak_db: float  # largest sample magnitude (ACX: <= -3)
    true_peak_db: float  # after 4x oversampling, dBTP (podcasts: <= -1)
    noise_floor_db: float | None  # quietest 500 ms, 10 Hz high-passed; None under 500 ms
    lufs: float | None  # BS.1770 integrated loudness; None under 400 ms
    head_s: float | None  # room tone before the first speech; None if there is no speech
    tail_s: float | None  # room tone after the last speech
    longest_silence_s: float  # longest run of digitally silent samples


@dataclass
class _Channel:
    """Running sums for one channel while the chunks go by."""

    rms: float
    peak: float
    true_peak: float
    noise: float | None
    speech: npt.NDArray[np.bool_]  # per 10 ms block: loud enough to be speech
    silence: float  # longest digital-silence run, seconds


def measure(samples: npt.NDArray[np.floating], rate: int) -> Measurement:
    """Measure mono (1-D) or ``(frames, channels)`` float audio at ``rate`` Hz."""
    if rate < 100:
        raise ValueError(f"sample rate {rate} is too low to measure")
    channels = [_measure_channel(c, rate) for c in split_channels(samples)]
    n = len(samples)
    speech = np.logical_or.reduce([c.speech for c in channels])
    tick = (rate // 100) / rate  # one 10 ms block, in seconds
    loud = np.flatnonzero(speech)
    head = float(loud[0] * tick) if loud.size else None
    tail = float(n / rate - (loud[-1] + 1) * tick) if loud.size else None
    noises = [c.noise for c in channels if c.noise is not None]
    return Measurement(
        seconds=n / rate,
        channels=len(channels),
        rate=rate,
        rms_db=max(db(c.rms) for c in channels),
        peak_db=max(db(c.peak) for c in channels),
        true_peak_db=max(db(c.true_peak) for c in channels),
        noise_floor_db=db(max(noises)) if noises else None,
        lufs=integrated_lufs(samples, rate),
        head_s=head,
        tail_s=tail,
        longest_silence_s=max(c.silence for c in channels),
    )


def _measure_channel(x: npt.NDArray[np.floating], rate: int) -> _Channel:
    n = len(x)
    hop = max(10, rate // 10)  # 100 ms: the noise-floor window's hop
    tick = hop // 10  # 10 ms: head/tail resolution
    dc = float(np.mean(x, dtype=np.float64)) if n else 0.0
    high_pass = Cascade(butterworth_high_pass(4, 10.0, rate))
    squares, hop_energy, tick_energy = 0.0, [], []
    run, longest = 0, 0
    for start in range(0, n, hop * _CHUNK_BLOCKS):
        chunk = np.asarray(x[start : start + hop * _CHUNK_BLOCKS], np.float64) - dc
        squares += float(chunk @ chunk)
        tick_energy.append(_block_sums(chunk, tick) / tick)
        hop_energy.append(_block_sums(high_pass(chunk), hop))
        run, longest = _silence_runs(np.asarray(x[start : start + len(chunk)]), run, longest)
    hops = np.concatenate(hop_energy) if hop_energy else np.zeros(0)
    ticks = np.concatenate(tick_energy) if tick_energy else np.zeros(0)
    noise = None
    if len(hops) >= 5:
        windows = np.convolve(hops, np.ones(5), mode="valid") / (5 * hop)
        noise = math.sqrt(max(float(windows.min()), 0.0))
    threshold = 10.0 ** (SPEECH_THRESHOLD_DB / 10.0)
    return _Channel(
        rms=math.sqrt(squares / n) if n else 0.0,
        peak=float(np.max(np.abs(x))) if n else 0.0,
        true_peak=true_peak(x, rate),
        noise=noise,
        speech=ticks >= threshold,
        silence=longest / rate,
    )


def _block_sums(x: npt.NDArray[np.float64], block: int) -> npt.NDArray[np.float64]:
    """Sum of squares over each whole ``block`` of ``x`` (a chunk is a whole number of them)."""
    whole = len(x) // block * block
    sums: npt.NDArray[np.float64] = np.square(x[:whole]).reshape(-1, block).sum(axis=1)
    return sums


def _silence_runs(chunk: npt.NDArray[np.floating], run: int, longest: int) -> tuple[int, int]:
    """Carry the current and longest run of digitally silent samples across a chunk."""
    quiet = np.abs(chunk) < DIGITAL_SILENCE
    if quiet.all():
        run += len(quiet)
        return run, max(longest, run)
    edges = np.diff(np.concatenate(([0], quiet.view(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if starts.size:
        first = ends[0] - starts[0] + (run if starts[0] == 0 else 0)
        longest = max(longest, int(first), int((ends - starts).max()))
    run = int(ends[-1] - starts[-1]) if starts.size and ends[-1] == len(quiet) else 0
    return run, longest
