"""The command line: exit codes and the exact error lines users see."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import run

STORY = 'Chapter 1\n\n"Hello," Anna said.\n\n"Hi," said Tom.\n'


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"], capsys)[:2] == (0, "audiobook 0.1.0\n")


def test_missing_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["make", str(tmp_path / "nope.txt")], capsys)
    assert (code, err) == (2, f"error: {tmp_path / 'nope.txt'} does not exist\n")


def test_empty_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    code, _, err = run(["script", str(empty)], capsys)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1


def test_invalid_voices_file(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "voices.yaml"
    bad.write_text("characters:\n  Anna: {gender: robot}\n", encoding="utf-8")
    code, _, err = run(["script", str(story), "--voices", str(bad)], capsys)
    assert (code, err) == (
        2,
        f"error: {bad}: characters.Anna.gender: 'robot' is not one of male, female, unknown\n",
    )


def test_voices_yaml_beside_the_story_is_used(
    story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (story.parent / "voices.yaml").write_text(
        "characters:\n  Anna Lee: {aliases: [Anna]}\n", encoding="utf-8"
    )
    code, out, _ = run(["script", str(story), "--format", "json"], capsys)
    assert code == 0
    speakers = [s["speaker"] for s in json.loads(out)["segments"] if s["kind"] == "dialogue"]
    assert speakers == ["Anna Lee", None]  # closed cast: Tom is not in it


def test_unknown_engine(story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["make", str(story), "--engine", "nope", "--out", str(tmp_path)], capsys)
    assert (code, err) == (
        2,
        "error: unknown engine 'nope'; valid: espeak, fake, gtts, kokoro, piper\n",
    )


def test_unknown_voice(story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    voices = tmp_path / "v.yaml"
    voices.write_text("narrator: fake:robot\n", encoding="utf-8")
    code, _, err = run(
        ["make", str(story), "--voices", str(voices), "--out", str(tmp_path / "o")], capsys
    )
    assert (code, err) == (
        2,
        "error: unknown fake voice 'robot'; valid: f1, f2, f3, m1, m2, m3, narrator, x1\n",
    )
    assert not (tmp_path / "o").exists()  # checked before any work


def test_bad_format_option(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["script", str(story), "--format", "xml"], capsys)
    assert (code, err) == (
        2,
        "error: Invalid value for '--format': 'xml' is not one of 'text', 'json'.\n",
    )


def test_missing_argument(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["make"], capsys)[::2] == (2, "error: Missing argument 'stories'.\n")


def test_script_json_offsets_index_the_text(
    story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["script", str(story), "--format", "json"], capsys)
    assert code == 0
    text = story.read_text(encoding="utf-8")
    segments = json.loads(out)["segments"]
    assert "".join(text[s["start"] : s["end"]] for s in segments) == text[segments[0]["start"] :]
    dialogue = [s for s in segments if s["kind"] == "dialogue"]
    assert [(s["speaker"], s["text"]) for s in dialogue] == [("Anna", "Hello,"), ("Tom", "Hi,")]
    assert {"chapter", "voice", "confidence"} <= set(dialogue[0])


def test_make_with_fake_engine(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        ["make", str(story), "--engine", "fake", "--out", str(tmp_path), "--quiet"], capsys
    )
    assert (code, err) == (0, "")
    folder = tmp_path / "Story"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".audiobook-state.json",
        "01 - Chapter 1.mp3",
        "01 - Chapter 1.srt",
        "01 - Chapter 1.vtt",
        "Story.m3u8",
        "cover.jpg",
        "script.json",
    ]


def test_cast_lists_and_writes(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cast.yaml"
    code, out, _ = run(["cast", str(story), "--engine", "fake", "--write", str(target)], capsys)
    assert code == 0
    assert out.splitlines()[0].split() == ["NAME", "GENDER", "LINES", "VOICE", "ALIASES"]
    assert "Anna" in out and "Tom" in out
    assert "Anna:" in target.read_text(encoding="utf-8")
    code, _, err = run(["cast", str(story), "--engine", "fake", "--write", str(target)], capsys)
    assert (code, err) == (1, f"error: {target} already exists; pass --force to replace it\n")


def test_voices_lists_engines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["voices", "--engine", "fake"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "fake: test tones"
    assert "fake:f1" in out


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    commands = "make script cast voices check feed audition lexicon review cache".split()
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "audiobook", command, "--help"], capture_output=True, text=True
        )
        assert done.returncode == 0 and "Usage" in done.stdout
        assert f"audiobook {command}" in readme


def test_make_prints_the_compliance_table_then_check_and_feed(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["make", str(story), "--engine", "fake", "--out", str(tmp_path)], capsys)
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["FILE", "MIN", "RMS"]
    assert "01 - Chapter 1.mp3" in out and "1 of 1 file(s) pass" in out
    mp3 = tmp_path / "Story" / "01 - Chapter 1.mp3"
    code, out, _ = run(["check", str(mp3)], capsys)
    assert code == 0 and "PASS" in out
    code, out, _ = run(["check", "--profile", "podcast", str(mp3)], capsys)
    assert code == 1 and "FAIL loudness" in out
    code, _, err = run(
        ["feed", str(tmp_path / "Story"), "--base-url", "https://example.org/s/"], capsys
    )
    assert code == 0 and err.strip().endswith("feed.xml")
    assert "<itunes:type>serial</itunes:type>" in (tmp_path / "Story" / "feed.xml").read_text(
        encoding="utf-8"
    )


def test_check_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.mp3"
    code, _, err = run(["check", str(missing)], capsys)
    assert code == 2 and err.startswith(f"error: cannot read {missing}")
    code, _, err = run(["check", "--profile", "acx", str(missing)], capsys)
    assert (code, err) == (
        2,
        "error: Invalid value for '--profile': 'acx' is not one of 'audiobook', 'podcast'.\n",
    )


def test_feed_needs_a_base_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["feed", str(tmp_path)], capsys)
    assert (code, err) == (2, "error: Missing option '--base-url'.\n")
    code, _, err = run(["feed", str(tmp_path), "--base-url", "example.org"], capsys)
    assert (code, err) == (
        2,
        "error: --base-url must be an http:// or https:// URL, not 'example.org'\n",
    )


def test_audition_writes_mp3s_and_names_them(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        ["audition", str(story), "anna", "--engine", "fake", "--out", str(tmp_path)], capsys
    )
    assert code == 0
    assert out.split()[:2] == ["Anna", "fake:f1"]
    assert (tmp_path / "Story" / "audition" / "01 - Anna.mp3").is_file()
    code, _, err = run(
        ["audition", str(story), "Bob", "--engine", "fake", "--out", str(tmp_path)], capsys
    )
    assert (code, err) == (2, "error: unknown speaker 'Bob'; valid: Anna, Tom, narrator\n")


def test_lexicon_lists_uncovered_names(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["lexicon", str(story), "--min-count", "1"], capsys)
    assert code == 0
    assert [line.split()[:2] for line in out.splitlines()[1:]] == [["Anna", "1"], ["Tom", "1"]]
    (tmp_path / "voices.yaml").write_text("lexicon:\n  Anna: Ahna\n  Tom: Tomm\n", encoding="utf-8")
    code, out, _ = run(["lexicon", str(story), "--voices", str(tmp_path / "voices.yaml")], capsys)
    assert (code, out) == (0, "every frequent name is in the lexicon\n")
