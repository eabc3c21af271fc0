"""Tests for reportlens.analysis.reuse: passages (套话) that recur verbatim or nearly so, and how much of each
report is recycled."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pandas as pd
import pytest
from insight_data import seed_id, seed_tables, state_council_tables

from reportlens.analysis import reuse
from reportlens.analysis.reuse import clause_table, near_pairs, passage_ids, recycled_share, reused_passages

BOILERPLATE = "把推动问题及时解决作为强化宗旨意识和推动文旅工作发展的重要抓手"


def passages_of(texts: dict[str, str], **options) -> tuple[pd.DataFrame, pd.DataFrame]:
    clauses = clause_table(texts)
    return reused_passages(clauses, passage_ids(clauses, **options))


def test_clauses_are_long_runs_between_punctuation_without_list_markers():
    text = "1、我们坚持以人民为中心的发展思想不动摇，短句。（二）扎实推进党风廉政建设和反腐败斗争工作；\n一是全面落实从严治党主体责任各项要求"
    clauses = clause_table({"A": text})
    assert clauses["text"].tolist() == [
        "我们坚持以人民为中心的发展思想不动摇",
        "扎实推进党风廉政建设和反腐败斗争工作",
        "全面落实从严治党主体责任各项要求",
    ]
    for row in clauses.itertuples(index=False):
        assert text[row.start : row.end] == row.text
    assert clause_table({"A": "短句，也短。"}).empty


def test_verbatim_and_near_copies_are_one_passage_and_different_clauses_are_not():
    texts = {
        "A": f"{BOILERPLATE}，工作成效明显。",
        "B": "会议要求，把推动问题和难题及时解决作为强化宗旨意识和推动文旅工作发展的重要抓手。",  # reworded
        "C": f"全年共开展专项检查十二次发现问题二十项，{BOILERPLATE}。",
        "D": "严格执行中央八项规定精神坚决反对形式主义官僚主义。",
    }
    occurrences, summary = passages_of(texts)
    assert len(summary) == 1
    assert summary.loc[0, ["count", "reports", "variants"]].tolist() == [3, 3, 2]
    assert summary.loc[0, "text"] == BOILERPLATE  # the most frequent wording
    assert set(occurrences["report_id"]) == {"A", "B", "C"}
    exact_only = passages_of(texts, near=1.0)[1]
    assert exact_only.loc[0, ["count", "variants"]].tolist() == [2, 1]


def test_a_passage_repeated_within_one_report_counts():
    _occurrences, summary = passages_of({"A": f"{BOILERPLATE}。另外，{BOILERPLATE}。"})
    assert summary.loc[0, ["count", "reports"]].tolist() == [2, 1]


def test_recycled_share_is_the_length_of_the_reused_clauses():
    texts = {"A": f"{BOILERPLATE}。本单位全年共完成档案整理一万两千卷。", "B": f"{BOILERPLATE}。", "C": "无关内容。"}
    occurrences, _ = passages_of(texts)
    share = recycled_share(occurrences, pd.Series({k: len(v) for k, v in texts.items()})).set_index("report_id")
    assert share.loc["A", "recycled_chars"] == len(BOILERPLATE)
    assert share.loc["B", "share"] == pytest.approx(len(BOILERPLATE) / len(texts["B"]))
    assert share.loc["C", ["recycled_chars", "share"]].tolist() == [0, 0.0]


def test_the_selection_decides_what_counts_as_reused():
    texts = {"A": f"{BOILERPLATE}。", "B": f"{BOILERPLATE}。", "C": "另一段与此无关的文字内容在这里出现。"}
    clauses = clause_table(texts)
    ids = passage_ids(clauses)
    assert len(reused_passages(clauses, ids)[1]) == 1
    assert reused_passages(clauses, ids, report_ids=["A", "C"])[1].empty


@pytest.mark.slow
def test_near_pairs_equal_every_pair_checked_by_hand_on_the_seeds():
    """Prefix filtering finds exactly the pairs a comparison of every pair of clauses finds (the slower check)."""
    keys = list(dict.fromkeys(clause_table(seed_tables().texts)["key"]))
    shingles = [{k[i : i + reuse.SHINGLE] for i in range(len(k) - reuse.SHINGLE + 1)} for k in keys]
    expected = {
        (i, j)
        for i, j in itertools.combinations(range(len(keys)), 2)
        if len(shingles[i] & shingles[j]) >= reuse.NEAR_JACCARD * len(shingles[i] | shingles[j])
    }
    a, b = near_pairs(keys, reuse.NEAR_JACCARD)
    assert set(zip(a.tolist(), b.tolist(), strict=True)) == expected and len(expected) >= 20


def test_the_seeds_reuse_the_key_lever_sentence_between_002_and_003():
    tables = seed_tables()
    occurrences, summary = passages_of(dict(tables.texts))
    lever = summary[summary["text"] == BOILERPLATE]
    assert len(lever) == 1
    where = set(occurrences.loc[occurrences["passage"] == lever["passage"].item(), "report_id"])
    assert where == {seed_id(tables, "002"), seed_id(tables, "003")}
    assert lever["count"].item() == 5  # four times in 002 (once reworded 「问题和难题」), once in 003


@pytest.mark.slow
def test_state_council_boilerplate_grows_across_decades():
    tables = state_council_tables()
    occurrences, summary = passages_of(dict(tables.texts))
    chars = tables.reports.set_index("report_id")["chars"]
    share = recycled_share(occurrences, chars).set_index("report_id")["share"]
    years = tables.reports.set_index("report_id")["year"]
    early = share[years.reindex(share.index) < 1990].mean()
    late = share[years.reindex(share.index) >= 2010].mean()
    assert late > 3 * early
    guide = summary[summary["text"].str.contains("以习近平新时代中国特色社会主义思想为指导")]
    where = occurrences[occurrences["passage"].isin(guide["passage"])]
    assert where["report_id"].nunique() >= 5
    assert years.reindex(where["report_id"]).min() >= 2018


def test_hostile_texts_never_break_the_passages():
    rng = random.Random(3)
    pieces = [BOILERPLATE, "，", "。", "\n", "1、", "（一）", "一是", "　", "abc", "𠀀𠀁𠀂", "党员干部", "2023"]
    texts = {f"R{k}": "".join(rng.choices(pieces, k=rng.randint(0, 20))) for k in range(30)}
    texts["empty"] = ""
    clauses = clause_table(texts)
    ids = passage_ids(clauses)
    occurrences, summary = reused_passages(clauses, ids)
    assert (summary["count"] >= 2).all() and summary["count"].sum() == len(occurrences)
    share = recycled_share(occurrences, pd.Series({k: len(v) for k, v in texts.items()}))
    assert ((share["share"] >= 0) & (share["share"] <= 1)).all()
    assert passage_ids(clause_table({})).size == 0
    assert near_pairs(["短"], 0.6)[0].size == 0
    assert np.array_equal(passage_ids(clauses, near=0.999), passage_ids(clauses, near=0.999))
