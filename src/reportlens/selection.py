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
    TREND_COLUMNS,
    column_sums,
    contexts_at,
    distinctive_against,
    distinctive_among,
    empty_distinctive,
    empty_frame,
    keyword_in_context,
    per_10k,
    role_shares,
    top_terms_from_counts,
    trend_frame,
)
from reportlens.analysis.problems import Themes, theme_matrix
from reportlens.names import section_name
from reportlens.outline import EVIDENCE_SEPARATOR, confidence_label
from reportlens.tables import CorpusTables

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
KWIC_REPORTS_READ = 64  # reports whose token places ``kwic`` reads at a time, stopping once it has enough


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


def report_term_counts(
    tables: CorpusTables, report_ids: Sequence[str], role: str = ALL
) -> tuple[sparse.csr_matrix, list[str]]:
    """Term counts per report of the selection (the role's rows of the matrix added up per report):
    ``(counts, ids)``, one row per report of ``report_ids`` that has text in the role, in that order."""
    index = tables.index
    rows = index.dtm_rows(report_ids, role)
    order = index.positions(report_ids)
    rank = np.full(index.n_reports, -1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    keys = rank[index.dtm_report[rows]]
    present, group = np.unique(keys, return_inverse=True)
    indicator = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (group.reshape(-1), np.arange(len(rows)))),
        shape=(len(present), len(rows)),
    )
    ordered = tables.reports["report_id"].to_numpy(dtype=object)[order]
    return (indicator @ tables.dtm.matrix[rows]).tocsr(), [str(ordered[k]) for k in present]


def chars_by_report(tables: CorpusTables, report_ids: Sequence[str], role: str = ALL) -> np.ndarray:
    """Characters of each report's text in the role (0 when it has none), in ``report_ids`` order."""
    index = tables.index
    found = np.array([index.position.get(r, -1) for r in report_ids], dtype=np.int64)
    chars = index.role_chars(role)
    return np.where(found >= 0, chars[np.maximum(found, 0)], 0).astype(np.int64)


def selection_chars(tables: CorpusTables, report_ids: Sequence[str], role: str = ALL) -> int:
    """How many characters of text the selection covers (``scope_chars`` from the report index)."""
    index = tables.index
    return int(index.role_chars(role)[index.positions(report_ids)].sum())


def top_terms(
    tables: CorpusTables, report_ids: Sequence[str], role: str = ALL, *, top: int | None = 20
) -> pd.DataFrame:
    """The ``top`` most frequent terms of the selection (None: every term it holds): ``term, count,
    per_10k`` (per 10,000 characters of the selected text), from the document-term matrix."""
    counts = tables.index.term_counts(report_ids, role)
    frame = top_terms_from_counts(counts, tables.dtm.terms, top=top, terms_sorted=True)
    frame["per_10k"] = per_10k(frame["count"], np.full(len(frame), selection_chars(tables, report_ids, role)))
    return frame


def term_frequencies_by_report(
    tables: CorpusTables, report_ids: Sequence[str], role: str, terms: Sequence[str]
) -> pd.DataFrame:
    """Reports by ``terms``: ``report_id, term, count, per_10k`` (per 10,000 characters of that report's
    selected text), every pair present (zeros included), reports and terms in the given order."""
    index = tables.index.term_column
    known = [t for t in terms if t in index]
    ids = list(report_ids)
    if not ids or not known:
        return empty_frame(
            ["report_id", "term", "count", "per_10k"], int_columns=("count",), float_columns=("per_10k",)
        )
    counts, present = report_term_counts(tables, ids, role)
    grid = np.zeros((len(ids), len(known)), dtype=np.int64)
    if present:
        row_of = {r: i for i, r in enumerate(ids)}
        grid[[row_of[r] for r in present]] = counts[:, [index[t] for t in known]].toarray()
    chars = np.repeat(chars_by_report(tables, ids, role), len(known))
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
    counts = tables.index.term_counts(report_ids, role)
    frame = top_terms_from_counts(counts, tables.dtm.terms, top=top, terms_sorted=True)
    return dict(zip(frame["term"], frame["count"].astype(int), strict=True))


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

    The counts come from the document-term matrix: the group's term totals from the report index, the cells
    only of the reports shown; no token is scanned.
    """
    dtm, index = tables.dtm, tables.index
    terms = np.asarray(dtm.terms, dtype=object)
    if len(report_ids) >= 2:
        rows = index.dtm_rows(report_ids, role)
        report_total = np.bincount(
            index.dtm_report[rows], weights=index.row_total[rows], minlength=index.n_reports
        ).astype(np.int64)
        has_text = np.bincount(index.dtm_report[rows], minlength=index.n_reports) > 0
        order = index.positions(report_ids)
        present = order[has_text[order]]
        if len(present) < 2:
            return empty_distinctive()
        shown = present if limit is None else present[:limit]
        ids = tables.reports["report_id"].to_numpy(dtype=object)[shown]
        counts, _ = report_term_counts(tables, ids.tolist(), role)
        return distinctive_among(
            counts,
            ids,
            terms,
            term_total=index.term_counts(report_ids, role),
            report_total=report_total[shown],
            grand_total=int(report_total[present].sum()),
            top=top,
            min_count=min_count,
        )
    if len(report_ids) == 1:
        target = column_sums(dtm.matrix, index.dtm_rows(report_ids, role))
        total = index.term_counts(tables.reports["report_id"].tolist(), role)
        return distinctive_against(target, total, report_ids[0], terms, top=top, min_count=min_count)
    return empty_distinctive()


def with_names(frame: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the names of its ``report_id``: ``report``, the short name (chart axes, chips, tables on
    screen), and ``report_title``, the full title (tooltips, CSVs)."""
    named = reports.drop_duplicates("report_id").set_index("report_id")
    ids = frame["report_id"]
    return frame.assign(report=ids.map(named["short"]), report_title=ids.map(named["label"]))


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


def is_term(tables: CorpusTables, term: str) -> bool:
    """Whether ``term`` is a word the statistics count (a term of the document-term matrix)."""
    return term in tables.index.term_column


def reports_holding(tables: CorpusTables, term: str, report_ids: Sequence[str], role: str = ALL) -> list[str]:
    """The reports of the selection (in its order) whose text in the role holds ``term`` as a counted word
    (from the document-term matrix: no text or token is read)."""
    column = tables.index.term_column.get(term)
    if column is None:
        return []
    rows = tables.index.dtm_rows(report_ids, role)
    counts = tables.dtm.matrix[rows][:, [column]].toarray().ravel()
    found = set(tables.index.dtm_report[rows[counts > 0]].tolist())
    return [r for r in dict.fromkeys(report_ids) if tables.index.position.get(r, -1) in found]


def kwic(
    tables: CorpusTables,
    term: str,
    report_ids: Sequence[str],
    role: str = ALL,
    *,
    window: int = 24,
    limit: int | None = None,
) -> pd.DataFrame:
    """Every occurrence of ``term`` in the selection (the first ``limit`` only, if given) (the role's parts only, unless "all"), with the
    report's name and the section's heading:
    ``report_id, report, left, keyword, right, heading, role, section_path, offset``.

    A word the statistics count (``is_term``) is found where the tokenizer cut it, so the number of hits is
    by construction its count in ``top_terms`` for the same reports and part (「问题清单」 holds no 问题 token
    and is not a hit). Anything else — a phrase, a stopword, part of a word — is found literally in the text.
    """
    if is_term(tables, term):
        holding = reports_holding(tables, term, report_ids, role)
        order = {r: i for i, r in enumerate(report_ids)}
        found: list[pd.DataFrame] = []
        for start in range(0, len(holding), KWIC_REPORTS_READ):  # in selection order, until ``limit`` hits
            places = tables.source.term_places(holding[start : start + KWIC_REPORTS_READ], term)
            if role != ALL:
                places = places[(places["role"] == role).to_numpy()]
            found.append(places)
            if limit is not None and sum(map(len, found)) >= limit:
                break
        places = pd.concat(found, ignore_index=True) if found else tables.source.term_places([], term)
        places = places.assign(_report=places["report_id"].map(order)).sort_values(["_report", "offset"], kind="stable")
        places = places.drop(columns="_report").reset_index(drop=True)
        if limit is not None:
            places = places.head(limit)
        shown = list(dict.fromkeys(places["report_id"]))
        hits = contexts_at(places, tables.texts.of(shown), width=len(term), window=window)
    else:
        texts = tables.texts.of(list(dict.fromkeys(report_ids)))
        hits = keyword_in_context(
            term, texts, parts=tables.parts, reports=tables.reports, window=window, limit=None
        )
        if role != ALL:
            hits = hits[hits["role"] == role]
        if limit is not None:
            hits = hits.head(limit)
    hits = with_names(hits, tables.reports)
    sections = tables.sections.iloc[tables.index.rows_of("sections", list(dict.fromkeys(hits["report_id"])))]
    headings = sections.set_index(["report_id", "section_path"])["heading"]
    keys = pd.MultiIndex.from_arrays([hits["report_id"], hits["section_path"]])
    hits["heading"] = headings.reindex(keys).fillna("").to_numpy()
    return hits[KWIC_VIEW_COLUMNS].reset_index(drop=True)


def kwic_view(
    tables: CorpusTables, term: str, report_ids: Sequence[str], role: str = ALL, *, limit: int, window: int = 24
) -> tuple[pd.DataFrame, int]:
    """The first ``limit`` rows of ``kwic`` and how many hits there are in all. For a counted word the total
    is its count in the document-term matrix (the same number, by construction) and only the first ``limit``
    places are given their context; a phrase is searched in the texts once."""
    if is_term(tables, term):
        total = int(tables.index.term_counts(report_ids, role)[tables.index.term_column[term]])
        return kwic(tables, term, report_ids, role, window=window, limit=limit), total
    hits = kwic(tables, term, report_ids, role, window=window)
    return hits.head(limit), len(hits)


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


def report_rows(tables: CorpusTables, report_ids: Sequence[str]) -> pd.DataFrame:
    """The rows of ``tables.reports`` for these ids, in corpus order."""
    return tables.reports.iloc[np.sort(tables.index.positions(report_ids))].reset_index(drop=True)


def section_choices(outline: pd.DataFrame) -> dict[str, str]:
    """section_path → heading (without the indent) of ``outline_rows``, for a section picker."""
    return {
        path: shown.strip("　")
        for path, shown in zip(outline["section_path"], outline["outline"], strict=True)
    }


def trends(tables: CorpusTables, report_ids: Sequence[str], role: str, terms: Sequence[str]) -> pd.DataFrame:
    """Yearly ``count`` and ``per_10k`` of ``terms`` in the selection, and how many ``reports`` stand behind
    each year: ``year, term, count, per_10k, reports``.

    The years are those of the selected reports with text in the role and a known year; rates per 10,000
    characters of those reports; every term has a row for every such year, zeros included
    (``analysis.trend_frame``), from a year-group sum of the selected matrix rows.
    """
    if isinstance(terms, str):
        raise ValueError("terms must be a sequence of terms, not a single string; wrap it in a list")
    empty = empty_frame(TREND_COLUMNS, int_columns=("year", "count", "reports"), float_columns=("per_10k",))
    dtm, at = tables.dtm, tables.index
    rows = at.dtm_rows(report_ids, role)
    row_years = at.year[at.dtm_report[rows]]
    known = ~np.isnan(row_years)
    rows, row_years = rows[known], row_years[known].astype(np.int64)
    if not len(rows):
        return empty
    scope = np.unique(at.dtm_report[rows])  # the reports with text in the role and a known year
    scope_years = at.year[scope].astype(np.int64)
    years, year_reports = np.unique(scope_years, return_counts=True)
    year_chars = np.bincount(
        np.searchsorted(years, scope_years), weights=at.report_chars[scope], minlength=len(years)
    ).astype(np.int64)
    chosen = list(dict.fromkeys(str(t) for t in terms))
    if not chosen:
        return empty
    term_index = at.term_column
    counts = np.zeros((len(years), len(chosen)), dtype=np.int64)
    found = [k for k, t in enumerate(chosen) if t in term_index]
    if found:
        indicator = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.int64), (np.searchsorted(years, row_years), np.arange(len(rows)))),
            shape=(len(years), len(rows)),
        )
        columns = dtm.matrix[rows][:, [term_index[chosen[k]] for k in found]]
        counts[:, found] = (indicator @ columns).toarray()
    return trend_frame(years, chosen, counts, year_chars=year_chars, year_reports=year_reports)


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


def item_text(tables: CorpusTables, item_id: str) -> str:
    """The full text of one enumerated item; "" for an unknown id."""
    rows = tables.items.loc[tables.items["item_id"] == item_id, "text"]
    return str(rows.iloc[0]) if len(rows) else ""


def theme_grid(
    tables: CorpusTables, report_ids: Sequence[str], themes: Themes, *, unit: str = "items"
) -> pd.DataFrame:
    """Themes raised by each selected report's problems and measures (``problems.theme_matrix``), with names."""
    return with_names(theme_matrix(items_of(tables, report_ids), themes, unit=unit), tables.reports)  # type: ignore[arg-type]
