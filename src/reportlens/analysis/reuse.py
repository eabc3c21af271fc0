"""Reused passages (套话): clauses of at least ``MIN_CHARS`` characters that recur verbatim or nearly so, across
reports or within one; how often and where; and per report the share of its text that is recycled.

A clause is the text between two of 「，。；：！？」 (or line breaks), without a leading list marker. Two clauses
are the same passage when their text is equal once punctuation and spaces are set aside, or nearly so: their
sets of character triples (shingles) overlap by at least ``NEAR_JACCARD`` (Jaccard). Passages are the
connected groups of such pairs.

Near pairs are found exactly, by prefix filtering (the all-pairs set-similarity join): with the shingles of
every clause ordered rarest first, two sets with Jaccard ≥ t must share one of the first
``|x| - ceil(t·|x|) + 1`` shingles of each, so only clauses sharing a rare shingle are compared, and each
candidate's Jaccard is then computed in full. Chosen by measurement over MinHash LSH (``datasketch``, 64
permutations, the same threshold) on the 39,500 clauses of the 83 real reports: 1.1 s and every pair, against
4.9 s and two thirds of the pairs (``bench/bench_insights.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from reportlens.analysis._common import empty_frame, require_columns

MIN_CHARS = 15
NEAR_JACCARD = 0.6
SHINGLE = 3
VERIFY_BLOCK = 200_000  # candidate pairs checked at once
# A clause between two of these: 「……，把推动问题及时解决作为强化宗旨意识和推动文旅工作发展的重要抓手，……」
RE_CLAUSE = re.compile(r"[^，,：:；;。！？!?\n]+")
# A list marker at the start of a clause is not part of the passage: 「1、」「（一）」「一是」「(3)」
RE_LIST_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．]|[一二三四五六七八九十]是)")
# What counts in a clause's key: characters of text, digits included (「增长5.4%」 and 「增长6.5%」 differ)
RE_NOT_KEY = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]+")
CLAUSE_COLUMNS = ["report_id", "start", "end", "text", "key"]
OCCURRENCE_COLUMNS = ["passage", "report_id", "start", "end", "text"]
PASSAGE_COLUMNS = ["passage", "text", "count", "reports", "variants"]
SHARE_COLUMNS = ["report_id", "chars", "recycled_chars", "share"]


def clause_table(texts: Mapping[str, str], *, min_chars: int = MIN_CHARS) -> pd.DataFrame:
    """Every clause of at least ``min_chars`` characters of text (Chinese characters, letters and digits) in
    each report: ``report_id, start, end, text, key`` (``key``: the text without punctuation and spaces),
    reports in the given order, clauses in text order."""
    rows = []
    for report_id, text in texts.items():
        for match in RE_CLAUSE.finditer(text):
            clause = match.group()
            marker = RE_LIST_MARKER.match(clause)
            skip = marker.end() if marker else 0
            clause = clause[skip:]
            key = RE_NOT_KEY.sub("", clause)
            if len(key) >= min_chars:
                start = match.start() + skip + len(clause) - len(clause.lstrip())
                end = match.end() - len(clause) + len(clause.rstrip())
                rows.append((report_id, start, end, text[start:end], key))
    frame = pd.DataFrame(rows, columns=CLAUSE_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64"})


def passage_ids(clauses: pd.DataFrame, *, near: float = NEAR_JACCARD) -> np.ndarray:
    """A passage number for each clause: equal keys share one, and so do keys whose character triples overlap
    by at least ``near`` (Jaccard), directly or through a chain of such pairs. Numbers follow first appearance."""
    require_columns(clauses, ("key",), name="clauses")
    if not 0.0 < near <= 1.0:
        raise ValueError(f"near must be in (0, 1], got {near!r}")
    codes, keys = pd.factorize(clauses["key"])
    if not len(keys):
        return np.empty(0, dtype=np.int64)
    a, b = near_pairs([str(k) for k in keys], near) if near < 1.0 else (np.empty(0, int), np.empty(0, int))
    graph = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(len(keys), len(keys)))
    _, component = connected_components(graph, directed=False)
    first_seen = pd.factorize(component[codes])[0]
    return first_seen.astype(np.int64)


def near_pairs(keys: list[str], near: float) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``(a, b)``, ``a < b``, of ``keys`` whose sets of ``SHINGLE``-character shingles have a Jaccard
    similarity of at least ``near`` (see the module's note on prefix filtering). Keys shorter than a shingle
    have none and pair with nothing."""
    n = len(keys)
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=n)
    counts = np.maximum(lengths - SHINGLE + 1, 0)
    if not counts.sum():
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    chars = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    row = np.repeat(np.arange(n, dtype=np.int64), counts)
    position = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(starts, counts)
    shingle = np.zeros(len(position), dtype=np.uint64)
    for offset in range(SHINGLE):  # 21 bits per character: a shingle of three is one 63-bit number
        shingle = (shingle << np.uint64(21)) | chars[position + offset]
    vocabulary, column = np.unique(shingle, return_inverse=True)
    cells = np.unique(row * len(vocabulary) + column.astype(np.int64))  # each shingle once per key
    row, column = cells // len(vocabulary), cells % len(vocabulary)
    size = np.bincount(row, minlength=n)
    frequency = np.bincount(column, minlength=len(vocabulary))
    rarity = np.empty(len(vocabulary), dtype=np.int64)
    rarity[np.lexsort((np.arange(len(vocabulary)), frequency))] = np.arange(len(vocabulary))
    order = np.lexsort((rarity[column], row))
    row_sorted, column_sorted = row[order], column[order]
    rank_in_row = np.arange(len(order)) - np.searchsorted(row_sorted, row_sorted)
    prefix = size - np.ceil(near * size - 1e-9).astype(np.int64) + 1
    keep = rank_in_row < prefix[row_sorted]
    shape = (n, len(vocabulary))
    prefixes = sparse.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.int32), (row_sorted[keep], column_sorted[keep])), shape=shape
    )
    candidates = sparse.triu(prefixes @ prefixes.T, k=1).tocoo()
    a, b = candidates.row.astype(np.int64), candidates.col.astype(np.int64)
    members = sparse.csr_matrix((np.ones(len(row), dtype=np.float32), (row, column)), shape=shape)
    overlap = np.zeros(len(a))
    for lo in range(0, len(a), VERIFY_BLOCK):
        hi = lo + VERIFY_BLOCK
        overlap[lo:hi] = np.asarray(members[a[lo:hi]].multiply(members[b[lo:hi]]).sum(axis=1)).ravel()
    similar = overlap >= near * (size[a] + size[b] - overlap) - 1e-9
    return a[similar], b[similar]


def reused_passages(
    clauses: pd.DataFrame, passages: np.ndarray, *, report_ids: Iterable[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The passages that occur at least twice among the clauses of ``report_ids`` (None: all):
    ``(occurrences, summary)``.

    ``occurrences``: ``passage, report_id, start, end, text`` — one row per place. ``summary``: ``passage,
    text`` (its most frequent wording), ``count`` (occurrences), ``reports`` (distinct reports),
    ``variants`` (distinct wordings); most frequent first, then longer first.
    """
    require_columns(clauses, CLAUSE_COLUMNS, name="clauses")
    passage = np.asarray(passages, dtype=np.int64)
    chosen = np.ones(len(clauses), dtype=bool)
    if report_ids is not None:
        chosen = clauses["report_id"].isin(list(report_ids)).to_numpy(copy=True)
    if len(passage):
        chosen &= np.bincount(passage[chosen], minlength=int(passage.max()) + 1)[passage] >= 2
    frame = clauses[chosen]
    empty_occ = empty_frame(OCCURRENCE_COLUMNS, int_columns=("passage", "start", "end"))
    empty_sum = empty_frame(PASSAGE_COLUMNS, int_columns=("passage", "count", "reports", "variants"))
    if frame.empty:
        return empty_occ, empty_sum
    ids = passage[chosen]
    key_code, keys = pd.factorize(frame["key"])
    report_code, _ = pd.factorize(frame["report_id"])
    # each (passage, wording): how often, and its first place
    pair, first, often = np.unique(ids * len(keys) + key_code, return_index=True, return_counts=True)
    pair_passage, pair_key = pair // len(keys), pair % len(keys)
    length = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))[pair_key]
    best = np.lexsort((-length, -often, pair_passage))  # per passage: the most frequent, then longest wording
    lead = best[np.r_[True, pair_passage[best][1:] != pair_passage[best][:-1]]]
    present = pair_passage[lead]
    variants = np.bincount(pair_passage, minlength=int(present.max()) + 1)[present]
    in_reports = np.unique(ids * (int(report_code.max()) + 1) + report_code) // (int(report_code.max()) + 1)
    reports = np.bincount(in_reports, minlength=int(present.max()) + 1)[present]
    texts = frame["text"].to_numpy()[first[lead]]
    summary = pd.DataFrame(
        {
            "old": present,
            "text": texts,
            "count": np.bincount(ids)[present],
            "reports": reports,
            "variants": variants,
            "length": [len(t) for t in texts],
        }
    ).sort_values(["count", "reports", "length", "old"], ascending=[False, False, False, True], kind="stable")
    renumber = np.full(int(present.max()) + 1, -1, dtype=np.int64)
    renumber[summary["old"].to_numpy()] = np.arange(len(summary))
    summary = summary.assign(passage=np.arange(len(summary)))[PASSAGE_COLUMNS].reset_index(drop=True)
    occurrences = frame.assign(passage=renumber[ids])
    occurrences = occurrences.sort_values("passage", kind="stable")  # then in the order of the texts
    return occurrences[OCCURRENCE_COLUMNS].reset_index(drop=True), summary.astype(
        {"passage": "int64", "count": "int64", "reports": "int64", "variants": "int64"}
    )


def recycled_share(occurrences: pd.DataFrame, chars: pd.Series) -> pd.DataFrame:
    """Per report (``chars``: its length, indexed by report_id, in the order to report), the characters of its
    text inside reused passages and their share: ``report_id, chars, recycled_chars, share``."""
    recycled = (occurrences["end"] - occurrences["start"]).groupby(occurrences["report_id"]).sum()
    out = pd.DataFrame({"report_id": chars.index, "chars": chars.to_numpy(dtype=np.int64)})
    out["recycled_chars"] = recycled.reindex(out["report_id"]).fillna(0).to_numpy(dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["chars"] > 0, out["recycled_chars"] / out["chars"], 0.0)
    return out[SHARE_COLUMNS]
