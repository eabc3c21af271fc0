"""Tests for reportlens.analysis.recurring: problems (and measures) that come back across reports."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from insight_data import (
    all_items,
    seed_id,
    seed_index,
    seed_tables,
    seed_vectors,
    state_council_index,
    state_council_tables,
    state_council_vectors,
)

from reportlens.analysis import recurring
from reportlens.analysis.recurring import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    check_threshold,
    group_table,
    group_years,
    recurring_groups,
)
from reportlens.analysis.similarity import item_similarity, item_vectors, similar_pairs
from reportlens.errors import ReportError


def make_items(rows: list[tuple[str, int | None, str, str]]) -> pd.DataFrame:
    """Problems from (report_id, year, title, text) rows."""
    frame = pd.DataFrame(rows, columns=["report_id", "year", "title", "text"])
    frame["number"] = frame.groupby("report_id").cumcount() + 1
    frame["item_id"] = frame["report_id"] + "/problems/" + frame["number"].astype(str)
    frame["role"] = "problems"
    frame["report"] = frame["report_id"]
    frame["year"] = frame["year"].astype("Int64")
    frame["start"] = 0
    frame["end"] = frame["text"].str.len()
    return frame


def grouped(items: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD, **options) -> pd.DataFrame:
    vectors = item_vectors(items)
    pairs = similar_pairs(vectors, vectors.keys, min_similarity=MIN_THRESHOLD)
    return recurring_groups(items, vectors, pairs, threshold=threshold, **options)


def groups_of(members: pd.DataFrame) -> list[set[str]]:
    return [set(part["item_id"]) for _, part in members.groupby("group", sort=True)]


HAND_MADE = make_items(
    [
        ("A", 2021, "档案管理不规范", "档案管理不规范，归档不及时，档案室设施陈旧。"),
        ("A", 2021, "食堂浪费现象突出", "机关食堂浪费现象突出，节约意识不强。"),
        ("B", 2022, "档案管理仍不规范", "档案管理仍不规范，部分文件归档不及时。"),
        ("B", 2022, "公务用车管理松散", "公务用车管理松散，派车登记不全。"),
        ("C", 2023, "档案归档不及时", "档案归档不及时的问题依然存在，档案管理有待规范。"),
        ("C", 2023, "食堂浪费仍然存在", "机关食堂浪费仍然存在，节约意识有待提高。"),
        ("C", 2023, "干部培训覆盖面窄", "干部教育培训覆盖面窄，培训内容单一。"),
    ]
)


def test_hand_made_problems_group_by_matter():
    members = grouped(HAND_MADE, threshold=0.2)
    assert groups_of(members) == [
        {"A/problems/1", "B/problems/1", "C/problems/1"},  # 档案: three reports, listed first
        {"A/problems/2", "C/problems/2"},  # 食堂浪费
    ]
    table = group_table(members)
    assert table["reports"].tolist() == [3, 2]
    assert table.loc[0, ["years", "first_year", "last_year"]].tolist() == ["2021、2022、2023", 2021, 2023]
    assert "档案" in table.loc[0, "group_label"]
    assert (table["score"] >= 0.2).all()


def test_a_problem_copied_word_for_word_is_a_group_of_score_1():
    items = make_items([("A", 2020, "制度执行不严", "制度执行不严。"), ("B", 2021, "制度执行不严", "制度执行不严。")])
    members = grouped(items, threshold=0.9)
    assert groups_of(members) == [{"A/problems/1", "B/problems/1"}]
    assert group_table(members)["score"].iloc[0] == pytest.approx(1.0)


def test_a_group_needs_two_reports():
    items = make_items(
        [("A", 2020, "档案管理不规范", "档案管理不规范。"), ("A", 2020, "档案管理仍不规范", "档案管理仍不规范。")]
    )
    assert grouped(items, threshold=0.3).empty
    assert len(grouped(items, threshold=0.3, min_reports=1)) == 2


@pytest.mark.parametrize("bad", [0.0, 0.01, 0.99, 1.5, -1, "高", None, float("nan")])
def test_a_threshold_out_of_range_is_a_chinese_message(bad):
    with pytest.raises(ReportError, match="相似度门槛应在"):
        check_threshold(bad)
    with pytest.raises(ReportError):
        grouped(HAND_MADE, threshold=bad)


def test_no_items_no_groups():
    members = grouped(HAND_MADE.iloc[:0])
    assert members.empty and list(members.columns) == recurring.MEMBER_COLUMNS
    assert group_table(members).empty and group_years(members, group_table(members)).empty


def test_groups_by_years_is_a_complete_grid():
    members = grouped(HAND_MADE, threshold=0.2)
    grid = group_years(members, group_table(members))
    assert len(grid) == 2 * 3  # two groups, three years
    assert grid["items"].sum() == len(members)
    assert grid.loc[(grid["group"] == 1) & (grid["year"] == 2022), "items"].item() == 0


def test_the_seeds_wenlv_problem_of_000_and_004_is_one_group():
    """「文旅为民服务抓的不是很够……」 (000) and 「文旅为民群众意识进取意志仍需深化强化」 (004) are the same
    matter in different words; at the default threshold they form one recurring group."""
    tables = seed_tables()
    problems = all_items(tables).query("role == 'problems'")
    vectors = seed_vectors()
    pairs = similar_pairs(vectors, vectors.keys_of(problems["item_id"].tolist()), min_similarity=MIN_THRESHOLD)
    members = recurring_groups(problems, vectors, pairs)
    wenlv = {f"{seed_id(tables, '000')}/problems/3", f"{seed_id(tables, '004')}/problems/3"}
    assert wenlv in groups_of(members)
    table = group_table(members, seed_index().terms)
    row = table[table["group_label"].str.contains("文旅为民")].iloc[0]
    assert row["years"] == "2022、2023"
    assert "文旅为民" in row["words"].split("、")


def test_the_seeds_learning_measure_recurs():
    tables = seed_tables()
    measures = all_items(tables).query("role == 'measures'")
    vectors = seed_vectors()
    pairs = similar_pairs(vectors, vectors.keys_of(measures["item_id"].tolist()), min_similarity=MIN_THRESHOLD)
    members = recurring_groups(measures, vectors, pairs)
    learning = {f"{seed_id(tables, n)}/measures/1" for n in ("000", "004")}  # 「加强学习，提高认识」 in both
    assert any(learning <= g for g in groups_of(members))


@pytest.fixture(scope="module")
def council_groups():
    tables = state_council_tables()
    problems = all_items(tables).query("role == 'problems'")
    vectors = state_council_vectors()
    pairs = similar_pairs(vectors, vectors.keys_of(problems["item_id"].tolist()), min_similarity=MIN_THRESHOLD)
    return tables, problems, vectors, pairs, recurring_groups(problems, vectors, pairs)


@pytest.mark.slow
def test_state_council_problems_that_return_across_decades(council_groups):
    _, _, _, _, members = council_groups
    table = group_table(members, state_council_index().terms)
    years = {row.group_label: set(row.years.split("、")) for row in table.itertuples()}
    corruption = next(y for label, y in years.items() if "腐败问题" in label)
    assert {"2019", "2022", "2024"} <= corruption  # 「一些领域腐败问题仍然多发」 and its rewordings
    ecology = next(y for label, y in years.items() if "生态环境保护" in label and "任重道远" in label)
    assert {"2023", "2024"} <= ecology
    innovation = [y for label, y in years.items() if "创新能力" in label]
    assert any({"2023", "2024"} <= y for y in innovation)  # 「科技创新能力还不强」 twice
    assert table["reports"].iloc[0] >= 5  # the most recurrent problem comes first


def test_every_group_is_on_average_as_alike_as_the_threshold(council_groups):
    """Average linkage: the members of a group are, on average over their pairs, at least threshold alike."""
    _, _, vectors, _, members = council_groups
    for _, part in members.groupby("group"):
        ids = part["item_id"].tolist()
        matrix = item_similarity(vectors, ids, ids)
        mean = (matrix.sum() - len(ids)) / (len(ids) * (len(ids) - 1))
        assert mean >= DEFAULT_THRESHOLD - 0.01  # pairs under the 0.05 floor count as 0, a little lower


def test_a_large_web_is_split_and_its_groups_stay_as_alike(council_groups, monkeypatch):
    """Past LINKAGE_MAX distinct texts a component is first cut where its links are stricter; the groups found
    then still hold together on average at the threshold."""
    _, problems, vectors, pairs, _members = council_groups
    monkeypatch.setattr(recurring, "LINKAGE_MAX", 4)
    split = recurring_groups(problems, vectors, pairs)
    assert split["group"].nunique() >= 10
    for _, part in split.groupby("group"):
        ids = part["item_id"].tolist()
        matrix = item_similarity(vectors, ids, ids)
        assert (matrix.sum() - len(ids)) / (len(ids) * (len(ids) - 1)) >= DEFAULT_THRESHOLD - 0.01


@pytest.mark.slow
def test_raising_the_threshold_only_splits_groups(council_groups):
    _, problems, vectors, pairs, members = council_groups
    strict = recurring_groups(problems, vectors, pairs, threshold=0.4)
    assert 0 < strict["group"].nunique() < members["group"].nunique()
    assert all(any(g <= w for w in groups_of(members)) for g in groups_of(strict))


@pytest.mark.slow
def test_hostile_items_never_break_the_grouping():
    rng = random.Random(5)
    words = ["档案", "管理", "不规范", "，", "。", "食堂", "浪费", "1、", "（一）", "\n", "　", "党员", "干部", "𠀀"]
    rows = [
        (f"R{rng.randint(0, 6)}", rng.choice([2020, 2021, None]), "".join(rng.choices(words, k=rng.randint(0, 4))),
         "".join(rng.choices(words, k=rng.randint(0, 30))))
        for _ in range(80)
    ]
    items = make_items(rows)
    items["item_id"] = [f"i{k}" for k in range(len(items))]
    for threshold in (MIN_THRESHOLD, 0.5, recurring.MAX_THRESHOLD):
        members = grouped(items, threshold=threshold)
        assert set(members["item_id"]) <= set(items["item_id"])
        assert not members["item_id"].duplicated().any()
        table = group_table(members)
        assert (table["reports"] >= 2).all()
        assert np.isfinite(table["score"]).all()
