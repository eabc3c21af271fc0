"""Is a library file sound? Checks over an open SQLite connection, in Chinese, cheap enough to run on every open.

``quick_problems`` is what ``store.Library`` runs when it opens a file: SQLite's own ``PRAGMA quick_check`` (every
page's structure) and the invariants of the stored arrays that the readers rely on (``blobs``: the byte length
of each array matches its count, part runs add up to the token count and name existing parts, term ids exist,
role codes are roles) and that every structure correction reads back. A damaged page or a damaged array would otherwise surface as a traceback on every page.
On the 1,000-report bench library (150 MiB) it takes about a tenth of a second (see the README).

``full_problems`` adds ``PRAGMA integrity_check`` (indexes against their tables), the foreign keys and terms
stored twice: ``Library.check``. Each problem is a Chinese sentence; [] means sound.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import numpy as np

from reportlens.blobs import I32, RUN_BYTES, U8, U16
from reportlens.roles import STORAGE_ORDER
from reportlens.structure.corrections import Correction

# Per-report tables every report has a row in.
PER_REPORT_TABLES = ("texts", "outlines", "tokens", "term_counts", "parts")
PROBLEMS_KEPT = 20  # a badly damaged file could list thousands; the first ones say enough

# Array byte lengths that do not match their counts (``blobs``: term ids plain int32; offsets and sentence
# steps narrowed to 1, 2 or 4 bytes a value; part runs 6 bytes each; role codes 1 byte, their term ids 4, their
# counts narrowed). A column that holds anything but a blob is damaged too.
BAD_TOKEN_ARRAYS = f"""
SELECT report_id FROM tokens
WHERE typeof(n) != 'integer' OR n < 0
   OR typeof(term_ids) != 'blob' OR typeof(offsets) != 'blob' OR typeof(sentences) != 'blob'
   OR typeof(parts) != 'blob'
   OR length(term_ids) != {I32.itemsize} * n
   OR length(offsets) NOT IN (n, 2 * n, 4 * n) OR length(sentences) NOT IN (n, 2 * n, 4 * n)
   OR length(parts) % {RUN_BYTES} != 0 OR (n > 0) != (length(parts) > 0)
LIMIT {PROBLEMS_KEPT}
"""  # noqa: S608 — numbers only
BAD_COUNT_ARRAYS = f"""
SELECT report_id FROM term_counts
WHERE typeof(roles) != 'blob' OR typeof(term_ids) != 'blob' OR typeof(counts) != 'blob'
   OR length(term_ids) != {I32.itemsize} * length(roles)
   OR length(counts) NOT IN (length(roles), 2 * length(roles), 4 * length(roles))
LIMIT {PROBLEMS_KEPT}
"""  # noqa: S608 — numbers only


def _sqlite_check(conn: sqlite3.Connection, pragma: str) -> list[str]:
    rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    if rows == ["ok"]:
        return []
    return [f"SQLite 检查发现数据页损坏（{len(rows)} 处）"]


def _meta_problems(conn: sqlite3.Connection) -> list[str]:
    values = dict(conn.execute("SELECT key, CAST(value AS BLOB) FROM meta WHERE key IN ('schema_version', 'revision')"))
    problems: list[str] = []
    for key, raw in values.items():
        if not (raw or b"").isdigit():
            problems.append(f"资料库的版本记录（{key}）已损坏")
    if "schema_version" not in values:
        problems.append("资料库缺少格式版本记录")
    return problems


def _missing_rows(conn: sqlite3.Connection) -> list[str]:
    problems: list[str] = []
    for table in PER_REPORT_TABLES:
        missing = conn.execute(
            f"SELECT r.id FROM reports r WHERE NOT EXISTS "  # noqa: S608 — table from the tuple above
            f"(SELECT 1 FROM {table} x WHERE x.report_id = r.id) LIMIT {PROBLEMS_KEPT}"
        ).fetchall()
        problems.extend(f"报告 {r[0]} 缺少 {table} 数据" for r in missing)
    return problems


def _array_lengths(conn: sqlite3.Connection) -> list[str]:
    tokens = [f"报告 {r[0]} 的分词数据长度不符" for r in conn.execute(BAD_TOKEN_ARRAYS)]
    counts = [f"报告 {r[0]} 的词频数据长度不符" for r in conn.execute(BAD_COUNT_ARRAYS)]
    return tokens + counts


def _array_values(conn: sqlite3.Connection) -> list[str]:
    """Values the readers index with: part runs (sum, part numbers), term ids, role codes. Runs only when the
    lengths are sound (``_array_lengths``), so every blob reads as its type."""
    problems: list[str] = []
    max_term = int(conn.execute("SELECT coalesce(max(id), 0) FROM terms").fetchone()[0])
    parts = dict(conn.execute("SELECT report_id, count(*) FROM parts GROUP BY report_id").fetchall())
    for report_id, n, term_ids, runs in conn.execute("SELECT report_id, n, term_ids, parts FROM tokens"):
        count = len(runs) // RUN_BYTES
        values = np.frombuffer(runs, dtype=U16, count=count)
        lengths = np.frombuffer(runs, dtype=I32, offset=count * U16.itemsize)
        ids = np.frombuffer(term_ids, dtype=I32)
        if (
            (lengths < 0).any()
            or int(lengths.sum()) != n
            or (count and int(values.max()) >= parts.get(report_id, 0))
            or (len(ids) and (int(ids.min()) < 1 or int(ids.max()) > max_term))
        ):
            problems.append(f"报告 {report_id} 的分词数据内容不符")
        if len(problems) >= PROBLEMS_KEPT:
            return problems
    for report_id, roles, term_ids in conn.execute("SELECT report_id, roles, term_ids FROM term_counts"):
        codes = np.frombuffer(roles, dtype=U8)
        ids = np.frombuffer(term_ids, dtype=I32)
        if (len(codes) and int(codes.max()) >= len(STORAGE_ORDER)) or (
            len(ids) and (int(ids.min()) < 1 or int(ids.max()) > max_term)
        ):
            problems.append(f"报告 {report_id} 的词频数据内容不符")
        if len(problems) >= PROBLEMS_KEPT:
            break
    return problems


def _corrections(conn: sqlite3.Connection) -> list[str]:
    """Structure corrections the parser could not read back (a damaged page inside one)."""
    problems: list[str] = []
    for report_id, text in conn.execute("SELECT report_id, CAST(correction AS BLOB) FROM corrections"):
        try:
            Correction.from_json((text or b"").decode("utf-8"))
        except (ValueError, TypeError, KeyError, AttributeError):
            problems.append(f"报告 {report_id} 的一条结构校对记录已损坏")
    return problems[:PROBLEMS_KEPT]


def _run(conn: sqlite3.Connection, checks: list[Callable[[sqlite3.Connection], list[str]]]) -> list[str]:
    """The problems the checks find, in order; a check that SQLite cannot even run (a page it cannot read) is
    a problem itself and ends the checking."""
    problems: list[str] = []
    for check in checks:
        try:
            problems.extend(check(conn))
        except sqlite3.DatabaseError:
            return [*problems, "SQLite 无法读取资料库的部分数据页"]
        if check is _array_lengths and problems:
            break  # the values of arrays of the wrong length cannot be read as their types
    return problems[:PROBLEMS_KEPT]


def quick_problems(conn: sqlite3.Connection) -> list[str]:
    """The cheap checks ``Library`` runs on every open (see the module docstring); [] when sound."""
    return _run(conn, [lambda c: _sqlite_check(c, "quick_check"), _meta_problems, _missing_rows, _corrections,
                       _array_lengths, _array_values])  # fmt: skip


def full_problems(conn: sqlite3.Connection) -> list[str]:
    """Every check: ``quick_problems`` with SQLite's full ``integrity_check`` (indexes too), the foreign keys and
    terms stored twice; [] when sound."""

    def foreign_keys(c: sqlite3.Connection) -> list[str]:
        return [f"{row[0]} 表有一行指向不存在的报告" for row in c.execute("PRAGMA foreign_key_check").fetchall()]

    def terms_twice(c: sqlite3.Connection) -> list[str]:
        twice = c.execute("SELECT term FROM terms GROUP BY term HAVING count(*) > 1 LIMIT 5").fetchall()
        return [f"词语「{r[0]}」有不止一个编号" for r in twice]

    return _run(conn, [lambda c: _sqlite_check(c, "integrity_check"), _meta_problems, foreign_keys, terms_twice,
                       _missing_rows, _corrections, _array_lengths, _array_values])  # fmt: skip
