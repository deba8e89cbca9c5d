"""Lines of an editable script: ids, edit detection, and back to segments."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from audiobook.script.analyse import analyse
from audiobook.script.lines import (
    Line,
    LineKind,
    anchor_of,
    line_segments,
    number_ids,
    script_lines,
    stamped,
)
from audiobook.script.model import NARRATOR, Kind, Pause, Style
from audiobook.text.load import load_book

SAMPLE = Path(__file__).parents[2] / "examples" / "gull-point.txt"


def test_ids_come_from_the_source_text_and_number_repeats() -> None:
    assert anchor_of("Yes,  she said.\n") == anchor_of("Yes, she said.")
    assert anchor_of("Yes.") != anchor_of("No.")
    a, b = anchor_of("Yes."), anchor_of("No.")
    assert number_ids([a, b, a, a]) == [a, b, f"{a}-2", f"{a}-3"]
    assert a.isalpha() and a.islower() and len(a) == 7


def test_a_generated_line_is_not_edited_until_a_value_changes() -> None:
    line = stamped(Line("abcdefg", 1, LineKind.DIALOGUE, "Elias", "You're late,", 0, 10))
    assert not line.edited
    for change in ({"speaker": "Mara"}, {"text": "You are late,"}, {"pause": Pause.SCENE},
                   {"style": Style.WHISPER}, {"auto": None}):  # fmt: skip
        assert replace(line, **change).edited  # type: ignore[arg-type]
    assert not replace(line, confidence=0.1, voice="fake:m1").edited


def test_lines_give_back_the_segments_they_came_from() -> None:
    script = analyse(load_book(SAMPLE))
    lines = script_lines(script)
    assert lines[0].kind is LineKind.HEADING and lines[0].text == "Chapter 1: The Lamp"
    assert len({ln.id for ln in lines}) == len(lines)
    again = line_segments(lines, script.book.text)
    assert again == tuple(replace(s, run_on=False, split=False) for s in script.segments)


def test_edits_reach_the_segments() -> None:
    text = 'Chapter 1\n\n"Hello there," Anna said. "How are you?"\n'
    base = Line(
        "h", 1, LineKind.DIALOGUE, "Anna", "Hello there,", 11, 26, Pause.CLAUSE, confidence=0.5
    )
    narration = stamped(Line("n", 1, LineKind.NARRATION, NARRATOR, "Anna said.", 26, 37))
    lines = [
        stamped(base),
        replace(narration, speaker="Tom"),  # a narration line given to a character
        replace(stamped(base), id="q", text="", start=37, end=51),  # skipped
    ]
    segs = line_segments(lines, text, resolve=lambda name: {"Tom": "Tom Hale"}.get(name, name))
    assert [(s.speaker, s.kind, s.confidence) for s in segs] == [
        ("Anna", Kind.DIALOGUE, 0.5),
        ("Tom Hale", Kind.DIALOGUE, 1.0),  # changed by the user: counts as checked
    ]


def test_a_split_line_shares_its_span_where_each_copy_begins() -> None:
    text = '"Run. Hide now. Then wait," she said.'
    line = stamped(Line("s", 1, LineKind.DIALOGUE, "Anna", "Run. Hide now. Then wait,", 0, 28))
    copies = [replace(line, text="Run."), replace(line, text="Hide now. Then wait,", speaker="Tom")]
    segs = line_segments(copies, text)
    assert [(s.start, s.end, s.speaker) for s in segs] == [(0, 6, "Anna"), (6, 28, "Tom")]
    lost = [replace(line, text="Run."), replace(line, text="Somewhere else entirely")]
    assert [(s.start, s.end) for s in line_segments(lost, text)] == [(0, 28), (28, 28)]
