"""Reports and corpora: a frozen ``Report`` per text, a ``Corpus`` of them, and metadata (file or inferred)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from reportlens import infer
from reportlens.errors import ReportError
from reportlens.normalize import normalize_line
from reportlens.readers import MB, SUPPORTED_SUFFIXES, decode_text, read_path

if TYPE_CHECKING:
    import pandas as pd

METADATA_FILE = "metadata.csv"
METADATA_COLUMNS = ("file", "title", "year", "year_source", "year_evidence", "unit", "kind")
# Metadata fields shown as text, cleaned as report text is (no bidi overrides or zero-width characters).
TEXT_FIELDS = frozenset({"title", "unit", "kind"})
METADATA_MAX_BYTES = 20 * MB  # a metadata table of 100,000 reports is about 20 MB
METADATA_RESAVE = "请在 Excel 或 WPS 中打开它，「另存为」「CSV UTF-8（逗号分隔）」后重试。"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
YEAR_MIN, YEAR_MAX = 1900, 2100
YEAR_SHOWN_CHARS = 12  # a bad year is quoted in the message up to this length
# A whole-number year as a spreadsheet may write it in a metadata.csv: 「2023.0」.
RE_SPREADSHEET_YEAR = re.compile(r"(?P<year>\d+)\.0+")


def content_id(text: str) -> str:
    """Stable report id: the first 16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Report:
    """One report. ``text`` is normalised (see ``normalize.normalize_text``); all offsets point into it.

    ``year_source`` says where the year came from: "metadata" (a person wrote it down), "title",
    "filename", "dateline", "text" (an explicit year in the opening) or "inferred" (a best guess from dated
    events; ``year_evidence`` quotes them). ``year_inferred`` is True unless a person or the text stated it.
    ``short_name``: the short name (简称) a person gave the report; "" means the inferred one
    (``names.infer_short_name``).
    """

    id: str
    title: str
    year: int | None
    year_source: str
    year_evidence: str
    unit: str
    kind: str
    text: str
    file: str
    short_name: str = ""

    @property
    def year_inferred(self) -> bool:
        return self.year_source == "inferred"

    @property
    def chars(self) -> int:
        return len(self.text)

    def with_metadata(self, **changes: object) -> Report:
        return replace(self, **changes)  # type: ignore[arg-type]


def check_year(year: object) -> int | None:
    """A year as the library keeps it: None, or a whole number from 1900 to 2100. A string of decimal digits
    is accepted (「2023」, full-width 「２０２３」), nothing else: 「①」 and 「²⁰²³」 are digits to
    ``str.isdigit`` but no number to ``int``.

    Raises ``ReportError`` (Chinese) otherwise.
    """
    if year is None or (isinstance(year, str) and not year.strip()):
        return None
    value: int | None = None
    if isinstance(year, bool):
        value = None
    elif isinstance(year, int | np.integer):
        value = int(year)
    elif isinstance(year, str) and year.strip().isdecimal() and len(year.strip()) <= 4:
        value = int(year.strip())
    elif isinstance(year, float) and year.is_integer():
        value = int(year)
    if value is None or not YEAR_MIN <= value <= YEAR_MAX:
        shown = str(year) if len(str(year)) <= YEAR_SHOWN_CHARS else str(year)[:YEAR_SHOWN_CHARS] + "…"
        raise ReportError(f"年份「{shown}」无效：请填写 {YEAR_MIN}–{YEAR_MAX} 之间的四位数字年份，或留空表示未知。")
    return value


def make_report(text: str, *, file: str = "", metadata: dict[str, str] | None = None) -> Report:
    """Build a Report from normalised text, taking what ``metadata`` says and inferring the rest."""
    meta = {k: normalize_line(v or "") if k in TEXT_FIELDS else (v or "").strip() for k, v in (metadata or {}).items()}
    if not text.strip():
        raise ReportError("文件为空：没有可读的文字。请检查文件内容后重新上传。", file=file)
    title = meta.get("title") or infer.infer_title(text, file_name=file)
    if meta.get("year"):
        written = RE_SPREADSHEET_YEAR.fullmatch(meta["year"])
        try:
            year: int | None = check_year(written["year"] if written else meta["year"])
        except ReportError as exc:
            raise ReportError(f"元数据中的{exc}", file=file) from exc
        source = meta.get("year_source") or "metadata"
        evidence = meta.get("year_evidence") or "元数据文件"
    else:
        guess = infer.infer_year(text, title=meta.get("title", ""), file_name=file)
        year, source, evidence = guess.year, guess.source, guess.evidence
    unit = meta.get("unit") or infer.infer_unit(text, title=title)
    kind = meta.get("kind") or infer.infer_kind(text, title=title)
    return Report(
        id=content_id(text),
        title=title,
        year=year,
        year_source=source,
        year_evidence=evidence,
        unit=unit,
        kind=kind,
        text=text,
        file=file,
    )


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a metadata CSV keyed by file name. A missing file is an empty mapping.

    The bytes are decoded as the readers decode a .txt file (``readers.decode_text``: UTF-8 with or without a
    BOM, UTF-16/32 with a BOM, else GB18030 — GBK is what Excel on Chinese Windows saves). Raises
    ``ReportError`` (Chinese, naming the file) for a file that is no readable table: not a regular file, too
    big, not text, not CSV, or without a ``file`` column.
    """
    if not path.exists():
        return {}
    where = f"元数据文件「{path}」"
    if not path.is_file():  # a folder, a named pipe or a device would block or never end
        raise ReportError(f"{where}不是普通文件，无法读取。", file=str(path))
    try:
        with path.open("rb") as handle:
            data = handle.read(METADATA_MAX_BYTES + 1)
    except OSError as err:
        raise ReportError(f"{where}无法读取：{err.strerror or '读取时出错'}。请检查文件权限后重试。", file=str(path)) from err
    if len(data) > METADATA_MAX_BYTES:
        raise ReportError(f"{where}过大（超过 {METADATA_MAX_BYTES // MB} MB），不像是元数据表。", file=str(path))
    try:
        text = decode_text(data)
    except ReportError as err:
        raise ReportError(f"{where}不是可读的文字表格（不是 UTF-8 或 GBK 编码）。{METADATA_RESAVE}", file=str(path)) from err
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fieldnames = [name.strip() for name in reader.fieldnames or []]
        if text.strip() and "file" not in fieldnames:
            raise ReportError(
                f"{where}第一行没有 file 列：第一行应是列名 {','.join(METADATA_COLUMNS)}，file 列写报告的文件名。",
                file=str(path),
            )
        reader.fieldnames = fieldnames
        rows = list(reader)
    except csv.Error as err:
        raise ReportError(f"{where}不是有效的 CSV 表格。{METADATA_RESAVE}", file=str(path)) from err
    return {row["file"].strip(): {k: v for k, v in row.items() if isinstance(k, str)} for row in rows if row.get("file")}


def folder_metadata(folder: Path) -> tuple[dict[str, dict[str, str]], str | None]:
    """The rows of ``folder``'s metadata.csv and, when it cannot be read, the Chinese reason (then no rows):
    for commands that go on without it but must say so."""
    try:
        return read_metadata(folder / METADATA_FILE), None
    except ReportError as err:
        return {}, f"{err}本文件夹中报告的标题、年份等按正文推断。"


def write_metadata(path: Path, reports: Iterable[Report]) -> None:
    """Write the editable metadata CSV (UTF-8 with BOM so Excel opens it) for these reports."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(METADATA_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for r in reports:
        writer.writerow(
            {
                "file": r.file,
                "title": r.title,
                "year": "" if r.year is None else r.year,
                "year_source": r.year_source,
                "year_evidence": r.year_evidence,
                "unit": r.unit,
                "kind": r.kind,
            }
        )
    path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")


@dataclass(frozen=True)
class Corpus:
    """An ordered, immutable collection of reports (unique by id)."""

    reports: tuple[Report, ...]

    def __iter__(self) -> Iterator[Report]:
        return iter(self.reports)

    def __len__(self) -> int:
        return len(self.reports)

    def get(self, report_id: str) -> Report:
        for r in self.reports:
            if r.id == report_id:
                return r
        raise KeyError(report_id)

    def frame(self) -> pd.DataFrame:
        """One row per report: id, title, year, year_source, year_inferred, unit, kind, chars, file, short_name."""
        import pandas as pd  # here, not at the top: the command line reads reports without pandas

        return pd.DataFrame(
            [
                {
                    "report_id": r.id,
                    "title": r.title,
                    "year": r.year,
                    "year_source": r.year_source,
                    "year_evidence": r.year_evidence,
                    "year_inferred": r.year_inferred,
                    "unit": r.unit,
                    "kind": r.kind,
                    "chars": r.chars,
                    "file": r.file,
                    "short_name": r.short_name,
                }
                for r in self.reports
            ],
            columns=[
                "report_id", "title", "year", "year_source", "year_evidence", "year_inferred",
                "unit", "kind", "chars", "file", "short_name",
            ],
        ).astype({"year": "Int64"})


def load_folder(folder: Path | str | None = None, *, metadata_file: str = METADATA_FILE) -> Corpus:
    """Load every supported file directly in ``folder`` (default: the bundled seeds) with its metadata CSV.

    Files that cannot be read raise ``ReportError`` naming the file.
    """
    root = Path(folder) if folder is not None else SEEDS_DIR
    if not root.is_dir():
        raise ReportError(f"找不到文件夹「{root}」，请检查路径。")
    meta = read_metadata(root / metadata_file)
    reports: list[Report] = []
    seen: set[str] = set()
    for path in sorted(p for p in root.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES):
        text = read_path(path)
        report = make_report(text, file=path.name, metadata=meta.get(path.name))
        if report.id not in seen:
            seen.add(report.id)
            reports.append(report)
    return Corpus(tuple(reports))


def load_seeds() -> Corpus:
    """The bundled default corpus (``seeds/`` with ``seeds/metadata.csv``)."""
    return load_folder(SEEDS_DIR)
