"""The review page: one self-contained HTML file showing who says every line of a book.

Built from a ``script.json`` document (:mod:`audiobook.publish.script_json`): each line
coloured by its speaker, lines worth a check marked, a cast legend with line counts
and voices, and, when the book's MP3s exist, a player per chapter file that highlights
the line being spoken from the segments' timings. The page carries its own styles and
script (``audiobook/data/review.html``) and links nothing but the MP3s beside it, so
it works from the file system with no server and no network.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from audiobook.script.lines import LOW_CONFIDENCE
from audiobook.script.model import NARRATOR

TEMPLATE = "data/review.html"
UNKNOWN_LABEL = "Unknown speaker"
# Distinct, legible on a light page; the narrator is grey and unknown speakers red.
PALETTE = (
    "#2563eb", "#c2410c", "#059669", "#c026d3", "#7c3aed", "#0e7490", "#a16207",
    "#db2777", "#4d7c0f", "#4338ca", "#b45309", "#0f766e",
)  # fmt: skip
NARRATOR_COLOUR = "#64748b"
UNKNOWN_COLOUR = "#dc2626"


@dataclass(frozen=True)
class Speaker:
    """A legend entry."""

    key: str  # the speaker as script.json names it ("" for nobody)
    label: str  # as shown
    css: str  # class name: sp-0, sp-1...
    colour: str
    lines: int
    voice: str | None


def speakers(document: Mapping[str, Any]) -> list[Speaker]:
    """Everyone with a line: the narrator first, then by lines spoken, unknown last."""
    segments = document["segments"]
    counts = Counter(s["speaker"] or "" for s in segments)
    voices: dict[str, str | None] = {}
    for s in segments:
        voices.setdefault(s["speaker"] or "", s.get("voice"))
    order = sorted((k for k in counts if k not in (NARRATOR, "")), key=lambda k: (-counts[k], k))
    keys = ([NARRATOR] if NARRATOR in counts else []) + order + ([""] if "" in counts else [])
    out = []
    for i, key in enumerate(keys):
        if key == NARRATOR:
            label, colour = "Narrator", NARRATOR_COLOUR
        elif key == "":
            label, colour = UNKNOWN_LABEL, UNKNOWN_COLOUR
        else:
            label, colour = key, _colour(order.index(key))
        out.append(Speaker(key, label, f"sp-{i}", colour, counts[key], voices.get(key)))
    return out


def _colour(index: int) -> str:
    if index < len(PALETTE):
        return PALETTE[index]
    hue = (index * 137.508) % 360  # the golden angle keeps neighbours apart
    return f"hsl({hue:.0f} 62% 40%)"


def uncertain(segment: Mapping[str, Any]) -> bool:
    """Dialogue nobody could be named for, or named with low confidence."""
    if segment["kind"] != "dialogue":
        return False
    return segment["speaker"] is None or segment["confidence"] < LOW_CONFIDENCE


def render_review(document: Mapping[str, Any], audio: Mapping[str, str] | None = None) -> str:
    """The page for ``document``; ``audio`` maps a chapter file's name to its URL."""
    cast = speakers(document)
    by_key = {s.key: s for s in cast}
    segments = document["segments"]
    checks = sum(1 for s in segments if uncertain(s))
    fill = {
        "TITLE": html.escape(document.get("title") or "Untitled"),
        "AUTHOR": f"by {html.escape(document['author'])} · " if document.get("author") else "",
        "SPEAKER_CSS": "\n".join(f".{s.css} {{ --c: {s.colour}; }}" for s in cast),
        "STATS": _stats(segments, cast, checks),
        "CHECKS": str(checks),
        "LEGEND": "\n".join(_legend_entry(s) for s in cast),
        "CHAPTERS": "\n".join(
            _chapter(ch, [s for s in segments if s["chapter"] == ch["index"]], by_key, audio or {})
            for ch in document["chapters"]
        ),
        "LOW": f"{LOW_CONFIDENCE:.0%}",
    }
    page = files("audiobook").joinpath(TEMPLATE).read_text(encoding="utf-8")
    for key, value in fill.items():
        page = page.replace("{{" + key + "}}", value)
    return page


def _stats(segments: Sequence[Mapping[str, Any]], cast: Sequence[Speaker], checks: int) -> str:
    characters = sum(1 for s in cast if s.key not in (NARRATOR, ""))
    parts = [f"{len(segments)} lines", f"{characters} characters"]
    seconds = sum(s["t_end"] - s["t_start"] for s in segments if "t_end" in s)
    if seconds:
        spoken = f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"
        parts.append(f"{spoken} spoken")
    parts.append(f"{checks} to check" if checks else "nothing to check")
    return " · ".join(parts)


def _legend_entry(s: Speaker) -> str:
    voice = f'<span class="voice">{html.escape(s.voice)}</span>' if s.voice else ""
    return (
        f'<button class="who {s.css}" type="button" data-speaker="{html.escape(s.key)}" '
        f'title="Show only {html.escape(s.label)}">'
        f'<span class="swatch"></span><span class="name">{html.escape(s.label)}</span>'
        f'<span class="count">{s.lines}</span>{voice}</button>'
    )


def _chapter(
    chapter: Mapping[str, Any],
    segments: Sequence[Mapping[str, Any]],
    by_key: Mapping[str, Speaker],
    audio: Mapping[str, str],
) -> str:
    title = chapter["title"]
    rows = []
    players = []
    last: tuple[str | None, int] | None = None
    for seg in segments:
        if seg.get("heading"):
            title = seg["text"]
        file = seg.get("file")
        if isinstance(file, str) and file in audio and file not in players:
            players.append(file)
            rows.append(_player(file, audio[file]))
        para = (file, seg["paragraph"])
        rows.append(_line(seg, by_key[seg["speaker"] or ""], para != last))
        last = para
    return (
        f'<section class="chapter" id="ch-{chapter["index"]}">'
        f"<h2>{html.escape(title)}</h2>\n" + "\n".join(rows) + "</section>"
    )


def _player(file: str, url: str) -> str:
    return (
        f'<div class="player"><span class="file">{html.escape(file)}</span>'
        f'<audio controls preload="metadata" data-file="{html.escape(file)}" '
        f'src="{html.escape(url)}"></audio></div>'
    )


def _line(seg: Mapping[str, Any], who: Speaker, new_paragraph: bool) -> str:
    kind = "heading" if seg.get("heading") else seg["kind"]
    classes = ["line", who.css, kind]
    if new_paragraph:
        classes.append("para")
    attrs = {"data-speaker": who.key, "data-id": seg.get("id") or ""}
    label = html.escape(who.label)
    badge = ""
    if uncertain(seg):
        classes.append("uncertain")
        sure = f"{seg['confidence']:.0%} sure" if seg["speaker"] else "nobody named"
        badge = f'<span class="badge" title="attribution confidence">check · {sure}</span>'
    if "t_start" in seg:
        attrs |= {"data-file": seg["file"], "data-t0": f"{seg['t_start']:.3f}"}
    style = seg.get("style")
    text = html.escape(seg["text"])
    if seg["kind"] == "dialogue":
        text = f"“{text}”"
    if style:
        classes.append(f"style-{style}")
        text += f' <span class="style">{html.escape(style)}</span>'
    attr_text = " ".join(f'{k}="{html.escape(str(v))}"' for k, v in attrs.items())
    return (
        f'<div class="{" ".join(classes)}" {attr_text}>'
        f'<div class="label"><span class="name">{label}</span>{badge}</div>'
        f'<div class="text">{text}<span class="id">{html.escape(attrs["data-id"])}</span></div>'
        "</div>"
    )
