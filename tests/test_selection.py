"""The dashboard's keyness, trend and per-report frequency views come from the sparse document-term matrix;
these tests hold them to the token-table analyses they replaced (``keyness``, ``distinctive_terms``,
``term_trends``, kept as test oracles in ``tests/oracles.py``): identical frames on the seeds, for every subset
of reports and every role, from the in-memory tables and from a library's stored tables alike."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from oracles import distinctive_terms, keyness, term_trends

from reportlens import selection
from reportlens.analysis import DISTINCTIVE_COLUMNS, role_shares
from reportlens.corpus import load_seeds
from reportlens.ingest import open_library
from reportlens.tables import CorpusTables, build_tables, library_tables
from reportlens.text import build_tokenizer

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

ROLES = ["all", "achievements", "problems", "measures", "preamble"]
TERMS = ["作风", "党风廉政建设", "没有这个词", "学习", "作风"]


@pytest.fixture(scope="module", params=["memory", "library"])
def tables(request, tmp_path_factory) -> CorpusTables:
    if request.param == "memory":
        return build_tables(load_seeds(), build_tokenizer())
    with open_library(tmp_path_factory.mktemp("selection") / "library.sqlite3") as library:
        return library_tables(library)


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
        return found.assign(report_id=ids[0])[DISTINCTIVE_COLUMNS]
    return None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("top", "min_count"), [(8, 3), (50, 1)])
def test_distinctive_terms_from_the_matrix_equal_the_token_analysis(tables, role, top, min_count):
    for ids in subsets(tables.reports["report_id"].tolist()):
        found = selection.distinctive(tables, ids, role, top=top, min_count=min_count)
        expected = reference_distinctive(tables, ids, role, top=top, min_count=min_count)
        if expected is None:
            assert found.empty and list(found.columns) == DISTINCTIVE_COLUMNS
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


@pytest.mark.parametrize("role", ["all", "problems", "measures"])
@pytest.mark.parametrize("limit", [1, 3, 10_000])
def test_kwic_view_gives_the_first_hits_and_the_count_of_all(tables, role, limit):
    ids = tables.reports["report_id"].tolist()[::-1]  # any order of the selection: the hits follow it
    for term in ["作风", "主体责任", "党风廉政建设工作", "问题"]:  # counted words, then phrases
        every = selection.kwic(tables, term, ids, role)
        listed, total = selection.kwic_view(tables, term, ids, role, limit=limit)
        assert total == len(every), term
        pd.testing.assert_frame_equal(listed, every.head(limit).reset_index(drop=True))


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


def hostile_selections(ids: list[str], count: int = 40) -> list[list[str]]:
    """Selections a caller might pass: random subsets in any order, a report listed twice, ids the corpus
    does not hold, nothing at all."""
    rng = np.random.default_rng(13)
    out: list[list[str]] = [[], ["没有这篇报告"], ids, ids[::-1]]
    for _ in range(count):
        chosen = [str(i) for i in rng.choice(ids, size=rng.integers(1, len(ids) + 1), replace=False)]
        if rng.random() < 0.3:
            chosen.append(chosen[0])
        if rng.random() < 0.3:
            chosen.insert(int(rng.integers(0, len(chosen) + 1)), "f" * 16)
        out.append(chosen)
    return out


def items_reference(tables: CorpusTables, report_ids: list[str], role: str) -> pd.DataFrame:
    """``items_of`` as it was computed before the report index (a test oracle: pandas filters and maps over
    the whole items table)."""
    roles = ("problems", "measures") if role == "all" else (role,)
    items = tables.items[tables.items["report_id"].isin(list(report_ids)) & tables.items["role"].isin(roles)]
    order = {r: i for i, r in enumerate(report_ids)}
    items = items.assign(
        _report=items["report_id"].map(order), _role=items["role"].map({r: i for i, r in enumerate(roles)})
    )
    items = items.sort_values(["_report", "_role", "number"], kind="stable")
    items = selection.with_names(items, tables.reports)
    items["year"] = items["report_id"].map(tables.reports.set_index("report_id")["year"]).astype("Int64")
    columns = ["item_id", "report_id", "report", "report_title", "year", "role", "number", "title", "text", "start", "end"]
    return items[columns].reset_index(drop=True)


@pytest.mark.parametrize("role", ["all", "problems", "measures", "achievements"])
def test_views_from_the_report_index_equal_a_scan_of_the_whole_tables(tables, role):
    ids = tables.reports["report_id"].tolist()
    for chosen in hostile_selections(ids):
        pd.testing.assert_frame_equal(selection.items_of(tables, chosen, role), items_reference(tables, chosen, role))
        parts = tables.parts[tables.parts["report_id"].isin(chosen)]
        assert selection.selection_chars(tables, chosen, role) == selection.scope_chars(parts, chosen, role)
        pd.testing.assert_frame_equal(
            selection.role_share_frame(tables, chosen),
            selection.with_names(role_shares_reference(parts), tables.reports),
        )
        known = [i for i in chosen if i in set(ids)]
        pd.testing.assert_frame_equal(
            selection.report_rows(tables, chosen), tables.reports[tables.reports["report_id"].isin(known)].reset_index(drop=True)
        )
        for report_id in known[:2]:
            pd.testing.assert_frame_equal(
                selection.sections_of(tables, report_id),
                tables.sections[tables.sections["report_id"] == report_id].reset_index(drop=True),
            )


def role_shares_reference(parts: pd.DataFrame) -> pd.DataFrame:
    """``analysis.role_shares`` as it was computed before (a test oracle: a groupby and a reindexed grid)."""
    from reportlens.roles import ROLE_CODES

    if parts.empty:
        return role_shares(parts)
    frame = parts.assign(chars=(parts["end"] - parts["start"]).astype("int64"))
    roles = list(ROLE_CODES) + sorted(set(frame["role"]) - set(ROLE_CODES))
    reports = frame["report_id"].unique()
    chars = frame.groupby(["report_id", "role"], sort=False)["chars"].sum()
    grid = pd.MultiIndex.from_product([reports, roles], names=["report_id", "role"])
    out = chars.reindex(grid, fill_value=0).astype("int64").reset_index()
    total = out.groupby("report_id", sort=False)["chars"].transform("sum").to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(total > 0, out["chars"].to_numpy(dtype="float64") / total, np.nan)
    return out[["report_id", "role", "chars", "share"]]
