"""Problems and measures: which themes each report's items raise, similar problems across reports, and whether
a report's measures answer its problems.

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

from reportlens.analysis._common import check_top, empty_frame, require_columns
from reportlens.text import sentence_spans

Themes = Mapping[str, Sequence[str]]
ITEM_COLUMNS = ("item_id", "report_id", "role", "title", "text", "start", "end")
THEME_HIT_COLUMNS = ["item_id", "report_id", "role", "theme", "sentences"]
THEME_MATRIX_COLUMNS = ["report_id", "role", "theme", "count"]
SIMILAR_COLUMNS = ["item_id", "report_id", "role", "number", "title", "similarity"]
COVERAGE_COLUMNS = [
    "item_id",
    "report_id",
    "number",
    "title",
    "themes",
    "answered",
    "unanswered",
    "coverage",
]

# 「理论学习: 理论学习 学习 中心组」 or with a full-width colon 「理论学习：学习 理论」
RE_THEME_LINE = re.compile(r"^(?P<theme>[^:：#]+?)\s*[:：]\s*(?P<words>.*)$")
# between keywords of a lexicon line: 「学习 理论」「学习　理论」「学习、理论」「学习，理论」
RE_KEYWORD_SEPARATOR = re.compile(r"[\s　、，,]+")
THEME_SEPARATOR = "、"


def parse_themes(text: str) -> dict[str, tuple[str, ...]]:
    """Parse a theme lexicon: one theme per line, ``主题: 词1 词2 …``; blank lines and ``#`` lines are skipped.

    Keywords are separated by spaces (ASCII or full-width) or 「、」「，」; duplicates are dropped, order kept.
    A theme listed twice gets the keywords of both lines. Raises ValueError naming the line that has no
    colon or no keyword.
    """
    themes: dict[str, tuple[str, ...]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        match = RE_THEME_LINE.match(line)
        words = RE_KEYWORD_SEPARATOR.split(match["words"].strip()) if match else []
        words = [w for w in words if w]
        if match is None or not words:
            raise ValueError(f"主题词表第 {number} 行格式不对（应为「主题: 词1 词2 …」）：{line}")
        theme = match["theme"].strip()
        themes[theme] = tuple(dict.fromkeys((*themes.get(theme, ()), *words)))
    return themes


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


def tfidf_rows(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """TF-IDF with smoothed idf, ln((1+n)/(1+df)) + 1, each row scaled to unit length (empty rows stay 0)."""
    n_rows = counts.shape[0]
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1 + n_rows) / (1 + df)) + 1.0
    weighted = sparse.csr_matrix(counts.multiply(idf[np.newaxis, :]))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sparse.csr_matrix(sparse.diags(scale) @ weighted)


def similar_items(
    items: pd.DataFrame,
    tokens: pd.DataFrame,
    item_id: str,
    *,
    top: int | None = 5,
    same_role: bool = True,
    other_reports: bool = True,
) -> pd.DataFrame:
    """The items most like ``item_id``: cosine similarity of TF-IDF vectors over their content tokens.

    The idf is computed over the candidate items (those of the same role when ``same_role``) plus the item
    itself. With ``other_reports`` only items of other reports are candidates. Items sharing no term are
    left out. Returns columns ``item_id, report_id, role, number, title, similarity`` sorted by similarity
    descending, then item order; ``top`` rows (None: all). Raises KeyError for an unknown ``item_id``.
    """
    require_columns(items, (*ITEM_COLUMNS, "number"), name="items")
    check_top(top)
    matches = np.flatnonzero(items["item_id"].to_numpy() == item_id)
    if not len(matches):
        raise KeyError(item_id)
    target = items.iloc[int(matches[0])]
    pool = items
    if same_role:
        pool = pool[pool["role"] == target["role"]]
    pool = pool.reset_index(drop=True)
    vectors = tfidf_rows(item_term_matrix(pool, tokens)[0])
    position = int(np.flatnonzero(pool["item_id"].to_numpy() == item_id)[0])
    scores = np.asarray((vectors @ vectors[position].T).todense()).ravel()
    keep = (scores > 0) & (pool["item_id"].to_numpy() != item_id)
    if other_reports:
        keep &= pool["report_id"].to_numpy() != target["report_id"]
    found = pool.loc[keep, ["item_id", "report_id", "role", "number", "title"]].assign(
        similarity=scores[keep]
    )
    found = found.sort_values("similarity", ascending=False, kind="stable")
    if top is not None:
        found = found.head(top)
    return found[SIMILAR_COLUMNS].reset_index(drop=True)


def measure_coverage(items: pd.DataFrame, themes: Themes) -> pd.DataFrame:
    """For each problem, its themes and which of them the same report's measures also raise.

    ``themes`` lists the problem's themes (lexicon order, joined with 「、」), ``answered`` those found in
    at least one measure of the same report, ``unanswered`` the rest; ``coverage`` is answered / themes (NaN
    for a problem that raises no theme of the lexicon). Returns columns ``item_id, report_id, number,
    title, themes, answered, unanswered, coverage`` in item order.
    """
    require_columns(items, (*ITEM_COLUMNS, "number"), name="items")
    hits = theme_hits(items[items["role"].isin(("problems", "measures"))], themes)
    order = {theme: i for i, theme in enumerate(themes)}
    measured = set(
        zip(*(hits.loc[hits["role"] == "measures", c] for c in ("report_id", "theme")), strict=True)
    )
    by_problem = hits[hits["role"] == "problems"].groupby("item_id", sort=False)["theme"].agg(list)
    problems = items[items["role"] == "problems"]
    if problems.empty:
        return empty_frame(COVERAGE_COLUMNS, int_columns=("number",), float_columns=("coverage",))
    rows = []
    for item_id, report_id, number, title in problems[["item_id", "report_id", "number", "title"]].itertuples(
        index=False
    ):
        raised = sorted(by_problem.get(item_id, []), key=order.__getitem__)
        answered = [t for t in raised if (report_id, t) in measured]
        unanswered = [t for t in raised if (report_id, t) not in measured]
        rows.append(
            {
                "item_id": item_id,
                "report_id": report_id,
                "number": number,
                "title": title,
                "themes": THEME_SEPARATOR.join(raised),
                "answered": THEME_SEPARATOR.join(answered),
                "unanswered": THEME_SEPARATOR.join(unanswered),
                "coverage": len(answered) / len(raised) if raised else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
