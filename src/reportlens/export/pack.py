"""What goes into a meeting pack: for a selection of reports, one ``Section`` per chart or table of the dashboard's
pages and of the four insights, each with its title, the caption naming the filters, the data behind it and how
to draw it (``content``; ``pages`` makes each page's sections). ``slides`` turns a ``Pack`` into PowerPoint,
``workbook`` into Excel.

Nothing here draws: a section holds plain numbers and Chinese text, so both writers (and tests) read the same
content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from reportlens import insights, selection
from reportlens.analysis.problems import Themes
from reportlens.analysis.recurring import DEFAULT_THRESHOLD, check_threshold
from reportlens.errors import ReportError
from reportlens.export.content import ROLE_NAMES, Indexes, Pack, Scope, Section, years_label
from reportlens.export.pages import BUILDERS, Context
from reportlens.labels import EXPORT_PAGES
from reportlens.tables import CorpusTables

PAGES = EXPORT_PAGES


def build_indexes(tables: CorpusTables, themes: Themes) -> Indexes:
    """Every index a pack needs, computed now (the command line; the app takes them from its cache)."""
    items = insights.item_index(tables)
    return Indexes(
        items=items,
        problem_pairs=insights.similar_item_pairs(tables, items, "problems"),
        coverage=insights.coverage_index(tables, items, themes),
        passages=insights.passage_index(tables),
    )


def scope_caption(tables: CorpusTables, report_ids: Sequence[str], role: str, *, whole: bool) -> str:
    """The filters in one Chinese line, as the dashboard writes them under a chart (for the command line)."""
    rows = selection.report_rows(tables, report_ids)
    names = rows["short"].tolist()
    listed = "、".join(f"《{n}》" for n in names) if len(names) <= 3 else f"{len(names)} 篇"
    scope = "全部报告" if whole else f"报告：{listed}"
    total = len(tables.reports)
    return f"筛选 · {scope}（共 {len(report_ids)}/{total} 篇）｜年份：{years_label(rows)}｜部分：{ROLE_NAMES.get(role, role)}"


def meeting_pack(
    tables: CorpusTables,
    scope: Scope,
    indexes: Indexes,
    themes: Themes,
    labels: Mapping[str, str],
    *,
    pages: Sequence[str] = PAGES,
    threshold: float = DEFAULT_THRESHOLD,
    font_path: str | None = None,
    today: dt.date | None = None,
) -> Pack:
    """The meeting pack of ``scope``: a title slide's facts and the sections of ``pages`` (dashboard pages and
    insights, in ``PAGES`` order). ``labels`` names columns and roles in Chinese (``ui.strings.LABELS``);
    ``font_path`` (a CJK font) draws the word cloud — without it there is no word cloud slide.

    ReportError (Chinese) for an empty selection or an unknown page, so no empty file looks like success.
    """
    if not scope.report_ids:
        raise ReportError("当前筛选没有选中任何报告，无法导出会议材料。请先选择报告或放宽年份范围。")
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        raise ReportError(f"不认识的页面：{'、'.join(unknown)}。可选：{'、'.join(PAGES)}。")
    threshold = check_threshold(threshold)
    ids = list(scope.report_ids)
    rows = selection.report_rows(tables, ids)
    names = rows["label"].tolist()
    shown_names = "、".join(f"《{n}》" for n in names[:6]) + (f" 等 {len(names)} 篇" if len(names) > 6 else "")
    facts = [
        ("报告", shown_names),
        ("年份", years_label(rows)),
        ("部分", ROLE_NAMES.get(scope.role, scope.role)),
        ("筛选", scope.caption.removeprefix("筛选 · ")),
        ("导出日期", (today or dt.date.today()).strftime("%Y年%m月%d日")),
    ]
    context = Context(tables, scope, indexes, themes, labels, threshold, font_path)
    sections: list[Section] = []
    for page in PAGES:
        if page in pages:
            sections.extend(BUILDERS[page](context))
    return Pack(title="报告透视 · 会议材料", facts=facts, sections=sections)
