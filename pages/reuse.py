"""套话与重复: sentences and long clauses (15 characters or more) that recur verbatim or nearly so across the
selected reports or within one, where they occur, and how much of each report they make up."""

import streamlit as st

from reportlens import insights
from reportlens.analysis.reuse import MIN_CHARS, NEAR_JACCARD
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.strings import PAGE_TITLES
from reportlens.ui.widgets import charted, show_chart, show_table, view_scope

PASSAGES_SHOWN = 500

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["reuse"])
require_selection(filters)
st.caption(
    f"把 {MIN_CHARS} 字以上的句子或分句逐一比较：一字不差，或字面重合 {NEAR_JACCARD:.0%} 以上（只差几个字），"
    "都算同一段文字。出现两次以上的（跨报告或同一篇内）列在下面。"
)
view = cache.reuse(filters.report_ids)
shares = view.shares[view.shares["report_id"].isin(charted(filters.report_ids))]
scope = view_scope(tables.reports, filters.report_ids, "")
show_chart(
    "recycled_share_bars",
    shares,
    palette=filters.palette,
    view="套话占比",
    title="各报告中重复文字的占比（按年份）",
    scope=view_scope(tables.reports, list(shares["report_id"]), ""),
    data=view.shares,
    key="reuse-share",
)
if view.passages.empty:
    st.info("所选报告中没有重复出现的句子。")
    st.stop()
st.text(f"共 {len(view.passages)} 段文字重复出现，出现次数最多的在前。")
if len(view.passages) > PASSAGES_SHOWN:
    st.caption(f"表中列出前 {PASSAGES_SHOWN} 段；下载数据包含全部。")
show_table(
    view.passages.head(PASSAGES_SHOWN)[insights.PASSAGE_VIEW_COLUMNS], view="重复出现的句子", scope=scope, key="reuse-passages"
)
top = view.passages.head(PASSAGES_SHOWN)
choices = dict(zip(top["passage"], top["text"], strict=True))
passage = st.selectbox("查看一段文字出现在哪里", list(choices), format_func=lambda p: choices[p][:60], key="reuse_passage")
places = view.occurrences[view.occurrences["passage"] == passage]
show_table(places[["report", "text"]], view="重复句出处", scope=scope, key="reuse-places")

page_export(filters, "reuse")
