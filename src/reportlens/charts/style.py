"""The look every chart shares: the CJK font and sizes, the heading (title and subtitle) a figure carries,
``style()`` with the palette, and the dashboard's Plotly config with a Chinese toolbar (``toolbar_config``).
The label helpers the chart modules share live here too."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from reportlens.palettes import palette as get_palette

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
FONT_SIZE = 16  # axis ticks and legend: readable from the back of a meeting room
TITLE_SIZE = 22
SUBTITLE_SIZE = 15
SUBTITLE_COLOR = "#5F6368"
TREEMAP_LINE = 6  # characters per line of a treemap box label
TREEMAP_LINES = 3
TREEMAP_HEADER = 14  # characters of the one-line heading of a box that holds others
TREEMAP_TEXT_MIN = 12  # pixels: a box whose label would be smaller shows none
THEME_ROW = 40  # pixels per report row of a theme panel
THEME_PANEL_GAP = 96  # pixels between theme panels: two-line theme labels above, the next panel's title below
THEME_CHROME = 200  # pixels of a theme chart outside its panels: heading, last labels, margins
PNG_SCALE = 3  # the toolbar PNG: the chart as on screen, three times the pixels
BAR_HEIGHT = 30  # pixels per bar of a horizontal bar chart
TEXT_COLOR = "#2B2B2B"
GRID_COLOR = "#E6E6E6"
UNKNOWN_YEAR = "年份不详"
TREND_TICKS_MAX = 30  # a trend labels every year of its span up to this many, then only years with reports
WRAPPED_BARS_MAX = 12  # up to this many bars, category names are wrapped under them instead of turned
# a one-line legend above the plot, right-aligned so it never covers the left-aligned title
LEGEND_TOP = {
    "orientation": "h",
    "y": 1.02,
    "yanchor": "bottom",
    "x": 1,
    "xanchor": "right",
    "traceorder": "normal",
}


def _label(labels: Mapping[str, str] | None, key: str) -> str:
    return (labels or {}).get(key, key)


def plain(values: Iterable[object]) -> list[str]:
    """Text from the reports as Plotly shows it literally: Plotly reads <b>, <br>, <a href> … in labels, and
    a title like 《关于印发<方案>的通知》 would lose its <方案>. So &, < and > become entities."""
    return [html.escape(str(v), quote=False) for v in values]


def _titles(frame: pd.DataFrame) -> list[str]:
    """The full report title of each row for a tooltip (``report_title``, else the short ``report``)."""
    column = "report_title" if "report_title" in frame.columns else "report"
    return plain(frame[column])


def _two_lines(text: str) -> str:
    """A short axis label broken in the middle (「理论<br>学习」), so a row of them does not run together."""
    if len(text) < 4:
        return text
    half = -(-len(text) // 2)
    return f"{text[:half]}<br>{text[half:]}"


def _top_margin(fig: go.Figure, title: str, subtitle: str) -> int:
    """Room above the plot for the heading, and for the titles of the top row of subplots, which Plotly
    writes just above their panels."""
    panel_titles = any(
        a.yref == "paper" and a.y is not None and a.y >= 0.98 and a.yanchor == "bottom" for a in fig.layout.annotations
    )
    return 24 + (44 if title else 0) + (26 if subtitle else 0) + (30 if panel_titles and title else 0)


def set_heading(fig: go.Figure, *, title: str, subtitle: str = "") -> go.Figure:
    """Put ``title`` and, under it, ``subtitle`` (what the chart shows: reports, years, part) at the top of
    ``fig`` (in place), inside the image, so a saved PNG or SVG describes itself. Returns ``fig``."""
    heading: dict = {
        "text": plain([title])[0],
        "font": {"size": TITLE_SIZE},
        "x": 0.01,
        "xanchor": "left",
        "y": 1.0,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": 16},
    }
    if subtitle:
        heading["subtitle"] = {"text": plain([subtitle])[0], "font": {"size": SUBTITLE_SIZE, "color": SUBTITLE_COLOR}}
    fig.update_layout(title=heading if title else None, margin={"t": _top_margin(fig, title, subtitle)})
    return fig


def style(fig: go.Figure, *, title: str = "", palette: str = "calm", height: int | None = None) -> go.Figure:
    """Apply the house look to ``fig`` (in place) and return it."""
    colors = get_palette(palette).colors
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOR},
        colorway=list(colors),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 16, "r": 16, "b": 16},
        legend={"font": {"size": FONT_SIZE}, "title": {"text": ""}},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": FONT_SIZE - 1}},
    )
    set_heading(fig, title=title)
    fig.update_xaxes(gridcolor=GRID_COLOR, automargin=True, title_font={"size": FONT_SIZE})
    fig.update_yaxes(gridcolor=GRID_COLOR, automargin=True, title_font={"size": FONT_SIZE})
    if height is not None:
        fig.update_layout(height=height)
    return fig


def _year_category(years: pd.Series) -> list[str]:
    """Years as category labels (「2023」), unknown years as 「年份不详」."""
    return [UNKNOWN_YEAR if pd.isna(y) else str(int(y)) for y in years]


def _wrap(text: str, width: int = 14) -> str:
    """A long axis label in lines of ``width`` characters (Plotly breaks only at <br>)."""
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width)) or text


# Plotly.js speaks English unless told otherwise, and the Plotly.js inside Streamlit registers no other
# language: the dictionary comes with each chart's config (``locales``). Keys are Plotly's own English texts
# (toolbar buttons, their notices, the hints on the chart); the translations are ours.
PLOTLY_ZH_CN: dict = {
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "框选",
        "Lasso Select": "套索选择",
        "Pan": "平移",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Reset": "还原",
        "Reset axes": "还原坐标轴",
        "Reset view": "还原视图",
        "Reset views": "还原视图",
        "Toggle Spike Lines": "显示或隐藏参考线",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Compare data on hover": "悬停时比较各项数据",
        "Toggle show closest data on hover": "切换悬停时显示的数据",
        "Download plot as a PNG": "下载 PNG 图片（屏幕尺寸的 3 倍）",
        "Download plot": "下载图片",
        "Download plot as JSON": "下载图表数据（JSON）",
        "Preparing image - this may take a few seconds": "正在生成图片，请稍候……",
        "Image download succeeded": "图片已下载",
        "Sorry, there was a problem downloading your image!": "抱歉，图片没有下载成功。",
        "JSON download succeeded": "图表数据已下载",
        "Sorry, there was a problem downloading your JSON file!": "抱歉，图表数据没有下载成功。",
        "Double-click to zoom back out": "双击还原",
        "Double-click on legend to isolate one trace": "双击图例可只看这一项",
        "Draw line": "画直线",
        "Draw open freeform": "画折线",
        "Draw closed freeform": "画多边形",
        "Draw circle": "画圆",
        "Draw rectangle": "画矩形",
        "Erase active shape": "删除所选图形",
        "Orbital rotation": "环绕旋转",
        "Turntable rotation": "转台旋转",
        "Reset camera to default": "还原默认视角",
        "Reset camera to last save": "还原上次保存的视角",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}
PLOTLY_LOCALE = "zh-CN"
# Toolbar buttons that do nothing useful on these charts (no chart here selects points).
TOOLBAR_REMOVED = ["select2d", "lasso2d", "toggleSpikelines"]


def toolbar_config(file_stem: str) -> dict:
    """The Plotly config of a dashboard chart: a Chinese toolbar, no Plotly logo, and a camera button that
    saves a PNG of the chart as shown, ``PNG_SCALE`` times the pixels, named ``file_stem``."""
    return {
        "locale": PLOTLY_LOCALE,
        "locales": {PLOTLY_LOCALE: PLOTLY_ZH_CN},
        "toImageButtonOptions": {"format": "png", "scale": PNG_SCALE, "filename": file_stem},
        "displaylogo": False,
        "modeBarButtonsToRemove": TOOLBAR_REMOVED,
    }
