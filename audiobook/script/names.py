"""Name candidates in a story and the evidence that each is a person.

Runs of capitalised words (with an optional honorific) that are not only sentence-initial
and are not common words the text also writes in lower case; then person evidence:
subject of a speech verb, an honorific, a known first name, a possessive or a verb
right after the name, pronoun co-reference; places ("in London") are rejected. Gender
comes from honorifics, pronoun votes and the bundled first-name list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from audiobook.engines.base import Gender
from audiobook.script.cast import normalise, strip_honorific
from audiobook.script.lexicon import (
    FEMALE_PRONOUNS,
    HONORIFICS,
    MALE_PRONOUNS,
    NOT_NAMES,
    SPEECH_VERBS,
    first_names,
)
from audiobook.script.model import Kind, Segment

_NAME_WORD = r"[A-Z][a-z]+(?:['’-][A-Za-z]+)*"
_HON = r"(?:" + "|".join(sorted((h.capitalize() for h in HONORIFICS), key=len, reverse=True)) + r")"
_PARTICLE = r"(?:de|van|von|der|den|du|la|le|di|da|del)"
# "Mrs. Rachel Lynde", "Professor de Worms": up to three capitalised words, with name
# particles between them.
CANDIDATE = re.compile(
    rf"(?<![\w'’])(?:{_HON}\.?\s+)?{_NAME_WORD}"
    rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_NAME_WORD}){{0,2}}(?![\w])"
)
# Words that open a sentence and are capitalised only for that ("Meanwhile Astley").
_OPENER_WORDS = frozenset(
    "meanwhile afterwards nevertheless however besides then now still yet so instead "
    "presently finally suddenly again perhaps indeed accordingly thereupon".split()
)
_POSSESSIVE = re.compile(r"^['’]s?\b")
# Punctuation after a name said to someone, maybe after a "sir": "Captain Reed sir,".
VOCATIVE_AFTER = re.compile(r"^(?:\s+(?:sir|ma'am|madam))?\s*(?:[,!?]|\.(?!\w)|…|$|['\"”’])")
_POSSESSIVE_END = re.compile(r"['’]s?$")
PLACE_PREPOSITIONS = frozenset(
    [
        "in",
        "at",
        "from",
        "to",
        "into",
        "across",
        "over",
        "near",
        "through",
        "towards",
        "toward",
        "around",
        "outside",
        "inside",
        "of",
        "above",
        "below",
        "beyond",
        "within",
    ]
)
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*\s+|\n\s*\n")

# Not "his"/"her": "Beside her, Captain Reed" is an object pronoun before a name.
_DETERMINERS = frozenset(["the", "their", "our", "my", "your", "its", "these", "those"])
MIN_MENTIONS = 2  # a name seen once is rarely a character worth a voice


@dataclass
class Candidate:
    """Evidence gathered for one surface form."""

    form: str
    count: int = 0
    initial_only: int = 0  # occurrences at a sentence start
    speech: int = 0  # next to a speech verb
    agent: int = 0  # followed by a verb-like word or a possessive
    placey: int = 0  # after "in/at/from/to..."
    the: int = 0  # after "the": ships, squadrons, places ("the Odysseus")
    vocative: int = 0  # set off by commas or ending a sentence inside a quote: "Will,"
    in_dialogue: int = 0
    honorific: Gender | None = None  # from Mr/Mrs/Miss...
    rank: bool = False  # after a rank or title with no gender: Captain, Doctor
    pronoun_votes: Counter[Gender] = field(default_factory=Counter)


def collect_candidates(
    text: str, segments: Sequence[Segment], lower_counts: Counter[str]
) -> dict[str, Candidate]:
    """Every name form in ``segments`` (headings left out) with the evidence about it.

    ``lower_counts`` counts the words the text writes in lower case: a capitalised one
    of them at a sentence start is an opener, not a name.
    """
    found: dict[str, Candidate] = {}
    for seg in segments:
        if seg.heading:
            continue  # "Mrs. Rachel Lynde Is Surprised" is a title, not a name
        span = text[seg.start : seg.end]
        starts = _sentence_starts(span)
        for match in CANDIDATE.finditer(span):
            common = lower_counts if match.start() in starts else None
            form, possessive = trim_name(match.group(0), common)
            form = form or _role(span, match)
            if not form:
                continue
            cand = found.setdefault(form, Candidate(form))
            _observe(cand, span, match, starts, seg.kind is Kind.DIALOGUE)
            cand.agent += possessive
        if seg.kind is Kind.NARRATION:
            _vote_pronouns(span, found)
    return found


def trim_name(form: str, lower_counts: Counter[str] | None = None) -> tuple[str, bool]:
    """Drop non-name words at the edges and a possessive: "Then Willow's" -> "Willow".

    At a sentence start (``lower_counts`` given), a leading word the text also uses in
    lower case, and that is no first name, is an opener: "Meanwhile Astley" ->
    "Astley". Returns the name and whether it was possessive.
    """
    words = form.split()
    if len(words) > 1 and words[0].endswith(".") and len(words[0]) > 5:
        words = words[1:]  # "General. He": a full title with a full stop ends a sentence
    possessive = False
    if words:
        bare = _POSSESSIVE_END.sub("", words[-1])
        possessive = bare != words[-1]
        words[-1] = bare
    while words and _opener(words[0], lower_counts) and len(words) > 1:
        words = words[1:]
    while words and normalise(words[0]) in NOT_NAMES and normalise(words[0]) not in HONORIFICS:
        words = words[1:]
    while len(words) > 1 and normalise(words[-1]) in NOT_NAMES and not _titled(words):
        words = words[:-1]
    if not words or all(normalise(w) in HONORIFICS for w in words):
        return "", False
    return " ".join(words), possessive


def _role(span: str, match: re.Match[str]) -> str:
    """ "the General", "the Professor": a rank used as a name, with "The" in the name.

    Empty unless the match is one rank word right after a lower-case "the".
    """
    word = _POSSESSIVE_END.sub("", match.group(0))
    if " " in word or HONORIFICS.get(normalise(word)) is not Gender.UNKNOWN:
        return ""
    before = span[max(0, match.start() - 5) : match.start()]
    return f"The {word}" if before.endswith("the ") else ""


def _titled(words: list[str]) -> bool:
    """ "Mrs. Hall": after a title even a common word is a surname."""
    return len(words) == 2 and normalise(words[0]) in HONORIFICS


def _opener(word: str, lower_counts: Counter[str] | None) -> bool:
    low = normalise(word)
    if low in _OPENER_WORDS or (low.endswith("ly") and low not in first_names()):
        return True
    if lower_counts is None or low in HONORIFICS or low in first_names():
        return False
    return lower_counts[low] >= 3


def _sentence_starts(span: str) -> set[int]:
    starts = {len(span) - len(span.lstrip(" \"“‘'\n\t"))}
    for m in _SENTENCE_END.finditer(span):
        rest = span[m.end() :]
        starts.add(m.end() + len(rest) - len(rest.lstrip(" \"“‘'\n\t")))
    return starts


def _observe(
    cand: Candidate, span: str, match: re.Match[str], starts: set[int], in_dialogue: bool
) -> None:
    cand.count += 1
    before = span[max(0, match.start() - 30) : match.start()].split()
    after_text = span[match.end() :]
    after = after_text[:30].split()
    prev_word = before[-1].strip(",;:").lower() if before else ""
    next_word = after[0].strip(",.;:!?").lower() if after else ""
    if match.start() in starts:
        cand.initial_only += 1
    if in_dialogue:
        cand.in_dialogue += 1
    if in_dialogue:
        pass  # words around a name inside a quote say nothing about who speaks
    elif prev_word in SPEECH_VERBS or next_word in SPEECH_VERBS:
        cand.speech += 1
    elif _POSSESSIVE.match(after_text) or (next_word.isalpha() and next_word.endswith("ed")):
        cand.agent += 1
    if prev_word in PLACE_PREPOSITIONS:
        cand.placey += 1
    if prev_word in _DETERMINERS:
        cand.the += 1
    governed = prev_word in PLACE_PREPOSITIONS or prev_word.endswith("ed")
    if in_dialogue and not governed and VOCATIVE_AFTER.match(after_text):
        cand.vocative += 1
    first = normalise(match.group(0).split()[0])
    if first in HONORIFICS:
        if HONORIFICS[first] is Gender.UNKNOWN:
            cand.rank = True
        else:
            cand.honorific = HONORIFICS[first]


def _vote_pronouns(span: str, found: dict[str, Candidate]) -> None:
    """In each sentence that opens with a known name, the next he/she votes its gender."""
    for sentence in re.split(r"(?<=[.!?])\s+", span):
        match = CANDIDATE.match(sentence.lstrip(' "“'))
        if not match:
            continue
        cand = found.get(trim_name(match.group(0))[0])
        if cand is None:
            continue
        rest = sentence.lstrip(' "“')[match.end() :]
        for word in WORD.findall(rest):
            low = word.lower()
            if word[0].isupper() and low not in NOT_NAMES:
                break  # another name: the pronoun may be theirs
            if low in MALE_PRONOUNS:
                cand.pronoun_votes[Gender.MALE] += 1
                break
            if low in FEMALE_PRONOUNS:
                cand.pronoun_votes[Gender.FEMALE] += 1
                break


def is_person(cand: Candidate, lower_counts: Counter[str]) -> bool:
    """Whether the evidence says ``cand`` names a person (not a place, ship or word)."""
    words = strip_honorific(cand.form).split()
    known_first = words[0].lower() in first_names()
    mid_sentence = cand.count - cand.initial_only
    titled = bool(cand.honorific or cand.rank)
    full_name = known_first and len(words) > 1  # "Harriet Vane", even at a sentence start
    seen_enough = cand.count >= MIN_MENTIONS or (known_first and mid_sentence)
    if not (seen_enough or cand.speech or titled or full_name):
        return False
    if len(words) == 1:
        low = words[0].lower()
        if lower_counts[low] > cand.count and not cand.speech:
            return False  # a common word capitalised at a sentence start
        if not mid_sentence and not (cand.speech or titled):
            return False
    if cand.speech:
        return True
    if cand.form.startswith("The "):
        return False  # a rank is someone only when it speaks: "the Colonel said"
    if cand.placey * 2 > cand.count or cand.the * 2 > cand.count:
        return False  # "in London", "the Odysseus"
    votes = sum(cand.pronoun_votes.values())
    evidence = cand.agent + 2 * titled + known_first + cand.vocative + votes
    return evidence >= 1


def candidate_gender(cand: Candidate) -> Gender:
    """Honorific first, then pronoun votes (a clear majority), then the first-name list."""
    if cand.honorific is not None:
        return cand.honorific
    votes = cand.pronoun_votes
    male, female = votes[Gender.MALE], votes[Gender.FEMALE]
    if male + female >= 2 and max(male, female) >= 2 * min(male, female) + 1:
        return Gender.MALE if male > female else Gender.FEMALE
    first = strip_honorific(cand.form).split()[0].lower()
    return first_names().get(first, Gender.UNKNOWN)
