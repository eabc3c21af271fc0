"""Term trends: how often chosen terms occur year by year, as counts and per 10,000 characters."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from reportlens.analysis._common import (
    check_top,
    empty_frame,
    map_values,
    per_10k,
    plain_columns,
    report_chars,
    report_years,
    require_columns,
    unique_ids,
)

TREND_COLUMNS = ["year", "term", "count", "per_10k"]


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
