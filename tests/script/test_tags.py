from __future__ import annotations

import pytest

from audiobook.script.tags import SubjectKind, beat_subject, tag_after, tag_before


@pytest.mark.parametrize(
    ("narration", "kind", "subject", "verb"),
    [
        (" Willow asked Boone quietly.", SubjectKind.NAME, "Willow", "asked"),
        (" said Boone, turning away.", SubjectKind.NAME, "Boone", "said"),
        (" she asked hesitantly.", SubjectKind.PRONOUN, "she", "asked"),
        (" he quietly replied.", SubjectKind.PRONOUN, "he", "replied"),
        (" I answered.", SubjectKind.FIRST_PERSON, "I", "answered"),
        (" retorted the old man.", SubjectKind.DESCRIPTION, "the old man", "retorted"),
        (" the General went on.", SubjectKind.NAME, "the General", "went"),
        (
            " another captain asked, throwing up his hands.",
            SubjectKind.UNNAMED,
            "another captain",
            "asked",
        ),
        (" someone gave voice to the question.", SubjectKind.UNNAMED, "someone", "gave"),
        (" Mrs. Lynde exclaimed.", SubjectKind.NAME, "Mrs. Lynde", "exclaimed"),
    ],
)
def test_tag_after_quote(narration: str, kind: SubjectKind, subject: str, verb: str) -> None:
    tag = tag_after(narration)
    assert tag is not None
    assert (tag.subject.kind, tag.subject.text, tag.verb) == (kind, subject, verb)


def test_tag_after_reads_the_addressee() -> None:
    tag = tag_after(" Willow asked Boone quietly.")
    assert tag is not None and tag.addressee == "Boone"
    inverted = tag_after(" said Boone.")
    assert inverted is not None and inverted.addressee is None


@pytest.mark.parametrize(
    "narration",
    [
        " as the words washed over her, Willow saw something.",
        " Boone sounded a little hesitant.",
        ". The room fell silent; everyone said nothing.",
    ],
)
def test_no_tag(narration: str) -> None:
    assert tag_after(narration) is None


@pytest.mark.parametrize(
    ("narration", "subject"),
    [
        ("Boone replied, ", "Boone"),
        ("He turned to her and said: ", "He"),
        ("Then, very softly, Tara whispered, ", "Tara"),
        ("It was late. Mara called up, ", "Mara"),
    ],
)
def test_tag_before_quote(narration: str, subject: str) -> None:
    tag = tag_before(narration)
    assert tag is not None and tag.subject.text == subject


def test_thought_verbs_are_marked() -> None:
    tag = tag_after(" she thought.")
    assert tag is not None and tag.thought


@pytest.mark.parametrize(
    ("narration", "subject"),
    [
        ("Tara shook her head, ", "Tara"),
        ("She sat down. ", "She"),
        ("Captain Reed nodded.", "Captain Reed"),
    ],
)
def test_beat_subject(narration: str, subject: str) -> None:
    beat = beat_subject(narration)
    assert beat is not None and beat.text == subject


def test_beat_needs_a_person() -> None:
    assert beat_subject("The rain fell all night.") is None
