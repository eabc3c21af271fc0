"""The meeting pack: what goes in (reportlens.export.pack), the PPTX as PowerPoint reads it (python-pptx) and the
XLSX as Excel reads it (openpyxl), the command ``reportlens export`` and its Chinese refusals."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest
from conftest import SEEDS
from insight_data import seed_tables
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from reportlens import selection
from reportlens.analysis.problems import load_themes
from reportlens.cli import main
from reportlens.corpus import Corpus, make_report
from reportlens.errors import ReportError
from reportlens.export import (
    PAGES,
    Scope,
    build_indexes,
    meeting_pack,
    pptx_bytes,
    scope_caption,
    slides,
    xlsx_bytes,
)
from reportlens.fonts import cjk_font_path
from reportlens.tables import build_tables
from reportlens.text import build_tokenizer
from reportlens.ui.strings import LABELS

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

TODAY = dt.date(2024, 3, 5)


def pack_of(tables, ids=None, **options):
    ids = tuple(tables.reports["report_id"] if ids is None else ids)
    scope = Scope(report_ids=ids, role="all", palette="calm", caption=scope_caption(tables, ids, "all", whole=True))
    themes = load_themes()
    return meeting_pack(tables, scope, build_indexes(tables, themes), themes, LABELS, today=TODAY, **options)


@pytest.fixture(scope="module")
def seed_pack():
    return pack_of(seed_tables(), font_path=str(cjk_font_path()))


@pytest.fixture(scope="module")
def deck(seed_pack):
    return Presentation(io.BytesIO(pptx_bytes(seed_pack)))


def test_the_pack_has_every_page_and_a_title_slide(seed_pack):
    assert seed_pack.title == "报告透视 · 会议材料"
    facts = dict(seed_pack.facts)
    assert facts["年份"] == "2022–2023" and facts["导出日期"] == "2024年03月05日"
    assert facts["报告"].count("《") == 5 and "全部报告" in facts["筛选"]
    assert [p for p in PAGES if any(s.page == p for s in seed_pack.sections)] == list(PAGES)
    assert all(s.caption.startswith("筛选 · 全部报告（共 5/5 篇）") for s in seed_pack.sections)


def test_slides_are_16_9_with_a_title_and_the_caption(deck, seed_pack):
    assert (deck.slide_width, deck.slide_height) == (slides.SLIDE_WIDTH, slides.SLIDE_HEIGHT)
    assert Emu(deck.slide_width) / Emu(deck.slide_height) == pytest.approx(16 / 9, abs=0.01)
    assert len(deck.slides) == len(seed_pack.sections) + 1
    for slide, section in zip(list(deck.slides)[1:], seed_pack.sections, strict=True):
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert section.title in texts and section.caption in texts


def test_bar_and_line_charts_are_native_with_the_data_of_the_dashboard(deck, seed_pack):
    tables = seed_tables()
    index = next(i for i, s in enumerate(seed_pack.sections) if s.title.startswith("高频词"))
    chart = next(shape.chart for shape in deck.slides[index + 1].shapes if shape.has_chart)
    terms = selection.top_terms(tables, tables.reports["report_id"].tolist(), top=15)
    assert list(chart.plots[0].categories)[::-1] == terms["term"].tolist()  # drawn bottom up
    assert list(chart.plots[0].series[0].values)[::-1] == terms["count"].astype(float).tolist()
    kinds = {s.title: type(s.visual).__name__ for s in seed_pack.sections}
    assert kinds["关键词年度趋势（每万字频次）"] == "Lines" and kinds["各部分篇幅占比"] == "Bars"
    charts = sum(1 for slide in deck.slides for shape in slide.shapes if shape.has_chart)
    assert charts == sum(1 for s in seed_pack.sections if type(s.visual).__name__ in ("Bars", "Lines"))


def test_heatmaps_are_coloured_tables_and_the_word_cloud_a_picture(deck, seed_pack):
    index = next(i for i, s in enumerate(seed_pack.sections) if s.title.startswith("反复出现的问题：各年"))
    table = next(shape.table for shape in deck.slides[index + 1].shapes if shape.has_table)
    assert [table.cell(0, j).text for j in range(1, len(table.columns))] == ["2022", "2023"]
    fills = {str(table.cell(i, j).fill.fore_color.rgb) for i in range(1, len(table.rows)) for j in range(1, len(table.columns))}
    assert len(fills) >= 2  # the cells are shaded by their count
    cloud = next(i for i, s in enumerate(seed_pack.sections) if s.title.startswith("词云"))
    assert any(shape.shape_type == 13 for shape in deck.slides[cloud + 1].shapes)  # MSO_SHAPE_TYPE.PICTURE


def test_every_run_names_an_east_asian_typeface(seed_pack):
    """微软雅黑 on every piece of text, slides and charts alike, so Chinese never falls back to a Latin font."""
    data = pptx_bytes(seed_pack)
    deck = Presentation(io.BytesIO(data))
    parts = [slide.part for slide in deck.slides]
    parts += [shape.chart.part for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    runs = 0
    for part in parts:
        root = part._element
        for tag in ("a:rPr", "a:defRPr"):
            for properties in root.iter(qn(tag)):
                if tag == "a:rPr" or properties.getparent().getparent().tag != qn("a:lvl1pPr"):
                    east = properties.find(qn("a:ea"))
                    if tag == "a:rPr":
                        runs += 1
                        assert east is not None and east.get("typeface") == slides.EAST_ASIAN_FONT
                        assert east.get("charset") == "-122"
    assert runs > 100


def test_the_workbook_has_a_sheet_per_chart_with_chinese_headers(seed_pack):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(seed_pack)))
    assert book.sheetnames[0] == "说明"
    shown = [s for s in seed_pack.sections if "（续" not in s.title]
    assert len(book.sheetnames) == len(shown) + 1
    sheet = book[book.sheetnames[1]]
    assert sheet["A1"].value == shown[0].title and sheet["A2"].value == shown[0].caption
    assert sheet.freeze_panes == "A4"
    assert [c.value for c in sheet[3]][:2] == ["年份", "年份推断"]
    assert sheet["B4"].value in ("是", "否")  # yes/no in words, not TRUE/FALSE
    for name in book.sheetnames[1:]:
        headers = [c.value for c in book[name][3] if c.value]
        assert headers and not any(h.isascii() and h.isidentifier() for h in headers), (name, headers)
        assert all((book[name].column_dimensions[c].width or 0) >= 6 for c in "AB")


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    hostile = "=HYPERLINK(\"http://x\",\"点击\")"
    text = (
        f"一、工作成绩\n1、{hostile}工作。全年完成档案整理。\n二、存在的问题\n1、+1档案管理不规范，归档不及时。\n"
        "2、@SUM(A1)食堂浪费现象突出。\n三、下一步打算\n1、-加强学习。"
    )
    reports = (
        make_report(text, file="a.txt", metadata={"title": "=1+1 工作总结", "year": "2022", "unit": "局"}),
        make_report(text.replace("全年", "本年"), file="b.txt", metadata={"title": "@坏 工作总结", "year": "2023", "unit": "局"}),
    )
    tables = build_tables(Corpus(reports), build_tokenizer())
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pack_of(tables))))
    risky = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    risky += 1
                    assert cell.data_type == "s" and cell.quotePrefix
    assert risky >= 2  # the titles =1+1 and @坏 at least


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(tmp_path, capsys):
    tables = seed_tables()
    with pytest.raises(ReportError, match="没有选中任何报告"):
        pack_of(tables, ids=())
    with pytest.raises(ReportError, match="不认识的页面"):
        pack_of(tables, pages=("nope",))
    with pytest.raises(ReportError, match="相似度门槛"):
        pack_of(tables, threshold=3)
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    out = tmp_path / "missing" / "pack.pptx"
    assert main(["export", *seeds, "--pptx", str(out)], out=io.StringIO()) == 2
    assert "无法写入" in capsys.readouterr().err and not out.exists()
    target = tmp_path / "pack.pptx"
    assert main(["export", *seeds, "--pptx", str(target), "--years", "1990-1991"], out=io.StringIO()) == 2
    assert "筛选后没有报告" in capsys.readouterr().err and not target.exists()
    assert main(["export", *seeds], out=io.StringIO()) == 2
    assert "--pptx" in capsys.readouterr().err


def test_the_command_exports_a_filtered_pack(tmp_path):
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    pptx, xlsx = tmp_path / "会议.pptx", tmp_path / "会议.xlsx"
    out = io.StringIO()
    code = main(["export", *seeds, "--pptx", str(pptx), "--xlsx", str(xlsx), "--years", "2023", "--page", "recurring",
                 "--page", "reuse", "--palette", "red"], out=out)
    assert code == 0 and "4 篇报告" in out.getvalue()
    deck = Presentation(str(pptx))
    titles = [shape.text_frame.text for slide in list(deck.slides)[1:2] for shape in slide.shapes if shape.has_text_frame]
    assert any("套话" in t or "反复出现" in t for t in titles)
    assert any("年份：2023" in t for t in titles)
    book = openpyxl.load_workbook(xlsx)
    assert all(("反复" in n or "套话" in n or "重复" in n) for n in book.sheetnames[1:])


def test_one_page_pack_holds_only_that_page():
    pack = pack_of(seed_tables(), pages=("promises",))
    assert {s.page for s in pack.sections} == {"promises"}
    frame = pack.sections[0].visual.frame
    assert isinstance(frame, pd.DataFrame) and "未见下文" in set(frame["有下文"])
    assert json.dumps(pack.facts, ensure_ascii=False)
