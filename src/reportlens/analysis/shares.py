"""Text shares: how much of each report each role takes up (in characters)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reportlens.analysis._common import empty_frame, plain, plain_columns, require_columns
from reportlens.roles import ROLE_CODES

ROLE_SHARE_COLUMNS = ["report_id", "role", "chars", "share"]


def _spans(parts: pd.DataFrame) -> pd.DataFrame:
    """parts with a ``chars`` column (end - start)."""
    frame = plain_columns(parts, ["report_id", "section_path", "role", "heading"]).copy()
    frame["chars"] = (frame["end"] - frame["start"]).astype("int64")
    if (frame["chars"] < 0).any():
        raise ValueError("parts has spans with end < start")
    return frame


def _share(chars: pd.Series, report: pd.Series) -> np.ndarray:
    total = chars.groupby(report).transform("sum").to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, chars.to_numpy(dtype="float64") / total, np.nan)


def role_shares(parts: pd.DataFrame) -> pd.DataFrame:
    """Characters and share of each report's text per role; shares sum to 1 per report.

    Every report gets a row for each of ``roles.ROLE_CODES`` (0 where the role is absent, so averages across
    reports are right), plus any other role found in ``parts``. Reports keep their order in ``parts``,
    roles the ``ROLE_CODES`` order. A report with no characters has share NaN.
    Returns columns ``report_id, role, chars, share``.
    """
    require_columns(parts, ("report_id", "role", "start", "end"), name="parts")
    if parts.empty:
        return empty_frame(ROLE_SHARE_COLUMNS, int_columns=("chars",), float_columns=("share",))
    spans = (parts["end"] - parts["start"]).to_numpy(dtype=np.int64)
    if (spans < 0).any():
        raise ValueError("parts has spans with end < start")
    # one pass: reports and roles numbered, characters added up into a reports × roles grid
    report_codes, reports = pd.factorize(plain(parts["report_id"]))
    role_codes, found = pd.factorize(plain(parts["role"]))
    roles = list(ROLE_CODES) + sorted(set(found) - set(ROLE_CODES))
    column = np.array([roles.index(r) for r in found], dtype=np.int64)
    grid = np.zeros((len(reports), len(roles)), dtype=np.int64)
    np.add.at(grid, (report_codes, column[role_codes]), spans)
    total = np.repeat(grid.sum(axis=1), len(roles)).astype("float64")
    chars = grid.ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, chars / total, np.nan)
    return pd.DataFrame(
        {
            "report_id": np.repeat(np.asarray(reports, dtype=object), len(roles)),
            "role": np.tile(np.asarray(roles, dtype=object), len(reports)),
            "chars": chars,
            "share": share,
        }
    )[ROLE_SHARE_COLUMNS]


