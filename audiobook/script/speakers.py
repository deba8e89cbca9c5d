"""Decide which character speaks each quotation.

The evidence, strongest first:

1. a speech continued from the previous paragraph keeps its speaker;
2. a speech tag next to the quote (``"..." Willow asked``, ``said Boone``,
   ``Boone replied, "..."``): a name is taken as is, a pronoun goes to the most recently
   mentioned character of that gender, ``I`` to the first-person narrator, and
   "someone"/"another captain" to nobody we know (speaker ``None``);
3. otherwise a score over the characters in play: the subject of an action beat in the
   paragraph (``Tara shook her head, "..."``), the person the previous line addressed
   (vocatives, ``asked Boone``), the turn-taking of a two-person exchange, recent
   mentions; names inside the quote itself are the addressee, never the speaker.

The result is a new segment tuple with ``speaker`` and ``confidence`` filled in.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from audiobook.engines.base import Gender
from audiobook.script.cast import Cast
from audiobook.script.mentions import find_mentions, is_vocative
from audiobook.script.model import NARRATOR, Kind, Pause, Segment
from audiobook.script.tags import (
    Subject,
    SubjectKind,
    Tag,
    beat_subject,
    last_sentence,
    tag_after,
    tag_before,
)

REPLY_VERBS = frozenset({"replied", "answered", "returned", "rejoined", "retorted", "responded"})
# A conversation ends after this many narration-only paragraphs in a row.
CONVERSATION_GAP = 2

# Scores of the non-tag evidence (hand-set; the attribution issue learns them).
W_BEAT = 6.0
W_BEAT_PRONOUN = 2.5
W_ADDRESSED = 3.0
W_ALTERNATE = 2.0
W_MENTIONED = 1.0
W_RECENT = 0.5
W_VOCATIVE = -6.0
W_REPEAT = -2.0
W_MONOLOGUE = 2.5  # previous speaker went on with narration after speaking, no question
ABSTAIN_BELOW = 1.0  # a best score under this answers "unknown"


@dataclass
class _Utterance:
    """The dialogue of one paragraph (or part of one) attributed as a unit."""

    segments: list[int]  # indices of its dialogue segments
    chapter: int
    paragraph: int
    start: int  # offset of its first quote
    tag: Tag | None = None
    tag_at: int = 0  # offset the tag's text starts at
    beat: Subject | None = None
    beat_at: int = 0
    narration_names: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # names said inside the quotes
    vocatives: list[str] = field(default_factory=list)  # of those, the ones addressed
    continues: bool = False  # the previous paragraph's speech runs on into this one
    tail_narration: bool = False  # narration follows its last quote in the paragraph
    question: bool = False  # its last quote asks something


@dataclass
class _State:
    """What the walk through the book remembers."""

    last_seen: dict[str, int] = field(default_factory=dict)  # character -> offset
    history: list[str | None] = field(default_factory=list)  # this conversation's speakers
    addressee: str | None = None  # who the previous line spoke to
    # The previous speech was followed by narration in its paragraph and asked nothing:
    # the next untagged speech may well be the same speaker going on.
    monologue: bool = False
    chapter: int = 0
    last_paragraph: int = -1


def attribute(text: str, segments: Sequence[Segment], cast: Cast) -> tuple[Segment, ...]:
    """Return ``segments`` with a speaker and confidence on every dialogue segment."""
    out = list(segments)
    mentions = sorted(
        (m.start, m.character)
        for seg in segments
        if seg.kind is Kind.NARRATION
        for m in find_mentions(text, seg.start, seg.end, cast)
    )
    starts = [m[0] for m in mentions]
    state = _State()
    cursor = 0
    for utt in _utterances(text, segments, cast):
        cursor = _advance(state, mentions, starts, cursor, utt.start)
        _new_conversation_if_needed(state, utt)
        speaker, confidence = _decide(utt, state, cast, out)
        for i in utt.segments:
            out[i] = dataclasses.replace(out[i], speaker=speaker, confidence=confidence)
        _remember(state, utt, speaker)
    return tuple(out)


def _advance(
    state: _State, mentions: list[tuple[int, str]], starts: list[int], cursor: int, upto: int
) -> int:
    end = bisect.bisect_left(starts, upto)
    for offset, name in mentions[cursor:end]:
        state.last_seen[name] = offset
    return max(cursor, end)


def _new_conversation_if_needed(state: _State, utt: _Utterance) -> None:
    gap = utt.paragraph - state.last_paragraph - 1
    if utt.chapter != state.chapter or gap >= CONVERSATION_GAP:
        state.history.clear()
        state.addressee = None
    state.chapter = utt.chapter


def _remember(state: _State, utt: _Utterance, speaker: str | None) -> None:
    state.history.append(speaker)
    if speaker is not None:
        state.last_seen[speaker] = utt.start
    addressed = [v for v in utt.vocatives if v != speaker]
    if utt.tag is not None and utt.tag.addressee:
        addressed.append(utt.tag.addressee)
    state.addressee = addressed[-1] if addressed else None
    state.last_paragraph = utt.paragraph
    state.monologue = utt.tail_narration and not utt.question


# -- building utterances -------------------------------------------------------------


def _utterances(text: str, segments: Sequence[Segment], cast: Cast) -> list[_Utterance]:
    result: list[_Utterance] = []
    run_on = trailing_off = False
    lead_in: Segment | None = None
    i = 0
    while i < len(segments):
        j = i
        while j < len(segments) and _same_paragraph(segments[i], segments[j]):
            j += 1
        if any(s.kind is Kind.DIALOGUE for s in segments[i:j]):
            paragraph = _paragraph_utterances(text, segments, i, j, cast, lead_in)
            first = paragraph[0]
            resumed = _resumes(segments[first.segments[0]].text) and trailing_off
            first.continues = (run_on and _starts_with_quote(segments, i)) or resumed
            result.extend(paragraph)
            lead_in = None
        else:
            lead_in = segments[j - 1] if _introduces(segments[j - 1]) else None
        run_on = any(s.run_on for s in segments[i:j] if s.kind is Kind.DIALOGUE)
        said = [s for s in segments[i:j] if s.kind is Kind.DIALOGUE]
        if said:
            trailing_off = said[-1].text.rstrip(" \"'”’").endswith(_TRAILING)
        i = j
    return result


_TRAILING = ("...", "…", "—", "-")


def _resumes(spoken: str) -> bool:
    """A speech that picks up where an unfinished one stopped: "...but if you ask"."""
    stripped = spoken.lstrip(" \"'“‘")
    return stripped.startswith(_TRAILING) or stripped[:1].islower()


def _introduces(seg: Segment) -> bool:
    """Narration ending in "," or ":" leads into the next paragraph's speech."""
    return seg.kind is Kind.NARRATION and not seg.heading and seg.text.rstrip()[-1:] in {",", ":"}


def _same_paragraph(a: Segment, b: Segment) -> bool:
    return a.chapter == b.chapter and a.paragraph == b.paragraph


def _starts_with_quote(segments: Sequence[Segment], i: int) -> bool:
    return segments[i].kind is Kind.DIALOGUE


def _paragraph_utterances(
    text: str, segments: Sequence[Segment], lo: int, hi: int, cast: Cast, lead_in: Segment | None
) -> list[_Utterance]:
    """Dialogue of segments[lo:hi]; split where a second tag names someone else."""
    utterances: list[_Utterance] = []
    current: _Utterance | None = None
    for i in range(lo, hi):
        seg = segments[i]
        if seg.kind is not Kind.DIALOGUE:
            continue
        tag, tag_at = _tag_for(text, segments, i, lo, hi)
        if tag is None and i == lo and lead_in is not None:
            tag, tag_at = tag_before(text[lead_in.start : lead_in.end]), lead_in.start
        if current is None or (
            tag is not None and current.tag is not None and not _same_subject(tag, current.tag)
        ):
            current = _Utterance([], seg.chapter, seg.paragraph, seg.start)
            utterances.append(current)
        current.segments.append(i)
        if current.tag is None and tag is not None:
            current.tag, current.tag_at = tag, tag_at
        for mention in find_mentions(text, seg.start, seg.end, cast):
            current.named.append(mention.character)
            if is_vocative(text, mention.start, mention.end, seg.start):
                current.vocatives.append(mention.character)
    beat, beat_at = _beat(text, segments, lo, hi)
    if beat is None and lead_in is not None:
        beat, beat_at = (
            beat_subject(last_sentence(text[lead_in.start : lead_in.end])),
            lead_in.start,
        )
    names = [
        m.character
        for k in range(lo, hi)
        if segments[k].kind is Kind.NARRATION and not segments[k].heading
        for m in find_mentions(text, segments[k].start, segments[k].end, cast)
    ]
    for utt in utterances:
        utt.beat, utt.beat_at, utt.narration_names = beat, beat_at, names
        last = utt.segments[-1]
        utt.tail_narration = _goes_on(text, segments, last, hi)
        utt.question = segments[last].text.rstrip(" .\"'”’").endswith("?")
    return utterances


def _goes_on(text: str, segments: Sequence[Segment], last: int, hi: int) -> bool:
    """Narration after quote ``last`` that is more than its speech tag ("he paused...")."""
    if last + 1 >= hi or segments[last + 1].kind is not Kind.NARRATION:
        return False
    tail = segments[last + 1]
    return tag_after(text[tail.start : tail.end]) is None


def _same_subject(a: Tag, b: Tag) -> bool:
    return a.subject.text.lower() == b.subject.text.lower()


def _tag_for(
    text: str, segments: Sequence[Segment], i: int, lo: int, hi: int
) -> tuple[Tag | None, int]:
    """A speech tag in the narration right after, else right before, quote ``i``."""
    if i + 1 < hi and segments[i + 1].kind is Kind.NARRATION:
        nxt = segments[i + 1]
        tag = tag_after(text[nxt.start : nxt.end])
        if tag is not None:
            return tag, nxt.start
    if i - 1 >= lo and segments[i - 1].kind is Kind.NARRATION and not segments[i - 1].heading:
        prev = segments[i - 1]
        if prev.pause_after in (Pause.CLAUSE, Pause.NONE):
            tag = tag_before(text[prev.start : prev.end])
            if tag is not None:
                return tag, prev.start
    return None, 0


def _beat(text: str, segments: Sequence[Segment], lo: int, hi: int) -> tuple[Subject | None, int]:
    """The subject of the paragraph's first narration sentence."""
    for k in range(lo, hi):
        seg = segments[k]
        if seg.kind is Kind.NARRATION and not seg.heading:
            subject = beat_subject(text[seg.start : seg.end])
            if subject is not None:
                return subject, seg.start
    return None, 0


# -- deciding -------------------------------------------------------------------------


def _decide(
    utt: _Utterance, state: _State, cast: Cast, segments: list[Segment]
) -> tuple[str | None, float]:
    previous = state.history[-1] if state.history else None
    if utt.continues and state.history:
        return previous, 0.95
    if utt.tag is not None:
        decided = _from_tag(utt.tag, utt.tag_at, state, cast)
        if decided is not None:
            return decided
    return _score(utt, state, cast)


def _from_tag(tag: Tag, at: int, state: _State, cast: Cast) -> tuple[str | None, float] | None:
    subject = tag.subject
    if subject.kind is SubjectKind.UNNAMED:
        return None, 0.8
    if subject.kind is SubjectKind.FIRST_PERSON:
        narrator = cast.narrator
        return (narrator.name if narrator else NARRATOR), 0.9
    if subject.kind is SubjectKind.NAME:
        name = _resolve_name(subject.text, cast)
        if name is not None:
            return name, 0.95
        return (None, 0.7) if cast.closed else None
    if subject.kind is SubjectKind.DESCRIPTION:
        name = _resolve_name(subject.text, cast)
        if name is not None:
            return name, 0.8
    gender = Gender(subject.gender_hint) if subject.gender_hint else None
    if gender is None:
        return None
    prefer_other = tag.verb in REPLY_VERBS
    name = _by_pronoun(
        gender, state, cast, avoid=state.history[-1] if prefer_other and state.history else None
    )
    return (name, 0.8) if name is not None else None


def _resolve_name(text: str, cast: Cast) -> str | None:
    words = text.split()
    if words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    for k in range(len(words)):
        name = cast.resolve(" ".join(words[k:]))
        if name is not None:
            return name
    return None


def _by_pronoun(gender: Gender, state: _State, cast: Cast, avoid: str | None = None) -> str | None:
    """The most recently seen character who fits ``gender`` (skipping ``avoid`` if possible)."""
    ranked = sorted(state.last_seen.items(), key=lambda kv: -kv[1])
    fitting = [
        name
        for name, _ in ranked
        if (c := cast.get(name)) is not None
        and c.gender in (gender, Gender.UNKNOWN)
        and not c.narrator
    ]
    if avoid is not None and len(fitting) > 1 and fitting[0] == avoid:
        return fitting[1]
    return fitting[0] if fitting else None


def _score(utt: _Utterance, state: _State, cast: Cast) -> tuple[str | None, float]:
    scores: dict[str, float] = {}

    def add(name: str | None, weight: float) -> None:
        if name is not None and cast.get(name) is not None:
            scores[name] = scores.get(name, 0.0) + weight

    beat = utt.beat
    if beat is not None and beat.kind is SubjectKind.NAME:
        add(_resolve_name(beat.text, cast), W_BEAT)
    elif beat is not None and beat.kind is SubjectKind.PRONOUN and beat.gender_hint:
        add(_by_pronoun(Gender(beat.gender_hint), state, cast), W_BEAT_PRONOUN)
    add(state.addressee, W_ADDRESSED)
    history = state.history
    if len(history) >= 2 and history[-1] != history[-2]:
        add(history[-2], W_ALTERNATE)
    for name in dict.fromkeys(utt.narration_names):
        add(name, W_MENTIONED)
    for name, _ in sorted(state.last_seen.items(), key=lambda kv: -kv[1])[:3]:
        add(name, W_RECENT)
    for name in utt.named:
        add(name, W_VOCATIVE)
    if history:
        add(history[-1], W_MONOLOGUE if state.monologue else W_REPEAT)
    return _choose(scores)


def _choose(scores: dict[str, float]) -> tuple[str | None, float]:
    if not scores:
        return None, 0.0
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best, top = ranked[0]
    if top < ABSTAIN_BELOW:
        return None, 0.3
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    margin = top - max(runner, 0.0)
    return best, round(min(0.9, 0.4 + 0.1 * margin), 2)
