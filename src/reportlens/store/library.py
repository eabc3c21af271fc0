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

import functools
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Any, Concatenate, NamedTuple, ParamSpec, TypeVar

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.blobs import I32, U8, from_runs, from_steps, narrow, plain, read_plain, runs, steps, widen
from reportlens.corpus import Corpus, Report, check_year
from reportlens.derived import (
    PARSER_VERSION,
    Derived,
    Segmenter,
    TokenizerSpec,
    build_segmenter,
)
from reportlens.errors import LibraryDamaged, ReportError
from reportlens.integrity import full_problems, quick_problems
from reportlens.lexicon import (
    SETTING_KEYS,
    SETTING_LABELS,
    Settings,
    fallback_warning,
    setting_problems,
)
from reportlens.roles import ROLE_CODES, STORAGE_ORDER
from reportlens.rows import ITEM_COLUMNS, PART_COLUMNS, SECTION_COLUMNS
from reportlens.schema import SCHEMA, SCHEMA_VERSION, UPGRADES
from reportlens.store.corrections import BUSY_TIMEOUT_SECONDS
from reportlens.structure.corrections import Correction
from reportlens.text import TOKEN_COLUMNS, Tokenizer

logger = logging.getLogger(__name__)

CHUNK = 500  # ids per "IN (…)" query
# Page size of a new library (an existing one keeps its own). Most of a library is texts and token arrays,
# tens of kilobytes a report: with 16 KiB pages SQLite handles a quarter as many pages as with the 4 KiB
# default, and storing a report costs about a seventh less.
PAGE_SIZE = 16384

# How many imports (batches of files) the ``imports`` table remembers, newest first.
IMPORTS_KEPT = 20
IMPORT_COLUMNS = ["file", "status", "report_id", "title", "reason"]
# Tables holding what ``derive`` computes; ``replace_derived`` replaces a report's rows in all of them.
DERIVED_TABLES = ("outlines", "sections", "parts", "items", "tokens", "term_counts")
EDITABLE_FIELDS = frozenset({"title", "year", "year_source", "year_evidence", "unit", "kind", "file", "short_name"})

Progress = Callable[[int, int], None]




PROBLEMS_SHOWN = 3  # problems quoted when a save is refused
READ_ONLY = (
    "资料库「{path}」是只读的，无法写入：导入、修改和删除报告都要写入资料库，这与所选的文件无关。"
    "请检查这个文件和它所在文件夹的写入权限，或换一个资料库文件（--library 或环境变量 REPORTLENS_LIBRARY）。"
)
UNBUILDABLE_WARNING = (
    "资料库中保存的用户词典或停用词无法载入分词器，现暂时改用内置的词表（错误详情已记录在服务器日志中）。"
    "请到「词典与停用词」页检查后重新保存，或点「恢复为内置词表」。"
)


# Markers of work in progress kept in ``meta`` (``Library.mark_activity``): 「activity:importing」 and so on.
ACTIVITY_PREFIX = "activity:"


class CountMatrix(NamedTuple):
    """Term counts with one row per (report, role) pair, as ``Library.doc_term_matrix`` reads them:
    ``matrix[i, j]`` counts ``terms[j]`` in the text of role ``roles[i]`` of report ``report_ids[i]``
    (``tables.DocTermMatrix`` holds the same for the dashboard)."""

    matrix: sparse.csr_matrix
    report_ids: np.ndarray
    roles: np.ndarray
    terms: list[str]


@dataclass(frozen=True)
class Activity:
    """Work going on (or left unfinished) in a library: how long ago it last said so, and its counts."""

    seconds_ago: float
    state: dict[str, int]


@dataclass(frozen=True)
class StoredSettings:
    """The word lists of a library (``Library.load_settings``): ``texts`` as stored (for the user to edit),
    ``usable`` what the library works with (a stored text that fails its check replaced by the bundled one),
    ``warnings`` one Chinese sentence per text replaced."""

    texts: Settings
    usable: Settings
    warnings: tuple[str, ...]


def _stored_text(key: str, raw: bytes | None) -> tuple[str | None, list[str]]:
    """A stored setting's text (None when its bytes are no UTF-8 text at all) and its problems."""
    try:
        text = (raw or b"").decode("utf-8")
    except UnicodeDecodeError:
        return None, [f"{SETTING_LABELS[key]}保存的文字已损坏（不是有效的 UTF-8 编码）"]
    return text, setting_problems(key, text)


P = ParamSpec("P")
R = TypeVar("R")


def _reads_arrays(method: Callable[Concatenate[Library, P], R]) -> Callable[Concatenate[Library, P], R]:
    """For a method that decodes stored arrays: an error while decoding them (a wrong length, an index out of
    range) that the integrity check explains is ``LibraryDamaged``, not a traceback; any other stays a bug."""

    @functools.wraps(method)
    def reading(self: Library, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except (ValueError, IndexError, KeyError) as err:
            with self._read() as conn:
                problems = quick_problems(conn)
            if problems:
                raise self._found_damage(problems) from err
            raise

    return reading


def _item_text(text: str, stored: str, start: int | None, end: int | None) -> str:
    """An item's text from its ``items`` row: its place in the report ``text``, or the text stored with it."""
    return stored if start is None or end is None else text[start:end]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _storage_error(err: sqlite3.Error, path: Path) -> ReportError:
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        message = f"资料库「{path}」正被其他程序占用，请稍后重试。"
    elif "full" in text:
        message = f"无法写入资料库「{path}」：磁盘空间已满。请清理磁盘后重试。"
    elif "readonly" in text or "read-only" in text:
        message = READ_ONLY.format(path=path)
    elif "unable to open" in text:
        message = f"无法打开资料库「{path}」：请检查它所在的文件夹是否存在，以及是否有读写权限。"
    elif "not a database" in text:
        return LibraryDamaged(str(path), ["文件头无法识别：它不是报告透视的资料库，或开头已损坏"])
    elif "malformed" in text or "corrupt" in text:
        return LibraryDamaged(str(path), ["SQLite 无法读取资料库的部分数据页"])
    elif "could not decode" in text:  # a damaged page inside a stored text: no UTF-8 any more
        return LibraryDamaged(str(path), ["资料库中保存的报告原文已损坏"])
    else:
        message = f"读写资料库「{path}」时出错：{err}。请重试；如仍出错，请换一个资料库文件。"
    return ReportError(message, file=str(path))


@dataclass
class _Batch:
    """The state of a ``Library.batch()``: whether a write inside it changed what ``revision`` covers, and the
    term ids of the vocabularies its reports share (by object, see ``Library._batch_ids``)."""

    bump: bool = False
    vocab_ids: dict[int, tuple[Sequence[str], np.ndarray]] = field(default_factory=dict)


class Library:
    """A persistent collection of reports in one SQLite file (created with its schema if missing).

    Open it with ``Library(path)`` (or ``ingest.open_library``, which also loads the seed reports into a new
    library). Use as a context manager, or call ``close()``.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._terms: list[str | None] = [None]  # index: term id (ids start at 1)
        self._term_ids: dict[str, int] = {}
        self._term_array: np.ndarray = np.array([None], dtype=object)
        self._term_rank: np.ndarray | None = None  # position of each term id in sorted term order
        self._unbuildable: set[TokenizerSpec] = set()  # settings whose tokenizer failed to build here
        if self.path.is_dir():
            raise ReportError(f"「{self.path}」是一个文件夹：资料库应是一个文件，例如 {self.path / 'library.sqlite3'}。")
        if not self.path.exists() and not create:
            raise ReportError(f"找不到资料库「{self.path}」：请检查路径。")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ReportError(f"无法创建资料库所在的文件夹「{self.path.parent}」：{err.strerror}。") from err
        self._damaged: list[str] = []  # what an integrity check or a read found wrong: then nothing is written
        try:
            self.created = self._init_schema()
            self._verify()
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------------------------------ connections

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
                )
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA synchronous = NORMAL")  # WAL: a crash never corrupts, commits stay cheap
            except sqlite3.Error as err:
                raise self._error(err) from err
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _error(self, err: sqlite3.Error) -> ReportError:
        """The Chinese error for a failed SQLite call; one saying the file is damaged also stops every write."""
        error = _storage_error(err, self.path)
        if isinstance(error, LibraryDamaged):
            self._found_damage(error.problems)
        return error

    def _found_damage(self, problems: list[str]) -> LibraryDamaged:
        """Remember that the file is damaged (nothing is written from now on) and say so in the log."""
        if not self._damaged:
            logger.error("library %s is damaged: %s", self.path, "; ".join(problems))
        self._damaged = list(problems)
        return LibraryDamaged(str(self.path), self._damaged)

    def _verify(self) -> None:
        """The cheap integrity check of every open (``integrity.quick_problems``); raises ``LibraryDamaged``."""
        with self._read() as conn:
            problems = quick_problems(conn)
        if problems:
            raise self._found_damage(problems)

    def close(self) -> None:
        """Close every connection this object opened (from any thread)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Writes of this thread inside are one transaction, each of them a savepoint in it: a write that fails
        is undone alone, the others commit together at the end (or, if the commit fails, none does: then it
        raises ``ReportError``).

        Storing reports a few at a time this way is cheaper than one transaction each: pages that several
        reports change (the terms, the tables' indexes) are written out once per batch, not once per report.
        """
        if getattr(self._local, "batch", None) is not None:
            yield  # already inside a batch
            return
        state = _Batch()
        try:
            with self._write(bump=False, batch=state):
                self._local.batch = state
                try:
                    yield
                finally:
                    self._local.batch = None
        except BaseException:
            self._forget_terms()  # terms of the batch may be in the in-memory list though not in the file
            raise

    @contextmanager
    def _write(self, *, bump: bool = True, batch: _Batch | None = None) -> Iterator[sqlite3.Connection]:
        """A write transaction: everything inside commits together or not at all. With ``bump`` it also
        advances ``revision``, so caches keyed by it see the change. Inside ``batch()``, a savepoint of the
        batch's transaction instead. Refused (``LibraryDamaged``) once the library was found damaged."""
        if self._damaged:
            raise LibraryDamaged(str(self.path), self._damaged)
        conn = self._connection()
        inside: _Batch | None = getattr(self._local, "batch", None)
        if inside is not None:
            with self._savepoint(conn, inside, bump=bump):
                yield conn
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise self._error(err) from err
        try:
            yield conn
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from exc
            raise
        try:
            if bump or (batch is not None and batch.bump):
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('revision', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise self._error(err) from err

    @contextmanager
    def _savepoint(self, conn: sqlite3.Connection, batch: _Batch, *, bump: bool) -> Iterator[None]:
        conn.execute("SAVEPOINT write")
        try:
            yield
        except BaseException as exc:
            if conn.in_transaction:  # else SQLite gave up the whole transaction: the batch's commit will say
                conn.execute("ROLLBACK TO write")
                conn.execute("RELEASE write")
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from exc
            raise
        conn.execute("RELEASE write")
        batch.bump = batch.bump or bump

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same committed state (inside a write transaction
        of this thread, that transaction's state)."""
        conn = self._connection()
        if conn.in_transaction:
            yield conn
            return
        try:
            conn.execute("BEGIN")
            yield conn
        except sqlite3.Error as err:
            raise self._error(err) from err
        finally:
            if conn.in_transaction:
                try:
                    conn.execute("COMMIT")
                except sqlite3.Error as err:  # a damaged file can fail even this
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    if sys.exc_info()[0] is None:  # else the error on its way out says more
                        raise self._error(err) from err

    def _init_schema(self) -> bool:
        """Create the tables if needed; True when this call created them (a new library)."""
        conn = self._connection()
        try:
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # before anything is written; else no effect
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.Error as err:
            raise self._error(err) from err
        if str(mode).lower() != "wal":
            raise ReportError(f"资料库「{self.path}」无法使用 WAL 日志模式（{mode}），请把它放在本地磁盘上。")
        with self._write(bump=False) as conn:
            row = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ).fetchone()
            version = None  # no tables yet
            if row is not None:
                found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                version = int(found[0]) if found else 0
                if version > SCHEMA_VERSION:
                    raise ReportError(
                        f"资料库「{self.path}」由更新版本的报告透视创建（格式 {version}），请升级报告透视后再打开。"
                    )
                if version == SCHEMA_VERSION:
                    return False
            # one statement at a time: executescript() would commit the transaction half-way; each creates
            # a table only if it is missing
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            if version is not None:  # an older form: upgraded step by step, in this one transaction
                for step in range(max(version, 1), SCHEMA_VERSION):
                    UPGRADES[step](conn)
                conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
                return False
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?), ('created_at', ?)",
                (str(SCHEMA_VERSION), _now()),
            )
        return True

    # ------------------------------------------------------------------------------------------ meta

    def get_meta(self, key: str) -> str | None:
        with self._read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    def revision(self) -> int:
        """A number that grows with every change to the library (reports, metadata, derived data, settings):
        a cheap cache key for everything read from it."""
        value = self.get_meta("revision")
        return int(value) if value and value.isascii() and value.isdecimal() else 0

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # ------------------------------------------------------------------------------------------ terms

    def _sync_terms(self, conn: sqlite3.Connection) -> None:
        """Bring the in-memory term list up to the committed ``terms`` table (ids only ever grow)."""
        with self._lock:
            known = len(self._terms) - 1
            rows = conn.execute("SELECT id, term FROM terms WHERE id > ? ORDER BY id", (known,)).fetchall()
            for term_id, term in rows:
                while len(self._terms) < term_id:
                    self._terms.append(None)
                self._terms.append(term)
                self._term_ids[term] = term_id

    def _global_ids(self, conn: sqlite3.Connection, vocab: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
        """Term ids of ``vocab`` and the terms added for it, numbered on from the largest id in their order in
        ``vocab`` (call inside a write transaction; the new terms join the in-memory list once the transaction
        commits, see ``_remember``)."""
        self._sync_terms(conn)
        # 0 for a token that is no term yet: ids start at 1
        ids = np.fromiter(map(self._term_ids.get, vocab, repeat(0)), dtype=np.int64, count=len(vocab))
        missing = np.flatnonzero(ids == 0)
        new: dict[str, int] = {}
        if len(missing):
            start = int(conn.execute("SELECT coalesce(max(id), 0) FROM terms").fetchone()[0]) + 1
            new = {vocab[i]: start + k for k, i in enumerate(missing.tolist())}
            conn.executemany("INSERT INTO terms(id, term) VALUES (?, ?)", zip(new.values(), new.keys(), strict=True))
            ids[missing] = np.arange(start, start + len(missing))
        return ids, new

    def _forget_terms(self) -> None:
        """Drop the in-memory term list (the next use reads it again from the file)."""
        with self._lock:
            self._terms, self._term_ids = [None], {}
            self._term_array, self._term_rank = np.array([None], dtype=object), None

    def _remember(self, new: dict[str, int]) -> None:
        """Add committed new terms (from ``_global_ids``: consecutive ids in order) to the in-memory list when
        they directly follow it (else the next ``_sync_terms`` reads them)."""
        if not new:
            return
        with self._lock:
            if next(iter(new.values())) == len(self._terms):
                self._terms.extend(new)
                self._term_ids.update(new)

    def _term_lookup(self, conn: sqlite3.Connection) -> np.ndarray:
        """An object array of the terms, indexed by term id."""
        self._sync_terms(conn)
        with self._lock:
            if len(self._term_array) != len(self._terms):
                self._term_array = np.array(self._terms, dtype=object)
                self._term_rank = None
            return self._term_array

    def _sorted_rank(self, terms: np.ndarray) -> np.ndarray:
        """Rank of each term id when terms are sorted as strings (cached until new terms arrive)."""
        with self._lock:
            rank = self._term_rank
            if rank is None or len(rank) != len(terms):
                names = np.array(["" if t is None else t for t in terms.tolist()], dtype=object)
                order = np.argsort(names, kind="stable")
                rank = np.empty(len(order), dtype=np.int64)
                rank[order] = np.arange(len(order))
                if terms is self._term_array:
                    self._term_rank = rank
        return rank

    # ------------------------------------------------------------------------------------------ writing

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

    # ------------------------------------------------------------------------------------------ settings

    def load_settings(self) -> StoredSettings:
        """The word lists as stored, checked as ``save_settings`` checks them: a stored text that fails (written
        by an older version, or straight into the file) is replaced by the bundled one in ``usable``, with a
        Chinese warning; the stored text stays in ``texts`` for the user to mend."""
        with self._read() as conn:
            rows = conn.execute("SELECT key, CAST(value AS BLOB) FROM settings").fetchall()  # no decoding error
        stored = {key: raw for key, raw in rows if key in SETTING_KEYS}
        defaults = Settings.defaults()
        texts: dict[str, str] = {}
        usable: dict[str, str] = {}
        warnings: list[str] = []
        for key in SETTING_KEYS:
            bundled = getattr(defaults, key)
            if key not in stored:
                texts[key] = usable[key] = bundled
                continue
            text, problems = _stored_text(key, stored[key])
            texts[key] = bundled if text is None else text
            if problems:
                usable[key] = bundled
                warnings.append(fallback_warning(key, problems))
            else:
                usable[key] = texts[key]
        return StoredSettings(Settings(**texts), Settings(**usable), tuple(warnings))

    @property
    def settings(self) -> Settings:
        """The user dictionary, stopwords, boilerplate and theme lexicon the library works with: as edited by the user,
        else (or where a stored text fails its check, see ``load_settings``) the bundled files."""
        return self.load_settings().usable

    def settings_warnings(self) -> list[str]:
        """Chinese warnings about stored word lists the library cannot use and replaces by the bundled ones."""
        warnings = list(self.load_settings().warnings)
        if self.tokenizer_spec() in self._unbuildable:
            warnings.append(UNBUILDABLE_WARNING)
        return warnings

    def save_settings(self, **changes: str | None) -> Settings:
        """Save edited settings (``userdict=…``, ``stopwords=…``, ``boilerplate=…``, ``themes=…``; None
        restores the bundled file).

        Every text is checked first (``lexicon.setting_problems``): one that fails is refused with a
        ``ReportError`` naming its problems, and nothing is saved. After a dictionary or stopword change the
        token data is stale: call ``maintenance.refresh_derived``.
        """
        unknown = set(changes) - set(SETTING_KEYS)
        if unknown:
            raise TypeError(f"save_settings() got unknown settings {sorted(unknown)}; known: {SETTING_KEYS}")
        for key, value in changes.items():
            problems = [] if value is None else setting_problems(key, value)
            if problems:
                more = f"；另有 {len(problems) - PROBLEMS_SHOWN} 处" if len(problems) > PROBLEMS_SHOWN else ""
                raise ReportError(f"{SETTING_LABELS[key]}有误，未保存：" + "；".join(problems[:PROBLEMS_SHOWN]) + more)
        with self._write() as conn:
            for key, value in changes.items():
                if value is None:
                    conn.execute("DELETE FROM settings WHERE key = ?", (key,))
                else:
                    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, str(value)))
        return self.settings

    def tokenizer_spec(self) -> TokenizerSpec:
        return self.settings.tokenizer_spec

    def segmenter(self) -> Segmenter:
        """The segmenter of the library's dictionary settings (built once per process and settings). Should a
        checked dictionary still fail to load, the bundled one is used (``settings_warnings`` says so)."""
        spec = self.tokenizer_spec()
        if spec not in self._unbuildable:
            try:
                return build_segmenter(spec)
            except Exception:
                logger.exception("the stored dictionary settings do not build a tokenizer; using the bundled ones")
                self._unbuildable.add(spec)
        return build_segmenter(TokenizerSpec())

    def tokenizer(self) -> Tokenizer:
        return self.segmenter().tokenizer

    @property
    def dictionary_version(self) -> str:
        """The version (``Tokenizer.version``) of the tokenizer the library's settings make, found without
        building it (``TokenizerSpec.version``); the bundled one's when the settings do not build."""
        spec = self.tokenizer_spec()
        if spec not in self._unbuildable:
            try:
                return spec.version
            except Exception:
                logger.exception("the stored dictionary settings do not build a tokenizer; using the bundled ones")
                self._unbuildable.add(spec)
        return TokenizerSpec().version

    # ------------------------------------------------------------------------------------------ reading

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

    # ------------------------------------------------------------------------------------------ tokens

    @_reads_arrays
    def token_table(self, report_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """The content tokens of the reports (all, or ``report_ids``), in the order added, each in text order:
        the columns of ``text.token_table`` (report_id, section_path, role, token categorical; sentence,
        offset int32). Built from the stored arrays, no text is segmented."""
        with self._read() as conn:
            _, rows = self._by_report(
                conn, "SELECT report_id, n, term_ids, offsets, sentences, parts FROM tokens {where}", report_ids
            )
            _, part_rows = self._by_report(conn, "SELECT report_id, section_path, role FROM parts {where}", report_ids)
            terms = self._term_lookup(conn)
        ids = [r[0] for r in rows]
        counts = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        # one column at a time, in the smallest dtypes, dropping each intermediate: a 1,000-report library
        # holds millions of tokens
        term_ids = _concat([read_plain(r[2], I32) for r in rows], np.int32)
        offsets = _concat([from_steps(r[3], r[1]) for r in rows], np.int32)
        sentences = _concat([from_steps(r[4], r[1]) for r in rows], np.int32)
        part_index = _concat([from_runs(r[5]) for r in rows], np.int32)
        del rows
        # each report's part numbers, shifted to index the stacked parts of all reports
        per_report = pd.Series([p[0] for p in part_rows], dtype=object).value_counts().reindex(ids, fill_value=0)
        sizes = per_report.to_numpy(dtype=np.int64)
        part_index += np.repeat((np.cumsum(sizes) - sizes).astype(np.int32), counts)
        path_codes, paths = pd.factorize(pd.Series([p[1] for p in part_rows], dtype=object))
        role_names = [p[2] for p in part_rows]
        role_categories = list(ROLE_CODES) + sorted(set(role_names) - set(ROLE_CODES))
        role_codes = np.array([role_categories.index(r) for r in role_names], dtype=np.int8)
        section_codes = path_codes.astype(_code_dtype(len(paths)))[part_index]
        token_roles = role_codes[part_index]
        del part_index
        present = np.bincount(term_ids, minlength=len(terms)) > 0
        remap = (np.cumsum(present) - 1).astype(np.int32)
        token_codes = remap[term_ids]
        del term_ids, remap
        report_codes: np.ndarray = np.repeat(np.arange(len(ids), dtype=_code_dtype(len(ids))), counts)
        return pd.DataFrame(
            {
                "report_id": pd.Categorical.from_codes(report_codes, categories=ids),
                "section_path": pd.Categorical.from_codes(section_codes, categories=pd.Index(paths, dtype=object)),
                "role": pd.Categorical.from_codes(token_roles, categories=role_categories),
                "sentence": sentences,
                "token": pd.Categorical.from_codes(token_codes, categories=pd.Index(terms[present], dtype=object)),
                "offset": offsets,
            },
            columns=list(TOKEN_COLUMNS),
        )

    @_reads_arrays
    def term_places(self, report_ids: Sequence[str], term: str) -> pd.DataFrame:
        """Where ``term`` was cut as a content token in these reports: ``report_id, section_path, role,
        offset`` (as in ``token_table``), reports in the order added, each in text order. Only these reports'
        token arrays are read, and only the places of the term decoded."""
        found: list[tuple[str, np.ndarray, np.ndarray]] = []
        paths: dict[str, list[tuple[str, str]]] = {}
        with self._read() as conn:
            self._sync_terms(conn)
            term_id = self._term_ids.get(term)
            if term_id is not None and report_ids:
                _, rows = self._by_report(
                    conn, "SELECT report_id, n, term_ids, offsets, parts FROM tokens {where}", report_ids
                )
                for report_id, n, term_ids, offsets, parts in rows:
                    hits = np.flatnonzero(read_plain(term_ids, I32) == term_id)
                    if len(hits):
                        found.append((report_id, from_runs(parts)[hits], from_steps(offsets, n)[hits]))
                _, part_rows = self._by_report(
                    conn, "SELECT report_id, section_path, role FROM parts {where}", [f[0] for f in found]
                )
                for report_id, path, role in part_rows:
                    paths.setdefault(report_id, []).append((path, role))
        places = [paths[report_id][k] for report_id, parts, _ in found for k in parts.tolist()]
        return pd.DataFrame(
            {
                "report_id": np.repeat(np.asarray([f[0] for f in found], dtype=object), [len(f[1]) for f in found]),
                "section_path": np.asarray([p[0] for p in places], dtype=object),
                "role": np.asarray([p[1] for p in places], dtype=object),
                "offset": _concat([f[2] for f in found], np.int64),
            }
        )

    @_reads_arrays
    def _count_arrays(
        self, report_ids: Sequence[str] | None
    ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(ids, report index, role code, term id, count, term lookup) of the stored term counts."""
        with self._read() as conn:
            _, rows = self._by_report(
                conn, "SELECT report_id, roles, term_ids, counts FROM term_counts {where}", report_ids
            )
            terms = self._term_lookup(conn)
        ids = [r[0] for r in rows]
        sizes = np.array([len(r[2]) // I32.itemsize for r in rows], dtype=np.int64)
        report_index = np.repeat(np.arange(len(ids)), sizes)
        roles = _concat([read_plain(r[1], U8) for r in rows], np.int64)
        term_ids = _concat([read_plain(r[2], I32) for r in rows], np.int64)
        counts = _concat([widen(r[3], size) for r, size in zip(rows, sizes.tolist(), strict=True)], np.int64)
        return ids, report_index, roles, term_ids, counts, terms

    def term_counts(self, report_ids: Sequence[str] | None = None, *, role: str | None = None) -> pd.DataFrame:
        """How often each term occurs in each role of each report: ``report_id, role, term, count``."""
        ids, report_index, roles, term_ids, counts, terms = self._count_arrays(report_ids)
        keep = np.ones(len(counts), dtype=bool) if role is None else roles == _role_code(role)
        return pd.DataFrame(
            {
                "report_id": np.asarray(ids, dtype=object)[report_index[keep]],
                "role": np.asarray(STORAGE_ORDER, dtype=object)[roles[keep]],
                "term": terms[term_ids[keep]],
                "count": counts[keep],
            }
        )

    def dtm(
        self, report_ids: Sequence[str] | None = None, *, role: str | None = None
    ) -> tuple[sparse.csr_matrix, list[str], list[str]]:
        """``(matrix, report_ids, terms)`` exactly as ``analysis.document_term_matrix`` gives for this
        library's token table (of one ``role`` if given): reports with at least one such token, both lists
        sorted, int64 counts. Built from the stored counts, nothing is segmented."""
        ids, report_index, roles, term_ids, counts, terms = self._count_arrays(report_ids)
        if role is not None:
            keep = roles == _role_code(role)
            report_index, term_ids, counts = report_index[keep], term_ids[keep], counts[keep]
        matrix, rows, columns = self._matrix(report_index, len(ids), term_ids, counts, terms, key=lambda k: ids[k])
        return matrix, [ids[k] for k in rows], [str(terms[t]) for t in columns]

    @_reads_arrays
    def doc_term_matrix(self, report_ids: Sequence[str] | None = None) -> CountMatrix:
        """The (report, role) document-term matrix the dashboard filters: what ``tables.doc_term_matrix``
        makes of the token table (same rows, same order: reports by id, each report's roles by name; columns
        by term), from the stored counts.

        Built straight into the CSR arrays, ``CHUNK`` reports at a time in row order: the stored counts are
        never all decoded at once, and no COO copy is made (at 10,000 reports that halves the memory an open
        needs on top of the matrix itself).
        """
        with self._read() as conn:
            ids = sorted(self._ordered_ids(conn, report_ids))
            terms = self._term_lookup(conn)
            total = sum(
                int(n) for (n,) in self._select(conn, "SELECT length(term_ids) FROM term_counts {where}", ids)
            ) // I32.itemsize
            indices = np.empty(total, dtype=np.int32)
            data = np.empty(total, dtype=np.int64)
            indptr: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
            row_ids: list[np.ndarray] = []
            row_roles: list[np.ndarray] = []
            by_name = np.argsort(np.argsort(np.asarray(STORAGE_ORDER, dtype=object), kind="stable"))
            role_names = np.asarray(sorted(STORAGE_ORDER), dtype=object)  # a role's name at its rank by name
            n_roles, filled = len(STORAGE_ORDER), 0
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                found = {
                    r[0]: r[1:]
                    for r in self._select(conn, "SELECT report_id, roles, term_ids, counts FROM term_counts {where}", chunk)
                }
                chunk = [i for i in chunk if i in found]
                blobs = [found[i] for i in chunk]
                sizes = np.array([len(b[1]) // I32.itemsize for b in blobs], dtype=np.int64)
                roles = _concat([read_plain(b[0], U8) for b in blobs], np.int64)
                keys = np.repeat(np.arange(len(chunk), dtype=np.int64), sizes) * n_roles + by_name[roles]
                order = np.argsort(keys, kind="stable")
                size = len(order)
                indices[filled : filled + size] = _concat([read_plain(b[1], I32) for b in blobs], np.int32)[order]
                data[filled : filled + size] = _concat(
                    [widen(b[2], n) for b, n in zip(blobs, sizes.tolist(), strict=True)], np.int64
                )[order]
                row_keys, per_row = np.unique(keys, return_counts=True)
                indptr.append(filled + np.cumsum(per_row))
                row_ids.append(np.asarray(chunk, dtype=object)[row_keys // n_roles])
                row_roles.append(role_names[row_keys % n_roles])
                filled += size
        present = np.flatnonzero(np.bincount(indices, minlength=len(terms)))
        columns = present[np.argsort(self._sorted_rank(terms)[present], kind="stable")]
        column_of = np.zeros(len(terms), dtype=np.int32)
        column_of[columns] = np.arange(len(columns), dtype=np.int32)
        np.take(column_of, indices, out=indices)
        matrix = sparse.csr_matrix(
            (data, indices, np.concatenate(indptr)), shape=(int(sum(len(r) for r in row_ids)), len(columns))
        )
        matrix.sort_indices()
        return CountMatrix(
            matrix=matrix,
            report_ids=_concat_objects(row_ids),
            roles=_concat_objects(row_roles),
            terms=[str(terms[t]) for t in columns],
        )

    def _matrix(
        self,
        row_keys: np.ndarray,
        key_space: int,
        term_ids: np.ndarray,
        counts: np.ndarray,
        terms: np.ndarray,
        *,
        key: Callable[[int], Any],
    ) -> tuple[sparse.csr_matrix, list[int], np.ndarray]:
        """A csr count matrix: rows are the distinct ``row_keys`` sorted by ``key(row_key)``, columns the
        distinct term ids sorted by term. Returns the matrix, the row keys and the term ids in order."""
        present_rows = np.flatnonzero(np.bincount(row_keys, minlength=key_space))
        row_order = sorted(present_rows.tolist(), key=key)
        row_of = np.zeros(max(key_space, 1), dtype=np.int64)
        row_of[row_order] = np.arange(len(row_order))
        present_terms = np.flatnonzero(np.bincount(term_ids, minlength=len(terms)))
        columns = present_terms[np.argsort(self._sorted_rank(terms)[present_terms], kind="stable")]
        column_of = np.zeros(len(terms), dtype=np.int64)
        column_of[columns] = np.arange(len(columns))
        matrix = sparse.csr_matrix(
            (counts.astype(np.int64), (row_of[row_keys], column_of[term_ids])),
            shape=(len(row_order), len(columns)),
        )
        matrix.sum_duplicates()
        return matrix, row_order, columns

    def check(self) -> list[str]:
        """What is wrong with the library (``integrity.full_problems``: SQLite's integrity and foreign-key checks,
        the stored arrays, reports missing a derived row, terms stored twice), in Chinese. [] when sound."""
        with self._read() as conn:
            return full_problems(conn)


def _role_code(role: str) -> int:
    if role not in STORAGE_ORDER:
        raise ValueError(f"role must be one of {ROLE_CODES}, got {role!r}")
    return STORAGE_ORDER.index(role)


def _code_dtype(categories: int) -> type:
    """The smallest signed integer type for codes of that many categories (as pandas would pick)."""
    return np.int8 if categories < 127 else np.int16 if categories < 32_767 else np.int32


def _concat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)


def _concat_objects(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=object)


