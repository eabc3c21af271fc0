"""Command line: ``reportlens outline`` and ``reportlens keywords`` (batch use, scripting, checking the engine),
``reportlens ingest`` and ``reportlens library`` (the persistent library); the insight commands
(``recurring``, ``coverage``, ``promises``, ``reuse``) live in ``insight_cli``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reportlens.corpus import Report, folder_metadata, make_report
from reportlens.errors import LibraryDamaged, ReportError
from reportlens.insight_cli import add_commands as add_insight_commands
from reportlens.labels import (
    CLI_TOP_TERMS,
    FILE_MAX_MB,
    FILE_MAX_PDF_PAGES,
    FILE_MAX_UNZIPPED_MB,
    ROLE_LABELS,
)
from reportlens.outline import Item, Outline, Section
from reportlens.readers import MB, ReadLimits, read_path
from reportlens.roles import ROLE_CODES
from reportlens.structure import parse_outline
from reportlens.workers import JobBudget

if TYPE_CHECKING:
    from reportlens.ingest import IngestResult
    from reportlens.store import Library



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


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是「{value}」")
    return number


def _budget(args: argparse.Namespace) -> JobBudget:
    """What each file may cost to read and parse, in its worker process (``--timeout``, ``--max-memory-mb``)."""
    return JobBudget(seconds=float(args.timeout), memory_mb=args.max_memory_mb)


def _read_limits(args: argparse.Namespace) -> ReadLimits:
    return ReadLimits(
        max_bytes=args.max_mb * MB, max_unzipped_bytes=args.max_unzipped_mb * MB, max_pdf_pages=args.max_pdf_pages
    )


LibraryCommand = Callable[[argparse.Namespace, TextIO], int]


def _silence_stdout() -> None:
    """Point stdout at the null device so that Python's final flush does not fail on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


INTERRUPTED = {
    "cmd_ingest": "已中断。已导入的报告都已完整保存；再次运行同一命令会接着导入其余文件。",
    "cmd_repair": "已中断。损坏的资料库没有改动；再次运行同一命令会重新开始重建。",
    "cmd_set_password": "已中断，密码没有修改。",
}


def _library_command(run: LibraryCommand) -> LibraryCommand:
    """Wrap a library command so that any error is one Chinese line on stderr, never a traceback."""

    def command(args: argparse.Namespace, out: TextIO) -> int:
        try:
            return int(run(args, out))
        except LibraryDamaged as err:
            from reportlens.repair import ways_out

            print(f"错误：{err}", file=sys.stderr)
            print("可以这样恢复：\n  " + "\n  ".join(ways_out(err.path)), file=sys.stderr)
            return 2
        except ReportError as err:
            print(f"错误：{err}", file=sys.stderr)
            return 2
        except BrokenPipeError:  # the reader of our output went away (e.g. `| head`): stop quietly
            _silence_stdout()
            return 0
        except KeyboardInterrupt:
            print(INTERRUPTED.get(run.__name__, "已中断。"), file=sys.stderr)
            return 130
        except Exception as err:  # a bug: say so plainly instead of a traceback
            print(f"内部错误（{type(err).__name__}）：操作未完成，资料库中已有的报告不受影响。请重试或报告此问题。",
                  file=sys.stderr)
            return 2

    return command


def _open(args: argparse.Namespace) -> Library:
    """The library of ``--library`` (or the default), telling on stderr when it is new or being updated."""
    from reportlens.ingest import open_library

    def refreshing(done: int, total: int) -> None:
        if done == 1:
            print(f"词典或解析规则已更新，正在重新分析资料库中的 {total} 份报告……", file=sys.stderr)

    library = open_library(args.library, seed=not args.no_seed, progress=refreshing)
    for warning in library.settings_warnings():
        print(f"警告：{warning}", file=sys.stderr)
    if library.created:
        seeded = f"，并载入了 {len(library)} 份示例报告（--no-seed 可跳过）" if len(library) else ""
        print(f"已新建资料库「{library.path}」{seeded}。", file=sys.stderr)
    return library


@_library_command
def cmd_ingest(args: argparse.Namespace, out: TextIO) -> int:
    from reportlens.ingest import ingest_paths

    library = _open(args)
    try:

        closed = False

        def show(done: int, total: int, result: IngestResult) -> None:
            nonlocal closed
            if closed:
                return
            if result.status == "ok":  # with what to know about how it was read, if anything
                line = f"ok  {result.file}  {result.title}" + (f"  {result.reason}" if result.reason else "")
            elif result.status == "duplicate":
                line = f"duplicate {result.file}"
            else:
                line = f"failed {result.file}: {result.reason}"
            try:
                print(line, file=out, flush=True)
            except BrokenPipeError:  # nobody reads the output any more; the files still go in
                closed = True
                if out is sys.stdout:
                    _silence_stdout()

        results = ingest_paths(
            args.paths, library, workers=args.workers, limits=_read_limits(args), budget=_budget(args), progress=show
        )
    finally:
        library.close()
    counts = {status: sum(r.status == status for r in results) for status in ("ok", "duplicate", "failed")}
    print(
        f"共 {len(results)} 个文件：导入 {counts['ok']}，重复 {counts['duplicate']}，失败 {counts['failed']}。"
        f"资料库：{library.path}",
        file=sys.stderr,
    )
    return 1 if counts["failed"] else 0


@_library_command
def cmd_library(args: argparse.Namespace, out: TextIO) -> int:
    import pandas as pd

    library = _open(args)
    try:
        frame = library.reports()
    finally:
        library.close()
    for row in frame.itertuples(index=False):
        year = None if pd.isna(row.year) else int(row.year)
        if args.json:
            record = {
                "id": row.report_id, "title": row.title, "year": year, "year_source": row.year_source,
                "unit": row.unit, "kind": row.kind, "file": row.file, "chars": int(row.chars),
                "sections": int(row.sections), "problems": int(row.problems), "measures": int(row.measures),
                "confidence": round(float(row.confidence), 2),
                "added_at": row.added_at,
            }
            print(json.dumps(record, ensure_ascii=False), file=out)
        else:
            shown = "未知" if year is None else f"{year}{'（推断）' if row.year_inferred else ''}"
            print(f"{row.report_id}  {shown:<8}  {row.title}  （{row.chars} 字，问题 {row.problems}，"
                  f"措施 {row.measures}）", file=out)
    if not args.json:
        print(f"共 {len(frame)} 份报告。资料库：{library.path}", file=out)
    return 0


@_library_command
def cmd_repair(args: argparse.Namespace, out: TextIO) -> int:
    from reportlens import repair
    from reportlens.paths import library_path
    from reportlens.store import Library

    path = library_path(args.library)
    try:
        with Library(path, create=False) as library:
            problems = library.check()
    except LibraryDamaged as err:
        problems = err.problems
    if not problems:
        print(f"资料库「{path}」完好，无需修复。", file=out)
        return 0
    print(f"资料库「{path}」已损坏：{'；'.join(problems[:3])}。", file=sys.stderr)
    if args.new:
        kept = repair.start_new(path)
        print(f"已把损坏的资料库改名保留为「{kept}」；下次使用时会新建资料库（并载入示例报告，--no-seed 可跳过）。", file=out)
        return 0
    print("正在用库中保存的报告原文重建资料库……", file=sys.stderr)
    result = repair.rebuild(path)
    lists = "、".join(result.settings) or "无（改用内置词表）"
    print(f"已重建资料库「{path}」：恢复报告 {result.recovered} 篇，原文无法读取 {len(result.lost)} 篇；"
          f"保留的词表：{lists}。损坏的文件改名保留为「{result.kept_as}」。", file=out)
    if result.corrections or result.corrections_lost:
        print(f"结构校对：保留 {result.corrections} 条，无法恢复 {result.corrections_lost} 条。", file=out)
    for report_id in result.lost:
        print(f"  无法恢复：{report_id}", file=out)
    return 1 if result.lost else 0


@_library_command
def cmd_set_password(args: argparse.Namespace, out: TextIO) -> int:
    import getpass

    from reportlens.access import ROLE_LABELS, Role, password_problem, save_password
    from reportlens.paths import library_path

    path = library_path(args.library)
    role: Role = "viewer" if args.viewer else "editor"
    name = ROLE_LABELS[role]
    if args.remove:
        written = save_password(path, role, None)
        print(f"已取消{name}密码（{written}）。", file=out)
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():  # getpass would echo it, with an English warning
        print("错误：请在终端中运行这个命令（输入密码时不显示），或用 --password-stdin 从管道读入密码。", file=sys.stderr)
        return 2
    else:
        password = getpass.getpass(f"新的{name}密码（输入时不显示）：")
        if password_problem(password) is None and getpass.getpass("再输入一遍：") != password:
            print("错误：两次输入的密码不一致，未修改。", file=sys.stderr)
            return 2
    written = save_password(path, role, password)
    print(f"已设置{name}密码：只保存了它的 scrypt 散列，在「{written}」。", file=out)
    return 0


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

    ingest = sub.add_parser("ingest", help="把报告文件或文件夹导入资料库")
    ingest.add_argument("paths", nargs="+", help="报告文件或文件夹（文件夹会递归导入，可附 metadata.csv）")
    ingest.add_argument("--library", metavar="FILE", help=library_help)
    ingest.add_argument("--workers", type=_positive, default=1, metavar="N", help="并行处理的进程数（默认 1）")
    ingest.add_argument("--max-mb", type=_positive, default=FILE_MAX_MB, metavar="N",
                        help=f"单个文件的大小上限，MB（默认 {FILE_MAX_MB}）")
    ingest.add_argument("--max-unzipped-mb", type=_positive, default=FILE_MAX_UNZIPPED_MB, metavar="N",
                        help=f"Word 文档解压后的大小上限，MB（默认 {FILE_MAX_UNZIPPED_MB}）")
    ingest.add_argument("--max-pdf-pages", type=_positive, default=FILE_MAX_PDF_PAGES, metavar="N",
                        help=f"PDF 页数上限（默认 {FILE_MAX_PDF_PAGES}）")
    budget = JobBudget()
    ingest.add_argument("--timeout", type=_positive, default=int(budget.seconds), metavar="SECONDS",
                        help=f"每个文件读取和分析的时间上限，秒（默认 {budget.seconds:g}；超时的文件记为失败）")
    ingest.add_argument("--max-memory-mb", type=_positive, default=budget.memory_mb, metavar="N",
                        help=f"每个文件读取和分析可用的内存上限，MB（默认 {budget.memory_mb}；Linux）")
    ingest.add_argument("--no-seed", action="store_true", help="新建资料库时不载入示例报告")
    ingest.set_defaults(func=cmd_ingest)
    library = sub.add_parser("library", help="列出资料库中的报告")
    library.add_argument("--library", metavar="FILE", help=library_help)
    library.add_argument("--json", action="store_true", help="每份报告输出一行 JSON（JSON Lines）")
    library.add_argument("--no-seed", action="store_true", help="新建资料库时不载入示例报告")
    library.set_defaults(func=cmd_library)
    repair = sub.add_parser("repair", help="检查资料库；已损坏时用库中保存的报告原文重建（或 --new 新建）")
    repair.add_argument("--library", metavar="FILE", help=library_help)
    repair.add_argument("--new", action="store_true", help="不重建：把损坏的资料库改名保留，下次使用时新建资料库")
    repair.set_defaults(func=cmd_repair)
    password = sub.add_parser("set-password", help="设置网页的编辑密码（或 --viewer 查看密码），只保存散列")
    password.add_argument("--library", metavar="FILE", help=library_help)
    password.add_argument("--viewer", action="store_true", help="设置查看密码（默认设置编辑密码）")
    password.add_argument("--remove", action="store_true", help="取消这个密码")
    password.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（用于脚本）")
    password.set_defaults(func=cmd_set_password)
    evaluation = sub.add_parser("eval", help="用人工标注检验结构解析：一级标题、角色、问题、措施的 F1")
    evaluation.add_argument("gold", help="标注文件（JSON，如 ../shared/gold/dev.json）")
    evaluation.add_argument("--json", action="store_true", help="每份报告一行 JSON，最后一行为合计")
    evaluation.set_defaults(func=cmd_eval)
    add_insight_commands(sub, library_help=library_help, wrap=_library_command, open_library=_open)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args, out or sys.stdout))


if __name__ == "__main__":
    sys.exit(main())
