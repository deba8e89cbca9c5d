"""Splitting long chapters: at scene breaks, then paragraph ends, never an empty part."""

from __future__ import annotations

from itertools import pairwise

from audiobook.audio.parts import split_parts
from audiobook.audio.stitch import PauseTimes
from audiobook.script.model import Pause

NO_PAUSES = PauseTimes(none=0, clause=0, sentence=0, paragraph=0, scene=0, lead_in=0, tail=0)


def test_short_chapter_is_one_part() -> None:
    pieces = [(10.0, Pause.SENTENCE)] * 5
    assert split_parts(pieces, 60.0, NO_PAUSES) == [(0, 5)]
    assert split_parts(pieces, None) == [(0, 5)]
    assert split_parts([], 60.0) == [(0, 0)]


def test_cut_falls_at_a_scene_break_past_halfway() -> None:
    pauses = [Pause.SENTENCE, Pause.PARAGRAPH, Pause.SCENE, Pause.SENTENCE, Pause.PARAGRAPH,
              Pause.SENTENCE, Pause.SENTENCE]  # fmt: skip
    pieces = [(10.0, p) for p in pauses]
    assert split_parts(pieces, 45.0, NO_PAUSES) == [(0, 3), (3, 7)]


def test_without_a_scene_break_the_last_paragraph_end_is_used() -> None:
    pauses = [Pause.PARAGRAPH, Pause.SENTENCE, Pause.SENTENCE, Pause.PARAGRAPH, Pause.SENTENCE,
              Pause.SENTENCE]  # fmt: skip
    parts = split_parts([(10.0, p) for p in pauses], 55.0, NO_PAUSES)
    assert parts == [(0, 4), (4, 6)]


def test_every_part_fits_and_all_pieces_are_kept() -> None:
    pieces = [(7.0, Pause.SENTENCE if i % 3 else Pause.PARAGRAPH) for i in range(50)]
    pauses = PauseTimes()
    parts = split_parts(pieces, 60.0, pauses)
    assert parts[0][0] == 0 and parts[-1][1] == 50
    assert all(a < b for a, b in parts) and all(b == c for (_, b), (c, _) in pairwise(parts))
    frame = (pauses.lead_in + pauses.tail) / 1000
    for a, b in parts:
        length = frame + sum(s + pauses.after(p) / 1000 for s, p in pieces[a:b])
        assert length <= 60.0 + pauses.after(Pause.PARAGRAPH) / 1000


def test_a_piece_longer_than_the_limit_gets_a_part_of_its_own() -> None:
    pieces = [(5.0, Pause.SENTENCE), (100.0, Pause.SENTENCE), (5.0, Pause.SENTENCE)]
    assert split_parts(pieces, 30.0, NO_PAUSES) == [(0, 1), (1, 2), (2, 3)]
