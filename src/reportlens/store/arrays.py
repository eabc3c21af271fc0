"""The stored arrays decoded: token tables, the places of a term, term counts and the (report, role)
document-term matrix, read from the integer-coded blobs ``blobs`` describes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Concatenate, NamedTuple, ParamSpec, TypeVar

import numpy as np
import pandas as pd
from scipy import sparse

from reportlens.blobs import I32, U8, from_runs, from_steps, read_plain, widen
from reportlens.integrity import quick_problems
from reportlens.roles import ROLE_CODES, STORAGE_ORDER
from reportlens.store.base import CHUNK, Connections
from reportlens.store.writes import Writes
from reportlens.text import TOKEN_COLUMNS


class CountMatrix(NamedTuple):
    """Term counts with one row per (report, role) pair, as ``Library.doc_term_matrix`` reads them:
    ``matrix[i, j]`` counts ``terms[j]`` in the text of role ``roles[i]`` of report ``report_ids[i]``
    (``tables.DocTermMatrix`` holds the same for the dashboard)."""

    matrix: sparse.csr_matrix
    report_ids: np.ndarray
    roles: np.ndarray
    terms: list[str]


P = ParamSpec("P")
R = TypeVar("R")


C = TypeVar("C", bound=Connections)


def _reads_arrays(method: Callable[Concatenate[C, P], R]) -> Callable[Concatenate[C, P], R]:
    """For a method that decodes stored arrays: an error while decoding them (a wrong length, an index out of
    range) that the integrity check explains is ``LibraryDamaged``, not a traceback; any other stays a bug."""

    @functools.wraps(method)
    def reading(self: C, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except (ValueError, IndexError, KeyError) as err:
            with self._read() as conn:
                problems = quick_problems(conn)
            if problems:
                raise self._found_damage(problems) from err
            raise

    return reading


class Arrays(Writes):
    """Token and count arrays (the sixth layer of ``Library``)."""


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
