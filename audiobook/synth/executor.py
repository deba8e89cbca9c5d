"""Where synthesis jobs run: in this process, or on a pool of local worker processes.

A process per core, because that is what scales: espeak-ng holds one lock per process,
and the ONNX engines (piper, Kokoro) run one thread per call by default, so N
processes keep N cores busy without oversubscribing them (measured in
docs/benchmarks.md: threads gave piper and Kokoro 1.0-1.1x on two cores). Each worker
builds its own engines on first use and writes audio straight into the segment cache.

Small batches (a re-run after one edited line) run in this process with the engines
already built for the run: starting workers and loading their models would cost more
than the work. They run on a helper thread, so Ctrl-C is not held up by an engine
call. Workers ignore Ctrl-C (the main process handles it and terminates them) and exit
by themselves when the main process dies (``kill -9``), so nothing is left running.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType

from threadpoolctl import threadpool_limits

from audiobook.engines.base import Engine
from audiobook.errors import EngineError
from audiobook.synth.cache import SegmentCache
from audiobook.synth.jobs import Job, Outcome, process_engine, run_job, synthesize_job

_LOGGER = logging.getLogger(__name__)

# Below this much text (about a minute of speech) a batch runs in this process.
INLINE_CHARS = 1000
_WATCH_SECONDS = 0.5  # how often a worker checks that the main process is alive


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Batch(ABC):
    """Jobs in flight; their outcomes come back as they finish."""

    @property
    @abstractmethod
    def remaining(self) -> int:
        """Jobs whose outcome has not been returned yet."""

    @abstractmethod
    def done(self, timeout: float) -> list[Outcome]:
        """Outcomes finished since the last call; waits up to ``timeout`` s for one."""

    @abstractmethod
    def cancel(self) -> None:
        """Drop what has not run; stop what is running as soon as possible."""


class Executor(ABC):
    """Runs :class:`Job` batches; used as a context manager that stops its workers."""

    workers: int  # how many jobs run at once

    @abstractmethod
    def submit(
        self, jobs: Sequence[Job], local: Mapping[str, Engine], on_done: Callable[[Outcome], None]
    ) -> Batch:
        """Start ``jobs`` (in order). ``local`` maps class paths to this process's engines.

        ``on_done`` is called with each outcome as soon as it is known, possibly from
        another thread (for progress: the main thread may be busy writing a chapter).
        """

    def close(self) -> None:  # noqa: B027 - optional hook
        """Stop the workers."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class InlineBatch(Batch):
    """Runs each job in this process when its outcome is asked for, in order."""

    def __init__(
        self, jobs: Sequence[Job], local: Mapping[str, Engine], on_done: Callable[[Outcome], None]
    ) -> None:
        self._jobs = deque(jobs)
        self._local = local
        self._on_done = on_done

    @property
    def remaining(self) -> int:
        return len(self._jobs)

    def done(self, timeout: float) -> list[Outcome]:
        if not self._jobs:
            return []
        job = self._jobs.popleft()
        engine = self._local.get(job.engine) or process_engine(job.engine)
        outcome = _interruptible(lambda: synthesize_job(job, engine, SegmentCache(Path(job.cache))))
        self._on_done(outcome)
        return [outcome]

    def cancel(self) -> None:
        self._jobs.clear()


def _interruptible(work: Callable[[], Outcome]) -> Outcome:
    """``work()`` on a helper thread, so Ctrl-C reaches this thread at once.

    An engine call is C code that Python cannot interrupt; the main thread waits in
    short joins instead, and on Ctrl-C leaves the (daemon) helper to finish alone.
    """
    box: list[Outcome] = []
    helper = threading.Thread(target=lambda: box.append(work()), name="synthesize", daemon=True)
    helper.start()
    while helper.is_alive():
        helper.join(0.1)
    if not box:
        raise EngineError("the synthesis thread stopped without a result")
    return box[0]


class FutureBatch(Batch):
    """Jobs on a ``concurrent.futures`` pool."""

    def __init__(self, futures: dict[cf.Future[Outcome], Job], stop: LocalExecutor) -> None:
        self._futures = futures
        self._stop = stop

    @property
    def remaining(self) -> int:
        return len(self._futures)

    def done(self, timeout: float) -> list[Outcome]:
        finished, _ = cf.wait(self._futures, timeout, return_when=cf.FIRST_COMPLETED)
        outcomes = []
        for future in finished:
            job = self._futures.pop(future)
            try:
                outcomes.append(future.result())
            except BrokenProcessPool as exc:
                why = f"a synthesis worker died ({exc or 'killed, or out of memory'})"
                outcomes.append(Outcome(job.key, error=why, fatal=True))
        return outcomes

    def cancel(self) -> None:
        self._futures.clear()
        self._stop.terminate()


class LocalExecutor(Executor):
    """A pool of ``workers`` processes (default: one per core), started on first need."""

    def __init__(self, workers: int | None = None, *, inline_chars: int = INLINE_CHARS) -> None:
        self.workers = max(1, workers or available_cores())
        self.inline_chars = inline_chars
        self._pool: cf.ProcessPoolExecutor | None = None

    def submit(
        self, jobs: Sequence[Job], local: Mapping[str, Engine], on_done: Callable[[Outcome], None]
    ) -> Batch:
        if self.workers == 1 or sum(len(j.text) for j in jobs) < self.inline_chars:
            return InlineBatch(jobs, local, on_done)
        pool = self._start()
        futures = {}
        for job in jobs:
            future = pool.submit(run_job, job)
            future.add_done_callback(_reporter(on_done))
            futures[future] = job
        return FutureBatch(futures, self)

    def _start(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            # spawn: a fork would copy the ONNX runtime's threads' locks mid-use.
            self._pool = cf.ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
                initargs=(os.getpid(),),
            )
        return self._pool

    def terminate(self) -> None:
        """Stop the workers now, running jobs and all (a new pool starts on next need)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # The pool has no public way to stop a running job; its processes are terminated.
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                process.terminate()
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                process.join(timeout=1.0)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _reporter(on_done: Callable[[Outcome], None]) -> Callable[[cf.Future[Outcome]], None]:
    """A done-callback passing a finished future's outcome on (failures are seen in done())."""

    def report(future: cf.Future[Outcome]) -> None:
        if not future.cancelled() and future.exception() is None:
            on_done(future.result())

    return report


def _worker_init(parent: int) -> None:
    """In each worker: one BLAS thread; leave Ctrl-C to the main process; exit when it is gone."""
    # A process per core already fills the cores: BLAS threads (numpy's dot products)
    # would only fight the other workers for them.
    threadpool_limits(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)  # orphaned (the main process was killed): nobody wants our results

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
