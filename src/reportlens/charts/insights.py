"""The charts of 问题与措施 and the cross-report insights: the theme matrix, recurring groups by years, coverage
(heatmap and bars), recycled shares and promises kept."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from reportlens.charts.style import (
    BAR_HEIGHT,
    FONT_SIZE,
    LEGEND_TOP,
    TEXT_COLOR,
    THEME_CHROME,
    THEME_PANEL_GAP,
    THEME_ROW,
    WRAPPED_BARS_MAX,
    _label,
    _titles,
    _two_lines,
    _wrap,
    _year_category,
    plain,
    style,
)
from reportlens.palettes import palette as get_palette


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
