"""Shared fixtures: the fake engine is registered for every test; the cache is private."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from audiobook.engines import registry
from audiobook.synth.cache import CACHE_ENV
from tests.fakes import FakeEngine


@pytest.fixture(autouse=True)
def _fake_engine() -> Iterator[None]:
    registry.register(FakeEngine)
    yield
    registry.unregister(FakeEngine.NAME)


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own segment cache, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder
