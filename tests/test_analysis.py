"""Tests across reportlens.analysis: categorical token tables give the same answers as plain ones, and every
analysis runs on a real seed report. Each analysis has its own module's tests (test_frequencies.py, …)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from analysis_data import COOC_TOKENS, KWIC_PARTS, KWIC_TEXTS, PARTS, REPORTS, SHARE_PARTS, TOKENS
from oracles import distinctive_terms, keyness, term_trends  # the token-table versions, kept as test oracles

from reportlens.analysis import (
    cooccurrence,
    document_term_matrix,
    keyword_in_context,
    role_shares,
    term_frequencies,
    top_terms_from_matrix,
)
from reportlens.normalize import normalize_text
from reportlens.structure import parse_outline
from reportlens.tables import parts_table

SEED = Path(__file__).resolve().parents[1] / "seeds" / "002_4b14bcfd66eb8c4e.txt"


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


@pytest.mark.slow
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

    hits = keyword_in_context("作风", {"seed": text}, parts=parts, reports=reports, limit=None)
    assert len(hits) == text.count("作风")
    for hit in hits.itertuples():
        part = parts[(parts["start"] <= hit.offset) & (hit.offset < parts["end"])].iloc[0]
        assert (hit.section_path, hit.role) == (part["section_path"], part["role"])
    pairs = cooccurrence(tokens, terms=["作风"], top=5)
    assert not pairs.empty
    assert pairs["term_a"].eq("作风").all()
