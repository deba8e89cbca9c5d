"""How a cast resolves the forms of its characters' names."""

from __future__ import annotations

from audiobook.engines.base import Gender
from audiobook.script.cast import Cast, Character


def cast(*characters: Character) -> Cast:
    return Cast(characters, closed=True)


def test_a_full_name_answers_to_its_first_name_surname_and_titled_surname() -> None:
    found = cast(Character("Willow Rosenberg", gender=Gender.FEMALE))
    for form in ("Willow", "Rosenberg", "Captain Rosenberg", "Miss Rosenberg", "willow"):
        assert found.resolve(form) == "Willow Rosenberg", form
    assert found.resolve("Mr. Rosenberg") is None  # the title does not fit her


def test_a_description_answers_without_its_article() -> None:
    found = cast(Character("The Stranger"))
    assert found.resolve("stranger") == "The Stranger"
    assert found.descriptions() == ["the stranger"]


def test_a_shared_short_form_names_both() -> None:
    found = cast(Character("Tom Harlow"), Character("Nell Harlow"))
    assert found.candidates("Harlow") == ("Tom Harlow", "Nell Harlow")
    assert found.resolve("Harlow") is None
