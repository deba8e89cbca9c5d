"""Show a cast, and write it out as a ``voices.yaml`` the user can edit."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from audiobook.cast.assign import Casting
from audiobook.engines.base import Voice
from audiobook.errors import OutputError
from audiobook.publish.files import atomic_write
from audiobook.script.analyse import Script

_HEADER = """\
# voices.yaml: the cast of {title}.
# Edit freely: a character's `voice` pins it; `aliases` are the other names the text
# uses; `gender` (male/female/unknown) guides automatic casting. Voices are written
# ENGINE:VOICE (see `audiobook voices`) or as a mapping with speed/pitch.
"""


def _lines(script: Script) -> Counter[str]:
    return Counter(s.speaker for s in script.segments if s.is_dialogue and s.speaker)


def cast_table(script: Script, casting: Casting) -> str:
    """A plain-text table: name, gender, lines, voice, aliases; speakers first."""
    lines = _lines(script)
    unknown = sum(1 for s in script.segments if s.is_dialogue and not s.speaker)
    rows = [("NAME", "GENDER", "LINES", "VOICE", "ALIASES")]
    rows.append(("(narrator)", "-", "-", casting.narrator.id, ""))
    ordered = sorted(script.cast, key=lambda c: (-lines[c.name], c.name))
    for c in ordered:
        voice = casting.characters.get(c.name)
        rows.append(
            (
                c.name,
                c.gender.value,
                str(lines[c.name]),
                voice.id if voice else "-",
                ", ".join(c.aliases),
            )
        )
    rows.append(("(unknown speaker)", "-", str(unknown), casting.unknown.id, ""))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "".join(
        "  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(r)).rstrip()
        + "\n"
        for r in rows
    )


def voice_value(voice: Voice) -> str | dict[str, Any]:
    """How a voice is written in voices.yaml: a string when it has no settings."""
    if voice.speed == 1.0 and not voice.pitch and not voice.options:
        return f"{voice.engine}:{voice.name}"
    value: dict[str, Any] = {"voice": f"{voice.engine}:{voice.name}"}
    if voice.speed != 1.0:
        value["speed"] = voice.speed
    if voice.pitch:
        value["pitch"] = voice.pitch
    if voice.options:
        value["options"] = dict(voice.options)
    return value


def cast_yaml(script: Script, casting: Casting, path: Path, *, force: bool = False) -> None:
    """Write the cast to ``path``; an existing file is kept unless ``force``."""
    if path.exists() and not force:
        raise OutputError(f"{path} already exists; pass --force to replace it")
    lines = _lines(script)
    characters: dict[str, Any] = {}
    for c in sorted(script.cast, key=lambda c: (-lines[c.name], c.name)):
        entry: dict[str, Any] = {"gender": c.gender.value}
        if c.aliases:
            entry["aliases"] = list(c.aliases)
        if c.narrator:
            entry["narrator"] = True
        if c.name in casting.characters:
            entry["voice"] = voice_value(casting.characters[c.name])
        characters[c.name] = entry
    document = {
        "narrator": voice_value(casting.narrator),
        "unknown": voice_value(casting.unknown),
        "characters": characters,
    }
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    with atomic_write(path, "w") as handle:
        handle.write(_HEADER.format(title=script.book.meta.title) + body)
