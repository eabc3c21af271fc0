"""Tests for reportlens.analysis.frequencies: term frequencies per report, role, year and overall; the
document-term matrix; small hand-built tables whose right answers are worked out in comments
(``analysis_data``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from analysis_data import PARTS, REPORTS, TOKENS, make_tokens, repeat

from reportlens.analysis import (
    document_term_matrix,
    term_frequencies,
    top_terms_from_matrix,
)

# --- term_frequencies --------------------------------------------------------------------------------------


def test_term_frequencies_by_report_counts_and_per_10k():
    out = term_frequencies(TOKENS, by="report", reports=REPORTS)
    assert list(out.columns) == ["report_id", "term", "count", "per_10k"]
    rows = list(out.itertuples(index=False, name=None))
    # 3 in 1,500 chars → 3 * 10,000 / 1,500 = 20.0; 2 → 13.33…; 4 in 2,000 → 20.0; 1 in 500 → 20.0
    assert rows == [
        ("A", "改革", 3, pytest.approx(20.0)),
        ("A", "发展", 2, pytest.approx(40 / 3)),
        ("A", "安全", 1, pytest.approx(20 / 3)),
        ("B", "发展", 4, pytest.approx(20.0)),
        ("B", "改革", 1, pytest.approx(5.0)),
        ("C", "发展", 1, pytest.approx(20.0)),
    ]
    assert out["count"].dtype == "int64"


def test_term_frequencies_overall_divides_by_the_selection_only():
    # D is in reports but has no tokens: out of scope. 发展 x7 in 1,500 + 2,000 + 500 = 4,000 chars → 17.5
    out = term_frequencies(TOKENS, by=None, reports=REPORTS)
    assert list(out.columns) == ["term", "count", "per_10k"]
    assert list(out.itertuples(index=False, name=None)) == [
        ("发展", 7, pytest.approx(17.5)),
        ("改革", 4, pytest.approx(10.0)),
        ("安全", 1, pytest.approx(2.5)),
    ]
    only_a = term_frequencies(TOKENS[TOKENS["report_id"] == "A"], by=None, reports=REPORTS)
    assert only_a.set_index("term").loc["改革", "per_10k"] == pytest.approx(20.0)


def test_term_frequencies_by_year_sums_the_years_reports():
    # 2022 = B + C = 2,500 chars: 发展 4 + 1 = 5 → 20.0; 改革 1 → 4.0
    out = term_frequencies(TOKENS, by="year", reports=REPORTS)
    assert out["year"].dtype == "int64"
    assert list(out.itertuples(index=False, name=None)) == [
        (2021, "改革", 3, pytest.approx(20.0)),
        (2021, "发展", 2, pytest.approx(40 / 3)),
        (2021, "安全", 1, pytest.approx(20 / 3)),
        (2022, "发展", 5, pytest.approx(20.0)),
        (2022, "改革", 1, pytest.approx(4.0)),
    ]


def test_term_frequencies_by_year_leaves_out_unknown_years():
    tokens = pd.concat([TOKENS, make_tokens(repeat("D", "安全", 9))], ignore_index=True)
    out = term_frequencies(tokens, by="year", reports=REPORTS, top=None)
    assert out["count"].sum() == len(TOKENS)
    assert set(out["year"]) == {2021, 2022}


def test_term_frequencies_by_role_uses_the_roles_characters():
    out = term_frequencies(TOKENS, by="role", parts=PARTS)
    # roles in outline.ROLES order; preamble 500 chars, problems 2,000, measures 1,500
    assert list(out.itertuples(index=False, name=None)) == [
        ("preamble", "发展", 2, pytest.approx(40.0)),
        ("problems", "改革", 4, pytest.approx(20.0)),
        ("problems", "安全", 1, pytest.approx(5.0)),
        ("measures", "发展", 5, pytest.approx(100 / 3)),
    ]


def test_term_frequencies_top_applies_per_group():
    out = term_frequencies(TOKENS, by="report", reports=REPORTS, top=1)
    assert list(zip(out["report_id"], out["term"], strict=True)) == [
        ("A", "改革"),
        ("B", "发展"),
        ("C", "发展"),
    ]


def test_term_frequencies_ties_are_broken_by_term():
    tokens = make_tokens(repeat("A", "乙", 2) + repeat("A", "甲", 2))
    assert term_frequencies(tokens)["term"].tolist() == sorted(["甲", "乙"])


def test_term_frequencies_per_10k_from_parts_or_missing():
    from_parts = term_frequencies(TOKENS, by="report", parts=PARTS)
    from_reports = term_frequencies(TOKENS, by="report", reports=REPORTS)
    assert from_parts["per_10k"].tolist() == pytest.approx(from_reports["per_10k"].tolist())
    bare = term_frequencies(TOKENS, by="report")
    assert bare["count"].tolist() == from_reports["count"].tolist()
    assert bare["per_10k"].isna().all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "role"}, "needs parts="),
        ({"by": "year"}, "needs reports="),
        ({"by": "section"}, "by must be one of"),
        ({"top": 0}, "top must be a positive int"),
        ({"reports": REPORTS[REPORTS["report_id"] != "B"]}, "no row for 1 report_id"),
        ({"reports": REPORTS.drop(columns="chars")}, "missing column"),
    ],
)
def test_term_frequencies_says_what_it_needs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        term_frequencies(TOKENS, **kwargs)


@pytest.mark.parametrize("by", ["report", "role", "year", None])
def test_term_frequencies_of_no_tokens_is_an_empty_table(by):
    out = term_frequencies(TOKENS.iloc[:0], by=by, reports=REPORTS, parts=PARTS)
    assert out.empty
    assert "term" in out.columns
    assert "per_10k" in out.columns


# --- document_term_matrix / top_terms_from_matrix ----------------------------------------------------------


def test_document_term_matrix_counts():
    matrix, report_ids, terms = document_term_matrix(TOKENS)
    assert report_ids == ["A", "B", "C"]
    assert terms == sorted(["改革", "发展", "安全"])
    expected = pd.DataFrame(
        {"A": {"改革": 3, "发展": 2, "安全": 1}, "B": {"改革": 1, "发展": 4, "安全": 0}, "C": {"发展": 1}}
    ).T.fillna(0)
    assert matrix.toarray().tolist() == expected.loc[report_ids, terms].astype(int).to_numpy().tolist()
    assert np.issubdtype(matrix.dtype, np.integer)


def test_document_term_matrix_min_count_drops_rare_terms():
    matrix, _, terms = document_term_matrix(TOKENS, min_count=2)
    assert terms == sorted(["改革", "发展"])  # 安全 occurs once in all
    assert matrix.shape == (3, 2)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (None, [("发展", 7), ("改革", 4), ("安全", 1)]),
        ([0], [("改革", 3), ("发展", 2), ("安全", 1)]),
        ([1, 2], [("发展", 5), ("改革", 1)]),
        ([1, 1, 2], [("发展", 5), ("改革", 1)]),  # a row listed twice counts once
        (np.array([False, True, False]), [("发展", 4), ("改革", 1)]),
        ([], []),
    ],
)
def test_top_terms_from_matrix_sums_selected_rows(rows, expected):
    matrix, _, terms = document_term_matrix(TOKENS)
    out = top_terms_from_matrix(matrix, terms, rows)
    assert list(out.columns) == ["term", "count"]
    assert list(out.itertuples(index=False, name=None)) == expected


def test_top_terms_from_matrix_agrees_with_term_frequencies():
    matrix, report_ids, terms = document_term_matrix(TOKENS)
    rows = [report_ids.index("A"), report_ids.index("C")]
    fast = top_terms_from_matrix(matrix, terms, rows, top=2)
    slow = term_frequencies(TOKENS[TOKENS["report_id"].isin(["A", "C"])], by=None, top=2)
    assert fast.to_dict("list") == slow[["term", "count"]].to_dict("list")
