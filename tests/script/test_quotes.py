"""Quote detection: quote styles, opening and closing marks, apostrophes, quoted terms.

Checked through segmentation: the dialogue pieces a passage is cut into.
"""

from __future__ import annotations

from audiobook.script.model import Kind, Pause
from audiobook.script.quotes import QuoteStyle, detect_quote_style
from tests.script.test_segments import pieces, segment, spoken

D = Kind.DIALOGUE
N = Kind.NARRATION


def test_interrupted_quote() -> None:
    text = '"A," she said, "B."'
    assert pieces(text) == [(D, '"A," '), (N, "she said, "), (D, '"B."')]
    assert [s.pause_after for s in segment(text)] == [Pause.CLAUSE, Pause.CLAUSE, Pause.PARAGRAPH]
    assert spoken(text) == [(D, "A,"), (N, "she said,"), (D, "B.")]


def test_curly_double_quotes() -> None:
    text = "“Is it far?” asked Nell. “Not very,” said the ferryman.\n"
    assert detect_quote_style(text) is QuoteStyle.CURLY_DOUBLE
    assert spoken(text) == [
        (D, "Is it far?"),
        (N, "asked Nell."),
        (D, "Not very,"),
        (N, "said the ferryman."),
    ]


def test_british_single_quotes_with_apostrophes_and_nested_doubles() -> None:
    text = (
        "‘I saw the boys’ car,’ said Harry. ‘It was by Willow’s gate.’\n\n"
        "‘’Tis late,’ she said, ‘and I was goin’ home when he shouted “Stop!” at me.’\n"
    )
    assert detect_quote_style(text) is QuoteStyle.CURLY_SINGLE
    assert spoken(text) == [
        (D, "I saw the boys’ car,"),
        (N, "said Harry."),
        (D, "It was by Willow’s gate."),
        (D, "’Tis late,"),
        (N, "she said,"),
        (D, "and I was goin’ home when he shouted Stop! at me."),
    ]


def test_straight_single_quotes() -> None:
    text = "He grinned. 'I love rock 'n' roll,' he said, 'and the '90s. Don't you?'\n"
    assert detect_quote_style(text) is QuoteStyle.STRAIGHT_SINGLE
    assert spoken(text) == [
        (N, "He grinned."),
        (D, "I love rock 'n' roll,"),
        (N, "he said,"),
        (D, "and the '90s. Don't you?"),
    ]


def test_apostrophes_in_narration_are_not_quotes() -> None:
    text = "Odd, 'tis: the boys' car, 'em all, 'cause of Willow's dog in '95.\n"
    assert pieces(text, QuoteStyle.STRAIGHT_SINGLE) == [(N, text)]
    inside = "'Well. 'Tis odd,' said Jo.\n"  # capitalised: an apostrophe only inside a quote
    assert spoken(inside, QuoteStyle.STRAIGHT_SINGLE) == [(D, "Well. 'Tis odd,"), (N, "said Jo.")]


def test_double_quotes_win_when_both_are_frequent() -> None:
    text = '"He said \'no\' to me," Ann said. "\'Tis true."\n' * 3
    assert detect_quote_style(text) is QuoteStyle.STRAIGHT_DOUBLE
    assert spoken(text)[:2] == [(D, "He said 'no' to me,"), (N, "Ann said.")]


def test_nested_single_inside_double_stays_in_the_dialogue() -> None:
    text = "\"Mum always said 'never again,' and meant it,\" Jo told us.\n"
    assert spoken(text) == [(D, "Mum always said 'never again,' and meant it,"), (N, "Jo told us.")]


def test_unbalanced_quote_closes_at_the_paragraph_end() -> None:
    text = '"Wait for me, she cried.\n\nThe bus left without her.\n'
    segs = segment(text)
    assert [(s.kind, s.run_on) for s in segs] == [(D, False), (N, False)]


def test_stray_closing_mark_is_narration() -> None:
    text = 'He left." Then the rain began.\n'
    assert pieces(text) == [(N, text)]


def test_new_quote_opening_closes_an_unclosed_one() -> None:
    text = "“Stop, he said. “Now.”"
    assert spoken(text) == [(D, "Stop, he said."), (D, "Now.")]


def test_a_term_in_quotes_is_not_speech() -> None:
    text = 'She called it the "new order" of things. He said "Fine" and left.\n'
    assert spoken(text) == [
        (N, "She called it the new order of things. He said"),
        (D, "Fine"),
        (N, "and left."),
    ]
    assert [s.pause_after for s in segment(text)] == [Pause.NONE, Pause.NONE, Pause.PARAGRAPH]
