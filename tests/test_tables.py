"""Tests for reportlens.tables and reportlens.selection: the dashboard's tables built from the seeds, and the
views computed from them for a selection of reports and a role."""

from __future__ import annotations

import pandas as pd
import pytest

from reportlens import selection
from reportlens.corpus import Corpus, load_seeds
from reportlens.tables import build_tables
from reportlens.text import build_tokenizer


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_seeds()


@pytest.fixture(scope="module")
def tables(corpus):
    return build_tables(corpus, build_tokenizer())


@pytest.fixture(scope="module")
def ids(tables) -> list[str]:
    return tables.reports["report_id"].tolist()


def seed_id(tables, number: str) -> str:
    """The id of seed file ``<number>_….txt``."""
    return tables.reports.loc[tables.reports["file"].str.startswith(f"{number}_"), "report_id"].item()


def test_reports_table_carries_outline_counts(tables):
    reports = tables.reports
    assert len(reports) == 5
    assert reports["label"].is_unique and reports["short"].is_unique
    # short names for axes and chips keep the year whole (names.infer_short_name)
    assert all(str(y) in s for y, s in zip(reports["year"], reports["short"], strict=True))
    row = reports.set_index("report_id").loc[seed_id(tables, "003")]
    assert (row["problems"], row["measures"]) == (5, 5)


def test_sections_and_parts_cover_each_text(tables, corpus):
    for report in corpus:
        parts = tables.parts[tables.parts["report_id"] == report.id]
        assert (parts["end"] - parts["start"]).sum() == report.chars
        top = tables.sections[
            (tables.sections["report_id"] == report.id) & (tables.sections["parent_path"] == "")
        ]
        assert top["chars"].sum() == report.chars


def test_document_term_matrix_counts_every_token(tables):
    dtm = tables.dtm
    assert dtm.matrix.sum() == len(tables.tokens)
    problems = dtm.roles == "problems"
    assert dtm.matrix[problems].sum() == int((tables.tokens["role"] == "problems").sum())


def test_select_reports_by_id_and_year(tables, ids):
    reports = tables.reports
    assert selection.select_reports(reports) == ids
    assert selection.select_reports(reports, report_ids=[ids[3], ids[0]]) == [ids[0], ids[3]]  # corpus order
    in_2023 = reports.loc[reports["year"] == 2023, "report_id"].tolist()
    assert selection.select_reports(reports, years=(2023, 2023)) == in_2023
    assert selection.select_reports(reports, report_ids=[]) == []
    unknown = reports.assign(year=pd.array([None, 2022, 2023, 2023, 2023], dtype="Int64"))
    assert ids[0] in selection.select_reports(unknown)
    assert ids[0] not in selection.select_reports(unknown, years=(2022, 2023))


def test_top_terms_match_a_count_of_the_token_table(tables):
    report = seed_id(tables, "002")
    tokens = tables.tokens
    expected = (
        tokens[(tokens["report_id"] == report) & (tokens["role"] == "problems")]["token"]
        .astype(str)
        .value_counts()
        .rename_axis("term")
        .reset_index()
        .sort_values(["count", "term"], ascending=[False, True], kind="stable")
        .head(10)
    )
    got = selection.top_terms(tables, [report], "problems", top=10)
    assert got["term"].tolist() == expected["term"].tolist()
    assert got["count"].tolist() == expected["count"].tolist()
    chars = selection.scope_chars(tables.parts, [report], "problems")
    assert got["per_10k"].iloc[0] == pytest.approx(expected["count"].iloc[0] * 10_000 / chars)


def test_term_frequencies_by_report_fill_zeros(tables, ids):
    frame = selection.term_frequencies_by_report(tables, ids[:2], "all", ["党风廉政建设", "不存在的词"])
    assert frame["term"].tolist() == ["党风廉政建设", "党风廉政建设"]  # an unknown term has no column
    assert (frame["count"] > 0).all()


def test_distinctive_terms_follow_the_selection(tables, ids):
    several = selection.distinctive(tables, ids[:3], top=4)
    assert list(dict.fromkeys(several["report_id"])) == ids[:3]
    one = selection.distinctive(tables, [ids[0]], "problems", top=4)
    assert set(one["report_id"]) == {ids[0]} and len(one) <= 4
    assert selection.distinctive(tables, [], top=4).empty


def test_kwic_names_report_and_section(tables, ids):
    hits = selection.kwic(tables, "作风", ids, "problems")
    assert len(hits) > 0
    assert set(hits["role"]) == {"problems"}
    assert (hits["keyword"] == "作风").all()
    first = hits.iloc[0]
    text = selection.section_text(tables, first["report_id"], first["section_path"])
    assert "作风" in text
    places = selection.hit_sections(hits)
    assert sum(n for *_, n in places.values()) == len(hits)


def test_outline_rows_indent_by_level_and_count_items(tables):
    report = seed_id(tables, "002")
    rows = selection.outline_rows(tables, report, labels={"preamble": "导语"})
    assert rows["outline"].iloc[0] == "〔导语〕"  # the one name of an un-headed part (names.section_name)
    problems = rows[rows["section_path"] == "2"].iloc[0]
    assert problems["outline"] == "二、存在的问题" and problems["items"] == "3"
    assert rows.loc[rows["section_path"] == "2/1", "outline"].item().startswith("　1、")
    only_problems = selection.outline_rows(tables, report, "problems")
    assert set(only_problems["role"]) == {"problems"}


def test_items_of_the_selection(tables, ids):
    items = selection.items_of(tables, ids[:2])
    assert set(items["role"]) == {"problems", "measures"}
    assert list(dict.fromkeys(items["report_id"])) == ids[:2]
    assert len(items) == int(tables.reports.head(2)[["problems", "measures"]].to_numpy().sum())
    assert selection.item_text(tables, items["item_id"].iloc[0]) == items["text"].iloc[0]


def test_headline_and_overview(tables):
    figures = selection.headline(tables.reports)
    assert figures == {
        "reports": 5,
        "chars": int(tables.reports["chars"].sum()),
        "years": "2022–2023",
        "problems": int(tables.reports["problems"].sum()),
        "measures": int(tables.reports["measures"].sum()),
    }
    overview = selection.overview(tables.reports)
    assert set(overview["year_source"]) <= {"metadata", "title", "filename", "dateline", "text", "inferred"}
    assert overview.columns[0] == "title"
