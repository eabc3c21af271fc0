"""The ways out of a damaged library (``errors.LibraryDamaged``), for the command line and the app alike.

- ``rebuild``: a new library made from what the damaged file still holds — every report text and its metadata
  that can be read, its structure corrections, and the word lists that pass their checks; outlines and tokens
  are derived again. The damaged file is not changed: it is read from a copy, then moved aside (``set_aside``),
  never deleted.
- ``start_new``: the damaged file moved aside; the next open creates a new library (with the seed reports).
- From a backup: a person replaces the file (nothing to automate; ``ways_out`` says how).

Nothing here writes into the damaged file: it is copied (with its write-ahead log) before it is read.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlens.corpus import Report, make_report
from reportlens.derived import build_segmenter, derive_batch
from reportlens.lexicon import SETTING_KEYS, SETTING_LABELS, setting_problems
from reportlens.store import Library
from reportlens.structure.corrections import Correction

logger = logging.getLogger(__name__)

SIDE_FILES = ("-wal", "-shm")  # SQLite's write-ahead log and its index, beside the library file
REBUILD_BATCH = 16  # reports derived and stored together
REPORT_COLUMNS = "id, title, year, year_source, year_evidence, unit, kind, file, added_at, {short_name}"
MISSES_BEFORE_GIVING_UP = 1_000  # row numbers probed past the last one found, when the table cannot be listed
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RebuildResult:
    """What ``rebuild`` saved: how many reports, the ids of those whose text could not be read, the word lists
    kept (their Chinese names), where the damaged file was moved, and how many structure corrections were
    kept and lost."""

    recovered: int
    lost: tuple[str, ...]
    settings: tuple[str, ...]
    kept_as: Path
    corrections: int = 0
    corrections_lost: int = 0


Salvage = tuple[list[tuple[Report, str | None]], list[str], dict[str, str], dict[str, list[tuple[Correction, str]]], int]


def ways_out(path: str | os.PathLike[str]) -> list[str]:
    """The three ways out of a damaged library, as the command line offers them (one Chinese line each)."""
    return [
        f"1. 从备份恢复：如有这个文件的备份，关闭报告透视后用备份替换「{path}」。",
        f"2. 用库中保存的报告原文重建：reportlens repair --library \"{path}\"（原文件改名保留在旁边）。",
        f"3. 新建一个空资料库：reportlens repair --new --library \"{path}\"（原文件改名保留），或用 --library 另选一个文件。",
    ]


def set_aside(path: str | os.PathLike[str]) -> Path:
    """Move a library file (and its write-ahead log) to 「<name>.damaged-<time>」 beside it; return that path."""
    source = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = source.with_name(f"{source.name}.damaged-{stamp}-{counter}")
    for suffix in SIDE_FILES:
        side = Path(f"{source}{suffix}")
        if side.exists():
            os.replace(side, f"{target}{suffix}")
    if source.exists():
        os.replace(source, target)
    return target


def start_new(path: str | os.PathLike[str]) -> Path:
    """Move the damaged library aside (``set_aside``); the next open makes a new one. Returns where it went."""
    return set_aside(path)


def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[tuple] | None:
    """The rows of a query, or None when SQLite cannot read them (a damaged page)."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.DatabaseError:
        return None


def _report_columns(conn: sqlite3.Connection) -> str:
    """The columns to read (a library from before short names were kept has none: "")."""
    names = {row[1] for row in _rows(conn, "PRAGMA table_info(reports)") or []}
    return REPORT_COLUMNS.format(short_name="short_name" if "short_name" in names else "''")


def _report_rows(conn: sqlite3.Connection) -> list[tuple]:
    """Every readable ``reports`` row in the order added: all at once, or row by row past a damaged page."""
    columns = _report_columns(conn)
    rows = _rows(conn, f"SELECT {columns} FROM reports ORDER BY seq")  # noqa: S608 — constant columns
    if rows is not None:
        return rows
    found: list[tuple] = []
    top = _rows(conn, "SELECT max(seq) FROM reports")
    last = int(top[0][0]) if top and isinstance(top[0][0], int) else None
    seq, misses = 0, 0
    while (last is not None and seq < last) or (last is None and misses < MISSES_BEFORE_GIVING_UP):
        seq += 1
        row = _rows(conn, f"SELECT {columns} FROM reports WHERE seq = ?", (seq,))  # noqa: S608
        misses = 0 if row else misses + 1
        found.extend(row or [])
    return found


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _corrections(conn: sqlite3.Connection) -> tuple[dict[str, list[tuple[Correction, str]]], int]:
    """The readable structure corrections by report id (each with when it was made), and how many could not
    be read."""
    rows = _rows(conn, "SELECT report_id, correction, created_at FROM corrections ORDER BY report_id, seq")
    if rows is None:
        count = _rows(conn, "SELECT count(*) FROM corrections")
        return {}, int(count[0][0]) if count and isinstance(count[0][0], int) else 0
    found: dict[str, list[tuple[Correction, str]]] = {}
    lost = 0
    for report_id, text, made in rows:
        try:
            found.setdefault(str(report_id), []).append((Correction.from_json(text), _text(made) or "?"))
        except (ValueError, TypeError, KeyError):
            lost += 1
    return found, lost


def _salvage(conn: sqlite3.Connection) -> Salvage:
    """(report, when it was added) for every report whose text can be read, the ids of those whose text cannot,
    the word lists that pass their checks, the corrections by the report's id, and how many corrections are
    lost."""
    rows = _report_rows(conn)
    listed = {row[0] for row in rows}
    extra = _rows(conn, "SELECT report_id FROM texts") or []  # texts whose reports row is lost
    rows += [(report_id, *([None] * 9)) for (report_id,) in extra if report_id not in listed]
    reports: list[tuple[Report, str | None]] = []  # (report, added_at); a report keeps the id of its text
    lost: list[str] = []
    for report_id, title, year, source, evidence, unit, kind, file, added_at, short_name in rows:
        found = _rows(conn, "SELECT CAST(text AS BLOB) FROM texts WHERE report_id = ?", (report_id,))
        try:
            text = found[0][0].decode("utf-8") if found and isinstance(found[0][0], bytes) else None
        except UnicodeDecodeError:
            text = None
        if not text or not text.strip():
            lost.append(str(report_id))
            continue
        metadata = {"title": _text(title), "unit": _text(unit), "kind": _text(kind)}
        if isinstance(year, int):
            metadata |= {"year": str(year), "year_source": _text(source), "year_evidence": _text(evidence)}
        try:
            report = make_report(text, file=_text(file), metadata=metadata)
        except Exception:  # a value the checks refuse: keep the text, infer the rest
            report = make_report(text, file=_text(file))
        report = report.with_metadata(short_name=_text(short_name))
        reports.append((report, added_at if isinstance(added_at, str) else None))
    settings: dict[str, str] = {}
    for key, raw in _rows(conn, "SELECT key, CAST(value AS BLOB) FROM settings") or []:
        try:
            text = raw.decode("utf-8") if key in SETTING_KEYS and isinstance(raw, bytes) else None
        except UnicodeDecodeError:
            text = None
        if text is not None and not setting_problems(key, text):
            settings[key] = text
    corrections, corrections_lost = _corrections(conn)
    return reports, lost, settings, corrections, corrections_lost


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rebuild(path: str | os.PathLike[str], *, progress: Progress | None = None) -> RebuildResult:
    """A new library at ``path`` made from what the damaged one still holds (see the module docstring);
    ``progress(done, total)`` after each batch of reports. The damaged file ends up at ``kept_as``."""
    source = Path(path)
    with tempfile.TemporaryDirectory(prefix="reportlens-repair-") as scratch:
        copy = Path(scratch) / source.name
        shutil.copyfile(source, copy)
        for suffix in SIDE_FILES:
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", f"{copy}{suffix}")
        conn = sqlite3.connect(copy)
        try:
            reports, lost, settings, corrections, corrections_lost = _salvage(conn)
        finally:
            conn.close()
    fresh = source.with_name(f"{source.name}.rebuilding")
    for leftover in (fresh, *(Path(f"{fresh}{s}") for s in SIDE_FILES)):
        leftover.unlink(missing_ok=True)
    with Library(fresh) as library:
        if settings:
            library.save_settings(**settings)
        segmenter = build_segmenter(library.tokenizer_spec())
        done = 0
        kept = 0
        for chunk in _chunks(reports, REBUILD_BATCH):
            fixes = {report.id: [c for c, _ in corrections.get(report.id, [])] for report, _ in chunk}
            derived = derive_batch([report for report, _ in chunk], segmenter, fixes)
            with library.batch():
                for (report, added_at), report_derived in zip(chunk, derived, strict=True):
                    made = corrections.get(report.id, [])
                    if library.add(report, report_derived, added_at=added_at, corrections=made):
                        kept += len(made)
            done += len(chunk)
            if progress is not None:
                progress(done, len(reports))
        library.set_meta("seeded", "rebuilt")  # not a new library: the seeds are not loaded into it
        recovered = len(library)
    kept_as = set_aside(source)
    os.replace(fresh, source)
    logger.warning("library %s rebuilt: %d reports, %d lost; the damaged file is %s", source, recovered, len(lost), kept_as)
    lost_corrections = corrections_lost + sum(len(c) for c in corrections.values()) - kept
    return RebuildResult(
        recovered, tuple(lost), tuple(SETTING_LABELS[k] for k in settings), kept_as, kept, lost_corrections
    )
