"""Decide which character speaks each quotation.

1. :mod:`~audiobook.script.utterances` groups dialogue into turns and gathers the
   evidence around each (speech tags, beats, vocatives, lead-ins, continuations).
2. :mod:`~audiobook.script.features` proposes candidates for each turn (people named
   nearby, the tag's name, the first-person narrator, and "nobody we can name") and
   describes each with features.
3. :mod:`~audiobook.script.decode` picks the speakers of each conversation jointly,
   with learned weights for local evidence and turn-taking.
4. The decoder runs twice: how each character talks is learned first from the lines
   whose tags name them, then again from every line the first pass was sure of, and
   the richer profiles decide the second pass (:func:`decide`).
5. A confidence per line comes from the decision's margin and the kind of evidence
   it rests on; under the learned threshold the line is left unattributed (read by
   the unknown-speaker voice).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from audiobook.script.cast import Cast
from audiobook.script.decode import NOBODY, RELATIONS, TurnScores, decode
from audiobook.script.features import (
    CONVERSATION_GAP,
    Context,
    Mentions,
    candidates,
    local_features,
    turn_features,
)
from audiobook.script.mentions import find_mentions, name_candidates
from audiobook.script.model import Kind, Segment
from audiobook.script.phrases import SubjectKind
from audiobook.script.style import Styles
from audiobook.script.tags import beat_subject, split_sentences
from audiobook.script.utterances import Utterance, build_utterances
from audiobook.script.weights import Weights, default_weights


@dataclass(frozen=True)
class Problem:
    """Everything the decoder needs for one book: turns, candidates and their features."""

    utterances: list[Utterance]
    candidates: list[list[str]]
    features: list[dict[str, dict[str, float]]]  # per utterance: candidate -> features
    # Per utterance: candidate -> relation -> features; None where a conversation starts.
    turns: list[dict[str, dict[str, dict[str, float]]] | None]
    narrator: str | None  # the first-person narrator's name, if the book has one
    named: dict[int, str]  # utterance index -> the speaker its tag names outright

    def conversations(self) -> list[range]:
        """The utterances of each conversation, in order (a conversation has no turns
        before its first utterance)."""
        starts = [i for i, t in enumerate(self.turns) if t is None or i == 0]
        return [range(a, b) for a, b in itertools.pairwise([*starts, len(self.turns)])]


def build_problem(text: str, segments: Sequence[Segment], cast: Cast) -> Problem:
    """Turns of ``segments`` with candidates and features (used by training too).

    Style profiles come from the lines tags name; :func:`restyle` adds the style
    features, and the turn features that cross them, here and in the second pass.
    """
    utterances = build_utterances(text, segments, cast)
    ctx = Context(cast, _mentions(text, segments, cast), _subjects(text, segments, cast))
    cands: list[list[str]] = []
    feats: list[dict[str, dict[str, float]]] = []
    previous: Utterance | None = None
    tagged: list[str] = []  # people recent speech tags named, most recent first
    since = 0  # where the current conversation began
    earlier: list[list[str]] = []  # candidates of the conversation's last two turns
    for utt in utterances:
        if previous is None or _turns_reset(utt, previous):
            since, earlier = utt.start, []
        names = _candidates(utt, ctx, tagged, since, earlier)
        earlier = [*earlier[-1:], names]
        if utt.tag is not None and utt.tag.subject.kind is SubjectKind.NAME:
            named = ctx.cast.candidates(utt.tag.subject.text)
            if len(named) == 1:
                tagged = [named[0], *(t for t in tagged if t != named[0])][:5]
        cands.append(names)
        feats.append({n: local_features(utt, previous, n, ctx) for n in names})
        previous = utt
    narrator = cast.narrator.name if cast.narrator else None
    by_tag = {k: name for k, u in enumerate(utterances) if (name := _named_speaker(u, cast))}
    unstyled = Problem(utterances, cands, feats, [None] * len(utterances), narrator, by_tag)
    return restyle(unstyled, {})


def _mentions(text: str, segments: Sequence[Segment], cast: Cast) -> Mentions:
    return Mentions.build(
        [
            (m.start, m.character, seg.kind is Kind.DIALOGUE)
            for seg in segments
            if not seg.heading
            for m in find_mentions(text, seg.start, seg.end, cast)
        ]
    )


def _candidates(
    utt: Utterance, ctx: Context, tagged: list[str], since: int, earlier: list[list[str]]
) -> list[str]:
    """Who may say ``utt``; nobody addresses themselves, so its vocatives are left out.

    A speech tag that names exactly one character leaves only them (or nobody we can
    name): turn-taking must not talk the decoder out of "said Boone". Otherwise the
    candidates of the two turns before (``earlier``) stay candidates: whoever spoke the
    turn before last is the likeliest speaker of an untagged line, and the ten names
    most recently mentioned in a busy scene can crowd them out (4% of PDNC's gold
    speakers were not candidates without this; 3.3% with it). They stay even when the
    quote seems to address them: vocatives are found by their form and misfire ("I am
    Inspector Ratcliffe"), and the vocative feature still counts against them.
    """
    if _nobody_named(utt, ctx.cast):
        return [NOBODY]
    tag_names = name_candidates(utt.tag.subject, ctx.cast) if utt.tag is not None else ()
    if len(tag_names) == 1 and utt.tag is not None and not utt.tag.thought:
        return [tag_names[0], NOBODY]
    found = candidates(utt, ctx, tagged, since)
    kept = [n for n in found if n not in utt.vocatives or n in tag_names]
    before = [n for names in earlier for n in names if n != NOBODY]
    return [*dict.fromkeys([*(kept or found), *before]), NOBODY]


def _nobody_named(utt: Utterance, cast: Cast) -> bool:
    """The tag says it is nobody we know: "someone asked", or a name outside a closed cast."""
    if utt.tag is None:
        return False
    subject = utt.tag.subject
    if subject.kind is SubjectKind.UNNAMED:
        return not name_candidates(subject, cast)  # unless the cast lists "A Man"
    if subject.kind is SubjectKind.NAME and cast.closed:
        words = subject.text.split()
        if len(words[-1]) < 3:
            return False  # too short to be sure it is a name ("Ad le" with a lost accent)
        return not any(cast.candidates(" ".join(words[k:])) for k in range(len(words)))
    return False


def _named_speaker(utt: Utterance, cast: Cast) -> str | None:
    """The speaker a tag names outright ("said Boone", "I answered"), if it does."""
    if utt.tag is None:
        return None
    subject = utt.tag.subject
    if subject.kind is SubjectKind.FIRST_PERSON:
        return cast.narrator.name if cast.narrator else None
    if subject.kind is SubjectKind.NAME:
        return cast.resolve(subject.text)
    return None


def _styles(utterances: Sequence[Utterance], known: Mapping[int, str]) -> Styles:
    """Speech profiles from the lines whose speaker is ``known`` (by utterance index)."""
    lines = [(known[k], utterances[k].words) for k in sorted(known)]
    return Styles(lines, [u.words for u in utterances])


def _add_style(
    local: dict[str, dict[str, float]], utt: Utterance, styles: Styles, own: str | None
) -> None:
    """Style similarity of ``utt`` to each candidate, raw and as "the closest"."""
    sims = {n: styles.similarity(utt.words, n, own=n == own) for n in local if n != NOBODY}
    if not sims:
        return
    best = max(sims.values())
    for name, sim in sims.items():
        local[name]["style"] = sim
        local[name]["style_best"] = float(best > 0.05 and sim == best)


def _subjects(text: str, segments: Sequence[Segment], cast: Cast) -> Mentions:
    """Names that open a sentence of narration: the usual antecedents of "he"/"she"."""
    found = []
    for seg in segments:
        if seg.kind is not Kind.NARRATION or seg.heading:
            continue
        offset = seg.start
        for sentence in split_sentences(text[seg.start : seg.end]):
            subject = beat_subject(sentence)
            if subject is not None and subject.kind is SubjectKind.NAME:
                name = cast.resolve(subject.text)
                if name is not None:
                    found.append((offset + subject.start, name, False))
            offset += len(sentence)
    return Mentions.build(found)


def _turns_reset(utt: Utterance, previous: Utterance) -> bool:
    """Whether ``utt`` starts a new conversation."""
    return utt.gap >= CONVERSATION_GAP or utt.chapter != previous.chapter


def _turns(
    utt: Utterance, previous: Utterance | None, local: dict[str, dict[str, float]]
) -> dict[str, dict[str, dict[str, float]]] | None:
    if previous is None or _turns_reset(utt, previous):
        return None
    return {
        name: {r: turn_features(utt, previous, r, feats) for r in RELATIONS}
        for name, feats in local.items()
    }


_STYLE_KEYS = frozenset({"style", "style_best"})  # the features :func:`restyle` recomputes


def restyle(problem: Problem, sure: Mapping[int, str]) -> Problem:
    """``problem`` with its style features learned again from more lines.

    ``sure`` maps utterance indices to speakers a first pass was sure of; the lines
    tags name keep their speakers. Only the style features (and the turn features,
    which cross them) are computed again.
    """
    known = {**sure, **problem.named}
    styles = _styles(problem.utterances, known)
    features: list[dict[str, dict[str, float]]] = []
    turns: list[dict[str, dict[str, dict[str, float]]] | None] = []
    previous: Utterance | None = None
    for k, utt in enumerate(problem.utterances):
        local = {
            name: {key: v for key, v in feats.items() if key not in _STYLE_KEYS}
            for name, feats in problem.features[k].items()
        }
        _add_style(local, utt, styles, known.get(k))
        features.append(local)
        turns.append(_turns(utt, previous, local))
        previous = utt
    return dataclasses.replace(problem, features=features, turns=turns)


@dataclass(frozen=True)
class Solution:
    """The decoder's answer for a :class:`Problem`, per utterance."""

    speakers: list[str]  # NOBODY where nobody we can name speaks
    margins: list[float]  # how far the best path beats the best one that differs here
    local: list[dict[str, float]]  # each candidate's local evidence score


def solve(problem: Problem, weights: Weights) -> Solution:
    """Best speaker per utterance, each decision's margin, and the local scores."""
    local = [{n: weights.score(f) for n, f in feats.items()} for feats in problem.features]
    turns = [
        None
        if table is None
        else TurnScores(
            {n: {r: weights.score(f) for r, f in rels.items()} for n, rels in table.items()}
        )
        for table in problem.turns
    ]
    path, margins = decode(local, turns)
    return Solution(path, margins, local)


# How far a first-pass decision must beat every alternative for its line to join its
# speaker's style profile. On held-out novels (fold weights, no retraining) the second
# pass gives 83.97 -> 84.87% from every line, 85.04% at 15, 85.02% at 30, 84.62% at 60.
SURE_MARGIN = 20.0


def decide(problem: Problem, weights: Weights) -> tuple[Problem, Solution]:
    """Decode twice: the second time with style profiles grown from the first pass's
    sure lines (how a character talks is learned from far more than their tagged lines,
    and dialect or pet phrases then carry untagged exchanges). Returns the restyled
    problem and its solution; confidences are read from those.
    """
    first = solve(problem, weights)
    sure = {
        k: speaker
        for k, (speaker, margin) in enumerate(zip(first.speakers, first.margins, strict=True))
        if speaker != NOBODY and margin >= SURE_MARGIN
    }
    restyled = restyle(problem, sure)
    return restyled, solve(restyled, weights)


_FAR = 6  # utterances from a tagged one beyond which turn-taking is no surer


def anchor_distances(problem: Problem) -> list[int]:
    """Per utterance: how many turns lie between it and the nearest tagged utterance.

    Counted within its conversation; an untagged conversation counts as far. Untagged
    lines are decided by turn-taking from the tagged ones, and each turn further from a
    tag is one more chance for the order to slip (most remaining errors are that).
    """
    out = [_FAR] * len(problem.utterances)
    for conversation in problem.conversations():
        tagged = [i for i in conversation if problem.utterances[i].tag is not None]
        for i in conversation:
            out[i] = min([abs(i - j) for j in tagged] + [_FAR])
    return out


def confidence_inputs(
    problem: Problem, solution: Solution, index: int, distance: int
) -> dict[str, float]:
    """What decision ``index``'s confidence is calibrated on: its margins and evidence.

    ``distance`` is the utterance's :func:`anchor_distances` entry. Besides the
    decoder's margin: how far the chosen speaker's own evidence leads the best other
    candidate's (a line its evidence decided is surer than one the turn-taking
    carried against it, hence a step at zero as well as the lead), and whether an
    untagged line went to a first-person narrator (a candidate everywhere, so often
    the default guess). On held-out novels these raised the accuracy of the most
    confident 90% from 88.2% to 88.7%, measured before the second pass existed
    (docs/benchmarks.md).
    """
    utt = problem.utterances[index]
    speaker = solution.speakers[index]
    local = solution.local[index]
    rivals = [score for name, score in local.items() if name != speaker]
    lead = local[speaker] - max(rivals) if rivals else 40.0
    kind = utt.tag.subject.kind.value if utt.tag is not None else "none"
    chosen = problem.features[index].get(speaker, {})
    return {
        "bias": 1.0,
        "margin": min(solution.margins[index], 40.0) / 10,
        "local_margin": max(-40.0, min(lead, 40.0)) / 10,
        "local_top": float(lead >= 0),
        f"tag_{kind}": 1.0,
        "alone": float(utt.alone),
        "continues": float(utt.continues),
        "nobody": float(speaker == NOBODY),
        "narrator_untagged": float(utt.tag is None and speaker == problem.narrator),
        "style_best": chosen.get("style_best", 0.0),
        "gap": float(utt.gap > 0),
        "far": min(distance, _FAR) / _FAR,
    }


def attribute(
    text: str, segments: Sequence[Segment], cast: Cast, weights: Weights | None = None
) -> tuple[Segment, ...]:
    """Return ``segments`` with a speaker and confidence on every dialogue segment."""
    weights = weights or default_weights()
    problem, solution = decide(build_problem(text, segments, cast), weights)
    out = list(segments)
    distances = anchor_distances(problem)
    for k, (utt, speaker) in enumerate(zip(problem.utterances, solution.speakers, strict=True)):
        inputs = confidence_inputs(problem, solution, k, distances[k])
        confidence = round(weights.confidence(inputs), 3)
        answer = speaker or None
        if confidence < weights.abstain_below:
            answer = None
        for i in utt.segments:
            out[i] = dataclasses.replace(out[i], speaker=answer, confidence=confidence)
    return tuple(out)
