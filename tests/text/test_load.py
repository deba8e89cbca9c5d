"""Loading story files: checks, decoding, header blocks, Markdown front matter."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.errors import InputError
from audiobook.text.load import decode, load_book, parse_text, readable_title

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


# --- header block ---------------------------------------------------------------


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


def test_first_line_of_dialogue_is_not_a_title() -> None:
    text = '"Run!" shouted Mara.\n\nAuthor: not a header, this is the story.\n'
    book = parse_text(text, stem="run_away-v2", markdown=False)
    assert book.header is None
    assert book.meta.title == "Run Away V2"
    assert book.chapters[0].body.start == 0


def test_prose_first_line_is_not_a_title() -> None:
    text = "It rained all week.\n\nWe stayed in and played cards.\n"
    book = parse_text(text, stem="rain", markdown=False)
    assert book.header is None
    assert book.meta.title == "Rain"


def test_generic_capitalised_keys_form_a_block_with_wrapped_values() -> None:
    text = (
        "Title: Salt and Iron\n"
        "Summary: Two smiths quarrel over\n"
        "  a broken anvil.\n"
        "Word count: 2,100\n"
        "Year: 2009\n"
        "Language: English\n"
        "Story Arc: Forge\n"
        "\n"
        "The forge was cold.\n"
    )
    book = parse_text(text, stem="x", markdown=False)
    assert book.meta.title == "Salt and Iron"
    assert book.meta.year == 2009
    assert book.meta.language == "en"
    assert ("Summary", "Two smiths quarrel over a broken anvil.") in book.meta.extra
    assert ("Story Arc", "Forge") in book.meta.extra
    assert book.text[book.chapters[0].body.start :].strip() == "The forge was cold."


def test_story_right_under_the_header_is_kept() -> None:
    text = "Title: Moss\nAuthor: Fen\nThe moss grew on everything.\n"
    book = parse_text(text, stem="x", markdown=False)
    assert book.meta.author == "Fen"
    assert book.text[book.chapters[0].body.start :].strip() == "The moss grew on everything."


def test_a_header_alone_is_read_as_the_story() -> None:
    book = parse_text("Title: Moss\nAuthor: Fen\n", stem="x", markdown=False)
    assert len(book.chapters) == 1
    assert book.chapters[0].body == book.chapters[0].span


def test_title_page_with_by_line() -> None:
    text = "The Quiet Harbour\n\nby Agnes Tolley\n\nCHAPTER I.\n\nThe boats came in.\n"
    book = parse_text(text, stem="x", markdown=False)
    assert (book.meta.title, book.meta.author) == ("The Quiet Harbour", "Agnes Tolley")
    assert [c.title for c in book.chapters] == ["CHAPTER I"]


def test_readable_title() -> None:
    assert readable_title("captain_red-v2") == "Captain Red V2"
    assert readable_title("TheQuietHarbour") == "The Quiet Harbour"


# --- Markdown -------------------------------------------------------------------


def test_markdown_front_matter_and_top_title() -> None:
    text = (
        "---\ntitle: Ember Road\nauthor: [Ivo Lind, Ada Lind]\ndate: 2020-05-01\nlang: de\n"
        "series: Roads\n---\n\n# Ember Road\n\nA short foreword.\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n"
    )
    book = parse_text(text, stem="x", markdown=True)
    assert book.meta.title == "Ember Road"
    assert book.meta.author == "Ivo Lind, Ada Lind"
    assert book.meta.year == 2020
    assert book.meta.language == "de"
    assert ("series", "Roads") in book.meta.extra
    assert [c.title for c in book.chapters] == ["Ember Road", "One", "Two"]
    assert book.header is not None
    assert text[book.header.start : book.header.end].endswith("---\n\n# Ember Road")


def test_bad_front_matter_is_ignored_with_a_warning() -> None:
    text = "---\ntitle: [unclosed\n---\n\nThe story.\n"
    book = parse_text(text, stem="tale", markdown=True)
    assert book.meta.title == "Tale"
    assert book.warnings == ("tale: front matter is not valid YAML; ignored it",)
    assert text[book.chapters[0].body.start :].strip() == "The story."


def test_a_rule_over_prose_is_not_front_matter() -> None:
    text = "---\n\nOnce upon a time.\n\n---\n\nThe end.\n"
    book = parse_text(text, stem="x", markdown=True)
    assert book.header is None
    assert book.chapters[0].body.start == 0


# --- decoding -------------------------------------------------------------------


def test_decode_utf8_with_and_without_bom() -> None:
    assert decode("café".encode()) == ("café", "utf-8", ())
    assert decode(b"\xef\xbb\xbf" + "café".encode()) == ("café", "utf-8-sig", ())


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-16-le", "utf-16-be"])
def test_decode_utf16_and_utf32(codec: str) -> None:
    data = "“Hi,” said Zoë.".encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):  # no BOM: told apart by the NUL bytes
        text, _, warnings = decode(data)
    else:
        text, encoding, warnings = decode(data)
        assert encoding.startswith(codec)
    assert text == "“Hi,” said Zoë."
    assert warnings == ()


def test_decode_cp1252_file() -> None:
    text, encoding, warnings = decode("“Café” – naïve".encode("cp1252"), name="story.txt")
    assert text == "“Café” – naïve"
    assert encoding == "cp1252"
    assert warnings == ("story.txt: not UTF-8; read it as cp1252 (Windows Western)",)


def test_decode_mixed_utf8_and_cp1252_bytes() -> None:
    data = "Zoë said ".encode() + "“hi”".encode("cp1252") + " and left…".encode()
    text, encoding, warnings = decode(data, name="story.txt")
    assert text == "Zoë said “hi” and left…"
    assert encoding == "utf-8"
    assert warnings == ("story.txt: 2 bytes are not UTF-8; read them as cp1252",)


def test_decode_never_fails() -> None:
    for data in (b"", bytes(range(256)), b"\xff\xfe\x00", b"\x81\x8d\x8f\x90\x9d", b"\xfe\xff\xd8"):
        text, _, _ = decode(data)
        assert isinstance(text, str)
    assert decode(b"a\x81b")[0] == "a\x81b"  # undefined in cp1252: read as latin-1


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_decode_any_bytes(data: bytes) -> None:
    text, encoding, warnings = decode(data)
    assert isinstance(text, str) and encoding
    assert all(isinstance(w, str) for w in warnings)


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
        ("book.epub", b"PK\x03\x04\x14\x00\x00\x00", "EPUB input is not supported yet"),
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
