"""Synthesis on a Dask cluster: a local cluster of worker processes sharing the cache."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiobook.engines import registry
from audiobook.errors import ConfigError, EngineError
from audiobook.pipeline import make
from audiobook.progress import Silent
from audiobook.synth.cache import SegmentCache
from audiobook.synth.executor import LocalExecutor
from tests.render.stories import STORY
from tests.synth.engines import SlowEngine

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def outputs(folder: Path) -> dict[str, bytes]:
    found = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    found["script.json"] = re.sub(rb'"source": "[^"]*"', b"", found["script.json"])
    return found


@pytest.mark.slow
def test_a_book_made_on_a_dask_cluster_equals_a_local_one(scheduler: str, tmp_path: Path) -> None:
    from audiobook.synth.dask_executor import DaskExecutor

    registry.register(SlowEngine)
    try:
        story = tmp_path / "net.txt"
        story.write_text(STORY, encoding="utf-8")
        shared = SegmentCache(tmp_path / "shared-cache")
        with DaskExecutor(scheduler) as executor:
            assert executor.workers == 2
            result = make(story, tmp_path / "dask", engine="slow", progress=Silent(),
                          cache=shared, executor=executor)  # fmt: skip
        assert result.synthesized == 11 and shared.stats().entries == 11
        with LocalExecutor(1) as executor:
            local = make(story, tmp_path / "local", engine="slow", progress=Silent(),
                         cache=SegmentCache(tmp_path / "own-cache"), executor=executor)  # fmt: skip
        assert outputs(result.folder) == outputs(local.folder)
    finally:
        registry.unregister(SlowEngine.NAME)


def test_unreachable_scheduler_is_a_one_line_error() -> None:
    from audiobook.synth.dask_executor import DaskExecutor

    with pytest.raises(EngineError, match=r"^cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=0.5)


def test_missing_dask_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from audiobook.synth.dask_executor import DaskExecutor

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ConfigError, match=r"pip install 'audiobook\[dask\]'"):
        DaskExecutor("tcp://127.0.0.1:8786")
