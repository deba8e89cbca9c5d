"""Loudness per chapter file before and after mastering, for docs/benchmarks.md.

Usage: ``python -m benchmarks.mastering [--profile audiobook|podcast] [--engine NAME] STORY...``

Makes each story with ``audiobook make`` (into a temporary folder) and prints, per file,
the stitched speech as it reaches mastering ("before": voices levelled against each
other, pauses silent) and the MP3 as written and decoded again ("after"), plus the
spread of per-voice loudness inside the file. "before" is taken by wrapping the
pipeline's mastering call; nothing else changes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

import audiobook.pipeline as pipeline
import audiobook.render.write as write
from audiobook.audio.loudness import integrated_lufs
from audiobook.audio.measure import Measurement, measure
from audiobook.progress import Silent
from audiobook.publish.release import Release


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stories", nargs="+", type=Path)
    parser.add_argument("--profile", default="audiobook")
    parser.add_argument("--engine", default=None)
    args = parser.parse_args(argv)
    before: list[Measurement] = []
    original = write.encode_checked

    def recording(samples: Any, rate: int, *rest: Any, **kw: Any) -> Measurement:
        before.append(measure(samples, rate))
        return original(samples, rate, *rest, **kw)

    write.encode_checked = recording  # type: ignore[assignment]
    print("| file | min | RMS before | LUFS before | peak before | RMS after | LUFS after | "
          "peak after | TP after | floor after | voice spread (LU) | result |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for story in args.stories:
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            result = pipeline.make(
                story, Path(out), engine=args.engine, progress=Silent(),
                release=Release(profile=args.profile),
            )  # fmt: skip
            took = time.perf_counter() - start
            for chapter, pre in zip(result.chapters, before[-len(result.chapters) :], strict=True):
                report = chapter.report
                assert report is not None
                m = report.levels
                cells = [
                    f"{story.name}: {chapter.path.name}", f"{m.seconds / 60:.1f}",
                    _fmt(pre.rms_db), _fmt(pre.lufs), _fmt(pre.peak_db),
                    _fmt(m.rms_db), _fmt(m.lufs), _fmt(m.peak_db),
                    _fmt(m.true_peak_db), _fmt(m.noise_floor_db),
                    f"{_voice_spread(result, chapter.path):.1f}",
                    "pass" if report.passed else "FAIL",
                ]  # fmt: skip
                print("| " + " | ".join(cells) + " |")
            minutes = sum(c.seconds for c in result.chapters) / 60
            print(f"\n{story.name}: {minutes:.1f} min of audio in {took:.1f} s\n", file=sys.stderr)
    return 0


def _voice_spread(result: pipeline.Result, path: Path) -> float:
    """Max - min integrated loudness of each voice's lines in the decoded file (LU)."""
    from audiobook.audio.encode import decode_audio

    samples = decode_audio(path)
    by_voice: dict[str, list[Any]] = {}
    for t in result.timed:
        if t.file == path.name and t.t_end - t.t_start > 0.5:
            piece = samples[int(t.t_start * 44100) : int(t.t_end * 44100)]
            by_voice.setdefault(t.voice.id, []).append(piece)
    levels = [integrated_lufs(np.concatenate(p), 44100) for p in by_voice.values()]
    found = [x for x in levels if x is not None and np.isfinite(x)]
    return max(found) - min(found) if len(found) > 1 else 0.0


if __name__ == "__main__":
    sys.exit(main())
