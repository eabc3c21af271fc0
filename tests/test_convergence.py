"""The library converges on its dictionary: reports imported while another session saves new word lists end up
segmented with the new ones, and the 词典与停用词 page says what is really going on (an import or a
re-segmentation in progress, one left unfinished) instead of always blaming an interrupted re-segmentation.

Two sessions are two threads here, each with its own ``Library`` object on one file, as two browser sessions
of the app share a file (and each thread its own SQLite connection).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import CORPORA, require_shared
from streamlit.testing.v1 import AppTest

from reportlens import lexicon, prepare
from reportlens.ingest import ingest_paths, open_library
from reportlens.lexicon import IMPORTING, RESEGMENTING
from reportlens.maintenance import refresh_derived
from reportlens.paths import LIBRARY_ENV
from reportlens.store import Activity, Library
from reportlens.ui.dictionary import KEY_RESUME

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

APP = Path(__file__).resolve().parents[1] / "app.py"


def province_reports(count: int = 10) -> list[Path]:
    """The first ``count`` 2026 provincial reports of ../shared (the test skips and says why without it)."""
    return sorted((require_shared(CORPORA) / "provinces-2026").glob("*.txt"))[:count]


WORD = "高质量发展"  # cut 高质量｜发展 by the bundled dictionary; in every province's 2026 report
NEW_LINE = f"{WORD} 50000"


def tokens_of(library: Library, report_id: str) -> set[str]:
    frame = library.token_table([report_id])
    return set(frame["token"].astype(str))


def test_an_import_during_a_dictionary_save_converges(tmp_path: Path) -> None:
    files = province_reports()
    path = tmp_path / "library.sqlite3"
    Library(path).close()
    saved = threading.Event()
    held: list[int] = []  # how many reports the library held when the other session saved

    def other_session() -> None:
        """The 词典与停用词 page of another browser: save, then re-segment what the library holds now."""
        with Library(path) as other:
            other.save_settings(userdict=other.settings.userdict + f"\n{NEW_LINE}\n")
            held.append(len(other))
            refresh_derived(other)
        saved.set()

    def progress(done: int, total: int, result) -> None:
        if done == 3 and not saved.is_set():  # three reports in: the other session saves meanwhile
            thread = threading.Thread(target=other_session)
            thread.start()
            thread.join()

    with Library(path) as library:
        results = ingest_paths(files, library, progress=progress)
        assert saved.is_set() and [r.status for r in results] == ["ok"] * len(files)
        assert NEW_LINE in library.settings.userdict
        assert library.stale_ids() == []  # converged: every report has the new dictionary's tokens
        assert all(WORD in tokens_of(library, r.report_id) for r in results)
        # those there when the other session re-segmented (three or more: files are stored a chunk at a time);
        # the rest this import redid itself
        assert 3 <= held[0] < len(files)
        assert [r.resegmented for r in results] == [False] * held[0] + [True] * (len(files) - held[0])
        assert library.activity() == {}  # no work left marked as going on


def test_before_the_fix_the_import_left_stale_reports(tmp_path: Path, monkeypatch) -> None:
    """What the issue saw, kept as the reason for ``_converge``: without it the import leaves them stale."""
    from reportlens import ingest

    monkeypatch.setattr(ingest, "_converge", lambda results, library: results)
    monkeypatch.setattr(prepare, "CHUNK_FILES", 1)  # a file at a time: three are still to come at the save
    files = province_reports(4)
    path = tmp_path / "library.sqlite3"
    Library(path).close()

    def progress(done: int, total: int, result) -> None:
        if done == 1:
            with Library(path) as other:
                other.save_settings(userdict=other.settings.userdict + f"\n{NEW_LINE}\n")
                refresh_derived(other)

    with Library(path) as library:
        ingest_paths(files, library, progress=progress)
        assert len(library.stale_ids()) == 3


NOW = 1.0
LONG_AGO = lexicon.ACTIVE_SECONDS + 5


@pytest.mark.parametrize(
    ("activity", "phrase", "offer"),
    [
        ({RESEGMENTING: Activity(NOW, {"done": 16, "total": 40})}, "正在按当前词表重新分词（已完成 16/40 篇）", False),
        ({IMPORTING: Activity(NOW, {"done": 2, "total": 9})}, "这次导入结束时会自动按当前词表重新分词", False),
        ({RESEGMENTING: Activity(LONG_AGO, {"done": 16, "total": 40})}, "上次重新分词没有完成", True),
        ({IMPORTING: Activity(LONG_AGO, {})}, "在词表修改期间导入而导入被中断", True),
        ({}, "还没有按当前词表分词", True),
    ],
)
def test_the_note_says_what_is_going_on(activity, phrase, offer) -> None:
    note, offered = lexicon.stale_note(7, activity)
    assert phrase in note and offered is offer


def test_the_dictionary_page_says_an_import_is_converging(tmp_path: Path, monkeypatch) -> None:
    from reportlens.ui import cache

    path = tmp_path / "library.sqlite3"
    open_library(path).close()
    monkeypatch.setenv(LIBRARY_ENV, str(path))
    cache.forget_library()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()  # the app has the library open
    with Library(path) as other:  # another session saves, and its import is under way meanwhile
        other.save_settings(userdict=other.settings.userdict + f"\n{NEW_LINE}\n")
        other.mark_activity(IMPORTING, done=1, total=5)
    at.switch_page("pages/dictionary.py").run()
    assert not at.exception
    assert any("这次导入结束时会自动按当前词表重新分词" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == KEY_RESUME]  # nothing to press while the import is at it
    with Library(path) as library:
        library.mark_activity(IMPORTING, ended=True)  # the import was stopped before it could re-segment
    at.run()
    assert any("导入而导入被中断" in w.value for w in at.warning)
    at.button(key=KEY_RESUME).click().run()
    assert not at.exception and at.success
    with Library(path) as library:
        assert library.stale_ids() == []
    cache.forget_library()
