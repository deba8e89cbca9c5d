"""EPUB input: chapters from the table of contents, matter left out, italics kept as hints."""

from __future__ import annotations

from pathlib import Path

import pytest
from ebooklib import epub

from audiobook.errors import InputError
from audiobook.script.segments import segment_book
from audiobook.text.chapters import is_scene_marker
from audiobook.text.epub import parse_epub
from audiobook.text.load import load_book
from tests.text.epubs import build_epub, page


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_epub(tmp_path_factory.mktemp("epub") / "gull.epub")


def test_chapters_and_metadata_come_from_the_package(story: Path) -> None:
    book = load_book(story)
    assert book.source == story
    assert (book.meta.title, book.meta.author, book.meta.year, book.meta.language) == (
        "The Keeper of Gull Point", "Ann Author", 2024, "en")  # fmt: skip
    assert [c.title for c in book.chapters] == [
        "Chapter 1: The Lamp",
        "Chapter 2: The Morning After",
    ]
    for chapter in book.chapters:
        assert chapter.heading is not None
        assert book.text[chapter.heading.start : chapter.heading.end] == chapter.title
        assert chapter.body.start == chapter.heading.end
    assert book.chapters[0].body.end == book.chapters[1].heading.start  # chapters tile the text


def test_front_and_back_matter_are_not_read(story: Path) -> None:
    result = parse_epub(story.read_bytes(), name="gull.epub", stem="gull")
    assert result.skipped == ("The Keeper of Gull Point", "Copyright", "About the Author")
    text = result.book.text
    for matter in ("All rights reserved", "Bob Smith", "by Ann Author"):
        assert matter not in text
    assert text.startswith("Chapter 1: The Lamp\n\n")


def test_image_alt_text_is_skipped_and_headings_not_repeated(story: Path) -> None:
    text = load_book(story).text
    assert "gull over the lighthouse" not in text
    assert text.count("The Morning After") == 1  # the document's h2/h3 repeat the TOC title


def test_scene_breaks_from_rules_and_markers(story: Path) -> None:
    book = load_book(story)
    for chapter in book.chapters:
        (brk,) = chapter.scene_breaks
        assert is_scene_marker(book.text[brk.start : brk.end])


def test_italics_are_recorded_and_marked_but_not_spoken(story: Path) -> None:
    result = parse_epub(story.read_bytes(), name="gull.epub", stem="gull")
    text = result.book.text
    assert [text[s.start : s.end] for s in result.italics] == ["He always says that,", "turn"]
    assert all(text[s.start - 1] == "_" == text[s.end] for s in result.italics)
    spoken = " ".join(s.text for s in segment_book(result.book))
    assert "He always says that," in spoken and "_" not in spoken


def test_segments_tile_the_chapters(story: Path) -> None:
    book = load_book(story)
    segments = segment_book(book)
    for chapter in book.chapters:
        mine = [s for s in segments if s.chapter == chapter.index]
        joined = "".join(book.text[s.start : s.end] for s in mine)
        assert joined == book.text[chapter.span.start : chapter.span.end]


def test_without_a_table_of_contents_each_document_is_a_chapter(tmp_path: Path) -> None:
    book = load_book(build_epub(tmp_path / "plain.epub", toc=False))
    assert [c.title for c in book.chapters] == [
        "Chapter 1: The Lamp",
        "Chapter 2: The Morning After",
    ]


def test_toc_entries_inside_one_document_split_it(tmp_path: Path) -> None:
    doc = page("Stories", "both.xhtml", '<h2 id="a">The First</h2><p>One story here.</p>'
               '<h2 id="b">The Second</h2><p>Another story there.</p>')  # fmt: skip
    book = epub.EpubBook()
    book.set_identifier("x")
    book.set_title("Two")
    book.add_item(doc)
    book.toc = [
        epub.Link("both.xhtml#a", "The First", "a"),
        epub.Link("both.xhtml#b", "The Second", "b"),
    ]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [doc]
    path = tmp_path / "two.epub"
    epub.write_epub(str(path), book)
    loaded = load_book(path)
    assert [c.title for c in loaded.chapters] == ["The First", "The Second"]
    assert (
        "Another story"
        not in loaded.text[loaded.chapters[0].body.start : loaded.chapters[0].body.end]
    )


def test_not_an_epub_and_no_story(tmp_path: Path) -> None:
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"PK\x03\x04 nothing")
    with pytest.raises(InputError, match=r"broken.epub is not a readable EPUB"):
        load_book(broken)
    empty = build_epub(tmp_path / "empty.epub", chapters=[("Contents", "c.xhtml", "<p>1. One</p>")])
    with pytest.raises(InputError, match=r"has no story text"):
        load_book(empty)
