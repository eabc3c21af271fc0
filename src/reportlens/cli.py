"""Command line: ``reportlens outline`` and ``reportlens keywords`` (batch use, scripting, checking the engine)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from reportlens.corpus import METADATA_FILE, Report, make_report, read_metadata
from reportlens.errors import ReportError
from reportlens.outline import Item, Outline, Section
from reportlens.readers import read_path
from reportlens.structure import parse_outline

ROLE_LABELS = {
    "preamble": "导语",
    "achievements": "工作成绩",
    "problems": "存在问题",
    "measures": "措施打算",
    "other": "其他",
}


def load_report(path: str) -> Report:
    """Read one file into a Report, taking its row of a metadata.csv beside it if there is one."""
    file = Path(path)
    text = read_path(file)
    meta = read_metadata(file.parent / METADATA_FILE).get(file.name)
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
    heading = section.heading or "（未标题部分）"
    print(f"{'  ' * depth}{heading}  [{ROLE_LABELS.get(section.role, section.role)}]", file=out)
    if depth < 3:
        for child in section.children:
            _print_section(child, out, depth + 1)


def print_outline(path: str, report: Report, outline: Outline, out: TextIO) -> None:
    year = "未知" if report.year is None else f"{report.year}{'（推断）' if report.year_inferred else ''}"
    print(f"{path}\n  标题：{report.title}\n  年份：{year}  依据：{report.year_evidence}", file=out)
    print("  结构：", file=out)
    for section in outline.sections:
        _print_section(section, out, 2)
    _print_items("存在问题", outline.problems, out)
    _print_items("措施打算", outline.measures, out)
    print(file=out)


def cmd_outline(args: argparse.Namespace, out: TextIO) -> int:
    status = 0
    for path in args.files:
        try:
            report = load_report(path)
        except ReportError as err:
            status = 1
            if args.json:
                print(json.dumps({"file": path, "error": str(err)}, ensure_ascii=False), file=out)
            else:
                print(f"{path}\n  错误：{err}\n", file=out)
            continue
        outline = parse_outline(report.text)
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
    for path in args.files:
        try:
            report = load_report(path)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reportlens", description="报告透视：中文工作报告的结构与关键词分析")
    sub = parser.add_subparsers(dest="command", required=True)
    outline = sub.add_parser("outline", help="输出每份报告的结构（标题层级、问题、措施）")
    outline.add_argument("files", nargs="+", help="报告文件（txt/docx/pdf/doc）")
    outline.add_argument("--json", action="store_true", help="每个文件输出一行 JSON（JSON Lines）")
    outline.set_defaults(func=cmd_outline)
    keywords = sub.add_parser("keywords", help="输出关键词频次表")
    keywords.add_argument("files", nargs="+", help="报告文件（txt/docx/pdf/doc）")
    keywords.add_argument("--role", choices=["preamble", "achievements", "problems", "measures", "other"])
    keywords.add_argument("--top", type=int, default=30, help="显示前 N 个词（默认 30）")
    keywords.set_defaults(func=cmd_keywords)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args, out or sys.stdout))


if __name__ == "__main__":
    sys.exit(main())
