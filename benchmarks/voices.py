"""Voice-quality benchmark: make a book with the default cast, then measure its voices.

    python -m benchmarks.voices [STORY] [--engine NAME] [--keep DIR] [--voicecheck PATH]
    python -m benchmarks.voices [STORY] --pool [--lines 30] [--keep DIR]

Runs ``audiobook make STORY`` from an empty folder (so no ``voices.yaml`` applies) and
times it, then runs the shared ``voicecheck`` tool on the output: the word error rate of
the first 10 minutes (Whisper tiny.en), and per speaker the median pitch, the
speaker-embedding cosine against every other speaker and between the two halves of its
own audio. It prints the figures against the targets of issue 4.

``--pool`` measures the default cast's voices themselves instead: every one of them
(narrator, unknown, pool) reads the same first ``--lines`` dialogue lines of STORY,
two lines at a time as ``make`` does; per voice it prints the speed, word error rate,
median pitch, self cosine and the closest other voice. Nothing here is a test: the
figures go into docs/benchmarks.md with the command that made them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mutagen.mp3 import MP3

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT.parent / "shared" / "samples" / "captain-red.txt"
VOICECHECK = ROOT.parent / "shared" / "tools" / "voicecheck" / "voicecheck"

# Targets (issue 4).
MAX_WER = 0.11
MAX_CROSS = 0.85
MIN_SELF = 0.90
MIN_FEMALE_HZ = 165.0
MAX_MALE_HZ = 150.0
MIN_SPEED = 8.0


def make(story: Path, out: Path, engine: str | None) -> tuple[float, float]:
    """Run ``audiobook make`` in an empty folder with an empty cache; (wall s, CPU s)."""
    command = [sys.executable, "-m", "audiobook", "make", str(story), "--out", str(out), "-q"]
    if engine:
        command += ["--engine", engine]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as empty:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cache = ["--cache", str(Path(empty) / "cache")]  # the speed of a first run, not a re-run
        subprocess.run(command + cache, cwd=empty, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def voicecheck(tool: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run([str(tool), *args], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def genders(script: dict[str, Any]) -> dict[str, str]:
    found = {c["name"]: c["gender"] for c in script["cast"]}
    return {"narrator": "narrator", "unattributed": "unknown", **found}


def report(book: Path, wall: float, cpu: float, tool: Path) -> list[str]:
    """The figures, one line each, with a PASS/FAIL mark against each target."""
    script_json = book / "script.json"
    script = json.loads(script_json.read_text(encoding="utf-8"))
    audio = sum(MP3(p).info.length for p in book.glob("*.mp3"))
    wer = voicecheck(tool, "wer", str(script_json), str(book), "--max-seconds", "600")
    voices = voicecheck(tool, "voices", str(script_json), str(book))
    lines = [
        f"audio {audio / 60:.1f} min; make {wall:.1f} s wall ({cpu:.1f} s CPU): "
        f"{audio / wall:.1f}x real time [{_mark(audio / wall >= MIN_SPEED)} >= {MIN_SPEED:g}x]",
        f"WER first {wer['seconds'] / 60:.1f} min: {wer['wer']:.1%} of {wer['words']} words "
        f"[{_mark(wer['wer'] <= MAX_WER)} <= {MAX_WER:.0%}]",
        f"max cross cosine {voices['max_cross_cosine']:.3f} ({' / '.join(voices['pair'])}) "
        f"[{_mark(voices['max_cross_cosine'] <= MAX_CROSS)} <= {MAX_CROSS}]",
        f"min self cosine {voices['self_cosine_min']:.3f} ({voices['self_cosine_min_speaker']}) "
        f"[{_mark(voices['self_cosine_min'] >= MIN_SELF)} >= {MIN_SELF}]",
    ]
    gender = genders(script)
    used = {s["speaker"] or "unattributed": s["voice"] for s in script["segments"]}
    for name, info in voices["speakers"].items():
        hz = info["f0_median_hz"]
        kind = gender.get(name, "unknown")
        target = {"female": (hz >= MIN_FEMALE_HZ, f">= {MIN_FEMALE_HZ:g}")}.get(kind)
        target = target or {"male": (hz <= MAX_MALE_HZ, f"<= {MAX_MALE_HZ:g}")}.get(kind)
        mark = f" [{_mark(target[0])} {target[1]} Hz]" if target else ""
        lines.append(
            f"  {name:<16} {kind:<8} {used.get(name, '?'):<40} {info['seconds']:5.1f} s  "
            f"F0 {hz:5.1f} Hz{mark}  self {info.get('self_cosine') or 0:.3f}"
        )
    lines += [f"  skipped {name}: {why}" for name, why in voices["skipped"].items()]
    return lines


def _mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def render_pool(story: Path, out: Path, lines: int) -> list[str]:
    """Each default-cast voice reading STORY's first dialogue lines: WAVs + script.json."""
    import wave
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from audiobook.cast import studio
    from audiobook.engines.registry import create_engine
    from audiobook.script.analyse import analyse
    from audiobook.text.load import load_book

    texts = [s.text for s in analyse(load_book(story)).segments if s.is_dialogue][:lines]
    voices = [studio.NARRATOR, studio.UNKNOWN, *(v for v, _ in studio.POOL)]
    engines = {name: create_engine(name) for name in {v.engine for v in voices}}
    segments: list[dict[str, Any]] = []
    speed: list[str] = []
    for voice in voices:
        start = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            engine = engines[voice.engine]
            audios = list(pool.map(engine.synthesize, texts, [voice] * len(texts)))
        wall = time.perf_counter() - start
        name, rate, at, parts = voice.id, audios[0].sample_rate, 0.0, []
        for text, audio in zip(texts, audios, strict=True):
            segments.append(
                {"file": f"{len(speed):02d}.wav", "t_start": at, "t_end": at + audio.seconds,
                 "speaker": name, "kind": "dialogue", "text": text}
            )  # fmt: skip
            parts += [audio.samples, np.zeros(int(0.4 * rate), np.float32)]
            at += audio.seconds + 0.4
        pcm = (np.clip(np.concatenate(parts), -1, 1) * 32767).astype(np.int16)
        with wave.open(str(out / f"{len(speed):02d}.wav"), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(rate)
            handle.writeframes(pcm.tobytes())
        spoken = sum(a.seconds for a in audios)
        speed.append(f"{spoken:.0f} s speech, {spoken / wall:.1f}x real time")
    (out / "script.json").write_text(json.dumps({"segments": segments}), encoding="utf-8")
    return speed


def pool_report(out: Path, speed: list[str], tool: Path) -> list[str]:
    """One line per voice: speed, WER, F0, self cosine, and the closest other voice."""
    script_json = str(out / "script.json")
    wer = voicecheck(tool, "wer", script_json, str(out), "--max-seconds", "0")
    voices = voicecheck(tool, "voices", script_json, str(out))
    errors = {f["file"]: f["wer"] for f in wer["files"]}
    lines = [f"WER of all voices together: {wer['wer']:.1%} of {wer['words']} words"]
    for index, (name, info) in enumerate(voices["speakers"].items()):
        others = {k: v for k, v in voices["cosine"][name].items() if k != name}
        near = max(others, key=lambda k: others[k])
        lines.append(
            f"  {name:<44} {speed[index]}; WER {errors[f'{index:02d}.wav']:.1%}; "
            f"F0 {info['f0_median_hz']:.0f} Hz; self {info['self_cosine']:.3f}; "
            f"closest {near} {others[near]:.2f}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("story", nargs="?", type=Path, default=STORY)
    parser.add_argument("--engine", help="only this engine (default: the default cast)")
    parser.add_argument("--keep", type=Path, help="write the book here and keep it")
    parser.add_argument("--voicecheck", type=Path, default=VOICECHECK)
    parser.add_argument("--pool", action="store_true", help="measure the default cast's voices")
    parser.add_argument("--lines", type=int, default=30, help="dialogue lines per voice (--pool)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = (args.keep or Path(scratch)).resolve()
        if args.pool:
            out.mkdir(parents=True, exist_ok=True)
            speed = render_pool(args.story.resolve(), out, args.lines)
            print("\n".join(pool_report(out, speed, args.voicecheck)))
            return
        load = os.getloadavg()[0]
        wall, cpu = make(args.story.resolve(), out, args.engine)
        book = next(p for p in out.iterdir() if (p / "script.json").is_file())
        print(f"{args.story.name} (load average before: {load:.2f})")
        print("\n".join(report(book, wall, cpu, args.voicecheck)))


if __name__ == "__main__":
    main()
