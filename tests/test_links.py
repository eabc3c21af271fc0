"""Reports in shareable links (``reportlens.links``): by stable id with a readable name; a deleted report is
named in the warning; older links by title still resolve; hostile values never break the resolution."""

from __future__ import annotations

import random

import pandas as pd

from reportlens import links

REPORTS = pd.DataFrame(
    {
        "report_id": ["3f2a9c0d1e4b5a67", "0011223344556677"],
        "title": ["党风廉政建设工作情况报告", "领导班子和干部队伍建设情况报告"],
        "short": ["市文旅局 2023 党风廉政报告", "2023 领导班子报告"],
    }
)


def test_a_report_goes_into_a_link_by_id_with_its_name():
    value = links.encode("3f2a9c0d1e4b5a67", "市文旅局  2023\n党风廉政报告")
    assert value == "3f2a9c0d1e4b5a67:市文旅局 2023 党风廉政报告"
    assert links.encode("3f2a9c0d1e4b5a67") == "3f2a9c0d1e4b5a67"
    assert links.resolve([value], REPORTS) == links.Resolved(ids=("3f2a9c0d1e4b5a67",), missing=())


def test_the_id_decides_not_the_name():
    # the title or short name was edited since the link was made: the id still finds the report
    found = links.resolve(["0011223344556677:旧的简称", "3f2a9c0d1e4b5a67"], REPORTS)
    assert found.ids == ("0011223344556677", "3f2a9c0d1e4b5a67") and not found.missing


def test_a_deleted_report_is_named_and_the_rest_open():
    found = links.resolve(["3f2a9c0d1e4b5a67:甲", "ffffffffffffffff:市文旅局 2021 已删除", "eeeeeeeeeeeeeeee"], REPORTS)
    assert found.ids == ("3f2a9c0d1e4b5a67",)
    assert found.missing == ("市文旅局 2021 已删除", "eeeeeeeeeeeeeeee")
    message = links.missing_message(found.missing)
    assert message.startswith("链接中的 2 篇报告已不在资料库中") and "《市文旅局 2021 已删除》" in message
    assert links.missing_message([]) == ""


def test_older_links_by_title_or_short_name_still_resolve():
    found = links.resolve(["党风廉政建设工作情况报告", "2023 领导班子报告", "不存在的标题"], REPORTS)
    assert found.ids == ("3f2a9c0d1e4b5a67", "0011223344556677") and found.missing == ("不存在的标题",)


def test_hostile_values_resolve_without_error():
    rng = random.Random(11)
    alphabet = "0123456789abcdef:：%&=?#<>/ \n报告" + "\x00"
    for _ in range(1000):
        values = ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(rng.randint(0, 4))]
        found = links.resolve(values, REPORTS)
        assert set(found.ids) <= set(REPORTS["report_id"])
        assert len(found.ids) == len(set(found.ids))
