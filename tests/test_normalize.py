"""Text normalisation: canonical whitespace and forms, lines rejoined where a source broke them, words kept."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import CORPORA, SEEDS

from reportlens.normalize import join_broken_lines, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一、工作开展情况\r\n1、提高站位。\r\n", "一、工作开展情况\n1、提高站位。"),
        ("\u3000\u3000现在，我代表国务院作报告。", "现在，我代表国务院作报告。"),
        ("\xa0作为全市文化和旅游行业领域主管部门，", "作为全市文化和旅游行业领域主管部门，"),
        ("一、前期工作主要成绩\xa0\xa0", "一、前期工作主要成绩"),
        ("国内生产总值达到74.4\u200b万亿元。", "国内生产总值达到74.4万亿元。"),
        ("⼯作总结", "工作总结"),  # Kangxi radical U+2F2F from a PDF text layer
        ("１、全角数字", "1、全角数字"),
        ("提高政治站位，强化组织领导。", "提高政治站位，强化组织领导。"),  # full-width punctuation is kept
        ("第一段。\n\n\n第二段。", "第一段。\n第二段。"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a law title broken out around a link (State Council 2004)
        (["一位，及时研究和部署防治非典工作。贯彻《", "中华人民共和国传染病防治法", "》，制定《", "条例", "》。"],
         ["一位，及时研究和部署防治非典工作。贯彻《中华人民共和国传染病防治法》，制定《条例》。"]),
        # a bare list marker alone on its line (State Council 1955)
        (["一、", "我国人民已经推翻了帝国主义者在中国的统治。"], ["一、我国人民已经推翻了帝国主义者在中国的统治。"]),
        # a link fragment in the middle of a sentence (State Council 1954)
        (["我國同偉大的和平堡壘蘇聯已經締結了", "友好同盟互助條約", "。蘇聯根據友好互助的精神，"],
         ["我國同偉大的和平堡壘蘇聯已經締結了友好同盟互助條約。蘇聯根據友好互助的精神，"]),
        # headings and finished sentences stay on their own lines
        (["（一）全力促进经济平稳健康发展", "稳增长政策措施加快落地见效。"],
         ["（一）全力促进经济平稳健康发展", "稳增长政策措施加快落地见效。"]),
        (["各位代表：", "现在，我代表国务院向大会作政府工作报告。"], ["各位代表：", "现在，我代表国务院向大会作政府工作报告。"]),
        # page-toolbar lines are short and are left alone
        (["下载", "打印", "全屏"], ["下载", "打印", "全屏"]),
    ],
)
def test_join_broken_lines(lines: list[str], expected: list[str]) -> None:
    assert join_broken_lines(lines) == expected


def test_normalize_keeps_every_word_and_is_idempotent() -> None:
    paths = sorted(SEEDS.glob("*.txt")) + sorted(CORPORA.glob("*/*.txt"))[::9]
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        text = normalize_text(raw)
        assert normalize_text(text) == text, path.name
        # the same characters in the same order, up to whitespace and compatibility forms (ｆ → f)
        squeeze = str.maketrans("", "", " \n\t\u3000\xa0\u200b\r\u2003\ufeff")
        same = unicodedata.normalize("NFKC", text).translate(squeeze)
        assert same == unicodedata.normalize("NFKC", raw).translate(squeeze), path.name
