"""Synthesis on a Dask distributed cluster (``make --executor dask --scheduler ADDRESS``).

Each job becomes one Dask task running :func:`audiobook.synth.jobs.run_job` on a
worker, which builds its engines once per worker process and writes the audio into
the segment cache. The cache folder must therefore be on storage every worker and this
machine share (NFS, a cluster file system) under the same path; only small outcomes
travel back. Jobs are prioritised in book order, so the first chapters finish first
and are written while the cluster works on the rest.

Needs the ``dask`` extra: ``pip install 'audiobook[dask]'``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from audiobook.engines.base import Engine
from audiobook.errors import ConfigError, EngineError
from audiobook.synth.executor import Batch, Executor
from audiobook.synth.jobs import Job, Outcome, run_job

_LOGGER = logging.getLogger(__name__)

CONNECT_SECONDS = 10.0


def _client(scheduler: str, timeout: float) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError("--executor dask needs Dask: pip install 'audiobook[dask]'") from None
    try:
        return Client(  # type: ignore[no-untyped-call]
            scheduler, timeout=timeout, set_as_default=False
        )
    except (OSError, TimeoutError, ValueError) as exc:
        raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


def _reporter(on_done: Callable[[Outcome], None]) -> Callable[[Any], None]:
    def report(future: Any) -> None:
        if future.status == "finished":
            on_done(future.result())

    return report


class DaskBatch(Batch):
    """Jobs running as Dask futures."""

    def __init__(self, client: Any, futures: dict[Any, Job]) -> None:
        self._client = client
        self._futures = futures

    @property
    def remaining(self) -> int:
        return len(self._futures)

    def done(self, timeout: float) -> list[Outcome]:
        from distributed import wait

        if not self._futures:
            return []
        try:
            with self._client.as_current():  # wait() looks for "the" client
                finished, _ = wait(  # type: ignore[no-untyped-call]
                    list(self._futures), timeout=timeout, return_when="FIRST_COMPLETED"
                )
        except TimeoutError:
            return []
        outcomes = []
        for future in finished:
            job = self._futures.pop(future)
            try:
                outcomes.append(future.result())
            except Exception as exc:  # a worker lost, a task that cannot run
                why = f"the Dask task failed: {type(exc).__name__}: {exc}"
                outcomes.append(Outcome(job.key, error=why, fatal=True))
        return outcomes

    def cancel(self) -> None:
        futures = list(self._futures)
        self._futures.clear()
        if futures:
            self._client.cancel(futures)


class DaskExecutor(Executor):
    """Submits jobs to the Dask scheduler at ``scheduler`` (``tcp://host:8786``)."""

    def __init__(self, scheduler: str, *, timeout: float = CONNECT_SECONDS) -> None:
        self.scheduler = scheduler
        self._client = _client(scheduler, timeout)
        threads = self._client.nthreads()
        self.workers = max(1, sum(threads.values()))

    def submit(
        self, jobs: Sequence[Job], local: Mapping[str, Engine], on_done: Callable[[Outcome], None]
    ) -> Batch:
        futures = {}
        for i, job in enumerate(jobs):
            future = self._client.submit(
                run_job, job, key=f"audiobook-{job.key}", priority=len(jobs) - i, pure=False
            )
            future.add_done_callback(_reporter(on_done))
            futures[future] = job
        return DaskBatch(self._client, futures)

    def close(self) -> None:
        self._client.close()
