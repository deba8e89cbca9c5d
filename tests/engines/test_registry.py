"""The engine registry: names, lazily imported built-ins, and option validation."""

from __future__ import annotations

import pytest

from audiobook.engines import registry
from audiobook.engines.base import Engine
from audiobook.errors import ConfigError, UnknownNameError
from tests.fakes import FakeEngine

BUILTINS = {
    "espeak": ("audiobook.engines.espeak", "EspeakEngine"),
    "piper": ("audiobook.engines.piper", "PiperEngine"),
    "gtts": ("audiobook.engines.gtts", "GttsEngine"),
}


def test_unknown_engine_lists_every_name() -> None:
    with pytest.raises(UnknownNameError) as caught:
        registry.engine_class("festival")
    assert (
        str(caught.value) == "unknown engine 'festival'; valid: espeak, fake, gtts, kokoro, piper"
    )


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_engine_classes(name: str) -> None:
    cls = registry.engine_class(name)
    module, class_name = BUILTINS[name]
    assert issubclass(cls, Engine)
    assert (cls.__module__, cls.__name__, cls.NAME) == (module, class_name, name)


def test_registered_fake_engine() -> None:
    assert registry.engine_class("fake") is FakeEngine
    assert "fake" in registry.engine_names()


def test_only_gtts_is_online() -> None:
    assert {n for n in BUILTINS if registry.engine_class(n).ONLINE} == {"gtts"}


@pytest.mark.parametrize("name", BUILTINS)
def test_unknown_option_lists_declared_options(name: str) -> None:
    declared = sorted(o.name for o in registry.engine_class(name).OPTIONS)
    with pytest.raises(UnknownNameError) as caught:
        registry.create_engine(name, colour="blue")
    assert "'colour'" in str(caught.value)
    assert ", ".join(declared) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "option", "value", "expected"),
    [
        ("espeak", "word_gap", "wide", "int"),
        ("piper", "threads", "two", "int"),
        ("piper", "noise_scale", "loud", "float"),
        ("gtts", "timeout", [30], "float"),
    ],
)
def test_option_of_wrong_type_is_a_config_error(
    name: str, option: str, value: object, expected: str
) -> None:
    with pytest.raises(ConfigError, match=f"engine {name} option {option}: expected {expected}"):
        registry.create_engine(name, **{option: value})


def test_options_are_converted_to_their_declared_type() -> None:
    pytest.importorskip("espeakng_loader")
    engine = registry.create_engine("espeak", word_gap="2")
    assert engine.options == {"word_gap": 2, "punctuation": False}
