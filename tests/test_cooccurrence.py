"""Tests for reportlens.analysis.cooccurrence: pairs of terms counted once per sentence; small hand-built
tables whose right answers are worked out in comments (``analysis_data``)."""

from __future__ import annotations

import numpy as np
import pytest
from analysis_data import COOC_TOKENS, make_tokens

from reportlens.analysis import cooccurrence

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
