"""The four cross-report analyses as the dashboard, the command line and the meeting pack show them, computed
from ``CorpusTables`` for a selection of reports.

Each analysis has an index built once per library (``item_index``, ``similar_item_pairs``, ``passage_index``,
``coverage_index`` — the costly part: vectorising every problem and measure, finding every similar pair,
every near-duplicate clause, every problem by measure score) and a view for a selection (``recurring_view``,
``coverage_view``, ``promise_view``, ``reuse_view``) that only selects rows of the index and groups them.
The app caches the indexes per library revision (``ui/cache.py``); scripts and the CLI build them directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reportlens.analysis.coverage import coverage_scores, coverage_summary, problem_answers
from reportlens.analysis.problems import Themes
from reportlens.analysis.promises import delivery_targets, order_pair, promise_delivery
from reportlens.analysis.recurring import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    group_table,
    group_years,
    recurring_groups,
)
from reportlens.analysis.reuse import clause_table, passage_ids, recycled_share, reused_passages
from reportlens.analysis.similarity import (
    ItemVectors,
    TermIndex,
    item_similarity,
    item_vectors,
    similar_pairs,
    term_index,
)
from reportlens.labels import INSIGHT_ROLES as INSIGHT_ROLES  # the pages and the CLI offer these
from reportlens.selection import items_of, with_names
from reportlens.tables import CorpusTables

ANSWER_VIEW_COLUMNS = ["report", "number", "title", "answered", "measure_title", "score", "evidence", "words"]
PROMISE_VIEW_COLUMNS = ["number", "title", "delivered", "match", "place", "score", "words"]
PASSAGE_VIEW_COLUMNS = ["text", "count", "reports", "where", "variants"]
MEMBER_VIEW_COLUMNS = ["report", "year", "number", "title", "centrality", "text"]
GROUP_VIEW_COLUMNS = ["group_label", "reports", "items", "years", "score", "words"]


def _items(tables: CorpusTables, report_ids: Sequence[str] | None = None, role: str = "all") -> pd.DataFrame:
    ids = tables.reports["report_id"].tolist() if report_ids is None else list(report_ids)
    return items_of(tables, ids, role)


@dataclass(frozen=True, eq=False)
class ItemIndex:
    """Every problem and measure of the library: their vectors (and the measures' sentences') and their words."""

    vectors: ItemVectors
    terms: TermIndex


def item_index(tables: CorpusTables) -> ItemIndex:
    """``similarity.item_vectors`` and ``similarity.term_index`` of every problem and measure of the library."""
    items = _items(tables)
    return ItemIndex(vectors=item_vectors(items), terms=term_index(items, tables.tokens))


def similar_item_pairs(tables: CorpusTables, index: ItemIndex, role: str) -> pd.DataFrame:
    """Every pair of the library's items of ``role`` at least ``recurring.MIN_THRESHOLD`` alike."""
    items = _items(tables, role=role)
    vectors = index.vectors
    return similar_pairs(vectors, vectors.keys_of(items["item_id"].tolist()), min_similarity=MIN_THRESHOLD)


SIMILAR_COLUMNS = ["item_id", "report_id", "report", "year", "number", "title", "similarity", "words"]


def similar_to(
    tables: CorpusTables,
    index: ItemIndex,
    item_id: str,
    report_ids: Sequence[str],
    *,
    min_similarity: float = DEFAULT_THRESHOLD,
    top: int = 10,
) -> pd.DataFrame:
    """The items of the same role in the other selected reports at least ``min_similarity`` like ``item_id``,
    most alike first (at most ``top``), with the words each shares with it:
    ``item_id, report_id, report, year, number, title, similarity, words``. KeyError for an unknown item."""
    own = tables.items[tables.items["item_id"] == item_id]
    if own.empty:
        raise KeyError(item_id)
    target = own.iloc[0]
    others = _items(tables, report_ids, str(target["role"]))
    others = others[others["report_id"] != target["report_id"]].reset_index(drop=True)
    if others.empty:
        return pd.DataFrame(columns=SIMILAR_COLUMNS)
    scores = item_similarity(index.vectors, [item_id], others["item_id"].tolist())[0]
    found = others.assign(similarity=scores)
    found = found[found["similarity"] >= min_similarity].sort_values("similarity", ascending=False, kind="stable")
    found = found.head(top).reset_index(drop=True)
    if found.empty:
        return pd.DataFrame(columns=SIMILAR_COLUMNS)
    found["words"] = index.terms.shared_pairs([item_id] * len(found), found["item_id"].tolist())
    return found[SIMILAR_COLUMNS]


@dataclass(frozen=True)
class RecurringView:
    """Recurring items of a selection: ``members`` (one row per item, with the report's name), ``groups`` (one
    row per group) and ``years`` (groups by years counts)."""

    members: pd.DataFrame
    groups: pd.DataFrame
    years: pd.DataFrame


def recurring_view(
    tables: CorpusTables,
    index: ItemIndex,
    pairs: pd.DataFrame,
    report_ids: Sequence[str],
    *,
    role: str = "problems",
    threshold: float,
) -> RecurringView:
    """Groups of items of ``role`` that recur across the selected reports (``recurring.recurring_groups``)."""
    members = recurring_groups(_items(tables, report_ids, role), index.vectors, pairs, threshold=threshold)
    groups = group_table(members, index.terms)
    return RecurringView(members=members, groups=groups, years=group_years(members, groups))


def coverage_index(tables: CorpusTables, index: ItemIndex, themes: Themes) -> pd.DataFrame:
    """Every (problem, measure) score of every report of the library (``coverage.coverage_scores``)."""
    return coverage_scores(_items(tables), index.vectors, themes)


@dataclass(frozen=True)
class CoverageView:
    """Whether each selected problem is answered: ``answers`` (one row per problem), ``summary`` (x of y per
    report, with its name)."""

    answers: pd.DataFrame
    summary: pd.DataFrame


def coverage_view(
    tables: CorpusTables, index: ItemIndex, scores: pd.DataFrame, report_ids: Sequence[str]
) -> CoverageView:
    """The best measure of each selected problem and the answered share per report (``coverage``)."""
    items = _items(tables, report_ids)
    chosen = scores[scores["report_id"].isin(list(report_ids))]
    answers = problem_answers(items, chosen, terms=index.terms)
    answers = with_names(answers, tables.reports)
    return CoverageView(answers=answers, summary=with_names(coverage_summary(answers), tables.reports))


def coverage_grid(tables: CorpusTables, scores: pd.DataFrame, report_id: str) -> pd.DataFrame:
    """One report's problems by measures scores for a heatmap: ``problem, measure, score`` (labels 「问题1」
    「措施2」 plus the titles), problems and measures in their order."""
    rows = scores[scores["report_id"] == report_id]
    titles = tables.items.set_index("item_id")["title"]
    return pd.DataFrame(
        {
            "problem": [f"问题{n}：{titles.get(i, '')}" for n, i in zip(rows["problem_number"], rows["problem_id"], strict=True)],
            "measure": [f"措施{n}：{titles.get(i, '')}" for n, i in zip(rows["measure_number"], rows["measure_id"], strict=True)],
            "score": rows["score"].to_numpy(dtype=np.float64),
        }
    )


@dataclass(frozen=True)
class PromiseView:
    """Promises of the earlier report and where the later report shows them: ``earlier``, ``later`` (ids),
    ``note`` (a Chinese warning when the pair is not one unit in consecutive years, else ""), ``results``."""

    earlier: str
    later: str
    note: str
    results: pd.DataFrame


def promise_view(tables: CorpusTables, index: ItemIndex, first: str, second: str) -> PromiseView:
    """Match the earlier report's measures against the later one's results (``promises``); the pair is put in
    year order. ReportError (Chinese) for a pair that cannot be compared."""
    earlier, later, note = order_pair(tables.reports, first, second)
    promises = _items(tables, [earlier], "measures")
    targets = delivery_targets(later, tables.items, tables.parts, tables.texts[later])
    results = promise_delivery(promises, targets, index.vectors, tokens=_tokens_of(tables, [earlier, later]))
    return PromiseView(earlier=earlier, later=later, note=note, results=results)


def passage_context(tables: CorpusTables, report_id: str, start: int, end: int, *, width: int = 160) -> str:
    """The text of a report around ``[start, end)``: up to ``width`` characters either side, cut at 「…」."""
    text = tables.texts.get(report_id, "")
    lo, hi = max(0, start - width), min(len(text), end + width)
    return ("…" if lo > 0 else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


@dataclass(frozen=True)
class PassageIndex:
    """Every long clause of the library (``reuse.clause_table``) and its passage number (``reuse.passage_ids``)."""

    clauses: pd.DataFrame
    passages: np.ndarray


def passage_index(tables: CorpusTables) -> PassageIndex:
    clauses = clause_table(tables.texts)
    return PassageIndex(clauses=clauses, passages=passage_ids(clauses))


@dataclass(frozen=True)
class ReuseView:
    """Reused passages of a selection: ``passages`` (one row per passage, with the reports' names),
    ``occurrences`` (one row per place) and ``shares`` (recycled share per report, with name and year)."""

    passages: pd.DataFrame
    occurrences: pd.DataFrame
    shares: pd.DataFrame


def reuse_view(tables: CorpusTables, index: PassageIndex, report_ids: Sequence[str]) -> ReuseView:
    """Passages that recur in the selection, where, and how much of each selected report they make up."""
    occurrences, passages = reused_passages(index.clauses, index.passages, report_ids=report_ids)
    reports = tables.reports.drop_duplicates("report_id").set_index("report_id")
    chars = reports["chars"].reindex(list(report_ids))
    shares = with_names(recycled_share(occurrences, chars), tables.reports)
    shares["year"] = shares["report_id"].map(reports["year"]).astype("Int64")
    places = occurrences[["passage", "report_id"]].drop_duplicates()  # each report once, in text order
    names = places["report_id"].map(reports["short"]).fillna(places["report_id"]).astype(str)
    where = names.groupby(places["passage"].to_numpy(), sort=False).agg("、".join)
    passages["where"] = passages["passage"].map(where).fillna("")
    occurrences = with_names(occurrences, tables.reports)
    return ReuseView(passages=passages, occurrences=occurrences, shares=shares)


def _tokens_of(tables: CorpusTables, report_ids: Sequence[str]) -> pd.DataFrame:
    return tables.token_rows(report_ids)
