"""``script.json``: the attributed script, with timings once the audio exists.

One format everywhere (``audiobook script --format json`` prints it; ``make`` writes
it next to the MP3s with ``file``/``t_start``/``t_end`` added): subtitles, the review
page and the voice checks all read it. Offsets index the decoded text, end exclusive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audiobook.publish.files import atomic_write
from audiobook.script.lines import line_ids

if TYPE_CHECKING:
    from audiobook.cast.assign import Casting
    from audiobook.pipeline import Timed
    from audiobook.script.analyse import Script
    from audiobook.script.model import Segment

FORMAT = "audiobook-script/1"


def segment_record(seg: Segment, casting: Casting | None) -> dict[str, Any]:
    """The JSON object of one segment."""
    record: dict[str, Any] = {
        "start": seg.start,
        "end": seg.end,
        "kind": seg.kind.value,
        "speaker": seg.speaker,
        "chapter": seg.chapter,
        "paragraph": seg.paragraph,
        "text": seg.text,
        "confidence": seg.confidence,
        "voice": casting.voice_for(seg.speaker).id if casting else None,
    }
    if seg.style is not None:
        record["style"] = seg.style.value
    if seg.heading:
        record["heading"] = True
    return record


def script_document(
    script: Script, casting: Casting | None = None, timed: Sequence[Timed] | None = None
) -> dict[str, Any]:
    """The whole script as a JSON-ready dict."""
    meta = script.book.meta
    if timed is not None:
        segments = [_timed_record(t, casting) for t in timed]
        ids = line_ids(script.book.text, [t.segment for t in timed])
    else:
        segments = [segment_record(s, casting) for s in script.segments]
        ids = line_ids(script.book.text, script.segments)
    for record, line_id in zip(segments, ids, strict=True):
        record["id"] = line_id  # the line's id in an editable script (audiobook.script.lines)
    return {
        "format": FORMAT,
        "title": meta.title,
        "author": meta.author,
        "source": str(script.book.source) if script.book.source else None,
        "chapters": [
            {"index": c.index, "title": c.title, "start": c.body.start, "end": c.body.end}
            for c in script.book.chapters
        ],
        "cast": _cast_records(script, casting),
        "segments": segments,
    }


def _timed_record(t: Timed, casting: Casting | None) -> dict[str, Any]:
    record = segment_record(t.segment, casting)
    record.update(
        voice=t.voice.id, file=t.file, t_start=round(t.t_start, 3), t_end=round(t.t_end, 3)
    )
    return record


def _cast_records(script: Script, casting: Casting | None) -> list[dict[str, Any]]:
    lines: dict[str, int] = {}
    for seg in script.segments:
        if seg.is_dialogue and seg.speaker:
            lines[seg.speaker] = lines.get(seg.speaker, 0) + 1
    return [
        {
            "name": c.name,
            "aliases": list(c.aliases),
            "gender": c.gender.value,
            "narrator": c.narrator,
            "lines": lines.get(c.name, 0),
            "voice": casting.characters[c.name].id
            if casting and c.name in casting.characters
            else None,
        }
        for c in script.cast
    ]


def dumps(document: dict[str, Any]) -> str:
    """Serialise with stable formatting (one segment per line is too wide; indent 1)."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write_script_json(path: Path, script: Script, casting: Casting, timed: Iterable[Timed]) -> None:
    """Write ``script.json`` atomically."""
    document = script_document(script, casting, list(timed))
    with atomic_write(path, "w") as handle:
        handle.write(dumps(document))
