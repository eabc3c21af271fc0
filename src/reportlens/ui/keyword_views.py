"""The 关键词 page's sections below its top terms — distinctive terms, the trend of chosen terms, the
co-occurrence network and keyword in context — each drawn from the selection with its empty case said in
Chinese. The page (``pages/keywords.py``) only lays them out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reportlens import selection
from reportlens.labels import NETWORK_EDGES, NETWORK_MIN_SENTENCES
from reportlens.tables import CorpusTables
from reportlens.ui import cache
from reportlens.ui.keywords import keyword_query, network_note, term_picker
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

Ids = tuple[str, ...]


def term_heatmap_section(tables: CorpusTables, ids: Ids, role: str, shown: pd.DataFrame, measure: str, palette: str) -> None:
    """The top 20 terms in each report (at most the charted number of reports)."""
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


def distinctive_section(tables: CorpusTables, ids: Ids, role: str, palette: str) -> None:
    """Each report's distinctive terms: among the selected reports, or one report against all the others."""
    charted(ids, PANEL_REPORTS_MAX)
    special = selection.with_names(
        selection.distinctive(tables, ids, role, top=8, limit=PANEL_REPORTS_MAX), tables.reports
    )
    if special.empty:
        st.info("没有可比较的文字：特色词需要两篇以上报告，或一篇报告与其余报告相比。")
        return
    show_chart(
        "distinctive_terms_bars",
        special,
        palette=palette,
        view="特色词",
        title="特色词（特色程度）",
        scope=view_scope(tables.reports, list(dict.fromkeys(special["report_id"])), role),
        key="distinctive",
        note="多篇时在所选报告之间比较，一篇时与其余全部报告比较。",
    )


def trend_section(tables: CorpusTables, ids: Ids, role: str, palette: str, vocabulary: list[str]) -> None:
    """The chosen terms by year, per 10,000 characters (the chart is titled: no heading)."""
    chosen = term_picker(vocabulary, key="kw_trend")
    trend = selection.trends(tables, ids, role, chosen)
    if trend.empty:
        st.info("请选择至少一个词语；所选报告需要有已知年份。")
        return
    years = sorted(trend["year"].unique())
    note = "每万字频次：各年份报告篇数不同，按字数折算后才可比较；横轴下方是该年的报告篇数。"
    if len(years) == 1:
        note = f"所选报告只有 {years[0]} 一个年份，看不出变化趋势；图中是这一年的频次。" + note
    with_years = set(selection.reports_with_years(tables, ids))
    show_chart(
        "term_trend_lines",
        trend,
        value="per_10k",
        palette=palette,
        view="关键词趋势",
        title="关键词年度趋势（每万字频次）",
        scope=view_scope(tables.reports, [i for i in ids if i in with_years], role),
        key="trend",
        note=note,
    )


def network_section(tables: CorpusTables, ids: Ids, role: str, palette: str, shown: pd.DataFrame, measure: str) -> None:
    """The top terms' co-occurrence network, its strongest lines as many as the slider says."""
    edges_max = range_slider("共现网络的连线数（画出最强的几条）", NETWORK_EDGES, key="kw_network_edges")
    edges = cache.network_edges(tables, ids, role, tuple(shown["term"]), top=edges_max)
    if edges.empty:
        st.info(f"所选报告中，前 {len(shown)} 个词没有两个在 {NETWORK_MIN_SENTENCES} 句以上同时出现，画不出共现网络。")
        return
    show_chart(
        "cooccurrence_network",
        edges,
        sizes=tuple(zip(shown["term"], shown[measure], strict=True)),
        value=measure,
        palette=palette,
        view="共现网络",
        title="高频词共现网络",
        scope=view_scope(tables.reports, ids, role),
        key="network",
        note=network_note(len(shown), edges, measure),
    )


def kwic_section(tables: CorpusTables, ids: Ids, role: str, default: str) -> None:
    """Keyword in context: the first places of a word, how they were counted, and the sections holding them."""
    st.subheader("关键词语境")
    term = keyword_query(default, key="kw_term")
    if not term:
        return
    listed, total = selection.kwic_view(tables, term, ids, role, limit=KWIC_ROWS_MAX)
    more = f"下表列出前 {len(listed)} 处。" if len(listed) < total else ""
    how = "按分词统计，与高频词的次数一致" if selection.is_term(tables, term) else "不是统计中的词语，按原文逐字查找"
    st.text(f"「{term}」共出现 {total} 处（{how}）。{more}")
    scope = view_scope(tables.reports, ids, role)
    show_table(listed[selection.KWIC_TABLE_COLUMNS], view=f"语境_{term}", scope=scope, key="kwic", height=320)
    show_hit_sections(selection.hit_sections(listed), lambda place: selection.section_text(tables, *place))
