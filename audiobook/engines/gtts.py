"""Google Translate's text-to-speech (through the ``gtts`` package): online only.

Each voice is English with a regional Google domain (``en-co.uk`` = lang ``en`` on
``translate.google.co.uk``), which changes the accent. Google gives no gender and all
of them sound female. The network call goes through :attr:`GttsEngine.fetch`, a plain
``(text, lang, tld) -> MP3 bytes`` function, so tests can swap it for a fake.
"""

from __future__ import annotations

import functools
import io
import logging
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from audiobook.audio.dsp import FloatArray, int16_to_float, resample
from audiobook.engines.base import (
    Audio,
    DefaultCast,
    Engine,
    Gender,
    Option,
    Voice,
    VoiceInfo,
    has_words,
    package_version,
    silence,
    speakable,
)
from audiobook.errors import EngineError, SynthesisError

_LOGGER = logging.getLogger(__name__)

Fetch = Callable[[str, str, str], bytes]  # (text, lang, tld) -> MP3 bytes

SAMPLE_RATE = 24000  # what Google sends; other rates are resampled to it
_MAX_FAILURES_IN_A_ROW = 3  # then the network is down, not one segment bad

# voice id -> (tld, BCP 47 tag, accent); ordered best first for casting.
_VOICES: dict[str, tuple[str, str, str]] = {
    "en-com": ("com", "en-US", "US English"),
    "en-co.uk": ("co.uk", "en-GB", "British English"),
    "en-com.au": ("com.au", "en-AU", "Australian English"),
    "en-co.in": ("co.in", "en-IN", "Indian English"),
    "en-ie": ("ie", "en-IE", "Irish English"),
    "en-co.za": ("co.za", "en-ZA", "South African English"),
    "en-ca": ("ca", "en-CA", "Canadian English"),
}

# Google's voices all sound female; four semitones down (formants too) passes as male.
_POOL = (
    ("en-co.uk", 0.0, Gender.FEMALE),
    ("en-com.au", -4.0, Gender.MALE),
    ("en-co.in", 0.0, Gender.FEMALE),
    ("en-ie", -4.0, Gender.MALE),
    ("en-co.za", 0.0, Gender.FEMALE),
    ("en-co.uk", -4.0, Gender.MALE),
    ("en-ie", 0.0, Gender.FEMALE),
    ("en-co.za", -4.0, Gender.MALE),
    ("en-com.au", 0.0, Gender.FEMALE),
)


def gtts_fetch(text: str, lang: str, tld: str, timeout: float | None = None) -> bytes:
    """Ask Google for ``text`` as MP3; gTTS splits it into ~100-character requests."""
    from gtts import gTTS, gTTSError

    buffer = io.BytesIO()
    try:
        gTTS(text, lang=lang, tld=tld, lang_check=False, timeout=timeout).write_to_fp(buffer)
    except gTTSError as exc:
        raise SynthesisError(f"gtts: {str(exc).split('. Probable cause')[0]}") from exc
    except AssertionError as exc:  # gTTS asserts there is something to send
        raise SynthesisError(f"gtts: nothing to send ({exc})") from exc
    return buffer.getvalue()


def _time_stretch(x: FloatArray, rate: int, tempo: float) -> FloatArray:
    """Play ``x`` ``tempo`` times faster at the same pitch (WSOLA overlap-add).

    Frames of 40 ms are laid down every 20 ms (Hann windows at 50 % overlap sum to 1);
    each is taken near its nominal place in ``x``, slid by up to 12 ms to line up with
    the natural continuation of the previous frame so that voiced periods join smoothly.
    """
    if tempo == 1.0 or len(x) == 0:
        return x
    frame = int(rate * 0.04) // 2 * 2
    hop, seek = frame // 2, int(rate * 0.012)
    window = np.hanning(frame + 1)[:-1].astype(np.float32)
    n_out = int(len(x) / tempo)
    tail = np.zeros(frame + 2 * seek + int(hop * tempo) + 1, np.float32)
    padded = np.concatenate([np.zeros(seek, np.float32), x.astype(np.float32), tail])
    out = np.zeros(n_out + frame + hop, np.float32)
    prev = seek
    for k in range(n_out // hop + 1):
        nominal = seek + int(k * hop * tempo)
        pos = nominal
        if k:
            target = padded[prev + hop : prev + 2 * hop]
            region = padded[nominal - seek : nominal + seek + hop]
            pos = nominal - seek + int(np.argmax(np.correlate(region, target, "valid")))
        out[k * hop : k * hop + frame] += window * padded[pos : pos + frame]
        prev = pos
    return out[:n_out]


class GttsEngine(Engine):
    """Google Translate voices: natural but online, female-sounding, one per accent."""

    NAME = "gtts"
    ONLINE = True
    DESCRIPTION = "Google Translate TTS (online): English accents, all female-sounding"
    OPTIONS = (Option("timeout", float, 30.0, "seconds to wait for each request to Google"),)

    def __init__(self, *, fetch: Fetch | None = None, **options: Any) -> None:
        """``fetch`` replaces the network call (tests); by default gTTS does it."""
        super().__init__(**options)
        try:
            import imageio_ffmpeg

            with warnings.catch_warnings():  # pydub warns when ffmpeg is not on PATH
                warnings.simplefilter("ignore", RuntimeWarning)
                from pydub import AudioSegment
            ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
            if fetch is None:
                import gtts  # noqa: F401  (checked here, used by gtts_fetch)
        except ImportError as exc:
            raise EngineError(f"gtts: a required package is not installed ({exc.name})") from exc
        except RuntimeError as exc:  # imageio-ffmpeg without its binary
            raise EngineError(f"gtts: no ffmpeg to decode MP3 ({exc})") from exc
        # pydub looks for `ffmpeg` on PATH; point it at the binary from the wheel.
        AudioSegment.converter = ffmpeg
        self._segment = AudioSegment
        self.fetch: Fetch = fetch or functools.partial(gtts_fetch, timeout=self.options["timeout"])
        self._failures = 0
        self._failures_lock = threading.Lock()

    @property
    def version(self) -> str:
        return f"gTTS {package_version('gTTS')} (Google's voices may change without notice)"

    def voices(self) -> list[VoiceInfo]:
        """One voice per Google domain; Google does not say, but all sound female."""
        return [
            VoiceInfo(vid, Gender.UNKNOWN, tag, f"{accent}, female-sounding (Google)", rank)
            for rank, (vid, (_tld, tag, accent)) in enumerate(_VOICES.items())
        ]

    def default_cast(self) -> DefaultCast:
        """US narrator; the other accents, pitched down for male characters."""
        return DefaultCast(
            narrator=Voice(self.NAME, "en-com"),
            pool=tuple((Voice(self.NAME, vid, pitch=pitch), g) for vid, pitch, g in _POOL),
            unknown=Voice(self.NAME, "en-ca", pitch=-2.0),
        )

    def synthesize(self, text: str, voice: Voice) -> Audio:
        """Fetch ``text`` from Google; speed and pitch are applied here by DSP."""
        self.check_voice(voice)
        clean = speakable(text)
        if not has_words(clean):
            return silence(SAMPLE_RATE)
        tld = _VOICES[voice.name][0]
        samples = self._decode(self._fetch(" ".join(clean.split()), tld))
        ratio = 2.0 ** (voice.pitch / 12.0)
        samples = _time_stretch(samples, SAMPLE_RATE, max(voice.speed, 0.1) / ratio)
        if ratio != 1.0:
            # Stretched `ratio` times longer above; playing it `ratio` times faster
            # restores the length and moves pitch and formants by `ratio`.
            samples = resample(samples, round(SAMPLE_RATE * ratio), SAMPLE_RATE)
        return Audio(np.clip(samples, -1.0, 1.0).astype(np.float32), SAMPLE_RATE)

    def _fetch(self, text: str, tld: str) -> bytes:
        """Call :attr:`fetch`; several network failures in a row stop the run."""
        try:
            mp3 = self.fetch(text, "en", tld)
        except (SynthesisError, OSError) as exc:
            with self._failures_lock:
                self._failures += 1
                failures = self._failures
            message = str(exc) if isinstance(exc, SynthesisError) else f"gtts: network: {exc}"
            if failures >= _MAX_FAILURES_IN_A_ROW:
                raise EngineError(f"{message} ({failures} requests failed in a row)") from exc
            raise SynthesisError(message) from exc
        with self._failures_lock:
            self._failures = 0
        return mp3

    def _decode(self, mp3: bytes) -> FloatArray:
        """MP3 bytes -> mono float32 at :data:`SAMPLE_RATE`, through pydub and ffmpeg."""
        from pydub.exceptions import CouldntDecodeError

        try:
            segment = self._segment.from_file(io.BytesIO(mp3), format="mp3", codec="mp3")
        except (CouldntDecodeError, OSError) as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "no output"
            raise SynthesisError(f"gtts: cannot decode the MP3 from Google: {first_line}") from exc
        segment = segment.set_channels(1).set_sample_width(2)
        pcm: npt.NDArray[np.int16] = np.frombuffer(segment.raw_data, dtype=np.int16)
        return resample(int16_to_float(pcm), segment.frame_rate, SAMPLE_RATE)
