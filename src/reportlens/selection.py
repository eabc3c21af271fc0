"""What each dashboard view shows, computed from ``CorpusTables`` for a selection of reports and a role.

A selection is a list of report ids (in corpus order) and a role ("all" or one of ``ITEM_ROLES``). Every
function here is a row selection of the prebuilt tables followed by a small computation: no text is
segmented again. Output columns are English snake_case; the UI labels them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reportlens.analysis import (
    distinctive_terms,
    keyness,
    keyword_in_context,
    role_shares,
    term_trends,
    top_terms_from_matrix,
)
from reportlens.analysis._common import empty_frame, per_10k
from reportlens.analysis.problems import Themes, measure_coverage, similar_items, theme_matrix
from reportlens.tables import CorpusTables, DocTermMatrix

ALL = "all"
OVERVIEW_COLUMNS = [
    "title",
    "year",
    "year_source",
    "kind",
    "chars",
    "sections",
    "problems",
    "measures",
    "year_evidence",
]
ITEM_VIEW_COLUMNS = ["report", "year", "role", "number", "title", "text"]
SIMILAR_VIEW_COLUMNS = ["item_id", "report", "number", "title", "similarity"]
COVERAGE_VIEW_COLUMNS = ["report", "number", "title", "coverage", "unanswered", "answered", "themes"]
KWIC_TABLE_COLUMNS = ["report", "left", "keyword", "right", "heading", "role"]
KWIC_VIEW_COLUMNS = [
    "report_id",
    "report",
    "left",
    "keyword",
    "right",
    "heading",
    "role",
    "section_path",
    "offset",
]
DISTINCTIVE_COLUMNS = ["report_id", "term", "target_count", "reference_count", "log_likelihood", "log_ratio"]


def select_reports(
    reports: pd.DataFrame,
    *,
    report_ids: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
) -> list[str]:
    """Ids of the reports (in ``reports`` order) among ``report_ids`` (None: all) with a year in ``years``
    (inclusive). A report whose year is unknown is kept only when ``years`` is None (no year filter)."""
    mask = pd.Series(True, index=reports.index)
    if report_ids is not None:
        mask &= reports["report_id"].isin(list(report_ids))
    if years is not None:
        low, high = years
        year = reports["year"]
        mask &= year.notna() & (year >= low) & (year <= high)
    return reports.loc[mask.fillna(False).astype(bool), "report_id"].tolist()


def _role_mask(roles: pd.Series | np.ndarray, role: str) -> np.ndarray:
    values = np.asarray(roles, dtype=object)
    return np.ones(len(values), dtype=bool) if role == ALL else values == role


def token_rows(tokens: pd.DataFrame, report_ids: Sequence[str], role: str = ALL) -> pd.DataFrame:
    """The token rows of these reports (and role)."""
    mask = tokens["report_id"].isin(list(report_ids)).to_numpy() & _role_mask(tokens["role"], role)
    return tokens[mask]


def part_rows(parts: pd.DataFrame, report_ids: Sequence[str], role: str = ALL) -> pd.DataFrame:
    """The parts (text spans) of these reports (and role)."""
    mask = parts["report_id"].isin(list(report_ids)).to_numpy() & _role_mask(parts["role"], role)
    return parts[mask]


def scope_chars(parts: pd.DataFrame, report_ids: Sequence[str], role: str = ALL) -> int:
    """How many characters of text the selection covers."""
    rows = part_rows(parts, report_ids, role)
    return int((rows["end"] - rows["start"]).sum())


def _dtm_rows(dtm: DocTermMatrix, report_ids: Sequence[str], role: str) -> np.ndarray:
    return np.isin(dtm.report_ids, list(report_ids)) & _role_mask(dtm.roles, role)


def top_terms(
    tables: CorpusTables, report_ids: Sequence[str], role: str = ALL, *, top: int = 20
) -> pd.DataFrame:
    """The ``top`` most frequent terms of the selection: ``term, count, per_10k`` (per 10,000 characters
    of the selected text), from the document-term matrix."""
    frame = top_terms_from_matrix(
        tables.dtm.matrix, tables.dtm.terms, _dtm_rows(tables.dtm, report_ids, role), top=top
    )
    frame["per_10k"] = per_10k(
        frame["count"], np.full(len(frame), scope_chars(tables.parts, report_ids, role))
    )
    return frame


def term_frequencies_by_report(
    tables: CorpusTables, report_ids: Sequence[str], role: str, terms: Sequence[str]
) -> pd.DataFrame:
    """Reports by ``terms``: ``report_id, term, count, per_10k`` (per 10,000 characters of that report's
    selected text), every pair present (zeros included), reports and terms in the given order."""
    dtm = tables.dtm
    index = {t: j for j, t in enumerate(dtm.terms)}
    columns = [index[t] for t in terms if t in index]
    known = [t for t in terms if t in index]
    rows: list[tuple] = []
    for report_id in report_ids:
        mask = _dtm_rows(dtm, [report_id], role)
        counts = np.asarray(dtm.matrix[mask][:, columns].sum(axis=0)).ravel() if columns else np.zeros(0)
        chars = scope_chars(tables.parts, [report_id], role)
        rates = per_10k(counts, np.full(len(counts), chars))
        rows.extend(zip([report_id] * len(known), known, counts.astype("int64"), rates, strict=True))
    if not rows:
        return empty_frame(
            ["report_id", "term", "count", "per_10k"], int_columns=("count",), float_columns=("per_10k",)
        )
    return pd.DataFrame(rows, columns=["report_id", "term", "count", "per_10k"])


def word_frequencies(
    tables: CorpusTables, report_ids: Sequence[str], role: str = ALL, *, top: int = 200
) -> dict[str, int]:
    """Term → count of the selection, the ``top`` most frequent: the input of a word cloud."""
    frame = top_terms_from_matrix(
        tables.dtm.matrix, tables.dtm.terms, _dtm_rows(tables.dtm, report_ids, role), top=top
    )
    return dict(zip(frame["term"], frame["count"].astype(int), strict=True))


def distinctive(
    tables: CorpusTables, report_ids: Sequence[str], role: str = ALL, *, top: int = 8, min_count: int = 3
) -> pd.DataFrame:
    """Each selected report's most distinctive terms (log-likelihood keyness).

    Against the other selected reports when two or more are selected; a single report is compared with the
    rest of the corpus (same role). Empty when there is nothing to compare with.
    Returns ``report_id, term, target_count, reference_count, log_likelihood, log_ratio``.
    """
    empty = empty_frame(
        DISTINCTIVE_COLUMNS,
        int_columns=("target_count", "reference_count"),
        float_columns=("log_likelihood", "log_ratio"),
    )
    if len(report_ids) >= 2:
        tokens = token_rows(tables.tokens, report_ids, role)
        if tokens["report_id"].nunique() < 2:
            return empty
        found = distinctive_terms(tokens, by="report", top=top, min_count=min_count)
        order = found["report_id"].map({r: i for i, r in enumerate(report_ids)})
        return found.iloc[order.argsort(kind="stable")].reset_index(drop=True)
    if len(report_ids) == 1:
        tokens = token_rows(tables.tokens, tables.reports["report_id"].tolist(), role)
        target = tokens["report_id"] == report_ids[0]
        if not target.any() or target.all():
            return empty
        found = keyness(tokens, target=target, top=top, min_count=min_count, direction="over")
        return found.assign(report_id=report_ids[0])[DISTINCTIVE_COLUMNS]
    return empty


def with_names(
    frame: pd.DataFrame, reports: pd.DataFrame, *, column: str = "report", short: bool = True
) -> pd.DataFrame:
    """``frame`` with a display name column for its ``report_id`` (the short label for chart axes)."""
    names = reports.set_index("report_id")["short" if short else "label"]
    return frame.assign(**{column: frame["report_id"].map(names)})


def role_share_frame(tables: CorpusTables, report_ids: Sequence[str]) -> pd.DataFrame:
    """Share of each selected report's text per role: ``report_id, report, role, chars, share``."""
    shares = role_shares(part_rows(tables.parts, report_ids))
    return with_names(shares, tables.reports)


def reports_per_year(reports: pd.DataFrame) -> pd.DataFrame:
    """How many reports each year has, split by whether the year is inferred: ``year, year_inferred, reports``."""
    counts = reports.groupby(["year", "year_inferred"], dropna=False).size().rename("reports").reset_index()
    return counts.astype({"year": "Int64", "reports": "int64"})


def overview(reports: pd.DataFrame) -> pd.DataFrame:
    """The overview table: title, year and where it came from (with the evidence when inferred), kind,
    length, number of sections, problems and measures."""
    return reports[OVERVIEW_COLUMNS].reset_index(drop=True)


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


def kwic(
    tables: CorpusTables,
    term: str,
    report_ids: Sequence[str],
    role: str = ALL,
    *,
    window: int = 24,
) -> pd.DataFrame:
    """Every occurrence of ``term`` in the selection (the role's parts only, unless "all"), with the
    report's name and the section's heading:
    ``report_id, report, left, keyword, right, heading, role, section_path, offset``."""
    texts = {i: tables.texts[i] for i in report_ids}
    hits = keyword_in_context(
        term, texts, parts=tables.parts, reports=tables.reports, window=window, limit=None
    )
    if role != ALL:
        hits = hits[hits["role"] == role]
    hits = with_names(hits, tables.reports)
    headings = tables.sections.set_index(["report_id", "section_path"])["heading"]
    keys = pd.MultiIndex.from_arrays([hits["report_id"], hits["section_path"]])
    hits["heading"] = headings.reindex(keys).fillna("").to_numpy()
    return hits[KWIC_VIEW_COLUMNS].reset_index(drop=True)


def sections_of(tables: CorpusTables, report_id: str, role: str = ALL) -> pd.DataFrame:
    """The sections of one report (and role), in reading order."""
    rows = tables.sections[tables.sections["report_id"] == report_id]
    return rows[_role_mask(rows["role"], role)].reset_index(drop=True)


def outline_rows(
    tables: CorpusTables, report_id: str, role: str = ALL, *, untitled: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One report's outline for reading: ``section_path, outline`` (the heading indented by level with
    full-width spaces), ``role, chars, items``. A section without a heading (the preamble, an un-headed
    problems paragraph) shows as 〔name〕, the name from ``untitled`` (role → name) or the role."""
    rows = sections_of(tables, report_id, role)
    names = untitled or {}
    shown = [
        "　" * (int(level) - 1) + (heading or f"〔{names.get(r, r)}〕")
        for level, heading, r in zip(rows["level"], rows["heading"], rows["role"], strict=True)
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


def section_text(tables: CorpusTables, report_id: str, section_path: str) -> str:
    """The full text of a section (children included) or of the preamble ("0"); "" if unknown."""
    rows = tables.sections[
        (tables.sections["report_id"] == report_id) & (tables.sections["section_path"] == section_path)
    ]
    if rows.empty:
        return ""
    start, end = int(rows["start"].iloc[0]), int(rows["end"].iloc[0])
    return tables.texts[report_id][start:end]


def items_of(tables: CorpusTables, report_ids: Sequence[str], role: str = ALL) -> pd.DataFrame:
    """The enumerated items of the selection: problems and measures (or only the chosen role's items),
    with the report's name and year: ``item_id, report_id, report, year, role, number, title, text``."""
    roles = ("problems", "measures") if role == ALL else (role,)
    items = tables.items[tables.items["report_id"].isin(list(report_ids)) & tables.items["role"].isin(roles)]
    order = {r: i for i, r in enumerate(report_ids)}
    items = items.assign(
        _report=items["report_id"].map(order), _role=items["role"].map({r: i for i, r in enumerate(roles)})
    )
    items = items.sort_values(["_report", "_role", "number"], kind="stable")
    items = with_names(items, tables.reports)
    items["year"] = items["report_id"].map(tables.reports.set_index("report_id")["year"]).astype("Int64")
    columns = ["item_id", "report_id", "report", "year", "role", "number", "title", "text", "start", "end"]
    return items[columns].reset_index(drop=True)


def items_per_report(tables: CorpusTables, report_ids: Sequence[str]) -> pd.DataFrame:
    """How many problems and measures each selected report lists: ``report_id, report, role, items``."""
    reports = tables.reports.set_index("report_id").loc[list(report_ids)]
    rows = [(i, role, int(reports.at[i, role])) for role in ("problems", "measures") for i in report_ids]
    frame = pd.DataFrame(rows, columns=["report_id", "role", "items"])
    return with_names(frame, tables.reports)


def report_rows(tables: CorpusTables, report_ids: Sequence[str]) -> pd.DataFrame:
    """The rows of ``tables.reports`` for these ids, in corpus order."""
    return tables.reports[tables.reports["report_id"].isin(list(report_ids))].reset_index(drop=True)


def section_choices(outline: pd.DataFrame) -> dict[str, str]:
    """section_path → heading (without the indent) of ``outline_rows``, for a section picker."""
    return {
        path: shown.strip("　")
        for path, shown in zip(outline["section_path"], outline["outline"], strict=True)
    }


def trends(tables: CorpusTables, report_ids: Sequence[str], role: str, terms: Sequence[str]) -> pd.DataFrame:
    """Yearly ``count`` and ``per_10k`` of ``terms`` in the selection (``analysis.term_trends``)."""
    return term_trends(token_rows(tables.tokens, report_ids, role), tables.reports, terms=list(terms))


def hit_sections(hits: pd.DataFrame) -> dict[tuple[str, str], tuple[str, str, int]]:
    """The sections holding keyword hits (``kwic`` rows), in order of first hit:
    (report_id, section_path) → (report name, heading, number of hits)."""
    located = hits.dropna(subset=["section_path"])
    groups = located.groupby(["report_id", "section_path"], sort=False, observed=True)
    return {
        (str(r), str(p)): (str(g["report"].iloc[0]), str(g["heading"].iloc[0]), len(g))
        for (r, p), g in groups
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


def similar_problems(
    tables: CorpusTables, report_ids: Sequence[str], item_id: str, *, top: int = 5
) -> pd.DataFrame:
    """The problems of the other selected reports most like ``item_id``, with the reports' names."""
    found = similar_items(items_of(tables, report_ids, "problems"), tables.tokens, item_id, top=top)
    return with_names(found, tables.reports)[SIMILAR_VIEW_COLUMNS]


def problem_coverage(tables: CorpusTables, report_ids: Sequence[str], themes: Themes) -> pd.DataFrame:
    """For each selected problem, its themes and which the same report's measures answer, with names."""
    return with_names(measure_coverage(items_of(tables, report_ids), themes), tables.reports)[
        COVERAGE_VIEW_COLUMNS
    ]
