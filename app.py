"""报告透视 — the dashboard. Run with ``streamlit run app.py``.

This file sets the page, draws the global filters once (they live in the sidebar and in the URL) and routes to
the page scripts in ``pages/``. All computing happens in the ``reportlens`` package.
"""

import streamlit as st

from reportlens.ui import cache
from reportlens.ui.filters import sidebar_filters
from reportlens.ui.strings import APP_TITLE, PAGE_TITLES

st.set_page_config(page_title=APP_TITLE, page_icon=":material/plagiarism:", layout="wide")

pages = [
    st.Page("pages/overview.py", title=PAGE_TITLES["overview"], icon=":material/dashboard:", default=True),
    st.Page("pages/structure.py", title=PAGE_TITLES["structure"], icon=":material/account_tree:"),
    st.Page("pages/keywords.py", title=PAGE_TITLES["keywords"], icon=":material/key:"),
    st.Page("pages/problems.py", title=PAGE_TITLES["problems"], icon=":material/rule:"),
]
page = st.navigation(pages)

st.sidebar.title(APP_TITLE)
sidebar_filters(cache.corpus_tables().reports)
page.run()
