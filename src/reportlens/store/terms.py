"""Term ids: each distinct term stored once in ``terms``, its id in the token and count arrays; a copy of
the table kept in memory, brought up to date from the committed table (ids only ever grow)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from itertools import repeat

import numpy as np

from reportlens.store.base import Connections


class TermIds(Connections):
    """The in-memory term-id cache of a library (the second layer of ``Library``)."""

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
