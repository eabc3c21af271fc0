"""报告透视 — the dashboard. Run with ``streamlit run app.py``.

This file sets the page, opens the library (on first use it loads the bundled seed reports into a new one),
draws the global filters the page uses (they live in the sidebar and in the URL) and routes to the page
scripts in ``pages/``. All computing happens in the ``reportlens`` package.
"""

import streamlit as st

from reportlens.errors import LibraryDamaged, ReportError
from reportlens.ui import cache
from reportlens.ui.access import access_panel
from reportlens.ui.export import sidebar_export
from reportlens.ui.filters import PAGE_FILTERS, current_filters, sidebar_filters
from reportlens.ui.frame import framed, guarded
from reportlens.ui.repair import repair_panel
from reportlens.ui.strings import APP_TITLE, PAGE_TITLES, SECTION_TITLES
from reportlens.ui.widgets import escape_markdown, favicon

st.set_page_config(page_title=APP_TITLE, page_icon=favicon(), layout="wide")

pages = {
    SECTION_TITLES["analysis"]: [
        st.Page("pages/overview.py", title=PAGE_TITLES["overview"], icon=":material/dashboard:", default=True),
        st.Page("pages/structure.py", title=PAGE_TITLES["structure"], icon=":material/account_tree:"),
        st.Page("pages/keywords.py", title=PAGE_TITLES["keywords"], icon=":material/key:"),
        st.Page("pages/problems.py", title=PAGE_TITLES["problems"], icon=":material/rule:"),
        st.Page("pages/recurring.py", title=PAGE_TITLES["recurring"], icon=":material/replay:"),
        st.Page("pages/promises.py", title=PAGE_TITLES["promises"], icon=":material/task_alt:"),
        st.Page("pages/reuse.py", title=PAGE_TITLES["reuse"], icon=":material/content_copy:"),
    ],
    SECTION_TITLES["library"]: [
        st.Page("pages/library.py", title=PAGE_TITLES["library"], icon=":material/library_books:"),
        st.Page("pages/dictionary.py", title=PAGE_TITLES["dictionary"], icon=":material/dictionary:"),
    ],
}
page = st.navigation(pages)
page_key = {title: key for key, title in PAGE_TITLES.items()}.get(page.title, "")

st.sidebar.title(APP_TITLE)
with guarded():  # no Python error reaches a user: it is logged on the server, the user reads one Chinese line
    access_panel()  # the login; with a viewer password set, nothing below runs before it
    try:
        tables = cache.corpus_tables()
    except LibraryDamaged as err:  # the integrity check failed: the ways out instead of the pages
        repair_panel(err)
        st.stop()
    except ReportError as err:  # the library file cannot be opened: say why, in Chinese, instead of a traceback
        st.error(escape_markdown(str(err)), icon=":material/error:")
        st.stop()
    damage = cache.library().damage()
    if damage is not None:  # found since the open by a read (a page, the read-ahead of the tables): as above
        repair_panel(damage)
        st.stop()
    for warning in cache.library().settings_warnings():  # a stored word list the library cannot use
        st.warning(escape_markdown(warning), icon=":material/warning:")
    sidebar_filters(tables.reports, PAGE_FILTERS.get(page_key, ()))
    sidebar_export(current_filters(tables.reports))
    with framed():
        page.run()
