"""ID3 tags for chapter MP3s: what players show for each chapter of the book.

Tags are ID3v2.3, written with mutagen: v2.3 is what every player and car stereo reads
(v2.4 is still skipped by some), and it holds everything here: text frames, cover art
(APIC), the chapter text as unsynchronised lyrics (USLT), the narrator as composer
(TCOM, where audiobook players look for it) and chapter markers (CHAP frames under a
CTOC table of contents). :func:`write_tags` replaces whatever tag the file had, so
re-running a book gives the same tags however the file was made.

mutagen stores CHAP frames ordered by size, not time (mutagen issue 506), and players
that ignore the CTOC list them in stored order, so :func:`write_tags` puts them back in
time order afterwards (:mod:`audiobook.publish.id3order`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCOM,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TPE2,
    TRCK,
    TXXX,
    USLT,
    CTOCFlags,
    Encoding,
    Frame,
    ID3NoHeaderError,
    PictureType,
)

from audiobook.errors import InputError, OutputError
from audiobook.publish.files import reason
from audiobook.publish.id3order import order_chapter_frames

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
TOC_ID = "toc"  # element id of the CTOC frame listing the chapter markers


@dataclass(frozen=True)
class Picture:
    """Cover art: encoded image bytes and their MIME type."""

    data: bytes
    mime: str = "image/jpeg"


@dataclass(frozen=True)
class Marker:
    """A chapter marker inside one file (a CHAP frame): a scene, say."""

    start_ms: int  # where it starts in the file, milliseconds
    end_ms: int  # where it ends (the next marker's start, or the file's end)
    title: str

    def __post_init__(self) -> None:
        if not 0 <= self.start_ms < self.end_ms:
            raise ValueError(f"marker {self.title!r} must start before it ends")


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
    narrator: str = ""  # who reads it (TCOM, where audiobook players show the narrator)
    lyrics: str = ""  # the chapter's text (USLT, language from ``language``)
    cover: Picture | None = None  # front cover (APIC type 3)
    markers: tuple[Marker, ...] = ()  # chapter markers in time order (CHAP + CTOC)

    def __post_init__(self) -> None:
        if not 1 <= self.track <= self.total:
            raise ValueError(f"track {self.track} is outside 1..{self.total}")
        if self.year is not None and not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is not a four-digit year")
        for name, voice in self.cast:
            if "\n" in name + voice or _CAST_SEP in voice:
                raise ValueError(f"cast entry {name!r} -> {voice!r} cannot be written on one line")
        starts = [m.start_ms for m in self.markers]
        if starts != sorted(starts):
            raise ValueError("markers must be in time order")


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
        (TCOM, tags.narrator),
    ]
    frames = [_frame(kind, text=[value]) for kind, value in texts if value]
    if tags.comment:
        frames.append(_frame(COMM, lang=COMMENT_LANG, desc="", text=[tags.comment]))
    if tags.cast:
        lines = "\n".join(f"{name}{_CAST_SEP}{voice}" for name, voice in tags.cast)
        frames.append(_frame(TXXX, desc=CAST_DESC, text=[lines]))
    if tags.lyrics:
        frames.append(_frame(USLT, lang=iso639_2(tags.language), desc="", text=tags.lyrics))
    if tags.cover is not None:
        frames.append(_frame(APIC, mime=tags.cover.mime, type=PictureType.COVER_FRONT,
                             desc="Cover", data=tags.cover.data))  # fmt: skip
    return frames + _chapter_frames(tags.markers)


def _chapter_frames(markers: tuple[Marker, ...]) -> list[Frame]:
    """CHAP frames ``ch1``, ``ch2``... and the top-level, ordered CTOC that lists them."""
    if not markers:
        return []
    ids = [f"ch{i}" for i in range(1, len(markers) + 1)]
    chapters: list[Frame] = [
        CHAP(  # type: ignore[no-untyped-call]
            element_id=cid,
            start_time=m.start_ms,
            end_time=m.end_ms,
            start_offset=0xFFFFFFFF,  # "no byte offset: use the times", as the spec says
            end_offset=0xFFFFFFFF,
            sub_frames=[_frame(TIT2, text=[m.title])],
        )
        for cid, m in zip(ids, markers, strict=True)
    ]
    toc = CTOC(  # type: ignore[no-untyped-call]
        element_id=TOC_ID,
        flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
        child_element_ids=ids,
        sub_frames=[_frame(TIT2, text=["Chapters"])],
    )
    return [toc, *chapters]


def _frame(kind: type[Frame], **fields: object) -> Frame:
    """A frame of type ``kind`` with UTF-8 text (saving as v2.3 turns it into UTF-16)."""
    return kind(encoding=Encoding.UTF8, **fields)


def write_tags(path: Path, tags: ChapterTags) -> None:
    """Replace the ID3 tag of MP3 ``path`` with an ID3v2.3 tag holding ``tags``.

    Any ID3v1 tag is removed (it cannot hold Unicode). CHAP frames are stored in time
    order. Raises :class:`OutputError` naming the file when it cannot be read or written.
    """
    if not Path(path).is_file():  # mutagen would create a file holding only a tag
        raise OutputError(f"cannot write tags to {path}: No such file")
    id3 = ID3()  # type: ignore[no-untyped-call]
    for frame in _frames(tags):
        id3.add(frame)  # type: ignore[no-untyped-call]
    id3.update_to_v23()  # type: ignore[no-untyped-call]
    try:
        id3.save(path, v1=0, v2_version=3)
        order_chapter_frames(path)
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
            narrator=_text(id3, "TCOM"),
            lyrics=_lyrics(id3),
            cover=_cover(id3),
            markers=_markers(id3),
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


def _lyrics(id3: ID3) -> str:
    frames = id3.getall("USLT")  # type: ignore[no-untyped-call]
    return str(frames[0].text) if frames else ""


def _cover(id3: ID3) -> Picture | None:
    pictures = id3.getall("APIC")  # type: ignore[no-untyped-call]
    front = [p for p in pictures if p.type == PictureType.COVER_FRONT] or pictures
    return Picture(bytes(front[0].data), str(front[0].mime)) if front else None


def _markers(id3: ID3) -> tuple[Marker, ...]:
    """CHAP frames in the order they are stored (which :func:`write_tags` makes time order)."""
    markers = []
    for chap in id3.getall("CHAP"):  # type: ignore[no-untyped-call]
        title = chap.sub_frames.get("TIT2")
        name = str(title.text[0]) if title is not None and title.text else ""
        markers.append(Marker(int(chap.start_time), int(chap.end_time), name))
    return tuple(markers)
