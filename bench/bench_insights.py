"""Insight benchmark: the four cross-report analyses on the 1,000-report bench library.

Run by hand from the repo root:  python bench/bench_insights.py [--library FILE] [--reports 1000] [--keep DIR]

1. the per-library indexes the app builds once per library revision (``reportlens.insights``: item vectors,
   similar pairs of problems and of measures, problem-measure scores, near-duplicate clauses) — the "first run";
2. each analysis for a selection after that (the app's cached views are not used: every view is computed
   afresh), for every report and for the reports of 2010–2020: recurring problems and measures at the default
   threshold and at 0.3, coverage, promise vs delivery for one pair of consecutive years, reused passages.
   Target: each ≤ 2 s;
3. the meeting pack (PPTX and XLSX) of the 2010–2020 selection;
4. near-duplicate clauses on the 83 real reports: the exact prefix-filter join (used) against MinHash LSH from
   ``datasketch`` (64 permutations, the same Jaccard threshold; needs ``pip install -e ".[bench]"``) — time and
   the share of the exact pairs each finds.

Without ``--library`` the synthetic library of ``bench/run.py`` is written and ingested first (same generator,
same seed). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reportlens import export, insights, selection
from reportlens.analysis.problems import load_themes
from reportlens.analysis.recurring import DEFAULT_THRESHOLD
from reportlens.analysis.reuse import NEAR_JACCARD, SHINGLE, clause_table, near_pairs
from reportlens.fonts import cjk_font_path
from reportlens.readers import read_path
from reportlens.store import Library
from reportlens.tables import library_tables
from reportlens.ui.strings import LABELS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import timed, write_synthetic  # bench/run.py: the same timing and synthetic reports

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
FILTER_YEARS = (2010, 2020)
TARGET_SECONDS = 2.0


def build_library(folder: Path, reports: int) -> Path:
    from reportlens.ingest import ingest_paths

    write_synthetic(folder / "files", reports, scale=1.0)
    library = Library(folder / "library.sqlite3")
    results = ingest_paths([folder / "files"], library, workers=2)
    library.close()
    assert all(r.status == "ok" for r in results)
    return folder / "library.sqlite3"


def near_duplicates() -> dict[str, float]:
    """Exact prefix-filter join against MinHash LSH on the clauses of the 83 real reports."""
    texts = {}
    for meta in sorted(CORPORA.glob("*/metadata.csv")):
        with meta.open(encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                texts[row["file"]] = read_path(meta.parent / row["file"])
    keys = list(dict.fromkeys(clause_table(texts)["key"]))
    exact_seconds, (a, b) = timed(lambda: near_pairs(keys, NEAR_JACCARD))  # type: ignore[misc]
    exact = set(zip(a.tolist(), b.tolist(), strict=True))
    figures = {"clauses": len(keys), "exact_seconds": exact_seconds, "exact_pairs": len(exact)}
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("datasketch is not installed (pip install -e '.[bench]'): MinHash LSH not compared")
        return figures

    def minhash() -> set[tuple[int, int]]:
        shingles = [{k[i : i + SHINGLE].encode() for i in range(len(k) - SHINGLE + 1)} for k in keys]
        hashes = list(MinHash.bulk(shingles, num_perm=64, seed=1))
        index = MinHashLSH(threshold=NEAR_JACCARD, num_perm=64)
        with index.insertion_session() as session:
            for i, h in enumerate(hashes):
                session.insert(i, h, check_duplication=False)
        found = set()
        for i, h in enumerate(hashes):
            for j in index.query(h):
                if j > i:
                    common = len(shingles[i] & shingles[j])
                    if common >= NEAR_JACCARD * (len(shingles[i]) + len(shingles[j]) - common):
                        found.add((i, j))
        return found

    lsh_seconds, found = timed(minhash)
    figures.update({"minhash_seconds": lsh_seconds, "minhash_recall": len(found & exact) / max(1, len(exact))})  # type: ignore[operator]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, help="an existing library (default: build the synthetic one)")
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="build the synthetic library here and keep it")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = args.library
    if path is None:
        folder = (args.keep or Path(tempfile.mkdtemp(prefix="reportlens-insights-"))) / "synthetic"
        started = time.perf_counter()
        path = build_library(folder, args.reports)
        print(f"built the synthetic library ({args.reports} reports) in {time.perf_counter() - started:.0f} s")
    opened, tables = timed(lambda: library_tables(Library(path)))
    assert tables is not None
    themes = load_themes()
    print(f"library: {len(tables.reports)} reports, {len(tables.items)} items, opened in {opened:.1f} s")

    first: dict[str, float] = {}
    first["item_index"], index = timed(lambda: insights.item_index(tables))
    first["pairs_problems"], problem_pairs = timed(lambda: insights.similar_item_pairs(tables, index, "problems"))  # type: ignore[arg-type]
    first["pairs_measures"], measure_pairs = timed(lambda: insights.similar_item_pairs(tables, index, "measures"))  # type: ignore[arg-type]
    first["coverage_scores"], scores = timed(lambda: insights.coverage_index(tables, index, themes))  # type: ignore[arg-type]
    first["passages"], passages = timed(lambda: insights.passage_index(tables))
    for name, seconds in first.items():
        print(f"  first run  {name:<18} {seconds:7.2f} s")

    every = tables.reports["report_id"].tolist()
    some = selection.select_reports(tables.reports, years=FILTER_YEARS)
    years = tables.reports.set_index("report_id")["year"]
    earlier = next(i for i in some if int(years[i]) == FILTER_YEARS[0])
    later = next(i for i in some if int(years[i]) == FILTER_YEARS[0] + 1)
    views: dict[str, Callable[[], object]] = {}
    for label, ids in (("all", every), ("2010-2020", some)):
        views[f"recurring_problems_{label}"] = lambda ids=ids: insights.recurring_view(
            tables, index, problem_pairs, ids, role="problems", threshold=DEFAULT_THRESHOLD  # type: ignore[arg-type]
        )
        views[f"recurring_problems_0.3_{label}"] = lambda ids=ids: insights.recurring_view(
            tables, index, problem_pairs, ids, role="problems", threshold=0.3  # type: ignore[arg-type]
        )
        views[f"recurring_measures_{label}"] = lambda ids=ids: insights.recurring_view(
            tables, index, measure_pairs, ids, role="measures", threshold=DEFAULT_THRESHOLD  # type: ignore[arg-type]
        )
        views[f"coverage_{label}"] = lambda ids=ids: insights.coverage_view(tables, index, scores, ids)  # type: ignore[arg-type]
        views[f"reuse_{label}"] = lambda ids=ids: insights.reuse_view(tables, passages, ids)  # type: ignore[arg-type]
    views["promises_pair"] = lambda: insights.promise_view(tables, index, earlier, later)  # type: ignore[arg-type]
    after = {name: timed(run, repeat=args.repeat)[0] for name, run in views.items()}
    for name, seconds in after.items():
        mark = "ok" if seconds <= TARGET_SECONDS else "OVER"
        print(f"  after      {name:<32} {seconds:7.2f} s  {mark}")

    indexes = export.Indexes(items=index, problem_pairs=problem_pairs, coverage=scores, passages=passages)  # type: ignore[arg-type]
    scope = export.Scope(
        report_ids=tuple(some), role="all", palette="calm", caption=export.scope_caption(tables, some, "all", whole=False)
    )

    def pack() -> tuple[int, int]:
        made = export.meeting_pack(tables, scope, indexes, themes, LABELS, font_path=str(cjk_font_path()))
        return len(export.pptx_bytes(made)), len(export.xlsx_bytes(made))

    pack_seconds, sizes = timed(pack)
    print(f"  meeting pack of {len(some)} reports: {pack_seconds:.2f} s, pptx/xlsx bytes {sizes}")
    duplicates = near_duplicates()
    print(f"  near-duplicate clauses of the 83 real reports: {duplicates}")
    figures = {
        "reports": len(tables.reports),
        "items": len(tables.items),
        "first_run_seconds": {k: round(v, 2) for k, v in first.items()},
        "after_first_run_seconds": {k: round(v, 3) for k, v in after.items()},
        "after_first_run_max": round(max(after.values()), 3),
        "meeting_pack_seconds": round(pack_seconds, 2),
        "near_duplicates": {k: round(v, 3) for k, v in duplicates.items()},
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
