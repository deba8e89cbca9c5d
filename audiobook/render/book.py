"""Rendering a whole book: synthesis on an executor, chapters written as their audio arrives.

1. Plan every chapter (:mod:`.plan`); keep chapters whose files are up to date (:mod:`.state`).
2. Look every other segment up in the cache; the misses, one job per distinct
   (text, voice), go to the executor in book order.
3. Write chapter after chapter as soon as its segments are in: while the main process
   masters and encodes chapter 1, the workers synthesize chapter 2. Memory holds one
   file's audio at a time, whatever the book's length.

Failures follow the engine contract: a segment that fails (after retries) is left
out and reported with its chapter and text; an engine that cannot go on stops the run
at once, as does Ctrl-C. Whatever stops the run, the cache keeps every finished
segment and the state file every finished chapter, so the same command resumes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from threadpoolctl import threadpool_limits

from audiobook.audio.profiles import get_profile
from audiobook.cast.assign import Casting
from audiobook.engines.base import Audio, Engine
from audiobook.errors import EngineError
from audiobook.progress import Progress
from audiobook.publish.check import check_set
from audiobook.publish.credits import narrator_credit
from audiobook.publish.release import Release, book_cover, finish_book
from audiobook.publish.script_json import write_script_json
from audiobook.render.model import Failure, Result
from audiobook.render.plan import ChapterPlan, Item, plan_chapters
from audiobook.render.state import BookState, FileState
from audiobook.render.write import Made, Output, kept_chapter, write_chapter
from audiobook.script.analyse import Script
from audiobook.synth.cache import SegmentCache
from audiobook.synth.executor import Batch, Executor
from audiobook.synth.jobs import Job, Outcome, engine_path, process_engine, synthesize_job

_LOGGER = logging.getLogger(__name__)

POLL_SECONDS = 0.2  # how long one wait for outcomes lasts (Ctrl-C is seen in between)


@dataclass
class _Run:
    """The synthesis side of one render: what is known about each cache key."""

    cache: SegmentCache
    local: Mapping[str, Engine]  # this process's engines by class path
    progress: Progress
    seconds: dict[str, float] = field(default_factory=dict)  # key -> cached length
    failed: dict[str, str] = field(default_factory=dict)  # key -> why it failed
    texts: dict[str, int] = field(default_factory=dict)  # key -> characters, for progress

    def plan_jobs(self, plans: Iterable[ChapterPlan]) -> list[Job]:
        """Jobs for the items not in the cache (checked entries), one per key.

        Chapter by chapter, so chapters can be written while later ones are synthesized;
        within a chapter longest first, so no worker is left with a long line to say
        while the others wait for it.
        """
        jobs = []
        root = str(self.cache.root.resolve())
        for plan in plans:
            chapter = []
            for item in plan.items:
                if item.key in self.seconds or item.key in self.texts:
                    continue
                entry = self.cache.verify(item.key)
                if entry is not None:
                    self.seconds[item.key] = entry.seconds
                else:
                    self.texts[item.key] = len(item.text)
                    chapter.append(item.job(root))
            jobs += sorted(chapter, key=lambda job: -len(job.text))
        return jobs

    def wait_for(self, plan: ChapterPlan, batch: Batch | None) -> None:
        """Collect outcomes until every item of ``plan`` is synthesized or failed."""
        missing = {i.key for i in plan.items} - self.seconds.keys() - self.failed.keys()
        while missing and batch is not None and batch.remaining:
            for outcome in batch.done(POLL_SECONDS):
                if outcome.fatal:
                    raise EngineError(outcome.error or "synthesis cannot go on")
                if outcome.error is not None:
                    self.failed[outcome.key] = outcome.error
                else:
                    self.seconds[outcome.key] = outcome.seconds
                missing.discard(outcome.key)
        if missing:  # the executor lost jobs: never write a chapter with holes unannounced
            raise EngineError(f"{len(missing)} segment(s) of chapter {plan.chapter.index} "
                              "never came back from synthesis")  # fmt: skip

    def report(self, outcome: Outcome) -> None:
        """Progress for one finished job (called as it finishes, maybe from another thread)."""
        self.progress.advance("synthesize", self.texts.get(outcome.key, 0))

    def load(self, item: Item) -> Audio:
        """An item's audio; a corrupt entry found now is synthesized again, here."""
        audio = self.cache.load(item.key)
        if audio is None:
            job = item.job(str(self.cache.root.resolve()))
            engine = self.local.get(job.engine) or process_engine(job.engine)
            outcome = synthesize_job(job, engine, self.cache)
            audio = self.cache.load(item.key) if outcome.error is None else None
            if audio is None:
                raise EngineError(
                    f"cannot synthesize again a lost cache entry in chapter "
                    f"{item.segment.chapter} ({outcome.error or 'unreadable'})"
                )
        return audio


def render_book(
    script: Script,
    casting: Casting,
    engines: Mapping[str, Engine],
    folder: Path,
    progress: Progress,
    release: Release,
    *,
    cache: SegmentCache,
    executor: Executor,
) -> Result:
    """Synthesize (through ``executor`` into ``cache``), stitch, master and write ``script``.

    Chapters whose files in ``folder`` are up to date are kept. Raises
    :class:`EngineError` when synthesis cannot go on; failed segments are on the result.
    """
    profile = get_profile(release.profile)
    meta = script.book.meta
    cover = book_cover(meta, release.cover)
    narrator = narrator_credit(casting.narrator)
    plans = plan_chapters(script, casting, engines, release, profile, cover, narrator)
    out = Output(folder, profile, cover, release, len(plans))
    _remove_temporaries(folder)
    state = BookState(folder)
    kept = {p.chapter.index: f for p in plans if (f := _reusable(state, p)) is not None}
    run = _Run(cache, {engine_path(e): e for e in engines.values()}, progress)
    jobs = run.plan_jobs(p for p in plans if p.chapter.index not in kept)
    if cache.discarded:
        progress.warn(f"{len(cache.discarded)} corrupt cache entries found; synthesizing again")
    progress.start("synthesize", sum(len(j.text) for j in jobs))
    progress.start("write", len(plans) - len(kept))
    batch = executor.submit(jobs, run.local, run.report) if jobs else None
    made: list[Made] = []
    failures: list[Failure] = []
    # The workers fill the cores; BLAS threads here (mastering's dot products) would
    # only take cores from them (measured: this process's CPU while writing fell by a fifth).
    limits = threadpool_limits(1)
    try:
        for plan in plans:
            if plan.chapter.index in kept:
                made += kept_chapter(plan, kept[plan.chapter.index], out)
                continue
            run.wait_for(plan, batch)
            made += _write(plan, run, out, state, failures)
            progress.advance("write")
    except BaseException:
        if batch is not None:
            batch.cancel()
        raise
    finally:
        limits.restore_original_limits()
    progress.finish("synthesize")
    progress.finish("write")
    return _finish(script, casting, plans, made, failures, state, out, narrator, len(jobs),
                   len(kept))  # fmt: skip


def _write(
    plan: ChapterPlan, run: _Run, out: Output, state: BookState, failures: list[Failure]
) -> list[Made]:
    """Write one chapter; remember it in the state only when nothing in it failed."""
    lost = [i for i in plan.items if i.key in run.failed]
    failures += [Failure(i.segment.chapter, i.segment.text, run.failed[i.key]) for i in lost]
    items = [(i, run.seconds[i.key]) for i in plan.items if i.key not in run.failed]
    state.forget(plan.chapter.index)  # until its files are all written
    made = write_chapter(plan, items, run.load, out)
    if not lost:
        state.record(plan.chapter.index, plan.recipe, [m.state for m in made])
    return made


def _reusable(state: BookState, plan: ChapterPlan) -> list[FileState] | None:
    files = state.reusable(plan.chapter.index, plan.recipe)
    if files is None or sum(len(f.timings) for f in files) != len(plan.items):
        return None
    return files


def _finish(
    script: Script,
    casting: Casting,
    plans: list[ChapterPlan],
    made: list[Made],
    failures: list[Failure],
    state: BookState,
    out: Output,
    narrator: str,
    synthesized: int,
    kept: int,
) -> Result:
    """Book-level files: script.json, cover, playlist, M4B; stale files removed."""
    files = [m.file for m in made]
    timed = [t for m in made for t in m.timed]
    state.remove_stale([p.chapter.index for p in plans], [f.path.name for f in files])
    write_script_json(out.folder / "script.json", script, casting, timed)
    meta = script.book.meta
    extras = finish_book(out.folder, meta, files, out.cover, out.release, narrator)
    book = check_set([f.report for f in files if f.report is not None], out.profile)
    return Result(out.folder, tuple(files), casting, tuple(timed), tuple(failures), book,
                  tuple(extras), synthesized, kept)  # fmt: skip


def _remove_temporaries(folder: Path) -> None:
    """Delete temporary files a killed run left (``.NAME.xxxxxxxx.part``)."""
    for path in folder.glob(".*.part"):
        try:
            path.unlink()
        except OSError as exc:
            _LOGGER.debug("cannot remove %s: %s", path, exc)
