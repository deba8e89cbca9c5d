"""Spoken opening and closing credits, read by the narrator as the book's first and last lines.

Credits are not in the story text, so their segments point at an empty span (the start
of the first chapter, the end of the last): everything that reads offsets still finds
them in order, and nothing in the text is read twice.
"""

from __future__ import annotations

from dataclasses import replace

from audiobook.engines.base import Voice
from audiobook.script.model import NARRATOR, Kind, Pause, Segment
from audiobook.text.model import BookMeta, Chapter


def narrator_credit(voice: Voice) -> str:
    """How the narrator is named aloud: a voice called by a name ("joe") by that name.

    Voice ids such as ``en-us+m3`` are not names anyone should hear read out, so
    those narrators are credited as "a synthetic voice".
    """
    name = voice.name.strip()
    return name.capitalize() if name.isalpha() else "a synthetic voice"


def opening_text(meta: BookMeta, narrator: str) -> str:
    """``"The Keeper of Gull Point. Written by Ann Author. Narrated by Joe."``"""
    parts = [f"{meta.title}."]
    if meta.author:
        parts.append(f"Written by {meta.author}.")
    parts.append(f"Narrated by {narrator}.")
    return " ".join(parts)


def closing_text(meta: BookMeta, narrator: str) -> str:
    """``"The end. You have been listening to ..., written by ..., narrated by Joe."``"""
    by = f", written by {meta.author}," if meta.author else ","
    return f"The end. You have been listening to {meta.title}{by} narrated by {narrator}."


def _credit(chapter: Chapter, at: int, text: str, paragraph: int) -> Segment:
    return Segment(
        chapter=chapter.index,
        start=at,
        end=at,
        kind=Kind.NARRATION,
        text=text,
        paragraph=paragraph,
        pause_after=Pause.SCENE,
        speaker=NARRATOR,
    )


def with_credits(
    segments: tuple[Segment, ...],
    chapter: Chapter,
    meta: BookMeta,
    narrator: str,
    *,
    first: bool,
    last: bool,
) -> tuple[Segment, ...]:
    """``segments`` of ``chapter`` with the opening credit before them if it is the
    ``first`` chapter and the closing credit after them if it is the ``last``."""
    out = list(segments)
    if first:
        out.insert(0, _credit(chapter, chapter.span.start, opening_text(meta, narrator), 0))
    if last:
        if out:  # a scene-length pause before "The end"
            out[-1] = replace(out[-1], pause_after=Pause.SCENE)
        paragraph = out[-1].paragraph + 1 if out else 0
        out.append(_credit(chapter, chapter.span.end, closing_text(meta, narrator), paragraph))
    return tuple(out)
