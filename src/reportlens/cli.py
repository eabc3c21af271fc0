"""Command line: ``reportlens outline`` and ``reportlens keywords`` (batch use, scripting, checking the engine),
``reportlens ingest`` and ``reportlens library`` (the persistent library); the insight commands
(``recurring``, ``coverage``, ``promises``, ``reuse``) live in ``insight_cli``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reportlens.corpus import Report, folder_metadata, make_report
from reportlens.errors import ReportError
from reportlens.insight_cli import add_commands as add_insight_commands
from reportlens.labels import (
    CLI_TOP_TERMS,
    ROLE_LABELS,
)
from reportlens.library_cli import add_commands as add_library_commands
from reportlens.library_cli import library_command, open_from_args
from reportlens.outline import Item, Outline, Section
from reportlens.readers import read_path
from reportlens.roles import ROLE_CODES
from reportlens.structure import parse_outline

if TYPE_CHECKING:
    pass



MetadataCache = dict[Path, dict[str, dict[str, str]]]


def _metadata_rows(folder: Path, cache: MetadataCache) -> dict[str, dict[str, str]]:
    """The metadata.csv rows of a folder (read once); one that cannot be read is said once on stderr."""
    if folder not in cache:
        cache[folder], problem = folder_metadata(folder)
        if problem:
            print(f"警告：{problem}", file=sys.stderr)
    return cache[folder]


def load_report(path: str, *, metadata: MetadataCache | None = None) -> Report:
    """Read one file into a Report, taking its row of a metadata.csv beside it if there is one (``metadata``:
    the folders' rows read so far)."""
    file = Path(path)
    text = read_path(file)
    meta = _metadata_rows(file.parent, {} if metadata is None else metadata).get(file.name)
    return make_report(text, file=file.name, metadata=meta)


def outline_record(path: str, report: Report, outline: Outline) -> dict:
    return {
        "file": path,
        "title": report.title,
        "year": report.year,
        "year_evidence": report.year_evidence,
        "year_inferred": report.year_inferred,
        **outline.to_dict(),
    }


def _print_items(label: str, items: Sequence[Item], out: TextIO, indent: str = "  ") -> None:
    if not items:
        return
    print(f"{indent}{label}（{len(items)}）", file=out)
    for i, item in enumerate(items, 1):
        print(f"{indent}  {i}. {item.title}", file=out)
        for j, child in enumerate(item.children, 1):
            print(f"{indent}     {i}.{j} {child.title}", file=out)


def _print_section(section: Section, out: TextIO, depth: int = 1) -> None:
    heading = section.heading or f"〔{section.title or ROLE_LABELS.get(section.role, section.role)}〕"
    print(f"{'  ' * depth}{heading}  [{ROLE_LABELS.get(section.role, section.role)}]", file=out)
    if depth < 3:
        for child in section.children:
            _print_section(child, out, depth + 1)


def print_outline(path: str, report: Report, outline: Outline, out: TextIO) -> None:
    year = "未知" if report.year is None else f"{report.year}{'（推断）' if report.year_inferred else ''}"
    print(f"{path}\n  标题：{report.title}\n  年份：{year}  依据：{report.year_evidence}", file=out)
    print(f"  结构可信度：{outline.confidence_label}（{outline.confidence:.2f}）  依据：{'；'.join(outline.evidence)}", file=out)
    print("  结构：", file=out)
    for section in outline.sections:
        _print_section(section, out, 2)
    _print_items(ROLE_LABELS["problems"], outline.problems, out)
    _print_items(ROLE_LABELS["measures"], outline.measures, out)
    print(file=out)


def _corrections(args: argparse.Namespace, report: Report) -> tuple:
    """The structure corrections the library keeps for this report's text, unless ``--raw``; a library that
    cannot be read is said on stderr and the parser's own outline is printed."""
    if args.raw:
        return ()
    from reportlens.paths import library_path
    from reportlens.store.corrections import stored_corrections

    try:
        return stored_corrections(library_path(args.library), [report.id]).get(report.id, ())
    except ReportError as err:
        print(f"提示：{err}输出未经校对的结构。", file=sys.stderr)
        return ()


def cmd_outline(args: argparse.Namespace, out: TextIO) -> int:
    status = 0
    metadata: MetadataCache = {}
    for path in args.files:
        try:
            report = load_report(path, metadata=metadata)
        except ReportError as err:
            status = 1
            if args.json:
                print(json.dumps({"file": path, "error": str(err)}, ensure_ascii=False), file=out)
            else:
                print(f"{path}\n  错误：{err}\n", file=out)
            continue
        outline = parse_outline(report.text, _corrections(args, report))
        if args.json:
            print(json.dumps(outline_record(path, report, outline), ensure_ascii=False), file=out)
        else:
            print_outline(path, report, outline, out)
    return status


def cmd_keywords(args: argparse.Namespace, out: TextIO) -> int:
    import pandas as pd

    from reportlens.analysis import term_frequencies
    from reportlens.text import build_tokenizer, token_table

    tokenizer = build_tokenizer()
    tables, rows, status = [], [], 0
    metadata: MetadataCache = {}
    for path in args.files:
        try:
            report = load_report(path, metadata=metadata)
        except ReportError as err:
            print(f"{path}: 错误：{err}", file=sys.stderr)
            status = 1
            continue
        outline = parse_outline(report.text)
        tables.append(token_table(report.id, report.text, outline.parts(), tokenizer))
        rows.append({"report_id": report.id, "title": report.title, "year": report.year, "chars": report.chars})
    if not tables:
        return status or 1
    tokens = pd.concat(tables, ignore_index=True)
    if args.role:
        tokens = tokens[tokens["role"] == args.role]
    table = term_frequencies(tokens, by=None, reports=pd.DataFrame(rows), top=args.top)
    print(f"{'词语':<12}\t次数\t每万字", file=out)
    for row in table.itertuples(index=False):
        print(f"{row.term:<12}\t{row.count}\t{row.per_10k:.1f}", file=out)
    return status


EVAL_FIELDS = {"level1": "一级标题", "roles": "标题+角色", "problems": "问题", "measures": "措施"}


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    from reportlens.evaluate import FIELDS, evaluate, load_gold, pooled

    gold_file = Path(args.gold)
    try:
        load_gold(gold_file)
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(f"错误：无法读取标注文件「{gold_file}」（{type(err).__name__}）：应为含 reports 列表的 JSON。", file=sys.stderr)
        return 2

    def parse(path: Path) -> Outline:
        try:
            return parse_outline(load_report(str(path)).text)
        except ReportError:
            return parse_outline("")

    scores = evaluate(gold_file, parse)
    total = pooled(scores)
    if args.json:
        for score in scores:
            print(json.dumps(score.to_dict(), ensure_ascii=False), file=out)
        print(json.dumps({"file": "(pooled)", **{n: total[n].to_dict() for n in FIELDS}}, ensure_ascii=False), file=out)
        return 0
    header = "".join(f"{EVAL_FIELDS[n]:>10}" for n in FIELDS)
    print(f"{'文件':<36}{header}", file=out)
    for score in scores:
        cells = "".join(f"{getattr(score, n).f1:>12.2f}" for n in FIELDS)
        print(f"{score.file[:34]:<36}{cells}", file=out)
    for label, attr in (("合计 F1", "f1"), ("合计 精确率", "precision"), ("合计 召回率", "recall")):
        cells = "".join(f"{getattr(total[n], attr):>12.3f}" for n in FIELDS)
        print(f"{label:<34}{cells}", file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reportlens", description="报告透视：中文工作报告的结构与关键词分析")
    sub = parser.add_subparsers(dest="command", required=True)
    library_help = "资料库文件（默认：环境变量 REPORTLENS_LIBRARY，否则用户数据目录下的 reportlens/library.sqlite3）"
    outline = sub.add_parser("outline", help="输出每份报告的结构（标题层级、问题、措施）")
    outline.add_argument("files", nargs="+", help="报告文件（txt/docx/pdf/doc）")
    outline.add_argument("--json", action="store_true", help="每个文件输出一行 JSON（JSON Lines）")
    outline.add_argument("--raw", action="store_true", help="不应用资料库中的结构校对，输出解析器自己的结果")
    outline.add_argument("--library", metavar="FILE", help=f"读取结构校对的{library_help}")
    outline.set_defaults(func=cmd_outline)
    keywords = sub.add_parser("keywords", help="输出关键词频次表")
    keywords.add_argument("files", nargs="+", help="报告文件（txt/docx/pdf/doc）")
    keywords.add_argument("--role", choices=list(ROLE_CODES))
    keywords.add_argument("--top", type=int, default=CLI_TOP_TERMS, help=f"显示前 N 个词（默认 {CLI_TOP_TERMS}）")
    keywords.set_defaults(func=cmd_keywords)

    add_library_commands(sub, library_help=library_help)
    evaluation = sub.add_parser("eval", help="用人工标注检验结构解析：一级标题、角色、问题、措施的 F1")
    evaluation.add_argument("gold", help="标注文件（JSON，如 ../shared/gold/dev.json）")
    evaluation.add_argument("--json", action="store_true", help="每份报告一行 JSON，最后一行为合计")
    evaluation.set_defaults(func=cmd_eval)
    add_insight_commands(sub, library_help=library_help, wrap=library_command, open_library=open_from_args)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args, out or sys.stdout))


if __name__ == "__main__":
    sys.exit(main())
