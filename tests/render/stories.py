"""Small stories for rendering tests."""

from __future__ import annotations

STORY = """Chapter 1: Dawn

Anna checked the nets twice. The sea was calm.

"Is it time?" Anna asked.

"Not yet," said Tom.

Chapter 2: Dusk

The boats came in late.

"We're back," Anna said. The harbour lights were on.

"Good," said Tom.
"""


def long_story(chapters: int = 4, lines: int = 12) -> str:
    """A story of ``chapters`` chapters with ``lines`` distinct exchanges each."""
    parts = []
    for c in range(1, chapters + 1):
        parts.append(f"Chapter {c}: Day {c}\n")
        for n in range(1, lines + 1):
            parts.append(f'"Line {n} of day {c}," Anna said. Tom nodded {n} times.\n')
    return "\n".join(parts)
