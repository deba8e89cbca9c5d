"""The script file: written one entry per line, read back exactly, mistakes reported by line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiobook.engines.base import Gender
from audiobook.errors import ConfigError
from audiobook.script.lines import Line, LineKind, stamped
from audiobook.script.model import NARRATOR, Pause, Style
from audiobook.script.scriptfile import CastEntry, Dropped, ScriptFile, dumps, is_script_file
from audiobook.script.scriptread import parse_script_file, read_script_file

LINES = (
    stamped(Line("headone", 1, LineKind.HEADING, NARRATOR, "Chapter 1", 0, 11, Pause.PARAGRAPH)),
    stamped(
        Line(
            "saidone",
            1,
            LineKind.DIALOGUE,
            "Mara Quill",
            "You're late,",
            11,
            26,
            Pause.CLAUSE,
            confidence=0.658,
            voice="piper:joe[pitch=-3]",
        )
    ),
    stamped(
        Line("nobodys", 1, LineKind.DIALOGUE, None, "Yes: no # maybe", 26, 40, style=Style.WHISPER)
    ),
)
SCRIPT = ScriptFile(
    "A \"Quoted\" Title", "story.txt", "0" * 64, LINES,
    (CastEntry("Mara Quill", Gender.FEMALE), CastEntry("I", narrator=True)),
    (Dropped(LINES[1], "its text is no longer in the story"),),
)  # fmt: skip


def test_round_trip_one_entry_per_line() -> None:
    text = dumps(SCRIPT)
    assert text.startswith('# The script of A "Quoted" Title: this file is yours to edit')
    entries = [ln for ln in text.splitlines() if ln.startswith("- {")]
    assert len(entries) == 4 and all(ln.endswith("}") for ln in entries)
    assert entries[1].startswith("- {id: saidone, ch: 1, kind: dialogue, speaker: Mara Quill,")
    back = parse_script_file(text)
    assert back.lines == tuple(
        replace(ln, row=i) for ln, i in zip(LINES, (35, 36, 37), strict=True)
    )
    assert (back.title, back.source, back.sha256, back.cast) == (
        SCRIPT.title, SCRIPT.source, SCRIPT.sha256, SCRIPT.cast)  # fmt: skip
    assert back.dropped[0].why == "its text is no longer in the story"
    assert not any(ln.edited for ln in back.lines)


@given(st.text(), st.text(min_size=1).filter(lambda s: s.strip() and "\x00" not in s))
def test_any_text_and_name_survive(text: str, name: str) -> None:
    line = Line("abcdefg", 2, LineKind.DIALOGUE, " ".join(name.split()) or "x", text, 1, 2)
    back = parse_script_file(dumps(replace(SCRIPT, lines=(line,), dropped=()))).lines[0]
    assert (back.text, back.speaker) == (text, line.speaker if line.speaker != "?" else None)


def test_mistakes_are_reported_with_their_lines(tmp_path: Path) -> None:
    text = dumps(replace(SCRIPT, dropped=()))
    text = text.replace("pause: clause", "pause: long").replace("conf: 0.658", "conf: 2")
    text = text.replace("style: whisper", "styel: whisper")
    with pytest.raises(ConfigError) as info:
        parse_script_file(text, path=tmp_path / "s.yaml")
    assert str(info.value) == (
        f"{tmp_path / 's.yaml'}: line 36: pause: 'long' is not one of none, clause, sentence, "
        "paragraph, scene; line 36: conf: expected a number from 0 to 1, got 2; line 37: styel: "
        "unknown field; expected at, auto, ch, conf, id, kind, pause, speaker, style, text, voice"
    )


def test_not_a_script_aliases_and_bad_yaml() -> None:
    with pytest.raises(ConfigError, match="not an audiobook script"):
        parse_script_file("narrator: piper:joe\n")
    with pytest.raises(ConfigError, match="line 2: YAML aliases are not allowed"):
        parse_script_file("a: &x [1]\nb: *x\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        parse_script_file("lines: [\n")


def test_hand_written_lines_may_leave_fields_out(tmp_path: Path) -> None:
    path = tmp_path / "mine.script.yaml"
    path.write_text(
        "format: audiobook-script/1\ntitle: T\nsource: s.txt\nsha256: x\nlines:\n"
        "- {id: one, ch: 1, text: Hello}\n- {id: two, ch: 1, speaker: '?', text: Hi, style: none}\n",
        encoding="utf-8",
    )
    first, second = read_script_file(path).lines
    assert (first.kind, first.speaker, first.start, first.edited) == (
        LineKind.NARRATION, NARRATOR, -1, True)  # fmt: skip
    assert (second.kind, second.speaker, second.style) == (LineKind.DIALOGUE, None, None)
    assert is_script_file(path) and not is_script_file(tmp_path / "story.txt")
