"""Helpers every engine shares: the installed-package check."""

from __future__ import annotations

import sys

import pytest

from audiobook.engines.base import require_installed
from audiobook.errors import EngineError


def test_a_missing_package_names_the_engine_and_the_package() -> None:
    with pytest.raises(EngineError) as caught:
        require_installed("piper", "json", "no_such_package_here")
    assert str(caught.value) == "piper: a required package is not installed (no_such_package_here)"


def test_an_installed_package_is_found_without_being_imported() -> None:
    sys.modules.pop("colorsys", None)  # a small standard module nothing here imports
    require_installed("kokoro", "colorsys")
    assert "colorsys" not in sys.modules
