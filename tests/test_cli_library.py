"""``reportlens ingest`` and ``reportlens library``: one line per file, exit 1 after a failure (the rest still
goes in), JSON Lines listing, limits from the command line, Chinese errors and never a traceback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS, corpus_files

from reportlens.cli import main
from reportlens.corpus import load_seeds
from reportlens.paths import LIBRARY_ENV
from reportlens.store import Library

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def province() -> Path:
    """The first report of ../shared/corpora/provinces-2026 (the test skips without ../shared)."""
    return corpus_files("provinces-2026/*.txt")[0]


def run(*argv: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue().splitlines()


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportlens.cli", *argv],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )


def test_ingest_prints_one_line_per_file_and_fails_after_the_rest(tmp_path: Path) -> None:
    PROVINCE = province()
    db = tmp_path / "lib.sqlite3"
    empty = tmp_path / "空白 文件.txt"
    empty.write_bytes(b"")
    code, lines = run("ingest", str(SEED_FILES[0]), str(empty), str(PROVINCE), "--library", str(db), "--no-seed")
    assert code == 1
    assert lines == [
        f"ok  {SEED_FILES[0]}  党风廉政建设工作情况报告",
        f"failed {empty}: {lines[1].split(': ', 1)[1]}",
        f"ok  {PROVINCE}  2026年上海市政府工作报告",
    ]
    assert "文件为空" in lines[1]
    code, lines = run("ingest", str(SEED_FILES[0]), str(PROVINCE), "--library", str(db))
    assert code == 0 and lines == [f"duplicate {SEED_FILES[0]}", f"duplicate {PROVINCE}"]
    library = Library(db)
    assert len(library) == 2 and library.check() == []
    library.close()


def test_library_json_lines(tmp_path: Path) -> None:
    PROVINCE = province()
    db = tmp_path / "lib.sqlite3"
    code, lines = run("library", "--library", str(db), "--json")  # first use: the seeds are loaded
    assert code == 0
    records = [json.loads(line) for line in lines]
    seeds = load_seeds()
    assert [r["id"] for r in records] == [r.id for r in seeds]
    assert [r["title"] for r in records] == [r.title for r in seeds]
    for record, report in zip(records, seeds, strict=True):
        assert {"id", "title", "year", "file", "chars", "sections", "problems", "measures"} <= record.keys()
        assert record["year"] == report.year and record["chars"] == report.chars and record["file"] == report.file
        assert record["sections"] > 0 and record["problems"] >= 2 and record["measures"] >= 2
    code, lines = run("ingest", str(PROVINCE), "--library", str(db), "--workers", "2")
    assert code == 0 and len(lines) == 1
    code, lines = run("library", "--library", str(db), "--json")
    assert len(lines) == 6 and json.loads(lines[-1])["year"] == 2026
    code, lines = run("library", "--library", str(db))
    assert lines[-1].startswith("共 6 份报告") and "2026年上海市政府工作报告" in lines[-2]


def test_no_seed_gives_an_empty_library(tmp_path: Path) -> None:
    code, lines = run("library", "--library", str(tmp_path / "empty.sqlite3"), "--json", "--no-seed")
    assert code == 0 and lines == []


def test_size_limit_on_the_command_line(tmp_path: Path) -> None:
    big = tmp_path / "大报告.txt"
    big.write_bytes((SEED_FILES[2].read_bytes() + b"\n") * 80)  # about 2.2 MB
    db = str(tmp_path / "lib.sqlite3")
    code, lines = run("ingest", str(big), "--library", db, "--no-seed", "--max-mb", "1")
    assert code == 1 and "文件太大" in lines[0] and "超过了 1 MB 的上限" in lines[0]
    code, lines = run("ingest", str(big), "--library", db, "--max-mb", "3")
    assert code == 0 and lines[0].startswith(f"ok  {big}  ")


def test_environment_variable_names_the_library(tmp_path: Path) -> None:
    PROVINCE = province()
    db = tmp_path / "from-env.sqlite3"
    env = {**os.environ, LIBRARY_ENV: str(db)}
    done = cli("ingest", str(PROVINCE), "--no-seed", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"ok  {PROVINCE}") and str(db) in done.stderr
    listed = cli("library", "--json", env=env)
    assert [json.loads(line)["file"] for line in listed.stdout.splitlines()] == [PROVINCE.name]


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (lambda p: p.write_text("这不是数据库。" * 500, encoding="utf-8"), "已损坏（文件头无法识别：它不是报告透视的资料库"),
        (lambda p: p.mkdir(), "是一个文件夹"),
    ],
)
def test_a_bad_library_is_one_chinese_line_not_a_traceback(tmp_path: Path, make, phrase: str) -> None:
    bad = tmp_path / "bad.sqlite3"
    make(bad)
    for argv in (("ingest", str(SEED_FILES[0])), ("library", "--json")):
        done = cli(*argv, "--library", str(bad))
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.startswith("错误：") and phrase in done.stderr
        assert "Traceback" not in done.stderr


def test_hostile_files_never_print_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bomb.docx").write_bytes(b"PK\x03\x04" + os.urandom(3000))
    (folder / "random.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(5000))
    (folder / "x.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(5000))
    (folder / "good.txt").write_bytes(SEED_FILES[4].read_bytes())
    done = cli("ingest", str(folder), "--library", str(tmp_path / "lib.sqlite3"), "--no-seed", "--workers", "2")
    assert done.returncode == 1
    statuses = [line.split()[0] for line in done.stdout.splitlines()]
    assert statuses == ["failed", "ok", "failed", "failed"]  # bomb.docx, good.txt, random.pdf, x.doc
    assert "Traceback" not in done.stderr and "共 4 个文件：导入 1，重复 0，失败 3" in done.stderr


def test_a_bug_is_a_chinese_line_per_file_not_a_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    from reportlens import library_cli, prepare

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug in the engine")

    monkeypatch.setattr(prepare, "derive_batch", broken)
    monkeypatch.setattr(prepare, "derive", broken)
    monkeypatch.setattr(library_cli, "_budget", lambda args: None)  # the engine is broken in this process only
    out = io.StringIO()
    code = main(["ingest", str(SEED_FILES[0]), "--library", str(tmp_path / "l.sqlite3"), "--no-seed"], out=out)
    assert code == 1 and out.getvalue() == f"failed {SEED_FILES[0]}: {prepare.UNEXPECTED}\n"
    err = capsys.readouterr().err
    assert "Traceback" not in err and "ZeroDivisionError" not in err


def test_bad_arguments_are_refused_by_argparse(tmp_path: Path) -> None:
    done = cli("ingest", str(SEED_FILES[0]), "--workers", "0", "--library", str(tmp_path / "l.sqlite3"))
    assert done.returncode == 2 and "应为正整数" in done.stderr and "Traceback" not in done.stderr
