"""The global filters: sidebar widgets kept in the URL, and the frozen ``Filters`` every page reads.

The widgets are drawn once, in ``app.py``, before the page runs, and only those that change what the page
shows (``PAGE_FILTERS``: none on 语料管理 and 词典与停用词, no part on 总览). Their keys are the URL's query
parameter names, so a copied link reopens the view:
``?reports=3f2a9c0d1e4b5a67:市文旅局 2023 党风廉政报告&years=2022&years=2023&role=存在问题&palette=公文红``.

Reports are named in the URL by their stable id (``links``): editing a title never changes a link, and a
link naming a report that was deleted opens the others with a warning naming it. The report picker starts
at one choice, 「全部报告」: every report in the library, including those imported later. Picking a report
drops 「全部报告」; picking 「全部报告」 again drops the single reports.

The year range follows the library: after an import that adds a year, an unnarrowed range grows to take it
in (a narrowed one keeps the user's choice, within the new bounds).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from reportlens import links, views
from reportlens.selection import ALL, select_reports
from reportlens.ui.strings import (
    ALL_REPORTS,
    EMPTY_LIBRARY,
    NOTHING_SELECTED,
    PALETTE_FILTER,
    PALETTE_LABELS,
    PART_FILTER,
    ROLE_FILTER_LABELS,
    part_label,
)

KEY_REPORTS = "reports"
KEY_YEARS = "years"
KEY_ROLE = "role"
KEY_PALETTE = "palette"
KEY_MISSING = "reports_missing"  # the names of reports a link named that the library no longer holds
KEY_BOUNDS = "years_bounds"  # the year range the slider was last drawn with
FILTER_NAMES = ("reports", "years", "role", "palette")
# The global filters that change what each page shows; a page not listed shows none.
# (反复出现的问题 chooses its own part; 承诺与落实 and 套话与重复 read whole reports.)
PAGE_FILTERS: dict[str, tuple[str, ...]] = {
    "overview": ("reports", "years", "palette"),
    "structure": FILTER_NAMES,
    "keywords": FILTER_NAMES,
    "problems": FILTER_NAMES,
    "recurring": ("reports", "years", "palette"),
    "promises": ("reports", "years", "palette"),
    "reuse": ("reports", "years", "palette"),
}


@dataclass(frozen=True)
class Filters:
    """What the user chose. ``report_ids``: the reports in view (chosen and inside the year range), in corpus
    order; ``role``: "all" or a role; ``total``: how many reports the library holds; ``scope``: what the
    selection is, for subtitles and file names (``views``)."""

    report_ids: tuple[str, ...]
    role: str
    palette: str
    total: int
    scope: views.Scope = field(default_factory=lambda: views.Scope(names=(), years=()))

    def caption(self) -> str:
        """The selection in words: 「全部 5 篇报告｜2022–2023 年｜存在问题部分」 (``views.subtitle``)."""
        return views.subtitle(self.scope)

    def file_stem(self, view: str) -> str:
        """A file name for a download of ``view`` under these filters (``views.file_stem``)."""
        return views.file_stem(view, self.scope)

    @property
    def empty(self) -> bool:
        return not self.report_ids

    @property
    def role_label(self) -> str:
        return ROLE_FILTER_LABELS.get(self.role, self.role)


def sidebar_filters(reports: pd.DataFrame, shown: Collection[str] = FILTER_NAMES) -> None:
    """Draw the global filters named in ``shown`` in the sidebar (once per run, from ``app.py``); pages read
    them with ``current_filters``. ``reports`` is ``CorpusTables.reports`` (``report_id``, ``short``,
    ``year``, …)."""
    if not shown:
        return
    with st.sidebar:
        st.header("筛选")
        if "reports" in shown:
            _report_picker(reports)
        if "years" in shown:
            _year_range(reports)
        if "role" in shown:
            st.radio(
                PART_FILTER,
                options=list(ROLE_FILTER_LABELS),
                format_func=ROLE_FILTER_LABELS.__getitem__,
                key=KEY_ROLE,
                bind="query-params",
                help="只看报告中的工作成绩、存在问题或措施打算部分。",
            )
        if "palette" in shown:
            st.radio(
                PALETTE_FILTER,
                options=list(PALETTE_LABELS),
                format_func=PALETTE_LABELS.__getitem__,
                key=KEY_PALETTE,
                bind="query-params",
                horizontal=True,
            )


def _report_picker(reports: pd.DataFrame) -> None:
    """The report picker, in the URL by report id (``links``): a link's reports are taken once, when the
    session starts; a report deleted meanwhile drops out of the choice with a warning naming it."""
    names = {ALL: ALL_REPORTS, **dict(zip(reports["report_id"], reports["short"], strict=True))}
    state = st.session_state
    if KEY_REPORTS not in state:  # the session's first run (the picker's value then lasts the session)
        values = st.query_params.get_all(KEY_REPORTS)
        resolved = links.resolve(values, reports)
        state[KEY_REPORTS] = list(resolved.ids) if values else [ALL]
        state[KEY_MISSING] = list(resolved.missing)
    else:
        kept = [i for i in state[KEY_REPORTS] if i in names]
        if len(kept) < len(state[KEY_REPORTS]):  # deleted meanwhile (语料管理, or another session)
            state[KEY_REPORTS] = kept
    st.multiselect(
        "报告",
        options=list(names),
        format_func=names.__getitem__,
        key=KEY_REPORTS,
        on_change=_one_meaning,
        placeholder="选择要查看的报告",
        select_all=False,
        persist_state="session",  # kept while a page without filters (语料管理) is open
        help=f"「{ALL_REPORTS}」包括以后导入的报告；选择具体报告时它会自动去掉。",
    )
    if state.get(KEY_MISSING):
        st.warning(links.missing_message(state[KEY_MISSING]), icon=":material/link_off:")
    chosen = list(state.get(KEY_REPORTS) or [])
    if chosen == [ALL]:
        if KEY_REPORTS in st.query_params:
            del st.query_params[KEY_REPORTS]
    else:
        wanted = [links.encode(i, names[i]) for i in chosen]
        if st.query_params.get_all(KEY_REPORTS) != wanted:
            st.query_params[KEY_REPORTS] = wanted


def _year_range(reports: pd.DataFrame) -> None:
    """The year slider over the library's known years, kept fresh when an import adds a year."""
    known = known_years(reports)
    if len(known) < 2:
        if known:
            st.caption(f"年份：全部报告均为 {known[0]} 年")
        return
    state = st.session_state
    bounds = (known[0], known[-1])
    previous = state.get(KEY_BOUNDS)
    if KEY_YEARS in state and previous is not None and tuple(previous) != bounds:
        low, high = (int(y) for y in state[KEY_YEARS])
        if (low, high) == tuple(previous):  # the whole range: it grows with the library
            state[KEY_YEARS] = bounds
        else:  # the user's own range, kept inside the new bounds
            low, high = max(low, bounds[0]), min(high, bounds[1])
            state[KEY_YEARS] = (low, high) if low <= high else bounds
    state[KEY_BOUNDS] = bounds
    st.slider(
        "年份范围",
        min_value=bounds[0],
        max_value=bounds[1],
        value=bounds,
        step=1,
        format="%d",
        key=KEY_YEARS,
        bind="query-params",
        help="年份不详的报告只在选中全部年份时显示。",
    )


def _one_meaning() -> None:
    """Keep the report picker unambiguous: 「全部报告」 alone, or single reports (the last pick decides); a
    change of the picker also retires the warning about a link's missing reports."""
    chosen = list(st.session_state.get(KEY_REPORTS) or [])
    if ALL in chosen and len(chosen) > 1:
        st.session_state[KEY_REPORTS] = [ALL] if chosen[-1] == ALL else [c for c in chosen if c != ALL]
    st.session_state[KEY_MISSING] = []


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
    chosen = [i for i in chosen_ids(state.get(KEY_REPORTS), all_ids) if i in set(all_ids)]
    known = known_years(reports)
    years: tuple[int, int] | None = None
    if len(known) >= 2:
        low, high = state.get(KEY_YEARS, (known[0], known[-1]))
        years = (int(low), int(high))
    narrowed = years is not None and (years[0] > known[0] or years[1] < known[-1])
    selected = select_reports(reports, report_ids=chosen, years=years if narrowed else None)
    role = state.get(KEY_ROLE) or ALL
    return Filters(
        report_ids=tuple(selected),
        role=role,
        palette=state.get(KEY_PALETTE) or "calm",
        total=len(all_ids),
        scope=views.scope_of(reports, selected, part=part_label(role)),
    )


def require_selection(filters: Filters) -> None:
    """Stop the page with a kind message when the filters select no report (or the library has none)."""
    if filters.empty:
        st.info(EMPTY_LIBRARY if filters.total == 0 else NOTHING_SELECTED, icon=":material/info:")
        st.stop()
