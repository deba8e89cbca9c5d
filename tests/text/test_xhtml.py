"""Content documents to blocks: whitespace, skipped elements, italics, scene breaks."""

from __future__ import annotations

from audiobook.text.xhtml import BlockKind, parse_document


def blocks(body: str, attrs: str = ""):  # type: ignore[no-untyped-def]
    return parse_document(f"<html><body{attrs}>{body}</body></html>".encode())


def test_whitespace_collapses_and_br_breaks_lines() -> None:
    (block,), _ = blocks("<p>  One\n   two <b>three</b>\t four<br/>five  </p>")
    assert (block.kind, block.text) == (BlockKind.PARAGRAPH, "One two three four\nfive")


def test_what_is_not_read() -> None:
    found, _ = blocks(
        '<p>Text<a epub:type="noteref" href="#n1">1</a> goes on.</p>'
        '<img alt="a picture"/><svg><text>drawing</text></svg>'
        '<aside epub:type="footnote" id="n1"><p>A note.</p></aside><script>x()</script>'
    )
    assert [b.text for b in found if b.text] == ["Text goes on."]


def test_italics_are_spans_of_the_words() -> None:
    (block,), _ = blocks("<p>She thought, <i> not again </i>, and <em>left</em>.</p>")
    assert block.text == "She thought, not again , and left."
    assert [block.text[a:b] for a, b in block.italics] == ["not again", "left"]


def test_breaks_headings_and_types() -> None:
    found, types = blocks('<section epub:type="chapter"><h1>Title</h1><p>A.</p><hr/><p>⁂</p>'
                          "<div>Loose text<p>B.</p></div></section>", ' epub:type="bodymatter"')  # fmt: skip
    assert [(b.kind.value, b.text) for b in found] == [
        ("heading", "Title"), ("paragraph", "A."), ("break", ""), ("break", ""),
        ("paragraph", "Loose text"), ("paragraph", "B."),
    ]  # fmt: skip
    assert types == {"bodymatter", "chapter"}


def test_empty_document() -> None:
    assert parse_document(b"  ") == ([], set())
