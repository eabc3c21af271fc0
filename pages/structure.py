"""结构: how each report is built — share of text per part, one report's outline and sections, any section's text."""

import streamlit as st

from reportlens import selection
from reportlens.ui import cache
from reportlens.ui.access import require_editor
from reportlens.ui.corrections import corrections_panel, show_confidence, show_parts
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.strings import EDIT_ACTIONS, PAGE_TITLES, ROLE_LABELS
from reportlens.ui.widgets import charted, report_select, show_chart, show_outline, show_text, view_scope

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["structure"])
require_selection(filters)
names = dict(zip(tables.reports["report_id"], tables.reports["short"], strict=True))

shown = charted(filters.report_ids)
shares = selection.role_share_frame(tables, shown)
show_chart(
    "role_share_bars",
    shares,
    palette=filters.palette,
    view="各部分篇幅占比",
    scope=view_scope(tables.reports, shown, role=""),
    key="role-shares",
    note="本图始终显示全部部分，不受左侧「报告部分」筛选的影响。",
)

st.subheader("单篇报告的提纲")
report_id = report_select("选择报告", filters.report_ids, names, key="structure_report")
show_confidence(tables, report_id)
outline = selection.outline_rows(tables, report_id, filters.role, labels=ROLE_LABELS)
show_outline(outline, scope=view_scope(tables.reports, [report_id], filters.role), palette=filters.palette, key="outline")
with st.expander("结构校对：核对各部分的角色和条目", icon=":material/fact_check:"):
    show_parts(tables, report_id)
    corrections_panel(cache.library(), tables, report_id, editable=require_editor(EDIT_ACTIONS["structure"]))

sections = selection.sections_of(tables, report_id)
show_chart(
    "section_treemap",
    sections,
    palette=filters.palette,
    view="章节结构",
    title="章节结构（方块大小为字数）",
    scope=view_scope(tables.reports, [report_id], role=""),
    data=sections[["heading", "role", "level", "chars"]],
    key="treemap",
    note="本图显示所选报告的全部章节，按原文顺序排列；点击方块可展开，字太小的方块把鼠标移上去可看标题。",
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
