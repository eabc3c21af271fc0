"""The library commands of ``reportlens``: ingest, library, repair, set-password — and ``library_command``, which
turns any error of a command that opens the library into one Chinese line on stderr (the insight commands use it
too)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from reportlens.errors import LibraryDamaged, ReportError
from reportlens.labels import FILE_MAX_MB, FILE_MAX_PDF_PAGES, FILE_MAX_UNZIPPED_MB
from reportlens.readers import MB, ReadLimits
from reportlens.workers import JobBudget

if TYPE_CHECKING:
    from reportlens.ingest import IngestResult
    from reportlens.store import Library


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


def library_command(run: LibraryCommand) -> LibraryCommand:
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


def open_from_args(args: argparse.Namespace) -> Library:
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


@library_command
def cmd_ingest(args: argparse.Namespace, out: TextIO) -> int:
    from reportlens.ingest import ingest_paths

    library = open_from_args(args)
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


@library_command
def cmd_library(args: argparse.Namespace, out: TextIO) -> int:
    import pandas as pd

    library = open_from_args(args)
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


@library_command
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


@library_command
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


def add_commands(sub: argparse._SubParsersAction, *, library_help: str) -> None:
    """Add ingest, library, repair and set-password to the ``reportlens`` parser's subcommands."""
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
