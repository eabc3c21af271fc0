"""Putting files into the library: read, normalise, parse, segment — then store, each report whole or not at all.

Each file is prepared by ``prepare`` (``prepare_document``, ``prepare_file``: pure per-document functions a
worker process can run; a file that cannot become a report gives a ``Failure`` with a Chinese reason), and
stored here. ``ingest_paths`` (files and folders)
and ``ingest_uploads`` (name, bytes pairs from the app) prepare each file in a worker process within a time
and memory budget (``workers.run_jobs``: a hostile file is stopped, fails with its reason, and the import goes
on) — or, with ``budget=None``, in this process, a batch at a time (the bundled seeds, trusted) — and write
the results here, in order, a few reports per transaction and each in a savepoint of it (``Library.batch``),
so a report is in the library wholly or not at all, and one bad file never stops the batch.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reportlens.corpus import METADATA_FILE, SEEDS_DIR, folder_metadata
from reportlens.errors import ReportError
from reportlens.lexicon import IMPORTING
from reportlens.maintenance import refresh_derived
from reportlens.paths import library_path
from reportlens.readers import ReadLimits
from reportlens.workers import JobBudget, Outcomes, Waiting, run_jobs

if TYPE_CHECKING:  # imported where used: a worker process runs ``prepare_chunk`` without the library code
    from reportlens.store import Library

from reportlens.prepare import (
    CRASHED,
    DEFAULT_BUDGET,
    NO_WORKER,
    OVER_MEMORY,
    UNEXPECTED,
    Failure,
    Prepared,
    _in_process,
    _Job,
    chunk_jobs,
    load_tokenizer,
    prepare_chunk,
)

logger = logging.getLogger(__name__)

Status = Literal["ok", "duplicate", "failed"]


@dataclass(frozen=True)
class IngestResult:
    """What became of one file: "ok" (added), "duplicate" (its text is already in the library) or "failed".
    ``reason`` says why a file failed, or what to know about one added (how it was read)."""

    file: str
    status: Status
    report_id: str | None = None
    title: str = ""
    reason: str = ""
    resegmented: bool = False  # added, then segmented again: the dictionary changed while it was being read


Progress = Callable[[int, int, IngestResult], None]


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in relative.parts)


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to ingest: each path given, and every file under each folder (recursively, sorted).

    Inside folders, hidden files and folders (「.」 or Office's 「~$」 lock files) and ``metadata.csv``
    are left out; a path given explicitly is always kept (a missing one fails when it is read).
    """
    out: list[Path] = []
    for given in paths:
        root = Path(given)
        if not root.is_dir():
            out.append(root)
            continue
        found: list[Path] = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = Path(folder) / name
                if name != METADATA_FILE and not _hidden(path.relative_to(root)):
                    found.append(path)
        out.extend(sorted(found))
    return out


def _folder_metadata(
    folder: Path, cache: dict[Path, dict[str, dict[str, str]]], notes: list[IngestResult]
) -> dict[str, dict[str, str]]:
    """The metadata.csv rows of a folder (read once); one that cannot be read becomes a "failed" note."""
    if folder not in cache:
        cache[folder], problem = folder_metadata(folder)
        if problem:
            notes.append(IngestResult(str(folder / METADATA_FILE), "failed", reason=problem))
    return cache[folder]


def _outcomes(budget: JobBudget) -> Outcomes[_Job, Prepared | Failure]:
    """What a job that did not finish in its worker becomes: a failure saying why."""
    return Outcomes(
        timed_out=lambda job, seconds: Failure(
            job.label,
            f"处理超过 {seconds:g} 秒仍未完成，已停止，文件未导入（文件可能过于复杂或是恶意构造的）。"
            "请用原来的软件打开后另存为 .txt 或 .docx，或拆分后重试。",
        ),
        crashed=lambda job: Failure(job.label, CRASHED),
        unstartable=lambda job: Failure(job.label, NO_WORKER),
        skipped=lambda job: Failure(
            job.label,
            f"本次导入已有 {budget.max_overruns} 次处理超出时间或内存上限，为免长时间占用服务器，"
            "其余文件没有处理。请检查那些文件，再把其余文件分批导入。",
        ),
        label=lambda job: job.label,
        over_memory=lambda outcome: isinstance(outcome, Failure) and outcome.reason == OVER_MEMORY,
    )


def _failed(outcome: Prepared | Failure, reason: str) -> IngestResult:
    """What became of a file that is not in the library: a ``Failure``'s own reason, else ``reason``."""
    if isinstance(outcome, Failure):
        return IngestResult(outcome.file, "failed", reason=outcome.reason)
    return IngestResult(outcome.file, "failed", outcome.report.id, outcome.report.title, reason)


def _store(outcome: Prepared | Failure, library: Library) -> IngestResult:
    if isinstance(outcome, Failure):
        return _failed(outcome, outcome.reason)
    report = outcome.report
    try:
        added = library.add(report, outcome.derived)
    except ReportError as err:
        return _failed(outcome, str(err))
    except Exception:  # a bug while writing: the transaction was rolled back, the batch goes on
        logger.debug("unexpected error storing %s", outcome.file, exc_info=True)
        return _failed(outcome, UNEXPECTED)
    if not added:
        return IngestResult(outcome.file, "duplicate", report.id, report.title)
    return IngestResult(outcome.file, "ok", report.id, report.title, "".join(outcome.notes))


def _rows(results: Sequence[IngestResult]) -> list[tuple[str, str, str | None, str, str]]:
    return [(r.file, r.status, r.report_id, r.title, r.reason) for r in results]


def _store_all(
    outcomes: list[Prepared | Failure], library: Library, record: list[int | None] | None
) -> list[IngestResult]:
    """Store prepared reports in one library batch (``Library.batch``: each report whole or not at all, all of
    them committed together) with, when ``record`` is given, the import record's rows for these files
    (``Library.record_import``, into import ``record[0]``, which a first batch sets). If the batch cannot be
    committed, none of its reports is in: they are failed (and so recorded, if that can still be done)."""
    results: list[IngestResult] = []
    try:
        with library.batch():
            results.extend(_store(outcome, library) for outcome in outcomes)
            if record is not None:
                record[0] = library.record_import(_rows(results), batch=record[0])
    except ReportError as err:
        lost = [_failed(outcome, str(err)) for outcome in outcomes[len(results) :]]
        results = [r if r.status != "ok" else replace(r, status="failed", reason=str(err)) for r in results] + lost
        if record is not None:
            _record(results, library, record)
    return results


def _ingest(
    jobs: list[_Job],
    library: Library,
    *,
    workers: int,
    budget: JobBudget | None,
    progress: Progress | None,
    waiting: Waiting | None = None,
    record: bool = True,
    notes: Sequence[IngestResult] = (),
) -> list[IngestResult]:
    """Prepare and store the jobs: each in a worker process within ``budget`` (``workers`` of them), or with
    ``budget=None`` in this process. With ``record``, the library remembers what became of each file
    (``Library.record_import``), written in the same transaction as the reports of its batch: whatever stops
    the import (the app stops a script run midway when its user leaves, a crash, a kill), the record lists
    every report it stored. ``progress`` hears of a file once its report is committed; ``waiting(file,
    seconds)`` every half second while a file is being prepared. ``notes`` (a metadata.csv that cannot be
    read) come first in the results, as files of their own."""
    if jobs:
        library.check_writable()  # a read-only library is said once, not blamed on every file
    results: list[IngestResult] = list(notes)
    total = len(jobs) + len(notes)
    import_id: list[int | None] | None = [None] if record else None
    prepared = (
        _in_process(jobs) if budget is None
        else run_jobs(chunk_jobs(jobs), prepare_chunk, ready=load_tokenizer, outcomes=_outcomes(budget), budget=budget,
                      workers=workers, waiting=waiting)
    )  # fmt: skip
    try:
        if notes and import_id is not None:
            _record(list(notes), library, import_id)
        if progress is not None:
            for done, note in enumerate(notes, 1):
                progress(done, total, note)
        for outcomes in prepared:
            library.mark_activity(IMPORTING, done=len(results), total=total)
            stored = _store_all(outcomes, library, import_id)
            results.extend(stored)  # before telling ``progress``, which may stop the run: these are in
            if progress is not None:
                for done, result in enumerate(stored, len(results) - len(stored) + 1):
                    progress(done, total, result)
        results = _converge(results, library)
    finally:
        prepared.close()  # stops the workers still busy (an interrupted import leaves no work behind)
        if jobs:
            library.mark_activity(IMPORTING, ended=True)
    return results


def _converge(results: list[IngestResult], library: Library) -> list[IngestResult]:
    """Segment again, with the library's dictionary as it is now, the reports of this import that were read
    with the one it had when the import began (another session saved the dictionary meanwhile: its
    re-segmentation could not see reports that were not stored yet). Marks them ``resegmented``."""
    added = [r.report_id for r in results if r.status == "ok" and r.report_id]
    stale = set(library.stale_ids(report_ids=added)) if added else set()
    if not stale:
        return results
    refresh_derived(library, report_ids=sorted(stale))
    return [replace(r, resegmented=True) if r.report_id in stale and r.status == "ok" else r for r in results]


def _record(results: list[IngestResult], library: Library, record: list[int | None]) -> None:
    try:
        record[0] = library.record_import(_rows(results), batch=record[0])
    except ReportError:  # no report of these is in; only the list of what happened to each file is not kept
        logger.debug("could not record the import", exc_info=True)


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]],
    library: Library,
    *,
    workers: int = 1,
    limits: ReadLimits | None = None,
    budget: JobBudget | None = DEFAULT_BUDGET,
    progress: Progress | None = None,
    waiting: Waiting | None = None,
) -> list[IngestResult]:
    """Add files, and every file under folders (see ``collect_files``), to ``library``; one result per file.

    A ``metadata.csv`` beside a file supplies its title, year, unit and kind. Each file is read and parsed in
    one of ``workers`` worker processes within ``budget`` (``workers.JobBudget``: time and memory; a file over it
    fails with the reason); ``budget=None`` prepares them in this process instead (trusted files only).
    Writing stays here, in order (see ``_store_all``). ``progress(done, total, result)`` is called for each
    file once its report is committed (files are stored a few at a time, so calls come in short bursts);
    ``waiting(file, seconds)`` every half second while a worker is busy with a file. Never raises for a bad
    file: it is reported "failed"; raises ``ReportError`` before doing anything when the library cannot be
    written (read-only, damaged).
    """
    jobs, notes = _path_jobs(paths, library, limits or ReadLimits())
    return _ingest(jobs, library, workers=workers, budget=budget, progress=progress, waiting=waiting, notes=notes)


def _path_jobs(
    paths: Iterable[str | os.PathLike[str]], library: Library, limits: ReadLimits
) -> tuple[list[_Job], list[IngestResult]]:
    """The jobs of the files under ``paths`` and a "failed" note for each metadata.csv that cannot be read."""
    spec = library.tokenizer_spec()
    cache: dict[Path, dict[str, dict[str, str]]] = {}
    notes: list[IngestResult] = []
    jobs = [
        _Job(str(path), str(path), None, _folder_metadata(path.parent, cache, notes).get(path.name), limits, spec)
        for path in collect_files(paths)
    ]
    return jobs, notes


def ingest_uploads(
    files: Iterable[tuple[str, bytes]],
    library: Library,
    *,
    workers: int = 1,
    limits: ReadLimits | None = None,
    budget: JobBudget | None = DEFAULT_BUDGET,
    progress: Progress | None = None,
    waiting: Waiting | None = None,
) -> list[IngestResult]:
    """Add uploaded files, given as (file name, bytes) pairs, to ``library``; as ``ingest_paths``."""
    limits = limits or ReadLimits()
    spec = library.tokenizer_spec()
    jobs = [_Job(name, None, data, None, limits, spec) for name, data in files]
    return _ingest(jobs, library, workers=workers, budget=budget, progress=progress, waiting=waiting)


def seed_library(library: Library) -> list[IngestResult]:
    """Load the bundled seed reports (``seeds/`` with its metadata.csv) and mark the library seeded. Not kept
    as an import: the 语料管理 page lists what its user imported. The seeds are ours: prepared here, without
    a worker process."""
    jobs, notes = _path_jobs([SEEDS_DIR], library, ReadLimits()) if SEEDS_DIR.is_dir() else ([], [])
    results = _ingest(jobs, library, workers=1, budget=None, progress=None, record=False, notes=notes)
    library.set_meta("seeded", "yes")
    return results


def open_library(
    path: str | os.PathLike[str] | None = None,
    *,
    seed: bool = True,
    refresh: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Library:
    """Open the library (``paths.library_path``: explicit path, ``$REPORTLENS_LIBRARY``, per-user file).

    On first use — a library that was never seeded and holds no report — the bundled seed reports are loaded
    (``seed=False`` skips that for good). With ``refresh``, reports whose derived data a changed parser or
    dictionary made stale are recomputed (``progress(done, total)``).
    """
    from reportlens.store import Library

    library = Library(library_path(path))
    try:
        if library.get_meta("seeded") is None and len(library) == 0:
            if seed:
                seed_library(library)
            else:
                library.set_meta("seeded", "skipped")
        if refresh:
            refresh_derived(library, progress=progress)
    except BaseException:
        library.close()
        raise
    return library
