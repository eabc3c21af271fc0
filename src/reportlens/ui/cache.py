"""The one module that caches: every expensive result the dashboard reuses across reruns and sessions lives here.

- ``library()``: the persistent library (``ingest.open_library``: on a fresh machine it loads the bundled seed
  reports into a new library first). One ``Library`` object per library file and process, shared by every
  session; it opens a SQLite connection per thread itself.
- ``corpus_tables()``: the dashboard's tables, read from the library (``Library.tables()``: nothing is parsed
  or segmented), keyed by the library file and its ``revision``. Every upload, edit, delete or dictionary
  change advances the revision, so it shows at once; a filter change reads the cached tables and never
  segments anything.
- ``themes()``: the theme lexicon of the library's settings, keyed the same way.
- ``preview_tokenizer()``: a tokenizer built from edited, unsaved dictionary texts (the 词典与停用词 page).
- Word-cloud images, keyed by everything that changes the picture.

``cache_resource`` holds the library, the tables and tokenizers: none of them is ever mutated after it is
built (``CorpusTables`` is frozen and every reader copies what it changes), and a 1,000-report token table
is too big to copy on every rerun, as ``cache_data`` would.
"""

from __future__ import annotations

import io

import streamlit as st

from reportlens.analysis.problems import Themes, load_themes, parse_themes
from reportlens.cloud import word_cloud
from reportlens.derived import TokenizerSpec
from reportlens.fonts import cjk_font_path
from reportlens.ingest import open_library
from reportlens.paths import library_path
from reportlens.store import Library
from reportlens.tables import CorpusTables
from reportlens.text import Tokenizer


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
    return _library(path).tables()


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
    return TokenizerSpec.from_texts(userdict, stopwords).build()


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
