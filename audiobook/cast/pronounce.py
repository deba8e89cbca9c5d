"""The pronunciation lexicon: how to say the words the engines get wrong (mostly names).

An entry maps a word or phrase to a respelling the engines read more reliably
(``Tara: Tahra``), to IPA between slashes (``Boone: /bˈuːn/``), or to both
(``{say: Tahra, ipa: tˈɑːɹə}``). Engines that read IPA (``Engine.PHONEMES``) get the
IPA; the others get the respelling, or the word unchanged when there is none.

Entries come from ``lexicon.yaml`` in the user's configuration folder (every book)
and from the ``lexicon:`` key of the book's ``voices.yaml``, which wins. Keys match
whole words as written; a key written in lower case also matches its capitalised
form, at the start of a sentence. A possessive ``'s`` after a match is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from audiobook.engines.base import PHONEMES_CLOSE, PHONEMES_OPEN
from audiobook.errors import ConfigError
from audiobook.userfiles import read_user_text

GLOBAL_NAME = "lexicon.yaml"
MAX_BYTES = 1_000_000  # a hand-written word list; anything bigger is a mistake
_POSSESSIVE = r"(?P<pos>['’]s)?"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_SENTENCE_START = re.compile(r"(^|[.!?…:;]\s*[\"'“‘(]?\s*|[\"“‘(]\s*|\n\s*)$")


@dataclass(frozen=True)
class Pronunciation:
    """How to say one lexicon word."""

    say: str | None = None  # a respelling in plain letters, read by every engine
    ipa: str | None = None  # IPA phonemes, for engines that read them

    def text_for(self, word: str, *, phonemes: bool, possessive: str) -> str:
        """What replaces ``word`` (plus its ``possessive``) for an engine."""
        if phonemes and self.ipa:
            ipa = self.ipa + (_possessive_ipa(self.ipa) if possessive else "")
            return f"{PHONEMES_OPEN}{ipa}{PHONEMES_CLOSE}"
        return (self.say or word) + possessive


def _possessive_ipa(ipa: str) -> str:
    """The sound of ``'s`` after ``ipa``: /ɪz/ after hissing sounds, /s/ after voiceless."""
    bare = ipa.rstrip("ˈˌː ")
    if bare.endswith(("s", "z", "ʃ", "ʒ")):
        return "ɪz"
    return "s" if bare.endswith(("p", "t", "k", "f", "θ")) else "z"


@dataclass(frozen=True)
class Lexicon:
    """Word -> :class:`Pronunciation`; apply it to a segment's text before synthesis."""

    entries: Mapping[str, Pronunciation] = field(default_factory=dict)

    def merged(self, over: Mapping[str, Pronunciation]) -> Lexicon:
        """This lexicon with ``over``'s entries added, replacing equal keys."""
        return Lexicon({**self.entries, **over})

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.entries:
            return None
        keys = sorted(self.entries, key=len, reverse=True)  # "Gull Point" before "Gull"
        alternatives = "|".join(_key_pattern(k) for k in keys)
        return re.compile(rf"(?<![\w'’-])(?P<key>{alternatives})(?![\w-]){_POSSESSIVE}(?!\w)")

    def _lookup(self, found: str) -> Pronunciation:
        """The entry a match came from: spaces as in the key, first letter maybe lowered."""
        key = " ".join(found.split())
        return self.entries.get(key) or self.entries[key[0].lower() + key[1:]]

    def apply(self, text: str, *, phonemes: bool) -> str:
        """``text`` with every entry replaced: IPA marked for engines that read it.

        Stray phoneme marks in ``text`` are removed first, so a story cannot forge IPA.
        """
        text = text.replace(PHONEMES_OPEN, " ").replace(PHONEMES_CLOSE, " ")
        if self._pattern is None:
            return text

        def replace(match: re.Match[str]) -> str:
            entry = self._lookup(match["key"])
            return entry.text_for(match["key"], phonemes=phonemes, possessive=match["pos"] or "")

        return self._pattern.sub(replace, text)

    def covers(self, word: str) -> bool:
        """True when ``word`` (as found in a text) has an entry."""
        return self._pattern is not None and self._pattern.fullmatch(word) is not None


def _key_pattern(key: str) -> str:
    """A key matches as written; a lower-case key also matches its capitalised form."""
    escaped = r"\s+".join(re.escape(part) for part in key.split())
    if key[:1].isalpha() and key[:1].islower():
        return f"[{key[0]}{key[0].upper()}]{escaped[1:]}"
    return escaped


def parse_entries(raw: Any, where: str) -> tuple[dict[str, Pronunciation], list[str]]:
    """Validate a ``word: pronunciation`` mapping; returns the entries and the problems.

    Each problem is ``"<where>.<word>: message"``, ready for a one-line error.
    """
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"{where}: expected a mapping of words to pronunciations"]
    entries: dict[str, Pronunciation] = {}
    problems: list[str] = []
    for key, value in raw.items():
        word = " ".join(str(key).split())
        path = f"{where}.{word}"
        if not word or not any(ch.isalpha() for ch in word):
            problems.append(f"{path}: a lexicon key must be a word")
            continue
        entry = _parse_entry(value)
        if entry is None:
            problems.append(f"{path}: expected a respelling, /IPA/, or a mapping with say/ipa")
        else:
            entries[word] = entry
    return entries, problems


def _parse_entry(value: Any) -> Pronunciation | None:
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if len(text) > 2 and text.startswith("/") and text.endswith("/"):
            return Pronunciation(ipa=text[1:-1].strip())
        return Pronunciation(say=text)
    if isinstance(value, dict) and value and set(value) <= {"say", "ipa"}:
        say, ipa = value.get("say"), value.get("ipa")
        if all(v is None or (isinstance(v, str) and v.strip()) for v in (say, ipa)):
            ipa = ipa.strip().strip("/").strip() if ipa else None
            return Pronunciation(say=say.strip() if say else None, ipa=ipa or None)
    return None


def global_path() -> Path:
    """``lexicon.yaml`` in the user configuration folder (``~/.config/audiobook`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("audiobook")) / GLOBAL_NAME


def load_lexicon(path: Path) -> Lexicon:
    """Read a lexicon file; a missing file is an empty lexicon, a bad one a ConfigError."""
    if not path.exists():
        return Lexicon()
    text = read_user_text(path, MAX_BYTES, "a lexicon")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    entries, problems = parse_entries(data, "lexicon")
    if problems:
        raise ConfigError(f"{path}: {'; '.join(problems[:5])}")
    return Lexicon(entries)


def book_lexicon(book_entries: Mapping[str, Pronunciation], user: Path | None = None) -> Lexicon:
    """The global lexicon (``user`` or :func:`global_path`) overlaid with the book's entries."""
    return load_lexicon(user or global_path()).merged(book_entries)


def proper_nouns(text: str, names: Iterable[str] = ()) -> Counter[str]:
    """Words of ``text`` that look like names, with how often each occurs.

    A name is a capitalised word that the text never writes in lower case and that
    appears at least once in mid-sentence; every word of ``names`` (the cast) counts
    too, except titles ("Captain").
    """
    from audiobook.script.lexicon import FUNCTION_WORDS, HONORIFICS

    capitalised: Counter[str] = Counter()
    lower: set[str] = set()
    mid_sentence: set[str] = set()
    for match in _WORD.finditer(text):
        word = re.sub(r"['’]s$", "", match.group())
        if word[0].islower():
            lower.add(word.lower())
            continue
        capitalised[word] += 1
        if not _SENTENCE_START.search(text[max(0, match.start() - 4) : match.start()]):
            mid_sentence.add(word)
    cast_words = {w for name in names for w in _WORD.findall(name) if w.lower() not in HONORIFICS}
    return Counter(
        {
            word: count
            for word, count in capitalised.items()
            if word in cast_words
            or (
                word in mid_sentence
                and word.lower() not in lower
                and word.lower() not in FUNCTION_WORDS
                and len(word) > 1
                and not word.isupper()
            )
        }
    )


def uncovered(
    text: str, lexicon: Lexicon, names: Iterable[str] = (), min_count: int = 2
) -> list[tuple[str, int]]:
    """Names in ``text`` said at least ``min_count`` times that ``lexicon`` does not cover.

    Most frequent first (then alphabetical): the ones a listener hears most.
    """
    found = proper_nouns(text, names)
    rows = [(w, n) for w, n in found.items() if n >= min_count and not lexicon.covers(w)]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def lexicon_table(rows: list[tuple[str, int]], say: Callable[[str], str] | None = None) -> str:
    """Plain-text table of uncovered names: name, count, and how it is said now (IPA)."""
    if not rows:
        return "every frequent name is in the lexicon\n"
    header = ("NAME", "COUNT", "SAID AS (IPA)" if say else "")
    table = [header, *((w, str(n), f"/{say(w)}/" if say else "") for w, n in rows)]
    widths = [max(len(r[i]) for r in table) for i in range(2)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]}".rstrip() for r in table]
    return "\n".join(lines) + "\n"


def default_say() -> Callable[[str], str] | None:
    """Piper's phonemizer (how the default voices read a word), or None if unavailable."""
    from audiobook.engines.registry import create_engine
    from audiobook.errors import AudiobookError

    try:
        engine = create_engine("piper")
    except AudiobookError:
        return None
    ipa = getattr(engine, "ipa", None)
    return ipa if callable(ipa) else None
