"""Tests for the speech engines, and the small signal helpers they share."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def estimate_f0(samples: npt.NDArray[np.float32], rate: int) -> float:
    """Median fundamental frequency (Hz) over the loud frames, by autocorrelation."""
    frame = int(0.04 * rate)
    starts = range(0, len(samples) - frame, frame // 2)
    energy = np.array([np.sqrt(np.mean(samples[i : i + frame] ** 2)) for i in starts])
    lo_lag, hi_lag = int(rate / 500), int(rate / 60)
    found = []
    for i, e in zip(starts, energy, strict=True):
        if e < 0.3 * energy.max():
            continue
        x = samples[i : i + frame] - samples[i : i + frame].mean()
        ac = np.correlate(x, x, "full")[frame - 1 :]
        if ac[0] <= 0:
            continue
        lag = lo_lag + int(np.argmax(ac[lo_lag:hi_lag]))
        if ac[lag] / ac[0] > 0.5:  # clearly periodic: voiced
            found.append(rate / lag)
    return float(np.median(found)) if found else 0.0


def mp3_tone(seconds: float, freq: float = 220.0, rate: int = 24000) -> bytes:
    """Real MP3 bytes (LAME) of a harmonic tone, like what Google would send."""
    import lameenc

    t = np.arange(int(seconds * rate)) / rate
    wave = 0.3 * np.sin(2 * np.pi * freq * t) + 0.1 * np.sin(2 * np.pi * 2 * freq * t)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(2)
    pcm = (wave * 32767).astype(np.int16).tobytes()
    return bytes(encoder.encode(pcm) + encoder.flush())


class ToneFetch:
    """Stands in for Google: 0.1 s of tone per word, and a record of every request."""

    SECONDS_PER_WORD = 0.1

    def __init__(self, freq: float = 220.0, rate: int = 24000) -> None:
        self.freq = freq
        self.rate = rate
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, text: str, lang: str, tld: str) -> bytes:
        self.calls.append((text, lang, tld))
        seconds = 0.2 + self.SECONDS_PER_WORD * len(text.split())
        return mp3_tone(seconds, self.freq, self.rate)


class FakeKokoroSession:
    """Stands in for Kokoro's ONNX model: 60 ms of a 200 Hz voice-like buzz per token.

    The tone starts and ends with 0.2 s of silence (as the model pads), its length
    follows ``speed``, and every call is recorded (tokens, style row, speed).
    """

    RATE = 24000
    SECONDS_PER_TOKEN = 0.06

    class _Input:
        def __init__(self, name: str) -> None:
            self.name = name

    def __init__(self, freq: float = 200.0) -> None:
        self.freq = freq
        self.calls: list[tuple[list[int], npt.NDArray[np.float32], float]] = []

    def get_inputs(self) -> list[FakeKokoroSession._Input]:
        return [self._Input(n) for n in ("tokens", "style", "speed")]

    def run(
        self, _outputs: object, feed: dict[str, npt.NDArray[np.generic]]
    ) -> list[npt.NDArray[np.float32]]:
        tokens = [int(t) for t in feed["tokens"][0][1:-1]]
        speed = float(feed["speed"][0])
        self.calls.append((tokens, np.asarray(feed["style"], np.float32), speed))
        n = int(len(tokens) * self.SECONDS_PER_TOKEN / speed * self.RATE)
        t = np.arange(n) / self.RATE
        # Ten harmonics falling off like a glottal source, so pitch trackers lock on.
        tone = sum((0.3 / k) * np.sin(2 * np.pi * k * self.freq * t) for k in range(1, 11))
        tone = tone + 1e-3 * np.random.default_rng(len(tokens)).standard_normal(n)
        pad = np.zeros(int(0.2 * self.RATE))
        return [np.concatenate([pad, tone, pad]).astype(np.float32)[None, :]]
