"""Word-cloud drawing time on the server: the picture the keyword page shows (1000×560, 100 words).

Run by hand from the repo root:  python bench/bench_cloud.py [--repeat 5]
Draws the cloud of the seeds' 120 most frequent problem words (as tests/test_cloud.py does) and prints the best
and the median time and whether they meet the target of 0.35 s on screen, then one JSON line. Machines differ,
so this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from reportlens.cloud import word_cloud
from reportlens.corpus import load_seeds
from reportlens.fonts import cjk_font_path
from reportlens.tables import build_tables
from reportlens.text import build_tokenizer

TARGET_SECONDS = 0.35


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tables = build_tables(load_seeds(), build_tokenizer())
    problems = tables.tokens[tables.tokens["role"] == "problems"]
    words = problems["token"].astype(str).value_counts().head(120).to_dict()
    font = cjk_font_path()
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        word_cloud(words, font_path=font, width=1000, height=560, max_words=100)
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    print(f"word cloud 1000x560, 100 words: best {best:.3f} s, median {median:.3f} s "
          f"(target {TARGET_SECONDS} s: {'met' if median <= TARGET_SECONDS else 'missed'})")
    print(json.dumps({"best_s": round(best, 4), "median_s": round(median, 4), "target_s": TARGET_SECONDS}))


if __name__ == "__main__":
    main()
