"""A damaged library file: a damaged page, or damaged token arrays in an otherwise valid file. It is found when
the library is opened (``integrity.quick_problems``), or when a read trips over it; then nothing more is
written into it, every interface says so in Chinese with the ways out (backup, rebuild from the stored texts,
a new library), and ``reportlens repair`` / the app's buttons take them. The damage is generated here.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from reportlens.blobs import I32
from reportlens.corpus import load_seeds
from reportlens.derived import TokenizerSpec, build_segmenter, derive
from reportlens.errors import LibraryDamaged
from reportlens.ingest import open_library
from reportlens.integrity import full_problems, quick_problems
from reportlens.maintenance import add_correction, refresh_derived
from reportlens.paths import LIBRARY_ENV
from reportlens.repair import rebuild, start_new
from reportlens.store import Library
from reportlens.tables import library_tables
from reportlens.ui.repair import KEY_NEW, KEY_NEW_CONFIRM, KEY_REBUILD

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

APP = Path(__file__).resolve().parents[1] / "app.py"
SEEDS = load_seeds()
TIMEOUT = 120


@pytest.fixture()
def sound(tmp_path: Path) -> Path:
    """A library holding the seeds and an edited word list, closed (everything in the main file)."""
    path = tmp_path / "library.sqlite3"
    with Library(path) as library:
        segmenter = build_segmenter(TokenizerSpec())
        for report in SEEDS:
            library.add(report, derive(report, segmenter))
        library.update_metadata(SEEDS.reports[0].id, title="改过的标题", year=2019, short_name="改过的简称")
        library.save_settings(themes="学习教育: 学习 理论\n")
        refresh_derived(library)
    return path


def sql(path: Path, statement: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(statement, params)
    conn.close()


def first_id(path: Path, table: str = "tokens") -> str:
    conn = sqlite3.connect(path)
    (report_id,) = conn.execute(f"SELECT report_id FROM {table} ORDER BY rowid LIMIT 1").fetchone()  # noqa: S608
    conn.close()
    return report_id


def blob(path: Path, column: str, report_id: str, table: str = "tokens") -> bytes:
    conn = sqlite3.connect(path)
    (value,) = conn.execute(f"SELECT {column} FROM {table} WHERE report_id = ?", (report_id,)).fetchone()  # noqa: S608
    conn.close()
    return value


def overwrite(path: Path, needle: bytes, replacement: bytes) -> None:
    """Overwrite the bytes of the file where ``needle`` is: what a failing disk or a bad copy does to a page."""
    data = bytearray(path.read_bytes())
    at = data.find(needle)
    assert at > 0, "the bytes to damage are not in the file"
    data[at : at + len(replacement)] = replacement
    path.write_bytes(bytes(data))


def damage_a_btree_page(path: Path) -> None:
    """Garbage over the header of the page holding the reports table (its root page)."""
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reports'").fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def damage_the_middle_of_a_token_blob(path: Path) -> None:
    """A page inside a report's term-id array overwritten with 0xFF (term id -1): SQLite's own checks cannot see
    it, the array's byte length is right — but every read of it indexed out of range."""
    report_id = first_id(path)
    value = blob(path, "term_ids", report_id)
    middle = len(value) // 2 - len(value) // 2 % I32.itemsize
    overwrite(path, value[middle : middle + 256], b"\xff" * 256)


def damage_a_stored_text(path: Path) -> None:
    """Bytes inside a stored text overwritten: no longer UTF-8."""
    text = SEEDS.reports[1].text.encode("utf-8")
    overwrite(path, text[len(text) // 2 : len(text) // 2 + 120], b"\xff" * 120)


ARRAY_DAMAGE: dict[str, Callable[[Path], None]] = {
    "term ids of the wrong length": lambda p: sql(
        p, "UPDATE tokens SET term_ids = term_ids || x'ff' WHERE report_id = ?", (first_id(p),)
    ),
    "term ids out of range": lambda p: sql(
        p, "UPDATE tokens SET term_ids = ? WHERE report_id = ?",
        (np.full(len(blob(p, "term_ids", first_id(p))) // 4, 10**8, dtype=I32).tobytes(), first_id(p)),
    ),
    "offsets of no narrow width": lambda p: sql(
        p, "UPDATE tokens SET offsets = offsets || x'000000' WHERE report_id = ?", (first_id(p),)
    ),
    "part runs not adding up": lambda p: sql(
        p, "UPDATE tokens SET n = n - 1, term_ids = substr(term_ids, 1, length(term_ids) - 4), "
           "offsets = x'', sentences = x'' WHERE report_id = ?", (first_id(p),),
    ),
    "a part number past the parts": lambda p: sql(p, "DELETE FROM parts WHERE report_id = ?", (first_id(p),)),
    "a role code past the roles": lambda p: sql(
        p, "UPDATE term_counts SET roles = x'09' || substr(roles, 2) WHERE report_id = ?", (first_id(p),)
    ),
    "counts of no narrow width": lambda p: sql(
        p, "UPDATE term_counts SET counts = counts || x'00' WHERE report_id = ?", (first_id(p),)
    ),
    "an array stored as text": lambda p: sql(
        p, "UPDATE tokens SET parts = 'runs' WHERE report_id = ?", (first_id(p),)
    ),
    "a tokens row missing": lambda p: sql(p, "DELETE FROM tokens WHERE report_id = ?", (first_id(p),)),
    "the revision garbled": lambda p: sql(p, "UPDATE meta SET value = 'x1' WHERE key = 'revision'"),
}
DAMAGE = {"a damaged b-tree page": damage_a_btree_page, "a damaged page inside a token array": damage_the_middle_of_a_token_blob,
          **ARRAY_DAMAGE}  # fmt: skip


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damage_is_found_when_the_library_is_opened(sound: Path, case: str) -> None:
    conn = sqlite3.connect(sound)
    assert quick_problems(conn) == [] and full_problems(conn) == []
    conn.close()
    DAMAGE[case](sound)
    with pytest.raises(LibraryDamaged) as caught:
        Library(sound)
    message = str(caught.value)
    assert message.startswith(f"资料库文件「{sound}」已损坏（") and "不再向它写入" in message
    assert all(any("\u4e00" <= c <= "\u9fff" for c in p) for p in caught.value.problems)
    conn = sqlite3.connect(sound)
    assert full_problems(conn)  # Library.check() says so too
    conn.close()


def test_damage_found_by_a_read_stops_every_write(sound: Path) -> None:
    with Library(sound) as library:
        library_tables(library)  # sound: reads fine
        ARRAY_DAMAGE["term ids out of range"](sound)  # meanwhile, another program damages the arrays
        with pytest.raises(LibraryDamaged):
            library.token_table()
        report = SEEDS.reports[0]
        with pytest.raises(LibraryDamaged):
            library.update_metadata(report.id, title="不应写入")
        with pytest.raises(LibraryDamaged):
            library.save_settings(themes=None)
        with pytest.raises(LibraryDamaged):
            library.delete(report.id)
    conn = sqlite3.connect(sound)
    assert conn.execute("SELECT title FROM reports WHERE id = ?", (report.id,)).fetchone()[0] == "改过的标题"
    conn.close()


def test_a_damaged_stored_text_is_found_when_it_is_read(sound: Path) -> None:
    damage_a_stored_text(sound)
    with Library(sound) as library:
        tables = library_tables(library)  # the first page needs no text
        tables.read_all()  # the app's read-ahead: what it cannot read is left for the view that asks
        with pytest.raises(LibraryDamaged, match="报告原文已损坏"):
            tables.items  # noqa: B018 — the items' texts are cut from the reports' texts


def test_the_app_offers_the_ways_out_when_a_page_finds_the_damage(app_on: Path) -> None:
    damage_a_stored_text(app_on)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception and not at.error  # 总览 reads no text
    at.switch_page(str(APP.parent / "pages" / "problems.py")).run()
    assert not at.exception
    assert at.error and "报告原文已损坏" in at.error[0].value
    assert [b for b in at.button if b.key == KEY_REBUILD]
    at.switch_page(str(APP.parent / "pages" / "overview.py")).run()  # found once: the ways out on every page
    assert not at.exception and at.error and "报告原文已损坏" in at.error[0].value
    assert not at.metric


def test_the_check_costs_little_on_a_sound_library(sound: Path) -> None:
    """No timing here (bench/ measures it on 1,000 reports): the sound library opens and stays writable."""
    with Library(sound) as library:
        assert library.check() == [] and library._damaged == []
        library.set_meta("checked", "yes")


# ------------------------------------------------------------------------------------------------ the ways out


@pytest.mark.parametrize("case", ["a damaged page inside a token array", "term ids out of range",
                                  "a tokens row missing", "a damaged b-tree page"])  # fmt: skip
def test_rebuild_from_the_stored_texts(sound: Path, case: str) -> None:
    with Library(sound) as library:
        before = library.reports().drop(columns=["added_at"])
        added = library.reports()["added_at"].tolist()
    DAMAGE[case](sound)
    damaged_bytes = sound.read_bytes()
    result = rebuild(sound)
    assert result.kept_as.read_bytes() == damaged_bytes  # the damaged file is kept, untouched, beside
    with Library(sound) as library:
        assert library.check() == []
        assert library.settings.themes == "学习教育: 学习 理论\n"  # the edited word list came along
        if case == "a damaged b-tree page":  # the reports table itself was lost: texts and inferred metadata
            assert result.recovered == len(SEEDS) and sorted(library.ids()) == sorted(r.id for r in SEEDS)
        else:
            assert result.recovered == len(SEEDS) and result.lost == ()
            after = library.reports()
            assert after["added_at"].tolist() == added
            assert after.drop(columns=["added_at"]).equals(before)
            assert library.report(SEEDS.reports[0].id).title == "改过的标题"
            assert library.report(SEEDS.reports[0].id).short_name == "改过的简称"
        library_tables(library)
        assert library.get_meta("seeded") == "rebuilt"
    # opened as the app opens it: no seeds added, nothing stale
    with open_library(sound) as reopened:
        assert len(reopened) == len(SEEDS) and reopened.stale_ids() == []


def test_rebuild_when_a_text_is_lost(sound: Path) -> None:
    damage_a_stored_text(sound)
    result = rebuild(sound)
    assert result.lost == (SEEDS.reports[1].id,) and result.recovered == len(SEEDS) - 1


def test_start_new_moves_the_damaged_file_aside(sound: Path) -> None:
    damage_a_btree_page(sound)
    kept = start_new(sound)
    assert kept.exists() and not sound.exists() and kept.name.startswith("library.sqlite3.damaged-")
    with open_library(sound) as fresh:
        assert len(fresh) == len(SEEDS)  # a new library, with the seeds


# ------------------------------------------------------------------------------------------------ CLI and app


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportlens.cli", *argv], capture_output=True, text=True, timeout=300, check=False
    )


def test_the_cli_refuses_a_damaged_library_and_repairs_it(sound: Path) -> None:
    damage_the_middle_of_a_token_blob(sound)
    for command in (["library"], ["ingest", str(next((APP.parent / "seeds").glob("*.txt")))]):
        done = cli(*command, "--library", str(sound))
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "已损坏" in done.stderr and "reportlens repair --library" in done.stderr and "备份" in done.stderr
    done = cli("repair", "--library", str(sound))
    assert done.returncode == 0, done.stderr
    assert f"恢复报告 {len(SEEDS)} 篇" in done.stdout and "改名保留为" in done.stdout
    listed = cli("library", "--library", str(sound), "--json")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == len(SEEDS)
    again = cli("repair", "--library", str(sound))
    assert again.returncode == 0 and "完好，无需修复" in again.stdout


def test_the_cli_starts_a_new_library(sound: Path) -> None:
    damage_a_btree_page(sound)
    done = cli("repair", "--new", "--library", str(sound))
    assert done.returncode == 0 and "改名保留为" in done.stdout
    assert not sound.exists() and list(sound.parent.glob("library.sqlite3.damaged-*"))


@pytest.fixture()
def app_on(sound: Path, monkeypatch) -> Path:
    monkeypatch.setenv(LIBRARY_ENV, str(sound))
    from reportlens.ui import cache

    cache.forget_library()
    yield sound
    cache.forget_library()


def test_the_app_offers_the_ways_out_and_rebuilds(app_on: Path) -> None:
    damage_the_middle_of_a_token_blob(app_on)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert at.error and "已损坏" in at.error[0].value
    assert "从备份恢复" in at.text[0].value and "重建" in at.text[0].value
    at.button(key=KEY_REBUILD).click().run()
    assert not at.exception and at.success and f"恢复报告 {len(SEEDS)} 篇" in at.success[0].value
    at.button(key=f"{KEY_REBUILD}_open").click().run()
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["报告数"] == f"{len(SEEDS)} 篇"


def test_the_app_starts_a_new_library(app_on: Path) -> None:
    damage_a_btree_page(app_on)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert at.button(key=KEY_NEW).disabled
    at.checkbox(key=KEY_NEW_CONFIRM).check().run()
    at.button(key=KEY_NEW).click().run()
    assert not at.exception and at.success
    at.button(key=f"{KEY_NEW}_open").click().run()
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["报告数"] == f"{len(SEEDS)} 篇"  # the seeds, in a new library
    assert list(app_on.parent.glob("library.sqlite3.damaged-*"))


def test_os_level_details_stay_out_of_the_message(sound: Path) -> None:
    damage_a_btree_page(sound)
    with pytest.raises(LibraryDamaged) as caught:
        Library(sound)
    assert "btree" not in str(caught.value).lower() and "sqlite_" not in str(caught.value).lower()
    assert os.path.basename(sound) in str(caught.value)


def test_a_viewer_is_told_it_is_damaged_but_not_where_it_lies(app_on: Path) -> None:
    from streamlit import config

    damage_a_btree_page(app_on)
    config.set_option("server.address", "0.0.0.0")  # a shared server without an editor password: viewers only
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.run()
    finally:
        config.set_option("server.address", "127.0.0.1")
    assert not at.exception
    assert [e.value for e in at.error] == ["资料库文件已损坏，暂时无法查看报告。请告诉管理员。"]
    shown = "\n".join(e.value for e in (*at.error, *at.info, *at.text, *at.markdown))
    assert str(app_on.parent) not in shown and not [b for b in at.button if b.key in (KEY_REBUILD, KEY_NEW)]


def _first_heading(library: Library, report_id: str) -> str:
    sections = library.sections([report_id])
    top = sections[(sections["level"] == 1) & (sections["heading"] != "")]
    return str(top["key"].iloc[0])


def test_rebuild_keeps_the_structure_corrections(sound: Path) -> None:
    from reportlens.structure.corrections import ROLE, Correction

    report_id = SEEDS.reports[3].id
    with Library(sound) as library:
        heading = _first_heading(library, report_id)
        add_correction(library, report_id, Correction(ROLE, heading, "other"))
        before = [(c, matched) for _, c, matched in library.corrections(report_id)]
        roles_before = library.sections([report_id])[["key", "role"]]
    damage_the_middle_of_a_token_blob(sound)
    result = rebuild(sound)
    assert (result.corrections, result.corrections_lost) == (1, 0)
    with Library(sound) as library:
        assert [(c, matched) for _, c, matched in library.corrections(report_id)] == before
        assert library.sections([report_id])[["key", "role"]].equals(roles_before)  # the correction still applies


def test_a_correction_that_does_not_read_back_is_damage(sound: Path) -> None:
    from reportlens.structure.corrections import ROLE, Correction

    report_id = SEEDS.reports[3].id
    with Library(sound) as library:
        add_correction(library, report_id, Correction(ROLE, _first_heading(library, report_id), "other"))
    sql(sound, "UPDATE corrections SET correction = '{\"kind\": \"role\"' WHERE report_id = ?", (report_id,))
    with pytest.raises(LibraryDamaged, match="结构校对记录已损坏"):
        Library(sound)
    result = rebuild(sound)
    assert result.recovered == len(SEEDS) and (result.corrections, result.corrections_lost) == (0, 1)
