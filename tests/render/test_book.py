"""Rendering at book scale: the cache, resuming, kept chapters, failures in both tiers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiobook.cast.config import CastConfig, load_cast
from audiobook.engines import registry
from audiobook.errors import EngineError, PartialFailure
from audiobook.pipeline import Result, make
from audiobook.progress import Silent
from audiobook.publish.release import Release
from audiobook.render.state import STATE_NAME
from audiobook.synth.cache import SegmentCache
from audiobook.synth.executor import LocalExecutor
from tests.render.stories import STORY
from tests.synth.engines import ENGINES

RELEASE = Release(transcripts=True, playlist=True)


@pytest.fixture(autouse=True)
def _test_engines() -> Iterator[None]:
    for cls in ENGINES:
        registry.register(cls)
    yield
    for cls in ENGINES:
        registry.unregister(cls.NAME)


def build(
    tmp_path: Path, text: str = STORY, *, engine: str = "fake", config: CastConfig | None = None,
    progress: Silent | None = None, workers: int = 1,
) -> Result:  # fmt: skip
    tmp_path.mkdir(exist_ok=True)
    story = tmp_path / "net.txt"
    story.write_text(text, encoding="utf-8")
    with LocalExecutor(workers, inline_chars=0) as executor:
        return make(story, tmp_path / "out", engine=engine, config=config, release=RELEASE,
                    progress=progress or Silent(), cache=SegmentCache(tmp_path / "cache"),
                    executor=executor)  # fmt: skip


def files(result: Result) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(result.folder.iterdir())}


def test_warm_rerun_keeps_every_chapter_and_changes_nothing(tmp_path: Path) -> None:
    cold = build(tmp_path)
    assert cold.synthesized == 11 and cold.reused == 0  # "said Tom." twice: one job
    before = files(cold)
    stamps = {p.name: p.stat().st_mtime_ns for p in cold.folder.glob("*.mp3")}
    warm = build(tmp_path)
    assert (warm.synthesized, warm.reused) == (0, 2)
    assert files(warm) == before
    assert {p.name: p.stat().st_mtime_ns for p in warm.folder.glob("*.mp3")} == stamps
    assert [t.t_start for t in warm.timed] == [t.t_start for t in cold.timed]
    assert [c.report for c in warm.chapters] == [c.report for c in cold.chapters]


def test_one_changed_line_resynthesizes_only_its_segment(tmp_path: Path) -> None:
    build(tmp_path)
    edited = build(tmp_path, STORY.replace("The boats came in late.", "The boats came in early."))
    assert (edited.synthesized, edited.reused) == (1, 1)
    assert "early" in (edited.folder / "script.json").read_text(encoding="utf-8")


def test_one_voice_change_resynthesizes_only_that_characters_lines(tmp_path: Path) -> None:
    voices = tmp_path / "voices.yaml"
    cast = "characters:\n  Anna: {gender: female}\n  Tom: {gender: male%s}\n"
    voices.write_text(cast % "", encoding="utf-8")
    first = build(tmp_path, config=load_cast(voices))
    voices.write_text(cast % ", voice: fake:m3", encoding="utf-8")
    recast = build(tmp_path, config=load_cast(voices))
    assert first.casting.characters["Tom"].name != "m3"
    assert recast.casting.characters["Tom"].name == "m3"
    assert recast.casting.characters["Anna"] == first.casting.characters["Anna"]
    assert (recast.synthesized, recast.reused) == (2, 0)  # Tom's two lines


def test_corrupt_cache_entry_is_synthesized_again_never_stitched(tmp_path: Path) -> None:
    cold = build(tmp_path)
    before = files(cold)
    entries = sorted((tmp_path / "cache").rglob("*.seg"))
    data = bytearray(entries[3].read_bytes())
    data[-2] ^= 0xFF
    entries[3].write_bytes(bytes(data))
    (cold.folder / STATE_NAME).unlink()  # forget the written files: everything is stitched again
    progress = Silent()
    again = build(tmp_path, progress=progress)
    assert again.synthesized == 1
    assert progress.warnings == ["1 corrupt cache entries found; synthesizing again"]
    assert files(again) == before


def test_an_edited_output_file_is_made_again(tmp_path: Path) -> None:
    cold = build(tmp_path)
    before = files(cold)
    first = cold.chapters[0].path
    first.write_bytes(first.read_bytes()[:-100])
    again = build(tmp_path)
    assert (again.synthesized, again.reused) == (0, 1)
    assert files(again) == before


def test_a_renamed_chapter_replaces_its_old_files(tmp_path: Path) -> None:
    build(tmp_path)
    renamed = build(tmp_path, STORY.replace("Chapter 2: Dusk", "Chapter 2: Night"))
    names = sorted(p.name for p in renamed.folder.glob("02 *"))
    assert names == ["02 - Chapter 2 - Night.mp3", "02 - Chapter 2 - Night.srt",
                     "02 - Chapter 2 - Night.vtt"]  # fmt: skip


def test_failing_segment_is_retried_reported_and_the_rest_is_written(tmp_path: Path) -> None:
    text = STORY.replace("The boats came in late.", "The boats BOOM came in late.")
    text = text.replace("The sea was calm.", "The sea was calm once.")
    with pytest.raises(PartialFailure) as info:
        build(tmp_path, text, engine="flaky")
    assert str(info.value) == (
        "1 segment(s) could not be synthesized; first in chapter 2: "
        "'The boats BOOM came in late.' (flaky cannot say 'The boats BOOM came ')"
    )
    out = tmp_path / "out" / "Net"
    assert (out / "01 - Chapter 1 - Dawn.mp3").is_file()  # "once" failed once, then worked
    assert (out / "02 - Chapter 2 - Dusk.mp3").is_file()
    retry = build(tmp_path, text.replace("BOOM ", ""), engine="flaky")
    assert (retry.synthesized, retry.reused) == (1, 1)  # chapter 2 was not remembered as done


def test_engine_that_cannot_start_stops_before_any_file(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match=r"^broken: model file missing: /nowhere/model.onnx$"):
        build(tmp_path, engine="broken")
    assert not (tmp_path / "out").exists()


def test_engine_that_cannot_go_on_stops_the_run(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match=r"^dying: the engine's server went away$"):
        build(tmp_path, engine="dying")
    assert not list((tmp_path / "out" / "Net").glob("*.mp3"))


def test_process_pool_gives_the_same_files_as_one_process(tmp_path: Path) -> None:
    alone = files(build(tmp_path / "one", engine="slow"))
    pooled = build(tmp_path / "two", engine="slow", workers=2)
    assert pooled.synthesized == 11
    mine = files(pooled)
    for found in (alone, mine):  # script.json names the story file, which differs
        found["script.json"] = re.sub(rb'"source": "[^"]*"', b"", found["script.json"])
    assert mine == alone


def test_a_dead_worker_stops_the_run_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match=r"^a synthesis worker died \("):
        build(tmp_path, engine="killer", workers=2)
