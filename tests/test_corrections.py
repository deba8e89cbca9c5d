"""Corrections re-render only what they change: two speakers and one word, three segments."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from audiobook.audio.encode import decode_audio
from audiobook.pipeline import make
from audiobook.progress import Silent
from audiobook.publish.release import Release
from audiobook.publish.tags import read_tags
from audiobook.scripting import write_script
from audiobook.synth.cache import SegmentCache

SAMPLE = Path(__file__).parents[1] / "examples" / "gull-point.txt"
RELEASE = Release(transcripts=False, playlist=False)


def tone(voice_id: str) -> float:
    """The pitch the fake engine speaks ``voice_id`` at."""
    return 200.0 + hashlib.sha256(voice_id.encode()).digest()[0] * 2


def pitch_at(mp3: Path, start: float, end: float) -> float:
    """The strongest frequency in ``mp3`` between ``start`` and ``end`` seconds."""
    samples = decode_audio(mp3)
    rate = 44100
    piece = samples[int(start * rate) : int(end * rate)]
    spectrum = np.abs(np.fft.rfft(piece * np.hanning(len(piece))))
    return float(np.fft.rfftfreq(len(piece), 1 / rate)[np.argmax(spectrum)])


def edit(path: Path, said: str, field: str, value: str) -> None:
    """Set ``field`` of the script file entry whose text is ``said``, as a person would."""
    rows = path.read_text(encoding="utf-8").splitlines()
    [i] = [i for i, row in enumerate(rows) if f'text: "{said}"' in row]
    rows[i] = re.sub(rf"\b{field}: (\"[^\"]*\"|[^,}}]*)", f"{field}: {value}", rows[i], count=1)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_two_speakers_and_a_word_re_synthesise_three_segments(tmp_path: Path) -> None:
    story = Path(shutil.copy(SAMPLE, tmp_path / "gull.txt"))
    cache = SegmentCache(tmp_path / "cache")
    first = make(story, tmp_path / "out", engine="fake", progress=Silent(), release=RELEASE,
                 cache=cache)  # fmt: skip
    assert first.synthesized == len({(t.segment.text, t.voice) for t in first.timed})

    target = tmp_path / "gull.script.yaml"
    write_script(story, target, engine="fake")
    before = {t.segment.text: t for t in first.timed}
    late, path = before["You're late,"], before["The path's half washed away,"]
    assert late.segment.speaker != path.segment.speaker and late.voice != path.voice
    edit(target, "You're late,", "speaker", str(path.segment.speaker))  # the two swap
    edit(target, "The path's half washed away,", "speaker", str(late.segment.speaker))
    edit(target, "Look, past the rocks.", "text", '"Look, past the rokks."')

    second = make(target, tmp_path / "out", engine="fake", progress=Silent(), release=RELEASE,
                  cache=cache)  # fmt: skip

    assert second.synthesized == 3
    after = {t.segment.text: t for t in second.timed}
    assert after["You're late,"].segment.speaker == path.segment.speaker
    assert after["The path's half washed away,"].segment.speaker == late.segment.speaker
    mp3 = second.chapters[0].path
    assert "Look, past the rokks." in read_tags(mp3).lyrics
    for said, voice in (("You're late,", path.voice), ("The path's half washed away,", late.voice)):
        timed = after[said]
        assert timed.voice == voice
        assert pitch_at(mp3, timed.t_start, timed.t_end) == pytest.approx(tone(voice.id), abs=3)
    document = json.loads((second.folder / "script.json").read_text(encoding="utf-8"))
    said = [s["speaker"] for s in document["segments"] if s["text"] == "You're late,"]
    assert said == [path.segment.speaker]
