"""Spoken credits: texts, and where their segments go."""

from __future__ import annotations

from audiobook.engines.base import Voice
from audiobook.publish.credits import closing_text, narrator_credit, opening_text, with_credits
from audiobook.script.model import NARRATOR, Kind, Pause, Segment
from audiobook.text.model import BookMeta, Chapter, Span

META = BookMeta("Gull Point", "Ann Author")
CHAPTER = Chapter(1, "One", Span(10, 50), Span(0, 9))


def seg(start: int, end: int, paragraph: int) -> Segment:
    return Segment(1, start, end, Kind.NARRATION, "words", paragraph, Pause.PARAGRAPH, NARRATOR)


def test_texts() -> None:
    assert opening_text(META, "Joe") == "Gull Point. Written by Ann Author. Narrated by Joe."
    assert closing_text(META, "Joe") == (
        "The end. You have been listening to Gull Point, written by Ann Author, narrated by Joe."
    )
    assert (
        closing_text(BookMeta("X"), "Joe")
        == "The end. You have been listening to X, narrated by Joe."
    )
    assert narrator_credit(Voice("piper", "joe")) == "Joe"
    assert narrator_credit(Voice("espeak", "en-us+m3")) == "a synthetic voice"


def test_credits_are_empty_spans_at_the_ends() -> None:
    body = (seg(0, 30, 0), seg(30, 50, 1))
    out = with_credits(body, CHAPTER, META, "Joe", first=True, last=True)
    assert len(out) == 4
    opening, closing = out[0], out[-1]
    assert (opening.start, opening.end, opening.speaker, opening.pause_after) == (
        0,
        0,
        NARRATOR,
        Pause.SCENE,
    )
    assert (closing.start, closing.end, closing.paragraph) == (50, 50, 2)
    assert out[2].pause_after is Pause.SCENE  # a long pause before "The end"
    assert with_credits(body, CHAPTER, META, "Joe", first=False, last=False) == body
