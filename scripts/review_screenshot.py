"""Regenerate docs/review.png: the review page of the sample story, as a browser shows it.

Makes the sample story with the default voices, writes its review page, opens it in
headless Chromium (Debian's package, driven by playwright) at 1280x800, puts the
player on a line, and saves the screenshot. Run: ``python scripts/review_screenshot.py``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from audiobook.pipeline import make
from audiobook.scripting import write_review

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "gull-point.txt"
OUT = ROOT / "docs" / "review.png"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="review-shot-"))
    try:
        folder = make(SAMPLE, work).folder
        page_path = write_review(folder)
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(work / "profile"), executable_path="/usr/bin/chromium", headless=True,
                args=ARGS, viewport={"width": 1280, "height": 800},
            )  # fmt: skip
            page = context.new_page()
            page.goto(page_path.as_uri())
            page.wait_for_function("document.querySelector('audio').readyState >= 1")
            # The view on the first line to check, the player on the line before it.
            first = page.locator(".line.uncertain").first
            t0 = first.evaluate("e => e.previousElementSibling.dataset.t0")
            page.evaluate(f"""() => {{ const a = document.querySelector('audio');
                a.currentTime = {t0}; a.dispatchEvent(new Event('timeupdate')); }}""")
            first.evaluate("e => window.scrollTo(0, e.offsetTop - 260)")
            page.wait_for_timeout(300)
            page.screenshot(path=str(OUT))
            context.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
