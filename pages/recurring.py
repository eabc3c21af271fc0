"""反复出现的问题: problems (or measures) of different reports that say the same thing, grouped by content, with
the threshold the reader moves; a groups-by-years heatmap, the groups, and one group's members side by side."""

import pandas as pd
import streamlit as st

from reportlens import insights
from reportlens.analysis.recurring import DEFAULT_THRESHOLD, MAX_THRESHOLD, MIN_THRESHOLD, THRESHOLD_STEP
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.strings import ITEM_ROLE_LABELS, PAGE_TITLES, SIMILARITY_NOTE
from reportlens.ui.widgets import CHART_REPORTS_MAX, show_chart, show_table, show_text, view_scope

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["recurring"])
require_selection(filters)

roles = list(insights.INSIGHT_ROLES)
role_column, threshold_column = st.columns([1, 2])
role = role_column.radio(
    "看哪一部分",
    roles,
    index=roles.index(filters.role) if filters.role in roles else 0,
    format_func=ITEM_ROLE_LABELS.__getitem__,
    horizontal=True,
    key="rec_role",
)
threshold = threshold_column.slider(
    "相似度门槛",
    min_value=MIN_THRESHOLD,
    max_value=MAX_THRESHOLD,
    value=DEFAULT_THRESHOLD,
    step=THRESHOLD_STEP,
    key="rec_threshold",
    help="同一组的条目平均相似度不低于门槛。调高：只留措辞很接近的；调低：措辞不同但说的是同一件事的也归为一组。",
)
st.caption(SIMILARITY_NOTE)
kind = ITEM_ROLE_LABELS[role]
scope = view_scope(tables.reports, filters.report_ids, role)
view = cache.recurring(filters.report_ids, role, threshold)
if view.groups.empty:
    st.info(f"所选报告中没有在两篇以上报告里反复出现的{kind}（相似度门槛 {threshold:g}）。可以调低门槛再看。")
    st.stop()

st.text(f"共 {len(view.groups)} 组{kind}在两篇以上的报告中反复出现，出现报告最多的在前。")
shown = view.groups.head(CHART_REPORTS_MAX)
if len(view.groups) > len(shown):
    st.caption(f"图中只画出前 {len(shown)} 组（共 {len(view.groups)} 组），表中列出全部。")
years = view.years[view.years["group"].isin(shown["group"])]
if years.empty:
    st.info("这些报告的年份都不详，无法按年份排列。")
else:
    show_chart(
        "recurring_heatmap",
        years,
        palette=filters.palette,
        view=f"反复出现的{kind}",
        title=f"反复出现的{kind}：各年出现的条数",
        scope=scope,
        data=view.years,
        key="rec-years",
        note=f"相似度门槛 {threshold:g}",
    )
show_table(view.groups[insights.GROUP_VIEW_COLUMNS], view=f"反复出现的{kind}分组", scope=scope, key="rec-groups")

labels = {g: f"{i + 1}. {name}" for i, (g, name) in enumerate(zip(view.groups["group"], view.groups["group_label"], strict=True))}
group = st.selectbox("并排查看一组的全部条目", list(labels), format_func=labels.__getitem__, key="rec_group")
members = view.members[view.members["group"] == group]
for start in range(0, len(members), 3):
    for column, member in zip(st.columns(3), members.iloc[start : start + 3].itertuples(index=False), strict=False):
        with column:
            year = "年份不详" if pd.isna(member.year) else f"{int(member.year)} 年"
            st.text(f"{member.report}（{year}）\n{kind} {member.number}：{member.title}\n与组内其他条目的相似度 {member.centrality:.2f}")
            with st.expander("原文"):
                show_text(str(member.text))
show_table(
    members[insights.MEMBER_VIEW_COLUMNS],
    view=f"反复出现的{kind}_第{labels[group].split('.')[0]}组",
    scope=scope,
    key="rec-members",
)

page_export(filters, "recurring")
