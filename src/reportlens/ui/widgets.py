"""Rendering helpers every page uses: a chart with its heading, notes and downloads, a table, a report picker
kept in the URL, a section's text (the 关键词 page's own widgets, the word cloud among them, are in
``ui.keywords``).

Every chart and picture says what it shows inside itself: ``views.describe`` names the reports, the years in
view and the part; ``charts.set_heading`` puts that under the chart's title, and the same words name the
downloaded files. Report text is untrusted: it reaches the screen only through ``st.text``, ``st.dataframe``
and widget options (all plain text), or escaped (``escape_markdown``) where a Streamlit element parses
Markdown.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from PIL import Image, ImageDraw, ImageFont

from reportlens import chart_images, charts, links, views
from reportlens.fonts import cjk_font_path
from reportlens.labels import Range
from reportlens.names import section_name
from reportlens.palettes import palette as get_palette
from reportlens.safe_cells import safe_frame
from reportlens.ui import cache
from reportlens.ui.strings import (
    DOWNLOAD_DATA,
    LABELS,
    ROLE_LABELS,
    export_frame,
    label,
    part_label,
)

# ASCII punctuation Markdown (and Streamlit's :directives:) may act on: 「[link](url)」「**」「:red[…]」
RE_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")
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
SLIDE_HELP = (
    f"16:9 幻灯片尺寸（{chart_images.SLIDE.width}×{chart_images.SLIDE.height} 像素），图内写明报告、年份和部分。"
    "图表右上角的相机按钮则按屏幕上的样子下载 PNG。"
)
SVG_HELP = "矢量图（16:9），插入 Word 或 PPT 后可任意缩放而不模糊。"


FAVICON_SIZE = 64
FAVICON_COLOR = "#B71C1C"


@functools.cache
def favicon() -> Image.Image:
    """The browser tab's icon: 「报」 in white on a red rounded square, drawn here with the bundled font, so
    the app fetches nothing from the web for it."""
    size = FAVICON_SIZE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=FAVICON_COLOR)
    font = ImageFont.truetype(str(cjk_font_path("Bold")), round(size * 0.72))
    draw.text((size / 2, size / 2), "报", font=font, fill="white", anchor="mm")
    return image


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown-active ASCII character backslash-escaped, so it shows as written."""
    return RE_MARKDOWN_SPECIAL.sub(r"\\\1", text)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as a reader's CSV (``export_frame``: full report titles, no ids, rounded, Chinese headers),
    UTF-8 with BOM so Excel opens it correctly; text cells a spreadsheet would run as formulas are marked as
    text (``safe_cells.safe_frame``). Rows end in CRLF (RFC 4180), so a cell holding a carriage return or a
    line break is quoted and stays one cell."""
    return safe_frame(export_frame(frame, for_file=True)).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def charted(report_ids: tuple[str, ...], limit: int = CHART_REPORTS_MAX) -> tuple[str, ...]:
    """The reports a per-report chart draws: the first ``limit``, with a note when some are left out."""
    if len(report_ids) > limit:
        st.caption(f"图中只画出前 {limit} 篇（共 {len(report_ids)} 篇）。在左侧筛选中缩小范围，可查看其余报告。")
    return report_ids[:limit]


def view_scope(reports: pd.DataFrame, report_ids: Sequence[str], role: str = "all") -> views.Scope:
    """What a view draws, for its subtitle and file names: these reports (short names, years) and the part."""
    return views.scope_of(reports, report_ids, part=part_label(role))


def caption(text: str) -> None:
    """A caption safe for report names."""
    st.caption(escape_markdown(text))


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


def _image_buttons(fig: go.Figure, stem: str, key: str) -> None:
    """16:9 PNG and SVG of ``fig``, drawn on the server when clicked; disabled, saying why, without a browser."""
    unavailable = chart_images.image_unavailable()
    for fmt, text, help_text, mime, icon in (
        ("png", "幻灯片图片", SLIDE_HELP, "image/png", ":material/slideshow:"),
        ("svg", "SVG 矢量图", SVG_HELP, "image/svg+xml", ":material/draw:"),
    ):
        st.download_button(
            text,
            data=b"" if unavailable else (lambda fmt=fmt: chart_images.figure_image(fig, fmt)),  # type: ignore[misc]
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"{fmt}-{key}",
            on_click="ignore",
            icon=icon,
            disabled=unavailable is not None,
            help=unavailable or help_text,
        )


def show_chart(
    chart: str,
    frame: pd.DataFrame,
    *,
    view: str,
    scope: views.Scope,
    key: str,
    data: pd.DataFrame | None = None,
    title: str | None = None,
    note: str = "",
    **options: object,
) -> None:
    """``charts.<chart>(frame, **options)`` (labels in Chinese) with a heading that says what it shows (title;
    reports, years, part), a note under it if any, and its downloads: the numbers (``data``, else ``frame``)
    as CSV, a 16:9 slide PNG and an SVG (the toolbar's camera saves the screen view). ``view`` names the
    chart in Chinese and, with the scope, every file. The figure is built once per filter state
    (``cache.figure``)."""
    description = views.describe(view, scope, title=title)
    fig = cache.figure(
        chart, frame, title=description.title, subtitle=description.subtitle, labels=LABELS, **options
    )
    st.plotly_chart(
        fig, config=charts.toolbar_config(description.file_stem), width="stretch", theme=None, key=f"chart-{key}"
    )
    if note:
        caption(note)
    with st.container(horizontal=True, gap="small"):
        download_csv(frame if data is None else data, file_stem=description.file_stem, key=key)
        _image_buttons(fig, description.file_stem, key)


def show_table(
    frame: pd.DataFrame,
    *,
    view: str,
    scope: views.Scope,
    key: str,
    column_config: dict | None = None,
    height: int | Literal["auto"] = "auto",
) -> None:
    """A table as a reader gets it (``export_frame``: Chinese headers, no ids, rounded numbers), a caption
    saying which reports, years and part it holds, and a 下载数据 button. An unknown year shows as 「不详」
    (the CSV leaves it empty)."""
    config = {**TABLE_COLUMNS, **(column_config or {})}
    shown = export_frame(frame)
    year = label("year")
    if year in shown.columns and shown[year].isna().any():
        shown[year] = [UNKNOWN_YEAR if pd.isna(y) else str(int(y)) for y in shown[year]]
        config[year] = st.column_config.TextColumn(width="small")
    config = {k: v for k, v in config.items() if k in shown.columns}
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, height=height)
    description = views.describe(view, scope)
    caption(description.subtitle)
    download_csv(frame, file_stem=description.file_stem, key=key)


def show_outline(rows: pd.DataFrame, *, scope: views.Scope, palette: str, key: str) -> None:
    """A report's outline (``selection.outline_rows``): headings indented by level, the part each belongs to
    written in its role colour, item counts; with the caption and a 下载数据 button."""
    colors = get_palette(palette).roles
    shown = export_frame(rows)
    role_column = label("role")
    styles = [f"color: {colors.get(r, '#444444')}; font-weight: 600" for r in rows["role"]]
    styler = shown.style.apply(lambda _column: styles, subset=[role_column])
    st.dataframe(
        styler,
        hide_index=True,
        width="stretch",
        column_config={label("outline"): st.column_config.TextColumn(width="large")},
    )
    description = views.describe("提纲", scope)
    caption(description.subtitle)
    download_csv(rows, file_stem=description.file_stem, key=key)


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
    places: dict[tuple[str, str], tuple[str, str, str, int]], read: Callable[[tuple[str, str]], str]
) -> None:
    """Pick one of the sections holding keyword hits (``selection.hit_sections``) and read it."""
    if not places:
        return

    def name(place: tuple[str, str]) -> str:
        report, heading, role, hits = places[place]
        return f"{report} · {section_name(heading, role, ROLE_LABELS)}（{hits} 处）"

    place = st.selectbox("阅读出处章节", list(places), key="kw_place", format_func=name)
    with st.expander("章节原文"):
        show_text(read(place))


def show_text(text: str) -> None:
    """A report's text, as plain text (never Markdown or HTML)."""
    st.text(text, width="stretch", wrap=True)


def range_slider(label: str, bounds: Range, *, key: str, where: Any = st) -> int:
    """A slider over ``bounds`` (a ``labels.Range``: the CLI offers the same numbers), kept in the URL;
    ``where``: a column or container to draw it in."""
    return int(
        where.slider(
            label,
            min_value=bounds.low,
            max_value=bounds.high,
            value=bounds.default,
            step=bounds.step,
            key=key,
            bind="query-params",
        )
    )


def report_select(
    text: str, options: Sequence[str], names: Mapping[str, str], *, key: str, default: int = 0
) -> str:
    """A selectbox of reports (ids shown by name) kept in the URL by id (``links``), so a shared link reopens
    the same report; a link's report that is not among ``options`` gives way to the default."""
    state = st.session_state
    if key not in state:
        wanted = links.resolve(st.query_params.get_all(key), pd.DataFrame({"report_id": list(options)})).ids
        state[key] = wanted[0] if wanted else options[min(default, len(options) - 1)]
    elif state[key] not in options:
        state[key] = options[min(default, len(options) - 1)]
    chosen = st.selectbox(text, list(options), format_func=lambda i: names.get(i, i), key=key)
    value = links.encode(chosen, names.get(chosen, ""))
    if st.query_params.get(key) != value:
        st.query_params[key] = value
    return chosen
