"""Merging and renaming characters, written back into voices.yaml without losing the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.cast.config import CastConfig, CharacterSpec, load_cast
from audiobook.cast.identities import apply_edits, cast_specs, merge, rename
from audiobook.cast.writer import replace_block, save_characters
from audiobook.engines.base import Gender, Voice
from audiobook.errors import ConfigError, UnknownNameError
from audiobook.script.cast import Cast, Character

SPECS = (
    CharacterSpec("Willow", ("Will",), Gender.FEMALE, Voice("fake", "f1")),
    CharacterSpec("Rosenberg", ("Miss Rosenberg",), Gender.UNKNOWN, Voice("fake", "f2")),
    CharacterSpec("Xander", gender=Gender.MALE),
)


def test_merge_keeps_the_target_and_takes_every_name() -> None:
    merged = merge(SPECS, "rosenberg", "Will")  # any case, aliases find characters too
    assert merged == (
        CharacterSpec("Willow", ("Will", "Rosenberg", "Miss Rosenberg"), Gender.FEMALE,
                      Voice("fake", "f1")),
        CharacterSpec("Xander", gender=Gender.MALE),
    )  # fmt: skip
    with pytest.raises(ConfigError, match="already one character"):
        merge(SPECS, "Will", "Willow")
    with pytest.raises(UnknownNameError, match="unknown character 'Buffy'; valid: Rosenberg"):
        merge(SPECS, "Buffy", "Willow")


def test_rename_keeps_the_old_name_as_an_alias() -> None:
    renamed = rename(SPECS, "Willow", "Willow Rosenberg")
    assert renamed[0].name == "Willow Rosenberg" and renamed[0].aliases == ("Will", "Willow")
    assert rename(SPECS, "Willow", "Will")[0].aliases == ("Willow",)
    with pytest.raises(
        ConfigError, match="'xander' is already 'Xander'; use --merge Willow=Xander"
    ):
        rename(SPECS, "Willow", "xander")


def test_edits_apply_merges_then_renames() -> None:
    out = apply_edits(SPECS, ["Rosenberg=Willow"], ["Willow=Willow Rosenberg"])
    assert [s.name for s in out] == ["Willow Rosenberg", "Xander"]
    with pytest.raises(ConfigError, match="--merge takes NAME=NAME"):
        apply_edits(SPECS, ["Rosenberg"], [])


def test_the_found_cast_is_edited_when_voices_yaml_lists_nobody() -> None:
    found = Cast((Character("Anna", ("Ann",), Gender.FEMALE),))
    assert cast_specs(CastConfig(), found) == (CharacterSpec("Anna", ("Ann",), Gender.FEMALE),)
    assert cast_specs(CastConfig(characters=SPECS), found) == SPECS


VOICES = """\
# my cast; keep this comment
narrator: fake:narrator   # the reader

characters:
  Willow: {voice: fake:f1}
  # a comment inside the old block goes with it
  Rosenberg: {gender: female}

# the lexicon comment stays
lexicon:
  Willow: Willo
"""


def test_only_the_characters_block_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "voices.yaml"
    path.write_text(VOICES, encoding="utf-8")
    backup = save_characters(path, merge(SPECS, "Rosenberg", "Willow"), "Book")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my cast; keep this comment\nnarrator: fake:narrator   # the reader\n")
    assert "\n# the lexicon comment stays\nlexicon:\n  Willow: Willo\n" in text
    assert "inside the old block" not in text
    config = load_cast(path)
    assert [c.name for c in config.characters] == ["Willow", "Xander"]
    assert config.characters[0].aliases == ("Will", "Rosenberg", "Miss Rosenberg")
    assert backup is not None and backup.read_text(encoding="utf-8") == VOICES


def test_a_new_file_starts_from_the_voices_file_in_use(tmp_path: Path) -> None:
    base = tmp_path / "elsewhere.yaml"
    base.write_text("narrator: fake:narrator\n", encoding="utf-8")
    path = tmp_path / "voices.yaml"
    assert save_characters(path, SPECS[2:], "Book", base=base) is None
    assert load_cast(path).narrator == Voice("fake", "narrator")
    assert replace_block("a: 1\n", "characters", "characters: {}\n") == "a: 1\n\ncharacters: {}\n"
