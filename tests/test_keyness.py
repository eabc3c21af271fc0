"""Tests for reportlens.analysis.keyness: log-likelihood (G²) and log ratio, by hand and against SciPy; the
token-table keyness and distinctive terms the matrix versions are checked against (``oracles``); small
hand-built tables whose right answers are worked out in comments (``analysis_data``)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from analysis_data import TOKENS, make_tokens, repeat
from oracles import distinctive_terms, keyness
from scipy.stats import power_divergence

from reportlens.analysis import log_likelihood, log_ratio

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
