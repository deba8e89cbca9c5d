"""Compliance: does an MP3 meet its profile? The checks behind ``audiobook check``.

Every figure comes from the file as written: the format from its frame headers (every
frame, for the CBR test), the levels from its decoded samples
(:mod:`audiobook.audio.measure`). The checks and their limits are the ones
``shared/tools/audit_audio.py --profile acx|podcast`` applies, so the two agree on pass
and fail; a ``warn`` never fails a file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from audiobook.audio.measure import Measurement, measure
from audiobook.audio.mpeg import Mp3Format, decode_native, read_format
from audiobook.audio.profiles import Profile

DEAD_SILENCE_DB = -96.0  # a noise floor under a 16-bit step is digital silence
LONG_SILENCE_S = 0.5  # stretches of digital silence this long are worth a warning
RMS_SPREAD_DB = 2.0  # files of one book further apart than this sound inconsistent


class Status(StrEnum):
    """Outcome of one check."""

    PASS = "pass"
    WARN = "warn"  # worth knowing; does not fail the file
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    """One requirement, what was measured and whether it passed."""

    id: str  # short name, e.g. "rms", "peak", "cbr"
    status: Status
    measured: str  # the figure, formatted
    requirement: str  # what the profile asks for


@dataclass(frozen=True)
class FileReport:
    """All checks of one file."""

    path: Path
    format: Mp3Format
    levels: Measurement
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(c.status is not Status.FAIL for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is Status.FAIL)


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    return f"{value:.2f}{unit}"


def _check(cid: str, ok: bool, measured: str, requirement: str) -> Check:
    return Check(cid, Status.PASS if ok else Status.FAIL, measured, requirement)


def check_file(path: Path, profile: Profile) -> FileReport:
    """Read, decode, measure and check MP3 ``path`` against ``profile``.

    Raises :class:`~audiobook.errors.InputError` naming the file when it is not a
    readable MP3.
    """
    fmt = read_format(path)
    return check_measured(path, fmt, measure(decode_native(path, fmt), fmt.sample_rate), profile)


def check_measured(path: Path, fmt: Mp3Format, levels: Measurement, profile: Profile) -> FileReport:
    """The checks of a file whose format and levels are already known."""
    checks = _format_checks(fmt, profile)
    if profile.rms_range is not None:
        checks += _acx_level_checks(levels, profile)
    else:
        checks += _podcast_level_checks(levels, fmt, profile)
    if profile.max_minutes is not None:
        minutes = levels.seconds / 60
        checks.append(
            _check("length", minutes <= profile.max_minutes, f"{minutes:.1f} min",
                   f"<= {profile.max_minutes:g} min")
        )  # fmt: skip
    return FileReport(Path(path), fmt, levels, tuple(checks))


def _format_checks(fmt: Mp3Format, profile: Profile) -> list[Check]:
    lenient = profile.rms_range is None  # podcast hosts recommend; retailers require
    rates = (profile.sample_rate,) if not lenient else (44100, 48000)
    checks = [
        _check("mp3", fmt.layer == 3, f"layer {fmt.layer}", "MPEG Layer III"),
        _check("sample_rate", fmt.sample_rate in rates, f"{fmt.sample_rate} Hz",
               " or ".join(f"{r} Hz" for r in rates)),
        _check("bitrate", fmt.bitrate >= profile.bitrate_min, f"{fmt.bitrate} kbps",
               f">= {profile.bitrate_min} kbps"),
    ]  # fmt: skip
    if lenient:  # advice only for podcasts
        checks = [checks[0], *(_soften(c) for c in checks[1:])]
    else:
        shown = ", ".join(f"{k}" for k, _ in fmt.bitrates) or "none"
        checks.append(_check("cbr", fmt.constant, shown, "one bitrate in every frame"))
    return checks


def _soften(check: Check) -> Check:
    if check.status is Status.FAIL:
        return Check(check.id, Status.WARN, check.measured, check.requirement)
    return check


def _acx_level_checks(m: Measurement, profile: Profile) -> list[Check]:
    assert profile.rms_range is not None and profile.peak_max is not None
    low, high = profile.rms_range
    checks = [
        _check("rms", low <= m.rms_db <= high, _fmt(m.rms_db, " dB"), f"{low:g} .. {high:g} dB"),
        _check("peak", m.peak_db <= profile.peak_max, _fmt(m.peak_db, " dB"),
               f"<= {profile.peak_max:g} dB"),
    ]  # fmt: skip
    if m.peak_db <= profile.peak_max < m.true_peak_db:
        checks.append(Check("true_peak", Status.WARN, _fmt(m.true_peak_db, " dBTP"),
                            f"<= {profile.peak_max:g} dBTP (advice)"))  # fmt: skip
    checks.append(_noise_check(m, profile))
    for cid, value, (lo, hi) in (
        ("head", m.head_s, profile.head_range or (0.0, math.inf)),
        ("tail", m.tail_s, profile.tail_range or (0.0, math.inf)),
    ):
        ok = value is not None and lo <= value <= hi
        checks.append(_check(cid, ok, _fmt(value, " s"), f"{lo:g} .. {hi:g} s of room tone"))
    if m.longest_silence_s >= LONG_SILENCE_S:
        checks.append(Check("dead_silence", Status.WARN, _fmt(m.longest_silence_s, " s"),
                            "no stretch of digital silence"))  # fmt: skip
    return checks


def _noise_check(m: Measurement, profile: Profile) -> Check:
    limit = profile.noise_max if profile.noise_max is not None else 0.0
    requirement = f"<= {limit:g} dB, not dead silence"
    floor = m.noise_floor_db
    if floor is None:
        return Check("noise_floor", Status.WARN, "-", requirement + " (file under 0.5 s)")
    if floor < DEAD_SILENCE_DB:
        return Check("noise_floor", Status.WARN, _fmt(floor, " dB"), requirement)
    return _check("noise_floor", floor <= limit, _fmt(floor, " dB"), requirement)


def _podcast_level_checks(m: Measurement, fmt: Mp3Format, profile: Profile) -> list[Check]:
    target = profile.lufs_target(fmt.channels)
    assert target is not None and profile.true_peak_max is not None
    tol = profile.lufs_tolerance
    ok = m.lufs is not None and abs(m.lufs - target) <= tol
    layout = "mono" if fmt.channels == 1 else "stereo"
    return [
        _check("loudness", ok, _fmt(m.lufs, " LUFS"), f"{target:g} LUFS +/- {tol:g} ({layout})"),
        _check("true_peak", m.true_peak_db <= profile.true_peak_max,
               _fmt(m.true_peak_db, " dBTP"), f"<= {profile.true_peak_max:g} dBTP"),
    ]  # fmt: skip


def check_set(reports: Sequence[FileReport], profile: Profile) -> tuple[Check, ...]:
    """Checks across the files of one book (retailers: all mono or all stereo, one rate)."""
    if len(reports) < 2 or profile.rms_range is None:
        return ()
    channels = sorted({r.format.channels for r in reports})
    rates = sorted({r.format.sample_rate for r in reports})
    bitrates = sorted({r.format.bitrate for r in reports})
    levels = [r.levels.rms_db for r in reports if math.isfinite(r.levels.rms_db)]
    spread = max(levels) - min(levels) if levels else 0.0
    return (
        _check("channels", len(channels) == 1, "/".join(map(str, channels)),
               "all mono or all stereo"),
        _check("sample_rates", len(rates) == 1, "/".join(map(str, rates)), "one sample rate"),
        _soften(_check("bitrates", len(bitrates) == 1, "/".join(map(str, bitrates)),
                       "one bitrate")),
        _soften(_check("rms_spread", spread <= RMS_SPREAD_DB, _fmt(spread, " dB"),
                       f"<= {RMS_SPREAD_DB:g} dB between files")),
    )  # fmt: skip


def compliance_table(
    reports: Sequence[FileReport], profile: Profile, book: Sequence[Check] = ()
) -> str:
    """A plain-text table: one row per file with its key figures and verdict."""
    rows = [("FILE", "MIN", "RMS", "PEAK", "FLOOR", "LUFS", "TP", "HEAD", "TAIL", "RESULT")]
    for r in reports:
        m = r.levels
        rows.append((
            r.path.name, f"{m.seconds / 60:.1f}", _fmt(m.rms_db), _fmt(m.peak_db),
            _fmt(m.noise_floor_db), _fmt(m.lufs), _fmt(m.true_peak_db), _fmt(m.head_s),
            _fmt(m.tail_s), _verdict(r.checks),
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]  # fmt: skip
    if book:
        lines.append(f"book: {_verdict(book)}")
    passed = sum(r.passed for r in reports)
    all_ok = passed == len(reports) and all(c.status is not Status.FAIL for c in book)
    lines.append(
        f"{profile.name} profile ({profile.description}): {passed} of {len(reports)} file(s) "
        + ("pass" if all_ok else "pass; the book FAILS")
    )
    return "\n".join(lines) + "\n"


def _verdict(checks: Sequence[Check]) -> str:
    """``PASS``, or ``FAIL rms (-25.10 dB; wants -23 .. -18 dB)`` listing what failed."""
    failed = [c for c in checks if c.status is Status.FAIL]
    warned = [c.id for c in checks if c.status is Status.WARN]
    if failed:
        text = "; ".join(f"{c.id} {c.measured} (wants {c.requirement})" for c in failed)
        return f"FAIL {text}"
    return "PASS" + (f" (warn: {', '.join(warned)})" if warned else "")
