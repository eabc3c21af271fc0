"""Tests for the term trends by year (the token-table version kept as a test oracle, ``oracles.term_trends``,
which ``selection.trends`` and ``analysis.trend_frame`` are checked against), per 10,000 characters; small hand-built tables
whose right answers are worked out in comments (``analysis_data``)."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_data import make_tokens, repeat
from oracles import term_trends

# --- term_trends -------------------------------------------------------------------------------------------


TREND_REPORTS = pd.DataFrame(
    {
        "report_id": ["r19", "r20", "r21", "r18", "rNA"],
        "title": ["", "", "", "", ""],
        "year": pd.array([2019, 2020, 2021, 2018, None], dtype="Int64"),
        "chars": [10_000, 1_000, 2_000, 5_000, 3_000],
    }
)
# 2019: p x10 (10 per 10k), 改革 x2.  2020: q x5 (50 per 10k), no 改革.  2021: 改革 x4 (20 per 10k).
# r18 (2018) has no tokens: out of scope.  rNA has no year: left out.
TREND_TOKENS = make_tokens(
    repeat("r19", "p", 10) + repeat("r19", "改革", 2) + repeat("r20", "q", 5)
    + repeat("r21", "改革", 4) + repeat("rNA", "改革", 50)
)  # fmt: skip


def test_term_trends_zero_fills_years_without_the_term():
    out = term_trends(TREND_TOKENS, TREND_REPORTS, terms=["改革"])
    assert list(out.columns) == ["year", "term", "count", "per_10k"]
    assert out["year"].dtype == "int64"
    assert list(out.itertuples(index=False, name=None)) == [
        (2019, "改革", 2, pytest.approx(2.0)),
        (2020, "改革", 0, pytest.approx(0.0)),
        (2021, "改革", 4, pytest.approx(20.0)),
    ]


def test_term_trends_keeps_given_terms_in_order_even_if_absent():
    out = term_trends(TREND_TOKENS, TREND_REPORTS, terms=["q", "没有", "q"])
    assert out["term"].tolist() == ["q", "没有"] * 3
    assert out.loc[out["term"] == "没有", "count"].tolist() == [0, 0, 0]
    assert out.loc[out["term"] == "q", "count"].tolist() == [0, 5, 0]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        # mean yearly per_10k: q (0 + 50 + 0)/3 = 16.7, 改革 (2 + 0 + 20)/3 = 7.3, p (10 + 0 + 0)/3 = 3.3
        (True, ["q", "改革", "p"]),
        # total count: p 10, 改革 6, q 5
        (False, ["p", "改革", "q"]),
    ],
)
def test_term_trends_top_terms_relative_or_absolute(relative, expected):
    out = term_trends(TREND_TOKENS, TREND_REPORTS, top=3, relative=relative)
    assert out.drop_duplicates("term")["term"].tolist() == expected
    assert len(out) == 3 * 3  # every term in every year
    assert term_trends(TREND_TOKENS, TREND_REPORTS, top=1, relative=relative)["term"].unique().tolist() == [
        expected[0]
    ]


def test_term_trends_without_known_years_is_empty():
    out = term_trends(TREND_TOKENS[TREND_TOKENS["report_id"] == "rNA"], TREND_REPORTS)
    assert out.empty
    assert list(out.columns) == ["year", "term", "count", "per_10k"]


def test_term_trends_rejects_a_bare_string():
    with pytest.raises(ValueError, match="not a single string"):
        term_trends(TREND_TOKENS, TREND_REPORTS, terms="改革")
