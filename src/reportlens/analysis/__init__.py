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
from reportlens.analysis.frequencies import document_term_matrix, term_frequencies, top_terms_from_matrix
from reportlens.analysis.keyness import distinctive_terms, keyness, log_likelihood, log_ratio
from reportlens.analysis.kwic import contexts_at, keyword_in_context
from reportlens.analysis.shares import role_shares
from reportlens.analysis.trends import term_trends

__all__ = [
    "contexts_at",
    "cooccurrence",
    "cooccurrence_network",
    "distinctive_terms",
    "document_term_matrix",
    "keyness",
    "keyword_in_context",
    "log_likelihood",
    "log_ratio",
    "role_shares",
    "term_frequencies",
    "term_trends",
    "top_terms_from_matrix",
]
