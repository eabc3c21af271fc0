"""The 关键词 page's own widgets: the terms of the trend chart, the co-occurrence network's caption, the
keyword-in-context query, and the word cloud with its controls (scope, palette, words, shape), its caption and
its downloads (kept in the URL)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from PIL import Image

from reportlens import views
from reportlens.cloud import MASK_SHAPES, with_heading
from reportlens.fonts import cjk_font_path
from reportlens.labels import CLOUD_WORDS
from reportlens.ui import cache
from reportlens.ui.strings import (
    CLOUD_SCOPE_LABELS,
    DOWNLOAD_CLOUD,
    ITEM_ROLE_LABELS,
    MASK_LABELS,
    MEASURE_LABELS,
    PALETTE_LABELS,
    ROLE_FILTER_LABELS,
)
from reportlens.ui.widgets import caption, download_csv, range_slider, report_select

TREND_TERMS_MAX = 10  # lines a trend chart draws; more picked terms are left out with a note


def term_picker(vocabulary: Sequence[str], *, key: str, default: int = 3) -> list[str]:
    """Terms for the trend chart: a multiselect over every term of the selection, most frequent first, so
    typing finds any of them (not only the top ones); kept in the URL. Starts with the ``default`` most
    frequent; a picked term the selection no longer holds is dropped."""
    state = st.session_state
    known = set(vocabulary)
    if key in state:
        kept = [t for t in state[key] if t in known]
        if kept != list(state[key]):
            state[key] = kept
    elif key not in st.query_params:
        state[key] = list(vocabulary[:default])
    chosen = st.multiselect(
        "年度趋势图中的词语（输入即可查找所选报告中的任何词）",
        list(vocabulary),
        key=key,
        bind="query-params",
        select_all=False,
        placeholder="输入词语查找",
    )
    if len(chosen) > TREND_TERMS_MAX:
        st.caption(f"图中画出前 {TREND_TERMS_MAX} 个所选词语。")
    return chosen[:TREND_TERMS_MAX]


def keyword_query(default: str, *, key: str) -> str:
    """The keyword-in-context query: a text box and a 查找 button (a form, so no English typing hint shows),
    kept in the URL; starts with ``default``."""
    if key not in st.session_state and key not in st.query_params:
        st.session_state[key] = default
    with st.form(f"{key}-form", enter_to_submit=False, border=False):
        box, button = st.columns([5, 1], vertical_alignment="bottom")
        text = box.text_input("查找词语或短语", max_chars=40, key=key, bind="query-params")
        button.form_submit_button("查找", key=f"{key}_go", icon=":material/search:")
    return (text or "").strip()


CLOUD_SIZE = {"wide": (1000, 560), "square": (760, 760)}
CLOUD_DOWNLOAD_SCALE = 4  # the download is 4 times the screen image: 4000 by 2240 pixels


@dataclass(frozen=True)
class CloudOptions:
    """What the word-cloud controls chose: which text (reports and role) and how to draw it."""

    report_ids: tuple[str, ...]
    role: str
    palette: str
    max_words: int
    mask: str | None
    view: str


def cloud_controls(report_ids: tuple[str, ...], role: str, palette: str, names: Mapping[str, str]) -> CloudOptions:
    """The word-cloud controls (kept in the URL): scope (the filtered set, one report, one part), palette,
    words, shape."""
    scope_col, palette_col, words_col, mask_col = st.columns(4)
    scope = scope_col.radio(
        "范围",
        list(CLOUD_SCOPE_LABELS),
        format_func=CLOUD_SCOPE_LABELS.__getitem__,
        key="cloud_scope",
        bind="query-params",
    )
    palettes = list(PALETTE_LABELS)
    if "cloud_palette" not in st.session_state and "cloud_palette" not in st.query_params:
        st.session_state["cloud_palette"] = palette  # starts as the charts' palette
    chosen_palette = palette_col.radio(
        "配色", palettes, format_func=PALETTE_LABELS.__getitem__, key="cloud_palette", bind="query-params"
    )
    max_words = range_slider("最多词数", CLOUD_WORDS, key="cloud_words", where=words_col)
    mask = mask_col.selectbox(
        "形状", ["none", *MASK_SHAPES], format_func=MASK_LABELS.__getitem__, key="cloud_mask", bind="query-params"
    )
    if scope == "report":
        report_ids = (report_select("报告", report_ids, names, key="cloud_report"),)
    elif scope == "role":
        role = st.radio(
            "部分",
            list(ITEM_ROLE_LABELS),
            format_func=ROLE_FILTER_LABELS.__getitem__,
            horizontal=True,
            key="cloud_role",
            bind="query-params",
        )
    return CloudOptions(
        report_ids=tuple(report_ids),
        role=role,
        palette=chosen_palette or palette,
        max_words=max_words,
        mask=None if mask == "none" else mask,
        view="词云",
    )


def cloud_size(options: CloudOptions) -> tuple[int, int]:
    return CLOUD_SIZE["square" if options.mask == "circle" else "wide"]


def show_word_cloud(words: dict[str, int], options: CloudOptions, *, scope: views.Scope, key: str) -> None:
    """A word cloud of ``words`` with a caption naming exactly what it draws (its own reports and part, which
    the cloud controls may narrow), a high-resolution PNG that carries the same words in a band on top
    (drawn only when clicked), and the word counts as CSV."""
    if not words:
        st.info("当前筛选下没有可以画进词云的词语。")
        return
    width, height = cloud_size(options)
    pairs = tuple(sorted(words.items(), key=lambda kv: (-kv[1], kv[0])))

    def render(scale: int) -> bytes:
        return cache.cloud_png(
            pairs,
            width=width * scale,
            height=height * scale,
            palette=options.palette,
            max_words=options.max_words,
            mask=options.mask,
        )

    description = views.describe(options.view, scope)
    st.image(render(1), width="content")
    caption(f"{description.title}｜{description.subtitle}")

    def download() -> bytes:
        picture = with_heading(
            Image.open(io.BytesIO(render(CLOUD_DOWNLOAD_SCALE))),
            title=description.title,
            subtitle=description.subtitle,
            font_path=cjk_font_path(),
        )
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        return buffer.getvalue()

    with st.container(horizontal=True, gap="small"):
        st.download_button(
            DOWNLOAD_CLOUD,
            data=download,  # drawn only when clicked
            file_name=f"{description.file_stem}.png",
            mime="image/png",
            key=f"png-{key}",
            on_click="ignore",
            icon=":material/image:",
            help="4000 像素宽的词云，图上方写明报告、年份和部分。",
        )
        download_csv(pd.DataFrame(pairs, columns=["term", "count"]), file_stem=description.file_stem, key=key)


def network_note(nodes: int, edges: pd.DataFrame, measure: str) -> str:
    """What the co-occurrence network counted, in one Chinese caption."""
    weakest = int(edges["count"].min()) if len(edges) else 0
    return (
        f"圆点：当前筛选中的前 {nodes} 个高频词，圆越大{MEASURE_LABELS.get(measure, measure)}越高；"
        "连线：两个词在同一句中同时出现，线越粗，同时出现的句数越多（一句中出现多次也只计一句）。"
        f"图中画出最强的 {len(edges)} 条连线（每条至少 {weakest} 句）；没有连线的词不画出。"
    )
