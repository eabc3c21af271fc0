"""The insight charts on the seeds: what each draws, in the CJK font and the chosen palette."""

from __future__ import annotations

import pytest
from insight_data import seed_index, seed_tables

from reportlens import charts, insights
from reportlens.analysis.problems import load_themes
from reportlens.palettes import PALETTES

LABELS = {"items": "条目数", "year": "年份", "score": "相似度", "answered": "已回应", "unanswered": "未见明确回应",
          "share": "占比", "delivered": "有下文", "not_delivered": "未见下文", "problems": "问题条数"}


@pytest.fixture(scope="module")
def views():
    tables = seed_tables()
    ids = tables.reports["report_id"].tolist()
    index = seed_index()
    pairs = insights.similar_item_pairs(tables, index, "problems")
    scores = insights.coverage_index(tables, index, load_themes())
    return {
        "tables": tables,
        "recurring": insights.recurring_view(tables, index, pairs, ids, threshold=0.1),
        "coverage": insights.coverage_view(tables, index, scores, ids),
        "grid": insights.coverage_grid(tables, scores, ids[0]),
        "reuse": insights.reuse_view(tables, insights.passage_index(tables), ids),
        "promise": insights.promise_view(tables, index, ids[4], ids[0]),
    }


@pytest.mark.slow
def test_recurring_heatmap_counts_members_by_year(views):
    fig = charts.recurring_heatmap(views["recurring"].years, labels=LABELS, palette="red")
    heat = fig.data[0]
    assert list(heat.x) == ["2022", "2023"] and heat.y[1].startswith("2. 文旅为民")
    assert [list(row) for row in heat.z] == [[0, 2], [1, 1]]
    assert heat.colorscale[-1][1] == PALETTES["red"].scale[-1]
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")


def test_coverage_charts(views):
    bars = charts.coverage_bars(views["coverage"].summary, labels=LABELS)
    answered, unanswered = bars.data
    total = [a + u for a, u in zip(answered.x, unanswered.x, strict=True)]
    assert total == views["coverage"].summary["problems"].tolist()
    heat = charts.coverage_heatmap(views["grid"], labels=LABELS).data[0]
    assert len(heat.y) == 3 and len(heat.x) == 4  # 000: three problems, four measures
    assert heat.text[0][1] == f"{views['grid']['score'].iloc[1]:.2f}"


def test_recycled_share_bars_group_reports_under_years(views):
    fig = charts.recycled_share_bars(views["reuse"].shares, labels=LABELS)
    years, names = fig.data[0].x
    assert list(years) == sorted(years) and len(names) == 5
    assert fig.layout.xaxis.type == "multicategory"
    assert max(fig.data[0].y) == pytest.approx(100 * views["reuse"].shares["share"].max(), abs=0.1)


def test_promise_bars_mark_the_threshold(views):
    fig = charts.promise_bars(views["promise"].results, threshold=0.08, labels=LABELS)
    names = {trace.name for trace in fig.data}
    assert names == {"有下文", "未见下文"}
    assert fig.layout.shapes[0].x0 == 0.08
