"""Preparing one file for the library, as a worker process does it: read, normalise, parse, segment.

``prepare_document`` (bytes) and ``prepare_file`` (a path) are pure per-document functions: all they need is
in their arguments, and what they return pickles, so a worker process can run them (``prepare_chunk``, with the
tokenizer loaded beforehand by ``load_tokenizer``). They never raise: a file that cannot become a report gives
a ``Failure`` with a Chinese reason. ``ingest`` stores what they return.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import groupby
from pathlib import Path
from typing import TypeVar

import numpy as np

from reportlens.corpus import Report, check_year, make_report
from reportlens.derived import Derived, derive, derive_batch
from reportlens.errors import ReportError
from reportlens.readers import (
    CJK_FIRST,
    CJK_LAST,
    Document,
    ReadLimits,
    file_suffix,
    read_document,
    read_file,
)
from reportlens.tokenizers import TokenizerSpec, build_segmenter
from reportlens.workers import JobBudget

logger = logging.getLogger(__name__)


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
# In worker processes, plain-text files are prepared this many at a time, or up to this many bytes (see
# ``chunk_jobs``): the per-file cost of sending a job and its result, and of numbering its terms in the library,
# is then paid once a chunk (83 real reports: 0.66 s → 0.46 s on two cores), while a chunk is still done in a
# fraction of a second and a stopped import loses little.
CHUNK_FILES = 8
CHUNK_BYTES = 1_000_000
TEXT_SUFFIX = ".txt"
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


def _batches(jobs: Sequence[_Job], files: int | None = None, size_limit: int | None = None) -> Iterator[list[_Job]]:
    """The jobs in order, in batches of at most ``files`` files and, past the first file, ``size_limit`` bytes
    (by default ``BATCH_FILES`` and ``BATCH_BYTES``)."""
    files = files or BATCH_FILES
    size_limit = size_limit or BATCH_BYTES
    batch: list[_Job] = []
    size = 0
    for job in jobs:
        if batch and (len(batch) >= files or size + job.size > size_limit):
            yield batch
            batch, size = [], 0
        batch.append(job)
        size += job.size
    if batch:
        yield batch


def chunk_jobs(jobs: Sequence[_Job]) -> list[list[_Job]]:
    """The jobs in the chunks a worker process prepares at once (``workers.run_jobs``): consecutive plain-text
    files, ``CHUNK_FILES`` or ``CHUNK_BYTES`` at most; any other file alone. Reading a text file costs about
    the same per byte every time; a .docx, .pdf or .doc can cost far more than its size says, and that is where
    hostile files are, so a chunk rarely goes over budget and has to be done again file by file."""
    out: list[list[_Job]] = []
    for is_text, group in groupby(jobs, key=lambda job: file_suffix(job.label) == TEXT_SUFFIX):
        run = list(group)
        out.extend(_batches(run, CHUNK_FILES, CHUNK_BYTES) if is_text else ([job] for job in run))
    return out


def _in_process(jobs: Sequence[_Job]) -> Generator[list[Prepared | Failure], None, None]:
    """Prepare the jobs here, a batch at a time (``budget=None``: trusted files only, nothing can stop them).

    Preparing, then writing, a batch of reports back to back is about a tenth faster than alternating report by
    report: each keeps its data (the tokenizer's dictionary; the library's terms and pages) in the processor's
    caches, and the batch's reports share one vocabulary."""
    for batch in _batches(jobs):
        yield _prepare_batch(batch)


def prepare_chunk(jobs: tuple[_Job, ...]) -> list[Prepared | Failure]:
    """A chunk of jobs (see ``chunk_jobs``), as a worker process runs it (``workers.run_jobs``): read, parse,
    segment, a result for each job; never raises."""
    return _prepare_batch(jobs)


SPECS_KEPT = 2  # tokenizers a worker keeps loaded (a dictionary edit makes a new one; each holds ~100 MB)


def load_tokenizer(jobs: tuple[_Job, ...]) -> None:
    """A worker's set-up for a chunk, outside its budget: the tokenizer it names (the last few are kept)."""
    if build_segmenter.cache_info().currsize >= SPECS_KEPT:
        build_segmenter.cache_clear()
    build_segmenter(jobs[0].spec)
