"""Stitching: layout, trimming, levelling and room tone of a chapter."""

from __future__ import annotations

import numpy as np
import pytest

from audiobook.audio.stitch import (
    Levels,
    PauseTimes,
    active_rms,
    limit_peaks,
    stitch,
    trim_bounds,
)
from audiobook.engines.base import Audio, Voice
from audiobook.script.model import Pause
from tests.fakes import FakeEngine

RATE = 44100


def tone(seconds: float, rate: int = RATE, amp: float = 0.3, freq: float = 440.0) -> Audio:
    t = np.arange(round(seconds * rate)) / rate
    return Audio((amp * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate)


def padded(audio: Audio, before: float, after: float) -> Audio:
    """``audio`` with digital silence around it, as engines often return."""
    rate = audio.sample_rate
    pad = [np.zeros(round(before * rate), np.float32), np.zeros(round(after * rate), np.float32)]
    return Audio(np.concatenate([pad[0], audio.samples, pad[1]]), rate)


def db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))))


def span(samples: np.ndarray, start: float, end: float) -> np.ndarray:
    return samples[round(start * RATE) : round(end * RATE)]


def test_pause_times_cover_every_pause() -> None:
    times = PauseTimes()
    assert [times.after(p) for p in Pause] == [80, 250, 400, 750, 1800]
    assert 500 <= times.lead_in <= 1000  # ACX room tone at the head
    assert 1000 <= times.tail <= 5000  # and at the tail


def test_pause_times_reject_negative() -> None:
    with pytest.raises(ValueError, match="clause"):
        PauseTimes(clause=-1)


def test_layout_is_lead_pieces_pauses_tail() -> None:
    pauses = PauseTimes(lead_in=500, tail=1000, sentence=300, paragraph=600)
    pieces = [(tone(1.0), Pause.SENTENCE), (tone(0.5), Pause.PARAGRAPH), (tone(0.25), Pause.SCENE)]
    out = stitch(pieces, pauses=pauses)
    # The last piece's own pause (a scene break) is replaced by the tail.
    assert len(out.samples) == round((0.5 + 1.0 + 0.3 + 0.5 + 0.6 + 0.25 + 1.0) * RATE)
    # Flattened: pytest 9.2's approx no longer compares nested sequences.
    starts_ends = [t for timing in out.timings for t in timing]
    assert starts_ends == pytest.approx([0.5, 1.5, 1.8, 2.3, 2.9, 3.15], abs=1e-9)
    assert out.rate == RATE and out.samples.dtype == np.float32
    assert out.seconds == pytest.approx(4.15)


def test_no_pieces_is_lead_and_tail_of_room_tone() -> None:
    out = stitch([])
    assert len(out.samples) == round(3.25 * RATE) and out.timings == ()
    assert db(out.samples) < -60 and np.all(out.samples != 0)


def test_pieces_at_other_rates_are_resampled() -> None:
    engine = FakeEngine()
    spoken = engine.synthesize("five words in this line", Voice("fake", "f1"))  # 0.5 s at 16 kHz
    out = stitch([(spoken, Pause.SENTENCE), (tone(0.5, rate=22050), Pause.SENTENCE)])
    for start, end in out.timings:
        assert end - start == pytest.approx(0.5, abs=2 / RATE)


def test_engine_padding_is_trimmed_keeping_a_margin() -> None:
    out = stitch([(padded(tone(1.0), 0.4, 0.6), Pause.SENTENCE)])
    ((start, end),) = out.timings
    # 20 ms of the padding is kept either side so word onsets are never clipped.
    assert end - start == pytest.approx(1.04, abs=2 / RATE)


def test_trim_bounds() -> None:
    samples = padded(tone(0.1), 0.1, 0.1).samples
    start, end = trim_bounds(samples, RATE, keep_ms=10)
    assert start == round(0.09 * RATE) + 1  # the tone's first sample is sin(0) = 0
    assert end == round(0.21 * RATE)
    assert trim_bounds(np.zeros(100, np.float32), RATE) == (0, 0)
    assert trim_bounds(np.full(100, 1e-4, np.float32), RATE) == (0, 0)  # under -60 dBFS


def test_silent_piece_takes_no_time_but_keeps_its_pause() -> None:
    pauses = PauseTimes(lead_in=100, tail=100, sentence=200)
    silent = Audio(np.zeros(8000, np.float32), 16000)
    out = stitch([(silent, Pause.SENTENCE), (tone(0.5), Pause.SENTENCE)], pauses=pauses)
    assert out.timings[0] == (0.1, 0.1)
    assert out.timings[1] == pytest.approx((0.3, 0.8))


def test_quiet_and_loud_voices_sit_together() -> None:
    pieces = [(tone(1.0, amp=0.01), Pause.SENTENCE), (tone(1.0, amp=0.9), Pause.SENTENCE)]
    out = stitch(pieces, pauses=PauseTimes(lead_in=100, tail=100))
    quiet, loud = (active_rms(span(out.samples, a, b), RATE) for a, b in out.timings)
    assert 20 * np.log10(quiet / loud) == pytest.approx(0.0, abs=0.2)


def test_levels_meet_acx_even_with_long_silences() -> None:
    # Spiky pieces with long pauses need make-up gain and then the limiter.
    rng = np.random.default_rng(3)
    spiky = Audio((rng.standard_normal(RATE // 2) * 0.05).astype(np.float32), RATE)
    spiky.samples[::997] = 0.9
    out = stitch([(spiky, Pause.SCENE), (tone(0.3, amp=0.02), Pause.SENTENCE)])
    assert 20 * np.log10(np.max(np.abs(out.samples))) <= -3.0
    assert -23.0 <= db(out.samples) <= -18.0


def test_loud_chapter_is_brought_down() -> None:
    pauses = PauseTimes(lead_in=0, tail=0)
    loud = Levels(speech_rms_db=-10)
    out = stitch([(tone(2.0, amp=0.5), Pause.NONE)], pauses=pauses, levels=loud)
    assert db(out.samples) == pytest.approx(-19.0, abs=0.1)


def test_room_tone_is_quiet_but_never_digital_silence() -> None:
    out = stitch([(padded(tone(0.5), 0.2, 0.2), Pause.PARAGRAPH), (tone(0.5), Pause.SENTENCE)])
    (_, end), (start, _) = out.timings
    for gap in (span(out.samples, 0, out.timings[0][0]), span(out.samples, end, start)):
        assert -75 < db(gap) < -60
        assert np.count_nonzero(gap == 0) == 0


def test_output_is_reproducible_and_seeded() -> None:
    pieces = [(tone(0.3), Pause.SENTENCE), (tone(0.2, rate=16000), Pause.NONE)]
    first, again = stitch(pieces, seed=7), stitch(pieces, seed=7)
    assert np.array_equal(first.samples, again.samples)
    assert not np.array_equal(first.samples, stitch(pieces, seed=8).samples)


def test_nan_from_an_engine_does_not_poison_the_chapter() -> None:
    broken = tone(0.5, rate=22050)
    broken.samples[1000:1100] = np.nan
    broken.samples[2000] = np.inf
    out = stitch([(broken, Pause.SENTENCE), (tone(0.5), Pause.SENTENCE)])
    assert np.all(np.isfinite(out.samples))
    assert [b - a for a, b in out.timings] == pytest.approx([0.5, 0.5], abs=2 / RATE)
    assert db(out.samples) > -23.0


def test_stereo_piece_is_rejected() -> None:
    with pytest.raises(ValueError, match="mono"):
        stitch([(Audio(np.zeros((100, 2), np.float32), RATE), Pause.SENTENCE)])


def test_limit_peaks_holds_the_ceiling_smoothly() -> None:
    samples = tone(0.5, amp=0.2).samples
    samples[1000:1100] *= 5.0  # a burst to 1.0
    original = samples.copy()
    limit_peaks(samples, RATE, -6.0)
    assert np.max(np.abs(samples)) <= 10 ** (-6 / 20) + 1e-7
    assert np.array_equal(samples[5000:], original[5000:])  # far from the burst: untouched
    # No hard clipping: the gain ramps, so the waveform keeps its shape under the limit.
    assert np.max(np.abs(np.diff(samples[800:1300]))) < 0.2


def test_active_rms_ignores_gaps_between_words() -> None:
    word = tone(0.2, amp=0.1).samples
    speech = np.concatenate([word, np.zeros(RATE // 2, np.float32), word])
    assert active_rms(speech, RATE) == pytest.approx(0.1 / np.sqrt(2), rel=0.02)
    assert active_rms(np.zeros(10, np.float32), RATE) == 0.0


def test_voices_are_levelled_by_how_loud_they_sound() -> None:
    """A bass voice and a bright one come out equally loud by BS.1770, not equal in RMS."""
    from audiobook.audio.loudness import integrated_lufs

    bass, bright = tone(2.0, freq=90.0), tone(2.0, freq=3000.0)
    out = stitch([(bass, Pause.SENTENCE), (bright, Pause.SENTENCE)], finish=False)
    (a, b), (c, d) = out.timings
    low, high = (integrated_lufs(span(out.samples, s, e), RATE) for s, e in ((a, b), (c, d)))
    assert low == pytest.approx(high, abs=0.3)
    assert (
        db(span(out.samples, a, b)) > db(span(out.samples, c, d)) + 1.0
    )  # the bass needs more RMS


def test_unfinished_chapter_is_levelled_speech_over_digital_silence() -> None:
    out = stitch([(tone(0.5), Pause.SENTENCE)], finish=False)
    assert np.all(out.samples[: round(0.7 * RATE)] == 0)
    assert np.all(out.samples[-round(2.4 * RATE) :] == 0)
