"""Cells that a spreadsheet shows as text, never runs: the one guard against formula injection in exports.

Report text is untrusted and exports copy it verbatim, so a cell may start with 「=」「+」「-」「@」 — Excel,
WPS and LibreOffice then take it for a formula (``=HYPERLINK(…)``, ``=cmd|…``), in a CSV as in an XLSX
written by a library that turns such strings into formulas. Following the OWASP guidance on CSV injection,
a text cell starting with one of those characters, a tab or a carriage return gets a single quote in front:
the spreadsheet shows the text as written (the quote marks it as text) and evaluates nothing.

Every export passes its table through ``safe_frame`` — or each value through ``safe_cell`` — just before
writing it (the 下载数据 CSVs); a writer that can mark a cell as text itself (the XLSX workbook: openpyxl's
``quotePrefix``) asks ``starts_formula`` instead. Numbers stay numbers: only text is touched.
"""

from __future__ import annotations

import pandas as pd

# What a spreadsheet may read as the start of a formula or a command (OWASP): 「=1+1」「+86…」「-2+3」
# 「@SUM(…)」, and a tab or carriage return in front of one of them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def starts_formula(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value: object) -> object:
    """``value``, with a single quote in front when it is text a spreadsheet would take for a formula."""
    return TEXT_MARK + value if starts_formula(value) and isinstance(value, str) else value


def _safe_column(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        if categories.dtype == object or pd.api.types.is_string_dtype(categories.dtype):
            return column.cat.rename_categories([safe_cell(c) for c in categories])
        return column
    if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
        return column.map(safe_cell, na_action="ignore")
    return column


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names pass ``safe_cell``; other columns are kept."""
    safe = frame.apply(_safe_column) if len(frame.columns) else frame.copy()
    safe.columns = [safe_cell(c) for c in frame.columns]
    return safe
