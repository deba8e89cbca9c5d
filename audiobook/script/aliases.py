"""One person, many names: discovered name forms grouped into characters.

A single word joins the one fuller name holding it ("Willow" -> "Willow Rosenberg");
titles keep rivals apart ("Miss Welland" and "Mrs. Welland"); vocatives that shorten a
first name are nicknames ("Buff"); a first name and a titled surname said together
with a correction are one person ("Nell... I mean, Doctor Harlow"); a rank used as a
name joins the one character holding it ("The Colonel"). The canonical name is the
most complete form.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

from audiobook.engines.base import Gender
from audiobook.script.cast import Character, normalise, strip_honorific
from audiobook.script.lexicon import HONORIFICS, first_names
from audiobook.script.model import Kind, Segment
from audiobook.script.names import (
    CANDIDATE,
    PLACE_PREPOSITIONS,
    VOCATIVE_AFTER,
    Candidate,
    candidate_gender,
    trim_name,
)


def merge_forms(people: dict[str, Candidate]) -> list[Character]:
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
            holders = [
                f for f in holders if candidate_gender(people[f]) in (wanted, Gender.UNKNOWN)
            ]
        owner[form] = holders[0] if len(holders) == 1 else form
    groups: dict[str, list[str]] = defaultdict(list)
    for form, head in owner.items():
        groups[head].append(form)
    return [_character(_fullest(forms, people), forms, people) for forms in groups.values()]


def _fullest(forms: list[str], people: dict[str, Candidate]) -> str:
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


def _same_title_if_rivals(form: str, holders: list[str], people: dict[str, Candidate]) -> list[str]:
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


def add_nicknames(characters: list[Character], candidates: dict[str, Candidate]) -> list[Character]:
    """Vocatives that shorten one character's first name ("Buff", "Pete") join it.

    A word English uses otherwise ("Will", "May") is no candidate, so never a nickname:
    as an alias it would name someone in every "Will you...?".
    """
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


def vocative_pairs(text: str, segments: Sequence[Segment]) -> list[tuple[str, str]]:
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
        for match in CANDIDATE.finditer(span):
            before = span[max(0, match.start() - 30) : match.start()].split()
            prev_word = before[-1].strip(",;:").lower() if before else ""
            governed = prev_word in PLACE_PREPOSITIONS or prev_word.endswith("ed")
            if not governed and VOCATIVE_AFTER.match(span[match.end() :]):
                found.append((match.start(), match.end(), trim_name(match.group(0))[0]))
        for (_, end, first), (start, _, second) in pairwise(found):
            titled = bool(second) and normalise(second.split()[0]) in HONORIFICS
            near = start - end <= _PAIR_GAP and bool(_CORRECTION.search(span[end:start]))
            if first and titled and near:
                pairs.append((first, second))
    return pairs


def join_paired_vocatives(
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


def join_roles(characters: list[Character]) -> list[Character]:
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


def _character(head: str, forms: Iterable[str], people: dict[str, Candidate]) -> Character:
    members = [people[f] for f in forms]
    votes: Counter[Gender] = Counter()
    for cand in members:
        gender = candidate_gender(cand)
        if gender is not Gender.UNKNOWN:
            votes[gender] += cand.count
    gender = votes.most_common(1)[0][0] if votes else Gender.UNKNOWN
    aliases = tuple(
        sorted((c.form for c in members if c.form != head), key=lambda f: -people[f].count)
    )
    return Character(head, aliases, gender, mentions=sum(c.count for c in members))
