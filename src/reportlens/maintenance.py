"""Re-deriving what the library stores: parsing and segmenting its reports again (after a parser upgrade, a
dictionary change or a structure correction) and handing the results to the library, which only stores them.

- ``refresh_derived``: the reports whose outline or tokens an older parser or another dictionary made,
  redone ``REFRESH_BATCH`` at a time, each batch in one transaction;
- ``add_correction`` / ``remove_correction``: keep or take back a correction of a report's structure and redo
  the report with its corrections, in one transaction;
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reportlens.derived import Segmenter, derive, derive_batch
from reportlens.errors import ReportError
from reportlens.lexicon import RESEGMENTING
from reportlens.outline import Outline
from reportlens.structure import parse_outline
from reportlens.structure.corrections import Correction, check
from reportlens.text import Tokenizer

if TYPE_CHECKING:
    from reportlens.store import Library

Progress = Callable[[int, int], None]
REFRESH_BATCH = 16  # reports redone at a time (one vocabulary, one transaction)


def _segmenter(library: Library, tokenizer: Tokenizer | Segmenter | None) -> Segmenter:
    if tokenizer is None:
        return library.segmenter()
    return tokenizer if isinstance(tokenizer, Segmenter) else Segmenter(tokenizer)


def refresh_derived(
    library: Library,
    tokenizer: Tokenizer | Segmenter | None = None,
    *,
    progress: Progress | None = None,
    report_ids: Sequence[str] | None = None,
) -> int:
    """Recompute outlines and tokens of the library's stale reports only (of ``report_ids`` only, if given);
    return how many.

    Reports are redone ``REFRESH_BATCH`` at a time (``derive_batch``, with each report's corrections), each
    batch in one transaction with each report in its own savepoint (``Library.batch``). ``tokenizer``
    defaults to the one the library's settings make, built only when some report is stale.
    ``progress(done, total)`` is called for each report once its batch is committed. While it runs, the
    library's ``activity()`` says so; interrupted, it says when it stopped (see ``lexicon.stale_note``).
    """
    if tokenizer is None and not library.stale_ids(report_ids=report_ids):
        return 0  # known without building the tokenizer (``Library.dictionary_version``)
    segmenter = _segmenter(library, tokenizer)
    stale = library.stale_ids(segmenter.version, report_ids=report_ids)
    if not stale:
        return 0
    library.mark_activity(RESEGMENTING, done=0, total=len(stale))
    for start in range(0, len(stale), REFRESH_BATCH):
        reports = list(library.corpus(stale[start : start + REFRESH_BATCH]))  # less any deleted meanwhile
        derived = derive_batch(reports, segmenter, library.corrections_of([r.id for r in reports]))
        with library.batch():
            for report, report_derived in zip(reports, derived, strict=True):
                library.replace_derived(report.id, report_derived)
        done = min(start + REFRESH_BATCH, len(stale))
        library.mark_activity(RESEGMENTING, done=done, total=len(stale))
        if progress is not None:
            for count in range(start + 1, done + 1):
                progress(count, len(stale))
    library.mark_activity(RESEGMENTING, ended=True)  # not reached when interrupted: the marker says so
    return len(stale)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_correction(
    library: Library, report_id: str, correction: Correction, tokenizer: Tokenizer | Segmenter | None = None
) -> Outline:
    """Keep a correction of a report's structure and redo the report's outline and tokens with it, in one
    transaction; return the corrected outline. ``ReportError`` in Chinese for a correction that cannot be kept
    or a report that is gone."""
    problem = check(correction)
    if problem is not None:
        raise ReportError(problem)
    report = library.report(report_id)
    corrections = (*library.corrections_of([report_id]).get(report_id, ()), correction)
    derived = derive(report, _segmenter(library, tokenizer), corrections)

    def keep(conn: sqlite3.Connection) -> None:
        (last,) = conn.execute("SELECT coalesce(max(seq), 0) FROM corrections WHERE report_id = ?", (report_id,)).fetchone()
        conn.execute("INSERT INTO corrections VALUES (?, ?, ?, 1, ?)", (report_id, last + 1, correction.to_json(), _now()))

    library.replace_derived(report_id, derived, before=keep)
    return parse_outline(report.text, corrections)


def remove_correction(
    library: Library, report_id: str, seq: int | None = None, tokenizer: Tokenizer | Segmenter | None = None
) -> bool:
    """Take back a correction (``seq``; None: the last one made — undo) and redo the report without it, in one
    transaction. False if there was none."""
    kept = library.corrections(report_id)
    if not kept:
        return False
    target = kept[-1][0] if seq is None else seq
    remaining = tuple(c for s, c, _ in kept if s != target)
    if len(remaining) == len(kept):
        return False
    derived = derive(library.report(report_id), _segmenter(library, tokenizer), remaining)

    def forget(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM corrections WHERE report_id = ? AND seq = ?", (report_id, target))

    library.replace_derived(report_id, derived, before=forget)
    return True
