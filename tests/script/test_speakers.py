"""Each attribution rule on a small hand-written passage."""

from __future__ import annotations

from audiobook.cast.config import parse_cast
from audiobook.script.analyse import closed_cast
from audiobook.script.segments import segment_book
from audiobook.script.speakers import (
    anchor_distances,
    build_problem,
    confidence_inputs,
    restyle,
    solve,
)
from audiobook.script.weights import default_weights
from audiobook.text.load import parse_text
from tests.script.helpers import script_of, speakers

CAST = """\
characters:
  Willow Rosenberg: {aliases: [Willow, Will, Rosenberg], gender: female}
  Buffy Summers: {aliases: [Buffy, Buff], gender: female}
  Boone: {gender: male}
  Tad: {gender: male}
"""


def test_explicit_tags_both_orders() -> None:
    text = (
        '"Civilians?" Willow asked Boone quietly.\n\n'
        '"Far too many," said Boone.\n\n'
        'Buffy replied, "Then we go north."\n'
    )
    assert speakers(text, CAST) == ["Willow Rosenberg", "Boone", "Buffy Summers"]


def test_pronoun_goes_to_last_gender_compatible_name() -> None:
    text = (
        "Boone handed Willow the reports.\n\n"
        '"Read them tonight," he said.\n\n'
        '"All of them?" she asked.\n'
    )
    assert speakers(text, CAST) == ["Boone", "Willow Rosenberg"]


def test_interrupted_quote_has_one_speaker() -> None:
    text = '"Look," Buffy said, "we have no time."\n'
    assert speakers(text, CAST) == ["Buffy Summers", "Buffy Summers"]


def test_action_beat_names_the_speaker() -> None:
    text = 'Willow shook her head. "Not a chance."\n\nBoone frowned. "That was an order."\n'
    assert speakers(text, CAST) == ["Willow Rosenberg", "Boone"]


def test_turn_taking_for_untagged_lines() -> None:
    text = (
        '"Are you ready?" Willow asked.\n\n'
        '"Always," Buffy said.\n\n'
        '"Then let\'s go."\n\n'
        '"Right behind you."\n'
    )
    assert speakers(text, CAST) == [
        "Willow Rosenberg",
        "Buffy Summers",
        "Willow Rosenberg",
        "Buffy Summers",
    ]


def test_vocative_is_the_addressee_not_the_speaker() -> None:
    text = (
        '"Where do we start?" Buffy asked.\n\n'
        '"We don\'t know where they are, Rosenberg," Boone said.\n\n'
        '"Will, you know I love you."\n'
    )
    # the last line names Willow, so she is spoken to; Buffy says it
    assert speakers(text, CAST)[-1] == "Buffy Summers"


def test_vocative_makes_the_addressee_speak_next() -> None:
    text = (
        "Willow, Buffy and Boone sat in silence.\n\n"
        '"What do you think, Tad?" Boone asked.\n\n'
        '"I think we should wait."\n'
    )
    assert speakers(text, CAST) == ["Boone", "Tad"]


def test_speech_over_several_paragraphs_keeps_its_speaker() -> None:
    text = (
        '"They attacked at dawn," Boone said. "Every city on the coast.\n\n'
        '"We have very little left. What we have has gone underground.\n\n'
        '"Now listen carefully."\n'
    )
    assert set(speakers(text, CAST)) == {"Boone"}


def test_curly_and_single_quotes() -> None:
    curly = "“Ready?” Willow asked.\n\n“Ready,” said Buffy.\n"
    assert speakers(curly, CAST) == ["Willow Rosenberg", "Buffy Summers"]
    single = "‘Ready?’ Willow asked.\n\n‘Don’t rush me,’ said Buffy.\n"
    assert speakers(single, CAST) == ["Willow Rosenberg", "Buffy Summers"]


def test_unnamed_speakers_get_no_character() -> None:
    text = (
        '"We go north," Boone said.\n\n'
        '"How do we get up there?" another captain asked.\n\n'
        '"What about air-to-air?" someone asked.\n'
    )
    assert speakers(text, CAST) == ["Boone", None, None]


def test_speaker_outside_a_closed_cast_is_unknown() -> None:
    text = '"Move!" shouted Giles.\n'
    assert speakers(text, CAST) == [None]


def test_lead_in_paragraph_names_the_speaker() -> None:
    text = (
        "Willow looked up. Tad was in the doorway, grinning.\n\n"
        "He wiped the grin from his face,\n\n"
        '"Boone needs a squadron for recon."\n'
    )
    assert speakers(text, CAST) == ["Tad"]


def test_a_pronoun_lead_in_brings_a_newcomer_into_an_exchange() -> None:
    text = (
        '"I\'m sorry," Buffy said.\n\n'
        '"Don\'t be," Willow said.\n\n'
        '"I mean it."\n\n'
        '"So do I."\n\n'
        "Willow stared at the door long after Buffy had gone. Suddenly someone slid "
        "to a halt in the doorway. She looked up to see Tad grinning down at her. "
        "He wiped the grin from his face,\n\n"
        '"Boone needs a squadron for recon."\n'
    )
    assert speakers(text, CAST)[-1] == "Tad"


def test_resumed_speech_after_a_beat_keeps_the_speaker() -> None:
    text = (
        '"I love you, Buff," Willow said.\n\n'
        '"Will, you know I love you..."\n\n'
        "Willow batted her eyelashes and Buffy giggled.\n\n"
        '"...but the answer is still no."\n'
    )
    assert speakers(text, CAST) == ["Willow Rosenberg", "Buffy Summers", "Buffy Summers"]


def test_narration_is_the_narrators_and_confidence_is_set() -> None:
    script = script_of('"Go," said Boone. The door closed.\n', CAST)
    narration = [s for s in script.segments if not s.is_dialogue]
    assert all(s.speaker == "narrator" and s.confidence == 1.0 for s in narration)
    dialogue = [s for s in script.segments if s.is_dialogue]
    assert 0.0 < dialogue[0].confidence <= 1.0


def test_a_tag_naming_one_character_is_not_overruled_by_turn_taking() -> None:
    text = '"Ready?" Willow asked.\n\n"Ready," said Boone.\n\n"Then go," said Boone.\n'
    assert speakers(text, CAST) == ["Willow Rosenberg", "Boone", "Boone"]


def test_anchor_distance_counts_turns_from_the_nearest_tag() -> None:
    text = (
        '"Are you ready?" Willow asked.\n\n'
        '"Always," Buffy said.\n\n'
        '"Then go."\n\n'
        '"Right."\n\n'
        '"Now?"\n'
    )
    book = parse_text(text, stem="passage", markdown=False)
    problem = build_problem(book.text, segment_book(book), closed_cast(parse_cast(CAST)))
    assert anchor_distances(problem) == [0, 0, 1, 2, 3]


def test_confidence_inputs_see_the_speakers_own_evidence_and_narrator_guesses() -> None:
    cast = CAST + "  Ann Lee: {gender: female, narrator: true}\n"
    text = '"Go north," said Boone.\n\n"Why?" I asked.\n\n"Orders."\n\n"Whose?"\n'
    book = parse_text(text, stem="passage", markdown=False)
    problem = build_problem(book.text, segment_book(book), closed_cast(parse_cast(cast)))
    solution = solve(problem, default_weights())
    assert solution.speakers == ["Boone", "Ann Lee", "Boone", "Ann Lee"]
    tagged, guessed = (confidence_inputs(problem, solution, k, 0) for k in (0, 3))
    assert tagged["local_top"] == 1.0 and tagged["local_margin"] > 0
    assert (tagged["narrator_untagged"], guessed["narrator_untagged"]) == (0.0, 1.0)


def test_restyle_learns_how_people_talk_from_sure_lines_too() -> None:
    # Two tagged lines make no profile (four are needed); two sure lines more do, and
    # only the style features change.
    text = (
        '"Blimey, it is cold," said Tad.\n\n"Blimey, it is wet," Tad said.\n\n'
        '"Blimey, the fog."\n\n"Blimey, the rain."\n\n"Blimey, what a night."\n\n'
        '"Where are we?" Willow asked.\n\n"Nowhere at all," said Buffy.\n'
    )
    book = parse_text(text, stem="passage", markdown=False)
    problem = build_problem(book.text, segment_book(book), closed_cast(parse_cast(CAST)))
    assert problem.named == {0: "Tad", 1: "Tad", 5: "Willow Rosenberg", 6: "Buffy Summers"}
    assert problem.features[4]["Tad"]["style"] == 0.0
    restyled = restyle(problem, {2: "Tad", 3: "Tad"})
    assert restyled.features[4]["Tad"]["style"] > 0.0
    style = {"style", "style_best"}
    for before, after in zip(problem.features, restyled.features, strict=True):
        for name, feats in before.items():
            kept = {k: v for k, v in feats.items() if k not in style}
            assert kept == {k: v for k, v in after[name].items() if k not in style}


def test_the_speakers_of_the_two_turns_before_stay_candidates() -> None:
    # A crowd named between Tad's line and the last one pushes him out of the
    # candidates found from mentions; having spoken the turn before last keeps him in.
    crowd = [f"Person{n}" for n in "ABCDEFGHIJKL"]
    cast = CAST + "".join(f"  {name}: {{gender: male}}\n" for name in crowd)
    text = (
        'Tad stood up. "Report," he said.\n\n'
        f"{', '.join(crowd)} all looked up.\n\n"
        '"Nothing to report," said Boone.\n\n"Nothing at all?"\n'
    )
    book = parse_text(text, stem="passage", markdown=False)
    problem = build_problem(book.text, segment_book(book), closed_cast(parse_cast(cast)))
    assert "Tad" in problem.candidates[-1]
