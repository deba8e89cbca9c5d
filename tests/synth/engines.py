"""Test engines for synthesis at scale: slow, flaky and broken variants of the fake engine.

Importable by worker processes (``tests.synth.engines:SlowEngine``), which is how a
spawned pool or a Dask worker builds them.
"""

from __future__ import annotations

import os
import signal
import sys
import time

from audiobook.engines import registry
from audiobook.engines.base import Audio, Voice
from audiobook.errors import EngineError, SynthesisError
from tests.fakes import FakeEngine

DELAY_ENV = "AUDIOBOOK_TEST_DELAY"  # seconds the slow engine takes per segment


class SlowEngine(FakeEngine):
    """The fake engine taking ``$AUDIOBOOK_TEST_DELAY`` seconds (default 0.02) per segment."""

    NAME = "slow"

    def synthesize(self, text: str, voice: Voice) -> Audio:
        time.sleep(float(os.environ.get(DELAY_ENV, "0.02")))
        return super().synthesize(text, voice.__class__(FakeEngine.NAME, voice.name, voice.speed))

    def check_voice(self, voice: Voice) -> None:
        super().check_voice(Voice(FakeEngine.NAME, voice.name))


class FlakyEngine(FakeEngine):
    """Fails on every text containing ``BOOM``; ``Flaky once`` fails only the first time."""

    NAME = "flaky"
    seen: set[str] = set()  # noqa: RUF012 - shared on purpose: retries reach the same class

    def synthesize(self, text: str, voice: Voice) -> Audio:
        if "BOOM" in text:
            raise SynthesisError(f"flaky cannot say {text[:20]!r}")
        if "once" in text and text not in self.seen:
            self.seen.add(text)
            raise SynthesisError("first try fails")
        return super().synthesize(text, Voice(FakeEngine.NAME, voice.name, voice.speed))

    def check_voice(self, voice: Voice) -> None:
        super().check_voice(Voice(FakeEngine.NAME, voice.name))


class BrokenEngine(FakeEngine):
    """Cannot start: its model is 'missing'."""

    NAME = "broken"

    def __init__(self, **options: object) -> None:
        raise EngineError("broken: model file missing: /nowhere/model.onnx")


class DyingEngine(FakeEngine):
    """Starts, then reports that it cannot go on at the first segment."""

    NAME = "dying"

    def synthesize(self, text: str, voice: Voice) -> Audio:
        raise EngineError("dying: the engine's server went away")

    def check_voice(self, voice: Voice) -> None:
        super().check_voice(Voice(FakeEngine.NAME, voice.name))


class KillerEngine(FakeEngine):
    """Kills its own process at the first segment, as the OOM killer would."""

    NAME = "killer"

    def synthesize(self, text: str, voice: Voice) -> Audio:
        os._exit(9)


ENGINES = (SlowEngine, FlakyEngine, BrokenEngine, DyingEngine, KillerEngine)


def register_all() -> None:
    """Register the fake engine and these (for a CLI run in a subprocess)."""
    for cls in (FakeEngine, *ENGINES):
        registry.register(cls)


if __name__ == "__main__":  # python -m tests.synth.engines make ...: the CLI with test engines
    # Ctrl-C as a terminal's foreground job has it. A test run started in the background
    # (`./.ci/run &`) inherits SIGINT ignored, and so would this process, which would then
    # sail through the Ctrl-C test's signal.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    register_all()
    from audiobook.cli import main

    sys.argv[0] = "audiobook"
    main()
