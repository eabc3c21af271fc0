"""Writing: reports stored with everything derived from them, deleted, edited; the record of imports;
which reports are stale; markers of work in progress; structure corrections."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reportlens.blobs import I32, U8, narrow, plain, runs, steps
from reportlens.corpus import Report, check_year
from reportlens.errors import LibraryDamaged, ReportError
from reportlens.rows import PARSER_VERSION
from reportlens.store.base import (
    ACTIVITY_PREFIX,
    CHUNK,
    DERIVED_TABLES,
    EDITABLE_FIELDS,
    IMPORT_COLUMNS,
    IMPORTS_KEPT,
    _Batch,
    _now,
)
from reportlens.store.reads import Reads
from reportlens.structure.corrections import Correction

if TYPE_CHECKING:  # the library stores what ``derived`` makes; it only names its type
    from reportlens.derived import Derived

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Activity:
    """Work going on (or left unfinished) in a library: how long ago it last said so, and its counts."""

    seconds_ago: float
    state: dict[str, int]


class Writes(Reads):
    """Adding, replacing, deleting and editing reports (the fifth layer of ``Library``)."""

    def add(
        self,
        report: Report,
        derived: Derived,
        *,
        added_at: str | None = None,
        corrections: Sequence[tuple[Correction, str]] = (),
    ) -> bool:
        """Store a report with everything derived from it, in one transaction (inside ``batch()``, a savepoint).
        A rebuilt library keeps what the old one said: ``added_at`` (else now) and the report's ``corrections``
        with when each was made (``derived`` must have been made with them).

        Returns False (and changes nothing) when a report with the same id (same text) is already there.
        """
        ids = self._batch_ids(derived.tokens.vocab)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM reports WHERE id = ?", (report.id,)).fetchone():
                return False
            conn.execute(
                "INSERT INTO reports(id, title, year, year_source, year_evidence, unit, kind, file, chars, added_at, "
                "short_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    report.id, report.title, check_year(report.year), report.year_source, report.year_evidence,
                    report.unit, report.kind, report.file, report.chars, added_at or _now(), report.short_name.strip(),
                ),
            )
            conn.execute("INSERT INTO texts(report_id, text) VALUES (?, ?)", (report.id, report.text))
            conn.executemany(
                "INSERT INTO corrections VALUES (?, ?, ?, 1, ?)",
                [(report.id, seq, correction.to_json(), made) for seq, (correction, made) in enumerate(corrections, 1)],
            )
            new_terms = self._insert_derived(conn, report.id, derived, ids=ids)
        self._remember(new_terms)
        return True

    def _batch_ids(self, vocab: Sequence[str]) -> np.ndarray | None:
        """Inside ``batch()``, the term ids of a vocabulary, numbered (and new terms added) once per batch for
        the same object, in the batch's transaction itself: a report that fails is undone without taking them
        from the others sharing it. Outside a batch, None: each write numbers its own terms."""
        batch: _Batch | None = getattr(self._local, "batch", None)
        if batch is None:
            return None
        known = batch.vocab_ids.get(id(vocab))
        if known is not None and known[0] is vocab:
            return known[1]
        try:
            ids, new_terms = self._global_ids(self._connection(), vocab)
        except sqlite3.Error as err:
            raise self._error(err) from err
        self._remember(new_terms)
        batch.vocab_ids[id(vocab)] = (vocab, ids)
        return ids

    def _insert_derived(
        self, conn: sqlite3.Connection, report_id: str, derived: Derived, *, ids: np.ndarray | None = None
    ) -> dict[str, int]:
        """Insert the derived rows of a report; return the terms it added to ``terms`` (none when ``ids``, the
        term ids of its vocabulary, are given)."""
        s = derived.summary
        conn.execute(
            "INSERT INTO outlines VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                report_id, derived.parser_version, s.get("sections", 0),
                s.get("achievements", 0), s.get("problems", 0), s.get("measures", 0),
                derived.confidence, derived.confidence_evidence,
            ),
        )
        conn.execute("UPDATE corrections SET matched = 1 WHERE report_id = ?", (report_id,))
        if derived.unmatched:  # positions in the order ``corrections`` gives them
            seqs = [r[0] for r in conn.execute("SELECT seq FROM corrections WHERE report_id = ? ORDER BY seq", (report_id,))]
            conn.executemany(
                "UPDATE corrections SET matched = 0 WHERE report_id = ? AND seq = ?",
                [(report_id, seqs[i]) for i in derived.unmatched if i < len(seqs)],
            )
        conn.executemany(
            "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(report_id, i, *row) for i, row in enumerate(derived.sections)],
        )
        conn.executemany(
            "INSERT INTO parts VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(report_id, i, *row) for i, row in enumerate(derived.parts)],
        )
        conn.executemany(
            "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(report_id, i, *row) for i, row in enumerate(derived.items)],
        )
        tokens = derived.tokens
        new_terms: dict[str, int] = {}
        if ids is None:
            ids, new_terms = self._global_ids(conn, tokens.vocab)
        conn.execute(
            "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                report_id, derived.dictionary_version, len(tokens), plain(ids[tokens.codes], I32),
                steps(tokens.offsets), steps(tokens.sentences), runs(tokens.parts),
            ),
        )
        conn.execute(
            "INSERT INTO term_counts VALUES (?, ?, ?, ?, ?)",
            (
                report_id, derived.dictionary_version, plain(tokens.count_roles, U8),
                plain(ids[tokens.count_codes], I32), narrow(tokens.counts),
            ),
        )
        return new_terms

    def check_writable(self) -> None:
        """Raise ``ReportError`` (Chinese) now if nothing can be written into the library — a read-only file or
        folder, a damaged library — rather than blaming each file of an import for it. Writes nothing."""
        if self._damaged:
            raise LibraryDamaged(str(self.path), self._damaged)
        conn = self._connection()
        if conn.in_transaction:
            return  # inside a write already
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('write_check', '')")
        except sqlite3.Error as err:
            raise self._error(err) from err
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def delete(self, report_id: str) -> bool:
        """Remove a report and everything derived from it; False if it was not there."""
        with self._write() as conn:
            deleted = conn.execute("DELETE FROM reports WHERE id = ?", (report_id,)).rowcount
        return bool(deleted)

    def record_import(
        self, results: Sequence[tuple[str, str, str | None, str, str]], *, batch: int | None = None
    ) -> int:
        """Remember what became of files of an import: ``(file, status, report_id, title, reason)`` rows, kept
        with the newest ``IMPORTS_KEPT`` imports so the 语料管理 page can show them again later.

        The rows are added to import ``batch`` after its earlier rows, or start a new import (``batch`` None);
        returns the import's number. Called inside ``batch()``, they commit in that transaction, with the
        reports they list: an import cut short (a crash, a kill) still lists every report it stored.
        """
        with self._write(bump=False) as conn:
            if batch is None:
                batch = int(conn.execute("SELECT coalesce(max(batch), 0) + 1 FROM imports").fetchone()[0])
                conn.execute("DELETE FROM imports WHERE batch <= ?", (batch - IMPORTS_KEPT,))
            first = int(
                conn.execute("SELECT coalesce(max(position), -1) + 1 FROM imports WHERE batch = ?", (batch,)).fetchone()[0]
            )
            finished = _now()
            conn.executemany(
                "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(batch, first + i, finished, *row) for i, row in enumerate(results)],
            )
        return batch

    def last_import(self) -> tuple[str, pd.DataFrame] | None:
        """When the latest import finished (its last rows were written; UTC, ISO 8601) and its rows
        (``IMPORT_COLUMNS``); None if none."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT finished_at, file, status, report_id, title, reason FROM imports "
                "WHERE batch = (SELECT max(batch) FROM imports) ORDER BY position"
            ).fetchall()
        if not rows:
            return None
        return max(row[0] for row in rows), pd.DataFrame([row[1:] for row in rows], columns=IMPORT_COLUMNS)

    def update_metadata(self, report_id: str, **changes: object) -> Report:
        """Change a report's title, year, unit, kind, short name, file name (or year_source/year_evidence);
        return it. A short name of "" hands the report back to the inferred one (``names.infer_short_name``).

        Setting ``year`` without saying where it came from records it as written by a person
        (``year_source="metadata"``). A year must be a whole number from 1900 to 2100 or None; a title
        cannot be empty. Raises ``ReportError`` (Chinese) for a bad value or an unknown report.
        """
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise TypeError(f"update_metadata() cannot change {sorted(unknown)}; editable: {sorted(EDITABLE_FIELDS)}")
        values = dict(changes)
        if "year" in values:
            values["year"] = check_year(values["year"])
            if "year_source" not in values:
                values["year_source"] = "metadata" if values["year"] is not None else "unknown"
            if "year_evidence" not in values:
                values["year_evidence"] = "用户在资料库中填写" if values["year"] is not None else "用户清除了年份"
        for key in ("title", "year_source", "year_evidence", "unit", "kind", "file", "short_name"):
            if key in values:
                values[key] = "" if values[key] is None else str(values[key]).strip()
        if "title" in values and not values["title"]:
            raise ReportError("标题不能为空：请填写报告的标题。")
        if values:
            with self._write() as conn:
                assignments = ", ".join(f"{key} = ?" for key in values)
                updated = conn.execute(
                    f"UPDATE reports SET {assignments} WHERE id = ?",  # noqa: S608 — keys are EDITABLE_FIELDS
                    (*values.values(), report_id),
                ).rowcount
            if not updated:
                raise ReportError(f"资料库中没有编号为「{report_id}」的报告，可能已被删除。")
        return self.report(report_id)

    # ------------------------------------------------------------------------------------------ derived data

    def stale_ids(self, dictionary_version: str | None = None, *, report_ids: Sequence[str] | None = None) -> list[str]:
        """Reports (all, or those of ``report_ids``) whose derived rows were made by another parser or dictionary
        version than the current."""
        version = dictionary_version or self.dictionary_version
        with self._read() as conn:
            rows = self._select(
                conn,
                "SELECT r.id FROM reports r LEFT JOIN outlines o ON o.report_id = r.id "
                "LEFT JOIN tokens t ON t.report_id = r.id {where} ORDER BY r.seq",
                report_ids,
                column="r.id",
                where="(o.parser_version IS NOT ? OR t.dictionary_version IS NOT ?)",
                params=(PARSER_VERSION, version),
            )
        return [r[0] for r in rows]

    def mark_activity(self, kind: str, *, ended: bool = False, **state: int) -> None:
        """Say in the library that ``kind`` (``IMPORTING``, ``RESEGMENTING``) is going on now, with ``state``
        (its counts), or with ``ended`` that it finished. Other sessions read it with ``activity``. Writes
        nothing a cache depends on; a library that cannot be written simply keeps no marker."""
        try:
            with self._write(bump=False) as conn:
                if ended:
                    conn.execute("DELETE FROM meta WHERE key = ?", (ACTIVITY_PREFIX + kind,))
                else:
                    value = json.dumps({"at": time.time(), **state})
                    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (ACTIVITY_PREFIX + kind, value))
        except ReportError:
            logger.debug("could not mark %s", kind, exc_info=True)

    def activity(self) -> dict[str, Activity]:
        """What ``mark_activity`` last said of each kind: kind → (seconds since, state)."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?", (len(ACTIVITY_PREFIX), ACTIVITY_PREFIX)
            ).fetchall()
        found: dict[str, Activity] = {}
        for key, value in rows:
            try:
                state = json.loads(value)
                found[key.removeprefix(ACTIVITY_PREFIX)] = Activity(
                    max(0.0, time.time() - float(state.pop("at"))), {k: int(v) for k, v in state.items()}
                )
            except (ValueError, TypeError, KeyError, AttributeError):
                continue  # a marker that cannot be read says nothing
        return found

    def replace_derived(
        self, report_id: str, derived: Derived, *, before: Callable[[sqlite3.Connection], None] | None = None
    ) -> None:
        """Put ``derived`` (made by ``maintenance``: the library only stores it) in place of a report's derived
        rows, nothing if the report was deleted meanwhile; ``before(conn)`` runs first in the same transaction."""
        ids = self._batch_ids(derived.tokens.vocab)
        new_terms: dict[str, int] = {}
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone():
                if before is not None:
                    before(conn)
                for table in DERIVED_TABLES:
                    conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))  # noqa: S608
                new_terms = self._insert_derived(conn, report_id, derived, ids=ids)
        self._remember(new_terms)

    # ------------------------------------------------------------------------------------------ corrections

    def corrections_of(self, report_ids: Sequence[str]) -> dict[str, tuple[Correction, ...]]:
        """The corrections of these reports, each report's in the order they were made (reports without any
        are left out)."""
        found: dict[str, list[Correction]] = {}
        with self._read() as conn:
            for start in range(0, len(report_ids), CHUNK):
                chunk = list(report_ids[start : start + CHUNK])
                marks = ", ".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT report_id, correction FROM corrections WHERE report_id IN ({marks}) "  # noqa: S608
                    "ORDER BY report_id, seq",
                    chunk,
                ).fetchall()
                for report_id, text in rows:
                    found.setdefault(report_id, []).append(Correction.from_json(text))
        return {report_id: tuple(items) for report_id, items in found.items()}

    def corrections(self, report_id: str) -> list[tuple[int, Correction, bool]]:
        """A report's corrections in the order they were made: ``(seq, correction, matched)``, ``matched``
        False when the report's current parse has nothing the correction applies to."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT seq, correction, matched FROM corrections WHERE report_id = ? ORDER BY seq", (report_id,)
            ).fetchall()
        return [(seq, Correction.from_json(text), bool(matched)) for seq, text, matched in rows]
