"""What tests read from a library that no page or command needs (kept here, not in the package): term counts
as a long table, a document-term matrix per role, a report's outline parsed again."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.outline import Outline
from reportlens.store import Library
from reportlens.structure import parse_outline


def term_counts(library: Library) -> pd.DataFrame:
    """How often each term occurs in each role of each report: ``report_id, role, term, count``."""
    counted = library.doc_term_matrix()
    cells = counted.matrix.tocoo()
    terms = np.asarray(counted.terms, dtype=object)
    return pd.DataFrame(
        {
            "report_id": counted.report_ids[cells.row],
            "role": counted.roles[cells.row],
            "term": terms[cells.col],
            "count": cells.data.astype(np.int64),
        }
    )


def role_matrix(library: Library, role: str | None = None) -> tuple[sparse.csr_matrix, list[str], list[str]]:
    """``(matrix, report_ids, terms)`` as ``analysis.document_term_matrix`` makes them of the library's token
    table (of one ``role`` if given): reports with a token there and terms found there, both sorted."""
    counted = library.doc_term_matrix()
    rows = np.ones(len(counted.roles), dtype=bool) if role is None else counted.roles == role
    ids, group = np.unique(counted.report_ids[rows], return_inverse=True)
    indicator = sparse.csr_matrix(
        (np.ones(int(rows.sum()), dtype=np.int64), (group.reshape(-1), np.arange(int(rows.sum())))),
        shape=(len(ids), int(rows.sum())),
    )
    matrix = (indicator @ counted.matrix[np.flatnonzero(rows)]).tocsr()
    present = np.flatnonzero(np.asarray(matrix.sum(axis=0)).ravel())
    return matrix[:, present].tocsr(), [str(i) for i in ids], [counted.terms[j] for j in present]


def report_outline(library: Library, report_id: str, *, raw: bool = False) -> Outline:
    """The report's ``Outline``, parsed again from the stored text with its corrections (``raw``: without)."""
    corrections = () if raw else library.corrections_of([report_id]).get(report_id, ())
    return parse_outline(library.report(report_id).text, corrections)
