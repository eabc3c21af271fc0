"""Text shares: how much of each report each role takes up (in characters)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reportlens.analysis._common import empty_frame, plain_columns, require_columns
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
    spans = _spans(parts)
    roles = list(ROLE_CODES) + sorted(set(spans["role"]) - set(ROLE_CODES))
    reports = spans["report_id"].unique()
    chars = spans.groupby(["report_id", "role"], sort=False)["chars"].sum()
    grid = pd.MultiIndex.from_product([reports, roles], names=["report_id", "role"])
    out = chars.reindex(grid, fill_value=0).astype("int64").reset_index()
    out["share"] = _share(out["chars"], out["report_id"])
    return out[ROLE_SHARE_COLUMNS]


