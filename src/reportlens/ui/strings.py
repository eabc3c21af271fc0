"""Every Chinese word the dashboard shows: roles, column names, palettes, page titles.

The package speaks English snake_case (``role="problems"``, column ``per_10k``); the labels here are applied
when something is rendered, by ``label()`` / ``label_frame()`` or by passing ``LABELS`` to a chart function.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from reportlens.labels import (  # re-exported: the pages take every label from here
    APP_TITLE as APP_TITLE,
)
from reportlens.labels import (
    CLOUD_SCOPE_LABELS as CLOUD_SCOPE_LABELS,
)
from reportlens.labels import (
    COLUMN_LABELS as COLUMN_LABELS,
)
from reportlens.labels import (
    ITEM_ROLE_LABELS as ITEM_ROLE_LABELS,
)
from reportlens.labels import (
    LABELS as LABELS,
)
from reportlens.labels import (
    MASK_LABELS as MASK_LABELS,
)
from reportlens.labels import (
    MEASURE_LABELS as MEASURE_LABELS,
)
from reportlens.labels import (
    PAGE_TITLES as PAGE_TITLES,
)
from reportlens.labels import (
    PALETTE_LABELS as PALETTE_LABELS,
)
from reportlens.labels import (
    ROLE_FILTER_LABELS as ROLE_FILTER_LABELS,
)
from reportlens.labels import (
    ROLE_LABELS as ROLE_LABELS,
)
from reportlens.labels import (
    SECTION_TITLES as SECTION_TITLES,
)
from reportlens.labels import (
    STATUS_LABELS as STATUS_LABELS,
)
from reportlens.labels import (
    THEME_UNIT_LABELS as THEME_UNIT_LABELS,
)
from reportlens.labels import (
    VALUE_LABELS as VALUE_LABELS,
)
from reportlens.labels import (
    YEAR_SOURCE_LABELS as YEAR_SOURCE_LABELS,
)

ALL_REPORTS = "全部报告"

NOTHING_SELECTED = "当前筛选没有选中任何报告。请在左侧边栏选择报告，或放宽年份范围。"
EMPTY_LIBRARY = "资料库中还没有报告。请在「语料管理」页导入报告文件。"
NOTHING_IN_ROLE = "所选报告中没有「{role}」部分的文字。请换一个部分，或在左侧选择“全部”。"
DOWNLOAD_DATA = "下载数据"
DOWNLOAD_CLOUD = "下载高清 PNG"  # the word cloud at four times the screen size, its heading on top
PART_FILTER = "报告部分"  # the sidebar's choice of the part of the reports
PALETTE_FILTER = "图表配色"
# What a viewer may not do on each page (「只有编辑者才能……」)
EDIT_ACTIONS: dict[str, str] = {
    "library": "导入、修改或删除报告",
    "dictionary": "保存词表",
    "structure": "校对结构",
    "repair": "修复资料库",
}
WHOLE_TEXT = "全文"  # the part named in a view's subtitle when every part is shown

# Columns that only the program needs (ids, offsets): left out of tables and CSVs a reader gets.
INTERNAL_COLUMNS = frozenset(
    {"report_id", "item_id", "section_path", "parent_path", "offset", "start", "end", "implicit", "file_id"}
)
FRACTION_COLUMNS = frozenset({"share", "coverage", "similarity"})  # 0–1 values: three decimals
DECIMALS = 2  # every other number with a fraction: two decimals (40.38655704601183 → 40.39)
BOOLEAN_LABELS = {True: "是", False: "否"}
SIMILARITY_NOTE = (
    "相似度按字面计算（0 到 1）：两段文字共有的二字、三字词组越多、越少见，相似度越高；标题和全文各占一半。"
    "表中列出共同的词，可据此判断是否真的相关。"
)
PAGE_FAILED = "这一页出错了，没能显示完整。错误详情已记录在服务器日志中；请刷新页面重试，如仍出错请告诉管理员。"


def label(key: str, mapping: Mapping[str, str] = LABELS) -> str:
    """The Chinese label of ``key`` (a column, role or option name), or ``key`` itself when there is none."""
    return mapping.get(key, key)


def part_label(role: str) -> str:
    """The part a view shows, for its subtitle: 「全文」 for every part, else the role's label (「存在问题」)."""
    return WHOLE_TEXT if role == "all" else ROLE_LABELS.get(role, role)


def export_frame(frame: pd.DataFrame, *, for_file: bool = False) -> pd.DataFrame:
    """``frame`` as a reader gets it: without the program's ids and offsets (``INTERNAL_COLUMNS``), numbers
    rounded (``DECIMALS``; fractions to three), Chinese headers and codes (``label_frame``). On screen reports
    are named by their short name and true/false stays a tick box; in a file (``for_file``: a CSV) reports are
    named by their full title (``report_title``, as ``selection.with_names`` adds it) and true/false is 是/否."""
    out = frame.drop(columns=[c for c in frame.columns if c in INTERNAL_COLUMNS])
    if "report_title" in out.columns:
        if for_file and "report" in out.columns:
            out["report"] = out["report_title"]
        out = out.drop(columns="report_title")
    for column in out.columns:
        values = out[column]
        if for_file and pd.api.types.is_bool_dtype(values):
            out[column] = values.map(BOOLEAN_LABELS)
        elif pd.api.types.is_float_dtype(values):
            out[column] = values.round(3 if column in FRACTION_COLUMNS else DECIMALS)
    return label_frame(out)


def label_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for display: Chinese column names, Chinese role and year-status values."""
    out = frame.copy()
    for column, names in VALUE_LABELS.items():
        if column in out.columns:
            out[column] = out[column].map(lambda v, names=names: names.get(v, v) if isinstance(v, str) else v)
    return out.rename(columns=lambda c: COLUMN_LABELS.get(c, c))
