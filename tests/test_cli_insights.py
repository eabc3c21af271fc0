"""``reportlens recurring / coverage / promises / reuse``: JSON Lines with exactly the fields the issue names,
files or the library, Chinese errors and never a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import SEEDS

from reportlens.cli import main

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))


def run(*argv: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue().splitlines()


def test_recurring_json_lines_on_the_seeds():
    code, lines = run("recurring", *SEED_FILES, "--json")
    assert code == 0
    groups = [json.loads(line) for line in lines]
    assert all(set(g) == {"label", "members", "years", "score"} for g in groups)
    assert all(set(m) == {"file", "item", "year"} for g in groups for m in g["members"])
    wenlv = next(g for g in groups if "文旅为民" in g["label"])
    assert {m["file"] for m in wenlv["members"]} == {SEED_FILES[0], SEED_FILES[4]}
    assert wenlv["years"] == [2022, 2023] and 0.1 <= wenlv["score"] <= 1


def test_recurring_measures_with_a_stricter_threshold():
    _, loose = run("recurring", *SEED_FILES, "--role", "measures", "--json")
    _, strict = run("recurring", *SEED_FILES, "--role", "measures", "--threshold", "0.3", "--json")
    assert 0 < len(strict) < len(loose)
    learning = [json.loads(line) for line in strict if "加强学习" in json.loads(line)["label"]]
    assert learning and {m["item"] for m in learning[0]["members"]} == {"加强学习，提高认识"}


def test_reuse_json_lines_name_the_files():
    code, lines = run("reuse", *SEED_FILES, "--json")
    assert code == 0
    passages = [json.loads(line) for line in lines]
    assert all(set(p) == {"text", "files", "count"} for p in passages)
    lever = next(p for p in passages if p["text"] == "把推动问题及时解决作为强化宗旨意识和推动文旅工作发展的重要抓手")
    assert lever["files"] == [SEED_FILES[2], SEED_FILES[3]] and lever["count"] == 5
    assert all(p["count"] >= 2 for p in passages)


def test_coverage_and_promises_on_the_seeds():
    code, lines = run("coverage", *SEED_FILES, "--json")
    assert code == 0
    answers = [json.loads(line) for line in lines]
    assert len(answers) == 17 and {a["file"] for a in answers} == set(SEED_FILES)
    eight = next(a for a in answers if a["problem"].startswith("贯彻执行中央八项规定精神"))
    assert eight["answered"] and eight["measure"].startswith("融合提升") and "中央八项规定精神" in eight["words"]
    code, lines = run("promises", SEED_FILES[0], SEED_FILES[4], "--json")  # given later first
    assert code == 0
    promises = [json.loads(line) for line in lines]
    assert {p["earlier"] for p in promises} == {SEED_FILES[4]} and len(promises) == 4
    assert promises[1]["match"] == "未见下文" and promises[1]["place"] is None


def test_text_output_is_readable_chinese():
    code, lines = run("recurring", *SEED_FILES)
    assert code == 0 and lines[0].startswith("第 1 组：") and lines[-1].startswith("共 2 组反复出现的问题")
    code, lines = run("reuse", *SEED_FILES, "--top", "2")
    assert code == 0 and lines[0].endswith("作为干事行动指南") and "各报告中重复文字的占比" in lines[2]


def test_the_library_is_read_when_no_file_is_given(tmp_path: Path):
    db = str(tmp_path / "lib.sqlite3")
    code, lines = run("recurring", "--library", db, "--json")  # a new library starts with the seeds
    assert code == 0
    assert any("文旅为民" in json.loads(line)["label"] for line in lines)
    code, lines = run("promises", "--library", db, "--json")  # every same-unit consecutive pair
    assert code == 0 and {json.loads(line)["later"] for line in lines} == {"000_7a487edf544597e7.txt"}


def test_bad_input_is_a_chinese_message(tmp_path: Path, capsys):
    code, _ = run("recurring", *SEED_FILES, "--threshold", "1.5")
    assert code == 2 and "相似度门槛应在" in capsys.readouterr().err
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    code, lines = run("reuse", str(empty), SEED_FILES[2], SEED_FILES[3], "--json")
    assert code == 1
    assert json.loads(lines[0]) == {"file": str(empty), "error": json.loads(lines[0])["error"]}
    assert "文件为空" in json.loads(lines[0])["error"] and len(lines) > 1  # the other files are still analysed
    code, _ = run("promises", SEED_FILES[0], "--json")
    assert code == 2 and "两份" in capsys.readouterr().err
    code, _ = run("coverage", str(empty))
    assert code == 2 and "没有可以分析的报告" in capsys.readouterr().err
    code, _ = run("promises", SEED_FILES[0], SEED_FILES[0])
    assert code == 2  # one report given twice
    same_unit_pair = run("promises", SEED_FILES[1], SEED_FILES[2], "--json")
    assert same_unit_pair[0] == 0
    assert "注意" in capsys.readouterr().err  # 001 and 002 are of one year: the note says so
