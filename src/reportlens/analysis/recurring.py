"""Recurring problems (and measures): items of different reports that say the same thing, grouped.

A 老问题 that comes back year after year means the fixes did not work; a measure promised unchanged three years
running is telling too. Items are compared by ``similarity`` (title and full text, character n-gram TF-IDF
cosine) and grouped by average-linkage agglomerative clustering (SciPy) cut at the chosen threshold: every
group's members are, on average, at least that similar to one another. A group is kept when its members come
from at least two reports.

Inputs: ``items`` — rows of ``selection.items_of`` (``item_id, report_id, report, year, role, number, title,
text``); ``vectors`` — ``similarity.item_vectors`` of a superset of them; ``pairs`` —
``similarity.similar_pairs`` of their rows down to ``MIN_THRESHOLD`` (the expensive part, computed once per
library and role; grouping for a threshold or a selection then only reads it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from reportlens.analysis._common import empty_frame, require_columns
from reportlens.analysis.similarity import ItemVectors, TermIndex
from reportlens.errors import ReportError
from reportlens.thresholds import DEFAULT_THRESHOLD, MAX_THRESHOLD, MIN_THRESHOLD

THRESHOLD_STEP = 0.05
# Distinct texts clustered at once. A larger web of loosely similar items (the same officialese everywhere) is
# first split where its links are stricter, by SPLIT_STEP at a time, so the clustering stays quick; its groups
# may then come out smaller than the threshold alone would make them.
LINKAGE_MAX = 1_000
SPLIT_STEP = 0.05
LABEL_CHARS = 24
ITEM_COLUMNS = ("item_id", "report_id", "year", "role", "number", "title", "text", "start", "end")
MEMBER_COLUMNS = [
    "group", "item_id", "report_id", "report", "year", "role", "number", "title", "text", "start", "end", "centrality"
]
GROUP_COLUMNS = ["group", "group_label", "items", "reports", "years", "first_year", "last_year", "score", "words"]
YEAR_COLUMNS = ["group", "group_label", "year", "items"]
YEAR_SEPARATOR = "、"


def check_threshold(threshold: float) -> float:
    """``threshold`` as a float, or a ReportError (Chinese) when it is not a number in the allowed range."""
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        value = float("nan")
    if not MIN_THRESHOLD <= value <= MAX_THRESHOLD:
        raise ReportError(
            f"相似度门槛应在 {MIN_THRESHOLD:g} 到 {MAX_THRESHOLD:g} 之间，而不是「{threshold}」。"
            f"门槛越高，归为一组的条目越相像。"
        )
    return value


def _linkage_labels(similarity: np.ndarray, threshold: float) -> np.ndarray:
    """Average-linkage clusters of a small dense similarity matrix, cut at ``threshold`` (labels from 0)."""
    if len(similarity) == 1:
        return np.zeros(1, dtype=np.int64)
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(np.clip(distance, 0.0, 1.0), checks=False), method="average")
    return fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance").astype(np.int64) - 1


def _cluster(
    n: int, a: np.ndarray, b: np.ndarray, s: np.ndarray, threshold: float, cut: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Clusters of ``n`` nodes with similarities ``s`` between nodes ``a`` and ``b`` (other pairs: 0): each a
    pair (nodes, their dense similarity block). Connected components of the links at least ``cut`` alike are
    clustered apart (average linkage cannot join nodes with no such chain between them)."""
    strong = s >= cut - 1e-9
    graph = coo_matrix((np.ones(int(strong.sum())), (a[strong], b[strong])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    same = component[a] == component[b]
    a, b, s, pair_component = a[same], b[same], s[same], component[a[same]]
    order = np.argsort(pair_component, kind="stable")
    a, b, s, pair_component = a[order], b[order], s[order], pair_component[order]
    node_order = np.argsort(component, kind="stable")
    node_bounds = np.searchsorted(component[node_order], np.arange(component.max() + 2))
    pair_bounds = np.searchsorted(pair_component, np.arange(component.max() + 2))
    found: list[tuple[np.ndarray, np.ndarray]] = []
    for c in range(len(node_bounds) - 1):
        nodes = node_order[node_bounds[c] : node_bounds[c + 1]]
        if not len(nodes):
            continue
        lo, hi = pair_bounds[c], pair_bounds[c + 1]
        if len(nodes) > LINKAGE_MAX and cut + SPLIT_STEP <= 1.0:
            local = np.full(n, -1, dtype=np.int64)
            local[nodes] = np.arange(len(nodes))
            for sub, block in _cluster(len(nodes), local[a[lo:hi]], local[b[lo:hi]], s[lo:hi], threshold,
                                       cut + SPLIT_STEP):
                found.append((nodes[sub], block))
            continue
        position = np.full(n, -1, dtype=np.int64)
        position[nodes] = np.arange(len(nodes))
        dense = np.zeros((len(nodes), len(nodes)))
        dense[position[a[lo:hi]], position[b[lo:hi]]] = s[lo:hi]
        dense = np.maximum(dense, dense.T)
        np.fill_diagonal(dense, 1.0)
        labels = _linkage_labels(dense, threshold)
        for label in np.unique(labels):
            inside = np.flatnonzero(labels == label)
            found.append((nodes[inside], dense[np.ix_(inside, inside)]))
    return found


def recurring_groups(
    items: pd.DataFrame,
    vectors: ItemVectors,
    pairs: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_reports: int = 2,
) -> pd.DataFrame:
    """Group ``items`` whose members are on average at least ``threshold`` alike, keeping the groups that span
    at least ``min_reports`` reports.

    Returns one row per member: ``group`` (0, 1, … — groups spanning more reports first, then the more alike),
    the item's columns, and ``centrality`` (its average similarity to the other members; the most central
    member names the group). Members are ordered by year (unknown last), then as in ``items``.
    """
    require_columns(items, ITEM_COLUMNS, name="items")
    require_columns(pairs, ("key_a", "key_b", "similarity"), name="pairs")
    threshold = check_threshold(threshold)
    frame = items.reset_index(drop=True)
    if "report" not in frame.columns:
        frame = frame.assign(report=frame["report_id"])
    empty = empty_frame(
        MEMBER_COLUMNS, int_columns=("group", "number", "start", "end"), float_columns=("centrality",)
    )
    if frame.empty:
        return empty
    keys = vectors.keys_of(frame["item_id"].astype(str).tolist())
    distinct, local = np.unique(keys, return_inverse=True)
    position = pd.Series(np.arange(len(distinct)), index=distinct)
    inside = pairs["key_a"].isin(distinct).to_numpy() & pairs["key_b"].isin(distinct).to_numpy()
    chosen = pairs[inside]
    a = position.reindex(chosen["key_a"]).to_numpy(dtype=np.int64)
    b = position.reindex(chosen["key_b"]).to_numpy(dtype=np.int64)
    s = chosen["similarity"].to_numpy(dtype=np.float64)
    reports = frame["report_id"].astype(str).to_numpy()
    order = np.argsort(local, kind="stable")
    bounds = np.searchsorted(local[order], np.arange(len(distinct) + 1))
    by_key = [order[bounds[k] : bounds[k + 1]] for k in range(len(distinct))]  # the items of each text
    rows: list[tuple[int, int, float, float]] = []  # (group candidate, item row, centrality, score)
    candidates: list[tuple[int, float, np.ndarray, np.ndarray]] = []
    for nodes, block in _cluster(len(distinct), a, b, s, threshold, threshold):
        members = np.concatenate([by_key[k] for k in nodes])
        if len(set(reports[members])) < min_reports:
            continue
        node_of = np.concatenate([np.full(len(by_key[k]), i) for i, k in enumerate(nodes)])
        item_sim = block[np.ix_(node_of, node_of)]
        n = len(members)
        centrality = (item_sim.sum(axis=1) - 1.0) / (n - 1)
        candidates.append((len(set(reports[members])), float(centrality.mean()), members, centrality))
    if not candidates:
        return empty
    candidates.sort(key=lambda c: (-c[0], -c[1], int(c[2].min())))
    for group, (_, score, members, centrality) in enumerate(candidates):
        rows.extend((group, int(m), float(c), score) for m, c in zip(members, centrality, strict=True))
    group_ids, member_rows, centrality_values, _ = (np.asarray(x) for x in zip(*rows, strict=True))
    out = frame.iloc[member_rows][MEMBER_COLUMNS[1:-1]]
    out = out.assign(group=group_ids, centrality=centrality_values, _row=member_rows)
    out = out.assign(_year=out["year"].astype("Float64").fillna(np.inf))
    out = out.sort_values(["group", "_year", "_row"], kind="stable")
    return out[MEMBER_COLUMNS].reset_index(drop=True)


def short_title(title: str, width: int = LABEL_CHARS) -> str:
    """A group label from a member's title: at most ``width`` characters, cut with 「…」."""
    text = str(title).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def group_table(members: pd.DataFrame, terms: TermIndex | None = None) -> pd.DataFrame:
    """One row per group of ``recurring_groups``: ``group, group_label`` (the most central member's title,
    short), ``items``, ``reports``, ``years`` (known years, joined with 「、」), ``first_year``, ``last_year``,
    ``score`` (the members' average similarity to one another) and ``words`` — the content words every member
    shares, the most repeated and rarest first (from ``terms``; empty without it)."""
    empty = empty_frame(GROUP_COLUMNS, int_columns=("group", "items", "reports"), float_columns=("score",))
    if members.empty:
        return empty.astype({"first_year": "Int64", "last_year": "Int64"})
    rows = []
    for group, part in members.groupby("group", sort=True):
        known = sorted({int(y) for y in part["year"].dropna()})
        central = part.loc[part["centrality"].idxmax()]
        rows.append(
            {
                "group": int(group),
                "group_label": short_title(central["title"]),
                "items": len(part),
                "reports": part["report_id"].nunique(),
                "years": YEAR_SEPARATOR.join(str(y) for y in known),
                "first_year": known[0] if known else pd.NA,
                "last_year": known[-1] if known else pd.NA,
                "score": float(part["centrality"].mean()),
                "words": terms.shared(part["item_id"].tolist()) if terms is not None else "",
            }
        )
    return pd.DataFrame(rows, columns=GROUP_COLUMNS).astype({"first_year": "Int64", "last_year": "Int64"})


def group_years(members: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Groups by years: how many members each group has in each year (``group, group_label, year, items``), a complete
    grid over the years the members have (zeros included); members of unknown year are left out."""
    empty = empty_frame(YEAR_COLUMNS, int_columns=("group", "year", "items"))
    known = members.dropna(subset=["year"])
    if known.empty:
        return empty
    counts = known.groupby(["group", known["year"].astype("int64")]).size()
    years = sorted(known["year"].astype("int64").unique())
    grid = pd.MultiIndex.from_product([groups["group"].tolist(), years], names=["group", "year"])
    out = counts.reindex(grid, fill_value=0).rename("items").reset_index()
    out["group_label"] = out["group"].map(groups.set_index("group")["group_label"])
    return out[YEAR_COLUMNS].astype({"group": "int64", "year": "int64", "items": "int64"})
