"""Test oracles: the token-table versions of keyness and trends, kept here to check the matrix versions the
app uses (``analysis.keyness``, ``analysis.trends``, ``selection``). They are slower (they scan every token)
and nothing in the package uses them; they are the straightforward reading of the definitions, which is
what makes them good references."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from reportlens.analysis import log_likelihood, log_ratio
from reportlens.analysis._common import (
    check_top,
    empty_frame,
    map_values,
    per_10k,
    plain_columns,
    report_chars,
    report_years,
    require_columns,
    top_within,
    unique_ids,
)

Direction = Literal["over", "under", "both"]
KEYNESS_COLUMNS = ["term", "target_count", "reference_count", "log_likelihood", "log_ratio", "direction"]
DISTINCTIVE_GROUP: dict[str, str] = {"report": "report_id", "role": "role"}
TREND_COLUMNS = ["year", "term", "count", "per_10k"]


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


def term_trends(
    tokens: pd.DataFrame,
    reports: pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    top: int | None = 10,
    relative: bool = True,
) -> pd.DataFrame:
    """Yearly count and rate (per 10,000 characters of that year's reports) of each term.

    ``terms``: the terms to follow, in the order given (duplicates dropped; a term that never occurs is
    kept, all zeros). When None, the ``top`` terms overall are chosen: with ``relative`` by their mean
    yearly per_10k (each year weighs the same however many reports it has), otherwise by total count.

    The years are those of the reports in ``tokens`` (looked up in ``reports``: ``report_id, year, chars``);
    reports with an unknown year are left out. Every term has a row for every one of those years — count 0
    where it does not occur — so a line chart drops to zero instead of bridging the gap. Years without any
    report are absent (there is nothing to measure). Returns ``year`` (int), ``term``, ``count``,
    ``per_10k``, sorted by year, then by the order of the terms.
    """
    require_columns(tokens, ("report_id", "token"), name="tokens")
    require_columns(reports, ("report_id", "year", "chars"), name="reports")
    check_top(top)
    empty = empty_frame(TREND_COLUMNS, int_columns=("year", "count"), float_columns=("per_10k",))
    if terms is not None and isinstance(terms, str):
        raise ValueError("terms must be a sequence of terms, not a single string; wrap it in a list")

    ids = unique_ids(tokens)
    scope = pd.DataFrame({"year": report_years(reports, ids), "chars": report_chars(reports, ids)})
    scope = scope.dropna(subset=["year"])
    if scope.empty:
        return empty
    year_chars = scope.groupby(scope["year"].astype("int64"))["chars"].sum().astype("int64")

    token_year = map_values(tokens["report_id"], scope["year"])
    rows = token_year.notna()
    if terms is not None:
        chosen = list(dict.fromkeys(str(t) for t in terms))
        rows &= tokens["token"].isin(chosen)
    selected = pd.DataFrame({"year": token_year[rows].astype("int64"), "term": tokens.loc[rows, "token"]})
    counts = selected.groupby(["year", "term"], sort=False, observed=True).size().rename("count")
    counts = plain_columns(counts.reset_index(), ["term"]).set_index(["year", "term"])["count"]

    if terms is None:
        if counts.empty:
            return empty
        if relative:
            rates = per_10k(counts.to_numpy(), year_chars.reindex(counts.index.get_level_values("year")))
            score = pd.Series(rates, index=counts.index).groupby(level="term").sum() / len(year_chars)
        else:
            score = counts.groupby(level="term").sum()
        ranked = score.rename("score").rename_axis("term").reset_index()
        ranked = ranked.sort_values(["score", "term"], ascending=[False, True], kind="stable")
        chosen = ranked["term"].tolist() if top is None else ranked["term"].head(top).tolist()
    if not chosen:
        return empty

    grid = pd.MultiIndex.from_product([year_chars.index, chosen], names=["year", "term"])
    full = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    full["year"] = full["year"].astype("int64")
    full["count"] = full["count"].astype("int64")
    full["per_10k"] = per_10k(full["count"], full["year"].map(year_chars))
    return full[TREND_COLUMNS].astype({"per_10k": np.float64})
