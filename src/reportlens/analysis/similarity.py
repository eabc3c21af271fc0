"""How alike two passages are: the one similarity every cross-report analysis uses (recurring problems, whether
measures answer problems, whether promises were delivered), and the words two passages share, so a reader sees
why they were matched.

Method, in plain terms: each passage becomes a vector of its character pairs and triples (「文旅」「旅为」「文旅为」 …)
weighted by TF-IDF — scikit-learn's ``CountVectorizer`` (``analyzer="char_wb"``) and ``TfidfTransformer``
(sub-linear counts, the document frequencies taken over the distinct item texts of the library) — and two
passages are compared by the cosine of their vectors. Punctuation, digits and spaces only separate runs of text; they never form n-grams.
An item is compared by its title and by its full text, each counting half (``TITLE_WEIGHT``): titles state the
point in a few words, full texts wander through the same officialese in every report.

The similarity is between 0 and 1: 1 for the same text, around 0.1 for two problems of one bureau about the same
matter in different words (「文旅为民服务抓的不是很够……」 vs 「文旅为民群众意识进取意志仍需深化强化……」), near 0 for
unrelated passages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from reportlens.analysis._common import require_columns
from reportlens.analysis.problems import item_term_matrix
from reportlens.text import sentence_spans

# What separates runs of text for the n-grams: 「，」「、」「（一）」「2023」 and spaces in 「加强学习，提高认识（2023）」
RE_NOT_TEXT = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fffA-Za-z]+")
TITLE_WEIGHT = 0.5
NGRAMS = (2, 3)
PAIR_BLOCK = 1_000  # rows of the similarity matrix computed at once (memory: block times items floats)
SHARED_WORDS = 5
WORD_SEPARATOR = "、"
PAIR_COLUMNS = ["key_a", "key_b", "similarity"]
SENTENCE_MIN_CHARS = 6  # shorter sentences (「一是」「同时」) say too little to be matched on their own
SENTENCE_COLUMNS = ["item_id", "report_id", "start", "end", "text"]


def normalize(text: str) -> str:
    """``text`` as the vectorizer reads it: runs of Chinese characters and letters separated by one space."""
    return RE_NOT_TEXT.sub(" ", text).strip()


def _counter() -> CountVectorizer:
    return CountVectorizer(analyzer="char_wb", ngram_range=NGRAMS, lowercase=False, dtype=np.float32)


@dataclass(frozen=True, eq=False)
class ItemVectors:
    """TF-IDF vectors of a set of items, built once (``item_vectors``) and only read afterwards.

    Items with the same normalised title and text share one row (``keys`` maps each item to it), so a passage
    copied into many reports is vectorised once. ``texts`` and ``titles`` are unit-length rows. ``sentences``
    holds the sentences of the items of some roles (``key, start, end, text``: offsets inside the item's text)
    and ``sentence_vectors`` their vectors, row for row.
    """

    counter: CountVectorizer
    weights: TfidfTransformer
    item_ids: pd.Index
    keys: np.ndarray
    texts: sparse.csr_matrix
    titles: sparse.csr_matrix
    sentences: pd.DataFrame
    sentence_vectors: sparse.csr_matrix

    def keys_of(self, item_ids: Sequence[str] | pd.Series) -> np.ndarray:
        """The row of each item; ValueError naming an item the vectors do not hold."""
        positions = self.item_ids.get_indexer(pd.Index(item_ids))
        if len(positions) and positions.min() < 0:
            missing = [i for i, p in zip(item_ids, positions, strict=True) if p < 0][:3]
            raise ValueError(f"items not vectorised: {missing}")
        return self.keys[positions]

    def transform(self, titles: Sequence[str], texts: Sequence[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Vectors of new passages (e.g. sentences of a later report) in the same space: ``(titles, texts)``."""
        if not self.texts.shape[1] or not len(texts):
            empty = sparse.csr_matrix((len(texts), self.texts.shape[1]), dtype=np.float32)
            return empty, empty.copy()
        return self._weigh([normalize(t) for t in titles]), self._weigh([normalize(t) for t in texts])

    def sentences_of(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The sentences held for rows ``keys``: their positions in ``sentences`` and, for each, the index in
        ``keys`` of the row it belongs to (a row given twice has its sentences twice)."""
        held = self.sentences["key"].to_numpy(dtype=np.int64)
        lows = np.searchsorted(held, keys, side="left")
        highs = np.searchsorted(held, keys, side="right")
        positions = [np.arange(lo, hi) for lo, hi in zip(lows, highs, strict=True)]
        owners = [np.full(hi - lo, j, dtype=np.int64) for j, (lo, hi) in enumerate(zip(lows, highs, strict=True))]
        if not positions:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(positions).astype(np.int64), np.concatenate(owners)

    def _weigh(self, normalized: list[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(self.weights.transform(self.counter.transform(normalized)))


def _split(text: str) -> list[tuple[int, int]]:
    return sentence_spans(text) or [(0, len(text))]


def item_vectors(items: pd.DataFrame, *, sentence_roles: Sequence[str] = ("measures",)) -> ItemVectors:
    """Vectorise ``items`` (``item_id, title, text``, and ``role``: the sentences of items of ``sentence_roles``
    are kept apart too — those of the measures, by default, which ``coverage`` matches problems against).

    Every sentence of every distinct item is counted once (scikit-learn's ``CountVectorizer``, ``char_wb``
    2–3-grams); an item's counts are the sum of its sentences' (punctuation never joins an n-gram, so this is
    exactly the count of its whole text); ``TfidfTransformer`` (sub-linear counts, idf over the distinct item
    texts, unit rows) weighs items, titles and the sentences of items of ``sentence_roles`` alike — the same
    vectors ``TfidfVectorizer`` fitted on the item texts gives, with each sentence read only once. Items
    without text get zero vectors (similar to nothing).
    """
    require_columns(items, ("item_id", "title", "text"), name="items")
    titles = [normalize(str(t)) for t in items["title"]]
    raw = [str(t) for t in items["text"]]
    texts = [normalize(t) for t in raw]
    codes, _ = pd.factorize(pd.Series([f"{a}\x00{b}" for a, b in zip(titles, texts, strict=True)], dtype=object))
    codes = np.asarray(codes, dtype=np.int64)
    first = np.unique(codes, return_index=True)[1]  # the first item holding each key, in key order
    wanted = set(sentence_roles)
    roles = items["role"].astype(str).to_numpy() if wanted and "role" in items.columns else np.full(len(items), "")
    rows: list[tuple[int, int, int, str]] = []  # (key, start, end, sentence) of every sentence of every key
    keep: list[bool] = []
    normalized: list[str] = []
    for key, item in enumerate(first):
        for start, end in _split(raw[item]):
            sentence = raw[item][start:end]
            rows.append((key, start, end, sentence))
            normalized.append(normalize(sentence))
            keep.append(roles[item] in wanted and len(normalized[-1].replace(" ", "")) >= SENTENCE_MIN_CHARS)
    # a sentence repeated across items (套话 are many) is counted once
    sentence_codes, distinct = pd.factorize(pd.Series(normalized, dtype=object))
    counter, weights = _counter(), TfidfTransformer(sublinear_tf=True)
    sentence_keys = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    try:
        distinct_counts = sparse.csr_matrix(counter.fit_transform(list(distinct)))
    except ValueError:  # no text at all (scikit-learn: empty vocabulary): every vector is zero
        distinct_counts = sparse.csr_matrix((len(distinct), 0), dtype=np.float32)
    owner = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (sentence_keys, sentence_codes)), shape=(len(first), len(distinct))
    )
    item_counts = sparse.csr_matrix(owner @ distinct_counts)
    counts = distinct_counts
    kept = np.flatnonzero(np.asarray(keep, dtype=bool))
    sentences = pd.DataFrame(
        [rows[i] for i in kept], columns=["key", "start", "end", "text"]
    ).astype({"key": "int64", "start": "int64", "end": "int64"})
    if counts.shape[1]:
        text_matrix = sparse.csr_matrix(weights.fit_transform(item_counts))
        title_matrix = sparse.csr_matrix(weights.transform(counter.transform([titles[i] for i in first])))
        sentence_matrix = (
            sparse.csr_matrix(weights.transform(distinct_counts[sentence_codes[kept]]))
            if len(kept)
            else sparse.csr_matrix((0, counts.shape[1]), dtype=np.float32)
        )
    else:
        text_matrix = title_matrix = sparse.csr_matrix((len(first), 0), dtype=np.float32)
        sentence_matrix = sparse.csr_matrix((len(kept), 0), dtype=np.float32)
    return ItemVectors(
        counter=counter,
        weights=weights,
        item_ids=pd.Index(items["item_id"].astype(str)),
        keys=codes,
        texts=text_matrix,
        titles=title_matrix,
        sentences=sentences,
        sentence_vectors=sentence_matrix,
    )


def combine(title_similarity: np.ndarray, text_similarity: np.ndarray) -> np.ndarray:
    """The similarity of two items from the cosines of their titles and of their full texts."""
    return TITLE_WEIGHT * title_similarity + (1 - TITLE_WEIGHT) * text_similarity


def matrix_similarity(
    left: tuple[sparse.csr_matrix, sparse.csr_matrix], right: tuple[sparse.csr_matrix, sparse.csr_matrix]
) -> np.ndarray:
    """Dense similarity matrix between two sets of ``(titles, texts)`` vectors (small sets only)."""
    (left_titles, left_texts), (right_titles, right_texts) = left, right
    if not left_texts.shape[1] or not right_texts.shape[1]:
        return np.zeros((left_texts.shape[0], right_texts.shape[0]), dtype=np.float64)
    titles = (left_titles @ right_titles.T).toarray()
    texts = (left_texts @ right_texts.T).toarray()
    return np.clip(combine(titles, texts), 0.0, 1.0).astype(np.float64)


def key_similarity(vectors: ItemVectors, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Dense similarity matrix between rows ``left`` and rows ``right`` of ``vectors`` (small sets only)."""
    return matrix_similarity(
        (vectors.titles[left], vectors.texts[left]), (vectors.titles[right], vectors.texts[right])
    )


def item_similarity(vectors: ItemVectors, left_ids: Sequence[str], right_ids: Sequence[str]) -> np.ndarray:
    """Dense similarity matrix between two lists of items (rows: ``left_ids``, columns: ``right_ids``)."""
    return key_similarity(vectors, vectors.keys_of(left_ids), vectors.keys_of(right_ids))


def similar_pairs(vectors: ItemVectors, keys: np.ndarray, *, min_similarity: float) -> pd.DataFrame:
    """Every pair of distinct rows among ``keys`` at least ``min_similarity`` alike:
    ``key_a, key_b, similarity`` with ``key_a < key_b``, computed a block of rows at a time."""
    if not 0.0 < min_similarity <= 1.0:
        raise ValueError(f"min_similarity must be in (0, 1], got {min_similarity!r}")
    rows = np.unique(np.asarray(keys, dtype=np.int64))
    if len(rows) < 2 or not vectors.texts.shape[1]:
        return pd.DataFrame({"key_a": [], "key_b": [], "similarity": []}).astype(
            {"key_a": "int64", "key_b": "int64", "similarity": "float64"}
        )
    texts, titles = vectors.texts[rows], vectors.titles[rows]
    texts_t, titles_t = texts.T.tocsr(), titles.T.tocsr()
    found_a, found_b, found_s = [], [], []
    for start in range(0, len(rows), PAIR_BLOCK):
        stop = min(start + PAIR_BLOCK, len(rows))
        block = (
            TITLE_WEIGHT * (titles[start:stop] @ titles_t) + (1 - TITLE_WEIGHT) * (texts[start:stop] @ texts_t)
        ).tocoo()
        a = block.row.astype(np.int64) + start
        keep = (block.data >= min_similarity - 1e-6) & (a < block.col)
        found_a.append(rows[a[keep]])
        found_b.append(rows[block.col[keep]])
        found_s.append(np.minimum(block.data[keep].astype(np.float64), 1.0))
    return pd.DataFrame(
        {"key_a": np.concatenate(found_a), "key_b": np.concatenate(found_b), "similarity": np.concatenate(found_s)}
    )


def term_sets(spans: pd.DataFrame, tokens: pd.DataFrame) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Which content words each span (``report_id, start, end``) holds, and how often: a count matrix (rows in
    ``spans`` order), the words, and each word's inverse document frequency over these spans."""
    counts, terms = item_term_matrix(spans, tokens)
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1 + counts.shape[0]) / (1 + df)) + 1.0
    return sparse.csr_matrix(counts), np.asarray(terms, dtype=object), idf


@dataclass(frozen=True, eq=False)
class TermIndex:
    """The content words of a set of items (``term_index``), to say which words items share."""

    item_ids: pd.Index
    counts: sparse.csr_matrix
    terms: np.ndarray
    idf: np.ndarray

    def shared(self, item_ids: Sequence[str], *, top: int = SHARED_WORDS) -> str:
        """The words all of ``item_ids`` hold (``shared_words``); "" when one is unknown."""
        rows = self.item_ids.get_indexer(pd.Index(item_ids))
        if not len(rows) or rows.min() < 0:
            return ""
        return shared_words(self.counts, self.terms, self.idf, rows.tolist(), top=top)

    def shared_pairs(self, left: Sequence[str], right: Sequence[str], *, top: int = SHARED_WORDS) -> list[str]:
        """``shared`` for many pairs at once: the words ``left[i]`` and ``right[i]`` share, for each i."""
        a = self.item_ids.get_indexer(pd.Index(left))
        b = self.item_ids.get_indexer(pd.Index(right))
        known = (a >= 0) & (b >= 0)
        out = [""] * len(a)
        if not known.any():
            return out
        least = sparse.csr_matrix(self.counts[a[known]].minimum(self.counts[b[known]]))
        weight = sparse.csr_matrix(least.multiply(self.idf[np.newaxis, :]))
        for i, row in zip(np.flatnonzero(known), range(weight.shape[0]), strict=True):
            lo, hi = weight.indptr[row], weight.indptr[row + 1]
            index, values = weight.indices[lo:hi], weight.data[lo:hi]
            order = np.lexsort((self.terms[index].astype(str), -values))[:top]
            out[i] = WORD_SEPARATOR.join(str(t) for t in self.terms[index[order]])
        return out


def term_index(items: pd.DataFrame, tokens: pd.DataFrame) -> TermIndex:
    """The content words of ``items`` (``item_id, report_id, start, end``) from the token table, read once."""
    require_columns(items, ("item_id", "report_id", "start", "end"), name="items")
    counts, terms, idf = term_sets(items[["report_id", "start", "end"]], tokens)
    return TermIndex(item_ids=pd.Index(items["item_id"].astype(str)), counts=counts, terms=terms, idf=idf)


def shared_words(
    counts: sparse.csr_matrix, terms: np.ndarray, idf: np.ndarray, rows: Sequence[int], *, top: int = SHARED_WORDS
) -> str:
    """The words every one of ``rows`` (rows of ``term_sets``' matrix) holds, joined with 「、」: those each row
    repeats most and that are rarest first (weight: the smallest count among the rows times the idf)."""
    if not len(rows):
        return ""
    least = np.asarray(counts[list(rows)].min(axis=0).todense()).ravel()
    index = np.flatnonzero(least > 0)
    weight = least[index] * idf[index]
    order = index[np.lexsort((terms[index].astype(str), -weight))]
    return WORD_SEPARATOR.join(str(t) for t in terms[order[:top]])


def item_sentences(items: pd.DataFrame, *, min_chars: int = SENTENCE_MIN_CHARS) -> pd.DataFrame:
    """The sentences of each item (``item_id, report_id, start, text``, ``start``/``end`` offsets in the
    report like the item's) with at least ``min_chars`` characters of text, in item order."""
    require_columns(items, ("item_id", "report_id", "start", "text"), name="items")
    rows = []
    for item_id, report_id, offset, text in items[["item_id", "report_id", "start", "text"]].itertuples(index=False):
        body = str(text)
        for start, end in sentence_spans(body):
            sentence = body[start:end]
            if len(normalize(sentence).replace(" ", "")) >= min_chars:
                rows.append((item_id, report_id, int(offset) + start, int(offset) + end, sentence))
    frame = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64"})
