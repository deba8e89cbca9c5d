"""Find the characters of a story from its text alone, with no trained model.

1. Name candidates and person evidence (:mod:`audiobook.script.names`).
2. Aliases: the forms of one person grouped into one character
   (:mod:`audiobook.script.aliases`).
3. A first-person narrator when the narration says "I" often enough.

A cast the user lists is complete in who it holds, not always in what the text calls
them: :func:`with_nicknames` adds the nicknames the dialogue uses ("Buff" for Buffy).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from audiobook.engines.base import Gender
from audiobook.script.aliases import (
    add_nicknames,
    join_paired_vocatives,
    join_roles,
    merge_forms,
    vocative_pairs,
)
from audiobook.script.cast import Cast, Character
from audiobook.script.model import NARRATOR, Kind, Segment
from audiobook.script.names import WORD, collect_candidates, is_person

FIRST_PERSON_RATE = 0.012  # "I"/"me"/"my" per narration word that makes a narrator


def discover_cast(text: str, segments: Sequence[Segment]) -> Cast:
    """Build a :class:`Cast` of the people named in ``segments`` of ``text``."""
    lower_counts = _lower_counts(text)
    candidates = collect_candidates(text, segments, lower_counts)
    people = {form: cand for form, cand in candidates.items() if is_person(cand, lower_counts)}
    characters = add_nicknames(merge_forms(people), candidates)
    characters = join_paired_vocatives(characters, vocative_pairs(text, segments))
    characters = join_roles(characters)
    narrator = _first_person_narrator(text, segments)
    if narrator is not None:
        characters.append(narrator)
    return Cast(tuple(characters), closed=False)


def with_nicknames(cast: Cast, text: str, segments: Sequence[Segment]) -> Cast:
    """``cast`` with the nicknames its characters are called by in ``text``'s dialogue.

    For a listed (closed) cast: a vocative that shortens one listed first name and
    names nobody listed ("Buff," for Buffy Summers) becomes that character's alias,
    so the line that says it is not taken for theirs. No character is added or removed.
    """
    candidates = collect_candidates(text, segments, _lower_counts(text))
    unknown = {form: c for form, c in candidates.items() if not cast.candidates(form)}
    return Cast(tuple(add_nicknames(list(cast.characters), unknown)), closed=cast.closed)


def _lower_counts(text: str) -> Counter[str]:
    """How often each word occurs in lower case (common words are not names)."""
    return Counter(w.lower() for w in WORD.findall(text) if w.islower())


def _first_person_narrator(text: str, segments: Sequence[Segment]) -> Character | None:
    words = first = 0
    for seg in segments:
        if seg.kind is Kind.NARRATION:
            tokens = WORD.findall(text[seg.start : seg.end])
            words += len(tokens)
            first += sum(1 for t in tokens if t in {"I", "me", "my", "myself"})
    if words and first / words >= FIRST_PERSON_RATE:
        return Character(NARRATOR, (), Gender.UNKNOWN, narrator=True)
    return None
