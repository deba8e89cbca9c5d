"""One unit of synthesis work: speak one segment's text in one voice into the cache.

A :class:`Job` carries everything a worker needs and nothing it must share: the text,
the voice, the engine class to build (as ``"module:Class"``, so a worker in another
process or on another machine can import it) and the cache folder. The worker writes
the audio into the cache and returns only a small :class:`Outcome`, so no audio ever
travels between processes. Failures come back as data, never as exceptions, in the
two tiers of the engine contract: one segment failed (retried first) or the engine
cannot go on (``fatal``: the run stops at once).
"""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiobook.engines.base import Audio, Engine, Voice
from audiobook.errors import AudiobookError, EngineError, OutputError, SynthesisError
from audiobook.synth.cache import SegmentCache

_LOGGER = logging.getLogger(__name__)

RETRIES = 1  # extra attempts for a segment whose synthesis fails


@dataclass(frozen=True)
class Job:
    """Synthesize one distinct (text, voice) into the cache."""

    key: str  # cache key (see :func:`audiobook.synth.cache.segment_key`)
    text: str  # the words as the engine gets them (lexicon applied, normalised)
    voice: Voice
    engine: str  # the engine class as "module:Class"; built once per worker process
    cache: str  # the cache folder, as every worker sees it (shared storage for a cluster)


@dataclass(frozen=True)
class Outcome:
    """What became of a :class:`Job`."""

    key: str
    frames: int = 0  # samples written to the cache
    rate: int = 0  # their sample rate
    error: str | None = None  # why the segment failed (after the retries), or why the run must stop
    fatal: bool = False  # the engine or the cache cannot go on: stop the run

    @property
    def seconds(self) -> float:
        return self.frames / self.rate if self.rate else 0.0


def engine_path(engine: Engine) -> str:
    """``"module:Class"`` of ``engine``, for :attr:`Job.engine`."""
    cls = type(engine)
    return f"{cls.__module__}:{cls.__qualname__}"


_ENGINES: dict[str, Engine] = {}  # this process's engines, by class path
_ENGINES_LOCK = threading.Lock()  # a Dask worker may run several jobs at once


def process_engine(path: str) -> Engine:
    """This process's engine for class ``path``, built on first use."""
    with _ENGINES_LOCK:
        if path not in _ENGINES:
            module, _, name = path.partition(":")
            try:
                cls = getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError) as exc:
                raise EngineError(f"cannot load engine {path}: {exc}") from exc
            _ENGINES[path] = cls()
        return _ENGINES[path]


def run_job(job: Job) -> Outcome:
    """Worker entry point: build (or reuse) the engine, then :func:`synthesize_job`."""
    try:
        engine = process_engine(job.engine)
    except AudiobookError as exc:
        return Outcome(job.key, error=str(exc), fatal=True)
    return synthesize_job(job, engine, SegmentCache(Path(job.cache)))


def synthesize_job(job: Job, engine: Engine, cache: SegmentCache) -> Outcome:
    """Speak ``job`` with ``engine`` into ``cache``; a failing segment is retried first.

    An engine bug (any other exception) counts as a failed segment, so one odd line
    cannot stop a book; ``KeyboardInterrupt`` passes through.
    """
    reason = ""
    for attempt in range(RETRIES + 1):
        try:
            audio = _checked(engine.synthesize(job.text, job.voice))
        except EngineError as exc:
            return Outcome(job.key, error=str(exc), fatal=True)
        except SynthesisError as exc:
            reason = str(exc)
        except Exception as exc:  # see the docstring
            reason = f"{type(exc).__name__}: {exc}"
        else:
            try:
                entry = cache.store(job.key, audio)
            except OutputError as exc:
                return Outcome(job.key, error=str(exc), fatal=True)
            return Outcome(job.key, entry.frames, entry.rate)
        _LOGGER.warning("segment failed (attempt %d): %s", attempt + 1, reason)
    return Outcome(job.key, error=reason)


def _checked(audio: Audio) -> Audio:
    """``audio`` if it is usable mono float audio; :class:`SynthesisError` if not."""
    if not isinstance(audio, Audio) or audio.sample_rate <= 0:
        raise SynthesisError(f"engine returned {type(audio).__name__}, not audio")
    samples = np.asarray(audio.samples)
    if samples.ndim != 1:
        raise SynthesisError(f"engine returned audio of shape {samples.shape}, not mono")
    return audio
