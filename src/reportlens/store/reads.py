"""Reading reports and their outline rows: metadata, texts, sections, parts and items, for all reports or
some, grouped by report in the order added."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

import pandas as pd

from reportlens.corpus import Corpus, Report
from reportlens.errors import ReportError
from reportlens.rows import ITEM_COLUMNS, PART_COLUMNS, SECTION_COLUMNS
from reportlens.store.base import CHUNK
from reportlens.store.settings import SettingsStore


def _item_text(text: str, stored: str, start: int | None, end: int | None) -> str:
    """An item's text from its ``items`` row: its place in the report ``text``, or the text stored with it."""
    return stored if start is None or end is None else text[start:end]


class Reads(SettingsStore):
    """Reports, texts and outline rows (the fourth layer of ``Library``)."""

    def __len__(self) -> int:
        with self._read() as conn:
            return int(conn.execute("SELECT count(*) FROM reports").fetchone()[0])

    def __contains__(self, report_id: object) -> bool:
        with self._read() as conn:
            return conn.execute("SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone() is not None

    def ids(self) -> list[str]:
        """Report ids in the order they were added."""
        with self._read() as conn:
            return [r[0] for r in conn.execute("SELECT id FROM reports ORDER BY seq")]

    def _select(
        self,
        conn: sqlite3.Connection,
        sql: str,
        report_ids: Sequence[str] | None,
        *,
        column: str = "report_id",
        where: str = "",
        params: Sequence[object] = (),
    ) -> list[tuple]:
        """Rows of ``sql`` (its ``{where}`` filled in), for all reports or those in ``report_ids``; ``where``
        and ``params`` add a condition."""
        if report_ids is None:
            clause = f"WHERE {where}" if where else ""
            return conn.execute(sql.replace("{where}", clause), tuple(params)).fetchall()
        rows: list[tuple] = []
        ids = list(dict.fromkeys(report_ids))
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            clause = f"WHERE {column} IN ({', '.join('?' * len(chunk))})" + (f" AND {where}" if where else "")
            rows.extend(conn.execute(sql.replace("{where}", clause), (*chunk, *params)).fetchall())
        return rows

    def _by_report(
        self,
        conn: sqlite3.Connection,
        sql: str,
        report_ids: Sequence[str] | None,
        *,
        key: int = 0,
        where: str = "",
        params: Sequence[object] = (),
    ) -> tuple[list[str], list[tuple]]:
        """The ids in the order added, and the rows of a per-report table (``sql`` selects from it alone, its
        column ``key`` being the report id) grouped in that order, each report's rows in primary-key order.

        SQLite returns the rows in primary-key order and they are regrouped here: an ORDER BY would make
        SQLite copy every row, texts and token arrays included, through a sorter.
        """
        order = self._ordered_ids(conn, report_ids)
        rows = self._select(conn, sql, report_ids, where=where, params=params)
        rank = {report_id: i for i, report_id in enumerate(order)}
        rows.sort(key=lambda row: rank[row[key]])  # stable: keeps each report's rows in key order
        return order, rows

    def _ordered_ids(self, conn: sqlite3.Connection, report_ids: Sequence[str] | None) -> list[str]:
        rows = self._select(conn, "SELECT id FROM reports {where} ORDER BY seq", report_ids, column="id")
        return [r[0] for r in rows]

    def reports(self, report_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per report, in the order added: the ``Corpus.frame()`` columns (``short_name`` as the user
        gave it, "" for the inferred one) plus ``added_at`` and the outline counts ``sections, achievements,
        problems, measures``."""
        with self._read() as conn:
            rows = self._select(
                conn,
                "SELECT r.id, r.title, r.year, r.year_source, r.year_evidence, r.unit, r.kind, r.chars, r.file, "
                "r.added_at, r.short_name, o.sections, o.achievements, o.problems, o.measures, o.confidence, "
                "o.confidence_evidence "
                "FROM reports r JOIN outlines o ON o.report_id = r.id {where} ORDER BY r.seq",
                report_ids,
                column="r.id",
            )
        columns = [
            "report_id", "title", "year", "year_source", "year_evidence", "unit", "kind", "chars", "file",
            "added_at", "short_name", "sections", "achievements", "problems", "measures", "confidence",
            "confidence_evidence",
        ]
        frame = pd.DataFrame(rows, columns=columns)
        frame.insert(5, "year_inferred", frame["year_source"] == "inferred")
        return frame.astype(
            {"year": "Int64", "chars": "int64", "sections": "int64", "achievements": "int64",
             "problems": "int64", "measures": "int64", "year_inferred": bool, "confidence": "float64"}
        )

    def report(self, report_id: str) -> Report:
        """One report, text included. Raises ``ReportError`` if it is not in the library."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT r.id, r.title, r.year, r.year_source, r.year_evidence, r.unit, r.kind, t.text, r.file, r.short_name "
                "FROM reports r JOIN texts t ON t.report_id = r.id WHERE r.id = ?",
                (report_id,),
            ).fetchone()
        if row is None:
            raise ReportError(f"资料库中没有编号为「{report_id}」的报告，可能已被删除。")
        return Report(*row)

    def corpus(self, report_ids: Sequence[str] | None = None) -> Corpus:
        """The reports (all, or those in ``report_ids``) with their texts, in the order added."""
        with self._read() as conn:
            rows = self._select(
                conn,
                "SELECT r.id, r.title, r.year, r.year_source, r.year_evidence, r.unit, r.kind, t.text, r.file, r.short_name "
                "FROM reports r JOIN texts t ON t.report_id = r.id {where} ORDER BY r.seq",
                report_ids,
                column="r.id",
            )
        return Corpus(tuple(Report(*row) for row in rows))

    def texts(self, report_ids: Sequence[str] | None = None) -> dict[str, str]:
        with self._read() as conn:
            rows = self._select(
                conn,
                "SELECT t.report_id, t.text FROM texts t JOIN reports r ON r.id = t.report_id {where} "
                "ORDER BY r.seq",
                report_ids,
                column="r.id",
            )
        return dict(rows)

    def sections(self, report_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """``tables.SECTION_COLUMNS``: one row per section (the preamble as path "0"), reports in order added;
        ``items`` is <NA> below the top level."""
        with self._read() as conn:
            _, rows = self._by_report(
                conn,
                'SELECT report_id, section_path, parent_path, heading, title, level, role, start, "end", '
                '"end" - start, implicit, items, score, evidence, key FROM sections {where}',
                report_ids,
            )
        frame = pd.DataFrame(rows, columns=SECTION_COLUMNS)
        return frame.astype({"level": "int64", "start": "int64", "end": "int64", "chars": "int64",
                             "implicit": bool, "items": "Int64", "score": "float64"})

    def parts(self, report_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """``tables.PART_COLUMNS`` (report_id, section_path, role, start, end, heading): the disjoint spans of
        each text (``Outline.parts()``), reports in the order added."""
        with self._read() as conn:
            _, rows = self._by_report(
                conn, 'SELECT report_id, section_path, role, start, "end", heading FROM parts {where}', report_ids
            )
        return pd.DataFrame(rows, columns=PART_COLUMNS).astype({"start": "int64", "end": "int64"})

    def items(
        self,
        report_ids: Sequence[str] | None = None,
        *,
        role: str | None = None,
        nested: bool = False,
        texts: Mapping[str, str] | None = None,
    ) -> pd.DataFrame:
        """The enumerated achievements, problems and measures: ``tables.ITEM_COLUMNS`` (item_id, report_id,
        role, number, title, text, start, end, children), top-level items only unless ``nested`` (then
        sub-items too, their ``item_id`` ending in 「/n/m」). ``role`` keeps one role. ``texts``: the reports'
        texts, if the caller has them already (items' texts are cut from them)."""
        conditions = ([] if nested else ["instr(item_path, '/') = 0"]) + ([] if role is None else ["role = ?"])
        with self._read() as conn:
            _, rows = self._by_report(
                conn,
                "SELECT report_id || '/' || role || '/' || item_path, report_id, role, number, title, start, "
                '"end", children, text, text_start, text_end FROM items {where}',
                report_ids,
                key=1,
                where=" AND ".join(conditions),
                params=() if role is None else (role,),
            )
            if texts is None:
                texts = self.texts(list(dict.fromkeys(row[1] for row in rows)))
        rows = [(*row[:5], _item_text(texts[row[1]], *row[8:]), *row[5:8]) for row in rows]
        return pd.DataFrame(rows, columns=ITEM_COLUMNS).astype(
            {"number": "int64", "start": "int64", "end": "int64", "children": "int64"}
        )
