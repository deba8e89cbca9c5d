"""Styles: a whisper has no pitch left, a thought rings in a small room; both deterministic."""

from __future__ import annotations

import numpy as np

from audiobook.audio.styles import ROOM_SECONDS, apply_style
from audiobook.engines.base import Audio
from audiobook.script.model import Style

RATE = 16000


def voiced(seconds: float = 1.0) -> Audio:
    """A buzz with a 140 Hz fundamental and harmonics: vowel-like, strongly periodic."""
    t = np.arange(int(RATE * seconds)) / RATE
    wave = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 12))
    return Audio((0.3 * wave / np.max(np.abs(wave))).astype(np.float32), RATE)


def periodicity(samples: np.ndarray) -> float:
    """Peak of the normalised autocorrelation at speech pitch lags (1 = perfectly periodic)."""
    x = samples - samples.mean()
    corr = np.correlate(x[:4000], x[:8000], mode="valid")[: RATE // 60]
    energy = float(np.dot(x[:4000], x[:4000]))
    return float(np.max(corr[RATE // 400 :]) / energy)


def test_plain_lines_are_untouched() -> None:
    audio = voiced()
    assert apply_style(audio, None) is audio


def test_a_whisper_keeps_its_length_and_loses_its_pitch() -> None:
    audio = voiced()
    whispered = apply_style(audio, Style.WHISPER)
    assert len(whispered.samples) == len(audio.samples)
    assert periodicity(audio.samples) > 0.9 > 0.5 > periodicity(whispered.samples)
    again = apply_style(audio, Style.WHISPER)
    assert np.array_equal(whispered.samples, again.samples)


def test_a_thought_adds_a_room_tail() -> None:
    audio = voiced(0.5)
    thought = apply_style(audio, Style.THOUGHT)
    tail = thought.samples[len(audio.samples) :]
    assert len(tail) == int(ROOM_SECONDS * RATE) - 1
    assert np.max(np.abs(tail)) > 0.01  # the room rings on after the voice stops
    assert np.max(np.abs(thought.samples)) <= 1.0
    assert np.array_equal(thought.samples, apply_style(audio, Style.THOUGHT).samples)
