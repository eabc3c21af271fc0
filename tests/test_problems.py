"""Tests for reportlens.analysis.problems: the theme lexicon, theme counts, item term counts."""

from __future__ import annotations

import pandas as pd
import pytest

from reportlens.analysis.problems import (
    item_term_matrix,
    load_themes,
    parse_themes,
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
