"""Group dialogue into utterances and gather the evidence around each one.

An utterance is the dialogue of one paragraph (split where a second speech tag names
someone else): the unit that gets one speaker. For each it records what the text says
nearby: the speech tag and where it sits, action beats before and after the quote, the
narration leading into a quote paragraph, names in the paragraph, names said inside
the quote (and which of them are vocatives), and whether the speech merely goes on
from the previous paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from audiobook.engines.base import Gender
from audiobook.script.cast import Cast
from audiobook.script.mentions import find_mentions, is_vocative, name_candidates
from audiobook.script.model import Kind, Pause, Segment
from audiobook.script.phrases import Subject, SubjectKind
from audiobook.script.tags import (
    Tag,
    beat_subject,
    last_sentence,
    tag_after,
    tag_before,
)

_TRAILING = ("...", "…", "—", "-", "--")


@dataclass
class Utterance:
    """One speaker's turn, with the evidence about who it is."""

    segments: list[int]  # indices of its dialogue segments in the script
    chapter: int
    paragraph: int
    start: int  # offset of its first quote
    end: int  # offset just past its last quote
    words: str = ""  # the spoken text
    tag: Tag | None = None
    tag_at: int = 0  # offset of the narration holding the tag
    tag_after: bool = True  # the tag follows the quote ("..." she said) rather than leads
    beat_before: Subject | None = None  # subject of narration before the quote, same paragraph
    beat_after: Subject | None = None  # subject of non-tag narration after its first quote
    lead: Subject | None = None  # subject of a narration paragraph ending "," or ":" before it
    before: Subject | None = None  # subject of the last sentence of the narration paragraph before
    before_names: list[str] = field(default_factory=list)  # names in that paragraph
    before_tag: Tag | None = None  # a speech verb in that sentence: "Poirot answered them."
    paragraph_names: list[str] = field(default_factory=list)  # names in its paragraph's narration
    named: list[str] = field(default_factory=list)  # names said inside the quote
    vocatives: list[str] = field(default_factory=list)  # of those, the people addressed
    continues: bool = False  # the previous paragraph's speech runs on (or trails off) into this
    gap: int = 0  # narration-only paragraphs since the previous utterance
    goes_on: bool = False  # narration beyond a tag follows its last quote ("he paused...")
    question: bool = False  # its last quote asks something
    alone: bool = False  # its paragraph holds nothing but quotes
    first_in_paragraph: bool = True  # not the second utterance of a split paragraph


def build_utterances(text: str, segments: Sequence[Segment], cast: Cast) -> list[Utterance]:
    """Every utterance of ``segments``, in order, with its evidence filled in."""
    result: list[Utterance] = []
    run_on = trailing = False
    lead: Segment | None = None
    last_narration: Segment | None = None
    gap = 0
    for lo, hi in _paragraphs(segments):
        dialogue = [s for s in segments[lo:hi] if s.kind is Kind.DIALOGUE]
        if not dialogue:
            lead = segments[hi - 1] if _introduces(segments[hi - 1]) else None
            last_narration = segments[hi - 1] if not segments[hi - 1].heading else None
            gap += 1
            continue
        found = _paragraph(text, segments, lo, hi, cast, lead)
        first = found[0]
        if gap and last_narration is not None:
            body = _text(text, last_narration)
            first.before = beat_subject(last_sentence(body))
            first.before_tag = tag_before(last_sentence(body))
            first.before_names = [
                m.character
                for m in find_mentions(text, last_narration.start, last_narration.end, cast)
            ]
        first.continues = (run_on and segments[lo].kind is Kind.DIALOGUE) or (
            trailing and _resumes(dialogue[0].text)
        )
        first.gap = gap
        result.extend(found)
        run_on = any(s.run_on for s in dialogue)
        trailing = dialogue[-1].text.rstrip(" \"'”’").endswith(_TRAILING)
        lead, last_narration, gap = None, None, 0
    return result


def _paragraphs(segments: Sequence[Segment]) -> list[tuple[int, int]]:
    bounds = []
    lo = 0
    for i in range(1, len(segments) + 1):
        if i == len(segments) or (segments[i].chapter, segments[i].paragraph) != (
            segments[lo].chapter,
            segments[lo].paragraph,
        ):
            bounds.append((lo, i))
            lo = i
    return bounds


def _introduces(seg: Segment) -> bool:
    """Narration ending in "," or ":" leads into the next paragraph's speech.

    So does narration that stops without any closing mark ("and then Bull said"): a
    text whose dashes were stripped leaves a lead-in ending on a bare word.
    """
    if seg.kind is not Kind.NARRATION or seg.heading:
        return False
    last = seg.text.rstrip()[-1:]
    return last in {",", ":", "—", "-"} or last.isalpha()


def _resumes(spoken: str) -> bool:
    """A speech that picks up where an unfinished one stopped: "...but if you ask"."""
    stripped = spoken.lstrip(" \"'“‘")
    return stripped.startswith(_TRAILING) or stripped[:1].islower()


def _paragraph(
    text: str, segments: Sequence[Segment], lo: int, hi: int, cast: Cast, lead: Segment | None
) -> list[Utterance]:
    """The utterances of segments[lo:hi], split where a second tag names someone else."""
    found: list[Utterance] = []
    current: Utterance | None = None
    for i in range(lo, hi):
        seg = segments[i]
        if seg.kind is not Kind.DIALOGUE:
            continue
        tag, tag_at, after = _tag_for(text, segments, i, lo, hi)
        if tag is None and i == lo and lead is not None:
            tag, tag_at, after = tag_before(_text(text, lead)), lead.start, False
        if current is None or (
            tag is not None and current.tag is not None and not _same(tag, current.tag, cast)
        ):
            current = Utterance([], seg.chapter, seg.paragraph, seg.start, seg.end)
            current.first_in_paragraph = not found
            found.append(current)
        _add_quote(text, current, seg, i, cast)
        if current.tag is None and tag is not None:
            current.tag, current.tag_at, current.tag_after = tag, tag_at, after
    _paragraph_evidence(text, segments, lo, hi, cast, lead, found)
    return found


def _add_quote(text: str, utt: Utterance, seg: Segment, index: int, cast: Cast) -> None:
    utt.segments.append(index)
    utt.end = seg.end
    utt.words = f"{utt.words} {seg.text}".strip()
    for mention in find_mentions(text, seg.start, seg.end, cast):
        utt.named.append(mention.character)
        if is_vocative(text, mention.start, mention.end, seg.start):
            utt.vocatives.append(mention.character)


def _paragraph_evidence(
    text: str,
    segments: Sequence[Segment],
    lo: int,
    hi: int,
    cast: Cast,
    lead: Segment | None,
    found: list[Utterance],
) -> None:
    narration = [s for s in segments[lo:hi] if s.kind is Kind.NARRATION and not s.heading]
    names = [m.character for s in narration for m in find_mentions(text, s.start, s.end, cast)]
    lead_subject = beat_subject(last_sentence(_text(text, lead))) if lead is not None else None
    ends = [utt.start for utt in found[1:]] + [segments[hi - 1].end]
    for utt, until in zip(found, ends, strict=True):
        first, last = utt.segments[0], utt.segments[-1]
        before = [s for s in narration if s.end <= segments[first].start]
        after = [s for s in narration if s.start >= segments[last].end]
        utt.beat_before = _beat_before(text, before[-1], utt, cast) if before else None
        own = [s for s in narration if segments[first].end <= s.start < until]
        utt.beat_after = _beat_after(text, own)
        utt.lead = lead_subject if utt.first_in_paragraph else None
        utt.paragraph_names = names
        utt.goes_on = bool(after) and tag_after(_text(text, after[0])) is None
        utt.question = segments[last].text.rstrip(" .\"'”’").endswith("?")
        utt.alone = not narration


def _beat_before(text: str, seg: Segment, utt: Utterance, cast: Cast) -> Subject | None:
    """Subject of the last sentence of ``seg``, the narration right before the quote.

    None when that sentence holds the utterance's speech tag and its subject is
    surely someone else: in "Archer bowed, and she continued:" Archer is the one
    spoken to, not a second clue to the speaker.
    """
    subject = beat_subject(last_sentence(_text(text, seg)))
    tag = utt.tag
    if subject is None or tag is None or utt.tag_after or utt.tag_at != seg.start:
        return subject
    return None if _other_person(subject, tag.subject, cast) else subject


def _beat_after(text: str, after: list[Segment]) -> Subject | None:
    """Subject of the first narration after the quote that is not a speech tag.

    That may sit between two of the utterance's quotes ("..." He rose. "...").
    """
    for seg in after:
        body = _text(text, seg)
        if tag_after(body) is None:
            return beat_subject(body)
    return None


def _tag_for(
    text: str, segments: Sequence[Segment], i: int, lo: int, hi: int
) -> tuple[Tag | None, int, bool]:
    """A speech tag in the narration right after, else right before, quote ``i``."""
    if i + 1 < hi and segments[i + 1].kind is Kind.NARRATION:
        nxt = segments[i + 1]
        tag = tag_after(_text(text, nxt))
        if tag is not None:
            return tag, nxt.start, True
    if i - 1 >= lo and segments[i - 1].kind is Kind.NARRATION and not segments[i - 1].heading:
        prev = segments[i - 1]
        if prev.pause_after in (Pause.CLAUSE, Pause.NONE):
            tag = tag_before(_text(text, prev))
            if tag is not None:
                return tag, prev.start, False
    return None, 0, True


def _same(new: Tag, old: Tag, cast: Cast) -> bool:
    """Whether a later tag in a paragraph may name the speaker an earlier one named.

    "she interjected" after "promised Anne" is Anne going on: a pronoun or description
    points back, unless the cast says the description is someone else ("said Tom ...
    protested the ferryman"). A name after anything but that same name is someone new
    ("..." she said; and Archer muttered: "..."), and so is a subject of the other
    gender ("he" after "she", "she" after "cried her husband" or "said Tom") or "she"
    after "I".
    """
    a, b = new.subject, old.subject
    known = (SubjectKind.NAME, SubjectKind.DESCRIPTION, SubjectKind.UNNAMED)
    if a.kind in known and b.kind in known:
        first, second = name_candidates(a, cast), name_candidates(b, cast)
        if len(first) == 1 and len(second) == 1:
            return first == second
    if _other_person(a, b, cast):
        return False  # "cried her husband; and she answered"
    if a.kind is SubjectKind.UNNAMED:
        return False  # "someone said" after "said Tom" is somebody else
    if a.kind is SubjectKind.NAME:
        return b.kind is SubjectKind.NAME and a.text.lower() == b.text.lower()
    if a.kind is SubjectKind.PRONOUN and b.kind is SubjectKind.PRONOUN:
        return a.gender_hint == b.gender_hint
    return True


def _other_person(a: Subject, b: Subject, cast: Cast) -> bool:
    """Whether two subjects are surely two people by their form alone: a man and a
    woman, or "I" and "she" ("she" is never the "I" who tells the story)."""
    if {a.kind, b.kind} == {SubjectKind.FIRST_PERSON, SubjectKind.PRONOUN}:
        return True
    return {_gender(a, cast), _gender(b, cast)} == {"male", "female"}


def _gender(subject: Subject, cast: Cast) -> str | None:
    """The subject's gender, "male" or "female", when it says which (a pronoun, "her
    husband", a named character of known gender); else None."""
    if subject.gender_hint is not None:
        return subject.gender_hint
    if subject.kind is SubjectKind.NAME:
        found = name_candidates(subject, cast)
        character = cast.get(found[0]) if len(found) == 1 else None
        if character is not None and character.gender is not Gender.UNKNOWN:
            return character.gender.value
    return None


def _text(text: str, seg: Segment) -> str:
    return text[seg.start : seg.end]
