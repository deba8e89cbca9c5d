"""Output files: atomic writes, folders, and safe names from arbitrary titles."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiobook.errors import OutputError
from audiobook.publish.files import (
    atomic_path,
    atomic_write,
    book_dirname,
    chapter_filename,
    ensure_dir,
    safe_name,
)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_atomic_write_publishes_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "x.mp3"
    with atomic_write(target) as out:
        out.write(b"data")
        assert not target.exists()  # nothing under the final name while writing
    assert target.read_bytes() == b"data"
    assert leftovers(tmp_path) == []


def test_atomic_write_text_mode(tmp_path: Path) -> None:
    with atomic_write(tmp_path / "notes.txt", "w") as out:
        out.write("naïve ☃\n")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "naïve ☃\n"


def test_atomic_write_failure_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "x.mp3"
    with pytest.raises(KeyError), atomic_write(target) as out:
        out.write(b"half")
        raise KeyError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_failure_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "x.mp3"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(target) as out:
        out.write(b"new")
        raise RuntimeError
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_write_error_in_body_becomes_output_error(tmp_path: Path) -> None:
    target = tmp_path / "x.mp3"
    message = re.escape(f"cannot write {target}: No space left on device")
    with pytest.raises(OutputError, match=f"^{message}$"), atomic_write(target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert list(tmp_path.iterdir()) == []


def test_error_about_another_file_passes_through(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic_write(tmp_path / "x.mp3"):
        (tmp_path / "input.txt").read_text()
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_names_and_renames(tmp_path: Path) -> None:
    target = tmp_path / "01 - The Net.mp3"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.is_file()
        assert tmp.name.startswith(".") and tmp.name.endswith(".part")
        tmp.write_bytes(b"encoded")
        tmp.write_bytes(tmp.read_bytes() + b" and tagged")
    assert target.read_bytes() == b"encoded and tagged"
    assert leftovers(tmp_path) == []


def test_atomic_path_failure_removes_temp(tmp_path: Path) -> None:
    with pytest.raises(ValueError), atomic_path(tmp_path / "x.mp3") as tmp:
        tmp.write_bytes(b"partial")
        raise ValueError
    assert list(tmp_path.iterdir()) == []


def test_long_final_names_still_get_temp_files(tmp_path: Path) -> None:
    target = tmp_path / ("é" * 125 + ".mp3")  # 254 bytes: no room for a prefix and suffix
    with atomic_write(target) as out:
        out.write(b"ok")
    assert target.read_bytes() == b"ok"


def test_files_get_umask_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "x.mp3") as out:
            out.write(b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.mp3").stat().st_mode) == 0o644


def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    # Tests run as root, so permissions do not stop writes; a file in the path does.
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    target = blocker / "sub" / "x.mp3"
    message = re.escape(f"cannot write {target}: Not a directory")
    with pytest.raises(OutputError, match=f"^{message}$"), atomic_write(target):
        pass


def test_ensure_dir(tmp_path: Path) -> None:
    made = ensure_dir(tmp_path / "a" / "b")
    assert made.is_dir() and ensure_dir(made) == made
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    in_the_way = f"cannot create folder {blocker}: a file is in the way"
    with pytest.raises(OutputError, match=re.escape(in_the_way)):
        ensure_dir(blocker)
    not_a_dir = f"cannot create folder {blocker}/sub: Not a directory"
    with pytest.raises(OutputError, match=re.escape(not_a_dir)):
        ensure_dir(blocker / "sub")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("The Net", "The Net"),
        ("Chapter 1: The Net", "Chapter 1 - The Net"),
        ("AC/DC and back\\slash", "AC-DC and back-slash"),
        ("../../etc/passwd", "-..-etc-passwd"),
        ("..", "untitled"),
        ("...", "untitled"),
        ("", "untitled"),
        ("???", "untitled"),
        ("  .hidden.  ", "hidden"),
        ('What? *Really* <now> | "yes"', "What Really now - 'yes'"),
        ("a\x00b\x1fc\nd\te", "a b c d e"),
        ("CON", "CON_"),
        ("con.mp3", "con_.mp3"),
        ("nul", "nul_"),
        ("COM1", "COM1_"),
        ("lpt9.txt", "lpt9_.txt"),
        ("CONSOLE", "CONSOLE"),
        ("Chapter 🐟 fish", "Chapter 🐟 fish"),
        ("Cafe\u0301", "Café"),  # NFD in, NFC out
        ("evil\u202etxt.exe", "evil txt.exe"),  # no right-to-left override tricks
    ],
)
def test_safe_name_examples(title: str, expected: str) -> None:
    assert safe_name(title) == expected


@pytest.mark.parametrize("char", ["a", "é", "€", "🐟"])
def test_safe_name_caps_bytes_on_character_boundaries(char: str) -> None:
    name = safe_name(char * 300)
    assert len(name.encode("utf-8")) <= 120
    assert set(name) == {char} and len(name) == 120 // len(char.encode("utf-8"))


def test_safe_name_max_len() -> None:
    assert safe_name("x" * 300, max_len=255) == "x" * 255
    with pytest.raises(ValueError, match="max_len"):
        safe_name("x", max_len=256)
    # Marking a reserved name must not push it over the limit.
    assert safe_name("CON." + "x" * 30, max_len=16) == "CON_." + "x" * 11


def is_valid_component(name: str) -> bool:
    return (
        bool(name)
        and name not in (".", "..")
        and not any(c in name for c in '/\\\0:*?"<>|')
        and not any(unicodedata.category(c) in ("Cc", "Cs") for c in name)
        and name[0] not in ". "
        and name[-1] not in ". "
        and len(name.encode("utf-8")) <= 255
    )


titles = st.text(st.characters(codec=None, exclude_categories=()), max_size=400) | st.text(
    st.sampled_from('./\\ :*?"<>|\0\n.-aé🐟CONPRNUL1'), max_size=40
)


@given(titles)
def test_safe_name_property(title: str) -> None:
    name = safe_name(title)
    assert is_valid_component(name), repr(name)
    assert len(name.encode("utf-8")) <= 120
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}
    assert safe_name(name) == name  # stable: a safe name is its own safe name
    assert unicodedata.is_normalized("NFC", name)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("names")


@given(title=titles, total=st.integers(1, 999))
def test_chapter_filenames_can_be_created(scratch: Path, title: str, total: int) -> None:
    name = chapter_filename(total, total, title)
    assert is_valid_component(name) and name.endswith(".mp3")
    with atomic_write(scratch / name) as out:  # long names still leave room for the temp name
        out.write(b"")
    (scratch / name).unlink()


def test_chapter_filename_pads_for_sorting() -> None:
    assert chapter_filename(1, 3, "The Net") == "01 - The Net.mp3"
    assert chapter_filename(7, 120, "Dawn") == "007 - Dawn.mp3"
    assert chapter_filename(3, 9, "  ") == "03 - Chapter 3.mp3"
    names = [chapter_filename(i, 12, "x") for i in range(1, 13)]
    assert names == sorted(names)
    with pytest.raises(ValueError, match="outside"):
        chapter_filename(0, 3, "x")


def test_book_dirname() -> None:
    assert book_dirname("The Old Man: and the Sea") == "The Old Man - and the Sea"
    assert book_dirname("/") == "-"
    assert book_dirname("") == "untitled"
