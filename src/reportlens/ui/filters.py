"""The global filters: sidebar widgets bound to the URL, and the frozen ``Filters`` every page reads.

The widgets are built once, in ``app.py``, before the page runs; their keys are the URL's query parameter
names (``?reports=…&years=2022&years=2023&role=存在问题&palette=公文红``), so a copied link reopens the view.

The report picker starts at one choice, 「全部报告」: every report in the library, including those imported
later (a list of every id would leave a new report out, and would fill the sidebar with a thousand chips).
Picking a report drops 「全部报告」; picking 「全部报告」 again drops the single reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from reportlens.selection import ALL, select_reports
from reportlens.ui.strings import (
    ALL_REPORTS,
    EMPTY_LIBRARY,
    NOTHING_SELECTED,
    PALETTE_LABELS,
    ROLE_FILTER_LABELS,
)

KEY_REPORTS = "reports"
KEY_YEARS = "years"
KEY_ROLE = "role"
KEY_PALETTE = "palette"
NAMES_IN_CAPTION = 3  # list the reports by name up to this many, then only count them


@dataclass(frozen=True)
class Filters:
    """What the user chose. ``report_ids``: the reports in view (chosen and inside the year range), in corpus
    order; ``names``: their display names; ``years``: the year range (None when no report has a known
    year); ``narrowed``: whether the range excludes some years; ``role``: "all" or a role."""

    report_ids: tuple[str, ...]
    names: tuple[str, ...]
    years: tuple[int, int] | None
    narrowed: bool
    role: str
    palette: str
    total: int

    @property
    def empty(self) -> bool:
        return not self.report_ids

    @property
    def role_label(self) -> str:
        return ROLE_FILTER_LABELS.get(self.role, self.role)

    def years_label(self) -> str:
        if self.years is None:
            return "年份不详"
        low, high = self.years
        return str(low) if low == high else f"{low}–{high}"

    def caption(self) -> str:
        """The active filters in one Chinese line, for under a chart (so a screenshot says what it shows)."""
        if len(self.names) <= NAMES_IN_CAPTION:
            reports = "、".join(f"《{n}》" for n in self.names) or "无"
        else:
            reports = f"{len(self.names)} 篇"
        scope = "全部报告" if len(self.report_ids) == self.total and not self.narrowed else f"报告：{reports}"
        return f"筛选 · {scope}（共 {len(self.report_ids)}/{self.total} 篇）｜年份：{self.years_label()}｜部分：{self.role_label}"

    def file_stem(self, view: str) -> str:
        """A Chinese file name for a download of ``view``: 「关键词_存在问题_2022-2023」."""
        return f"{view}_{self.role_label}_{self.years_label().replace('–', '-')}"


def sidebar_filters(reports: pd.DataFrame) -> None:
    """Draw the global filters in the sidebar (once per run, from ``app.py``); pages read them with
    ``current_filters``. ``reports`` is ``CorpusTables.reports`` (``report_id``, ``label``, ``year``)."""
    labels = {ALL: ALL_REPORTS, **dict(zip(reports["report_id"], reports["label"], strict=True))}
    known = known_years(reports)
    with st.sidebar:
        st.header("筛选")
        st.multiselect(
            "报告",
            options=list(labels),
            default=[ALL],
            format_func=labels.__getitem__,
            key=KEY_REPORTS,
            bind="query-params",
            on_change=_one_meaning,
            placeholder="选择要查看的报告",
            help=f"「{ALL_REPORTS}」包括以后导入的报告；选择具体报告时它会自动去掉。",
        )
        if len(known) >= 2:
            st.slider(
                "年份范围",
                min_value=known[0],
                max_value=known[-1],
                value=(known[0], known[-1]),
                step=1,
                format="%d",
                key=KEY_YEARS,
                bind="query-params",
                help="年份不详的报告只在选中全部年份时显示。",
            )
        elif known:
            st.caption(f"年份：全部报告均为 {known[0]} 年")
        st.radio(
            "报告部分",
            options=list(ROLE_FILTER_LABELS),
            format_func=ROLE_FILTER_LABELS.__getitem__,
            key=KEY_ROLE,
            bind="query-params",
            help="只看报告中的工作成绩、存在问题或措施打算部分。",
        )
        st.radio(
            "图表配色",
            options=list(PALETTE_LABELS),
            format_func=PALETTE_LABELS.__getitem__,
            key=KEY_PALETTE,
            bind="query-params",
            horizontal=True,
        )


def _one_meaning() -> None:
    """Keep the report picker unambiguous: 「全部报告」 alone, or single reports (the last pick decides)."""
    chosen = list(st.session_state.get(KEY_REPORTS) or [])
    if ALL in chosen and len(chosen) > 1:
        st.session_state[KEY_REPORTS] = [ALL] if chosen[-1] == ALL else [c for c in chosen if c != ALL]


def chosen_ids(chosen: list[str] | None, all_ids: list[str]) -> list[str]:
    """The report ids the picker's value stands for: every id for 「全部报告」 (or no value yet)."""
    return list(all_ids) if chosen is None or ALL in chosen else list(chosen)


def known_years(reports: pd.DataFrame) -> list[int]:
    """The distinct known years of the corpus, ascending."""
    return sorted({int(y) for y in reports["year"].dropna()})


def current_filters(reports: pd.DataFrame) -> Filters:
    """The filters as the sidebar widgets (drawn earlier in this run by ``sidebar_filters``) set them."""
    state = st.session_state
    all_ids = reports["report_id"].tolist()
    chosen = chosen_ids(state.get(KEY_REPORTS), all_ids)
    known = known_years(reports)
    years: tuple[int, int] | None = None
    if known:
        low, high = state.get(KEY_YEARS, (known[0], known[-1])) if len(known) >= 2 else (known[0], known[0])
        years = (int(low), int(high))
    narrowed = years is not None and (years[0] > known[0] or years[1] < known[-1])
    selected = select_reports(reports, report_ids=chosen, years=years if narrowed else None)
    shorts = dict(zip(reports["report_id"], reports["short"], strict=True))
    return Filters(
        report_ids=tuple(selected),
        names=tuple(shorts[i] for i in selected),
        years=years,
        narrowed=narrowed,
        role=state.get(KEY_ROLE) or ALL,
        palette=state.get(KEY_PALETTE) or "calm",
        total=len(all_ids),
    )


def require_selection(filters: Filters) -> None:
    """Stop the page with a kind message when the filters select no report (or the library has none)."""
    if filters.empty:
        st.info(EMPTY_LIBRARY if filters.total == 0 else NOTHING_SELECTED, icon=":material/info:")
        st.stop()
