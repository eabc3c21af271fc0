"""The dashboard's keyness, trend and per-report frequency views come from the sparse document-term matrix;
these tests hold them to the token-table analyses they replace (``analysis.keyness``,
``analysis.distinctive_terms``, ``analysis.term_trends``): identical frames on the seeds, for every subset
of reports and every role, from the in-memory tables and from a library's stored tables alike."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from reportlens import selection
from reportlens.analysis import distinctive_terms, keyness, term_trends
from reportlens.corpus import load_seeds
from reportlens.ingest import open_library
from reportlens.tables import CorpusTables, build_tables
from reportlens.text import build_tokenizer

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

ROLES = ["all", "achievements", "problems", "measures", "preamble"]
TERMS = ["作风", "党风廉政建设", "没有这个词", "学习", "作风"]


@pytest.fixture(scope="module", params=["memory", "library"])
def tables(request, tmp_path_factory) -> CorpusTables:
    if request.param == "memory":
        return build_tables(load_seeds(), build_tokenizer())
    with open_library(tmp_path_factory.mktemp("selection") / "library.sqlite3") as library:
        return library.tables()


def subsets(ids: list[str]) -> list[list[str]]:
    return [list(c) for k in range(len(ids) + 1) for c in combinations(ids, k)]


def reference_distinctive(
    tables: CorpusTables, ids: list[str], role: str, *, top: int, min_count: int
) -> pd.DataFrame | None:
    """What ``selection.distinctive`` computed from the token table; None where it gave an empty frame."""
    if len(ids) >= 2:
        tokens = selection.token_rows(tables.tokens, ids, role)
        if tokens["report_id"].nunique() < 2:
            return None
        found = distinctive_terms(tokens, by="report", top=top, min_count=min_count)
        order = found["report_id"].map({r: i for i, r in enumerate(ids)})
        return found.iloc[order.argsort(kind="stable")].reset_index(drop=True)
    if len(ids) == 1:
        tokens = selection.token_rows(tables.tokens, tables.reports["report_id"].tolist(), role)
        target = tokens["report_id"] == ids[0]
        if not target.any() or target.all():
            return None
        found = keyness(tokens, target=target, top=top, min_count=min_count, direction="over")
        return found.assign(report_id=ids[0])[selection.DISTINCTIVE_COLUMNS]
    return None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("top", "min_count"), [(8, 3), (50, 1)])
def test_distinctive_terms_from_the_matrix_equal_the_token_analysis(tables, role, top, min_count):
    for ids in subsets(tables.reports["report_id"].tolist()):
        found = selection.distinctive(tables, ids, role, top=top, min_count=min_count)
        expected = reference_distinctive(tables, ids, role, top=top, min_count=min_count)
        if expected is None:
            assert found.empty and list(found.columns) == selection.DISTINCTIVE_COLUMNS
        else:
            # terms are text either way (the library's token table keeps them as object categories)
            pd.testing.assert_frame_equal(found, expected.astype({"term": "str"}), check_exact=True)


@pytest.mark.parametrize("role", ROLES)
def test_trends_from_the_matrix_equal_the_token_analysis(tables, role):
    for ids in subsets(tables.reports["report_id"].tolist()):
        found = selection.trends(tables, ids, role, TERMS)
        tokens = selection.token_rows(tables.tokens, ids, role)
        expected = term_trends(tokens, tables.reports, terms=TERMS)
        pd.testing.assert_frame_equal(found.drop(columns="reports"), expected, check_exact=True)
        # how many reports stand behind each year: those with counted words in the part and a known year
        years = tables.reports.set_index("report_id")["year"]
        behind = pd.Series(tokens["report_id"].astype(str).unique()).map(years).dropna().astype(int).value_counts()
        assert dict(zip(found["year"], found["reports"], strict=True)) == {int(y): int(n) for y, n in behind.items()}


def test_trends_of_no_terms_and_a_bare_string(tables):
    ids = tables.reports["report_id"].tolist()
    assert selection.trends(tables, ids, "all", []).empty
    with pytest.raises(ValueError, match="single string"):
        selection.trends(tables, ids, "all", "作风")


def test_distinctive_limit_keeps_the_first_reports_terms(tables):
    ids = tables.reports["report_id"].tolist()
    full = selection.distinctive(tables, ids, "all", top=8)
    limited = selection.distinctive(tables, ids, "all", top=8, limit=2)
    pd.testing.assert_frame_equal(limited, full[full["report_id"].isin(ids[:2])].reset_index(drop=True))


@pytest.mark.parametrize("role", ROLES)
def test_term_frequencies_by_report_count_the_tokens(tables, role):
    ids = tables.reports["report_id"].tolist()
    found = selection.term_frequencies_by_report(tables, ids, role, TERMS[:4])
    assert len(found) == len(ids) * 3  # every report by every known term, zeros included
    tokens = selection.token_rows(tables.tokens, ids, role)
    for row in found.itertuples():
        mine = tokens[(tokens["report_id"] == row.report_id) & (tokens["token"] == row.term)]
        assert row.count == len(mine)
        chars = selection.scope_chars(tables.parts, [row.report_id], role)
        assert np.isnan(row.per_10k) if chars == 0 else row.per_10k == pytest.approx(row.count * 10_000 / chars)


def test_hit_sections_group_the_hits_in_order(tables):
    ids = tables.reports["report_id"].tolist()
    hits = selection.kwic(tables, "主体责任", ids)
    places = selection.hit_sections(hits)
    assert sum(n for *_, n in places.values()) == hits["section_path"].notna().sum()
    first = hits.dropna(subset=["section_path"]).iloc[0]
    assert next(iter(places)) == (first["report_id"], first["section_path"])
    assert selection.first_hits(hits, 3).equals(hits.head(3))


@pytest.mark.parametrize("role", ROLES)
def test_kwic_of_a_counted_word_finds_as_many_hits_as_top_terms_counts(tables, role):
    ids = tables.reports["report_id"].tolist()
    counts = selection.top_terms(tables, ids, role, top=None).set_index("term")["count"]
    for term in ["学习", "党员干部", "作风", "服务"]:
        hits = selection.kwic(tables, term, ids, role)
        assert len(hits) == counts.get(term, 0), term  # the same number by construction
        assert (hits["keyword"] == term).all()
        for row in hits.head(20).itertuples():
            assert tables.texts[row.report_id][row.offset : row.offset + len(term)] == term


def test_kwic_of_a_phrase_or_a_stopword_searches_the_text(tables):
    ids = tables.reports["report_id"].tolist()
    for phrase in ["问题", "主体责任落实", "党风廉政建设工作"]:
        assert not selection.is_term(tables, phrase)
        hits = selection.kwic(tables, phrase, ids)
        literal = sum(tables.texts[i].count(phrase) for i in ids)
        assert len(hits) == literal > 0, phrase
