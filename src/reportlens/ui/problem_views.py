"""The 问题与措施 page's sections below its lists — two reports side by side, the theme matrix, problems similar to
one, and whether the measures answer the problems — each with its empty case said in Chinese. The page
(``pages/problems.py``) only lays them out."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from reportlens import insights, selection
from reportlens.analysis.recurring import DEFAULT_THRESHOLD as SIMILAR_MIN
from reportlens.tables import CorpusTables
from reportlens.ui import cache
from reportlens.ui.strings import ITEM_ROLE_LABELS, SIMILARITY_NOTE, THEME_UNIT_LABELS
from reportlens.ui.widgets import report_select, show_chart, show_items, show_table, show_text, view_scope

Ids = tuple[str, ...]


def side_by_side(tables: CorpusTables, ids: Ids, names: Mapping[str, str], role: str) -> None:
    """The items of two chosen reports in two columns (a report is never compared with itself)."""
    st.subheader("两篇报告对照")
    if len(ids) < 2:
        st.info("对照需要至少两篇报告：请在左侧选择更多报告。")
        return
    first_column, second_column = st.columns(2)
    with first_column:
        first = report_select("报告甲", ids, names, key="side_0")
        show_items(selection.items_of(tables, [first], role))
    with second_column:
        second = report_select("报告乙", [i for i in ids if i != first], names, key="side_1")
        show_items(selection.items_of(tables, [second], role))


def theme_matrix(tables: CorpusTables, shown: Ids, palette: str) -> None:
    """Which themes of the theme lexicon each report's problems and measures touch, counted by the chosen unit."""
    st.subheader("主题矩阵")
    unit = st.radio(
        "计数单位",
        list(THEME_UNIT_LABELS),
        format_func=THEME_UNIT_LABELS.__getitem__,
        horizontal=True,
        key="theme_unit",
        bind="query-params",
    )
    show_chart(
        "theme_heatmap",
        selection.theme_grid(tables, shown, cache.themes(), unit=unit),
        palette=palette,
        view="主题矩阵",
        title="各报告的问题与措施涉及哪些主题",
        scope=view_scope(tables.reports, shown, role=""),
        key="themes",
        note="主题词表可在「词典与停用词」页编辑。",
    )


def similar_problems(tables: CorpusTables, ids: Ids, names: Mapping[str, str]) -> None:
    """The problems of the other selected reports most like one chosen problem, with the words they share."""
    st.subheader("相似问题")
    with_problems = selection.reports_with_items(tables, ids, "problems")
    if not with_problems:
        st.info("所选报告没有列出问题。")
        return
    source = report_select("问题所在的报告", with_problems, names, key="similar_report")
    problem_rows = selection.items_of(tables, [source], "problems")
    choices = {r.item_id: f"{ITEM_ROLE_LABELS['problems']} {r.number}：{r.title}" for r in problem_rows.itertuples()}
    item_id = st.selectbox("选择一个问题", list(choices), format_func=choices.__getitem__, key="similar_item")
    with st.expander("这个问题的原文"):
        show_text(selection.item_text(tables, item_id))
    similar = insights.similar_to(tables, cache.item_index(), item_id, ids, min_similarity=SIMILAR_MIN)
    if similar.empty:
        st.info(f"其他所选报告中没有相似度达到 {SIMILAR_MIN:g} 的问题。")
        return
    st.text(f"其他报告中相似度不低于 {SIMILAR_MIN:g} 的问题（标题和全文的字面相似度，0 到 1），以及共同的词：")
    show_table(
        similar[["report", "year", "number", "title", "similarity", "words"]],
        view="相似问题",
        scope=view_scope(tables.reports, ids, "problems"),
        key="similar",
    )


def coverage_section(tables: CorpusTables, ids: Ids, shown: Ids, names: Mapping[str, str], palette: str) -> None:
    """How many of each report's problems a measure answers, the pairs, and one report's problems × measures."""
    st.subheader("措施是否回应了问题")
    st.caption(SIMILARITY_NOTE)
    view = cache.coverage(ids)
    if view.answers.empty:
        st.info("所选报告没有列出问题。")
        return
    summary = view.summary[view.summary["report_id"].isin(shown)]
    show_chart(
        "coverage_bars",
        summary,
        palette=palette,
        view="措施回应问题",
        title="各报告有措施回应的问题数",
        scope=view_scope(tables.reports, list(summary["report_id"]), ""),
        data=view.summary,
        key="coverage-bars",
    )
    show_table(
        view.answers[insights.ANSWER_VIEW_COLUMNS],
        view="措施回应问题明细",
        scope=view_scope(tables.reports, ids, ""),
        key="coverage",
    )
    chosen = report_select("查看一篇报告的问题与措施对照", view.summary["report_id"].tolist(), names, key="coverage_report")
    grid = insights.coverage_grid(tables, cache.coverage_scores(), chosen)
    if grid.empty:
        st.info("这篇报告没有列出措施，无法对照。")
        return
    show_chart(
        "coverage_heatmap",
        grid,
        palette=palette,
        view="问题措施对照",
        title="问题与措施逐一对照（相似度）",
        scope=view_scope(tables.reports, [chosen], ""),
        key="coverage-grid",
    )
