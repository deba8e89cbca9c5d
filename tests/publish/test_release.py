"""Per-file extras from timed segments: markers at scene breaks, lyrics, transcript cues."""

from __future__ import annotations

from audiobook.engines.base import Voice
from audiobook.pipeline import Timed
from audiobook.publish.release import cues, lyrics, markers
from audiobook.publish.tags import Marker
from audiobook.script.model import NARRATOR, Kind, Pause, Segment

VOICE = Voice("fake", "narrator")


def timed(text: str, start: float, end: float, *, paragraph: int, pause: Pause = Pause.SENTENCE,
          speaker: str | None = NARRATOR, span: tuple[int, int] = (0, 1), heading: bool = False) -> Timed:  # fmt: skip
    kind = Kind.NARRATION if speaker == NARRATOR else Kind.DIALOGUE
    seg = Segment(1, *span, kind, text, paragraph, pause, speaker, heading=heading)
    return Timed(seg, VOICE, "01.mp3", start, end)


FILE = [
    timed("Credits here.", 0.8, 3.0, paragraph=0, pause=Pause.SCENE, span=(0, 0)),
    timed("Chapter 1", 4.8, 5.5, paragraph=0, pause=Pause.PARAGRAPH, heading=True),
    timed("The storm came.", 6.0, 8.0, paragraph=1),
    timed("Mara climbed.", 8.4, 9.0, paragraph=1, pause=Pause.PARAGRAPH),
    timed("You're late,", 9.75, 10.5, paragraph=2, pause=Pause.CLAUSE, speaker="Elias"),
    timed("Elias said.", 10.75, 11.5, paragraph=2, pause=Pause.SCENE),
    timed("The flame caught and the lens began its slow turn.", 13.3, 16.0, paragraph=3),
]


def test_markers_start_in_the_pauses_before_scenes() -> None:
    assert markers(FILE, "Chapter 1", 18.5) == (
        Marker(0, 3900, "Credits"),
        Marker(3900, 12400, "Chapter 1"),
        Marker(12400, 18500, "Scene 2: The flame caught and the lens…"),
    )
    assert markers(FILE[1:4], "Chapter 1", 10.0) == (Marker(0, 10000, "Chapter 1"),)


def test_lyrics_keep_paragraphs() -> None:
    assert lyrics([t.segment for t in FILE]) == (
        "Credits here.\n\nChapter 1\n\nThe storm came. Mara climbed.\n\n"
        "You're late, Elias said.\n\nThe flame caught and the lens began its slow turn."
    )


def test_cues_name_the_speakers() -> None:
    found = cues(FILE)
    assert [(c.speaker, c.start, c.end) for c in found[3:5]] == [
        ("Narrator", 8.4, 9.0),
        ("Elias", 9.75, 10.5),
    ]
