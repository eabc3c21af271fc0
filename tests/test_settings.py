"""No saved word list can make the library unusable: every text is checked before it is stored, and a stored
text that fails its check (written by an older version, or straight into the file) is replaced by the bundled
one with a Chinese warning — the pages and the command line keep working, and the 词典与停用词 page can mend it.

The bad values are generated here and written straight into the ``settings`` table, as a damaged or hand-edited
file would hold them.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reportlens.derived import TokenizerSpec, bundled_text
from reportlens.errors import ReportError
from reportlens.ingest import open_library
from reportlens.lexicon import MAX_SETTING_CHARS, Settings, setting_problems
from reportlens.paths import LIBRARY_ENV
from reportlens.store import Library
from reportlens.text import MAX_WORD_FREQ
from reportlens.ui.dictionary import KEY_SAVE, KEY_USERDICT

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGES = ["pages/overview.py", "pages/structure.py", "pages/keywords.py", "pages/problems.py", "pages/library.py",
         "pages/dictionary.py"]  # fmt: skip
TIMEOUT = 120
USERDICT = bundled_text("userdict.txt")
HUGE_FREQ_LINE = "文旅新词 99999999999999999999999"  # does not fit 64 bits: the engine raised OverflowError

# (key, SQL value expression, parameters): what a damaged or hand-edited settings table may hold
STORED = {
    "huge frequency": ("userdict", "?", (f"{USERDICT}\n{HUGE_FREQ_LINE}\n",)),
    "frequency of 5,000 digits": ("userdict", "?", ("理论学习 " + "9" * 5000 + "\n",)),
    "frequency just above the limit": ("userdict", "?", (f"理论学习 {MAX_WORD_FREQ + 1}\n",)),
    "a blob": ("userdict", "x'fffe00ff'", ()),
    "a blob holding a control character": ("stopwords", "x'e79a840ae4ba861b'", ()),
    "invalid UTF-8 text": ("themes", "CAST(x'e4b8ff' AS TEXT)", ()),
    "a control character": ("stopwords", "?", ("的\n停用\x00词\n",)),
    "a theme line without a colon": ("themes", "?", ("没有冒号的一行\n",)),
    "an empty theme lexicon": ("themes", "?", ("# 只有注释\n",)),
    "a word list too long": ("stopwords", "?", ("的\n" * (MAX_SETTING_CHARS // 2 + 1),)),
}


def write_setting(path: Path, key: str, expression: str, params: tuple) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(f"INSERT OR REPLACE INTO settings(key, value) VALUES (?, {expression})", (key, *params))  # noqa: S608
    conn.close()


@pytest.mark.parametrize("case", list(STORED))
def test_a_bad_stored_setting_falls_back_to_the_bundled_one_with_a_warning(tmp_path: Path, case: str) -> None:
    key, expression, params = STORED[case]
    path = tmp_path / "library.sqlite3"
    Library(path).close()
    write_setting(path, key, expression, params)
    with Library(path) as library:
        loaded = library.load_settings()
        assert getattr(loaded.usable, key) == getattr(Settings.defaults(), key)
        assert len(loaded.warnings) == 1 and "现暂时改用内置的" in loaded.warnings[0]
        assert library.settings_warnings() == list(loaded.warnings)
        # everything that needs the settings still works
        assert library.segmenter().version == library.dictionary_version
        assert library.tokenizer().cut("推动文旅融合") and library.stale_ids() == []
        # a stored text (not a blob or a number) is kept for the user to mend
        if expression == "?":
            assert getattr(loaded.texts, key) == params[0]
        # saving the same bad text again is refused in Chinese; saving a good one clears the warning
        if isinstance(params[:1] and params[0], str):
            with pytest.raises(ReportError, match="有误，未保存"):
                library.save_settings(**{key: params[0]})
        library.save_settings(**{key: getattr(Settings.defaults(), key)})
        assert library.settings_warnings() == []


def test_setting_problems_name_the_line() -> None:
    [message] = setting_problems("userdict", f"文旅融合\n{HUGE_FREQ_LINE}\n")
    assert "用户词典第 2 行的词频「99999999999999999999…」太大" in message
    [message] = setting_problems("stopwords", "的\n\n了\x07\n")
    assert "停用词第 3 行含有不可见的控制字符（U+0007）" in message
    assert setting_problems("themes", "作风建设: 作风\n") == []
    assert setting_problems("userdict", f"理论学习 {MAX_WORD_FREQ}\n") == []


def test_the_huge_frequency_never_reaches_the_tokenizer(tmp_path: Path) -> None:
    with Library(tmp_path / "l.sqlite3") as library, pytest.raises(ReportError, match=r"词频.*太大"):
        library.save_settings(userdict=f"{USERDICT}\n{HUGE_FREQ_LINE}\n")
    with pytest.raises(ValueError, match="above"):
        TokenizerSpec(userdict=f"{HUGE_FREQ_LINE}\n").build()


# ------------------------------------------------------------------------------------------------ the app and CLI


@pytest.fixture(scope="module")
def bad_template(tmp_path_factory) -> Path:
    """A library with the seeds whose stored user dictionary holds the issue's line: before the fix, every page
    and every CLI command failed with OverflowError (made once; each test gets its own copy)."""
    path = tmp_path_factory.mktemp("bad-settings") / "library.sqlite3"
    open_library(path).close()
    write_setting(path, *STORED["huge frequency"])
    return path


@pytest.fixture
def bad_library(bad_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's copy of the bad library, where the app finds it: a test that mends it changes no other."""
    path = tmp_path / "library.sqlite3"
    source, target = sqlite3.connect(bad_template), sqlite3.connect(path)
    with source, target:
        source.backup(target)
    source.close()
    target.close()
    monkeypatch.setenv(LIBRARY_ENV, str(path))
    return path


@pytest.mark.parametrize("page", PAGES)
def test_every_page_works_and_warns(bad_library: Path, page: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("资料库中保存的用户词典无法使用" in w and "词典与停用词" in w for w in warnings), warnings


@pytest.mark.parametrize("command", [["library"], ["library", "--json"], ["ingest", "SEED"]])
def test_cli_commands_work_and_warn(bad_library: Path, command: list[str]) -> None:
    seed = next((APP.parent / "seeds").glob("*.txt"))
    argv = [str(seed) if part == "SEED" else part for part in command]
    done = subprocess.run(
        [sys.executable, "-m", "reportlens.cli", *argv, "--library", str(bad_library)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert "警告：资料库中保存的用户词典无法使用" in done.stderr


def test_the_dictionary_page_mends_it(bad_library: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/dictionary.py").run()
    assert not at.exception
    shown = at.text_area(key=KEY_USERDICT).value
    assert HUGE_FREQ_LINE in shown  # the saved text, to mend
    assert any("词频" in e.value and "太大" in e.value for e in at.error)  # the page names the bad line
    at.button(key=KEY_SAVE).click().run()  # and will not save it as it is
    assert not at.exception and any("没有保存" in w.value for w in at.warning)
    with Library(bad_library) as library:
        assert HUGE_FREQ_LINE in library.load_settings().texts.userdict
    at.text_area(key=KEY_USERDICT).input(shown.replace(HUGE_FREQ_LINE, "文旅新词 5000"))
    at.button(key=KEY_SAVE).click().run()
    assert not at.exception and at.success
    with Library(bad_library) as library:
        assert library.settings_warnings() == [] and "文旅新词 5000" in library.settings.userdict
        assert "文旅新词" in library.tokenizer().cut("推动文旅新词发展")
    at.switch_page("pages/overview.py").run()
    assert not at.exception and not at.warning
