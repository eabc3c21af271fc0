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


def _raised(text: str, patterns: dict[str, re.Pattern[str]]) -> list[str]:
    return [theme for theme, pattern in patterns.items() if pattern.search(text)]


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
    patterns = _theme_patterns(themes)
    problems = items[items["role"] == "problems"]
    measures = items[items["role"] == "measures"]
    frames = []
    for report_id, report_problems in problems.groupby("report_id", sort=False):
        report_measures = measures[measures["report_id"] == report_id]
        if report_measures.empty:
            continue
        left = vectors.keys_of(report_problems["item_id"].astype(str).tolist())
        right = vectors.keys_of(report_measures["item_id"].astype(str).tolist())
        whole = key_similarity(vectors, left, right)
        held, owner = vectors.sentences_of(right)
        by_sentence = matrix_similarity(
            (vectors.titles[left], vectors.texts[left]),
            (vectors.sentence_vectors[held], vectors.sentence_vectors[held]),
        )
        found = vectors.sentences.iloc[held]
        # where each sentence is in this report: items sharing a vector row may differ in punctuation
        bodies = report_measures["text"].astype(str).to_numpy()[owner]
        offsets = np.array(
            [b.find(t) if b.find(t) >= 0 else f for b, t, f in zip(bodies, found["text"], found["start"], strict=True)],
            dtype=np.int64,
        )
        starts = report_measures["start"].to_numpy(dtype=np.int64)[owner] + offsets
        sentences = pd.DataFrame(
            {"text": found["text"].to_numpy(), "start": starts, "end": starts + found["text"].str.len().to_numpy()}
        )
        n_p, n_m = whole.shape
        best_sentence = np.full((n_p, n_m), -1, dtype=np.int64)
        sentence_score = np.zeros((n_p, n_m))
        for j in range(n_m):
            mine = np.flatnonzero(owner == j)
            if len(mine):
                pick = mine[np.argmax(by_sentence[:, mine], axis=1)]
                best_sentence[:, j] = pick
                sentence_score[:, j] = by_sentence[np.arange(n_p), pick]
        use_sentence = sentence_score > whole
        similarity = np.where(use_sentence, sentence_score, whole)
        problem_themes = [set(_raised(str(t), patterns)) for t in report_problems["title"]]
        measure_themes = [_raised(str(t), patterns) for t in report_measures["text"]]
        shared = [[[t for t in m if t in p] for m in measure_themes] for p in problem_themes]
        bonus = np.array([[min(len(s), THEME_BONUS_MAX) * THEME_BONUS for s in row] for row in shared])
        measure_titles = report_measures["title"].astype(str).to_numpy()
        measure_starts = report_measures["start"].to_numpy(dtype=np.int64)
        measure_ends = report_measures["end"].to_numpy(dtype=np.int64)
        picked = np.where(use_sentence, best_sentence, -1).ravel()
        column = np.tile(np.arange(n_m), n_p)
        texts, starts, ends = sentences["text"].to_numpy(), sentences["start"].to_numpy(), sentences["end"].to_numpy()
        frames.append(
            pd.DataFrame(
                {
                    "report_id": report_id,
                    "problem_id": np.repeat(report_problems["item_id"].to_numpy(), n_m),
                    "problem_number": np.repeat(report_problems["number"].to_numpy(), n_m),
                    "measure_id": np.tile(report_measures["item_id"].to_numpy(), n_p),
                    "measure_number": np.tile(report_measures["number"].to_numpy(), n_p),
                    "similarity": similarity.ravel(),
                    "themes": [THEME_SEPARATOR.join(s) for row in shared for s in row],
                    "score": (similarity + bonus).ravel(),
                    "evidence": [
                        str(texts[k]).strip() if k >= 0 else measure_titles[c] for k, c in zip(picked, column, strict=True)
                    ],
                    "evidence_start": [
                        int(starts[k]) if k >= 0 else int(measure_starts[c]) for k, c in zip(picked, column, strict=True)
                    ],
                    "evidence_end": [
                        int(ends[k]) if k >= 0 else int(measure_ends[c]) for k, c in zip(picked, column, strict=True)
                    ],
                }
            )
        )
    if not frames:
        return empty_frame(
            SCORE_COLUMNS,
            int_columns=("problem_number", "measure_number", "evidence_start", "evidence_end"),
            float_columns=("similarity", "score"),
        )
    return pd.concat(frames, ignore_index=True)[SCORE_COLUMNS]


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
