"""The podcast feed, parsed back with a real feed parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from audiobook.audio.profiles import PODCAST
from audiobook.errors import InputError
from audiobook.publish.feed import ITUNES, FeedOptions, write_feed
from audiobook.publish.feed import PODCAST as PODCAST_NS
from audiobook.publish.tags import ChapterTags, write_tags
from audiobook.publish.transcripts import Cue, write_transcripts
from tests.publish.helpers import mastered_mp3

BASE = "https://example.org/books/gull point/"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("feed")
    mp3 = mastered_mp3(folder / "01 - The Lamp.mp3", PODCAST, seconds=4.0)
    for i, title in enumerate(["Chapter 1: The Lamp", "Chapter 2: <Fish & Chips>"], start=1):
        path = folder / f"0{i} - Chapter {i}.mp3"
        path.write_bytes(mp3.read_bytes())
        tags = ChapterTags(title, "Gull & Point", "Ann \"A\" Author", "Ann", i, 2, year=2024,
                           language="en", lyrics=f"Words of chapter {i}. " * 40)  # fmt: skip
        write_tags(path, tags)
        write_transcripts(path, [Cue(0.8, 2.0, "Narrator", title)])
    mp3.unlink()
    (folder / "cover.jpg").write_bytes(b"\xff\xd8 jpeg")
    return folder


def test_feed_parses_with_every_required_tag(book: Path) -> None:
    path = write_feed(book, FeedOptions(BASE))
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = parsed.feed
    assert channel.title == "Gull & Point"
    assert channel.author == 'Ann "A" Author'
    assert channel.language == "en" and "2 chapters" in channel.description
    assert channel.image.href == "https://example.org/books/gull%20point/cover.jpg"
    # feedparser knows only the old "yes"/"clean" values; Apple's are "true"/"false" (below).
    assert channel.itunes_explicit is None
    assert channel.itunes_type == "serial"
    assert [t.term for t in channel.tags] == ["Arts", "Books"]
    entries = parsed.entries
    assert [e.title for e in entries] == ["Chapter 1: The Lamp", "Chapter 2: <Fish & Chips>"]
    for number, entry in enumerate(entries, start=1):
        (enclosure,) = entry.enclosures
        name = f"0{number}%20-%20Chapter%20{number}.mp3"
        assert enclosure.href == "https://example.org/books/gull%20point/" + name
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == (book / f"0{number} - Chapter {number}.mp3").stat().st_size
        assert entry.id.startswith("audiobook-") and entry.guidislink is False
        assert entry.published_parsed is not None
        assert int(entry.itunes_duration) in (4, 5)
        assert entry.itunes_episode == str(number)
    assert entries[0].published_parsed < entries[1].published_parsed


def test_feed_has_type_serial_and_transcripts(book: Path) -> None:
    root = ET.parse(write_feed(book, FeedOptions(BASE, explicit=True, title="T"))).getroot()
    assert root.find(f"channel/{{{ITUNES}}}explicit").text == "true"  # type: ignore[union-attr]
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext(f"{{{ITUNES}}}type") == "serial"
    assert channel.findtext(f"{{{ITUNES}}}explicit") == "true"
    assert channel.findtext("title") == "T"
    item = channel.find("item")
    assert item is not None
    links = [(t.get("type"), t.get("url")) for t in item.findall(f"{{{PODCAST_NS}}}transcript")]
    assert links == [
        ("text/vtt", "https://example.org/books/gull%20point/01%20-%20Chapter%201.vtt"),
        ("application/srt", "https://example.org/books/gull%20point/01%20-%20Chapter%201.srt"),
    ]


def test_feed_is_stable_across_runs(book: Path) -> None:
    first = write_feed(book, FeedOptions(BASE)).read_bytes()
    assert write_feed(book, FeedOptions(BASE)).read_bytes() == first


def test_feed_errors(book: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"--base-url must be an http"):
        write_feed(book, FeedOptions("ftp://example.org/"))
    with pytest.raises(InputError, match=r"has no MP3 files"):
        write_feed(tmp_path, FeedOptions(BASE))
    (tmp_path / "a.mp3").write_bytes((book / "01 - Chapter 1.mp3").read_bytes())
    with pytest.raises(InputError, match=r"has no cover.jpg; pass --image"):
        write_feed(tmp_path, FeedOptions(BASE))
    assert write_feed(tmp_path, FeedOptions(BASE, image="https://x.org/a.png")).is_file()
