"""Putting files into the library: read, normalise, parse, segment — then store, each report whole or not at all.

``prepare_document`` (bytes) and ``prepare_file`` (a path) are pure per-document functions: all they need is
in their arguments, and what they return pickles, so a worker process can run them. They never raise: a file
that cannot become a report gives a ``Failure`` with a Chinese reason. ``ingest_paths`` (files and folders)
and ``ingest_uploads`` (name, bytes pairs from the app) prepare each file in a worker process within a time
and memory budget (``workers.run_jobs``: a hostile file is stopped, fails with its reason, and the import goes
on) — or, with ``budget=None``, in this process, a batch at a time (the bundled seeds, trusted) — and write
the results here, in order, a few reports per transaction and each in a savepoint of it (``Library.batch``),
so a report is in the library wholly or not at all, and one bad file never stops the batch.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

import numpy as np

from reportlens.corpus import METADATA_FILE, SEEDS_DIR, Report, check_year, folder_metadata, make_report
from reportlens.derived import Derived, TokenizerSpec, build_segmenter, derive, derive_batch
from reportlens.errors import ReportError
from reportlens.lexicon import IMPORTING
from reportlens.maintenance import refresh_derived
from reportlens.paths import library_path
from reportlens.readers import CJK_FIRST, CJK_LAST, Document, ReadLimits, read_document, read_file
from reportlens.workers import JobBudget, Outcomes, Waiting, run_jobs

if TYPE_CHECKING:  # imported where used: a worker process runs ``prepare_job`` without the library code
    from reportlens.store import Library

logger = logging.getLogger(__name__)

Status = Literal["ok", "duplicate", "failed"]
T = TypeVar("T")
# A text is taken as Chinese when at least this share of its letters are Chinese characters. Real reports
# are over 90 %; a report quoting English names or GDP, AI, 5G stays far above it.
MIN_HAN_SHARE = 0.2
LANGUAGE_SAMPLE = 5_000
# Without worker processes (``budget=None``), files are prepared this many at a time, or up to this many bytes,
# then written (see ``_in_process``). A prepared report holds about 20 bytes per character of text: a batch at
# most some tens of megabytes.
BATCH_FILES = 32
BATCH_BYTES = 3_000_000
# What one file may cost to read and parse, in a worker process (``workers.JobBudget``'s defaults).
DEFAULT_BUDGET = JobBudget()
# Runs of anything but Chinese characters (CJK unified ideographs, extensions A–G, compatibility ideographs):
# removing them from 「GDP增长5%」 leaves 「增长」.
RE_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# Runs of anything but letters of any script: removing them from 「GDP增长5%」 leaves 「GDP增长」.
RE_NOT_LETTER = re.compile(r"[\W\d_]+")
UNEXPECTED = "处理文件时出现意外错误，文件未导入。请确认文件能用原来的软件正常打开，另存后重试。"
CRASHED = (
    "处理这个文件时处理进程意外退出（文件可能已损坏、过于复杂，或所需内存超过上限），文件未导入。"
    "请用原来的软件打开后另存，再导入。"
)
# What pyo3 (rjieba's bridge to Rust) raises when Rust code panics: a BaseException, not an Exception.
NATIVE_PANIC = "PanicException"
NO_WORKER = (
    "无法启动处理文件的子进程，文件未导入。请检查报告透视的安装（能否运行它的 Python）和服务器的进程数限制后重试。"
)
OVER_MEMORY = (
    "处理这个文件所需的内存超过了上限，已停止，文件未导入。文件可能过于复杂或是恶意构造的；"
    "请拆分文件，或另存为 .txt / .docx 后重试。"
)


@dataclass(frozen=True, eq=False)
class Prepared:
    """A file turned into a report and everything derived from it, ready to be stored; ``notes``: what the
    user should know about how the file was read (Chinese sentences, see ``readers.Document``)."""

    file: str
    report: Report
    derived: Derived
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Failure:
    """A file that could not become a report, and why (a Chinese sentence fit for the user)."""

    file: str
    reason: str


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


@lru_cache(maxsize=1 << 16)
def _script(point: int) -> tuple[int, int]:
    """Whether a character is Chinese and whether it is a letter (1 or 0), as ``RE_NOT_HAN`` and
    ``RE_NOT_LETTER`` judge it."""
    char = chr(point)
    return int(RE_NOT_HAN.match(char) is None), int(RE_NOT_LETTER.match(char) is None)


def han_and_letters(text: str) -> tuple[int, int]:
    """How many Chinese characters and how many letters of any script (Chinese included) the opening
    ``LANGUAGE_SAMPLE`` characters of ``text`` hold. Common Chinese characters, most of a report, are counted at
    once (each is Chinese and a letter); each distinct other character is looked at once."""
    sample = np.frombuffer(text[:LANGUAGE_SAMPLE].encode("utf-32-le", "surrogatepass"), dtype="<u4")
    common = (sample >= CJK_FIRST) & (sample <= CJK_LAST)
    han = letters = int(np.count_nonzero(common))
    points, counts = np.unique(sample[~common], return_counts=True)
    for point, count in zip(points.tolist(), counts.tolist(), strict=True):
        is_han, is_letter = _script(point)
        han += count * is_han
        letters += count * is_letter
    return han, letters


def check_chinese(text: str) -> None:
    """Refuse (``ReportError``) a text that is not Chinese: reportlens reads Chinese reports only, and an
    English text would give empty or meaningless keyword and structure views. Judged on the opening
    ``LANGUAGE_SAMPLE`` characters."""
    han, letters = han_and_letters(text)
    if han == 0 or han < MIN_HAN_SHARE * letters:
        raise ReportError(
            f"文件中几乎没有中文（{han} 个汉字，{letters - han} 个其他文字）：报告透视只分析中文工作报告。"
            "请确认选对了文件；外文报告请先翻译成中文再导入。"
        )


def _year_in_range(report: Report) -> Report:
    """A year from metadata must be valid (else ``ReportError``); an inferred one out of range is dropped."""
    if report.year_source == "metadata":
        check_year(report.year)
        return report
    try:
        check_year(report.year)
    except ReportError:
        return report.with_metadata(year=None, year_source="unknown", year_evidence="推断出的年份超出范围，请手动填写")
    return report


def _report_of(text: str, name: str, metadata: Mapping[str, str] | None) -> Report:
    """Normalised text → report; raises ``ReportError`` for a text that is no Chinese report."""
    check_chinese(text)
    return _year_in_range(make_report(text, file=Path(name).name, metadata=dict(metadata or {})))


def native_panic(err: BaseException) -> bool:
    """Whether ``err`` is pyo3's PanicException: Rust code in a native library panicked."""
    return type(err).__name__ == NATIVE_PANIC


def _guarded(name: str, work: Callable[[], T]) -> T | Failure:
    try:
        return work()
    except ReportError as err:
        return Failure(name, str(err))
    except MemoryError:  # past a worker's memory budget (see workers)
        return Failure(name, OVER_MEMORY)
    except Exception:  # a bug or a library failing on a hostile file must not end the batch
        # debug, not exception(): with no logging set up, Python prints warnings and errors (with their
        # traceback) to stderr, and the command line never shows a traceback
        logger.debug("unexpected error preparing %s", name, exc_info=True)
        return Failure(name, UNEXPECTED)
    except BaseException as err:
        if not native_panic(err):
            raise
        # a native library panicked (under a memory budget: most often an allocation it could not get)
        logger.debug("a native library panicked preparing %s", name, exc_info=True)
        return Failure(name, CRASHED)


def prepare_document(
    data: bytes,
    name: str,
    *,
    limits: ReadLimits | None = None,
    tokenizer_spec: TokenizerSpec | None = None,
    metadata: Mapping[str, str] | None = None,
) -> Prepared | Failure:
    """A file's bytes (``name`` picks the reader by suffix) → ``Prepared``, or ``Failure`` with the reason.

    Pure: reads nothing but its arguments and changes nothing; never raises.
    """
    job = _Job(name, None, data, metadata, limits or ReadLimits(), tokenizer_spec or TokenizerSpec())
    return _prepare_batch([job])[0]


def prepare_file(
    path: str | os.PathLike[str],
    *,
    label: str | None = None,
    limits: ReadLimits | None = None,
    tokenizer_spec: TokenizerSpec | None = None,
    metadata: Mapping[str, str] | None = None,
) -> Prepared | Failure:
    """Like ``prepare_document`` for a file on disk (its size is checked before it is read).
    ``label`` names it in the result (default: the path as given)."""
    name = label if label is not None else str(path)
    job = _Job(name, os.fspath(path), None, metadata, limits or ReadLimits(), tokenizer_spec or TokenizerSpec())
    return _prepare_batch([job])[0]


# ---------------------------------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class _Job:
    """One file to prepare: a path on disk or uploaded bytes (picklable, sent to a worker)."""

    label: str
    path: str | None
    data: bytes | None
    metadata: Mapping[str, str] | None
    limits: ReadLimits
    spec: TokenizerSpec

    @property
    def size(self) -> int:
        """The file's size in bytes (0 when it cannot be seen: reading it will say why)."""
        if self.path is None:
            return len(self.data or b"")
        try:
            return os.stat(self.path).st_size
        except (OSError, ValueError):
            return 0


def _read(job: _Job) -> Document:
    if job.path is not None:
        return read_file(job.path, limits=job.limits)
    return read_document(job.data or b"", job.label, limits=job.limits)


def _prepared(report: Report, job: _Job, notes: tuple[str, ...]) -> Prepared:
    return Prepared(job.label, report, derive(report, build_segmenter(job.spec)), notes)


def _prepare_batch(jobs: Sequence[_Job]) -> list[Prepared | Failure]:
    """Prepare jobs one step at a time: every file read, then every report made, then the outlines and tokens
    of all the reports together (``derive_batch``: one vocabulary for the batch). Each job succeeds or fails
    on its own; like ``prepare_document``, never raises.

    Doing the same work back to back keeps its data in the processor's caches, and a shared vocabulary is
    judged, sent back and looked up in the library once for the batch, not once a report.
    """
    documents = [_guarded(job.label, partial(_read, job)) for job in jobs]
    notes = {id(job): d.notes for job, d in zip(jobs, documents, strict=True) if isinstance(d, Document)}
    reports = [
        d if isinstance(d, Failure) else _guarded(job.label, partial(_report_of, d.text, job.label, job.metadata))
        for job, d in zip(jobs, documents, strict=True)
    ]
    made = [(job, report) for job, report in zip(jobs, reports, strict=True) if isinstance(report, Report)]
    derived: dict[int, Prepared] = {}
    if made and len({job.spec for job, _ in made}) == 1:
        try:
            together = derive_batch([report for _, report in made], build_segmenter(made[0][0].spec))
        except BaseException as err:  # one report the engine cannot take: derive each alone, so only it fails
            if not isinstance(err, Exception) and not native_panic(err):
                raise
            logger.debug("deriving the batch together failed; deriving each report alone", exc_info=True)
        else:
            derived = {
                id(job): Prepared(job.label, report, d, notes[id(job)])
                for (job, report), d in zip(made, together, strict=True)
            }
    return [
        report if isinstance(report, Failure)
        else derived[id(job)] if id(job) in derived
        else _guarded(job.label, partial(_prepared, report, job, notes[id(job)]))
        for job, report in zip(jobs, reports, strict=True)
    ]  # fmt: skip


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


def _batches(jobs: Sequence[_Job]) -> Iterator[list[_Job]]:
    """The jobs in order, in batches of at most ``BATCH_FILES`` files and, past the first file, ``BATCH_BYTES``."""
    batch: list[_Job] = []
    size = 0
    for job in jobs:
        if batch and (len(batch) >= BATCH_FILES or size + job.size > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(job)
        size += job.size
    if batch:
        yield batch


def _in_process(jobs: Sequence[_Job]) -> Generator[list[Prepared | Failure], None, None]:
    """Prepare the jobs here, a batch at a time (``budget=None``: trusted files only, nothing can stop them).

    Preparing, then writing, a batch of reports back to back is about a tenth faster than alternating report by
    report: each keeps its data (the tokenizer's dictionary; the library's terms and pages) in the processor's
    caches, and the batch's reports share one vocabulary."""
    for batch in _batches(jobs):
        yield _prepare_batch(batch)


def prepare_job(job: _Job) -> Prepared | Failure:
    """One job, as a worker process runs it (``workers.run_jobs``): read, parse, segment; never raises."""
    return _prepare_batch([job])[0]


SPECS_KEPT = 2  # tokenizers a worker keeps loaded (a dictionary edit makes a new one; each holds ~100 MB)


def load_tokenizer(job: _Job) -> None:
    """A worker's set-up for a job, outside its budget: the tokenizer it names (the last few are kept)."""
    if build_segmenter.cache_info().currsize >= SPECS_KEPT:
        build_segmenter.cache_clear()
    build_segmenter(job.spec)


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
            f"本次导入已有 {budget.max_overruns} 个文件超出处理时间或内存上限，为免长时间占用服务器，"
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
        else run_jobs(jobs, prepare_job, ready=load_tokenizer, outcomes=_outcomes(budget), budget=budget,
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
