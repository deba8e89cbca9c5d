"""The default cast: for each part, the best voice of the installed offline engines.

Used when neither ``--engine`` nor ``voices.yaml``'s ``engine:`` names an engine
(``--engine NAME`` still means "only this engine", with that engine's own default
cast). Each choice was measured on the sample story with ``benchmarks/voices.py``
(Whisper tiny.en word error rate, speaker-embedding cosine, median pitch; the figures
and the reasons in full are in ``docs/benchmarks.md``):

- Narrator: piper's ``joe``, the most intelligible natural voice, and fast (~13x real
  time per core), which matters because the narrator reads most of a book.
- Women: Kokoro's packs, 0.46-0.56 from joe and, for the first three, 0.70-0.80 from
  each other. Pitch-shifting joe does not make a woman: WORLD tracks joe's pitch badly
  and every WORLD variant of joe lost intelligibility. ``jf_tebukuro`` is lowered 3
  semitones (WORLD works well on Kokoro's output) from a childlike ~315 Hz. Kokoro
  reads 1.2-1.4x slower than joe; the voices are sped up only a little (more costs
  intelligibility).
- Men: joe 3 semitones down (the resampling trick: as fast as joe, 0.75 from him) for
  the main man, then Kokoro's ``jm_kumo`` (0.58 from joe) and kumo moved by WORLD.
  Kokoro makes ~1.6x real time per core against piper's ~13x: with every woman in
  Kokoro the sample book renders at 8.8x real time on 2 cores, and the main man in
  Kokoro too would bring it near 8x.
- Unattributed lines: joe 2 semitones up, 0.80 from joe and 0.63 from ``joe-3``.

Without Kokoro installed, the cast is piper's own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from audiobook.engines.base import DefaultCast, Engine, Gender, Voice
from audiobook.engines.registry import create_engine
from audiobook.errors import EngineError

_LOGGER = logging.getLogger(__name__)

NARRATOR_ENGINE = "piper"  # required: the studio cast cannot do without it
EXTRA_ENGINES = ("kokoro",)  # used when installed

NARRATOR = Voice("piper", "joe")
UNKNOWN = Voice("piper", "joe", pitch=2.0)  # kept out of the pool

# Best first: main characters take the first voices that fit their gender.
POOL: tuple[tuple[Voice, Gender], ...] = (
    (Voice("kokoro", "jf_gongitsune", speed=1.15), Gender.FEMALE),
    (Voice("piper", "joe", pitch=-3.0), Gender.MALE),
    (Voice("kokoro", "jf_alpha", speed=1.05), Gender.FEMALE),
    (Voice("kokoro", "jm_kumo", speed=1.1), Gender.MALE),
    (Voice("kokoro", "jf_tebukuro", speed=1.1, pitch=-3.0), Gender.FEMALE),
    (Voice("kokoro", "jm_kumo", speed=1.1, pitch=3.0, options=(("formant", 2.0),)), Gender.MALE),
    (Voice("kokoro", "jf_nezumi", speed=1.1), Gender.FEMALE),
    (Voice("piper", "joe", pitch=5.0), Gender.MALE),
    (Voice("kokoro", "jf_alpha*0.5+jf_tebukuro*0.5", pitch=-1.0), Gender.FEMALE),
    (Voice("kokoro", "jm_kumo", speed=1.1, pitch=-2.0, options=(("formant", -2.0),)), Gender.MALE),
)


def studio_cast(
    create: Callable[[str], Engine] = create_engine,
) -> tuple[DefaultCast, dict[str, Engine]]:
    """The mixed default cast and the engines it needs, built (and so checked) here.

    Raises :class:`EngineError` when piper cannot start; an extra engine that cannot
    start is left out (logged), and its voices with it.
    """
    engines = {NARRATOR_ENGINE: create(NARRATOR_ENGINE)}
    for name in EXTRA_ENGINES:
        try:
            engines[name] = create(name)
        except EngineError as exc:
            _LOGGER.info("default cast without %s: %s", name, exc)
    if set(EXTRA_ENGINES) - set(engines):
        return engines[NARRATOR_ENGINE].default_cast(), engines
    return DefaultCast(narrator=NARRATOR, pool=POOL, unknown=UNKNOWN), engines
