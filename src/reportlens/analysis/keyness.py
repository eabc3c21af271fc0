"""Keyness: which terms a target (a report, a group of reports, a role) uses more than the rest.

Statistic: Dunning's log-likelihood G² in the two-cell form of Rayson & Garside (2000), "Comparing corpora
using frequency profiling":

    E1 = c·(a+b)/(c+d)    E2 = d·(a+b)/(c+d)    G² = 2·(a·ln(a/E1) + b·ln(b/E2))

with a, b the term's count in target and reference, c, d the token totals of target and reference, and
0·ln 0 = 0. G² ≥ 3.84 is p < 0.05 and ≥ 10.83 p < 0.001 (one degree of freedom). Effect size: Hardie's
(2014) log ratio, log2((a/c)/(b/d)), with a zero count replaced by 0.5 so it stays finite.

Computed from term counts (the document-term matrix: ``selection.distinctive`` gathers them), so no token is
scanned; the token-table reading of the same definitions is kept as a test oracle (``tests/oracles.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import xlogy

from reportlens.analysis._common import empty_frame


def _floats(*values: np.ndarray | pd.Series | float) -> list[np.ndarray]:
    return [np.asarray(v, dtype="float64") for v in values]


def log_likelihood(
    target_count: np.ndarray | pd.Series | float,
    reference_count: np.ndarray | pd.Series | float,
    target_total: np.ndarray | pd.Series | float,
    reference_total: np.ndarray | pd.Series | float,
) -> np.ndarray:
    """G² (Rayson & Garside 2000) for each term, vectorised. Totals must be positive."""
    a, b, c, d = _floats(target_count, reference_count, target_total, reference_total)
    expected_a = c * (a + b) / (c + d)
    expected_b = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2.0 * (xlogy(a, a / expected_a) + xlogy(b, b / expected_b))
    return np.asarray(np.maximum(g2, 0.0))  # rounding can leave -1e-15 where the rates are equal


def log_ratio(
    target_count: np.ndarray | pd.Series | float,
    reference_count: np.ndarray | pd.Series | float,
    target_total: np.ndarray | pd.Series | float,
    reference_total: np.ndarray | pd.Series | float,
) -> np.ndarray:
    """Hardie's log ratio, log2 of the ratio of relative frequencies; zero counts count as 0.5."""
    a, b, c, d = _floats(target_count, reference_count, target_total, reference_total)
    return np.asarray(np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d)))


DISTINCTIVE_COLUMNS = ["report_id", "term", "target_count", "reference_count", "log_likelihood", "log_ratio"]


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


def empty_distinctive() -> pd.DataFrame:
    return empty_frame(
        DISTINCTIVE_COLUMNS,
        int_columns=("target_count", "reference_count"),
        float_columns=("log_likelihood", "log_ratio"),
    )


def distinctive_among(
    counts: sparse.csr_matrix,
    report_ids: np.ndarray,
    terms: np.ndarray,
    *,
    term_total: np.ndarray,
    report_total: np.ndarray,
    grand_total: int,
    top: int,
    min_count: int,
) -> pd.DataFrame:
    """Each report's most over-represented terms against the other reports of a group.

    ``counts``: term counts of the reports shown (rows, ids ``report_ids``; columns ``terms``);
    ``term_total``: each term's count in the whole group; ``report_total``: each shown report's token total;
    ``grand_total``: the group's. A term is key when its rate in the report beats the rest of the group's
    and the group uses it ``min_count`` times or more. Returns ``DISTINCTIVE_COLUMNS``, reports in row order,
    then G² descending, then term, ``top`` per report. Only the shown reports' cells are computed.
    """
    cells = counts.tocoo()
    row, column, a = cells.row, cells.col, cells.data.astype(np.int64)
    b = term_total[column] - a
    c = report_total[row]
    d = grand_total - c
    keep = (a * d > b * c) & (term_total[column] >= min_count)
    frame = _keyness_frame(report_ids[row[keep]], terms[column[keep]], a[keep], b[keep], c[keep], d[keep])
    frame = frame.assign(_report=row[keep]).sort_values(
        ["_report", "log_likelihood", "term"], ascending=[True, False, True], kind="stable"
    )
    return frame.groupby("_report", sort=False).head(top)[DISTINCTIVE_COLUMNS].reset_index(drop=True)


def distinctive_against(
    target: np.ndarray, total: np.ndarray, report_id: str, terms: np.ndarray, *, top: int, min_count: int
) -> pd.DataFrame:
    """One report's most over-represented terms against the rest: ``target`` its term counts, ``total``
    everyone's (the report included). Empty when either side has no tokens. Columns and order as
    ``distinctive_among``."""
    reference = total - target
    target_total, reference_total = int(target.sum()), int(reference.sum())
    if target_total == 0 or reference_total == 0:
        return empty_distinctive()
    keep = (target * reference_total > reference * target_total) & (total >= min_count)
    found = np.flatnonzero(keep)
    if not len(found):
        return empty_distinctive()
    frame = _keyness_frame(
        np.full(len(found), report_id, dtype=object),
        terms[found],
        target[found],
        reference[found],
        np.full(len(found), target_total),
        np.full(len(found), reference_total),
    )
    frame = frame.sort_values(["log_likelihood", "term"], ascending=[False, True], kind="stable")
    return frame.head(top).reset_index(drop=True)
