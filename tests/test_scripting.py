"""The editable-script commands end to end: script -o, --update, make FILE, cast --merge, review."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.test_cli import run

STORY = """The Net

Author: Ann Author

Chapter 1

"Hello," Anna said.

"Hi," said Tom. "Is the boat in?"

"It is," said Anna.
"""


@pytest.fixture
def story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no voices.yaml from the repository's folder
    path = tmp_path / "net.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_write_edit_update_and_make(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "net.script.yaml"
    code, _, err = run(["script", str(story), "-o", str(target), "--engine", "fake"], capsys)
    assert (code, err) == (0, f"wrote {target} (8 lines)\n")
    code, _, err = run(["script", str(story), "-o", str(target), "--engine", "fake"], capsys)
    assert (code, err) == (
        1,
        f"error: {target} already exists; use --update {target} to keep its corrections, or --force to replace it\n",
    )
    code, _, err = run(
        ["script", str(story), "-o", str(tmp_path / "net.txt2"), "--engine", "fake"], capsys
    )
    assert (code, err) == (
        2,
        f"error: {tmp_path / 'net.txt2'}: an editable script is YAML; name it NAME.script.yaml\n",
    )

    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace("speaker: Tom, conf", "speaker: Anna, conf", 1), encoding="utf-8"
    )
    code, out, _ = run(["script", str(target)], capsys)  # a script file prints as a story does
    assert code == 0 and "Anna                 Hi," in out
    code, out, _ = run(["script", str(story), "--update", str(target), "--engine", "fake"], capsys)
    assert code == 0
    assert re.fullmatch(
        "wrote .*; the previous version is .*net.script.yaml.bak\n"
        "kept 1 correction\\(s\\):\n  [a-z]{7}  ch 1  speaker: Anna\ndropped 0 corrections\n",
        out,
    )

    code, _, err = run(
        ["make", str(target), "--engine", "fake", "--out", str(tmp_path / "o"), "-q"], capsys
    )
    assert (code, err) == (0, "")
    made = json.loads((tmp_path / "o" / "The Net" / "script.json").read_text(encoding="utf-8"))
    said = [(s["speaker"], s["text"]) for s in made["segments"] if s["kind"] == "dialogue"]
    assert said == [
        ("Anna", "Hello,"),
        ("Anna", "Hi,"),
        ("Tom", "Is the boat in?"),
        ("Anna", "It is,"),
    ]

    code, _, err = run(["review", str(tmp_path / "o" / "The Net")], capsys)
    assert (code, err) == (0, f"wrote {tmp_path / 'o' / 'The Net' / 'review.html'}\n")
    code, _, err = run(["review", str(target), "--engine", "fake"], capsys)
    assert (code, err) == (0, f"wrote {tmp_path / 'net.script.review.html'}\n")
    page = (tmp_path / "net.script.review.html").read_text(encoding="utf-8")
    assert page.count('data-speaker="Anna"') == 4  # three lines and the legend entry
    code, _, err = run(["script", str(target), "-o", str(tmp_path / "x.script.yaml")], capsys)
    assert (code, err) == (
        2,
        f"error: {target} is a script file; give the story it was made from\n",
    )


def test_cast_merge_and_rename_write_voices_yaml(
    story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    voices = story.parent / "voices.yaml"
    voices.write_text("# mine\nnarrator: fake:narrator\n", encoding="utf-8")
    code, out, err = run(["cast", str(story), "--engine", "fake", "--merge", "Tom=Anna",
                          "--rename", "Anna=Anna Lee"], capsys)  # fmt: skip
    assert (code, err) == (0, f"wrote {voices}\n")
    assert out.splitlines()[2].split()[:3] == ["Anna", "Lee", "female"]
    assert out.splitlines()[2].split()[3] == "4"  # every line of both, now one character's
    text = voices.read_text(encoding="utf-8")
    assert text.startswith("# mine\nnarrator: fake:narrator\n")
    assert "Anna Lee:\n    gender: female\n    aliases: [Tom, Anna]\n" in text
    code, _, err = run(["cast", str(story), "--engine", "fake", "--merge", "Bob=Anna"], capsys)
    assert (code, err) == (2, "error: unknown character 'Bob'; valid: Anna Lee\n")
    code, _, err = run(["cast", str(story), "--merge", "Bob"], capsys)
    assert (code, err) == (
        2,
        "error: --merge takes NAME=NAME, e.g. --merge Rosenberg=Willow; got 'Bob'\n",
    )


def test_review_of_a_story_and_of_a_missing_folder(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        ["review", str(story), "--engine", "fake", "-o", str(tmp_path / "r.html")], capsys
    )
    assert (code, err) == (0, f"wrote {tmp_path / 'r.html'}\n")
    assert 'data-speaker="Tom"' in (tmp_path / "r.html").read_text(encoding="utf-8")
    code, _, err = run(["review", str(tmp_path)], capsys)
    assert (code, err) == (2, f"error: {tmp_path}: no script.json; is it a folder `make` wrote?\n")
