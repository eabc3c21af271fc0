"""The 「导出会议材料」 buttons: the whole pack under the current filters (in the sidebar) or one page's part of it
(at the foot of a page), as PowerPoint and as Excel. The files are made only when a button is clicked."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from reportlens.analysis.recurring import DEFAULT_THRESHOLD
from reportlens.export import PAGES, Scope, pptx_bytes, xlsx_bytes
from reportlens.ui import cache
from reportlens.ui.filters import Filters
from reportlens.ui.strings import PAGE_TITLES

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THRESHOLD_KEY = "rec_threshold"  # the 反复出现的问题 page's slider: the pack groups problems as the reader last did


def export_buttons(
    filters: Filters, *, pages: Sequence[str] = PAGES, key: str = "pack", label: str = "会议材料", sidebar: bool = False
) -> None:
    """Two download buttons, PPTX and XLSX, for ``pages`` of the pack under ``filters``."""
    if filters.empty:
        st.caption("没有选中报告，无法导出。")
        return
    scope = Scope(report_ids=filters.report_ids, role=filters.role, palette=filters.palette, caption=filters.caption())
    threshold = float(st.session_state.get(THRESHOLD_KEY, DEFAULT_THRESHOLD))

    def pack_file(kind: str) -> Callable[[], bytes]:
        def make() -> bytes:
            pack = cache.meeting_pack(scope, tuple(pages), threshold)
            return pptx_bytes(pack, palette=filters.palette) if kind == "pptx" else xlsx_bytes(pack)

        return make

    stem = filters.file_stem(label)
    buttons = (
        ("导出 PPT", "pptx", PPTX_MIME, ":material/slideshow:", "每张图一页幻灯片，图表可在 PowerPoint/WPS 中修改"),
        ("导出 Excel", "xlsx", XLSX_MIME, ":material/table_view:", "每张图、每个表一个工作表"),
    )
    # side by side: two columns in the narrow sidebar, one row as wide as its buttons under a page
    row = None if sidebar else st.container(horizontal=True, gap="small")
    columns = st.columns(2) if row is None else [row, row]
    for column, (text, kind, mime, icon, note) in zip(columns, buttons, strict=True):
        column.download_button(
            text,
            data=pack_file(kind),  # made only when clicked
            file_name=f"{stem}.{kind}",
            mime=mime,
            key=f"{key}-{kind}",
            on_click="ignore",
            icon=icon,
            help=f"{label}：{note}",
        )


def sidebar_export(filters: Filters) -> None:
    """「导出会议材料」 in the sidebar: every page's charts and the insights under the current filters."""
    with st.sidebar:
        st.subheader("导出会议材料")
        export_buttons(filters, key="pack-all", sidebar=True)


def page_export(filters: Filters, page: str) -> None:
    """「导出本页」 at the foot of a page: that page's slides and sheets only."""
    st.divider()
    st.subheader("导出本页")
    export_buttons(filters, pages=(page,), key=f"pack-{page}", label=f"会议材料_{PAGE_TITLES[page]}")
