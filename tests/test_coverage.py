"""Tests for reportlens.analysis.coverage: whether each problem has a measure of its report that answers it."""

from __future__ import annotations

import pandas as pd
import pytest
from insight_data import (
    all_items,
    by_year,
    seed_id,
    seed_index,
    seed_tables,
    seed_vectors,
    state_council_tables,
    state_council_vectors,
)

from reportlens.analysis import coverage
from reportlens.analysis.coverage import coverage_scores, coverage_summary, problem_answers
from reportlens.analysis.problems import load_themes
from reportlens.analysis.similarity import item_similarity, item_vectors

THEMES = {"档案管理": ("档案", "归档"), "厉行节约": ("节约", "浪费")}


def make_items(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Items from (report_id, role, title, text) rows, laid end to end in one text per report."""
    frame = pd.DataFrame(rows, columns=["report_id", "role", "title", "text"])
    frame["number"] = frame.groupby(["report_id", "role"]).cumcount() + 1
    frame["item_id"] = frame["report_id"] + "/" + frame["role"] + "/" + frame["number"].astype(str)
    lengths = frame["text"].str.len()
    frame["end"] = lengths.groupby(frame["report_id"]).cumsum()
    frame["start"] = frame["end"] - lengths
    return frame


HAND_MADE = make_items(
    [
        ("A", "problems", "文件归档不及时", "文件归档不及时，档案查找困难。"),
        ("A", "problems", "公务接待超标", "公务接待超出标准，陪餐人数过多。"),
        ("A", "measures", "规范档案工作", "规范档案工作。加强组织领导，明确分工。建立文件归档台账，做到文件及时归档。定期开展检查。"),
        ("A", "measures", "加强理论学习", "坚持每月集中学习一次。"),
        ("B", "problems", "食堂浪费", "机关食堂浪费严重。"),
    ]
)


def answers_of(items: pd.DataFrame, themes=THEMES, **options) -> pd.DataFrame:
    vectors = item_vectors(items)
    return problem_answers(items, coverage_scores(items, vectors, themes), **options).set_index("problem_id")


def test_a_problem_is_answered_by_the_measure_about_the_same_matter():
    answers = answers_of(HAND_MADE)
    archive = answers.loc["A/problems/1"]
    assert archive["measure_id"] == "A/measures/1" and archive["answered"]
    assert archive["themes"] == "档案管理"  # the problem's title names it, the measure's text raises it
    assert archive["evidence"] == "建立文件归档台账，做到文件及时归档。"  # the measure's sentence most like it
    reception = answers.loc["A/problems/2"]
    assert not reception["answered"] and reception["score"] < coverage.MIN_SCORE


def test_a_report_without_measures_leaves_its_problems_unanswered():
    canteen = answers_of(HAND_MADE).loc["B/problems/1"]
    assert not canteen["answered"] and pd.isna(canteen["measure_id"]) and canteen["score"] == 0.0


def test_the_theme_bonus_is_added_to_the_similarity():
    vectors = item_vectors(HAND_MADE)
    scores = coverage_scores(HAND_MADE, vectors, THEMES)
    pair = scores[(scores["problem_id"] == "A/problems/1") & (scores["measure_id"] == "A/measures/1")].iloc[0]
    assert pair["score"] == pytest.approx(pair["similarity"] + coverage.THEME_BONUS)
    without = coverage_scores(HAND_MADE, vectors, {"其他": ("无关",)})
    assert (without["score"] == without["similarity"]).all()
    whole = item_similarity(vectors, ["A/problems/1"], ["A/measures/1"])[0, 0]
    assert pair["similarity"] >= whole  # the best sentence of the measure may be more alike than all of it


def test_summary_counts_answered_problems_per_report():
    summary = coverage_summary(answers_of(HAND_MADE).reset_index()).set_index("report_id")
    assert summary.loc["A", ["problems", "answered"]].tolist() == [2, 1]
    assert summary.loc["B", "share"] == 0.0
    empty = coverage_summary(answers_of(HAND_MADE[HAND_MADE["role"] == "measures"]).reset_index())
    assert empty.empty


# What a careful reader of the seeds finds: the measure that answers each problem (report, problem) → measures
READER = {
    ("000", 1): {2},  # 主体责任压力传导不够 → 强化担当，落实责任（第一责任人、一岗双责）
    ("000", 2): {3},  # 党员干部教育管理不够严实 → 抓早抓小，严守规矩（监督执纪、教育党员干部）
    ("001", 1): {1},  # 对党风廉政建设重要性认识不足 → 加强廉政知识学习
    ("001", 2): {2},  # 廉政教育、纪律监督不够细实 → 抓好监督管理强化纪律约束
    ("001", 3): {5},  # 中央八项规定精神与业务融合不强 → 融合提升切实把践行中央八项规定精神落到实处
    ("002", 1): {1},  # 担当意识和创新精神 → 激发……担当意识和创新精神
    ("002", 2): {2},  # 重部署轻落实 → 做好责任分解任务，强化督导检查力度
    ("002", 3): {3},  # 思想观念大局意识（就文旅干文旅）→ 树立思想突破理念（跳出文旅干文旅）
    ("003", 1): {1},  # 政策理论修养 → 强化学用结合
    ("003", 2): {2, 5},  # 干事创业作风 → 转变工作作风 / 积极转变工作作风（坚持求真务实）
    ("003", 3): {2, 3},  # 群众服务意识 → 提升为民效能 / 践行宗旨意识
    ("003", 4): {4},  # 廉洁自律意识 → 提升教育管理（廉政意识）
    ("003", 5): {5},  # 思想政治觉悟 → 坚定政治方向
    ("004", 1): {1},  # 理论指导实践有差距 → 加强学习……用于实践，指导实践
    ("004", 2): {2, 3},  # 党性引领担当精神不足 → 履职担当 / 深化引领
}


def test_on_the_seeds_each_problem_is_paired_with_the_measure_a_reader_picks():
    tables = seed_tables()
    items = all_items(tables)
    answers = problem_answers(items, coverage_scores(items, seed_vectors(), load_themes()), terms=seed_index().terms)
    numbers = {seed_id(tables, n): n for n in ("000", "001", "002", "003", "004")}
    picked = {(numbers[r.report_id], r.number): int(r.measure_number) for r in answers.itertuples()}
    wrong = {k: picked[k] for k, good in READER.items() if picked[k] not in good}
    # 001's short problem 1 scores about the same against measures 1 and 2 (0.036 / 0.032); one such miss at most
    assert len(wrong) <= 1, wrong
    # 000's 「文旅为民服务抓的不是很够」: none of its four measures speaks of serving the public
    wenlv = answers[(answers["report_id"] == seed_id(tables, "000")) & (answers["number"] == 3)].iloc[0]
    assert not wenlv["answered"]
    assert answers["words"].str.len().gt(0).all()  # every pairing says which words it rests on


@pytest.mark.slow
def test_state_council_problems_find_the_sentence_of_the_measure_that_answers_them():
    tables = state_council_tables()
    items = all_items(tables)
    chosen = items[items["report_id"].isin([by_year(tables, 2019), by_year(tables, 2024)])]
    answers = problem_answers(chosen, coverage_scores(chosen, state_council_vectors(), load_themes()))
    poverty = answers[answers["title"].str.startswith("深度贫困地区脱贫攻坚困难较多")].iloc[0]
    assert poverty["answered"] and "深度贫困地区" in poverty["evidence"] and "脱贫攻坚" in poverty["measure_title"]
    ecology = answers[answers["title"].str.startswith("生态环境保护治理任重道远")].iloc[0]
    assert ecology["answered"] and "生态" in ecology["measure_title"]
    assert 0.3 < answers["answered"].mean() < 1.0
