"""The `reportlens` command: outline as JSON Lines and as text, keywords, errors in Chinese with exit 1."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from conftest import SEEDS

from reportlens.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_outline_json_on_the_seeds_in_input_order(gold_reports: list[dict]) -> None:
    files = [str(SEEDS / g["file"]) for g in gold_reports]
    code, out = run("outline", *files, "--json")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in records] == files
    for record, gold in zip(records, gold_reports, strict=True):
        assert [s["heading"] for s in record["sections"] if not s["implicit"]] == gold["level1"]
        assert [p["title"] for p in record["problems"]] == gold["problems"]
        assert [m["title"] for m in record["measures"]] == gold["measures"]
        assert record["year"] in (2022, 2023) and record["year_evidence"]
        for item in record["problems"] + record["measures"]:
            assert {"title", "text", "start", "end", "children"} <= item.keys()
            assert item["start"] < item["end"]


def test_unreadable_file_gives_error_line_and_exit_1(tmp_path) -> None:
    empty = tmp_path / "空文件.txt"
    empty.write_bytes(b"")
    code, out = run("outline", str(empty), str(SEEDS / "000_7a487edf544597e7.txt"), "--json")
    assert code == 1
    first, second = (json.loads(line) for line in out.splitlines())
    assert first == {"file": str(empty), "error": first["error"]} and "文件为空" in first["error"]
    assert second["title"] == "党风廉政建设工作情况报告"


def test_readable_outline() -> None:
    code, out = run("outline", str(SEEDS / "003_de37e5120c3870ed.txt"))
    assert code == 0
    assert "二、存在的问题  [存在问题]" in out
    assert "政策理论修养方面" in out and "1.1 主动学习自觉性不高" in out


def test_keywords_for_the_problems_part() -> None:
    code, out = run("keywords", str(SEEDS / "002_4b14bcfd66eb8c4e.txt"), "--role", "problems", "--top", "5")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 6
    assert all(int(line.split("\t")[1]) >= 1 for line in lines[1:])


def test_console_script_runs_without_traceback(tmp_path) -> None:
    bad = tmp_path / "x.png.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    proc = subprocess.run(
        [sys.executable, "-m", "reportlens.cli", "outline", str(bad), "--json"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "error" in json.loads(proc.stdout)
