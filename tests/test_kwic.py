"""Tests for reportlens.analysis.kwic: keyword in context, with the section and role of each hit; small
hand-built tables whose right answers are worked out in comments (``analysis_data``)."""

from __future__ import annotations

import pytest
from analysis_data import KWIC_PARTS, KWIC_TEXTS, REPORTS

from reportlens.analysis import keyword_in_context

# --- keyword_in_context ------------------------------------------------------------------------------------


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
