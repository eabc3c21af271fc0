"""结构: how each report is built — share of text per part, one report's outline and sections, any section's text."""

import streamlit as st

from reportlens import charts, selection
from reportlens.ui import cache
from reportlens.ui.access import require_editor
from reportlens.ui.corrections import corrections_panel, show_confidence, show_parts
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.strings import LABELS, PAGE_TITLES, ROLE_LABELS
from reportlens.ui.widgets import charted, show_chart, show_outline, show_text

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["structure"])
require_selection(filters)
names = dict(zip(tables.reports["report_id"], tables.reports["label"], strict=True))

st.subheader("各部分篇幅占比")
shares = selection.role_share_frame(tables, charted(filters.report_ids))
show_chart(
    charts.role_share_bars(shares, palette=filters.palette, labels=LABELS, title="各部分篇幅占比"),
    view="篇幅占比",
    filters=filters,
    data=shares,
    key="role-shares",
    note="本图始终显示全部部分",
)


st.subheader("单篇报告的提纲")
report_id = st.selectbox(
    "选择报告", filters.report_ids, format_func=names.__getitem__, key="structure_report"
)
show_confidence(tables, report_id)
outline = selection.outline_rows(tables, report_id, filters.role, untitled=ROLE_LABELS)
show_outline(outline, filters=filters, key="outline")
with st.expander("结构校对：核对各部分的角色和条目", icon=":material/fact_check:"):
    show_parts(tables, report_id)
    corrections_panel(cache.library(), tables, report_id, editable=require_editor("校对结构"))

sections = selection.sections_of(tables, report_id)
show_chart(
    charts.section_treemap(sections, palette=filters.palette, labels=LABELS, title="章节结构（按字数）"),
    view="章节结构",
    filters=filters,
    data=sections,
    key="treemap",
    note="本图显示所选报告的全部章节，点击方块可展开",
)

st.subheader("阅读章节原文")
headings = selection.section_choices(outline)
if headings:
    path = st.selectbox("选择章节", list(headings), format_func=headings.__getitem__, key="structure_section")
    with st.container(border=True, height=420):
        show_text(selection.section_text(tables, report_id, path))
else:
    st.info(f"这篇报告没有「{filters.role_label}」部分。")

page_export(filters, "structure")
