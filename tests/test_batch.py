"""Many books in one `make`: one bad book is reported and skipped, the exit code says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audiobook.batch import find_stories
from audiobook.errors import InputError
from tests.cli import run
from tests.render.stories import STORY


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    books = tmp_path / "books"
    books.mkdir()
    (books / "a-net.txt").write_text(STORY, encoding="utf-8")
    (books / "b-empty.txt").write_text("  \n\n", encoding="utf-8")
    (books / "c-tide.md").write_text(STORY.replace("Anna", "Mara"), "utf-8")
    (books / "notes.pdf").write_bytes(b"%PDF-1.4 not a story")
    return books


def test_folders_are_searched_for_stories(shelf: Path, tmp_path: Path) -> None:
    assert [p.name for p in find_stories([shelf])] == ["a-net.txt", "b-empty.txt", "c-tide.md"]
    assert find_stories([shelf / "a-net.txt", shelf / "a-net.txt"]) == [shelf / "a-net.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"no stories \(.txt, .md, .epub\) in this folder$"):
        find_stories([empty])


def test_one_bad_book_is_skipped_and_the_others_finish(
    shelf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, _, err = run(["make", str(shelf), "--engine", "fake", "--out", str(out), "-q"], capsys)
    assert code == 3
    assert err.splitlines() == [
        f"error: {shelf / 'b-empty.txt'}: {shelf / 'b-empty.txt'} has no text",
        "error: 1 of 3 book(s) failed: b-empty.txt",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["A Net", "C Tide"]
    assert (out / "C Tide" / "01 - Chapter 1 - Dawn.mp3").is_file()


def test_two_books_with_one_title_do_not_overwrite_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a" / "net.txt", tmp_path / "b" / "net.txt"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(
        ["make", str(first), str(second), "--engine", "fake", "--out", str(out), "-q"], capsys
    )
    assert code == 3
    assert err.splitlines()[0] == (
        f"error: {second}: {second}: its title gives the same folder as {first}: {out / 'Net'}"
    )


def test_json_progress_is_one_event_per_line_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "net.txt"
    story.write_text(STORY, encoding="utf-8")
    args = ["make", str(story), "--engine", "fake", "--out", str(tmp_path / "out"),
            "--progress", "json"]  # fmt: skip
    code, out, err = run(args, capsys)
    assert (code, err) == (0, "")
    events = [json.loads(line) for line in out.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[:3] == ["book", "start", "start"] and kinds[-2:] == ["book_done", "done"]
    synth = [e for e in events if e.get("stage") == "synthesize" and e["event"] == "progress"]
    assert len(synth) == 11 and synth[-1]["done"] == synth[-1]["total"]
    assert all(e["eta_s"] is not None and e["eta_s"] >= 0 for e in synth)
    book = events[-2]
    assert book["synthesized"] == 11 and book["error"] is None
    assert [f["passed"] for f in book["files"]] == [True, True]
    code, out, _ = run(args, capsys)  # everything cached, every chapter kept
    again = [json.loads(line) for line in out.splitlines()]
    assert [e for e in again if e["event"] == "start"] == [
        {"event": "start", "stage": "synthesize", "total": 0},
        {"event": "start", "stage": "write", "total": 0},
    ]
    assert again[-2]["chapters_kept"] == 2


def test_cache_info_and_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "net.txt"
    story.write_text(STORY, encoding="utf-8")
    cache = tmp_path / "cache"
    run(["make", str(story), "--engine", "fake", "--out", str(tmp_path), "--cache", str(cache),
         "-q"], capsys)  # fmt: skip
    code, out, _ = run(["cache", "info", "--cache", str(cache)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == [f"folder:  {cache}", "entries: 11"] and lines[2].startswith("size:")
    code, out, _ = run(["cache", "clear", "--cache", str(cache)], capsys)
    assert code == 0 and out.startswith("removed 11 entries (") and out.endswith(f"{cache}\n")
    assert run(["cache", "info", "--cache", str(cache)], capsys)[1].splitlines()[1] == "entries: 0"


def test_executor_options_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "net.txt"
    story.write_text(STORY, encoding="utf-8")
    code, _, err = run(["make", str(story), "--executor", "dask"], capsys)
    assert (code, err) == (
        2,
        "error: --executor dask needs --scheduler ADDRESS, e.g. tcp://host:8786\n",
    )
    code, _, err = run(["make", str(story), "--scheduler", "tcp://x:1"], capsys)
    assert (code, err) == (2, "error: --scheduler is only used with --executor dask\n")
    code, _, err = run(["make", str(story), "--workers", "0"], capsys)
    assert (code, err) == (
        2, "error: Invalid value for '--workers': 0 is not in the range x>=1.\n"
    )  # fmt: skip
