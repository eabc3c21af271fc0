"""Tests for reportlens.analysis: small hand-built tables whose right answers are worked out in comments."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from oracles import distinctive_terms, keyness, term_trends  # the token-table versions, kept as test oracles
from scipy.stats import power_divergence

from reportlens.analysis import (
    cooccurrence,
    document_term_matrix,
    keyword_in_context,
    log_likelihood,
    log_ratio,
    role_shares,
    section_shares,
    term_frequencies,
    top_terms_from_matrix,
)
from reportlens.normalize import normalize_text
from reportlens.roles import ROLE_CODES
from reportlens.structure import parse_outline
from reportlens.tables import parts_table

SEED = Path(__file__).resolve().parents[1] / "seeds" / "002_4b14bcfd66eb8c4e.txt"


def make_tokens(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    """A token table from (report_id, role, sentence, token) rows; section_path and offset filled in."""
    frame = pd.DataFrame(rows, columns=["report_id", "role", "sentence", "token"])
    frame.insert(1, "section_path", "1")
    frame["offset"] = frame.groupby("report_id").cumcount() * 2
    return frame[["report_id", "section_path", "role", "sentence", "token", "offset"]]


def repeat(report_id: str, token: str, n: int, *, role: str = "other", sentence: int = 0) -> list:
    return [(report_id, role, sentence, token)] * n


# A: 1,500 chars, 改革 x3 (problems), 发展 x2 (preamble), 安全 x1 (problems)
# B: 2,000 chars, 发展 x4 (measures), 改革 x1 (problems)
# C:   500 chars, 发展 x1 (measures)
TOKENS = make_tokens(
    repeat("A", "改革", 3, role="problems")
    + repeat("A", "发展", 2, role="preamble")
    + repeat("A", "安全", 1, role="problems")
    + repeat("B", "发展", 4, role="measures")
    + repeat("B", "改革", 1, role="problems")
    + repeat("C", "发展", 1, role="measures")
)
REPORTS = pd.DataFrame(
    {
        "report_id": ["A", "B", "C", "D"],
        "title": ["甲报告", "乙报告", "丙报告", "丁报告"],
        "year": pd.array([2021, 2022, 2022, None], dtype="Int64"),
        "chars": [1500, 2000, 500, 800],
    }
)
# role chars: preamble 500 (A); problems 1000 (A) + 1000 (B) = 2000; measures 1000 (B) + 500 (C) = 1500
PARTS = pd.DataFrame(
    [
        ("A", "0", "preamble", 0, 500),
        ("A", "1", "problems", 500, 1500),
        ("B", "1", "problems", 0, 1000),
        ("B", "2", "measures", 1000, 2000),
        ("C", "1", "measures", 0, 500),
    ],
    columns=["report_id", "section_path", "role", "start", "end"],
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


# --- keyness -----------------------------------------------------------------------------------------------

# Target T: 100 tokens = 10 "x", 1 "y", 89 "f".  Reference R: 400 tokens = 5 "x", 40 "y", 355 "g".
KEY_TOKENS = make_tokens(
    repeat("T", "x", 10) + repeat("T", "y", 1) + repeat("T", "f", 89)
    + repeat("R", "x", 5) + repeat("R", "y", 40) + repeat("R", "g", 355)
)  # fmt: skip
# x: a=10, b=5, c=100, d=400.  E1 = 100·15/500 = 3, E2 = 400·15/500 = 12.
#    G² = 2·(10·ln(10/3) + 5·ln(5/12)) = 2·(12.039728 - 4.377344) = 15.324769
#    log ratio = log2((10/100)/(5/400)) = log2(8) = 3
X_G2 = 2 * (10 * math.log(10 / 3) + 5 * math.log(5 / 12))
# y: a=1, b=40. E1 = 100·41/500 = 8.2, E2 = 32.8. G² = 2·(ln(1/8.2) + 40·ln(40/32.8)) = 11.667807
#    log ratio = log2((1/100)/(40/400)) = log2(0.1) = -3.321928
Y_G2 = 2 * (1 * math.log(1 / 8.2) + 40 * math.log(40 / 32.8))


def test_log_likelihood_by_hand_and_against_scipy():
    assert math.isclose(X_G2, 15.324769, abs_tol=1e-6)
    assert math.isclose(Y_G2, 11.667807, abs_tol=1e-6)
    assert log_likelihood(10, 5, 100, 400) == pytest.approx(X_G2)
    # Rayson & Garside's two cells are a G-test of observed [a, b] against expected [E1, E2]
    assert log_likelihood(10, 5, 100, 400) == pytest.approx(
        power_divergence([10, 5], [3, 12], lambda_="log-likelihood").statistic
    )
    assert log_likelihood(1, 40, 100, 400) == pytest.approx(Y_G2)
    assert log_likelihood(5, 20, 100, 400) == pytest.approx(0.0)  # equal rates
    # a zero count contributes 0·ln 0 = 0: a=0, b=4 → E2 = 400·4/500 = 3.2, G² = 2·4·ln(4/3.2)
    assert log_likelihood(0, 4, 100, 400) == pytest.approx(8 * math.log(4 / 3.2))
    assert log_ratio(10, 5, 100, 400) == pytest.approx(3.0)
    assert log_ratio(0, 4, 100, 400) == pytest.approx(math.log2((0.5 / 100) / (4 / 400)))


def test_keyness_over_represented_terms():
    out = keyness(KEY_TOKENS, target="T")
    assert list(out.columns) == [
        "term", "target_count", "reference_count", "log_likelihood", "log_ratio", "direction",
    ]  # fmt: skip
    # f: a=89, b=0 → G² = 2·89·ln(89/(100·89/500)) = 178·ln 5 = 286.48; then x
    assert out["term"].tolist() == ["f", "x"]
    assert out["log_likelihood"].tolist() == pytest.approx([178 * math.log(5), X_G2])
    x = out.set_index("term").loc["x"]
    assert (x["target_count"], x["reference_count"], x["direction"]) == (10, 5, "over")
    assert x["log_ratio"] == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("direction", "terms"),
    [("over", ["f", "x"]), ("under", ["g", "y"]), ("both", ["f", "g", "x", "y"])],
)
def test_keyness_direction(direction, terms):
    out = keyness(KEY_TOKENS, target="T", direction=direction, top=None)
    assert sorted(out["term"]) == terms
    assert (out["direction"] == np.where(out["log_ratio"] > 0, "over", "under")).all()
    assert out["log_likelihood"].is_monotonic_decreasing


def test_keyness_under_represented_value():
    y = keyness(KEY_TOKENS, target="T", direction="under").set_index("term").loc["y"]
    assert y["log_likelihood"] == pytest.approx(Y_G2)
    assert y["log_ratio"] == pytest.approx(math.log2(0.1))
    assert y["direction"] == "under"


def test_keyness_target_as_ids_or_mask_agree():
    by_id = keyness(KEY_TOKENS, target="T", top=None)
    by_list = keyness(KEY_TOKENS, target=["T"], top=None)
    by_mask = keyness(KEY_TOKENS, target=KEY_TOKENS["report_id"] == "T", top=None)
    by_array = keyness(KEY_TOKENS, target=(KEY_TOKENS["report_id"] == "T").to_numpy(), top=None)
    for other in (by_list, by_mask, by_array):
        pd.testing.assert_frame_equal(by_id, other)


def test_keyness_min_count_counts_target_and_reference_together():
    # x occurs 15 times in all, y 41, f 89
    assert keyness(KEY_TOKENS, target="T", min_count=16)["term"].tolist() == ["f"]
    assert "x" in keyness(KEY_TOKENS, target="T", min_count=15)["term"].tolist()


@pytest.mark.parametrize(
    ("target", "message"),
    [("nobody", "selects no tokens"), (["T", "R"], "no reference"), (KEY_TOKENS["token"].eq("x"), None)],
)
def test_keyness_needs_a_target_and_a_reference(target, message):
    if message is None:
        assert not keyness(KEY_TOKENS, target=target).empty
        return
    with pytest.raises(ValueError, match=message):
        keyness(KEY_TOKENS, target=target)


def test_distinctive_terms_match_keyness_per_report():
    tokens = pd.concat(
        [KEY_TOKENS, make_tokens(repeat("S", "x", 3) + repeat("S", "f", 7))], ignore_index=True
    )
    out = distinctive_terms(tokens, top=None, min_count=1)
    assert list(out.columns) == [
        "report_id", "term", "target_count", "reference_count", "log_likelihood", "log_ratio",
    ]  # fmt: skip
    assert out["report_id"].unique().tolist() == ["R", "S", "T"]
    for report_id, group in out.groupby("report_id"):
        single = keyness(tokens, target=report_id, top=None, min_count=1).drop(columns="direction")
        pd.testing.assert_frame_equal(group.drop(columns="report_id").reset_index(drop=True), single)


def test_distinctive_terms_top_and_roles():
    assert distinctive_terms(KEY_TOKENS, top=1)["term"].tolist() == ["g", "f"]  # R, then T
    by_role = distinctive_terms(TOKENS, by="role", min_count=1, top=None)
    assert by_role["role"].unique().tolist() == ["preamble", "problems", "measures"]
    assert set(by_role.loc[by_role["role"] == "problems", "term"]) == {"改革", "安全"}


def test_distinctive_terms_needs_two_groups():
    with pytest.raises(ValueError, match="at least two"):
        distinctive_terms(make_tokens(repeat("A", "x", 3)))


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


# --- keyword_in_context ------------------------------------------------------------------------------------

# A: 改0 革1 开2 放3 ⏎4 深5 化6 改7 革8 ，9 推10 进11 发12 展13 。14      B: 发0 展1 改2 革3
KWIC_TEXTS = {"A": "改革开放\n深化改革，推进发展。", "B": "发展改革"}
KWIC_PARTS = pd.DataFrame(
    [("A", "0", "preamble", 0, 5), ("A", "1", "measures", 5, 15), ("B", "1", "problems", 0, 4)],
    columns=["report_id", "section_path", "role", "start", "end"],
)


def test_keyword_in_context_windows_boundaries_and_newlines():
    out = keyword_in_context(
        "改革", KWIC_TEXTS, parts=KWIC_PARTS, reports=REPORTS.assign(report_id=["A", "B", "X", "Y"]), window=3
    )
    assert list(out.columns) == [
        "report_id",
        "title",
        "section_path",
        "role",
        "offset",
        "left",
        "keyword",
        "right",
    ]
    assert list(out.itertuples(index=False, name=None)) == [
        ("A", "甲报告", "0", "preamble", 0, "", "改革", "开放⏎"),  # nothing to the left of the start
        ("A", "甲报告", "1", "measures", 7, "⏎深化", "改革", "，推进"),
        ("B", "乙报告", "1", "problems", 2, "发展", "改革", ""),  # clipped at both ends of the text
    ]


def test_keyword_in_context_phrases_limit_and_missing_metadata():
    phrase = keyword_in_context("推进发展", KWIC_TEXTS, window=2)
    assert phrase[["report_id", "offset", "left", "right"]].values.tolist() == [["A", 10, "革，", "。"]]
    assert phrase["title"].tolist() == [""]
    assert phrase["section_path"].isna().all()
    assert len(keyword_in_context("改革", KWIC_TEXTS, limit=2)) == 2
    assert keyword_in_context("没有", KWIC_TEXTS).empty


def test_keyword_in_context_counts_non_overlapping_matches():
    out = keyword_in_context("哈哈", {"A": "哈哈哈哈哈"}, window=1)
    assert out["offset"].tolist() == [0, 2]


def test_keyword_in_context_keyword_with_a_line_break_stays_on_one_line():
    out = keyword_in_context("开放\n深化", KWIC_TEXTS, window=0)
    assert out["keyword"].tolist() == ["开放⏎深化"]
    assert out["left"].tolist() == [""]


@pytest.mark.parametrize(("term", "window"), [("", 20), ("改革", -1)])
def test_keyword_in_context_rejects_bad_arguments(term, window):
    with pytest.raises(ValueError):
        keyword_in_context(term, KWIC_TEXTS, window=window)


# --- cooccurrence ------------------------------------------------------------------------------------------

# A s0: 改革 发展 改革 安全 → {改革, 发展, 安全} (改革 twice, still one sentence)
# A s1: 改革 发展     A s2: 安全     B s0: 改革 安全     B s1: 发展 民生
# pairs: 发展–改革 2 (A s0, A s1), 安全–改革 2 (A s0, B s0), 发展–安全 1 (A s0), 发展–民生 1 (B s1)
# nothing across sentences (安全–民生) or across reports (A s1 + B s1 would give 改革–民生)
COOC_TOKENS = make_tokens(
    [("A", "other", 0, t) for t in ["改革", "发展", "改革", "安全"]]
    + [("A", "other", 1, t) for t in ["改革", "发展"]]
    + [("A", "other", 2, "安全")]
    + [("B", "other", 0, t) for t in ["改革", "安全"]]
    + [("B", "other", 1, t) for t in ["发展", "民生"]]
)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # term_a < term_b by code point: 发 U+53D1 < 安 U+5B89 < 改 U+6539 < 民 U+6C11
        (
            {"min_count": 1},
            [("发展", "改革", 2), ("安全", "改革", 2), ("发展", "安全", 1), ("发展", "民生", 1)],
        ),
        ({}, [("发展", "改革", 2), ("安全", "改革", 2)]),
        ({"min_count": 1, "top": 1}, [("发展", "改革", 2)]),
        ({"min_count": 1, "terms": ["改革"]}, [("改革", "发展", 2), ("改革", "安全", 2)]),
        # both listed: the pair once, alphabetically first as term_a
        (
            {"min_count": 1, "terms": ["改革", "安全"]},
            [("安全", "改革", 2), ("改革", "发展", 2), ("安全", "发展", 1)],
        ),
        ({"min_count": 1, "terms": ["没有"]}, []),
        ({"min_count": 3}, []),
    ],
)
def test_cooccurrence_counts_pairs_once_per_sentence(kwargs, expected):
    out = cooccurrence(COOC_TOKENS, **kwargs)
    assert list(out.columns) == ["term_a", "term_b", "count"]
    assert list(out.itertuples(index=False, name=None)) == expected


def test_cooccurrence_matches_a_brute_force_count():
    rng = np.random.default_rng(7)
    words = np.array(["甲", "乙", "丙", "丁", "戊", "己"])
    tokens = make_tokens(
        [(f"r{rng.integers(3)}", "other", int(rng.integers(6)), str(w)) for w in rng.choice(words, 300)]
    )
    expected: dict[tuple[str, str], int] = {}
    for _, sentence in tokens.groupby(["report_id", "sentence"]):
        present = sorted(set(sentence["token"]))
        for i, a in enumerate(present):
            for b in present[i + 1 :]:
                expected[(a, b)] = expected.get((a, b), 0) + 1
    out = cooccurrence(tokens, min_count=1, top=None)
    assert {(a, b): c for a, b, c in out.itertuples(index=False, name=None)} == expected


# --- shares ------------------------------------------------------------------------------------------------

SHARE_PARTS = pd.DataFrame(
    [
        ("B", "0", "preamble", 0, 100, ""),
        ("B", "1", "achievements", 100, 400, "一、工作开展情况"),
        ("B", "1/1", "achievements", 400, 700, "（一）学习"),
        ("B", "2", "problems", 700, 800, "二、存在的问题"),
        ("B", "2/1", "problems", 800, 900, "（一）作风"),
        ("B", "10", "measures", 900, 1000, "十、整改措施"),
        ("A", "1", "other", 0, 50, "一、概述"),
        ("A", "1/1", "measures", 50, 200, "（一）措施"),
    ],
    columns=["report_id", "section_path", "role", "start", "end", "heading"],
)


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


def test_section_shares_group_level_one_sections():
    out = section_shares(SHARE_PARTS)
    assert list(out.columns) == ["report_id", "section_path", "role", "chars", "share", "heading"]
    assert list(out.itertuples(index=False, name=None)) == [
        ("B", "0", "preamble", 100, pytest.approx(0.1), ""),
        ("B", "1", "achievements", 600, pytest.approx(0.6), "一、工作开展情况"),
        ("B", "2", "problems", 200, pytest.approx(0.2), "二、存在的问题"),
        ("B", "10", "measures", 100, pytest.approx(0.1), "十、整改措施"),  # 10 after 2, not after 1
        ("A", "1", "other", 200, pytest.approx(1.0), "一、概述"),  # the role of its own text
    ]
    assert "heading" not in section_shares(SHARE_PARTS.drop(columns="heading")).columns


def test_shares_of_empty_parts():
    assert role_shares(SHARE_PARTS.iloc[:0]).empty
    assert section_shares(SHARE_PARTS.iloc[:0]).empty


# --- categorical token tables ------------------------------------------------------------------------------


def reverse_categorical(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The text columns as categoricals whose category order is the reverse of the values' order, as
    ``text.token_table`` builds them (categories in order of appearance, not sorted)."""
    return frame.assign(
        **{c: pd.Categorical(frame[c], categories=sorted(set(frame[c]), reverse=True)) for c in columns}
    )


CAT_COLUMNS = ("report_id", "section_path", "role", "token")


@pytest.mark.parametrize(
    "analyse",
    [
        lambda t: term_frequencies(t, by="report", reports=REPORTS),
        lambda t: term_frequencies(t, by="role", parts=reverse_categorical(PARTS, ("report_id", "role"))),
        lambda t: term_frequencies(t, by="year", reports=REPORTS),
        lambda t: term_frequencies(t, by=None, reports=REPORTS),
        lambda t: keyness(t, target=["A"], min_count=1, direction="both"),
        lambda t: distinctive_terms(t, min_count=1),
        lambda t: distinctive_terms(t, by="role", min_count=1),
        lambda t: term_trends(t, REPORTS, top=None),
        lambda t: cooccurrence(t, min_count=1),
        lambda t: top_terms_from_matrix(*document_term_matrix(t)[::2], None),
    ],
)
def test_categorical_token_tables_give_the_same_answers(analyse):
    tokens = pd.concat([TOKENS, COOC_TOKENS.assign(report_id="C")], ignore_index=True)
    expected = analyse(tokens)
    got = analyse(reverse_categorical(tokens, CAT_COLUMNS))
    assert not any(isinstance(dtype, pd.CategoricalDtype) for dtype in got.dtypes)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_categorical_parts_locate_kwic_hits():
    parts = reverse_categorical(KWIC_PARTS, ("report_id", "section_path", "role"))
    got = keyword_in_context("改革", KWIC_TEXTS, parts=parts, window=3)
    assert got[["section_path", "role"]].values.tolist() == [
        ["0", "preamble"],
        ["1", "measures"],
        ["1", "problems"],
    ]
    shares = role_shares(reverse_categorical(SHARE_PARTS, ("report_id", "role")))
    pd.testing.assert_frame_equal(shares, role_shares(SHARE_PARTS), check_dtype=False)


# --- a real report -----------------------------------------------------------------------------------------


def test_analyses_run_on_a_real_seed_report():
    from reportlens.text import build_tokenizer, token_table  # being written alongside: the real tokenizer

    text = normalize_text(SEED.read_text(encoding="utf-8"))
    outline = parse_outline(text)
    tokens = token_table("seed", text, outline.parts(), build_tokenizer())
    parts = parts_table("seed", outline)
    reports = pd.DataFrame(
        {
            "report_id": ["seed"],
            "title": ["自查报告"],
            "year": pd.array([2020], dtype="Int64"),
            "chars": [len(text)],
        }
    )
    assert not tokens.empty

    freq = term_frequencies(tokens, by="report", reports=reports, top=20)
    expected = tokens["token"].value_counts()
    assert freq["count"].is_monotonic_decreasing
    assert freq.set_index("term")["count"].to_dict() == {t: expected[t] for t in freq["term"]}
    assert freq["per_10k"].tolist() == pytest.approx((freq["count"] * 10_000 / len(text)).tolist())
    assert "作风" in set(freq["term"])

    matrix, _, _ = document_term_matrix(tokens)
    assert matrix.sum() == len(tokens)
    by_role = term_frequencies(tokens, by="role", parts=parts, top=None)
    assert by_role["count"].sum() == len(tokens)
    assert term_trends(tokens, reports, top=5)["year"].tolist() == [2020] * 5

    problems = keyness(tokens, target=tokens["role"] == "problems", top=10)
    in_problems = int((tokens["role"] == "problems").sum())
    assert len(problems) == 10
    assert (
        problems["target_count"] / in_problems > problems["reference_count"] / (len(tokens) - in_problems)
    ).all()
    assert role_shares(parts)["share"].sum() == pytest.approx(1.0)
    assert section_shares(parts)["share"].sum() == pytest.approx(1.0)

    hits = keyword_in_context("作风", {"seed": text}, parts=parts, reports=reports, limit=None)
    assert len(hits) == text.count("作风")
    for hit in hits.itertuples():
        part = parts[(parts["start"] <= hit.offset) & (hit.offset < parts["end"])].iloc[0]
        assert (hit.section_path, hit.role) == (part["section_path"], part["role"])
    pairs = cooccurrence(tokens, terms=["作风"], top=5)
    assert not pairs.empty
    assert pairs["term_a"].eq("作风").all()
