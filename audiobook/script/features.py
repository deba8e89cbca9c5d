"""Candidate speakers of each utterance, and the evidence for each as named features.

Features come in two kinds. Local features look at one utterance and one candidate
(a speech tag naming them, a pronoun that fits them, a beat, a vocative inside the
quote...). Turn features look at who spoke the previous two turns (the same person
again, alternation, a newcomer). The decoder adds ``weight * value`` for both; the
weights are learned (see :mod:`audiobook.script.model_weights`).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from audiobook.engines.base import Gender
from audiobook.script.cast import Cast
from audiobook.script.decode import NOBODY
from audiobook.script.mentions import name_candidates
from audiobook.script.phrases import Subject, SubjectKind
from audiobook.script.utterances import Utterance

WINDOW = 3000  # characters before an utterance in which its candidates are mentioned
MAX_CANDIDATES = 10
CONVERSATION_GAP = 2  # narration-only paragraphs that end a conversation


@dataclass(frozen=True)
class Mentions:
    """Where each character is named, in text order."""

    offsets: tuple[int, ...]
    names: tuple[str, ...]
    in_dialogue: tuple[bool, ...]
    counts: Counter[str]

    @classmethod
    def build(cls, found: Sequence[tuple[int, str, bool]]) -> Mentions:
        ordered = sorted(found)
        return cls(
            tuple(o for o, _, _ in ordered),
            tuple(n for _, n, _ in ordered),
            tuple(d for _, _, d in ordered),
            Counter(n for _, n, _ in ordered),
        )

    def recent(self, before: int, *, within: int = WINDOW, narration: bool = True) -> list[str]:
        """Distinct names mentioned before offset ``before``, most recent first."""
        seen: dict[str, None] = {}
        i = bisect.bisect_left(self.offsets, before) - 1
        while i >= 0 and self.offsets[i] >= before - within:
            if not (narration and self.in_dialogue[i]):
                seen.setdefault(self.names[i], None)
            i -= 1
        return list(seen)


@dataclass(frozen=True)
class Context:
    """What features need besides the utterance: the cast and where names occur."""

    cast: Cast
    mentions: Mentions
    subjects: Mentions  # names that open a narration sentence: likely pronoun antecedents

    def gender(self, name: str) -> Gender:
        character = self.cast.get(name)
        return character.gender if character else Gender.UNKNOWN

    def is_narrator(self, name: str) -> bool:
        character = self.cast.get(name)
        return bool(character and character.narrator)


def candidates(
    utt: Utterance, ctx: Context, tagged: Sequence[str] = (), since: int | None = None
) -> list[str]:
    """Who might say ``utt``, most likely first.

    People its tag, beats or lead-in name; the first-person narrator; people the last
    few speech tags named (``tagged``, most recent first); people named nearby, which
    means since a little before the conversation began (offset ``since``) when that is
    further back than :data:`WINDOW` - a long exchange keeps its speakers.
    """
    found: dict[str, None] = {}
    for subject in (utt.tag.subject if utt.tag else None, utt.beat_before, utt.lead):
        if subject is not None and subject.kind in (SubjectKind.NAME, SubjectKind.DESCRIPTION):
            found.update(dict.fromkeys(name_candidates(subject, ctx.cast)))
    narrator = ctx.cast.narrator
    if narrator is not None:
        found.setdefault(narrator.name, None)
    found.update(dict.fromkeys(tagged[:3]))
    found.update(dict.fromkeys(utt.paragraph_names))
    within = WINDOW if since is None else max(WINDOW, utt.end - since + WINDOW // 2)
    for name in ctx.mentions.recent(utt.end, within=min(within, 30 * WINDOW), narration=False):
        if len(found) >= MAX_CANDIDATES:
            break
        found.setdefault(name, None)
    return list(found)


def _fits(gender: Gender, hint: str | None) -> bool | None:
    """Whether a character of ``gender`` fits a pronoun hint; None when unknown."""
    if hint is None or gender is Gender.UNKNOWN:
        return None
    return gender.value == hint


def _subject_features(
    prefix: str, subject: Subject | None, name: str, at: int, ctx: Context
) -> dict[str, float]:
    """Features for a tag/beat ``subject`` against candidate ``name``."""
    if subject is None:
        return {}
    if subject.kind is SubjectKind.UNNAMED and not name_candidates(subject, ctx.cast):
        return {f"{prefix}_unnamed": 1.0}
    if subject.kind is SubjectKind.FIRST_PERSON:
        return {f"{prefix}_first_person": float(ctx.is_narrator(name))}
    if subject.kind in (SubjectKind.NAME, SubjectKind.DESCRIPTION, SubjectKind.UNNAMED):
        found = name_candidates(subject, ctx.cast)
        if found:
            key = "name" if len(found) == 1 else "name_shared"
            return {
                f"{prefix}_{key}": float(name in found),
                f"{prefix}_other": float(name not in found),
            }
    if subject.gender_hint is None and subject.kind is SubjectKind.DESCRIPTION:
        return {f"{prefix}_description": 1.0}
    return _pronoun_features(prefix, subject.gender_hint, name, at, ctx)


def _pronoun_features(
    prefix: str, hint: str | None, name: str, at: int, ctx: Context
) -> dict[str, float]:
    if ctx.is_narrator(name):
        return {f"{prefix}_pronoun_narrator": 1.0}  # "he"/"she" is never the "I" who tells it
    # One signed feature, so the learner cannot come to prefer a clash over a fit:
    # +1 the gender fits, -1 it clashes, 0 the character's gender is unknown.
    fits = _fits(ctx.gender(name), hint)
    agree = 0.0 if fits is None else (1.0 if fits else -1.0)
    feats = {f"{prefix}_pronoun_agree": agree, f"{prefix}_pronoun": 1.0}
    if fits is False:
        return feats
    for kind, recent in (("rank", ctx.mentions.recent(at)), ("subject", ctx.subjects.recent(at))):
        compatible = [n for n in recent if _fits(ctx.gender(n), hint) is not False]
        rank = compatible.index(name) if name in compatible else 9
        if rank < 2:
            feats[f"{prefix}_pronoun_{kind}{rank + 1}"] = 1.0
    return feats


def nobody_features(utt: Utterance, ctx: Context) -> dict[str, float]:
    """Evidence that nobody we can name says ``utt`` ("someone asked", an unlisted name)."""
    subject = utt.tag.subject if utt.tag else None
    kind = subject.kind if subject else None
    named = kind in (SubjectKind.NAME, SubjectKind.DESCRIPTION)
    unresolved = named and subject is not None and not name_candidates(subject, ctx.cast)
    return {
        "nobody": 1.0,
        "nobody_tag_unnamed": float(kind is SubjectKind.UNNAMED),
        "nobody_tag_unresolved_name": float(unresolved and kind is SubjectKind.NAME),
        "nobody_tag_unresolved_description": float(unresolved and kind is SubjectKind.DESCRIPTION),
        "nobody_untagged": float(subject is None),
    }


def local_features(
    utt: Utterance, previous: Utterance | None, name: str, ctx: Context
) -> dict[str, float]:
    """Evidence that ``name`` speaks ``utt`` that does not depend on other decisions."""
    if name == NOBODY:
        return nobody_features(utt, ctx)
    feats: dict[str, float] = {"bias": 1.0}
    if utt.tag is not None:
        where = "tag" if utt.tag_after else "tagb"
        at = utt.start if utt.tag_after else utt.tag_at
        feats.update(_subject_features(where, utt.tag.subject, name, at, ctx))
    beat, lead = _beat_and_lead(utt)
    feats.update(_subject_features("beatb", beat, name, utt.start, ctx))
    feats.update(_subject_features("beata", utt.beat_after, name, utt.start, ctx))
    feats.update(_subject_features("lead", lead, name, utt.start, ctx))
    feats.update(_subject_features("before", utt.before, name, utt.start, ctx))
    if utt.before_tag is not None:
        feats.update(_subject_features("beforetag", utt.before_tag.subject, name, utt.start, ctx))
    feats["para_named"] = min(utt.paragraph_names.count(name), 2) / 2
    feats["before_named"] = float(name in utt.before_names)
    feats["quote_names"] = float(name in utt.named)
    feats["quote_vocative"] = float(name in utt.vocatives)
    if previous is not None and utt.gap < CONVERSATION_GAP:
        suffix = "_gap" if utt.gap else ""
        feats[f"addressed{suffix}"] = float(name in previous.vocatives)
        addressee = previous.tag.addressee if previous.tag else None
        addressed = bool(addressee) and name in ctx.cast.candidates(addressee or "")
        feats[f"tag_addressed{suffix}"] = float(addressed)
    feats.update(_priors(utt, name, ctx))
    return feats


def _beat_and_lead(utt: Utterance) -> tuple[Subject | None, Subject | None]:
    """The beat before the quote, and the lead-in paragraph's subject, as features see them.

    A pronoun lead-in ("He wiped the grin from his face," then the quote's paragraph)
    is a beat set in the paragraph before, and counts as one: lead-ins are too rare
    for weights of their own (PDNC's 9 novels hold 32 with a pronoun, 30 of them the
    speaker's), beats are common. Named lead-ins stay apart; counted as beats they
    cost 0.4 points leave-one-out (85.30 -> 84.90), pronouns alone gained 0.07.
    """
    lead = utt.lead
    if utt.beat_before is None and lead is not None and lead.kind is SubjectKind.PRONOUN:
        return lead, None
    return utt.beat_before, lead


def _priors(utt: Utterance, name: str, ctx: Context) -> dict[str, float]:
    """Who tends to speak here regardless of tags: recent, frequent, the narrator.

    Learned separately for bare quote paragraphs, where turn-taking should rule.
    """
    suffix = "_alone" if utt.alone else ""
    feats = {}
    recent = ctx.mentions.recent(utt.start)
    rank = recent.index(name) if name in recent else 9
    if rank < 3:
        feats[f"recent{rank + 1}{suffix}"] = 1.0
    feats[f"frequency{suffix}"] = math.log1p(ctx.mentions.counts[name]) / math.log(1000)
    feats[f"narrator{suffix}"] = float(ctx.is_narrator(name))
    return feats


# Local evidence worth more, or less, depending on who spoke before ("she said" when the
# woman of a two-person exchange spoke the turn before last).
_CROSSED = (
    "tag_pronoun_agree",
    "tagb_pronoun_agree",
    "beatb_pronoun_agree",
    "before_pronoun_agree",
    "addressed",
    "addressed_gap",
    "quote_vocative",
    "narrator",
    "narrator_alone",
    "before_named",
    "before_name",
    "lead_name",
    "lead_pronoun_rank1",  # a pronoun lead-in's "agree" is a beat's (see _beat_and_lead)
    "before_pronoun_rank1",
    "tag_pronoun_rank1",
    "tagb_pronoun_rank1",
    "beatb_name",
    "para_named",
    "recent1",
    "recent1_alone",
    "style_best",
)


def turn_features(
    utt: Utterance, previous: Utterance, relation: str, local: dict[str, float]
) -> dict[str, float]:
    """Evidence from how the speaker relates to the two turns before.

    ``relation`` is one of :data:`~audiobook.script.decode.RELATIONS`; ``local`` is
    the candidate's local features, some of which are crossed with the relation.
    """
    untagged = utt.tag is None
    feats: dict[str, float] = {}
    if relation == "same":
        feats = {
            "same_prev_continues": float(utt.continues),
            "same_prev_goes_on": float(previous.goes_on and not previous.question),
            "same_prev_split": float(not utt.first_in_paragraph),
            "same_prev_question": float(previous.question),
        }
    if relation in ("same", "alternate", "newcomer"):
        feats[relation] = 1.0
        feats[f"{relation}_alone"] = float(utt.alone and untagged)
        feats[f"{relation}_gap"] = float(utt.gap > 0)
        feats[f"{relation}_tagged"] = float(not untagged)
        for key in _CROSSED:
            if local.get(key):
                feats[f"{relation}_x_{key}"] = local[key]
    return feats
