"""What each dashboard view shows, computed from ``CorpusTables`` for a selection of reports and a role.

A selection is a list of report ids (in corpus order) and a role ("all" or one of ``ITEM_ROLES``). Every
function here is a row selection of the prebuilt tables followed by a small computation: no text is
segmented again. Output columns are English snake_case; the UI labels them.

Modules: ``base`` (the selection and its rows), ``reports`` (overview, shares, outlines, sections, items),
``terms`` (top terms, distinctive terms, trends, word-cloud frequencies, keyword in context). Everything is
used as ``selection.<name>``.
"""

from __future__ import annotations

from reportlens.selection.base import (
    ALL,
    ITEM_VIEW_COLUMNS,
    OVERVIEW_COLUMNS,
    part_rows,
    report_rows,
    scope_chars,
    select_reports,
    token_rows,
    with_names,
)
from reportlens.selection.reports import (
    headline,
    item_text,
    items_of,
    items_per_report,
    outline_rows,
    overview,
    report_confidence,
    reports_per_year,
    reports_with_items,
    reports_with_years,
    role_share_frame,
    section_choices,
    section_text,
    sections_of,
    theme_grid,
    top_parts,
)
from reportlens.selection.terms import (
    KWIC_REPORTS_READ,
    KWIC_TABLE_COLUMNS,
    KWIC_VIEW_COLUMNS,
    chars_by_report,
    distinctive,
    hit_sections,
    is_term,
    kwic,
    kwic_view,
    report_term_counts,
    reports_holding,
    selection_chars,
    term_frequencies_by_report,
    top_terms,
    trends,
    word_frequencies,
)

__all__ = [
    "ALL",
    "ITEM_VIEW_COLUMNS",
    "KWIC_REPORTS_READ",
    "KWIC_TABLE_COLUMNS",
    "KWIC_VIEW_COLUMNS",
    "OVERVIEW_COLUMNS",
    "chars_by_report",
    "distinctive",
    "headline",
    "hit_sections",
    "is_term",
    "item_text",
    "items_of",
    "items_per_report",
    "kwic",
    "kwic_view",
    "outline_rows",
    "overview",
    "part_rows",
    "report_confidence",
    "report_rows",
    "report_term_counts",
    "reports_holding",
    "reports_per_year",
    "reports_with_items",
    "reports_with_years",
    "role_share_frame",
    "scope_chars",
    "section_choices",
    "section_text",
    "sections_of",
    "select_reports",
    "selection_chars",
    "term_frequencies_by_report",
    "theme_grid",
    "token_rows",
    "top_parts",
    "top_terms",
    "trends",
    "with_names",
    "word_frequencies",
]
