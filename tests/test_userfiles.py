"""Reading hand-written files: every failure is one ConfigError naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.errors import ConfigError
from audiobook.userfiles import read_user_text


def test_a_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "voices.yaml"
    path.write_bytes(b"\xef\xbb\xbfengine: piper\n")
    assert read_user_text(path, 100, "a voices file") == "engine: piper\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "no such file"),
        (b"x" * 101, "101 bytes is too big for a voices file"),
        (b"caf\xe9\n", "not UTF-8 text"),
    ],
)
def test_failures_name_the_file(tmp_path: Path, data: bytes | None, message: str) -> None:
    path = tmp_path / "voices.yaml"
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(ConfigError) as info:
        read_user_text(path, 100, "a voices file")
    assert str(info.value) == f"{path}: {message}"
