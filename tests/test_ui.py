"""Tests for the pure parts of the UI: filter captions, file names, labels, CSV bytes, Markdown escaping, and the
helpers of the 语料管理 and 词典与停用词 pages (``reportlens.manage``, ``reportlens.lexicon``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pandas as pd
import pytest

from reportlens import charts, lexicon, manage
from reportlens.ingest import IngestResult
from reportlens.text import build_tokenizer
from reportlens.ui.filters import chosen_ids
from reportlens.ui.strings import export_frame, label_frame
from reportlens.ui.widgets import csv_bytes, escape_markdown


def test_toolbar_config_speaks_chinese_and_names_the_file():
    config = charts.toolbar_config("高频词_全部5篇_2022-2023_存在问题")
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "scale": 3,
        "filename": "高频词_全部5篇_2022-2023_存在问题",
    }
    assert config["locale"] == "zh-CN" and config["displaylogo"] is False
    dictionary = config["locales"]["zh-CN"]["dictionary"]
    # every toolbar button a dashboard chart shows has a Chinese tooltip
    for english in ("Download plot as a PNG", "Zoom", "Pan", "Zoom in", "Zoom out", "Autoscale", "Reset axes"):
        chinese = re.sub(r"PNG|SVG|JSON", "", dictionary[english])  # file formats keep their names
        assert chinese and not re.search(r"[A-Za-z]{2,}", chinese), english


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


def test_csv_is_rounded_without_ids_or_true_false():
    frame = pd.DataFrame(
        {
            "report_id": ["3f2a9c0d1e4b5a67"],
            "item_id": ["3f2a9c0d1e4b5a67/problems/1"],
            "year": pd.array([2023], dtype="Int64"),
            "year_inferred": [True],
            "per_10k": [40.38655704601183],
            "share": [0.123456],
            "reports": [3],
        }
    )
    text = csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["年份,年份推断,每万字频次,占比,报告数", "2023,是,40.39,0.123,3"]
    assert "3f2a9c0d1e4b5a67" not in text and "True" not in text


# ---------------------------------------------------------------------------------------------- 语料管理 helpers


def test_all_reports_stands_for_every_report_present_now():
    assert chosen_ids(None, ["a", "b"]) == ["a", "b"]
    assert chosen_ids(["all"], ["a", "b", "c"]) == ["a", "b", "c"]  # a report added later is included
    assert chosen_ids(["b"], ["a", "b", "c"]) == ["b"]
    assert chosen_ids([], ["a"]) == []


def test_upload_note_and_limits():
    note = manage.upload_note()
    assert ".txt、.docx、.pdf、.doc" in note and "单个文件不超过 20 MB" in note and "合计不超过 50 MB" in note
    assert manage.max_upload_mb() == 20
    assert manage.upload_refused([1] * manage.UPLOAD_MAX_FILES) is None
    assert "分批" in manage.upload_refused([1] * (manage.UPLOAD_MAX_FILES + 1))


def test_an_upload_is_limited_as_a_whole():
    """The README's 「50 MB per upload」: three 19 MB files are refused together, though each is below 20 MB."""
    mb = 1024 * 1024
    assert manage.upload_refused([19 * mb, 19 * mb]) is None
    refused = manage.upload_refused([19 * mb, 19 * mb, 19 * mb])
    assert refused and "合计 57.0 MB" in refused and "50 MB" in refused
    assert manage.upload_refused([50 * mb]) is None and manage.upload_refused([50 * mb + 1])


def test_the_server_ceiling_is_the_upload_total():
    """A file between 20 and 50 MB must reach the readers (refused in Chinese), not Streamlit's English."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["maxUploadSize"] == manage.UPLOAD_MAX_MB > manage.max_upload_mb()


def test_the_upload_budget_and_its_settings():
    default = manage.upload_budget({})
    assert default.seconds == 60 and default.memory_mb == 2048 and default.max_overruns == manage.UPLOAD_MAX_OVERRUNS
    set_by_operator = manage.upload_budget({manage.BUDGET_SECONDS_ENV: "15", manage.BUDGET_MEMORY_ENV: "512"})
    assert (set_by_operator.seconds, set_by_operator.memory_mb) == (15, 512)
    for bad in ("0", "-3", "inf", "nan", "十五", " "):
        assert manage.upload_budget({manage.BUDGET_SECONDS_ENV: bad}).seconds == 60


def test_results_table_and_summary():
    results = [
        IngestResult("a.txt", "ok", "id1", "报告甲"),
        IngestResult("b.txt", "duplicate", "id2", "报告乙"),
        IngestResult("c.pdf", "failed", reason="这个 PDF 没有文字层。"),
    ]
    frame = manage.results_frame(results)
    assert frame.columns.tolist() == ["file", "status", "title", "reason"]
    assert label_frame(frame)["结果"].tolist() == ["成功", "重复", "失败"]
    assert frame["reason"].tolist() == ["", "资料库中已有内容相同的报告", "这个 PDF 没有文字层。"]
    assert manage.results_summary(results) == "导入完成：成功 1 个，重复 1 个，失败 1 个。"
    # the same from the rows the library keeps, with the time it finished in this computer's time zone
    kept = pd.DataFrame(
        [(r.file, r.status, r.report_id, r.title, r.reason) for r in results],
        columns=["file", "status", "report_id", "title", "reason"],
    )
    pd.testing.assert_frame_equal(manage.results_frame(kept), frame)
    local = datetime(2026, 11, 22, 7, 5, tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    assert manage.results_summary(kept, finished_at="2026-11-22T07:05:00+00:00") == (
        f"最近一次导入（{local}）：成功 1 个，重复 1 个，失败 1 个。"
    )


def metadata() -> pd.DataFrame:
    reports = pd.DataFrame(
        {
            "report_id": ["r1", "r2"],
            "title": ["党风廉政建设工作情况报告", "报告乙"],
            "short_name": ["", "乙的简称"],
            "year": pd.array([2023, None], dtype="Int64"),
            "unit": ["***市文化和旅游局", ""],
            "kind": ["情况报告", "工作总结"],
            "year_source": ["metadata", "unknown"],
            "file": ["a.txt", "b.txt"],
            "chars": [100, 200],
        }
    )
    return manage.metadata_frame(reports)


def test_metadata_changes_are_the_edited_cells():
    original = metadata()
    assert original.loc["r2", "year"] == "" and original.loc["r1", "year"] == "2023"
    # the short name column shows the user's own name, else the inferred one
    assert original["short_name"].tolist() == ["市文旅局 2023 党风廉政报告", "乙的简称"]
    edited = original.copy()
    edited.loc["r1", "year"] = "2022"
    edited.loc["r2", "unit"] = "新单位"
    edited.loc["r2", "kind"] = "工作总结 "  # trailing space only: not a change
    edited.loc["r2", "short_name"] = ""  # cleared: back to the inferred name
    changes = manage.metadata_changes(original, edited)
    assert [(c.report_id, c.fields) for c in changes] == [
        ("r1", {"year": "2022"}),
        ("r2", {"unit": "新单位", "short_name": ""}),
    ]
    assert manage.metadata_changes(original, original.copy()) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"year": "20233"}, "《报告甲》：年份「20233」无效"),
        ({"year": "二〇二三"}, "年份「二〇二三」无效"),
        ({"year": 1800}, "1900–2100"),
        ({"year": "①"}, "年份「①」无效"),
        ({"year": "²⁰²³年"}, "年份「²⁰²³」无效"),
        ({"title": "  "}, "标题不能为空"),
        ({"short_name": "很长" * 16}, "简称不能超过 30 个字"),
    ],
)
def test_bad_metadata_is_refused_in_chinese(fields, message):
    problems = manage.check_changes([manage.Change("r1", "报告甲", fields)])
    assert len(problems) == 1 and message in problems[0]


@pytest.mark.parametrize("year", ["2023", "2023年", " 2023 ", "", 2023])
def test_good_years_pass(year):
    assert manage.check_changes([manage.Change("r1", "报告甲", {"year": year})]) == []


# ---------------------------------------------------------------------------------------------- 词典与停用词 helpers


def test_userdict_problems_name_each_bad_line():
    text = "# 注释\n文旅融合\n双随机、一公开\n\n文旅 融合 很多\n能力作风建设年 1000 nz\n"
    problems = lexicon.userdict_problems(text)
    assert len(problems) == 2
    assert problems[0].startswith("用户词典第 3 行的「双随机、一公开」不会生效")
    assert problems[1].startswith("用户词典第 5 行「文旅 融合 很多」格式不对")
    assert lexicon.userdict_problems("文旅融合\n文旅 800\n党建+ 10 nz\n") == []


def test_stopword_and_theme_problems():
    assert lexicon.stopword_problems("的\n不断 加强\n# 注释 有空格\n") == ["停用词第 2 行「不断 加强」含有空格：每行只写一个词。"]
    assert lexicon.theme_problems("作风建设: 作风 形式主义\n") == []
    assert lexicon.theme_problems("作风建设: 作风\n没有冒号\n主题：\n")[0].startswith("主题词表第 2 行")
    assert len(lexicon.theme_problems("作风建设: 作风\n没有冒号\n主题：\n")) == 2
    assert "主题词表是空的" in lexicon.theme_problems("# 只有注释\n")[0]
    assert lexicon.tokenizer_problems(userdict="双随机、一公开", stopwords="a b") != []


@pytest.mark.slow
def test_segmentation_preview_with_two_tokenizers():
    bundled = build_tokenizer()
    edited = build_tokenizer(extra_words=["文旅业务 100000"])
    fewer = build_tokenizer(extra_stopwords=["业务"])
    preview = lexicon.segmentation_preview(
        "全面提升文旅业务。", {"当前词典": bundled, "编辑后": edited, "停用业务": fewer}
    )
    rows = dict(zip(preview["dictionary"], preview["tokens"], strict=True))
    assert rows["当前词典"] == "全面｜提升｜文旅｜业务｜。"
    assert rows["编辑后"] == "全面｜提升｜文旅业务｜。"
    content = dict(zip(preview["dictionary"], preview["content"], strict=True))
    assert content == {"当前词典": "文旅｜业务", "编辑后": "文旅业务", "停用业务": "文旅"}  # 全面、提升 are stopwords


def test_csv_gives_full_titles_where_the_screen_shows_short_names():
    frame = pd.DataFrame(
        {"report": ["市文旅局 2023 党风廉政报告"], "report_title": ["党风廉政建设工作情况报告"], "count": [3]}
    )
    assert csv_bytes(frame).decode("utf-8-sig").splitlines() == ["报告,次数", "党风廉政建设工作情况报告,3"]
    assert export_frame(frame).to_dict("records") == [{"报告": "市文旅局 2023 党风廉政报告", "次数": 3}]
