"""Header blocks: title lines, ``Key: value`` blocks, title pages, Markdown front matter."""

from __future__ import annotations

from audiobook.text.header import readable_title
from audiobook.text.load import parse_text


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


def test_title_page_with_by_line() -> None:
    text = "The Quiet Harbour\n\nby Agnes Tolley\n\nCHAPTER I.\n\nThe boats came in.\n"
    book = parse_text(text, stem="x", markdown=False)
    assert (book.meta.title, book.meta.author) == ("The Quiet Harbour", "Agnes Tolley")
    assert [c.title for c in book.chapters] == ["CHAPTER I"]


def test_readable_title() -> None:
    assert readable_title("captain_red-v2") == "Captain Red V2"
    assert readable_title("TheQuietHarbour") == "The Quiet Harbour"


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
