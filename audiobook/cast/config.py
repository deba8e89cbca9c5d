"""``voices.yaml``: the user's cast, validated into frozen objects.

The file is loaded safely (no Python tags), size-limited, with a cap on YAML aliases so
an "alias bomb" cannot blow up memory, and validated strictly: an unknown key, a wrong
type or a bad value is reported with its key path, one problem per line.

Schema (every key optional)::

    engine: espeak                # engine for voices the file does not name
    narrator: piper:joe           # a voice: "ENGINE:VOICE", a name from `voices`, or a mapping
    unknown: espeak:en-us+m4      # voice for dialogue nobody could be named for
    characters:
      Willow Rosenberg:
        aliases: [Willow, Will, Rosenberg]
        gender: female            # male | female | unknown
        voice: espeak:en-us+f3
        narrator: false           # true: this character tells the story (first person)
    pool:                         # voices for characters the file does not voice
      - {voice: espeak:en-us+f2, gender: female}
    voices:                       # named voice definitions, usable wherever a voice goes
      captain: {engine: espeak, voice: en-gb-scotland+m3, speed: 0.95, pitch: -2}
      aunt: {voice: kokoro:jf_alpha*0.7+jf_nezumi*0.3, pitch: -1}   # a blend of two packs
      deep: {voice: piper:joe, pitch: -2, options: {formant: -2}}    # WORLD pitch/formant
    lexicon:                      # how to say words (see audiobook/cast/pronounce.py)
      Tara: Tahra                 # a respelling
      Boone: /bˈuːn/              # IPA, for engines that read it
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from audiobook.cast.pronounce import Pronunciation, parse_entries
from audiobook.engines.base import Gender, Voice
from audiobook.errors import ConfigError
from audiobook.userfiles import read_user_text

MAX_BYTES = 1_000_000  # a cast file is hand-written; anything bigger is a mistake
MAX_ALIASES = 200  # YAML alias references allowed before we call it a bomb

_TOP_KEYS = {"engine", "narrator", "unknown", "characters", "pool", "voices", "lexicon"}
_CHARACTER_KEYS = {"aliases", "gender", "voice", "narrator"}
_VOICE_KEYS = {"engine", "voice", "speed", "pitch", "options"}
_POOL_KEYS = {"voice", "gender"}


@dataclass(frozen=True)
class CharacterSpec:
    """A character as the user wrote it."""

    name: str  # canonical name: speakers are reported by it
    aliases: tuple[str, ...] = ()  # other names the text uses for the character
    gender: Gender = Gender.UNKNOWN
    voice: Voice | None = None  # None: cast automatically from the pool
    narrator: bool = False  # the first-person narrator of the story


@dataclass(frozen=True)
class CastConfig:
    """Everything ``voices.yaml`` says, validated."""

    engine: str | None = None
    narrator: Voice | None = None
    unknown: Voice | None = None
    characters: tuple[CharacterSpec, ...] = ()
    pool: tuple[tuple[Voice, Gender], ...] = ()
    source: Path | None = None
    # Named voice definitions, kept for listing and for `audiobook cast` to write back.
    voices: Mapping[str, Voice] = field(default_factory=dict)
    # The book's pronunciation lexicon (word -> how to say it); overlays the global one.
    lexicon: Mapping[str, Pronunciation] = field(default_factory=dict)

    @property
    def closed_cast(self) -> bool:
        """True when the file lists characters: attribution then uses exactly these."""
        return bool(self.characters)


class _Problems:
    """Collects validation problems so the user sees all of them at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path}: {message}" if path else message)

    def raise_if_any(self) -> None:
        if self.items:
            shown = "; ".join(self.items[:5])
            more = f" (and {len(self.items) - 5} more)" if len(self.items) > 5 else ""
            raise ConfigError(f"{self.source}: {shown}{more}")


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader that counts alias references and refuses to expand too many."""

    alias_count = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise ConfigError("too many YAML aliases (is this an alias bomb?)")
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        # PyYAML keeps the last of two equal keys silently; a character listed twice
        # is almost always a mistake the user wants to hear about.
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int) and key in seen:
                line = key_node.start_mark.line + 1
                raise ConfigError(f"{key!r} is listed twice (line {line})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_cast(path: Path) -> CastConfig:
    """Read and validate ``path``; :class:`ConfigError` says what is wrong and where."""
    return parse_cast(read_user_text(path, MAX_BYTES, "a voices file"), source=path)


def parse_cast(text: str, *, source: Path | None = None) -> CastConfig:
    """Validate YAML ``text`` into a :class:`CastConfig`."""
    label = str(source) if source else "voices.yaml"
    try:
        loader = _LimitedLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except ConfigError as exc:
        raise ConfigError(f"{label}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{label}: not valid YAML ({_yaml_reason(exc)})") from exc
    if data is None:
        return CastConfig(source=source)
    problems = _Problems(label)
    if not isinstance(data, dict):
        problems.add("", f"expected a mapping at the top, got {_type_name(data)}")
        problems.raise_if_any()
    config = _parse_top(data, problems, source)
    problems.raise_if_any()
    return config


def _yaml_reason(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "'\\t'" in problem:
        problem = "a tab character; indent YAML with spaces, not tabs"
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"{problem}{where}"


def _type_name(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _parse_top(data: dict[Any, Any], problems: _Problems, source: Path | None) -> CastConfig:
    for key in data:
        if key not in _TOP_KEYS:
            problems.add(str(key), f"unknown key; expected one of {', '.join(sorted(_TOP_KEYS))}")
    engine = data.get("engine")
    if engine is not None and not isinstance(engine, str):
        problems.add("engine", f"expected an engine name, got {_type_name(engine)}")
        engine = None
    named = _parse_named_voices(data.get("voices"), problems, engine)
    narrator = _parse_voice(data.get("narrator"), "narrator", problems, named, engine)
    unknown = _parse_voice(data.get("unknown"), "unknown", problems, named, engine)
    characters = _parse_characters(data.get("characters"), problems, named, engine)
    pool = _parse_pool(data.get("pool"), problems, named, engine)
    lexicon, bad_words = parse_entries(data.get("lexicon"), "lexicon")
    problems.items.extend(bad_words)
    return CastConfig(engine, narrator, unknown, characters, pool, source, named, lexicon)


def _parse_named_voices(raw: Any, problems: _Problems, engine: str | None) -> dict[str, Voice]:
    named: dict[str, Voice] = {}
    if raw is None:
        return named
    if not isinstance(raw, dict):
        problems.add("voices", f"expected a mapping of names to voices, got {_type_name(raw)}")
        return named
    for name, spec in raw.items():
        voice = _parse_voice(spec, f"voices.{name}", problems, {}, engine)
        if voice is not None:
            named[str(name)] = voice
    return named


def _parse_voice(
    raw: Any, path: str, problems: _Problems, named: Mapping[str, Voice], engine: str | None
) -> Voice | None:
    """A voice written as a named voice, ``ENGINE:VOICE``, a bare voice name, or a mapping."""
    if raw is None:
        return None
    if isinstance(raw, str):
        if raw in named:
            return named[raw]
        if ":" in raw:
            try:
                return Voice.parse(raw)
            except ConfigError as exc:
                problems.add(path, str(exc))
                return None
        if engine:
            return Voice(engine, raw)
        problems.add(path, f"{raw!r} is neither a named voice nor ENGINE:VOICE")
        return None
    if not isinstance(raw, dict):
        problems.add(path, f"expected ENGINE:VOICE or a mapping, got {_type_name(raw)}")
        return None
    for key in raw:
        if key not in _VOICE_KEYS:
            problems.add(f"{path}.{key}", f"unknown key; expected {', '.join(sorted(_VOICE_KEYS))}")
    return _voice_from_mapping(raw, path, problems, named, engine)


def _voice_from_mapping(
    raw: dict[Any, Any],
    path: str,
    problems: _Problems,
    named: Mapping[str, Voice],
    engine: str | None,
) -> Voice | None:
    base = _parse_voice(
        raw.get("voice"), f"{path}.voice", problems, named, raw.get("engine") or engine
    )
    if base is None:
        if "voice" not in raw:
            problems.add(f"{path}.voice", "missing")
        return None
    speed = _number(raw.get("speed", base.speed), f"{path}.speed", problems, 0.25, 4.0)
    pitch = _number(raw.get("pitch", base.pitch), f"{path}.pitch", problems, -24.0, 24.0)
    options = raw.get("options", {})
    if not isinstance(options, dict):
        problems.add(f"{path}.options", f"expected a mapping, got {_type_name(options)}")
        options = {}
    merged = dict(base.options) | {str(k): v for k, v in options.items()}
    return Voice(base.engine, base.name, speed, pitch, tuple(sorted(merged.items())))


def _number(raw: Any, path: str, problems: _Problems, low: float, high: float) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        problems.add(path, f"expected a number, got {_type_name(raw)}")
        return 1.0 if path.endswith("speed") else 0.0
    if not low <= raw <= high:
        problems.add(path, f"{raw} is out of range {low:g}..{high:g}")
    return float(raw)


def _parse_gender(raw: Any, path: str, problems: _Problems) -> Gender:
    if raw is None:
        return Gender.UNKNOWN
    text = str(raw).strip().lower()
    aliases = {"m": "male", "f": "female", "u": "unknown", "man": "male", "woman": "female"}
    text = aliases.get(text, text)
    try:
        return Gender(text)
    except ValueError:
        problems.add(path, f"{raw!r} is not one of male, female, unknown")
        return Gender.UNKNOWN


def _parse_characters(
    raw: Any, problems: _Problems, named: Mapping[str, Voice], engine: str | None
) -> tuple[CharacterSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problems.add("characters", f"expected a mapping of names, got {_type_name(raw)}")
        return ()
    specs: list[CharacterSpec] = []
    claimed: dict[str, str] = {}
    for name, body in raw.items():
        path = f"characters.{name}"
        spec = _parse_character(str(name).strip(), body, path, problems, named, engine)
        for label in (spec.name, *spec.aliases):
            key = label.casefold()
            if key in claimed and claimed[key] != spec.name:
                problems.add(path, f"name {label!r} is already used by {claimed[key]!r}")
            claimed[key] = spec.name
        specs.append(spec)
    narrators = [s.name for s in specs if s.narrator]
    if len(narrators) > 1:
        problems.add(
            "characters", f"only one character can be the narrator: {', '.join(narrators)}"
        )
    return tuple(specs)


def _parse_character(
    name: str,
    body: Any,
    path: str,
    problems: _Problems,
    named: Mapping[str, Voice],
    engine: str | None,
) -> CharacterSpec:
    if not name:
        problems.add(path, "empty character name")
    if body is None:
        return CharacterSpec(name)
    if isinstance(body, str):  # shorthand: `Willow: espeak:en-us+f3`
        return CharacterSpec(name, voice=_parse_voice(body, path, problems, named, engine))
    if not isinstance(body, dict):
        problems.add(path, f"expected a mapping, got {_type_name(body)}")
        return CharacterSpec(name)
    for key in body:
        if key not in _CHARACTER_KEYS:
            problems.add(
                f"{path}.{key}", f"unknown key; expected {', '.join(sorted(_CHARACTER_KEYS))}"
            )
    aliases = body.get("aliases", [])
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str | int) for a in aliases):
        problems.add(f"{path}.aliases", "expected a list of names")
        aliases = []
    narrator = body.get("narrator", False)
    if not isinstance(narrator, bool):
        problems.add(f"{path}.narrator", f"expected true or false, got {_type_name(narrator)}")
        narrator = False
    return CharacterSpec(
        name=name,
        aliases=tuple(dict.fromkeys(str(a).strip() for a in aliases if str(a).strip() != name)),
        gender=_parse_gender(body.get("gender"), f"{path}.gender", problems),
        voice=_parse_voice(body.get("voice"), f"{path}.voice", problems, named, engine),
        narrator=narrator,
    )


def _parse_pool(
    raw: Any, problems: _Problems, named: Mapping[str, Voice], engine: str | None
) -> tuple[tuple[Voice, Gender], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add("pool", f"expected a list of voices, got {_type_name(raw)}")
        return ()
    pool: list[tuple[Voice, Gender]] = []
    for i, item in enumerate(raw):
        path = f"pool[{i}]"
        if isinstance(item, dict) and "gender" in item:
            for key in item:
                if key not in _POOL_KEYS:
                    problems.add(f"{path}.{key}", "unknown key; expected gender, voice")
            voice = _parse_voice(item.get("voice"), f"{path}.voice", problems, named, engine)
            gender = _parse_gender(item.get("gender"), f"{path}.gender", problems)
        else:
            voice = _parse_voice(item, path, problems, named, engine)
            gender = Gender.UNKNOWN
        if voice is not None:
            pool.append((voice, gender))
    return tuple(pool)
