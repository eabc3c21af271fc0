"""Library benchmark: ingest speed, first open and dashboard compute at 1,000 reports, word cloud, memory.

Run by hand from the repo root:  python bench/run.py [--quick] [--reports 1000] [--workers N] [--keep DIR]

1. ingest (read + normalise + parse + segment + store, through ``ingest.ingest_paths``, then closing the library)
   of the 83 real reports of ../shared/corpora into a new library, as a ratio to bare ``jieba.lcut`` over the
   same texts (``ingest_vs_jieba``: with ``--workers`` processes, default all cores; also with 1). One-off setup
   is left out on both sides: jieba's dictionary load; creating the empty library file, building the tokenizer
   and deleting the library afterwards;
2. a synthetic library of ``--reports`` reports (paragraphs, problems and measures of the seeds and the corpora
   recombined under the usual headings, lengths drawn from the real reports' lengths — about 19,000
   characters on average — years spread over 2000–2025), ingested with the same code;
3. in a fresh process, as the app would: first open of that library (``Library.tables()``: everything the
   dashboard holds) and the compute behind each dashboard page after a filter change (years 2010–2020), each as
   a ratio to bare-jieba segmentation of the whole synthetic corpus (``filter_change_speedup_min``: the
   smallest). Pages use ``reportlens.selection`` as the app does (keyness and trends from the sparse matrix);
   the token-table paths the app used before for those two are timed beside them (``token_path_speedup_min``);
4. the word cloud at on-screen size (``reportlens.cloud.word_cloud``, 1000x560) and the dashboard process's peak
   RSS (``peak_rss_mib``; the build process's is reported too).

jieba runs in a child process so its dictionary does not count in this process's memory. With ``--quick`` the
synthetic reports are a quarter as long and the jieba time of the synthetic corpus is extrapolated from a sample (by
characters). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reportlens import selection
from reportlens.analysis import keyness, term_trends
from reportlens.cloud import word_cloud
from reportlens.fonts import cjk_font_path
from reportlens.ingest import collect_files, ingest_paths
from reportlens.readers import read_path
from reportlens.store import Library
from reportlens.structure import parse_outline
from reportlens.tables import CorpusTables

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
SEEDS = ROOT / "seeds"
YEARS = (2000, 2025)
FILTER_YEARS = (2010, 2020)
NUMERALS = "一二三四五六七八九十"

JIEBA_CHILD = """
import json, sys, time
import jieba
jieba.setLogLevel(60)
jieba.initialize()
texts = json.load(sys.stdin)
start = time.perf_counter()
tokens = sum(len(jieba.lcut(t)) for t in texts)
print(json.dumps({"seconds": time.perf_counter() - start, "tokens": tokens}))
"""


def jieba_seconds(texts: list[str]) -> float:
    """Bare ``jieba.lcut`` over ``texts`` (dictionary loaded beforehand, not timed), in a child process."""
    done = subprocess.run(
        [sys.executable, "-c", JIEBA_CHILD], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def timed(run: Callable[[], object], *, repeat: int = 1) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# ---------------------------------------------------------------------------------------------- 1. ingest


def real_files() -> list[Path]:
    return [p for p in collect_files([CORPORA]) if p.suffix == ".txt"]


def ingest_seconds(files: list[Path], workers: int, scratch: Path) -> float:
    """One ingest of ``files`` into a new library. Setup and cleanup are not timed, as jieba's dictionary load
    is not: creating the empty library file, building the tokenizer (once per process) and, afterwards,
    deleting the folder. Timed: the ingest, and closing the library, which moves the last of its write-ahead
    log into the file."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    library = Library(folder / "library.sqlite3")
    library.segmenter()
    start = time.perf_counter()
    results = ingest_paths(files, library, workers=workers)
    library.close()
    seconds = time.perf_counter() - start
    assert all(r.status == "ok" for r in results), [r for r in results if r.status != "ok"][:2]
    shutil.rmtree(folder)
    return seconds


def bench_ingest(files: list[Path], workers: int, repeat: int, scratch: Path) -> dict[str, float]:
    """jieba and ingest timed in alternation, ``repeat`` rounds, the best of each kept: a shared machine that
    speeds up or slows down part-way through then favours neither side."""
    texts = [read_path(p) for p in files]
    counts = sorted({1, workers})
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, run in [("jieba", lambda: jieba_seconds(texts))] + [
            (f"ingest_{n}", lambda n=n: ingest_seconds(files, n, scratch)) for n in counts
        ]:
            best[name] = min(best.get(name, float("inf")), run())
    figures: dict[str, float] = {"jieba_seconds": best["jieba"], "chars": sum(map(len, texts))}
    for n in counts:
        figures[f"ingest_seconds_{n}"] = best[f"ingest_{n}"]
        figures[f"ingest_vs_jieba_{n}"] = best[f"ingest_{n}"] / best["jieba"]
    return figures


# ---------------------------------------------------------------------------------------------- 2. synthetic


def material() -> dict[str, list[str]]:
    """Paragraphs, problem / measure / achievement items and the lengths of the seeds and the corpora."""
    out: dict[str, list] = {"paragraphs": [], "problems": [], "measures": [], "achievements": [], "lengths": []}
    for path in sorted(SEEDS.glob("*.txt")) + real_files():
        text = read_path(path)
        outline = parse_outline(text)
        out["lengths"].append(len(text))
        out["paragraphs"].extend(line for line in text.splitlines() if 40 <= len(line) <= 600)
        for role in ("problems", "measures", "achievements"):
            out[role].extend(i.text.replace("\n", "") for i in outline.items(role) if 20 <= len(i.text) <= 800)
    return out


def synthetic_report(i: int, year: int, stuff: dict[str, list], rng: random.Random, *, length: int) -> str:
    """A work report of about ``length`` characters: title, preamble, 工作回顾 (numbered parts with a
    paragraph each, 55 %), 存在的问题 (numbered items, 10 %), 工作安排 (numbered parts, 35 %)."""
    unit = rng.choice(["市文化和旅游局", "县人民政府", "区发展和改革委员会", "市教育局", "省生态环境厅"])
    lines = [f"{year}年第{i + 1}号{unit}工作报告", *rng.sample(stuff["paragraphs"], 2)]

    def part(heading: str, kind: str, share: float, numbered: Callable[[int], str], paragraph: bool) -> None:
        lines.append(heading)
        size, k = 0, 0
        while size < share * length or k < 2:
            k += 1
            item = numbered(k) + rng.choice(stuff[kind])
            body = rng.choice(stuff["paragraphs"]) if paragraph else ""
            lines.extend([item, body] if body else [item])
            size += len(item) + len(body)

    part(f"一、{year - 1}年工作回顾", "achievements", 0.55, lambda k: f"（{NUMERALS[(k - 1) % 10]}）", True)
    part("二、存在的问题", "problems", 0.10, lambda k: f"{k}、", False)
    part(f"三、{year}年工作安排", "measures", 0.35, lambda k: f"（{NUMERALS[(k - 1) % 10]}）", True)
    return "\n".join(lines)


def write_synthetic(folder: Path, count: int, *, scale: float) -> list[str]:
    """``count`` reports, lengths drawn from the real reports' lengths (times ``scale``), years 2000–2025."""
    stuff = material()
    rng = random.Random(2025)
    folder.mkdir(parents=True)
    texts, rows = [], []
    for i in range(count):
        year = YEARS[0] + i % (YEARS[1] - YEARS[0] + 1)
        text = synthetic_report(i, year, stuff, rng, length=int(rng.choice(stuff["lengths"]) * scale))
        name = f"report_{i:04d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        texts.append(text)
        rows.append({"file": name, "year": year, "kind": "工作报告"})
    with (folder / "metadata.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["file", "year", "kind"])
        writer.writeheader()
        writer.writerows(rows)
    return texts


# ---------------------------------------------------------------------------------------------- 3. pages


def page_runs(tables: CorpusTables) -> tuple[dict[str, Callable[[], object]], dict[str, Callable[[], object]]]:
    """What each dashboard page computes after a filter change (years 2010–2020), and, for comparison, the
    token-table paths the app used before for the two pages the matrix serves too."""
    ids = selection.select_reports(tables.reports, years=FILTER_YEARS)
    one = ids[len(ids) // 2]
    trend_terms = selection.top_terms(tables, ids, "all", top=10)["term"].tolist()
    pages: dict[str, Callable[[], object]] = {
        "top_terms": lambda: selection.top_terms(tables, ids, "all", top=30),
        "top_terms_problems": lambda: selection.top_terms(tables, ids, "problems", top=30),
        "keyness_one_vs_rest_matrix": lambda: selection.distinctive(tables, [one]),
        "term_trend_by_year_matrix": lambda: selection.trends(tables, ids, "all", trend_terms),
        "role_shares": lambda: selection.role_share_frame(tables, ids),
        "problems_table": lambda: selection.items_of(tables, ids, "problems"),
        "wordcloud_frequencies": lambda: selection.word_frequencies(tables, ids, "all", top=200),
    }
    token_paths: dict[str, Callable[[], object]] = {
        "keyness_one_vs_rest_tokens": lambda: keyness(tables.tokens, target=one, top=8),
        "term_trend_by_year_tokens": lambda: term_trends(
            selection.token_rows(tables.tokens, ids), tables.reports, terms=trend_terms
        ),
    }
    return pages, token_paths


def dashboard(path: Path, repeat: int) -> dict[str, object]:
    """Run in a fresh process, as the app would: load the tokenizer (the app does at start), open the library,
    compute every page, draw the word cloud. Peak RSS is this process's."""
    with Library(path) as library:
        library.segmenter()
    first_open, tables = timed(lambda: Library(path).tables())
    assert isinstance(tables, CorpusTables)
    rss_open = peak_rss_mib()
    pages, token_paths = page_runs(tables)
    page_seconds = {name: timed(run, repeat=repeat)[0] for name, run in pages.items()}
    words = selection.word_frequencies(tables, selection.select_reports(tables.reports, years=FILTER_YEARS))
    font = cjk_font_path()
    cloud, _ = timed(lambda: word_cloud(words, font_path=font, width=1000, height=560), repeat=repeat)
    rss_dashboard = peak_rss_mib()
    token_seconds = {name: timed(run, repeat=repeat)[0] for name, run in token_paths.items()}
    return {
        "tokens": len(tables.tokens),
        "dtm_shape": list(tables.dtm.matrix.shape),
        "first_open_seconds": first_open,
        "pages": page_seconds,
        "token_paths": token_seconds,
        "wordcloud_seconds": cloud,
        "font": font.name,
        "rss_after_open": rss_open,
        "rss_dashboard": rss_dashboard,
        "rss_with_token_paths": peak_rss_mib(),
    }


# ---------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter synthetic reports, sampled jieba baseline")
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="build the synthetic library here and keep it")
    parser.add_argument("--dashboard", type=Path, help=argparse.SUPPRESS)  # the child process of step 3
    parser.add_argument("--repeat", type=int, default=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dashboard:
        print(json.dumps(dashboard(args.dashboard, args.repeat)))
        return
    repeat = 1 if args.quick else 3
    scratch = Path(tempfile.mkdtemp(prefix="reportlens-bench-"))
    started = time.perf_counter()
    try:
        print(f"cores {os.cpu_count()}, workers {args.workers}, {'quick' if args.quick else 'full'} run")
        ingest = bench_ingest(real_files(), args.workers, repeat, scratch)
        print(f"ingest of {len(real_files())} real reports ({ingest['chars']:,.0f} chars): jieba.lcut "
              f"{ingest['jieba_seconds']:.2f} s; ingest 1 worker {ingest['ingest_seconds_1']:.2f} s "
              f"(x{ingest['ingest_vs_jieba_1']:.3f}), {args.workers} workers "
              f"{ingest[f'ingest_seconds_{args.workers}']:.2f} s (x{ingest[f'ingest_vs_jieba_{args.workers}']:.3f})")

        folder = (args.keep or scratch) / "synthetic"
        if folder.exists():
            shutil.rmtree(folder)
        texts = write_synthetic(folder / "files", args.reports, scale=0.25 if args.quick else 1.0)
        chars = sum(map(len, texts))
        if args.quick:
            sample = texts[:: max(1, len(texts) // 60)]
            corpus_jieba = jieba_seconds(sample) * chars / sum(map(len, sample))
        else:
            corpus_jieba = jieba_seconds(texts)
        library = Library(folder / "library.sqlite3")
        library.segmenter()
        build, results = timed(lambda: ingest_paths([folder / "files"], library, workers=args.workers))
        assert all(r.status == "ok" for r in results)  # type: ignore[union-attr]
        library.close()
        size_mib = (folder / "library.sqlite3").stat().st_size / 2**20
        print(f"synthetic library: {args.reports} reports, {chars:,} chars, built in {build:.1f} s "
              f"({args.reports / build:.0f} reports/s), {size_mib:.0f} MiB; jieba over it "
              f"{corpus_jieba:.1f} s{' (extrapolated)' if args.quick else ''}; peak RSS so far {peak_rss_mib():.0f} MiB")

        child = subprocess.run(
            [sys.executable, __file__, "--dashboard", str(folder / "library.sqlite3"), "--repeat", str(repeat)],
            capture_output=True, text=True, check=True,
        )
        app = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"first open in a fresh process (Library.tables(): {app['tokens']:,} tokens, dtm {app['dtm_shape']}):"
              f" {app['first_open_seconds']:.2f} s; peak RSS {app['rss_after_open']:.0f} MiB")
        pages, token_paths = app["pages"], app["token_paths"]
        for name, seconds in {**pages, **token_paths}.items():
            note = "   (the former token-table path, for comparison)" if name in token_paths else ""
            print(f"  {name:<30} {seconds * 1000:8.1f} ms   x{corpus_jieba / seconds:>9.0f} faster than jieba{note}")
        print(f"word cloud 1000x560 (reportlens.cloud.word_cloud, {app['font']}): {app['wordcloud_seconds']:.3f} s")
        print(f"peak RSS of the dashboard process: {app['rss_dashboard']:.0f} MiB "
              f"({app['rss_with_token_paths']:.0f} MiB after the token-table comparisons); "
              f"of this build process {peak_rss_mib():.0f} MiB")

        figures = {
            "cores": os.cpu_count(),
            "workers": args.workers,
            "quick": args.quick,
            "ingest_vs_jieba": round(ingest[f"ingest_vs_jieba_{args.workers}"], 4),
            "ingest_vs_jieba_1_worker": round(ingest["ingest_vs_jieba_1"], 4),
            "ingest_seconds": round(ingest[f"ingest_seconds_{args.workers}"], 3),
            "jieba_seconds": round(ingest["jieba_seconds"], 3),
            "reports": args.reports,
            "synthetic_chars": chars,
            "synthetic_build_seconds": round(build, 2),
            "library_mib": round(size_mib, 1),
            "corpus_jieba_seconds": round(corpus_jieba, 2),
            "first_open_seconds": round(app["first_open_seconds"], 3),
            "filter_change_speedup_min": round(min(corpus_jieba / s for s in pages.values()), 1),
            "filter_change_ms_max": round(max(pages.values()) * 1000, 1),
            "filter_change_ms": {k: round(v * 1000, 2) for k, v in {**pages, **token_paths}.items()},
            "token_path_speedup_min": round(min(corpus_jieba / s for s in token_paths.values()), 1),
            "wordcloud_seconds": round(app["wordcloud_seconds"], 3),
            "peak_rss_mib": round(app["rss_dashboard"], 1),
            "peak_rss_mib_with_token_paths": round(app["rss_with_token_paths"], 1),
            "peak_rss_mib_build": round(peak_rss_mib(), 1),
            "total_seconds": round(time.perf_counter() - started, 1),
        }
        print(f"total {figures['total_seconds']} s")
        print(json.dumps(figures, ensure_ascii=False))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
