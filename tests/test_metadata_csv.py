"""A metadata.csv beside the reports, as people really save it: Excel on Chinese Windows writes GBK, not UTF-8.
It is decoded as the text readers decode a .txt (``readers.decode_text``); one that cannot be read is said, in
Chinese, by every command that meets it — never a traceback, never silently ignored.

The folders and tables are generated here from the seeds.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import SEEDS

from reportlens.corpus import METADATA_FILE, read_metadata
from reportlens.errors import ReportError
from reportlens.ingest import ingest_paths
from reportlens.store import Library

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

SEED = sorted(SEEDS.glob("*.txt"))[0]
TITLE = "关于二〇二四年度党风廉政建设工作的情况报告（元数据中的标题）"
UNIT = "某某市应急管理局"


def table(encoding: str, *, bom: bytes = b"") -> bytes:
    """A metadata table naming the seed's title, year and unit, in ``encoding``, as a spreadsheet saves it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["file", "title", "year", "unit", "kind"])
    writer.writerow([SEED.name, TITLE, "2024", UNIT, "工作总结"])
    return bom + buffer.getvalue().encode(encoding)


def folder_with(tmp_path: Path, data: bytes) -> Path:
    folder = tmp_path / "报告"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / METADATA_FILE).write_bytes(data)
    return folder


def outline_json(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportlens.cli", "outline", *argv, "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


ENCODINGS = {
    "gbk (Excel on Chinese Windows)": table("gbk"),
    "gb18030": table("gb18030"),
    "utf-8": table("utf-8"),
    "utf-8 with BOM (Excel's CSV UTF-8)": table("utf-8", bom=b"\xef\xbb\xbf"),
    "utf-16 with BOM (Excel's Unicode text)": table("utf-16"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_read_metadata_decodes_as_the_text_readers_do(tmp_path: Path, encoding: str) -> None:
    folder = folder_with(tmp_path, ENCODINGS[encoding])
    row = read_metadata(folder / METADATA_FILE)[SEED.name]
    assert (row["title"], row["year"], row["unit"]) == (TITLE, "2024", UNIT)


@pytest.mark.parametrize("encoding", ["gbk (Excel on Chinese Windows)", "utf-16 with BOM (Excel's Unicode text)"])
def test_outline_takes_the_title_from_a_gbk_metadata_csv(tmp_path: Path, encoding: str) -> None:
    folder = folder_with(tmp_path, ENCODINGS[encoding])
    done = outline_json(str(folder / SEED.name))
    assert done.returncode == 0 and "Traceback" not in done.stderr and not done.stderr
    record = json.loads(done.stdout)
    assert (record["title"], record["year"], record["year_inferred"]) == (TITLE, 2024, False)


def test_ingest_takes_the_metadata_from_a_gbk_metadata_csv(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, ENCODINGS["gbk (Excel on Chinese Windows)"])
    with Library(tmp_path / "library.sqlite3") as library:
        [result] = ingest_paths([folder], library)
        assert result.status == "ok"
        report = library.report(result.report_id)
        assert (report.title, report.year, report.unit, report.year_source) == (TITLE, 2024, UNIT, "metadata")


UNREADABLE = {
    "binary junk": (bytes(range(256)) * 8, "不是可读的文字表格"),
    "no file column": ("标题,年份\n某报告,2023\n".encode("gbk"), "没有 file 列"),
    "a NUL inside": (table("utf-8").replace(b"2024", b"20\x0024"), "不是可读的文字表格"),
    "a field over the csv module's limit": (b"file,title\n" + b"a.txt," + "很长".encode() * 70_000 + b"\n", "不是有效的 CSV 表格"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_an_unreadable_metadata_csv_is_said_by_outline(tmp_path: Path, case: str) -> None:
    data, message = UNREADABLE[case]
    folder = folder_with(tmp_path, data)
    with pytest.raises(ReportError, match=message):
        read_metadata(folder / METADATA_FILE)
    done = outline_json(str(folder / SEED.name))
    assert done.returncode == 0, done.stderr  # the report itself is fine: its outline, with inferred metadata
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("警告：元数据文件") and message in done.stderr and "按正文推断" in done.stderr
    assert json.loads(done.stdout)["title"] != TITLE


@pytest.mark.parametrize("case", ["binary junk", "no file column"])
def test_an_unreadable_metadata_csv_is_a_failed_line_of_ingest(tmp_path: Path, case: str) -> None:
    data, message = UNREADABLE[case]
    folder = folder_with(tmp_path, data)
    with Library(tmp_path / "library.sqlite3") as library:
        note, result = ingest_paths([folder], library)
    assert (note.file, note.status) == (str(folder / METADATA_FILE), "failed") and message in note.reason
    assert result.status == "ok"  # the report is in, with what the text says


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_called_metadata_csv_does_not_block(tmp_path: Path) -> None:
    folder = tmp_path / "报告"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    os.mkfifo(folder / METADATA_FILE)
    finished = threading.Event()
    outcome: list[object] = []

    def run() -> None:
        try:
            read_metadata(folder / METADATA_FILE)
        except ReportError as err:
            outcome.append(err)
        finished.set()

    threading.Thread(target=run, daemon=True).start()
    if not finished.wait(10):
        with open(folder / METADATA_FILE, "wb"):  # let the blocked reader go before failing
            pass
        pytest.fail("reading a named pipe called metadata.csv blocked")
    assert outcome and "不是普通文件" in str(outcome[0])
