from __future__ import annotations

from audiobook.engines.base import Gender
from audiobook.script.model import NARRATOR
from tests.script.helpers import script_of, speakers

STORY = """\
Harriet Vane walked into the kitchen, where Peter was reading the paper.

"You're up early," Peter said.

"I couldn't sleep," Harriet replied. She poured herself a cup of tea. "The rain kept me awake."

"Mrs. Pembroke called," he said. "She wants us in London by Friday."

Harriet sighed. She had never liked London, and she liked Mrs. Pembroke even less.

"Tell her we'll come, Pete," she said at last.

Peter folded the paper. "I already did."

Outside, the Thames ran brown and fast under the bridge.
"""


def test_people_found_with_full_names_and_genders() -> None:
    cast = script_of(STORY).cast
    harriet = cast.get("Harriet Vane")
    assert harriet is not None
    assert "Harriet" in harriet.aliases
    assert harriet.gender is Gender.FEMALE
    peter = cast.get("Peter")
    assert peter is not None and peter.gender is Gender.MALE
    assert "Pete" in peter.aliases  # a vocative nickname joins the name it shortens
    pembroke = cast.get("Mrs. Pembroke")
    assert pembroke is not None and pembroke.gender is Gender.FEMALE


def test_places_and_common_words_are_not_people() -> None:
    names = {c.name for c in script_of(STORY).cast}
    assert not names & {"London", "Thames", "Outside", "Friday", "Tell", "You're"}


def test_first_person_narrator() -> None:
    story = (
        "I woke before dawn. My brother was already at the door, and I followed him out.\n\n"
        '"Where are we going?" I asked.\n\n'
        '"To the river," Daniel said. I did not argue; I never did with him.\n'
    )
    script = script_of(story)
    assert script.cast.narrator is not None
    assert [s.speaker for s in script.segments if s.is_dialogue] == [NARRATOR, "Daniel"]


def test_ships_and_squadrons_are_not_people() -> None:
    story = (
        "The Endeavour sailed at noon. The Endeavour was the fastest ship in the fleet.\n\n"
        '"Hoist the sails," Captain Hale said.\n\n'
        "The Endeavour leaned into the wind.\n"
    )
    names = {c.name for c in script_of(story).cast}
    assert "Endeavour" not in names and "Captain Hale" in names


def test_a_rank_that_speaks_is_a_character_and_joins_its_holder() -> None:
    story = (
        'Major Quill came in late. "Sit down," said the Major.\n\n'
        '"Thank you," Nora said. "Where is the Major going?"\n\n'
        '"Nowhere," the Major replied.\n'
    )
    quill = script_of(story).cast.get("Major Quill")
    assert quill is not None and "The Major" in quill.aliases


def test_a_rank_alone_that_speaks_is_its_own_character() -> None:
    story = '"Halt!" cried the Sergeant.\n\n"Halt, I said," the Sergeant repeated.\n'
    assert script_of(story).cast.get("The Sergeant") is not None


def test_a_full_title_ending_a_sentence_is_not_part_of_a_name() -> None:
    story = 'They waited for the General. He came at noon.\n\n"Ready," said Nora.\n'
    names = {c.name for c in script_of(story).cast}
    assert not any(". " in name for name in names)


def test_a_corrected_vocative_joins_first_name_and_surname() -> None:
    story = (
        'Nell looked up from the map. "Well?" Nell asked.\n\n'
        '"Nell... er, Doctor Harlow, the boat is ready," Sam said.\n\n'
        '"Thank you, Harlow will do," Nell said. Sam nodded to Harlow and left.\n'
    )
    cast = script_of(story).cast
    nell = cast.get("Nell Harlow")
    assert nell is not None and {"Nell", "Doctor Harlow"} <= set(nell.aliases)


NICKNAMES = """\
Willow and Buffy sat at the bar until late.

"I love you, Buff," Willow said, and she meant it.

"You know I love you too..."

Willow batted her eyelashes, and the blonde giggled.

"...but the answer is still no."
"""


def test_a_listed_cast_gains_the_nicknames_its_dialogue_uses() -> None:
    voices = "characters:\n  Willow Rosenberg: {aliases: [Willow]}\n  Buffy Summers: {aliases: [Buffy]}\n"
    script = script_of(NICKNAMES, voices)
    buffy = script.cast.get("Buffy Summers")
    assert buffy is not None and buffy.aliases == ("Buffy", "Buff")
    assert [c.name for c in script.cast] == ["Willow Rosenberg", "Buffy Summers"]
    # "Buff" is the one spoken to: the reply is hers, and it runs on after the beat.
    assert speakers(NICKNAMES, voices) == ["Willow Rosenberg", *["Buffy Summers"] * 2]


def test_a_listed_name_is_never_taken_for_a_nickname() -> None:
    voices = "characters:\n  Willow Rosenberg: {aliases: [Willow]}\n  Buff: {}\n  Buffy: {}\n"
    cast = script_of(NICKNAMES, voices).cast
    assert [(c.name, c.aliases) for c in cast] == [
        ("Willow Rosenberg", ("Willow",)),
        ("Buff", ()),
        ("Buffy", ()),
    ]
