"""Tests for reportlens.analysis.problems: the theme lexicon, theme counts, similar problems, measure coverage."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reportlens.analysis.problems import (
    item_term_matrix,
    load_themes,
    measure_coverage,
    parse_themes,
    similar_items,
    tfidf_rows,
    theme_hits,
    theme_matrix,
)
from reportlens.corpus import load_seeds
from reportlens.tables import build_tables
from reportlens.text import build_tokenizer

THEMES = {"理论学习": ("学习", "理论"), "廉洁自律": ("廉洁", "廉政"), "为民服务": ("为民", "群众")}


def make_items(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Items from (report_id, role, text) rows; ids, numbers and spans filled in."""
    frame = pd.DataFrame(rows, columns=["report_id", "role", "text"])
    frame["number"] = frame.groupby(["report_id", "role"]).cumcount() + 1
    frame["item_id"] = frame["report_id"] + "/" + frame["role"] + "/" + frame["number"].astype(str)
    frame["title"] = frame["text"].str[:8]
    frame["start"] = 0
    frame["end"] = frame["text"].str.len()
    return frame


@pytest.fixture(scope="module")
def seed_tables():
    return build_tables(load_seeds(), build_tokenizer())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("理论学习: 学习 理论", {"理论学习": ("学习", "理论")}),
        (
            "理论学习：学习　理论、中心组",
            {"理论学习": ("学习", "理论", "中心组")},
        ),  # full-width colon and space
        (
            "# 说明\n\n廉洁自律: 廉洁\n廉洁自律: 廉政 廉洁",
            {"廉洁自律": ("廉洁", "廉政")},
        ),  # merged, de-duplicated
        ("\ufeff作风建设 : 作风", {"作风建设": ("作风",)}),
    ],
)
def test_parse_themes(text, expected):
    assert parse_themes(text) == expected


@pytest.mark.parametrize("bad", ["理论学习 学习 理论", "理论学习:", "： 学习"])
def test_parse_themes_names_the_bad_line(bad):
    with pytest.raises(ValueError, match="第 2 行"):
        parse_themes("作风建设: 作风\n" + bad)


def test_bundled_lexicon_has_the_themes_readers_ask_for():
    themes = load_themes()
    for theme in (
        "理论学习",
        "主体责任",
        "作风建设",
        "为民服务",
        "廉洁自律",
        "担当作为",
        "督查落实",
        "制度建设",
    ):
        assert themes[theme], theme


def test_load_themes_from_an_edited_file(tmp_path):
    path = tmp_path / "themes.txt"
    path.write_text("\ufeff安全生产: 安全 消防\n", encoding="utf-8")
    assert load_themes(path) == {"安全生产": ("安全", "消防")}


def test_theme_hits_counts_sentences_per_theme():
    items = make_items(
        [
            ("A", "problems", "理论学习不够深入。廉洁意识不强；群众观念淡薄。"),
            ("A", "measures", "加强学习，提高认识。"),
            ("B", "problems", "工作作风不实。"),
        ]
    )
    hits = theme_hits(items, THEMES)
    assert hits[["item_id", "theme", "sentences"]].values.tolist() == [
        ["A/problems/1", "理论学习", 1],
        ["A/problems/1", "廉洁自律", 1],
        ["A/problems/1", "为民服务", 1],
        ["A/measures/1", "理论学习", 1],
    ]


def test_theme_matrix_is_a_complete_grid_with_zeros():
    items = make_items(
        [
            ("A", "problems", "理论学习不够。学习制度坚持不好。"),
            ("A", "problems", "廉政教育不够。"),
            ("A", "measures", "加强学习。"),
            ("B", "problems", "服务群众不够主动。"),
        ]
    )
    by_items = theme_matrix(items, THEMES)
    assert len(by_items) == 2 * 2 * 3  # reports, roles, themes
    cell = by_items.set_index(["report_id", "role", "theme"])["count"]
    assert cell[("A", "problems", "理论学习")] == 1
    assert cell[("A", "problems", "廉洁自律")] == 1
    assert cell[("B", "measures", "理论学习")] == 0
    by_sentences = theme_matrix(items, THEMES, unit="sentences").set_index(["report_id", "role", "theme"])
    assert by_sentences.loc[("A", "problems", "理论学习"), "count"] == 2


def test_theme_matrix_on_the_seeds_counts_at_most_the_items(seed_tables):
    items = seed_tables.items
    matrix = theme_matrix(items, load_themes())
    per_report = items[items["role"].isin(["problems", "measures"])].groupby(["report_id", "role"]).size()
    most = matrix.groupby(["report_id", "role"])["count"].max()
    assert (most <= per_report.reindex(most.index)).all()
    assert matrix["count"].sum() > 0


def test_item_term_matrix_takes_the_tokens_inside_each_span(seed_tables):
    items = seed_tables.items[seed_tables.items["role"] == "problems"].reset_index(drop=True)
    matrix, terms = item_term_matrix(items, seed_tables.tokens)
    first = items.iloc[0]
    tokens = seed_tables.tokens
    inside = tokens[
        (tokens["report_id"] == first["report_id"])
        & (tokens["offset"] >= first["start"])
        & (tokens["offset"] < first["end"])
    ]
    assert matrix.shape == (len(items), len(terms))
    assert matrix[0].sum() == len(inside)
    top_term = inside["token"].astype(str).value_counts().idxmax()
    assert matrix[0, terms.index(top_term)] == inside["token"].astype(str).value_counts().max()


def test_tfidf_rows_are_unit_length_or_zero():
    counts = item_term_matrix(
        make_items([("A", "problems", "x"), ("B", "problems", "y")]),
        pd.DataFrame({"report_id": ["A", "A", "B"], "token": ["学习", "理论", "学习"], "offset": [0, 0, 0]}),
    )[0]
    vectors = tfidf_rows(counts)
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0)


def test_similar_items_finds_the_identical_problem_first():
    items = make_items(
        [("A", "problems", "甲"), ("B", "problems", "乙"), ("C", "problems", "丙"), ("B", "measures", "丁")]
    )
    items.loc[3, ["start", "end"]] = (5, 6)  # B's measure comes after B's problem
    tokens = pd.DataFrame(
        {
            "report_id": ["A", "A", "B", "B", "C", "B"],
            "token": ["学习", "制度", "学习", "制度", "廉洁", "学习"],
            "offset": [0, 0, 0, 0, 0, 5],
        }
    )
    found = similar_items(items, tokens, "A/problems/1")
    assert found["item_id"].tolist() == ["B/problems/1"]  # C shares nothing; B's measure is another role
    assert math.isclose(found["similarity"].iloc[0], 1.0)


def test_similar_items_on_the_seeds(seed_tables):
    problems = seed_tables.items[seed_tables.items["role"] == "problems"]
    target = problems.iloc[0]
    found = similar_items(problems, seed_tables.tokens, target["item_id"], top=5)
    assert 0 < len(found) <= 5
    assert (found["report_id"] != target["report_id"]).all()
    assert found["similarity"].is_monotonic_decreasing
    assert ((found["similarity"] > 0) & (found["similarity"] <= 1 + 1e-9)).all()
    with pytest.raises(KeyError):
        similar_items(problems, seed_tables.tokens, "no/such/item")


def test_measure_coverage_splits_answered_and_unanswered_themes():
    items = make_items(
        [
            ("A", "problems", "理论学习不深，廉洁意识不强。"),
            ("A", "problems", "作风不实。"),
            ("A", "measures", "加强理论学习。"),
            ("B", "measures", "加强廉政教育。"),  # another report's measure answers nothing of A
        ]
    )
    coverage = measure_coverage(items, THEMES).set_index("item_id")
    first = coverage.loc["A/problems/1"]
    assert (first["themes"], first["answered"], first["unanswered"]) == (
        "理论学习、廉洁自律",
        "理论学习",
        "廉洁自律",
    )
    assert first["coverage"] == 0.5
    assert math.isnan(coverage.loc["A/problems/2", "coverage"])  # raises no theme of the lexicon


def test_measure_coverage_on_the_seeds_has_a_row_per_problem(seed_tables):
    coverage = measure_coverage(seed_tables.items, load_themes())
    assert len(coverage) == int(seed_tables.reports["problems"].sum())
    rated = coverage["coverage"].dropna()
    assert ((rated >= 0) & (rated <= 1)).all()
