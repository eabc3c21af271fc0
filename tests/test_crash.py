"""Crash safety: ``reportlens ingest`` killed with SIGKILL half-way leaves a sound library, every report in it
complete, and running the same command again adds exactly the rest."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS

from reportlens.store import Library

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

FILES = 120
POLL_SECONDS = 0.005
DEADLINE_SECONDS = 120


def make_reports(folder: Path, count: int, *, seed: int = 7) -> list[Path]:
    """``count`` unique reports: paragraphs of the seeds recombined, each opening with its own title line."""
    paragraphs = [
        line
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 20
    ]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        body = rng.sample(paragraphs, k=min(len(paragraphs), 60))
        heads = ["一、工作开展情况", "二、存在的问题", "三、下一步工作打算"]
        lines = [f"关于第{i + 1}批重点工作的情况报告"]
        for k, head in enumerate(heads):
            lines.append(head)
            lines.extend(body[k * 20 : (k + 1) * 20])
        path = folder / f"report_{i:03d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files


def count_reports(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # schema not created yet


def ingest_command(folder: Path, db: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "reportlens.cli", "ingest", str(folder), "--library", str(db), "--no-seed",
            "--workers", str(workers)]


@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_midway_then_rerun(tmp_path: Path, workers: int) -> None:
    folder = tmp_path / "reports"
    make_reports(folder, FILES)
    db = tmp_path / "library.sqlite3"
    process = subprocess.Popen(
        ingest_command(folder, db, workers),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes the pool workers too
    )
    deadline = time.monotonic() + DEADLINE_SECONDS
    seen = 0
    while time.monotonic() < deadline and process.poll() is None:
        seen = count_reports(db)
        if seen >= 5:
            break
        time.sleep(POLL_SECONDS)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"

    library = Library(db)
    stored = len(library)
    assert 5 <= stored < FILES, f"killed with {stored} of {FILES} reports in"
    assert library.check() == []  # integrity_check ok, and every listed report has all its derived rows
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    tokens = library.token_table()
    assert set(tokens["report_id"].astype(str)) == set(library.ids())
    assert (library.reports()["sections"] > 0).all()
    before = set(library.ids())
    library.close()

    rerun = subprocess.run(ingest_command(folder, db, workers), capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    lines = rerun.stdout.splitlines()
    assert len(lines) == FILES
    assert sum(line.startswith("duplicate ") for line in lines) == stored
    assert sum(line.startswith("ok  ") for line in lines) == FILES - stored
    assert "Traceback" not in rerun.stderr

    library = Library(db)
    assert len(library) == FILES and set(library.ids()) >= before
    assert library.check() == []
    library.close()
