"""Segmentation: paragraphs, pauses, length splits, and the tiling contract."""

from __future__ import annotations

import itertools
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.script.model import NARRATOR, Kind, Pause, Segment
from audiobook.script.quotes import QuoteStyle, detect_quote_style
from audiobook.script.segments import segment_book, segment_chapter
from audiobook.script.split import MAX_CHARS
from audiobook.text.chapters import WORD, is_scene_marker, split_chapters
from audiobook.text.load import parse_text
from audiobook.text.model import Chapter, Span

D = Kind.DIALOGUE
N = Kind.NARRATION


def segment(text: str, style: QuoteStyle | None = None) -> tuple[Segment, ...]:
    """Segments of ``text`` as one chapter without a heading."""
    chapter = Chapter(1, "T", Span(0, len(text)))
    return segment_chapter(text, chapter, style or detect_quote_style(text))


def pieces(text: str, style: QuoteStyle | None = None) -> list[tuple[Kind, str]]:
    return [(s.kind, text[s.start : s.end]) for s in segment(text, style)]


def spoken(text: str, style: QuoteStyle | None = None) -> list[tuple[Kind, str]]:
    return [(s.kind, s.text) for s in segment(text, style)]


def check_tiling(text: str, chapter: Chapter, segments: tuple[Segment, ...]) -> None:
    """The module contract, for any chapter and any text."""
    span = chapter.span
    if not segments:  # only allowed when every line is wordless or a scene marker
        for line in re.split(r"\r\n|\r|\n", text[span.start : span.end]):
            assert is_scene_marker(line.strip()) or WORD.search(line) is None
        return
    assert segments[0].start == span.start
    assert segments[-1].end == span.end
    for before, after in itertools.pairwise(segments):
        assert before.end == after.start
        assert before.paragraph <= after.paragraph
    for seg in segments:
        assert seg.start < seg.end
        assert seg.chapter == chapter.index
        assert WORD.search(seg.text), seg
        assert seg.text == seg.text.strip() and "\n" not in seg.text and "  " not in seg.text
        assert len(seg.text) <= MAX_CHARS or " " not in seg.text  # only one unbreakable word
        if seg.kind is N:
            assert (seg.speaker, seg.confidence) == (NARRATOR, 1.0)
        else:
            assert seg.speaker is None


# --- paragraphs, speech across them, headings, pauses ---------------------------


def test_speech_over_several_paragraphs() -> None:
    text = (
        '"It was a cold night and the road was long.\n\n'
        '"We walked until dawn," said Ada.\n\n'
        "The fire crackled.\n"
    )
    segs = segment(text)
    assert [(s.kind, s.run_on, s.paragraph) for s in segs] == [
        (D, True, 0),
        (D, False, 1),
        (N, False, 1),
        (N, False, 2),
    ]
    assert segs[0].pause_after is Pause.PARAGRAPH


def test_unclosed_speech_before_a_scene_break_or_the_end_does_not_run_on() -> None:
    text = '"First words.\n\n* * *\n\n"Second words.\n'
    (chapter,) = split_chapters(text, Span(0, len(text)), markdown=False, default_title="T")
    segs = segment_chapter(text, chapter, QuoteStyle.STRAIGHT_DOUBLE)
    assert [(s.kind, s.run_on, s.pause_after) for s in segs] == [
        (D, False, Pause.SCENE),
        (D, False, Pause.PARAGRAPH),
    ]


def test_paragraphs_and_hard_wraps_with_crlf() -> None:
    text = 'The road ran\r\nnorth for miles.\r\n\r\n"Onward," said Kit.\r\n'
    segs = segment(text)
    assert [(s.paragraph, s.text) for s in segs] == [
        (0, "The road ran north for miles."),
        (1, "Onward,"),
        (1, "said Kit."),
    ]


def test_one_paragraph_per_line_when_there_are_no_blank_lines() -> None:
    text = 'It was late.\nThe owl called.\n"Bed," said Mum.\nWe went.\n'
    assert [s.paragraph for s in segment(text)] == [0, 1, 2, 2, 3]


def test_heading_segment_and_scene_break() -> None:
    text = "Chapter 2: Ash\n\nThe fire died.\n\n* * *\n\nMorning came.\n"
    (chapter,) = split_chapters(text, Span(0, len(text)), markdown=False, default_title="T")
    segs = segment_chapter(text, chapter, QuoteStyle.STRAIGHT_DOUBLE)
    check_tiling(text, chapter, segs)
    assert [(s.heading, s.text, s.pause_after, s.paragraph) for s in segs] == [
        (True, "Chapter 2: Ash", Pause.PARAGRAPH, 0),
        (False, "The fire died.", Pause.SCENE, 1),
        (False, "Morning came.", Pause.PARAGRAPH, 2),
    ]
    assert segs[0].speaker == NARRATOR
    assert "* * *" in text[segs[1].start : segs[1].end]


def test_sentence_and_clause_pauses_inside_a_paragraph() -> None:
    text = "“Yes.” She nodded; “No—” he began, “maybe”.\n"
    assert [s.pause_after for s in segment(text)] == [
        Pause.SENTENCE,
        Pause.CLAUSE,
        Pause.CLAUSE,
        Pause.CLAUSE,
        Pause.PARAGRAPH,
    ]


def test_nothing_speakable_is_absorbed() -> None:
    text = '...\n\n"Well," he said. "..."\n\n---\n\n—\n\nThe end.\n'
    segs = segment(text)
    assert [s.text for s in segs] == ["... Well,", "he said. ...", "The end."]
    assert segs[0].start == 0 and segs[-1].end == len(text)


def test_emphasis_and_control_characters_are_not_spoken() -> None:
    text = "She *really* meant __it__,\x07 said snake_case and 2 * 3.\n"
    assert spoken(text) == [(N, "She really meant it, said snake_case and 2 * 3.")]


def test_chapter_with_nothing_to_say() -> None:
    assert segment("... --- !!!\n") == ()


# --- length ---------------------------------------------------------------------


def test_long_paragraph_is_split_at_sentences() -> None:
    sentence = "Mr. Hale walked to St. Ives and back with Dr. J. Bell again. "
    text = '"' + sentence * 30 + '"'
    segs = segment(text)
    assert len(segs) > 1
    assert all(s.kind is D for s in segs)
    assert [s.split for s in segs] == [False] + [True] * (len(segs) - 1)
    assert all(len(s.text) <= MAX_CHARS for s in segs)
    assert all(s.text.endswith("again.") for s in segs)
    assert all(s.pause_after is Pause.SENTENCE for s in segs[:-1])
    check_tiling(text, Chapter(1, "T", Span(0, len(text))), segs)


def test_long_sentence_is_split_at_clauses_then_spaces() -> None:
    text = "and then, " * 200 + "word " * 300
    segs = segment(text)
    assert all(len(s.text) <= MAX_CHARS for s in segs)
    assert segs[0].text.endswith(",") and segs[0].pause_after is Pause.CLAUSE


def test_huge_paragraph_without_punctuation_is_fast() -> None:
    text = "lorem ipsum dolor " * 60_000  # about 1 MB, one paragraph
    started = time.perf_counter()
    segs = segment(text)
    assert time.perf_counter() - started < 3.0
    check_tiling(text, Chapter(1, "T", Span(0, len(text))), segs)


def test_extremely_long_word_is_cut() -> None:
    text = "x" * 5000
    segs = segment(text)
    assert len(segs) == 9
    assert all(len(s.text) <= MAX_CHARS for s in segs)
    assert "".join(s.text for s in segs) == text


# --- whole books and the tiling property ------------------------------------------


def test_segment_book_covers_every_chapter() -> None:
    text = (
        "The Gull\n\nAuthor: R. Tern\nRating: G\n\nChapter 1\n\n“Fish?” asked Gull.\n\n"
        "Chapter 2\n\n“Fish,” said Tern.\n"
    )
    book = parse_text(text, stem="gull", markdown=False)
    segs = segment_book(book)
    for chapter in book.chapters:
        check_tiling(text, chapter, tuple(s for s in segs if s.chapter == chapter.index))
    assert [s.text for s in segs] == [
        "Chapter 1",
        "Fish?",
        "asked Gull.",
        "Chapter 2",
        "Fish,",
        "said Tern.",
    ]


TOKENS = st.sampled_from(
    [
        "word", "Willow", "the", "a", "I", "42", "é", " ", " ", "  ", ",", ".", "!", "?", ";", ":",
        "...", "…", "—", "-", '"', "“", "”", "‘", "’", "'", "don't", "boys'", "'tis", "'95",
        "\n", "\r\n", "\r", "\n\n", "\n\n\n", "\r\n\r\n", "\n* * *\n", "\n\n#\n\n", "o0o", "*",
        "_", "**", "\t", "😀", "\x07", "\x00", "\u2028", "Chapter 1", "\n\nChapter 2\n\n",
    ]
)  # fmt: skip
STORIES = st.one_of(st.lists(TOKENS, max_size=80).map("".join), st.text(max_size=200))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=STORIES, style=st.sampled_from(list(QuoteStyle)))
def test_segments_tile_a_bare_chapter(text: str, style: QuoteStyle) -> None:
    chapter = Chapter(3, "T", Span(0, len(text)))
    check_tiling(text, chapter, segment_chapter(text, chapter, style))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=STORIES, text=STORIES, style=st.sampled_from(list(QuoteStyle)))
def test_segments_tile_split_chapters(prefix: str, text: str, style: QuoteStyle) -> None:
    full = prefix + text
    region = Span(len(prefix), len(full))
    for chapter in split_chapters(full, region, markdown=True, default_title="T"):
        assert region.start <= chapter.span.start <= chapter.span.end <= region.end
        check_tiling(full, chapter, segment_chapter(full, chapter, style))


@settings(max_examples=50, deadline=None)
@given(sentence=st.lists(TOKENS, min_size=20, max_size=60).map("".join), repeat=st.integers(5, 40))
def test_long_generated_paragraphs_tile(sentence: str, repeat: int) -> None:
    text = sentence.replace("\n", " ").replace("\r", " ") * repeat
    chapter = Chapter(1, "T", Span(0, len(text)))
    check_tiling(text, chapter, segment_chapter(text, chapter, detect_quote_style(text)))


@pytest.mark.parametrize("style", list(QuoteStyle))
def test_every_style_handles_mixed_marks(style: QuoteStyle) -> None:
    text = "“A” \"B\" ‘C’ 'D' don't ’em\n\n\"E\n\n‘F\n"
    chapter = Chapter(1, "T", Span(0, len(text)))
    check_tiling(text, chapter, segment_chapter(text, chapter, style))
