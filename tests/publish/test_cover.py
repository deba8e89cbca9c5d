"""Cover art: drawn covers and user images fitted to what directories accept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from audiobook.errors import InputError
from audiobook.publish.cover import MAX_SIDE, MIN_SIDE, draw_cover, load_cover


def size(data: bytes) -> tuple[tuple[int, int], str]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size, str(image.format)


def test_drawn_cover_is_a_square_jpeg_and_deterministic() -> None:
    cover = draw_cover("The Keeper of Gull Point", "Ann Author")
    assert cover.mime == "image/jpeg"
    assert size(cover.data) == ((MIN_SIDE, MIN_SIDE), "JPEG")
    assert cover == draw_cover("The Keeper of Gull Point", "Ann Author")
    assert cover != draw_cover("Another Book", "Ann Author")
    assert size(draw_cover("A " * 200, None).data)[0] == (MIN_SIDE, MIN_SIDE)  # long title fits


@pytest.mark.parametrize(
    ("given", "side"), [((800, 600), MIN_SIDE), ((4000, 5000), MAX_SIDE), ((2000, 2000), 2000)]
)
def test_user_image_is_cropped_square_and_scaled(
    tmp_path: Path, given: tuple[int, int], side: int
) -> None:
    path = tmp_path / "art.png"
    Image.new("RGBA", given, (200, 10, 10, 255)).save(path)
    assert size(load_cover(path).data) == ((side, side), "JPEG")


def test_bad_image_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "cover.jpg"
    bad.write_text("no")
    with pytest.raises(InputError, match=r"cannot use .*cover.jpg as a cover"):
        load_cover(bad)
    with pytest.raises(InputError, match=r"missing.png"):
        load_cover(tmp_path / "missing.png")
