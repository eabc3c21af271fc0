"""The charts of 总览 and 结构: reports per year, text share by part, a report's section treemap, items per report."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from reportlens.charts.style import (
    BAR_HEIGHT,
    FONT_FAMILY,
    FONT_SIZE,
    LEGEND_TOP,
    TREEMAP_HEADER,
    TREEMAP_LINE,
    TREEMAP_LINES,
    TREEMAP_TEXT_MIN,
    _label,
    _titles,
    _year_category,
    plain,
    style,
)
from reportlens.names import section_name
from reportlens.palettes import palette as get_palette
from reportlens.roles import ROLE_CODES


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
