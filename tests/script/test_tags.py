from __future__ import annotations

import pytest

from audiobook.script.phrases import SubjectKind
from audiobook.script.tags import beat_subject, tag_after, tag_before


@pytest.mark.parametrize(
    ("narration", "kind", "subject", "verb"),
    [
        (" Willow asked Boone quietly.", SubjectKind.NAME, "Willow", "asked"),
        (" said Boone, turning away.", SubjectKind.NAME, "Boone", "said"),
        (" she asked hesitantly.", SubjectKind.PRONOUN, "she", "asked"),
        (" he quietly replied.", SubjectKind.PRONOUN, "he", "replied"),
        (" I answered.", SubjectKind.FIRST_PERSON, "I", "answered"),
        (" retorted the old man.", SubjectKind.DESCRIPTION, "the old man", "retorted"),
        (" the General went on.", SubjectKind.NAME, "the General", "went"),
        (
            " another captain asked, throwing up his hands.",
            SubjectKind.UNNAMED,
            "another captain",
            "asked",
        ),
        (" someone gave voice to the question.", SubjectKind.UNNAMED, "someone", "gave"),
        (" Mrs. Lynde exclaimed.", SubjectKind.NAME, "Mrs. Lynde", "exclaimed"),
    ],
)
def test_tag_after_quote(narration: str, kind: SubjectKind, subject: str, verb: str) -> None:
    tag = tag_after(narration)
    assert tag is not None
    assert (tag.subject.kind, tag.subject.text, tag.verb) == (kind, subject, verb)


@pytest.mark.parametrize(
    ("narration", "kind", "subject", "gender"),
    [
        (" was Marilla's dry response.", SubjectKind.NAME, "Marilla", None),
        (" was Hattie s farewell remark.", SubjectKind.NAME, "Hattie", None),  # apostrophe lost
        (" was the croupier s polite reply.", SubjectKind.DESCRIPTION, "the croupier", None),
        (" was his reply.", SubjectKind.PRONOUN, "his", "male"),
        (" came her answer, very low.", SubjectKind.PRONOUN, "her", "female"),
        (" was my first remark.", SubjectKind.FIRST_PERSON, "my", None),
    ],
)
def test_whose_reply_it_was_tags_the_quote(
    narration: str, kind: SubjectKind, subject: str, gender: str | None
) -> None:
    tag = tag_after(narration)
    assert tag is not None
    assert (tag.subject.kind, tag.subject.text, tag.subject.gender_hint) == (kind, subject, gender)


def test_a_reply_nobody_owns_is_no_tag() -> None:
    assert tag_after(" was the answer.") is None
    assert tag_after(" was a cry from the hall.") is None


def test_tag_after_reads_the_addressee() -> None:
    tag = tag_after(" Willow asked Boone quietly.")
    assert tag is not None and tag.addressee == "Boone"
    inverted = tag_after(" said Boone.")
    assert inverted is not None and inverted.addressee is None


@pytest.mark.parametrize(
    "narration",
    [
        " as the words washed over her, Willow saw something.",
        " Boone sounded a little hesitant.",
        ". The room fell silent; everyone said nothing.",
    ],
)
def test_no_tag(narration: str) -> None:
    assert tag_after(narration) is None


@pytest.mark.parametrize(
    ("narration", "subject"),
    [
        ("Boone replied, ", "Boone"),
        ("He turned to her and said: ", "He"),
        ("Then, very softly, Tara whispered, ", "Tara"),
        ("It was late. Mara called up, ", "Mara"),
    ],
)
def test_tag_before_quote(narration: str, subject: str) -> None:
    tag = tag_before(narration)
    assert tag is not None and tag.subject.text == subject


def test_thought_verbs_are_marked() -> None:
    tag = tag_after(" she thought.")
    assert tag is not None and tag.thought


@pytest.mark.parametrize(
    ("narration", "subject"),
    [
        ("Tara shook her head, ", "Tara"),
        ("She sat down. ", "She"),
        ("Captain Reed nodded.", "Captain Reed"),
    ],
)
def test_beat_subject(narration: str, subject: str) -> None:
    beat = beat_subject(narration)
    assert beat is not None and beat.text == subject


def test_beat_needs_a_person() -> None:
    assert beat_subject("The rain fell all night.") is None


@pytest.mark.parametrize(
    ("narration", "subject"),
    [
        (" called the ferryman.", "the ferryman"),
        (" was the old woman's reply.", "the old woman"),
        (" said the tired ferryman, rowing on.", "the tired ferryman"),
        (" protested\nthe innkeeper.", "the innkeeper"),
    ],
)
def test_any_noun_after_a_speech_verb_is_a_person(narration: str, subject: str) -> None:
    tag = tag_after(narration)
    assert tag is not None
    assert (tag.subject.kind, tag.subject.text) == (SubjectKind.DESCRIPTION, subject)


def test_a_noun_before_a_speech_verb_is_a_person() -> None:
    tag = tag_before("Then the ferryman shouted, ")
    assert tag is not None and tag.subject.text == "the ferryman"


def test_the_other_is_not_a_new_person() -> None:
    assert tag_after(" said the other.") is None


@pytest.mark.parametrize(
    ("narration", "kind", "subject"),
    [
        (" nodded the innkeeper, pleased.", SubjectKind.DESCRIPTION, "the innkeeper"),
        (" shrugged Petra.", SubjectKind.NAME, "Petra"),
    ],
)
def test_any_verb_inverted_after_a_quote_tags_it(
    narration: str, kind: SubjectKind, subject: str
) -> None:
    tag = tag_after(narration)
    assert tag is not None and (tag.subject.kind, tag.subject.text) == (kind, subject)


def test_beats_stay_strict_about_persons() -> None:
    assert beat_subject("The kettle whistled on the stove.") is None


def test_a_foreign_title_alone_names_someone() -> None:
    tag = tag_after(" said Monsieur, bowing.")
    assert tag is not None and tag.subject.text == "Monsieur"


def test_a_particle_after_an_inverted_verb_is_skipped() -> None:
    tag = tag_after(" called out Petra, in a temper.")
    assert tag is not None and tag.subject.text == "Petra"


def test_a_voice_or_a_face_is_not_the_speaker() -> None:
    tag = tag_before("The Major, with a tremor in his voice, cried out ")
    assert tag is not None and tag.subject.text == "The Major"


def test_a_degree_adverb_ends_a_loose_description() -> None:
    tag = tag_after(" said the porter somewhat\ngruffly.")
    assert tag is not None and tag.subject.text == "the porter"


@pytest.mark.parametrize(
    ("narration", "subject"),
    [
        (" the ferryman called. The boat left.", "the ferryman"),
        (" said the second porter.", "the second porter"),
    ],
)
def test_loose_descriptions_in_both_orders(narration: str, subject: str) -> None:
    tag = tag_after(narration)
    assert tag is not None and tag.subject.text == subject


def test_a_name_may_open_with_its_particle() -> None:
    tag = tag_after(" said de Vries, smiling.")
    assert tag is not None and tag.subject.text == "de Vries"


def test_burst_out_tags_speech_but_burst_in_does_not() -> None:
    tag = tag_after(" Petra burst out.")
    assert tag is not None and tag.subject.text == "Petra"
    assert tag_after(" Petra burst in.") is None


def test_an_infinitive_tag_belongs_to_the_clause_subject() -> None:
    tag = tag_after(" Petra forced herself to say.")
    assert tag is not None and tag.subject.text == "Petra" and tag.verb == "say"


def test_a_progressive_tag_names_its_subject() -> None:
    tag = tag_after(" Petra was saying, half to herself.")
    assert tag is not None and tag.subject.text == "Petra" and tag.verb == "saying"
