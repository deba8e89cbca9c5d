"""A podcast feed for a made book: ``feed.xml`` listing its chapter MP3s as episodes.

RSS 2.0 with the iTunes namespace Apple Podcasts reads (and every other directory
follows): channel title, description, language, ``itunes:author``, ``itunes:image``,
``itunes:category`` (Arts > Books), ``itunes:explicit`` and ``itunes:type serial`` (a
book is heard in order). Each chapter is an item with an enclosure (URL, length in
bytes, ``audio/mpeg``), a stable guid, ``pubDate``, ``itunes:duration``,
``itunes:episode`` and, when its WebVTT/SRT transcripts exist, ``podcast:transcript``
links (Podcasting 2.0). Everything comes from the files and their tags; ElementTree
does the XML escaping.
"""

from __future__ import annotations

import email.utils
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from audiobook import __version__
from audiobook.audio.encode import probe_duration
from audiobook.errors import InputError
from audiobook.publish.files import atomic_write
from audiobook.publish.tags import ChapterTags, read_tags
from audiobook.publish.transcripts import SRT_MIME, VTT_MIME, transcript_paths

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
FEED_NAME = "feed.xml"
COVER_NAME = "cover.jpg"
CATEGORY = ("Arts", "Books")  # Apple's category and subcategory for books read aloud
_EPISODE_SPACING = timedelta(minutes=1)  # pubDates one minute apart keep the chapter order
_SUMMARY_CHARS = 400
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FeedOptions:
    """What the feed needs beyond the files; ``None`` means "from the tags"."""

    base_url: str  # where the folder is served, e.g. https://example.org/books/gull-point/
    title: str | None = None  # the show's title (default: the album tag)
    author: str | None = None  # default: the artist tag
    image: str | None = None  # artwork URL (default: BASE_URL/cover.jpg when that file exists)
    explicit: bool = False
    description: str | None = None


@dataclass(frozen=True)
class Episode:
    """One chapter file as the feed lists it."""

    path: Path
    tags: ChapterTags
    seconds: float
    size: int  # bytes


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(
    parent: ET.Element, tag: str, text: str | None = None, attrs: dict[str, str] | None = None
) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: _clean(v) for k, v in (attrs or {}).items()})
    if text is not None:
        node.text = _clean(text)
    return node


def _url(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + quote(name)


def check_base_url(url: str) -> str:
    """``url`` as an absolute http(s) URL with its path percent-encoded.

    Raises :class:`InputError` when it is not an http:// or https:// URL.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--base-url must be an http:// or https:// URL, not {url!r}")
    path = quote(parts.path, safe="/%:@!$&'()*+,;=~")  # keep what is already encoded
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def episodes(folder: Path) -> list[Episode]:
    """The chapter MP3s of ``folder`` in name (reading) order, with their tags.

    Raises :class:`InputError` when the folder has no MP3 or a file has no tags.
    """
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".mp3" and p.is_file())
    if not files:
        raise InputError(f"{folder} has no MP3 files; run `audiobook make` first")
    return [Episode(p, read_tags(p), probe_duration(p), p.stat().st_size) for p in files]


def _summary(episode: Episode) -> str:
    text = " ".join(episode.tags.lyrics.split())
    if len(text) <= _SUMMARY_CHARS:
        return text or episode.tags.title
    return text[:_SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


def build_feed(folder: Path, options: FeedOptions) -> bytes:
    """The feed document for the book in ``folder`` (UTF-8 XML bytes)."""
    base = check_base_url(options.base_url)
    items = episodes(folder)
    first = items[0].tags
    title = options.title or first.album or folder.name
    author = options.author or first.artist or "Unknown"
    image = options.image or _default_image(folder, base)
    for prefix, uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM)):
        ET.register_namespace(prefix, uri)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _channel(rss, options, base, title, author, image, first, len(items))
    released = _release_time(items)
    for number, episode in enumerate(items, start=1):
        _item(channel, episode, number, base, released + _EPISODE_SPACING * (number - 1), options)
    ET.indent(rss, space=" ")
    document: bytes = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _default_image(folder: Path, base: str) -> str:
    if not (folder / COVER_NAME).is_file():
        raise InputError(f"{folder} has no {COVER_NAME}; pass --image URL for the feed's artwork")
    return _url(base, COVER_NAME)


def _channel(
    rss: ET.Element, options: FeedOptions, base: str, title: str, author: str, image: str,
    first: ChapterTags, count: int,
) -> ET.Element:  # fmt: skip
    channel = _sub(rss, "channel")
    _sub(channel, "title", title)
    _sub(channel, "link", base)
    description = options.description or (
        f"{title} by {author}, read aloud in {count} chapter{'s' if count != 1 else ''}."
    )
    _sub(channel, "description", description)
    _sub(channel, "language", first.language or "en")
    _sub(channel, "generator", f"audiobook {__version__}")
    self_link = {"href": _url(base, FEED_NAME), "rel": "self", "type": "application/rss+xml"}
    _sub(channel, f"{{{ATOM}}}link", attrs=self_link)
    _sub(channel, f"{{{ITUNES}}}author", author)
    _sub(channel, f"{{{ITUNES}}}summary", description)
    _sub(channel, f"{{{ITUNES}}}image", attrs={"href": image})
    art = _sub(channel, "image")
    _sub(art, "url", image)
    _sub(art, "title", title)
    _sub(art, "link", base)
    category = _sub(channel, f"{{{ITUNES}}}category", attrs={"text": CATEGORY[0]})
    _sub(category, f"{{{ITUNES}}}category", attrs={"text": CATEGORY[1]})
    _sub(channel, f"{{{ITUNES}}}explicit", "true" if options.explicit else "false")
    _sub(channel, f"{{{ITUNES}}}type", "serial")
    return channel


def _release_time(items: list[Episode]) -> datetime:
    """When the book was made: its oldest chapter file's time, to the second.

    Re-running ``feed`` gives the same dates, so podcast apps see no new episodes.
    """
    oldest = min(e.path.stat().st_mtime for e in items)
    return datetime.fromtimestamp(int(oldest), tz=UTC)


def _guid(episode: Episode) -> str:
    """Stable across runs and hosts: the book, the author and the chapter number."""
    key = f"{episode.tags.album}\n{episode.tags.artist}\n{episode.path.name}"
    return "audiobook-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _item(
    channel: ET.Element, episode: Episode, number: int, base: str, published: datetime,
    options: FeedOptions,
) -> None:  # fmt: skip
    item = _sub(channel, "item")
    _sub(item, "title", episode.tags.title or episode.path.stem)
    _sub(item, "description", _summary(episode))
    enclosure = {"url": _url(base, episode.path.name), "length": str(episode.size)}
    _sub(item, "enclosure", attrs={**enclosure, "type": "audio/mpeg"})
    _sub(item, "guid", _guid(episode), {"isPermaLink": "false"})
    _sub(item, "pubDate", email.utils.format_datetime(published, usegmt=True))
    _sub(item, f"{{{ITUNES}}}title", episode.tags.title or episode.path.stem)
    _sub(item, f"{{{ITUNES}}}duration", str(max(1, round(episode.seconds))))
    _sub(item, f"{{{ITUNES}}}episode", str(number))
    _sub(item, f"{{{ITUNES}}}episodeType", "full")
    _sub(item, f"{{{ITUNES}}}explicit", "true" if options.explicit else "false")
    language = episode.tags.language or "en"
    for path, mime in zip(transcript_paths(episode.path), (VTT_MIME, SRT_MIME), strict=True):
        if path.is_file():
            link = {"url": _url(base, path.name), "type": mime}
            _sub(item, f"{{{PODCAST}}}transcript", attrs={**link, "language": language})


def write_feed(folder: Path, options: FeedOptions) -> Path:
    """Write ``folder/feed.xml`` atomically and return its path."""
    document = build_feed(folder, options)
    path = folder / FEED_NAME
    with atomic_write(path) as handle:
        handle.write(document)
    return path
