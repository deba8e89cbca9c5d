"""Bad input at the command line: one `error:` line (or a warning) and an exit code, never a traceback.

Unit tests under tests/text, tests/cast and tests/publish cover each reader; these run
the real command on each kind of bad file, the way a user meets them.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.cast.config import CastConfig
from audiobook.script.analyse import analyse
from audiobook.text.load import load_book, parse_text
from tests.cli import run

GOOD = 'Chapter 1\n\n"Hi," Anna said.\n'
NO_MARKS = str.maketrans("", "", "\"“”‘’'«»„*_")  # quote and emphasis marks are not said


def make(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    code, _, err = run(["make", str(story), "--engine", "fake", "--out", str(tmp_path / "out"),
                        "-q", *extra], capsys)  # fmt: skip
    assert "Traceback" not in err
    return code, err


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b" \n\t\r\n  \n", "has no text"),
        (bytes(range(256)) * 20, "looks like a binary file, not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "is a PDF file, not text"),
        (
            b"PK\x03\x04\x14\x00\x00\x00" + bytes(40),
            "is a ZIP archive (an EPUB or Word file?), not text",
        ),
        (b"...\n\n!!!\n\n***\n", "has no text"),
    ],
    ids=["empty", "whitespace", "garbage", "pdf", "zip", "only-punctuation"],
)
def test_what_is_not_a_story_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    story = tmp_path / "story.txt"
    story.write_bytes(data)
    assert make(story, tmp_path, capsys) == (2, f"error: {story} {message}\n")


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        ("\ufeff" + GOOD, None),
        (("\ufeff" + GOOD).encode("utf-16-le"), None),
        (
            GOOD.replace('"', "“", 1).replace('"', "”", 1).encode("cp1252") + b"Caf\xe9.\n",
            "not UTF-8; read it as cp1252 (Windows Western)",
        ),
        (
            GOOD.encode() + "“Yes,” said Tom. Caf".encode() + b"\xe9.\n",
            "1 byte is not UTF-8; read them as cp1252",
        ),
        ('Chapter 1\n\n"Hello, Anna said. It went on.\n\nAnd on.\n\nChapter 2\n\nMore.\n', None),
        ("Chapter 1\n\nAnna 😀 smiled\x07 at \u202eTom\x1b.\n", None),
        ("Chapter 1\n\n" + "a" * 5000 + " end. " + "Supercalifragilistic" * 40 + "\n", None),
        ("Chapter 1\n\n...\n\n!!!\n\n— — —\n\n“”\n\nWords here.\n", None),
    ],
    ids=[
        "utf8-bom",
        "utf16-bom",
        "cp1252",
        "mixed",
        "unbalanced-quotes",
        "emoji-control",
        "long-words",
        "punctuation-lines",
    ],
)
def test_odd_but_readable_text_is_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: str | bytes, warning: str | None
) -> None:
    story = tmp_path / "story.txt"
    story.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    code, err = make(story, tmp_path, capsys)
    assert code == 0
    if warning is None:
        assert err == ""
    else:
        assert err == f"warning: {story.name}: {warning}\n"
    assert list((tmp_path / "out").glob("*/01 - *.mp3"))


def test_a_one_megabyte_paragraph_without_punctuation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Chapter 1\n\n" + "word " * 200_000 + "\n", encoding="utf-8")
    code, out, err = run(["script", str(story)], capsys)
    assert (code, err) == (0, "")
    assert len(out.splitlines()) > 100  # cut into speakable pieces


def test_a_50_megabyte_text_loads(tmp_path: Path) -> None:
    para = 'Rook walked on. "Keep up," said Fenn, and laughed at the grey hills.\n\n'
    chapter = "Chapter {}\n\n" + para * 2000
    story = tmp_path / "big.txt"
    story.write_text("".join(chapter.format(n) for n in range(1, 360)), encoding="utf-8")
    assert story.stat().st_size > 50_000_000
    book = load_book(story)
    assert len(book.chapters) == 359 and not book.warnings


BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"b{i}: &b{i} [" + ", ".join([f"*{'a' if i == 1 else f'b{i - 1}'}"] * 30) + "]"
       for i in range(1, 12)]
)  # fmt: skip


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        (
            "characters: [unclosed\n  - x: {\n",
            "{path}: not valid YAML (expected ',' or ']', but got ':' at line 2, column 6)",
        ),
        (
            "charactors:\n  Anna: {}\n",
            "{path}: charactors: unknown key; expected one of "
            "characters, engine, lexicon, narrator, pool, unknown, voices",
        ),
        (
            "characters:\n\tAnna: {}\n",
            "{path}: not valid YAML (a tab character; indent YAML "
            "with spaces, not tabs at line 2, column 1)",
        ),
        ("- a\n- b\n", "{path}: expected a mapping at the top, got a list"),
        (
            "characters:\n  Anna: {gender: robot}\n",
            "{path}: characters.Anna.gender: 'robot' is not one of male, female, unknown",
        ),
        (
            "characters:\n  Anna: {gender: female}\n  Anna: {gender: male}\n",
            "{path}: 'Anna' is listed twice (line 3)",
        ),
        (
            "characters:\n  Anna: {voice: fake:zz9}\n",
            "unknown fake voice 'zz9'; valid: f1, f2, f3, m1, m2, m3, narrator, x1",
        ),
        (BOMB, None),
    ],
    ids=[
        "not-yaml",
        "unknown-key",
        "tabs",
        "wrong-type",
        "bad-value",
        "listed-twice",
        "unknown-voice",
        "alias-bomb",
    ],
)
def test_bad_voices_yaml_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], yaml: str, message: str | None
) -> None:
    story, voices = tmp_path / "story.txt", tmp_path / "voices.yaml"
    story.write_text(GOOD, encoding="utf-8")
    voices.write_text(yaml, encoding="utf-8")
    code, err = make(story, tmp_path, capsys)
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ")
    if message is None:
        assert "alias" in err
    else:
        assert err == "error: " + message.format(path=voices) + "\n"


def test_unknown_engine_in_voices_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "story.txt"
    story.write_text(GOOD, encoding="utf-8")
    (tmp_path / "voices.yaml").write_text("engine: nope\n", encoding="utf-8")
    code, _, err = run(["make", str(story), "--out", str(tmp_path / "out"), "-q"], capsys)
    assert code == 2
    assert err.startswith("error: unknown engine 'nope'; valid: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("title", "folder"),
    [
        ("../../escape", "-..-escape"),
        ("a/b\\c:d", "a-b-c -d"),
        ("CON", "CON_"),
        ("..", "untitled"),
        ("x" * 300, "x" * 120),
    ],
)
def test_titles_become_safe_folder_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, folder: str
) -> None:
    story = tmp_path / "story.txt"
    story.write_text(f"Title: {title}\nAuthor: Me\n\n{GOOD}", encoding="utf-8")
    assert make(story, tmp_path, capsys) == (0, "")
    assert [p.name for p in (tmp_path / "out").iterdir()] == [folder]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
            st.sampled_from(['"', "“", "”", "'", "\n\n", "Chapter 2\n\n", "* * *\n\n", "—", ". "]),
        ),
        max_size=30,
    )
)
def test_offsets_survive_load_segments_and_script(pieces: list[str]) -> None:
    """Random text through load -> segments -> script: segments tile each chapter exactly."""
    text = "Chapter 1\n\nSome words. " + "".join(pieces)
    book = parse_text(text, stem="random", markdown=False)
    script = analyse(book, CastConfig())
    assert script.book.text == text
    for chapter in book.chapters:
        segments = script.chapter_segments(chapter.index)
        if not segments:
            continue
        assert segments[0].start == chapter.span.start
        assert segments[-1].end == chapter.span.end
        for before, after in itertools.pairwise(segments):
            assert before.end == after.start
        for seg in segments:
            source = text[seg.start : seg.end].translate(NO_MARKS)
            assert all(w in source for w in seg.text.translate(NO_MARKS).split()), (seg, source)
