"""Auditions: each speaker's own first lines, in their cast voice, as small MP3s."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from audiobook.audition import MAX_LINES, MAX_WORDS, audition_story, first_lines, resolve_names
from audiobook.cast.config import parse_cast
from audiobook.engines import registry
from audiobook.errors import UnknownNameError
from audiobook.script.analyse import Script, analyse
from audiobook.script.model import NARRATOR
from audiobook.text.load import load_book
from tests.fakes import FakeEngine

SAMPLE = Path(__file__).parents[1] / "examples" / "gull-point.txt"


@pytest.fixture(scope="module")
def script() -> Script:
    return analyse(load_book(SAMPLE))


def test_first_lines_are_the_speakers_own_and_short(script: Script) -> None:
    lines = first_lines(script, "Mara Quill")
    assert 1 <= len(lines) <= MAX_LINES
    assert all(s.speaker == "Mara Quill" and s.is_dialogue for s in lines)
    assert sum(len(s.text.split()) for s in lines[:-1]) <= MAX_WORDS
    first_said = next(s for s in script.segments if s.speaker == "Mara Quill")
    assert lines[0] == first_said
    narration = first_lines(script, NARRATOR)
    assert narration and not any(s.heading or s.is_dialogue for s in narration)


def test_names_resolve_by_alias_and_case(script: Script) -> None:
    assert resolve_names(script, ["mara quill", "Narrator", "Mara Quill"]) == [
        "Mara Quill",
        NARRATOR,
    ]
    with pytest.raises(UnknownNameError) as caught:
        resolve_names(script, ["Nobody"])
    assert "Mara Quill" in caught.value.valid and NARRATOR in caught.value.valid


def test_audition_writes_one_mp3_per_speaker(tmp_path: Path) -> None:
    samples = audition_story(SAMPLE, tmp_path, engine="fake")
    assert samples[0].speaker == NARRATOR
    assert {"Mara Quill", "Elias"} <= {s.speaker for s in samples}
    folder = tmp_path / "The Keeper of Gull Point" / "audition"
    assert sorted(p.name for p in folder.iterdir()) == sorted(s.path.name for s in samples)
    assert samples[0].path.name == "01 - narrator.mp3"
    for sample in samples:
        assert sample.voice.engine == "fake"
        assert 0.5 < MP3(sample.path).info.length < 40


def test_audition_uses_the_cast_and_lexicon(tmp_path: Path) -> None:
    engine = FakeEngine()

    class Recording(FakeEngine):
        def synthesize(self, text, voice):  # type: ignore[no-untyped-def]
            return engine.synthesize(text, voice)

    registry.register(Recording)
    config = parse_cast(
        "characters:\n  Mara Quill: fake:f3\n  Elias: {}\nlexicon:\n  bread: BREDD\n"
    )
    samples = audition_story(SAMPLE, tmp_path, config=config, engine="fake", names=["Mara Quill"])
    assert [(s.speaker, s.voice.id) for s in samples] == [("Mara Quill", "fake:f3")]
    assert all(voice == "fake:f3" for _, voice in engine.calls)
    assert any("BREDD" in text for text, _ in engine.calls)  # "...welcome for the bread."
