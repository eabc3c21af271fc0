"""The 语料管理 and 词典与停用词 pages under AppTest, on a temporary library the app seeds on first use.

Uploading many files at once gives one result per file (成功 / 重复 / the Chinese reason it failed) and the new
report shows on every page at once; a metadata edit with a bad year is refused in Chinese and the edits stay;
deleting needs a confirmation; a dictionary edit is checked line by line, previewed with a tokenizer built from
the unsaved text, and saving re-segments the library so the keyword page changes.

Each test starts from its own copy of a library holding the seeds (made once per module), so the tests run
alone and in any order; one that needs the hostile report of the upload adds it itself.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from library_helpers import term_counts
from sample_reports import BOLD, HOSTILE_NAME, HOSTILE_REPORT, SCRIPT
from streamlit.testing.v1 import AppTest

from reportlens.corpus import SEEDS_DIR, load_seeds
from reportlens.ingest import ingest_paths, open_library
from reportlens.paths import LIBRARY_ENV
from reportlens.store import Library
from reportlens.ui.dictionary import KEY_SENTENCE, KEY_STOPWORDS, KEY_THEMES, KEY_USERDICT
from reportlens.ui.library import (
    KEY_DELETE,
    KEY_DELETE_CONFIRM,
    KEY_DELETE_IDS,
    KEY_EDITOR,
    KEY_IMPORT,
    KEY_SAVE,
)

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

APP = Path(__file__).resolve().parents[1] / "app.py"
TIMEOUT = 120
SEED_COUNT = len(load_seeds())


@pytest.fixture(scope="module")
def seeded_library(tmp_path_factory) -> Path:
    """A new library with the seeds in it, as the app's first use leaves it (made once, copied per test)."""
    path = tmp_path_factory.mktemp("library-ui") / "library.sqlite3"
    open_library(path).close()
    return path


@pytest.fixture(autouse=True)
def library_file(seeded_library, tmp_path, monkeypatch) -> Path:
    """This test's own copy of the seeded library, where the app finds it ($REPORTLENS_LIBRARY)."""
    path = tmp_path / "library.sqlite3"
    with sqlite3.connect(seeded_library) as source, sqlite3.connect(path) as target:
        source.backup(target)
    source.close()
    target.close()
    monkeypatch.setenv(LIBRARY_ENV, str(path))
    return path


@pytest.fixture
def library(library_file) -> Library:
    with Library(library_file, create=False) as opened:
        yield opened


def add_hostile_report(library: Library, folder: Path) -> str:
    """Import the hostile report (markup in its title and headings, no year) as the upload test does; its id."""
    file = folder / HOSTILE_NAME
    file.write_text(HOSTILE_REPORT, encoding="utf-8")
    (result,) = ingest_paths([file], library)
    assert result.status == "ok", result.reason
    return next(i for i in library.ids() if BOLD in library.report(i).title)


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def report_count(at: AppTest) -> int:
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    return int({m.label: m.value for m in at.metric}["报告数"].split()[0])


def edit_metadata(at: AppTest, edits: dict[int, dict[str, str]]) -> AppTest:
    """Type into the metadata table (rows by position, columns by their Chinese headers)."""
    at.session_state[KEY_EDITOR] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    return at.run()


# ------------------------------------------------------------------------------------------------ 语料管理


def test_upload_many_files_reports_each_one(library):
    seed_file = sorted(SEEDS_DIR.glob("*.txt"))[0]
    at = open_page("pages/library.py")
    assert any("单个文件不超过 20 MB" in c.value for c in at.caption)
    assert not any("config" in c.value or "library.sqlite3" in c.value for c in at.caption)  # no file names
    assert not any(str(library.path) in t.value for t in at.text)  # nor the server's path of the library
    at.file_uploader[0].set_value(
        [
            (HOSTILE_NAME, HOSTILE_REPORT.encode("utf-8"), "text/plain"),
            ("copy_of_a_seed.txt", seed_file.read_bytes(), "text/plain"),
            ("scan.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf"),
        ]
    )
    at.run()
    assert at.button(key=KEY_IMPORT).label == "导入 3 个文件"
    at.button(key=KEY_IMPORT).click().run()
    assert not at.exception
    assert "导入完成：成功 1 个，重复 1 个，失败 1 个。" in [t.value for t in at.text]
    results = next(d.value for d in at.dataframe if "结果" in d.value.columns)
    assert results["结果"].tolist() == ["成功", "重复", "失败"]
    assert results["文件"].tolist() == [HOSTILE_NAME, "copy_of_a_seed.txt", "scan.pdf"]
    failed = results["原因"].iloc[2]
    assert failed and any("\u4e00" <= ch <= "\u9fff" for ch in failed)  # a Chinese reason
    assert len(library) == SEED_COUNT + 1
    # the new report is on every page at once: 「全部报告」 includes it
    assert report_count(at) == SEED_COUNT + 1
    # back on 语料管理 (or after any other click there), what became of each file is still shown
    at.switch_page("pages/library.py").run()
    assert not at.exception
    assert any(t.value.startswith("最近一次导入（") and "成功 1 个，重复 1 个，失败 1 个" in t.value for t in at.text)
    again = next(d.value for d in at.dataframe if "结果" in d.value.columns)
    assert again["文件"].tolist() == [HOSTILE_NAME, "copy_of_a_seed.txt", "scan.pdf"]


def test_an_upload_over_50_mb_together_is_refused_in_chinese(library):
    """Three files of 19 MB: each below the 20 MB a file may have, together over the 50 MB of one upload."""
    count = len(library)
    at = open_page("pages/library.py")
    at.file_uploader[0].set_value([(f"大文件{i}.txt", b"x" * (19 * 1024 * 1024), "text/plain") for i in range(3)])
    at.run()
    assert not at.exception
    assert any("合计 57.0 MB" in w.value and "50 MB" in w.value for w in at.warning)
    assert at.button(key=KEY_IMPORT).disabled
    assert len(library) == count


def test_a_file_over_20_mb_is_refused_in_chinese(library):
    """Streamlit's uploader would say 「File must be 20.0MB or smaller」; the readers say it in Chinese."""
    at = open_page("pages/library.py")
    big = ("全面从严治党。" * 1_300_000).encode("utf-8")  # about 26 MB of Chinese text
    at.file_uploader[0].set_value([("太大的报告.txt", big, "text/plain")])
    at.run()
    assert not at.warning
    at.button(key=KEY_IMPORT).click().run()
    assert not at.exception
    results = next(d.value for d in at.dataframe if "结果" in d.value.columns)
    assert results["结果"].tolist() == ["失败"]
    assert "文件太大" in results["原因"].iloc[0] and "20 MB" in results["原因"].iloc[0]


def test_hostile_text_is_plain_text(library, tmp_path):
    """The hostile report of the upload: its title and headings reach widgets and text elements as written."""
    hostile = add_hostile_report(library, tmp_path)
    at = open_page("pages/structure.py")
    at.selectbox(key="structure_report").set_value(hostile).run()
    assert not at.exception
    headings = at.selectbox(key="structure_section").options
    assert any(SCRIPT in h for h in headings)
    at.selectbox(key="structure_section").set_value("1").run()
    assert SCRIPT in at.text[-1].value
    assert not at.markdown or all(SCRIPT not in m.value and BOLD not in m.value for m in at.markdown)


def test_an_unknown_year_shows_as_unknown_in_tables(library, tmp_path):
    """The hostile report has no year: 「不详」 in the overview, not None."""
    add_hostile_report(library, tmp_path)
    at = open_page("pages/overview.py")
    overview = at.dataframe[0].value
    assert "不详" in overview["年份"].tolist()
    assert all(y == "不详" or y.isdigit() for y in overview["年份"])


def test_a_bad_year_is_refused_in_chinese_and_the_edits_stay(library):
    first = library.ids()[0]
    before = library.report(first)
    at = open_page("pages/library.py")
    edit_metadata(at, {0: {"年份": "20233", "单位": "新单位"}})
    assert "已修改 1 篇报告，尚未保存。" in [c.value for c in at.caption]
    at.button(key=KEY_SAVE).click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and "年份「20233」无效" in errors[0] and "1900–2100" in errors[0]
    assert library.report(first) == before  # nothing saved
    assert at.session_state[KEY_EDITOR]["edited_rows"] == {0: {"年份": "20233", "单位": "新单位"}}
    assert "已修改 1 篇报告，尚未保存。" in [c.value for c in at.caption]  # the edits are still there


@pytest.mark.parametrize("typed", ["①", "²⁰²³"])
def test_a_year_of_digit_like_characters_is_refused_in_chinese(library, typed):
    """「①」 and 「²⁰²³」 are digits to str.isdigit() but int() cannot read them: a message, not a traceback."""
    first = library.ids()[0]
    before = library.report(first)
    at = open_page("pages/library.py")
    edit_metadata(at, {0: {"年份": typed}})
    at.button(key=KEY_SAVE).click().run()
    assert not at.exception
    assert [e.value for e in at.error] and f"年份「{typed}」无效" in at.error[0].value
    assert library.report(first) == before


def test_an_empty_title_is_refused(library):
    at = open_page("pages/library.py")
    edit_metadata(at, {1: {"标题": "  "}})
    at.button(key=KEY_SAVE).click().run()
    assert any("标题不能为空" in e.value for e in at.error)
    assert library.report(library.ids()[1]).title.strip()


def test_saving_metadata_updates_every_page(library):
    first = library.ids()[0]
    at = open_page("pages/library.py")
    edit_metadata(at, {0: {"标题": "改过的标题", "年份": "2021年", "单位": "某某局", "类型": "工作总结"}})
    at.button(key=KEY_SAVE).click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["已保存 1 篇报告的修改。"]
    report = library.report(first)
    assert (report.title, report.year, report.year_source, report.unit, report.kind) == (
        "改过的标题",
        2021,
        "metadata",
        "某某局",
        "工作总结",
    )
    # a new session (AppTest keeps a year slider's old range where a browser resets it to the new years)
    overview = open_page("pages/overview.py").dataframe[0].value
    assert overview["标题"].iloc[0] == "改过的标题" and str(overview["年份"].iloc[0]) == "2021"  # 「不详」 makes it text


def test_delete_needs_a_confirmation(library):
    victim = library.ids()[-1]
    count = len(library)
    at = open_page("pages/library.py")
    at.multiselect(key=KEY_DELETE_IDS).set_value([victim]).run()
    assert at.button(key=KEY_DELETE).disabled  # not before the box is ticked
    at.checkbox(key=KEY_DELETE_CONFIRM).check().run()
    assert not at.button(key=KEY_DELETE).disabled
    at.button(key=KEY_DELETE).click().run()
    assert not at.exception
    assert victim not in library and len(library) == count - 1
    assert [t.value for t in at.toast] == ["已删除 1 篇报告。"]
    assert at.multiselect(key=KEY_DELETE_IDS).value == []
    assert report_count(at) == count - 1


# ------------------------------------------------------------------------------------------------ 词典与停用词


def preview_rows(at: AppTest) -> dict[str, str]:
    """Dictionary name → the tokens it cuts the preview sentence into (「｜」 between them)."""
    texts = [t.value for t in at.text]
    marker = " · 分词结果"
    return {t.removesuffix(marker): texts[i + 1] for i, t in enumerate(texts) if t.endswith(marker)}


def test_dictionary_lines_are_checked_with_line_numbers(library):
    at = open_page("pages/dictionary.py")
    saved = at.text_area(key=KEY_USERDICT).value.rstrip("\n")
    at.text_area(key=KEY_USERDICT).input(saved + "\n双随机、一公开\n文旅 融合 很多\n")
    at.text_area(key=KEY_THEMES).input("作风建设: 作风\n没有冒号的一行\n")
    at.button(key="dict_preview").click().run()  # the lists sit in a form: a button takes the edits
    assert not at.exception
    lines = len(saved.splitlines())
    message = at.error[0].value
    assert f"用户词典第 {lines + 1} 行" in message and "不会生效" in message
    assert f"用户词典第 {lines + 2} 行" in message and "格式不对" in message
    assert "主题词表第 2 行" in message
    assert list(preview_rows(at)) == ["当前词典"]  # no preview with a dictionary that cannot be built
    before = library.settings
    at.button(key="dict_save").click().run()
    assert "没有保存" in at.warning[0].value and library.settings == before


def test_preview_uses_the_edited_dictionary_and_saving_resegments(library):
    word = "文旅业务"  # 17 times in the seeds, cut 文旅｜业务 by the bundled dictionary
    before = library.settings.userdict
    at = open_page("pages/dictionary.py")
    at.text_input(key=KEY_SENTENCE).input("全面提升文旅业务水平。")
    at.button(key="dict_preview").click().run()
    assert word not in preview_rows(at)["当前词典"].split("｜")
    saved = at.text_area(key=KEY_USERDICT).value
    at.text_area(key=KEY_USERDICT).input(f"{saved}\n{word} 100000\n")
    at.button(key="dict_preview").click().run()
    assert not at.exception and not at.error
    rows = preview_rows(at)
    assert word in rows["编辑后"].split("｜") and word not in rows["当前词典"].split("｜")
    assert library.settings.userdict == before  # previewing saves nothing
    at.button(key="dict_save").click().run()
    assert not at.exception
    assert at.success and "重新分词" in at.success[0].value
    assert f"{word} 100000" in library.settings.userdict and library.stale_ids() == []
    assert word in set(term_counts(library)["term"])


def test_a_new_stopword_leaves_the_keyword_page():
    at = open_page("pages/keywords.py")
    top = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"][0]
    at.switch_page("pages/dictionary.py").run()
    stopwords = at.text_area(key=KEY_STOPWORDS).value
    at.text_area(key=KEY_STOPWORDS).input(f"{stopwords}\n{top}\n")
    at.button(key="dict_save").click().run()
    assert not at.exception and at.success
    at.switch_page("pages/keywords.py").run()
    terms = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"]
    assert top not in terms


def test_restoring_the_bundled_lists():
    at = open_page("pages/dictionary.py")
    at.text_area(key=KEY_USERDICT).input("只剩一个词")
    at.button(key="dict_preview").click().run()
    assert at.text_area(key=KEY_USERDICT).value == "只剩一个词"
    at.button(key="dict_defaults").click().run()
    assert not at.exception
    assert "只剩一个词" not in at.text_area(key=KEY_USERDICT).value
    assert len(at.text_area(key=KEY_USERDICT).value.splitlines()) > 10
