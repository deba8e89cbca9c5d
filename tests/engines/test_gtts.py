"""gtts specifics: MP3 decoding, error mapping, DSP speed and pitch. No network."""

from __future__ import annotations

import numpy as np
import pytest

from audiobook.engines.base import Gender, Voice
from audiobook.engines.gtts import SAMPLE_RATE, GttsEngine, _time_stretch, gtts_fetch
from audiobook.errors import EngineError, SynthesisError
from tests.engines import ToneFetch, estimate_f0, mp3_tone

pytest.importorskip("gtts")
pytest.importorskip("pydub")
pytest.importorskip("lameenc")

TEXT = "one two three four five six seven eight nine ten"


class FailingFetch:
    """A network that fails ``failures`` times, then answers with a tone."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error

    def __call__(self, text: str, lang: str, tld: str) -> bytes:
        if self.failures > 0:
            self.failures -= 1
            raise self.error
        return mp3_tone(1.0)


def _uk(speed: float = 1.0, pitch: float = 0.0) -> Voice:
    return Voice("gtts", "en-co.uk", speed=speed, pitch=pitch)


def test_voices_are_google_domains_of_unknown_gender() -> None:
    engine = GttsEngine(fetch=ToneFetch())
    voices = engine.voices()
    assert [v.id for v in voices][:2] == ["en-com", "en-co.uk"]
    expected = {"en-com", "en-co.uk", "en-com.au", "en-ca", "en-co.in", "en-ie", "en-co.za"}
    assert {v.id for v in voices} == expected
    assert all(v.gender is Gender.UNKNOWN and "female" in v.description for v in voices)
    assert GttsEngine.ONLINE


def test_fetch_gets_language_domain_and_clean_text() -> None:
    fetch = ToneFetch()
    GttsEngine(fetch=fetch).synthesize("Hello\x00 there,\n\n  friend 😀!", _uk())
    assert fetch.calls == [("Hello there, friend !", "en", "co.uk")]


def test_mp3_is_decoded_to_mono_float_at_24khz() -> None:
    audio = GttsEngine(fetch=ToneFetch(freq=300.0)).synthesize(TEXT, _uk())
    assert audio.sample_rate == SAMPLE_RATE
    assert audio.samples.dtype == np.float32
    assert audio.seconds == pytest.approx(1.2, abs=0.1)  # 0.2 + 10 words x 0.1 s
    assert estimate_f0(audio.samples, audio.sample_rate) == pytest.approx(300, rel=0.03)


def test_other_sample_rates_are_resampled() -> None:
    audio = GttsEngine(fetch=ToneFetch(freq=300.0, rate=16000)).synthesize(TEXT, _uk())
    assert audio.sample_rate == SAMPLE_RATE
    assert audio.seconds == pytest.approx(1.2, abs=0.1)
    assert estimate_f0(audio.samples, audio.sample_rate) == pytest.approx(300, rel=0.03)


def test_speed_changes_duration_not_pitch() -> None:
    engine = GttsEngine(fetch=ToneFetch())
    normal, fast = engine.synthesize(TEXT, _uk()), engine.synthesize(TEXT, _uk(speed=1.5))
    assert fast.seconds == pytest.approx(normal.seconds / 1.5, rel=0.03)
    assert estimate_f0(fast.samples, SAMPLE_RATE) == pytest.approx(220, rel=0.03)


@pytest.mark.parametrize("semitones", [-4.0, 3.0])
def test_pitch_changes_f0_not_duration(semitones: float) -> None:
    engine = GttsEngine(fetch=ToneFetch())
    normal, shifted = engine.synthesize(TEXT, _uk()), engine.synthesize(TEXT, _uk(pitch=semitones))
    assert shifted.seconds == pytest.approx(normal.seconds, rel=0.03)
    expected = 220 * 2 ** (semitones / 12)
    assert estimate_f0(shifted.samples, SAMPLE_RATE) == pytest.approx(expected, rel=0.03)


def test_time_stretch_keeps_a_sine_whole() -> None:
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    sine = (0.5 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    for tempo in (0.7, 1.6):
        out = _time_stretch(sine, SAMPLE_RATE, tempo)
        assert len(out) == int(SAMPLE_RATE / tempo)
        middle = out[2000:-2000]
        assert np.sqrt(np.mean(middle**2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.05)
        assert estimate_f0(middle, SAMPLE_RATE) == pytest.approx(200, rel=0.02)


def test_network_error_fails_the_segment() -> None:
    engine = GttsEngine(fetch=FailingFetch(1, ConnectionError("Connection refused")))
    with pytest.raises(SynthesisError, match=r"^gtts: network: Connection refused$"):
        engine.synthesize(TEXT, _uk())
    assert engine.synthesize(TEXT, _uk()).seconds > 0.5


def test_repeated_network_errors_stop_the_run() -> None:
    engine = GttsEngine(fetch=FailingFetch(5, TimeoutError("timed out")))
    for _ in range(2):
        with pytest.raises(SynthesisError):
            engine.synthesize(TEXT, _uk())
    with pytest.raises(EngineError, match="3 requests failed in a row"):
        engine.synthesize(TEXT, _uk())


def test_a_success_resets_the_failure_count() -> None:
    fetch = FailingFetch(2, ConnectionError("down"))
    engine = GttsEngine(fetch=fetch)
    for _ in range(2):
        with pytest.raises(SynthesisError):
            engine.synthesize(TEXT, _uk())
    engine.synthesize(TEXT, _uk())
    fetch.failures = 2
    for _ in range(2):
        with pytest.raises(SynthesisError):
            engine.synthesize(TEXT, _uk())


def test_undecodable_bytes_fail_the_segment() -> None:
    engine = GttsEngine(fetch=lambda text, lang, tld: b"<html>quota exceeded</html>")
    with pytest.raises(SynthesisError, match="cannot decode the MP3"):
        engine.synthesize(TEXT, _uk())


def test_default_fetch_maps_gtts_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy on a closed local port: gTTS fails at once and nothing leaves the machine.
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SynthesisError, match=r"^gtts: Failed to connect$"):
        gtts_fetch("hello", "en", "com", timeout=2.0)


def test_default_cast_lowers_pitch_for_men() -> None:
    cast = GttsEngine(fetch=ToneFetch()).default_cast()
    assert cast.narrator.name == "en-com"
    assert all((v.pitch < 0) == (g is Gender.MALE) for v, g in cast.pool)
    assert cast.unknown.name not in {cast.narrator.name, *(v.name for v, _ in cast.pool[:4])}
