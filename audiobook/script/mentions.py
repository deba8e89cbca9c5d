"""Find where the text names a character of a :class:`Cast`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from audiobook.script.cast import Cast, Mention, normalise
from audiobook.script.lexicon import HONORIFICS
from audiobook.script.phrases import Subject, SubjectKind

# A run of capitalised words ("Mrs. Rachel Lynde", "Captain Rosenberg sir" stops at "sir"),
# with name particles inside ("Mrs. van der Luyden") and across a line break, since
# hard-wrapped text breaks names anywhere.
_GAP = r"[ \t]+"
_PARTICLE = rf"(?:(?:van|von|der|den|de|la|le|du|di|da|del){_GAP})"
_NAME_RUN = re.compile(rf"(?<![\w'’])[A-Z][\w'’.-]*(?:{_GAP}{_PARTICLE}*[A-Z][\w'’.-]*)*")


def find_mentions(text: str, start: int, end: int, cast: Cast) -> Iterator[Mention]:
    """Mentions of ``cast`` members in ``text[start:end]``, in order.

    A run of capitalised words is matched by its longest sub-run that names exactly
    one character ("Captain Rosenberg sir" -> "Captain Rosenberg"). Possessives count.
    Descriptive aliases ("The Stranger") are found in any case ("the stranger").
    """
    found = [
        m
        for run in _NAME_RUN.finditer(text, start, end)
        for m in _resolve_run(run.group(0), run.start(), cast)
    ]
    pattern = cast.description_pattern
    if pattern is not None:
        taken = {m.start for m in found}
        for match in pattern.finditer(text, start, end):
            name = cast.resolve(match.group(0))
            if name is not None and match.start() not in taken:
                found.append(Mention(match.start(), match.end(), name))
        found.sort(key=lambda m: m.start)
    yield from found


def _resolve_run(run: str, offset: int, cast: Cast) -> Iterator[Mention]:
    words = [(m.group(0), m.start()) for m in re.finditer(r"\S+", run)]
    i = 0
    while i < len(words):
        found = None
        for j in range(len(words), i, -1):
            form = " ".join(_bare(w) for w, _ in words[i:j])
            name = cast.resolve(form)
            if name is not None:
                found = (j, name)
                break
        if found is None:
            i += 1
            continue
        j, name = found
        begin = offset + words[i][1]
        last_word, last_start = words[j - 1]
        yield Mention(begin, offset + last_start + len(_bare(last_word)), name)
        i = j


def _bare(word: str) -> str:
    """Drop a possessive ending and sentence dots: "Willow's" and "Willow..." -> "Willow".

    A title's own dot stays: "Mr." is a word of the name.
    """
    if word.endswith(".") and normalise(word) not in HONORIFICS:
        word = word.rstrip(".")
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word


_AFTER_VOCATIVE = re.compile(r"(?:\s+(?:sir|ma'am|madam))?\s*(?:[,!?;]|\.(?!\w)|…|—|-|[\"”’']|$)")
# Words that make the following name an object, not someone spoken to: "to Tom", "saw Tom".
_GOVERNING = frozenset(
    {"to", "at", "in", "on", "of", "for", "from", "with", "by", "about", "than", "like"}
    | {"and", "or", "the", "a", "an", "see", "saw", "tell", "told", "ask", "asked"}
    | {"call", "called", "meet", "met", "find", "found"}
)


def is_vocative(text: str, start: int, end: int, quote_start: int) -> bool:
    """Whether the name at ``text[start:end]`` inside a quote addresses someone.

    "Will, you know", "what are we dealing with, Commander?", "dismissed, Rosenberg." -
    but not "Tom Harlow's boat" or "I told Tom".
    """
    if text[end : end + 2] in {"'s", "’s"}:
        return False
    if not _AFTER_VOCATIVE.match(text, end):
        return False
    before = text[max(quote_start, start - 20) : start].split()
    if not before:
        return True  # opens the quote
    previous = before[-1].lower().strip("\"“‘'")
    if previous.endswith((",", "!", "?", "…", ".")) or not previous:
        return True
    return previous not in _GOVERNING and not previous.endswith("ed")


def name_candidates(subject: Subject, cast: Cast) -> tuple[str, ...]:
    """Characters a tag or beat subject may name: the longest phrase the cast knows."""
    extended = subject.extended.split()
    for k in range(len(extended), len(subject.text.split()) - 1, -1):
        found = cast.candidates(" ".join(extended[:k]))
        if found:
            return found
    if subject.kind is SubjectKind.UNNAMED:
        # "another captain" is not Captain Rosenberg; but "a Voice", capitalised
        # mid-sentence, is the character the book calls the Voice.
        noun = subject.text.split()[-1]
        if len(subject.text.split()) > 1 and noun[:1].isupper():
            return cast.candidates(f"the {noun}") or cast.candidates(noun)
        return ()
    words = subject.text.split()
    if words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    if subject.kind is SubjectKind.NAME and len(words) > 1 and not cast.candidates(subject.text):
        found = _first_and_last(words, cast)
        if found:
            return found
    for k in range(len(words)):
        found = cast.candidates(" ".join(words[k:]))
        if found:
            return found
    return ()


def _first_and_last(words: list[str], cast: Cast) -> tuple[str, ...]:
    """ "Jim Vane" for James Vane, known as "Jim": the first name decides among the Vanes."""
    firsts = [n for n in cast.candidates(words[0]) if n.split()[-1] == words[-1]]
    return tuple(firsts)
