from __future__ import annotations

from audiobook.cast.assign import cast_voices
from audiobook.cast.config import CastConfig, CharacterSpec
from audiobook.engines.base import Gender, Voice
from audiobook.script.cast import Cast, Character
from audiobook.script.model import NARRATOR, Kind, Segment
from tests.fakes import FakeEngine


def line(speaker: str | None, chapter: int = 1) -> Segment:
    return Segment(chapter, 0, 1, Kind.DIALOGUE, "Hello.", 0, speaker=speaker)


CAST = Cast(
    (
        Character("Willow", gender=Gender.FEMALE),
        Character("Buffy", gender=Gender.FEMALE),
        Character("Tara", gender=Gender.FEMALE),
        Character("Boone", gender=Gender.MALE),
        Character("Tad", gender=Gender.MALE),
        Character("Someone"),
    )
)
DEFAULT = FakeEngine().default_cast()


def test_gender_and_distinct_voices() -> None:
    segments = (
        [line("Willow")] * 5 + [line("Buffy")] * 3 + [line("Tara"), line("Boone"), line("Tad")]
    )
    casting = cast_voices(segments, CAST, CastConfig(), DEFAULT)
    genders = dict((v, g) for v, g in DEFAULT.pool)
    voices = [casting.characters[n] for n in ("Willow", "Buffy", "Tara", "Boone", "Tad")]
    assert len(set(voices)) == 5
    assert all(genders[casting.characters[n]] is Gender.FEMALE for n in ("Willow", "Buffy", "Tara"))
    assert all(genders[casting.characters[n]] is Gender.MALE for n in ("Boone", "Tad"))
    assert casting.narrator not in voices and casting.unknown not in voices
    # main character gets the pool's first female voice
    assert casting.characters["Willow"] == Voice("fake", "f1")


def test_deterministic() -> None:
    segments = [line("Tad"), line("Boone"), line("Willow"), line("Buffy")]
    first = cast_voices(segments, CAST, CastConfig(), DEFAULT)
    again = cast_voices(list(reversed(segments)), CAST, CastConfig(), DEFAULT)
    assert first == again


def test_user_choice_wins() -> None:
    config = CastConfig(
        narrator=Voice("fake", "m3"),
        characters=(CharacterSpec("Willow", gender=Gender.FEMALE, voice=Voice("fake", "m1")),),
    )
    casting = cast_voices([line("Willow"), line("Buffy")], CAST, config, DEFAULT)
    assert casting.characters["Willow"] == Voice("fake", "m1")
    assert casting.narrator == Voice("fake", "m3")
    assert casting.voice_for(NARRATOR) == Voice("fake", "m3")
    assert casting.voice_for(None) == casting.unknown


def test_pool_exhausted_reuses_across_chapters_first() -> None:
    names = [f"Woman{i}" for i in range(5)]
    cast = Cast(tuple(Character(n, gender=Gender.FEMALE) for n in names))
    # three female voices, four women in chapter 1, one more in chapter 2
    segments = [line(n, 1) for n in names[:4]] + [line(names[4], 2)]
    casting = cast_voices(segments, cast, CastConfig(), DEFAULT)
    assert casting.characters["Woman4"] in {casting.characters[n] for n in names[:3]}
    assert "Woman4" not in casting.shared
    assert len(casting.shared) == 1  # one woman in chapter 1 had to share


def test_first_person_narrator_reads_own_lines() -> None:
    cast = Cast((Character("Jane", gender=Gender.FEMALE, narrator=True),))
    casting = cast_voices([line("Jane")], cast, CastConfig(), DEFAULT)
    assert casting.characters["Jane"] == casting.narrator


def test_speaking_share_is_counted_in_words() -> None:
    talker = Segment(1, 0, 1, Kind.DIALOGUE, "word " * 50, 0, speaker="Tara")
    segments = [line("Willow")] * 3 + [talker]
    casting = cast_voices(segments, CAST, CastConfig(), DEFAULT)
    assert casting.characters["Tara"] == Voice("fake", "f1")  # two lines' worth of words win


def test_casting_carries_the_lexicon() -> None:
    from audiobook.cast.pronounce import Lexicon, Pronunciation

    config = CastConfig(lexicon={"Tara": Pronunciation(say="Tahra")})
    casting = cast_voices([line("Tara")], CAST, config, DEFAULT)
    assert casting.spoken("Hi Tara.", FakeEngine()) == "Hi Tahra."
    override = Lexicon({"Tara": Pronunciation(say="Tarra")})
    assert cast_voices([line("Tara")], CAST, config, DEFAULT, override).lexicon == override
