"""Utterances and the evidence gathered around them, on hand-written passages."""

from __future__ import annotations

from audiobook.cast.config import parse_cast
from audiobook.script.analyse import closed_cast
from audiobook.script.phrases import SubjectKind
from audiobook.script.segments import segment_book
from audiobook.script.utterances import Utterance, build_utterances
from audiobook.text.load import parse_text

CAST = closed_cast(
    parse_cast("characters:\n  Ann Lee: {aliases: [Ann], gender: female}\n  Tom: {gender: male}\n")
)


def utterances(text: str) -> list[Utterance]:
    book = parse_text(text, stem="p", markdown=False)
    return build_utterances(book.text, segment_book(book), CAST)


def test_one_paragraph_one_turn_with_its_tag() -> None:
    (utt,) = utterances('"Look," Ann said, "the tide is in."\n')
    assert len(utt.segments) == 2
    assert utt.tag is not None and utt.tag.subject.text == "Ann"


def test_a_second_named_tag_splits_the_paragraph() -> None:
    first, second = utterances('"Hi," said Ann. "Hello," said Tom.\n')
    assert first.tag is not None and second.tag is not None
    assert (first.tag.subject.text, second.tag.subject.text) == ("Ann", "Tom")
    assert not second.first_in_paragraph


def test_a_pronoun_tag_does_not_split() -> None:
    (utt,) = utterances('"Yes," promised Ann. "I will," she added.\n')
    assert len(utt.segments) == 2


def test_vocatives_and_other_names_in_the_quote() -> None:
    (utt,) = utterances('"Tom, did you see Ann\'s boat?"\n')
    assert utt.vocatives == ["Tom"]
    assert set(utt.named) == {"Tom", "Ann Lee"}


def test_continuation_and_gaps() -> None:
    _first, b, c = utterances(
        '"It was late," Tom said. "Very late.\n\n"And cold."\n\n'
        "The fire had gone out.\n\n"
        "Nobody spoke for a while.\n\n"
        '"Well?"\n'
    )
    assert b.continues and not c.continues
    assert c.gap == 2 and c.alone


def test_lead_in_and_previous_paragraph() -> None:
    (utt,) = utterances('Tom turned to the window and said:\n\n"It\'s raining."\n')
    assert utt.tag is not None and utt.tag.subject.text == "Tom" and not utt.tag_after
    (beat,) = utterances('Ann sat down.\n\n"Tea?"\n')
    assert beat.before is not None and beat.before.kind is SubjectKind.NAME
    assert beat.before_names == ["Ann Lee"]


def test_a_name_after_a_pronoun_tag_splits_the_paragraph() -> None:
    first, second = utterances('"Late again," she said; and Tom muttered: "Sorry."\n')
    assert first.tag is not None and first.tag.subject.text == "she"
    assert second.tag is not None and second.tag.subject.text == "Tom"


def test_pronouns_of_two_genders_split_the_paragraph() -> None:
    first, second = utterances('"Come in," she said. "Thanks," he answered.\n')
    assert (first.tag and first.tag.subject.text, second.tag and second.tag.subject.text) == (
        "she",
        "he",
    )


def test_a_gendered_description_or_name_then_a_pronoun_of_the_other_gender_splits() -> None:
    text = '"We shall be happy," cried her husband; and she answered: "Always."\n'
    first, second = utterances(text)
    assert first.tag is not None and first.tag.subject.text == "her husband"
    assert second.tag is not None and second.tag.subject.text == "she"
    assert len(utterances('"Hi," said Tom. "Hello," she answered.\n')) == 2
    assert len(utterances('"Hi," said Ann. "Bye," she added.\n')) == 1


def test_a_beat_of_another_person_in_the_tag_sentence_is_not_the_speakers() -> None:
    (utt,) = utterances('Tom bowed, and she continued: "I came from Cuba."\n')
    assert utt.tag is not None and utt.tag.subject.text == "she"
    assert utt.beat_before is None  # Tom is spoken to
    (same,) = utterances('Ann smiled, and she went on: "I came from Cuba."\n')
    assert same.beat_before is not None and same.beat_before.text == "Ann"


def test_the_first_person_and_a_pronoun_split_the_paragraph() -> None:
    assert len(utterances('"Where to?" I asked; and she answered: "North."\n')) == 2


def test_a_lead_in_that_lost_its_dash_still_leads_in() -> None:
    (utt,) = utterances('There was a pause, and then Tom said \n\n"We leave at dawn."\n')
    assert utt.tag is not None and utt.tag.subject.text == "Tom" and not utt.tag_after


def test_names_run_over_particles() -> None:
    cast = closed_cast(parse_cast("characters:\n  Mrs. van der Berg: {gender: female}\n"))
    book = parse_text('"Mrs. van der Berg, sit down," said Tom.\n', stem="p", markdown=False)
    (utt,) = build_utterances(book.text, segment_book(book), cast)
    assert utt.named == ["Mrs. van der Berg"]


def test_a_listed_description_after_a_name_splits_the_paragraph() -> None:
    cast = closed_cast(parse_cast("characters:\n  Tom: {}\n  The Ferryman: {}\n"))
    book = parse_text('"Wait," said Tom. "No time," said the ferryman.\n', stem="p", markdown=False)
    first, second = build_utterances(book.text, segment_book(book), cast)
    assert first.tag is not None and second.tag is not None


def test_an_unnamed_tag_after_a_named_one_splits_the_paragraph() -> None:
    first, second = utterances('"Stay," said Tom. "Go," said someone.\n')
    assert first.tag is not None and second.tag is not None


def test_a_beat_between_two_quotes_is_the_beat_after() -> None:
    (between,) = utterances('"That is all, Ann." He rose and went to the window. "Fine roses."\n')
    assert between.beat_after is not None and between.beat_after.text == "He"
    (past_tag,) = utterances('"No," Tom said. "Never." She turned away.\n')
    assert past_tag.beat_after is not None and past_tag.beat_after.text == "She"
    first, _second = utterances('"Hi," said Ann. "Hello," said Tom. He sat down.\n')
    assert first.beat_after is None  # Tom's beat, not Ann's
