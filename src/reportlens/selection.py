"""What each dashboard view shows, computed from ``CorpusTables`` for a selection of reports and a role.

A selection is a list of report ids (in corpus order) and a role ("all" or one of ``ITEM_ROLES``). Every
function here is a row selection of the prebuilt tables followed by a small computation: no text is
segmented again. Output columns are English snake_case; the UI labels them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.analysis import (
    contexts_at,
    keyword_in_context,
    log_likelihood,
    log_ratio,
    role_shares,
    top_terms_from_matrix,
)
from reportlens.analysis._common import empty_frame, per_10k
from reportlens.analysis.problems import Themes, theme_matrix
from reportlens.names import section_name
from reportlens.outline import EVIDENCE_SEPARATOR, confidence_label
from reportlens.tables import CorpusTables, DocTermMatrix

ALL = "all"
OVERVIEW_COLUMNS = [
    "title",
    "short",
    "year",
    "year_source",
    "kind",
    "chars",
    "sections",
    "problems",
    "measures",
    "structure",
    "year_evidence",
]
ITEM_VIEW_COLUMNS = ["report", "report_title", "year", "role", "number", "title", "text"]
KWIC_TABLE_COLUMNS = ["report", "report_title", "left", "keyword", "right", "heading", "role"]
KWIC_VIEW_COLUMNS = [
    "report_id",
    "report",
    "report_title",
    "left",
    "keyword",
    "right",
    "heading",
    "role",
    "section_path",
    "offset",
]
DISTINCTIVE_COLUMNS = ["report_id", "term", "target_count", "reference_count", "log_likelihood", "log_ratio"]
TREND_COLUMNS = ["year", "term", "count", "per_10k", "reports"]


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


def report_term_counts(
    dtm: DocTermMatrix, report_ids: Sequence[str], role: str = ALL
) -> tuple[sparse.csr_matrix, list[str]]:
    """Term counts per report of the selection (the role's rows of the matrix added up per report):
    ``(counts, ids)``, one row per report of ``report_ids`` that has text in the role, in that order."""
    rows = np.flatnonzero(_dtm_rows(dtm, report_ids, role))
    position = {r: i for i, r in enumerate(dict.fromkeys(report_ids))}
    keys = np.fromiter((position[r] for r in dtm.report_ids[rows]), dtype=np.int64, count=len(rows))
    present, group = np.unique(keys, return_inverse=True)
    indicator = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (group.reshape(-1), rows)),
        shape=(len(present), dtm.matrix.shape[0]),
    )
    ordered = list(position)
    return (indicator @ dtm.matrix).tocsr(), [ordered[k] for k in present]


def chars_by_report(parts: pd.DataFrame, report_ids: Sequence[str], role: str = ALL) -> np.ndarray:
    """Characters of each report's text in the role (0 when it has none), in ``report_ids`` order."""
    rows = part_rows(parts, report_ids, role)
    spans = (rows["end"] - rows["start"]).groupby(rows["report_id"].to_numpy()).sum()
    return spans.reindex(list(report_ids), fill_value=0).to_numpy(dtype=np.int64)


def top_terms(
    tables: CorpusTables, report_ids: Sequence[str], role: str = ALL, *, top: int | None = 20
) -> pd.DataFrame:
    """The ``top`` most frequent terms of the selection (None: every term it holds): ``term, count,
    per_10k`` (per 10,000 characters of the selected text), from the document-term matrix."""
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
    known = [t for t in terms if t in index]
    ids = list(report_ids)
    if not ids or not known:
        return empty_frame(
            ["report_id", "term", "count", "per_10k"], int_columns=("count",), float_columns=("per_10k",)
        )
    counts, present = report_term_counts(dtm, ids, role)
    grid = np.zeros((len(ids), len(known)), dtype=np.int64)
    if present:
        row_of = {r: i for i, r in enumerate(ids)}
        grid[[row_of[r] for r in present]] = counts[:, [index[t] for t in known]].toarray()
    chars = np.repeat(chars_by_report(tables.parts, ids, role), len(known))
    return pd.DataFrame(
        {
            "report_id": np.repeat(np.asarray(ids, dtype=object), len(known)),
            "term": np.tile(np.asarray(known, dtype=object), len(ids)),
            "count": grid.ravel(),
            "per_10k": per_10k(grid.ravel(), chars),
        }
    )


def word_frequencies(
    tables: CorpusTables, report_ids: Sequence[str], role: str = ALL, *, top: int = 200
) -> dict[str, int]:
    """Term → count of the selection, the ``top`` most frequent: the input of a word cloud."""
    frame = top_terms_from_matrix(
        tables.dtm.matrix, tables.dtm.terms, _dtm_rows(tables.dtm, report_ids, role), top=top
    )
    return dict(zip(frame["term"], frame["count"].astype(int), strict=True))


def _keyness_frame(
    report_ids: np.ndarray,
    terms: np.ndarray,
    target: np.ndarray,
    reference: np.ndarray,
    target_total: np.ndarray,
    reference_total: np.ndarray,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report_id": report_ids,
            "term": terms,
            "target_count": target.astype("int64"),
            "reference_count": reference.astype("int64"),
            "log_likelihood": log_likelihood(target, reference, target_total, reference_total),
            "log_ratio": log_ratio(target, reference, target_total, reference_total),
        }
    )


def distinctive(
    tables: CorpusTables,
    report_ids: Sequence[str],
    role: str = ALL,
    *,
    top: int = 8,
    min_count: int = 3,
    limit: int | None = None,
) -> pd.DataFrame:
    """Each selected report's most distinctive terms (log-likelihood keyness, ``analysis.keyness``).

    Against the other selected reports when two or more are selected; a single report is compared with the
    rest of the corpus (same role). Empty when there is nothing to compare with. ``limit`` keeps the terms
    of the first ``limit`` reports only (the comparison still takes in every selected report).
    Returns ``report_id, term, target_count, reference_count, log_likelihood, log_ratio``, reports in the
    given order, then G² descending, then term.

    Computed from the document-term matrix: a report's counts against the rest are two column sums, so no
    token is scanned. Same numbers as ``analysis.distinctive_terms`` / ``analysis.keyness`` on the tokens.
    """
    empty = empty_frame(
        DISTINCTIVE_COLUMNS,
        int_columns=("target_count", "reference_count"),
        float_columns=("log_likelihood", "log_ratio"),
    )
    dtm = tables.dtm
    terms = np.asarray(dtm.terms, dtype=object)
    if len(report_ids) >= 2:
        counts, present = report_term_counts(dtm, report_ids, role)
        if len(present) < 2:
            return empty
        per_report = np.asarray(counts.sum(axis=1)).ravel()
        term_total = np.asarray(counts.sum(axis=0)).ravel()
        cells = counts.tocoo()
        row, column, a = cells.row, cells.col, cells.data.astype(np.int64)
        b = term_total[column] - a
        c = per_report[row]
        d = per_report.sum() - c
        keep = (a * d > b * c) & (term_total[column] >= min_count)
        shown = np.arange(len(present)) if limit is None else np.arange(min(limit, len(present)))
        keep &= np.isin(row, shown)
        ids = np.asarray(present, dtype=object)
        frame = _keyness_frame(
            ids[row[keep]], terms[column[keep]], a[keep], b[keep], c[keep], d[keep]
        ).assign(_report=row[keep])
        frame = frame.sort_values(
            ["_report", "log_likelihood", "term"], ascending=[True, False, True], kind="stable"
        )
        frame = frame.groupby("_report", sort=False).head(top)
        return frame[DISTINCTIVE_COLUMNS].reset_index(drop=True)
    if len(report_ids) == 1:
        rows = _role_mask(dtm.roles, role)
        target_rows = rows & (dtm.report_ids == report_ids[0])
        target = np.asarray(dtm.matrix[target_rows].sum(axis=0)).ravel().astype(np.int64)
        total = np.asarray(dtm.matrix[rows].sum(axis=0)).ravel().astype(np.int64)
        reference = total - target
        target_total, reference_total = int(target.sum()), int(reference.sum())
        if target_total == 0 or reference_total == 0:
            return empty
        keep = (target * reference_total > reference * target_total) & (total >= min_count)
        index = np.flatnonzero(keep)
        if not len(index):
            return empty
        frame = _keyness_frame(
            np.full(len(index), report_ids[0], dtype=object),
            terms[index],
            target[index],
            reference[index],
            np.full(len(index), target_total),
            np.full(len(index), reference_total),
        )
        frame = frame.sort_values(["log_likelihood", "term"], ascending=[False, True], kind="stable")
        return frame.head(top).reset_index(drop=True)
    return empty


def with_names(frame: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the names of its ``report_id``: ``report``, the short name (chart axes, chips, tables on
    screen), and ``report_title``, the full title (tooltips, CSVs)."""
    named = reports.drop_duplicates("report_id").set_index("report_id")
    ids = frame["report_id"]
    return frame.assign(report=ids.map(named["short"]), report_title=ids.map(named["label"]))


def role_share_frame(tables: CorpusTables, report_ids: Sequence[str]) -> pd.DataFrame:
    """Share of each selected report's text per role: ``report_id, report, role, chars, share``."""
    shares = role_shares(part_rows(tables.parts, report_ids))
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


def is_term(tables: CorpusTables, term: str) -> bool:
    """Whether ``term`` is a word the statistics count (a term of the document-term matrix)."""
    return term in set(tables.dtm.terms)


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
    ``report_id, report, left, keyword, right, heading, role, section_path, offset``.

    A word the statistics count (``is_term``) is found where the tokenizer cut it, so the number of hits is
    by construction its count in ``top_terms`` for the same reports and part (「问题清单」 holds no 问题 token
    and is not a hit). Anything else — a phrase, a stopword, part of a word — is found literally in the text.
    """
    if is_term(tables, term):
        rows = token_rows(tables.tokens, report_ids, role)
        rows = rows[(rows["token"] == term).to_numpy()]
        order = {r: i for i, r in enumerate(report_ids)}
        places = pd.DataFrame(
            {
                "report_id": rows["report_id"].astype(str).to_numpy(dtype=object),
                "section_path": rows["section_path"].astype(str).to_numpy(dtype=object),
                "role": rows["role"].astype(str).to_numpy(dtype=object),
                "offset": rows["offset"].to_numpy(dtype=np.int64),
            }
        )
        places = places.assign(_report=places["report_id"].map(order)).sort_values(["_report", "offset"], kind="stable")
        texts = {i: tables.texts[i] for i in report_ids}
        hits = contexts_at(places.drop(columns="_report"), texts, width=len(term), window=window)
    else:
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
    sections = tables.sections[tables.sections["report_id"] == report_id]
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
    rows = tables.sections[
        (tables.sections["report_id"] == report_id) & (tables.sections["section_path"] == section_path)
    ]
    if rows.empty:
        return ""
    start, end = int(rows["start"].iloc[0]), int(rows["end"].iloc[0])
    return tables.texts[report_id][start:end]


def items_of(tables: CorpusTables, report_ids: Sequence[str], role: str = ALL) -> pd.DataFrame:
    """The enumerated items of the selection: problems and measures (or only the chosen role's items),
    with the report's names and year: ``item_id, report_id, report, report_title, year, role, number, title,
    text, start, end``."""
    roles = ("problems", "measures") if role == ALL else (role,)
    items = tables.items[tables.items["report_id"].isin(list(report_ids)) & tables.items["role"].isin(roles)]
    order = {r: i for i, r in enumerate(report_ids)}
    items = items.assign(
        _report=items["report_id"].map(order), _role=items["role"].map({r: i for i, r in enumerate(roles)})
    )
    items = items.sort_values(["_report", "_role", "number"], kind="stable")
    items = with_names(items, tables.reports)
    items["year"] = items["report_id"].map(tables.reports.set_index("report_id")["year"]).astype("Int64")
    columns = ["item_id", "report_id", "report", "report_title", "year", "role", "number", "title", "text", "start", "end"]
    return items[columns].reset_index(drop=True)


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
    """Yearly ``count`` and ``per_10k`` of ``terms`` in the selection, and how many ``reports`` stand behind
    each year: ``year, term, count, per_10k, reports``.

    The same numbers as ``analysis.term_trends`` on the selection's token rows (the years are those of the
    selected reports with text in the role and a known year; rates per 10,000 characters of those reports;
    every term has a row for every such year, zeros included), from a year-group sum of the matrix rows.
    """
    if isinstance(terms, str):
        raise ValueError("terms must be a sequence of terms, not a single string; wrap it in a list")
    empty = empty_frame(TREND_COLUMNS, int_columns=("year", "count", "reports"), float_columns=("per_10k",))
    dtm = tables.dtm
    rows = np.flatnonzero(_dtm_rows(dtm, report_ids, role))
    reports = tables.reports.drop_duplicates("report_id").set_index("report_id")
    row_years = reports["year"].reindex(dtm.report_ids[rows]).to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(row_years)
    rows, row_years = rows[known], row_years[known].astype(np.int64)
    if not len(rows):
        return empty
    scope = reports.loc[list(dict.fromkeys(dtm.report_ids[rows])), ["year", "chars"]]
    year_chars = scope.groupby(scope["year"].astype("int64"))["chars"].sum().astype("int64")
    year_reports = scope.groupby(scope["year"].astype("int64")).size()
    chosen = list(dict.fromkeys(str(t) for t in terms))
    if not chosen:
        return empty
    years = year_chars.index.to_numpy(dtype=np.int64)
    index = {t: j for j, t in enumerate(dtm.terms)}
    counts = np.zeros((len(years), len(chosen)), dtype=np.int64)
    found = [k for k, t in enumerate(chosen) if t in index]
    if found:
        indicator = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.int64), (np.searchsorted(years, row_years), rows)),
            shape=(len(years), dtm.matrix.shape[0]),
        )
        columns = dtm.matrix[:, [index[chosen[k]] for k in found]]
        counts[:, found] = (indicator @ columns).toarray()
    year_column = np.repeat(years, len(chosen))
    return pd.DataFrame(
        {
            "year": year_column,
            "term": np.tile(np.asarray(chosen, dtype=object), len(years)),
            "count": counts.ravel(),
            "per_10k": per_10k(counts.ravel(), year_chars.reindex(year_column).to_numpy()).astype(np.float64),
            "reports": year_reports.reindex(year_column).to_numpy(dtype=np.int64),
        }
    )


def hit_sections(hits: pd.DataFrame) -> dict[tuple[str, str], tuple[str, str, str, int]]:
    """The sections holding keyword hits (``kwic`` rows), in order of first hit:
    (report_id, section_path) → (report name, heading, role, number of hits)."""
    located = hits.dropna(subset=["section_path"])
    if located.empty:
        return {}
    groups = located.groupby(["report_id", "section_path"], sort=False, observed=True)
    summary = groups.agg(
        report=("report", "first"), heading=("heading", "first"), role=("role", "first"), hits=("report", "size")
    )
    return {
        (str(r), str(p)): (str(name), str(heading), str(role), int(n))
        for (r, p), name, heading, role, n in zip(
            summary.index, summary["report"], summary["heading"], summary["role"], summary["hits"], strict=True
        )
    }


def first_hits(hits: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The first ``limit`` rows of ``kwic`` (a table stays readable and quick to send to the browser)."""
    return hits.head(limit)


def item_text(tables: CorpusTables, item_id: str) -> str:
    """The full text of one enumerated item; "" for an unknown id."""
    rows = tables.items.loc[tables.items["item_id"] == item_id, "text"]
    return str(rows.iloc[0]) if len(rows) else ""


def theme_grid(
    tables: CorpusTables, report_ids: Sequence[str], themes: Themes, *, unit: str = "items"
) -> pd.DataFrame:
    """Themes raised by each selected report's problems and measures (``problems.theme_matrix``), with names."""
    return with_names(theme_matrix(items_of(tables, report_ids), themes, unit=unit), tables.reports)  # type: ignore[arg-type]
