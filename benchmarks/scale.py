"""Book-scale figures for docs/benchmarks.md: overhead, re-runs, memory, cores.

Usage: ``python -m benchmarks.scale STORY [--parts overhead,rerun,rss,cores] [--sizes 1,10,50]``

- overhead: wall time of ``audiobook make STORY`` (default cast, empty cache) against
  the time the engines alone need for the same distinct segments on the same worker
  pool (a process that reads the story, starts the workers, loads the models and
  synthesizes every segment; no stitching, mastering, encoding or tagging). Both are
  timed from outside, Python's start included.
- rerun: the same command again (warm; the median of several runs), then again after
  changing one line (the number of segments synthesized comes from ``--progress json``).
- rss: peak resident memory of the main process for STORY repeated 1x, 10x and 50x
  as chapters (``--engine espeak``, which synthesizes ~1000x real time, so the run
  is about stitching, mastering and encoding; each size in its own process,
  ``ru_maxrss``). Workers are not measured: they hold the engines and one segment.
- cores: the engines alone on 1 and on 2 worker processes (default cast).

Every ``make`` runs in a subprocess against this working tree, with its own cache.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
_REPEATS = 7  # cold make / engines-alone pairs for the overhead (the machine is noisy)

# Runs ``audiobook`` and writes this process's and its children's peak RSS (KiB) to $RSS_OUT.
_RSS_WRAPPER = """
import os, resource, sys
from audiobook.cli import main
sys.argv[0] = "audiobook"
try:
    main()
finally:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(os.environ["RSS_OUT"], "w") as out:
        out.write(f"{own} {kids}")
"""


def make(story: Path, out: Path, cache: Path, *extra: str) -> tuple[float, dict[str, object]]:
    """Run ``audiobook make``; (wall seconds, its ``book_done`` event)."""
    cmd = [sys.executable, "-m", "audiobook", "make", str(story), "--out", str(out),
           "--cache", str(cache), "--progress", "json", *extra]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=_ENV, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"make failed ({done.returncode}): {done.stderr.strip()}")
    event = next(json.loads(x) for x in done.stdout.splitlines() if '"book_done"' in x)
    return wall, event


def engines_alone(story: Path, workers: int, engine: str | None = None) -> tuple[float, int]:
    """Wall seconds for the engines alone to synthesize ``story``'s distinct segments."""
    code = f"""
import sys, time
from pathlib import Path
from audiobook.cast.config import CastConfig
from audiobook.pipeline import plan_cast, read_script
from audiobook.progress import Silent
from audiobook.publish.release import Release, book_cover
from audiobook.audio.profiles import get_profile
from audiobook.publish.credits import narrator_credit
from audiobook.render.plan import plan_chapters
from audiobook.synth.cache import SegmentCache
from audiobook.synth.executor import LocalExecutor
start = time.perf_counter()
script = read_script(Path({str(story)!r}), CastConfig(), Silent())
casting, engines = plan_cast(script, CastConfig(), {engine!r})
release = Release()
plans = plan_chapters(script, casting, engines, release, get_profile(release.profile),
                      book_cover(script.book.meta, None), narrator_credit(casting.narrator))
seen, jobs = set(), []
for p in plans:  # as the renderer orders them: chapter by chapter, longest first
    chapter = [i.job(sys.argv[1]) for i in p.items if not (i.key in seen or seen.add(i.key))]
    jobs += sorted(chapter, key=lambda j: -len(j.text))
local = {{}}
with LocalExecutor({workers}, inline_chars=0) as pool:
    if {workers} == 1:
        from audiobook.synth.jobs import engine_path
        local = {{engine_path(e): e for e in engines.values()}}
    batch = pool.submit(jobs, local, lambda outcome: None)
    while batch.remaining:
        batch.done(0.5)
print(time.perf_counter() - start, len(jobs))
"""
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code, cache], capture_output=True,
                              text=True, env=_ENV, check=True)  # fmt: skip
        wall = time.perf_counter() - start  # like make's: Python's start and imports count
    _, count = done.stdout.split()
    return wall, int(count)


def overhead_and_reruns(story: Path, work: Path, parts: set[str]) -> None:
    copy = work / story.name
    copy.write_text(story.read_text(encoding="utf-8"), encoding="utf-8")
    if "overhead" in parts:
        # Alternate cold makes and engine-only runs: the machine is shared, and a pair
        # measured back to back sees the same background load. Which one goes first
        # alternates too, so neither always meets a machine the other has just warmed.
        ratios = []
        for n in range(1, _REPEATS + 1):
            if n % 2:
                cold, event = make(copy, work / f"out{n}", work / f"cache{n}")
                alone, count = engines_alone(copy, workers=_cores())
            else:
                alone, count = engines_alone(copy, workers=_cores())
                cold, event = make(copy, work / f"out{n}", work / f"cache{n}")
            ratios.append(cold / alone)
            print(f"run {n}: cold make {cold:.1f} s ({event['synthesized']} segments), "
                  f"engines alone {alone:.1f} s ({count} segments, {_cores()} workers): "
                  f"overhead {100 * (cold / alone - 1):.1f}%")  # fmt: skip
        print(f"overhead, median of {_REPEATS}: {100 * (statistics.median(ratios) - 1):.1f}%")
    cold, event = make(copy, work / "out", work / "cache")
    print(f"cold make: {cold:.1f} s, {event['synthesized']} segments synthesized")
    if "rerun" in parts:
        # A sub-second run is at the mercy of the machine's other jobs: take the median.
        warms = [make(copy, work / "out", work / "cache") for _ in range(_REPEATS)]
        warm, event = statistics.median(w for w, _ in warms), warms[-1][1]
        print(
            f"warm re-run, median of {_REPEATS}: {warm:.2f} s ({100 * warm / cold:.1f}% of cold; "
            f"runs {', '.join(f'{w:.2f}' for w, _ in warms)} s), "
            f"{event['synthesized']} synthesized, {event['chapters_kept']} chapter(s) kept"
        )
        text = copy.read_text(encoding="utf-8")
        line = next(x for x in text.splitlines()[8:] if len(x) > 80 and '"' not in x)
        copy.write_text(text.replace(line, line.replace(" ", "  very ", 1), 1), encoding="utf-8")
        edited, event = make(copy, work / "out", work / "cache")
        print(f"one line changed: {edited:.1f} s ({100 * edited / cold:.1f}% of cold), "
              f"{event['synthesized']} synthesized")  # fmt: skip


def repeated(story: Path, times: int, target: Path) -> Path:
    """``story`` repeated ``times`` times, each copy a chapter of its own."""
    paragraphs = story.read_text(encoding="utf-8").strip().split("\n\n")
    head = 2 if "Author:" in paragraphs[1] else 1  # title, then maybe a header block
    body = "\n\n".join(paragraphs[head:])
    chapters = [f"Chapter {n}\n\n{body}" for n in range(1, times + 1)]
    text = "\n\n".join(paragraphs[:head] + chapters)
    target.write_text(text + "\n", encoding="utf-8")
    return target


def rss(story: Path, work: Path, sizes: list[int]) -> None:
    for times in sizes:
        source = repeated(story, times, work / f"x{times}.txt")
        cmd = [sys.executable, "-c", _RSS_WRAPPER, "make", str(source), "--engine", "espeak",
               "--out", str(work / f"rss{times}"), "--cache", str(work / f"rss-cache{times}"),
               "--quiet"]  # fmt: skip
        report = work / f"rss{times}.txt"
        start = time.perf_counter()
        subprocess.run(cmd, env={**_ENV, "RSS_OUT": str(report)}, check=True)
        wall = time.perf_counter() - start
        own = int(report.read_text(encoding="utf-8").split()[0])
        minutes = sum(_mp3_minutes(p) for p in (work / f"rss{times}").rglob("*.mp3"))
        print(f"{times}x: {minutes:.0f} min of audio in {wall:.0f} s; "
              f"peak RSS of the main process {own / 1024:.0f} MB")  # fmt: skip


def _mp3_minutes(path: Path) -> float:
    from mutagen.mp3 import MP3

    return float(MP3(path).info.length) / 60


def cores(story: Path) -> None:
    one, count = engines_alone(story, workers=1)
    two, _ = engines_alone(story, workers=2)
    print(f"engines alone, {count} segments: 1 worker {one:.1f} s, 2 workers {two:.1f} s: "
          f"{one / two:.2f}x")  # fmt: skip


def _cores() -> int:
    from audiobook.synth.executor import available_cores

    return available_cores()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("story", type=Path)
    parser.add_argument("--parts", default="overhead,rerun,rss,cores")
    parser.add_argument("--sizes", default="1,10,50")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="scale-") as folder:
        work = Path(folder)
        if parts & {"overhead", "rerun"}:
            overhead_and_reruns(args.story, work, parts)
        if "cores" in parts:
            cores(args.story)
        if "rss" in parts:
            rss(args.story, work, [int(x) for x in args.sizes.split(",")])


if __name__ == "__main__":
    main()
