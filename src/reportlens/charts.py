"""Plotly figures for the dashboard: one function per chart, each returning a ``go.Figure``.

Every figure goes through ``style()``: the CJK font family, sizes readable on a projected slide, a white
background and the chosen palette (``palettes.PALETTES``: "calm" or the red "official" one). Inputs are
DataFrames with English snake_case columns (documented per function); ``labels`` maps column and role
names to what a reader sees (the dashboard passes ``ui.strings.LABELS``). Years are categories, never a
continuous axis, so there is no 2,023.5 tick.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from reportlens.palettes import palette as get_palette
from reportlens.roles import ROLE_CODES

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
FONT_SIZE = 16  # axis ticks and legend: readable from the back of a meeting room
TITLE_SIZE = 22
BAR_HEIGHT = 30  # pixels per bar of a horizontal bar chart
TEXT_COLOR = "#2B2B2B"
GRID_COLOR = "#E6E6E6"
UNKNOWN_YEAR = "年份不详"
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


def _two_lines(text: str) -> str:
    """A short axis label broken in the middle (「理论<br>学习」), so a row of them does not run together."""
    if len(text) < 4:
        return text
    half = -(-len(text) // 2)
    return f"{text[:half]}<br>{text[half:]}"


def style(fig: go.Figure, *, title: str = "", palette: str = "calm", height: int | None = None) -> go.Figure:
    """Apply the house look to ``fig`` (in place) and return it."""
    colors = get_palette(palette).colors
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0.01, "xanchor": "left"} if title else None,
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOR},
        colorway=list(colors),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 16, "r": 16, "t": 64 if title else 24, "b": 16},
        legend={"font": {"size": FONT_SIZE}, "title": {"text": ""}},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": FONT_SIZE - 1}},
    )
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
            customdata=part["chars"].tolist(),
            orientation="h",
            name=name,
            marker_color=pal.roles.get(role, pal.colors[-1]),
            text=[f"{v:.0f}%" if v >= 6 else "" for v in part["share"] * 100],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}<br>" + name + "：%{x}%（%{customdata} 字）<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend=LEGEND_TOP)
    fig.update_xaxes(range=[0, 100], ticksuffix="%", title_text=_label(labels, "share"))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=reports[::-1], title_text="")
    return style(fig, title=title, palette=palette, height=int(140 + BAR_HEIGHT * 1.6 * len(reports)))


def section_treemap(
    sections: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """A treemap of one report's sections, each box sized by its characters and coloured by its role.

    ``sections``: ``section_path`` ("1", "1/2"; "0" the preamble), ``parent_path`` ("" at the top),
    ``heading``, ``role``, ``chars`` (the whole section, children included).
    """
    pal = get_palette(palette)
    names = plain(
        (h if len(h) <= 18 else h[:17] + "…") if h else _label(labels, role)
        for h, role in zip(sections["heading"], sections["role"], strict=True)
    )
    fig = go.Figure(
        go.Treemap(
            ids=sections["section_path"].tolist(),
            parents=sections["parent_path"].tolist(),
            labels=names,
            values=sections["chars"].tolist(),
            branchvalues="total",
            marker={
                "colors": [pal.roles.get(r, pal.colors[-1]) for r in sections["role"]],
                "line": {"color": "white", "width": 2},
            },
            customdata=[_label(labels, r) for r in sections["role"]],
            texttemplate="%{label}<br>%{value} 字",
            hovertemplate="%{label}<br>%{customdata}：%{value} 字<extra></extra>",
            maxdepth=2,  # top sections and their children; a click on a box zooms into it
            pathbar={"visible": True},
            tiling={"pad": 3},
            textfont={"family": FONT_FAMILY, "size": FONT_SIZE, "color": "white"},
        )
    )
    fig.update_layout(margin={"l": 8, "r": 8})
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
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy().tolist(),
            x=plain(terms),
            y=plain(reports),
            colorscale=list(get_palette(palette).scale),
            colorbar={"title": {"text": _label(labels, value)}},
            hovertemplate="%{y}<br>%{x}：%{z:.1f}<extra></extra>",
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
            hovertemplate="%{y}：特色程度 %{x}<extra>" + plain([report])[0] + "</extra>",
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
    """One line per term across years. ``trends``: ``year`` (int), ``term``, ``value`` (from
    ``analysis.term_trends``); the year axis is categorical."""
    years = [str(y) for y in sorted(trends["year"].unique())]
    fig = go.Figure()
    for term in dict.fromkeys(trends["term"]):
        part = trends[trends["term"] == term].sort_values("year")
        fig.add_scatter(
            x=[str(y) for y in part["year"]],
            y=part[value].round(2).tolist(),
            name=plain([term])[0],
            mode="lines+markers",
            line={"width": 3},
            marker={"size": 10},
            hovertemplate="%{x}：%{y}<extra>" + plain([term])[0] + "</extra>",
        )
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=years, title_text=_label(labels, "year")
    )
    fig.update_yaxes(title_text=_label(labels, value), rangemode="tozero")
    return style(fig, title=title, palette=palette, height=440)


def theme_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Reports by themes, one panel per role (problems above measures): how many items raise each theme.

    ``matrix``: ``report`` (display name), ``role``, ``theme``, ``count`` (as ``analysis.problems.theme_matrix``
    with a report name); themes and reports keep their order.
    """
    roles = list(dict.fromkeys(matrix["role"]))
    themes = list(dict.fromkeys(matrix["theme"]))
    reports = list(dict.fromkeys(matrix["report"]))
    fig = make_subplots(
        rows=max(1, len(roles)),
        cols=1,
        vertical_spacing=0.16,
        subplot_titles=[_label(labels, r) for r in roles],
    )
    zmax = max(1, int(matrix["count"].max())) if len(matrix) else 1
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
            colorbar={"title": {"text": _label(labels, "count")}},
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}：%{z}<extra>" + _label(labels, role) + "</extra>",
            row=i + 1,
            col=1,
        )
    fig.update_xaxes(type="category", side="bottom", showgrid=False, showticklabels=True, tickangle=0)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    fig.update_annotations(font={"size": FONT_SIZE})
    return style(fig, title=title, palette=palette, height=140 + len(roles) * (60 + 40 * len(reports)))


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
