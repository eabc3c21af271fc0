"""Parse-time and year-inference benchmark over ../shared/corpora (run by hand: python bench/bench_parse.py).

Prints per-stage times for the 83 real reports (read + normalise, parse, metadata inference) and the year
accuracy against metadata.csv, with and without the file name as evidence; ends with one JSON line.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from reportlens import infer
from reportlens.readers import read_path
from reportlens.structure import parse_outline

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def main() -> None:
    rows = []
    for meta in sorted(CORPORA.glob("*/metadata.csv")):
        with meta.open(encoding="utf-8-sig") as fh:
            rows.extend((meta.parent / row["file"], int(row["year"])) for row in csv.DictReader(fh))
    t0 = time.perf_counter()
    texts = [read_path(path) for path, _ in rows]
    t1 = time.perf_counter()
    outlines = [parse_outline(text) for text in texts]
    t2 = time.perf_counter()
    with_name = sum(infer.infer_year(t, file_name=p.name).year == y for t, (p, y) in zip(texts, rows, strict=True))
    text_only = sum(infer.infer_year(t).year == y for t, (_, y) in zip(texts, rows, strict=True))
    t3 = time.perf_counter()
    chars = sum(len(t) for t in texts)
    figures = {
        "reports": len(rows),
        "chars": chars,
        "read_normalise_seconds": round(t1 - t0, 3),
        "parse_seconds": round(t2 - t1, 3),
        "year_inference_seconds": round(t3 - t2, 3),
        "year_accuracy": round(with_name / len(rows), 4),
        "year_accuracy_text_only": round(text_only / len(rows), 4),
        "sections": sum(len(o.sections) for o in outlines),
        "problems": sum(len(o.problems) for o in outlines),
        "measures": sum(len(o.measures) for o in outlines),
    }
    for key, value in figures.items():
        print(f"{key:>26}: {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
