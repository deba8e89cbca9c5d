"""Speech tags and action beats: who the narration around a quote says is speaking.

Given the narration right after a quote (``" ..." Willow asked``, ``said Boone``) or
right before one (``Boone replied, "..."``), find the speech verb and its subject, and
say what kind of subject it is: a name, a pronoun, a description ("the old man"), or
somebody deliberately unnamed ("another captain", "someone").
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
    PARTICLE_VERBS,
    PERSON_NOUNS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    THOUGHT_VERBS,
    TITLES_ALONE,
)

_ABBREVIATION = r"(?:Mrs|Mr|Ms|Dr|St|Capt|Col|Gen|Lt|Sgt|Prof|Rev|Mme|Mlle|Messrs|[A-Z])\."
_TOKEN = re.compile(rf"{_ABBREVIATION}|[A-Za-z]+(?:['’][A-Za-z]+)*|[,;:.!?…—–-]+|\S")
# Titles that name someone on their own: "said Sir", "the Miss".
_BARE_TITLES = frozenset(
    {"sir", "madam", "miss", "captain", "commander", "doctor", "general"} | TITLES_ALONE
)
_OPENERS = frozenset(
    {"then", "now", "still", "so", "and", "but", "yet", "there", "here", "meanwhile", "suddenly"}
)
_SUBORDINATORS = frozenset(
    "when while as if since though although until once after before because whenever".split()
)
# Lower-case words inside a name: "Mr. van der Luyden", "Madame de Treymes".
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "la", "le", "du", "di", "da", "del"})
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")
_CLAUSE_BREAK = frozenset({".", "!", "?", "…", ";"})
MAX_TAG_WORDS = 7  # how far into the narration a tag's verb may sit
# Things a speech verb may have as subject that are not people.
_NOT_SPEAKERS = frozenset(
    "voice voices eyes face lips mouth hand hands tone heart mind answer reply words look".split()
)
# Helping verbs between a subject and its speech verb.
_AUXILIARIES = frozenset({"was", "were", "is", "are", "had", "has", "been", "kept"})
# Adverbs of degree that end a noun phrase: "said the valet somewhat stiffly".
_DEGREE = frozenset({"somewhat", "rather", "quite", "very", "too", "almost", "half"})
# Words between an inverted speech verb and its subject: "called out Syme".
_VERB_PARTICLES = frozenset({"out", "up", "back", "again", "forth", "aloud"})
# Words after "the" that point back at someone rather than describe them: "said the
# other" is whoever spoke before, not a new person called "other".
_ANAPHORIC_HEADS = frozenset(
    "other others latter former same first second third last next rest one two".split()
)
_EXTENDED_WORDS = 8  # how many words of a description to try against the cast


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


@dataclass(frozen=True)
class Tag:
    """A speech verb with its subject, found next to a quote."""

    subject: Subject
    verb: str
    thought: bool = False  # "she thought": the quote is inner speech
    # Name right after the verb's object position: "Willow asked Boone" -> "Boone".
    addressee: str | None = None


def tokens(text: str) -> list[Token]:
    """Words and punctuation of ``text`` with offsets."""
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def tag_after(text: str) -> Tag | None:
    """A tag at the start of narration that follows a quote: ``Willow asked``, ``said Boone``."""
    toks = tokens(text)
    words = _first_clause(toks)
    inverted = _inverted_tag(words)
    if inverted is not None:
        return inverted
    for i, tok in enumerate(words[:MAX_TAG_WORDS]):
        if not _is_tag_verb(tok, words, i):
            continue
        before, after = words[:i], words[i + 1 :]
        if tok.low in PARTICLE_VERBS and after:
            after = after[1:]  # "broke in Lord Henry": the particle is not the subject
        subject = _subject_before(before, loose=True) if before else None
        if subject is None and before and before[-1].low == "to":
            # "Polina forced herself to say": the clause's own subject speaks.
            subject = _subject_before(before, near=False, leading=True)
        if subject is not None:
            return Tag(subject, tok.low, tok.low in THOUGHT_VERBS, _object_name(after))
        if not before or _only_adverbs(before):
            subject = _subject_after(after)
            if subject is not None:  # inverted: "said Boone"; no object to read
                return Tag(subject, tok.low, tok.low in THOUGHT_VERBS)
        return None
    return None


def _inverted_tag(words: list[Token]) -> Tag | None:
    """ "nodded the doctor", "puffed Mrs. Jones": a past-tense verb right after a quote,
    then its subject, tags the quote whatever the verb; English inverts only there.
    """
    if len(words) < 2 or not words[0].low.endswith("ed") or words[0].capitalised:
        return None
    if _is_tag_verb(words[0], words, 0):
        return None  # the usual reading handles speech verbs, with their particles
    subject = _phrase(words[1 : 1 + _EXTENDED_WORDS], 1, loose=True)
    if subject is None or subject.kind not in (SubjectKind.NAME, SubjectKind.DESCRIPTION):
        return None
    return Tag(subject, words[0].low)


def tag_before(text: str) -> Tag | None:
    """A tag ending narration that leads into a quote: ``Boone replied, "..."``."""
    toks = tokens(text)
    clause = _last_clause(toks)
    for i in range(len(clause) - 1, -1, -1):
        tok = clause[i]
        if not _is_tag_verb(tok, clause, i):
            continue
        after = clause[i + 1 :]
        subject = _subject_before(clause[:i], near=True, loose=True)
        if subject is not None:
            return Tag(subject, tok.low, tok.low in THOUGHT_VERBS, _object_name(after))
        subject = _subject_after(after) if _only_adverbs(clause[:i]) else None
        if subject is None:
            # "He turned to her and said:" - the clause's own subject speaks.
            subject = _subject_before(clause[:i], near=False, leading=True)
        if subject is None:
            # "Mr. Letterblair, leaning back in his chair, said:" - the nearest name
            # before the verb that no preposition governs.
            subject = _nearest_free_subject(clause[:i])
        if subject is not None:
            return Tag(subject, tok.low, tok.low in THOUGHT_VERBS)
    return None


_GOVERNORS = frozenset(
    "to at in on of for from with by about into onto upon towards toward than like "
    "behind beside before after under over near saw see heard hear watched".split()
)


def _name_word(tok: Token) -> bool:
    low = tok.low
    return tok.capitalised and low not in _SUBORDINATORS and low not in _OPENERS


def _nearest_free_subject(words: list[Token]) -> Subject | None:
    """The last name or subject pronoun in ``words`` not right after a preposition."""
    for j in range(len(words) - 1, -1, -1):
        tok = words[j]
        governed = j > 0 and words[j - 1].low in _GOVERNORS
        if governed:
            continue
        if tok.low in SUBJECT_PRONOUNS or tok.low == "i":
            return _phrase([tok], 0)
        if tok.capitalised and j > 0:
            start = j
            while start > 0 and _name_word(words[start - 1]):
                start -= 1
            return _name(words[start : j + 1])
    return None


def beat_subject(text: str) -> Subject | None:
    """The subject opening a narration sentence (an action beat): ``Tara shook her head``.

    Leading adverbs are skipped: "Impulsively Willow leant over" -> Willow.
    """
    words = [t for t in tokens(text)[:8] if t.is_word]
    while words and (words[0].low.endswith("ly") or words[0].low in _OPENERS):
        words = words[1:]
    return _subject_before(words[:4], near=False, leading=True)


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences; joined back they give ``text`` exactly."""
    pieces, start = [], 0
    for match in _SENTENCE_SPLIT.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def last_sentence(text: str) -> str:
    """The last sentence of ``text`` (used for narration leading into a speech)."""
    parts = _SENTENCE_SPLIT.split(text.rstrip())
    return parts[-1] if parts else text


def _first_clause(toks: list[Token]) -> list[Token]:
    out = []
    for tok in toks:
        if tok.text in _CLAUSE_BREAK:
            break
        if tok.is_word:
            out.append(tok)
    return out


def _last_clause(toks: list[Token]) -> list[Token]:
    out: list[Token] = []
    for tok in reversed(toks):
        if tok.text in _CLAUSE_BREAK and out:
            break
        if tok.is_word:
            out.append(tok)
    return out[::-1]


def _is_tag_verb(tok: Token, words: list[Token], i: int) -> bool:
    low = tok.low
    if low in THOUGHT_VERBS:
        return True
    nxt = words[i + 1].low if i + 1 < len(words) else ""
    if low in {"gave", "give", "gives"}:
        return nxt == "voice"  # "someone gave voice to the question"
    if low in {"burst", "bursts"}:
        return nxt in {"out", "forth"}  # "Joe burst out", not "Joe burst in"
    if low in {"ran", "runs"}:
        return nxt == "on"  # "she ran on breathlessly"
    if low not in SPEECH_VERBS:
        return False
    if low in PARTICLE_VERBS:
        return nxt in {"on", "in", "out", "up"}
    return True


def _only_adverbs(words: list[Token]) -> bool:
    return all(w.low.endswith("ly") or w.low in {"then", "now", "again", "also"} for w in words)


def _subject_before(
    words: list[Token], *, near: bool = True, leading: bool = False, loose: bool = False
) -> Subject | None:
    """Subject in ``words`` preceding a verb: the last name/pronoun/description.

    ``loose``: any "the <noun>" counts as a person (see :func:`_description`).
    """
    if not words:
        return None
    if leading:
        while words and (words[0].low in _OPENERS or words[0].low.endswith("ly")):
            words = words[1:]
        if words and words[0].low in _SUBORDINATORS:
            return None  # "When Anne came in, Marilla said": not the main clause's subject
        return _phrase(words, 0)
    # Allow adverbs between subject and verb: "she asked hesitantly" / "he quickly said".
    end = len(words)
    while end > 0 and (
        (words[end - 1].low.endswith("ly") and words[end - 1].low != "ally")
        or words[end - 1].low in _AUXILIARIES
    ):
        end -= 1  # "Adye was saying", "she had quietly said"
    for start in range(max(0, end - 4), end):
        subject = _phrase(words[start:end], start, loose=loose)
        if subject is not None and (not near or start + _span_len(subject) == end):
            return subject
    return None


def _span_len(subject: Subject) -> int:
    return len(subject.text.split())


def _subject_after(words: list[Token]) -> Subject | None:
    """Subject following an inverted tag: ``said Boone``, ``asked the old man``."""
    start = 0
    while start < len(words) and (
        words[start].low.endswith("ly") or words[start].low in _VERB_PARTICLES
    ):
        start += 1  # "called out Syme", "said again the old man"
    return _phrase(words[start : start + _EXTENDED_WORDS], start, loose=True)


def _phrase(words: list[Token], offset: int, *, loose: bool = False) -> Subject | None:
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
        return _name(words[1:], particles=[first])  # "said de Worms"
    name = _name(words)
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
    return " ".join(w.text for w in words[:_EXTENDED_WORDS])


def _description(words: list[Token]) -> Subject | None:
    for j, tok in enumerate(words[1:4], start=1):
        text = " ".join(w.text for w in words[: j + 1])
        if tok.capitalised and tok.low not in NOT_NAMES:
            # "the General", "the Invisible Man": a title used as a name.
            end = j + 1
            while end < len(words) and words[end].capitalised and words[end].low not in NOT_NAMES:
                end += 1
            text = " ".join(w.text for w in words[:end])
            return Subject(SubjectKind.NAME, _strip_possessive(text), words[0].start)
        if tok.low == "voice" and words[0].low not in {"the", "a", "an"}:
            return None  # "the Colonel, with a catch in his voice, cried": not a person
        if tok.low == "voice" and j + 2 < len(words) and words[j + 1].low == "of":
            owner = _name(words[j + 2 :])  # "the clear voice of Inspector Ratcliffe"
            if owner is not None:
                return owner
        gender = PERSON_NOUNS.get(tok.low) or HONORIFICS.get(tok.low)
        if gender is not None:
            hint = gender.value if gender.value != "unknown" else None
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
        if low in FUNCTION_WORDS or low in _GOVERNORS or low in _DEGREE:
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


def _name(words: list[Token], particles: list[Token] | None = None) -> Subject | None:
    """A run of capitalised words (with name particles inside), after ``particles``."""
    parts: list[Token] = []
    for i, tok in enumerate(words):
        # Common words ("May", "Will") may still be a listed character's name: the
        # cast decides. Function words never are.
        capital = tok.capitalised and (tok.low not in FUNCTION_WORDS or tok.low in HONORIFICS)
        inside = (
            parts and tok.low in _PARTICLES and any(w.capitalised for w in words[i + 1 : i + 3])
        )
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
    text = _strip_possessive(" ".join(p.text for p in parts))
    return Subject(SubjectKind.NAME, text, parts[0].start)


def _strip_possessive(text: str) -> str:
    """ "Mrs. Lynde's reply" names Mrs. Lynde."""
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _object_name(words: list[Token]) -> str | None:
    """A capitalised name straight after the verb (and its adverbs): "asked Boone quietly"."""
    for tok in words[:2]:
        if tok.low in {"to"}:
            continue
        if tok.capitalised and tok.low not in NOT_NAMES:
            return tok.text
        if not tok.low.endswith("ly"):
            return None
    return None
