"""问题与措施: every problem and measure, two reports side by side, themes by reports, similar problems (with a
minimum similarity and the shared words), and whether each report's measures answer its problems (by content)."""

import streamlit as st

from reportlens import charts, insights, selection
from reportlens.analysis.recurring import DEFAULT_THRESHOLD as SIMILAR_MIN
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.strings import (
    ITEM_ROLE_LABELS,
    LABELS,
    NOTHING_IN_ROLE,
    PAGE_TITLES,
    SIMILARITY_NOTE,
    THEME_UNIT_LABELS,
)
from reportlens.ui.widgets import charted, show_chart, show_items, show_table, show_text

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["problems"])
require_selection(filters)
ids, palette = filters.report_ids, filters.palette
names = dict(zip(tables.reports["report_id"], tables.reports["label"], strict=True))
items = selection.items_of(tables, ids, filters.role)
if items.empty:
    st.info(NOTHING_IN_ROLE.format(role=filters.role_label))
    st.stop()

st.subheader("条目清单")
show_table(
    items[selection.ITEM_VIEW_COLUMNS], view="问题与措施清单", filters=filters, key="items", height=360
)

counts = selection.items_per_report(tables, charted(ids))
fig = charts.items_per_report(counts, palette=palette, labels=LABELS, title="各报告列出的问题与措施")
show_chart(fig, view="问题与措施条数", filters=filters, data=counts, key="item-counts")

st.subheader("两篇报告对照")
for i, column in enumerate(st.columns(2)):
    with column:
        chosen = st.selectbox(
            f"报告{'甲乙'[i]}",
            ids,
            index=min(i, len(ids) - 1),
            format_func=names.__getitem__,
            key=f"side_{i}",
        )
        show_items(selection.items_of(tables, [chosen], filters.role))

st.subheader("主题矩阵")
themes = cache.themes()
unit = st.radio(
    "计数单位",
    list(THEME_UNIT_LABELS),
    format_func=THEME_UNIT_LABELS.__getitem__,
    horizontal=True,
    key="theme_unit",
)
matrix = selection.theme_grid(tables, charted(ids), themes, unit=unit)
fig = charts.theme_heatmap(matrix, palette=palette, labels=LABELS, title="各报告的问题与措施涉及哪些主题")
show_chart(
    fig,
    view="主题矩阵",
    filters=filters,
    data=matrix,
    key="themes",
    note="主题词表可在「词典与停用词」页编辑",
)

st.subheader("相似问题")
with_problems = selection.reports_with_items(tables, ids, "problems")
if not with_problems:
    st.info("所选报告没有列出问题。")
else:
    source = st.selectbox("问题所在的报告", with_problems, format_func=names.__getitem__, key="similar_report")
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
            view="相似问题", filters=filters, key="similar",
        )

st.subheader("措施是否回应了问题")
st.caption(SIMILARITY_NOTE)
view = cache.coverage(ids)
if view.answers.empty:
    st.info("所选报告没有列出问题。")
    st.stop()
summary = view.summary[view.summary["report_id"].isin(charted(ids))]
fig = charts.coverage_bars(summary, palette=palette, labels=LABELS, title="各报告有措施回应的问题数")
show_chart(fig, view="措施回应问题", filters=filters, data=view.summary, key="coverage-bars")
show_table(view.answers[insights.ANSWER_VIEW_COLUMNS], view="措施回应问题明细", filters=filters, key="coverage")
chosen = st.selectbox(
    "查看一篇报告的问题与措施对照", view.summary["report_id"].tolist(), format_func=names.__getitem__, key="coverage_report"
)
grid = insights.coverage_grid(tables, cache.coverage_scores(), chosen)
if grid.empty:
    st.info("这篇报告没有列出措施，无法对照。")
else:
    fig = charts.coverage_heatmap(grid, palette=palette, labels=LABELS, title="问题与措施逐一对照（相似度）")
    show_chart(fig, view="问题措施对照", filters=filters, data=grid, key="coverage-grid")

page_export(filters, "problems")
