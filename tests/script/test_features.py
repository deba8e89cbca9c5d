from __future__ import annotations

from audiobook.cast.config import parse_cast
from audiobook.script.analyse import closed_cast
from audiobook.script.decode import NOBODY
from audiobook.script.segments import segment_book
from audiobook.script.speakers import Problem, build_problem
from audiobook.text.load import parse_text

CAST = closed_cast(
    parse_cast(
        "characters:\n"
        "  Ann Lee: {aliases: [Ann], gender: female}\n"
        "  Tom: {gender: male}\n"
        "  The Man With The Black Beard: {gender: male}\n"
    )
)


def problem(text: str) -> Problem:
    book = parse_text(text, stem="p", markdown=False)
    return build_problem(book.text, segment_book(book), CAST)


def test_candidates_include_nearby_names_and_nobody() -> None:
    p = problem('Ann and Tom walked home.\n\n"Cold," she said.\n')
    assert {"Ann Lee", "Tom", NOBODY} <= set(p.candidates[0])


def test_pronoun_agreement_is_signed() -> None:
    p = problem('Ann and Tom walked home.\n\n"Cold," she said.\n')
    assert p.features[0]["Ann Lee"]["tag_pronoun_agree"] == 1.0
    assert p.features[0]["Tom"]["tag_pronoun_agree"] == -1.0


def test_named_tag_feature() -> None:
    p = problem('"Cold," said Tom.\n')
    assert p.features[0]["Tom"]["tag_name"] == 1.0


def test_someone_is_nobody_we_know() -> None:
    p = problem('Ann and Tom walked home.\n\n"Cold," someone said.\n')
    assert p.candidates[0] == [NOBODY]


def test_a_listed_description_is_matched_whole() -> None:
    p = problem('Ann and Tom walked home.\n\n"Halt!" cried the man with the black beard.\n')
    assert p.features[0]["The Man With The Black Beard"]["tag_name"] == 1.0


def test_the_addressee_of_a_line_is_not_its_speaker() -> None:
    p = problem('Ann and Tom walked home.\n\n"Tom, look," Ann said.\n')
    assert "Tom" not in p.candidates[0]


def test_turn_features_only_within_a_conversation() -> None:
    p = problem('"Hi," said Ann.\n\n"Hello," said Tom.\n\nLong after.\n\nMuch later.\n\n"Bye."\n')
    assert p.turns[0] is None and p.turns[1] is not None and p.turns[2] is None
    assert p.turns[1]["Ann Lee"]["same"]["same"] == 1.0
