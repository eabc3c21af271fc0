"""Corpus-wide tables the dashboard filters: built once per corpus, then every view is a row selection.

Per report (cached by its content id): its outline, and from it the sections, parts, items and the token table.
Per corpus: those stacked into ``CorpusTables``, with a report table carrying the outline counts and a
sparse document-term matrix whose rows are (report, role) pairs, so the top terms of any selection of reports
and role are a column sum over the selected rows only.

What the dashboard holds, and why (measured with ``bench/run.py --scaling``, quick synthetic reports, two cores):

- in memory, per corpus: the report, section, part and item tables, and the (report, role) term counts as a
  scipy CSR matrix with each year's sums added up once (``report_index``). Every keyword view sums counts; with
  CSR a selection's rows are contiguous slices, so a filter change reads the sums of the years it selects
  whole and the rows of the other reports it selects: top terms take about 4 ms at 10,000 reports (1.9 s
  before). The matrix costs 12 bytes a stored count, about 125 MiB at 10,000 reports. The counts are read
  from SQLite once per library revision: decoding every report's stored count arrays takes about 1.2 s at
  10,000 reports, so reading the selected reports' counts from SQLite on every filter change (aggregates in
  the store) would cost hundreds of milliseconds a view — the matrix is kept. DuckDB or Parquet beside the
  library were not tried: they would add a dependency, and the matrix meets the targets.
- read when the library is opened: the reports, parts and term counts, which the first page (总览) and every
  page's report index need; read on first use, and by the app in a background thread right after its first
  page: the sections and the items with their texts, about half of what an open used to read (first open at
  10,000 reports: about 2 s instead of about 6 s; see ``library_tables``).
- not in memory: the report texts and the token table (every token's place, 17 bytes a token: 250 MiB at
  10,000 reports, plus the texts' 120 MiB). They stay in the library and are read by report id when a view
  needs them (``CorpusTables.texts`` is a mapping that reads a text when asked; ``CorpusTables.token_rows``
  and ``Library.term_places`` read the tokens of the reports asked for) — keyword in context, a section's
  text, the insight indexes. ``CorpusTables.tokens`` still gives the whole token table, read afresh on every
  use (scripts, tests). With this the dashboard process peaks at about 1 GiB at 10,000 reports (2.1 GiB
  before).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.analysis import document_term_matrix
from reportlens.corpus import Corpus
from reportlens.names import display_names
from reportlens.outline import EVIDENCE_SEPARATOR, Outline, Section
from reportlens.report_index import ReportIndex
from reportlens.roles import ITEM_ROLES
from reportlens.rows import ITEM_COLUMNS, PART_COLUMNS, SECTION_COLUMNS
from reportlens.structure import parse_outline
from reportlens.text import Tokenizer, concat_token_tables, token_table

if TYPE_CHECKING:
    from reportlens.store import Library

logger = logging.getLogger(__name__)

LIBRARY_CHUNK = 500  # reports read at a time by ``library_tables``


@dataclass(frozen=True, eq=False)
class DocTermMatrix:
    """Term counts with one row per (report, role) pair: ``matrix[i, j]`` counts ``terms[j]`` in the text of
    role ``roles[i]`` of report ``report_ids[i]``."""

    matrix: sparse.csr_matrix
    report_ids: np.ndarray
    roles: np.ndarray
    terms: list[str]


class ReportSource(Protocol):
    """Where the texts and token tables of a corpus's reports are read from, by report id (the library, or
    ``MemorySource`` for tables built in memory)."""

    def texts(self, report_ids: Sequence[str] | None = None) -> dict[str, str]: ...

    def token_table(self, report_ids: Sequence[str] | None = None) -> pd.DataFrame: ...

    def term_places(self, report_ids: Sequence[str], term: str) -> pd.DataFrame: ...


@dataclass(frozen=True, eq=False)
class MemorySource:
    """Texts and a token table held in memory (tables built by ``build_tables`` / ``assemble``)."""

    text_of: Mapping[str, str]
    tokens: pd.DataFrame

    def texts(self, report_ids: Sequence[str] | None = None) -> dict[str, str]:
        ids = self.text_of if report_ids is None else report_ids
        return {i: self.text_of[i] for i in ids if i in self.text_of}

    def token_table(self, report_ids: Sequence[str] | None = None) -> pd.DataFrame:
        if report_ids is None:
            return self.tokens
        mask = self.tokens["report_id"].isin(list(report_ids)).to_numpy()
        return self.tokens[mask]

    def term_places(self, report_ids: Sequence[str], term: str) -> pd.DataFrame:
        """``report_id, section_path, role, offset`` of ``term``'s tokens in these reports (see
        ``Library.term_places``)."""
        tokens = self.token_table(report_ids)
        tokens = tokens[(tokens["token"] == term).to_numpy()]
        return pd.DataFrame(
            {
                "report_id": tokens["report_id"].astype(str).to_numpy(dtype=object),
                "section_path": tokens["section_path"].astype(str).to_numpy(dtype=object),
                "role": tokens["role"].astype(str).to_numpy(dtype=object),
                "offset": tokens["offset"].to_numpy(dtype=np.int64),
            }
        )


class Texts(Mapping[str, str]):
    """report_id → text of a corpus, each text read from its source when asked for (nothing is kept)."""

    def __init__(self, source: ReportSource, report_ids: Sequence[str]) -> None:
        self._source = source
        self._ids = list(report_ids)
        self._known = frozenset(self._ids)

    def __getitem__(self, report_id: str) -> str:
        if report_id not in self._known:
            raise KeyError(report_id)
        return self._source.texts([report_id])[report_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._known

    def of(self, report_ids: Sequence[str]) -> dict[str, str]:
        """The texts of ``report_ids`` read at once (one query, not one per report)."""
        return self._source.texts([i for i in report_ids if i in self._known])


# A row table as ``CorpusTables`` is given it: the frame, or a function that reads it (called on first use).
RowTable: TypeAlias = "pd.DataFrame | Callable[[], pd.DataFrame]"


class CorpusTables:
    """Everything the dashboard shows, for one corpus and one tokenizer.

    ``reports``: one row per report (``Corpus.frame()`` columns plus ``label``, ``short``, ``sections``,
    ``achievements``, ``problems``, ``measures``); ``sections``, ``parts``, ``items``: see
    ``sections_table``, ``parts_table``, ``items_table`` (each grouped by report, in corpus order); ``dtm``:
    the (report, role) document-term matrix; ``source``: where texts and tokens are read from by report id.
    ``texts`` (report_id → text) and ``tokens`` (the stacked token tables) read from ``source`` when used.

    A row table may be given as a function that reads it: it is read the first time a view asks for it (once,
    whichever session asks first), so opening the dashboard does not wait for tables its first page does not
    show (see ``library_tables``). Nothing here changes after that.
    """

    def __init__(
        self,
        reports: pd.DataFrame,
        sections: RowTable,
        parts: RowTable,
        items: RowTable,
        dtm: DocTermMatrix,
        source: ReportSource,
    ) -> None:
        self.reports = reports
        self.dtm = dtm
        self.source = source
        self._rows: dict[str, RowTable] = {"sections": sections, "parts": parts, "items": items}
        self._reading = threading.Lock()

    def _row_table(self, name: str) -> pd.DataFrame:
        table = self._rows[name]
        if isinstance(table, pd.DataFrame):
            return table
        with self._reading:  # another session may be reading it right now: wait for that one
            table = self._rows[name]
            if not isinstance(table, pd.DataFrame):
                table = self._rows[name] = table()
        return table

    def read_all(self) -> None:
        """Read now the row tables not read yet (the app does this in a background thread once its first page
        is shown, so that another page rarely waits). A table that cannot be read is logged and left for the
        view that asks for it, which tries again."""
        for name in self._rows:
            try:
                self._row_table(name)
            except Exception:  # the library went away meanwhile: the view that needs it will say so
                logger.debug("could not read the %s table ahead of use", name, exc_info=True)

    @property
    def sections(self) -> pd.DataFrame:
        return self._row_table("sections")

    @property
    def parts(self) -> pd.DataFrame:
        return self._row_table("parts")

    @property
    def items(self) -> pd.DataFrame:
        return self._row_table("items")

    @functools.cached_property
    def index(self) -> ReportIndex:
        """Where each report's rows are (built on first use, then kept with the tables)."""
        return ReportIndex(self)

    @property
    def texts(self) -> Texts:
        """report_id → text, read from ``source`` per report when asked for."""
        return Texts(self.source, self.reports["report_id"].tolist())

    @property
    def tokens(self) -> pd.DataFrame:
        """The token table of every report (``text.token_table`` columns), read from ``source`` on each use:
        a view that needs tokens asks for its reports' only (``token_rows``)."""
        return self.source.token_table(self.reports["report_id"].tolist())

    def token_rows(self, report_ids: Sequence[str]) -> pd.DataFrame:
        """The token table of these reports only, read from ``source`` (in corpus order)."""
        ids = [r for r in self.reports["report_id"] if r in set(report_ids)]
        return self.source.token_table(ids)


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
        dtm=doc_term_matrix(all_tokens),
        source=MemorySource(text_of={r.id: r.text for r in corpus.reports}, tokens=all_tokens),
    )


def build_tables(corpus: Corpus, tokenizer: Tokenizer) -> CorpusTables:
    """Parse and tokenize every report of ``corpus`` and assemble the tables (no caching: scripts, tests)."""
    outlines = {r.id: parse_outline(r.text) for r in corpus}
    tokens = {r.id: token_table(r.id, r.text, outlines[r.id].parts(), tokenizer) for r in corpus}
    return assemble(corpus, outlines, tokens)


def _one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each Arrow-backed string column in one piece: ``pd.concat`` leaves one chunk per frame
    stacked, and taking rows from a chunked column (every row selection of a view) costs twenty times more."""
    whole = {}
    for column in frame.columns:
        values = frame[column].array
        if isinstance(frame[column].dtype, pd.StringDtype) and hasattr(values, "__arrow_array__"):
            combined = values.__arrow_array__().combine_chunks()
            whole[column] = pd.Series(pd.array(combined, dtype=frame[column].dtype), index=frame.index)
    return frame.assign(**whole) if whole else frame


def library_tables(library: Library, report_ids: Sequence[str] | None = None) -> CorpusTables:
    """Everything the dashboard shows, assembled from what the library returns (all reports, or
    ``report_ids``): no parsing or segmenting. The texts and tokens stay in the library, read by report id
    when a view asks for them (the library is the tables' ``source``).

    Read now: the reports, the parts (every page's report index needs them) and the term counts — these in
    another thread with its own connection, since SQLite, NumPy and SciPy do most of that work without holding
    Python's lock. The sections and items (with their texts) are read when first asked for (``read_all``, or a
    view of 结构, 关键词, 问题与措施 or the insights; about 3 s at 10,000 reports), of these same reports only,
    so a report added since is not mixed in. Each table is read a chunk of reports at a time: what SQLite
    returns (and the texts items are cut from) is held for a few hundred reports, not for the whole library,
    before it becomes compact columns.
    """
    frame = library.reports(report_ids).drop(columns=["added_at"])
    counts = frame[["sections", *ITEM_ROLES, "confidence", "confidence_evidence"]]
    frame = display_names(frame.drop(columns=counts.columns))
    frame = pd.concat([frame, counts], axis=1)
    ids = frame["report_id"].tolist()
    chunks = [ids[i : i + LIBRARY_CHUNK] for i in range(0, len(ids), LIBRARY_CHUNK)] or [[]]

    def stack(read: Callable[[list[str]], pd.DataFrame]) -> pd.DataFrame:
        frames = [read(chunk) for chunk in chunks]
        return frames[0] if len(frames) == 1 else _one_chunk(pd.concat(frames, ignore_index=True))

    def items(chunk: list[str]) -> pd.DataFrame:
        return library.items(chunk, texts=library.texts(chunk))

    with ThreadPoolExecutor(max_workers=1) as pool:
        counting = pool.submit(library.doc_term_matrix, ids)
        parts = stack(library.parts)
        counted = counting.result()
    return CorpusTables(
        reports=frame,
        sections=functools.partial(stack, library.sections),
        parts=parts,
        items=functools.partial(stack, items),
        dtm=DocTermMatrix(
            matrix=counted.matrix, report_ids=counted.report_ids, roles=counted.roles, terms=counted.terms
        ),
        source=library,
    )
