"""MP3 frames and format: the true CBR test, and native decoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audiobook.audio.encode import encode_mp3
from audiobook.audio.mpeg import decode_native, read_format, scan_frames
from audiobook.errors import InputError
from audiobook.publish.tags import ChapterTags, write_tags


@pytest.fixture(scope="module")
def mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mpeg") / "a.mp3"
    t = np.arange(44100 * 2) / 44100
    encode_mp3((0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 44100, path)
    return path


def test_every_frame_is_counted_at_one_bitrate(mp3: Path) -> None:
    counts = scan_frames(mp3.read_bytes())
    assert list(counts) == [192]
    assert counts[192] * 1152 >= 2 * 44100  # two seconds of 1152-sample frames


def test_a_tag_in_front_and_a_mixed_bitrate_file(mp3: Path, tmp_path: Path) -> None:
    tagged = tmp_path / "t.mp3"
    tagged.write_bytes(mp3.read_bytes())
    write_tags(tagged, ChapterTags("t", "a", "b", "b", 1, 1))
    assert scan_frames(tagged.read_bytes()) == scan_frames(mp3.read_bytes())
    other = tmp_path / "128.mp3"
    encode_mp3(np.zeros(44100, np.float32), 44100, other, bitrate=128)
    mixed = read_format_of(mp3.read_bytes() + other.read_bytes(), tmp_path)
    assert not mixed.constant and {k for k, _ in mixed.bitrates} == {128, 192}


def read_format_of(data: bytes, folder: Path):  # type: ignore[no-untyped-def]
    path = folder / "joined.mp3"
    path.write_bytes(data)
    return read_format(path)


def test_format_and_native_decoding(mp3: Path) -> None:
    fmt = read_format(mp3)
    assert (fmt.layer, fmt.sample_rate, fmt.channels, fmt.bitrate, fmt.constant) == (
        3,
        44100,
        1,
        192,
        True,
    )
    samples = decode_native(mp3, fmt)
    assert samples.shape[1] == 1 and samples.shape[0] >= 2 * 44100
    assert fmt.size == mp3.stat().st_size


def test_not_an_mp3_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.mp3"
    bad.write_bytes(b"hello" * 100)
    with pytest.raises(InputError, match=r"x.mp3"):
        read_format(bad)
