"""The one module that caches: every expensive result the dashboard reuses across reruns and sessions lives here.

- ``library()``: the persistent library (``ingest.open_library``: on a fresh machine it loads the bundled seed
  reports into a new library first). One ``Library`` object per library file and process, shared by every
  session; it opens a SQLite connection per thread itself.
- ``corpus_tables()``: the dashboard's tables, read from the library (``tables.library_tables``: nothing is parsed
  or segmented), keyed by the library file and its ``revision``. Every upload, edit, delete or dictionary
  change advances the revision, so it shows at once; a filter change reads the cached tables and never
  segments anything. The first page waits only for the tables it needs; the sections and items are read
  meanwhile in a background thread (``CorpusTables.read_all``).
- ``themes()``: the theme lexicon of the library's settings, keyed the same way.
- ``preview_tokenizer()``: a tokenizer built from edited, unsaved dictionary texts (the 词典与停用词 page).
- The co-occurrence network's edges (``network_edges``), keyed like the top terms.
- Figures (``figure``): each chart with its heading, keyed by its input table and options — the filter state
  it shows — so going back to a view rebuilds nothing (Plotly takes longer to build a figure than the
  dashboard takes to compute its numbers).
- Word-cloud images, keyed by everything that changes the picture.
- The cross-report insights (``reportlens.insights``): their per-library indexes (item vectors, similar pairs per
  role, problem-measure scores, near-duplicate clauses) keyed like the tables, built on first use; and their
  views for a selection, keyed by the selection and the options, so moving a slider back is instant.

``cache_resource`` holds the library, the tables and tokenizers: none of them is ever mutated after it is
built (``CorpusTables`` never changes once its tables are read, and every reader copies what it changes), and a 1,000-report token table
is too big to copy on every rerun, as ``cache_data`` would.
"""

from __future__ import annotations

import io
import threading

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from reportlens import analysis, charts, export, insights, selection
from reportlens.analysis.problems import Themes, load_themes, parse_themes
from reportlens.cloud import word_cloud
from reportlens.fonts import cjk_font_path
from reportlens.ingest import open_library
from reportlens.labels import NETWORK_MIN_SENTENCES
from reportlens.lexicon import tokenizer_from_texts
from reportlens.paths import library_path
from reportlens.store import Library
from reportlens.tables import CorpusTables, library_tables
from reportlens.text import Tokenizer
from reportlens.ui.strings import LABELS


@st.cache_resource(show_spinner="正在打开资料库（首次使用时会先导入示例报告）……")
def _library(path: str) -> Library:
    return open_library(path)


def library() -> Library:
    """The library the app shows (``paths.library_path``: ``$REPORTLENS_LIBRARY`` or the per-user file).

    Raises ``ReportError`` (Chinese) when it cannot be opened; a failure is not cached, the next run retries.
    """
    return _library(str(library_path()))


@st.cache_resource(show_spinner="正在读取资料库……", max_entries=2)
def _tables(path: str, revision: int) -> CorpusTables:
    tables = library_tables(_library(path))
    # the tables the first page does not need are read meanwhile, so the next page opens without waiting
    threading.Thread(target=tables.read_all, name="reportlens-read-ahead", daemon=True).start()
    return tables


def forget_library() -> None:
    """Drop the open library and everything read from it (after its file was rebuilt or replaced): the next
    run opens the file anew, in every session."""
    _library.clear()
    _tables.clear()
    _themes.clear()


def corpus_tables() -> CorpusTables:
    """The dashboard's tables for the library as it is now (read once per library revision).

    A page calls this once and uses that one object throughout, so a change made meanwhile by another session
    cannot mix two states of the library in one page.
    """
    current = library()
    return _tables(str(current.path), current.revision)


@st.cache_data(show_spinner=False, max_entries=32)
def _top_terms(path: str, revision: int, report_ids: tuple[str, ...], role: str) -> pd.DataFrame:
    return selection.top_terms(_tables(path, revision), report_ids, role, top=None)


def top_terms(tables: CorpusTables, report_ids: tuple[str, ...], role: str) -> pd.DataFrame:
    """Every term of the selection with its count and rate, most frequent first (``selection.top_terms``),
    kept per filter state: going back to a view costs nothing. ``tables`` must be ``corpus_tables()``."""
    current = library()
    if tables is not _tables(str(current.path), current.revision):  # another revision: compute, no cache
        return selection.top_terms(tables, report_ids, role, top=None)
    return _top_terms(str(current.path), current.revision, tuple(report_ids), role)


def _network_edges(
    tables: CorpusTables, report_ids: tuple[str, ...], role: str, terms: tuple[str, ...], top: int
) -> pd.DataFrame:
    tokens = selection.token_rows(tables.token_rows(report_ids), report_ids, role)  # only these reports are read
    return analysis.cooccurrence_network(tokens, terms, min_count=NETWORK_MIN_SENTENCES, top=top)


@st.cache_data(show_spinner=False, max_entries=32)
def _network(
    path: str, revision: int, report_ids: tuple[str, ...], role: str, terms: tuple[str, ...], top: int
) -> pd.DataFrame:
    return _network_edges(_tables(path, revision), report_ids, role, terms, top)


def network_edges(
    tables: CorpusTables, report_ids: tuple[str, ...], role: str, terms: tuple[str, ...], *, top: int
) -> pd.DataFrame:
    """The co-occurrence network of ``terms`` in the selection (``analysis.cooccurrence_network``: pairs in at
    least ``NETWORK_MIN_SENTENCES`` sentences, the ``top`` strongest), kept per filter state like ``top_terms``."""
    current = library()
    if tables is not _tables(str(current.path), current.revision):  # another revision: compute, no cache
        return _network_edges(tables, tuple(report_ids), role, tuple(terms), top)
    return _network(str(current.path), current.revision, tuple(report_ids), role, tuple(terms), top)


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(chart: str, data: pd.DataFrame, title: str, subtitle: str, options: tuple) -> go.Figure:
    return charts.set_heading(getattr(charts, chart)(data, **dict(options)), title=title, subtitle=subtitle)


def figure(chart: str, data: pd.DataFrame, *, title: str, subtitle: str, **options: object) -> go.Figure:
    """``charts.<chart>(data, **options)`` with its heading (``charts.set_heading``), built once per input
    table, heading and options; the same inputs give the same object, which nobody changes afterwards."""
    return _figure(chart, data, title, subtitle, tuple(sorted(options.items())))


@st.cache_resource(show_spinner=False, max_entries=2)
def _themes(path: str, revision: int) -> Themes:
    text = _library(path).settings.themes
    try:
        themes = parse_themes(text)
    except ValueError:
        themes = {}
    return themes or load_themes()  # a saved lexicon is checked first; this only guards an old bad one


def themes() -> Themes:
    """The theme lexicon of the library's settings (the bundled one if the saved text has no theme)."""
    current = library()
    return _themes(str(current.path), current.revision)


@st.cache_resource(show_spinner="正在载入编辑后的词典……", max_entries=4)
def preview_tokenizer(userdict: str, stopwords: str) -> Tokenizer:
    """A new tokenizer from edited dictionary and stopword texts (checked beforehand); never mutated."""
    return tokenizer_from_texts(userdict, stopwords)


@st.cache_data(show_spinner=False, max_entries=64)
def cloud_png(
    words: tuple[tuple[str, int], ...],
    *,
    width: int,
    height: int,
    palette: str,
    max_words: int,
    mask: str | None,
) -> bytes:
    """A word cloud as PNG bytes; ``words`` (term, count) pairs are part of the key, so are the options."""
    image = word_cloud(
        dict(words),
        font_path=cjk_font_path(),
        width=width,
        height=height,
        palette=palette,
        max_words=max_words,
        mask=mask,  # type: ignore[arg-type]
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


@st.cache_resource(show_spinner="正在比较各报告的问题与措施（资料库每次变动后只做一次）……", max_entries=2)
def _item_index(path: str, revision: int) -> insights.ItemIndex:
    return insights.item_index(_tables(path, revision))


@st.cache_resource(show_spinner="正在查找相似的条目（资料库每次变动后只做一次）……", max_entries=4)
def _item_pairs(path: str, revision: int, role: str) -> pd.DataFrame:
    return insights.similar_item_pairs(_tables(path, revision), _item_index(path, revision), role)


@st.cache_resource(show_spinner="正在为每个问题寻找回应的措施……", max_entries=2)
def _coverage_index(path: str, revision: int) -> pd.DataFrame:
    return insights.coverage_index(_tables(path, revision), _item_index(path, revision), _themes(path, revision))


@st.cache_resource(show_spinner="正在查找重复出现的句子（资料库每次变动后只做一次）……", max_entries=2)
def _passage_index(path: str, revision: int) -> insights.PassageIndex:
    return insights.passage_index(_tables(path, revision))


@st.cache_resource(show_spinner="正在分组……", max_entries=16)
def _recurring(path: str, revision: int, report_ids: tuple[str, ...], role: str, threshold: float) -> insights.RecurringView:
    tables = _tables(path, revision)
    pairs = _item_pairs(path, revision, role)
    return insights.recurring_view(tables, _item_index(path, revision), pairs, report_ids, role=role, threshold=threshold)


def recurring(report_ids: tuple[str, ...], role: str, threshold: float) -> insights.RecurringView:
    """Recurring problems or measures of the selection (``insights.recurring_view``)."""
    current = library()
    return _recurring(str(current.path), current.revision, report_ids, role, float(threshold))


@st.cache_resource(show_spinner=False, max_entries=8)
def _coverage(path: str, revision: int, report_ids: tuple[str, ...]) -> insights.CoverageView:
    tables, index = _tables(path, revision), _item_index(path, revision)
    return insights.coverage_view(tables, index, _coverage_index(path, revision), report_ids)


def coverage(report_ids: tuple[str, ...]) -> insights.CoverageView:
    """Whether each selected problem has a measure that answers it (``insights.coverage_view``)."""
    current = library()
    return _coverage(str(current.path), current.revision, report_ids)


def coverage_scores() -> pd.DataFrame:
    """Every problem-measure score of the library (``insights.coverage_index``)."""
    current = library()
    return _coverage_index(str(current.path), current.revision)


def item_index() -> insights.ItemIndex:
    """Vectors and words of every problem and measure of the library (``insights.item_index``)."""
    current = library()
    return _item_index(str(current.path), current.revision)


@st.cache_resource(show_spinner=False, max_entries=8)
def _reuse(path: str, revision: int, report_ids: tuple[str, ...]) -> insights.ReuseView:
    return insights.reuse_view(_tables(path, revision), _passage_index(path, revision), report_ids)


def reuse(report_ids: tuple[str, ...]) -> insights.ReuseView:
    """Reused passages of the selection and each report's recycled share (``insights.reuse_view``)."""
    current = library()
    return _reuse(str(current.path), current.revision, report_ids)


def insight_indexes() -> export.Indexes:
    """Every insight index of the library, as the meeting pack reads them (built on first use)."""
    current = library()
    path, revision = str(current.path), current.revision
    return export.Indexes(
        items=_item_index(path, revision),
        problem_pairs=_item_pairs(path, revision, "problems"),
        coverage=_coverage_index(path, revision),
        passages=_passage_index(path, revision),
    )


@st.cache_resource(show_spinner="正在生成会议材料……", max_entries=4)
def _meeting_pack(
    path: str, revision: int, scope: tuple[tuple[str, ...], str, str, str], pages: tuple[str, ...], threshold: float
) -> export.Pack:
    report_ids, role, palette, caption = scope
    return export.meeting_pack(
        _tables(path, revision),
        export.Scope(report_ids=report_ids, role=role, palette=palette, caption=caption),
        insight_indexes(),
        _themes(path, revision),
        LABELS,
        pages=pages,
        threshold=threshold,
        font_path=str(cjk_font_path()),
    )


def meeting_pack(scope: export.Scope, pages: tuple[str, ...], threshold: float) -> export.Pack:
    """The meeting pack of ``scope`` (``export.meeting_pack``), built once per library revision and options."""
    current = library()
    key = (tuple(scope.report_ids), scope.role, scope.palette, scope.caption)
    return _meeting_pack(str(current.path), current.revision, key, pages, float(threshold))
