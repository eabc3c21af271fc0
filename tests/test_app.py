"""The dashboard under Streamlit's AppTest: every page runs, the global filters and each page's widgets change
what the charts show, and an empty selection is a kind message, not an exception.

The app reads a new library in a temporary folder ($REPORTLENS_LIBRARY), which loads the seed reports on first
use, as on a fresh machine. Expected values are computed here from the engine (corpus → outline → token
table), not copied from the app.
AppTest (Streamlit 1.67) keeps the entrypoint's sidebar widgets out of the element tree after
``switch_page``, so the global filters are set on the default page (总览) and carried to the others by
session state, as a user's choices are when they click to another page.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from reportlens.corpus import Report, load_seeds
from reportlens.ingest import ingest_paths, open_library
from reportlens.labels import NETWORK_EDGES, NETWORK_MIN_SENTENCES
from reportlens.names import infer_short_name
from reportlens.palettes import PALETTES
from reportlens.paths import LIBRARY_ENV
from reportlens.structure import parse_outline
from reportlens.text import build_tokenizer, token_table
from reportlens.ui.strings import ALL_REPORTS, EMPTY_LIBRARY, NOTHING_SELECTED

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGES = ["pages/overview.py", "pages/structure.py", "pages/keywords.py", "pages/problems.py"]
TIMEOUT = 120


@pytest.fixture(scope="module", autouse=True)
def library_file(tmp_path_factory) -> Path:
    """A new library for this module's app runs (the app fills it with the seeds on first use)."""
    path = tmp_path_factory.mktemp("app-library") / "library.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LIBRARY_ENV, str(path))
        yield path


@pytest.fixture(scope="module")
def seeds() -> list[Report]:
    return list(load_seeds())


def seed(seeds: list[Report], number: str) -> Report:
    return next(r for r in seeds if r.file.startswith(f"{number}_"))


def start(**query: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def figure_titled(at: AppTest, prefix: str) -> dict:
    found = [f for f in figures(at) if f["layout"].get("title", {}).get("text", "").startswith(prefix)]
    assert found, f"no chart titled {prefix!r}: {[f['layout'].get('title') for f in figures(at)]}"
    return found[0]


def url_values(at: AppTest, key: str) -> list[str]:
    """The values the app put in the URL under ``key`` (one value comes back as a plain string)."""
    values = at.query_params[key]
    return [values] if isinstance(values, str) else list(values)


def tokens_of(reports: list[Report]) -> pd.DataFrame:
    """The content tokens of these reports, as the engine cuts them (the expected values' source)."""
    tokenizer = build_tokenizer()
    return pd.concat(
        [token_table(r.id, r.text, parse_outline(r.text).parts(), tokenizer) for r in reports], ignore_index=True
    )


def top_term(report: Report, role: str) -> tuple[str, int]:
    """The most frequent content token of one part of a report (ties: the alphabetically first)."""
    tokens = token_table(report.id, report.text, parse_outline(report.text).parts(), build_tokenizer())
    counts = tokens.loc[tokens["role"] == role, "token"].astype(str).value_counts()
    best = int(counts.max())
    return min(counts[counts == best].index), best


def configs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_its_charts_describe_themselves(page):
    at = goto(start(), page)
    charts = figures(at)
    assert charts, "every page shows at least one chart"
    for fig, config in zip(charts, configs(at), strict=True):
        assert fig["layout"]["font"]["family"].startswith("Noto Sans CJK SC")
        heading = fig["layout"]["title"]
        # inside the image: the title, and under it the reports, the years in view (and the part)
        assert heading["text"] and re.search(r"(全部 5 篇报告|2023|2022)", heading["subtitle"]["text"]), heading
        assert config["locale"] == "zh-CN" and "Zoom" in config["locales"]["zh-CN"]["dictionary"]
        stem = config["toImageButtonOptions"]["filename"]
        assert re.search(r"_(2022|2023|2022-2023)(_|$)", stem), stem  # the years actually in view
    labels = [b.proto.label for b in at.get("download_button")]
    for label in ("下载数据", "幻灯片图片", "SVG 矢量图"):
        assert labels.count(label) >= len(charts), label


def test_overview_shows_the_seeds(seeds):
    at = start()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["报告数"] == f"{len(seeds)} 篇"
    assert metrics["列出的问题"] == f"{sum(len(parse_outline(r.text).problems) for r in seeds)} 条"
    table = at.dataframe[0].value
    assert len(table) == len(seeds)
    assert {"标题", "年份", "年份来源", "年份依据", "类型", "字数", "章节数", "问题条数", "措施条数"} <= set(
        table.columns
    )
    per_year = figure_titled(at, "各年份报告数")
    assert per_year["layout"]["xaxis"]["type"] == "category"
    counted = {x: y for trace in per_year["data"] for x, y in zip(trace["x"], trace["y"], strict=True)}
    assert counted == {str(y): sum(r.year == y for r in seeds) for y in {r.year for r in seeds}}


def test_year_range_filter(seeds):
    at = start()
    latest = max(r.year for r in seeds)
    at.slider(key="years").set_value((latest, latest)).run()
    assert not at.exception
    expected = sum(r.year == latest for r in seeds)
    assert {m.label: m.value for m in at.metric}["报告数"] == f"{expected} 篇"
    assert any(c.value.endswith(f"｜{latest} 年") for c in at.caption)  # the table's caption: years in view
    assert figure_titled(at, "各年份报告数")["layout"]["title"]["subtitle"]["text"].endswith(f"｜{latest} 年")


def test_top_problem_term_of_seed_002(seeds):
    report = seed(seeds, "002")
    term, count = top_term(report, "problems")
    at = start()
    at.multiselect(key="reports").set_value([report.id]).run()
    at.session_state["role"] = "problems"  # the part filter is drawn on the pages it changes, not on 总览
    goto(at, "pages/keywords.py")
    chart = figure_titled(at, "高频词")
    bars = chart["data"][0]
    assert (bars["y"][0], bars["x"][0]) == (term, count)
    short = infer_short_name(report.title, unit=report.unit, year=report.year, kind=report.kind)
    assert chart["layout"]["title"]["subtitle"]["text"] == f"{short}｜存在问题部分"


def test_keyword_widgets(seeds):
    at = goto(start(), "pages/keywords.py")
    at.slider(key="kw_top").set_value(10).run()
    assert len(figure_titled(at, "高频词")["data"][0]["y"]) == 10
    at.radio(key="kw_measure").set_value("per_10k").run()
    rates = figure_titled(at, "高频词")["data"][0]["x"]
    assert rates == sorted(rates, reverse=True) and not float(rates[0]).is_integer()
    # the trend picker offers every word of the selection, not only the top ones
    rare = tokens_of(seeds)["token"].value_counts().index[-1]
    assert rare in at.multiselect(key="kw_trend").options
    at.multiselect(key="kw_trend").set_value(["作风", rare]).run()
    trend = figure_titled(at, "关键词年度趋势")
    assert [t["name"] for t in trend["data"]] == ["作风", rare]
    assert trend["layout"]["xaxis"]["type"] == "linear"
    at.text_input(key="kw_term").input("主体责任")
    at.button(key="kw_term_go").click().run()
    counted = int(tokens_of(seeds)["token"].isin(["主体责任"]).sum())
    assert any(t.value.startswith(f"「主体责任」共出现 {counted} 处（按分词统计") for t in at.text)
    place = at.selectbox(key="kw_place")
    assert "主体责任" in at.text[-1].value  # the expander shows the first hit's section
    assert place.value is not None
    at.selectbox(key="cloud_mask").set_value("circle")
    at.radio(key="cloud_scope").set_value("report").run()
    assert not at.exception
    assert at.selectbox(key="cloud_report").value == seeds[0].id
    assert any(b.proto.label == "下载高清 PNG" for b in at.get("download_button"))


def test_keyword_network_counts_sentences_of_the_top_terms(seeds):
    """The co-occurrence network on 关键词: its nodes are the top terms shown, its edges the pairs of them in one
    sentence, counted here sentence by sentence from the engine's token tables."""
    at = goto(start(), "pages/keywords.py")
    at.slider(key="kw_top").set_value(15).run()
    tokens = tokens_of(seeds)
    top = figure_titled(at, "高频词")["data"][0]["y"]
    pairs: dict[tuple[str, str], int] = {}
    for _, sentence in tokens.groupby(["report_id", "sentence"], observed=True):
        for pair in itertools.combinations(sorted(set(sentence["token"].astype(str)) & set(top)), 2):
            pairs[pair] = pairs.get(pair, 0) + 1
    strongest = sorted(((n, a, b) for (a, b), n in pairs.items() if n >= NETWORK_MIN_SENTENCES),
                       key=lambda p: (-p[0], p[1], p[2]))[:NETWORK_EDGES.default]
    network = figure_titled(at, "高频词共现网络")
    edges = next(t for t in network["data"] if t.get("name") == "edges")["customdata"]
    assert [(a, b, n) for a, b, n in edges] == [(a, b, n) for n, a, b in strongest]
    nodes = next(t for t in network["data"] if t.get("name") == "terms")["text"]
    assert set(nodes) == {t for e in edges for t in e[:2]} and set(nodes) <= set(top)
    note = next(c.value for c in at.caption if c.value.startswith("圆点："))
    assert "前 15 个高频词" in note and f"最强的 {len(edges)} 条连线" in note
    at.slider(key="kw_network_edges").set_value(NETWORK_EDGES.low).run()
    fewer = next(t for t in figure_titled(at, "高频词共现网络")["data"] if t.get("name") == "edges")
    assert [tuple(e) for e in fewer["customdata"]] == [tuple(e) for e in edges[: NETWORK_EDGES.low]]
    linked = goto(start(kw_network_edges=str(NETWORK_EDGES.low)), "pages/keywords.py")  # the view kept in a link
    assert at.slider(key="kw_network_edges").value == linked.slider(key="kw_network_edges").value


def test_two_reports_give_two_bars(seeds):
    at = start()
    at.multiselect(key="reports").set_value([seeds[0].id, seeds[3].id]).run()
    goto(at, "pages/structure.py")
    shares = figure_titled(at, "各部分篇幅占比")
    assert all(len(trace["y"]) == 2 for trace in shares["data"])
    goto(at, "pages/problems.py")
    counts = figure_titled(at, "各报告列出的问题与措施")
    assert sorted(len(trace["y"]) for trace in counts["data"]) == [2, 2]
    problems = next(t for t in counts["data"] if t["name"] == "存在问题")
    expected = [len(parse_outline(r.text).problems) for r in (seeds[0], seeds[3])]
    assert problems["x"] == expected


def test_structure_widgets(seeds):
    at = goto(start(), "pages/structure.py")
    report = seed(seeds, "002")
    at.selectbox(key="structure_report").set_value(report.id).run()
    outline = parse_outline(report.text)
    rows = at.dataframe[0].value
    assert len(rows) == sum(1 for _ in outline.walk()) + 1  # + the preamble
    problems = outline.sections[1]
    at.selectbox(key="structure_section").set_value("2").run()
    assert at.text[-1].value == report.text[problems.start : problems.end].strip()
    treemap = figure_titled(at, "章节结构")
    assert treemap["data"][0]["type"] == "treemap" and "2" in treemap["data"][0]["ids"]
    short = infer_short_name(report.title, unit=report.unit, year=report.year, kind=report.kind)
    assert treemap["layout"]["title"]["subtitle"]["text"] == short  # the treemap names its report
    assert url_values(at, "structure_report")[0].startswith(report.id)


def test_problem_page_widgets(seeds):
    at = goto(start(), "pages/problems.py")
    at.radio(key="theme_unit").set_value("sentences").run()
    themes = figure_titled(at, "各报告的问题与措施涉及哪些主题")
    assert len(themes["data"]) == 2
    at.selectbox(key="similar_report").set_value(seeds[-1].id).run()
    options = at.selectbox(key="similar_item").options
    at.selectbox(key="similar_item").select_index(len(options) - 1).run()
    chosen = at.selectbox(key="similar_item").value
    report = chosen.split("/")[0]
    assert report == seeds[-1].id  # the last problem of the last report
    assert len(options) == len(parse_outline(seeds[-1].text).problems)
    similar = next(d.value for d in at.dataframe if "相似度" in d.value.columns)
    names = {r.id: infer_short_name(r.title, unit=r.unit, year=r.year, kind=r.kind) for r in seeds}  # tables show the short names of chart axes
    assert names[report] not in set(similar["报告"])  # similar problems come from other reports
    assert similar["相似度"].is_monotonic_decreasing
    assert seeds[0].id not in at.selectbox(key="side_1").options  # 报告甲 is not offered as 报告乙
    at.selectbox(key="side_0").set_value(seeds[2].id).run()
    assert at.selectbox(key="side_1").value != seeds[2].id and seeds[2].id not in at.selectbox(key="side_1").options
    at.selectbox(key="side_1").set_value(seeds[1].id).run()
    assert not at.exception
    assert url_values(at, "side_1")[0].startswith(seeds[1].id)  # in the URL by id
    items = at.dataframe[0].value
    assert len(items) == sum(
        len(o.problems) + len(o.measures) for o in (parse_outline(r.text) for r in seeds)
    )


def test_role_filter_narrows_the_items(seeds):
    at = start()
    at.session_state["role"] = "measures"
    goto(at, "pages/problems.py")
    items = at.dataframe[0].value
    assert set(items["部分"]) == {"措施打算"}
    assert len(items) == sum(len(parse_outline(r.text).measures) for r in seeds)


def test_palette_switch_reaches_the_charts():
    at = start()
    at.radio(key="palette").set_value("red").run()
    bars = figure_titled(at, "各年份报告数")["data"][0]
    assert bars["marker"]["color"] in PALETTES["red"].colors


@pytest.mark.parametrize("page", PAGES)
def test_selecting_nothing_is_a_kind_message(page):
    at = start()
    at.multiselect(key="reports").set_value([]).run()
    goto(at, page)
    assert [i.value for i in at.info] == [NOTHING_SELECTED]
    assert not figures(at)


def test_a_link_reopens_the_same_view(seeds):
    """The filters are in the URL: reports by stable id (a readable name beside it), years, Chinese role name."""
    chosen = [seeds[1], seeds[3]]
    at = start(reports=[f"{r.id}:随便写的名字" for r in chosen], palette="公文红")
    assert at.multiselect(key="reports").value == [r.id for r in chosen]
    assert at.radio(key="palette").value == "red"
    assert {m.label: m.value for m in at.metric}["报告数"] == "2 篇"
    titles = pd.Series([r.title for r in chosen])
    assert at.dataframe[0].value["标题"].tolist() == titles.tolist()
    assert not at.warning
    # a link to a page opens it with its filters (the part filter lives on the pages it changes)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(reports=[chosen[0].id], role="存在问题")
    at.switch_page("pages/keywords.py").run()
    assert not at.exception
    assert at.session_state["role"] == "problems"
    assert figure_titled(at, "高频词")["layout"]["title"]["subtitle"]["text"].endswith("存在问题部分")


def test_a_link_made_by_the_app_names_reports_by_id(seeds):
    at = start()
    at.multiselect(key="reports").set_value([seeds[2].id]).run()
    [value] = url_values(at, "reports")
    report_id, _, name = value.partition(":")
    assert report_id == seeds[2].id and str(seeds[2].year) in name  # the short name, for a human reader


def test_an_older_link_naming_titles_still_opens(seeds):
    at = start(reports=[seeds[1].title, seeds[3].title])
    assert at.multiselect(key="reports").value == [seeds[1].id, seeds[3].id]


def test_a_link_naming_a_deleted_report_opens_the_rest_and_says_which(seeds):
    gone = "0123456789abcdef"  # no report has this id
    at = start(reports=[f"{seeds[0].id}:甲", f"{gone}:市文旅局 2021 已删除的报告"])
    assert at.multiselect(key="reports").value == [seeds[0].id]
    assert {m.label: m.value for m in at.metric}["报告数"] == "1 篇"
    [warning] = [w.value for w in at.warning]
    assert "1 篇报告已不在资料库中" in warning and "《市文旅局 2021 已删除的报告》" in warning
    at.multiselect(key="reports").set_value([seeds[0].id, seeds[1].id]).run()
    assert not at.warning  # a new choice retires the warning


def test_filters_show_only_where_they_change_something():
    at = start()
    assert [r.label for r in at.sidebar.radio] == ["图表配色"]  # 总览 has no 报告部分
    goto(at, "pages/keywords.py")
    assert "报告部分" in [r.label for r in at.sidebar.radio]
    for page in ("pages/library.py", "pages/dictionary.py"):
        goto(at, page)
        assert not at.sidebar.radio and not at.sidebar.multiselect and not at.sidebar.slider


def test_the_year_range_grows_when_an_import_adds_a_year(library_file, seeds, tmp_path):
    at = start()
    assert at.slider(key="years").value == (2022, 2023)
    report = seeds[0].text.replace("党风廉政建设", "党风廉政建设和反腐败", 1)  # new content: a new report
    path = tmp_path / "2024年某局工作总结.txt"
    path.write_text(report, encoding="utf-8")
    with open_library(library_file) as library:
        results = ingest_paths([path], library)
    assert results[0].status == "ok", results
    try:
        at.run()
        assert at.slider(key="years").value == (2022, 2024)  # the whole range grows with the library
        assert {m.label: m.value for m in at.metric}["报告数"] == f"{len(seeds) + 1} 篇"
    finally:
        with open_library(library_file) as library:
            library.delete(results[0].report_id)


def test_the_app_reads_the_temporary_library(library_file, seeds):
    at = start()
    assert library_file.exists()
    assert at.multiselect(key="reports").value == ["all"]  # 「全部报告」
    assert at.multiselect(key="reports").options[0] == ALL_REPORTS
    assert len(at.multiselect(key="reports").options) == len(seeds) + 1


@pytest.mark.parametrize(
    ("picked", "kept"),
    [
        (["all", "1"], ["1"]),  # a report picked after 「全部报告」 replaces it
        (["1", "2", "all"], ["all"]),  # 「全部报告」 picked last replaces the single reports
        (["1", "2"], ["1", "2"]),
    ],
)
def test_the_report_picker_means_all_or_some(seeds, picked, kept):
    at = start()
    ids = {str(i): r.id for i, r in enumerate(seeds)} | {"all": "all"}
    at.multiselect(key="reports").set_value([ids[p] for p in picked]).run()
    assert not at.exception
    assert at.multiselect(key="reports").value == [ids[k] for k in kept]  # the sidebar is drawn on every run
    expected = len(seeds) if kept == ["all"] else len(kept)
    assert {m.label: m.value for m in at.metric}["报告数"] == f"{expected} 篇"


def test_a_library_that_cannot_be_opened_is_a_chinese_message(tmp_path, monkeypatch):
    monkeypatch.setenv(LIBRARY_ENV, str(tmp_path))  # a folder, not a library file
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # the message is Markdown-escaped
    assert shown == [f"「{tmp_path}」是一个文件夹：资料库应是一个文件，例如 {tmp_path / 'library.sqlite3'}。"]


@pytest.mark.parametrize("page", [*PAGES, "pages/library.py", "pages/dictionary.py"])
def test_an_empty_library_says_how_to_fill_it(tmp_path, monkeypatch, page):
    path = tmp_path / "empty.sqlite3"
    open_library(path, seed=False).close()  # a library whose owner removed the seeds for good
    monkeypatch.setenv(LIBRARY_ENV, str(path))
    at = goto(start(), page)
    if page in PAGES:
        assert [i.value for i in at.info] == [EMPTY_LIBRARY]
        assert not figures(at)


def test_a_failing_page_is_one_chinese_line_and_a_server_log(monkeypatch, caplog):
    """With the repository's config (``client.showErrorDetails = "none"``) a bug in a page shows no Python
    message, traceback or server path: the user reads one Chinese line, the server log has the traceback."""
    from streamlit import config

    from reportlens import selection
    from reportlens.ui.strings import PAGE_FAILED

    server_path = "/srv/reportlens/secret_path.py"

    def broken(*args, **kwargs):
        raise RuntimeError(f"boom in {server_path}")

    monkeypatch.setattr(selection, "reports_per_year", broken)
    config.set_option("client.showErrorDetails", "none")
    try:
        with caplog.at_level("ERROR", logger="reportlens.app"):
            at = start()
    finally:
        config.set_option("client.showErrorDetails", "full")
    assert not at.exception
    assert [e.value for e in at.error] == [PAGE_FAILED]
    shown = [e.value for e in (*at.markdown, *at.text, *at.caption, *at.error)]
    assert not any(server_path in s or "boom" in s or "Traceback" in s for s in shown)
    assert at.metric and at.dataframe  # what the page drew before the error stays
    logged = [r for r in caplog.records if r.name == "reportlens.app"]
    assert logged and logged[0].exc_info and server_path in str(logged[0].exc_info[1])


def test_the_repository_config_hides_error_details():
    import tomllib

    from reportlens.ui.frame import DETAILS_SHOWN

    config = tomllib.loads((APP.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] not in DETAILS_SHOWN
