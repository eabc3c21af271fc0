"""What an oversized document costs now that reading has a budget (run by hand: python bench/bench_read_budget.py).

Makes the two files of issue #14's measurements — a .docx of 590,000 short paragraphs (2–3 MB) and a .txt of
19.5 MB (the seeds repeated) — and runs ``reportlens ingest`` on each in a fresh process with the default
limits (``readers.limits.ReadLimits``), printing the outcome, the wall time and the peak resident memory of
that process (and, for comparison, the same for one seed report and for a text just under the character
limit, the largest a file may give). Ends with one JSON line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_readers import many_paragraphs_docx  # noqa: E402

MB = 1024 * 1024


def big_txt(size: int) -> bytes:
    chunk = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))).encode()
    return (chunk * (size // len(chunk) + 1))[:size].rsplit(b"\n", 1)[0]


# Runs the ingest as its child and prints the child's peak resident memory (Linux: KB): a fresh parent for
# each file, since RUSAGE_CHILDREN keeps the largest child a process ever had.
MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=sys.stderr, check=False); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def ingest(path: Path, library: Path) -> dict[str, object]:
    """``reportlens ingest`` of one file in a child process: its outcome line, seconds and peak RSS (MB)."""
    command = [sys.executable, "-m", "reportlens.cli", "ingest", str(path), "--library", str(library), "--no-seed"]
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    return {"file": path.name, "size_mb": round(path.stat().st_size / MB, 2), "outcome": next((line for line in run.stderr.splitlines() if line.startswith(("ok", "failed"))), "")[:160],
            "seconds": round(seconds, 2), "peak_rss_mb": round(int(run.stdout) / 1024)}


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows.append(ingest(sorted((ROOT / "seeds").glob("*.txt"))[2], folder / "seed.sqlite3"))  # for comparison
        limit = folder / "at-the-limit.txt"  # just under 2,000,000 characters: what the budget lets through
        limit.write_bytes(big_txt(int(5.6 * MB)))
        rows.append(ingest(limit, folder / "limit.sqlite3"))
        txt = folder / "big.txt"
        txt.write_bytes(big_txt(int(19.5 * MB)))
        rows.append(ingest(txt, folder / "a.sqlite3"))
        docx = folder / "paragraphs.docx"
        docx.write_bytes(many_paragraphs_docx(590_000))
        rows.append(ingest(docx, folder / "b.sqlite3"))
    for row in rows:
        print(f"{row['file']:>16} {row['size_mb']:>6} MB  {row['seconds']:>6} s  peak {row['peak_rss_mb']:>5} MB  "
              f"{row['outcome']}")
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
