"""承诺与落实: did the earlier report's 下一步打算 show up in the later report's results? Pairs of one unit in
consecutive years are offered; any two reports may be picked."""

import streamlit as st

from reportlens import insights
from reportlens.analysis.promises import MIN_SCORE, consecutive_pairs
from reportlens.errors import ReportError
from reportlens.selection import report_rows
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.strings import PAGE_TITLES, SIMILARITY_NOTE
from reportlens.ui.widgets import escape_markdown, show_chart, show_table, show_text, view_scope

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["promises"])
require_selection(filters)
names = dict(zip(tables.reports["report_id"], tables.reports["label"], strict=True))
ids = list(filters.report_ids)
if len(ids) < 2:
    st.info("对照承诺与落实需要两篇报告。请在左侧选择至少两篇报告（通常是同一单位相邻两年的）。")
    st.stop()

pairs = consecutive_pairs(report_rows(tables, ids))
suggested = {f"{p.unit}：{p.earlier_year} → {p.later_year}": (p.earlier_id, p.later_id) for p in pairs.itertuples()}
mode = st.radio("选择两篇报告", ["suggested", "any"], horizontal=True, key="promise_mode",
                format_func={"suggested": "同一单位相邻年份", "any": "任选两篇"}.__getitem__)
if mode == "suggested" and not suggested:
    st.info("所选报告中没有同一单位、相邻年份的两篇报告（单位和年份可在「语料管理」页填写）。请改为「任选两篇」。")
    st.stop()
if mode == "suggested":
    first, second = suggested[st.selectbox("报告对", list(suggested), key="promise_pair")]
else:
    left, right = st.columns(2)
    first = left.selectbox("前一篇（写有措施打算）", ids, index=0, format_func=names.__getitem__, key="promise_first")
    second = right.selectbox("后一篇（写有工作成绩）", ids, index=1, format_func=names.__getitem__, key="promise_second")
try:
    view = insights.promise_view(tables, cache.item_index(), first, second)
except ReportError as err:
    st.info(escape_markdown(str(err)))
    st.stop()
if view.note:
    st.warning(escape_markdown(view.note), icon=":material/warning:")
kept = int(view.results["delivered"].sum())
st.text(f"《{names[view.earlier]}》的 {len(view.results)} 项措施中，{kept} 项在《{names[view.later]}》的工作成绩里能找到下文。")
st.caption(SIMILARITY_NOTE + f"相似度低于 {MIN_SCORE:g} 记为「未见下文」。")
scope = view_scope(tables.reports, [view.earlier, view.later], "")
show_chart(
    "promise_bars",
    view.results,
    threshold=MIN_SCORE,
    palette=filters.palette,
    view="承诺与落实",
    title="各项措施在后一篇中的下文（相似度）",
    scope=scope,
    key="promise-bars",
)
show_table(view.results[insights.PROMISE_VIEW_COLUMNS], view="承诺与落实明细", scope=scope, key="promise-table")
found = view.results[view.results["delivered"]]
if not found.empty:
    promised = dict(zip(found["number"], found["title"], strict=True))
    number = st.selectbox("在后一篇中阅读某项措施的下文", list(promised), format_func=lambda n: f"{n}. {promised[n]}",
                          key="promise_read")
    row = found[found["number"] == number].iloc[0]
    with st.expander(f"《{names[view.later]}》· {row['place'] or '工作成绩'}", expanded=True):
        show_text(insights.passage_context(tables, view.later, int(row["start"]), int(row["end"])))

page_export(filters, "promises")
