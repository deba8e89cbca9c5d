"""The review page: the HTML itself, then the page in a real browser (headless Chromium)."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audiobook.pipeline import make
from audiobook.progress import Silent
from audiobook.publish.release import Release
from audiobook.publish.review import PALETTE, render_review, speakers
from audiobook.scripting import write_review

SAMPLE = Path(__file__).parents[2] / "examples" / "gull-point.txt"
CHROMIUM = Path("/usr/bin/chromium")
# Closed network, no profile, no background traffic: the page must work from disk alone.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def seg(
    i: int, speaker: str | None, kind: str = "dialogue", conf: float = 0.9, **extra: Any
) -> dict[str, Any]:
    return {"id": f"line{i}", "chapter": 1, "paragraph": i, "kind": kind, "speaker": speaker,
            "text": f"Words <b>{i}</b>", "confidence": conf, "voice": "fake:m1", **extra}  # fmt: skip


DOCUMENT = {
    "format": "audiobook-script/1", "title": "A <Book>", "author": "Ann", "cast": [],
    "chapters": [{"index": 1, "title": "One", "start": 0, "end": 10}],
    "segments": [
        seg(0, "narrator", "narration", 1.0, heading=True), seg(1, "Mara"), seg(2, "Tom", conf=0.4),
        seg(3, None, conf=0.0), seg(4, "Mara", style="whisper"), seg(5, "narrator", "narration", 1.0),
    ],
}  # fmt: skip


def test_lines_are_classed_by_speaker_and_counted_in_the_legend() -> None:
    page = render_review(DOCUMENT)
    cast = speakers(DOCUMENT)
    assert [(s.label, s.lines, s.css) for s in cast] == [
        ("Narrator", 2, "sp-0"), ("Mara", 2, "sp-1"), ("Tom", 1, "sp-2"),
        ("Unknown speaker", 1, "sp-3"),
    ]  # fmt: skip
    assert cast[1].colour == PALETTE[0]
    assert len(re.findall(r'class="line sp-1 dialogue', page)) == 2
    assert page.count('class="line') == 6
    assert len(re.findall(r'class="line [^"]*uncertain', page)) == 2
    assert "check · 40% sure" in page and "check · nobody named" in page
    assert "<h2>Words &lt;b&gt;0&lt;/b&gt;</h2>" in page  # the heading line titles the chapter
    assert "<title>A &lt;Book&gt; · who says what</title>" in page
    assert 'class="style">whisper' in page


def test_the_page_needs_nothing_from_outside() -> None:
    page = render_review(DOCUMENT, {"01.mp3": "01.mp3"})
    assert not re.search(r"https?://|<link|@import|url\(|src=\"(?!01\.mp3)", page)
    assert "<audio" not in page  # no line of this document is in 01.mp3
    timed = {**DOCUMENT, "segments": [seg(1, "Mara", file="01.mp3", t_start=1.0, t_end=2.5)]}
    page = render_review(timed, {"01.mp3": "01.mp3"})
    assert page.count("<audio") == 1 and 'data-t0="1.000"' in page and "2 s spoken" in page


# --- in a real browser --------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium page at a laptop's window size, from Debian's package."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.is_file():
        pytest.skip("needs Debian's chromium (bash scripts/test.sh installs it)")
    profile = tempfile.mkdtemp(prefix="review-chromium-")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800},
        )  # fmt: skip
        try:
            yield context.new_page()
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample story made with the fake engine: chapter MP3s and script.json."""
    from audiobook.engines import registry
    from tests.fakes import FakeEngine

    folder = tmp_path_factory.mktemp("made")
    registry.register(FakeEngine)  # module scope: before conftest's per-test registration
    try:
        result = make(SAMPLE, folder, engine="fake", progress=Silent(),
                      release=Release(transcripts=False, playlist=False))  # fmt: skip
    finally:
        registry.unregister(FakeEngine.NAME)
    return result.folder


def test_the_sample_story_in_chromium(browser: Any, tmp_path: Path) -> None:
    story = tmp_path / "gull.txt"
    # One line nobody can be named for: always "to check", whatever the calibration says
    # about the sample's own lines.
    unnamed = '"Is the lamp still lit?" someone called up the stairs.\n'
    story.write_text(SAMPLE.read_text(encoding="utf-8") + "\n" + unnamed, encoding="utf-8")
    page_path = write_review(story, engine="fake")
    assert page_path == tmp_path / "gull.review.html"
    browser.goto(page_path.as_uri())
    legend = browser.eval_on_selector_all(
        ".who",
        """els => els.map(e => ({
        speaker: e.dataset.speaker, count: +e.querySelector('.count').textContent,
        colour: getComputedStyle(e.querySelector('.swatch')).backgroundColor}))""",
    )
    names = [e["speaker"] for e in legend]
    assert names == [
        "narrator", "Mara Quill", "Elias", "Nell Harlow", "Tom Harlow", "Captain Reed", ""
    ]  # fmt: skip
    assert len({e["colour"] for e in legend}) == len(legend)  # every speaker its own colour
    for entry in legend:
        rows = browser.locator(f'.line[data-speaker="{entry["speaker"]}"]')
        assert rows.count() == entry["count"]
        classes = rows.first.get_attribute("class").split()
        colour = rows.first.evaluate("e => getComputedStyle(e.querySelector('.name')).color")
        assert re.fullmatch(r"sp-\d+", classes[1]) and colour == entry["colour"]
    browser.screenshot(path=str(tmp_path / "review.png"))
    assert (tmp_path / "review.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    browser.click('.who[data-speaker="Nell Harlow"]')
    visible = browser.eval_on_selector_all(
        ".line", "els => els.filter(e => e.offsetParent).map(e => e.dataset.speaker)"
    )
    assert visible == ["Nell Harlow"] * 5
    assert browser.inner_text("#filter-text") == "Showing only Nell Harlow: 5 lines"
    browser.keyboard.press("Escape")
    checks = browser.locator(".line.uncertain").count()
    assert checks == int(browser.inner_text("#check-count")) > 0
    browser.click("#next-check")
    assert browser.locator(".line.uncertain.flash").count() == 1


@pytest.mark.slow
def test_a_made_book_plays_and_follows_the_line_spoken(browser: Any, made: Path) -> None:
    page_path = write_review(made)
    assert page_path == made / "review.html"
    browser.goto(page_path.as_uri())
    assert browser.locator("audio").count() == 2
    browser.wait_for_function("document.querySelector('audio').readyState >= 1")
    t0 = float(browser.locator('.line[data-speaker="Elias"]').first.get_attribute("data-t0"))
    browser.evaluate(f"""() => {{ const a = document.querySelector('audio');
        a.currentTime = {t0 + 0.05}; a.dispatchEvent(new Event('timeupdate')); }}""")
    speaking = browser.locator(".line.speaking")
    assert speaking.count() == 1 and speaking.get_attribute("data-speaker") == "Elias"
