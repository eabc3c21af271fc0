"""Keyness: which terms a target (a report, a group of reports, a role) uses more than the rest.

Statistic: Dunning's log-likelihood G² in the two-cell form of Rayson & Garside (2000), "Comparing corpora
using frequency profiling":

    E1 = c·(a+b)/(c+d)    E2 = d·(a+b)/(c+d)    G² = 2·(a·ln(a/E1) + b·ln(b/E2))

with a, b the term's count in target and reference, c, d the token totals of target and reference, and
0·ln 0 = 0. G² ≥ 3.84 is p < 0.05 and ≥ 10.83 p < 0.001 (one degree of freedom). Effect size: Hardie's
(2014) log ratio, log2((a/c)/(b/d)), with a zero count replaced by 0.5 so it stays finite.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import xlogy

from reportlens.analysis._common import (
    check_top,
    empty_frame,
    plain_columns,
    require_columns,
    top_within,
)

Direction = Literal["over", "under", "both"]

KEYNESS_COLUMNS = ["term", "target_count", "reference_count", "log_likelihood", "log_ratio", "direction"]
DISTINCTIVE_GROUP: dict[str, str] = {"report": "report_id", "role": "role"}


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


def _target_mask(tokens: pd.DataFrame, target: pd.Series | np.ndarray | str | Iterable[str]) -> np.ndarray:
    """Boolean mask over the token rows from a mask (Series on tokens' index, or array) or report id(s)."""
    if isinstance(target, str):
        return tokens["report_id"].eq(target).to_numpy()
    if isinstance(target, pd.Series) and target.dtype == bool:
        if not target.index.equals(tokens.index):
            raise ValueError("a boolean target Series must have the same index as tokens")
        return target.to_numpy()
    values = target if isinstance(target, np.ndarray) else list(target)
    array = np.asarray(values)
    if array.dtype == bool:
        if array.shape != (len(tokens),):
            raise ValueError(f"a boolean target mask must have length {len(tokens)}, got shape {array.shape}")
        return array
    return tokens["report_id"].isin(values).to_numpy()


def _check_min_count(min_count: int) -> None:
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a positive int, got {min_count!r}")


def keyness(
    tokens: pd.DataFrame,
    *,
    target: pd.Series | np.ndarray | str | Iterable[str],
    top: int | None = 30,
    min_count: int = 3,
    direction: Direction = "over",
) -> pd.DataFrame:
    """Key terms of a target against the rest of ``tokens`` (the reference).

    ``target`` is a report id, a collection of report ids, or a boolean mask over the token rows (a Series
    with tokens' index, e.g. ``tokens["role"] == "problems"``, or an array of the same length).
    Terms whose count in target and reference together is below ``min_count`` are skipped.
    ``direction``: "over" keeps terms relatively more frequent in the target, "under" less frequent, "both"
    either; terms with equal rates are never key. Returns columns ``term, target_count, reference_count,
    log_likelihood, log_ratio, direction``, sorted by log_likelihood (G²) descending then term, ``top`` rows.

    Raises ValueError when the target selects no tokens, or all of them (nothing left to compare with).
    """
    require_columns(tokens, ("report_id", "token"), name="tokens")
    check_top(top)
    _check_min_count(min_count)
    if direction not in ("over", "under", "both"):
        raise ValueError(f"direction must be 'over', 'under' or 'both', got {direction!r}")
    mask = _target_mask(tokens, target)
    target_total = int(mask.sum())
    reference_total = len(tokens) - target_total
    if target_total == 0:
        raise ValueError("keyness: the target selects no tokens (unknown report ids or an all-False mask)")
    if reference_total == 0:
        raise ValueError("keyness: the target selects every token, so there is no reference to compare with")

    codes, terms = pd.factorize(tokens["token"])
    target_count = np.bincount(codes[mask], minlength=len(terms))
    reference_count = np.bincount(codes, minlength=len(terms)) - target_count
    over = target_count * reference_total > reference_count * target_total
    under = target_count * reference_total < reference_count * target_total
    keep = {"over": over, "under": under, "both": over | under}[direction]
    keep &= (target_count + reference_count) >= min_count
    index = np.flatnonzero(keep)
    if not len(index):
        return empty_frame(
            KEYNESS_COLUMNS,
            int_columns=("target_count", "reference_count"),
            float_columns=("log_likelihood", "log_ratio"),
        )
    a, b = target_count[index], reference_count[index]
    frame = pd.DataFrame(
        {
            "term": np.asarray(terms, dtype=object)[index],
            "target_count": a.astype("int64"),
            "reference_count": b.astype("int64"),
            "log_likelihood": log_likelihood(a, b, target_total, reference_total),
            "log_ratio": log_ratio(a, b, target_total, reference_total),
            "direction": np.where(over[index], "over", "under"),
        }
    )
    frame = frame.sort_values(["log_likelihood", "term"], ascending=[False, True], kind="stable")
    if top is not None:
        frame = frame.head(top)
    return frame.reset_index(drop=True)


def distinctive_terms(
    tokens: pd.DataFrame,
    *,
    by: Literal["report", "role"] = "report",
    top: int | None = 10,
    min_count: int = 3,
) -> pd.DataFrame:
    """For each report (or role), its most over-represented terms against all the other reports (roles).

    One pass over all groups at once (no loop per group). Returns columns ``report_id`` (or ``role``),
    ``term, target_count, reference_count, log_likelihood, log_ratio``; groups sorted (roles in
    ``roles.ROLE_CODES`` order), then G² descending, then term; ``top`` rows per group. ``min_count`` as in
    ``keyness``. Raises ValueError when there are fewer than two groups to compare.
    """
    if by not in DISTINCTIVE_GROUP:
        raise ValueError(f"by must be 'report' or 'role', got {by!r}")
    group = DISTINCTIVE_GROUP[by]
    require_columns(tokens, (group, "token"), name="tokens")
    check_top(top)
    _check_min_count(min_count)
    columns = [group, *KEYNESS_COLUMNS[:-1]]
    if tokens.empty:
        return empty_frame(
            columns,
            int_columns=("target_count", "reference_count"),
            float_columns=("log_likelihood", "log_ratio"),
        )
    if tokens[group].nunique() < 2:
        raise ValueError(f"distinctive_terms(by={by!r}) needs at least two {group} values to compare")

    grouped = tokens.groupby([tokens[group], tokens["token"].rename("term")], sort=False, observed=True)
    counts = plain_columns(grouped.size().rename("target_count").reset_index(), [group, "term"])
    a = counts["target_count"].to_numpy(dtype="int64")
    term_total = counts.groupby("term", sort=False, observed=True)["target_count"].transform("sum").to_numpy()
    group_total = counts.groupby(group, sort=False, observed=True)["target_count"].transform("sum").to_numpy()
    b = term_total - a
    c = group_total
    d = len(tokens) - group_total
    keep = (a * d > b * c) & (term_total >= min_count)
    counts = counts[keep].copy()
    a, b, c, d = a[keep], b[keep], c[keep], d[keep]
    counts["target_count"] = a
    counts["reference_count"] = b
    counts["log_likelihood"] = log_likelihood(a, b, c, d)
    counts["log_ratio"] = log_ratio(a, b, c, d)
    return top_within(counts, group, "log_likelihood", top=top)[columns].reset_index(drop=True)
