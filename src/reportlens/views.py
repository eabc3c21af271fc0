"""What a view shows, said in words: the subtitle inside an exported image and the name of the file.

Every export describes itself the same way — a dashboard chart, a word cloud, a table's CSV, a slide of the
meeting pack: ``describe(view, scope)`` gives the title, a subtitle naming the reports (their short names, or
their count and series), the years actually in view and the part of the report, and a file stem naming the
view, the reports or their count and those years. ``scope_of`` builds the ``Scope`` from a reports table.

Streamlit-free and pure: the dashboard (``ui.widgets``) and the export modules call the same function.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

NAMES_SHOWN = 3  # a subtitle names up to this many reports, then counts them
NAMES_IN_FILE = 2  # a file name names up to this many reports
FILE_NAME_PART_MAX = 28  # characters of one report's name in a file name
FILE_STEM_MAX = 120  # characters of a whole file stem (file systems allow 255 bytes; keep room for a suffix)
YEARS_LISTED = 4  # separate years listed one by one up to this many, then a range with their count
WHOLE_TEXT = "全文"
UNKNOWN_YEAR = "年份不详"
SEPARATOR = "｜"
# Characters Windows, macOS or Linux refuse in a file name, and control characters: 「a/b:c」 → 「abc」.
RE_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
RE_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Scope:
    """The reports a view draws, in its order: their short ``names``, ``years`` (None: unknown), ``kinds``
    and ``units``; ``part``: the Chinese name of the part shown (「存在问题」, 「全文」 for the whole text, ""
    for a view that shows every part side by side); ``total``: how many reports the library holds."""

    names: tuple[str, ...]
    years: tuple[int | None, ...]
    part: str = WHOLE_TEXT
    total: int = 0
    kinds: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.names)

    def known_years(self) -> list[int]:
        """The distinct known years in view, ascending."""
        return sorted({int(y) for y in self.years if y is not None})


@dataclass(frozen=True)
class Description:
    """``title`` of the view, ``subtitle`` (reports｜years｜part) and ``file_stem`` for its downloads."""

    title: str
    subtitle: str
    file_stem: str

    @property
    def heading(self) -> str:
        """Title and subtitle on one line (a CSV or a sheet has no room for two)."""
        return f"{self.title}{SEPARATOR}{self.subtitle}" if self.subtitle else self.title


def scope_of(
    reports: pd.DataFrame,
    report_ids: Sequence[str],
    *,
    part: str = WHOLE_TEXT,
    name_column: str = "short",
) -> Scope:
    """The ``Scope`` of ``report_ids`` (in that order) from a reports table with ``report_id``, ``year`` and
    ``name_column`` (and, when present, ``kind`` and ``unit``); ``total`` is the table's length."""
    rows = reports.drop_duplicates("report_id").set_index("report_id").reindex(list(report_ids))
    years = tuple(None if pd.isna(y) else int(y) for y in rows["year"])

    def column(name: str) -> tuple[str, ...]:
        if name not in rows.columns:
            return ()
        return tuple("" if pd.isna(v) else str(v) for v in rows[name])

    return Scope(
        names=column(name_column),
        years=years,
        part=part,
        total=len(reports),
        kinds=column("kind"),
        units=column("unit"),
    )


def years_text(scope: Scope) -> str:
    """The years in view: 「2023 年」, 「2022–2024 年」, 「2019、2021、2023 年」, 「1954–2026 年（其中 57 个年份）」;
    「另有 1 篇年份不详」 is added when some reports have no known year, 「年份不详」 when none has."""
    years = scope.known_years()
    unknown = sum(y is None for y in scope.years)
    if not years:
        return UNKNOWN_YEAR
    if len(years) == 1:
        text = f"{years[0]} 年"
    elif years[-1] - years[0] + 1 == len(years):
        text = f"{years[0]}–{years[-1]} 年"
    elif len(years) <= YEARS_LISTED:
        text = "、".join(str(y) for y in years) + " 年"
    else:
        text = f"{years[0]}–{years[-1]} 年（其中 {len(years)} 个年份）"
    return text + (f"，另有 {unknown} 篇{UNKNOWN_YEAR}" if unknown else "")


def _common(values: tuple[str, ...]) -> str:
    """The one value every report shares ("" when they differ or it is empty)."""
    distinct = set(values)
    return values[0] if len(distinct) == 1 and values and values[0] else ""


def reports_text(scope: Scope) -> str:
    """The reports in view: their short names (up to ``NAMES_SHOWN``), else their count and what they share:
    「全部 83 篇报告」, 「31 篇政府工作报告」, 「4 篇报告（***市文化和旅游局）」."""
    if scope.count == 0:
        return "没有报告"
    if scope.count <= NAMES_SHOWN:
        return "、".join(scope.names)
    kind = _common(scope.kinds)
    unit = _common(scope.units)
    everything = "全部 " if scope.total and scope.count == scope.total else ""
    text = f"{everything}{scope.count} 篇{kind or '报告'}"
    return text + (f"（{unit}）" if unit else "")


def part_text(scope: Scope) -> str:
    """「全文」, or 「存在问题部分」 for one part; "" when the view is not about one part (``part=""``)."""
    return scope.part if scope.part in (WHOLE_TEXT, "") else f"{scope.part}部分"


def subtitle(scope: Scope) -> str:
    """「报告｜年份｜部分」: what the view shows, for inside the image. A single report whose name already
    carries its year does not repeat it."""
    years = years_text(scope)
    lone = scope.count == 1 and scope.years[0] is not None and str(scope.years[0]) in scope.names[0]
    pieces = [reports_text(scope)] + ([] if lone else [years]) + [part_text(scope)]
    return SEPARATOR.join(p for p in pieces if p)


def safe_file_part(text: str, limit: int = FILE_NAME_PART_MAX) -> str:
    """``text`` usable in a file name on any system: no path or reserved characters, no spaces, at most
    ``limit`` characters (a short name starts with its unit and year, so the start is kept)."""
    cleaned = RE_SPACES.sub("", RE_FILE_UNSAFE.sub("", text))
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _file_years(scope: Scope) -> str:
    years = scope.known_years()
    if not years:
        return UNKNOWN_YEAR
    if len(years) == 1:
        return str(years[0])
    if years[-1] - years[0] + 1 == len(years) or len(years) > YEARS_LISTED:
        return f"{years[0]}-{years[-1]}"
    return "、".join(str(y) for y in years)


def _file_reports(scope: Scope) -> str:
    if scope.count <= NAMES_IN_FILE:
        return "+".join(safe_file_part(n) for n in scope.names) or "没有报告"
    everything = "全部" if scope.total and scope.count == scope.total else ""
    return f"{everything}{scope.count}篇"


def file_stem(view: str, scope: Scope) -> str:
    """A file name without suffix: 「高频词_市文旅局2023党风廉政报告_2023_存在问题」, 「词云_全部5篇_2022-2023_全文」.
    It names the view, the reports (or their count), the years in view and the part."""
    pieces = [safe_file_part(view, FILE_NAME_PART_MAX), _file_reports(scope), _file_years(scope), scope.part]
    stem = "_".join(p for p in pieces if p)
    return stem[:FILE_STEM_MAX]


def describe(view: str, scope: Scope, *, title: str | None = None) -> Description:
    """Title, subtitle and file stem of ``view`` (a Chinese name: 「高频词」) showing ``scope``; ``title``
    replaces ``view`` as the heading when given (「关键词年度趋势（每万字频次）」)."""
    return Description(title=title or view, subtitle=subtitle(scope), file_stem=file_stem(view, scope))
