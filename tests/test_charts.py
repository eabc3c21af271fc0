"""Tests for reportlens.charts: every chart on the seeds — its data, its axes, its font and palette."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from reportlens import charts, selection
from reportlens.analysis import cooccurrence_network
from reportlens.analysis.problems import load_themes
from reportlens.corpus import load_seeds
from reportlens.palettes import DISTINCT, PALETTES, colour_distance
from reportlens.tables import build_tables
from reportlens.text import build_tokenizer

LABELS = {"problems": "存在问题", "measures": "措施打算", "year": "年份", "count": "次数"}


@pytest.fixture(scope="module")
def tables():
    return build_tables(load_seeds(), build_tokenizer())


@pytest.fixture(scope="module")
def ids(tables):
    return tables.reports["report_id"].tolist()


def all_figures(tables, ids) -> dict[str, go.Figure]:
    terms = selection.top_terms(tables, ids, top=10)
    grid = selection.with_names(
        selection.term_frequencies_by_report(tables, ids, "all", terms["term"].tolist()), tables.reports
    )
    special = selection.with_names(selection.distinctive(tables, ids, top=5), tables.reports)
    return {
        "reports_per_year": charts.reports_per_year(selection.reports_per_year(tables.reports)),
        "role_share_bars": charts.role_share_bars(selection.role_share_frame(tables, ids)),
        "section_treemap": charts.section_treemap(selection.sections_of(tables, ids[0])),
        "top_terms_bar": charts.top_terms_bar(terms),
        "term_heatmap": charts.term_heatmap(grid),
        "distinctive_terms_bars": charts.distinctive_terms_bars(special),
        "term_trend_lines": charts.term_trend_lines(selection.trends(tables, ids, "all", ["问题", "学习"])),
        "theme_heatmap": charts.theme_heatmap(selection.theme_grid(tables, ids, load_themes())),
        "items_per_report": charts.items_per_report(selection.items_per_report(tables, ids)),
        "cooccurrence_network": charts.cooccurrence_network(
            network_edges(tables, ids, terms), sizes=tuple(zip(terms["term"], terms["count"], strict=True))
        ),
    }


def network_edges(tables, ids, terms: pd.DataFrame) -> pd.DataFrame:
    tokens = selection.token_rows(tables.tokens, ids)
    return cooccurrence_network(tokens, terms["term"], min_count=2, top=30)


@pytest.mark.slow
def test_every_chart_is_a_figure_in_the_cjk_font(tables, ids):
    for name, fig in all_figures(tables, ids).items():
        assert isinstance(fig, go.Figure), name
        assert fig.layout.font.family.startswith("Noto Sans CJK SC"), name
        assert fig.layout.font.size >= 14, name  # readable when projected
        assert fig.data, name


@pytest.mark.slow
def test_years_are_whole_numbers_and_a_trend_shows_missing_years(tables, ids):
    per_year = charts.reports_per_year(selection.reports_per_year(tables.reports))
    assert per_year.layout.xaxis.type == "category"
    assert list(per_year.layout.xaxis.categoryarray) == ["2022", "2023"]
    trend = charts.term_trend_lines(selection.trends(tables, ids, "all", ["问题"]))
    assert trend.layout.xaxis.type == "linear" and list(trend.data[0].x) == [2022, 2023]
    counts = tables.reports["year"].value_counts()
    assert list(trend.layout.xaxis.ticktext) == [f"{y}<br>{counts[y]} 篇" for y in (2022, 2023)]


def test_a_year_without_reports_is_a_gap_not_squeezed_out():
    trends = pd.DataFrame(
        {
            "year": [2019, 2019, 2022, 2022],
            "term": ["学习", "制度", "学习", "制度"],
            "count": [3, 1, 5, 0],
            "per_10k": [3.0, 1.0, 5.0, 0.0],
            "reports": [2, 2, 1, 1],
        }
    )
    fig = charts.term_trend_lines(trends)
    learning = fig.data[0]
    assert list(learning.x) == [2019, 2020, 2021, 2022]  # real distance between the years
    assert list(learning.y) == [3.0, None, None, 5.0] and learning.connectgaps is False
    assert list(fig.layout.xaxis.ticktext) == ["2019<br>2 篇", "2020<br>无报告", "2021<br>无报告", "2022<br>1 篇"]


def test_reports_per_year_counts_the_seeds(tables):
    fig = charts.reports_per_year(selection.reports_per_year(tables.reports))
    total = sum(sum(trace.y) for trace in fig.data)
    assert total == len(tables.reports)
    by_year = {x: y for trace in fig.data for x, y in zip(trace.x, trace.y, strict=True)}
    assert by_year["2023"] == int((tables.reports["year"] == 2023).sum())


def test_role_shares_add_up_to_100_per_report(tables, ids):
    fig = charts.role_share_bars(selection.role_share_frame(tables, ids[:2]))
    assert {len(trace.x) for trace in fig.data} == {2}  # one bar per report in each role
    totals = [sum(trace.x[i] for trace in fig.data) for i in range(2)]
    assert totals == pytest.approx([100, 100], abs=0.3)
    assert "其他" not in {trace.name for trace in fig.data}


def test_top_terms_bar_keeps_the_ranking(tables, ids):
    terms = selection.top_terms(tables, ids, "problems", top=7)
    fig = charts.top_terms_bar(terms, labels=LABELS)
    assert list(fig.data[0].y) == terms["term"].tolist()
    assert list(fig.data[0].x) == terms["count"].tolist()
    assert fig.layout.yaxis.autorange == "reversed"  # the most frequent at the top
    assert fig.layout.xaxis.title.text == "次数"


def test_heatmap_has_a_row_per_report_and_a_column_per_term(tables, ids):
    terms = selection.top_terms(tables, ids, top=6)["term"].tolist()
    grid = selection.with_names(
        selection.term_frequencies_by_report(tables, ids, "all", terms), tables.reports
    )
    fig = charts.term_heatmap(grid, value="count")
    assert len(fig.data[0].z) == len(ids)
    assert list(fig.data[0].x) == terms
    assert sum(map(sum, fig.data[0].z)) == selection.top_terms(tables, ids, top=6)["count"].sum()


def test_theme_heatmap_has_a_panel_per_role(tables, ids):
    fig = charts.theme_heatmap(selection.theme_grid(tables, ids[:2], load_themes()), labels=LABELS)
    assert len(fig.data) == 2
    assert [a.text for a in fig.layout.annotations] == ["存在问题", "措施打算"]
    assert len(fig.data[0].y) == 2


def test_items_per_report_with_two_reports_has_two_bars_per_role(tables, ids):
    counts = selection.items_per_report(tables, ids[:2])
    fig = charts.items_per_report(counts, labels=LABELS)
    assert {trace.name for trace in fig.data} == {"存在问题", "措施打算"}
    assert all(len(trace.y) == 2 for trace in fig.data)
    problems = next(t for t in fig.data if t.name == "存在问题")
    assert list(problems.x) == tables.reports["problems"].head(2).tolist()


@pytest.mark.slow
def test_the_red_palette_changes_the_colours(tables, ids):
    calm = charts.role_share_bars(selection.role_share_frame(tables, ids), palette="calm")
    red = charts.role_share_bars(selection.role_share_frame(tables, ids), palette="red")
    assert [t.marker.color for t in red.data] != [t.marker.color for t in calm.data]
    assert red.data[1].marker.color == PALETTES["red"].roles["achievements"]
    with pytest.raises(ValueError, match="unknown palette"):
        charts.top_terms_bar(selection.top_terms(tables, ids, top=3), palette="neon")


def test_treemap_sections_nest_under_their_parents(tables, ids):
    sections = selection.sections_of(tables, ids[0])
    fig = charts.section_treemap(sections)
    trace = fig.data[0]
    assert set(trace.parents) - {""} <= set(trace.ids)
    assert trace.branchvalues == "total"


def test_report_text_is_shown_literally_not_as_plotly_html():
    counts = pd.DataFrame(
        {
            "report": ["《关于印发<方案>的通知》", "<b>乙</b>"],
            "role": ["problems", "problems"],
            "items": [1, 2],
        }
    )
    fig = charts.items_per_report(counts)
    assert list(fig.data[0].y) == ["《关于印发&lt;方案&gt;的通知》", "&lt;b&gt;乙&lt;/b&gt;"]
    terms = pd.DataFrame({"term": ["A&B"], "count": [3]})
    assert list(charts.top_terms_bar(terms).data[0].y) == ["A&amp;B"]


@pytest.mark.slow
def test_role_share_hover_has_one_percent_sign(tables, ids):
    fig = charts.role_share_bars(selection.role_share_frame(tables, ids))
    for trace in fig.data:
        assert "%{x}%" not in trace.hovertemplate  # the axis suffix already writes "%": no 「6.5%%」
    assert fig.layout.xaxis.ticksuffix == "%"


def test_treemap_keeps_reading_order_and_hides_unreadable_labels(tables, ids):
    sections = selection.sections_of(tables, ids[2])
    trace = charts.section_treemap(sections).data[0]
    assert trace.sort is False and list(trace.ids) == sections["section_path"].tolist()
    layout = charts.section_treemap(sections).layout
    assert layout.uniformtext.minsize >= 12 and layout.uniformtext.mode == "hide"
    inner = set(sections["parent_path"])
    for path, label in zip(trace.ids, trace.labels, strict=True):
        width = charts.TREEMAP_HEADER if path in inner else charts.TREEMAP_LINE  # headers: one line
        assert all(len(line) <= width for line in label.split("<br>")), label


def test_theme_matrix_with_one_report_keeps_its_colour_bar_and_room(tables, ids):
    fig = charts.theme_heatmap(selection.theme_grid(tables, ids[:1], load_themes()), labels=LABELS)
    assert fig.data[0].colorbar.len == 1.0 and fig.data[0].showscale  # spans the chart, not one panel
    panels = [fig.layout.yaxis.domain, fig.layout.yaxis2.domain]
    gap_pixels = (panels[0][0] - panels[1][1]) * (fig.layout.height - charts.THEME_CHROME)
    assert gap_pixels >= charts.THEME_PANEL_GAP - 1  # room for two-line theme labels and the next title


def test_heading_puts_the_subtitle_inside_and_makes_room_for_panel_titles(tables, ids):
    special = selection.with_names(selection.distinctive(tables, ids, top=5), tables.reports)
    fig = charts.set_heading(charts.distinctive_terms_bars(special), title="特色词", subtitle="全部 5 篇报告｜<全文>")
    assert fig.layout.title.text == "特色词"
    assert fig.layout.title.subtitle.text == "全部 5 篇报告｜&lt;全文&gt;"  # shown literally
    plain = charts.set_heading(charts.top_terms_bar(selection.top_terms(tables, ids, top=3)), title="高频词", subtitle="x")
    assert fig.layout.margin.t > plain.layout.margin.t  # subplot titles sit under the subtitle, not on it


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_palette_colours_are_told_apart(name):
    pal = PALETTES[name]
    for kind, colors in (("colors", pal.colors), ("roles", tuple(pal.roles.values())), ("cloud", pal.cloud)):
        closest = min(colour_distance(a, b) for a, b in itertools.combinations(colors, 2))
        assert closest >= DISTINCT, (name, kind, closest)
    assert colour_distance("#B71C1C", "#C62828") < DISTINCT  # two reds the old 公文红 word cloud mixed


def test_tooltips_give_the_full_title_and_axes_the_short_name(tables, ids):
    shares = selection.role_share_frame(tables, ids[:2])
    fig = charts.role_share_bars(shares)
    assert list(fig.data[0].y) == shares["report"].drop_duplicates().tolist()  # short names on the axis
    assert "市文旅局 2023" in fig.data[0].y[0]
    titles = {row[1] for trace in fig.data for row in trace.customdata}
    assert titles == set(tables.reports.set_index("report_id").loc[ids[:2], "label"])
    counts = charts.items_per_report(selection.items_per_report(tables, ids[:2]))
    assert set(counts.data[0].customdata) == titles and "%{customdata}" in counts.data[0].hovertemplate


def test_network_draws_each_edge_and_each_linked_term(tables, ids):
    terms = selection.top_terms(tables, ids, top=20)
    edges = network_edges(tables, ids, terms)
    fig = charts.cooccurrence_network(edges, sizes=tuple(zip(terms["term"], terms["count"], strict=True)))
    nodes = next(t for t in fig.data if t.name == "terms")
    linked = set(edges["term_a"]) | set(edges["term_b"])
    assert set(nodes.text) == linked and len(nodes.text) == len(linked)
    assert list(nodes.text) == [t for t in terms["term"] if t in linked]  # most frequent first
    hover = next(t for t in fig.data if t.name == "edges")
    assert [tuple(c) for c in hover.customdata] == list(edges.itertuples(index=False, name=None))
    lines = [t for t in fig.data if t.name.startswith("edges-")]
    assert sum(len(t.x) // 3 for t in lines) == len(edges)  # each edge once: two points and a gap
    widths = {t.line.width for t in lines}
    assert min(widths) >= charts.NETWORK_EDGE_WIDTH[0] and max(widths) <= charts.NETWORK_EDGE_WIDTH[1]
    sizes = dict(zip(nodes.text, nodes.marker.size, strict=True))
    assert sizes[terms["term"].iloc[0]] == max(sizes.values())  # the most frequent term: the largest node
    assert not fig.layout.xaxis.visible and not fig.layout.yaxis.visible


def test_network_layout_is_fixed_and_pulls_linked_terms_together():
    terms = ["甲", "乙", "丙", "丁", "戊", "己"]
    edges = pd.DataFrame({"term_a": ["甲", "丙", "丁"], "term_b": ["乙", "乙", "戊"], "count": [9, 1, 9]})
    first, again = charts.network_layout(terms, edges), charts.network_layout(terms, edges)
    assert (first == again).all()  # no randomness: the same network is drawn the same way
    assert np.isfinite(first).all() and np.abs(first).max(axis=0).tolist() == pytest.approx([1.0, 1.0])
    distance = {(a, b): float(np.linalg.norm(first[terms.index(a)] - first[terms.index(b)])) for a, b in
                itertools.combinations(terms, 2)}
    assert distance[("甲", "乙")] < distance[("甲", "己")]  # nine shared sentences against none
    assert charts.network_layout([], edges.iloc[:0]).shape == (0, 2)
    assert charts.network_layout(["甲"], edges.iloc[:0]).tolist() == [[0.0, 0.0]]
