"""What a view says about itself (``reportlens.views``): the subtitle inside exported images and the file names
of downloads name the reports (or their count and series), the years actually in view and the part."""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from reportlens import views
from reportlens.corpus import load_seeds
from reportlens.names import display_names
from reportlens.views import Scope, describe, file_stem, scope_of, subtitle, years_text


@pytest.fixture(scope="module")
def reports() -> pd.DataFrame:
    return display_names(load_seeds().frame())


def test_two_reports_of_one_year_are_named_and_the_real_year_is_given(reports):
    # two 2023 reports while the library spans 2022–2023: the years are those in view, not the slider's range
    ids = reports.loc[reports["year"] == 2023, "report_id"].head(2).tolist()
    scope = scope_of(reports, ids, part="存在问题")
    names = reports.set_index("report_id").loc[ids, "short"].tolist()
    assert subtitle(scope) == f"{names[0]}、{names[1]}｜2023 年｜存在问题部分"
    stem = file_stem("高频词", scope)
    assert stem == f"高频词_{names[0].replace(' ', '')}+{names[1].replace(' ', '')}_2023_存在问题"
    assert "2022" not in stem


def test_all_reports_and_two_reports_get_different_names(reports):
    everything = scope_of(reports, reports["report_id"].tolist())
    two = scope_of(reports, reports["report_id"].head(2).tolist())
    assert subtitle(everything) == "全部 5 篇报告｜2022–2023 年｜全文"
    assert file_stem("词云", everything) == "词云_全部5篇_2022-2023_全文"
    assert file_stem("词云", two) != file_stem("词云", everything)


def test_a_single_report_names_its_year_once(reports):
    one = scope_of(reports, reports["report_id"].head(1).tolist(), part="")
    name = reports["short"].iloc[0]
    assert subtitle(one) == name  # 「市文旅局 2023 党风廉政报告」 carries its year; no part for a whole-report view
    assert describe("章节结构", one).file_stem == f"章节结构_{name.replace(' ', '')}_2023"


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ((2023,), "2023 年"),
        ((2021, 2022, 2023, 2022), "2021–2023 年"),
        ((2019, 2021, 2023), "2019、2021、2023 年"),
        ((1954, 1960, 1970, 1980, 2026), "1954–2026 年（其中 5 个年份）"),
        ((2023, None), "2023 年，另有 1 篇年份不详"),
        ((None, None), "年份不详"),
    ],
)
def test_years_in_view(years, expected):
    assert years_text(Scope(names=tuple("甲乙丙丁戊"[: len(years)]), years=years)) == expected


def test_many_reports_are_counted_with_what_they_share():
    scope = Scope(
        names=tuple(f"省{i} 2026 政府工作报告" for i in range(31)),
        years=(2026,) * 31,
        part="全文",
        total=88,
        kinds=("政府工作报告",) * 31,
        units=("",) * 31,
    )
    assert subtitle(scope) == "31 篇政府工作报告｜2026 年｜全文"
    assert file_stem("高频词", scope) == "高频词_31篇_2026_全文"
    series = Scope(names=tuple("甲乙丙丁"), years=(2022, 2023, 2023, 2024), kinds=("情况报告",) * 4, units=("***市文化和旅游局",) * 4)
    assert views.reports_text(series) == "4 篇情况报告（***市文化和旅游局）"


def test_hostile_names_make_safe_file_names():
    rng = random.Random(3)
    alphabet = '/\\:*?"<>|\n\t 　报告2023市局' + "".join(chr(c) for c in range(1, 32))
    for _ in range(500):
        names = tuple("".join(rng.choices(alphabet, k=rng.randint(0, 60))) for _ in range(rng.randint(1, 3)))
        scope = Scope(names=names, years=(2023,) * len(names), part="存在问题")
        stem = file_stem(rng.choice(["高频词", "语境_a/b", "词云"]), scope)
        assert not re.search(r'[\\/:*?"<>|\x00-\x1f\s]', stem), stem
        assert 0 < len(stem) <= views.FILE_STEM_MAX
        assert "2023" in stem
