"""关键词: top terms, reports by terms, distinctive terms, trends by year, the top terms' co-occurrence network,
keyword in context, word cloud."""

import streamlit as st

from reportlens import selection
from reportlens.labels import NETWORK_EDGES, NETWORK_MIN_SENTENCES, TOP_TERMS
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.keywords import cloud_controls, keyword_query, network_note, show_word_cloud, term_picker
from reportlens.ui.strings import MEASURE_LABELS, NOTHING_IN_ROLE, PAGE_TITLES
from reportlens.ui.widgets import (
    KWIC_ROWS_MAX,
    PANEL_REPORTS_MAX,
    charted,
    range_slider,
    show_chart,
    show_hit_sections,
    show_table,
    view_scope,
)

require_app(__file__)
tables = cache.corpus_tables()
filters = current_filters(tables.reports)
st.title(PAGE_TITLES["keywords"])
require_selection(filters)
ids, role, palette = filters.report_ids, filters.role, filters.palette
names = dict(zip(tables.reports["report_id"], tables.reports["short"], strict=True))
scope = view_scope(tables.reports, ids, role)

left, right = st.columns(2)
top = range_slider("显示前 N 个词", TOP_TERMS, key="kw_top", where=left)
measure = right.radio(
    "数值", list(MEASURE_LABELS), format_func=MEASURE_LABELS.__getitem__, key="kw_measure", bind="query-params"
)
terms = cache.top_terms(tables, ids, role)  # every term of the selection, most frequent first
if terms.empty:
    st.info(NOTHING_IN_ROLE.format(role=filters.role_label))
    st.stop()
shown = terms.head(top)

# The sections in page order; the word cloud, whose picture takes longest, is drawn first into its place at
# the bottom, so after a filter change it is on screen as soon as possible (each result is cached per
# filter state, so going back to a view redraws from the caches).
frequent, cloud_section = st.container(), st.container()
with cloud_section:
    st.subheader("词云")
    cloud = cloud_controls(ids, role, palette, names)
    words = selection.word_frequencies(tables, cloud.report_ids, cloud.role, top=cloud.max_words)
    show_word_cloud(words, cloud, scope=view_scope(tables.reports, cloud.report_ids, cloud.role), key="cloud")

with frequent:
    show_chart("top_terms_bar", shown, value=measure, palette=palette, view="高频词", scope=scope, key="top-terms")

    heat_ids = charted(ids)
    grid = selection.with_names(
        selection.term_frequencies_by_report(tables, heat_ids, role, shown["term"].head(20).tolist()), tables.reports
    )
    show_chart(
        "term_heatmap",
        grid,
        value=measure,
        palette=palette,
        view="各报告的高频词",
        scope=view_scope(tables.reports, heat_ids, role),
        key="heatmap",
    )

    charted(ids, PANEL_REPORTS_MAX)
    special = selection.with_names(
        selection.distinctive(tables, ids, role, top=8, limit=PANEL_REPORTS_MAX), tables.reports
    )
    if special.empty:
        st.info("没有可比较的文字：特色词需要两篇以上报告，或一篇报告与其余报告相比。")
    else:
        note = "多篇时在所选报告之间比较，一篇时与其余全部报告比较。"
        shown_ids = list(dict.fromkeys(special["report_id"]))
        show_chart(
            "distinctive_terms_bars",
            special,
            palette=palette,
            view="特色词",
            title="特色词（特色程度）",
            scope=view_scope(tables.reports, shown_ids, role),
            key="distinctive",
            note=note,
        )

    chosen = term_picker(terms["term"].tolist(), key="kw_trend")  # the chart below is titled: no heading
    trend = selection.trends(tables, ids, role, chosen)
    if trend.empty:
        st.info("请选择至少一个词语；所选报告需要有已知年份。")
    else:
        years = sorted(trend["year"].unique())
        note = "每万字频次：各年份报告篇数不同，按字数折算后才可比较；横轴下方是该年的报告篇数。"
        if len(years) == 1:
            note = f"所选报告只有 {years[0]} 一个年份，看不出变化趋势；图中是这一年的频次。" + note
        trend_ids = [i for i in ids if i in set(selection.reports_with_years(tables, ids))]
        show_chart(
            "term_trend_lines",
            trend,
            value="per_10k",
            palette=palette,
            view="关键词趋势",
            title="关键词年度趋势（每万字频次）",
            scope=view_scope(tables.reports, trend_ids, role),
            key="trend",
            note=note,
        )

    edges_max = range_slider("共现网络的连线数（画出最强的几条）", NETWORK_EDGES, key="kw_network_edges")
    edges = cache.network_edges(tables, ids, role, tuple(shown["term"]), top=edges_max)
    if edges.empty:
        st.info(f"所选报告中，前 {len(shown)} 个词没有两个在 {NETWORK_MIN_SENTENCES} 句以上同时出现，画不出共现网络。")
    else:
        show_chart(
            "cooccurrence_network",
            edges,
            sizes=tuple(zip(shown["term"], shown[measure], strict=True)),
            value=measure,
            palette=palette,
            view="共现网络",
            title="高频词共现网络",
            scope=scope,
            key="network",
            note=network_note(len(shown), edges, measure),
        )

    st.subheader("关键词语境")
    term = keyword_query(str(terms["term"].iloc[0]), key="kw_term")
    if term:
        listed, total = selection.kwic_view(tables, term, ids, role, limit=KWIC_ROWS_MAX)
        more = f"下表列出前 {len(listed)} 处。" if len(listed) < total else ""
        how = "按分词统计，与高频词的次数一致" if selection.is_term(tables, term) else "不是统计中的词语，按原文逐字查找"
        st.text(f"「{term}」共出现 {total} 处（{how}）。{more}")
        show_table(listed[selection.KWIC_TABLE_COLUMNS], view=f"语境_{term}", scope=scope, key="kwic", height=320)
        show_hit_sections(selection.hit_sections(listed), lambda place: selection.section_text(tables, *place))

page_export(filters, "keywords")
