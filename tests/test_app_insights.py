"""The insight pages under Streamlit's AppTest: 反复出现的问题, 承诺与落实, 套话与重复 and the reworked parts of 问题与
措施 run on the seeds, their widgets change what they show, and the export buttons are there. Expected values come
from the package (``reportlens.insights``), not copied from the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reportlens.paths import LIBRARY_ENV
from reportlens.ui.strings import NOTHING_SELECTED

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGES = ["pages/recurring.py", "pages/promises.py", "pages/reuse.py"]
LEVER = "把推动问题及时解决作为强化宗旨意识和推动文旅工作发展的重要抓手"


@pytest.fixture(scope="module", autouse=True)
def library_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("insight-app") / "library.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LIBRARY_ENV, str(path))
        yield path


def at_page(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def table_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("page", PAGES)
def test_each_insight_page_charts_captions_and_exports(page):
    at = at_page(page)
    assert figures(at)
    # every chart says inside itself which reports and years it shows (views.describe), so does each table
    assert all("2022" in f["layout"]["title"]["subtitle"]["text"] or "2023" in f["layout"]["title"]["subtitle"]["text"] for f in figures(at))
    assert any("年" in c.value and "｜" in c.value for c in at.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载数据" in labels and labels.count("导出 PPT") == 2  # the sidebar's pack and this page's
    assert all(f["layout"]["font"]["family"].startswith("Noto Sans CJK SC") for f in figures(at))


def test_recurring_page_groups_move_with_the_threshold():
    at = at_page("pages/recurring.py")
    groups = table_with(at, "共同的词")
    assert any("文旅为民" in label for label in groups["组名（最有代表性的一条）"])
    heat = figures(at)[0]["data"][0]
    assert heat["type"] == "heatmap" and heat["x"] == ["2022", "2023"]
    at.slider(key="rec_threshold").set_value(0.3).run()
    assert not at.exception
    assert next(i.value for i in at.info).startswith("所选报告中没有在两篇以上报告里反复出现的问题")
    at.slider(key="rec_threshold").set_value(0.1).run()
    at.radio(key="rec_role").set_value("measures").run()
    measures = table_with(at, "共同的词")
    assert any("加强学习" in label for label in measures["组名（最有代表性的一条）"])
    at.selectbox(key="rec_group").select_index(1).run()
    assert not at.exception


def test_promises_page_offers_the_consecutive_pair_and_refuses_one_report_twice():
    at = at_page("pages/promises.py")
    said = [t.value for t in at.text if "项措施中" in t.value]
    assert said and "4 项措施中，3 项" in said[0]
    results = table_with(at, "有下文")
    assert results["后一篇中的对应内容"].tolist()[1] == "未见下文"
    at.radio(key="promise_mode").set_value("any").run()
    first = at.selectbox(key="promise_first").value
    at.selectbox(key="promise_second").set_value(first).run()
    assert not at.exception
    assert any("两篇不同的报告" in i.value for i in at.info)


def test_reuse_page_lists_the_lever_sentence_and_shares_by_year():
    at = at_page("pages/reuse.py")
    passages = table_with(at, "出现在")
    assert LEVER in passages["内容"].tolist()
    bars = figures(at)[0]["data"][0]
    assert len(bars["y"]) == 5 and max(bars["y"]) < 100
    assert bars["x"][0][0] == "2022"  # grouped by year, the earliest first


def test_problems_page_answers_problems_by_content():
    at = at_page("pages/problems.py")
    answers = table_with(at, "最接近的措施")
    assert {"已回应", "相似度", "共同的词", "措施中最相近的一句"} <= set(answers.columns)
    assert 0 < answers["已回应"].sum() < len(answers)  # neither nothing nor everything answered
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert "各报告有措施回应的问题数" in titles and "问题与措施逐一对照（相似度）" in titles
    similar = table_with(at, "相似度")
    assert similar["相似度"].min() >= 0.1


@pytest.mark.parametrize("page", PAGES)
def test_selecting_nothing_is_a_kind_message(page):
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    at.multiselect(key="reports").set_value([]).run()
    at.switch_page(page).run()
    assert not at.exception
    assert [i.value for i in at.info] == [NOTHING_SELECTED]
    assert "没有选中报告，无法导出。" in [c.value for c in at.sidebar.caption]


def test_promises_page_reads_a_follow_up_in_its_context():
    at = at_page("pages/promises.py")
    shown = [t.value for t in at.text]
    assert any("学习" in t and t.startswith("…") for t in shown)  # the first delivered promise, in its section
