"""Library benchmark: ingest speed, first open and dashboard compute at 1,000 reports, word cloud, memory.

Run by hand from the repo root:  python bench/run.py [--quick] [--reports 1000] [--workers N] [--keep DIR]
                      or a scaling run:  python bench/run.py --scaling 1000,4000,10000 --keep DIR [--runs 2]

1. ingest (read + normalise + parse + segment + store, through ``ingest.ingest_paths``, then closing the library)
   of the 83 real reports of ../shared/corpora into a new library, as a ratio to bare ``jieba.lcut`` over the
   same texts (``ingest_vs_jieba``: with ``--workers`` processes, default all cores; also with 1). One-off setup
   is left out on both sides: jieba's dictionary load; creating the empty library file, building the tokenizer,
   starting the worker processes (a throwaway ingest of a few files first) and deleting the library afterwards;
2. a synthetic library of ``--reports`` reports (paragraphs, problems and measures of the seeds and the corpora
   recombined under the usual headings, lengths drawn from the real reports' lengths — about 19,000
   characters on average — years spread over 2000–2025), ingested with the same code;
3. in a fresh process, as the app would: first open of that library (``tables.library_tables``: what the
   first page needs), the rest of what the dashboard holds (``CorpusTables.read_all``: the app reads it in a
   background thread once the first page is shown) and the compute behind each dashboard page after a filter
   change (years 2010–2020), each as a ratio to bare-jieba segmentation of the whole synthetic corpus
   (``filter_change_speedup_min``: the smallest). Pages use ``reportlens.selection`` as the app does (keyness and trends from the sparse matrix);
   the token-table paths the app used before for those two are timed beside them (``token_path_speedup_min``);
4. the word cloud at on-screen size (``reportlens.cloud.word_cloud``, 1000x560) and the dashboard process's peak
   RSS (``peak_rss_mib``; the build process's is reported too).

The scaling run (``--scaling``) builds a synthetic library of the quick shape per size under ``--keep`` (once:
a later run reuses it; 10,000 reports are about 60 M characters), then runs step 3 for each size ``--runs``
times in fresh processes and keeps each figure's best (the machine is shared): first open, each page's
compute, peak RSS of the dashboard process. Then the command line's start-up: ``reportlens outline`` of one
file and ``reportlens ingest`` of one file into a new library, as wall times beside ``python -c "import jieba"``
in the same run.

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
from reportlens.cloud import word_cloud
from reportlens.fonts import cjk_font_path
from reportlens.ingest import collect_files, ingest_paths
from reportlens.prepare import CHUNK_FILES
from reportlens.readers import read_path
from reportlens.store import Library
from reportlens.structure import parse_outline
from reportlens.tables import CorpusTables, library_tables

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from oracles import keyness, term_trends

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
SEEDS = ROOT / "seeds"
YEARS = (2000, 2025)
FILTER_YEARS = (2010, 2020)
NUMERALS = "一二三四五六七八九十"
KWIC_ROWS = 2_000  # keyword-in-context rows the 关键词 page lists (``ui.widgets.KWIC_ROWS_MAX``)

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
    # Start the worker processes (interpreter, imports, tokenizer: set-up, as jieba's dictionary load is; the
    # app keeps them between imports, a CLI run starts them once for all its files) with a throwaway ingest of
    # a chunk of files per worker.
    ingest_seconds(files[: CHUNK_FILES * max(counts)], max(counts), scratch)
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
    token-table paths the app used before for the two pages the matrix serves too (they need the whole token
    table: ``token_paths`` reads it once, after the dashboard's figures)."""
    ids = selection.select_reports(tables.reports, years=FILTER_YEARS)
    one = ids[len(ids) // 2]
    top = selection.top_terms(tables, ids, "all", top=10)
    trend_terms = top["term"].tolist()
    outline = selection.outline_rows(tables, one)
    pages: dict[str, Callable[[], object]] = {
        "overview": lambda: selection.overview(selection.report_rows(tables, ids)),
        "top_terms": lambda: selection.top_terms(tables, ids, "all", top=30),
        "top_terms_every_term": lambda: selection.top_terms(tables, ids, "all", top=None),
        "top_terms_problems": lambda: selection.top_terms(tables, ids, "problems", top=30),
        "terms_by_report": lambda: selection.term_frequencies_by_report(tables, ids[:30], "all", trend_terms),
        "distinctive_panel": lambda: selection.distinctive(tables, ids, "all", top=8, limit=12),
        "keyness_one_vs_rest_matrix": lambda: selection.distinctive(tables, [one]),
        "term_trend_by_year_matrix": lambda: selection.trends(tables, ids, "all", trend_terms),
        "kwic_first_rows": lambda: selection.kwic_view(tables, trend_terms[0], ids, "all", limit=KWIC_ROWS),
        "role_shares": lambda: selection.role_share_frame(tables, ids),
        "outline_and_section": lambda: (
            selection.outline_rows(tables, one),
            selection.section_text(tables, one, str(outline["section_path"].iloc[-1])),
        ),
        "problems_table": lambda: selection.items_of(tables, ids, "problems"),
        "wordcloud_frequencies": lambda: selection.word_frequencies(tables, ids, "all", top=200),
    }

    def token_paths() -> dict[str, Callable[[], object]]:
        tokens = tables.tokens
        return {
            "keyness_one_vs_rest_tokens": lambda: keyness(tokens, target=one, top=8),
            "term_trend_by_year_tokens": lambda: term_trends(
                selection.token_rows(tokens, ids), tables.reports, terms=trend_terms
            ),
        }

    return pages, {"token_paths": token_paths}


def dashboard(path: Path, repeat: int, *, with_token_paths: bool = True) -> dict[str, object]:
    """Run in a fresh process, as the app would: load the tokenizer (the app does at start), open the library
    (``tables.library_tables`` and the report index its first view builds), compute every page, draw the word
    cloud. Peak RSS is this process's."""
    with Library(path) as library:
        library.segmenter()

    def first_open() -> CorpusTables:
        tables = library_tables(Library(path))
        assert tables.index.n_reports == len(tables.reports)
        return tables

    opened, tables = timed(first_open)
    assert isinstance(tables, CorpusTables)
    read_ahead, _ = timed(tables.read_all)  # what the app reads in the background once its first page is shown
    rss_open = peak_rss_mib()
    pages, later = page_runs(tables)
    page_seconds = {name: timed(run, repeat=repeat)[0] for name, run in pages.items()}
    words = selection.word_frequencies(tables, selection.select_reports(tables.reports, years=FILTER_YEARS))
    font = cjk_font_path()
    cloud, _ = timed(lambda: word_cloud(words, font_path=font, width=1000, height=560), repeat=repeat)
    rss_dashboard = peak_rss_mib()
    token_seconds: dict[str, float] = {}
    if with_token_paths:
        token_seconds = {name: timed(run, repeat=repeat)[0] for name, run in later["token_paths"]().items()}  # type: ignore[attr-defined]
    return {
        "dtm_nonzero": int(tables.dtm.matrix.nnz),
        "dtm_shape": list(tables.dtm.matrix.shape),
        "first_open_seconds": opened,
        "read_ahead_seconds": read_ahead,
        "pages": page_seconds,
        "token_paths": token_seconds,
        "wordcloud_seconds": cloud,
        "font": font.name,
        "rss_after_open": rss_open,
        "rss_dashboard": rss_dashboard,
        "rss_with_token_paths": peak_rss_mib(),
    }


# ---------------------------------------------------------------------------------------------- 4. scaling


def _wall(command: list[str], **kwargs: object) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start


def cli_startup(scratch: Path, runs: int = 2) -> dict[str, float]:
    """Wall time of ``python -c "import jieba"``, ``reportlens outline`` of one seed file and ``reportlens
    ingest`` of one real report into a new library (``--no-seed``), each the best of ``runs``, alternated."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    real = sorted(real_files(), key=lambda p: p.stat().st_size)[len(real_files()) // 2]
    env = {**os.environ, "REPORTLENS_LIBRARY": str(scratch / "cli-outline.sqlite3")}
    best: dict[str, float] = {}
    for k in range(runs):
        library = scratch / f"cli-ingest-{k}.sqlite3"
        for name, command in (
            ("import_jieba", [sys.executable, "-c", "import jieba"]),
            ("outline_one_file", [sys.executable, "-m", "reportlens.cli", "outline", str(seed)]),
            ("ingest_one_file", [sys.executable, "-m", "reportlens.cli", "ingest", "--library", str(library),
                                 "--no-seed", str(real)]),
        ):
            best[name] = min(best.get(name, float("inf")), _wall(command, env=env))
    best["outline_vs_import_jieba"] = best["outline_one_file"] / best["import_jieba"]
    best["ingest_vs_import_jieba"] = best["ingest_one_file"] / best["import_jieba"]
    return best


def better(runs: list[dict[str, object]]) -> dict[str, object]:
    """Figure by figure the lower of several dashboard runs (times and peak RSS): the machine is shared."""
    out: dict[str, object] = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, dict):
            out[key] = {k: min(r[key][k] for r in runs) for k in value}  # type: ignore[index]
        elif isinstance(value, float):
            out[key] = min(float(r[key]) for r in runs)  # type: ignore[arg-type]
    return out


def scaling(sizes: list[int], keep: Path, workers: int, runs: int) -> dict[str, object]:
    """Per size: a synthetic library of the quick shape (built once under ``keep``, reused afterwards), its
    dashboard run ``runs`` times in fresh processes, each figure the best of them; then the CLI start-up."""
    table: dict[str, object] = {}
    for size in sizes:
        folder = keep / f"synthetic-{size}"
        path = folder / "library.sqlite3"
        if not path.exists():
            if folder.exists():
                shutil.rmtree(folder)
            write_synthetic(folder / "files", size, scale=0.25)
            library = Library(path)
            library.segmenter()
            build, results = timed(lambda f=folder, lib=library: ingest_paths([f / "files"], lib, workers=workers))
            assert all(r.status == "ok" for r in results)  # type: ignore[union-attr]
            library.close()
            print(f"built {size} reports in {build:.0f} s")
        dashboards = []
        for _ in range(runs):
            child = subprocess.run(
                [sys.executable, __file__, "--dashboard", str(path), "--repeat", "3", "--no-token-paths"],
                capture_output=True, text=True, check=True,
            )
            dashboards.append(json.loads(child.stdout.strip().splitlines()[-1]))
        app = better(dashboards)
        pages: dict[str, float] = app["pages"]  # type: ignore[assignment]
        slowest = max(pages, key=pages.__getitem__)
        print(f"{size:>6} reports: first open {app['first_open_seconds']:.2f} s (then the sections and items "
              f"{app['read_ahead_seconds']:.2f} s, in the background), slowest page {slowest} "
              f"{pages[slowest] * 1000:.1f} ms, top_terms {pages['top_terms'] * 1000:.1f} ms, trend "
              f"{pages['term_trend_by_year_matrix'] * 1000:.1f} ms, word-cloud frequencies "
              f"{pages['wordcloud_frequencies'] * 1000:.1f} ms, peak RSS {app['rss_dashboard']:.0f} MiB")
        for name, seconds in pages.items():
            print(f"         {name:<30} {seconds * 1000:8.1f} ms")
        table[str(size)] = app
    scratch = Path(tempfile.mkdtemp(prefix="reportlens-cli-"))
    try:
        cli = cli_startup(scratch, runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"CLI start-up (best of {runs}): import jieba {cli['import_jieba']:.2f} s; outline of one file "
          f"{cli['outline_one_file']:.2f} s (x{cli['outline_vs_import_jieba']:.1f}); ingest of one file "
          f"{cli['ingest_one_file']:.2f} s (x{cli['ingest_vs_import_jieba']:.1f})")
    return {"sizes": table, "cli": cli}


# ---------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter synthetic reports, sampled jieba baseline")
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="build the synthetic library here and keep it")
    parser.add_argument("--scaling", help="sizes of a scaling run, e.g. 1000,4000,10000 (libraries kept in --keep)")
    parser.add_argument("--runs", type=int, default=2, help="dashboard runs per size in --scaling (best kept)")
    parser.add_argument("--dashboard", type=Path, help=argparse.SUPPRESS)  # the child process of step 3
    parser.add_argument("--repeat", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--no-token-paths", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dashboard:
        print(json.dumps(dashboard(args.dashboard, args.repeat, with_token_paths=not args.no_token_paths)))
        return
    if args.scaling:
        keep = args.keep or Path(tempfile.mkdtemp(prefix="reportlens-scaling-"))
        sizes = [int(n) for n in args.scaling.split(",")]
        result = scaling(sizes, keep, args.workers, args.runs)
        print(json.dumps(result, ensure_ascii=False))
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
        print(f"first open in a fresh process (tables.library_tables: dtm {app['dtm_shape']}, {app['dtm_nonzero']:,} counts):"
              f" {app['first_open_seconds']:.2f} s, then the sections and items {app['read_ahead_seconds']:.2f} s "
              f"(the app reads them in the background); peak RSS {app['rss_after_open']:.0f} MiB")
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
