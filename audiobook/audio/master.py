"""Mastering: a stitched chapter brought to its profile's numbers, then checked as an MP3.

:func:`master` takes the stitched speech (pieces already levelled against each other,
pauses digitally silent), sets the whole chapter's level (RMS for the ``audiobook``
profile, integrated LUFS for ``podcast``), holds peaks under the profile's limit with
the smooth limiter from :mod:`audiobook.audio.stitch`, and lays quiet room tone under
everything. Limiting lowers the level it was aiming at, so it measures and repeats.

:func:`encode_checked` then writes the MP3, decodes it again and measures what a
listener (or a retailer's checker) gets. LAME's filtering moves the level by a few
hundredths of a dB and peaks by a few tenths; when the decoded file misses the window
the error is corrected from the measurement and the file written again. Nothing about
the output is assumed.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from audiobook.audio.encode import decode_audio, encode_mp3
from audiobook.audio.loudness import db, integrated_lufs, true_peak
from audiobook.audio.measure import Measurement, measure
from audiobook.audio.profiles import Profile
from audiobook.audio.stitch import add_room_tone, limit_peaks, rms

_LOGGER = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]

ROOM_TONE_DB = -70.0  # RMS of the noise under the speech: well under -60, never silent
MAX_GAIN_DB = 30.0  # most a chapter is raised: beyond that it is silence, not quiet speech
_ROUNDS = 8  # level / limit rounds before accepting the result
_CLOSE_DB = 0.2  # a level this near its target is done
_ENCODE_TRIES = 3  # encodings before giving up on the window (each corrects the last)


@dataclass(frozen=True)
class Correction:
    """What to change on the next attempt after measuring an encoded file."""

    level_db: float = 0.0  # move the loudness target by this much
    headroom_db: float = 0.0  # and lower the peak ceiling by this much more


@dataclass(frozen=True, eq=False)  # eq=False: numpy arrays have no single truth value
class Mastered:
    """A mastered chapter, ready to encode."""

    samples: FloatArray  # mono float32, levelled, limited, over room tone
    rate: int
    gain_db: float  # overall gain applied to the stitched speech


def loudness_db(samples: FloatArray, rate: int, profile: Profile) -> float:
    """The figure ``profile`` holds: whole-file RMS (dBFS) or integrated LUFS."""
    if profile.rms_range is not None:
        return db(rms(samples))
    lufs = integrated_lufs(samples, rate)
    return -math.inf if lufs is None else lufs


def target_db(profile: Profile, channels: int = 1) -> float:
    """Where mastering aims for ``profile``: the middle of its window."""
    if profile.rms_range is not None:
        return profile.rms_target
    target = profile.lufs_target(channels)
    if target is None:
        raise ValueError(f"profile {profile.name} sets neither an RMS window nor LUFS targets")
    return target


def master(
    samples: FloatArray,
    rate: int,
    profile: Profile,
    *,
    seed: int = 0,
    room_tone_db: float = ROOM_TONE_DB,
    correction: Correction | None = None,
) -> Mastered:
    """Level, limit and add room tone to a stitched chapter (``samples`` is not changed).

    ``correction`` moves the target and the peak ceiling, to make up for what encoding
    did to an earlier attempt. Deterministic for the same input and ``seed``.
    """
    fix = correction or Correction()
    out = np.array(samples, dtype=np.float32)
    goal = target_db(profile) + fix.level_db
    total = 0.0
    ceiling = _ceiling(profile) - fix.headroom_db
    hard = 10.0 ** (ceiling / 20.0)  # room tone may lift a limited peak by a hair
    for _ in range(_ROUNDS):
        level = loudness_db(out, rate, profile)
        if not math.isfinite(level):
            break  # silence: nothing to level
        step = min(goal - level, MAX_GAIN_DB - total)
        if abs(step) < _CLOSE_DB and _peaks_ok(out, rate, profile, ceiling):
            break
        out *= np.float32(10.0 ** (step / 20.0))
        total += step
        ceiling = _limit(out, rate, profile, ceiling)
    add_room_tone(out, room_tone_db, seed)
    np.clip(out, -hard, hard, out=out)
    if _LOGGER.isEnabledFor(logging.DEBUG):  # measuring costs a pass over the chapter
        _LOGGER.debug("mastered to %.2f dB (gain %+.2f dB)", loudness_db(out, rate, profile), total)
    return Mastered(out, rate, total)


def _ceiling(profile: Profile) -> float:
    """Sample-peak ceiling for the limiter: the tighter limit less the encoder margin."""
    limits = [x for x in (profile.peak_max, profile.true_peak_max) if x is not None]
    return min(limits, default=-1.0) - profile.encoder_margin


def _peaks_ok(samples: FloatArray, rate: int, profile: Profile, ceiling: float) -> bool:
    if db(float(np.max(np.abs(samples)))) > ceiling + 1e-3:
        return False
    if profile.true_peak_max is None:
        return True
    return db(true_peak(samples, rate)) <= profile.true_peak_max - profile.encoder_margin / 2


def _limit(samples: FloatArray, rate: int, profile: Profile, ceiling: float) -> float:
    """Limit sample peaks to ``ceiling``; for a true-peak profile lower it until TP fits.

    Returns the ceiling used, so later rounds start from it.
    """
    limit_peaks(samples, rate, ceiling)
    if profile.true_peak_max is None:
        return ceiling
    allowed = profile.true_peak_max - profile.encoder_margin / 2
    for _ in range(4):
        over = db(true_peak(samples, rate)) - allowed
        if over <= 0:
            break
        ceiling -= over + 0.1
        limit_peaks(samples, rate, ceiling)
    return ceiling


def misses(found: Measurement, profile: Profile) -> Correction | None:
    """How to change the next attempt so an encoding lands inside ``profile``; None if fine.

    Only level and peaks are corrected here: they are what encoding changes.
    """
    level = 0.0
    if profile.rms_range is not None:
        low, high = profile.rms_range
        if not low + 0.1 <= found.rms_db <= high - 0.1:
            level = target_db(profile) - found.rms_db
    elif found.lufs is not None:
        goal = target_db(profile, found.channels)
        if abs(found.lufs - goal) > profile.lufs_tolerance / 2:
            level = goal - found.lufs
    over = max(
        found.peak_db - profile.peak_max if profile.peak_max is not None else -math.inf,
        found.true_peak_db - profile.true_peak_max
        if profile.true_peak_max is not None
        else -math.inf,
    )
    headroom = over + 0.3 if over > -0.05 else 0.0
    if level == 0.0 and headroom == 0.0:
        return None
    return Correction(level, headroom)


def encode_checked(
    samples: FloatArray, rate: int, profile: Profile, path: Path, *, seed: int = 0
) -> Measurement:
    """Master ``samples``, write them to ``path`` as MP3, and measure the decoded file.

    When the decoded file misses the profile's level or peak limits, the miss is fed
    back into :func:`master` and the file written again (at most three times). Returns
    the measurement of the file as written.
    """
    total = Correction()
    found: Measurement | None = None
    for _ in range(_ENCODE_TRIES):
        mastered = master(samples, rate, profile, seed=seed, correction=total)
        encode_mp3(mastered.samples, rate, path, bitrate=profile.bitrate)
        del mastered
        found = measure(decode_audio(path, rate), rate)
        fix = misses(found, profile)
        if fix is None:
            break
        _LOGGER.info("%s: encoded file off its profile (%s); writing it again", path.name, fix)
        total = Correction(total.level_db + fix.level_db, total.headroom_db + fix.headroom_db)
    assert found is not None  # the loop runs at least once
    return found
