"""The report index of a corpus's tables: where each report's rows are, its characters per role, its year
group, and each year's term sums — built once per tables (``CorpusTables.index``), so that a selection of
reports becomes rows without scanning, or comparing the ids of, the rows of the reports left out."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.analysis import column_sums

if TYPE_CHECKING:
    from reportlens.tables import CorpusTables


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The indices of the ranges ``[starts[k], ends[k])`` concatenated, in order."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


def _report_runs(column: pd.Series, position: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """The runs of equal report ids of a table whose rows are grouped by report: each run's first row and the
    report's corpus position (one dictionary look-up per report, not per row)."""
    values = column.to_numpy(dtype=object)
    if not len(values):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return starts, np.array([position[r] for r in values[starts]], dtype=np.int64)


def _report_bounds(column: pd.Series, position: Mapping[str, int], n_reports: int) -> tuple[np.ndarray, np.ndarray]:
    """Each report's first and past-the-end row in a table whose rows are grouped by report (in corpus order)."""
    starts, at = _report_runs(column, position)
    if np.any(np.diff(at) <= 0):
        raise ValueError("table rows must be grouped by report in corpus order")
    first = np.zeros(n_reports, dtype=np.int64)
    last = np.zeros(n_reports, dtype=np.int64)
    first[at] = starts
    last[at] = np.append(starts[1:], len(column))
    return first, last


class ReportIndex:
    """Positions of each report's rows in the tables, built once per corpus, so that a selection of reports is
    turned into rows without scanning (or comparing the ids of) the rows of the reports left out."""

    def __init__(self, tables: CorpusTables) -> None:
        reports = tables.reports
        ids = reports["report_id"].tolist()
        self.position: dict[str, int] = {}
        for k, report_id in enumerate(ids):
            self.position.setdefault(report_id, k)
        self.n_reports = len(ids)
        dtm = tables.dtm
        self.dtm_report = np.fromiter(
            (self.position[r] for r in dtm.report_ids), dtype=np.int64, count=len(dtm.report_ids)
        )
        self.role_names = sorted(set(dtm.roles.tolist()) | set(tables.parts["role"].tolist()))
        role_code = {r: k for k, r in enumerate(self.role_names)}
        self.dtm_role = np.fromiter((role_code[r] for r in dtm.roles), dtype=np.int64, count=len(dtm.roles))
        self.role_code = role_code
        parts = tables.parts
        starts, at = _report_runs(parts["report_id"], self.position)
        part_report = np.repeat(at, np.diff(np.append(starts, len(parts))))
        codes, names = pd.factorize(parts["role"])
        part_role = np.array([role_code[r] for r in names], dtype=np.int64)[codes]
        spans = (parts["end"] - parts["start"]).to_numpy(dtype=np.int64)
        self.chars = np.zeros((self.n_reports, len(self.role_names)), dtype=np.int64)
        np.add.at(self.chars, (part_report, part_role), spans)
        self.year = reports["year"].to_numpy(dtype="float64", na_value=np.nan)
        self.report_chars = reports["chars"].to_numpy(dtype=np.int64)
        self._tables = tables
        self.parts = _report_bounds(parts["report_id"], self.position, self.n_reports)
        self.term_column = {t: j for j, t in enumerate(dtm.terms)}
        self.row_total = np.asarray(dtm.matrix.sum(axis=1)).ravel().astype(np.int64)
        # Reports grouped by year (unknown years one group), with each group's term counts per role summed
        # once: a selection holding every report of a year (the usual year-range filter) takes that year's
        # sums instead of adding up its reports' rows, so a filter change costs about the number of years
        # (plus the reports of partly selected years), not the number of selected reports. Integer sums,
        # so the totals are the same whichever way they are added.
        year_key = np.where(np.isnan(self.year), -1, np.nan_to_num(self.year, nan=-1)).astype(np.int64)
        _, self.group, self.group_size = np.unique(year_key, return_inverse=True, return_counts=True)
        self.group = self.group.reshape(-1)
        self.n_groups = len(self.group_size)
        slots = len(self.role_names) + 1  # each role, then "all"
        self._slots = slots
        n_rows = len(self.dtm_report)
        keys = self.group[self.dtm_report] * slots
        indicator = sparse.csr_matrix(
            (
                np.ones(2 * n_rows, dtype=np.int64),
                (np.concatenate([keys + self.dtm_role, keys + slots - 1]), np.tile(np.arange(n_rows), 2)),
            ),
            shape=(self.n_groups * slots, n_rows),
        )
        self.group_sums = (indicator @ dtm.matrix).tocsr()
        self._matrix = dtm.matrix

    @functools.cached_property
    def sections(self) -> tuple[np.ndarray, np.ndarray]:
        """Each report's first and past-the-end row in ``tables.sections`` (found when first asked for, as
        that table may be read then)."""
        return _report_bounds(self._tables.sections["report_id"], self.position, self.n_reports)

    @functools.cached_property
    def items(self) -> tuple[np.ndarray, np.ndarray]:
        """Each report's first and past-the-end row in ``tables.items`` (as ``sections``)."""
        return _report_bounds(self._tables.items["report_id"], self.position, self.n_reports)

    def positions(self, report_ids: Sequence[str]) -> np.ndarray:
        """Corpus positions of the known ids among ``report_ids``, each once, in the given order."""
        found = (self.position.get(r) for r in dict.fromkeys(report_ids))
        return np.fromiter((k for k in found if k is not None), dtype=np.int64)

    def selected(self, report_ids: Sequence[str]) -> np.ndarray:
        """A boolean mask over the corpus's reports: those in ``report_ids``."""
        mask = np.zeros(self.n_reports, dtype=bool)
        mask[self.positions(report_ids)] = True
        return mask

    def dtm_rows(self, report_ids: Sequence[str], role: str) -> np.ndarray:
        """Indices of the document-term matrix rows of these reports (and role; "all": every role)."""
        rows = self.selected(report_ids)[self.dtm_report]
        if role != "all":
            rows &= self.dtm_role == self.role_code.get(role, -1)
        return np.flatnonzero(rows)

    def term_counts(self, report_ids: Sequence[str], role: str) -> np.ndarray:
        """Each term's count (int64, one per matrix column) in these reports' text of ``role`` ("all": every
        role): the sums of the years wholly selected plus the rows of the other selected reports."""
        at = self.positions(report_ids)
        chosen = np.bincount(self.group[at], minlength=self.n_groups)
        whole = chosen == self.group_size
        rest = np.zeros(self.n_reports, dtype=bool)
        rest[at[~whole[self.group[at]]]] = True
        rows = rest[self.dtm_report]
        slot = self._slots - 1 if role == "all" else self.role_code.get(role)
        if slot is None:
            return np.zeros(self._matrix.shape[1], dtype=np.int64)
        if role != "all":
            rows &= self.dtm_role == slot
        counts = column_sums(self._matrix, np.flatnonzero(rows))
        if whole.any():
            counts += column_sums(self.group_sums, np.flatnonzero(whole) * self._slots + slot)
        return counts

    def role_chars(self, role: str) -> np.ndarray:
        """Characters of each report's text in ``role`` ("all": the whole of its parts), by corpus position."""
        if role == "all":
            return self.chars.sum(axis=1)
        code = self.role_code.get(role)
        return self.chars[:, code] if code is not None else np.zeros(self.n_reports, dtype=np.int64)

    def rows_of(self, table: str, report_ids: Sequence[str]) -> np.ndarray:
        """Row numbers of these reports in ``sections``, ``parts`` or ``items``, in table (corpus) order."""
        starts, ends = getattr(self, table)
        at = np.sort(self.positions(report_ids))
        return _ranges(starts[at], ends[at])
