"""Tests for reportlens.analysis.similarity: the one similarity of items and passages, and the shared words."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from insight_data import all_items, seed_tables, seed_vectors

from reportlens.analysis import similarity as sim
from reportlens.analysis.similarity import (
    item_sentences,
    item_similarity,
    item_vectors,
    normalize,
    shared_words,
    similar_pairs,
    term_sets,
)


def items(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Items from (item_id, title, text) rows."""
    return pd.DataFrame(rows, columns=["item_id", "title", "text"])


def test_normalize_keeps_runs_of_text_only():
    assert normalize("（一）加强学习，提高认识2023年。") == "一 加强学习 提高认识 年"
    assert normalize("，。、") == ""


def test_same_text_is_1_unrelated_text_is_0_and_the_title_counts_half():
    vectors = item_vectors(
        items(
            [
                ("a", "档案管理不规范", "档案管理不规范，归档不及时。"),
                ("b", "档案管理不规范", "档案管理不规范，归档不及时。"),
                ("c", "食堂浪费严重", "食堂浪费严重，节约意识淡薄。"),
                ("d", "档案管理不规范", "食堂浪费严重，节约意识淡薄。"),
            ]
        )
    )
    matrix = item_similarity(vectors, ["a", "a", "a", "c"], ["a", "b", "c", "d"]).diagonal()
    assert matrix[0] == pytest.approx(1.0) and matrix[1] == pytest.approx(1.0)
    assert matrix[2] == pytest.approx(0.0)
    # the same title over another body: the title half counts in full, the text half not at all for a, all for c
    assert item_similarity(vectors, ["a"], ["d"])[0, 0] == pytest.approx(sim.TITLE_WEIGHT, abs=1e-6)
    assert item_similarity(vectors, ["c"], ["d"])[0, 0] == pytest.approx(1 - sim.TITLE_WEIGHT, abs=0.05)
    assert vectors.keys[0] == vectors.keys[1] != vectors.keys[2]  # one row for the copied item


def test_items_without_text_are_similar_to_nothing():
    vectors = item_vectors(items([("a", "", "（一）"), ("b", "", "2023。")]))
    assert item_similarity(vectors, ["a"], ["b"])[0, 0] == 0.0
    assert similar_pairs(vectors, vectors.keys, min_similarity=0.1).empty
    titles, texts = vectors.transform(["加强学习"], ["加强学习"])
    assert titles.shape[0] == texts.shape[0] == 1


def test_unknown_items_are_named():
    vectors = item_vectors(items([("a", "甲", "甲乙丙")]))
    with pytest.raises(ValueError, match="no/such"):
        vectors.keys_of(["a", "no/such"])


def test_similar_pairs_match_the_dense_matrix_on_the_seeds(monkeypatch):
    """The block-wise sparse pairs equal a plain dense computation of every pair (the slower check)."""
    problems = all_items(seed_tables())
    vectors = seed_vectors()
    keys = vectors.keys_of(problems["item_id"].tolist())
    distinct = np.unique(keys)
    dense = sim.key_similarity(vectors, distinct, distinct)
    expected = {
        (int(distinct[i]), int(distinct[j])): dense[i, j]
        for i in range(len(distinct))
        for j in range(i + 1, len(distinct))
        if dense[i, j] >= 0.08
    }
    monkeypatch.setattr(sim, "PAIR_BLOCK", 7)  # many small blocks give the same pairs as one
    pairs = similar_pairs(vectors, keys, min_similarity=0.08)
    found = {(a, b): s for a, b, s in pairs.itertuples(index=False)}
    assert set(found) == set(expected) and len(found) > 10
    assert all(found[k] == pytest.approx(expected[k], abs=1e-5) for k in found)


def test_item_sentences_point_into_the_report_text():
    tables = seed_tables()
    measures = tables.items[tables.items["role"] == "measures"]
    sentences = item_sentences(measures)
    assert len(sentences) > len(measures)
    for row in sentences.itertuples(index=False):
        assert tables.texts[row.report_id][row.start : row.end] == row.text
        assert len(normalize(row.text).replace(" ", "")) >= sim.SENTENCE_MIN_CHARS


def test_shared_words_are_the_words_both_hold():
    tables = seed_tables()
    problems = tables.items[tables.items["role"] == "problems"].reset_index(drop=True)
    present, terms, idf = term_sets(problems[["report_id", "start", "end"]], tables.tokens)
    words = shared_words(present, terms, idf, [0, 1]).split("、")
    first, second = (set(tables.tokens.loc[tables.tokens["report_id"] == problems.at[i, "report_id"], "token"].astype(str)) for i in (0, 1))
    assert words and all(w in problems.at[0, "text"] and w in problems.at[1, "text"] for w in words)
    assert all(w in first and w in second for w in words)
    assert shared_words(present, terms, idf, []) == ""


def test_hostile_texts_never_break_the_vectors():
    rng = random.Random(11)
    alphabet = "学习落实，。（）1a 　\n\u3000党员干部问题措施𠀀"
    rows = [(f"i{k}", "".join(rng.choices(alphabet, k=rng.randint(0, 12))), "".join(rng.choices(alphabet, k=rng.randint(0, 80)))) for k in range(60)]
    vectors = item_vectors(items(rows))
    matrix = item_similarity(vectors, [r[0] for r in rows], [r[0] for r in rows])
    assert ((matrix >= 0) & (matrix <= 1)).all()
    pairs = similar_pairs(vectors, vectors.keys, min_similarity=0.3)
    assert (pairs["key_a"] < pairs["key_b"]).all() and (pairs["similarity"] >= 0.3 - 1e-6).all()


def test_words_shared_by_many_pairs_at_once_equal_one_pair_at_a_time():
    from insight_data import seed_index

    terms = seed_index().terms
    ids = list(terms.item_ids)
    left, right = ids[::2][:20], ids[1::2][:20]
    assert terms.shared_pairs([*left, "no/such"], [*right, ids[0]]) == [
        terms.shared([a, b]) for a, b in zip(left, right, strict=True)
    ] + [""]
    assert sum(bool(w) for w in terms.shared_pairs(left, right)) >= 15
