"""The Chinese names and the limits the command line and the dashboard share, in one place and without Streamlit:
role labels and choices (built from the role registry ``roles``), option labels, column names, page titles, and
the numbers both offer as defaults or bounds (what one file may cost to read, how many terms a view lists).

``ui/strings.py`` re-exports the labels for the pages; the CLI (``cli.py``, ``insight_cli.py``) takes its
choices, defaults and help texts from here, so the two never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    "term_a": "词语甲",
    "term_b": "词语乙",
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


# The roles the cross-report insights (recurring items, coverage) compare: the page's radio and ``--role``.
INSIGHT_ROLES: tuple[str, ...] = ("problems", "measures")
# The dashboard's pages a meeting pack may hold, in page order (``reportlens export --page``).
EXPORT_PAGES: tuple[str, ...] = ("overview", "structure", "keywords", "problems", "recurring", "promises", "reuse")


# What one file may cost to read by default (``readers.limits.ReadLimits``; ``reportlens ingest`` may raise them).
FILE_MAX_MB = 20
FILE_MAX_UNZIPPED_MB = 100
FILE_MAX_PDF_PAGES = 500


@dataclass(frozen=True)
class Range:
    """A number a reader chooses: its bounds, its default and the step between choices."""

    low: int
    high: int
    default: int
    step: int


TOP_TERMS = Range(low=5, high=50, default=20, step=5)  # 关键词's 「显示前 N 个词」
CLOUD_WORDS = Range(low=20, high=200, default=100, step=10)  # the word cloud's 「最多词数」
NETWORK_EDGES = Range(low=10, high=100, default=40, step=10)  # the co-occurrence network's strongest lines
NETWORK_MIN_SENTENCES = 2  # a pair of terms joined by a line shares at least this many sentences
CLI_TOP_TERMS = 30  # ``reportlens keywords --top``: a terminal shows a longer list than a chart
