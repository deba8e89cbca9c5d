from __future__ import annotations

from audiobook.script.style import Styles

LINES = [
    ("Jed", "I reckon we ain't got no call to fret, ma'am."),
    ("Jed", "Ain't nobody gonna tell me nothin', I reckon."),
    ("Jed", "I reckon the creek's up again."),
    ("Jed", "We ain't leavin' till sunup."),
    ("Clara", "My dear, one simply cannot receive them on a Tuesday."),
    ("Clara", "One must be seen at the opera, my dear."),
    ("Clara", "Really, one cannot imagine such a thing."),
    ("Clara", "My dear, how perfectly tiresome."),
]


def test_a_line_is_closest_to_the_speaker_who_talks_like_it() -> None:
    styles = Styles(LINES, [t for _, t in LINES] + ["Good morning.", "Yes."])
    line = "I reckon we ain't goin' nowhere."
    assert styles.similarity(line, "Jed") > styles.similarity(line, "Clara")
    posh = "One simply cannot, my dear."
    assert styles.similarity(posh, "Clara") > styles.similarity(posh, "Jed")


def test_a_line_does_not_vouch_for_itself() -> None:
    styles = Styles(LINES, [t for _, t in LINES])
    own = LINES[0][1]
    assert styles.similarity(own, "Jed", own=True) < styles.similarity(own, "Jed")


def test_few_lines_make_no_profile() -> None:
    styles = Styles([("Ann", "Hello there.")], ["Hello there."])
    assert styles.similarity("Hello there.", "Ann") == 0.0
