"""Corrections a reader makes to a parse: applied by the parser, found again after the text around them changes,
reported (never applied elsewhere) when their target is gone."""

from __future__ import annotations

import pytest

from reportlens.structure import parse_outline
from reportlens.structure.corrections import (
    DROP,
    LEVEL,
    ROLE,
    TITLE,
    Correction,
    check,
    item_key,
    section_key,
)

REPORT = "\n".join(
    [
        "现将有关情况报告如下：",
        "一、工作开展情况",
        "（一）加强组织领导。成立了工作专班。",
        "（二）强化督促检查。开展检查3次。",
        "二、几点思考",
        "部分干部学习不够深入；个别单位制度执行不严。",
        "三、下一步工作打算",
        "（一）加强学习",
        "1.开展集中学习。每月一次。",
        "2.组织专题研讨。每季度一次。",
        "（二）完善制度",
        "1.修订议事规则。年内完成。",
        "2.建立督办台账。及时销号。",
    ]
)


def test_a_part_given_another_role_gives_that_role_its_items() -> None:
    plain = parse_outline(REPORT)
    assert plain.problems == ()
    corrected = parse_outline(REPORT, [Correction(ROLE, section_key("二、几点思考", ""), "problems")])
    section = next(s for s in corrected.sections if s.heading == "二、几点思考")
    assert section.role == "problems" and section.score == 1.0 and "人工校对" in section.evidence[0]
    assert [i.title for i in corrected.problems] == ["部分干部学习不够深入", "个别单位制度执行不严"]
    assert corrected.unmatched == ()


def test_the_item_level_of_a_part_can_be_the_level_below_its_children() -> None:
    assert [i.title for i in parse_outline(REPORT).measures] == ["加强学习", "完善制度"]
    outline = parse_outline(REPORT, [Correction(LEVEL, "三、下一步工作打算", "2")])
    assert [i.title for i in outline.measures] == ["开展集中学习", "组织专题研讨", "修订议事规则", "建立督办台账"]


def test_items_can_be_dropped_and_retitled() -> None:
    outline = parse_outline(REPORT)
    first, second = outline.measures
    corrected = parse_outline(
        REPORT,
        [Correction(DROP, item_key("measures", first.text)), Correction(TITLE, item_key("measures", second.text), "健全制度")],
    )
    assert [i.title for i in corrected.measures] == ["健全制度"]


def test_a_later_correction_of_the_same_target_overrides_an_earlier_one() -> None:
    target = section_key("二、几点思考", "")
    outline = parse_outline(REPORT, [Correction(ROLE, target, "problems"), Correction(ROLE, target, "other")])
    assert next(s for s in outline.sections if s.heading == "二、几点思考").role == "other"
    assert outline.unmatched == ()


def test_corrections_find_their_target_after_the_text_around_it_changes() -> None:
    changed = REPORT.replace("现将有关情况报告如下：", "根据上级通知要求，我局认真开展了自查。\n现将有关情况报告如下：")
    outline = parse_outline(changed, [Correction(ROLE, section_key("二、几点思考", ""), "problems")])
    assert len(outline.problems) == 2 and outline.unmatched == ()


def test_a_correction_whose_target_is_gone_is_reported_and_applied_nowhere() -> None:
    gone = [Correction(ROLE, section_key("四、组织保障", ""), "measures"), Correction(DROP, item_key("problems", "不存在的问题"))]
    outline = parse_outline(REPORT, gone)
    assert outline.unmatched == (0, 1)
    assert [(s.heading, s.role) for s in outline.sections] == [(s.heading, s.role) for s in parse_outline(REPORT).sections]


def test_un_headed_parts_have_keys_from_their_text() -> None:
    text = "各位代表：\n过去一年，全市经济运行平稳。\n我们也清醒看到，还存在不少问题：投资增长乏力；企业经营困难。\n一、今年重点工作\n（一）扩大投资。\n（二）稳定就业。"
    outline = parse_outline(text)
    passage = next(s for s in outline.sections if s.implicit)
    assert passage.key.startswith("〔我们也清醒看到")
    assert parse_outline(text, [Correction(ROLE, passage.key, "other")]).problems == ()


@pytest.mark.parametrize(
    ("correction", "message"),
    [
        (Correction("rename", "一、工作"), "未知的校对类型"),
        (Correction(ROLE, "一、工作", "preamble"), "角色应为"),
        (Correction(LEVEL, "一、工作", "3"), "条目层级"),
        (Correction(TITLE, "measures|加强学习", "  "), "不能为空"),
        (Correction(TITLE, "measures|加强学习", "甲\n乙"), "应为一行"),
        (Correction(DROP, " "), "没有指明对象"),
    ],
)
def test_bad_corrections_are_refused_with_a_reason(correction: Correction, message: str) -> None:
    found = check(correction)
    assert found is not None and message in found


def test_good_corrections_pass_the_check_and_round_trip_as_json() -> None:
    for correction in (Correction(ROLE, "一、工作", "goals"), Correction(LEVEL, "一、工作", "2"), Correction(TITLE, "x|y", "新标题")):
        assert check(correction) is None
        assert Correction.from_json(correction.to_json()) == correction
