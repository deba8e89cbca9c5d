"""Reading ``story.script.yaml`` back: strict, with every problem's line number.

The file is the user's, edited by hand, so mistakes are expected: an unknown field, a
misspelt pause, a confidence of 2. All of them are collected and reported together
(up to five), each as ``line N: field: what is wrong``, in one :class:`ConfigError`.
YAML is loaded safely, size-limited, and without aliases (a script never needs them).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from audiobook.engines.base import Gender
from audiobook.errors import ConfigError
from audiobook.script.lines import UNKNOWN, Line, LineKind
from audiobook.script.model import NARRATOR, Pause, Style
from audiobook.script.scriptfile import FORMAT, CastEntry, Dropped, ScriptFile
from audiobook.userfiles import read_user_text

MAX_BYTES = 64_000_000  # a very long book's script is a few MB
_TOP = {"format", "title", "source", "sha256", "cast", "lines", "dropped"}
_LINE = {"id", "ch", "kind", "speaker", "conf", "voice", "pause", "style", "at", "auto", "text"}
_AT = re.compile(r"\s*(\d+)\s*-\s*(\d+)\s*")
_NO_STYLE = {"", "none", "plain", "normal"}


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing aliases (no "billion laughs" from a shared file)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise ConfigError(f"line {mark.line + 1}: YAML aliases are not allowed here")
        return super().compose_node(parent, index)


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, row: int, message: str) -> None:
        self.items.append(f"line {row}: {message}" if row else message)


def read_script_file(path: Path) -> ScriptFile:
    """Read and validate the script file at ``path``."""
    return parse_script_file(read_user_text(path, MAX_BYTES, "a script file"), path=path)


def parse_script_file(text: str, *, path: Path | None = None) -> ScriptFile:
    """Validate YAML ``text`` into a :class:`ScriptFile`; ``path`` names it in messages."""
    label = str(path) if path else "script"
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except ConfigError as exc:
        raise ConfigError(f"{label}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise ConfigError(f"{label}: not valid YAML ({reason}{where})") from None
    finally:
        loader.dispose()
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError(f"{label}: not an audiobook script (expected `format: {FORMAT}`)")
    problems = _Problems()
    script = _script(loader, root, problems, path)
    if problems.items:
        shown = "; ".join(problems.items[:5])
        more = f" (and {len(problems.items) - 5} more)" if len(problems.items) > 5 else ""
        raise ConfigError(f"{label}: {shown}{more}")
    return script


def _script(
    loader: _Loader, root: yaml.MappingNode, problems: _Problems, path: Path | None
) -> ScriptFile:
    top: dict[str, yaml.Node] = {}
    for key_node, value_node in root.value:
        key = loader.construct_object(key_node)
        if key not in _TOP:
            problems.add(key_node.start_mark.line + 1, f"{key}: unknown field")
        top[str(key)] = value_node
    fmt = _value(loader, top.get("format"))
    if fmt != FORMAT:
        raise ConfigError(f"{path or 'script'}: not an audiobook script (no `format: {FORMAT}`)")
    header = {k: _text(loader, top.get(k), k, problems) for k in ("title", "source", "sha256")}
    lines = [_line(loader, n, problems) for n in _items(top.get("lines"), "lines", problems)]
    dropped = [
        Dropped(_line(loader, n, problems, extra={"why"}), str(_field(loader, n, "why") or ""))
        for n in _items(top.get("dropped"), "dropped", problems)
    ]
    return ScriptFile(
        header["title"], header["source"], header["sha256"], tuple(lines),
        _cast(loader, top.get("cast"), problems), tuple(dropped), path,
    )  # fmt: skip


def _value(loader: _Loader, node: yaml.Node | None) -> Any:
    return None if node is None else loader.construct_object(node, deep=True)


def _text(loader: _Loader, node: yaml.Node | None, name: str, problems: _Problems) -> str:
    value = _value(loader, node)
    if not isinstance(value, str) or not value:
        problems.add(node.start_mark.line + 1 if node else 0, f"{name}: missing")
        return ""
    return value


def _items(node: yaml.Node | None, name: str, problems: _Problems) -> list[yaml.Node]:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.add(node.start_mark.line + 1, f"{name}: expected a list of entries")
        return []
    return list(node.value)


def _field(loader: _Loader, node: yaml.Node, name: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == name:
                return _value(loader, value_node)
    return None


def _cast(loader: _Loader, node: yaml.Node | None, problems: _Problems) -> tuple[CastEntry, ...]:
    raw = _value(loader, node)
    if raw is None:
        return ()
    row = node.start_mark.line + 1 if node else 0
    if not isinstance(raw, dict):
        problems.add(row, "cast: expected a mapping of names")
        return ()
    out = []
    for name, body in raw.items():
        body = body if isinstance(body, dict) else {}
        try:
            gender = Gender(str(body.get("gender", "unknown")).lower())
        except ValueError:
            problems.add(row, f"cast.{name}.gender: expected male, female or unknown")
            gender = Gender.UNKNOWN
        out.append(CastEntry(str(name), gender, body.get("narrator") is True))
    return tuple(out)


def _line(
    loader: _Loader, node: yaml.Node, problems: _Problems, extra: set[str] | None = None
) -> Line:
    row = node.start_mark.line + 1
    raw = _value(loader, node)
    if not isinstance(raw, dict):
        problems.add(row, "expected an entry like {id: ..., ch: 1, speaker: ..., text: ...}")
        return Line("", 1, LineKind.NARRATION, NARRATOR, "", 0, 0, row=row)
    for key in raw:
        if key not in _LINE | (extra or set()):
            problems.add(row, f"{key}: unknown field; expected {', '.join(sorted(_LINE))}")
    speaker = _speaker(raw.get("speaker", NARRATOR), row, problems)
    default_kind = LineKind.NARRATION if speaker == NARRATOR else LineKind.DIALOGUE
    start, end = _at(raw.get("at"), row, problems)
    return Line(
        id=_required(raw, "id", row, problems),
        chapter=_chapter(raw.get("ch"), row, problems),
        kind=_choice(LineKind, raw.get("kind", default_kind), "kind", row, problems, default_kind),
        speaker=speaker,
        text="" if raw.get("text") is None else str(raw["text"]),
        start=start,
        end=end,
        pause=_choice(Pause, raw.get("pause", "sentence"), "pause", row, problems, Pause.SENTENCE),
        style=_style(raw.get("style"), row, problems),
        confidence=_confidence(raw.get("conf", 1.0), row, problems),
        voice=None if raw.get("voice") is None else str(raw["voice"]),
        auto=None if raw.get("auto") is None else str(raw["auto"]),
        row=row,
    )  # fmt: skip


def _required(raw: dict[Any, Any], key: str, row: int, problems: _Problems) -> str:
    value = raw.get(key)
    if value is None or isinstance(value, bool) or str(value).strip() == "":
        problems.add(row, f"{key}: missing")
        return ""
    return str(value).strip()


def _chapter(value: Any, row: int, problems: _Problems) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.add(row, f"ch: expected a chapter number, got {value!r}")
        return 1
    return value


def _speaker(value: Any, row: int, problems: _Problems) -> str | None:
    if value is None or (isinstance(value, str) and value.strip() in ("", UNKNOWN)):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        problems.add(row, f"speaker: expected a name, got {value!r} (quote it)")
        return None
    name = " ".join(str(value).split())
    return NARRATOR if name.casefold() == NARRATOR else name


def _choice(kind: Any, value: Any, name: str, row: int, problems: _Problems, default: Any) -> Any:
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        valid = ", ".join(member.value for member in kind)
        problems.add(row, f"{name}: {value!r} is not one of {valid}")
        return default


def _style(value: Any, row: int, problems: _Problems) -> Style | None:
    if value is None or str(value).strip().lower() in _NO_STYLE:
        return None
    style: Style | None = _choice(Style, value, "style", row, problems, None)
    return style


def _confidence(value: Any, row: int, problems: _Problems) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        problems.add(row, f"conf: expected a number from 0 to 1, got {value!r}")
        return 1.0
    return float(value)


def _at(value: Any, row: int, problems: _Problems) -> tuple[int, int]:
    """``START-END`` (or ``[START, END]``); absent: ``(-1, -1)``, placed after the previous line."""
    if value is None:
        return -1, -1
    if isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value):
        start, end = value
    elif isinstance(value, str) and (match := _AT.fullmatch(value)):
        start, end = int(match[1]), int(match[2])
    else:
        problems.add(row, f"at: expected START-END offsets, got {value!r}")
        return -1, -1
    if start > end:
        problems.add(row, f"at: {start}-{end} ends before it starts")
    return start, end
