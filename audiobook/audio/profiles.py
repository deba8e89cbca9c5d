"""Mastering profiles: the numbers a finished chapter must meet, and what to aim at.

``audiobook`` (the default) is what audiobook retailers check (ACX's submission
requirements): RMS -23..-18 dB per file, sample peak <= -3 dB, noise floor <= -60 dB
but never dead silence, 0.5-1 s of room tone at the head and 1-5 s at the tail, MP3
CBR >= 192 kbit/s at 44.1 kHz, at most 120 minutes per file. ``podcast`` is what
podcast directories ask: -16 LUFS integrated for stereo or -19 LUFS for mono, within
1 LU, and true peak <= -1 dBTP.

Each profile also says where mastering aims inside its window (the middle, so MP3
encoding's small level changes cannot push a file out) and how much headroom it
leaves under the peak limits for the encoder's overshoot.
"""

from __future__ import annotations

from dataclasses import dataclass

from audiobook.errors import UnknownNameError

DEFAULT_PROFILE = "audiobook"


@dataclass(frozen=True)
class Profile:
    """Requirements for finished files and the targets mastering aims at."""

    name: str  # what ``--profile`` takes
    description: str  # one line for help and the compliance table
    # Loudness is held by RMS (ACX) or by integrated LUFS (podcasts).
    rms_range: tuple[float, float] | None = None  # allowed whole-file RMS, dBFS
    rms_target: float = -20.5  # where mastering aims when ``rms_range`` is set
    lufs_mono: float | None = None  # integrated loudness target for mono files, LUFS
    lufs_stereo: float | None = None  # and for stereo files
    lufs_tolerance: float = 1.0  # +/- LU around the target that passes
    peak_max: float | None = None  # sample peak limit, dBFS
    true_peak_max: float | None = None  # true peak limit, dBTP
    noise_max: float | None = None  # noise floor limit, dBFS (and never dead silence)
    head_range: tuple[float, float] | None = None  # room tone before speech, seconds
    tail_range: tuple[float, float] | None = None  # room tone after speech, seconds
    max_minutes: float | None = None  # longest file; longer chapters are split
    bitrate: int = 192  # CBR kbit/s that files are written at
    bitrate_min: int = 192  # lowest bitrate that passes
    sample_rate: int = 44100  # the rate files are written at and must have
    # Headroom (dB) mastering keeps under the peak limits: LAME's filtering moves peaks.
    encoder_margin: float = 0.8

    def lufs_target(self, channels: int) -> float | None:
        """The integrated loudness a file with ``channels`` channels should have."""
        return self.lufs_mono if channels == 1 else self.lufs_stereo


AUDIOBOOK = Profile(
    name="audiobook",
    description="audiobook retailers (ACX): RMS -23..-18 dB, peak <= -3 dB, floor <= -60 dB",
    rms_range=(-23.0, -18.0),
    peak_max=-3.0,
    noise_max=-60.0,
    head_range=(0.5, 1.0),
    tail_range=(1.0, 5.0),
    max_minutes=120.0,
)

PODCAST = Profile(
    name="podcast",
    description="podcast directories: -19 LUFS mono / -16 LUFS stereo, true peak <= -1 dBTP",
    lufs_mono=-19.0,
    lufs_stereo=-16.0,
    true_peak_max=-1.0,
    bitrate=128,
    bitrate_min=96,
    encoder_margin=1.0,
)

PROFILES: dict[str, Profile] = {p.name: p for p in (AUDIOBOOK, PODCAST)}


def get_profile(name: str) -> Profile:
    """The profile called ``name``; :class:`UnknownNameError` listing the valid ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise UnknownNameError("profile", name, list(PROFILES)) from None
