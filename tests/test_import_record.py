"""The import record (what 语料管理 shows of the latest import) is written with the reports it lists: an ingest
killed with SIGKILL midway leaves a record that lists every report it stored, and nothing it did not store."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from test_crash import DEADLINE_SECONDS, POLL_SECONDS, count_reports, ingest_command, make_reports

from reportlens.ingest import ingest_uploads
from reportlens.store import Library

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

FILES = 80


def test_a_killed_ingest_records_every_report_it_stored(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    make_reports(folder, FILES, seed=11)
    db = tmp_path / "library.sqlite3"
    process = subprocess.Popen(
        ingest_command(folder, db, 1), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline and process.poll() is None and count_reports(db) < 40:
        time.sleep(POLL_SECONDS)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"

    with Library(db) as library:
        stored = set(library.ids())
        assert 0 < len(stored) < FILES
        last = library.last_import()
        assert last is not None, "reports were stored but the import record has none of them"
        _, rows = last
        ok = rows[rows["status"] == "ok"]
        assert set(ok["report_id"]) == stored
        assert len(rows) == len(ok)  # no row for a file the ingest never got to
        assert sorted(Path(f).name for f in rows["file"]) == [f"report_{i:03d}.txt" for i in range(len(rows))]


def test_an_import_in_several_batches_is_one_record(tmp_path: Path) -> None:
    """Batches of one import add to its record in order; the next import starts a record of its own."""
    files = make_reports(tmp_path / "r", 40, seed=3)
    uploads = [(p.name, p.read_bytes()) for p in files]
    with Library(tmp_path / "lib.sqlite3") as library:
        first = ingest_uploads([*uploads[:35], ("bad.txt", b"")], library)  # 32 files a batch: two batches
        _, rows = library.last_import()
        assert rows["file"].tolist() == [r.file for r in first]
        assert rows["status"].tolist() == ["ok"] * 35 + ["failed"]
        ingest_uploads(uploads[35:], library)
        _, rows = library.last_import()
        assert rows["file"].tolist() == [name for name, _ in uploads[35:]]
