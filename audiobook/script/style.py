"""How each character talks, learned from the book's own confidently attributed lines.

A profile is the TF-IDF vector of the words a character says in lines whose speech tag
names them outright. Dialect spellings ("ain't", "gwine"), pet phrases ("mon ami") and
forms of address separate characters that turn-taking alone cannot; the similarity of
a line to each candidate's profile is one more feature for the decoder.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")
MIN_LINES = 4  # fewer confident lines than this make no profile


def words(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``."""
    return _WORD.findall(text.lower())


class Styles:
    """Profiles of the characters with enough confident lines.

    Vectors are word counts weighted by IDF, so a line's own words can be taken out of
    its speaker's profile exactly (a line must not vouch for itself).
    """

    def __init__(self, lines: Iterable[tuple[str, str]], corpus: Sequence[str]) -> None:
        """``lines``: (speaker, text) pairs known well; ``corpus``: every line, for IDF."""
        documents = [set(words(t)) for t in corpus]
        df: Counter[str] = Counter(w for doc in documents for w in doc)
        total = max(len(documents), 1)
        self.idf = {w: math.log(total / n) for w, n in df.items()}
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        seen: Counter[str] = Counter()
        for speaker, text in lines:
            counts[speaker].update(words(text))
            seen[speaker] += 1
        self.profiles = {s: c for s, c in counts.items() if seen[s] >= MIN_LINES}
        self.norms = {s: self._dot(c, c) for s, c in self.profiles.items()}

    def _dot(self, a: Counter[str], b: Counter[str]) -> float:
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        return sum(n * large.get(w, 0) * self.idf.get(w, 0.0) ** 2 for w, n in small.items())

    def similarity(self, text: str, speaker: str, *, own: bool = False) -> float:
        """Cosine between ``text`` and ``speaker``'s profile.

        ``own``: ``text`` is one of the lines the profile was built from; it is taken out.
        """
        profile = self.profiles.get(speaker)
        if profile is None:
            return 0.0
        line = Counter(words(text))
        line_norm = self._dot(line, line)
        dot = self._dot(line, profile)
        norm = self.norms[speaker]
        if own:
            dot, norm = dot - line_norm, norm - 2 * dot + line_norm
        if line_norm <= 0 or norm <= 1e-9:
            return 0.0
        return dot / math.sqrt(line_norm * norm)
