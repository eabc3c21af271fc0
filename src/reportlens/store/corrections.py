"""Reading a library's structure corrections without opening it as a ``Library``: the command line's
``outline`` of files looks them up this way, with nothing but ``sqlite3`` imported (no numpy, pandas or the
tokenizer), so it starts at once."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from reportlens.errors import ReportError
from reportlens.structure.corrections import Correction

BUSY_TIMEOUT_SECONDS = 30.0  # how long a connection waits for another one's write before giving up


def stored_corrections(path: str | os.PathLike[str], report_ids: Sequence[str]) -> dict[str, tuple[Correction, ...]]:
    """The corrections a library file keeps for these reports, read without opening the library for writing
    (the command line's ``outline`` of files): {} when the file does not exist or holds no corrections.
    ``ReportError`` (Chinese) when it cannot be read."""
    file = Path(path)
    if not file.is_file() or not report_ids:
        return {}
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'corrections'").fetchone() is None:
                return {}
            marks = ", ".join("?" * len(report_ids))
            rows = conn.execute(
                f"SELECT report_id, correction FROM corrections WHERE report_id IN ({marks}) ORDER BY report_id, seq",  # noqa: S608
                list(report_ids),
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as err:
        raise ReportError(
            f"无法读取资料库「{file}」中的结构校对：资料库正被占用或已损坏（可用 reportlens repair 检查）。"
        ) from err
    found: dict[str, list[Correction]] = {}
    for report_id, text in rows:
        found.setdefault(report_id, []).append(Correction.from_json(text))
    return {report_id: tuple(items) for report_id, items in found.items()}
