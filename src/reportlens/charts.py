"""Plotly figures for the dashboard: one function per chart, each returning a ``go.Figure``.

Every figure goes through ``style()``: the CJK font family, sizes readable on a projected slide, a white
background and the chosen palette (``palettes.PALETTES``: "calm" or the red "official" one). Inputs are
DataFrames with English snake_case columns (documented per function); ``labels`` maps column and role
names to what a reader sees (the dashboard passes ``ui.strings.LABELS``). Years are whole numbers on their
axis, never 2,023.5; a trend keeps the real distance between years, so a year without reports shows as a gap.

A figure carries its own heading (``set_heading``: the title and a subtitle naming the reports, years and part,
from ``views.describe``), so an exported image says what it shows. ``toolbar_config`` is the Plotly config
of the dashboard: a Chinese toolbar (``PLOTLY_ZH_CN``) and a PNG button with a describing file name.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from reportlens.names import section_name
from reportlens.palettes import palette as get_palette
from reportlens.roles import ROLE_CODES

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


def reports_per_year(
    counts: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Stacked bars of reports per year, split by whether the year was stated or inferred.

    ``counts``: ``year`` (Int64, <NA> for unknown), ``year_inferred`` (bool), ``reports`` (int).
    """
    pal = get_palette(palette)
    frame = counts.sort_values("year", na_position="last", kind="stable")
    order = list(dict.fromkeys(_year_category(frame["year"])))
    fig = go.Figure()
    for inferred, name, color in (
        (False, _label(labels, "year_stated"), pal.colors[0]),
        (True, _label(labels, "year_inferred"), pal.colors[1]),
    ):
        part = frame[frame["year_inferred"] == inferred]
        if part.empty:
            continue
        fig.add_bar(
            x=_year_category(part["year"]),
            y=part["reports"].tolist(),
            name=name,
            marker_color=color,
            text=part["reports"].tolist(),
            textposition="inside",
            hovertemplate="%{x}: %{y}<extra>" + name + "</extra>",
        )
    # the legend says whether the years are stated or inferred, even when all of them are one kind
    fig.update_layout(barmode="stack", legend=LEGEND_TOP, showlegend=True)
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=order, title_text=_label(labels, "year")
    )
    fig.update_yaxes(title_text=_label(labels, "reports"), dtick=1, rangemode="tozero")
    return style(fig, title=title, palette=palette, height=380)


def role_share_bars(
    shares: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One horizontal 100 % bar per report, stacked by role: how much of the text each part takes.

    ``shares``: ``report`` (display name), ``role``, ``chars``, ``share`` (0–1), as from
    ``analysis.role_shares`` with a report name added. Reports keep their order, top to bottom.
    """
    pal = get_palette(palette)
    reports = plain(dict.fromkeys(shares["report"]))
    present = set(shares.loc[shares["chars"] > 0, "role"])  # a role no report has gets no legend entry
    roles = [r for r in ROLE_CODES if r in present] + sorted(present - set(ROLE_CODES))
    fig = go.Figure()
    for role in roles:
        part = shares[shares["role"] == role]
        name = _label(labels, role)
        fig.add_bar(
            y=plain(part["report"]),
            x=(part["share"] * 100).round(1).tolist(),
            customdata=list(zip(part["chars"].tolist(), _titles(part), strict=True)),
            orientation="h",
            name=name,
            marker_color=pal.roles.get(role, pal.colors[-1]),
            text=[f"{v:.0f}%" if v >= 6 else "" for v in part["share"] * 100],
            textposition="inside",
            insidetextanchor="middle",
            # %{x} already carries the axis' "%" suffix
            hovertemplate="%{customdata[1]}<br>" + name + "：%{x}（%{customdata[0]} 字）<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend=LEGEND_TOP)
    fig.update_xaxes(range=[0, 100], ticksuffix="%", title_text=_label(labels, "share"))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=reports[::-1], title_text="")
    return style(fig, title=title, palette=palette, height=int(140 + BAR_HEIGHT * 1.6 * len(reports)))


def _box_label(text: str, width: int = TREEMAP_LINE, lines: int = TREEMAP_LINES) -> str:
    """A treemap box label: at most ``lines`` lines of ``width`` characters, the rest shown as 「…」 (narrow
    boxes take short lines; Plotly shrinks a label to fit, down to ``TREEMAP_TEXT_MIN`` pixels)."""
    if len(text) > width * lines:
        text = text[: width * lines - 1] + "…"
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width))


def section_treemap(
    sections: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """A treemap of one report's sections, each box sized by its characters and coloured by its role.

    ``sections``: ``section_path`` ("1", "1/2"; "0" the preamble), ``parent_path`` ("" at the top),
    ``heading``, ``role``, ``chars`` (the whole section, children included), in reading order: the boxes keep
    it (一是 before 四是), and a label too small to read at ``TREEMAP_TEXT_MIN`` pixels is left out (the
    hover still names the box).
    """
    pal = get_palette(palette)
    titles = sections["title"] if "title" in sections.columns else [""] * len(sections)
    headings = [
        section_name(h, r, labels, title=t)
        for h, r, t in zip(sections["heading"], sections["role"], titles, strict=True)
    ]
    parents = set(sections["parent_path"])
    # a box holding others shows its heading on one line in its header strip; the others wrap and say their size
    has_children = [path in parents for path in sections["section_path"]]
    fig = go.Figure(
        go.Treemap(
            ids=sections["section_path"].tolist(),
            parents=sections["parent_path"].tolist(),
            labels=[
                _box_label(h, width=TREEMAP_HEADER, lines=1) if inner else _box_label(h)
                for h, inner in zip(plain(headings), has_children, strict=True)
            ],
            values=sections["chars"].tolist(),
            branchvalues="total",
            sort=False,  # reading order, not size order
            marker={
                "colors": [pal.roles.get(r, pal.colors[-1]) for r in sections["role"]],
                "line": {"color": "white", "width": 2},
            },
            customdata=list(zip(plain(headings), [_label(labels, r) for r in sections["role"]], strict=True)),
            texttemplate=["%{label}" if inner else "%{label}<br>%{value} 字" for inner in has_children],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}：%{value} 字<extra></extra>",
            maxdepth=2,  # top sections and their children; a click on a box zooms into it
            pathbar={"visible": True, "textfont": {"size": FONT_SIZE - 2}},
            tiling={"pad": 3},
            textfont={"family": FONT_FAMILY, "size": FONT_SIZE, "color": "white"},
        )
    )
    fig.update_layout(
        margin={"l": 8, "r": 8}, uniformtext={"minsize": TREEMAP_TEXT_MIN, "mode": "hide"}
    )
    return style(fig, title=title, palette=palette, height=560)


def top_terms_bar(
    terms: pd.DataFrame,
    *,
    value: str = "count",
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Horizontal bars of the top terms, the most frequent at the top. ``terms``: ``term`` and ``value``."""
    color = get_palette(palette).colors[0]
    fig = go.Figure(
        go.Bar(
            y=plain(terms["term"]),
            x=terms[value].tolist(),
            orientation="h",
            marker_color=color,
            text=[f"{v:g}" if value == "count" else f"{v:.1f}" for v in terms[value]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}：%{x}<extra></extra>",
        )
    )
    fig.update_yaxes(type="category", autorange="reversed", title_text="")
    fig.update_xaxes(title_text=_label(labels, value), rangemode="tozero")
    if value == "count" and len(terms) and terms[value].max() <= 10:
        fig.update_xaxes(dtick=1)  # small counts: whole numbers only, no 0.5 ticks
    return style(fig, title=title, palette=palette, height=120 + BAR_HEIGHT * max(len(terms), 3))


def term_heatmap(
    matrix: pd.DataFrame,
    *,
    value: str = "per_10k",
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Reports-by-terms heatmap. ``matrix``: ``report``, ``term``, ``value`` (long form, one row per cell);
    reports and terms keep their order of first appearance."""
    reports = list(dict.fromkeys(matrix["report"]))
    terms = list(dict.fromkeys(matrix["term"]))
    grid = matrix.pivot_table(index="report", columns="term", values=value, aggfunc="sum", fill_value=0)
    grid = grid.reindex(index=reports, columns=terms, fill_value=0)
    titles = dict(zip(matrix["report"], _titles(matrix), strict=True))
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy().tolist(),
            x=plain(terms),
            y=plain(reports),
            colorscale=list(get_palette(palette).scale),
            colorbar={"title": {"text": _label(labels, value)}},
            customdata=[[titles[r]] * len(terms) for r in reports],
            hovertemplate="%{customdata}<br>%{x}：%{z:.1f}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(type="category", tickangle=-45, side="bottom", showgrid=False)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    return style(fig, title=title, palette=palette, height=200 + 48 * len(reports))


def distinctive_terms_bars(
    frame: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
    per_row: int = 2,
) -> go.Figure:
    """Small multiples: for each report, its most distinctive terms by log-likelihood (G², the bar length).

    ``frame``: ``report`` (display name), ``term``, ``log_likelihood``; reports keep their order.
    """
    colors = get_palette(palette).colors
    reports = list(dict.fromkeys(frame["report"]))
    cols = max(1, min(per_row, len(reports)))
    rows = max(1, -(-len(reports) // cols))
    longest = int(frame.groupby("report").size().max()) if len(frame) else 1
    panel = 70 + 28 * longest  # pixels per row of panels
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=plain(reports),
        horizontal_spacing=0.22,
        vertical_spacing=min(0.3, 80 / (rows * panel)) if rows > 1 else 0.1,
    )
    for i, report in enumerate(reports):
        part = frame[frame["report"] == report]
        fig.add_bar(
            y=plain(part["term"]),
            x=part["log_likelihood"].round(1).tolist(),
            orientation="h",
            marker_color=colors[i % len(colors)],
            showlegend=False,
            hovertemplate="%{y}：特色程度 %{x}<extra>" + _titles(part)[0] + "</extra>",
            row=i // cols + 1,
            col=i % cols + 1,
        )
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_xaxes(rangemode="tozero")
    fig.update_annotations(font={"size": FONT_SIZE})
    return style(fig, title=title, palette=palette, height=90 + rows * panel)


def term_trend_lines(
    trends: pd.DataFrame,
    *,
    value: str = "per_10k",
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One line per term across the years. ``trends``: ``year`` (int), ``term``, ``value`` and ``reports``
    (how many reports stand behind the year), as ``selection.trends`` gives them.

    The axis keeps the real distance between years: a year without reports is a gap in the axis and a break
    in the lines, not a year squeezed out; each year's tick says how many reports it has (「2023<br>4 篇」).
    """
    years = sorted(int(y) for y in trends["year"].unique())
    counts = trends.drop_duplicates("year").set_index("year")["reports"] if "reports" in trends else None
    span = list(range(years[0], years[-1] + 1)) if years else []
    fig = go.Figure()
    for term in dict.fromkeys(trends["term"]):
        part = trends[trends["term"] == term].set_index("year")[value].reindex(span)
        name = plain([term])[0]
        fig.add_scatter(
            x=span,
            y=[None if pd.isna(v) else round(float(v), 2) for v in part],  # a year without reports: a break
            name=name,
            mode="lines+markers",
            line={"width": 3},
            marker={"size": 10},
            connectgaps=False,
            hovertemplate="%{x} 年：%{y}<extra>" + name + "</extra>",
        )
    shown = span if len(span) <= TREND_TICKS_MAX else years
    ticks = [
        f"{y}<br>{int(counts[y])} 篇" if counts is not None and y in counts.index else (f"{y}<br>无报告" if counts is not None else str(y))
        for y in shown
    ]
    fig.update_xaxes(
        type="linear",
        tickmode="array",
        tickvals=shown,
        ticktext=ticks,
        range=[span[0] - 0.5, span[-1] + 0.5] if span else None,
        title_text=_label(labels, "year"),
        showgrid=False,
    )
    fig.update_yaxes(title_text=_label(labels, value), rangemode="tozero")
    return style(fig, title=title, palette=palette, height=460)


def theme_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Reports by themes, one panel per role (problems above measures): how many items raise each theme.

    ``matrix``: ``report`` (display name), ``role``, ``theme``, ``count`` (as ``analysis.problems.theme_matrix``
    with a report name); themes and reports keep their order. Each panel has room for its two-line theme
    labels and the next panel's title, and the one colour bar spans the whole chart, even for one report.
    """
    roles = list(dict.fromkeys(matrix["role"]))
    themes = list(dict.fromkeys(matrix["theme"]))
    reports = list(dict.fromkeys(matrix["report"]))
    panels = max(1, len(roles))
    panel = THEME_ROW * max(1, len(reports))  # pixels of one panel's cells
    plot_height = panels * panel + (panels - 1) * THEME_PANEL_GAP
    fig = make_subplots(
        rows=panels,
        cols=1,
        vertical_spacing=THEME_PANEL_GAP / plot_height if panels > 1 else 0.0,
        subplot_titles=[_label(labels, r) for r in roles],
    )
    zmax = max(1, int(matrix["count"].max())) if len(matrix) else 1
    titles = dict(zip(matrix["report"], _titles(matrix), strict=True))
    for i, role in enumerate(roles):
        grid = matrix[matrix["role"] == role].pivot_table(
            index="report", columns="theme", values="count", aggfunc="sum", fill_value=0
        )
        grid = grid.reindex(index=reports, columns=themes, fill_value=0)
        fig.add_heatmap(
            z=grid.to_numpy().tolist(),
            x=[_two_lines(t) for t in plain(themes)],
            y=plain(reports),
            text=grid.to_numpy().tolist(),
            texttemplate="%{text}",
            zmin=0,
            zmax=zmax,
            colorscale=list(get_palette(palette).scale),
            showscale=i == 0,
            # one bar for the whole chart (paper coordinates), not squeezed into the first panel
            colorbar={"title": {"text": _label(labels, "count")}, "len": 1.0, "y": 0.5, "yanchor": "middle"},
            xgap=2,
            ygap=2,
            customdata=[[titles[r]] * len(themes) for r in reports],
            hovertemplate="%{customdata}<br>%{x}：%{z}<extra>" + _label(labels, role) + "</extra>",
            row=i + 1,
            col=1,
        )
    fig.update_xaxes(type="category", side="bottom", showgrid=False, showticklabels=True, tickangle=0)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    fig.update_annotations(font={"size": FONT_SIZE})
    return style(fig, title=title, palette=palette, height=THEME_CHROME + plot_height)


def items_per_report(
    counts: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Grouped horizontal bars: how many problems and measures each report lists.

    ``counts``: ``report`` (display name), ``role``, ``items``; one bar per report in each role's trace.
    """
    pal = get_palette(palette)
    reports = plain(dict.fromkeys(counts["report"]))
    fig = go.Figure()
    # horizontal groups stack their first trace at the bottom: add the roles in reverse, list them in order
    for role in reversed(list(dict.fromkeys(counts["role"]))):
        part = counts[counts["role"] == role]
        fig.add_bar(
            y=plain(part["report"]),
            x=part["items"].tolist(),
            orientation="h",
            name=_label(labels, role),
            marker_color=pal.roles.get(role, pal.colors[0]),
            text=part["items"].tolist(),
            textposition="outside",
            cliponaxis=False,
            customdata=_titles(part),
            hovertemplate="%{customdata}<br>" + _label(labels, role) + "：%{x} 条<extra></extra>",
        )
    fig.update_layout(barmode="group", legend={**LEGEND_TOP, "traceorder": "reversed"})
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=reports[::-1], title_text="")
    fig.update_xaxes(title_text=_label(labels, "items"), dtick=1, rangemode="tozero")
    return style(fig, title=title, palette=palette, height=140 + 2 * BAR_HEIGHT * len(reports))


# ------------------------------------------------------------------------------ cross-report insights


def _wrap(text: str, width: int = 14) -> str:
    """A long axis label in lines of ``width`` characters (Plotly breaks only at <br>)."""
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width)) or text


def _written_heatmap(
    z: list[list[float]],
    *,
    x: list[str],
    y: list[str],
    text: list[list[str]],
    zmax: float,
    value: str,
    palette: str,
    colorbar: dict | None = None,
) -> go.Figure:
    """A heatmap with each cell's number written in it, on category axes, rows from the top."""
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=zmax,
            colorscale=list(get_palette(palette).scale),
            colorbar={"title": {"text": value}, **(colorbar or {})},
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}<br>" + value + "：%{text}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category", showgrid=False)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    return fig


def recurring_heatmap(
    grid: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Recurring groups by years: how many members each group has in each year, the count in each cell.

    ``grid``: ``group``, ``group_label``, ``year``, ``items`` (``recurring.group_years``); groups keep their order,
    top to bottom, and are named 「1. label」.
    """
    groups = list(dict.fromkeys(grid["group"]))
    label_of = dict(zip(grid["group"], grid["group_label"], strict=True))
    names = {g: f"{i + 1}. {label_of[g]}" for i, g in enumerate(groups)}
    years = sorted(grid["year"].unique())
    pivot = grid.pivot_table(index="group", columns="year", values="items", aggfunc="sum", fill_value=0)
    pivot = pivot.reindex(index=groups, columns=years, fill_value=0)
    z = pivot.to_numpy()
    fig = _written_heatmap(
        z.tolist(),
        x=[str(y) for y in years],
        y=plain(names[g] for g in groups),
        text=[[str(v) if v else "" for v in row] for row in z.tolist()],
        zmax=max(1, int(z.max())) if z.size else 1,
        value=_label(labels, "items"),
        palette=palette,
        colorbar={"dtick": 1} if z.size and z.max() <= 10 else None,
    )
    fig.update_xaxes(title_text=_label(labels, "year"))
    return style(fig, title=title, palette=palette, height=160 + 34 * max(len(groups), 3))


def coverage_heatmap(
    grid: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One report's problems (rows) by measures (columns), each cell the score, written in it.

    ``grid``: ``problem``, ``measure`` (display names), ``score`` (``insights.coverage_grid``).
    """
    problems = list(dict.fromkeys(grid["problem"]))
    measures = list(dict.fromkeys(grid["measure"]))
    pivot = grid.pivot_table(index="problem", columns="measure", values="score", aggfunc="max", fill_value=0.0)
    pivot = pivot.reindex(index=problems, columns=measures, fill_value=0.0)
    z = pivot.to_numpy()
    fig = _written_heatmap(
        z.round(3).tolist(),
        x=[_wrap(m, 10) for m in plain(measures)],
        y=[_wrap(p, 18) for p in plain(problems)],
        text=[[f"{v:.2f}" for v in row] for row in z.tolist()],
        zmax=max(0.3, float(z.max())) if z.size else 0.3,
        value=_label(labels, "score"),
        palette=palette,
    )
    fig.update_xaxes(side="bottom", tickangle=0)
    return style(fig, title=title, palette=palette, height=220 + 70 * max(len(problems), 2))


def coverage_bars(
    summary: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One horizontal bar per report: its problems split into answered and not answered by a measure.

    ``summary``: ``report`` (display name), ``problems``, ``answered`` (``coverage.coverage_summary`` with names).
    """
    pal = get_palette(palette)
    reports = plain(summary["report"])
    unanswered = (summary["problems"] - summary["answered"]).tolist()
    fig = go.Figure()
    for name, values, color in (
        (_label(labels, "answered"), summary["answered"].tolist(), pal.roles["measures"]),
        (_label(labels, "unanswered"), unanswered, pal.roles["problems"]),
    ):
        fig.add_bar(
            y=reports,
            x=values,
            orientation="h",
            name=name,
            marker_color=color,
            text=[str(v) if v else "" for v in values],
            textposition="inside",
            hovertemplate="%{y}<br>" + name + "：%{x}<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend=LEGEND_TOP)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=reports[::-1], title_text="")
    fig.update_xaxes(title_text=_label(labels, "problems"), dtick=1, rangemode="tozero")
    return style(fig, title=title, palette=palette, height=int(140 + BAR_HEIGHT * 1.4 * max(len(reports), 2)))


def recycled_share_bars(
    shares: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """The share of each report's text that recurs elsewhere, one bar per report grouped under its year.

    ``shares``: ``report`` (display name), ``year`` (Int64, may be <NA>), ``share`` (0–1); reports are shown in
    year order (unknown years last), then as given.
    """
    frame = shares.assign(_year=shares["year"].astype("Float64").fillna(float("inf")))
    frame = frame.sort_values("_year", kind="stable")
    years = _year_category(frame["year"])
    color = get_palette(palette).colors[0]
    few = len(frame) <= WRAPPED_BARS_MAX  # few bars: names wrapped under each; many: names turned upright
    names = [_wrap(n, 8) if few else n for n in plain(frame["report"])]
    fig = go.Figure(
        go.Bar(
            x=[years, names],
            y=(frame["share"] * 100).round(1).tolist(),
            marker_color=color,
            text=[f"{v:.0f}%" for v in frame["share"] * 100],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}<br>%{y}%<extra></extra>",
        )
    )
    fig.update_xaxes(type="multicategory", tickangle=0 if few else -90)
    fig.update_yaxes(title_text=_label(labels, "share"), ticksuffix="%", rangemode="tozero")
    return style(fig, title=title, palette=palette, height=480)


def promise_bars(
    results: pd.DataFrame,
    *,
    threshold: float,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One horizontal bar per promise: how alike its best match in the later report is, coloured by whether it
    reaches ``threshold`` (a dashed line marks it). ``results``: ``number``, ``title``, ``score``,
    ``delivered`` (``promises.promise_delivery``); promises keep their order, top to bottom."""
    pal = get_palette(palette)
    names = [f"{n}. {t if len(t) <= 16 else t[:15] + '…'}" for n, t in zip(results["number"], plain(results["title"]), strict=True)]
    fig = go.Figure()
    for delivered, key, color in ((True, "delivered", pal.roles["measures"]), (False, "not_delivered", pal.roles["problems"])):
        part = results["delivered"].to_numpy() == delivered
        if not part.any():
            continue
        fig.add_bar(
            y=[n for n, keep in zip(names, part, strict=True) if keep],
            x=results.loc[part, "score"].round(3).tolist(),
            orientation="h",
            name=_label(labels, key),
            marker_color=color,
            text=[f"{v:.2f}" for v in results.loc[part, "score"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}：%{x:.2f}<extra></extra>",
        )
    fig.add_vline(x=threshold, line_dash="dash", line_color=TEXT_COLOR)
    fig.update_layout(legend=LEGEND_TOP, barmode="overlay")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=names[::-1], title_text="")
    fig.update_xaxes(title_text=_label(labels, "score"), rangemode="tozero")
    return style(fig, title=title, palette=palette, height=int(140 + BAR_HEIGHT * 1.4 * max(len(names), 2)))


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
