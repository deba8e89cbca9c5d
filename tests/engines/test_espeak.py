"""eSpeak NG specifics: accents x variants, gender labels, pitch, speed, threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from audiobook.engines.base import Gender, Voice
from audiobook.engines.espeak import EspeakEngine, _pitch_value
from audiobook.errors import UnknownNameError
from tests.engines import estimate_f0

pytest.importorskip("espeakng_loader")

TEXT = "It was a bright cold day in April, and the clocks were striking thirteen."


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    return EspeakEngine()


def _voice(name: str, speed: float = 1.0, pitch: float = 0.0) -> Voice:
    return Voice("espeak", name, speed=speed, pitch=pitch)


def test_accents_are_the_english_voices_espeak_accepts(engine: EspeakEngine) -> None:
    assert engine.accents[:2] == ["en-us", "en"]
    expected = {"en-gb-scotland", "en-gb-x-rp", "en-029", "en-us-nyc", "en-gb-x-gbclan"}
    assert expected <= set(engine.accents)
    assert "en-gb" not in engine.accents  # espeak_SetVoiceByName refuses it
    assert "en-shaw" not in engine.accents  # Shavian script, not Latin text


def test_variants_come_from_the_data_folder(engine: EspeakEngine) -> None:
    expected = {"f1", "f2", "f3", "f4", "f5", "m1", "m3", "m8", "Alicia", "klatt"}
    assert expected <= set(engine.variants)


def test_voices_are_every_accent_with_every_variant(engine: EspeakEngine) -> None:
    voices = {v.id: v for v in engine.voices()}
    assert len(voices) == len(engine.accents) * (len(engine.variants) + 1)
    assert voices["en"].language == "en-GB"
    assert voices["en-us+f3"].language == "en-US"
    assert "Scotland" in voices["en-gb-scotland+m2"].description


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        ("en-us", Gender.MALE),
        ("en-us+m3", Gender.MALE),
        ("en-us+f3", Gender.FEMALE),
        ("en+Alicia", Gender.FEMALE),  # named female variant, from its gender line
        ("en+zac", Gender.FEMALE),  # no gender line: high pitch line
        ("en+john", Gender.MALE),
    ],
)
def test_gender_comes_from_the_variant_file(
    engine: EspeakEngine, name: str, gender: Gender
) -> None:
    assert {v.id: v.gender for v in engine.voices()}[name] is gender


def test_plain_variants_rank_before_named_before_novelties(engine: EspeakEngine) -> None:
    rank = {v.id: v.rank for v in engine.voices()}
    assert rank["en-us+m3"] < rank["en-us+f1"] < rank["en-us+Alicia"] < rank["en-us+robosoft"]
    assert rank["en-us+f3"] < rank["en-gb-x-rp+f3"]
    assert rank["en-us+klatt"] > rank["en-us+linda"]


def test_unknown_accent_lists_accents(engine: EspeakEngine) -> None:
    with pytest.raises(UnknownNameError, match=r"accent 'en-gb'; valid: en, en-029"):
        engine.check_voice(_voice("en-gb+f3"))


def test_unknown_variant_lists_variants(engine: EspeakEngine) -> None:
    # espeak itself would silently ignore the bad variant and speak the bare accent.
    with pytest.raises(UnknownNameError) as caught:
        engine.check_voice(_voice("en-us+f9"))
    assert "'f9'" in str(caught.value)
    assert {"f1", "m1", "Alicia"} <= set(caught.value.valid)


def test_default_cast_first_eight_are_four_women_four_men(engine: EspeakEngine) -> None:
    cast = engine.default_cast()
    first = cast.pool[:8]
    assert sorted(g.value for _, g in first) == ["female"] * 4 + ["male"] * 4
    women = [v.name for v, g in first if g is Gender.FEMALE]
    men = [v.name for v, g in first if g is Gender.MALE]
    for group in (women, men):  # within a gender, both accent and variant differ
        assert len({n.split("+")[0] for n in group}) == 4
        assert len({n.split("+")[1] for n in group}) == 4
    labels = {v.id: v.gender for v in engine.voices()}
    assert all(labels[v.name] is g for v, g in cast.pool)
    assert cast.narrator.name == "en-us+m3"
    assert cast.unknown not in [v for v, _ in first]


@pytest.mark.parametrize("semitones", [-4.0, 4.0])
def test_pitch_moves_f0_by_about_the_semitones_asked(
    engine: EspeakEngine, semitones: float
) -> None:
    plain = engine.synthesize(TEXT, _voice("en-us+m3"))
    shifted = engine.synthesize(TEXT, _voice("en-us+m3", pitch=semitones))
    ratio = estimate_f0(shifted.samples, shifted.sample_rate) / estimate_f0(
        plain.samples, plain.sample_rate
    )
    measured = 12 * np.log2(ratio)
    # espeak's pitch scale is coarse and the estimate noisy: same direction, roughly the size.
    assert 0.5 < measured / semitones < 1.5
    assert abs(shifted.seconds - plain.seconds) < 0.1 * plain.seconds


def test_pitch_value_maps_semitones_to_espeak_scale() -> None:
    assert _pitch_value(0) == 50
    assert _pitch_value(-30) == 0
    assert _pitch_value(30) == 100
    assert _pitch_value(-3) < 50 < _pitch_value(3)


def test_female_variant_is_higher_than_male(engine: EspeakEngine) -> None:
    male = engine.synthesize(TEXT, _voice("en-us+m3"))
    female = engine.synthesize(TEXT, _voice("en-us+f3"))
    assert estimate_f0(female.samples, 22050) > 1.5 * estimate_f0(male.samples, 22050)


def test_speed_sets_the_words_per_minute(engine: EspeakEngine) -> None:
    normal = engine.synthesize(TEXT, _voice("en"))
    double = engine.synthesize(TEXT, _voice("en", speed=2.0))
    assert 0.4 < double.seconds / normal.seconds < 0.65


def test_markup_is_read_as_text_not_ssml(engine: EspeakEngine) -> None:
    plain = engine.synthesize("bold text", _voice("en-us"))
    marked = engine.synthesize("<b>bold text</b>", _voice("en-us"))
    assert marked.seconds >= plain.seconds  # the tags were not swallowed as SSML


def test_punctuation_option_speaks_the_marks() -> None:
    quiet = EspeakEngine().synthesize("Wait, what? No!", _voice("en-us"))
    spoken = EspeakEngine(punctuation=True).synthesize("Wait, what? No!", _voice("en-us"))
    assert spoken.seconds > quiet.seconds + 0.5


def test_engines_share_the_library_safely_across_threads(engine: EspeakEngine) -> None:
    # espeak varies its output slightly from run to run: compare length and pitch.
    jobs = [(f"Line {i}: {TEXT}", _voice(v)) for i, v in enumerate(["en+f2", "en-029+m4"] * 4)]
    sequential = [engine.synthesize(t, v) for t, v in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda job: engine.synthesize(*job), jobs))
    for one, other in zip(sequential, parallel, strict=True):
        assert other.seconds == pytest.approx(one.seconds, rel=0.03)
        f0 = estimate_f0(one.samples, one.sample_rate)
        assert estimate_f0(other.samples, other.sample_rate) == pytest.approx(f0, rel=0.1)


def test_version_names_library_and_data(engine: EspeakEngine) -> None:
    assert engine.version.startswith("espeak-ng 1.")
    assert "espeakng-loader" in engine.version
