"""Faults during `make`: kill -9 and resume, Ctrl-C, a full disk, an unwritable folder.

The runs that get killed or interrupted are real processes (``python -m
tests.synth.engines make ...`` is the CLI with the test engines registered), with a
process pool, so the main process, its workers and the files they write are all in
play.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiobook.synth import cache as cache_module
from audiobook.synth.cache import SegmentCache
from tests.cli import run as run_cli
from tests.render.stories import STORY, long_story
from tests.synth.engines import DELAY_ENV

ROOT = Path(__file__).parents[1]


def cli(args: list[str], delay: float = 0.02) -> subprocess.Popen[str]:
    """Start the CLI (with the test engines) in its own session, as a shell would."""
    env = {**os.environ, DELAY_ENV: str(delay)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.synth.engines", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def make_args(story: Path, out: Path, cache: Path) -> list[str]:
    return ["make", str(story), "--engine", "slow", "--out", str(out), "--cache", str(cache),
            "--workers", "2", "--progress", "json"]  # fmt: skip


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def kill_when(run: subprocess.Popen[str], stage: str) -> None:
    """SIGKILL ``run`` (and its workers) at its first progress event of ``stage``."""
    assert run.stdout is not None
    for line in run.stdout:
        event = json.loads(line)
        if event["event"] == "progress" and event["stage"] == stage:
            break
    os.killpg(run.pid, signal.SIGKILL)


def check_after_kill(out: Path, cache: Path, expected: dict[str, bytes]) -> None:
    """Whatever sits under a final name is complete: byte for byte the reference."""
    for name, data in tree(out).items() if out.exists() else []:
        if not Path(name).name.startswith("."):
            assert data == expected.get(name), f"partial or wrong file {name}"
    for entry in cache.rglob("*.seg") if cache.exists() else []:
        assert SegmentCache(cache).verify(entry.stem) is not None, entry


@pytest.mark.slow
def test_kill_9_at_random_moments_then_resume_gives_identical_files(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(long_story(chapters=3, lines=8), encoding="utf-8")
    started = time.monotonic()
    reference = cli(make_args(story, tmp_path / "ref", tmp_path / "ref-cache"))
    _, stderr = reference.communicate(timeout=120)
    assert reference.returncode == 0, stderr
    wall = time.monotonic() - started
    expected = tree(tmp_path / "ref")
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = make_args(story, out, cache)
    for stage in ("synthesize", "write"):  # mid-synthesis, then between two chapters
        run = cli(args)
        kill_when(run, stage)
        run.wait(timeout=10)
        check_after_kill(out, cache, expected)
    for moment in random.Random(6).sample(range(30, 100, 5), 3):  # 30-95 % of a whole run
        run = cli(args)
        time.sleep(wall * moment / 100)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
        check_after_kill(out, cache, expected)
    final = cli(args)
    stdout, stderr = final.communicate(timeout=120)
    assert final.returncode == 0, stderr
    book = next(json.loads(x) for x in stdout.splitlines() if '"book_done"' in x)
    assert book["synthesized"] < 3 * 8 + 3 + 1  # resumed: not every distinct segment again
    assert tree(out) == expected  # and no temporary file left behind


@pytest.mark.slow
def test_ctrl_c_stops_within_a_second_and_says_how_to_resume(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(long_story(chapters=3, lines=10), encoding="utf-8")
    args = make_args(story, tmp_path / "out", tmp_path / "cache")
    run = cli(args, delay=0.3)
    assert run.stdout is not None
    for line in run.stdout:  # wait until synthesis is under way
        if json.loads(line)["event"] == "progress":
            break
    start = time.monotonic()
    os.killpg(run.pid, signal.SIGINT)  # the terminal sends it to the whole process group
    _, stderr = run.communicate(timeout=10)
    assert time.monotonic() - start < 1.0
    assert run.returncode == 130
    assert stderr == "interrupted; run the same command again to finish\n"
    cached = SegmentCache(tmp_path / "cache").stats().entries
    assert cached >= 1
    again = cli(args, delay=0.0)
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    book = next(json.loads(x) for x in stdout.splitlines() if '"book_done"' in x)
    assert book["synthesized"] == 3 + 30 + 10 - cached  # headings, quotes, "Tom nodded n times."


@contextlib.contextmanager
def tmpfs(path: Path, options: str) -> Iterator[Path]:
    """A small tmpfs at ``path`` (root only); skips the test where mounting is not allowed."""
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


def test_disk_full_names_the_file_and_leaves_nothing_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    with tmpfs(tmp_path / "small", "size=160k") as small:
        code, _, err = run_cli(["make", str(story), "--engine", "fake", "--out", str(small),
                                "--quiet"], capsys)  # fmt: skip
        assert code == 1
        assert err.startswith(f"error: cannot write {small}/Story/") and err.count("\n") == 1
        assert err.endswith(": No space left on device\n")
        left = [p.name for p in (small / "Story").iterdir()]
        assert not [n for n in left if n.endswith(".part")]
        assert not [n for n in left if n.endswith(".mp3")]  # none half-written


def test_full_cache_disk_names_the_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module, "open", full, raising=False)
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    code, _, err = run_cli(["make", str(story), "--engine", "fake", "--out", str(tmp_path / "o"),
                            "--cache", str(tmp_path / "c"), "--quiet"], capsys)  # fmt: skip
    assert code == 1
    assert err.startswith(f"error: cannot write cache entry {tmp_path / 'c'}/")
    assert err.endswith(".seg: No space left on device\n") and err.count("\n") == 1
    assert not list((tmp_path / "c").rglob("*.tmp"))


def test_unwritable_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    blocker = tmp_path / "out"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    code, _, err = run_cli(["make", str(story), "--engine", "fake", "--out", str(blocker)], capsys)
    assert (code, err) == (1, f"error: cannot create folder {blocker / 'Story'}: Not a directory\n")
    with tmpfs(tmp_path / "ro", "size=64k,ro") as readonly:
        code, _, err = run_cli(["make", str(story), "--engine", "fake", "--out", str(readonly)],
                               capsys)  # fmt: skip
        assert (code, err) == (
            1, f"error: cannot create folder {readonly / 'Story'}: Read-only file system\n"
        )  # fmt: skip
