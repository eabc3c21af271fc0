"""A meeting pack as an Excel workbook (openpyxl): one sheet per chart or table with the data behind it, Chinese
headers, the header row frozen, sensible column widths, and the title and filters above the table.

Text from reports is untrusted: a cell whose text starts with = + - @ (or a tab or carriage return) is written
as plain text with Excel's quote prefix, so it is never taken for a formula (CSV/XLSX formula injection).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reportlens.export.content import Pack
from reportlens.safe_cells import starts_formula

SHEET_NAME_MAX = 31
# characters Excel forbids in a sheet name: 「[]:*?/\」
RE_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
WIDTH_MIN, WIDTH_MAX = 6, 60
HEADER_FILL = PatternFill("solid", fgColor="3B6EA5")
FONT_NAME = "微软雅黑"


def safe_text(value: object) -> tuple[object, bool]:
    """The value to write and whether it must be marked as text: strings starting like a formula are."""
    return value, starts_formula(value)


def _sheet_name(title: str, taken: set[str]) -> str:
    base = RE_SHEET_FORBIDDEN.sub("_", title).strip("'") or "表"
    name = base[:SHEET_NAME_MAX]
    k = 2
    while name in taken:
        suffix = f"_{k}"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        k += 1
    taken.add(name)
    return name


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool | np.bool_):
        return "是" if value else "否"
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()  # type: ignore[union-attr]
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return value


def xlsx_bytes(pack: Pack) -> bytes:
    """The pack's data as an .xlsx file: a sheet 「说明」 with the title slide's facts, then one sheet per
    section that has data (continued table slides share their first slide's sheet)."""
    book = Workbook()
    about = book.active
    about.title = "说明"
    about.append([pack.title])
    about["A1"].font = Font(name=FONT_NAME, bold=True, size=14)
    for fact, said in pack.facts:
        about.append([fact, said])
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 100
    taken = {"说明"}
    for section in pack.sections:
        if section.data.empty and "（续" in section.title:
            continue
        sheet = book.create_sheet(_sheet_name(section.title, taken))
        sheet.append([section.title])
        sheet.append([section.caption])
        sheet["A1"].font = Font(name=FONT_NAME, bold=True, size=13)
        sheet["A2"].font = Font(name=FONT_NAME, color="6B6B6B")
        header_row = 3
        frame = section.data
        for j, name in enumerate(frame.columns, 1):
            cell = sheet.cell(row=header_row, column=j, value=str(name))
            cell.font = Font(name=FONT_NAME, bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        widths = [_display_width(name) for name in frame.columns]
        for i, row in enumerate(frame.itertuples(index=False), header_row + 1):
            for j, raw in enumerate(row, 1):
                value, as_text = safe_text(_cell_value(raw))
                cell = sheet.cell(row=i, column=j)
                cell.value = value
                if as_text:
                    cell.data_type = "s"
                    cell.quotePrefix = True
                widths[j - 1] = max(widths[j - 1], _display_width(value))
        for j, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, WIDTH_MIN), WIDTH_MAX)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
