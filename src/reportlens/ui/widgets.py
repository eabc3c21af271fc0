"""Rendering helpers every page uses: a chart with its caption and downloads, a table, a section's text.

Report text is untrusted: it reaches the screen only through ``st.text``, ``st.dataframe`` and widget
options (all plain text), or escaped (``escape_markdown``) where a Streamlit element parses Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from reportlens.cloud import MASK_SHAPES
from reportlens.palettes import palette as get_palette
from reportlens.safe_cells import safe_frame
from reportlens.ui import cache
from reportlens.ui.filters import Filters
from reportlens.ui.strings import (
    CLOUD_SCOPE_LABELS,
    DOWNLOAD_DATA,
    ITEM_ROLE_LABELS,
    MASK_LABELS,
    PALETTE_LABELS,
    ROLE_FILTER_LABELS,
    label,
    label_frame,
)

# ASCII punctuation Markdown (and Streamlit's :directives:) may act on: 「[link](url)」「**」「:red[…]」
RE_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")
PNG_SCALE = 3
# A chart with a row (or a panel) per report stays readable up to this many reports; past it, the first ones.
CHART_REPORTS_MAX = 40
PANEL_REPORTS_MAX = 12
UNKNOWN_YEAR = "不详"
KWIC_ROWS_MAX = 2_000  # keyword-in-context rows in the table (the count above it covers every hit)
# How the dashboard's tables show their common columns (keys are the Chinese headers after ``label_frame``).
TABLE_COLUMNS: dict = {
    label("report"): st.column_config.TextColumn(width="medium"),
    label("title"): st.column_config.TextColumn(width="medium"),
    label("text"): st.column_config.TextColumn(width="large"),
    label("left"): st.column_config.TextColumn(width="medium", alignment="right"),
    label("keyword"): st.column_config.TextColumn(width="small"),
    label("right"): st.column_config.TextColumn(width="medium"),
    label("year"): st.column_config.NumberColumn(format="%d", width="small"),
    label("number"): st.column_config.NumberColumn(width="small"),
    label("chars"): st.column_config.NumberColumn(format="localized"),
    label("similarity"): st.column_config.ProgressColumn(
        min_value=0.0, max_value=1.0, format="%.2f", width="medium"
    ),
    label("coverage"): st.column_config.ProgressColumn(
        min_value=0.0, max_value=1.0, format="percent", width="medium"
    ),
    label("year_evidence"): st.column_config.TextColumn(width="large"),
    label("centrality"): st.column_config.NumberColumn(format="%.2f", width="small"),
    label("share"): st.column_config.NumberColumn(format="percent", width="small"),
    label("words"): st.column_config.TextColumn(width="medium"),
    label("evidence"): st.column_config.TextColumn(width="large"),
    label("match"): st.column_config.TextColumn(width="large"),
}


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown-active ASCII character backslash-escaped, so it shows as written."""
    return RE_MARKDOWN_SPECIAL.sub(r"\\\1", text)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV with Chinese column names, UTF-8 with BOM so Excel opens it correctly; text cells a
    spreadsheet would run as formulas are marked as text (``safe_cells.safe_frame``). Rows end in CRLF (RFC
    4180), so a cell holding a carriage return or a line break is quoted and stays one cell."""
    return safe_frame(label_frame(frame)).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def charted(report_ids: tuple[str, ...], limit: int = CHART_REPORTS_MAX) -> tuple[str, ...]:
    """The reports a per-report chart draws: the first ``limit``, with a note when some are left out."""
    if len(report_ids) > limit:
        st.caption(f"图中只画出前 {limit} 篇（共 {len(report_ids)} 篇）。在左侧筛选中缩小范围，可查看其余报告。")
    return report_ids[:limit]


def chart_config(file_stem: str) -> dict:
    """Plotly config: the camera button saves a PNG at 3 times the size named after the view."""
    return {
        "toImageButtonOptions": {"format": "png", "scale": PNG_SCALE, "filename": file_stem},
        "displaylogo": False,
    }


def caption(filters: Filters, note: str = "") -> None:
    """The active filters under a chart (plus an optional note), safe for report titles."""
    st.caption(escape_markdown(filters.caption() + (f"｜{note}" if note else "")))


def download_csv(frame: pd.DataFrame, *, file_stem: str, key: str) -> None:
    st.download_button(
        DOWNLOAD_DATA,
        data=csv_bytes(frame),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        on_click="ignore",
        icon=":material/download:",
    )


def show_chart(
    fig: go.Figure, *, view: str, filters: Filters, data: pd.DataFrame, key: str, note: str = ""
) -> None:
    """A chart, the caption naming the filters, and a 下载数据 button for the numbers behind it.

    ``view`` names the chart in Chinese; with the filters it names the PNG and CSV files.
    """
    stem = filters.file_stem(view)
    st.plotly_chart(fig, config=chart_config(stem), width="stretch", theme=None, key=f"chart-{key}")
    caption(filters, note)
    download_csv(data, file_stem=stem, key=key)


def show_table(
    frame: pd.DataFrame,
    *,
    view: str,
    filters: Filters,
    key: str,
    column_config: dict | None = None,
    height: int | Literal["auto"] = "auto",
) -> None:
    """A table with Chinese headers, the caption naming the filters, and a 下载数据 button. An unknown year
    shows as 「不详」 (the CSV leaves it empty)."""
    config = {**TABLE_COLUMNS, **(column_config or {})}
    shown = label_frame(frame)
    year = label("year")
    if year in shown.columns and shown[year].isna().any():
        shown[year] = [UNKNOWN_YEAR if pd.isna(y) else str(int(y)) for y in shown[year]]
        config[year] = st.column_config.TextColumn(width="small")
    config = {k: v for k, v in config.items() if k in shown.columns}
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, height=height)
    caption(filters)
    download_csv(frame, file_stem=filters.file_stem(view), key=key)


def show_outline(rows: pd.DataFrame, *, filters: Filters, key: str) -> None:
    """A report's outline (``selection.outline_rows``): headings indented by level, the part each belongs to
    written in its role colour, item counts; with the caption and a 下载数据 button."""
    colors = get_palette(filters.palette).roles
    shown = label_frame(rows.drop(columns=["section_path"]))
    role_column = label("role")
    styles = [f"color: {colors.get(r, '#444444')}; font-weight: 600" for r in rows["role"]]
    styler = shown.style.apply(lambda _column: styles, subset=[role_column])
    st.dataframe(
        styler,
        hide_index=True,
        width="stretch",
        column_config={label("outline"): st.column_config.TextColumn(width="large")},
    )
    caption(filters)
    download_csv(rows, file_stem=filters.file_stem("提纲"), key=key)


def show_items(items: pd.DataFrame) -> None:
    """One report's items (``selection.items_of`` rows) grouped by role: numbered titles, full text on demand."""
    if items.empty:
        st.info("这篇报告没有列出条目。")
        return
    for role, group in items.groupby("role", sort=False):
        st.text(f"{label(str(role))}（{len(group)} 条）")
        for number, title, text in group[["number", "title", "text"]].itertuples(index=False):
            with st.expander(f"{number}. {escape_markdown(str(title))}"):
                show_text(str(text))


def show_hit_sections(
    places: dict[tuple[str, str], tuple[str, str, int]], read: Callable[[tuple[str, str]], str]
) -> None:
    """Pick one of the sections holding keyword hits (``selection.hit_sections``) and read it."""
    if not places:
        return
    place = st.selectbox(
        "阅读出处章节",
        list(places),
        key="kw_place",
        format_func=lambda p: f"{places[p][0]} · {places[p][1] or '（未标题部分）'}（{places[p][2]} 处）",
    )
    with st.expander("章节原文"):
        show_text(read(place))


def show_text(text: str) -> None:
    """A report's text, as plain text (never Markdown or HTML)."""
    st.text(text, width="stretch", wrap=True)


CLOUD_SIZE = {"wide": (1000, 560), "square": (760, 760)}


@dataclass(frozen=True)
class CloudOptions:
    """What the word-cloud controls chose: which text (reports and role) and how to draw it."""

    report_ids: tuple[str, ...]
    role: str
    palette: str
    max_words: int
    mask: str | None
    view: str


def cloud_controls(filters: Filters, names: dict[str, str]) -> CloudOptions:
    """The word-cloud controls: scope (the filtered set, one report, one part), palette, words, shape."""
    scope_col, palette_col, words_col, mask_col = st.columns(4)
    scope = scope_col.radio(
        "范围", list(CLOUD_SCOPE_LABELS), format_func=CLOUD_SCOPE_LABELS.__getitem__, key="cloud_scope"
    )
    palettes = list(PALETTE_LABELS)
    palette = palette_col.radio(
        "配色",
        palettes,
        index=palettes.index(filters.palette),
        format_func=PALETTE_LABELS.__getitem__,
        key="cloud_palette",
    )
    max_words = words_col.slider(
        "最多词数", min_value=20, max_value=200, value=100, step=10, key="cloud_words"
    )
    mask = mask_col.selectbox(
        "形状", ["none", *MASK_SHAPES], format_func=MASK_LABELS.__getitem__, key="cloud_mask"
    )
    report_ids, role = filters.report_ids, filters.role
    if scope == "report":
        chosen = st.selectbox("报告", report_ids, format_func=names.__getitem__, key="cloud_report")
        report_ids = (chosen,)
    elif scope == "role":
        roles = list(ITEM_ROLE_LABELS)
        role = st.radio(
            "部分", roles, format_func=ROLE_FILTER_LABELS.__getitem__, horizontal=True, key="cloud_role"
        )
    return CloudOptions(
        report_ids=tuple(report_ids),
        role=role,
        palette=palette,
        max_words=max_words,
        mask=None if mask == "none" else mask,
        view=f"词云_{CLOUD_SCOPE_LABELS[scope]}",
    )


CLOUD_DOWNLOAD_SCALE = 4  # the download is 4 times the screen image: 4000 by 2240 pixels


def show_word_cloud(words: dict[str, int], options: CloudOptions, *, filters: Filters, key: str) -> None:
    """A word cloud of ``words``, the caption naming the filters, and a high-resolution PNG download
    (rendered only when clicked) plus the word counts as CSV."""
    if not words:
        st.info("当前筛选下没有可以画进词云的词语。")
        return
    width, height = CLOUD_SIZE["square" if options.mask == "circle" else "wide"]
    pairs = tuple(sorted(words.items(), key=lambda kv: (-kv[1], kv[0])))

    def render(scale: int) -> bytes:
        return cache.cloud_png(
            pairs,
            width=width * scale,
            height=height * scale,
            palette=options.palette,
            max_words=options.max_words,
            mask=options.mask,
        )

    st.image(render(1), width="content")
    caption(filters)
    stem = filters.file_stem(options.view)

    png_col, csv_col = st.columns([1, 4])
    with png_col:
        st.download_button(
            "下载高清 PNG",
            data=lambda: render(CLOUD_DOWNLOAD_SCALE),  # drawn only when clicked
            file_name=f"{stem}.png",
            mime="image/png",
            key=f"png-{key}",
            on_click="ignore",
            icon=":material/image:",
        )
    with csv_col:
        frame = pd.DataFrame(pairs, columns=["term", "count"])
        download_csv(frame, file_stem=stem, key=key)
