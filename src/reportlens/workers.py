"""Work on untrusted files in worker processes that can be stopped: a time and a memory budget for each job.

A hostile file can keep a parser busy for minutes (a small PDF whose pages share one huge content stream) or
make it allocate without end. So each job runs in a worker process — a fresh Python interpreter started with
``subprocess`` (never forked from a server full of threads; unlike multiprocessing's "spawn" it does not run
the caller's main script again), talking over its stdin and stdout in length-prefixed pickles — and:

- the parent gives it ``JobBudget.seconds`` of wall-clock time from the moment the worker starts on it, then kills
  the worker (SIGKILL) and starts a fresh one for the next job;
- the worker gives itself ``JobBudget.memory_mb`` of address space beyond what it holds when it starts on a job
  (``RLIMIT_AS``; on Linux — elsewhere the time budget still holds); past it an allocation fails with a
  ``MemoryError``, which the job turns into a failure with its reason, and the worker is replaced;
- while the parent waits, it calls ``waiting(label, seconds)`` every ``TICK_SECONDS``: the app's progress bar,
  and the point where the app stops the import when nobody waits for it any more (a closed tab), which kills
  the busy workers (``run_jobs``' ``finally``) — no orphan work;
- after ``JobBudget.max_overruns`` times over budget, the rest are not tried (``skipped``).

Jobs travel in chunks (the caller decides which go together): a worker gets a chunk at once, within one
budget, so jobs that share work (the tokens of several files) do it once, and the pipes carry one message per
chunk. A chunk of several jobs that goes over budget or kills its worker is not failed: its jobs are done
again one by one, and only then does a job fail on its own.

Workers are kept between imports (``IDLE_KEPT`` of them, idle), since starting one costs about a second and a
half (imports and the tokenizer). Nothing here knows what a job is: ``ingest`` passes the function to run (it
must be importable by name: the worker imports it) and makes the failures.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from reportlens.worker_loop import STATM as STATM  # the tests read where the memory is measured
from reportlens.worker_loop import read_frame, write_frame

logger = logging.getLogger(__name__)

J = TypeVar("J")
R = TypeVar("R")
TICK_SECONDS = 0.5
STARTUP_SECONDS = 300.0  # a worker that has not started on its job by then (imports, tokenizer) is stuck
IDLE_KEPT = 2  # idle workers kept between imports (the CLI's --workers 2, two uploads at once)
WORKER_COMMAND = "from reportlens.worker_loop import serve; serve()"
# A Rust library (rjieba) that cannot allocate panics; collecting a backtrace then needs memory too and can
# hang the worker until its time budget. Without it the panic ends the job at once.
WORKER_ENVIRONMENT = {"RUST_BACKTRACE": "0"}

Waiting = Callable[[str, float], None]


@dataclass(frozen=True)
class JobBudget:
    """What one job may cost: ``seconds`` of wall-clock time, ``memory_mb`` of memory beyond what its worker
    holds when it starts (None: no limit), and how many jobs may go over before the rest are not tried
    (``max_overruns``; None: all are tried). The defaults are the ingest's: a minute (the largest file the
    readers take, a 19 MB text, needs about 2.5 s here and a 200-page PDF about 1 s) and 2 GiB (that text
    needs about 800 MiB)."""

    seconds: float = 60.0
    memory_mb: int | None = 2048
    max_overruns: int | None = None


@dataclass(frozen=True)
class Outcomes(Generic[J, R]):
    """How ``run_jobs`` turns a job that did not finish into a result: over time, its worker died, not tried,
    no worker could be started."""

    timed_out: Callable[[J, float], R]
    crashed: Callable[[J], R]
    skipped: Callable[[J], R]
    unstartable: Callable[[J], R]  # no worker process could be started at all
    label: Callable[[J], str]
    over_memory: Callable[[R], bool] = lambda result: False  # a result saying the memory budget ran out


Message = tuple["Worker", tuple[str, int | None, Any]]


class Worker:
    """One worker process, the parent's end of its pipes, and a thread that reads what it says into
    ``mailbox`` (whoever uses the worker sets that)."""

    def __init__(self, work: Callable[[Any], Any], ready: Callable[[Any], None], memory_mb: int | None) -> None:
        self.key = (work, ready, memory_mb)
        self.process = subprocess.Popen(  # noqa: S603 — this interpreter, our own module
            [sys.executable, "-c", WORKER_COMMAND],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **WORKER_ENVIRONMENT},
        )
        self.mailbox: queue.Queue[Message] = queue.Queue()
        self._lock = threading.Lock()
        self.send(sys.path)
        self.send(self.key)
        threading.Thread(target=self._listen, daemon=True).start()
        threading.Thread(target=self._relay_stderr, daemon=True).start()

    def _relay_stderr(self) -> None:
        """What the worker (or a native library in it) prints goes to the log, never to a user's terminal."""
        assert self.process.stderr is not None  # noqa: S101 — opened with PIPE
        for line in self.process.stderr:
            logger.warning("worker %d: %s", self.process.pid, line.decode("utf-8", "replace").rstrip())

    def _listen(self) -> None:
        assert self.process.stdout is not None  # noqa: S101 — opened with PIPE
        while True:
            try:
                more, message = read_frame(self.process.stdout)
            except Exception:  # a message that does not unpickle: treat the worker as broken
                logger.debug("bad message from a worker", exc_info=True)
                more, message = False, None
            if not more:
                self.mailbox.put((self, ("eof", None, None)))
                return
            self.mailbox.put((self, message))

    def send(self, message: object) -> None:
        """Raises ``OSError`` when the worker is gone."""
        assert self.process.stdin is not None  # noqa: S101 — opened with PIPE
        with self._lock:
            write_frame(self.process.stdin, message)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """Stop it now (SIGKILL): whatever it was doing is abandoned."""
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    def stop(self) -> None:
        """Ask it to end when idle; kill it if it does not."""
        with contextlib.suppress(OSError, ValueError):
            self.send(None)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=2)
        self.kill()


class _Pool:
    """Idle workers kept between ``run_jobs`` calls (any thread may take one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[Worker] = []

    def take(self, work: Callable[[Any], Any], ready: Callable[[Any], None], memory_mb: int | None) -> Worker:
        with self._lock:
            for worker in self._idle:
                if worker.key == (work, ready, memory_mb) and worker.alive():
                    self._idle.remove(worker)
                    return worker
        return Worker(work, ready, memory_mb)

    def give_back(self, worker: Worker) -> None:
        worker.mailbox = queue.Queue()
        with self._lock:
            self._idle = [w for w in self._idle if w.alive()]
            if worker.alive() and len(self._idle) < IDLE_KEPT:
                self._idle.append(worker)
                return
        worker.stop()


POOL = _Pool()


@dataclass
class _Busy(Generic[J]):
    index: int  # the place of the chunk's first job among all the jobs
    chunk: tuple[J, ...]
    sent: float
    started: float | None = None


def run_jobs(
    chunks: Sequence[Sequence[J]],
    work: Callable[[tuple[J, ...]], list[R]],
    *,
    ready: Callable[[tuple[J, ...]], None],
    outcomes: Outcomes[J, R],
    budget: JobBudget,
    workers: int = 1,
    waiting: Waiting | None = None,
) -> Generator[list[R], None, None]:
    """Run the jobs, given in chunks, in ``workers`` worker processes: ``work(chunk)`` gives a worker a chunk
    of jobs at once (one result per job, in order: several files prepared together share the work they have in
    common), within ``budget``. A chunk of several jobs that goes over the time or memory budget, or whose
    worker dies, is done again one job at a time: then only the job to blame fails. Each time over budget counts
    towards ``budget.max_overruns``, a chunk's too (it held the import as long). Yields the results in job
    order, in lists: whatever is ready each time the next result is not (so the caller can store some while the
    workers go on). ``work`` and ``ready`` must be importable by name (module level)."""
    pending: deque[tuple[int, tuple[J, ...]]] = deque()
    total = 0
    for chunk in chunks:
        if chunk:
            pending.append((total, tuple(chunk)))
            total += len(chunk)
    results: dict[int, R] = {}
    busy: dict[Worker, _Busy[J]] = {}
    idle: list[Worker] = []
    mailbox: queue.Queue[Message] = queue.Queue()
    overruns = 0
    next_out = 0
    try:
        while next_out < total:
            while pending and (idle or len(busy) < workers):
                index, chunk = pending.popleft()
                if budget.max_overruns is not None and overruns >= budget.max_overruns:
                    results.update((index + k, outcomes.skipped(job)) for k, job in enumerate(chunk))
                    continue
                try:
                    worker = _give(idle.pop() if idle else POOL.take(work, ready, budget.memory_mb), (index, chunk), mailbox)
                except OSError:  # this interpreter cannot be started again (permissions, resources)
                    logger.exception("could not start a worker process")
                    results.update((index + k, outcomes.unstartable(job)) for k, job in enumerate(chunk))
                    continue
                busy[worker] = _Busy(index, chunk, time.monotonic())
            ready_now: list[R] = []
            while next_out in results:
                ready_now.append(results.pop(next_out))
                next_out += 1
            if ready_now:
                yield ready_now
                continue
            overruns += _wait(mailbox, busy, idle, results, pending, outcomes, budget, waiting)
    finally:
        for worker in busy:
            worker.kill()  # work nobody waits for any more
        for worker in idle:
            POOL.give_back(worker)


def _give(worker: Worker, message: tuple[int, Any], mailbox: queue.Queue[Message]) -> Worker:
    """Give a job to a worker (or, if that one has died since it was last used, to a new one)."""
    try:
        worker.mailbox = mailbox
        worker.send(message)
    except (OSError, ValueError):
        worker.kill()
        worker = Worker(*worker.key)
        worker.mailbox = mailbox
        worker.send(message)
    return worker


def _split(state: _Busy[J], pending: deque[tuple[int, tuple[J, ...]]]) -> bool:
    """Put a chunk of several jobs back at the head of the queue, a job at a time (see ``run_jobs``);
    False for a chunk of one, which has its outcome."""
    if len(state.chunk) == 1:
        return False
    pending.extendleft(reversed([(state.index + k, (job,)) for k, job in enumerate(state.chunk)]))
    return True


def _wait(
    mailbox: queue.Queue[Message],
    busy: dict[Worker, _Busy[J]],
    idle: list[Worker],
    results: dict[int, R],
    pending: deque[tuple[int, tuple[J, ...]]],
    outcomes: Outcomes[J, R],
    budget: JobBudget,
    waiting: Waiting | None,
) -> int:
    """Wait up to a tick for what the busy workers say, then stop those over budget; returns how many jobs
    went over their budget."""
    overruns = 0
    now = time.monotonic()
    deadlines = [
        (b.started + budget.seconds) if b.started is not None else (b.sent + STARTUP_SECONDS) for b in busy.values()
    ]
    timeout = max(0.0, min([TICK_SECONDS, *(d - now for d in deadlines)]))
    messages = []
    with contextlib.suppress(queue.Empty):
        messages.append(mailbox.get(timeout=timeout))
        while True:
            messages.append(mailbox.get_nowait())
    for worker, (kind, _index, payload) in messages:
        state = busy.get(worker)
        if state is None:  # a worker stopped already (over budget)
            continue
        if kind == "start":
            state.started = float(payload)  # when the worker started on it, by the machine's monotonic clock
            continue
        del busy[worker]
        answered = kind != "eof" and isinstance(payload, list) and len(payload) == len(state.chunk)
        if not answered:  # the worker died (a crash in a parser, or memory it could not get), or said nonsense
            logger.warning("worker died on %s", outcomes.label(state.chunk[0]))
            worker.kill()
            if not _split(state, pending):
                results[state.index] = outcomes.crashed(state.chunk[0])
            continue
        over_memory = any(outcomes.over_memory(result) for result in payload)
        if over_memory:  # its memory may be in pieces: a fresh worker for the next job
            worker.kill()
        else:
            idle.append(worker)
        overruns += over_memory
        if not (over_memory and _split(state, pending)):
            results.update((state.index + k, result) for k, result in enumerate(payload))
    now = time.monotonic()
    for worker, state in list(busy.items()):
        over = state.started is not None and now - state.started > budget.seconds
        stuck = state.started is None and now - state.sent > STARTUP_SECONDS
        if over or stuck:
            logger.warning("stopped %s after %.1f s", outcomes.label(state.chunk[0]), now - (state.started or state.sent))
            del busy[worker]
            worker.kill()
            overruns += 1
            if not _split(state, pending):
                results[state.index] = outcomes.timed_out(state.chunk[0], budget.seconds)
    if waiting is not None and busy:
        first = min(busy.values(), key=lambda b: b.index)
        waiting(outcomes.label(first.chunk[0]), now - (first.started or first.sent))
    return overruns
