"""关键词: top terms, reports by terms, distinctive terms, trends by year, keyword in context, word cloud."""

import streamlit as st

from reportlens import charts, selection
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.strings import LABELS, MEASURE_LABELS, NOTHING_IN_ROLE, PAGE_TITLES
from reportlens.ui.widgets import (
    KWIC_ROWS_MAX,
    PANEL_REPORTS_MAX,
    charted,
    cloud_controls,
    show_chart,
    show_hit_sections,
    show_table,
    show_word_cloud,
)

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["keywords"])
require_selection(filters)
ids, role, palette = filters.report_ids, filters.role, filters.palette
names = dict(zip(tables.reports["report_id"], tables.reports["label"], strict=True))

left, right = st.columns(2)
top = left.slider("显示前 N 个词", min_value=5, max_value=50, value=20, step=5, key="kw_top")
measure = right.radio("数值", list(MEASURE_LABELS), format_func=MEASURE_LABELS.__getitem__, key="kw_measure")
terms = selection.top_terms(tables, ids, role, top=50)
if terms.empty:
    st.info(NOTHING_IN_ROLE.format(role=filters.role_label))
    st.stop()
shown = terms.head(top)

st.subheader("高频词")
fig = charts.top_terms_bar(
    shown, value=measure, palette=palette, labels=LABELS, title=f"高频词 · {filters.role_label}"
)
show_chart(fig, view="高频词", filters=filters, data=shown, key="top-terms")

st.subheader("各报告的高频词分布")
grid = selection.with_names(
    selection.term_frequencies_by_report(tables, charted(ids), role, shown["term"].head(20).tolist()),
    tables.reports,
)
fig = charts.term_heatmap(grid, value=measure, palette=palette, labels=LABELS, title="各报告的高频词")
show_chart(fig, view="报告与高频词", filters=filters, data=grid, key="heatmap")

st.subheader("各报告的特色词")
charted(ids, PANEL_REPORTS_MAX)
special = selection.with_names(
    selection.distinctive(tables, ids, role, top=8, limit=PANEL_REPORTS_MAX), tables.reports
)
if special.empty:
    st.info("没有可比较的文字：特色词需要两篇以上报告，或一篇报告与其余报告相比。")
else:
    fig = charts.distinctive_terms_bars(
        special, palette=palette, labels=LABELS, title="特色词（特色程度）"
    )
    note = "多篇时在所选报告之间比较，一篇时与其余全部报告比较"
    show_chart(fig, view="特色词", filters=filters, data=special, key="distinctive", note=note)

st.subheader("关键词年度趋势")
chosen = st.multiselect(
    "选择词语", terms["term"].tolist(), default=terms["term"].head(3).tolist(), key="kw_trend"
)
trend = selection.trends(tables, ids, role, chosen)
if trend.empty:
    st.info("请选择至少一个词语；所选报告需要有已知年份。")
else:
    title = "关键词年度趋势（每万字频次）"  # a rate: years differ in how many reports they have
    fig = charts.term_trend_lines(trend, value="per_10k", palette=palette, labels=LABELS, title=title)
    show_chart(fig, view="关键词趋势", filters=filters, data=trend, key="trend")

st.subheader("关键词语境")
term = st.text_input("查找词语或短语", value=str(terms["term"].iloc[0]), max_chars=40, key="kw_term").strip()
if term:
    hits = selection.kwic(tables, term, ids, role)
    listed = selection.first_hits(hits, KWIC_ROWS_MAX)
    more = f"下表列出前 {len(listed)} 处。" if len(listed) < len(hits) else ""
    st.text(f"「{term}」共出现 {len(hits)} 处。{more}")
    show_table(
        listed[selection.KWIC_TABLE_COLUMNS], view=f"语境_{term}", filters=filters, key="kwic", height=320
    )
    show_hit_sections(selection.hit_sections(listed), lambda place: selection.section_text(tables, *place))

st.subheader("词云")
cloud = cloud_controls(filters, names)
words = selection.word_frequencies(tables, cloud.report_ids, cloud.role, top=cloud.max_words)
show_word_cloud(words, cloud, filters=filters, key="cloud")

page_export(filters, "keywords")
