"""Does each problem have a measure that answers it? Within one report, every problem is scored against every
measure by content, and a problem whose best measure scores below ``MIN_SCORE`` is flagged as unanswered.

Score = ``similarity`` of the two items (title and full text, character n-gram TF-IDF cosine) + a bonus of
``THEME_BONUS`` for each theme of the lexicon that the problem's title names and the measure's text raises (at
most ``THEME_BONUS_MAX`` themes). The title states what the problem is about; a long measure paragraph that
touches 学习, 群众 and 制度 in passing raises every broad theme, so themes found only in the bodies earn nothing.
Each answer comes with the words the two items share, so a reader sees why they were paired.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from reportlens.analysis._common import empty_frame, require_columns
from reportlens.analysis.problems import Themes
from reportlens.analysis.similarity import (
    ItemVectors,
    TermIndex,
    key_similarity,
    matrix_similarity,
)

MIN_SCORE = 0.06
THEME_BONUS = 0.02
THEME_BONUS_MAX = 2
THEME_SEPARATOR = "、"
ITEM_COLUMNS = ("item_id", "report_id", "role", "number", "title", "text")
SCORE_COLUMNS = [
    "report_id",
    "problem_id",
    "problem_number",
    "measure_id",
    "measure_number",
    "similarity",
    "themes",
    "score",
    "evidence",
    "evidence_start",
    "evidence_end",
]
ANSWER_COLUMNS = [
    "report_id",
    "problem_id",
    "number",
    "title",
    "measure_id",
    "measure_number",
    "measure_title",
    "score",
    "answered",
    "themes",
    "evidence",
    "words",
]
SUMMARY_COLUMNS = ["report_id", "problems", "answered", "share"]


def _theme_patterns(themes: Themes) -> dict[str, re.Pattern[str]]:
    return {
        theme: re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
        for theme, words in themes.items()
        if words
    }


def _theme_masks(texts: pd.Series, patterns: dict[str, re.Pattern[str]]) -> np.ndarray:
    """For each text, a bit mask of the themes it raises (bit i: the i-th theme of ``patterns``)."""
    mask = np.zeros(len(texts), dtype=np.int64)
    for i, pattern in enumerate(patterns.values()):
        mask |= texts.astype(str).str.contains(pattern, regex=True).to_numpy(dtype=np.int64) << i
    return mask


def coverage_scores(items: pd.DataFrame, vectors: ItemVectors, themes: Themes) -> pd.DataFrame:
    """Every (problem, measure) pair of the same report: ``report_id, problem_id, problem_number, measure_id,
    measure_number, similarity, themes`` (the bonus themes, joined with 「、」), ``score``, and the ``evidence``
    — the measure's sentence most like the problem (``evidence_start``/``evidence_end`` in the report), or
    its title when the measure as a whole is more alike.

    ``similarity`` is the larger of the problem's similarity to the whole measure and to its best sentence: a
    long measure section answers a short problem in one sentence. Reports keep their order in ``items``, then
    problems and measures their numbers.
    """
    require_columns(items, (*ITEM_COLUMNS, "start", "end"), name="items")
    frame = items.reset_index(drop=True)
    patterns = _theme_patterns(themes)
    names = list(patterns)
    keys = vectors.keys_of(frame["item_id"].astype(str).tolist())
    title_themes = _theme_masks(frame["title"], patterns)
    text_themes = _theme_masks(frame["text"], patterns)
    bodies = frame["text"].astype(str).to_numpy()
    roles = frame["role"].to_numpy()
    by_report = pd.Series(np.arange(len(frame))).groupby(frame["report_id"].to_numpy(), sort=False).indices
    problem_rows, measure_rows, similarity_parts, picked_parts = [], [], [], []
    sentence_texts: list[np.ndarray] = []
    sentence_starts: list[np.ndarray] = []
    held_so_far = 0
    for report_id in dict.fromkeys(frame["report_id"]):
        rows = by_report[report_id]
        p_rows, m_rows = rows[roles[rows] == "problems"], rows[roles[rows] == "measures"]
        if not len(p_rows) or not len(m_rows):
            continue
        left, right = keys[p_rows], keys[m_rows]
        whole = key_similarity(vectors, left, right)
        held, owner = vectors.sentences_of(right)
        by_sentence = matrix_similarity(
            (vectors.titles[left], vectors.texts[left]),
            (vectors.sentence_vectors[held], vectors.sentence_vectors[held]),
        )
        found = vectors.sentences.iloc[held]
        texts = found["text"].to_numpy()
        # where each sentence is in this report: items sharing a vector row may differ in punctuation
        offsets = np.array(
            [
                where if (where := bodies[m_rows[o]].find(t)) >= 0 else f
                for o, t, f in zip(owner, texts, found["start"].to_numpy(), strict=True)
            ],
            dtype=np.int64,
        )
        sentence_texts.append(texts)
        sentence_starts.append(frame["start"].to_numpy(dtype=np.int64)[m_rows[owner]] + offsets)
        n_p, n_m = whole.shape
        best = np.full((n_p, n_m), -1, dtype=np.int64)
        score = np.zeros((n_p, n_m))
        for j in range(n_m):
            mine = np.flatnonzero(owner == j)
            if len(mine):
                pick = mine[np.argmax(by_sentence[:, mine], axis=1)]
                best[:, j] = pick + held_so_far
                score[:, j] = by_sentence[np.arange(n_p), pick]
        held_so_far += len(held)
        use_sentence = score > whole
        problem_rows.append(np.repeat(p_rows, n_m))
        measure_rows.append(np.tile(m_rows, n_p))
        similarity_parts.append(np.where(use_sentence, score, whole).ravel())
        picked_parts.append(np.where(use_sentence, best, -1).ravel())
    if not problem_rows:
        return empty_frame(
            SCORE_COLUMNS,
            int_columns=("problem_number", "measure_number", "evidence_start", "evidence_end"),
            float_columns=("similarity", "score"),
        )
    p_all, m_all = np.concatenate(problem_rows), np.concatenate(measure_rows)
    similarity = np.concatenate(similarity_parts)
    picked = np.concatenate(picked_parts)
    shared = title_themes[p_all] & text_themes[m_all]
    bonus = np.minimum(np.bitwise_count(shared.astype(np.uint64)), THEME_BONUS_MAX) * THEME_BONUS
    spelled = {m: THEME_SEPARATOR.join(n for i, n in enumerate(names) if m >> i & 1) for m in np.unique(shared)}
    all_texts = np.concatenate(sentence_texts) if sentence_texts else np.empty(0, dtype=object)
    all_starts = np.concatenate(sentence_starts) if sentence_starts else np.empty(0, dtype=np.int64)
    lengths = np.fromiter((len(t) for t in all_texts), dtype=np.int64, count=len(all_texts))
    sentence = picked >= 0
    safe = np.where(sentence, picked, 0)
    titles = frame["title"].astype(str).to_numpy()
    evidence = np.where(sentence, all_texts[safe] if len(all_texts) else "", titles[m_all])
    out = pd.DataFrame(
        {
            "report_id": frame["report_id"].to_numpy()[p_all],
            "problem_id": frame["item_id"].to_numpy()[p_all],
            "problem_number": frame["number"].to_numpy()[p_all],
            "measure_id": frame["item_id"].to_numpy()[m_all],
            "measure_number": frame["number"].to_numpy()[m_all],
            "similarity": similarity,
            "themes": [spelled[m] for m in shared],
            "score": similarity + bonus,
            "evidence": [str(e).strip() for e in evidence],
            "evidence_start": np.where(sentence, all_starts[safe] if len(all_starts) else 0, frame["start"].to_numpy()[m_all]),
            "evidence_end": np.where(
                sentence,
                (all_starts + lengths)[safe] if len(all_starts) else 0,
                frame["end"].to_numpy()[m_all],
            ),
        }
    )
    return out.astype({"evidence_start": "int64", "evidence_end": "int64"})[SCORE_COLUMNS]


def problem_answers(
    items: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    terms: TermIndex | None = None,
    min_score: float = MIN_SCORE,
) -> pd.DataFrame:
    """For each problem of ``items``: the measure of its report that answers it best, the score, whether that
    reaches ``min_score`` (``answered``), the bonus themes and the words the two share (from ``terms``). A report that lists no measure leaves its problems unanswered
    with no measure. Returns ``report_id, problem_id, number, title, measure_id, measure_number,
    measure_title, score, answered, themes, words`` in item order."""
    require_columns(items, ITEM_COLUMNS, name="items")
    problems = items[items["role"] == "problems"].reset_index(drop=True)
    if problems.empty:
        return empty_frame(
            ANSWER_COLUMNS, int_columns=("number",), float_columns=("score",)
        ).astype({"answered": "bool", "measure_number": "Int64"})
    best = scores.sort_values(["score", "measure_number"], ascending=[False, True], kind="stable")
    best = best.drop_duplicates("problem_id").set_index("problem_id")
    titles = items.set_index("item_id")["title"]
    found = best.reindex(problems["item_id"])
    out = pd.DataFrame(
        {
            "report_id": problems["report_id"].to_numpy(),
            "problem_id": problems["item_id"].to_numpy(),
            "number": problems["number"].to_numpy(),
            "title": problems["title"].to_numpy(),
            "measure_id": found["measure_id"].to_numpy(),
            "measure_number": found["measure_number"].astype("Int64").to_numpy(),
            "measure_title": found["measure_id"].map(titles).to_numpy(),
            "score": found["score"].to_numpy(dtype=np.float64, na_value=0.0),
            "themes": found["themes"].fillna("").to_numpy(),
            "evidence": found["evidence"].fillna("").to_numpy(),
        }
    )
    out["answered"] = out["score"] >= min_score
    out["words"] = ""
    if terms is not None:
        out["words"] = terms.shared_pairs(out["problem_id"].tolist(), out["measure_id"].fillna("").tolist())
    return out[ANSWER_COLUMNS]


def coverage_summary(answers: pd.DataFrame) -> pd.DataFrame:
    """Per report, how many of its problems a measure answers: ``report_id, problems, answered, share``."""
    if answers.empty:
        return empty_frame(SUMMARY_COLUMNS, int_columns=("problems", "answered"), float_columns=("share",))
    groups = answers.groupby("report_id", sort=False)["answered"]
    out = pd.DataFrame({"problems": groups.size(), "answered": groups.sum().astype("int64")}).reset_index()
    out["share"] = out["answered"] / out["problems"]
    return out[SUMMARY_COLUMNS]
