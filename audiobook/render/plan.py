"""Planning a render: every chapter as items (segment, voice, cache key) plus a recipe digest.

The recipe of a chapter is a SHA-256 over everything that decides its files' bytes:
the items' cache keys and what the tags, lyrics, markers and transcripts take from
their segments, the chapter's tags, the cover, the mastering profile and this code's
version. Equal recipes make equal files, which is what lets a re-run keep a chapter
that did not change (:mod:`audiobook.render.state`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from audiobook import __version__
from audiobook.audio.profiles import Profile
from audiobook.cast.assign import Casting
from audiobook.engines.base import Engine, Voice
from audiobook.publish.credits import with_credits
from audiobook.publish.release import Release, is_credit
from audiobook.publish.tags import ChapterTags, Picture
from audiobook.script.analyse import Script
from audiobook.script.model import Segment
from audiobook.synth.cache import segment_key, spoken_text
from audiobook.synth.jobs import Job, engine_path
from audiobook.text.model import Chapter

RENDER_VERSION = 1  # bump when stitching, mastering or tagging changes what a recipe makes


@dataclass(frozen=True)
class Item:
    """One segment of a chapter with the voice that reads it and its cache key."""

    segment: Segment
    voice: Voice
    key: str  # segment cache key
    text: str  # the words as the engine gets them
    engine: str  # the engine class as "module:Class"

    def job(self, cache: str) -> Job:
        """The job that puts this item's audio into the cache at ``cache``."""
        return Job(self.key, self.text, self.voice, self.engine, cache)


@dataclass(frozen=True)
class ChapterPlan:
    """One chapter, ready to render."""

    chapter: Chapter
    items: tuple[Item, ...]  # in reading order (credits included)
    tags: ChapterTags  # the chapter's tags before part titles, cover, lyrics and markers
    recipe: str  # digest of everything that decides the chapter's files


def plan_chapters(
    script: Script,
    casting: Casting,
    engines: Mapping[str, Engine],
    release: Release,
    profile: Profile,
    cover: Picture,
    narrator: str,
) -> list[ChapterPlan]:
    """Items, tags and recipe of every chapter of ``script`` (credits added when asked)."""
    chapters = script.book.chapters
    plans = []
    for chapter in chapters:
        segments = script.chapter_segments(chapter.index)
        if release.credits:
            first, last = chapter is chapters[0], chapter is chapters[-1]
            meta = script.book.meta
            segments = with_credits(segments, chapter, meta, narrator, first=first, last=last)
        items = tuple(_item(seg, casting, engines) for seg in segments)
        tags = chapter_tags(script, casting, chapter, chapter.title, len(chapters), narrator)
        plans.append(ChapterPlan(chapter, items, tags, _recipe(items, tags, profile, cover)))
    return plans


def _item(seg: Segment, casting: Casting, engines: Mapping[str, Engine]) -> Item:
    voice = casting.voice_for(seg.speaker)
    engine = engines[voice.engine]
    text = spoken_text(casting.spoken(seg.text, engine))
    key = segment_key(text, voice, engine.version, engine.options)
    return Item(seg, voice, key, text, engine_path(engine))


def chapter_tags(
    script: Script, casting: Casting, chapter: Chapter, title: str, total: int, narrator: str
) -> ChapterTags:
    """The ID3 text of a chapter file called ``title``."""
    meta = script.book.meta
    author = meta.author or "Unknown"
    return ChapterTags(
        title=title,
        album=meta.title,
        artist=author,
        album_artist=author,
        track=chapter.index,
        total=total,
        year=meta.year,
        language=meta.language,
        comment=f"Narrated by {casting.narrator.id}; produced with audiobook",
        cast=tuple((name, voice.id) for name, voice in sorted(casting.characters.items())),
        narrator=narrator,
    )


def _recipe(items: Sequence[Item], tags: ChapterTags, profile: Profile, cover: Picture) -> str:
    """Digest of what decides a chapter's files (see the module notes)."""
    body = {
        "version": [RENDER_VERSION, __version__],
        "profile": repr(profile),
        "tags": repr(tags),
        "cover": hashlib.sha256(cover.data).hexdigest(),
        "items": [
            [
                item.key,
                item.voice.id,
                seg.text,
                seg.speaker,
                seg.kind.value,
                seg.paragraph,
                seg.pause_after.value,
                seg.heading,
                is_credit(seg),
                seg.style.value if seg.style else None,
            ]
            for item in items
            for seg in (item.segment,)
        ],
    }
    blob = json.dumps(body, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
