"""Compliance checks: what passes, what fails and why, and agreement with audit_audio.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audiobook.audio.profiles import AUDIOBOOK, PODCAST
from audiobook.errors import InputError
from audiobook.publish.check import Status, check_file, check_set, compliance_table
from tests.publish.helpers import mastered_mp3, raw_mp3

AUDIT = Path(__file__).parents[3] / "shared" / "tools" / "audit_audio.py"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("check")
    return {
        "good": mastered_mp3(folder / "01 - good.mp3", AUDIOBOOK),
        "podcast": mastered_mp3(folder / "02 - podcast.mp3", PODCAST),
        "quiet": raw_mp3(folder / "03 - quiet.mp3", level=0.002, bitrate=128),
    }


def test_mastered_file_passes(files: dict[str, Path]) -> None:
    report = check_file(files["good"], AUDIOBOOK)
    assert report.passed, report.failed
    ids = {c.id for c in report.checks}
    assert {
        "mp3",
        "sample_rate",
        "bitrate",
        "cbr",
        "rms",
        "peak",
        "noise_floor",
        "head",
        "tail",
        "length",
    } <= ids


def test_failures_name_what_is_wrong(files: dict[str, Path]) -> None:
    report = check_file(files["quiet"], AUDIOBOOK)
    failed = {c.id for c in report.failed}
    assert {"rms", "bitrate"} <= failed
    floor = next(c for c in report.checks if c.id == "noise_floor")
    assert floor.status is Status.WARN  # digital silence: not a fail, but flagged
    table = compliance_table([report], AUDIOBOOK)
    assert "FAIL" in table and "rms" in table and "the book FAILS" in table


def test_podcast_profile(files: dict[str, Path]) -> None:
    assert check_file(files["podcast"], PODCAST).passed
    assert not check_file(files["good"], PODCAST).passed  # -20.5 dB RMS is not -19 LUFS


def test_set_checks(files: dict[str, Path]) -> None:
    reports = [check_file(files[k], AUDIOBOOK) for k in ("good", "quiet")]
    book = {c.id: c.status for c in check_set(reports, AUDIOBOOK)}
    assert book == {"channels": Status.PASS, "sample_rates": Status.PASS,
                    "bitrates": Status.WARN, "rms_spread": Status.WARN}  # fmt: skip


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp3"
    bad.write_text("not audio")
    with pytest.raises(InputError, match=r"bad.mp3"):
        check_file(bad, AUDIOBOOK)


@pytest.mark.slow
@pytest.mark.skipif(
    not (AUDIT.is_file() and shutil.which("ffmpeg") and shutil.which("ffprobe")),
    reason="needs ../shared/tools/audit_audio.py and ffmpeg + ffprobe on PATH",
)
@pytest.mark.parametrize(("profile", "name"), [(AUDIOBOOK, "acx"), (PODCAST, "podcast")])
def test_agrees_with_the_shared_audit_tool(files: dict[str, Path], profile, name: str) -> None:  # type: ignore[no-untyped-def]
    paths = [files[k] for k in ("good", "podcast", "quiet")]
    done = subprocess.run([sys.executable, str(AUDIT), "--profile", name, *map(str, paths)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    audits = [json.loads(line) for line in done.stdout.splitlines()]
    for path, audit in zip(paths, audits, strict=False):
        ours = check_file(path, profile)
        assert ours.passed == audit["pass"], (path.name, ours.failed, audit["checks"])
        levels = audit["levels"]
        assert ours.levels.rms_db == pytest.approx(levels["rms_dbfs"], abs=0.02)
        assert ours.levels.peak_db == pytest.approx(levels["peak_dbfs"], abs=0.02)
        assert ours.levels.lufs == pytest.approx(levels["integrated_lufs"], abs=0.05)
        assert ours.levels.true_peak_db == pytest.approx(levels["true_peak_dbtp"], abs=0.05)
