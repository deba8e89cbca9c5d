"""Speaker-attribution benchmark on the PDNC development novels.

    python -m benchmarks.attribution ../shared/pdnc-dev [--novels A,B] [--keep DIR] [--answer 0.9]

For every novel it runs ``audiobook script NOVEL.txt --format json`` twice, once with
the novel's character list given as a ``voices.yaml`` (a closed cast) and once without
(the tool's own cast discovery), converts the dialogue segments into the scorer's
prediction format and prints the scorer's tables (``score.py`` from the data folder).
With the character list it also scores the run again answering only the most
confident quotes (``--answer``, 90% by default; ranked by the confidence the tool
reports per line), and it reports the wall time of the analysis per novel. Nothing
here is a test.
"""

from __future__ import annotations

import argparse
import bisect
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

GENDERS = {"M": "male", "F": "female"}


def voices_yaml(gold: dict[str, Any]) -> str:
    """The novel's character list as a closed-cast voices.yaml.

    Aliases claimed by more than one character are left out: they name nobody in
    particular, and voices.yaml rightly refuses a name given to two characters.
    """
    claims = Counter(a.casefold() for c in gold["characters"] for a in {c["name"], *c["aliases"]})
    characters: dict[str, Any] = {}
    for c in gold["characters"]:
        name = c["name"]
        if claims[name.casefold()] > 1 or name in characters:
            continue
        aliases = [
            a
            for a in c["aliases"]
            if a != name and not a.startswith("_") and claims[a.casefold()] == 1
        ]
        entry: dict[str, Any] = {"gender": GENDERS.get(c["gender"], "unknown")}
        if aliases:
            entry["aliases"] = aliases
        if c.get("is_narrator"):
            entry["narrator"] = True
        characters[name] = entry
    return yaml.safe_dump({"characters": characters}, sort_keys=False, allow_unicode=True)


def run_tool(text: Path, voices: Path | None) -> tuple[list[dict[str, Any]], float]:
    """Dialogue predictions from ``audiobook script`` and the seconds it took."""
    cmd = [sys.executable, "-m", "audiobook", "script", str(text), "--format", "json"]
    if voices is not None:
        cmd += ["--voices", str(voices)]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{text.name}: audiobook script failed: {done.stderr.strip()}")
    document = json.loads(done.stdout)
    preds = [
        {
            "start": s["start"],
            "end": s["end"],
            "speaker": s["speaker"] or "UNKNOWN",
            "confidence": s["confidence"],
        }
        for s in document["segments"]
        if s["kind"] == "dialogue"
    ]
    return preds, elapsed


def score(data: Path, preds: Path, *, per_novel: bool) -> None:
    """Print the scorer's tables for the predictions in ``preds``."""
    cmd = [sys.executable, str(data / "score.py"), "--gold-dir", str(data)]
    cmd += ["--pred-dir", str(preds), *(["--per-novel"] if per_novel else [])]
    subprocess.run(cmd, check=False)


def most_confident(preds: Path, out: Path, share: float, data: Path) -> float:
    """Copy ``preds`` to ``out`` answering only the most confident ``share`` of quotes.

    Each gold quote is answered by the line that overlaps it most (as the scorer
    matches them); the cut is the tool's confidence under which lines are left
    unattributed so that ``share`` of all gold quotes (over every novel) keep their
    answer. The gold only sets how many are answered; which ones is the tool's own
    ranking. Lines the tool already left unattributed stay so. This is the accuracy
    a user gets who sends low-confidence lines to the unknown voice instead of
    risking a wrong one. Returns that confidence.
    """
    runs = {p.name: json.loads(p.read_text()) for p in sorted(preds.glob("*.pred.json"))}
    answering = sorted(
        confidence
        for name, run in runs.items()
        for confidence in _quote_confidences(run, data / name.replace(".pred.", ".gold."))
    )
    cut = answering[min(len(answering) - 1, int((1 - share) * len(answering)))]
    out.mkdir(parents=True, exist_ok=True)
    for name, run in runs.items():
        kept = [p if p["confidence"] >= cut else {**p, "speaker": "UNKNOWN"} for p in run]
        (out / name).write_text(json.dumps(kept), encoding="utf-8")
    return cut


def _quote_confidences(run: list[dict[str, Any]], gold: Path) -> list[float]:
    """Per gold quote, the confidence of the line answering it (-1: none, or unattributed)."""
    lines = sorted(run, key=lambda p: p["start"])
    starts = [p["start"] for p in lines]
    out = []
    for quote in json.loads(gold.read_text(encoding="utf-8"))["quotes"]:
        if not quote.get("attributable", True):
            continue  # the scorer does not count it either
        best, most = None, 0
        for p in lines[max(0, bisect.bisect_left(starts, quote["start"]) - 1) :]:
            if p["start"] >= quote["end"]:
                break
            overlap = min(p["end"], quote["end"]) - max(p["start"], quote["start"])
            if overlap > most:
                best, most = p, overlap
        if best is None or best["speaker"] == "UNKNOWN":
            out.append(-1.0)  # no line answers it: never among the answered
        else:
            out.append(best["confidence"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder with NAME.txt, NAME.gold.json, score.py")
    parser.add_argument("--novels", help="comma-separated subset")
    parser.add_argument("--keep", type=Path, help="keep predictions here")
    parser.add_argument("--mode", choices=["both", "closed", "open"], default="both")
    parser.add_argument(
        "--answer",
        type=float,
        default=0.9,
        help="also score answering only this share of quotes, the most confident (0.9)",
    )
    args = parser.parse_args()
    golds = sorted(args.data.glob("*.gold.json"))
    if args.novels:
        wanted = set(args.novels.split(","))
        golds = [g for g in golds if g.name.removesuffix(".gold.json") in wanted]
    work = args.keep or Path(tempfile.mkdtemp(prefix="attribution-"))
    modes = ["closed", "open"] if args.mode == "both" else [args.mode]
    for mode in modes:
        out = work / mode
        out.mkdir(parents=True, exist_ok=True)
        timings = []
        for gold_path in golds:
            name = gold_path.name.removesuffix(".gold.json")
            voices = None
            if mode == "closed":
                voices = out / f"{name}.voices.yaml"
                voices.write_text(voices_yaml(json.loads(gold_path.read_text())), encoding="utf-8")
            preds, seconds = run_tool(args.data / f"{name}.txt", voices)
            (out / f"{name}.pred.json").write_text(json.dumps(preds), encoding="utf-8")
            timings.append((name, seconds))
        label = "character list given" if mode == "closed" else "own discovery"
        print(f"\n== {mode} cast ({label}) ==")
        sys.stdout.flush()
        score(args.data, out, per_novel=True)
        if mode == "closed":
            cut = most_confident(out, work / f"{mode}-most-confident", args.answer, args.data)
            print(
                f"\n-- answering only the most confident {args.answer:.0%} of quotes "
                f"(confidence >= {cut:.3f}; the rest left unattributed) --"
            )
            sys.stdout.flush()
            score(args.data, work / f"{mode}-most-confident", per_novel=False)
        total = sum(s for _, s in timings)
        print(
            f"analysis wall time: {total:.1f} s for {len(timings)} novels "
            f"(max {max(s for _, s in timings):.1f} s, {max(timings, key=lambda t: t[1])[0]})"
        )
    print(f"\npredictions in {work}")


if __name__ == "__main__":
    main()
