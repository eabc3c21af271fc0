"""A selection of reports: its ids (in corpus order) from the filters, and the rows of the tables it holds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

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


def with_names(frame: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the names of its ``report_id``: ``report``, the short name (chart axes, chips, tables on
    screen), and ``report_title``, the full title (tooltips, CSVs)."""
    named = reports.drop_duplicates("report_id").set_index("report_id")
    ids = frame["report_id"]
    return frame.assign(report=ids.map(named["short"]), report_title=ids.map(named["label"]))


def report_rows(tables: CorpusTables, report_ids: Sequence[str]) -> pd.DataFrame:
    """The rows of ``tables.reports`` for these ids, in corpus order."""
    return tables.reports.iloc[np.sort(tables.index.positions(report_ids))].reset_index(drop=True)
