"""The charts of 关键词: top terms, reports × terms heatmap, distinctive terms, term trends by year, and the
co-occurrence network of the top terms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
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


NETWORK_HEIGHT = 640  # pixels: room for 50 labelled nodes
NETWORK_NODE_SIZE = (14, 46)  # marker diameter in pixels, least and most frequent node
NETWORK_EDGE_WIDTH = (1.0, 9.0)  # line width in pixels, weakest and strongest edge
NETWORK_EDGE_COLOR = "rgba(95, 99, 104, 0.45)"
NETWORK_ITERATIONS = 300
NETWORK_SPREAD = 2.4  # how far apart terms keep, against how close shared sentences pull them


def _scaled(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """``values`` mapped linearly onto [low, high] (all ``low`` … ``high`` midway when they are all equal)."""
    if not len(values):
        return values.astype(float)
    span = float(values.max() - values.min())
    if span == 0:
        return np.full(len(values), (low + high) / 2)
    return low + (values - values.min()) / span * (high - low)


def network_layout(terms: Sequence[str], edges: pd.DataFrame, *, iterations: int = NETWORK_ITERATIONS) -> np.ndarray:
    """Positions (one ``x, y`` row per term, within [-1, 1]) for a network of ``terms`` joined by ``edges``
    (``term_a, term_b, count``): a force-directed layout (Fruchterman–Reingold) that pulls terms which share
    many sentences together and pushes every pair apart, started from a circle in the order given, with no
    randomness, so the same network is always drawn the same way. Each axis is stretched to [-1, 1] on its own,
    as the chart is wider than high."""
    count = len(terms)
    if count == 0:
        return np.zeros((0, 2))
    angles = 2 * np.pi * np.arange(count) / count
    pos = np.column_stack((np.cos(angles), np.sin(angles)))
    if count == 1:
        return pos * 0
    index = {term: i for i, term in enumerate(terms)}
    known = edges[edges["term_a"].isin(index) & edges["term_b"].isin(index)]
    a = known["term_a"].map(index).to_numpy(dtype=int)
    b = known["term_b"].map(index).to_numpy(dtype=int)
    weight = known["count"].to_numpy(dtype=float)
    weight = weight / weight.max() if len(weight) else weight
    k = NETWORK_SPREAD * np.sqrt(4.0 / count)  # the distance two nodes keep: a share of a 2 × 2 square
    step = 0.2
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
        np.fill_diagonal(distance, np.inf)
        move = (delta / distance[:, :, None] * (k * k / distance)[:, :, None]).sum(axis=1)  # repulsion
        along = pos[a] - pos[b]
        length = np.maximum(np.linalg.norm(along, axis=1), 1e-3)
        pull = along / length[:, None] * (length * length / k * (0.5 + 0.5 * weight))[:, None]  # attraction
        np.add.at(move, a, -pull)
        np.add.at(move, b, pull)
        size = np.maximum(np.linalg.norm(move, axis=1), 1e-9)
        pos = pos + move / size[:, None] * np.minimum(size, step)[:, None]
        pos = pos - pos.mean(axis=0)
        step *= 0.985
    span = np.maximum(np.abs(pos).max(axis=0), 1e-9)
    return pos / span  # each axis across [-1, 1]: the network fills the chart's width and height


def cooccurrence_network(
    edges: pd.DataFrame,
    *,
    sizes: Sequence[tuple[str, float]] = (),
    value: str = "count",
    title: str = "",
    palette: str = "calm",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """A co-occurrence network: a node per term, sized by its frequency (``sizes``: term → ``value``, most
    frequent first), and a line between two terms for each row of ``edges`` (``term_a, term_b, count``: the
    sentences that hold both), as wide as that count. Terms of ``sizes`` without an edge are left out; hovering
    a line's middle shows its count."""
    values = dict(sizes)
    linked = set(edges["term_a"]) | set(edges["term_b"])
    terms = [t for t in values if t in linked] + sorted(linked - set(values))
    pos = network_layout(terms, edges)
    where = {term: pos[i] for i, term in enumerate(terms)}
    widths = np.rint(_scaled(edges["count"].to_numpy(dtype=float), *NETWORK_EDGE_WIDTH))
    fig = go.Figure()
    for width in sorted(set(widths.tolist())):  # one trace per line width: a few traces, not one per edge
        xs: list[float | None] = []
        ys: list[float | None] = []
        for row in edges[widths == width].itertuples(index=False):
            (x0, y0), (x1, y1) = where[row.term_a], where[row.term_b]
            xs += [float(x0), float(x1), None]
            ys += [float(y0), float(y1), None]
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", line={"width": width, "color": NETWORK_EDGE_COLOR},
                hoverinfo="skip", showlegend=False, name=f"edges-{width:g}",
            )
        )  # fmt: skip
    unit = _label(labels, "sentences")
    fig.add_trace(
        go.Scatter(
            x=[(where[r.term_a][0] + where[r.term_b][0]) / 2 for r in edges.itertuples(index=False)],
            y=[(where[r.term_a][1] + where[r.term_b][1]) / 2 for r in edges.itertuples(index=False)],
            mode="markers",
            marker={"size": 12, "opacity": 0},
            customdata=[[str(r.term_a), str(r.term_b), int(r.count)] for r in edges.itertuples(index=False)],
            hovertemplate=f"%{{customdata[0]}} — %{{customdata[1]}}：%{{customdata[2]}} {unit}<extra></extra>",
            showlegend=False,
            name="edges",
        )
    )
    frequency = np.array([float(values.get(t, 0.0)) for t in terms])
    color = get_palette(palette).colors[0]
    fig.add_trace(
        go.Scatter(
            x=pos[:, 0].tolist(),
            y=pos[:, 1].tolist(),
            mode="markers+text",
            text=plain(terms),
            textposition="top center",
            marker={"size": _scaled(np.sqrt(frequency), *NETWORK_NODE_SIZE).tolist(), "color": color,
                    "line": {"color": "white", "width": 1.5}},
            customdata=frequency.tolist(),
            hovertemplate=f"%{{text}}：%{{customdata:g}}（{_label(labels, value)}）<extra></extra>",
            showlegend=False,
            name="terms",
        )
    )  # fmt: skip
    fig.update_xaxes(visible=False, range=[-1.12, 1.12])
    fig.update_yaxes(visible=False, range=[-1.12, 1.18])  # room above the top node for its label
    return style(fig, title=title, palette=palette, height=NETWORK_HEIGHT)
