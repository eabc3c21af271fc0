"""Every figure the dashboard's pages compute, for a library, written to one JSON file: run before and after a
change to the engine and compare the two files (``--compare``) to prove every number shown is unchanged.

    python tools/page_figures.py LIBRARY.sqlite3 OUT.json [--insights]
    python tools/page_figures.py --compare BEFORE.json AFTER.json

Selections: every report, the years 2010–2020, one report, two reports; roles: all and each item role. Views:
the overview and headline, reports per year, top terms (every term), word-cloud frequencies, reports × terms,
distinctive terms, trends, role shares, items, keyword in context (a counted word and a phrase), outlines, parts,
section texts, confidence; with ``--insights`` also recurring items, coverage, promises and reuse.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from reportlens import insights, selection
from reportlens.analysis.problems import load_themes
from reportlens.store import Library

try:
    from reportlens.tables import library_tables
except ImportError:  # the code before the library returned its tables itself: the "before" of a comparison

    def library_tables(library: Library) -> object:  # type: ignore[misc]
        return library.tables()  # type: ignore[attr-defined]

ROLES = ("all", "achievements", "problems", "measures")


def _plain(value: object) -> object:
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index(drop=True)
        return {
            "columns": [str(c) for c in frame.columns],
            "dtypes": [str(t) for t in frame.dtypes],
            "rows": json.loads(frame.astype(object).where(frame.notna(), None).to_json(orient="values", double_precision=15)),
        }
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def figures(path: Path, *, with_insights: bool) -> dict[str, object]:
    """Every view's output for a handful of selections of the library at ``path``."""
    with Library(path) as library:
        tables = library_tables(library)
        themes = load_themes()
    all_ids = tables.reports["report_id"].tolist()
    years = selection.select_reports(tables.reports, years=(2010, 2020))
    scopes = {"all": all_ids, "2010-2020": years or all_ids, "one": all_ids[len(all_ids) // 2 : len(all_ids) // 2 + 1],
              "two": all_ids[:2]}
    out: dict[str, object] = {}

    def put(name: str, run: Callable[[], object]) -> None:
        out[name] = _plain(run())

    put("overview", lambda: selection.overview(tables.reports))
    put("headline", lambda: selection.headline(tables.reports))
    put("reports_per_year", lambda: selection.reports_per_year(tables.reports))
    for scope, ids in scopes.items():
        for role in ROLES:
            key = f"{scope}/{role}"
            terms = selection.top_terms(tables, ids, role, top=None)
            out[f"top_terms/{key}"] = _plain(terms)
            put(f"top_terms_20/{key}", lambda ids=ids, role=role: selection.top_terms(tables, ids, role, top=20))
            put(f"word_frequencies/{key}", lambda ids=ids, role=role: selection.word_frequencies(tables, ids, role))
            chosen = terms["term"].head(20).tolist()
            heat = ids[:50]
            put(f"by_report/{key}", lambda ids=heat, role=role, t=chosen: selection.term_frequencies_by_report(tables, ids, role, t))
            put(f"distinctive/{key}", lambda ids=ids, role=role: selection.distinctive(tables, ids, role, top=8, limit=50))
            put(f"trends/{key}", lambda ids=ids, role=role, t=chosen[:5]: selection.trends(tables, ids, role, t))
            put(f"items/{key}", lambda ids=ids, role=role: selection.items_of(tables, ids, role))
            if chosen:
                put(f"kwic/{key}", lambda ids=ids[:200], role=role, t=chosen[0]: selection.kwic(tables, t, ids, role))
            put(f"kwic_phrase/{key}", lambda ids=ids[:200], role=role: selection.kwic(tables, "工作", ids, role))
        put(f"role_shares/{scope}", lambda ids=ids: selection.role_share_frame(tables, ids))
        put(f"items_per_report/{scope}", lambda ids=ids: selection.items_per_report(tables, ids))
        put(f"with_years/{scope}", lambda ids=ids: selection.reports_with_years(tables, ids))
        put(f"theme_grid/{scope}", lambda ids=ids[:100]: selection.theme_grid(tables, ids, themes))
    for report_id in all_ids[:: max(1, len(all_ids) // 7)]:
        put(f"outline/{report_id}", lambda r=report_id: selection.outline_rows(tables, r))
        put(f"top_parts/{report_id}", lambda r=report_id: selection.top_parts(tables, r))
        put(f"confidence/{report_id}", lambda r=report_id: selection.report_confidence(tables, r))
        paths = selection.sections_of(tables, report_id)["section_path"].tolist()
        put(f"section_texts/{report_id}", lambda r=report_id, p=paths: [selection.section_text(tables, r, x) for x in p])
    if with_insights:
        index = insights.item_index(tables)
        pairs = insights.similar_item_pairs(tables, index, "problems")
        scores = insights.coverage_index(tables, index, themes)
        passages = insights.passage_index(tables)
        for scope, ids in scopes.items():
            view = insights.recurring_view(tables, index, pairs, ids, role="problems", threshold=0.3)
            put(f"recurring/{scope}", lambda v=view: {"members": _plain(v.members), "groups": _plain(v.groups)})
            cover = insights.coverage_view(tables, index, scores, ids)
            put(f"coverage/{scope}", lambda c=cover: {"answers": _plain(c.answers), "summary": _plain(c.summary)})
            reuse = insights.reuse_view(tables, passages, ids)
            put(f"reuse/{scope}", lambda r=reuse: {"passages": _plain(r.passages), "shares": _plain(r.shares)})
        put("promise", lambda: _plain(insights.promise_view(tables, index, all_ids[0], all_ids[1]).results))
    return out


def compare(before: Path, after: Path) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    differ = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    for key in differ[:20]:
        print(f"differs: {key}")
    print(f"{len(old)} views before, {len(new)} after, {len(differ)} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs=2, type=Path)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--insights", action="store_true")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.paths)
    data = figures(args.paths[0], with_insights=args.insights)
    args.paths[1].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    print(f"{len(data)} views written to {args.paths[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
