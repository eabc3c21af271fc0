"""Term frequencies: counts per report, role, year or overall, and a sparse document-term matrix.

Scope: the text a frequency is divided by is the text of the reports that appear in ``tokens``. Filter
``tokens`` to a selection of reports and the denominators follow; ``reports`` and ``parts`` may hold more
reports than that (they are only looked up), but every report in ``tokens`` must be in them when they are used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.analysis._common import (
    check_top,
    empty_frame,
    map_values,
    per_10k,
    plain,
    plain_columns,
    report_chars,
    report_years,
    require_columns,
    sorted_codes,
    top_within,
    unique_ids,
)

FrequencyBy = Literal["report", "role", "year"] | None

GROUP_COLUMN: dict[str | None, str | None] = {
    "report": "report_id",
    "role": "role",
    "year": "year",
    None: None,
}


def _chars_by_report(
    ids: pd.Index, *, reports: pd.DataFrame | None, parts: pd.DataFrame | None
) -> pd.Series | None:
    """Characters of each report in ``ids``: from ``reports.chars`` if given, else summed ``parts`` spans."""
    if reports is not None:
        return report_chars(reports, ids)
    if parts is not None:
        require_columns(parts, ("report_id", "start", "end"), name="parts")
        span = (parts["end"] - parts["start"]).groupby(parts["report_id"]).sum()
        return span.reindex(ids, fill_value=0).astype("int64")
    return None


def _chars_by_role(ids: pd.Index, parts: pd.DataFrame) -> pd.Series:
    """Characters of each role's parts, over the reports in ``ids``."""
    require_columns(parts, ("report_id", "role", "start", "end"), name="parts")
    in_scope = parts[parts["report_id"].isin(ids)]
    return (in_scope["end"] - in_scope["start"]).groupby(plain(in_scope["role"])).sum().astype("int64")


def _chars_by_year(ids: pd.Index, reports: pd.DataFrame) -> pd.Series:
    """Characters of each year's reports, over the reports in ``ids`` whose year is known."""
    frame = pd.DataFrame({"year": report_years(reports, ids), "chars": report_chars(reports, ids)})
    frame = frame.dropna(subset=["year"])
    return frame.groupby(frame["year"].astype("int64"))["chars"].sum().astype("int64")


def term_frequencies(
    tokens: pd.DataFrame,
    *,
    by: FrequencyBy = "report",
    reports: pd.DataFrame | None = None,
    parts: pd.DataFrame | None = None,
    top: int | None = 50,
) -> pd.DataFrame:
    """Count each term per group, with its rate per 10,000 characters of the group's text.

    Returns columns ``[<group>], term, count, per_10k``, the group column being ``report_id`` (by="report"),
    ``role`` (by="role"), ``year`` (by="year", int) or absent (by=None, the whole selection). Rows are sorted
    by group (roles in ``roles.ROLE_CODES`` order), then count descending, then term; ``top`` keeps that many
    rows per group (None keeps all).

    What each mode needs:

    - by="report" / None: ``tokens[report_id, token]``. ``per_10k`` divides by ``reports.chars``, or, when
      ``reports`` is not given, by the summed ``parts`` spans; with neither it is NaN.
    - by="role": also ``tokens.role`` and ``parts`` (``report_id, role, start, end``) — the characters of that
      role's parts. Required.
    - by="year": ``reports`` (``report_id, year, chars``). Required. Reports with an unknown year are left out.
    """
    if by not in GROUP_COLUMN:
        raise ValueError(f"by must be one of 'report', 'role', 'year' or None, got {by!r}")
    check_top(top)
    group = GROUP_COLUMN[by]
    require_columns(tokens, ("report_id", "token", *(("role",) if by == "role" else ())), name="tokens")
    columns = [*([group] if group else []), "term", "count", "per_10k"]

    ids = unique_ids(tokens)
    terms = tokens["token"].rename("term")
    chars: pd.Series | float | None  # a Series indexed by group, one number for by=None, or unknown
    if by == "report":
        key = tokens["report_id"].rename("report_id")
        chars = _chars_by_report(ids, reports=reports, parts=parts)
    elif by == "role":
        if parts is None:
            raise ValueError(
                "term_frequencies(by='role') needs parts= to know how many characters each role has"
            )
        key = tokens["role"].rename("role")
        chars = _chars_by_role(ids, parts)
    elif by == "year":
        if reports is None:
            raise ValueError(
                "term_frequencies(by='year') needs reports= (report_id, year, chars) to group by year"
            )
        key = map_values(tokens["report_id"], report_years(reports, ids)).rename("year")
        chars = _chars_by_year(ids, reports)
    else:
        key = None
        by_report = _chars_by_report(ids, reports=reports, parts=parts)
        chars = None if by_report is None else float(by_report.sum())

    grouped = tokens.groupby(
        [key, terms] if key is not None else terms, sort=False, observed=True, dropna=True
    )
    counts = plain_columns(grouped.size().rename("count").reset_index(), [c for c in (group, "term") if c])
    if counts.empty:
        return empty_frame(columns, int_columns=("count", "year"), float_columns=("per_10k",))
    counts["count"] = counts["count"].astype("int64")
    if group == "year":
        counts["year"] = counts["year"].astype("int64")
    if chars is None:
        counts["per_10k"] = np.nan
    elif isinstance(chars, pd.Series):
        counts["per_10k"] = per_10k(counts["count"], counts[group].map(chars).fillna(0))
    else:
        counts["per_10k"] = per_10k(counts["count"], np.full(len(counts), chars))

    if group is None:
        counts = counts.sort_values(["count", "term"], ascending=[False, True], kind="stable")
        return (counts if top is None else counts.head(top))[columns].reset_index(drop=True)
    return top_within(counts, group, "count", top=top)[columns].reset_index(drop=True)


def document_term_matrix(
    tokens: pd.DataFrame, *, min_count: int = 1
) -> tuple[sparse.csr_matrix, list[str], list[str]]:
    """A count matrix, one row per report and one column per term: ``(matrix, report_ids, terms)``.

    ``matrix[i, j]`` is how often ``terms[j]`` occurs in ``report_ids[i]`` (int64). Both lists are sorted.
    Terms occurring fewer than ``min_count`` times in all reports together are dropped. This is the fast
    path for interactive filters: a selection of reports is a set of row indices, and its top terms a
    column sum (``top_terms_from_matrix``).
    """
    require_columns(tokens, ("report_id", "token"), name="tokens")
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a positive int, got {min_count!r}")
    row_codes, report_ids = sorted_codes(tokens["report_id"], name="tokens.report_id")
    col_codes, terms = sorted_codes(tokens["token"], name="tokens.token")
    matrix = sparse.csr_matrix(
        (np.ones(len(tokens), dtype="int64"), (row_codes, col_codes)),
        shape=(len(report_ids), len(terms)),
    )
    matrix.sum_duplicates()
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    keep = totals >= min_count
    if not keep.all():
        matrix = matrix[:, np.flatnonzero(keep)].tocsr()
        terms = terms[keep]
    return matrix, [str(r) for r in report_ids], [str(t) for t in terms]


def column_sums(matrix: sparse.spmatrix | sparse.sparray, rows: Sequence[int] | np.ndarray | None) -> np.ndarray:
    """Column sums (int64) of some rows of a count matrix: ``rows`` is a sequence of row indices (a row listed
    twice counts once), a boolean mask over the rows, or None for all rows.

    Only the selected rows are read (for a CSR matrix, their slices of ``indices`` and ``data``), so the cost
    follows the selection, not the whole matrix.
    """
    csr = sparse.csr_matrix(matrix) if not isinstance(matrix, sparse.csr_matrix) else matrix
    n_rows, n_cols = csr.shape
    if rows is None:
        return np.asarray(csr.sum(axis=0)).ravel().astype(np.int64)
    selector = np.asarray(rows)
    if selector.dtype == bool:
        if selector.shape != (n_rows,):
            raise ValueError(f"a boolean rows mask must have length {n_rows}, got shape {selector.shape}")
        chosen = np.flatnonzero(selector)
    elif not selector.size:
        chosen = np.zeros(0, dtype=np.int64)
    elif not np.issubdtype(selector.dtype, np.integer):
        raise ValueError(f"rows must be integer indices or a boolean mask, got dtype {selector.dtype}")
    else:
        chosen = np.unique(np.where(selector < 0, selector + n_rows, selector))
        if len(chosen) and (chosen[0] < 0 or chosen[-1] >= n_rows):
            raise IndexError(f"row index out of range for a matrix of {n_rows} rows")
    starts, ends = csr.indptr[chosen].astype(np.int64), csr.indptr[chosen + 1].astype(np.int64)
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(n_cols, dtype=np.int64)
    at = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    # float64 sums of integer counts are exact below 2**53, far beyond any corpus
    return np.bincount(csr.indices[at], weights=csr.data[at], minlength=n_cols).astype(np.int64)


def top_terms_from_matrix(
    matrix: sparse.spmatrix | sparse.sparray,
    terms: Sequence[str],
    rows: Sequence[int] | np.ndarray | None,
    *,
    top: int | None = 50,
    terms_sorted: bool = False,
) -> pd.DataFrame:
    """The most frequent terms over some rows of a ``document_term_matrix``: columns ``term, count``.

    ``rows`` is a sequence of row indices, a boolean mask over the rows, or None for all rows; a row listed
    twice counts once. Terms with count 0 are left out; sorted by count descending, then term.

    Only the selected rows are summed (``column_sums``), then ranked by ``top_terms_from_counts``;
    ``terms_sorted``: the columns are in term order already (a ``document_term_matrix``'s are).
    """
    check_top(top)
    n_cols = matrix.shape[1]
    if len(terms) != n_cols:
        raise ValueError(f"terms has {len(terms)} entries but the matrix has {n_cols} columns")
    return top_terms_from_counts(column_sums(matrix, rows), terms, top=top, terms_sorted=terms_sorted)


def top_terms_from_counts(
    counts: np.ndarray, terms: Sequence[str], *, top: int | None = 50, terms_sorted: bool = False
) -> pd.DataFrame:
    """The most frequent terms of a vector of term counts (``counts[j]`` counts ``terms[j]``): columns
    ``term, count``, terms with count 0 left out, sorted by count descending, then term.

    With ``top`` only the terms that can be among the first ``top`` are sorted (``np.partition`` finds the
    ``top``-th count first); ``terms_sorted``: ``terms`` are in sorted order already, so ties need no string
    comparison.
    """
    check_top(top)
    if len(terms) != len(counts):
        raise ValueError(f"terms has {len(terms)} entries but there are {len(counts)} counts")
    candidates = np.flatnonzero(counts)
    if top is not None and top < len(candidates):
        values = counts[candidates]
        kth = np.partition(values, len(values) - top)[len(values) - top]  # the top-th largest count
        candidates = candidates[values >= kth]
    names = np.asarray(terms, dtype=object)[candidates]
    if terms_sorted:
        order = np.lexsort((candidates, -counts[candidates]))
    else:
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.argsort(names.astype(str), kind="stable")] = np.arange(len(names))
        order = np.lexsort((rank, -counts[candidates]))
    if top is not None:
        order = order[:top]
    return pd.DataFrame({"term": names[order], "count": counts[candidates][order].astype("int64")})
