"""The engine interface: what every speech engine provides, and the types it trades in.

An engine turns one piece of text into mono PCM audio in one voice. Engines are built
once per run (checking there and then that they can work: library present, voice data
present) and then called for every segment.
"""

from __future__ import annotations

import functools
import importlib.util
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from audiobook.errors import ConfigError, EngineError, UnknownNameError


class Gender(StrEnum):
    """Gender of a character or the perceived gender of a voice, for casting."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Voice:
    """A voice as the cast asks for it: which engine, which of its voices, and settings."""

    engine: str  # registry name, e.g. "espeak"
    name: str  # the engine's own voice id, e.g. "en-us+f3"
    speed: float = 1.0  # tempo factor; 1.0 is the engine's natural rate
    pitch: float = 0.0  # shift in semitones, where the engine (or DSP) allows it
    # Engine-specific options (validated by the engine), sorted by key for stable hashing.
    options: tuple[tuple[str, Any], ...] = ()

    @property
    def id(self) -> str:
        """Short label: ``engine:name``, plus any settings that change the sound."""
        label = f"{self.engine}:{self.name}"
        extras = []
        if self.speed != 1.0:
            extras.append(f"speed={self.speed:g}")
        if self.pitch:
            extras.append(f"pitch={self.pitch:+g}")
        extras.extend(f"{k}={v}" for k, v in self.options)
        return label + (f"[{','.join(extras)}]" if extras else "")

    @classmethod
    def parse(cls, ref: str) -> Voice:
        """Parse ``"engine:voice"``; the voice part may itself contain colons."""
        engine, sep, name = ref.partition(":")
        if not sep or not engine or not name:
            raise ConfigError(
                f"voice {ref!r} must be written as ENGINE:VOICE, e.g. espeak:en-us+f3"
            )
        return cls(engine=engine.strip(), name=name.strip())


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers, as listed by ``audiobook voices``."""

    id: str  # the engine's voice id
    gender: Gender
    language: str  # BCP 47 tag, e.g. "en-US"
    description: str = ""
    # Casting preference: lower is better (more natural, more distinct). Used to order pools.
    rank: int = 100


@dataclass(frozen=True)
class Audio:
    """Mono PCM samples, float32 in [-1, 1]."""

    samples: npt.NDArray[np.float32]
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class Option:
    """An engine option that users can set in ``voices.yaml`` (``engines: {NAME: {...}}``)."""

    name: str
    type: type
    default: Any
    help: str


@dataclass(frozen=True)
class DefaultCast:
    """The voices an engine proposes when the user configures nothing."""

    narrator: Voice
    # Voices for characters, best first, each labelled with the gender it suits.
    pool: tuple[tuple[Voice, Gender], ...]
    unknown: Voice  # for dialogue nobody could attribute; never the narrator's voice
    extra: Mapping[str, Any] = field(default_factory=dict)


class Engine(ABC):
    """Base class for speech engines. Subclasses set ``NAME`` and implement the methods."""

    NAME: ClassVar[str]
    ONLINE: ClassVar[bool] = False  # needs the network at synthesis time
    # Reads IPA marked with PHONEMES_OPEN/PHONEMES_CLOSE (lexicon entries given as phonemes).
    PHONEMES: ClassVar[bool] = False
    OPTIONS: ClassVar[tuple[Option, ...]] = ()
    DESCRIPTION: ClassVar[str] = ""

    def __init__(self, **options: Any) -> None:
        """Validate ``options`` against :attr:`OPTIONS`; raise :class:`ConfigError` if wrong."""
        known = {o.name: o for o in self.OPTIONS}
        for key in options:
            if key not in known:
                raise UnknownNameError(f"option for engine {self.NAME!r}:", key, list(known))
        self.options: dict[str, Any] = {}
        for name, opt in known.items():
            value = options.get(name, opt.default)
            if value is not None and not isinstance(value, opt.type):
                try:
                    value = _convert(value, opt.type)
                except (TypeError, ValueError) as exc:
                    raise ConfigError(
                        f"engine {self.NAME} option {name}: expected {opt.type.__name__}, "
                        f"got {value!r}"
                    ) from exc
            self.options[name] = value

    @property
    def version(self) -> str:
        """Identifies the engine build; part of the segment cache key."""
        return "1"

    @abstractmethod
    def voices(self) -> list[VoiceInfo]:
        """Every voice this engine can speak with."""

    @abstractmethod
    def default_cast(self) -> DefaultCast:
        """The narrator, character pool and unknown-speaker voice to use unconfigured."""

    @abstractmethod
    def synthesize(self, text: str, voice: Voice) -> Audio:
        """Speak ``text`` in ``voice``.

        ``text`` is one segment's words (it may be long, or contain no speakable
        characters: then return a short silence). Raises ``SynthesisError`` when this
        text fails; ``EngineError`` when the engine cannot go on at all.
        """

    def check_voice(self, voice: Voice) -> None:
        """Raise :class:`UnknownNameError` listing valid voices when ``voice`` is not offered."""
        ids = [v.id for v in self.voices()]
        if voice.name not in ids:
            raise UnknownNameError(f"{self.NAME} voice", voice.name, ids)

    def close(self) -> None:  # noqa: B027 - optional hook; most engines hold nothing
        """Release resources (threads, sessions). Called once when the run ends."""


def _convert(value: Any, kind: type) -> Any:
    """Coerce an option value; booleans only from real booleans or yes/no words."""
    if kind is bool:
        words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if str(value).strip().lower() not in words:
            raise ValueError(value)
        return words[str(value).strip().lower()]
    return kind(value)


# Unicode categories no engine should be asked to read: control, surrogate, private-use,
# unassigned, and symbols such as emoji (engines either spell them out or choke on them).
_UNSPEAKABLE = frozenset({"Cc", "Cs", "Co", "Cn", "So"})
SILENCE_SECONDS = 0.1  # what an engine returns for text with nothing to say

# Pronunciations from the lexicon reach engines inside a segment's text as IPA between
# these private-use characters. A story cannot forge them: the lexicon passes the text
# through speakable(), which removes private-use characters, before it marks anything.
PHONEMES_OPEN = "\ue000"
PHONEMES_CLOSE = "\ue001"


def speakable(text: str) -> str:
    """``text`` with unspeakable characters replaced by spaces."""
    return "".join(" " if unicodedata.category(ch) in _UNSPEAKABLE else ch for ch in text)


def phoneme_parts(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(piece, is_ipa)`` parts at the lexicon's phoneme marks.

    Text without marks is one plain part; an unclosed mark runs to the end.
    """
    parts: list[tuple[str, bool]] = []
    rest = text
    while PHONEMES_OPEN in rest:
        before, _, after = rest.partition(PHONEMES_OPEN)
        ipa, _, rest = after.partition(PHONEMES_CLOSE)
        parts += [(before, False), (ipa, True)]
    parts.append((rest, False))
    return [(piece, ipa) for piece, ipa in parts if piece]


def has_words(text: str) -> bool:
    """True when ``text`` has a letter or digit to say."""
    return any(ch.isalnum() for ch in text)


def silence(rate: int, seconds: float = SILENCE_SECONDS) -> Audio:
    """A short stretch of digital silence at ``rate``."""
    return Audio(np.zeros(int(rate * seconds), dtype=np.float32), rate)


def require_installed(engine: str, *modules: str) -> None:
    """Raise :class:`EngineError` naming the first of ``modules`` that is not installed.

    Looks without importing (``find_spec``): an engine that cannot start fails when it
    is made, while runtimes such as onnxruntime load only when a model does.
    """
    for module in modules:
        if importlib.util.find_spec(module) is None:
            raise EngineError(f"{engine}: a required package is not installed ({module})")


@functools.cache
def package_version(name: str) -> str:
    """Installed version of distribution ``name``, or "?" (for engine version strings)."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"
