"""The SQLite library: what goes in comes out the same as the in-memory engine computes it, one transaction per
report, versions of derived data, metadata edits, settings, concurrent readers and a writer."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading

import numpy as np
import pandas as pd
import pytest
from conftest import corpus_files
from library_helpers import report_outline, role_matrix, term_counts

from reportlens import blobs, maintenance, schema
from reportlens.analysis import document_term_matrix
from reportlens.corpus import Corpus, load_seeds, make_report
from reportlens.derived import TokenizerSpec, build_segmenter, derive
from reportlens.errors import ReportError
from reportlens.maintenance import refresh_derived
from reportlens.normalize import normalize_text
from reportlens.roles import ITEM_ROLES
from reportlens.roles import STORAGE_ORDER as ROLES
from reportlens.store import SCHEMA_VERSION, Library, Settings, check_year
from reportlens.structure import parse_outline
from reportlens.tables import CorpusTables, assemble, doc_term_matrix, library_tables
from reportlens.text import concat_token_tables, token_table

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

DERIVED = ("texts", "outlines", "sections", "parts", "items", "tokens", "term_counts")


@pytest.fixture(scope="module")
def seeds() -> Corpus:
    return load_seeds()


@pytest.fixture(scope="module")
def segmenter():
    return build_segmenter(TokenizerSpec())


def fill(library: Library, corpus: Corpus, segmenter) -> None:
    for report in corpus:
        assert library.add(report, derive(report, segmenter))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seeds: Corpus, segmenter) -> Library:
    library = Library(tmp_path_factory.mktemp("lib") / "library.sqlite3")
    fill(library, seeds, segmenter)
    yield library
    library.close()


@pytest.fixture()
def library(tmp_path) -> Library:
    lib = Library(tmp_path / "library.sqlite3")
    yield lib
    lib.close()


def rows(library: Library, table: str, report_id: str) -> int:
    conn = sqlite3.connect(library.path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE report_id = ?", (report_id,)).fetchone()[0]  # noqa: S608
    finally:
        conn.close()


def expected_tokens(corpus: Corpus, tokenizer) -> pd.DataFrame:
    return concat_token_tables(token_table(r.id, r.text, parse_outline(r.text).parts(), tokenizer) for r in corpus)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain strings, so frames built different ways compare by value."""
    return frame.astype({c: str for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)})


# ------------------------------------------------------------------------------------------------ schema


def test_new_library_is_wal_with_foreign_keys_and_schema_version(library: Library) -> None:
    assert library.created and len(library) == 0
    conn = library._connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert library.get_meta("schema_version") == str(SCHEMA_VERSION)
    again = Library(library.path)
    assert not again.created
    again.close()


def test_revision_grows_with_every_change_and_only_then(library: Library, seeds: Corpus, segmenter) -> None:
    seen = [library.revision]
    Library(library.path).close()  # opening is not a change
    seen.append(library.revision)
    fill(library, Corpus(seeds.reports[:2]), segmenter)
    seen.append(library.revision)
    library.update_metadata(seeds.reports[0].id, year=2020)
    seen.append(library.revision)
    library.save_settings(themes="学习: 学习")
    seen.append(library.revision)
    library.delete(seeds.reports[1].id)
    seen.append(library.revision)
    library.reports(), library.token_table(), library_tables(library)  # reading is not a change
    seen.append(library.revision)
    assert seen == [0, 0, 2, 3, 4, 5, 5]


def test_not_a_database_is_refused_in_chinese(tmp_path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("这不是数据库，只是一段文字。" * 200, encoding="utf-8")
    with pytest.raises(ReportError, match=r"已损坏.*不是报告透视的资料库"):
        Library(bogus)
    with pytest.raises(ReportError, match="是一个文件夹"):
        Library(tmp_path)
    with pytest.raises(ReportError, match="找不到资料库"):
        Library(tmp_path / "missing.sqlite3", create=False)


def test_library_from_a_newer_version_is_refused(library: Library) -> None:
    library.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(ReportError, match="更新版本"):
        Library(library.path)


def as_schema_3(path) -> None:
    """Rewrite a library in the form schema 3 stored: reports without a ``short_name`` column."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("ALTER TABLE reports DROP COLUMN short_name")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.execute("COMMIT")
    conn.close()


def as_schema_2(path) -> None:
    """Rewrite a library in the form schema 2 stored: schema 3's (no short names), and no confidence in outlines,
    no role score, evidence or key in sections, no corrections table."""
    as_schema_3(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for table, column in (("outlines", "confidence"), ("outlines", "confidence_evidence"), ("sections", "score"),
                          ("sections", "evidence"), ("sections", "key")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("DROP TABLE corrections")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("COMMIT")
    conn.close()


def test_a_schema_3_library_gains_short_names_and_keeps_every_row(tmp_path, seeds: Corpus, segmenter) -> None:
    path = tmp_path / "old.sqlite3"
    with Library(path) as library:
        fill(library, seeds, segmenter)
        edited = library.update_metadata(seeds.reports[1].id, title="用户改过的标题", year=2019, unit="某局")
        before = library_tables(library)
        revision = library.revision
    as_schema_3(path)
    conn = sqlite3.connect(path)
    rows_before = conn.execute("SELECT * FROM reports ORDER BY seq").fetchall()
    conn.close()
    with Library(path) as library:
        assert library.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert library.check() == [] and library.revision == revision
        assert library.report(edited.id) == edited
        pd.testing.assert_frame_equal(library_tables(library).reports, before.reports)  # inferred short names
        assert library.reports()["short_name"].tolist() == [""] * len(seeds)
        library.update_metadata(edited.id, short_name="某局 2019 自拟简称")
        assert library_tables(library).reports.set_index("report_id").at[edited.id, "short"] == "某局 2019 自拟简称"
    conn = sqlite3.connect(path)
    rows_after = conn.execute("SELECT * FROM reports ORDER BY seq").fetchall()
    conn.close()
    assert [row[:-1] for row in rows_after] == rows_before  # every row kept, one column added


def test_a_failed_upgrade_leaves_the_library_as_it_was(tmp_path, seeds: Corpus, segmenter, monkeypatch) -> None:
    path = tmp_path / "old.sqlite3"
    with Library(path) as library:
        fill(library, seeds, segmenter)
    as_schema_3(path)

    def broken(conn) -> None:
        conn.execute("ALTER TABLE reports ADD COLUMN short_name TEXT NOT NULL DEFAULT ''")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(schema.UPGRADES, 3, broken)
    with pytest.raises((ReportError, sqlite3.Error)):
        Library(path)
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3"
    assert "short_name" not in [c[1] for c in conn.execute("PRAGMA table_info(reports)")]
    conn.close()
    with Library(path) as library:  # the next open upgrades it
        assert library.ids() == [r.id for r in seeds] and library.check() == []


def as_schema_1(path) -> None:
    """Rewrite a library in the form schema 1 stored: schema 2's, and items holding their own texts (no
    text_start/text_end columns), outlines with a JSON column, terms with a unique index, offsets and sentence
    numbers as plain int32, part numbers as uint16, counts as int32."""
    as_schema_2(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    texts = dict(conn.execute("SELECT report_id, text FROM texts").fetchall())
    items = conn.execute("SELECT report_id, position, text, text_start, text_end FROM items").fetchall()
    for report_id, position, text, start, end in items:
        full = text if start is None else texts[report_id][start:end]
        conn.execute("UPDATE items SET text = ? WHERE report_id = ? AND position = ?", (full, report_id, position))
    conn.execute("ALTER TABLE items DROP COLUMN text_start")
    conn.execute("ALTER TABLE items DROP COLUMN text_end")
    conn.execute("ALTER TABLE outlines ADD COLUMN outline TEXT NOT NULL DEFAULT '{}'")  # its JSON copy
    conn.execute("CREATE TABLE old_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE)")
    conn.execute("INSERT INTO old_terms SELECT id, term FROM terms")
    conn.execute("DROP TABLE terms")
    conn.execute("ALTER TABLE old_terms RENAME TO terms")
    for report_id, n, offsets, sentences, parts in conn.execute(
        "SELECT report_id, n, offsets, sentences, parts FROM tokens"
    ).fetchall():
        plain_arrays = (
            blobs.from_steps(offsets, n).astype("<i4").tobytes(),
            blobs.from_steps(sentences, n).astype("<i4").tobytes(),
            blobs.from_runs(parts).astype("<u2").tobytes(),
        )
        conn.execute(
            "UPDATE tokens SET offsets = ?, sentences = ?, parts = ? WHERE report_id = ?", (*plain_arrays, report_id)
        )
    for report_id, term_ids, counts in conn.execute("SELECT report_id, term_ids, counts FROM term_counts").fetchall():
        wide = blobs.widen(counts, len(term_ids) // 4).astype("<i4").tobytes()
        conn.execute("UPDATE term_counts SET counts = ? WHERE report_id = ?", (wide, report_id))
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("COMMIT")
    conn.close()


def test_a_schema_1_library_is_upgraded_in_place_and_keeps_everything(
    tmp_path, seeds: Corpus, segmenter
) -> None:
    path = tmp_path / "old.sqlite3"
    with Library(path) as library:
        fill(library, seeds, segmenter)
        edited = library.update_metadata(seeds.reports[2].id, title="用户改过的标题", year=2019, unit="某局")
        library.save_settings(themes="队伍建设：人才,干部\n")
        before = library_tables(library)
        nested_before = library.items(nested=True)
        revision = library.revision
    as_schema_1(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'terms' AND type = 'index'").fetchone()[0] == 1
    old_bytes = conn.execute("SELECT sum(length(offsets)) + sum(length(sentences)) FROM tokens").fetchone()[0]
    conn.execute("INSERT INTO items SELECT report_id, 99, role, '1/99', 99, '自拟', '不在正文里的文字', 0, 1, 0 FROM items LIMIT 1")
    conn.commit()
    conn.close()

    with Library(path) as library:
        assert library.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert library.check() == [] and library.stale_ids() == library.ids()  # 2 → 3 marks outlines stale
        assert library.report(edited.id) == edited and library.settings.themes == "队伍建设：人才,干部\n"
        assert library.revision == revision
        nested = library.items(nested=True)
        pd.testing.assert_frame_equal(nested[nested["title"] != "自拟"].reset_index(drop=True), nested_before)
        assert nested.loc[nested["title"] == "自拟", "text"].tolist() == ["不在正文里的文字"]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'terms' AND type = 'index'").fetchone()[0] == 0
    new_bytes = conn.execute("SELECT sum(length(offsets)) + sum(length(sentences)) FROM tokens").fetchone()[0]
    kept = conn.execute("SELECT count(*) FROM items WHERE text_start IS NULL").fetchone()[0]
    conn.close()
    assert new_bytes < old_bytes / 2.5 and kept == 1
    with Library(path) as library:  # redone, the outlines are what a new library holds
        refresh_derived(library, segmenter)
        after = library_tables(library)
        for name in ("reports", "sections", "parts"):
            pd.testing.assert_frame_equal(getattr(after, name), getattr(before, name), obj=name)
        pd.testing.assert_frame_equal(plain(after.tokens), plain(before.tokens))
        assert (after.dtm.matrix != before.dtm.matrix).nnz == 0 and after.dtm.terms == before.dtm.terms
        pd.testing.assert_frame_equal(after.items, before.items)


def test_a_schema_2_library_gains_confidence_and_corrections(tmp_path, seeds: Corpus, segmenter) -> None:
    path = tmp_path / "two.sqlite3"
    with Library(path) as library:
        fill(library, seeds, segmenter)
        before = library_tables(library)
    as_schema_2(path)
    with Library(path) as library:
        assert library.get_meta("schema_version") == str(SCHEMA_VERSION) and library.stale_ids() == library.ids()
        assert refresh_derived(library, segmenter) == len(seeds)
        after = library_tables(library)
        assert (after.reports["confidence"] > 0).all()
        pd.testing.assert_frame_equal(after.sections, before.sections)
        assert library.corrections(seeds.reports[0].id) == []


# ------------------------------------------------------------------------------------------------ contents


def test_reports_round_trip_with_metadata_in_order_added(seeded: Library, seeds: Corpus) -> None:
    assert len(seeded) == len(seeds) and seeded.ids() == [r.id for r in seeds]
    assert seeded.corpus() == seeds
    assert seeded.report(seeds.reports[2].id) == seeds.reports[2]
    frame = seeded.reports()
    expected = seeds.frame()
    pd.testing.assert_frame_equal(frame[expected.columns], expected)
    outlines = [parse_outline(r.text) for r in seeds]
    assert frame["problems"].tolist() == [len(o.problems) for o in outlines]
    assert frame["measures"].tolist() == [len(o.measures) for o in outlines]
    assert frame["sections"].tolist() == [sum(1 for _ in o.walk()) for o in outlines]
    assert frame["added_at"].str.match(r"^\d{4}-\d\d-\d\dT").all()
    assert seeds.reports[0].id in seeded and "0000000000000000" not in seeded


def test_adding_the_same_text_again_is_a_no_op(seeded: Library, seeds: Corpus, segmenter) -> None:
    report = seeds.reports[0]
    renamed = report.with_metadata(title="另一个标题", file="copy.txt")
    assert not seeded.add(renamed, derive(renamed, segmenter))
    assert len(seeded) == len(seeds) and seeded.report(report.id).title == report.title


def test_outline_is_reparsed_and_its_rows_match(seeded: Library, seeds: Corpus) -> None:
    items = seeded.items(nested=True)
    for report in seeds:
        outline = parse_outline(report.text)
        assert report_outline(seeded, report.id) == outline
        stored = items[items["report_id"] == report.id]
        for role in ("achievements", "problems", "measures"):
            flat: list = []
            stack = list(reversed(outline.items(role)))
            while stack:  # depth first, sub-items after their parent, as the rows are kept
                item = stack.pop()
                flat.append(item)
                stack.extend(reversed(item.children))
            rows = stored[stored["role"] == role]
            assert rows["title"].tolist() == [i.title for i in flat]
            assert rows["text"].tolist() == [i.text for i in flat]
            assert rows["start"].tolist() == [i.start for i in flat]
        spans = seeded.parts([report.id])[["section_path", "role", "start", "end"]]
        assert list(spans.itertuples(index=False, name=None)) == outline.parts()


def test_token_table_is_what_text_token_table_gives(seeded: Library, seeds: Corpus, segmenter) -> None:
    expected = expected_tokens(seeds, segmenter.tokenizer)
    got = seeded.token_table()
    assert list(got.columns) == list(expected.columns)
    assert got["sentence"].dtype == np.int32 and got["offset"].dtype == np.int32
    assert isinstance(got["token"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(plain(got), plain(expected))
    # a subset, asked for out of order, comes back in the order added
    subset = [seeds.reports[3].id, seeds.reports[1].id]
    part = seeded.token_table(subset)
    assert part["report_id"].astype(str).unique().tolist() == [seeds.reports[1].id, seeds.reports[3].id]
    pd.testing.assert_frame_equal(
        plain(part), plain(expected[expected["report_id"].isin(subset)]).reset_index(drop=True)
    )


def test_tokens_are_stored_as_compact_little_endian_arrays(seeded: Library, seeds: Corpus) -> None:
    report = seeds.reports[0]
    conn = sqlite3.connect(seeded.path)
    n, term_ids, offsets, sentences, parts = conn.execute(
        "SELECT n, term_ids, offsets, sentences, parts FROM tokens WHERE report_id = ?", (report.id,)
    ).fetchone()
    part_count = conn.execute("SELECT count(*) FROM parts WHERE report_id = ?", (report.id,)).fetchone()[0]
    terms = dict(conn.execute("SELECT id, term FROM terms").fetchall())
    conn.close()
    assert not term_ids.startswith(b"\x80")  # not a pickle
    ids = np.frombuffer(term_ids, dtype="<i4")
    # offsets and sentence numbers: the steps between them, in one or two bytes each (whichever holds all)
    widths = {1: "u1", 2: "<u2", 4: "<i4"}
    assert n > 100 and len(offsets) in (n, 2 * n) and len(sentences) == n
    starts = np.cumsum(np.frombuffer(offsets, dtype=widths[len(offsets) // n]))
    sentence_numbers = np.cumsum(np.frombuffer(sentences, dtype="u1"))
    assert len(ids) == n and sentence_numbers[0] == 0 and sentence_numbers[-1] > 10
    for term_id, start in zip(ids.tolist(), starts.tolist(), strict=True):
        assert report.text[start : start + len(terms[term_id])] == terms[term_id]
    # part numbers: one run per part that holds tokens, each a uint16 value and an int32 length
    runs = len(parts) // 6
    assert 1 < runs <= part_count
    assert np.frombuffer(parts, dtype="<i4", offset=2 * runs).sum() == n


def test_term_counts_and_matrices_match_the_token_table(seeded: Library) -> None:
    tokens = seeded.token_table()
    counts = term_counts(seeded)
    assert list(counts.columns) == ["report_id", "role", "term", "count"]
    expected = tokens.groupby(
        [tokens["report_id"].astype(str), tokens["role"].astype(str), tokens["token"].astype(str).rename("term")]
    ).size()
    got = counts.set_index(["report_id", "role", "term"])["count"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)

    for role in (None, *ROLES):
        scope = tokens if role is None else tokens[tokens["role"] == role]
        matrix, ids, terms = role_matrix(seeded, role)
        want, want_ids, want_terms = document_term_matrix(scope)
        assert ids == want_ids and terms == want_terms
        assert (matrix != want).nnz == 0 and matrix.dtype == np.int64

    both = seeded.doc_term_matrix()
    reference = doc_term_matrix(tokens)
    assert both.terms == reference.terms
    assert both.report_ids.tolist() == reference.report_ids.tolist()
    assert both.roles.tolist() == reference.roles.tolist()
    assert (both.matrix != reference.matrix).nnz == 0


def test_tables_are_what_the_dashboard_assembles_from_the_corpus(seeded: Library, seeds: Corpus, segmenter) -> None:
    outlines = {r.id: parse_outline(r.text) for r in seeds}
    tokens = {r.id: token_table(r.id, r.text, outlines[r.id].parts(), segmenter.tokenizer) for r in seeds}
    want = assemble(seeds, outlines, tokens)
    got = library_tables(seeded)
    for name in ("reports", "sections", "parts", "items"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), obj=name)
    pd.testing.assert_frame_equal(plain(got.tokens), plain(want.tokens))
    assert dict(got.texts) == dict(want.texts)
    assert got.dtm.terms == want.dtm.terms and (got.dtm.matrix != want.dtm.matrix).nnz == 0


def test_sections_and_items_are_read_on_first_use_of_the_reports_read_at_open(
    library: Library, seeds: Corpus, segmenter
) -> None:
    """The dashboard opens without the sections and items (the first page does not show them); read later,
    they hold the reports the tables were opened with, not one added meanwhile."""
    fill(library, Corpus(seeds.reports[:3]), segmenter)
    tables = library_tables(library)
    assert [isinstance(tables._rows[name], pd.DataFrame) for name in ("sections", "parts", "items")] == [False, True, False]
    assert library.add(seeds.reports[3], derive(seeds.reports[3], segmenter))  # another session imports
    opened = [r.id for r in seeds.reports[:3]]
    assert tables.items["report_id"].unique().tolist() == opened
    assert tables.sections["report_id"].unique().tolist() == opened
    pd.testing.assert_frame_equal(tables.items, library.items(opened))
    starts, ends = tables.index.items
    assert (ends - starts).tolist() == tables.reports[[*ITEM_ROLES]].sum(axis=1).tolist()


def test_a_table_read_ahead_is_read_once_whoever_asks_first() -> None:
    """The app's read-ahead thread and a page may ask at the same moment: one reads, the other waits for it."""
    calls: list[int] = []
    gate = threading.Event()

    def slow_items() -> pd.DataFrame:
        calls.append(1)
        gate.wait(5)
        return pd.DataFrame({"report_id": ["a"], "title": ["x"]})

    tables = CorpusTables(pd.DataFrame({"report_id": ["a"]}), pd.DataFrame(), pd.DataFrame(), slow_items, None, None)  # type: ignore[arg-type]
    ahead = threading.Thread(target=tables.read_all)
    ahead.start()
    seen: list[pd.DataFrame] = []
    page = threading.Thread(target=lambda: seen.append(tables.items))
    page.start()
    gate.set()
    ahead.join(10)
    page.join(10)
    assert calls == [1] and seen[0] is tables.items


def test_a_table_that_cannot_be_read_ahead_is_left_for_the_view(library: Library, seeds: Corpus, segmenter) -> None:
    fill(library, Corpus(seeds.reports[:2]), segmenter)
    tables = library_tables(library)
    failing = [True]

    def items() -> pd.DataFrame:
        if failing[0]:
            raise ReportError("资料库暂时无法读取")
        return library.items()

    tables._rows["items"] = items
    tables.read_all()  # logged, not raised: the read-ahead runs in a thread nobody waits for
    assert isinstance(tables._rows["sections"], pd.DataFrame)
    failing[0] = False
    assert len(tables.items) == int(tables.reports[[*ITEM_ROLES]].to_numpy().sum())


def test_items_can_include_sub_items_and_filter_by_role(seeded: Library, seeds: Corpus) -> None:
    report = seeds.reports[3]
    outline = parse_outline(report.text)
    problems = seeded.items([report.id], role="problems")
    assert problems["title"].tolist() == [i.title for i in outline.problems]
    nested = seeded.items([report.id], role="problems", nested=True)
    assert len(nested) == len(outline.problems) + sum(len(i.children) for i in outline.problems)
    first = outline.problems[0]
    assert first.children, "seed 003's first problem has sub-items"
    child = nested[nested["item_id"] == f"{report.id}/problems/1/1"]
    assert child["title"].tolist() == [first.children[0].title]


# ------------------------------------------------------------------------------------------------ writing


def test_delete_removes_the_report_and_everything_derived(library: Library, seeds: Corpus, segmenter) -> None:
    fill(library, seeds, segmenter)
    gone = seeds.reports[1].id
    assert all(rows(library, t, gone) > 0 for t in DERIVED)
    assert library.delete(gone) and not library.delete(gone)
    assert gone not in library and len(library) == len(seeds) - 1
    assert all(rows(library, t, gone) == 0 for t in DERIVED)
    assert library.check() == []
    assert gone not in library.token_table()["report_id"].astype(str).unique()


def test_a_failed_write_leaves_nothing_behind(library: Library, seeds: Corpus, segmenter, monkeypatch) -> None:
    report = seeds.reports[0]
    derived = derive(report, segmenter)
    original = Library._insert_derived

    def half_then_fail(self, conn, report_id, derived, **options):
        original(self, conn, report_id, derived, **options)  # every row written …
        raise sqlite3.OperationalError("database or disk is full")  # … then the disk fills up

    monkeypatch.setattr(Library, "_insert_derived", half_then_fail)
    with pytest.raises(ReportError, match="磁盘空间已满"):
        library.add(report, derived)
    monkeypatch.undo()
    assert len(library) == 0 and all(rows(library, t, report.id) == 0 for t in DERIVED)
    assert library.add(report, derived) and library.check() == []
    pd.testing.assert_frame_equal(
        plain(library.token_table()), plain(expected_tokens(Corpus((report,)), segmenter.tokenizer))
    )


def test_check_finds_a_term_stored_twice(seeded: Library, tmp_path) -> None:
    copy = tmp_path / "copy.sqlite3"
    source = sqlite3.connect(seeded.path)
    target = sqlite3.connect(copy)
    source.backup(target)
    target.execute("INSERT INTO terms(term) SELECT term FROM terms WHERE id = 1")
    target.commit()
    source.close()
    target.close()
    with Library(copy) as library:
        problems = library.check()
    assert len(problems) == 1 and "有不止一个编号" in problems[0]
    assert seeded.check() == []


def test_a_batch_commits_its_reports_together_and_a_failed_one_alone_is_undone(
    library: Library, seeds: Corpus, segmenter, monkeypatch
) -> None:
    first, bad, third = seeds.reports[:3]
    original = Library._insert_derived

    def fail_for_bad(self, conn, report_id, derived, **options):
        new_terms = original(self, conn, report_id, derived, **options)
        if report_id == bad.id:
            raise sqlite3.OperationalError("database or disk is full")
        return new_terms

    monkeypatch.setattr(Library, "_insert_derived", fail_for_bad)
    revision = library.revision
    with library.batch():
        assert library.add(first, derive(first, segmenter))
        with pytest.raises(ReportError, match="磁盘空间已满"):
            library.add(bad, derive(bad, segmenter))
        assert library.add(third, derive(third, segmenter))
        assert not library.add(first, derive(first, segmenter))  # a duplicate within the batch
        outside = sqlite3.connect(library.path)
        assert outside.execute("SELECT count(*) FROM reports").fetchone()[0] == 0  # nothing committed yet
        outside.close()
    monkeypatch.undo()
    assert library.ids() == [first.id, third.id] and library.check() == []
    assert library.revision == revision + 1  # one change, committed once
    assert all(rows(library, t, bad.id) == 0 for t in DERIVED)
    assert library.add(bad, derive(bad, segmenter))
    expected = expected_tokens(Corpus((first, third, bad)), segmenter.tokenizer)
    pd.testing.assert_frame_equal(plain(library.token_table()), plain(expected))


def test_a_batch_that_cannot_commit_leaves_nothing_and_forgets_its_terms(
    library: Library, seeds: Corpus, segmenter
) -> None:
    first, second = seeds.reports[:2]
    with pytest.raises(KeyboardInterrupt), library.batch():
        library.add(first, derive(first, segmenter))
        raise KeyboardInterrupt  # stopped before the commit
    assert len(library) == 0 and all(rows(library, t, first.id) == 0 for t in DERIVED)
    # the terms the batch numbered are not taken for stored ones: the ids given next are right
    assert library.add(second, derive(second, segmenter)) and library.add(first, derive(first, segmenter))
    expected = expected_tokens(Corpus((second, first)), segmenter.tokenizer)
    pd.testing.assert_frame_equal(plain(library.token_table()), plain(expected))
    assert library.check() == []


@pytest.mark.parametrize(
    ("given", "stored"),
    [(2024, 2024), ("2019", 2019), (" 1990 ", 1990), (np.int64(2001), 2001), (2020.0, 2020), (None, None), ("", None),
     (1900, 1900), (2100, 2100)],
)
def test_check_year_accepts(given: object, stored: int | None) -> None:
    assert check_year(given) == stored


@pytest.mark.parametrize(
    "given",
    [1899, 2101, -5, "二〇二三", "2023年", 2020.5, True, "abc", [2020], float("inf"), float("nan"), "20233"],
)
def test_check_year_refuses_in_chinese(given: object) -> None:
    with pytest.raises(ReportError, match=r"年份.*无效.*1900–2100"):
        check_year(given)


@pytest.mark.parametrize(
    "given",
    [
        "①",  # circled digit one: str.isdigit() is True, int() fails
        "²⁰²³",  # superscript digits: the same
        "２⁰２³",
        "①②③④",
        "9" * 5000,  # more digits than int() converts
    ],
)
def test_a_year_of_digit_like_characters_is_refused_in_chinese(given: str) -> None:
    assert given.isdigit()  # what the old check asked
    with pytest.raises(ReportError, match=r"年份「.{1,13}」无效.*1900–2100"):
        check_year(given)


def test_full_width_digits_are_a_year() -> None:
    assert check_year("２０２３") == 2023


def test_update_metadata(library: Library, seeds: Corpus, segmenter) -> None:
    fill(library, seeds, segmenter)
    report = seeds.reports[0]
    updated = library.update_metadata(report.id, year=2021, title=" 新标题 ", unit="某局")
    assert (updated.year, updated.year_source, updated.title, updated.unit) == (2021, "metadata", "新标题", "某局")
    assert updated.text == report.text and library.report(report.id) == updated
    assert library.reports().set_index("report_id").loc[report.id, "year"] == 2021
    cleared = library.update_metadata(report.id, year=None)
    assert cleared.year is None and cleared.year_source == "unknown"
    with pytest.raises(ReportError, match="年份"):
        library.update_metadata(report.id, year=1850)
    with pytest.raises(ReportError, match="标题不能为空"):
        library.update_metadata(report.id, title="  ")
    with pytest.raises(ReportError, match="没有编号"):
        library.update_metadata("ffffffffffffffff", year=2020)
    with pytest.raises(TypeError):
        library.update_metadata(report.id, text="改正文")
    assert library.report(report.id).year is None  # refused edits changed nothing
    with pytest.raises(sqlite3.IntegrityError):  # the schema itself refuses an impossible year
        library._connection().execute("UPDATE reports SET year = 3000 WHERE id = ?", (report.id,))


# ------------------------------------------------------------------------------------------------ versions


def test_settings_default_to_the_bundled_files_and_persist(library: Library) -> None:
    assert library.settings == Settings.defaults()
    assert "文旅融合" in library.settings.userdict or library.settings.userdict.strip()
    assert library.dictionary_version == build_segmenter(TokenizerSpec()).version
    library.save_settings(themes="学习: 学习 理论")
    reopened = Library(library.path)
    assert reopened.settings.themes == "学习: 学习 理论"
    assert reopened.settings.userdict == Settings.defaults().userdict
    reopened.save_settings(themes=None)
    assert reopened.settings == Settings.defaults()
    reopened.close()
    with pytest.raises(ReportError, match="用户词典有误"):
        library.save_settings(userdict="正常词\n双随机、一公开\n")
    with pytest.raises(TypeError):
        library.save_settings(colour="red")


def test_a_dictionary_change_refreshes_only_stale_reports(
    library: Library, seeds: Corpus, segmenter, monkeypatch
) -> None:
    monkeypatch.setattr(maintenance, "REFRESH_BATCH", 2)  # the five seeds are redone in three batches
    fill(library, seeds, segmenter)
    assert library.stale_ids() == []
    assert refresh_derived(library) == 0
    # 「理论学习」 is cut in two (理论 学习) by the bundled dictionary; a user adds it as one word
    assert "理论学习" not in set(library.token_table()["token"].astype(str))
    holder = next(r for r in seeds if "理论学习" in r.text)
    settings = library.save_settings(userdict=library.settings.userdict + "\n理论学习 5000\n")
    new_version = library.dictionary_version
    assert new_version != segmenter.version
    assert library.stale_ids() == [r.id for r in seeds]
    calls: list[tuple[int, int]] = []
    assert refresh_derived(library, progress=lambda done, total: calls.append((done, total))) == len(seeds)
    assert calls == [(i, len(seeds)) for i in range(1, len(seeds) + 1)]
    assert library.stale_ids() == [] and library.check() == []
    tokens = library.token_table()
    assert "理论学习" in set(tokens.loc[tokens["report_id"] == holder.id, "token"].astype(str))
    expected = expected_tokens(seeds, settings.tokenizer_spec.build())
    pd.testing.assert_frame_equal(plain(tokens), plain(expected))
    # one report made stale by hand: only it is redone
    library._connection().execute("UPDATE tokens SET dictionary_version = 'old' WHERE report_id = ?", (holder.id,))
    assert library.stale_ids() == [holder.id]
    assert refresh_derived(library) == 1 and library.stale_ids() == []


# ------------------------------------------------------------------------------------------------ threads


def test_ten_readers_and_one_writer_at_once(tmp_path, seeds: Corpus, segmenter) -> None:
    texts = [normalize_text(p.read_text(encoding="utf-8")) for p in corpus_files("provinces-2026/*.txt")[:12]]
    extra = [make_report(t, file=f"p{i}.txt") for i, t in enumerate(texts)]
    prepared = [(r, derive(r, segmenter)) for r in extra]
    library = Library(tmp_path / "shared.sqlite3")
    fill(library, seeds, segmenter)
    errors: list[BaseException] = []
    seen: list[int] = []
    connections: set[int] = set()
    start = threading.Barrier(11)

    def write() -> None:
        try:
            start.wait()
            for report, derived in prepared:
                library.add(report, derived)
        except BaseException as err:
            errors.append(err)

    def read() -> None:
        try:
            start.wait()
            connections.add(id(library._connection()))
            for _ in range(6):
                tables = library_tables(library)
                # one snapshot per call: every report listed has its tokens and its matrix rows
                ids = set(tables.reports["report_id"])
                assert ids == set(tables.tokens["report_id"].astype(str)) == set(tables.dtm.report_ids)
                seen.append(len(ids))
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(connections) == 10 and len(seen) == 60
    assert min(seen) >= len(seeds) and max(seen) <= len(seeds) + len(extra)
    assert len(library) == len(seeds) + len(extra) and library.check() == []
    library.close()


def test_the_boilerplate_list_is_a_setting_of_its_own(library: Library) -> None:
    settings = library.settings
    assert "存在" in settings.boilerplate.splitlines() and "存在" not in settings.stopwords.splitlines()
    version = library.dictionary_version
    kept = "\n".join(line for line in settings.boilerplate.splitlines() if line.strip() != "存在")
    library.save_settings(boilerplate=kept)
    assert library.settings.boilerplate == kept and library.dictionary_version != version
    assert library.tokenizer().is_content("存在")  # taken off the list: counted again
    library.save_settings(boilerplate=None)  # back to the bundled list
    assert library.dictionary_version == version and not library.tokenizer().is_content("存在")


LOADED_AFTER = """
import json, sys
import {module}
print(json.dumps(sorted(m for m in sys.modules if m.startswith("reportlens."))))
"""


def reportlens_modules_after_importing(module: str) -> set[str]:
    """The reportlens modules a fresh interpreter holds after importing ``module`` (from ``sys.modules``)."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER.format(module=module)], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("module", "must_not_load"),
    [
        # storage points down: the library loads no view, analysis or UI code, and does not parse
        ("reportlens.store.library", ("reportlens.tables", "reportlens.selection", "reportlens.analysis",
                                      "reportlens.ui", "reportlens.insights", "reportlens.charts",
                                      "reportlens.maintenance")),
        ("reportlens.schema", ("reportlens.derived", "reportlens.tables", "reportlens.analysis")),
    ],
)
def test_storage_imports_nothing_above_it(module: str, must_not_load: tuple[str, ...]) -> None:
    loaded = reportlens_modules_after_importing(module)
    assert module in loaded
    assert not [m for m in loaded if m.startswith(must_not_load)]
