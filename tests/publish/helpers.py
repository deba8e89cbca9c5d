"""Small MP3s for the publish tests: one mastered to a profile, one that fails it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audiobook.audio.encode import encode_mp3
from audiobook.audio.master import encode_checked
from audiobook.audio.profiles import Profile

RATE = 44100


def speech(seconds: float = 5.0, seed: int = 0) -> np.ndarray:
    """Noise bursts between a 0.75 s lead-in and a 2.5 s tail, like a stitched chapter."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    gate = np.repeat(rng.uniform(size=n // 4410 + 1) > 0.3, 4410)[:n]
    x = (rng.standard_normal(n) * 0.05 * gate).astype(np.float32)
    x[: int(0.75 * RATE)] = 0
    x[-int(2.5 * RATE) :] = 0
    return x


def mastered_mp3(path: Path, profile: Profile, seconds: float = 5.0) -> Path:
    encode_checked(speech(seconds), RATE, profile, path)
    return path


def raw_mp3(path: Path, *, level: float = 0.05, bitrate: int = 192) -> Path:
    """Unmastered speech over digital silence: too quiet, no room tone."""
    encode_mp3(speech() * (level / 0.05), RATE, path, bitrate=bitrate)
    return path
