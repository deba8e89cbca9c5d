"""The story's characters and how the text names them.

A :class:`Cast` is either closed (the user's ``characters:`` list in ``voices.yaml``) or
discovered from the text (see :mod:`audiobook.script.discover`). Either way it answers
one question for attribution: which character does this name refer to?
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from audiobook.engines.base import Gender
from audiobook.script.lexicon import FUNCTION_WORDS, HONORIFICS, NOT_NAMES, TITLES_ALONE

_WORD = re.compile(r"[A-Za-z][\w'’.-]*")


@dataclass(frozen=True)
class Character:
    """One speaking (or spoken-of) person of the story."""

    name: str  # canonical: the most complete form of the name
    aliases: tuple[str, ...] = ()  # other forms the text uses
    gender: Gender = Gender.UNKNOWN
    narrator: bool = False  # tells the story in the first person
    mentions: int = 0  # how often the text names the character (discovery only)


@dataclass(frozen=True)
class Mention:
    """A name in the text that refers to a character."""

    start: int  # offset into Book.text
    end: int
    character: str  # canonical name


def normalise(name: str) -> str:
    """Case-fold, drop periods and collapse spaces: "Mr. Poirot" -> "mr poirot"."""
    return " ".join(name.replace(".", " ").replace("’", "'").casefold().split())


def strip_honorific(name: str) -> str:
    """ "Mrs. Rachel Lynde" -> "Rachel Lynde"; names without one come back unchanged."""
    words = name.split()
    while len(words) > 1 and normalise(words[0]) in HONORIFICS:
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Cast:
    """The characters, with a lookup from every form of their names."""

    characters: tuple[Character, ...]
    closed: bool = False  # True: the user's list; attribution never invents others
    _forms: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    # Case-insensitive matcher of descriptive aliases ("the stranger"), if there are any.
    description_pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_forms", _build_forms(self.characters, self.closed))
        forms = self.descriptions()
        if forms:
            alternatives = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
            pattern = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
            object.__setattr__(self, "description_pattern", pattern)

    def __iter__(self) -> Iterator[Character]:
        return iter(self.characters)

    def __len__(self) -> int:
        return len(self.characters)

    def get(self, name: str) -> Character | None:
        """The character whose canonical name is ``name``."""
        for character in self.characters:
            if character.name == name:
                return character
        return None

    @property
    def narrator(self) -> Character | None:
        """The first-person narrator, when the story has one."""
        return next((c for c in self.characters if c.narrator), None)

    def candidates(self, form: str) -> tuple[str, ...]:
        """Canonical names ``form`` may refer to (several when it is ambiguous)."""
        return self._forms.get(normalise(form), ())

    def resolve(self, form: str) -> str | None:
        """The one character ``form`` names, or None when unknown or ambiguous."""
        found = self.candidates(form)
        return found[0] if len(found) == 1 else None

    def forms(self) -> list[str]:
        """Every normalised form, longest first (for building a mention matcher)."""
        return sorted(self._forms, key=lambda f: (-len(f), f))

    def descriptions(self) -> list[str]:
        """Forms that describe rather than name ("the stranger"): matched in any case."""
        return [f for f in self.forms() if f.startswith("the ") and len(f) > 4]


def _variants(character: Character) -> Iterable[tuple[str, bool]]:
    """Forms that name ``character``: (form, exact). Derived forms are not exact.

    A hyphenated form also comes without its hyphens: "the station-master" is
    "the stationmaster" in another chapter.
    """
    for form, exact in _plain_variants(character):
        yield form, exact
        if "-" in form:
            yield form.replace("-", ""), False


def _plain_variants(character: Character) -> Iterable[tuple[str, bool]]:
    for form in (character.name, *character.aliases):
        yield form, True
        if normalise(form).startswith("the "):
            yield form[4:], False  # "The Stranger" -> "stranger" (as in "said the stranger")
        bare = strip_honorific(form)
        if bare != form:
            yield bare, False
            title = normalise(form.split()[0])
            if HONORIFICS.get(title) is Gender.UNKNOWN or title in TITLES_ALONE:
                yield title, False  # "the captain" for Captain Reed
        words = bare.split()
        if len(words) >= 2:
            yield words[0], False  # first name
            yield words[-1], False  # surname
            for title, gender in HONORIFICS.items():
                if (
                    gender in (character.gender, Gender.UNKNOWN)
                    or character.gender is Gender.UNKNOWN
                ):
                    yield f"{title} {words[-1]}", False


def _build_forms(characters: Iterable[Character], closed: bool) -> dict[str, tuple[str, ...]]:
    # A user's own list may call someone "May" or "Will"; found names may not.
    blocked = FUNCTION_WORDS if closed else NOT_NAMES
    exact: dict[str, list[str]] = {}
    derived: dict[str, list[str]] = {}
    for character in characters:
        for form, is_exact in _variants(character):
            key = normalise(form)
            gendered = HONORIFICS.get(key, Gender.UNKNOWN) is not Gender.UNKNOWN
            gendered_title = gendered and key not in TITLES_ALONE
            if not key or key in blocked or gendered_title:
                continue  # "Mr" alone names nobody; a rank alone ("captain") may
            table = exact if is_exact else derived
            names = table.setdefault(key, [])
            if character.name not in names:
                names.append(character.name)
    # A form the user (or the text) gave exactly wins over a derived one:
    # "Will" listed as Willow's alias is Willow even if a "Will Smith" exists.
    merged = {key: tuple(names) for key, names in derived.items()}
    merged.update({key: tuple(names) for key, names in exact.items()})
    return merged
