"""The library: one embedded SQLite file holding a user's reports and everything derived from them.

Tables (defined in ``schema``, which also upgrades a library in an older form): ``reports`` (metadata, one row
per report, keyed by its content hash), ``texts``, ``outlines`` (per report: the parser version its outline was
made with, its counts of sections, achievements, problems and measures), ``sections``, ``parts`` and ``items``
(the outline as rows; an item's text as its place in the report text), ``terms`` (term id ↔ term), ``tokens``
(per report: integer-coded arrays — term ids, offsets, sentence numbers, part numbers — stored as ``blobs``
describes, never pickled) and ``term_counts`` (per report: role, term id, count arrays), plus ``settings`` (the
user dictionary, stopwords and theme lexicon texts), ``imports`` (what became of each file of the latest
imports) and ``meta``.

Guarantees:

- a report is written in ONE transaction with everything derived from it (or in a savepoint of a ``batch``
  of reports, committed together), so after a crash it is wholly there or absent (WAL journal, foreign keys
  on, every derived row deleted with its report). Commits do not wait for the disk (``synchronous = NORMAL``): a crash of the program loses nothing committed, a power cut may
  lose the last commits but never corrupts the file or leaves part of a report — running the ingest again
  adds what is missing;
- derived rows carry the parser and dictionary versions they were made with; ``stale_ids`` lists the reports
  whose versions are stale, and ``maintenance.refresh_derived`` redoes them (the library only stores);
- one ``Library`` object may be shared by threads: each thread gets its own connection.

Reads return pandas DataFrames with the same columns as the in-memory engine (``text.token_table``,
``analysis.document_term_matrix``, ``tables``), so the dashboard can take its data from either.
"""

from __future__ import annotations

from reportlens.integrity import full_problems
from reportlens.store.arrays import Arrays, CountMatrix
from reportlens.store.base import CHUNK, IMPORTS_KEPT
from reportlens.store.writes import Activity

__all__ = ["CHUNK", "IMPORTS_KEPT", "Activity", "CountMatrix", "Library"]


class Library(Arrays):
    """A persistent collection of reports in one SQLite file (created with its schema if missing).

    Open it with ``Library(path)`` (or ``ingest.open_library``, which also loads the seed reports into a new
    library). Use as a context manager, or call ``close()``.

    Its jobs are layered, one module each, every layer building on the one before: ``base.Connections``
    (connections, transactions, the schema on open, ``meta``), ``terms.TermIds`` (term ids),
    ``settings.SettingsStore`` (word lists and the tokenizer they make), ``reads.Reads`` (reports, texts,
    outline rows), ``writes.Writes`` (adding, replacing, deleting, editing, imports, activity, corrections),
    ``arrays.Arrays`` (the stored arrays decoded); this class adds the integrity check. The library stores
    and returns; parsing and segmenting again is ``maintenance``'s, assembling the dashboard's tables
    ``tables.library_tables``'.
    """

    def check(self) -> list[str]:
        """What is wrong with the library (``integrity.full_problems``: SQLite's integrity and foreign-key checks,
        the stored arrays, reports missing a derived row, terms stored twice), in Chinese. [] when sound."""
        with self._read() as conn:
            return full_problems(conn)
