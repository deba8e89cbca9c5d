"""``story.script.yaml``: the attributed book as a file the user owns and edits.

YAML, one entry per line of the book, so any editor works and a diff shows exactly
what changed. :data:`HEADER` (written at the top of every file) documents the format;
:mod:`audiobook.script.lines` says what the ``id`` and ``auto`` hashes are. Files are
written by hand here (not by a YAML dumper) to keep each entry on one line with its
fields in a fixed order; they are read back with PyYAML's safe loader, and each
problem is reported with its line number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from audiobook.engines.base import Gender
from audiobook.script.lines import UNKNOWN, Line

FORMAT = "audiobook-script/1"
SUFFIXES = (".yaml", ".yml")

HEADER = """\
# The script of {title}: this file is yours to edit, in any editor.
#
#   audiobook make THIS_FILE                     renders the book as written here
#   audiobook review THIS_FILE                   shows it as a page, one colour per speaker
#   audiobook script STORY --update THIS_FILE    re-reads a changed story, keeps your changes
#
# One entry per line of the book, in reading order. Fields:
#   id       the line's name, made from its source text: keep it (--update matches on it)
#   ch       chapter number
#   kind     heading, narration or dialogue
#   speaker  who says it: narrator, a character (see `cast:`), or ? when nobody was named
#   conf     how sure the analysis was, 0..1; under 0.7 is worth a look
#   voice    who read the line when this file was written (voices are set in voices.yaml)
#   pause    the break after the line: none, clause, sentence, paragraph, scene (longest)
#   style    optional: thought or whisper
#   at       where the line is in the story, as character offsets START-END: leave it
#   auto     a checksum of what the analysis wrote, so your changes are recognised: leave it
#   text     the words spoken: fix a spelling here to change how it is said (the story
#            itself is not touched)
#
# Change a speaker:   speaker: Elias             Mark a thought:   style: thought
# Add a pause:        pause: scene               Skip a line:      text: ""
# Merge two lines:    delete the second and move its words into the first one's text
# Split a line:       copy it (same id), then share the words out between the copies
# A line you changed counts as checked; to mark one checked without changing it, set conf: 1.
"""


@dataclass(frozen=True)
class CastEntry:
    """A character as the script file lists it."""

    name: str
    gender: Gender = Gender.UNKNOWN
    narrator: bool = False  # tells the story in the first person


@dataclass(frozen=True)
class Dropped:
    """A correction that no longer applies (its text left the story), kept for the user."""

    line: Line
    why: str


@dataclass(frozen=True)
class ScriptFile:
    """An editable script: the book's lines and the story they come from."""

    title: str
    source: str  # the story's path, relative to the script file's folder when it can be
    sha256: str  # of the story's decoded text: lines' offsets index that text
    lines: tuple[Line, ...]
    cast: tuple[CastEntry, ...] = ()
    dropped: tuple[Dropped, ...] = ()
    path: Path | None = None  # where the file was read from

    def story_path(self) -> Path:
        """Where the story is: ``source`` taken relative to the file's folder."""
        source = Path(self.source)
        if source.is_absolute() or self.path is None:
            return source
        return self.path.parent / source


def is_script_file(path: Path) -> bool:
    """True when ``path`` names an editable script (by suffix: the story readers take none)."""
    return path.suffix.lower() in SUFFIXES


# --- writing --------------------------------------------------------------------------

# Characters YAML refuses to read, or reads as line breaks, even inside quotes: they are
# written as \u escapes.
_UNPRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_PLAIN = re.compile(r"[A-Za-z][\w.'’ -]*")
_YAML_WORDS = frozenset("y n yes no true false on off null".split())


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's escapes, which YAML shares)."""
    body = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", body)


def scalar(text: str) -> str:
    """``text`` plain when that reads back as the same string, else quoted."""
    plain = _PLAIN.fullmatch(text) and text == text.strip() and text.lower() not in _YAML_WORDS
    return text if plain else quoted(text)


def line_entry(line: Line) -> str:
    """One line as a one-line YAML flow mapping, fields in the documented order."""
    fields = [
        f"id: {scalar(line.id)}",
        f"ch: {line.chapter}",
        f"kind: {line.kind.value}",
        f"speaker: {scalar(line.speaker) if line.speaker else quoted(UNKNOWN)}",
        f"conf: {round(line.confidence, 3):g}",
    ]
    if line.voice:
        fields.append(f"voice: {scalar(line.voice)}")
    fields.append(f"pause: {line.pause.value}")
    if line.style:
        fields.append(f"style: {line.style.value}")
    fields.append(f"at: {line.start}-{line.end}")
    if line.auto:
        fields.append(f"auto: {scalar(line.auto)}")
    fields.append(f"text: {quoted(line.text)}")
    return "{" + ", ".join(fields) + "}"


def dumps(script: ScriptFile) -> str:
    """The file's text."""
    out = [HEADER.format(title=script.title), f"format: {FORMAT}"]
    out.append(f"title: {quoted(script.title)}")
    out.append(f"source: {quoted(script.source)}")
    out.append(f"sha256: {quoted(script.sha256)}")
    out.append("cast:" if script.cast else "cast: {}")
    for c in script.cast:
        extra = ", narrator: true" if c.narrator else ""
        out.append(f"  {scalar(c.name)}: {{gender: {c.gender.value}{extra}}}")
    out.append("lines:" if script.lines else "lines: []")
    out += [f"- {line_entry(line)}" for line in script.lines]
    if script.dropped:
        out.append("")
        out.append("# Your changes to lines whose text is no longer in the story. They are not")
        out.append("# rendered; copy what you still want onto the new lines, then delete these.")
        out.append("dropped:")
        for d in script.dropped:
            entry = line_entry(d.line)
            out.append(f"- {entry[:-1]}, why: {quoted(d.why)}}}")
    return "\n".join(out) + "\n"
