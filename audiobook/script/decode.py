"""Choose the speakers of a whole conversation at once (second-order Viterbi).

Each turn's score is its local evidence plus a turn-taking term that depends on who
spoke the two turns before: the same person again, the one before that (alternation),
or a newcomer. Deciding the conversation jointly lets a confident tag three lines on
fix who said the untagged lines in between.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

NOBODY = ""  # the candidate "someone we cannot name": read by the unknown-speaker voice

Scores = Mapping[str, float]


RELATIONS = ("same", "alternate", "newcomer", "other")


def relation(speaker: str, prev: str | None, prev2: str | None) -> str | None:
    """How ``speaker`` relates to the two turns before; None at a conversation's start.

    "same" (the previous speaker again), "alternate" (the one before that),
    "newcomer" (neither), "other" (not the previous, with no turn before it).
    Nobody-we-can-name is never "the same" as anyone.
    """
    if prev is None:
        return None
    if speaker == prev and speaker != NOBODY:
        return "same"
    if prev2 is None:
        return "other"
    if speaker == prev2 and speaker != NOBODY:
        return "alternate"
    return "newcomer"


@dataclass(frozen=True)
class TurnScores:
    """Turn-taking scores of one utterance: per candidate, per relation to the last turns."""

    table: Mapping[str, Mapping[str, float]]  # speaker -> relation -> score

    def of(self, speaker: str, prev: str | None, prev2: str | None) -> float:
        rel = relation(speaker, prev, prev2)
        return 0.0 if rel is None else self.table[speaker].get(rel, 0.0)


State = tuple[str | None, str]  # (previous speaker, this speaker)
Table = dict[State, float]


def viterbi(local: Sequence[Scores], turns: Sequence[TurnScores | None]) -> list[str]:
    """Best speaker sequence; ``turns[i]`` is None where a conversation starts afresh."""
    return _path(*_forward(local, turns))


def _forward(
    local: Sequence[Scores], turns: Sequence[TurnScores | None]
) -> tuple[list[Table], list[dict[State, State | None]]]:
    """Per position: the best score of a path ending in each state, and its link back."""
    tables: list[Table] = []
    back: list[dict[State, State | None]] = []
    best: Table = {}
    for i, scores in enumerate(local):
        turn = turns[i]
        step: Table = {}
        links: dict[State, State | None] = {}
        if i == 0 or turn is None:
            # A fresh conversation: nothing before it changes what comes next, so the
            # best path so far is final.
            origin = _best_state(best) if best else None
            base = best[origin] if origin is not None else 0.0
            for speaker, score in scores.items():
                step[(None, speaker)] = base + score
                links[(None, speaker)] = origin
        else:
            for (prev2, prev), total in best.items():
                for speaker, score in scores.items():
                    value = total + score + turn.of(speaker, prev, prev2)
                    key = (prev, speaker)
                    if key not in step or value > step[key]:
                        step[key] = value
                        links[key] = (prev2, prev)
        best = step
        tables.append(step)
        back.append(links)
    return tables, back


def _backward(
    local: Sequence[Scores], turns: Sequence[TurnScores | None], states: Sequence[Table]
) -> list[Table]:
    """Per position and state: the best score the rest of the book can add after it."""
    after: list[Table] = [{} for _ in local]
    if not local:
        return after
    after[-1] = dict.fromkeys(states[-1], 0.0)
    for i in range(len(local) - 2, -1, -1):
        scores, turn, later = local[i + 1], turns[i + 1], after[i + 1]
        if turn is None:
            fresh = max(score + later[(None, s)] for s, score in scores.items())
            after[i] = dict.fromkeys(states[i], fresh)
            continue
        after[i] = {
            (prev, cur): max(
                score + turn.of(s, cur, prev) + later[(cur, s)] for s, score in scores.items()
            )
            for prev, cur in states[i]
        }
    return after


def _best_state(best: Mapping[State, float]) -> State:
    return max(best, key=lambda s: (best[s], s[1]))


def _path(tables: list[Table], back: list[dict[State, State | None]]) -> list[str]:
    if not tables:
        return []
    state: State | None = _best_state(tables[-1])
    path: list[str] = []
    for links in reversed(back):
        assert state is not None
        path.append(state[1])
        state = links[state]
    return path[::-1]


def margins(local: Sequence[Scores], turns: Sequence[TurnScores | None]) -> list[float]:
    """Per position: how much the best path beats the best path that differs there.

    These are max-marginals: the alternative may change any other line too, so a whole
    exchange read in the wrong order counts as the close call it is (changing one line
    of it alone would break the alternation and look like a wide margin).
    """
    return decode(local, turns)[1]


def decode(
    local: Sequence[Scores], turns: Sequence[TurnScores | None]
) -> tuple[list[str], list[float]]:
    """The best speaker sequence and each position's :func:`margins`."""
    tables, back = _forward(local, turns)
    path = _path(tables, back)
    return path, _margins(local, turns, tables, path)


def _margins(
    local: Sequence[Scores],
    turns: Sequence[TurnScores | None],
    tables: list[Table],
    path: list[str],
) -> list[float]:
    after = _backward(local, turns, tables)
    out = []
    for i, chosen in enumerate(path):
        best: dict[str, float] = {}
        for state, total in tables[i].items():
            value = total + after[i][state]
            best[state[1]] = max(value, best.get(state[1], value))
        alternatives = [v for s, v in best.items() if s != chosen]
        out.append(best[chosen] - max(alternatives) if alternatives else 10.0)
    return out
