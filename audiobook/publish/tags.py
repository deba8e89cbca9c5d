"""ID3 tags for chapter MP3s: what players show for each chapter of the book.

Tags are ID3v2.4 written with mutagen. :func:`write_tags` replaces whatever tag the
file had, so re-running a book gives the same tags however the file was made. The frame
list is built in one place (:func:`_frames`) so cover art, lyrics and chapter frames can
join it later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import (
    COMM,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TPE2,
    TRCK,
    TXXX,
    Encoding,
    Frame,
    ID3NoHeaderError,
)

from audiobook.errors import InputError, OutputError
from audiobook.publish.files import reason

_LOGGER = logging.getLogger(__name__)

CAST_DESC = "CAST"  # TXXX description of the character -> voice list
_CAST_SEP = ": "  # between character and voice on each line of TXXX:CAST
COMMENT_LANG = "eng"  # our comments (engine and narrator credits) are written in English

# BCP 47 primary language -> ISO 639-2 code for TLAN. Where 639-2 has two codes the
# bibliographic one (B: "ger", "fre") is written, as most taggers do; both are read.
_ISO639_2 = {
    "ar": "ara", "bg": "bul", "ca": "cat", "cs": "cze", "cy": "wel", "da": "dan",
    "de": "ger", "el": "gre", "en": "eng", "eo": "epo", "es": "spa", "et": "est",
    "eu": "baq", "fa": "per", "fi": "fin", "fr": "fre", "ga": "gle", "he": "heb",
    "hi": "hin", "hr": "hrv", "hu": "hun", "id": "ind", "is": "ice", "it": "ita",
    "ja": "jpn", "ko": "kor", "la": "lat", "lt": "lit", "lv": "lav", "nb": "nob",
    "nl": "dut", "nn": "nno", "no": "nor", "pl": "pol", "pt": "por", "ro": "rum",
    "ru": "rus", "sk": "slo", "sl": "slv", "sr": "srp", "sv": "swe", "sw": "swa",
    "th": "tha", "tr": "tur", "uk": "ukr", "vi": "vie", "zh": "chi",
}  # fmt: skip
_TERMINOLOGIC = {
    "baq": "eus", "chi": "zho", "cze": "ces", "dut": "nld", "fre": "fra", "ger": "deu",
    "gre": "ell", "ice": "isl", "per": "fas", "rum": "ron", "slo": "slk", "wel": "cym",
}  # fmt: skip
_FROM_ISO639_2 = {code: tag for tag, code in _ISO639_2.items()}
_FROM_ISO639_2 |= {t: _FROM_ISO639_2[b] for b, t in _TERMINOLOGIC.items()}
UNDETERMINED = "und"  # ISO 639-2 for "language not known"


@dataclass(frozen=True)
class ChapterTags:
    """The tags of one chapter file. Empty strings are not written (and read back as ``""``)."""

    title: str  # the chapter's title (TIT2)
    album: str  # the book's title (TALB)
    artist: str  # the author (TPE1)
    album_artist: str  # usually the author too; keeps a book's files together (TPE2)
    track: int  # 1-based chapter number (TRCK "n/N")
    total: int  # number of chapters in the book
    genre: str = "Audiobook"  # TCON
    year: int | None = None  # publication year (TDRC)
    language: str = "en"  # BCP 47 tag of the text, e.g. "en"; written as ISO 639-2 (TLAN)
    comment: str = ""  # narrator / engine credit (COMM, language "eng", no description)
    # Character -> voice used, in cast order (TXXX:CAST, one "name: voice" line each).
    cast: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.track <= self.total:
            raise ValueError(f"track {self.track} is outside 1..{self.total}")
        if self.year is not None and not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is not a four-digit year")
        for name, voice in self.cast:
            if "\n" in name + voice or _CAST_SEP in voice:
                raise ValueError(f"cast entry {name!r} -> {voice!r} cannot be written on one line")


def iso639_2(language: str) -> str:
    """ISO 639-2 code for a BCP 47 tag (``"en-GB"`` -> ``"eng"``); ``"und"`` if unknown."""
    primary = language.strip().replace("_", "-").partition("-")[0].lower()
    if primary in _ISO639_2:
        return _ISO639_2[primary]
    if len(primary) == 3 and primary.isalpha():  # already a three-letter code
        return primary
    return UNDETERMINED


def bcp47(code: str) -> str:
    """BCP 47 primary tag for an ISO 639-2 code (``"eng"`` -> ``"en"``); ``""`` for ``"und"``."""
    code = code.strip().lower()
    if code in ("", UNDETERMINED):
        return ""
    return _FROM_ISO639_2.get(code, code)


def _frames(tags: ChapterTags) -> list[Frame]:
    """The ID3 frames for ``tags``; text frames with empty values are left out."""
    texts: list[tuple[type[Frame], str]] = [
        (TIT2, tags.title),
        (TALB, tags.album),
        (TPE1, tags.artist),
        (TPE2, tags.album_artist),
        (TCON, tags.genre),
        (TRCK, f"{tags.track}/{tags.total}"),
        (TDRC, "" if tags.year is None else f"{tags.year:04d}"),
        (TLAN, iso639_2(tags.language) if tags.language else ""),
    ]
    frames = [_frame(kind, text=[value]) for kind, value in texts if value]
    if tags.comment:
        frames.append(_frame(COMM, lang=COMMENT_LANG, desc="", text=[tags.comment]))
    if tags.cast:
        lines = "\n".join(f"{name}{_CAST_SEP}{voice}" for name, voice in tags.cast)
        frames.append(_frame(TXXX, desc=CAST_DESC, text=[lines]))
    return frames


def _frame(kind: type[Frame], **fields: object) -> Frame:
    """A frame of type ``kind`` with UTF-8 text (v2.4 allows it; no UTF-16 BOMs)."""
    return kind(encoding=Encoding.UTF8, **fields)


def write_tags(path: Path, tags: ChapterTags) -> None:
    """Replace the ID3 tag of MP3 ``path`` with an ID3v2.4 tag holding ``tags``.

    Any ID3v1 tag is removed (it cannot hold Unicode). Raises :class:`OutputError`
    naming the file when it cannot be read or written.
    """
    if not Path(path).is_file():  # mutagen would create a file holding only a tag
        raise OutputError(f"cannot write tags to {path}: No such file")
    id3 = ID3()  # type: ignore[no-untyped-call]
    for frame in _frames(tags):
        id3.add(frame)  # type: ignore[no-untyped-call]
    try:
        id3.save(path, v1=0, v2_version=4)
    except (MutagenError, OSError) as exc:
        raise OutputError(f"cannot write tags to {path}: {reason(exc)}") from exc


def read_tags(path: Path) -> ChapterTags:
    """The tags :func:`write_tags` wrote to ``path`` (language as its primary subtag).

    Raises :class:`InputError` when the file has no ID3 tag, cannot be read, or has no
    usable track number.
    """
    try:
        id3 = ID3(path)  # type: ignore[no-untyped-call]
    except ID3NoHeaderError:
        raise InputError(f"cannot read tags from {path}: no ID3 tag") from None
    except (MutagenError, OSError) as exc:
        raise InputError(f"cannot read tags from {path}: {reason(exc)}") from exc
    track, _, total = _text(id3, "TRCK").partition("/")
    try:
        return ChapterTags(
            title=_text(id3, "TIT2"),
            album=_text(id3, "TALB"),
            artist=_text(id3, "TPE1"),
            album_artist=_text(id3, "TPE2"),
            track=int(track),
            total=int(total or track),
            genre=_text(id3, "TCON"),
            year=_year(id3),
            language=bcp47(_text(id3, "TLAN")),
            comment=_text(id3, f"COMM::{COMMENT_LANG}"),
            cast=_cast(_text(id3, f"TXXX:{CAST_DESC}")),
        )
    except ValueError as exc:
        raise InputError(f"cannot read tags from {path}: {exc}") from exc


def _text(id3: ID3, key: str) -> str:
    """First text value of frame ``key`` (e.g. ``"TIT2"``, ``"TXXX:CAST"``), or ``""``."""
    frame = id3.get(key)  # type: ignore[no-untyped-call]
    return str(frame.text[0]) if frame is not None and frame.text else ""


def _year(id3: ID3) -> int | None:
    frame = id3.get("TDRC")  # type: ignore[no-untyped-call]
    if frame is None or not frame.text:
        return None
    year: int | None = frame.text[0].year
    return year


def _cast(text: str) -> tuple[tuple[str, str], ...]:
    """Parse ``"name: voice"`` lines; the voice is after the last separator."""
    pairs = (line.rpartition(_CAST_SEP) for line in text.splitlines() if line.strip())
    return tuple((name, voice) for name, _, voice in pairs)
