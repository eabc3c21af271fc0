"""Promise vs delivery: did last year's 下一步打算 show up as this year's 成绩?

For two reports (the same unit in consecutive years, or any pair a reader picks), every measure of the earlier
report is matched against the later report's achievement text — its achievement items as wholes and each
sentence of its achievement parts — by ``similarity`` (title and full text, character n-gram TF-IDF cosine).
Each promise gets its best match, the score, the words both share and where the match is; below
``MIN_SCORE`` it is 「未见下文」.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reportlens.analysis._common import empty_frame, require_columns
from reportlens.analysis.similarity import (
    ItemVectors,
    item_sentences,
    matrix_similarity,
    shared_words,
    term_sets,
)
from reportlens.errors import ReportError

MIN_SCORE = 0.08
DELIVERY_ROLES = ("achievements",)
# When the later report has no achievements part, its review is looked for in these parts instead.
FALLBACK_ROLES = ("preamble", "other")
NOT_FOUND = "未见下文"
PAIR_COLUMNS = ["unit", "earlier_id", "later_id", "earlier_year", "later_year"]
TARGET_COLUMNS = ["kind", "item_id", "report_id", "title", "text", "start", "end", "place"]
RESULT_COLUMNS = [
    "promise_id",
    "number",
    "title",
    "score",
    "delivered",
    "kind",
    "match",
    "place",
    "start",
    "end",
    "words",
]


def consecutive_pairs(reports: pd.DataFrame) -> pd.DataFrame:
    """Pairs of reports of the same (non-empty) unit whose years follow each other:
    ``unit, earlier_id, later_id, earlier_year, later_year``, by unit then year."""
    require_columns(reports, ("report_id", "unit", "year"), name="reports")
    known = reports[reports["year"].notna() & reports["unit"].fillna("").astype(str).str.strip().ne("")]
    frame = pd.DataFrame(
        {
            "unit": known["unit"].astype(str).str.strip().to_numpy(),
            "report_id": known["report_id"].to_numpy(),
            "year": known["year"].astype("int64").to_numpy(),
        }
    )
    pairs = frame.merge(frame.assign(year=frame["year"] - 1), on=["unit", "year"], suffixes=("_a", "_b"))
    out = pd.DataFrame(
        {
            "unit": pairs["unit"],
            "earlier_id": pairs["report_id_a"],
            "later_id": pairs["report_id_b"],
            "earlier_year": pairs["year"].astype("int64"),
            "later_year": (pairs["year"] + 1).astype("int64"),
        }
    )
    return out.sort_values(["unit", "earlier_year"], kind="stable").reset_index(drop=True)[PAIR_COLUMNS]


def order_pair(reports: pd.DataFrame, first: str, second: str) -> tuple[str, str, str]:
    """The pair as (earlier, later, note): the earlier by year (as given when a year is unknown or equal).

    ``note`` is a Chinese warning for a reader when the two are not of one unit (or a unit is unknown) or
    not of consecutive years; "" when they are. ReportError when the two are one report or one is unknown.
    """
    require_columns(reports, ("report_id", "unit", "year"), name="reports")
    rows = reports.drop_duplicates("report_id").set_index("report_id")
    if first == second:
        raise ReportError("请选择两篇不同的报告：一篇写下措施打算，另一篇（通常是下一年的）写工作成绩。")
    for report_id in (first, second):
        if report_id not in rows.index:
            raise ReportError(f"资料库中没有编号为「{report_id}」的报告。")
    year_a, year_b = rows.at[first, "year"], rows.at[second, "year"]
    earlier, later = first, second
    if not pd.isna(year_a) and not pd.isna(year_b) and int(year_b) < int(year_a):
        earlier, later = second, first
    notes = []
    unit_a, unit_b = (str(rows.at[i, "unit"] or "").strip() for i in (earlier, later))
    if not unit_a or not unit_b:
        notes.append("有一篇报告没有填写单位，无法确认两篇出自同一单位")
    elif unit_a != unit_b:
        notes.append(f"两篇报告的单位不同（{unit_a} / {unit_b}）")
    year_e, year_l = rows.at[earlier, "year"], rows.at[later, "year"]
    if pd.isna(year_e) or pd.isna(year_l):
        notes.append("有一篇报告年份不详")
    elif int(year_l) - int(year_e) != 1:
        notes.append(f"两篇报告不是相邻年份（{int(year_e)} 年与 {int(year_l)} 年）")
    note = "；".join(notes) + "，对照结果仅供参考。" if notes else ""
    return earlier, later, note


def delivery_targets(later: str, items: pd.DataFrame, parts: pd.DataFrame, text: str) -> pd.DataFrame:
    """Where the later report could show a promise delivered: its achievement items as wholes (``kind`` "item")
    and every sentence of its achievement parts ("sentence"), with ``place`` — the item's title or the
    heading of the part. Without an achievements part, the preamble and untitled parts are read instead.

    ``items``/``parts``: the tables (``CorpusTables.items`` / ``.parts``) — only ``later``'s rows are used;
    ``text``: the later report's text. Returns ``kind, item_id, report_id, title, text, start, end, place``.
    """
    require_columns(parts, ("report_id", "role", "start", "end", "heading"), name="parts")
    own_parts = parts[parts["report_id"] == later]
    chosen = own_parts[own_parts["role"].isin(DELIVERY_ROLES)]
    if chosen.empty:
        chosen = own_parts[own_parts["role"].isin(FALLBACK_ROLES)]
    own_items = items[(items["report_id"] == later) & items["role"].isin(DELIVERY_ROLES)]
    rows = [
        ("item", r.item_id, later, str(r.title), str(r.text), int(r.start), int(r.end), str(r.title))
        for r in own_items.itertuples(index=False)
    ]
    spans = pd.DataFrame(
        {
            "item_id": [f"{later}/part/{i}" for i in range(len(chosen))],
            "report_id": later,
            "start": chosen["start"].to_numpy(dtype=np.int64),
            "text": [text[int(a) : int(b)] for a, b in zip(chosen["start"], chosen["end"], strict=True)],
        }
    )
    headings = dict(zip(spans["item_id"], chosen["heading"].fillna("").astype(str), strict=True))
    for r in item_sentences(spans).itertuples(index=False):
        sentence = str(r.text).strip()
        rows.append(("sentence", "", later, sentence, sentence, int(r.start), int(r.end), headings[r.item_id]))
    frame = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64"})


def promise_delivery(
    promises: pd.DataFrame,
    targets: pd.DataFrame,
    vectors: ItemVectors,
    *,
    tokens: pd.DataFrame | None = None,
    min_score: float = MIN_SCORE,
) -> pd.DataFrame:
    """For each promise (measure items of the earlier report: ``item_id, number, title, text``), its best match
    among ``targets`` (``delivery_targets``): ``promise_id, number, title, score, delivered, kind, match``
    (the matched item's title or sentence; 「未见下文」 below ``min_score``), ``place`` (where it is),
    ``start``/``end`` (in the later report), ``words`` (shared content words, from ``tokens``; the promises
    need ``report_id, start, end`` for it). Promises keep their order.

    ReportError (Chinese) when there is no promise or nothing to match them against.
    """
    require_columns(promises, ("item_id", "number", "title", "text"), name="promises")
    require_columns(targets, TARGET_COLUMNS, name="targets")
    if promises.empty:
        raise ReportError("前一篇报告中没有识别出「措施打算」条目，无法对照承诺与落实。请换一篇写有下一步打算的报告。")
    if targets.empty:
        raise ReportError("后一篇报告中没有识别出「工作成绩」部分的文字，无法对照承诺与落实。请换一篇写有工作回顾的报告。")
    keys = vectors.keys_of(promises["item_id"].astype(str).tolist())
    similarity = matrix_similarity(
        (vectors.titles[keys], vectors.texts[keys]),
        vectors.transform(targets["title"].tolist(), targets["text"].tolist()),
    )
    best = similarity.argmax(axis=1)
    score = similarity[np.arange(len(promises)), best]
    found = targets.iloc[best].reset_index(drop=True)
    delivered = score >= min_score
    out = pd.DataFrame(
        {
            "promise_id": promises["item_id"].to_numpy(),
            "number": promises["number"].to_numpy(),
            "title": promises["title"].to_numpy(),
            "score": score,
            "delivered": delivered,
            "kind": found["kind"].to_numpy(),
            "match": np.where(delivered, found["text"].str.strip().to_numpy(), NOT_FOUND),
            "place": found["place"].to_numpy(),
            "start": found["start"].to_numpy(),
            "end": found["end"].to_numpy(),
            "words": "",
        }
    )
    if tokens is not None and {"report_id", "start", "end"} <= set(promises.columns):
        spans = pd.concat(
            [promises[["report_id", "start", "end"]], found[["report_id", "start", "end"]]], ignore_index=True
        )
        present, terms, idf = term_sets(spans, tokens)
        n = len(promises)
        out["words"] = [shared_words(present, terms, idf, [i, n + i]) for i in range(n)]
    return out[RESULT_COLUMNS]


def delivery_summary(results: pd.DataFrame) -> dict[str, int]:
    """How many promises there are and how many show up in the later report."""
    if results.empty:
        return {"promises": 0, "delivered": 0}
    return {"promises": len(results), "delivered": int(results["delivered"].sum())}


EMPTY_RESULT = empty_frame(RESULT_COLUMNS, int_columns=("number", "start", "end"), float_columns=("score",))
