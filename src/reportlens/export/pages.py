"""The sections each dashboard page gives a meeting pack (``BUILDERS``: page → function of a ``Context``): the
same charts and tables as the page, as plain numbers and Chinese text."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from reportlens import insights, selection
from reportlens.analysis.problems import Themes
from reportlens.analysis.promises import consecutive_pairs
from reportlens.errors import ReportError
from reportlens.export.content import (
    CHART_ROWS_MAX,
    HEAT_ROWS_MAX,
    PASSAGES_MAX,
    PROMISE_PAIRS_MAX,
    ROLE_NAMES,
    TABLE_ROWS,
    TABLE_SLIDES_MAX,
    TERMS,
    TREND_TERMS,
    Bars,
    Heat,
    Indexes,
    Lines,
    Picture,
    Scope,
    Section,
    Table,
)
from reportlens.palettes import palette as get_palette
from reportlens.tables import CorpusTables

# Columns the workbook leaves out: ids that mean nothing to a reader and offsets into the texts
INTERNAL_COLUMNS = {"problem_id", "measure_id", "promise_id", "item_id", "passage", "start", "end", "_y"}
MATCH_KINDS = {"item": "整条", "sentence": "一句"}


def _labelled(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` for the workbook: reader-facing columns only, Chinese headers and role names."""
    out = frame.drop(columns=[c for c in frame.columns if c in INTERNAL_COLUMNS])
    if "role" in out.columns:
        out["role"] = out["role"].map(lambda r: labels.get(r, r))
    if "kind" in out.columns:
        out["kind"] = out["kind"].map(lambda k: MATCH_KINDS.get(k, k))
    return out.rename(columns=lambda c: labels.get(c, c))


def _cut(text: object, width: int) -> str:
    value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


def _years_span(years: str) -> str:
    """「2015、2016、2017、2019」 as 「2015–2019（4 个年份）」 when the list is too long for a slide's cell."""
    listed = [y for y in str(years).split("、") if y]
    if len(listed) <= 3:
        return "、".join(listed)
    return f"{listed[0]}–{listed[-1]}（{len(listed)} 个年份）"


def _table_sections(
    page: str, title: str, caption: str, frame: pd.DataFrame, data: pd.DataFrame, widths: list[float]
) -> list[Section]:
    """A table over as many slides as it needs (at most ``TABLE_SLIDES_MAX``); the data goes with the first."""
    sections = []
    pages = max(1, min(TABLE_SLIDES_MAX, -(-len(frame) // TABLE_ROWS)))
    for k in range(pages):
        part = frame.iloc[k * TABLE_ROWS : (k + 1) * TABLE_ROWS].reset_index(drop=True)
        shown = title if k == 0 else f"{title}（续 {k + 1}）"
        more = len(frame) - pages * TABLE_ROWS
        note = caption + (f"｜另有 {more} 行见 Excel 表" if more > 0 and k == pages - 1 else "")
        sections.append(Section(page, shown, note, Table(part, widths), data if k == 0 else data.iloc[:0]))
    return sections


def _bars(frame: pd.DataFrame, category: str, series: str, value: str, *, order: Sequence[str] | None = None) -> dict:
    categories = list(dict.fromkeys(frame[category]))
    names = list(order) if order is not None else list(dict.fromkeys(frame[series]))
    grid = frame.pivot_table(index=category, columns=series, values=value, aggfunc="sum", fill_value=0)
    grid = grid.reindex(index=categories, columns=names, fill_value=0)
    return {"categories": [str(c) for c in categories], "series": {str(n): grid[n].astype(float).tolist() for n in names}}


@dataclass(frozen=True)
class Context:
    """What every page's sections are made from: the tables, the scope, the indexes, the themes, the Chinese
    labels, the recurring threshold and the font for the word cloud."""

    tables: CorpusTables
    scope: Scope
    indexes: Indexes
    themes: Themes
    labels: Mapping[str, str]
    threshold: float
    font_path: str | None

    @property
    def ids(self) -> list[str]:
        return list(self.scope.report_ids)

    @property
    def charted(self) -> list[str]:
        return list(self.scope.report_ids)[:CHART_ROWS_MAX]

    def note(self, text: str = "") -> str:
        more = len(self.scope.report_ids) - CHART_ROWS_MAX
        extra = f"｜图中只画出前 {CHART_ROWS_MAX} 篇（共 {len(self.scope.report_ids)} 篇）" if more > 0 else ""
        return self.scope.caption + extra + (f"｜{text}" if text else "")


def _overview(c: Context) -> list[Section]:
    rows = selection.report_rows(c.tables, c.ids)
    per_year = selection.reports_per_year(rows).sort_values("year", na_position="last")
    per_year = per_year.assign(year=[("年份不详" if pd.isna(y) else str(int(y))) for y in per_year["year"]])
    per_year = per_year.assign(kind=[c.labels.get("year_inferred" if i else "year_stated", "") for i in per_year["year_inferred"]])
    bars = Bars(**_bars(per_year, "year", "kind", "reports"), horizontal=False, stacked=True)
    table = rows[["label", "year", "kind", "chars", "problems", "measures"]].rename(columns={"label": "title"})
    display = table.assign(label=table["title"].map(lambda t: _cut(t, 30)), year=table["year"].map(lambda y: "不详" if pd.isna(y) else str(int(y))))
    display = display[["label", "year", "kind", "chars", "problems", "measures"]].rename(columns={"label": "title"})
    return [
        Section("overview", "各年份报告数", c.note(), bars, _labelled(per_year, c.labels)),
        *_table_sections("overview", "所选报告", c.note(), _labelled(display, c.labels), _labelled(table, c.labels), [5, 1, 1.4, 1.2, 1, 1]),
    ]


def _structure(c: Context) -> list[Section]:
    shares = selection.role_share_frame(c.tables, c.charted)
    if shares.empty:
        return []
    shares = shares.assign(role_name=shares["role"].map(lambda r: c.labels.get(r, r)), percent=shares["share"] * 100)
    order = [c.labels.get(r, r) for r in ("preamble", "achievements", "problems", "measures", "other") if r in set(shares["role"])]
    roles = [r for r in ("preamble", "achievements", "problems", "measures", "other") if r in set(shares["role"])]
    colors = tuple(get_palette(c.scope.palette).roles[r] for r in roles)
    bars = Bars(**_bars(shares, "report", "role_name", "percent", order=order), stacked=True, percent=True, colors=colors)
    return [Section("structure", "各部分篇幅占比", c.note(), bars, _labelled(shares.drop(columns=["role_name", "percent"]), c.labels))]


def _keywords(c: Context) -> list[Section]:
    role = c.scope.role
    terms = selection.top_terms(c.tables, c.ids, role, top=TERMS)
    if terms.empty:
        return []
    role_name = ROLE_NAMES.get(role, role)
    sections = [
        Section(
            "keywords", f"高频词 · {role_name}", c.note(),
            Bars(terms["term"].tolist(), {c.labels.get("count", "次数"): terms["count"].astype(float).tolist()}),
            _labelled(terms, c.labels),
        )
    ]
    trend = selection.trends(c.tables, c.ids, role, terms["term"].head(TREND_TERMS).tolist())
    if trend["year"].nunique() >= 2:
        lines = Lines(**_bars(trend.assign(year=trend["year"].astype(str)), "year", "term", "per_10k"))
        sections.append(Section("keywords", "关键词年度趋势（每万字频次）", c.note(), lines, _labelled(trend, c.labels)))
    if c.font_path:
        from reportlens.cloud import word_cloud

        words = selection.word_frequencies(c.tables, c.ids, role, top=150)
        if words:
            image = word_cloud(words, font_path=c.font_path, width=1600, height=900, palette=c.scope.palette)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            frame = pd.DataFrame(sorted(words.items(), key=lambda kv: -kv[1]), columns=["term", "count"])
            sections.append(Section("keywords", f"词云 · {role_name}", c.note(), Picture(buffer.getvalue(), 1600, 900), _labelled(frame, c.labels)))
    return sections


def _problems(c: Context) -> list[Section]:
    sections = []
    counts = selection.items_per_report(c.tables, c.charted)
    order = [c.labels.get(r, r) for r in ("problems", "measures")]
    counts_named = counts.assign(role_name=counts["role"].map(lambda r: c.labels.get(r, r)))
    colors = tuple(get_palette(c.scope.palette).roles[r] for r in ("problems", "measures"))
    bars = Bars(**_bars(counts_named, "report", "role_name", "items", order=order), colors=colors)
    sections.append(Section("problems", "各报告列出的问题与措施", c.note(), bars, _labelled(counts, c.labels)))
    grid = selection.theme_grid(c.tables, c.charted, c.themes)
    problems = grid[grid["role"] == "problems"]
    if len(problems) and problems["count"].sum():
        reports = list(dict.fromkeys(problems["report"]))
        themes = list(dict.fromkeys(problems["theme"]))
        pivot = problems.pivot_table(index="report", columns="theme", values="count", aggfunc="sum", fill_value=0)
        pivot = pivot.reindex(index=reports, columns=themes, fill_value=0)
        heat = Heat(reports, themes, pivot.astype(float).values.tolist())
        sections.append(Section("problems", "各报告的问题涉及哪些主题（条数）", c.note("主题词表可在「词典与停用词」页编辑"), heat, _labelled(grid, c.labels)))
    view = insights.coverage_view(c.tables, c.indexes.items, c.indexes.coverage, c.ids)
    if not view.answers.empty:
        summary = view.summary[view.summary["report_id"].isin(c.charted)]
        series = {c.labels.get("answered", "已回应"): summary["answered"].astype(float).tolist(),
                  c.labels.get("unanswered", "未回应"): (summary["problems"] - summary["answered"]).astype(float).tolist()}
        colors = tuple(get_palette(c.scope.palette).roles[r] for r in ("measures", "problems"))
        bars = Bars(summary["report"].tolist(), series, stacked=True, colors=colors)
        sections.append(Section("problems", "各报告有措施回应的问题数", c.note(), bars, _labelled(view.summary, c.labels)))
        open_ = view.answers[~view.answers["answered"]]
        if not open_.empty:
            display = pd.DataFrame(
                {
                    "report": open_["report"].map(lambda t: _cut(t, 14)),
                    "title": [f"{n}. {_cut(t, 30)}" for n, t in zip(open_["number"], open_["title"], strict=True)],
                    "measure_title": open_["measure_title"].map(lambda t: _cut(t, 22) if isinstance(t, str) else "（未列出措施）"),
                    "score": open_["score"].map(lambda s: f"{s:.2f}"),
                }
            )
            sections.extend(_table_sections("problems", "未见明确回应的问题", c.note("相似度低于 0.06 记为未见明确回应"), _labelled(display, c.labels), _labelled(view.answers, c.labels), [1.6, 4, 2.6, 0.8]))
    return sections


def _recurring(c: Context) -> list[Section]:
    view = insights.recurring_view(c.tables, c.indexes.items, c.indexes.problem_pairs, c.ids, role="problems", threshold=c.threshold)
    if view.groups.empty:
        return []
    note = c.note(f"相似度门槛 {c.threshold:g}")
    sections = []
    shown = view.groups.head(HEAT_ROWS_MAX)
    years = view.years[view.years["group"].isin(shown["group"])]
    if not years.empty:
        columns = [str(y) for y in sorted(years["year"].unique())]
        rows = [f"{i + 1}. {_cut(label, 18)}" for i, label in enumerate(shown["group_label"])]
        pivot = years.pivot_table(index="group", columns="year", values="items", aggfunc="sum", fill_value=0).reindex(shown["group"])
        more = f"｜图中只列出前 {len(shown)} 组（共 {len(view.groups)} 组）" if len(view.groups) > len(shown) else ""
        heat = Heat(rows, columns, pivot.astype(float).values.tolist())
        sections.append(Section("recurring", "反复出现的问题：各年出现的条数", note + more, heat, _labelled(view.years, c.labels)))
    display = pd.DataFrame(
        {
            "group_label": [f"{i + 1}. {_cut(t, 24)}" for i, t in enumerate(view.groups["group_label"])],
            "reports": view.groups["reports"],
            "years": view.groups["years"].map(_years_span),
            "words": view.groups["words"].map(lambda w: _cut(w, 20)),
        }
    )
    data = view.members.merge(view.groups[["group", "group_label"]], on="group")
    sections.extend(_table_sections("recurring", "反复出现的问题", note, _labelled(display, c.labels), _labelled(data.drop(columns=["start", "end"]), c.labels), [4, 1, 2.4, 2.6]))
    return sections


def _promises(c: Context) -> list[Section]:
    pairs = consecutive_pairs(selection.report_rows(c.tables, c.ids)).head(PROMISE_PAIRS_MAX)
    sections = []
    names = c.tables.reports.set_index("report_id")["short"]
    for pair in pairs.itertuples():
        try:
            view = insights.promise_view(c.tables, c.indexes.items, pair.earlier_id, pair.later_id)
        except ReportError:
            continue
        results = view.results
        title = f"承诺与落实：{pair.unit}（{pair.earlier_year} → {pair.later_year}）"
        said = f"前一年《{names[pair.earlier_id]}》的措施打算，后一年《{names[pair.later_id]}》的工作成绩"
        display = pd.DataFrame(
            {
                "title": [f"{n}. {_cut(t, 20)}" for n, t in zip(results["number"], results["title"], strict=True)],
                "delivered": results["delivered"].map({True: "有", False: "未见下文"}),
                "match": results["match"].map(lambda t: _cut(t, 40)),
                "score": results["score"].map(lambda s: f"{s:.2f}"),
            }
        )
        kept = int(results["delivered"].sum())
        note = c.note(f"{said}：{kept}/{len(results)} 项有下文")
        sections.extend(_table_sections("promises", title, note, _labelled(display, c.labels), _labelled(results, c.labels), [3, 1.1, 5, 0.8]))
    return sections


def _reuse(c: Context) -> list[Section]:
    view = insights.reuse_view(c.tables, c.indexes.passages, c.ids)
    shares = view.shares[view.shares["report_id"].isin(c.charted)]
    shares = shares.assign(_y=shares["year"].astype("Float64").fillna(float("inf"))).sort_values("_y", kind="stable")
    categories = [f"{'不详' if pd.isna(y) else int(y)} · {_cut(r, 12)}" for y, r in zip(shares["year"], shares["report"], strict=True)]
    bars = Bars(categories, {c.labels.get("share", "占比"): (shares["share"] * 100).round(1).tolist()}, number_format='0.0"%"')
    sections = [Section("reuse", "各报告中重复文字的占比（按年份）", c.note(), bars, _labelled(view.shares, c.labels))]
    if not view.passages.empty:
        top = view.passages.head(PASSAGES_MAX)
        display = pd.DataFrame(
            {"text": top["text"].map(lambda t: _cut(t, 46)), "count": top["count"], "where": top["where"].map(lambda w: _cut(w, 24))}
        )
        sections.extend(_table_sections("reuse", "反复出现的套话", c.note(), _labelled(display, c.labels), _labelled(view.passages, c.labels), [6, 0.8, 3]))
    return sections


BUILDERS: dict[str, Callable[[Context], list[Section]]] = {
    "overview": _overview,
    "structure": _structure,
    "keywords": _keywords,
    "problems": _problems,
    "recurring": _recurring,
    "promises": _promises,
    "reuse": _reuse,
}
