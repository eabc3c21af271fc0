"""Corpus-wide tables the dashboard filters: built once per corpus, then every view is a row selection.

Per report (cached by its content id): its outline, and from it the sections, parts, items and the token table.
Per corpus: those stacked into ``CorpusTables``, with a report table carrying the outline counts and a
sparse document-term matrix whose rows are (report, role) pairs, so the top terms of any selection of reports
and role are a column sum.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.analysis import document_term_matrix
from reportlens.corpus import Corpus
from reportlens.names import display_names
from reportlens.outline import EVIDENCE_SEPARATOR, Outline, Section
from reportlens.roles import ITEM_ROLES
from reportlens.structure import parse_outline
from reportlens.text import Tokenizer, concat_token_tables, token_table

SECTION_COLUMNS = [
    "report_id",
    "section_path",
    "parent_path",
    "heading",
    "title",
    "level",
    "role",
    "start",
    "end",
    "chars",
    "implicit",
    "items",
    "score",
    "evidence",
    "key",
]
PART_COLUMNS = ["report_id", "section_path", "role", "start", "end", "heading"]
ITEM_COLUMNS = ["item_id", "report_id", "role", "number", "title", "text", "start", "end", "children"]


@dataclass(frozen=True, eq=False)
class DocTermMatrix:
    """Term counts with one row per (report, role) pair: ``matrix[i, j]`` counts ``terms[j]`` in the text of
    role ``roles[i]`` of report ``report_ids[i]``."""

    matrix: sparse.csr_matrix
    report_ids: np.ndarray
    roles: np.ndarray
    terms: list[str]


@dataclass(frozen=True, eq=False)
class CorpusTables:
    """Everything the dashboard shows, for one corpus and one tokenizer.

    ``reports``: one row per report (``Corpus.frame()`` columns plus ``label``, ``short``, ``sections``,
    ``achievements``, ``problems``, ``measures``); ``sections``, ``parts``, ``items``: see
    ``sections_table``, ``parts_table``, ``items_table``; ``tokens``: the stacked token tables;
    ``texts``: report_id → text; ``dtm``: the (report, role) document-term matrix.
    """

    reports: pd.DataFrame
    sections: pd.DataFrame
    parts: pd.DataFrame
    items: pd.DataFrame
    tokens: pd.DataFrame
    texts: Mapping[str, str]
    dtm: DocTermMatrix


def corpus_fingerprint(corpus: Corpus, *settings: object) -> str:
    """A hash of everything the tables depend on: each report's id (its text) and metadata, plus ``settings``
    (e.g. the tokenizer version). Equal fingerprints mean equal tables."""
    digest = hashlib.sha256()
    for r in corpus.reports:
        fields = (r.id, r.title, r.year, r.year_source, r.year_evidence, r.unit, r.kind, r.file)
        digest.update(repr(fields).encode("utf-8"))
    digest.update(repr(settings).encode("utf-8"))
    return digest.hexdigest()[:16]


def _walk_paths(sections: Iterable[Section], prefix: str = "") -> Iterable[tuple[str, str, Section]]:
    for i, section in enumerate(sections, 1):
        path = f"{prefix}/{i}" if prefix else str(i)
        yield path, prefix, section
        yield from _walk_paths(section.children, path)


def sections_table(report_id: str, outline: Outline) -> pd.DataFrame:
    """One row per section (the preamble first, as path "0", when there is one), in reading order.

    ``chars`` covers the whole section, children included; ``items`` counts the enumerated items of the
    part's role that start inside a top-level section (its problems, measures …); <NA> below the top.
    """
    starts = {role: np.array([i.start for i in outline.items(role)], dtype="int64") for role in ITEM_ROLES}
    rows: list[tuple] = []
    if outline.preamble[1] > outline.preamble[0]:
        start, end = outline.preamble
        rows.append((report_id, "0", "", "", "", 1, "preamble", start, end, end - start, True, 0, 1.0, "", ""))
    for path, parent, s in _walk_paths(outline.sections):
        item_starts = starts.get(s.role, np.empty(0, dtype="int64"))
        n_items = int(((item_starts >= s.start) & (item_starts < s.end)).sum()) if not parent else None
        rows.append(
            (
                report_id,
                path,
                parent,
                s.heading,
                s.title,
                s.level,
                s.role,
                s.start,
                s.end,
                s.end - s.start,
                s.implicit,
                n_items,
                s.score,
                EVIDENCE_SEPARATOR.join(s.evidence),
                s.key,
            )
        )
    return pd.DataFrame(rows, columns=SECTION_COLUMNS).astype({"items": "Int64"})


def parts_table(report_id: str, outline: Outline) -> pd.DataFrame:
    """``outline.parts()`` as a DataFrame with the report id and the heading of each part's section."""
    headings = {path: s.heading for path, _, s in _walk_paths(outline.sections)}
    rows = [
        (report_id, path, role, start, end, headings.get(path, ""))
        for path, role, start, end in outline.parts()
    ]
    return pd.DataFrame(rows, columns=PART_COLUMNS).astype({"start": "int64", "end": "int64"})


def items_table(report_id: str, outline: Outline) -> pd.DataFrame:
    """The enumerated achievements, problems and measures, one row per top-level item.

    ``item_id`` is ``<report_id>/<role>/<number>``; ``children`` counts its sub-items.
    """
    rows = [
        (
            f"{report_id}/{role}/{n}",
            report_id,
            role,
            n,
            item.title,
            item.text,
            item.start,
            item.end,
            len(item.children),
        )
        for role in ITEM_ROLES
        for n, item in enumerate(outline.items(role), 1)
    ]
    return pd.DataFrame(rows, columns=ITEM_COLUMNS).astype(
        {"number": "int64", "start": "int64", "end": "int64", "children": "int64"}
    )


def reports_table(corpus: Corpus, outlines: Mapping[str, Outline]) -> pd.DataFrame:
    """``Corpus.frame()`` plus the unique display names ``label`` (title) and ``short`` (short name, for axes
    and chips; ``names.display_names``), outline counts and the outline's ``confidence`` (0–1) with its
    ``confidence_evidence``."""
    frame = display_names(corpus.frame())
    frame["sections"] = [sum(1 for _ in outlines[i].walk()) for i in frame["report_id"]]
    for role in ITEM_ROLES:
        frame[role] = [len(outlines[i].items(role)) for i in frame["report_id"]]
    frame["confidence"] = [outlines[i].confidence for i in frame["report_id"]]
    frame["confidence_evidence"] = [EVIDENCE_SEPARATOR.join(outlines[i].evidence) for i in frame["report_id"]]
    return frame


def doc_term_matrix(tokens: pd.DataFrame) -> DocTermMatrix:
    """The (report, role) document-term matrix of a token table (via ``analysis.document_term_matrix``)."""
    separator = "\x1f"  # cannot occur in a report id or a role name
    keyed = pd.DataFrame(
        {
            "report_id": tokens["report_id"].astype(str) + separator + tokens["role"].astype(str),
            "token": tokens["token"],
        }
    )
    matrix, keys, terms = document_term_matrix(keyed, min_count=1)
    pairs = [key.split(separator) for key in keys]
    return DocTermMatrix(
        matrix=matrix.tocsr(),
        report_ids=np.array([p[0] for p in pairs], dtype=object),
        roles=np.array([p[1] for p in pairs], dtype=object),
        terms=terms,
    )


def assemble(
    corpus: Corpus,
    outlines: Mapping[str, Outline],
    tokens: Mapping[str, pd.DataFrame],
) -> CorpusTables:
    """Stack the per-report tables (``outlines`` and ``tokens`` keyed by report id) into ``CorpusTables``."""
    ids = [r.id for r in corpus.reports]

    def stack(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)

    all_tokens = concat_token_tables(tokens[i] for i in ids)
    return CorpusTables(
        reports=reports_table(corpus, outlines),
        sections=stack([sections_table(i, outlines[i]) for i in ids], SECTION_COLUMNS),
        parts=stack([parts_table(i, outlines[i]) for i in ids], PART_COLUMNS),
        items=stack([items_table(i, outlines[i]) for i in ids], ITEM_COLUMNS),
        tokens=all_tokens,
        texts={r.id: r.text for r in corpus.reports},
        dtm=doc_term_matrix(all_tokens),
    )


def build_tables(corpus: Corpus, tokenizer: Tokenizer) -> CorpusTables:
    """Parse and tokenize every report of ``corpus`` and assemble the tables (no caching: scripts, tests)."""
    outlines = {r.id: parse_outline(r.text) for r in corpus}
    tokens = {r.id: token_table(r.id, r.text, outlines[r.id].parts(), tokenizer) for r in corpus}
    return assemble(corpus, outlines, tokens)
