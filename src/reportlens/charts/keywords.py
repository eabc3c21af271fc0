"""The charts of 关键词: top terms, reports × terms heatmap, distinctive terms, term trends by year."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from reportlens.charts.style import (
    BAR_HEIGHT,
    FONT_SIZE,
    TREND_TICKS_MAX,
    _label,
    _titles,
    plain,
    style,
)
from reportlens.palettes import palette as get_palette


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
