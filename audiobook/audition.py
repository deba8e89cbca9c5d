"""``audiobook audition``: each character's own first lines, in the voice they would get.

A cast is easier to judge by ear than by name. This renders, for the narrator and for
each speaking character (or the ones asked for), the first few things they say in the
book, in the voice the cast gives them, into one small MP3 each. The voices and the
pronunciation lexicon are exactly those ``make`` would use.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from audiobook.audio.encode import encode_mp3
from audiobook.audio.stitch import stitch
from audiobook.cast.assign import Casting
from audiobook.cast.config import CastConfig
from audiobook.engines.base import Audio, Engine, Voice
from audiobook.errors import UnknownNameError
from audiobook.progress import Progress, Silent
from audiobook.publish.files import atomic_path, book_dirname, ensure_dir, safe_name
from audiobook.script.analyse import Script, analyse
from audiobook.script.model import NARRATOR, Pause, Segment
from audiobook.text.load import load_book

_LOGGER = logging.getLogger(__name__)

FOLDER = "audition"  # under the book's output folder
MAX_WORDS = 60  # about 20 seconds of speech: enough to judge a voice, quick to make
MAX_LINES = 4


@dataclass(frozen=True)
class Sample:
    """One rendered audition."""

    speaker: str  # character name, or NARRATOR
    voice: Voice
    path: Path
    seconds: float
    lines: int  # how many of the speaker's lines it holds


def speaker_order(script: Script) -> list[str]:
    """Speakers by how much they say (words), most first; the narrator leads."""
    words: dict[str, int] = {}
    for seg in script.segments:
        if seg.is_dialogue and seg.speaker and seg.speaker != NARRATOR:
            words[seg.speaker] = words.get(seg.speaker, 0) + len(seg.text.split())
    return [NARRATOR, *sorted(words, key=lambda n: (-words[n], n))]


def resolve_names(script: Script, names: Sequence[str]) -> list[str]:
    """Canonical speakers for ``names`` (any alias, any case; "narrator" too).

    Raises :class:`UnknownNameError` listing the speakers for a name nobody answers to.
    """
    speakers = speaker_order(script)
    found: list[str] = []
    for name in names:
        key = " ".join(name.split()).casefold()
        match = next((s for s in speakers if s.casefold() == key), None)
        if match is None:
            resolved = script.cast.resolve(name)
            match = resolved if resolved in speakers else None
        if match is None:
            raise UnknownNameError("speaker", name, speakers)
        found.append(match)
    return list(dict.fromkeys(found))


def first_lines(script: Script, speaker: str) -> list[Segment]:
    """The speaker's first lines, up to :data:`MAX_LINES` lines or :data:`MAX_WORDS` words.

    Always at least one line when the speaker has any; narration counts for the narrator.
    """
    chosen: list[Segment] = []
    words = 0
    for seg in script.segments:
        if seg.heading or seg.speaker != speaker:
            continue
        if speaker != NARRATOR and not seg.is_dialogue:
            continue
        if chosen and (words + len(seg.text.split()) > MAX_WORDS or len(chosen) >= MAX_LINES):
            break
        chosen.append(seg)
        words += len(seg.text.split())
    return chosen


def audition(
    script: Script,
    casting: Casting,
    engines: Mapping[str, Engine],
    folder: Path,
    progress: Progress,
    *,
    names: Sequence[str] = (),
) -> list[Sample]:
    """Render each speaker's first lines into ``folder/audition/NN - Name.mp3``.

    ``names`` picks speakers (default: the narrator and every speaking character).
    Text goes through the cast's lexicon, as in ``make``. Errors from engines
    propagate: an audition is short, so a failure stops it.
    """
    speakers = resolve_names(script, names) if names else speaker_order(script)
    out = ensure_dir(folder / FOLDER)
    plan = [(s, first_lines(script, s)) for s in speakers]
    progress.start("audition", sum(len(lines) for _, lines in plan))
    samples: list[Sample] = []
    for number, (speaker, lines) in enumerate(plan, start=1):
        if not lines:
            progress.warn(f"{speaker} has no lines to audition")
            continue
        voice = casting.voice_for(speaker)
        engine = engines[voice.engine]
        pieces: list[tuple[Audio, Pause]] = []
        for seg in lines:
            audio = engine.synthesize(casting.spoken(seg.text, engine), voice)
            pieces.append((audio, seg.pause_after))
            progress.advance("audition")
        samples.append(_write(out, number, speaker, voice, pieces))
    progress.finish("audition")
    return samples


def _write(
    out: Path, number: int, speaker: str, voice: Voice, pieces: list[tuple[Audio, Pause]]
) -> Sample:
    stitched = stitch(pieces)
    path = out / f"{number:02d} - {safe_name(speaker)}.mp3"
    with atomic_path(path) as tmp:
        encode_mp3(stitched.samples, stitched.rate, tmp)
    return Sample(speaker, voice, path, stitched.seconds, len(pieces))


def audition_story(
    story: Path,
    out_root: Path,
    *,
    config: CastConfig | None = None,
    engine: str | None = None,
    names: Sequence[str] = (),
    progress: Progress | None = None,
) -> list[Sample]:
    """Cast ``story`` as ``make`` would and audition it into ``out_root/<title>/audition``."""
    from audiobook.pipeline import plan_cast

    config = config or CastConfig()
    progress = progress or Silent()
    script = analyse(load_book(story), config)
    if names:
        resolve_names(script, names)  # a typo is an error before any engine loads
    casting, engines = plan_cast(script, config, engine)
    try:
        folder = out_root / book_dirname(script.book.meta.title)
        return audition(script, casting, engines, folder, progress, names=names)
    finally:
        for built in engines.values():
            built.close()
