"""The pronunciation lexicon: entries, matching, loading, and the check for uncovered names."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.cast.pronounce import (
    Lexicon,
    Pronunciation,
    book_lexicon,
    global_path,
    lexicon_table,
    load_lexicon,
    parse_entries,
    proper_nouns,
    uncovered,
)
from audiobook.engines.base import PHONEMES_CLOSE, PHONEMES_OPEN
from audiobook.errors import ConfigError

LEX = Lexicon(
    {
        "Tara": Pronunciation(say="Tahra", ipa="tˈɑːɹə"),
        "Boone": Pronunciation(ipa="bˈuːn"),
        "Gull Point": Pronunciation(say="Gul Poynt"),
        "quay": Pronunciation(say="key"),
        "Hess": Pronunciation(ipa="hˈɛs"),
    }
)


def test_respelling_for_engines_without_phonemes() -> None:
    text = "Tara met Boone at Gull Point."
    assert LEX.apply(text, phonemes=False) == "Tahra met Boone at Gul Poynt."


def test_ipa_for_engines_that_read_it() -> None:
    text = "Tara met Boone at Gull  Point."
    assert (
        LEX.apply(text, phonemes=True)
        == f"{PHONEMES_OPEN}tˈɑːɹə{PHONEMES_CLOSE} met {PHONEMES_OPEN}bˈuːn{PHONEMES_CLOSE} at Gul Poynt."
    )


def test_whole_words_only_and_case_rules() -> None:
    assert LEX.apply("Taramis and tara and Boones", phonemes=False) == "Taramis and tara and Boones"
    # a lower-case key also matches at the start of a sentence, a capitalised one does not
    assert LEX.apply("Quay. quay. QUAY.", phonemes=False) == "key. key. QUAY."


def test_possessive_is_kept_and_voiced() -> None:
    assert LEX.apply("Tara's boat", phonemes=False) == "Tahra's boat"
    assert LEX.apply("Tara’s boat", phonemes=True) == f"{PHONEMES_OPEN}tˈɑːɹəz{PHONEMES_CLOSE} boat"
    assert LEX.apply("Hess's hat", phonemes=True) == f"{PHONEMES_OPEN}hˈɛsɪz{PHONEMES_CLOSE} hat"


def test_story_text_cannot_forge_phonemes() -> None:
    assert LEX.apply(f"a {PHONEMES_OPEN}x{PHONEMES_CLOSE} b", phonemes=True) == "a  x  b"
    assert Lexicon().apply(f"{PHONEMES_OPEN}Tara", phonemes=True) == " Tara"


def test_merge_lets_the_book_win() -> None:
    merged = LEX.merged({"Tara": Pronunciation(say="Tarra")})
    assert merged.apply("Tara and Boone", phonemes=False) == "Tarra and Boone"
    assert merged.covers("Boone") and not merged.covers("Willow")


def test_parse_entries_forms_and_problems() -> None:
    entries, problems = parse_entries(
        {"Tara": "Tahra", "Boone": "/bˈuːn/", "Hess": {"say": "Hess", "ipa": "/hˈɛs/"}, "": "x",
         "Bad": 3, "Worse": {"sound": "x"}},
        "lexicon",
    )  # fmt: skip
    assert entries == {
        "Tara": Pronunciation(say="Tahra"),
        "Boone": Pronunciation(ipa="bˈuːn"),
        "Hess": Pronunciation(say="Hess", ipa="hˈɛs"),
    }
    assert problems == [
        "lexicon.: a lexicon key must be a word",
        "lexicon.Bad: expected a respelling, /IPA/, or a mapping with say/ipa",
        "lexicon.Worse: expected a respelling, /IPA/, or a mapping with say/ipa",
    ]
    assert parse_entries(["Tara"], "lexicon")[1] == [
        "lexicon: expected a mapping of words to pronunciations"
    ]


def test_load_file_missing_good_and_bad(tmp_path: Path) -> None:
    assert load_lexicon(tmp_path / "none.yaml") == Lexicon()
    good = tmp_path / "good.yaml"
    good.write_text("Tara: Tahra\n", encoding="utf-8")
    assert load_lexicon(good).entries == {"Tara": Pronunciation(say="Tahra")}
    bad = tmp_path / "bad.yaml"
    bad.write_text("Tara: [1, 2]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.yaml: lexicon.Tara: expected"):
        load_lexicon(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("Tara: 'x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_lexicon(broken)


def test_global_file_lives_in_the_user_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert global_path() == tmp_path / "audiobook" / "lexicon.yaml"
    global_path().parent.mkdir()
    global_path().write_text("Tara: Tahra\nBoone: Bune\n", encoding="utf-8")
    lexicon = book_lexicon({"Boone": Pronunciation(say="Boon")})
    assert lexicon.apply("Tara, Boone", phonemes=False) == "Tahra, Boon"


STORY = """Willow sat down. Willow yawned, and Buffy laughed at Willow.
"Tara," said Buffy. The captain nodded at Tara. The end came. Then Mars.
Buffy ran to Mars with Tara Maclay."""


def test_proper_nouns_are_capitalised_mid_sentence_and_never_lower_case() -> None:
    found = proper_nouns(STORY, ["Tara Maclay"])
    assert found == {"Willow": 3, "Buffy": 3, "Tara": 3, "Mars": 2, "Maclay": 1}


def test_uncovered_lists_frequent_names_without_entries() -> None:
    rows = uncovered(STORY, Lexicon({"Buffy": Pronunciation(say="Buffy")}), min_count=2)
    assert rows == [("Tara", 3), ("Willow", 3), ("Mars", 2)]
    table = lexicon_table(rows, say=lambda w: w.lower())
    assert table.splitlines()[0].split() == ["NAME", "COUNT", "SAID", "AS", "(IPA)"]
    assert table.splitlines()[1].split() == ["Tara", "3", "/tara/"]
    assert lexicon_table([]) == "every frequent name is in the lexicon\n"
