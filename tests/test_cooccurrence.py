"""Tests for reportlens.analysis.cooccurrence: pairs of terms counted once per sentence; small hand-built
tables whose right answers are worked out in comments (``analysis_data``)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from analysis_data import COOC_TOKENS, make_tokens

from reportlens.analysis import cooccurrence, cooccurrence_network

# --- cooccurrence ------------------------------------------------------------------------------------------


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


# --- cooccurrence_network ----------------------------------------------------------------------------------


def brute_force_pairs(tokens: pd.DataFrame, nodes: list[str]) -> dict[tuple[str, str], int]:
    """Pairs of ``nodes`` counted by walking the sentences one by one (a pair once per sentence)."""
    counts: dict[tuple[str, str], int] = {}
    for _, sentence in tokens.groupby(["report_id", "sentence"], observed=True):
        present = sorted(set(sentence["token"].astype(str)) & set(nodes))
        for pair in itertools.combinations(present, 2):
            counts[pair] = counts.get(pair, 0) + 1
    return counts


def test_network_joins_only_the_nodes():
    # COOC_TOKENS without 民生: 发展–改革 2, 安全–改革 2, 发展–安全 1 (see the table's comment)
    out = cooccurrence_network(COOC_TOKENS, ["改革", "发展", "安全"], min_count=1)
    assert list(out.itertuples(index=False, name=None)) == [("发展", "改革", 2), ("安全", "改革", 2), ("发展", "安全", 1)]
    assert cooccurrence_network(COOC_TOKENS, ["改革", "发展", "安全"], min_count=2)["count"].tolist() == [2, 2]
    assert cooccurrence_network(COOC_TOKENS, ["改革", "发展", "安全"], min_count=1, top=1).shape == (1, 3)
    assert cooccurrence_network(COOC_TOKENS, ["民生"], min_count=1).empty  # one node: no pair
    with pytest.raises(ValueError, match="single string"):
        cooccurrence_network(COOC_TOKENS, "改革")


@pytest.mark.slow
@pytest.mark.parametrize("role", ["all", "problems"])
def test_network_on_the_seeds_matches_a_brute_force_count(seed_tokens, role):
    tokens = seed_tokens if role == "all" else seed_tokens[seed_tokens["role"] == role]
    nodes = tokens["token"].astype(str).value_counts().head(20).index.tolist()
    expected = {pair: n for pair, n in brute_force_pairs(tokens, nodes).items() if n >= 2}
    out = cooccurrence_network(tokens, nodes, min_count=2)
    assert {(a, b): n for a, b, n in out.itertuples(index=False, name=None)} == expected
    assert len(out) > 10  # the seeds' top terms do share sentences
    assert out["count"].is_monotonic_decreasing
    assert set(out["term_a"]) | set(out["term_b"]) <= set(nodes)
    assert (out["term_a"] < out["term_b"]).all()


@pytest.fixture(scope="module")
def seed_tokens() -> pd.DataFrame:
    from reportlens.corpus import load_seeds
    from reportlens.structure import parse_outline
    from reportlens.text import build_tokenizer, concat_token_tables, token_table

    tokenizer = build_tokenizer()
    return concat_token_tables(
        token_table(r.id, r.text, parse_outline(r.text).parts(), tokenizer) for r in load_seeds()
    )
