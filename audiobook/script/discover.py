"""Find the characters of a story from its text alone, with no trained model.

1. Name candidates: runs of capitalised words (with an optional honorific) that are not
   only sentence-initial and are not common words the text also writes in lower case.
2. Person evidence: subject of a speech verb, an honorific, a known first name, a
   possessive or a verb right after the name; places ("in London") are rejected.
3. Aliases: a single word joins the one fuller name containing it ("Willow" ->
   "Willow Rosenberg"); the canonical name is the most complete form.
4. Gender: honorifics, pronoun co-reference ("Tara ... she") and a bundled first-name list.
5. A first-person narrator when the narration says "I" often enough.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from audiobook.engines.base import Gender
from audiobook.script.cast import Cast, Character, normalise, strip_honorific
from audiobook.script.lexicon import (
    FEMALE_PRONOUNS,
    HONORIFICS,
    MALE_PRONOUNS,
    NOT_NAMES,
    SPEECH_VERBS,
    first_names,
)
from audiobook.script.model import NARRATOR, Kind, Segment

_NAME_WORD = r"[A-Z][a-z]+(?:['’-][A-Za-z]+)*"
_HON = r"(?:" + "|".join(sorted((h.capitalize() for h in HONORIFICS), key=len, reverse=True)) + r")"
_PARTICLE = r"(?:de|van|von|der|den|du|la|le|di|da|del)"
# "Mrs. Rachel Lynde", "Professor de Worms": up to three capitalised words, with name
# particles between them.
_CANDIDATE = re.compile(
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
_VOCATIVE_AFTER = re.compile(r"^(?:\s+(?:sir|ma'am|madam))?\s*(?:[,!?]|\.(?!\w)|…|$|['\"”’])")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_PLACE_PREPOSITIONS = frozenset(
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
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*\s+|\n\s*\n")

# Not "his"/"her": "Beside her, Captain Reed" is an object pronoun before a name.
_DETERMINERS = frozenset(["the", "their", "our", "my", "your", "its", "these", "those"])
MIN_MENTIONS = 2  # a name seen once is rarely a character worth a voice
FIRST_PERSON_RATE = 0.012  # "I"/"me"/"my" per narration word that makes a narrator


@dataclass
class _Candidate:
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


def discover_cast(text: str, segments: Sequence[Segment]) -> Cast:
    """Build a :class:`Cast` of the people named in ``segments`` of ``text``."""
    lower_counts = Counter(w.lower() for w in _WORD.findall(text) if w.islower())
    candidates = _collect(text, segments, lower_counts)
    people = {form: cand for form, cand in candidates.items() if _is_person(cand, lower_counts)}
    characters = _add_nicknames(_merge(people), candidates)
    characters = _join_paired_vocatives(characters, _vocative_pairs(text, segments))
    characters = _join_roles(characters)
    narrator = _first_person_narrator(text, segments)
    if narrator is not None:
        characters.append(narrator)
    return Cast(tuple(characters), closed=False)


def _collect(
    text: str, segments: Sequence[Segment], lower_counts: Counter[str]
) -> dict[str, _Candidate]:
    found: dict[str, _Candidate] = {}
    for seg in segments:
        if seg.heading:
            continue  # "Mrs. Rachel Lynde Is Surprised" is a title, not a name
        span = text[seg.start : seg.end]
        starts = _sentence_starts(span)
        for match in _CANDIDATE.finditer(span):
            common = lower_counts if match.start() in starts else None
            form, possessive = _trim(match.group(0), common)
            form = form or _role(span, match)
            if not form:
                continue
            cand = found.setdefault(form, _Candidate(form))
            _observe(cand, span, match, starts, seg.kind is Kind.DIALOGUE)
            cand.agent += possessive
        if seg.kind is Kind.NARRATION:
            _vote_pronouns(span, found)
    return found


def _trim(form: str, lower_counts: Counter[str] | None = None) -> tuple[str, bool]:
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
    cand: _Candidate, span: str, match: re.Match[str], starts: set[int], in_dialogue: bool
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
    if prev_word in _PLACE_PREPOSITIONS:
        cand.placey += 1
    if prev_word in _DETERMINERS:
        cand.the += 1
    governed = prev_word in _PLACE_PREPOSITIONS or prev_word.endswith("ed")
    if in_dialogue and not governed and _VOCATIVE_AFTER.match(after_text):
        cand.vocative += 1
    first = normalise(match.group(0).split()[0])
    if first in HONORIFICS:
        if HONORIFICS[first] is Gender.UNKNOWN:
            cand.rank = True
        else:
            cand.honorific = HONORIFICS[first]


def _vote_pronouns(span: str, found: dict[str, _Candidate]) -> None:
    """In each sentence that opens with a known name, the next he/she votes its gender."""
    for sentence in re.split(r"(?<=[.!?])\s+", span):
        match = _CANDIDATE.match(sentence.lstrip(' "“'))
        if not match:
            continue
        cand = found.get(_trim(match.group(0))[0])
        if cand is None:
            continue
        rest = sentence.lstrip(' "“')[match.end() :]
        for word in _WORD.findall(rest):
            low = word.lower()
            if word[0].isupper() and low not in NOT_NAMES:
                break  # another name: the pronoun may be theirs
            if low in MALE_PRONOUNS:
                cand.pronoun_votes[Gender.MALE] += 1
                break
            if low in FEMALE_PRONOUNS:
                cand.pronoun_votes[Gender.FEMALE] += 1
                break


def _is_person(cand: _Candidate, lower_counts: Counter[str]) -> bool:
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


def _gender(cand: _Candidate) -> Gender:
    if cand.honorific is not None:
        return cand.honorific
    votes = cand.pronoun_votes
    male, female = votes[Gender.MALE], votes[Gender.FEMALE]
    if male + female >= 2 and max(male, female) >= 2 * min(male, female) + 1:
        return Gender.MALE if male > female else Gender.FEMALE
    first = strip_honorific(cand.form).split()[0].lower()
    return first_names().get(first, Gender.UNKNOWN)


def _merge(people: dict[str, _Candidate]) -> list[Character]:
    """Group forms into characters; each single word joins the one fuller name holding it."""
    full = sorted(people, key=lambda f: (-len(strip_honorific(f).split()), -people[f].count))
    owner: dict[str, str] = {}
    for form in full:
        words = strip_honorific(form).split()
        holders = [
            f
            for f in full
            if f != form and f in owner.values() and _contains(strip_honorific(f).split(), words)
        ]
        if len(holders) > 1 and len(words) == 1 and words[0].lower() in first_names():
            # "Anne" beside "Anne Shirley" and "Allan Anne": a first name goes first.
            firsts = [f for f in holders if strip_honorific(f).split()[0] == words[0]]
            holders = firsts or holders
        holders = _same_title_if_rivals(form, holders, people)
        if people[form].honorific is not None:
            # "Mrs Harlow" beside "Nell Harlow" and "Tom Harlow": the honorific decides;
            # "Mr. Pontellier" never joins "Edna Pontellier".
            wanted = people[form].honorific
            holders = [f for f in holders if _gender(people[f]) in (wanted, Gender.UNKNOWN)]
        owner[form] = holders[0] if len(holders) == 1 else form
    groups: dict[str, list[str]] = defaultdict(list)
    for form, head in owner.items():
        groups[head].append(form)
    return [_character(_fullest(forms, people), forms, people) for forms in groups.values()]


def _fullest(forms: list[str], people: dict[str, _Candidate]) -> str:
    """The most complete form of a name, without a title: "Anne Shirley" over "Anne"
    and over "Miss Anne Shirley"; then the most used."""

    def key(form: str) -> tuple[int, int, int]:
        bare = strip_honorific(form)
        return (len(bare.split()), -len(form.split()), people[form].count)

    return max(forms, key=key)


_MARRIED = {"mrs": "married", "miss": "single", "ms": "single", "mlle": "single", "mme": "married"}


def _title(form: str) -> str | None:
    first = normalise(form.split()[0])
    return _MARRIED.get(first)


def _same_title_if_rivals(
    form: str, holders: list[str], people: dict[str, _Candidate]
) -> list[str]:
    """Keep "Miss Welland" and "Mrs. Welland" apart: two women, two characters.

    When both titles occur with one surname, a titled form only joins a name that was
    itself seen with the same title.
    """
    title = _title(form)
    if title is None:
        return holders
    surname = strip_honorific(form).split()[-1]
    rivals = {
        _title(g)
        for g in people
        if g != form
        and _title(g) not in (None, title)
        and strip_honorific(g).split()[-1] == surname
    }
    if not rivals:
        return holders
    return [f for f in holders if _title(f) == title]


def _add_nicknames(
    characters: list[Character], candidates: dict[str, _Candidate]
) -> list[Character]:
    """Vocatives that shorten one character's first name ("Will", "Buff") join it."""
    firsts: dict[str, set[str]] = defaultdict(set)
    for c in characters:
        for form in (c.name, *c.aliases):
            firsts[strip_honorific(form).split()[0]].add(c.name)
    nicknames: dict[str, list[str]] = defaultdict(list)
    for form, cand in sorted(candidates.items()):
        if not cand.vocative or " " in form or len(form) < 3 or cand.speech:
            continue
        if cand.vocative * 2 < cand.count:
            continue  # a name in its own right, not only a way of addressing someone
        owners = {
            name
            for first, names in firsts.items()
            if first != form and first.startswith(form) and first[len(form)].isalpha()
            for name in names
        }
        if len(owners) == 1:
            nicknames[owners.pop()].append(form)
    absorbed = {n for forms in nicknames.values() for n in forms}
    return [
        replace(c, aliases=(*c.aliases, *nicknames[c.name]), mentions=c.mentions)
        for c in characters
        if c.name not in absorbed
    ]


_PAIR_GAP = 40  # characters between two vocatives that may address one person
# A speaker catching themselves between two ways of addressing someone.
_CORRECTION = re.compile(r"\.\.\.|…|—|--|\b(?:um|uh|er|erm|I mean)\b")


def _vocative_pairs(text: str, segments: Sequence[Segment]) -> list[tuple[str, str]]:
    """Forms used as vocatives one right after the other inside a quote.

    "Nell... I mean, Doctor Harlow, sir": a speaker correcting how they address someone
    gives two names of one person.
    """
    pairs = []
    for seg in segments:
        if seg.kind is not Kind.DIALOGUE:
            continue
        span = text[seg.start : seg.end]
        found = []
        for match in _CANDIDATE.finditer(span):
            before = span[max(0, match.start() - 30) : match.start()].split()
            prev_word = before[-1].strip(",;:").lower() if before else ""
            governed = prev_word in _PLACE_PREPOSITIONS or prev_word.endswith("ed")
            if not governed and _VOCATIVE_AFTER.match(span[match.end() :]):
                found.append((match.start(), match.end(), _trim(match.group(0))[0]))
        for (_, end, first), (start, _, second) in pairwise(found):
            titled = bool(second) and normalise(second.split()[0]) in HONORIFICS
            near = start - end <= _PAIR_GAP and bool(_CORRECTION.search(span[end:start]))
            if first and titled and near:
                pairs.append((first, second))
    return pairs


def _join_paired_vocatives(
    characters: list[Character], pairs: list[tuple[str, str]]
) -> list[Character]:
    """A first-name-only character and a titled surname-only one, addressed together,
    are one person: "Nell" + "Doctor Harlow" -> "Nell Harlow".

    Only when neither was ever seen with a second name, and their genders agree.
    """
    owner = {form: c for c in characters for form in (c.name, *c.aliases)}
    joined: dict[str, Character] = {}
    for a, b in pairs:
        first, second = owner.get(a), owner.get(b)
        if first is None or second is None or first.name == second.name:
            continue
        if first.name in joined or second.name in joined:
            continue
        if not (_one_word(first) and _one_word(second) and _titled_form(second)):
            continue
        given, surname = strip_honorific(first.name), strip_honorific(second.name)
        if given.lower() not in first_names() or surname.lower() in first_names():
            continue  # "Harry, Lord Henry" is two ways of giving a first name
        if Gender.UNKNOWN not in (first.gender, second.gender) and first.gender != second.gender:
            continue
        full = f"{given} {surname}"
        merged = Character(
            full,
            (first.name, *first.aliases, second.name, *second.aliases),
            first.gender if first.gender is not Gender.UNKNOWN else second.gender,
            mentions=first.mentions + second.mentions,
        )
        joined[first.name] = joined[second.name] = merged
    out: list[Character] = []
    for c in characters:
        whole = joined.get(c.name, c)
        if whole not in out:
            out.append(whole)
    return out


def _join_roles(characters: list[Character]) -> list[Character]:
    """ "The Colonel" joins "Colonel Ducroix" when he is the only colonel named."""
    out = list(characters)
    for role in characters:
        words = role.name.split()
        if len(words) != 2 or words[0] != "The":
            continue
        rank = normalise(words[1])
        holders = [
            c
            for c in out
            if c is not role
            and any(normalise(f.split()[0]) == rank for f in (c.name, *c.aliases) if " " in f)
        ]
        if len(holders) != 1:
            continue
        holder = holders[0]
        gender = holder.gender if holder.gender is not Gender.UNKNOWN else role.gender
        merged = replace(
            holder,
            aliases=(*holder.aliases, role.name),
            gender=gender,
            mentions=holder.mentions + role.mentions,
        )
        out = [merged if c is holder else c for c in out if c is not role]
    return out


def _one_word(character: Character) -> bool:
    """Every form of the name is one word once its title is dropped."""
    return all(len(strip_honorific(f).split()) == 1 for f in (character.name, *character.aliases))


def _titled_form(character: Character) -> bool:
    return any(len(f.split()) > 1 for f in (character.name, *character.aliases))


def _contains(whole: list[str], part: list[str]) -> bool:
    if len(part) > len(whole):
        return False
    n = len(part)
    return any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def _character(head: str, forms: Iterable[str], people: dict[str, _Candidate]) -> Character:
    members = [people[f] for f in forms]
    votes: Counter[Gender] = Counter()
    for cand in members:
        gender = _gender(cand)
        if gender is not Gender.UNKNOWN:
            votes[gender] += cand.count
    gender = votes.most_common(1)[0][0] if votes else Gender.UNKNOWN
    aliases = tuple(
        sorted((c.form for c in members if c.form != head), key=lambda f: -people[f].count)
    )
    return Character(head, aliases, gender, mentions=sum(c.count for c in members))


def _first_person_narrator(text: str, segments: Sequence[Segment]) -> Character | None:
    words = first = 0
    for seg in segments:
        if seg.kind is Kind.NARRATION:
            tokens = _WORD.findall(text[seg.start : seg.end])
            words += len(tokens)
            first += sum(1 for t in tokens if t in {"I", "me", "my", "myself"})
    if words and first / words >= FIRST_PERSON_RATE:
        return Character(NARRATOR, (), Gender.UNKNOWN, narrator=True)
    return None
