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


def test_a_pronoun_lead_in_counts_as_a_beat_and_a_named_one_does_not() -> None:
    p = problem('Ann and Tom walked home.\n\nHe turned to her,\n\n"Cold?"\n')
    assert p.features[0]["Tom"]["beatb_pronoun_agree"] == 1.0
    assert p.features[0]["Ann Lee"]["beatb_pronoun_agree"] == -1.0
    assert not any(k.startswith("lead_") for k in p.features[0]["Tom"])
    p = problem('Ann and Tom walked home.\n\nTom turned to her,\n\n"Cold?"\n')
    assert p.features[0]["Tom"]["lead_name"] == 1.0
    assert not any(k.startswith("beatb_") for k in p.features[0]["Tom"])


def test_the_addressee_of_a_line_is_not_its_speaker() -> None:
    p = problem('Ann and Tom walked home.\n\n"Tom, look," Ann said.\n')
    assert "Tom" not in p.candidates[0]


def test_turn_features_only_within_a_conversation() -> None:
    p = problem('"Hi," said Ann.\n\n"Hello."\n\nLong after.\n\nMuch later.\n\n"Bye."\n')
    assert p.turns[0] is None and p.turns[1] is not None and p.turns[2] is None
    assert p.turns[1]["Ann Lee"]["same"]["same"] == 1.0


def test_conversations_split_where_turns_restart() -> None:
    p = problem('"Hi," said Ann.\n\n"Hello."\n\nLong after.\n\nMuch later.\n\n"Bye."\n')
    assert p.conversations() == [range(0, 2), range(2, 3)]


def test_a_capitalised_indefinite_is_the_character_of_that_name() -> None:
    cast = closed_cast(parse_cast("characters:\n  Ghost: {aliases: [The Voice]}\n"))
    book = parse_text('"Run," said a Voice.\n', stem="p", markdown=False)
    p = build_problem(book.text, segment_book(book), cast)
    assert p.features[0]["Ghost"]["tag_name"] == 1.0


def test_a_job_noun_in_a_tag_finds_the_listed_character() -> None:
    cast = closed_cast(parse_cast("characters:\n  The Ferryman: {gender: male}\n  Tom: {}\n"))
    book = parse_text('"All aboard!" called the old ferryman.\n', stem="p", markdown=False)
    p = build_problem(book.text, segment_book(book), cast)
    assert p.features[0]["The Ferryman"]["tag_name"] == 1.0


def test_first_name_and_surname_pick_one_of_a_family() -> None:
    cast = closed_cast(
        parse_cast(
            "characters:\n  Rosa Marsh: {aliases: [Marsh]}\n  Robert Marsh: {aliases: [Bob]}\n"
        )
    )
    book = parse_text('"Who?" said Bob Marsh.\n', stem="p", markdown=False)
    p = build_problem(book.text, segment_book(book), cast)
    assert p.features[0]["Robert Marsh"]["tag_name"] == 1.0


def test_a_foreign_title_alone_finds_the_one_who_bears_it() -> None:
    cast = closed_cast(parse_cast("characters:\n  Madame Roux: {gender: female}\n  Tom: {}\n"))
    book = parse_text('"Enough," said Madame.\n', stem="p", markdown=False)
    p = build_problem(book.text, segment_book(book), cast)
    assert p.features[0]["Madame Roux"]["tag_name"] == 1.0


def test_a_hyphenated_role_matches_its_closed_up_spelling() -> None:
    cast = closed_cast(parse_cast("characters:\n  The Lock-Keeper: {}\n  Tom: {}\n"))
    book = parse_text('"Mind the gate," said the lockkeeper.\n', stem="p", markdown=False)
    p = build_problem(book.text, segment_book(book), cast)
    assert p.features[0]["The Lock-Keeper"]["tag_name"] == 1.0
