"""Worker processes with a time and memory budget per file: a hostile PDF that would keep a parser busy for
minutes is stopped at its budget and fails with a Chinese reason, the import goes on; a worker that dies or
runs out of memory fails its own file only; work nobody waits for is stopped. The machinery (``workers``) is
tested with small job functions of this module (the workers import them by name); the ingest with real
hostile files generated here."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import SEEDS
from sample_reports import hostile_pdf, numbered_lines

from reportlens import workers
from reportlens.ingest import ingest_paths, ingest_uploads
from reportlens.prepare import CRASHED, DEFAULT_BUDGET, OVER_MEMORY
from reportlens.store import Library
from reportlens.workers import JobBudget, Outcomes, run_jobs

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

SEED_FILES = sorted(SEEDS.glob("*.txt"))
# A worker's start (interpreter, imports, tokenizer) and the parent's tick: what a stop may take beyond the
# budget in these tests, on a loaded machine.
SLACK_SECONDS = 20.0


# ------------------------------------------------------------------------------------------------ job functions


def nothing_to_set_up(job: object) -> None:
    return None


HELD: list[bytearray] = []  # what ("hold", megabytes) jobs keep in their worker process


def run(job: tuple[str, float]) -> str:
    """A job: ("sleep", seconds), ("exit", code), ("allocate", megabytes), ("hold", megabytes: allocated and
    kept for the worker's life) or ("echo", text)."""
    kind, value = job
    if kind == "hold":
        try:
            HELD.extend(bytearray(1024 * 1024) for _ in range(int(value)))
        except MemoryError:
            return "out of memory"
        return f"held {value}"
    if kind == "sleep":
        time.sleep(float(value))
    elif kind == "exit":
        os._exit(int(value))
    elif kind == "allocate":
        try:
            blocks = [bytearray(1024 * 1024) for _ in range(int(value))]
        except MemoryError:
            return "out of memory"
        return f"allocated {len(blocks)}"
    return f"done {value}"


OUTCOMES: Outcomes = Outcomes(
    timed_out=lambda job, seconds: f"timed out {job[1]}",
    crashed=lambda job: f"crashed {job[1]}",
    skipped=lambda job: f"skipped {job[1]}",
    unstartable=lambda job: f"no worker {job[1]}",
    label=lambda job: f"{job[0]} {job[1]}",
    over_memory=lambda result: result == "out of memory",
)


def run_chunk(jobs: tuple[tuple[str, float], ...]) -> list[str]:
    return [run(job) for job in jobs]


def results(jobs, budget: JobBudget, *, workers_count: int = 1, waiting=None, chunks=None) -> list[str]:
    """The results of ``jobs``, each a chunk of its own, or in chunks of the sizes ``chunks`` gives."""
    sizes = chunks or [1] * len(jobs)
    starts = [sum(sizes[:k]) for k in range(len(sizes))]
    out = []
    for batch in run_jobs([jobs[s : s + n] for s, n in zip(starts, sizes, strict=True)], run_chunk,
                          ready=nothing_to_set_up, outcomes=OUTCOMES, budget=budget, workers=workers_count,
                          waiting=waiting):  # fmt: skip
        out.extend(batch)
    return out


def test_jobs_run_in_order_in_worker_processes() -> None:
    jobs = [("echo", i) for i in range(12)]
    assert results(jobs, JobBudget(seconds=30)) == [f"done {i}" for i in range(12)]
    assert results(jobs, JobBudget(seconds=30), workers_count=3) == [f"done {i}" for i in range(12)]


def test_chunks_of_jobs_give_a_result_per_job_in_order() -> None:
    jobs = [("echo", i) for i in range(12)]
    want = [f"done {i}" for i in range(12)]
    assert results(jobs, JobBudget(seconds=30), chunks=[5, 1, 4, 2]) == want
    assert results(jobs, JobBudget(seconds=30), workers_count=3, chunks=[3, 3, 3, 3]) == want


def test_a_chunk_over_its_time_is_done_again_job_by_job() -> None:
    """Only the job to blame fails; it costs two budgets (the chunk's, then its own)."""
    results([("echo", 0)], JobBudget(seconds=30))  # a worker started and idle: its start is not timed below
    started = time.monotonic()
    got = results([("echo", 1), ("sleep", 600), ("echo", 2), ("echo", 3)], JobBudget(seconds=1.5), chunks=[3, 1])
    elapsed = time.monotonic() - started
    assert got == ["done 1", "timed out 600", "done 2", "done 3"]
    assert elapsed < 2 * 1.5 + SLACK_SECONDS


def test_a_chunk_whose_worker_dies_fails_the_job_to_blame_only() -> None:
    got = results([("echo", 1), ("exit", 9), ("echo", 2)], JobBudget(seconds=60), chunks=[3])
    assert got == ["done 1", "crashed 9", "done 2"]


@pytest.mark.skipif(not Path(workers.STATM).exists(), reason="the memory budget is set from /proc (Linux)")
def test_a_chunk_over_its_memory_is_done_again_job_by_job() -> None:
    """Two jobs keeping 150 MB each go over 256 MB together; alone, each has the budget to itself."""
    got = results([("hold", 150), ("hold", 150), ("echo", 1)], JobBudget(seconds=60, memory_mb=256), chunks=[3])
    assert got == ["held 150", "held 150", "done 1"]
    alone = results([("hold", 150), ("allocate", 4000)], JobBudget(seconds=60, memory_mb=256), chunks=[2])
    assert alone == ["held 150", "out of memory"]


def test_a_chunk_over_budget_counts_towards_the_overruns() -> None:
    jobs = [("sleep", 600), ("echo", 1), ("sleep", 601), ("echo", 2)]
    got = results(jobs, JobBudget(seconds=1, max_overruns=2), chunks=[2, 2])
    assert got == ["timed out 600", "skipped 1", "skipped 601", "skipped 2"]


def test_a_job_over_its_time_is_stopped_and_the_rest_go_on() -> None:
    results([("echo", 0)], JobBudget(seconds=30))  # a worker started and idle: its start is not timed below
    started = time.monotonic()
    got = results([("echo", 1), ("sleep", 600), ("echo", 2)], JobBudget(seconds=1.5))
    elapsed = time.monotonic() - started
    assert got == ["done 1", "timed out 600", "done 2"]
    assert elapsed < 1.5 + SLACK_SECONDS


def test_a_worker_that_dies_fails_its_own_job_only() -> None:
    assert results([("echo", 1), ("exit", 9), ("echo", 2)], JobBudget(seconds=60)) == ["done 1", "crashed 9", "done 2"]


@pytest.mark.skipif(not Path(workers.STATM).exists(), reason="the memory budget is set from /proc (Linux)")
def test_a_job_over_its_memory_fails_alone() -> None:
    got = results([("allocate", 4000), ("allocate", 10), ("echo", 3)], JobBudget(seconds=60, memory_mb=256))
    assert got == ["out of memory", "allocated 10", "done 3"]


def test_no_worker_process_is_a_result_not_a_traceback(monkeypatch) -> None:
    monkeypatch.setattr(workers, "WORKER_COMMAND", "")  # what an interpreter that cannot start looks like
    monkeypatch.setattr(workers.sys, "executable", "/nonexistent/python")
    monkeypatch.setattr(workers.POOL, "_idle", [])
    assert results([("echo", 1), ("echo", 2)], JobBudget(seconds=30)) == ["no worker 1", "no worker 2"]


def test_after_too_many_overruns_the_rest_is_not_tried() -> None:
    jobs = [("sleep", 600), ("sleep", 601), ("echo", 1), ("echo", 2)]
    assert results(jobs, JobBudget(seconds=1, max_overruns=2)) == ["timed out 600", "timed out 601", "skipped 1", "skipped 2"]


def test_waiting_hears_of_the_busy_job_and_can_stop_everything() -> None:
    """The app's progress bar ticks here; when its session is gone, Streamlit raises from that call: the
    busy worker is killed, nothing runs on."""
    heard: list[tuple[str, float]] = []

    class Gone(BaseException):
        pass

    def waiting(label: str, seconds: float) -> None:
        heard.append((label, seconds))
        if seconds > 1.0:
            raise Gone

    before = set(_children())
    with pytest.raises(Gone):
        results([("sleep", 600)], JobBudget(seconds=300), waiting=waiting)
    assert heard and heard[0][0] == "sleep 600"
    time.sleep(0.5)
    assert not [pid for pid in set(_children()) - before if _state(pid) not in ("Z", "X", None)]


def _children() -> list[int]:
    """This process's child processes (Linux /proc), for checking that none is left running."""
    try:
        tasks = Path(f"/proc/{os.getpid()}/task")
        return [int(p) for t in tasks.iterdir() for p in (t / "children").read_text().split()]
    except OSError:
        return []


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return None


# ------------------------------------------------------------------------------------------------ ingest


def test_a_hostile_pdf_is_stopped_at_its_budget(tmp_path: Path) -> None:
    """500 pages sharing one content stream (100 KB): seconds of PDF parsing even within the readers' own limits
    (before them, minutes); here a budget of half a second stops it."""
    pdf = hostile_pdf(pages=500, repeats=4_000)
    assert len(pdf) < 120_000  # a small file
    budget = JobBudget(seconds=0.5)
    files = [("甲.txt", SEED_FILES[0].read_bytes()), ("hostile.pdf", pdf), ("乙.txt", SEED_FILES[1].read_bytes())]
    with Library(tmp_path / "library.sqlite3") as library:
        ingest_uploads(files[:1], library, budget=budget)  # a worker started: its start is not timed below
        started = time.monotonic()
        good, hostile, other = ingest_uploads(files, library, budget=budget)
        elapsed = time.monotonic() - started
        assert (good.status, other.status) == ("duplicate", "ok")
        assert hostile.status == "failed" and "处理超过 0.5 秒仍未完成，已停止" in hostile.reason
        assert elapsed < budget.seconds + SLACK_SECONDS
        assert len(library) == 2 and library.check() == []


def test_a_text_the_parser_would_take_minutes_on_is_stopped_at_its_budget(tmp_path: Path) -> None:
    text = numbered_lines(15_000).encode("utf-8")  # about a minute of parsing in one process
    assert len(text) < 500_000
    budget = JobBudget(seconds=3.0)
    with Library(tmp_path / "library.sqlite3") as library:
        ingest_uploads([("甲.txt", SEED_FILES[0].read_bytes())], library, budget=budget)  # a worker started
        started = time.monotonic()
        slow, other = ingest_uploads([("编号很多的报告.txt", text), ("乙.txt", SEED_FILES[1].read_bytes())], library, budget=budget)
        elapsed = time.monotonic() - started
    assert slow.status == "failed" and "处理超过 3 秒仍未完成，已停止" in slow.reason and other.status == "ok"
    assert elapsed < budget.seconds + SLACK_SECONDS


def test_many_hostile_pdfs_in_one_upload_hold_it_for_a_few_budgets(tmp_path: Path) -> None:
    pdfs = [(f"hostile_{i}.pdf", hostile_pdf(pages=100, repeats=20_000 + i)) for i in range(20)]
    budget = JobBudget(seconds=1.0, max_overruns=3)
    with Library(tmp_path / "library.sqlite3") as library:
        started = time.monotonic()
        got = ingest_uploads(pdfs, library, budget=budget)
        elapsed = time.monotonic() - started
    assert [r.status for r in got] == ["failed"] * 20
    assert all("秒仍未完成" in r.reason for r in got[:3])
    assert all("其余文件没有处理" in r.reason for r in got[3:])
    assert elapsed < 3 * budget.seconds + SLACK_SECONDS


def test_a_file_over_the_memory_budget_fails_with_its_reason(tmp_path: Path) -> None:
    """A plain 6 MB text needs a few hundred MB to parse and segment; with 100 MB allowed it fails alone."""
    big = (SEED_FILES[0].read_text(encoding="utf-8") + "\n") * 400
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_big.txt").write_text(big, encoding="utf-8")
    (folder / "b_seed.txt").write_bytes(SEED_FILES[2].read_bytes())
    with Library(tmp_path / "library.sqlite3") as library:
        if not Path(workers.STATM).exists():
            pytest.skip("the memory budget is set from /proc (Linux)")
        big_result, seed_result = ingest_paths([folder], library, budget=JobBudget(seconds=120, memory_mb=100))
    assert big_result.status == "failed" and big_result.reason in (OVER_MEMORY, CRASHED)
    assert seed_result.status == "ok"


def test_the_default_budget_takes_real_reports(tmp_path: Path) -> None:
    with Library(tmp_path / "library.sqlite3") as library:
        got = ingest_paths(SEED_FILES, library, budget=DEFAULT_BUDGET, workers=2)
    assert [r.status for r in got] == ["ok"] * len(SEED_FILES)
