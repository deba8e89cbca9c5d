"""Fix who is who, once for the book: merge two characters into one, rename a character.

The text may call one person by two names the analysis could not join ("Rosenberg"
and "Willow"), or name someone in a way the user does not want to see everywhere.
Both are fixed in ``voices.yaml``'s ``characters:`` list, which then becomes the closed
cast every later run uses: a merged character's names become aliases of the one it
joined, and a renamed character keeps its old name as an alias, so the text's
references still find it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from audiobook.cast.config import CastConfig, CharacterSpec
from audiobook.engines.base import Gender
from audiobook.errors import ConfigError, UnknownNameError
from audiobook.script.cast import Cast


def cast_specs(config: CastConfig, found: Cast) -> tuple[CharacterSpec, ...]:
    """The characters to edit: the user's list if ``voices.yaml`` has one, else ``found``."""
    if config.characters:
        return config.characters
    return tuple(CharacterSpec(c.name, c.aliases, c.gender, None, c.narrator) for c in found)


def find(specs: Sequence[CharacterSpec], name: str) -> int:
    """The index of the character called ``name`` (or with that alias), any case."""
    key = " ".join(name.split()).casefold()
    for i, spec in enumerate(specs):
        if spec.name.casefold() == key:
            return i
    for i, spec in enumerate(specs):
        if key in (a.casefold() for a in spec.aliases):
            return i
    raise UnknownNameError("character", name, [s.name for s in specs])


def merge(specs: Sequence[CharacterSpec], absorbed: str, into: str) -> tuple[CharacterSpec, ...]:
    """``specs`` with the character ``absorbed`` joined to ``into``.

    ``into`` keeps its name, voice and gender (taking ``absorbed``'s where its own is
    not set); all of ``absorbed``'s names become its aliases.
    """
    i, j = find(specs, absorbed), find(specs, into)
    if i == j:
        raise ConfigError(f"{absorbed!r} and {into!r} are already one character")
    gone, kept = specs[i], specs[j]
    joined = replace(
        kept,
        aliases=_aliases([*kept.aliases, gone.name, *gone.aliases], kept.name),
        gender=kept.gender if kept.gender is not Gender.UNKNOWN else gone.gender,
        voice=kept.voice or gone.voice,
        narrator=kept.narrator or gone.narrator,
    )
    return tuple(joined if k == j else s for k, s in enumerate(specs) if k != i)


def rename(specs: Sequence[CharacterSpec], old: str, new: str) -> tuple[CharacterSpec, ...]:
    """``specs`` with character ``old`` called ``new``; ``old`` stays as an alias."""
    new = " ".join(new.split())
    if not new:
        raise ConfigError("a character's new name cannot be empty")
    i = find(specs, old)
    spec = specs[i]
    clash = next((s.name for k, s in enumerate(specs) if k != i and _names(s, new)), None)
    if clash is not None:
        raise ConfigError(f"{new!r} is already {clash!r}; use --merge {old}={clash} to join them")
    renamed = replace(spec, name=new, aliases=_aliases([*spec.aliases, spec.name], new))
    return tuple(renamed if k == i else s for k, s in enumerate(specs))


def _names(spec: CharacterSpec, name: str) -> bool:
    return name.casefold() in (n.casefold() for n in (spec.name, *spec.aliases))


def _aliases(names: Iterable[str], own: str) -> tuple[str, ...]:
    """``names`` without repeats (any case) and without the character's own name."""
    seen = {own.casefold()}
    out = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return tuple(out)


def apply_edits(
    specs: Sequence[CharacterSpec], merges: Iterable[str], renames: Iterable[str]
) -> tuple[CharacterSpec, ...]:
    """``specs`` after ``--merge FROM=INTO`` and then ``--rename OLD=NEW`` options, in order."""
    out = tuple(specs)
    for pair in merges:
        out = merge(out, *parse_pair(pair, "--merge"))
    for pair in renames:
        out = rename(out, *parse_pair(pair, "--rename"))
    return out


def parse_pair(text: str, option: str) -> tuple[str, str]:
    """``"Rosenberg=Willow"`` -> ``("Rosenberg", "Willow")``; :class:`ConfigError` if malformed."""
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise ConfigError(f"{option} takes NAME=NAME, e.g. {option} Rosenberg=Willow; got {text!r}")
    return left.strip(), right.strip()
