"""Tests for reportlens.analysis.promises: did the earlier report's measures show up as the later one's results?"""

from __future__ import annotations

import pandas as pd
import pytest
from insight_data import (
    all_items,
    by_year,
    seed_id,
    seed_tables,
    seed_vectors,
    state_council_tables,
    state_council_vectors,
)

from reportlens.analysis.promises import (
    NOT_FOUND,
    consecutive_pairs,
    delivery_summary,
    delivery_targets,
    order_pair,
    promise_delivery,
)
from reportlens.analysis.similarity import item_vectors
from reportlens.errors import ReportError

REPORTS = pd.DataFrame(
    {
        "report_id": ["a", "b", "c", "d", "e"],
        "unit": ["市档案局", "市档案局", "市档案局", "县教育局", ""],
        "year": pd.array([2021, 2022, 2024, 2022, 2023], dtype="Int64"),
    }
)


def test_consecutive_pairs_are_same_unit_next_year():
    pairs = consecutive_pairs(REPORTS)
    assert pairs[["earlier_id", "later_id"]].values.tolist() == [["a", "b"]]


@pytest.mark.parametrize(
    ("first", "second", "expected", "note"),
    [
        ("b", "a", ("a", "b"), ""),  # given later first: put in order
        ("b", "c", ("b", "c"), "不是相邻年份"),
        ("a", "d", ("a", "d"), "单位不同"),
        ("d", "e", ("d", "e"), "没有填写单位"),
    ],
)
def test_order_pair_puts_the_earlier_first_and_says_what_is_odd(first, second, expected, note):
    earlier, later, said = order_pair(REPORTS, first, second)
    assert (earlier, later) == expected
    assert (note in said) if note else said == ""


@pytest.mark.parametrize(("first", "second", "message"), [("a", "a", "两篇不同"), ("a", "zz", "没有编号")])
def test_a_bad_pair_is_a_chinese_message(first, second, message):
    with pytest.raises(ReportError, match=message):
        order_pair(REPORTS, first, second)


EARLIER = "二、下一步打算\n1、加强档案管理。推进档案数字化，做到文件及时归档。\n2、开展节约型机关创建。杜绝食堂浪费。\n"
LATER = "一、工作成绩\n全年完成档案数字化一万卷，文件归档及时率达到百分之百。\n组织干部外出考察学习。\n"


def hand_made() -> tuple[pd.DataFrame, pd.DataFrame]:
    start = EARLIER.index("1、")
    second = EARLIER.index("2、")
    promises = pd.DataFrame(
        {
            "item_id": ["E/measures/1", "E/measures/2"],
            "report_id": "E",
            "number": [1, 2],
            "title": ["加强档案管理", "开展节约型机关创建"],
            "text": [EARLIER[start:second].strip(), EARLIER[second:].strip()],
            "start": [start, second],
            "end": [second, len(EARLIER)],
        }
    )
    parts = pd.DataFrame(
        {"report_id": ["L"], "role": ["achievements"], "start": [0], "end": [len(LATER)], "heading": ["一、工作成绩"]}
    )
    items = pd.DataFrame(columns=["item_id", "report_id", "role", "title", "text", "start", "end"])
    return promises, delivery_targets("L", items, parts, LATER)


def test_a_promise_kept_is_found_and_one_not_kept_is_not():
    promises, targets = hand_made()
    results = promise_delivery(promises, targets, item_vectors(promises)).set_index("number")
    assert results.loc[1, "delivered"] and "档案数字化" in results.loc[1, "match"]
    assert results.loc[1, "place"] == "一、工作成绩"
    assert LATER[results.loc[1, "start"] : results.loc[1, "end"]].strip() == results.loc[1, "match"]
    assert not results.loc[2, "delivered"] and results.loc[2, "match"] == NOT_FOUND
    assert delivery_summary(results.reset_index()) == {"promises": 2, "delivered": 1}


def test_nothing_to_compare_is_a_chinese_message():
    promises, targets = hand_made()
    vectors = item_vectors(promises)
    with pytest.raises(ReportError, match="措施打算"):
        promise_delivery(promises.iloc[:0], targets, vectors)
    with pytest.raises(ReportError, match="工作成绩"):
        promise_delivery(promises, targets.iloc[:0], vectors)


def test_seed_004_of_2022_against_000_of_2023():
    """The same bureau, consecutive years: 「加强学习，提高认识」 shows up as 000's study work; 「履职担当，落实责任」
    has no follow-up in 000's results."""
    tables = seed_tables()
    pairs = consecutive_pairs(tables.reports)
    earlier, later = seed_id(tables, "004"), seed_id(tables, "000")
    assert pairs[["earlier_id", "later_id"]].values.tolist() == [[earlier, later]]
    items = all_items(tables)
    promises = items[(items["report_id"] == earlier) & (items["role"] == "measures")]
    targets = delivery_targets(later, tables.items, tables.parts, tables.texts[later])
    results = promise_delivery(promises, targets, seed_vectors(), tokens=tables.tokens).set_index("number")
    assert results.loc[1, "delivered"] and "学习" in results.loc[1, "match"]
    assert "学习" in results.loc[1, "words"].split("、")
    assert results.loc[2, "match"] == NOT_FOUND
    for row in results.itertuples():
        assert tables.texts[later][row.start : row.end].strip() in (row.match.strip(), tables.texts[later][row.start : row.end].strip())


@pytest.mark.slow
def test_state_council_2024_tasks_against_the_2025_review():
    tables = state_council_tables()
    earlier, later = by_year(tables, 2024), by_year(tables, 2025)
    items = all_items(tables)
    promises = items[(items["report_id"] == earlier) & (items["role"] == "measures")]
    targets = delivery_targets(later, tables.items, tables.parts, tables.texts[later])
    results = promise_delivery(promises, targets, state_council_vectors())
    assert results["delivered"].sum() >= 8
    green = results[results["title"].str.contains("绿色低碳")].iloc[0]
    assert "绿色低碳" in green["match"] and "生态" in green["place"]
    for row in results[results["delivered"]].itertuples():
        assert row.match.strip() in tables.texts[later][row.start : row.end]
