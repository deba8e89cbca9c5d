from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from audiobook.script.decode import (
    NOBODY,
    RELATIONS,
    Scores,
    TurnScores,
    margins,
    relation,
    viterbi,
)


def table(same: float = 0.0, alternate: float = 0.0, newcomer: float = 0.0) -> dict[str, float]:
    return {"same": same, "alternate": alternate, "newcomer": newcomer, "other": 0.0}


def turns(names: list[str], **scores: float) -> TurnScores:
    return TurnScores({n: table(**scores) for n in names})


def test_relation() -> None:
    assert relation("A", None, None) is None
    assert relation("A", "A", "B") == "same"
    assert relation("B", "A", None) == "other"
    assert relation("B", "A", "B") == "alternate"
    assert relation("C", "A", "B") == "newcomer"
    assert relation(NOBODY, NOBODY, "A") == "newcomer"  # two unknowns are not one person


def test_alternation_carries_an_anchor_through_untagged_lines() -> None:
    names = ["A", "B"]
    anchored = {"A": 5.0, "B": 0.0}
    neutral = {"A": 0.0, "B": 0.0}
    local = [anchored, neutral, neutral, neutral]
    steps = [None, *(turns(names, same=-2, alternate=3) for _ in range(3))]
    assert viterbi(local, steps) == ["A", "B", "A", "B"]


def test_a_later_anchor_fixes_earlier_lines() -> None:
    names = ["A", "B"]
    neutral = {"A": 0.0, "B": 0.1}
    local = [neutral, neutral, neutral, {"A": 0.0, "B": 9.0}]
    steps = [None, *(turns(names, same=-2, alternate=3) for _ in range(3))]
    assert viterbi(local, steps) == ["A", "B", "A", "B"]


def test_a_fresh_conversation_ignores_the_last() -> None:
    local = [{"A": 5.0, "B": 0.0}, {"A": 1.0, "B": 0.0}]
    assert viterbi(local, [None, None]) == ["A", "A"]


def test_margins_are_positive_for_clear_choices() -> None:
    local = [{"A": 5.0, "B": 0.0}]
    assert margins(local, [None]) == [5.0]


def test_an_exchange_that_reads_as_well_the_other_way_round_is_a_close_call() -> None:
    # Untagged lines that lean only a little towards A-B-A-B. Flipping one line alone
    # would break the alternation twice; reading the whole exchange as B-A-B-A costs only
    # the lean, and that is the margin of every line.
    lean = [{"A": 0.5, "B": 0.0}, {"A": 0.0, "B": 0.5}] * 2
    steps = [None, *(turns(["A", "B"], same=-4, alternate=4) for _ in range(3))]
    assert viterbi(lean, steps) == ["A", "B", "A", "B"]
    assert margins(lean, steps) == [2.0, 2.0, 2.0, 2.0]


SCORE = st.floats(min_value=-5, max_value=5, allow_nan=False)
NAMES = ["A", "B", "C", NOBODY]


@st.composite
def lattices(draw: st.DrawFn) -> tuple[list[Scores], list[TurnScores | None]]:
    """A few utterances with random local scores and turn-taking tables."""
    local: list[Scores] = []
    steps: list[TurnScores | None] = []
    for i in range(draw(st.integers(1, 5))):
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
        local.append({n: draw(SCORE) for n in names})
        fresh = i == 0 or draw(st.integers(0, 3)) == 0  # a new conversation, 1 in 4
        table = {n: {r: draw(SCORE) for r in RELATIONS} for n in names}
        steps.append(None if fresh else TurnScores(table))
    return local, steps


def total(path: tuple[str, ...], local: list[Scores], steps: list[TurnScores | None]) -> float:
    """A path's score, summed term by term as the decoder defines it."""
    score = 0.0
    for i, speaker in enumerate(path):
        score += local[i][speaker]
        step = steps[i]
        if step is not None:
            prev2 = path[i - 2] if i > 1 and steps[i - 1] is not None else None
            score += step.of(speaker, path[i - 1], prev2)
    return score


@given(lattices())
def test_decoder_and_margins_match_exhaustive_search(
    lattice: tuple[list[Scores], list[TurnScores | None]],
) -> None:
    local, steps = lattice
    scores = {p: total(p, local, steps) for p in itertools.product(*local)}
    best = max(scores.values())
    path = viterbi(local, steps)
    assert abs(scores[tuple(path)] - best) < 1e-9
    for i, (chosen, margin) in enumerate(zip(path, margins(local, steps), strict=True)):
        rivals = [s for p, s in scores.items() if p[i] != chosen]
        assert abs(margin - (best - max(rivals) if rivals else 10.0)) < 1e-9
