"""Problems and measures: the theme lexicon and which themes each report's items raise. (Similar problems and
whether the measures answer the problems are judged by content in ``recurring`` and ``coverage``.)

Inputs:

- ``items``: one row per enumerated item — ``item_id, report_id, role, number, title, text, start, end``
  (``start``/``end`` are offsets into the report's text, as in ``outline.Item``); built by
  ``reportlens.tables.items_table``.
- ``tokens``: the token table (``report_id, token, offset``) of the same reports. An item's tokens are those
  whose offset lies in its span, so nothing is segmented again.
- ``themes``: theme → keywords, from the editable lexicon ``data/themes.txt`` (``load_themes``). An item
  mentions a theme when its text contains any of the theme's keywords literally.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.analysis._common import empty_frame, require_columns
from reportlens.lexicon import parse_themes as parse_themes
from reportlens.text import sentence_spans

Themes = Mapping[str, Sequence[str]]
THEME_HIT_COLUMNS = ["item_id", "report_id", "role", "theme", "sentences"]
THEME_MATRIX_COLUMNS = ["report_id", "role", "theme", "count"]

def load_themes(path: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """The theme lexicon at ``path``, or the bundled ``reportlens/data/themes.txt`` (UTF-8, BOM allowed)."""
    if path is None:
        raw = resources.files("reportlens").joinpath("data/themes.txt").read_text(encoding="utf-8-sig")
    else:
        raw = Path(path).read_text(encoding="utf-8-sig")
    return parse_themes(raw)


def _check_themes(themes: Themes) -> None:
    if not themes:
        raise ValueError("themes is empty: give at least one theme with keywords")
    for theme, words in themes.items():
        if isinstance(words, str) or not words:
            raise ValueError(f"theme {theme!r} needs a non-empty sequence of keywords, got {words!r}")


def theme_hits(items: pd.DataFrame, themes: Themes) -> pd.DataFrame:
    """One row per (item, theme) the item mentions, with how many of its sentences mention the theme.

    Returns columns ``item_id, report_id, role, theme, sentences`` in item order, then theme order.
    """
    require_columns(items, ("item_id", "report_id", "role", "text"), name="items")
    _check_themes(themes)
    patterns = {
        theme: re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
        for theme, words in themes.items()
    }
    rows: list[tuple[str, str, str, str, int]] = []
    for item_id, report_id, role, text in items[["item_id", "report_id", "role", "text"]].itertuples(
        index=False
    ):
        body = str(text)
        sentences = [body[start:end] for start, end in sentence_spans(body)]
        for theme, pattern in patterns.items():
            count = sum(1 for s in sentences if pattern.search(s))
            if count:
                rows.append((item_id, report_id, role, theme, count))
    if not rows:
        return empty_frame(THEME_HIT_COLUMNS, int_columns=("sentences",))
    frame = pd.DataFrame(rows, columns=THEME_HIT_COLUMNS)
    frame["sentences"] = frame["sentences"].astype("int64")
    return frame


def theme_matrix(
    items: pd.DataFrame,
    themes: Themes,
    *,
    unit: Literal["items", "sentences"] = "items",
    roles: Sequence[str] = ("problems", "measures"),
) -> pd.DataFrame:
    """How often each report's items of each role raise each theme: a complete grid, zeros included.

    ``unit="items"`` counts the items mentioning the theme, ``"sentences"`` the sentences. Reports keep
    their order in ``items``, roles the order of ``roles``, themes the lexicon's order.
    Returns columns ``report_id, role, theme, count``.
    """
    if unit not in ("items", "sentences"):
        raise ValueError(f"unit must be 'items' or 'sentences', got {unit!r}")
    require_columns(items, ("item_id", "report_id", "role", "text"), name="items")
    _check_themes(themes)
    scoped = items[items["role"].isin(roles)]
    reports = scoped["report_id"].unique()
    if not len(reports):
        return empty_frame(THEME_MATRIX_COLUMNS, int_columns=("count",))
    hits = theme_hits(scoped, themes)
    values = hits.assign(_n=1 if unit == "items" else hits["sentences"])
    counts = values.groupby(["report_id", "role", "theme"], sort=False)["_n"].sum()
    grid = pd.MultiIndex.from_product(
        [reports, list(roles), list(themes)], names=["report_id", "role", "theme"]
    )
    out = counts.reindex(grid, fill_value=0).astype("int64").rename("count").reset_index()
    return out[THEME_MATRIX_COLUMNS]


def item_term_matrix(items: pd.DataFrame, tokens: pd.DataFrame) -> tuple[sparse.csr_matrix, list[str]]:
    """Counts of each term in each item (rows in ``items`` order): ``(matrix, terms)``, terms sorted.

    An item's tokens are the rows of ``tokens`` with its ``report_id`` and an ``offset`` in ``[start, end)``.
    """
    require_columns(items, ("report_id", "start", "end"), name="items")
    require_columns(tokens, ("report_id", "token", "offset"), name="tokens")
    term_codes, terms = pd.factorize(tokens["token"], sort=True)
    by_report: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    offsets = tokens["offset"].to_numpy(dtype="int64")
    for report_id, index in tokens.groupby("report_id", sort=False).indices.items():
        order = index[np.argsort(offsets[index], kind="stable")]
        by_report[str(report_id)] = (offsets[order], term_codes[order])
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    empty = (np.empty(0, dtype="int64"), np.empty(0, dtype="int64"))
    for row, (report_id, start, end) in enumerate(
        items[["report_id", "start", "end"]].itertuples(index=False)
    ):
        report_offsets, report_terms = by_report.get(str(report_id), empty)
        lo, hi = np.searchsorted(report_offsets, [int(start), int(end)], side="left")
        cols.append(report_terms[lo:hi])
        rows.append(np.full(hi - lo, row, dtype="int64"))
    row_index = np.concatenate(rows) if rows else np.empty(0, dtype="int64")
    col_index = np.concatenate(cols) if cols else np.empty(0, dtype="int64")
    matrix = sparse.csr_matrix(
        (np.ones(len(row_index), dtype="float64"), (row_index, col_index)), shape=(len(items), len(terms))
    )
    matrix.sum_duplicates()
    return matrix, [str(t) for t in terms]
