"""The `reportlens` command: outline as JSON Lines and as text, keywords, errors in Chinese with exit 1."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from conftest import SEEDS

from reportlens.cli import main
from reportlens.maintenance import add_correction


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


@pytest.mark.slow
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


def test_eval_scores_the_seeds_against_their_gold(gold_reports: list[dict]) -> None:
    from conftest import GOLD

    code, out = run("eval", str(GOLD), "--json")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in records[:-1]] == [g["file"] for g in gold_reports]
    pooled = records[-1]
    assert pooled["file"] == "(pooled)"
    for field in ("level1", "problems", "measures"):
        assert pooled[field]["f1"] == 1.0 and pooled[field]["gold"] == sum(len(g[field]) for g in gold_reports)
    code, table = run("eval", str(GOLD))
    assert code == 0 and "合计 F1" in table and "一级标题" in table


def test_eval_counts_misses_extras_and_takes_the_better_reading(tmp_path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "r.txt").write_text(
        "一、工作情况\n完成了任务。\n二、存在问题\n台账不全；制度不严。\n三、下一步打算\n一是加强学习。二是完善制度。", encoding="utf-8"
    )
    gold = {
        "reports": [
            {
                "file": "r.txt",
                "path": "texts/r.txt",
                "sections": [
                    {"heading": "一、工作情况", "role": "achievements"},
                    {"heading": "二、存在问题", "role": "problems"},
                    {"heading": "三、下一步打算", "role": "other"},  # a role the parse does not give
                ],
                "problems": ["台账不全", "制度不严", "队伍薄弱"],  # one the parse cannot find
                "measures": ["另一种读法"],
                "measures_alt": [["加强学习", "完善制度"]],  # the reading the parse gives
            }
        ]
    }
    (tmp_path / "gold").mkdir()
    gold_file = tmp_path / "gold" / "g.json"
    gold_file.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    code, out = run("eval", str(gold_file), "--json")
    assert code == 0
    report = json.loads(out.splitlines()[0])
    assert report["level1"]["f1"] == 1.0
    assert (report["roles"]["matched"], report["roles"]["gold"]) == (2, 3)
    assert (report["problems"]["matched"], report["problems"]["predicted"], report["problems"]["gold"]) == (2, 2, 3)
    assert report["misses"]["problems"] == ["队伍薄弱"]
    assert report["measures"]["f1"] == 1.0


def test_eval_of_a_file_that_is_no_gold_says_so_in_chinese(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    code, _ = run("eval", str(bad))
    assert code == 2


def test_outline_applies_the_library_corrections_unless_raw(tmp_path) -> None:
    from reportlens.corpus import load_seeds
    from reportlens.ingest import open_library
    from reportlens.structure.corrections import ROLE, Correction

    library_file = tmp_path / "lib.sqlite3"
    report = next(r for r in load_seeds() if r.file.startswith("004_"))
    library = open_library(library_file)
    add_correction(library, report.id, Correction(ROLE, "二、存在的问题与不足", "other"))
    library.close()
    seed_file = str(SEEDS / report.file)
    _, corrected = run("outline", seed_file, "--json", "--library", str(library_file))
    _, raw = run("outline", seed_file, "--json", "--library", str(library_file), "--raw")
    assert json.loads(corrected)["problems"] == [] and len(json.loads(raw)["problems"]) == 3
    assert "已应用人工校对 1 处" in json.loads(corrected)["confidence_evidence"]


HEAVY_MODULES = ("pandas", "plotly", "streamlit", "scipy", "sklearn", "jieba", "rjieba", "docx", "pypdf")
IMPORTED_AFTER = """
import json, sys
{run}
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def heavy_modules_after(run: str, tmp_path) -> list[str]:
    """Which heavy modules a fresh interpreter holds after running ``run`` (checked in ``sys.modules``)."""
    code = IMPORTED_AFTER.format(run=run, heavy=HEAVY_MODULES)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
        env={**os.environ, "REPORTLENS_LIBRARY": str(tmp_path / "library.sqlite3")},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # a fresh interpreter
def test_importing_the_command_line_loads_no_pandas_plotly_or_streamlit(tmp_path) -> None:
    assert heavy_modules_after("import reportlens.cli", tmp_path) == []


@pytest.mark.slow  # a fresh interpreter
def test_a_worker_process_prepares_a_file_without_pandas(tmp_path) -> None:
    """What a worker process imports and runs for a file (``prepare.prepare_chunk``): it starts in under half a
    second, not the second pandas would add to every import that starts one."""
    seed = SEEDS / "000_7a487edf544597e7.txt"
    run = (
        "from reportlens.prepare import _Job, load_tokenizer, prepare_chunk; from reportlens.readers import ReadLimits; "
        "from reportlens.tokenizers import TokenizerSpec; "
        f"job = _Job('a.txt', {str(seed)!r}, None, None, ReadLimits(), TokenizerSpec()); load_tokenizer((job,)); "
        "assert type(prepare_chunk((job,))[0]).__name__ == 'Prepared'"
    )
    assert "pandas" not in heavy_modules_after(run, tmp_path)


@pytest.mark.slow  # a library on disk and a fresh interpreter
def test_outline_of_a_text_file_starts_without_the_tokenizer_or_pandas(tmp_path) -> None:
    seed = SEEDS / "000_7a487edf544597e7.txt"
    # a library file that exists, so its corrections are looked up too (read with sqlite3 alone)
    assert main(["library", "--library", str(tmp_path / "library.sqlite3")], out=io.StringIO()) == 0
    run = (
        "import io; from reportlens.cli import main; out = io.StringIO(); "
        f"assert main(['outline', {str(seed)!r}], out=out) == 0 and '存在问题' in out.getvalue()"
    )
    assert heavy_modules_after(run, tmp_path) == []
