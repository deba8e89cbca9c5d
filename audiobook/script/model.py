"""Segments: the unit of the script, from segmentation to synthesis and timing.

A chapter's segments tile :attr:`Chapter.span` (heading and body): ``text[s.start:s.end]``
over all segments, in order, gives back that span. Each segment owns the quotation marks
and trailing whitespace of its span; :attr:`Segment.text` is what is spoken.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

NARRATOR = "narrator"  # the speaker name of narration and of a first-person narrator's lines


class Kind(StrEnum):
    """Whether a segment is told by the narrator or spoken by a character."""

    NARRATION = "narration"
    DIALOGUE = "dialogue"


class Pause(StrEnum):
    """How long a break follows a segment; the audio stage maps these to milliseconds."""

    NONE = "none"  # the segment runs on (a quote interrupted mid-sentence)
    CLAUSE = "clause"  # a comma-ended quote or tag: "A," she said
    SENTENCE = "sentence"  # between sentences in one paragraph
    PARAGRAPH = "paragraph"  # end of a paragraph
    SCENE = "scene"  # a scene break (``* * *``) follows


class Style(StrEnum):
    """How a line is performed, when not plainly: set by the user in an editable script."""

    THOUGHT = "thought"  # said inwardly: the voice in a small, close room
    WHISPER = "whisper"  # breath instead of voice


@dataclass(frozen=True)
class Segment:
    """A stretch of one chapter read by one voice."""

    chapter: int  # 1-based chapter index
    start: int  # offset into Book.text of the first character of the span
    end: int  # offset one past the span's last character (quotes and trailing space included)
    kind: Kind
    text: str  # the words to speak: quote marks removed, whitespace collapsed
    paragraph: int  # 0-based paragraph number within the chapter
    pause_after: Pause = Pause.SENTENCE
    # Canonical character name; NARRATOR for narration; None when nobody could be named.
    speaker: str | None = None
    confidence: float = 1.0  # how sure attribution is, 0..1 (narration is always 1)
    # The speech has no closing mark: it goes on in the next paragraph's dialogue.
    run_on: bool = False
    # This segment goes on with the previous segment's utterance: a long piece split for length.
    split: bool = False
    heading: bool = False  # the chapter heading, read by the narrator
    style: Style | None = None  # a performance the user asked for (None: plain speech)

    @property
    def is_dialogue(self) -> bool:
        return self.kind is Kind.DIALOGUE
