"""Segmentation speed: jieba vs reportlens's rjieba tokenizer, both with the domain dictionary.

Run by hand from the repo root:  python bench/bench_segment.py [--repeat 3] [--corpora ../shared/corpora]
Cuts the 83 real reports in ../shared/corpora and the seeds with each engine, prints MiB/s (UTF-8) for each,
the speed ratio, the tokenizer build times (the first in the process, so rjieba's includes importing it),
the cost of content filtering and token tables, and whether every text got identical tokens, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reportlens.text import Tokenizer, build_tokenizer, engine_mismatch, token_table

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024


def best_time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def timed_build(engine: str) -> tuple[Tokenizer, float]:
    start = time.perf_counter()
    tokenizer = build_tokenizer(engine=engine)  # type: ignore[arg-type]
    return tokenizer, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine; the fastest counts")
    args = parser.parse_args()

    paths = sorted(args.corpora.glob("*/*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    if not paths:
        print(f"no texts under {args.corpora}", file=sys.stderr)
        return 1
    texts = [p.read_text(encoding="utf-8") for p in paths]
    mib = sum(len(t.encode("utf-8")) for t in texts) / MIB
    chars = sum(len(t) for t in texts)

    rjieba_tok, rjieba_build = timed_build("rjieba")
    jieba_tok, jieba_build = timed_build("jieba")

    jieba_s = best_time(lambda: [jieba_tok.cut(t) for t in texts], args.repeat)
    rjieba_s = best_time(lambda: [rjieba_tok.cut(t) for t in texts], args.repeat)
    content_s = best_time(lambda: [rjieba_tok.content_tokens(t) for t in texts], args.repeat)
    table_s = best_time(
        lambda: [token_table("r", t, [("0", "preamble", 0, len(t))], rjieba_tok) for t in texts], args.repeat
    )

    differing = []
    tokens = 0
    for path, text in zip(paths, texts, strict=True):
        tokens += len(rjieba_tok.cut(text))
        mismatch = engine_mismatch(text, rjieba_tok, jieba_tok)
        if mismatch is not None:
            differing.append(path.name)
            print(f"  differs: {path.name} at {mismatch.offset}: {mismatch.left} vs {mismatch.right}")

    figures = {
        "files": len(texts),
        "chars": chars,
        "mib": round(mib, 3),
        "tokens": tokens,
        "jieba_mib_s": round(mib / jieba_s, 3),
        "rjieba_mib_s": round(mib / rjieba_s, 3),
        "speedup": round(jieba_s / rjieba_s, 1),
        "rjieba_content_tokens_mib_s": round(mib / content_s, 3),
        "rjieba_token_table_mib_s": round(mib / table_s, 3),
        "jieba_build_s": round(jieba_build, 3),
        "rjieba_build_s": round(rjieba_build, 3),
        "identical": not differing,
        "differing_files": differing,
        "dictionary_words": len(rjieba_tok.words),
        "version": rjieba_tok.version,
    }
    print(f"{len(texts)} texts, {chars:,} characters, {mib:.2f} MiB, {tokens:,} tokens")
    print(f"jieba 0.42.1   {figures['jieba_mib_s']:8.3f} MiB/s   build {jieba_build:.3f} s")
    print(f"rjieba         {figures['rjieba_mib_s']:8.3f} MiB/s   build {rjieba_build:.3f} s")
    print(
        f"  content_tokens {figures['rjieba_content_tokens_mib_s']:.3f} MiB/s, "
        f"token_table {figures['rjieba_token_table_mib_s']:.3f} MiB/s"
    )
    print(f"speed ratio    {figures['speedup']}x")
    print(f"identical tokens on every text: {figures['identical']}")
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if not differing else 2


if __name__ == "__main__":
    raise SystemExit(main())
