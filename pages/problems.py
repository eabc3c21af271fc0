"""问题与措施: every problem and measure, two reports side by side, themes by reports, similar problems (with a
minimum similarity and the shared words), and whether each report's measures answer its problems (by content)."""

import streamlit as st

from reportlens import selection
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.problem_views import coverage_section, side_by_side, similar_problems, theme_matrix
from reportlens.ui.strings import NOTHING_IN_ROLE, PAGE_TITLES
from reportlens.ui.widgets import charted, show_chart, show_table, view_scope

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

side_by_side(tables, ids, names, role)
theme_matrix(tables, shown, palette)
similar_problems(tables, ids, names)
coverage_section(tables, ids, shown, names, palette)

page_export(filters, "problems")
