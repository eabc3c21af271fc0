"""Analyses over token, report and part tables: pure functions, DataFrames in, DataFrames out.

Inputs (built by ``reportlens.text`` and ``reportlens.structure``):

- ``tokens``: ``report_id, section_path, role, sentence, token, offset`` — one row per content token.
- ``reports``: ``report_id, title, year (Int64), chars`` at least.
- ``parts``: ``report_id, section_path, role, start, end`` (+ ``heading``) — disjoint spans of each text.
- ``texts``: report_id → full text.

The reports in scope are those in ``tokens``: filter it and every denominator (characters per report,
role or year) follows. Functions that need ``reports`` or ``parts`` raise ValueError saying so.
"""

from reportlens.analysis.cooccurrence import cooccurrence, cooccurrence_network
from reportlens.analysis.frequencies import (
    column_sums,
    document_term_matrix,
    empty_frame,
    per_10k,
    term_frequencies,
    top_terms_from_counts,
    top_terms_from_matrix,
)
from reportlens.analysis.keyness import (
    DISTINCTIVE_COLUMNS,
    distinctive_against,
    distinctive_among,
    empty_distinctive,
    log_likelihood,
    log_ratio,
)
from reportlens.analysis.kwic import contexts_at, keyword_in_context
from reportlens.analysis.shares import role_shares
from reportlens.analysis.trends import TREND_COLUMNS, trend_frame

__all__ = [
    "DISTINCTIVE_COLUMNS",
    "TREND_COLUMNS",
    "column_sums",
    "contexts_at",
    "cooccurrence",
    "cooccurrence_network",
    "distinctive_against",
    "distinctive_among",
    "document_term_matrix",
    "empty_distinctive",
    "empty_frame",
    "keyword_in_context",
    "log_likelihood",
    "log_ratio",
    "per_10k",
    "role_shares",
    "term_frequencies",
    "top_terms_from_counts",
    "top_terms_from_matrix",
    "trend_frame",
]
