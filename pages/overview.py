"""总览: the reports in view — headline figures, one row per report, reports per year."""

import streamlit as st

from reportlens import selection
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.strings import PAGE_TITLES
from reportlens.ui.widgets import show_chart, show_table, view_scope

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["overview"])
require_selection(filters)
reports = selection.report_rows(tables, filters.report_ids)
scope = view_scope(tables.reports, filters.report_ids, role="")  # the overview is about whole reports

figures = selection.headline(reports)
for column, (label, value) in zip(
    st.columns([1, 1, 1.5, 1, 1]),
    [
        ("报告数", f"{figures['reports']} 篇"),
        ("总字数", f"{figures['chars']:,}"),
        ("年份", figures["years"] or "不详"),
        ("列出的问题", f"{figures['problems']} 条"),
        ("提出的措施", f"{figures['measures']} 条"),
    ],
    strict=True,
):
    column.metric(label, value, border=True)

st.subheader("报告一览")
st.caption(
    "年份来源为“推断”时，年份依据一栏列出推断所据的文中事件；标题、简称和年份可在「语料管理」页改正。"
    "结构可信度为“低”的报告，请到「结构」页核对和校正。"
)
wide_title = {"标题": st.column_config.TextColumn(width="large")}
show_table(selection.overview(reports), view="报告一览", scope=scope, key="overview", column_config=wide_title)

per_year = selection.reports_per_year(reports)
show_chart("reports_per_year", per_year, palette=filters.palette, view="各年份报告数", scope=scope, key="per-year")

page_export(filters, "overview")
