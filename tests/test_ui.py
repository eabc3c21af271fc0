"""Tests for the pure parts of reportlens.ui: filter captions, file names, labels, CSV bytes, Markdown escaping."""

from __future__ import annotations

import pandas as pd
import pytest

from reportlens.ui.filters import Filters
from reportlens.ui.strings import label_frame
from reportlens.ui.widgets import chart_config, csv_bytes, escape_markdown


def filters(**changes) -> Filters:
    base = {
        "report_ids": ("a", "b"),
        "names": ("党风廉政建设工作情况报告", "领导班子和干部队伍建设情况报告"),
        "years": (2022, 2023),
        "narrowed": False,
        "role": "problems",
        "palette": "calm",
        "total": 5,
    }
    return Filters(**{**base, **changes})


def test_caption_names_reports_years_and_role():
    caption = filters().caption()
    assert "《党风廉政建设工作情况报告》、《领导班子和干部队伍建设情况报告》" in caption
    assert "共 2/5 篇" in caption and "年份：2022–2023" in caption and "部分：存在问题" in caption


def test_caption_for_everything_and_for_many_reports():
    everything = filters(report_ids=tuple("abcde"), names=tuple("甲乙丙丁戊"), role="all").caption()
    assert everything.startswith("筛选 · 全部报告（共 5/5 篇）") and "部分：全部" in everything
    many = filters(report_ids=tuple("abcd"), names=tuple("甲乙丙丁")).caption()
    assert "报告：4 篇" in many


def test_file_stem_describes_the_view():
    assert filters().file_stem("关键词") == "关键词_存在问题_2022-2023"
    assert filters(years=(2023, 2023), role="all").file_stem("词云") == "词云_全部_2023"
    assert chart_config("关键词_存在问题_2022-2023")["toImageButtonOptions"] == {
        "format": "png",
        "scale": 3,
        "filename": "关键词_存在问题_2022-2023",
    }


def test_empty_filters():
    assert filters(report_ids=(), names=()).empty
    assert not filters().empty


@pytest.mark.parametrize(
    "text",
    [
        "[点我](javascript:alert(1))",
        "**加粗** _斜体_",
        ":red[红字] :smile:",
        "<b>粗</b>",
        "《关于印发<方案>的通知》",
    ],
)
def test_escaped_markdown_has_no_active_ascii_left(text):
    escaped = escape_markdown(text)
    unescaped = escaped.replace("\\", "")
    assert unescaped == text.replace("\\", "")
    for i, ch in enumerate(escaped):
        if ch in "[]()*_:<>" and (i == 0 or escaped[i - 1] != "\\"):
            pytest.fail(f"unescaped {ch!r} in {escaped!r}")


def test_csv_has_chinese_headers_and_a_bom_for_excel():
    frame = pd.DataFrame({"term": ["作风"], "count": [3], "role": ["problems"]})
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["词语,次数,部分", "作风,3,存在问题"]
    assert list(label_frame(frame).columns) == ["词语", "次数", "部分"]
    assert frame.columns.tolist() == ["term", "count", "role"]  # the input is left alone
