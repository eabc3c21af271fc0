"""结构可信度 and 结构校对 on the 结构 page, under AppTest: the confidence shows with its evidence, a role change
is saved in the library and changes the items the page shows, an undo takes it back; and the library keeps
corrections through a re-derivation and reports one whose target is gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from library_helpers import report_outline
from streamlit.testing.v1 import AppTest

from reportlens.corpus import load_seeds
from reportlens.ingest import open_library
from reportlens.maintenance import add_correction, refresh_derived
from reportlens.paths import LIBRARY_ENV
from reportlens.structure.corrections import DROP, ROLE, Correction, item_key
from reportlens.tables import library_tables

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

APP = Path(__file__).resolve().parents[1] / "app.py"
TIMEOUT = 120
SEED = "004"  # 一、前期工作主要成绩 / 二、存在的问题与不足 / 三、下一步努力方向


@pytest.fixture
def library_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "library.sqlite3"
    monkeypatch.setenv(LIBRARY_ENV, str(path))
    return path


def seed_id() -> str:
    return next(r.id for r in load_seeds() if r.file.startswith(f"{SEED}_"))


def structure_page(report_id: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/structure.py").run()
    at.selectbox(key="structure_report").set_value(report_id).run()
    assert not at.exception, at.exception
    return at


def test_confidence_and_role_evidence_are_shown(library_file: Path) -> None:
    at = structure_page(seed_id())
    captions = " ".join(c.value for c in at.caption)
    assert "结构可信度：高" in captions and "存在问题：3 条" in captions
    table = next(d.value for d in at.dataframe if "判断依据" in d.value.columns)
    assert table["标题"].tolist()[:3] == ["一、前期工作主要成绩", "二、存在的问题与不足", "三、下一步努力方向"]
    assert table["判断依据"].str.contains("标题含").all()


def test_a_role_correction_is_saved_shown_and_undone(library_file: Path) -> None:
    report_id = seed_id()
    at = structure_page(report_id)
    at.selectbox(key="fix_part").set_value("二、存在的问题与不足").run()
    at.selectbox(key="fix_role").set_value("other").run()
    at.button(key="fix_role_save").click().run()
    assert not at.exception, at.exception
    assert any("已把「二、存在的问题与不足」改为「其他」" in s.value for s in at.success)
    library = open_library(library_file)
    made = library.corrections(report_id)
    assert [(c.kind, c.target, c.value, matched) for _, c, matched in made] == [
        (ROLE, "二、存在的问题与不足", "other", True)
    ]
    assert library_tables(library).reports.set_index("report_id").loc[report_id, "problems"] == 0
    texts = " ".join(t.value for t in at.text)
    assert "修改部分角色：二、存在的问题与不足 → 其他" in texts

    at.button(key=f"fix_undo_{made[0][0]}").click().run()
    assert not at.exception, at.exception
    assert library.corrections(report_id) == []
    assert library_tables(library).reports.set_index("report_id").loc[report_id, "problems"] == 3


def test_library_keeps_corrections_through_a_rederivation_and_flags_lost_ones(library_file: Path) -> None:
    library = open_library(library_file)
    report_id = seed_id()
    outline = report_outline(library, report_id)
    dropped = outline.measures[0]
    add_correction(library, report_id, Correction(DROP, item_key("measures", dropped.text)))
    add_correction(library, report_id, Correction(ROLE, "五、组织保障", "measures"))  # no such part
    assert [m for _, _, m in library.corrections(report_id)] == [True, False]
    with library._write() as conn:  # as after a parser upgrade: every outline is stale
        conn.execute("UPDATE outlines SET parser_version = ''")
    assert refresh_derived(library) == len(library)
    assert [m for _, _, m in library.corrections(report_id)] == [True, False]
    assert [i.title for i in report_outline(library, report_id).measures] == [i.title for i in outline.measures[1:]]
    assert [i.title for i in report_outline(library, report_id, raw=True).measures] == [i.title for i in outline.measures]
    assert library.items([report_id], role="measures")["title"].tolist() == [i.title for i in outline.measures[1:]]


def test_a_bad_correction_is_refused_in_chinese_and_nothing_is_kept(library_file: Path) -> None:
    from reportlens.errors import ReportError

    library = open_library(library_file)
    with pytest.raises(ReportError, match="角色应为"):
        add_correction(library, seed_id(), Correction(ROLE, "一、前期工作主要成绩", "preamble"))
    with pytest.raises(ReportError, match="没有编号为"):
        add_correction(library, "0000000000000000", Correction(ROLE, "一、前期工作主要成绩", "other"))
    assert library.corrections(seed_id()) == []
