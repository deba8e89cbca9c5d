"""Speech tags and action beats: who the narration around a quote says is speaking.

Given the narration right after a quote (``" ..." Willow asked``, ``said Boone``) or
right before one (``Boone replied, "..."``), find the speech verb and its subject, and
say what kind of subject it is: a name, a pronoun, a description ("the old man"), or
somebody deliberately unnamed ("another captain", "someone").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiobook.script.lexicon import (
    NOT_NAMES,
    PARTICLE_VERBS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    THOUGHT_VERBS,
)
from audiobook.script.phrases import (
    EXTENDED_WORDS,
    GOVERNORS,
    Subject,
    SubjectKind,
    Token,
    name_phrase,
    phrase,
    tokens,
)

_OPENERS = frozenset(
    {"then", "now", "still", "so", "and", "but", "yet", "there", "here", "meanwhile", "suddenly"}
)
_SUBORDINATORS = frozenset(
    "when while as if since though although until once after before because whenever".split()
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")
_CLAUSE_BREAK = frozenset({".", "!", "?", "…", ";"})
MAX_TAG_WORDS = 7  # how far into the narration a tag's verb may sit
# Helping verbs between a subject and its speech verb.
_AUXILIARIES = frozenset({"was", "were", "is", "are", "had", "has", "been", "kept"})
# Words between an inverted speech verb and its subject: "called out Syme".
_VERB_PARTICLES = frozenset({"out", "up", "back", "again", "forth", "aloud"})
# What someone's words are called after a quote: '"...," was Marilla's dry response.'
_SPEECH_NOUNS = frozenset(
    "reply answer remark response retort rejoinder comment question exclamation "
    "observation verdict greeting protest cry summing".split()
)


@dataclass(frozen=True)
class Tag:
    """A speech verb with its subject, found next to a quote."""

    subject: Subject
    verb: str
    thought: bool = False  # "she thought": the quote is inner speech
    # Name right after the verb's object position: "Willow asked Boone" -> "Boone".
    addressee: str | None = None


def tag_after(text: str) -> Tag | None:
    """A tag at the start of narration that follows a quote: ``Willow asked``, ``said Boone``."""
    toks = tokens(text)
    words = _first_clause(toks)
    shaped = _inverted_tag(words) or _possessive_tag(words)  # tags by their shape alone
    if shaped is not None:
        return shaped
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
    subject = phrase(words[1 : 1 + EXTENDED_WORDS], 1, loose=True)
    if subject is None or subject.kind not in (SubjectKind.NAME, SubjectKind.DESCRIPTION):
        return None
    return Tag(subject, words[0].low)


def _possessive_tag(words: list[Token]) -> Tag | None:
    """ "was Marilla's dry response", "came his answer": whose words they were speaks.

    Texts that lost their apostrophes write "was Hattie s farewell remark".
    """
    if len(words) < 3 or words[0].low not in {"was", "came"}:
        return None
    rest = words[1:6]
    for k, tok in enumerate(rest[1:], start=1):
        if tok.low in _SPEECH_NOUNS:
            owner = _owner(rest[:k])
            return Tag(owner, tok.low) if owner is not None else None
    return None


def _owner(words: list[Token]) -> Subject | None:
    """The possessor opening ``words``: "his", "my", "Marilla's", "the croupier s"."""
    first = words[0]
    if first.low in {"his", "her"}:
        gender = "male" if first.low == "his" else "female"
        return Subject(SubjectKind.PRONOUN, first.text, first.start, gender)
    if first.low == "my":
        return Subject(SubjectKind.FIRST_PERSON, first.text, first.start)
    for j, tok in enumerate(words):
        if tok.low.endswith(("'s", "’s")):
            return phrase(words[: j + 1], 0, loose=True)
        if tok.low == "s" and j > 0:
            return phrase(words[:j], 0, loose=True)
    return None


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


def _name_word(tok: Token) -> bool:
    low = tok.low
    return tok.capitalised and low not in _SUBORDINATORS and low not in _OPENERS


def _nearest_free_subject(words: list[Token]) -> Subject | None:
    """The last name or subject pronoun in ``words`` not right after a preposition."""
    for j in range(len(words) - 1, -1, -1):
        tok = words[j]
        governed = j > 0 and words[j - 1].low in GOVERNORS
        if governed:
            continue
        if tok.low in SUBJECT_PRONOUNS or tok.low == "i":
            return phrase([tok], 0)
        if tok.capitalised and j > 0:
            start = j
            while start > 0 and _name_word(words[start - 1]):
                start -= 1
            return name_phrase(words[start : j + 1])
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
        return phrase(words, 0)
    # Allow adverbs between subject and verb: "she asked hesitantly" / "he quickly said".
    end = len(words)
    while end > 0 and (
        (words[end - 1].low.endswith("ly") and words[end - 1].low != "ally")
        or words[end - 1].low in _AUXILIARIES
    ):
        end -= 1  # "Adye was saying", "she had quietly said"
    for start in range(max(0, end - 4), end):
        subject = phrase(words[start:end], start, loose=loose)
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
    return phrase(words[start : start + EXTENDED_WORDS], start, loose=True)


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
