"""Shared fixtures: the fake engine is registered for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from audiobook.engines import registry
from tests.fakes import FakeEngine


@pytest.fixture(autouse=True)
def _fake_engine() -> Iterator[None]:
    registry.register(FakeEngine)
    yield
    registry.unregister(FakeEngine.NAME)
