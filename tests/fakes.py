"""Deterministic stand-ins for the real parts, for unit tests only."""

from __future__ import annotations

import hashlib

import numpy as np

from audiobook.engines.base import (
    Audio,
    DefaultCast,
    Engine,
    Gender,
    Voice,
    VoiceInfo,
    has_words,
    silence,
)

FAKE_VOICES = {
    "narrator": Gender.MALE,
    "m1": Gender.MALE,
    "m2": Gender.MALE,
    "m3": Gender.MALE,
    "f1": Gender.FEMALE,
    "f2": Gender.FEMALE,
    "f3": Gender.FEMALE,
    "x1": Gender.UNKNOWN,
}


class FakeEngine(Engine):
    """Speaks each word as a 0.1 s tone whose pitch identifies the voice.

    Records every call in ``calls`` so tests can count what was synthesized.
    """

    NAME = "fake"
    DESCRIPTION = "test tones"
    SAMPLE_RATE = 16000
    WORD_SECONDS = 0.1

    def __init__(self, **options: object) -> None:
        super().__init__(**options)
        self.calls: list[tuple[str, str]] = []

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(id=v, gender=g, language="en-US") for v, g in FAKE_VOICES.items()]

    def default_cast(self) -> DefaultCast:
        pool = tuple(
            (Voice(self.NAME, v), g) for v, g in FAKE_VOICES.items() if v not in {"narrator", "x1"}
        )
        return DefaultCast(
            narrator=Voice(self.NAME, "narrator"), pool=pool, unknown=Voice(self.NAME, "x1")
        )

    def synthesize(self, text: str, voice: Voice) -> Audio:
        self.check_voice(voice)
        self.calls.append((text, voice.id))
        if not has_words(text):
            return silence(self.SAMPLE_RATE)
        words = len(text.split())
        n = int(words * self.WORD_SECONDS * self.SAMPLE_RATE / voice.speed)
        digest = hashlib.sha256(voice.id.encode()).digest()
        freq = 200 + digest[0] * 2
        t = np.arange(n, dtype=np.float32) / self.SAMPLE_RATE
        samples = (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
        return Audio(samples, self.SAMPLE_RATE)
