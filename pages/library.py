"""语料管理: import report files (many at once), edit their title, year, unit and kind, delete reports."""

import streamlit as st

from reportlens.ui import cache
from reportlens.ui.access import require_editor
from reportlens.ui.frame import require_app
from reportlens.ui.library import delete_panel, metadata_editor, upload_panel
from reportlens.ui.strings import EDIT_ACTIONS, PAGE_TITLES

require_app(__file__)
library = cache.library()
st.title(PAGE_TITLES["library"])
if not require_editor(EDIT_ACTIONS["library"]):  # viewers see the reports on the other pages
    st.stop()

st.subheader("导入报告")
upload_panel(library)

tables = cache.corpus_tables()  # read after an import, so the tables below already list the new reports
st.text(f"资料库中共有 {len(tables.reports)} 篇报告。")

st.subheader("编辑元数据")
if tables.reports.empty:
    st.info("资料库中还没有报告。")
    st.stop()
metadata_editor(library, tables.reports)

st.subheader("删除报告")
delete_panel(library, tables.reports)
