"""问题与措施: every problem and measure, two reports side by side, themes by reports, similar problems (with a
minimum similarity and the shared words), and whether each report's measures answer its problems (by content)."""

import streamlit as st

from reportlens import insights, selection
from reportlens.analysis.recurring import DEFAULT_THRESHOLD as SIMILAR_MIN
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.strings import (
    ITEM_ROLE_LABELS,
    NOTHING_IN_ROLE,
    PAGE_TITLES,
    SIMILARITY_NOTE,
    THEME_UNIT_LABELS,
)
from reportlens.ui.widgets import (
    charted,
    report_select,
    show_chart,
    show_items,
    show_table,
    show_text,
    view_scope,
)

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["problems"])
require_selection(filters)
ids, palette, role = filters.report_ids, filters.palette, filters.role
names = dict(zip(tables.reports["report_id"], tables.reports["short"], strict=True))
items = selection.items_of(tables, ids, role)
if items.empty:
    st.info(NOTHING_IN_ROLE.format(role=filters.role_label))
    st.stop()

st.subheader("条目清单")
show_table(
    items[selection.ITEM_VIEW_COLUMNS],
    view="问题与措施清单",
    scope=view_scope(tables.reports, ids, role),
    key="items",
    height=360,
)

shown = charted(ids)
counts = selection.items_per_report(tables, shown)
show_chart(
    "items_per_report",
    counts,
    palette=palette,
    view="各报告列出的问题与措施",
    scope=view_scope(tables.reports, shown, role=""),
    key="item-counts",
)

st.subheader("两篇报告对照")
if len(ids) < 2:
    st.info("对照需要至少两篇报告：请在左侧选择更多报告。")
else:
    first_column, second_column = st.columns(2)
    with first_column:
        first = report_select("报告甲", ids, names, key="side_0")
        show_items(selection.items_of(tables, [first], role))
    with second_column:
        others = [i for i in ids if i != first]  # a report is never compared with itself
        second = report_select("报告乙", others, names, key="side_1")
        show_items(selection.items_of(tables, [second], role))

st.subheader("主题矩阵")
themes = cache.themes()
unit = st.radio(
    "计数单位",
    list(THEME_UNIT_LABELS),
    format_func=THEME_UNIT_LABELS.__getitem__,
    horizontal=True,
    key="theme_unit",
    bind="query-params",
)
matrix = selection.theme_grid(tables, shown, themes, unit=unit)
show_chart(
    "theme_heatmap",
    matrix,
    palette=palette,
    view="主题矩阵",
    title="各报告的问题与措施涉及哪些主题",
    scope=view_scope(tables.reports, shown, role=""),
    key="themes",
    note="主题词表可在「词典与停用词」页编辑。",
)

st.subheader("相似问题")
with_problems = selection.reports_with_items(tables, ids, "problems")
if not with_problems:
    st.info("所选报告没有列出问题。")
else:
    source = report_select("问题所在的报告", with_problems, names, key="similar_report")
    problem_rows = selection.items_of(tables, [source], "problems")
    choices = {r.item_id: f"{ITEM_ROLE_LABELS['problems']} {r.number}：{r.title}" for r in problem_rows.itertuples()}
    item_id = st.selectbox("选择一个问题", list(choices), format_func=choices.__getitem__, key="similar_item")
    with st.expander("这个问题的原文"):
        show_text(selection.item_text(tables, item_id))
    similar = insights.similar_to(tables, cache.item_index(), item_id, ids, min_similarity=SIMILAR_MIN)
    if similar.empty:
        st.info(f"其他所选报告中没有相似度达到 {SIMILAR_MIN:g} 的问题。")
    else:
        st.text(f"其他报告中相似度不低于 {SIMILAR_MIN:g} 的问题（标题和全文的字面相似度，0 到 1），以及共同的词：")
        show_table(
            similar[["report", "year", "number", "title", "similarity", "words"]],
            view="相似问题",
            scope=view_scope(tables.reports, ids, "problems"),
            key="similar",
        )

st.subheader("措施是否回应了问题")
st.caption(SIMILARITY_NOTE)
view = cache.coverage(ids)
if view.answers.empty:
    st.info("所选报告没有列出问题。")
    st.stop()
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
else:
    show_chart(
        "coverage_heatmap",
        grid,
        palette=palette,
        view="问题措施对照",
        title="问题与措施逐一对照（相似度）",
        scope=view_scope(tables.reports, [chosen], ""),
        key="coverage-grid",
    )

page_export(filters, "problems")
