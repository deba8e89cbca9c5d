"""Show a cast, and write it out as a ``voices.yaml`` the user can edit (or edit one in place)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from audiobook.cast.assign import Casting
from audiobook.cast.config import CharacterSpec, parse_cast
from audiobook.engines.base import Voice
from audiobook.errors import ConfigError, OutputError
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


def character_entries(specs: Iterable[CharacterSpec]) -> dict[str, Any]:
    """The ``characters:`` mapping for ``specs``, as voices.yaml writes it."""
    characters: dict[str, Any] = {}
    for spec in specs:
        entry: dict[str, Any] = {"gender": spec.gender.value}
        if spec.aliases:
            entry["aliases"] = list(spec.aliases)
        if spec.narrator:
            entry["narrator"] = True
        if spec.voice is not None:
            entry["voice"] = voice_value(spec.voice)
        characters[spec.name] = entry
    return characters


def save_characters(
    path: Path, specs: Sequence[CharacterSpec], title: str, base: Path | None = None
) -> Path | None:
    """Write ``specs`` as the ``characters:`` of the voices file at ``path``.

    Everything else in the file stays as it is, comments included (only the old
    ``characters:`` block is replaced); a new file starts as a copy of ``base`` (the
    voices file in use until now, so none of its settings are lost) or a short header.
    The result is validated before it is written, atomically, and the previous file is
    kept as ``PATH.bak``. Returns the backup's path.
    """
    block = yaml.safe_dump(
        {"characters": character_entries(specs)},
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=None,  # short lists (aliases) on one line
    )
    exists = path.exists()
    source = path if exists else base
    try:
        old = source.read_text(encoding="utf-8-sig") if source is not None else None
    except OSError as exc:
        raise OutputError(f"cannot read {source}: {exc.strerror or exc}") from exc
    text = replace_block(old, "characters", block) if old else _HEADER.format(title=title) + block
    parse_cast(text, source=path)  # never write a file the next run would refuse
    backup = path.with_name(path.name + ".bak") if exists else None
    if backup is not None and old is not None:
        with atomic_write(backup, "w") as handle:
            handle.write(old)
    with atomic_write(path, "w") as handle:
        handle.write(text)
    return backup


def replace_block(text: str, key: str, block: str) -> str:
    """``text`` (YAML) with its top-level ``key`` and value replaced by ``block``.

    Lines outside that key's block are kept byte for byte, and so are comment and
    blank lines just before the next key. With no such key, ``block`` is appended.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"cannot edit a voices file that is not valid YAML: {exc}") from exc
    lines = text.splitlines(keepends=True)
    for key_node, value_node in root.value if isinstance(root, yaml.MappingNode) else []:
        if key_node.value != key:
            continue
        first, end = key_node.start_mark.line, value_node.end_mark
        stop = end.line if end.column == 0 else end.line + 1
        while stop > first + 1 and (not lines[stop - 1].strip() or lines[stop - 1].startswith("#")):
            stop -= 1
        return "".join(lines[:first]) + block + "".join(lines[stop:])
    return text.rstrip("\n") + "\n\n" + block
