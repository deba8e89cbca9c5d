from __future__ import annotations

from audiobook.script.decode import NOBODY, TurnScores, margins, relation, viterbi


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
    assert margins(["A"], local, [None]) == [5.0]
