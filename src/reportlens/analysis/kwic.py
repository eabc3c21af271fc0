"""Keyword in context: every literal occurrence of a term or phrase, with the text around it."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from reportlens.analysis._common import empty_frame, plain_columns, require_columns

KWIC_COLUMNS = ["report_id", "title", "section_path", "role", "offset", "left", "keyword", "right"]
NEWLINE_MARK = "⏎"  # how a line break shows inside a one-line context


def _one_line(text: str) -> str:
    return text.replace("\r\n", NEWLINE_MARK).replace("\n", NEWLINE_MARK).replace("\r", NEWLINE_MARK)


def _locate_parts(hits: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Add ``section_path`` and ``role`` of the part whose ``[start, end)`` holds each hit's offset."""
    require_columns(parts, ("report_id", "section_path", "role", "start", "end"), name="parts")
    spans = parts.loc[
        parts["report_id"].isin(hits["report_id"].unique()),
        ["report_id", "section_path", "role", "start", "end"],
    ]
    spans = plain_columns(spans, ["report_id", "section_path", "role"])
    spans = spans.astype({"report_id": object, "start": "int64", "end": "int64"}).sort_values(
        "start", kind="stable"
    )
    order = hits.assign(_row=np.arange(len(hits))).sort_values("offset", kind="stable")
    located = pd.merge_asof(
        order, spans, left_on="offset", right_on="start", by="report_id", direction="backward"
    )
    inside = located["end"].notna() & (located["offset"] < located["end"])
    located.loc[~inside, ["section_path", "role"]] = None
    return located.sort_values("_row").drop(columns=["_row", "start", "end"]).reset_index(drop=True)


def keyword_in_context(
    term: str,
    texts: Mapping[str, str],
    *,
    parts: pd.DataFrame | None = None,
    reports: pd.DataFrame | None = None,
    window: int = 20,
    limit: int | None = 200,
) -> pd.DataFrame:
    """Find ``term`` literally (a word or a phrase, not via tokens) in each text; one row per occurrence.

    ``texts`` maps report_id to full text; reports are searched in its order, occurrences in text order
    (non-overlapping), stopping after ``limit`` rows (None: no limit). ``left``/``right`` are up to
    ``window`` characters either side (shorter at the start or end of a text), with line breaks shown as
    "⏎". ``section_path``/``role`` come from the ``parts`` span holding the offset (missing without
    ``parts``); ``title`` from ``reports`` ("" without it). Returns columns ``report_id, title,
    section_path, role, offset, left, keyword, right``.
    """
    if not isinstance(term, str) or not term:
        raise ValueError("term must be a non-empty string")
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a non-negative int, got {window!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be a positive int or None, got {limit!r}")

    rows: list[tuple[str, int, str, str, str]] = []
    width = len(term)
    for report_id, text in texts.items():
        start = text.find(term)
        while start != -1 and (limit is None or len(rows) < limit):
            end = start + width
            left = _one_line(text[max(0, start - window) : start])
            right = _one_line(text[end : end + window])
            rows.append((report_id, start, left, _one_line(text[start:end]), right))
            start = text.find(term, end)
        if limit is not None and len(rows) >= limit:
            break
    if not rows:
        return empty_frame(KWIC_COLUMNS, int_columns=("offset",))

    hits = pd.DataFrame(rows, columns=["report_id", "offset", "left", "keyword", "right"])
    hits["report_id"] = hits["report_id"].astype(object)
    hits["offset"] = hits["offset"].astype("int64")
    if reports is not None:
        require_columns(reports, ("report_id", "title"), name="reports")
        titles = plain_columns(reports, ["report_id", "title"]).drop_duplicates("report_id")
        titles = titles.set_index("report_id")["title"]
        hits["title"] = hits["report_id"].map(titles).fillna("")
    else:
        hits["title"] = ""
    if parts is not None:
        hits = _locate_parts(hits, parts)
    else:
        hits["section_path"] = None
        hits["role"] = None
    return hits[KWIC_COLUMNS]


def contexts_at(
    places: pd.DataFrame, texts: Mapping[str, str], *, width: int | pd.Series, window: int = 20
) -> pd.DataFrame:
    """Keyword-in-context rows for occurrences already located: ``places`` has ``report_id`` and ``offset``
    (e.g. token rows); ``width`` is the length of each occurrence. Returns ``places`` with ``left``,
    ``keyword`` and ``right`` added (line breaks shown as "⏎"), in the same order."""
    widths = np.broadcast_to(np.asarray(width, dtype=np.int64), (len(places),))
    left, keyword, right = [], [], []
    for report_id, offset, size in zip(places["report_id"], places["offset"], widths, strict=True):
        text = texts[report_id]
        start, end = int(offset), int(offset) + int(size)
        left.append(_one_line(text[max(0, start - window) : start]))
        keyword.append(_one_line(text[start:end]))
        right.append(_one_line(text[end : end + window]))
    return places.assign(left=left, keyword=keyword, right=right)
