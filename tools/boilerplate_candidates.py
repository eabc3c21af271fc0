"""Candidates for the 公文 boilerplate stopword list (``src/reportlens/data/stopwords_boilerplate.txt``).

For each part of a report (problems, achievements, measures), the terms that carry the form of that part in
many reports rather than the matters of any one of them:

1. part-specific: log-likelihood G² of the part against the other parts of the same reports ≥ 15.13
   (p < 0.0001), the term being more frequent in the part;
2. widespread: used in that part by at least 15 % of the reports that have the part;
3. owned by no report: no single report holds more than a quarter of its uses in the part.

The candidates still need a reader: matters that pass (就业, 风险, 形式主义 …) stay out of the list. Terms
already stopped are not counted (the library is segmented with the current lists), so to redo the list from
scratch, segment with the function-word list alone.

    reportlens ingest ../shared/corpora --library /tmp/corpora.sqlite3
    python tools/boilerplate_candidates.py /tmp/corpora.sqlite3
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from reportlens.analysis import log_likelihood
from reportlens.store import Library

PARTS = ("problems", "achievements", "measures")
G2_PART = 15.13  # p < 0.0001 with one degree of freedom
MIN_SHARE_OF_REPORTS = 0.15
MAX_SHARE_OF_ONE_REPORT = 0.25


def candidates(library: Library, part: str) -> pd.DataFrame:
    """``term, reports, share, count, g2, top_share`` of the candidates for ``part``, most specific first."""
    dtm = library.doc_term_matrix()
    matrix = dtm.matrix.tocsr()
    inside = dtm.roles == part
    rows = matrix[inside]
    a = np.asarray(rows.sum(axis=0)).ravel().astype(float)
    b = np.asarray(matrix[~inside].sum(axis=0)).ravel().astype(float)
    c, d = np.full_like(a, a.sum()), np.full_like(a, b.sum())
    g2 = np.where(a * d > b * c, log_likelihood(a, b, c, d), 0.0)
    users = np.asarray((rows > 0).sum(axis=0)).ravel()
    share = users / max(rows.shape[0], 1)
    top_share = np.asarray(rows.max(axis=0).todense()).ravel() / np.maximum(a, 1)
    frame = pd.DataFrame(
        {"term": dtm.terms, "reports": users, "share": share, "count": a.astype(int), "g2": g2, "top_share": top_share}
    )
    keep = (frame["g2"] >= G2_PART) & (frame["share"] >= MIN_SHARE_OF_REPORTS) & (frame["top_share"] <= MAX_SHARE_OF_ONE_REPORT)
    return frame[keep].sort_values("g2", ascending=False).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path, help="a library made by `reportlens ingest`")
    args = parser.parse_args(argv)
    with Library(args.library, create=False) as library:
        for part in PARTS:
            found = candidates(library, part)
            print(f"== {part}: {len(found)} candidates")
            print(" ".join(f"{r.term}({r.share:.2f})" for r in found.itertuples()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
