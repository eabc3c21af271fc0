"""The one module that caches: every expensive result the dashboard reuses across reruns lives here.

- ``current_corpus()`` is the single entry point for the data the app shows (now: the bundled seeds).
  Switching the app to another source — a persistent library — means changing this one function.
- Per report, keyed by its id (a hash of its text) and the tokenizer version: the outline and the token
  table. A filter change never segments text again; a new report segments only itself.
- Per corpus, keyed by a fingerprint of every report's id and metadata plus the tokenizer version: the
  stacked ``CorpusTables`` (reports, sections, parts, items, tokens, document-term matrix).
- The tokenizer is a ``cache_resource``: it is never mutated after it is built.
- Word-cloud images, keyed by everything that changes the picture.
"""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from reportlens.cloud import word_cloud
from reportlens.corpus import Corpus, load_seeds
from reportlens.fonts import cjk_font_path
from reportlens.outline import Outline
from reportlens.structure import parse_outline
from reportlens.tables import CorpusTables, assemble, corpus_fingerprint
from reportlens.text import Tokenizer, build_tokenizer, token_table


@st.cache_resource(show_spinner=False)
def tokenizer() -> Tokenizer:
    """The bundled-dictionary tokenizer, built once per process and never changed."""
    return build_tokenizer()


@st.cache_data(show_spinner=False)
def _seed_corpus() -> Corpus:
    return load_seeds()


def current_corpus() -> Corpus:
    """The corpus the app shows. The only place that knows where reports come from."""
    return _seed_corpus()


@st.cache_data(show_spinner=False, max_entries=4096)
def outline(report_id: str, _text: str) -> Outline:
    """The outline of a report; ``report_id`` is the hash of ``_text``, so it is the whole key."""
    return parse_outline(_text)


@st.cache_data(show_spinner=False, max_entries=4096)
def report_tokens(report_id: str, tokenizer_version: str, _text: str) -> pd.DataFrame:
    """The token table of a report, keyed by its id (text hash) and the tokenizer version."""
    return token_table(report_id, _text, outline(report_id, _text).parts(), tokenizer())


@st.cache_data(show_spinner="正在分析报告……", max_entries=4)
def _corpus_tables(fingerprint: str, _corpus: Corpus) -> CorpusTables:
    version = tokenizer().version
    outlines = {r.id: outline(r.id, r.text) for r in _corpus}
    tokens = {r.id: report_tokens(r.id, version, r.text) for r in _corpus}
    return assemble(_corpus, outlines, tokens)


def corpus_tables() -> CorpusTables:
    """The dashboard's tables for the current corpus (built once per corpus and tokenizer)."""
    corpus = current_corpus()
    return _corpus_tables(corpus_fingerprint(corpus, tokenizer().version), corpus)


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
