"""Looking after the library from the dashboard: upload limits and results, metadata edits, deletion.

Pure helpers around ``ingest`` and ``store.Library`` for the 语料管理 page: the page shows what these return and
passes back what the user typed. Metadata edits are checked as a whole before anything is written, so a batch
with one bad year saves nothing and the user keeps every edit to fix. An upload is checked as a whole too
(how many files, how many megabytes together) before anything is read, and each file is read and parsed in
a worker process within ``upload_budget()``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from reportlens.corpus import check_year
from reportlens.errors import ReportError
from reportlens.ingest import IngestResult
from reportlens.names import infer_short_name
from reportlens.readers import MB, SUPPORTED_SUFFIXES, ReadLimits
from reportlens.store import Library
from reportlens.workers import JobBudget

logger = logging.getLogger(__name__)

UPLOAD_LIMITS = ReadLimits()  # per file: 20 MB, 100 MB unzipped (.docx), 500 PDF pages
UPLOAD_MAX_FILES = 200  # per import: the uploaded files wait in the server's memory until imported
# Per import, all files together: what the README promises. .streamlit/config.toml's server.maxUploadSize (the
# largest single file the server accepts) is set to the same, so a file between 20 and 50 MB still reaches
# the readers and is refused in Chinese.
UPLOAD_MAX_MB = 50
# Files of one import that may go over their time or memory budget before the rest are not tried: an upload
# of 200 hostile files holds its worker for three budgets, not two hundred.
UPLOAD_MAX_OVERRUNS = 3
# The server's operator may change each file's budget (seconds, megabytes) in these environment variables.
BUDGET_SECONDS_ENV = "REPORTLENS_FILE_SECONDS"
BUDGET_MEMORY_ENV = "REPORTLENS_FILE_MEMORY_MB"
UPLOAD_TYPES = tuple(s.lstrip(".") for s in SUPPORTED_SUFFIXES)
EDITABLE_COLUMNS = ("title", "year", "unit", "kind", "short_name")
METADATA_COLUMNS = (
    "report_id", "title", "year", "unit", "kind", "short_name", "year_source", "file", "chars", "added_at",
)
SHORT_NAME_MAX = 30  # characters of a short name a user may give (it labels chart axes and chips)
RESULT_COLUMNS = ["file", "status", "title", "reason"]


def max_upload_mb(limits: ReadLimits = UPLOAD_LIMITS) -> int:
    """The per-file size limit in whole megabytes (what the uploader is told)."""
    return max(1, limits.max_bytes // MB)


def upload_note(limits: ReadLimits = UPLOAD_LIMITS) -> str:
    """What a user may upload, in one Chinese sentence."""
    kinds = "、".join(f".{t}" for t in UPLOAD_TYPES)
    return (
        f"支持 {kinds} 文件，可一次选择多个（每次最多 {UPLOAD_MAX_FILES} 个，合计不超过 {UPLOAD_MAX_MB} MB）；"
        f"单个文件不超过 {max_upload_mb(limits)} MB。内容相同的文件只导入一次。"
    )


def upload_refused(sizes: Sequence[int]) -> str | None:
    """Why one import of files of these sizes (bytes) is refused as a whole, in Chinese; None when it is not:
    more files than ``UPLOAD_MAX_FILES``, or more than ``UPLOAD_MAX_MB`` together."""
    if len(sizes) > UPLOAD_MAX_FILES:
        return f"一次选择了 {len(sizes)} 个文件，超过每次 {UPLOAD_MAX_FILES} 个的上限。请分批导入。"
    total = sum(sizes)
    if total > UPLOAD_MAX_MB * MB:
        return (
            f"所选文件合计 {total / MB:.1f} MB，超过每次上传合计 {UPLOAD_MAX_MB} MB 的上限。"
            "请减少文件，分几次导入。"
        )
    return None


def upload_budget(environ: Mapping[str, str] | None = None) -> JobBudget:
    """What each uploaded file may cost to read and parse (``workers.JobBudget``'s defaults, or the operator's
    ``REPORTLENS_FILE_SECONDS`` / ``REPORTLENS_FILE_MEMORY_MB``), and at most ``UPLOAD_MAX_OVERRUNS`` files
    over it per import. A value that is not a positive number is ignored (and logged)."""
    env = os.environ if environ is None else environ
    default = JobBudget()
    return JobBudget(
        seconds=_positive(env, BUDGET_SECONDS_ENV, default.seconds),
        memory_mb=int(_positive(env, BUDGET_MEMORY_ENV, default.memory_mb or 0)) or None,
        max_overruns=UPLOAD_MAX_OVERRUNS,
    )


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        logger.warning("ignoring %s=%r: not a positive number", name, text)
        return default
    return value


def results_frame(results: Sequence[IngestResult] | pd.DataFrame) -> pd.DataFrame:
    """One row per imported file: ``file, status`` ("ok", "duplicate", "failed"), ``title, reason``; from the
    results of an import or from the rows ``Library.last_import`` keeps of it."""
    frame = (
        results.reindex(columns=RESULT_COLUMNS)
        if isinstance(results, pd.DataFrame)
        else pd.DataFrame([(r.file, r.status, r.title, r.reason) for r in results], columns=RESULT_COLUMNS)
    )
    duplicate = (frame["status"] == "duplicate") & (frame["reason"].fillna("") == "")
    return frame.assign(reason=frame["reason"].fillna("").where(~duplicate, "资料库中已有内容相同的报告"))


def results_summary(results: Sequence[IngestResult] | pd.DataFrame, *, finished_at: str | None = None) -> str:
    """「导入完成：成功 3 个，重复 1 个，失败 1 个。」; with ``finished_at`` (ISO 8601, as the library keeps it)
    「最近一次导入（2026-11-22 15:20）：……」 in this computer's time zone."""
    statuses = results["status"].tolist() if isinstance(results, pd.DataFrame) else [r.status for r in results]
    counts = {status: statuses.count(status) for status in ("ok", "duplicate", "failed")}
    tally = f"成功 {counts['ok']} 个，重复 {counts['duplicate']} 个，失败 {counts['failed']} 个。"
    if finished_at is None:
        again = 0 if isinstance(results, pd.DataFrame) else sum(r.resegmented for r in results)
        if again:
            tally += f"导入期间词表有修改，其中 {again} 篇已按修改后的词表重新分词。"
        return f"导入完成：{tally}"
    try:
        when = datetime.fromisoformat(finished_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        when = finished_at
    return f"最近一次导入（{when}）：{tally}"


def metadata_frame(reports: pd.DataFrame) -> pd.DataFrame:
    """The reports as the metadata editor shows them, indexed by ``report_id``: ``title``, ``year`` (text, ""
    when unknown, so any typing reaches the check), ``unit, kind``, ``short_name`` (the user's own, else the
    inferred one; all editable), then ``year_source, file, chars, added_at``."""
    columns = [c for c in METADATA_COLUMNS if c in reports.columns or c == "short_name"]
    frame = reports.reindex(columns=columns).copy()
    for column in ("title", "unit", "kind", "short_name"):
        frame[column] = frame[column].fillna("").astype(str)
    frame["short_name"] = [
        own.strip() or infer_short_name(title, unit=unit, year=None if pd.isna(year) else int(year), kind=kind)
        for own, title, unit, year, kind in zip(
            frame["short_name"], frame["title"], frame["unit"], frame["year"], frame["kind"], strict=True
        )
    ]
    frame["year"] = ["" if pd.isna(y) else str(int(y)) for y in frame["year"]]
    return frame.set_index("report_id")


@dataclass(frozen=True)
class Change:
    """The edited fields of one report (``fields``: column → new value as typed)."""

    report_id: str
    title: str
    fields: dict[str, object]


def metadata_changes(original: pd.DataFrame, edited: pd.DataFrame) -> list[Change]:
    """The cells of ``EDITABLE_COLUMNS`` that differ between two ``metadata_frame`` tables (rows by id)."""
    changes: list[Change] = []
    for report_id in original.index:
        if report_id not in edited.index:
            continue
        fields: dict[str, object] = {}
        for column in EDITABLE_COLUMNS:
            before, after = original.at[report_id, column], edited.at[report_id, column]
            after = "" if after is None or (not isinstance(after, str) and pd.isna(after)) else after
            if str(after).strip() != str(before).strip():
                fields[column] = after
        if fields:
            changes.append(Change(str(report_id), str(original.at[report_id, "title"]), fields))
    return changes


def check_changes(changes: Sequence[Change]) -> list[str]:
    """Chinese messages for every edit the library would refuse (a bad year, an empty title); [] if none."""
    problems: list[str] = []
    for change in changes:
        where = f"《{change.title}》"
        if "year" in change.fields:
            try:
                check_year(_year_value(change.fields["year"]))
            except ReportError as err:
                problems.append(f"{where}：{err}")
        if "title" in change.fields and not str(change.fields["title"]).strip():
            problems.append(f"{where}：标题不能为空，请填写报告的标题。")
        if len(str(change.fields.get("short_name", "")).strip()) > SHORT_NAME_MAX:
            problems.append(f"{where}：简称不能超过 {SHORT_NAME_MAX} 个字（清空则按单位、年份和标题自动生成）。")
    return problems


def _year_value(value: object) -> object:
    """A typed year as ``check_year`` takes it: 「2023」, 「2023年」 and 「 2023 」 are the year 2023."""
    if isinstance(value, str):
        text = value.strip()
        return text[:-1].strip() if text.endswith("年") else text
    return value


def apply_changes(library: Library, changes: Sequence[Change]) -> int:
    """Write checked changes (``check_changes`` found nothing); returns how many reports changed.

    Every change is checked again first, so an unchecked batch raises ``ReportError`` before writing.
    """
    problems = check_changes(changes)
    if problems:
        raise ReportError(problems[0])
    for change in changes:
        fields = dict(change.fields)
        if "year" in fields:
            fields["year"] = _year_value(fields["year"])
        library.update_metadata(change.report_id, **fields)
    return len(changes)


def delete_reports(library: Library, report_ids: Sequence[str]) -> int:
    """Remove these reports and everything derived from them; returns how many were there."""
    return sum(library.delete(report_id) for report_id in report_ids)
