"""Small hand-built token, report and part tables for the analysis tests; the right answers are worked out
in the comments here and in each test module."""

from __future__ import annotations

import pandas as pd


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


# A: 改0 革1 开2 放3 ⏎4 深5 化6 改7 革8 ，9 推10 进11 发12 展13 。14      B: 发0 展1 改2 革3
KWIC_TEXTS = {"A": "改革开放\n深化改革，推进发展。", "B": "发展改革"}
KWIC_PARTS = pd.DataFrame(
    [("A", "0", "preamble", 0, 5), ("A", "1", "measures", 5, 15), ("B", "1", "problems", 0, 4)],
    columns=["report_id", "section_path", "role", "start", "end"],
)


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
