"""Loading story files: readers, checks, parse_text; decoding and headers end to end."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.errors import InputError
from audiobook.text.load import load_book, parse_text

STORY = (
    "The Lantern Keeper\n"
    "\n"
    "Author: Pell Marrow\n"
    "Rating: PG\n"
    "Disclaimer: Nobody here is real. Any likeness is a coincidence.\n"
    "\n"
    'Odile climbed the tower stairs. "Is the lamp lit?" she called.\n'
    "\n"
    '"Not yet," Bram answered.\n'
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


# --- header block and parse_text ------------------------------------------------


def test_title_line_and_header_block_become_metadata(tmp_path: Path) -> None:
    book = load_book(write(tmp_path, "lantern.txt", STORY))
    assert book.meta.title == "The Lantern Keeper"
    assert book.meta.author == "Pell Marrow"
    assert book.meta.extra == (
        ("Rating", "PG"),
        ("Disclaimer", "Nobody here is real. Any likeness is a coincidence."),
    )
    assert book.header is not None
    assert book.text[book.header.start : book.header.end].endswith("a coincidence.")
    (chapter,) = book.chapters
    assert chapter.title == "The Lantern Keeper"
    assert chapter.body.start >= book.header.end
    assert book.text[chapter.body.start :].lstrip().startswith("Odile climbed")
    assert book.source == tmp_path / "lantern.txt"
    assert book.encoding == "utf-8"


def test_text_is_kept_exactly_with_crlf() -> None:
    text = STORY.replace("\n", "\r\n")
    book = parse_text(text, stem="lantern", markdown=False)
    assert book.text == text
    assert book.meta.author == "Pell Marrow"
    assert book.text[book.chapters[0].body.start :].lstrip().startswith("Odile")


def test_a_header_alone_is_read_as_the_story() -> None:
    book = parse_text("Title: Moss\nAuthor: Fen\n", stem="x", markdown=False)
    assert len(book.chapters) == 1
    assert book.chapters[0].body == book.chapters[0].span


# --- parse_text in general, decoding through load_book ----------------------------


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            ["Title: A", "Author: B", "Rating: PG", "Word", "\n", "\r\n", "\n\n", "---", "# H",
             "## C", "Chapter 1", ": x", "by Someone", '"Hi"', "* * *", " ", "é"]
        ),
        max_size=30,
    ).map("".join),
    markdown=st.booleans(),
)  # fmt: skip
def test_parse_text_gives_ordered_chapters_or_an_input_error(text: str, markdown: bool) -> None:
    try:
        book = parse_text(text, stem="s", markdown=markdown)
    except InputError:
        return
    assert book.text == text and book.chapters
    floor = book.header.end if book.header else 0
    for chapter in book.chapters:
        assert floor <= chapter.span.start <= chapter.body.start <= chapter.body.end
        floor = chapter.body.end
    assert floor <= len(text)


def test_load_cp1252_file_warns_with_its_name(tmp_path: Path) -> None:
    path = write(tmp_path, "old.txt", "“Bonjour,” dit-elle.\r\n".encode("cp1252"))
    book = load_book(path)
    assert book.text == "“Bonjour,” dit-elle.\r\n"
    assert book.warnings == ("old.txt: not UTF-8; read it as cp1252 (Windows Western)",)


def test_load_utf16_with_bom(tmp_path: Path) -> None:
    book = load_book(write(tmp_path, "w.txt", "\ufeffHello there.\n".encode("utf-16-le")))
    assert book.text == "Hello there.\n"
    assert book.encoding == "utf-16-le"


# --- rejection ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b" \n\r\n\t \n", "has no text"),
        ("nul.txt", b"abc\x00\x01\x02def" * 50, "looks like a binary file, not text"),
        ("ctl.txt", bytes(range(1, 9)) * 40 + b"text", "looks like a binary file, not text"),
        ("doc.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF file, not text"),
        (
            "book.txt",
            b"PK\x03\x04\x14\x00\x00\x00",
            "is a ZIP archive (an EPUB or Word file?), not text",
        ),
        ("book.epub", b"PK\x03\x04\x14\x00\x00\x00", "is not a readable EPUB"),
    ],
)
def test_rejects_what_is_not_a_story(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as err:
        load_book(path)
    assert message in str(err.value)
    assert name in str(err.value)
    assert "\n" not in str(err.value)


def test_rejects_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt does not exist"):
        load_book(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        load_book(tmp_path)


def test_rejects_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no 200 MB written
        handle.truncate(201 * 1024 * 1024)
    with pytest.raises(InputError, match="over 200 MB"):
        load_book(path)


def test_unknown_suffix_is_read_as_plain_text(tmp_path: Path) -> None:
    book = load_book(write(tmp_path, "story.fic", "# Not a heading in plain text\n\nWords.\n"))
    assert len(book.chapters) == 1


def test_markdown_suffix_uses_markdown_reader(tmp_path: Path) -> None:
    book = load_book(write(tmp_path, "s.md", "## One\n\nA.\n\n## Two\n\nB.\n"))
    assert [c.title for c in book.chapters] == ["One", "Two"]


def test_large_text_loads_fast(tmp_path: Path) -> None:
    para = 'Rook walked on. "Keep up," said Fenn, and laughed at the grey hills.\r\n'
    text = ("Chapter 1\r\n\r\n" + (para * 6 + "\r\n") * 3000) * 5  # about 6.6 MB
    path = write(tmp_path, "big.txt", text.encode())
    started = time.perf_counter()
    book = load_book(path)
    assert time.perf_counter() - started < 2.0
    assert len(book.chapters) == 5
