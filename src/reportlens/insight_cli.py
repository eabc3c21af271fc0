"""The insight commands of ``reportlens``: ``recurring``, ``coverage``, ``promises``, ``reuse``, and ``export``
(the meeting pack as PPTX and XLSX). Each reads the files given — or, with none, the library — and prints a readable listing or,
with ``--json``, JSON Lines.

A file that cannot be read prints ``{"file": …, "error": "<中文原因>"}`` (JSON) or a line on stderr, the
others are still analysed, and the command exits 1; a bad option (a threshold out of range, a pair that
cannot be compared) is one Chinese line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from reportlens.errors import ReportError
from reportlens.labels import (
    EXPORT_PAGES,
    INSIGHT_ROLES,
    ITEM_ROLE_LABELS,
    LABELS,
    PALETTE_LABELS,
    ROLE_FILTER_LABELS,
)

if TYPE_CHECKING:
    from reportlens.analysis.problems import Themes
    from reportlens.store import Library
    from reportlens.tables import CorpusTables



@dataclass
class Loaded:
    """The tables of what a command analyses, and how to name each report in its output (the path given on
    the command line, or the library's file name)."""

    tables: CorpusTables
    files: dict[str, str]
    themes: Themes
    status: int = 0


def _error_line(path: str, message: str, args: argparse.Namespace, out: TextIO) -> None:
    if getattr(args, "json", False):
        print(json.dumps({"file": path, "error": message}, ensure_ascii=False), file=out)
    else:
        print(f"{path}: 错误：{message}", file=sys.stderr)


def load(args: argparse.Namespace, out: TextIO, *, open_library: Callable[[argparse.Namespace], Library]) -> Loaded:
    """The files of ``args.files`` as tables (their metadata.csv rows taken along), or the library's tables
    (and its theme lexicon)."""
    from reportlens.analysis.problems import load_themes, parse_themes
    from reportlens.cli import load_report
    from reportlens.corpus import Corpus
    from reportlens.tables import build_tables, library_tables
    from reportlens.text import build_tokenizer

    if not args.files:
        library = open_library(args)
        try:
            tables = library_tables(library)
            try:
                themes = parse_themes(library.settings.themes) or load_themes()
            except ValueError:
                themes = load_themes()
        finally:
            library.close()
        files = dict(zip(tables.reports["report_id"], tables.reports["file"].fillna(""), strict=True))
        return Loaded(tables=tables, files={k: v or k for k, v in files.items()}, themes=themes)
    reports, files, status = [], {}, 0
    for path in args.files:
        try:
            report = load_report(path)
        except ReportError as err:
            _error_line(path, str(err), args, out)
            status = 1
            continue
        if report.id in files:
            print(f"{path}: 与「{files[report.id]}」内容相同，只分析一次。", file=sys.stderr)
            continue
        files[report.id] = path
        reports.append(report)
    if not reports:
        raise ReportError("没有可以分析的报告：给出的文件都无法读取。")
    tables = build_tables(Corpus(tuple(reports)), build_tokenizer())
    return Loaded(tables=tables, files=files, themes=load_themes(), status=status)


def _optional_int(value: object) -> int | None:
    """A year or an item number as an int; None when missing (None or pandas' NA)."""
    import pandas as pd  # imported by the commands that need it: ``reportlens outline`` starts without pandas

    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _print(record: dict, out: TextIO) -> None:
    print(json.dumps(record, ensure_ascii=False), file=out)


def cmd_recurring(args: argparse.Namespace, out: TextIO, loaded: Loaded) -> int:
    from reportlens import insights
    from reportlens.analysis.recurring import check_threshold

    threshold = check_threshold(args.threshold)
    tables = loaded.tables
    index = insights.item_index(tables)
    pairs = insights.similar_item_pairs(tables, index, args.role)
    ids = tables.reports["report_id"].tolist()
    view = insights.recurring_view(tables, index, pairs, ids, role=args.role, threshold=threshold)
    groups = view.groups.set_index("group")
    for group, part in view.members.groupby("group", sort=True):
        row = groups.loc[group]
        years = [int(y) for y in row["years"].split("、")] if row["years"] else []
        if args.json:
            members = [
                {"file": loaded.files.get(r.report_id, r.report_id), "item": r.title, "year": _optional_int(r.year)}
                for r in part.itertuples(index=False)
            ]
            _print({"label": row["group_label"], "members": members, "years": years, "score": round(float(row["score"]), 3)}, out)
            continue
        span = "年份不详" if not years else str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
        print(f"第 {int(group) + 1} 组：{row['group_label']}（{int(row['reports'])} 篇报告，{span}，相似度 {row['score']:.2f}）", file=out)
        if row["words"]:
            print(f"  共同的词：{row['words']}", file=out)
        for r in part.itertuples(index=False):
            year = _optional_int(r.year)
            print(f"  {year or '不详'}  {loaded.files.get(r.report_id, r.report_id)}  {ITEM_ROLE_LABELS[args.role]} {r.number}：{r.title}", file=out)
    if not args.json:
        count = view.groups.shape[0]
        print(f"共 {count} 组反复出现的{ITEM_ROLE_LABELS[args.role]}（相似度门槛 {threshold:g}）。", file=out)
    return loaded.status


def cmd_coverage(args: argparse.Namespace, out: TextIO, loaded: Loaded) -> int:
    from reportlens import insights

    tables = loaded.tables
    index = insights.item_index(tables)
    scores = insights.coverage_index(tables, index, loaded.themes)
    ids = tables.reports["report_id"].tolist()
    view = insights.coverage_view(tables, index, scores, ids)
    for report_id, part in view.answers.groupby("report_id", sort=False):
        file = loaded.files.get(report_id, report_id)
        if not args.json:
            print(f"{file}：{int(part['answered'].sum())} / {len(part)} 个问题有措施回应", file=out)
        for r in part.itertuples(index=False):
            measure = _optional_int(r.measure_number)
            if args.json:
                _print(
                    {
                        "file": file, "problem": r.title, "answered": bool(r.answered), "measure": r.measure_title
                        if measure is not None else None, "score": round(float(r.score), 3), "words": r.words.split("、") if r.words else [],
                    },
                    out,
                )
            else:
                mark = "已回应" if r.answered else "未见明确回应"
                closest = f"措施 {measure}：{r.measure_title}" if measure is not None else "（本报告未列出措施）"
                print(f"  问题 {r.number}：{r.title}\n    {mark}｜{closest}｜相似度 {r.score:.2f}｜共同的词：{r.words or '无'}", file=out)
    return loaded.status


def cmd_promises(args: argparse.Namespace, out: TextIO, loaded: Loaded) -> int:
    from reportlens import insights
    from reportlens.analysis.promises import consecutive_pairs

    tables = loaded.tables
    reports = tables.reports
    if args.files:
        ids = list(loaded.files)
        if len(ids) != 2:
            raise ReportError(f"请给出两份可读的报告文件（前一年的措施打算、后一年的工作总结），现在是 {len(ids)} 份。")
        pairs = [(ids[0], ids[1])]
    else:
        found = consecutive_pairs(reports)
        if found.empty:
            raise ReportError("资料库中没有同一单位相邻年份的两篇报告。请在「语料管理」中填写单位和年份，或给出两份报告文件。")
        pairs = list(zip(found["earlier_id"], found["later_id"], strict=True))
    index = insights.item_index(tables)
    for first, second in pairs:
        view = insights.promise_view(tables, index, first, second)
        earlier, later = loaded.files.get(view.earlier, view.earlier), loaded.files.get(view.later, view.later)
        if view.note:
            print(f"注意：{view.note}", file=sys.stderr)
        if not args.json:
            kept = int(view.results["delivered"].sum())
            print(f"{earlier} → {later}：{kept} / {len(view.results)} 项措施在后一篇中有下文", file=out)
        for r in view.results.itertuples(index=False):
            if args.json:
                _print(
                    {
                        "earlier": earlier, "later": later, "promise": r.title, "delivered": bool(r.delivered),
                        "score": round(float(r.score), 3), "match": r.match, "place": r.place if r.delivered else None,
                    },
                    out,
                )
            else:
                where = f"（{r.place}）" if r.delivered and r.place else ""
                print(f"  措施 {r.number}：{r.title}\n    {r.match}{where}｜相似度 {r.score:.2f}", file=out)
    return loaded.status


def cmd_reuse(args: argparse.Namespace, out: TextIO, loaded: Loaded) -> int:
    from reportlens import insights

    tables = loaded.tables
    index = insights.passage_index(tables)
    ids = tables.reports["report_id"].tolist()
    view = insights.reuse_view(tables, index, ids)
    where = view.occurrences.groupby("passage", sort=False)["report_id"].agg(lambda r: list(dict.fromkeys(r)))
    shown = view.passages if args.top is None else view.passages.head(args.top)
    for r in shown.itertuples(index=False):
        files = [loaded.files.get(i, i) for i in where[r.passage]]
        if args.json:
            _print({"text": r.text, "files": files, "count": int(r.count)}, out)
        else:
            print(f"{r.count} 次 · {len(files)} 篇：{r.text}", file=out)
    if not args.json:
        print(f"共 {len(view.passages)} 段重复出现的文字（{len(shown)} 段已列出）。各报告中重复文字的占比：", file=out)
        for r in view.shares.itertuples(index=False):
            print(f"  {loaded.files.get(r.report_id, r.report_id)}  {r.share:.1%}", file=out)
    return loaded.status


def _year_range(value: str) -> tuple[int, int]:
    parts = value.replace("–", "-").split("-")
    try:
        years = [int(p) for p in parts if p.strip()]
    except ValueError:
        years = []
    if len(years) not in (1, 2):
        raise argparse.ArgumentTypeError(f"年份范围应写成「2020-2023」或「2023」，而不是「{value}」")
    return (years[0], years[-1]) if years[0] <= years[-1] else (years[-1], years[0])


def cmd_export(args: argparse.Namespace, out: TextIO, loaded: Loaded) -> int:
    from pathlib import Path

    from reportlens import export
    from reportlens.analysis.recurring import check_threshold
    from reportlens.fonts import cjk_font_path
    from reportlens.selection import select_reports

    if not args.pptx and not args.xlsx:
        raise ReportError("请用 --pptx 文件名.pptx 和（或）--xlsx 文件名.xlsx 指明要导出的文件。")
    threshold = check_threshold(args.threshold)
    tables = loaded.tables
    chosen = None
    if args.reports:
        known = set(tables.reports["report_id"])
        by_file = {Path(f).name: i for i, f in loaded.files.items()}
        chosen = [r if r in known else by_file.get(Path(r).name, r) for r in args.reports]
        unknown = [r for r in chosen if r not in known]
        if unknown:
            raise ReportError(f"没有这些报告：{'、'.join(unknown)}。请写报告编号（reportlens library 列出）或文件名。")
    ids = select_reports(tables.reports, report_ids=chosen, years=args.years)
    if not ids:
        raise ReportError("筛选后没有报告（年份范围或所选报告不对），没有导出任何文件。")
    whole = chosen is None and args.years is None
    caption = export.scope_caption(tables, ids, args.role, whole=whole)
    scope = export.Scope(report_ids=tuple(ids), role=args.role, palette=args.palette, caption=caption)
    pages = tuple(args.page) if args.page else EXPORT_PAGES
    pack = export.meeting_pack(
        tables, scope, export.build_indexes(tables, loaded.themes), loaded.themes, LABELS,
        pages=pages, threshold=threshold, font_path=str(cjk_font_path()),
    )
    written = []
    for target, make in ((args.pptx, lambda: export.pptx_bytes(pack, palette=args.palette)), (args.xlsx, lambda: export.xlsx_bytes(pack))):
        if not target:
            continue
        data = make()
        try:
            Path(target).write_bytes(data)
        except OSError as err:
            raise ReportError(f"无法写入「{target}」：{err.strerror or err}。请检查文件夹是否存在、是否有写入权限。") from err
        written.append(target)
    slides = len(pack.sections) + 1
    print(f"已导出 {len(ids)} 篇报告的会议材料（{slides} 页幻灯片）：{'、'.join(written)}", file=out)
    return loaded.status


def add_commands(
    sub: argparse._SubParsersAction,
    *,
    library_help: str,
    wrap: Callable[[Callable[[argparse.Namespace, TextIO], int]], Callable[[argparse.Namespace, TextIO], int]],
    open_library: Callable[[argparse.Namespace], Library],
) -> None:
    """Register the insight commands on the ``reportlens`` parser (``wrap`` turns errors into Chinese lines)."""
    from reportlens.thresholds import DEFAULT_THRESHOLD, MAX_THRESHOLD, MIN_THRESHOLD

    def command(run: Callable[[argparse.Namespace, TextIO, Loaded], int]) -> Callable[[argparse.Namespace, TextIO], int]:
        def go(args: argparse.Namespace, out: TextIO) -> int:
            return run(args, out, load(args, out, open_library=open_library))

        return wrap(go)

    def common(parser: argparse.ArgumentParser, files_help: str) -> None:
        parser.add_argument("files", nargs="*", help=files_help)
        parser.add_argument("--json", action="store_true", help="输出 JSON Lines")
        parser.add_argument("--library", metavar="FILE", help=library_help)
        parser.add_argument("--no-seed", action="store_true", help="新建资料库时不载入示例报告")

    files_help = "报告文件（txt/docx/pdf/doc）；不给则分析资料库中的全部报告"
    recurring = sub.add_parser("recurring", help="找出在多篇报告中反复出现的问题（或措施）")
    common(recurring, files_help)
    recurring.add_argument(
        "--role", choices=list(INSIGHT_ROLES), default=INSIGHT_ROLES[0],
        help="、".join(f"{code} {ITEM_ROLE_LABELS[code]}" for code in INSIGHT_ROLES) + f"（默认 {INSIGHT_ROLES[0]}）",
    )
    recurring.add_argument(
        "--threshold", default=DEFAULT_THRESHOLD, metavar="X",
        help=f"相似度门槛，{MIN_THRESHOLD:g}–{MAX_THRESHOLD:g}（默认 {DEFAULT_THRESHOLD:g}；越高越严）",
    )
    recurring.set_defaults(func=command(cmd_recurring))
    coverage = sub.add_parser("coverage", help="每个问题是否有措施回应")
    common(coverage, files_help)
    coverage.set_defaults(func=command(cmd_coverage))
    promises = sub.add_parser("promises", help="前一年的措施打算在后一年的工作成绩中是否有下文")
    common(promises, "两份报告文件（顺序不限，按年份排前后）；不给则对照资料库中同一单位相邻年份的每一对报告")
    promises.set_defaults(func=command(cmd_promises))
    reuse = sub.add_parser("reuse", help="找出反复出现的套话（15 字以上的句子或分句）")
    common(reuse, files_help)
    reuse.add_argument("--top", type=int, default=None, metavar="N", help="只列出最常见的 N 段")
    reuse.set_defaults(func=command(cmd_reuse))
    pack = sub.add_parser("export", help="导出会议材料：PPT（每张图一页）和 Excel（每张图、每个表一个工作表）")
    common(pack, files_help)
    pack.add_argument("--pptx", metavar="OUT.pptx", help="PowerPoint 文件（16:9）")
    pack.add_argument("--xlsx", metavar="OUT.xlsx", help="Excel 文件")
    pack.add_argument("--years", type=_year_range, metavar="A-B", help="只导出这些年份的报告，如 2020-2023")
    pack.add_argument("--reports", nargs="+", metavar="ID", help="只导出这些报告（报告编号或文件名）")
    pack.add_argument("--role", choices=list(ROLE_FILTER_LABELS), default="all",
                      help="关键词统计的部分（默认全部）")
    pack.add_argument("--page", action="append", choices=list(EXPORT_PAGES), metavar="PAGE",
                      help=f"只导出某些页（可重复）：{'、'.join(EXPORT_PAGES)}")
    palettes = list(PALETTE_LABELS)
    pack.add_argument(
        "--palette", choices=palettes, default=palettes[0],
        help="配色：" + "、".join(f"{code} {PALETTE_LABELS[code]}" for code in palettes) + f"（默认 {palettes[0]}）",
    )
    pack.add_argument("--threshold", default=DEFAULT_THRESHOLD, metavar="X", help="反复出现的问题的相似度门槛")
    pack.set_defaults(func=command(cmd_export))


__all__: Sequence[str] = ["add_commands"]
