"""``audiobook voices``: what every installed engine can speak with."""

from __future__ import annotations

from audiobook.engines.registry import create_engine, engine_names
from audiobook.errors import EngineError


def voice_table(only: str | None = None) -> str:
    """One line per voice, grouped by engine; engines that cannot start say why."""
    names = [only] if only else engine_names()
    out: list[str] = []
    for name in names:
        try:
            engine = create_engine(name)
        except EngineError as exc:
            if only:
                raise
            out.append(f"{name}: unavailable ({exc})\n")
            continue
        online = " (online)" if engine.ONLINE else ""
        out.append(f"{name}{online}: {engine.DESCRIPTION}\n")
        for info in sorted(engine.voices(), key=lambda v: (v.rank, v.id)):
            desc = f"  {info.description}" if info.description else ""
            out.append(f"  {name}:{info.id:<28} {info.gender.value:<8} {info.language}{desc}\n")
        engine.close()
    return "".join(out)
