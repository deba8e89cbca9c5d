"""Chapter headings, pre-heading text, tables of contents and scene breaks."""

from __future__ import annotations

import pytest

from audiobook.text.chapters import is_scene_marker, split_chapters
from audiobook.text.model import Chapter, Span


def chapters(text: str, *, markdown: bool = False) -> tuple[Chapter, ...]:
    return split_chapters(text, Span(0, len(text)), markdown=markdown, default_title="Story")


def titles(text: str, *, markdown: bool = False) -> list[str]:
    return [c.title for c in chapters(text, markdown=markdown)]


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Chapter 1", "Chapter 1"),
        ("CHAPTER ONE", "CHAPTER ONE"),
        ("Chapter IV: The Net", "Chapter IV: The Net"),
        ("Chapter 12. Homecoming", "Chapter 12: Homecoming"),
        ("Chapter Twenty-Three", "Chapter Twenty-Three"),
        ("Chapter the First", "Chapter the First"),
        ("Part 2", "Part 2"),
        ("PART TWO - The Return", "PART TWO: The Return"),
        ("Book III", "Book III"),
        ("Prologue", "Prologue"),
        ("Epilogue: Ten Years On", "Epilogue: Ten Years On"),
        ("Interlude", "Interlude"),
        ("CHAPTER VII.", "CHAPTER VII"),
        ("**Chapter 5**", "Chapter 5"),
        ("XII.", "Chapter XII"),
        ("7", "Chapter 7"),
    ],
)
def test_heading_forms(heading: str, title: str) -> None:
    text = f"{heading}\n\nThe gulls wheeled over the pier.\n"
    (chapter,) = chapters(text)
    assert chapter.title == title
    assert chapter.heading == Span(0, len(heading))
    assert chapter.body == Span(len(heading), len(text))
    assert chapter.span == Span(0, len(text))


def test_bare_chapter_line_takes_the_title_line_under_it() -> None:
    text = "Chapter 3\nThe Net\n\nWillow cast the net.\n"
    (chapter,) = chapters(text)
    assert chapter.title == "Chapter 3: The Net"
    assert chapter.heading == Span(0, len("Chapter 3\nThe Net"))


def test_bare_number_takes_a_capitals_title_paragraph() -> None:
    text = "IV\n\nTHE LONG WINTER\n\n\nSnow fell for a month.\n"
    (chapter,) = chapters(text)
    assert chapter.title == "Chapter IV: THE LONG WINTER"


def test_prose_after_a_bare_chapter_line_is_not_its_title() -> None:
    text = "Chapter 3\nWillow cast the net and waited\nfor the tide to turn.\n"
    (chapter,) = chapters(text)
    assert chapter.title == "Chapter 3"
    assert text[chapter.body.start :].lstrip().startswith("Willow")


@pytest.mark.parametrize(
    "line",
    [
        "Chapter 12 was the best part, she thought.",
        "Part of me wanted to stay.",
        "Book III was missing from the shelf.",
        "I",  # a one-word paragraph "I" followed by prose on the next line
    ],
)
def test_prose_is_not_a_heading(line: str) -> None:
    text = f"Before.\n\n{line}\nand more words here.\n"
    assert titles(text) == ["Story"]


def test_text_before_the_first_heading_is_its_own_chapter() -> None:
    text = "A note from the author.\n\nChapter 1\n\nIt began.\n\nChapter 2\n\nIt ended.\n"
    got = chapters(text)
    assert [c.title for c in got] == ["Story", "Chapter 1", "Chapter 2"]
    assert [c.index for c in got] == [1, 2, 3]
    assert got[0].heading is None
    assert got[0].body == Span(0, text.index("Chapter 1"))
    assert got[1].body.end == got[2].heading.start  # type: ignore[union-attr]


def test_no_heading_is_one_chapter() -> None:
    text = "Just a story.\n\nWith two paragraphs.\n"
    (chapter,) = chapters(text)
    assert (chapter.title, chapter.heading, chapter.body) == ("Story", None, Span(0, len(text)))


def test_table_of_contents_is_dropped() -> None:
    text = (
        "Contents\n\nChapter 1: Arrival\nChapter 2: Departure\n\n"
        "Chapter 1: Arrival\n\nThey came by boat.\n\nChapter 2: Departure\n\nThey left by train.\n"
    )
    got = chapters(text)
    assert [c.title for c in got] == ["Chapter 1: Arrival", "Chapter 2: Departure"]
    assert text[got[0].body.start : got[0].body.end].strip() == "They came by boat."


def test_markdown_headings_choose_the_chapter_level() -> None:
    text = "# Part One\n\n## Start\n\nA.\n\n### Aside\n\nB.\n\n## Middle\n\nC.\n"
    assert titles(text, markdown=True) == ["Start", "Middle"]
    assert "### Aside" in text[chapters(text, markdown=True)[0].body.start :]


def test_markdown_hashes_are_plain_text_outside_markdown() -> None:
    assert titles("## Notes\n\nSome text.\n") == ["Story"]


@pytest.mark.parametrize(
    "marker", ["*", "* * *", "***", "#", "~~~", "---", "___", "o0o", "-x-", "+ + +", "=====", "<>"]
)
def test_scene_markers(marker: str) -> None:
    assert is_scene_marker(marker)
    text = f"Chapter 1\n\nFirst scene.\n\n{marker}\n\nSecond scene.\n"
    (chapter,) = chapters(text)
    start = text.index(marker, len("Chapter 1"))
    assert chapter.scene_breaks == (Span(start, start + len(marker)),)


def test_marker_between_blank_runs_is_one_break() -> None:
    text = "First.\n\n\n* * *\n\n\nSecond.\n"
    (chapter,) = chapters(text)
    assert chapter.scene_breaks == (Span(text.index("\n\n") + 1, text.index("Second")),)


@pytest.mark.parametrize("line", ["Hello", "x", "I", "...", "- word -", "1999"])
def test_not_scene_markers(line: str) -> None:
    assert not is_scene_marker(line)


def test_blank_line_runs_are_scene_breaks_with_crlf() -> None:
    text = "One.\r\n\r\nTwo.\r\n\r\n\r\nThree.\r\n\r\n\r\n"
    (chapter,) = chapters(text)
    assert chapter.scene_breaks == (Span(text.index("\r\n\r\n\r\n") + 2, text.index("Three")),)


def test_old_mac_line_breaks() -> None:
    text = "Chapter 1\r\rOne.\r\rChapter 2\r\rTwo.\r"
    assert titles(text) == ["Chapter 1", "Chapter 2"]


def test_region_is_respected() -> None:
    text = "Title: X\nAuthor: Y\n\nChapter 1\n\nBody.\n"
    start = text.index("\n\nChapter")
    got = split_chapters(text, Span(start, len(text)), markdown=False, default_title="X")
    assert [c.title for c in got] == ["Chapter 1"]
    assert got[0].heading == Span(text.index("Chapter 1"), text.index("Chapter 1") + 9)
