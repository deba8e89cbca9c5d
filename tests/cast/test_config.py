from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.cast.config import MAX_ALIASES, load_cast, parse_cast
from audiobook.engines.base import Gender, Voice
from audiobook.errors import ConfigError


def test_full_example_parses() -> None:
    config = parse_cast(
        """
engine: espeak
narrator: piper:joe
unknown: en-us+m3
voices:
  gruff: {voice: piper:joe, pitch: -3, speed: 0.9}
characters:
  Willow Rosenberg:
    aliases: [Willow, Will]
    gender: female
    voice: espeak:en-us+f3
  Boone: {gender: m, voice: gruff}
  Tara: espeak:en-gb-x-rp+f2
pool:
  - {voice: espeak:en-us+f4, gender: female}
  - espeak:en-us+m2
"""
    )
    assert config.engine == "espeak"
    assert config.narrator == Voice("piper", "joe")
    assert config.unknown == Voice("espeak", "en-us+m3")  # bare name: the file's engine
    willow, boone, tara = config.characters
    assert willow.aliases == ("Willow", "Will") and willow.gender is Gender.FEMALE
    assert boone.voice == Voice("piper", "joe", speed=0.9, pitch=-3.0)
    assert boone.gender is Gender.MALE
    assert tara.voice == Voice("espeak", "en-gb-x-rp+f2")
    assert config.pool == (
        (Voice("espeak", "en-us+f4"), Gender.FEMALE),
        (Voice("espeak", "en-us+m2"), Gender.UNKNOWN),
    )
    assert config.closed_cast


def test_characters_only_is_valid() -> None:
    config = parse_cast("characters:\n  Anne Shirley: {aliases: [Anne], gender: female}\n")
    assert config.characters[0].voice is None
    assert config.narrator is None


def test_empty_file_is_empty_config() -> None:
    assert not parse_cast("# nothing here\n").closed_cast


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: [",
            "voices.yaml: not valid YAML (expected the node content, but found '<stream end>' at line 1, column 5)",
        ),
        (
            "colour: red\n",
            "voices.yaml: colour: unknown key; expected one of characters, engine, lexicon, narrator, pool, unknown, voices",
        ),
        ("characters:\n  A: {}\n  A: {}\n", "voices.yaml: 'A' is listed twice (line 3)"),
        ("- a\n- b\n", "voices.yaml: expected a mapping at the top, got a list"),
        (
            "characters:\n  A: {gender: robot}\n",
            "voices.yaml: characters.A.gender: 'robot' is not one of male, female, unknown",
        ),
        (
            "characters:\n  A: {voice: 3}\n",
            "voices.yaml: characters.A.voice: expected ENGINE:VOICE or a mapping, got int",
        ),
        (
            "characters:\n  A: {voic: x:y}\n",
            "voices.yaml: characters.A.voic: unknown key; expected aliases, gender, narrator, voice",
        ),
        (
            "narrator: joe\n",
            "voices.yaml: narrator: 'joe' is neither a named voice nor ENGINE:VOICE",
        ),
        (
            "narrator: {voice: piper:joe, speed: fast}\n",
            "voices.yaml: narrator.speed: expected a number, got text",
        ),
        (
            "narrator: {voice: piper:joe, speed: 9}\n",
            "voices.yaml: narrator.speed: 9 is out of range 0.25..4",
        ),
        (
            "characters:\n  A: {aliases: [B]}\n  C: {aliases: [B]}\n",
            "voices.yaml: characters.C: name 'B' is already used by 'A'",
        ),
    ],
)
def test_errors_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_cast(text)
    assert str(info.value) == message


def test_tabs_are_reported() -> None:
    with pytest.raises(ConfigError, match="tab"):
        parse_cast("characters:\n\tA: {}\n")


def test_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(
            f"b{i}: &b{i} [" + ", ".join([f"*{'a' if i == 1 else f'b{i - 1}'}"] * 30) + "]"
        )
    with pytest.raises(ConfigError, match="alias"):
        parse_cast("\n".join(lines))
    assert MAX_ALIASES < 30 * 11


def test_python_tags_are_not_executed() -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        parse_cast("narrator: !!python/object/apply:os.system ['echo hi']\n")


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_cast(tmp_path / "missing.yaml")
    big = tmp_path / "big.yaml"
    big.write_text("#" * 1_000_001)
    with pytest.raises(ConfigError, match="too big"):
        load_cast(big)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("narrator: caf\xe9".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_cast(latin)


def test_repo_example_is_valid() -> None:
    config = load_cast(Path(__file__).parents[2] / "voices.yaml")
    assert not config.closed_cast  # inert: it must not close the cast of other stories


def test_lexicon_key() -> None:
    from audiobook.cast.pronounce import Pronunciation

    config = parse_cast("lexicon:\n  Tara: Tahra\n  Boone: /bˈuːn/\n")
    assert config.lexicon == {
        "Tara": Pronunciation(say="Tahra"),
        "Boone": Pronunciation(ipa="bˈuːn"),
    }
    with pytest.raises(ConfigError, match=r"lexicon.Tara: expected a respelling"):
        parse_cast("lexicon:\n  Tara: [1]\n")


def test_blend_and_formant_voices() -> None:
    config = parse_cast(
        "voices:\n"
        "  aunt: {voice: kokoro:jf_alpha*0.7+jf_nezumi*0.3, pitch: -1, speed: 0.9}\n"
        "  deep: {voice: piper:joe, pitch: -2, options: {formant: -2}}\n"
        "narrator: deep\n"
        "characters:\n  Aunt May: aunt\n"
    )
    assert config.narrator == Voice("piper", "joe", pitch=-2.0, options=(("formant", -2),))
    assert config.characters[0].voice == Voice("kokoro", "jf_alpha*0.7+jf_nezumi*0.3", 0.9, -1.0)
