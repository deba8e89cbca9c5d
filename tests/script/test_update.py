"""Re-analysing a changed story keeps the user's corrections on the lines still there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from audiobook.errors import InputError, OutputError
from audiobook.script.edits import edited_script
from audiobook.script.lines import Line
from audiobook.script.model import Pause, Style
from audiobook.script.scriptread import read_script_file
from audiobook.scripting import update_report, update_script, write_script

SAMPLE = Path(__file__).parents[2] / "examples" / "gull-point.txt"


def edit_lines(path: Path, change: dict[str, dict[str, str]]) -> None:
    """Edit entries of a script file as a person would: in its text, line by line."""
    out = []
    for row in path.read_text(encoding="utf-8").splitlines():
        for said, fields in change.items():
            if row.startswith("- {") and f'text: "{said}"' in row:
                for old, new in fields.items():
                    assert old in row, (old, row)
                    row = row.replace(old, new)
        out.append(row)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def by_text(lines: tuple[Line, ...], text: str) -> Line:
    return next(ln for ln in lines if ln.text == text)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return Path(shutil.copy(SAMPLE, tmp_path / "gull.txt"))


def test_corrections_on_untouched_lines_survive_a_story_edit(story: Path) -> None:
    target = story.with_name("gull.script.yaml")
    write_script(story, target, engine="fake")
    edit_lines(target, {
        "You're late,": {"speaker: Elias": "speaker: Nell Harlow"},
        "I promise.": {"speaker: Tom Harlow": "speaker: Elias"},
        "Look, past the rocks.": {'text: "Look, past the rocks."': 'text: "Look, past the rox."'},
        "Can he see us?": {"pause: paragraph": "pause: scene, style: whisper"},
        "He will in a minute, if you stop talking and light that wick.":
            {"speaker: Elias": "speaker: Captain Reed"},
    })  # fmt: skip
    text = story.read_text(encoding="utf-8")
    text = text.replace("in a minute, if", "in a moment, if")  # a corrected line changes
    text = text.replace("He grinned.", "He grinned. The kettle sang.")  # beside a correction
    text = text.replace("* * *", "A gull cried.\n\n* * *")  # a new paragraph
    story.write_text(text, encoding="utf-8")

    written = update_script(story, target, engine="fake")

    assert written.merged is not None and written.backup == target.with_name("gull.script.yaml.bak")
    assert [c.what for c in written.merged.kept] == [
        "speaker: Nell Harlow", "text", "pause: scene, style: whisper", "speaker: Elias",
    ]  # fmt: skip
    assert [c.what for c in written.merged.lost] == ["He will in a minute, if you stop…"]
    lines = read_script_file(target).lines
    assert by_text(lines, "You're late,").speaker == "Nell Harlow"
    assert by_text(lines, "Look, past the rox.").edited
    whisper = by_text(lines, "Can he see us?")
    assert (whisper.pause, whisper.style) == (Pause.SCENE, Style.WHISPER)
    assert by_text(lines, "I promise.").speaker == "Elias"
    assert by_text(lines, "A gull cried.").speaker == "narrator"
    moment = by_text(lines, "He will in a moment, if you stop talking and light that wick.")
    assert moment.speaker == "Elias" and not moment.edited  # the analysis' own line
    assert read_script_file(target).dropped[0].line.speaker == "Captain Reed"
    report = update_report(written)
    assert "kept 4 correction(s):" in report and "dropped 1 correction(s)" in report
    script = edited_script(target)  # the new file renders against the changed story
    said = {s.text: s for s in script.segments}
    assert said["You're late,"].speaker == "Nell Harlow"
    assert said["Can he see us?"].style is Style.WHISPER


def test_merged_and_split_lines_stay_merged_and_split(story: Path) -> None:
    target = story.with_name("gull.script.yaml")
    write_script(story, target, engine="fake")
    rows = target.read_text(encoding="utf-8").splitlines()
    said = next(i for i, r in enumerate(rows) if 'text: "Elias said without turning round."' in r)
    late = rows[said - 1]
    rows[said - 1] = late.replace("You're late,", "You're late, Elias said without turning round.")
    del rows[said]  # merged into the line before
    promise = next(i for i, r in enumerate(rows) if 'text: "Bring me two,"' in r)
    rows.insert(promise + 1, rows[promise].replace("Bring me two,", "two,"))
    rows[promise] = rows[promise].replace("Bring me two,", "Bring me")  # split in two
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    story.write_text(
        story.read_text(encoding="utf-8").replace("Nobody", "Nobody"), encoding="utf-8"
    )

    written = update_script(story, target, engine="fake")

    assert written.merged is not None
    assert sorted(c.what for c in written.merged.kept) == [
        "merged 1 line(s) into it", "split in 2", "text"]  # fmt: skip
    texts = [ln.text for ln in read_script_file(target).lines]
    assert "You're late, Elias said without turning round." in texts
    assert "Elias said without turning round." not in texts
    assert texts[texts.index("Bring me") + 1] == "two,"
    segs = edited_script(target).segments
    bring = [s for s in segs if s.text in ("Bring me", "two,")]
    assert [story.read_text(encoding="utf-8")[s.start : s.end] for s in bring] == [
        '"Bring me ',
        'two," ',
    ]


def test_a_script_file_is_never_clobbered(story: Path) -> None:
    target = story.with_name("gull.script.yaml")
    write_script(story, target, engine="fake")
    with pytest.raises(OutputError, match=r"use --update .* or --force"):
        write_script(story, target, engine="fake")
    edit_lines(target, {"I promise.": {"speaker: Tom Harlow": "speaker: Elias"}})
    mine = target.read_text(encoding="utf-8")
    write_script(story, target, engine="fake", force=True)
    assert target.with_name("gull.script.yaml.bak").read_text(encoding="utf-8") == mine


def test_a_changed_story_must_be_updated_before_making(story: Path) -> None:
    target = story.with_name("gull.script.yaml")
    write_script(story, target, engine="fake")
    story.write_text(story.read_text(encoding="utf-8") + "\nThe end.\n", encoding="utf-8")
    with pytest.raises(InputError, match="has changed since this script was written; run"):
        edited_script(target)
