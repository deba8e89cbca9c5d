"""eSpeak NG, driven in-process through ctypes (the library and data ship in a wheel).

Voices are ``ACCENT`` or ``ACCENT+VARIANT``: an English accent from the bundled data
(``en-us``, ``en`` = British, ``en-gb-scotland``, ...) and a variant from ``voices/!v``
(``f3``, ``m2``, ``Alicia``, ...), e.g. ``en-us+f3``. The library keeps one global
state per process, so every call into it holds :data:`_LOCK`.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from ctypes import CFUNCTYPE, POINTER, c_char_p, c_int, c_short, c_size_t, c_uint, c_void_p
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from audiobook.audio.dsp import int16_to_float
from audiobook.engines.base import (
    Audio,
    DefaultCast,
    Engine,
    Gender,
    Option,
    Voice,
    VoiceInfo,
    has_words,
    silence,
    speakable,
)
from audiobook.errors import EngineError, SynthesisError, UnknownNameError

_LOGGER = logging.getLogger(__name__)

# Constants from espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # return errors instead of calling exit()
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_POS_CHARACTER = 1
_RATE, _PITCH, _RANGE, _PUNCTUATION, _CAPITALS, _WORDGAP = 1, 3, 4, 5, 6, 7

_BASE_WPM = 175  # espeak's own default rate, i.e. speed 1.0
_WPM_LIMITS = (80, 800)  # below 80 espeak refuses; above ~800 words blur together

# espeakPITCH value -> shift in semitones from the default (50). Measured on the bundled
# 1.52 data (median F0, six voices x three texts); espeak's own scale is not linear.
_PITCH_TABLE = (
    (0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100),
    (-5.6, -4.8, -3.9, -2.7, -1.5, 0.0, 1.6, 3.3, 5.1, 6.9, 8.6),
)

# Accents, clearest and most familiar first; unlisted accents rank last.
_ACCENT_ORDER = (
    "en-us",
    "en",
    "en-gb-x-rp",
    "en-gb-scotland",
    "en-029",
    "en-us-nyc",
    "en-gb-x-gbclan",
    "en-gb-x-gbcwmd",
)
_SKIPPED_ACCENTS = {"en-shaw"}  # expects the Shavian alphabet, not Latin text
# Plain male/female variants, best first; named human variants follow, novelties last.
_CORE_VARIANTS = ("", "m3", "f3", "m1", "f2", "m2", "f1", "m4", "f4", "m6", "f5", "m7", "m5", "m8")
_NOVELTY_WORDS = (
    "robo",
    "whisper",
    "demonic",
    "announcer",
    "croak",
    "fast",
    "zac",
    "tweaky",
    "anxious",
    "ricishay",
    "iven",
)

_SynthCallback = CFUNCTYPE(c_int, POINTER(c_short), c_int, c_void_p)
# Function -> (return type, argument types), from speak_lib.h.
_PROTOTYPES: dict[str, tuple[Any, list[Any]]] = {
    "espeak_Initialize": (c_int, [c_int, c_int, c_char_p, c_int]),
    "espeak_Info": (c_char_p, [c_void_p]),
    "espeak_SetSynthCallback": (None, [_SynthCallback]),
    "espeak_SetVoiceByName": (c_int, [c_char_p]),
    "espeak_SetParameter": (c_int, [c_int, c_int, c_int]),
    "espeak_Synth": (
        c_int,
        [c_void_p, c_size_t, c_uint, c_int, c_uint, c_uint, c_void_p, c_void_p],
    ),
}
_LOCK = threading.Lock()
_LIBRARY: _Library | None = None


class _Library:
    """The process-wide libespeak-ng, initialised once; callers hold :data:`_LOCK`."""

    def __init__(self, lib_path: str, data_path: str) -> None:
        try:
            self.lib = ctypes.CDLL(lib_path)
        except OSError as exc:
            raise EngineError(f"espeak: cannot load {lib_path}: {exc}") from exc
        for name, (restype, argtypes) in _PROTOTYPES.items():
            function = getattr(self.lib, name)
            function.restype, function.argtypes = restype, argtypes
        rate = self.lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), _INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise EngineError(f"espeak: cannot initialise with the data in {data_path}")
        self.sample_rate: int = rate
        self.data_path = Path(data_path)
        self.info: str = (self.lib.espeak_Info(None) or b"?").decode()
        self._chunks: list[npt.NDArray[np.int16]] = []
        # Kept on self: ctypes must not free the callback while the library holds it.
        self._callback = _SynthCallback(self._collect)
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: Any, count: int, _events: Any) -> int:
        if wav and count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # 0 = carry on synthesizing

    def accepts(self, name: str) -> bool:
        """Whether espeak knows the voice ``name`` (it ignores unknown variants)."""
        return int(self.lib.espeak_SetVoiceByName(name.encode())) == 0

    def speak(self, text: bytes, name: str, params: dict[int, int]) -> npt.NDArray[np.int16]:
        """Synthesize NUL-free UTF-8 ``text`` in voice ``name`` with ``params`` set."""
        if not self.accepts(name):
            raise SynthesisError(f"espeak rejected voice {name!r}")
        for key, value in params.items():
            self.lib.espeak_SetParameter(key, value, 0)
        self._chunks = []
        data = text + b"\0"
        flags = _CHARS_UTF8 | _ENDPAUSE  # no espeakSSML: '<' and '&' are plain text
        err = self.lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, flags, None, None)
        if err != 0:
            raise SynthesisError(f"espeak failed with error code {err}")
        chunks, self._chunks = self._chunks, []
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


def _library() -> _Library:
    """Load the bundled libespeak-ng once per process; caller holds :data:`_LOCK`."""
    global _LIBRARY
    if _LIBRARY is None:
        try:
            import espeakng_loader
        except ImportError as exc:
            raise EngineError("espeak: the espeakng-loader package is not installed") from exc
        try:
            data_path = espeakng_loader.get_data_path()
        except RuntimeError as exc:
            raise EngineError(f"espeak: voice data missing ({exc})") from exc
        _LIBRARY = _Library(espeakng_loader.get_library_path(), data_path)
    return _LIBRARY


@dataclass(frozen=True)
class _Variant:
    """One ``voices/!v`` file: how it sounds, for labelling and ranking."""

    id: str  # file name, as written after '+'
    name: str  # its ``name`` line
    gender: Gender
    rank: int  # 0 = plain and clear ... 50 = novelty


def _read_fields(path: Path) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.strip().partition(" ")
        key = key.lower()
        if key and key not in fields:
            fields[key] = value.strip()
    return fields


def _variant(path: Path) -> _Variant:
    """Describe a variant file: gender from its ``gender`` line, else from its pitch."""
    fields = _read_fields(path)
    word = fields.get("gender", "").split(" ")[0].lower()
    if word in ("male", "female"):
        gender = Gender(word)
    else:  # no gender line: a base pitch of 150 Hz or more sounds female
        pitch = fields.get("pitch", "").split()
        high = bool(pitch) and pitch[0].isdigit() and int(pitch[0]) >= 150
        gender = Gender.FEMALE if high else Gender.MALE
    lowered = path.name.lower()
    if path.name in _CORE_VARIANTS:
        rank = _CORE_VARIANTS.index(path.name)
    elif "klatt" in fields or any(word in lowered for word in _NOVELTY_WORDS):
        rank = 50
    else:
        rank = 20
    return _Variant(path.name, fields.get("name", path.name), gender, rank)


def _language_tag(accent_file: str) -> str:
    """BCP 47 tag of an accent file (``en`` is espeak's British English)."""
    return "en-GB" if accent_file == "en" else accent_file


def _pitch_value(semitones: float) -> int:
    """The espeakPITCH value (0-100) nearest a shift of ``semitones``; clamps outside."""
    return round(float(np.interp(semitones, _PITCH_TABLE[1], _PITCH_TABLE[0])))


class EspeakEngine(Engine):
    """eSpeak NG: robotic but fast, many English accents and voice variants, fully offline."""

    NAME = "espeak"
    DESCRIPTION = "eSpeak NG (offline, formant synthesis): English accents x voice variants"
    OPTIONS = (
        Option("word_gap", int, 0, "extra pause between words, in units of 10 ms"),
        Option("punctuation", bool, False, "speak punctuation marks by name"),
    )

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        with _LOCK:
            self._lib = _library()
            data = self._lib.data_path
            self._variants = self._find_variants(data)
            self._accents = self._find_accents(data)
        if not self._accents:
            raise EngineError(f"espeak: no English voices found in {data}")
        self.sample_rate = self._lib.sample_rate

    def _find_variants(self, data: Path) -> dict[str, _Variant]:
        folder = data / "voices" / "!v"
        if not folder.is_dir():
            raise EngineError(f"espeak: voice variants missing: {folder}")
        return {p.name: _variant(p) for p in sorted(folder.iterdir()) if p.is_file()}

    def _find_accents(self, data: Path) -> dict[str, tuple[str, str]]:
        """English accent id -> (language tag, description), for those espeak accepts."""
        accents: dict[str, tuple[str, str]] = {}
        for path in sorted(data.glob("lang/*/en*")):
            accent = path.name.lower()
            fields = _read_fields(path)
            is_english = fields.get("language", "").split(" ")[0].startswith("en")
            if is_english and accent not in _SKIPPED_ACCENTS and self._lib.accepts(accent):
                accents[accent] = (_language_tag(path.name), fields.get("name", accent))
        order = {a: i for i, a in enumerate(_ACCENT_ORDER)}
        return dict(sorted(accents.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))

    @property
    def version(self) -> str:
        try:
            wheel = version("espeakng-loader")
        except PackageNotFoundError:
            wheel = "?"
        return f"espeak-ng {self._lib.info}; espeakng-loader {wheel}"

    @property
    def accents(self) -> list[str]:
        """Accent ids, clearest first."""
        return list(self._accents)

    @property
    def variants(self) -> list[str]:
        """Variant ids (``voices/!v`` file names), alphabetical."""
        return list(self._variants)

    def voices(self) -> list[VoiceInfo]:
        """Every accent alone and with every variant, ranked (lower = clearer)."""
        infos = []
        for a_rank, (accent, (tag, accent_name)) in enumerate(self._accents.items()):
            infos.append(VoiceInfo(accent, Gender.MALE, tag, accent_name, a_rank))
            for var in self._variants.values():
                desc = f"{accent_name}, variant {var.name}"
                rank = var.rank * 10 + a_rank
                infos.append(VoiceInfo(f"{accent}+{var.id}", var.gender, tag, desc, rank))
        return sorted(infos, key=lambda v: (v.rank, v.id))

    def default_cast(self) -> DefaultCast:
        """A clear US narrator; a pool alternating female/male across accents."""
        pool = (
            ("en-gb-x-rp+f3", Gender.FEMALE),
            ("en-gb-scotland+m1", Gender.MALE),
            ("en-us+f2", Gender.FEMALE),
            ("en-029+m4", Gender.MALE),
            ("en-gb-scotland+f5", Gender.FEMALE),
            ("en+m7", Gender.MALE),
            ("en-us-nyc+f4", Gender.FEMALE),
            ("en-gb-x-gbclan+m2", Gender.MALE),
            ("en-029+f1", Gender.FEMALE),
            ("en-us+m8", Gender.MALE),
            ("en-gb-x-gbcwmd+f3", Gender.FEMALE),
            ("en-gb-x-rp+m6", Gender.MALE),
        )
        usable = [(Voice(self.NAME, n), g) for n, g in pool if self._is_valid(n)]
        return DefaultCast(
            narrator=Voice(self.NAME, "en-us+m3"),
            pool=tuple(usable),
            unknown=Voice(self.NAME, "en+f1"),
        )

    def _is_valid(self, name: str) -> bool:
        accent, _, variant = name.partition("+")
        return accent in self._accents and (not variant or variant in self._variants)

    def check_voice(self, voice: Voice) -> None:
        """Check accent and variant separately: listing every combination would not help."""
        accent, plus, variant = voice.name.partition("+")
        if accent not in self._accents:
            raise UnknownNameError("espeak voice accent", accent, self.accents)
        if plus and variant not in self._variants:
            raise UnknownNameError(
                f"espeak voice variant (in {voice.name!r})", variant, self.variants
            )

    def synthesize(self, text: str, voice: Voice) -> Audio:
        """Speak ``text``; speed sets the words per minute, pitch the espeakPITCH value."""
        self.check_voice(voice)
        clean = speakable(text)
        if not has_words(clean):
            return silence(self.sample_rate)
        wpm = round(min(max(_BASE_WPM * voice.speed, _WPM_LIMITS[0]), _WPM_LIMITS[1]))
        params = {
            _RATE: wpm,
            _PITCH: _pitch_value(voice.pitch),
            _RANGE: 50,
            _PUNCTUATION: 1 if self.options["punctuation"] else 0,
            _CAPITALS: 0,
            _WORDGAP: int(self.options["word_gap"]),
        }
        with _LOCK:
            pcm = self._lib.speak(clean.encode("utf-8", errors="ignore"), voice.name, params)
        if len(pcm) == 0:
            return silence(self.sample_rate)
        return Audio(int16_to_float(pcm), self.sample_rate)
