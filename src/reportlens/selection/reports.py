"""The report and structure views of a selection: overview and headline figures, role shares, outlines,
sections and their texts, confidence, enumerated items and themes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reportlens.analysis import (
    role_shares,
)
from reportlens.analysis.problems import Themes, theme_matrix
from reportlens.names import section_name
from reportlens.outline import EVIDENCE_SEPARATOR, confidence_label
from reportlens.selection.base import ALL, OVERVIEW_COLUMNS, _role_mask, with_names
from reportlens.tables import CorpusTables


def role_share_frame(tables: CorpusTables, report_ids: Sequence[str]) -> pd.DataFrame:
    """Share of each selected report's text per role: ``report_id, report, role, chars, share``."""
    shares = role_shares(tables.parts.iloc[tables.index.rows_of("parts", report_ids)])
    return with_names(shares, tables.reports)


def reports_per_year(reports: pd.DataFrame) -> pd.DataFrame:
    """How many reports each year has, split by whether the year is inferred: ``year, year_inferred, reports``."""
    counts = reports.groupby(["year", "year_inferred"], dropna=False).size().rename("reports").reset_index()
    return counts.astype({"year": "Int64", "reports": "int64"})


def overview(reports: pd.DataFrame) -> pd.DataFrame:
    """The overview table: title, short name, year and where it came from (with the evidence when inferred),
    kind, length, number of sections, problems and measures, and how sure the parse is (``structure``: 高/中/低
    with the value; a low one marked ⚠)."""
    frame = reports.assign(
        structure=[
            f"{'⚠ ' if confidence_label(v) == '低' else ''}{confidence_label(v)}（{v:.2f}）" for v in reports["confidence"]
        ]
    )
    return frame[OVERVIEW_COLUMNS].reset_index(drop=True)


def headline(reports: pd.DataFrame) -> dict[str, int | str]:
    """Headline figures of the selection: reports, characters, year span, problems and measures listed."""
    years = reports["year"].dropna()
    low, high = (int(years.min()), int(years.max())) if len(years) else (None, None)
    span = "" if low is None else str(low) if low == high else f"{low}–{high}"
    return {
        "reports": len(reports),
        "chars": int(reports["chars"].sum()),
        "years": span,
        "problems": int(reports["problems"].sum()),
        "measures": int(reports["measures"].sum()),
    }


def _sections(tables: CorpusTables, report_id: str) -> pd.DataFrame:
    return tables.sections.iloc[tables.index.rows_of("sections", [report_id])]


def sections_of(tables: CorpusTables, report_id: str, role: str = ALL) -> pd.DataFrame:
    """The sections of one report (and role), in reading order."""
    rows = _sections(tables, report_id)
    return rows[_role_mask(rows["role"], role)].reset_index(drop=True)


def outline_rows(
    tables: CorpusTables, report_id: str, role: str = ALL, *, labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One report's outline for reading: ``section_path, outline`` (the section's name indented by level
    with full-width spaces), ``role, chars, items``. A section without a heading (the preamble, an un-headed
    problems paragraph) is named by its part: 〔导语〕 (``names.section_name``, labels from ``labels``)."""
    rows = sections_of(tables, report_id, role)
    shown = [
        "　" * (int(level) - 1) + section_name(heading, r, labels, title=title)
        for level, heading, title, r in zip(rows["level"], rows["heading"], rows["title"], rows["role"], strict=True)
    ]
    return pd.DataFrame(
        {
            "section_path": rows["section_path"],
            "outline": shown,
            "role": rows["role"],
            "chars": rows["chars"],
            # items are counted for top-level sections only; deeper rows stay blank
            "items": ["" if pd.isna(n) else str(int(n)) for n in rows["items"]],
        }
    )


def top_parts(tables: CorpusTables, report_id: str) -> pd.DataFrame:
    """One report's top-level parts for checking its structure: ``key, name`` (the heading, or 〔…〕 for an
    un-headed part), ``role, score, evidence, chars, items, has_children`` (it has headings below it)."""
    sections = _sections(tables, report_id)
    top = sections[(sections["level"] == 1) & (sections["section_path"] != "0")]
    parents = set(sections["parent_path"])
    names = [
        section_name(heading, role, title=title)
        for heading, title, role in zip(top["heading"], top["title"], top["role"], strict=True)
    ]
    return pd.DataFrame(
        {
            "key": top["key"].to_numpy(),
            "name": names,
            "role": top["role"].to_numpy(),
            "score": top["score"].to_numpy(),
            "evidence": top["evidence"].to_numpy(),
            "chars": top["chars"].to_numpy(),
            "items": top["items"].to_numpy(),
            "has_children": [path in parents for path in top["section_path"]],
        }
    )


def report_confidence(tables: CorpusTables, report_id: str) -> tuple[float, str, list[str]]:
    """How sure the parser is of a report's structure: the value (0–1), 高/中/低 and the evidence."""
    row = tables.reports[tables.reports["report_id"] == report_id]
    if row.empty:
        return 0.0, confidence_label(0.0), []
    value = float(row["confidence"].iloc[0])
    evidence = [e for e in str(row["confidence_evidence"].iloc[0]).split(EVIDENCE_SEPARATOR) if e]
    return value, confidence_label(value), evidence


def section_text(tables: CorpusTables, report_id: str, section_path: str) -> str:
    """The full text of a section (children included) or of the preamble ("0"); "" if unknown."""
    sections = _sections(tables, report_id)
    rows = sections[sections["section_path"] == section_path]
    if rows.empty:
        return ""
    start, end = int(rows["start"].iloc[0]), int(rows["end"].iloc[0])
    return tables.texts[report_id][start:end]


def items_of(tables: CorpusTables, report_ids: Sequence[str], role: str = ALL) -> pd.DataFrame:
    """The enumerated items of the selection: problems and measures (or only the chosen role's items),
    with the report's names and year: ``item_id, report_id, report, report_title, year, role, number, title,
    text, start, end``."""
    roles = ("problems", "measures") if role == ALL else (role,)
    index = tables.index
    rows = index.rows_of("items", report_ids)
    role_rank = tables.items["role"].iloc[rows].map({r: i for i, r in enumerate(roles)}).to_numpy(
        dtype="float64", na_value=np.nan
    )
    keep = ~np.isnan(role_rank)
    rows, role_rank = rows[keep], role_rank[keep]
    starts, ends = index.items
    at = np.repeat(np.arange(index.n_reports), ends - starts)[rows]  # each row's report, by corpus position
    rank = np.full(index.n_reports, -1, dtype=np.int64)
    for i, report_id in enumerate(report_ids):  # a report listed twice takes its last place, as a dict would
        if report_id in index.position:
            rank[index.position[report_id]] = i
    numbers = tables.items["number"].to_numpy(dtype=np.int64)[rows]
    order = np.lexsort((numbers, role_rank, rank[at]))
    rows, at = rows[order], at[order]
    items = tables.items.iloc[rows].reset_index(drop=True)
    reports = tables.reports
    items.insert(2, "report", reports["short"].take(at).reset_index(drop=True))
    items.insert(3, "report_title", reports["label"].take(at).reset_index(drop=True))
    items.insert(4, "year", reports["year"].take(at).reset_index(drop=True).astype("Int64"))
    columns = ["item_id", "report_id", "report", "report_title", "year", "role", "number", "title", "text", "start", "end"]
    return items[columns]


def reports_with_years(tables: CorpusTables, report_ids: Sequence[str]) -> list[str]:
    """The reports of the selection (in its order) whose year is known."""
    known = set(tables.reports.loc[tables.reports["year"].notna(), "report_id"])
    return [r for r in report_ids if r in known]


def reports_with_items(tables: CorpusTables, report_ids: Sequence[str], role: str) -> list[str]:
    """The reports of the selection (in its order) that list at least one item of ``role``."""
    listed = set(tables.items.loc[tables.items["role"] == role, "report_id"])
    return [r for r in report_ids if r in listed]


def items_per_report(tables: CorpusTables, report_ids: Sequence[str]) -> pd.DataFrame:
    """How many problems and measures each selected report lists: ``report_id, report, role, items``."""
    reports = tables.reports.set_index("report_id").loc[list(report_ids)]
    rows = [(i, role, int(reports.at[i, role])) for role in ("problems", "measures") for i in report_ids]
    frame = pd.DataFrame(rows, columns=["report_id", "role", "items"])
    return with_names(frame, tables.reports)


def section_choices(outline: pd.DataFrame) -> dict[str, str]:
    """section_path → heading (without the indent) of ``outline_rows``, for a section picker."""
    return {
        path: shown.strip("　")
        for path, shown in zip(outline["section_path"], outline["outline"], strict=True)
    }


def item_text(tables: CorpusTables, item_id: str) -> str:
    """The full text of one enumerated item; "" for an unknown id."""
    rows = tables.items.loc[tables.items["item_id"] == item_id, "text"]
    return str(rows.iloc[0]) if len(rows) else ""


def theme_grid(
    tables: CorpusTables, report_ids: Sequence[str], themes: Themes, *, unit: str = "items"
) -> pd.DataFrame:
    """Themes raised by each selected report's problems and measures (``problems.theme_matrix``), with names."""
    return with_names(theme_matrix(items_of(tables, report_ids), themes, unit=unit), tables.reports)  # type: ignore[arg-type]
