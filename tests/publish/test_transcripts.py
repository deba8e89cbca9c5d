"""WebVTT and SRT transcripts: timing format, voices, escaping."""

from __future__ import annotations

from pathlib import Path

from audiobook.publish.transcripts import Cue, srt, webvtt, write_transcripts

CUES = [
    Cue(0.775, 5.3794, "Narrator", "Chapter 1: The Lamp"),
    Cue(7.0, 8.5, "Willow", 'She said "a < b & c > d"'),
    Cue(9.0, 9.0, "Buffy", "zero length: dropped"),
    Cue(3725.5, 3726.25, "", "an hour in"),
]


def test_webvtt_has_voices_and_escapes_markup() -> None:
    assert webvtt(CUES) == (
        "WEBVTT\n\n"
        "1\n00:00:00.775 --> 00:00:05.379\n<v Narrator>Chapter 1: The Lamp\n\n"
        '2\n00:00:07.000 --> 00:00:08.500\n<v Willow>She said "a &lt; b &amp; c &gt; d"\n\n'
        "3\n01:02:05.500 --> 01:02:06.250\n<v Unknown>an hour in\n"
    )


def test_srt_uses_commas_and_plain_text() -> None:
    assert srt(CUES) == (
        "1\n00:00:00,775 --> 00:00:05,379\nChapter 1: The Lamp\n\n"
        '2\n00:00:07,000 --> 00:00:08,500\nShe said "a < b & c > d"\n\n'
        "3\n01:02:05,500 --> 01:02:06,250\nan hour in\n"
    )


def test_files_sit_beside_the_mp3(tmp_path: Path) -> None:
    vtt, srt_path = write_transcripts(tmp_path / "01 - The Net.mp3", CUES)
    assert (vtt.name, srt_path.name) == ("01 - The Net.vtt", "01 - The Net.srt")
    assert vtt.read_text(encoding="utf-8").startswith("WEBVTT\n")
