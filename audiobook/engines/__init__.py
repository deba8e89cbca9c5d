"""Speech engines behind one interface, looked up by name."""

from audiobook.engines.base import Audio, DefaultCast, Engine, Gender, Option, Voice, VoiceInfo
from audiobook.engines.registry import create_engine, engine_class, engine_names, register

__all__ = [
    "Audio",
    "DefaultCast",
    "Engine",
    "Gender",
    "Option",
    "Voice",
    "VoiceInfo",
    "create_engine",
    "engine_class",
    "engine_names",
    "register",
]
