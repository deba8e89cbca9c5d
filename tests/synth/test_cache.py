"""The segment cache: keys, checksummed entries, atomic writes, info and clear."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audiobook.engines.base import Audio, Voice
from audiobook.errors import OutputError
from audiobook.synth.cache import (
    CACHE_ENV,
    SegmentCache,
    default_cache_dir,
    segment_key,
    spoken_text,
)

VOICE = Voice("fake", "m1")


def tone(n: int = 1600, rate: int = 16000) -> Audio:
    return Audio((0.1 * np.sin(np.arange(n) / 5)).astype(np.float32), rate)


def test_key_depends_on_everything_that_changes_the_sound() -> None:
    base = segment_key("Hello there.", VOICE, "1", {})
    assert base == segment_key("Hello there.", VOICE, "1", {"threads": 4})  # speed only
    others = {
        segment_key("Hello there!", VOICE, "1", {}),
        segment_key("Hello there.", Voice("fake", "m2"), "1", {}),
        segment_key("Hello there.", Voice("fake", "m1", speed=1.1), "1", {}),
        segment_key("Hello there.", Voice("fake", "m1", pitch=-2.0), "1", {}),
        segment_key("Hello there.", Voice("fake", "m1", options=(("formant", 1.0),)), "1", {}),
        segment_key("Hello there.", Voice("other", "m1"), "1", {}),
        segment_key("Hello there.", VOICE, "2", {}),
        segment_key("Hello there.", VOICE, "1", {"noise_scale": 0.5}),
    }
    assert base not in others and len(others) == 8


def test_spoken_text_normalises_whitespace_and_unicode() -> None:
    assert spoken_text("  Cafe\u0301\n  au\tlait ") == "Caf\u00e9 au lait"


def test_store_and_load_round_trip(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path / "c")
    audio = tone()
    entry = cache.store("ab" * 32, audio)
    assert (entry.rate, entry.frames) == (16000, 1600) and entry.seconds == 0.1
    loaded = cache.load("ab" * 32)
    assert loaded is not None and loaded.sample_rate == 16000
    np.testing.assert_array_equal(loaded.samples, audio.samples)
    assert cache.verify("ab" * 32) == entry
    assert cache.load("cd" * 32) is None
    assert not list(cache.root.rglob("*.tmp"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-3],  # truncated
        lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],  # a flipped bit in the header
        lambda data: data[:-1] + bytes([data[-1] ^ 0x10]),  # a flipped bit in the samples
        lambda data: data + b"\x00",  # trailing junk
        lambda data: b"",  # empty
    ],
)
def test_a_corrupt_entry_is_detected_and_deleted(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = SegmentCache(tmp_path)
    key = "ef" * 32
    cache.store(key, tone())
    path = cache.entry_path(key)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.load(key) is None
    assert not path.exists() and cache.discarded == [path]


def test_unwritable_cache_is_an_output_error_naming_the_entry(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = SegmentCache(blocker)
    with pytest.raises(
        OutputError, match=r"^cannot write cache entry .*/file/12/(12)+\.seg: Not a directory$"
    ):
        cache.store("12" * 32, tone())


def test_info_and_clear_touch_only_cache_files(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path)
    for key in ("a1" * 32, "a2" * 32, "b1" * 32):
        cache.store(key, tone())
    (tmp_path / "a1" / "leftover.seg.1234.tmp").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    stats = cache.stats()
    assert (stats.entries, stats.temporary) == (3, 1) and stats.bytes > 3 * 6400
    assert cache.clear().entries == 3
    assert cache.stats().entries == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_default_folder_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "here"))
    assert default_cache_dir() == tmp_path / "here"
    monkeypatch.delenv(CACHE_ENV)
    assert default_cache_dir().parts[-2:] == ("audiobook", "segments")
