"""Transcripts of a chapter file: WebVTT with speaker voices, and SRT.

One cue per spoken segment, timed exactly as the segment sits in the MP3 (the times
``script.json`` records). WebVTT marks who speaks with a voice span (``<v Willow>``),
which podcast apps and browsers show as the speaker; SRT has no such thing and carries
the words alone. Files sit beside the MP3 with the same name: ``01 - The Net.vtt``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from audiobook.publish.files import atomic_write

VTT_MIME = "text/vtt"
SRT_MIME = "application/srt"  # the type the podcast namespace lists for SRT


@dataclass(frozen=True)
class Cue:
    """One timed line of a transcript."""

    start: float  # seconds into the file
    end: float
    speaker: str  # who says it ("Narrator", a character's name)
    text: str  # the words, on one line


def _clock(seconds: float, separator: str) -> str:
    """``HH:MM:SS.mmm`` (WebVTT) or ``HH:MM:SS,mmm`` (SRT)."""
    ms = max(0, round(seconds * 1000))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _escape(text: str) -> str:
    """Text safe in a cue: the three characters cue markup gives meaning to are escaped."""
    return " ".join(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split())


def usable(cues: Iterable[Cue]) -> list[Cue]:
    """The cues worth writing: some words, and a positive length."""
    return [c for c in cues if c.end > c.start and c.text.strip()]


def webvtt(cues: Sequence[Cue]) -> str:
    """A WebVTT document: numbered cues, each line inside its speaker's voice span."""
    blocks = ["WEBVTT\n"]
    for number, cue in enumerate(usable(cues), start=1):
        voice = _escape(cue.speaker) or "Unknown"
        times = f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}"
        blocks.append(f"{number}\n{times}\n<v {voice}>{_escape(cue.text)}\n")
    return "\n".join(blocks)


def srt(cues: Sequence[Cue]) -> str:
    """A SubRip document: numbered cues with plain text."""
    blocks = []
    for number, cue in enumerate(usable(cues), start=1):
        times = f"{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}"
        blocks.append(f"{number}\n{times}\n{' '.join(cue.text.split())}\n")
    return "\n".join(blocks)


def transcript_paths(mp3: Path) -> tuple[Path, Path]:
    """Where the WebVTT and SRT transcripts of ``mp3`` go."""
    return mp3.with_suffix(".vtt"), mp3.with_suffix(".srt")


def write_transcripts(mp3: Path, cues: Sequence[Cue]) -> tuple[Path, Path]:
    """Write both transcripts of ``mp3`` beside it, atomically; return their paths."""
    vtt_path, srt_path = transcript_paths(mp3)
    for path, document in ((vtt_path, webvtt(cues)), (srt_path, srt(cues))):
        with atomic_write(path, "w") as handle:
            handle.write(document)
    return vtt_path, srt_path
