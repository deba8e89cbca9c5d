"""Noun phrases in narration: who a subject names, and what kind of subject it is.

A name ("Mrs. Lynde", "de Worms"), a pronoun, "I", a description ("the old man", "the
croupier"), or somebody deliberately unnamed ("another captain", "someone"). Words are
tokens with offsets into the searched string, so a subject can be traced back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from audiobook.script.lexicon import (
    FUNCTION_WORDS,
    HONORIFICS,
    INDEFINITE,
    NOT_NAMES,
    PERSON_NOUNS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    TITLES_ALONE,
)

_ABBREVIATION = r"(?:Mrs|Mr|Ms|Dr|St|Capt|Col|Gen|Lt|Sgt|Prof|Rev|Mme|Mlle|Messrs|[A-Z])\."
_TOKEN = re.compile(rf"{_ABBREVIATION}|[A-Za-z]+(?:['’][A-Za-z]+)*|[,;:.!?…—–-]+|\S")
# Titles that name someone on their own: "said Sir", "the Miss".
_BARE_TITLES = frozenset(
    {"sir", "madam", "miss", "captain", "commander", "doctor", "general"} | TITLES_ALONE
)
# Lower-case words inside a name: "Mr. van der Luyden", "Madame de Treymes".
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "la", "le", "du", "di", "da", "del"})
# Things a speech verb may have as subject that are not people.
_NOT_SPEAKERS = frozenset(
    "voice voices eyes face lips mouth hand hands tone heart mind answer reply words look".split()
)
# Adverbs of degree that end a noun phrase: "said the valet somewhat stiffly".
_DEGREE = frozenset({"somewhat", "rather", "quite", "very", "too", "almost", "half"})
# Words after "the" that point back at someone rather than describe them: "said the
# other" is whoever spoke before, not a new person called "other".
_ANAPHORIC_HEADS = frozenset(
    "other others latter former same first second third last next rest one two".split()
)
EXTENDED_WORDS = 8  # how many words of a description to try against the cast
# Words that govern the noun after them, so it is no subject: "to Boone", "saw Tara".
GOVERNORS = frozenset(
    "to at in on of for from with by about into onto upon towards toward than like "
    "behind beside before after under over near saw see heard hear watched".split()
)


class SubjectKind(StrEnum):
    """What the subject of a tag or beat is."""

    NAME = "name"  # "Willow", "Mrs. Lynde"
    PRONOUN = "pronoun"  # "she", "he"
    FIRST_PERSON = "first_person"  # "I"
    DESCRIPTION = "description"  # "the old man", "the captain"
    UNNAMED = "unnamed"  # "someone", "another captain": deliberately nobody we know


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark with its offset into the searched string."""

    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower().rstrip(".")

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


@dataclass(frozen=True)
class Subject:
    """The subject of a speech tag or an action beat."""

    kind: SubjectKind
    text: str  # the words, as written ("Mrs. Lynde", "she", "the old man")
    start: int  # offset into the searched string
    gender_hint: str | None = None  # "male"/"female" from a pronoun or a noun like "woman"
    # A description with the words after it ("the man with the black beard"): a cast
    # may list a character by exactly that phrase.
    extended: str = ""


def tokens(text: str) -> list[Token]:
    """Words and punctuation of ``text`` with offsets."""
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def phrase(words: list[Token], offset: int, *, loose: bool = False) -> Subject | None:
    """Read a subject phrase at the start of ``words``.

    ``loose`` is for the subject slot of a speech verb ("said the croupier"), where a
    noun phrase names a person even when its noun is not in our list of person words.
    """
    if not words:
        return None
    first = words[0]
    low = first.low
    if low == "i":
        return Subject(SubjectKind.FIRST_PERSON, first.text, first.start)
    if low in SUBJECT_PRONOUNS:
        return Subject(SubjectKind.PRONOUN, first.text, first.start, SUBJECT_PRONOUNS[low].value)
    if low in INDEFINITE and (low not in {"a", "an", "one"} or len(words) > 1):
        return _indefinite(words)
    if low in {"the", "his", "her", "their", "my", "our", "your"}:
        return _description(words) or (_loose_description(words) if loose else None)
    if low in _PARTICLES and len(words) > 1 and words[1].capitalised:
        return name_phrase(words[1:], particles=[first])  # "said de Worms"
    name = name_phrase(words)
    if name is not None:
        return name
    return None


def _indefinite(words: list[Token]) -> Subject | None:
    if words[0].low in {
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "everyone",
        "everybody",
        "nobody",
    }:
        return Subject(SubjectKind.UNNAMED, words[0].text, words[0].start)
    for tok in words[1:3]:
        if tok.low in PERSON_NOUNS or tok.low.rstrip("s") in PERSON_NOUNS or tok.low in HONORIFICS:
            text = " ".join(w.text for w in words[: words.index(tok) + 1])
            return Subject(SubjectKind.UNNAMED, text, words[0].start, extended=_extended(words))
    return None


def _extended(words: list[Token]) -> str:
    return " ".join(w.text for w in words[:EXTENDED_WORDS])


def _description(words: list[Token]) -> Subject | None:
    for j, tok in enumerate(words[1:4], start=1):
        text = " ".join(w.text for w in words[: j + 1])
        if tok.capitalised and tok.low not in NOT_NAMES:
            # "the General", "the Invisible Man": a title used as a name.
            end = j + 1
            while end < len(words) and words[end].capitalised and words[end].low not in NOT_NAMES:
                end += 1
            text = " ".join(w.text for w in words[:end])
            return Subject(SubjectKind.NAME, strip_possessive(text), words[0].start)
        if tok.low == "voice" and words[0].low not in {"the", "a", "an"}:
            return None  # "the Colonel, with a catch in his voice, cried": not a person
        if tok.low == "voice" and j + 2 < len(words) and words[j + 1].low == "of":
            owner = name_phrase(words[j + 2 :])  # "the clear voice of Inspector Ratcliffe"
            if owner is not None:
                return owner
        noun = strip_possessive(tok.low)  # "was the old man's reply"
        gender = PERSON_NOUNS.get(noun) or HONORIFICS.get(noun)
        if gender is not None:
            hint = gender.value if gender.value != "unknown" else None
            text = strip_possessive(text)
            return Subject(
                SubjectKind.DESCRIPTION, text, words[0].start, hint, extended=_extended(words)
            )
    return None


def _loose_description(words: list[Token]) -> Subject | None:
    """ "the croupier", "the anaemic cabman": a noun phrase in a speech verb's subject slot.

    Only the speech verb makes it a person, so beats never use this ("the ball rolled").
    The phrase runs over up to three content words; the cast decides which of them
    names someone (see :func:`audiobook.script.mentions.name_candidates`).
    """
    phrase: list[Token] = []
    for prev, tok in pairwise(words[:4]):
        low = tok.low
        if not phrase and low in _ANAPHORIC_HEADS:
            phrase.append(tok)  # "the first cabman": an ordinal before the noun
            continue
        if low in FUNCTION_WORDS or low in GOVERNORS or low in _DEGREE:
            break
        if low.endswith(("ing", "ly")):
            break
        if phrase and tok.start - prev.end > 1:
            break  # a comma (or other mark) ends the phrase: "the innkeeper, pleased"
        phrase.append(tok)
    if not phrase or phrase[-1].low in _ANAPHORIC_HEADS or phrase[-1].low in SPEECH_VERBS:
        return None  # "said the other"; but "the first cabman" is a cabman
    if phrase[-1].low in _NOT_SPEAKERS:
        return None  # "his voice cried out", "her eyes said"
    text = " ".join(w.text for w in words[: len(phrase) + 1])
    return Subject(SubjectKind.DESCRIPTION, text, words[0].start, extended=_extended(words))


def name_phrase(words: list[Token], particles: list[Token] | None = None) -> Subject | None:
    """A run of capitalised words (with name particles inside), after ``particles``."""
    parts: list[Token] = []
    for i, tok in enumerate(words):
        # Common words ("May", "Will") may still be a listed character's name: the
        # cast decides. Function words never are.
        capital = tok.capitalised and (tok.low not in FUNCTION_WORDS or tok.low in HONORIFICS)
        named_after = any(w.capitalised for w in words[i + 1 : i + 3])
        inside = parts and tok.low in _PARTICLES and named_after
        if not (capital or inside):
            break
        parts.append(tok)
    while parts and parts[-1].low in _PARTICLES:
        parts.pop()
    if not parts:
        return None
    if len(parts) == 1 and parts[0].low in HONORIFICS and parts[0].low not in _BARE_TITLES:
        return None
    parts = [*(particles or []), *parts]
    text = strip_possessive(" ".join(p.text for p in parts))
    return Subject(SubjectKind.NAME, text, parts[0].start)


def strip_possessive(text: str) -> str:
    """ "Mrs. Lynde's reply" names Mrs. Lynde."""
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text
