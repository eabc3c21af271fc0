"""Tests for reportlens.analysis.shares: how much of each report each role takes up; small hand-built tables
whose right answers are worked out in comments (``analysis_data``)."""

from __future__ import annotations

import pytest
from analysis_data import SHARE_PARTS

from reportlens.analysis import role_shares
from reportlens.roles import ROLE_CODES

# --- shares ------------------------------------------------------------------------------------------------


def test_role_shares_sum_to_one_and_fill_zeros():
    out = role_shares(SHARE_PARTS)
    assert list(out.columns) == ["report_id", "role", "chars", "share"]
    b = out[out["report_id"] == "B"].set_index("role")
    assert b["chars"].to_dict() == {
        "preamble": 100, "achievements": 600, "problems": 200, "goals": 0, "measures": 100, "other": 0,
    }  # fmt: skip
    assert b.loc["achievements", "share"] == pytest.approx(0.6)
    assert out.groupby("report_id")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert out["report_id"].unique().tolist() == ["B", "A"]  # the order of parts
    assert len(out) == 2 * len(ROLE_CODES)


def test_shares_of_empty_parts():
    assert role_shares(SHARE_PARTS.iloc[:0]).empty
