"""Plotly figures for the dashboard: one function per chart, each returning a ``go.Figure``, one module per page
family — ``structure`` (总览, 结构), ``keywords`` (关键词), ``insights`` (问题与措施 and the cross-report
insights) — and ``style``, the look they share.

Every figure goes through ``style()``: the CJK font family, sizes readable on a projected slide, a white
background and the chosen palette (``palettes.PALETTES``: "calm" or the red "official" one). Inputs are
DataFrames with English snake_case columns (documented per function); ``labels`` maps column and role
names to what a reader sees (the dashboard passes ``ui.strings.LABELS``). Years are whole numbers on their
axis, never 2,023.5; a trend keeps the real distance between years, so a year without reports shows as a gap.

A figure carries its own heading (``set_heading``: the title and a subtitle naming the reports, years and part,
from ``views.describe``), so an exported image says what it shows. ``toolbar_config`` is the Plotly config
of the dashboard: a Chinese toolbar (``PLOTLY_ZH_CN``) and a PNG button with a describing file name.

Callers name a chart by its function's name here (``charts.top_terms_bar``; ``ui.cache`` looks it up by name).
"""

from reportlens.charts.insights import (
    coverage_bars,
    coverage_heatmap,
    promise_bars,
    recurring_heatmap,
    recycled_share_bars,
    theme_heatmap,
)
from reportlens.charts.keywords import (
    NETWORK_EDGE_COLOR,
    NETWORK_EDGE_WIDTH,
    NETWORK_HEIGHT,
    NETWORK_ITERATIONS,
    NETWORK_NODE_SIZE,
    cooccurrence_network,
    distinctive_terms_bars,
    network_layout,
    term_heatmap,
    term_trend_lines,
    top_terms_bar,
)
from reportlens.charts.structure import (
    items_per_report,
    reports_per_year,
    role_share_bars,
    section_treemap,
)
from reportlens.charts.style import (
    BAR_HEIGHT,
    FONT_FAMILY,
    FONT_SIZE,
    GRID_COLOR,
    LEGEND_TOP,
    PLOTLY_LOCALE,
    PLOTLY_ZH_CN,
    PNG_SCALE,
    SUBTITLE_COLOR,
    SUBTITLE_SIZE,
    TEXT_COLOR,
    THEME_CHROME,
    THEME_PANEL_GAP,
    THEME_ROW,
    TITLE_SIZE,
    TOOLBAR_REMOVED,
    TREEMAP_HEADER,
    TREEMAP_LINE,
    TREEMAP_LINES,
    TREEMAP_TEXT_MIN,
    TREND_TICKS_MAX,
    UNKNOWN_YEAR,
    WRAPPED_BARS_MAX,
    plain,
    set_heading,
    style,
    toolbar_config,
)

__all__ = [
    "BAR_HEIGHT",
    "FONT_FAMILY",
    "FONT_SIZE",
    "GRID_COLOR",
    "LEGEND_TOP",
    "NETWORK_EDGE_COLOR",
    "NETWORK_EDGE_WIDTH",
    "NETWORK_HEIGHT",
    "NETWORK_ITERATIONS",
    "NETWORK_NODE_SIZE",
    "PLOTLY_LOCALE",
    "PLOTLY_ZH_CN",
    "PNG_SCALE",
    "SUBTITLE_COLOR",
    "SUBTITLE_SIZE",
    "TEXT_COLOR",
    "THEME_CHROME",
    "THEME_PANEL_GAP",
    "THEME_ROW",
    "TITLE_SIZE",
    "TOOLBAR_REMOVED",
    "TREEMAP_HEADER",
    "TREEMAP_LINE",
    "TREEMAP_LINES",
    "TREEMAP_TEXT_MIN",
    "TREND_TICKS_MAX",
    "UNKNOWN_YEAR",
    "WRAPPED_BARS_MAX",
    "cooccurrence_network",
    "coverage_bars",
    "coverage_heatmap",
    "distinctive_terms_bars",
    "items_per_report",
    "network_layout",
    "plain",
    "promise_bars",
    "recurring_heatmap",
    "recycled_share_bars",
    "reports_per_year",
    "role_share_bars",
    "section_treemap",
    "set_heading",
    "style",
    "term_heatmap",
    "term_trend_lines",
    "theme_heatmap",
    "toolbar_config",
    "top_terms_bar",
]
