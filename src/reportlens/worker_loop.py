"""The worker process's side of ``workers``: its main loop (``serve``, what ``workers.WORKER_COMMAND`` runs), the
memory budget it gives itself (``RLIMIT_AS``, Linux), and the length-prefixed pickle frames both sides of the
pipes speak."""

from __future__ import annotations

import logging
import os
import pickle
import signal
import struct
import sys
import threading
import time
from typing import IO, Any

try:
    import resource  # POSIX: the memory budget
except ImportError:  # pragma: no cover - Windows: the time budget alone
    resource = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

MB = 1024 * 1024
STATM = "/proc/self/statm"  # Linux: the process's sizes in pages, its address space first
FRAME = struct.Struct("!Q")  # each message: its length, then its pickle
PARENT_CHECK_SECONDS = 1.0  # a worker whose parent is gone ends itself within this


def address_space() -> int | None:
    try:
        with open(STATM, encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def limit_memory(memory_mb: int | None) -> None:
    """Let this process grow by ``memory_mb`` from now (Linux; None lifts the limit); an allocation past it
    fails with a ``MemoryError``."""
    if resource is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = address_space()
    if memory_mb is None or used is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    soft = used + memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def write_frame(out: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(FRAME.pack(len(data)) + data)
    out.flush()


def read_exactly(source: IO[bytes], size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = source.read(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(source: IO[bytes]) -> tuple[bool, Any]:
    """(True, message), or (False, None) at the end of the stream."""
    header = read_exactly(source, FRAME.size)
    body = None if header is None else read_exactly(source, FRAME.unpack(header)[0])
    if body is None:
        return False, None
    return True, pickle.loads(body)  # noqa: S301 — written by our own process, see serve() and Worker


def end_with_parent(parent: int) -> None:
    """A worker thread: end the process when its parent is gone (killed, or ended without stopping it)."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(0)


def serve() -> None:
    """A worker process's main loop (``WORKER_COMMAND``). It reads the parent's ``sys.path``, then the job
    function, its set-up function and the memory budget; then for each ``(index, job)``: ``ready(job)``
    (unbudgeted set-up, such as loading the tokenizer the job names), "start" with the time, and the result of
    ``work(job)`` within the memory budget. It never prints: whatever goes wrong ends it, and the parent sees
    a crashed job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the parent, which stops its workers itself
    source = sys.stdin.buffer
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not break the protocol
    threading.Thread(target=end_with_parent, args=(os.getppid(),), daemon=True).start()
    try:
        _, path = read_frame(source)
        sys.path[:] = path
        _, (work, ready, memory_mb) = read_frame(source)
        while True:
            more, message = read_frame(source)
            if not more or message is None:
                return
            index, job = message
            ready(job)
            limit_memory(memory_mb)
            write_frame(out, ("start", index, time.monotonic()))
            result = work(job)
            limit_memory(None)
            write_frame(out, ("done", index, result))
    except BaseException:
        logger.debug("worker failed", exc_info=True)
        os._exit(70)
