"""Choose the speakers of a whole conversation at once (second-order Viterbi).

Each turn's score is its local evidence plus a turn-taking term that depends on who
spoke the two turns before: the same person again, the one before that (alternation),
or a newcomer. Deciding the conversation jointly lets a confident tag three lines on
fix who said the untagged lines in between.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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


def viterbi(local: Sequence[Scores], turns: Sequence[TurnScores | None]) -> list[str]:
    """Best speaker sequence; ``turns[i]`` is None where a conversation starts afresh."""
    best: dict[State, float] = {}
    back: list[dict[State, State | None]] = []
    for i, scores in enumerate(local):
        turn = turns[i]
        step: dict[State, float] = {}
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
        back.append(links)
    return _trace(best, back)


def _best_state(best: Mapping[State, float]) -> State:
    return max(best, key=lambda s: (best[s], s[1]))


def _trace(best: Mapping[State, float], back: list[dict[State, State | None]]) -> list[str]:
    if not best:
        return []
    state: State | None = _best_state(best)
    path: list[str] = []
    for links in reversed(back):
        assert state is not None
        path.append(state[1])
        state = links[state]
    return path[::-1]


def margins(
    path: Sequence[str],
    local: Sequence[Scores],
    turns: Sequence[TurnScores | None],
) -> list[float]:
    """How much better each chosen speaker is than the best alternative, others fixed."""
    out = []
    for i, chosen in enumerate(path):

        def total(speaker: str, i: int = i) -> float:
            return _with(path, i, speaker, local, turns)

        alternatives = [total(s) for s in local[i] if s != chosen]
        out.append(total(chosen) - max(alternatives) if alternatives else 10.0)
    return out


def _with(
    path: Sequence[str],
    i: int,
    speaker: str,
    local: Sequence[Scores],
    turns: Sequence[TurnScores | None],
) -> float:
    """Score of the terms that involve position ``i`` if it said ``speaker``."""
    trial = list(path[max(0, i - 2) : i + 3])
    offset = max(0, i - 2)
    trial[i - offset] = speaker
    score = local[i][speaker]
    for j in range(i, min(len(path), i + 3)):
        turn = turns[j]
        if turn is None or j == 0:
            continue
        prev = trial[j - 1 - offset] if j - 1 >= offset else None
        prev2 = trial[j - 2 - offset] if j - 2 >= offset and turns[j - 1] is not None else None
        score += turn.of(trial[j - offset], prev, prev2)
    return score


def decode_with(
    count: int,
    local_of: Callable[[int], Scores],
    turn_of: Callable[[int], TurnScores | None],
) -> tuple[list[str], list[float]]:
    """Decode ``count`` utterances given score callbacks; returns (speakers, margins)."""
    local = [local_of(i) for i in range(count)]
    turns = [turn_of(i) for i in range(count)]
    path = viterbi(local, turns)
    return path, margins(path, local, turns)
