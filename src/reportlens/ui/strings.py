"""Every Chinese word the dashboard shows: roles, column names, palettes, page titles.

The package speaks English snake_case (``role="problems"``, column ``per_10k``); the labels here are applied
when something is rendered, by ``label()`` / ``label_frame()`` or by passing ``LABELS`` to a chart function.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from reportlens import roles

ROLE_LABELS: dict[str, str] = dict(roles.ROLE_LABELS)

# The role filter: "all" or one of the parts whose items a reader compares.
ROLE_FILTER_LABELS: dict[str, str] = {"all": "全部"} | {code: roles.ROLE_LABELS[code] for code in roles.ITEM_ROLES}

ITEM_ROLE_LABELS: dict[str, str] = dict(roles.ITEM_LABELS)

PALETTE_LABELS: dict[str, str] = {"calm": "素雅", "red": "公文红"}
MASK_LABELS: dict[str, str] = {"none": "矩形", "rounded": "圆角矩形", "circle": "圆形"}
THEME_UNIT_LABELS: dict[str, str] = {"items": "条目数", "sentences": "句数"}
MEASURE_LABELS: dict[str, str] = {"count": "出现次数", "per_10k": "每万字频次"}
CLOUD_SCOPE_LABELS: dict[str, str] = {"selection": "当前筛选", "report": "单篇报告", "role": "按部分"}
STATUS_LABELS: dict[str, str] = {"ok": "成功", "duplicate": "重复", "failed": "失败"}
YEAR_SOURCE_LABELS: dict[str, str] = {
    "metadata": "元数据",
    "title": "标题",
    "filename": "文件名",
    "dateline": "落款日期",
    "text": "正文",
    "inferred": "推断",
    "unknown": "不详",
}

COLUMN_LABELS: dict[str, str] = {
    "report_id": "报告编号",
    "title": "标题",
    "short_name": "简称",
    "short": "简称",
    "report_title": "报告标题",
    "report": "报告",
    "year": "年份",
    "year_label": "年份",
    "year_source": "年份来源",
    "year_evidence": "年份依据",
    "year_inferred": "年份推断",
    "year_stated": "年份明确",
    "unit": "单位",
    "kind": "类型",
    "chars": "字数",
    "file": "文件",
    "sections": "章节数",
    "achievements": "成绩条数",
    "problems": "问题条数",
    "measures": "措施条数",
    "structure": "结构可信度",
    "confidence": "结构可信度",
    "confidence_evidence": "可信度依据",
    "section_path": "章节",
    "heading": "章节",
    "outline": "提纲",
    "level": "层级",
    "role": "部分",
    "items": "条目数",
    "share": "占比",
    "term": "词语",
    "count": "次数",
    "per_10k": "每万字频次",
    "target_count": "本篇次数",
    "reference_count": "其余次数",
    "log_likelihood": "特色程度",
    "log_ratio": "对数比",
    "left": "前文",
    "keyword": "关键词",
    "right": "后文",
    "offset": "位置",
    "item_id": "条目编号",
    "number": "序号",
    "text": "内容",
    "theme": "主题",
    "themes": "涉及主题",
    "answered": "已回应",
    "unanswered": "未见明确回应",
    "coverage": "回应比例",
    "similarity": "相似度",
    "reports": "报告数",
    "sentences": "句数",
    "status": "结果",
    "reason": "原因",
    "added_at": "导入时间",
    "tokens": "分词结果",
    "content": "计入统计的词",
    "dictionary": "词典",
    # the cross-report insights (analysis.recurring / coverage / promises / reuse)
    "group": "组",
    "group_label": "组名（最有代表性的一条）",
    "years": "出现年份",
    "first_year": "首次出现",
    "last_year": "最近出现",
    "score": "相似度",
    "words": "共同的词",
    "centrality": "与组内其他条目的相似度",
    "measure_number": "措施序号",
    "measure_title": "最接近的措施",
    "evidence": "措施中最相近的一句",
    "delivered": "有下文",
    "match": "后一篇中的对应内容",
    "place": "所在部分",
    "variants": "不同写法",
    "recycled_chars": "重复字数",
    "where": "出现在",
    "not_delivered": "未见下文",
}

# Everything a chart function may need to name: columns, roles and item kinds.
LABELS: dict[str, str] = {**COLUMN_LABELS, **ROLE_LABELS}

# Columns whose values are codes a reader should see in Chinese.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "role": ROLE_LABELS,
    "year_source": YEAR_SOURCE_LABELS,
    "status": STATUS_LABELS,
}

APP_TITLE = "报告透视"
PAGE_TITLES: dict[str, str] = {
    "overview": "总览",
    "structure": "结构",
    "keywords": "关键词",
    "problems": "问题与措施",
    "library": "语料管理",
    "dictionary": "词典与停用词",
    "recurring": "反复出现的问题",
    "promises": "承诺与落实",
    "reuse": "套话与重复",
}
SECTION_TITLES: dict[str, str] = {"analysis": "分析", "library": "资料库"}
ALL_REPORTS = "全部报告"

NOTHING_SELECTED = "当前筛选没有选中任何报告。请在左侧边栏选择报告，或放宽年份范围。"
EMPTY_LIBRARY = "资料库中还没有报告。请在「语料管理」页导入报告文件。"
NOTHING_IN_ROLE = "所选报告中没有「{role}」部分的文字。请换一个部分，或在左侧选择“全部”。"
DOWNLOAD_DATA = "下载数据"
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
