"""Name -> engine class registry, with third-party engines from entry points.

Built-in engines are registered by import path so that importing the registry does not
import every engine's heavy dependencies. Packages add engines through the
``audiobook.engines`` entry-point group: ``name = "package.module:EngineClass"``.
"""

from __future__ import annotations

import importlib
import logging
from importlib.metadata import entry_points
from typing import Any

from audiobook.engines.base import Engine
from audiobook.errors import EngineError, UnknownNameError

_LOGGER = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "audiobook.engines"

# name -> "module:Class"; modules are imported only when the engine is used.
_BUILTIN: dict[str, str] = {
    "espeak": "audiobook.engines.espeak:EspeakEngine",
    "piper": "audiobook.engines.piper:PiperEngine",
    "gtts": "audiobook.engines.gtts:GttsEngine",
    "kokoro": "audiobook.engines.kokoro:KokoroEngine",
}

# Engines registered at run time (tests register fakes here).
_REGISTERED: dict[str, type[Engine]] = {}


def register(cls: type[Engine]) -> type[Engine]:
    """Add ``cls`` under ``cls.NAME``; usable as a class decorator."""
    _REGISTERED[cls.NAME] = cls
    return cls


def unregister(name: str) -> None:
    """Remove an engine added with :func:`register` (for tests)."""
    _REGISTERED.pop(name, None)


def _plugin_paths() -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def engine_names() -> list[str]:
    """Every engine name that can be asked for, sorted."""
    return sorted({*_BUILTIN, *_plugin_paths(), *_REGISTERED})


def engine_class(name: str) -> type[Engine]:
    """The class registered as ``name``; :class:`UnknownNameError` lists valid names."""
    if name in _REGISTERED:
        return _REGISTERED[name]
    path = _BUILTIN.get(name) or _plugin_paths().get(name)
    if path is None:
        raise UnknownNameError("engine", name, engine_names())
    module_name, _, class_name = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise EngineError(f"engine {name!r} is not installed ({exc})") from exc
    cls = getattr(module, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, Engine)):
        raise EngineError(f"engine {name!r} at {path} is not an Engine class")
    return cls


def create_engine(name: str, **options: Any) -> Engine:
    """Build the engine ``name`` with ``options``; it checks it can work right here."""
    return engine_class(name)(**options)
