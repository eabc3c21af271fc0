"""Shared checks and small helpers for the analysis functions (private to the package)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from reportlens.roles import ROLE_CODES

TOKEN_COLUMNS = ("report_id", "section_path", "role", "sentence", "token", "offset")
PER = 10_000  # per_10k: occurrences per this many characters


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, name: str) -> None:
    """Raise ValueError naming the missing columns of ``frame`` (``name`` is the argument's name)."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it has {list(frame.columns)}")


def check_top(top: int | None, *, name: str = "top") -> None:
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError(f"{name} must be a positive int or None, got {top!r}")


def _report_column(reports: pd.DataFrame, report_ids: pd.Index, column: str) -> pd.Series:
    """``column`` of each id in ``report_ids`` (indexed by report_id); every id must be in ``reports``."""
    require_columns(reports, ("report_id", column), name="reports")
    values = reports.drop_duplicates("report_id").set_index("report_id")[column]
    missing = report_ids.difference(values.index)
    if len(missing):
        raise ValueError(
            f"reports has no row for {len(missing)} report_id(s) found in tokens, e.g. {list(missing[:3])}"
        )
    return values.reindex(report_ids)


def report_chars(reports: pd.DataFrame, report_ids: pd.Index) -> pd.Series:
    """``chars`` of each id in ``report_ids`` (indexed by report_id); every id must be in ``reports``."""
    return _report_column(reports, report_ids, "chars").astype("int64")


def report_years(reports: pd.DataFrame, report_ids: pd.Index) -> pd.Series:
    """``year`` of each id in ``report_ids`` (Int64, may be <NA>); every id must be in ``reports``."""
    return _report_column(reports, report_ids, "year").astype("Int64")


def top_within(counts: pd.DataFrame, group: str, measure: str, *, top: int | None) -> pd.DataFrame:
    """``counts`` ordered by ``group`` (roles in ``ROLE_CODES`` order), then ``measure`` descending, then term; the
    first ``top`` rows of each group (all with None)."""
    order = role_order(counts["role"]) if group == "role" else counts[group]
    counts = counts.assign(_group=order).sort_values(
        ["_group", group, measure, "term"], ascending=[True, True, False, True], kind="stable"
    )
    return counts if top is None else counts.groupby(group, sort=False).head(top)


def per_10k(count: pd.Series | np.ndarray, chars: pd.Series | np.ndarray) -> np.ndarray:
    """count per 10,000 characters; NaN where there are no characters to divide by."""
    count_arr = np.asarray(count, dtype="float64")
    chars_arr = np.asarray(chars, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = count_arr * PER / chars_arr
    return np.where(chars_arr > 0, out, np.nan)


def role_order(roles: pd.Series) -> pd.Series:
    """Sort key for roles: the order of ``roles.ROLE_CODES``, unknown roles after them."""
    rank = {role: i for i, role in enumerate(ROLE_CODES)}
    return plain(roles).map(rank).fillna(len(ROLE_CODES)).astype("int64")


def empty_frame(
    columns: Iterable[str], *, int_columns: Iterable[str] = (), float_columns: Iterable[str] = ()
) -> pd.DataFrame:
    """A DataFrame with no rows and the given columns (ints, floats, the rest strings)."""
    ints, floats = set(int_columns), set(float_columns)
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c in ints else "float64" if c in floats else "str") for c in columns}
    )


def plain(series: pd.Series) -> pd.Series:
    """A categorical column as its plain values (the token tables keep ids, roles and tokens categorical)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.astype(series.cat.categories.dtype)
    return series


def plain_columns(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame`` with the given categorical columns made plain (so they sort by value, not category order)."""
    changed = {c: plain(frame[c]) for c in columns if c in frame.columns}
    return frame.assign(**changed) if changed else frame


def map_values(series: pd.Series, mapping: pd.Series) -> pd.Series:
    """``series.map(mapping)`` that returns plain values for a categorical ``series`` too (mapped once per
    category, then spread by code — fast on a 10M-row token table)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        mapped = mapping.reindex(series.cat.categories)
        codes = series.cat.codes.to_numpy()
        values = mapped.take(np.where(codes >= 0, codes, 0)).to_numpy()
        result = pd.Series(values, index=series.index, dtype=mapped.dtype, name=series.name)
        return result.mask(codes < 0)
    return series.map(mapping)


def sorted_codes(values: pd.Series, *, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes for ``values`` numbering the distinct values in sorted order, and those values.

    Same answer for str, object and categorical columns (a categorical's category order is ignored).
    """
    codes, uniques = pd.factorize(values)
    if len(codes) and codes.min() < 0:
        raise ValueError(f"{name} has missing values")
    labels = np.asarray(uniques, dtype=object)
    order = np.argsort(labels, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], labels[order]


def unique_ids(tokens: pd.DataFrame) -> pd.Index:
    """The distinct report ids of a token table, as a plain Index of str (categorical or not)."""
    return pd.Index(np.asarray(tokens["report_id"].unique(), dtype=object), name="report_id")
