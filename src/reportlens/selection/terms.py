"""The keyword views of a selection: top terms, terms by report, distinctive terms, trends by year, word-cloud
frequencies and keyword in context, from the document-term matrix and the report index."""

from __future__ import annotations

from collections.abc import Sequence

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
    top_terms_from_counts,
    trend_frame,
)
from reportlens.selection.base import ALL, with_names
from reportlens.tables import CorpusTables

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
