"""Term trends: how often chosen terms occur year by year, as counts and per 10,000 characters.

Computed from year sums of the document-term matrix (``selection.trends`` gathers them); the token-table
reading of the same definition is kept as a test oracle (``tests/oracles.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from reportlens.analysis._common import per_10k

TREND_COLUMNS = ["year", "term", "count", "per_10k", "reports"]


def trend_frame(
    years: np.ndarray,
    terms: Sequence[str],
    counts: np.ndarray,
    *,
    year_chars: np.ndarray,
    year_reports: np.ndarray,
) -> pd.DataFrame:
    """The yearly ``count`` and ``per_10k`` (per 10,000 characters of that year's reports) of ``terms``, and
    how many ``reports`` stand behind each year: ``counts[y, k]`` counts ``terms[k]`` in year ``years[y]``.
    Every term has a row for every year, zeros included (a line chart drops to zero instead of bridging the
    gap); sorted by year, then by the order of the terms."""
    year_at = np.repeat(np.arange(len(years)), len(terms))
    return pd.DataFrame(
        {
            "year": years[year_at],
            "term": np.tile(np.asarray(terms, dtype=object), len(years)),
            "count": counts.ravel(),
            "per_10k": per_10k(counts.ravel(), year_chars[year_at]).astype(np.float64),
            "reports": year_reports[year_at].astype(np.int64),
        }
    )
