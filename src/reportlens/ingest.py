"""Putting files into the library: read, normalise, parse, segment — then store, one transaction per report.

``prepare_document`` (bytes) and ``prepare_file`` (a path) are pure per-document functions: all they need is
in their arguments, and what they return pickles, so a process pool can run them. They never raise: a file
that cannot become a report gives a ``Failure`` with a Chinese reason. ``ingest_paths`` (files and folders)
and ``ingest_uploads`` (name, bytes pairs from the app) run them — in this process, or in ``workers``
processes — and write each result in the parent, one transaction per report, so a report is in the library
wholly or not at all, and one bad file never stops the batch.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportlens.corpus import METADATA_FILE, SEEDS_DIR, Report, make_report, read_metadata
from reportlens.derived import Derived, TokenizerSpec, build_segmenter, derive
from reportlens.errors import ReportError
from reportlens.paths import library_path
from reportlens.readers import ReadLimits, read_bytes, read_path
from reportlens.store import Library, check_year

logger = logging.getLogger(__name__)

Status = Literal["ok", "duplicate", "failed"]
# A text is taken as Chinese when at least this share of its letters are Chinese characters. Real reports
# are over 90 %; a report quoting English names or GDP, AI, 5G stays far above it.
MIN_HAN_SHARE = 0.2
LANGUAGE_SAMPLE = 5_000
# Runs of anything but Chinese characters (CJK unified ideographs, extensions A–G, compatibility ideographs):
# removing them from 「GDP增长5%」 leaves 「增长」.
RE_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# Runs of anything but letters of any script: removing them from 「GDP增长5%」 leaves 「GDP增长」.
RE_NOT_LETTER = re.compile(r"[\W\d_]+")
UNEXPECTED = "处理文件时出现意外错误，文件未导入。请确认文件能用原来的软件正常打开，另存后重试。"
CRASHED = "处理这个文件时处理进程意外退出（文件可能已损坏或过于复杂），文件未导入。请另存后重试，或用 --workers 1 导入。"


@dataclass(frozen=True, eq=False)
class Prepared:
    """A file turned into a report and everything derived from it, ready to be stored."""

    file: str
    report: Report
    derived: Derived


@dataclass(frozen=True)
class Failure:
    """A file that could not become a report, and why (a Chinese sentence fit for the user)."""

    file: str
    reason: str


@dataclass(frozen=True)
class IngestResult:
    """What became of one file: "ok" (added), "duplicate" (its text is already in the library) or "failed"."""

    file: str
    status: Status
    report_id: str | None = None
    title: str = ""
    reason: str = ""


Progress = Callable[[int, int, IngestResult], None]


def check_chinese(text: str) -> None:
    """Refuse (``ReportError``) a text that is not Chinese: reportlens reads Chinese reports only, and an
    English text would give empty or meaningless keyword and structure views. Judged on the opening
    ``LANGUAGE_SAMPLE`` characters."""
    sample = text[:LANGUAGE_SAMPLE]
    han = len(RE_NOT_HAN.sub("", sample))
    letters = len(RE_NOT_LETTER.sub("", sample))
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


def prepare_text(
    text: str, name: str, *, tokenizer_spec: TokenizerSpec, metadata: Mapping[str, str] | None = None
) -> Prepared:
    """Normalised text → report and derived data; raises ``ReportError`` for a text that is no report."""
    check_chinese(text)
    report = _year_in_range(make_report(text, file=Path(name).name, metadata=dict(metadata or {})))
    return Prepared(name, report, derive(report, build_segmenter(tokenizer_spec)))


def _guarded(name: str, work: Callable[[], Prepared]) -> Prepared | Failure:
    try:
        return work()
    except ReportError as err:
        return Failure(name, str(err))
    except Exception:  # a bug or a library failing on a hostile file must not end the batch
        # debug, not exception(): with no logging set up, Python prints warnings and errors (with their
        # traceback) to stderr, and the command line never shows a traceback
        logger.debug("unexpected error preparing %s", name, exc_info=True)
        return Failure(name, UNEXPECTED)


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
    spec = tokenizer_spec or TokenizerSpec()
    return _guarded(
        name,
        lambda: prepare_text(
            read_bytes(data, name, limits=limits or ReadLimits()), name, tokenizer_spec=spec, metadata=metadata
        ),
    )


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
    spec = tokenizer_spec or TokenizerSpec()
    name = label if label is not None else str(path)
    return _guarded(
        name,
        lambda: prepare_text(
            read_path(path, limits=limits or ReadLimits()), name, tokenizer_spec=spec, metadata=metadata
        ),
    )


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


def _run_job(job: _Job) -> Prepared | Failure:
    if job.path is not None:
        return prepare_file(
            job.path, label=job.label, limits=job.limits, tokenizer_spec=job.spec, metadata=job.metadata
        )
    return prepare_document(
        job.data or b"", job.label, limits=job.limits, tokenizer_spec=job.spec, metadata=job.metadata
    )


def _init_worker(spec: TokenizerSpec) -> None:
    """Pool initializer: build the tokenizer once per worker (a forked worker finds it already built)."""
    build_segmenter(spec)


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


def _folder_metadata(folder: Path, cache: dict[Path, dict[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    if folder not in cache:
        try:
            cache[folder] = read_metadata(folder / METADATA_FILE)
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as err:
            logger.debug("ignoring unreadable %s: %s", folder / METADATA_FILE, err)
            cache[folder] = {}
    return cache[folder]


def _outcomes(jobs: Sequence[_Job], workers: int) -> Iterator[tuple[_Job, Prepared | Failure]]:
    """Prepare each job, in order: here when ``workers`` is 1, else in a process pool.

    If a worker process dies (a crash in a parsing library on a hostile file), the unfinished jobs are
    retried one at a time, each in a fresh pool, so only the file that kills its worker fails.
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job, _run_job(job)
        return
    spec = jobs[0].spec
    if multiprocessing.get_start_method() == "fork":
        build_segmenter(spec)  # built here once, forked workers inherit it instead of each loading it
    pending = deque(jobs)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(spec,)) as pool:
        window: deque[tuple[_Job, Future[Prepared | Failure]]] = deque()
        try:
            while pending or window:
                while pending and len(window) < 2 * workers:  # bounded: results wait for the writer
                    job = pending.popleft()
                    window.append((job, pool.submit(_run_job, job)))
                job, future = window[0]
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    raise
                except Exception:  # the job or its result could not cross the process boundary
                    logger.debug("pool failed on %s", job.label, exc_info=True)
                    outcome = Failure(job.label, UNEXPECTED)
                window.popleft()
                yield job, outcome
        except BrokenProcessPool:
            unfinished = [j for j, _ in window] + list(pending)
        else:
            return
    for job in unfinished:
        yield job, _isolated(job)


def _isolated(job: _Job) -> Prepared | Failure:
    with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=(job.spec,)) as pool:
        try:
            return pool.submit(_run_job, job).result()
        except BrokenProcessPool:
            logger.debug("worker died preparing %s", job.label)
            return Failure(job.label, CRASHED)


def _store(outcome: Prepared | Failure, library: Library) -> IngestResult:
    if isinstance(outcome, Failure):
        return IngestResult(outcome.file, "failed", reason=outcome.reason)
    report = outcome.report
    try:
        added = library.add(report, outcome.derived)
    except ReportError as err:
        return IngestResult(outcome.file, "failed", report.id, report.title, str(err))
    except Exception:  # a bug while writing: the transaction was rolled back, the batch goes on
        logger.debug("unexpected error storing %s", outcome.file, exc_info=True)
        return IngestResult(outcome.file, "failed", report.id, report.title, UNEXPECTED)
    return IngestResult(outcome.file, "ok" if added else "duplicate", report.id, report.title)


def _ingest(jobs: list[_Job], library: Library, *, workers: int, progress: Progress | None) -> list[IngestResult]:
    results: list[IngestResult] = []
    for _job, outcome in _outcomes(jobs, workers):
        result = _store(outcome, library)
        results.append(result)
        if progress is not None:
            progress(len(results), len(jobs), result)
    return results


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]],
    library: Library,
    *,
    workers: int = 1,
    limits: ReadLimits | None = None,
    progress: Progress | None = None,
) -> list[IngestResult]:
    """Add files, and every file under folders (see ``collect_files``), to ``library``; one result per file.

    A ``metadata.csv`` beside a file supplies its title, year, unit and kind. ``workers`` > 1 prepares files
    in that many processes; writing stays here, one transaction per report. ``progress(done, total,
    result)`` is called after each file. Never raises for a bad file: it is reported "failed".
    """
    limits = limits or ReadLimits()
    spec = library.tokenizer_spec()
    cache: dict[Path, dict[str, dict[str, str]]] = {}
    jobs = [
        _Job(str(path), str(path), None, _folder_metadata(path.parent, cache).get(path.name), limits, spec)
        for path in collect_files(paths)
    ]
    return _ingest(jobs, library, workers=workers, progress=progress)


def ingest_uploads(
    files: Iterable[tuple[str, bytes]],
    library: Library,
    *,
    workers: int = 1,
    limits: ReadLimits | None = None,
    progress: Progress | None = None,
) -> list[IngestResult]:
    """Add uploaded files, given as (file name, bytes) pairs, to ``library``; as ``ingest_paths``."""
    limits = limits or ReadLimits()
    spec = library.tokenizer_spec()
    jobs = [_Job(name, None, data, None, limits, spec) for name, data in files]
    return _ingest(jobs, library, workers=workers, progress=progress)


def seed_library(library: Library, *, workers: int = 1) -> list[IngestResult]:
    """Load the bundled seed reports (``seeds/`` with its metadata.csv) and mark the library seeded."""
    results = ingest_paths([SEEDS_DIR], library, workers=workers) if SEEDS_DIR.is_dir() else []
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
    library = Library(library_path(path))
    try:
        if library.get_meta("seeded") is None and len(library) == 0:
            if seed:
                seed_library(library)
            else:
                library.set_meta("seeded", "skipped")
        if refresh:
            library.refresh_derived(progress=progress)
    except BaseException:
        library.close()
        raise
    return library
