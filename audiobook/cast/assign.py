"""Give every speaker a voice.

The user's choices in ``voices.yaml`` always win. Everyone else is cast from a pool
(the file's ``pool:`` or the default cast's), by gender where it is known, main
characters first (by words spoken), never with the narrator's voice, and never with a
voice another character in the same chapter already has while the pool has an unused
one. Pools are ordered best first, so the characters who speak most get the most
natural, best-separated voices. The result depends only on the script and the
configuration: the same book gets the same cast, in every chapter and every run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from audiobook.cast.config import CastConfig
from audiobook.cast.pronounce import Lexicon
from audiobook.engines.base import DefaultCast, Engine, Gender, Voice
from audiobook.script.cast import Cast
from audiobook.script.model import NARRATOR, Segment


@dataclass(frozen=True)
class Casting:
    """Who reads what: the narrator, each speaking character, and unknown speakers."""

    narrator: Voice
    unknown: Voice  # dialogue nobody could be named for
    characters: Mapping[str, Voice] = field(default_factory=dict)
    # Speakers that had to share a voice with someone in the same chapter (pool too small).
    shared: tuple[str, ...] = ()
    lexicon: Lexicon = field(default_factory=Lexicon)  # how names are said, by every voice

    def spoken(self, text: str, engine: Engine) -> str:
        """``text`` as ``engine`` should get it: lexicon entries applied (IPA if it reads it)."""
        return self.lexicon.apply(text, phonemes=engine.PHONEMES)

    def voice_for(self, speaker: str | None) -> Voice:
        """The voice that reads a segment spoken by ``speaker``."""
        if speaker is None:
            return self.unknown
        if speaker == NARRATOR:
            return self.narrator
        return self.characters.get(speaker, self.unknown)

    def voices(self) -> list[Voice]:
        """Every distinct voice in use, narrator first (engines to build, voices to check)."""
        seen = [self.narrator, self.unknown, *self.characters.values()]
        return list(dict.fromkeys(seen))


def cast_voices(
    segments: Sequence[Segment],
    cast: Cast,
    config: CastConfig,
    default: DefaultCast,
    lexicon: Lexicon | None = None,
) -> Casting:
    """Choose a voice for every speaker of ``segments``.

    ``lexicon`` defaults to the book's own entries (``config.lexicon``) alone.
    """
    narrator = config.narrator or default.narrator
    unknown = config.unknown or default.unknown
    if unknown == narrator:
        unknown = _first_other(default, {narrator}) or unknown
    lines = _words_spoken(segments)
    chapters = _chapters_of(segments)
    pinned = {c.name: c.voice for c in config.characters if c.voice is not None}
    narrators = {c.name for c in cast if c.narrator} | {NARRATOR}
    assigned: dict[str, Voice] = {n: v for n, v in pinned.items() if n in lines}
    for name in narrators & set(lines):
        assigned[name] = pinned.get(name, narrator)
    pool = list(config.pool or default.pool)
    shared: list[str] = []
    for name in sorted(lines, key=lambda n: (-lines[n], n)):
        if name in assigned:
            continue
        character = cast.get(name)
        gender = character.gender if character else Gender.UNKNOWN
        busy = {assigned[o] for o in assigned if chapters[o] & chapters[name]}
        voice, clash = _pick(pool, gender, busy, set(assigned.values()), {narrator, unknown})
        assigned[name] = voice
        if clash:
            shared.append(name)
    lexicon = lexicon if lexicon is not None else Lexicon(config.lexicon)
    return Casting(narrator, unknown, assigned, tuple(shared), lexicon)


def _words_spoken(segments: Iterable[Segment]) -> Counter[str]:
    """Words of dialogue per speaker: a character's share of the book."""
    words: Counter[str] = Counter()
    for seg in segments:
        if seg.is_dialogue and seg.speaker:
            words[seg.speaker] += max(1, len(seg.text.split()))
    return words


def _chapters_of(segments: Iterable[Segment]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for seg in segments:
        if seg.speaker:
            found[seg.speaker].add(seg.chapter)
    return found


def _pick(
    pool: list[tuple[Voice, Gender]],
    gender: Gender,
    busy: set[Voice],
    used: set[Voice],
    reserved: set[Voice],
) -> tuple[Voice, bool]:
    """Best pool voice for ``gender``; True when it must clash with a busy voice."""
    fitting = [v for v, g in pool if _fits(g, gender) and v not in reserved]
    others = [v for v, g in pool if v not in reserved and v not in fitting]
    for candidates in (fitting, others if gender is Gender.UNKNOWN else []):
        fresh = [v for v in candidates if v not in used]
        if fresh:
            return fresh[0], False
        free = [v for v in candidates if v not in busy]
        if free:
            return free[0], False
    everything = fitting or others or [v for v, _ in pool] or sorted(reserved, key=lambda v: v.id)
    counts = Counter(v for v in busy)
    return min(everything, key=lambda v: (counts[v], everything.index(v))), True


def _fits(voice_gender: Gender, character_gender: Gender) -> bool:
    if character_gender is Gender.UNKNOWN:
        return True
    return voice_gender in (character_gender, Gender.UNKNOWN)


def _first_other(default: DefaultCast, avoid: set[Voice]) -> Voice | None:
    return next((v for v, _ in default.pool if v not in avoid), None)
