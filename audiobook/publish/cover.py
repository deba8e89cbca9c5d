"""Cover art: the user's image made fit for players and podcast directories, or one drawn.

Podcast directories want a square JPEG or PNG of 1400 to 3000 pixels a side; players
want the same in the MP3's APIC frame. :func:`load_cover` crops a user's image to a
centred square and scales it into that range; :func:`draw_cover` makes one from the
title and author (Pillow's built-in font, so nothing is needed from the system).
Both give JPEG bytes, so one file serves the MP3 tags, the M4B and the feed.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import logging
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from audiobook.errors import InputError
from audiobook.publish.files import reason
from audiobook.publish.tags import Picture

_LOGGER = logging.getLogger(__name__)

MIN_SIDE = 1400  # Apple Podcasts' smallest artwork
MAX_SIDE = 3000  # and largest
_QUALITY = 88  # JPEG quality: sharp text at a fraction of PNG's size
_MAX_TITLE_LINES = 5


def load_cover(path: Path) -> Picture:
    """The image at ``path`` as a square JPEG of 1400-3000 px.

    Raises :class:`InputError` naming the file when it is missing or not an image.
    """
    try:
        with Image.open(path) as image:
            image.load()
            square = _square(image.convert("RGB"))
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise InputError(f"cannot use {path} as a cover: {reason(exc)}") from exc
    return Picture(_jpeg(square))


def _square(image: Image.Image) -> Image.Image:
    """Centre-crop to a square, then scale into ``MIN_SIDE``..``MAX_SIDE``."""
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    target = min(max(side, MIN_SIDE), MAX_SIDE)
    if target != side:
        image = image.resize((target, target), Image.Resampling.LANCZOS)
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=_QUALITY, optimize=True)
    return out.getvalue()


def _colours(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """A dark background and a light ink, picked from ``seed`` so each book has its own."""
    hue = hashlib.sha256(seed.encode("utf-8")).digest()[0] / 255.0
    dark = colorsys.hls_to_rgb(hue, 0.22, 0.45)
    light = colorsys.hls_to_rgb(hue, 0.92, 0.35)
    return _rgb(dark), _rgb(light)


def _rgb(colour: tuple[float, float, float]) -> tuple[int, int, int]:
    return (round(colour[0] * 255), round(colour[1] * 255), round(colour[2] * 255))


def draw_cover(title: str, author: str | None, *, side: int = MIN_SIDE) -> Picture:
    """A plain square cover: the title large, the author under it, on a colour of its own.

    Deterministic for the same title and author.
    """
    background, ink = _colours(f"{title}\n{author or ''}")
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    margin = side // 12
    draw.rectangle((margin // 2, margin // 2, side - margin // 2, side - margin // 2),
                   outline=ink, width=max(2, side // 200))  # fmt: skip
    size, lines = _fit(draw, title, side - 2 * margin)
    font = ImageFont.load_default(size=size)
    y = side * 0.42 - (len(lines) - 1) * size * 0.6
    for line in lines:
        draw.text((side / 2, y), line, font=font, fill=ink, anchor="mm")
        y += size * 1.2
    if author:
        small = ImageFont.load_default(size=max(24, size // 2))
        draw.text((side / 2, side * 0.78), author, font=small, fill=ink, anchor="mm")
    return Picture(_jpeg(image))


def _fit(draw: ImageDraw.ImageDraw, title: str, width: int) -> tuple[int, list[str]]:
    """The largest font size (and the wrapped lines) at which ``title`` fits ``width``."""
    text = " ".join(title.split()) or "Untitled"
    for size in range(width // 6, 23, -8):
        font = ImageFont.load_default(size=size)
        per_line = max(4, int(width / (size * 0.55)))
        lines = textwrap.wrap(text, per_line)[:_MAX_TITLE_LINES]
        if all(draw.textlength(line, font=font) <= width for line in lines):
            return size, lines
    return 24, textwrap.wrap(text, 40)[:_MAX_TITLE_LINES]
