"""The library's connections and transactions: one SQLite connection per thread, writes in one
transaction (or a savepoint of a ``batch``), the schema created or upgraded on open, ``meta`` values."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

import numpy as np

from reportlens.errors import LibraryDamaged, ReportError
from reportlens.integrity import quick_problems
from reportlens.schema import SCHEMA, SCHEMA_VERSION, UPGRADES
from reportlens.store.corrections import BUSY_TIMEOUT_SECONDS
from reportlens.tokenizers import TokenizerSpec

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


class Connections:
    """Connections, transactions and the schema of a library file (the first layer of ``Library``)."""

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

    def _forget_terms(self) -> None:
        """Drop the in-memory term list (the next use reads it again from the file)."""
        with self._lock:
            self._terms, self._term_ids = [None], {}
            self._term_array, self._term_rank = np.array([None], dtype=object), None

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

    def damage(self) -> LibraryDamaged | None:
        """What a check or a read has found wrong with the file since it was opened (by any thread), or None."""
        return LibraryDamaged(str(self.path), list(self._damaged)) if self._damaged else None

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

    def __enter__(self) -> Self:
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
