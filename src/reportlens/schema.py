"""The library's tables (``SCHEMA``), the version of their form, and the upgrade of libraries in an older form.

An upgrade changes only the form of derived data: reports, texts, metadata, settings and imports are kept.
"""

from __future__ import annotations

import sqlite3

from reportlens.blobs import I32, U16, narrow, read_plain, runs, steps
from reportlens.corpus import YEAR_MAX, YEAR_MIN
from reportlens.rows import item_text_span

# 1: items kept their texts, outlines were kept as JSON too, terms had an index on the term, token arrays were
# plain int32/uint16 and there was no ``imports`` table (``upgrade_from_1`` converts).
# Terms are unique without an index: each is added inside a write transaction, after every committed term has
# been read (``Library._global_ids``); an index on them cost a fifth of adding a report. ``Library.check`` looks.
# 2: outlines had no confidence, sections no role score, evidence or key, and there were no corrections
# (``upgrade_from_2`` adds them; the parser version changed with them, so every outline is redone).
# 3: reports had no ``short_name`` (``upgrade_add_short_name`` adds it).
SCHEMA_VERSION = 4

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    year INTEGER CHECK (year IS NULL OR year BETWEEN {YEAR_MIN} AND {YEAR_MAX}),
    year_source TEXT NOT NULL,
    year_evidence TEXT NOT NULL,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    file TEXT NOT NULL,
    chars INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS texts (
    report_id TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outlines (
    report_id TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    parser_version TEXT NOT NULL,
    sections INTEGER NOT NULL,
    achievements INTEGER NOT NULL,
    problems INTEGER NOT NULL,
    measures INTEGER NOT NULL,
    confidence REAL NOT NULL DEFAULT 0,
    confidence_evidence TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS sections (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section_path TEXT NOT NULL,
    parent_path TEXT NOT NULL,
    heading TEXT NOT NULL,
    title TEXT NOT NULL,
    level INTEGER NOT NULL,
    role TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    implicit INTEGER NOT NULL,
    items INTEGER,
    score REAL NOT NULL DEFAULT 1,
    evidence TEXT NOT NULL DEFAULT '',
    key TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, position)
);
CREATE TABLE IF NOT EXISTS parts (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    section_path TEXT NOT NULL,
    role TEXT NOT NULL,
    heading TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (report_id, part)
);
CREATE TABLE IF NOT EXISTS items (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    item_path TEXT NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    children INTEGER NOT NULL,
    text_start INTEGER,
    text_end INTEGER,
    PRIMARY KEY (report_id, position)
);
CREATE TABLE IF NOT EXISTS terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    report_id TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    dictionary_version TEXT NOT NULL,
    n INTEGER NOT NULL,
    term_ids BLOB NOT NULL,
    offsets BLOB NOT NULL,
    sentences BLOB NOT NULL,
    parts BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS term_counts (
    report_id TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    dictionary_version TEXT NOT NULL,
    roles BLOB NOT NULL,
    term_ids BLOB NOT NULL,
    counts BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS corrections (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    correction TEXT NOT NULL,
    matched INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    PRIMARY KEY (report_id, seq)
);
CREATE TABLE IF NOT EXISTS imports (
    batch INTEGER NOT NULL,
    position INTEGER NOT NULL,
    finished_at TEXT NOT NULL,
    file TEXT NOT NULL,
    status TEXT NOT NULL,
    report_id TEXT,
    title TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (batch, position)
);
"""


def upgrade_from_1(conn: sqlite3.Connection) -> None:
    """Schema 1 → 2, inside the caller's transaction: items gain ``text_start``/``text_end`` and their texts
    become places in the report text (where found), outlines lose their JSON copy, terms their index, token
    arrays and counts take the compact encodings.
    Only the form of derived data changes: reports, texts, metadata and settings are not touched."""
    conn.execute("ALTER TABLE items ADD COLUMN text_start INTEGER")
    conn.execute("ALTER TABLE items ADD COLUMN text_end INTEGER")
    conn.execute("ALTER TABLE outlines DROP COLUMN outline")  # the sections and items rows hold it
    conn.execute("CREATE TABLE new_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL)")  # without the index
    conn.execute("INSERT INTO new_terms SELECT id, term FROM terms")
    conn.execute("DROP TABLE terms")
    conn.execute("ALTER TABLE new_terms RENAME TO terms")
    for (report_id,) in conn.execute("SELECT report_id FROM texts").fetchall():
        (text,) = conn.execute("SELECT text FROM texts WHERE report_id = ?", (report_id,)).fetchone()
        items = conn.execute('SELECT position, text, start, "end" FROM items WHERE report_id = ?', (report_id,))
        spans = [(position, item_text_span(text, *item)) for position, *item in items.fetchall()]
        conn.executemany(
            "UPDATE items SET text = '', text_start = ?, text_end = ? WHERE report_id = ? AND position = ?",
            [(*span, report_id, position) for position, span in spans if span is not None],
        )
        tokens = conn.execute("SELECT offsets, sentences, parts FROM tokens WHERE report_id = ?", (report_id,))
        for offsets, sentences, parts in tokens.fetchall():
            conn.execute(
                "UPDATE tokens SET offsets = ?, sentences = ?, parts = ? WHERE report_id = ?",
                (steps(read_plain(offsets, I32)), steps(read_plain(sentences, I32)), runs(read_plain(parts, U16)), report_id),
            )
        counts = conn.execute("SELECT counts FROM term_counts WHERE report_id = ?", (report_id,))
        for (blob,) in counts.fetchall():
            conn.execute("UPDATE term_counts SET counts = ? WHERE report_id = ?", (narrow(read_plain(blob, I32)), report_id))


def upgrade_from_2(conn: sqlite3.Connection) -> None:
    """Schema 2 → 3, inside the caller's transaction: outlines gain their confidence, sections their role score,
    evidence and key; every outline is marked stale, since only redoing it fills them (``refresh_derived``). The
    ``corrections`` table is created with the other missing tables."""
    conn.execute("ALTER TABLE outlines ADD COLUMN confidence REAL NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE outlines ADD COLUMN confidence_evidence TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE sections ADD COLUMN score REAL NOT NULL DEFAULT 1")
    conn.execute("ALTER TABLE sections ADD COLUMN evidence TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE sections ADD COLUMN key TEXT NOT NULL DEFAULT ''")
    conn.execute("UPDATE outlines SET parser_version = ''")


def upgrade_add_short_name(conn: sqlite3.Connection) -> None:
    """Schema 3 → 4, inside the caller's transaction: reports gain ``short_name``, the short name (简称) a user
    gave the report; "" (every existing row) means the one inferred from the metadata (``names``).
    Every row is kept as it was."""
    conn.execute("ALTER TABLE reports ADD COLUMN short_name TEXT NOT NULL DEFAULT ''")


# The step that takes a library from each older version to the next.
UPGRADES = {1: upgrade_from_1, 2: upgrade_from_2, 3: upgrade_add_short_name}
