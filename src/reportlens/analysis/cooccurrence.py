"""Co-occurrence: how many sentences two distinct terms share.

Computed as a sparse product: X is a 0/1 matrix with a row per sentence and a column per term; Xᵀ·X holds,
for every pair of terms, the number of sentences containing both. Terms found in fewer than ``min_count`` sentences cannot reach
``min_count`` pairs and are dropped before the product, which keeps it small on a large corpus.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.analysis._common import check_top, empty_frame, require_columns, sorted_codes

COOCCURRENCE_COLUMNS = ["term_a", "term_b", "count"]


def _sentence_term_matrix(tokens: pd.DataFrame) -> tuple[sparse.csr_matrix, np.ndarray]:
    """0/1 matrix: one row per (report, sentence), one column per term (sorted, returned with it)."""
    report_codes, _ = pd.factorize(tokens["report_id"])
    sentence = tokens["sentence"].to_numpy(dtype="int64")
    span = int(sentence.max()) + 1 if len(sentence) else 1
    sentence_codes, sentence_keys = pd.factorize(report_codes.astype("int64") * span + sentence)
    term_codes, terms = sorted_codes(tokens["token"], name="tokens.token")
    matrix = sparse.csr_matrix(
        (np.ones(len(tokens), dtype="int32"), (sentence_codes, term_codes)),
        shape=(len(sentence_keys), len(terms)),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1  # a term counts once per sentence
    return matrix, terms


def cooccurrence(
    tokens: pd.DataFrame,
    *,
    terms: Iterable[str] | None = None,
    top: int | None = 30,
    min_count: int = 2,
) -> pd.DataFrame:
    """Pairs of distinct terms in the same sentence (same ``report_id`` and ``sentence``), once per sentence.

    ``count`` is the number of sentences holding both terms; pairs below ``min_count`` are dropped. With
    ``terms``, only pairs involving at least one of them are counted, and ``term_a`` is that term (the
    alphabetically first when both are listed); otherwise ``term_a`` < ``term_b``. Returns columns
    ``term_a, term_b, count`` sorted by count descending, then term_a, term_b; ``top`` rows (None: all).
    """
    require_columns(tokens, ("report_id", "sentence", "token"), name="tokens")
    check_top(top)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a positive int, got {min_count!r}")
    if terms is not None and isinstance(terms, str):
        raise ValueError("terms must be a collection of terms, not a single string; wrap it in a list")
    empty = empty_frame(COOCCURRENCE_COLUMNS, int_columns=("count",))
    if tokens.empty:
        return empty

    matrix, vocab = _sentence_term_matrix(tokens)
    frequent = np.flatnonzero(np.asarray(matrix.sum(axis=0)).ravel() >= min_count)
    matrix = matrix[:, frequent].tocsc()
    vocab = vocab[frequent]

    if terms is None:
        pairs = (matrix.T @ matrix).tocoo()
        rows, cols, counts = pairs.row, pairs.col, pairs.data
        keep = (rows < cols) & (counts >= min_count)
    else:
        wanted = np.flatnonzero(np.isin(vocab, list(dict.fromkeys(terms))))
        if not len(wanted):
            return empty
        pairs = (matrix[:, wanted].T @ matrix).tocoo()
        rows, cols, counts = wanted[pairs.row], pairs.col, pairs.data
        # a pair of two listed terms appears twice (once from each side): keep the one with rows < cols
        listed = np.zeros(len(vocab), dtype=bool)
        listed[wanted] = True
        keep = (rows != cols) & (~listed[cols] | (rows < cols)) & (counts >= min_count)
    rows, cols, counts = rows[keep], cols[keep], counts[keep].astype("int64")
    # vocab is sorted, so column indices order the terms alphabetically
    order = np.lexsort((cols, rows, -counts))
    if top is not None:
        order = order[:top]
    return pd.DataFrame({"term_a": vocab[rows[order]], "term_b": vocab[cols[order]], "count": counts[order]})


def cooccurrence_network(
    tokens: pd.DataFrame, nodes: Iterable[str], *, min_count: int = 2, top: int | None = None
) -> pd.DataFrame:
    """The edges of a co-occurrence network whose nodes are ``nodes`` (e.g. a selection's top terms): every
    pair of two of them found together in at least ``min_count`` sentences, with that number of sentences.

    The same counts as ``cooccurrence`` (a pair counts once per sentence), over the pairs of ``nodes`` only:
    the tokens of other terms are left out first, so the count stays small on a large selection. Columns
    ``term_a, term_b, count``, ``term_a`` < ``term_b``, the most frequent pairs first; ``top`` of them (None:
    all), ties broken by the terms.
    """
    if isinstance(nodes, str):
        raise ValueError("nodes must be a collection of terms, not a single string; wrap it in a list")
    require_columns(tokens, ("report_id", "sentence", "token"), name="tokens")
    wanted = list(dict.fromkeys(str(n) for n in nodes))
    within = tokens[tokens["token"].isin(wanted).to_numpy()]
    if isinstance(within["token"].dtype, pd.CategoricalDtype):
        within = within.assign(token=within["token"].astype(str))
    return cooccurrence(within, top=top, min_count=min_count)
