"""关键词: top terms, reports by terms, distinctive terms, trends by year, the top terms' co-occurrence network,
keyword in context, word cloud."""

import streamlit as st

from reportlens import selection
from reportlens.labels import TOP_TERMS
from reportlens.ui import cache
from reportlens.ui.export import page_export
from reportlens.ui.filters import current_filters, require_selection
from reportlens.ui.frame import require_app
from reportlens.ui.keyword_views import (
    distinctive_section,
    kwic_section,
    network_section,
    term_heatmap_section,
    trend_section,
)
from reportlens.ui.keywords import cloud_controls, show_word_cloud
from reportlens.ui.strings import MEASURE_LABELS, NOTHING_IN_ROLE, PAGE_TITLES
from reportlens.ui.widgets import range_slider, show_chart, view_scope

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

    term_heatmap_section(tables, ids, role, shown, measure, palette)
    distinctive_section(tables, ids, role, palette)
    trend_section(tables, ids, role, palette, terms["term"].tolist())
    network_section(tables, ids, role, palette, shown, measure)
    kwic_section(tables, ids, role, str(terms["term"].iloc[0]))

page_export(filters, "keywords")
