"""A library file that cannot be written: every write says so — the library is read-only, nothing to do with the
files being imported — instead of failing each file with a reason that blames it. Reading goes on.

The file is made read-only here: ``chmod 444`` for an ordinary user; for root, who may write whatever the
mode, the immutable attribute (``chattr +i``), where the file system and the container allow it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS
from streamlit.testing.v1 import AppTest

from reportlens.errors import ReportError
from reportlens.ingest import ingest_uploads, open_library
from reportlens.paths import LIBRARY_ENV
from reportlens.store import Library
from reportlens.ui.library import KEY_IMPORT, KEY_SAVE

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

APP = Path(__file__).resolve().parents[1] / "app.py"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
NEW_REPORT = SEED_FILES[0].read_bytes() + "\n（另附说明。）".encode()


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    done = subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False) if chattr else None
    if done is None or done.returncode != 0:
        pytest.skip("running as root, and this file system or container does not let chattr +i make a file read-only")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


@pytest.fixture()
def library_file(tmp_path: Path) -> Path:
    path = tmp_path / "library.sqlite3"
    open_library(path).close()  # the seeds, checkpointed into the file
    for side in tmp_path.glob("library.sqlite3-*"):
        side.unlink()
    return path


def test_an_import_into_a_read_only_library_says_the_library_is_read_only(library_file: Path) -> None:
    with read_only(library_file), Library(library_file) as library:
        assert len(library) == len(SEED_FILES)  # reading works
        with pytest.raises(ReportError, match="是只读的") as caught:
            ingest_uploads([("新报告.txt", NEW_REPORT)], library)
        assert "与所选的文件无关" in str(caught.value)
        with pytest.raises(ReportError, match="是只读的"):
            library.update_metadata(library.ids()[0], title="改不了")


def test_the_cli_says_the_library_is_read_only(library_file: Path, tmp_path: Path) -> None:
    new = tmp_path / "新报告.txt"
    new.write_bytes(NEW_REPORT)
    with read_only(library_file):
        done = subprocess.run(
            [sys.executable, "-m", "reportlens.cli", "ingest", str(new), str(SEED_FILES[1]), "--library", str(library_file)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        listed = subprocess.run(
            [sys.executable, "-m", "reportlens.cli", "library", "--library", str(library_file)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""  # no file is reported failed: it is not their fault
    assert done.stderr.startswith("错误：资料库") and "是只读的" in done.stderr and "Traceback" not in done.stderr
    assert listed.returncode == 0 and f"共 {len(SEED_FILES)} 份报告" in listed.stdout


def test_the_app_says_the_library_is_read_only(library_file: Path, monkeypatch) -> None:
    from reportlens.ui import cache

    monkeypatch.setenv(LIBRARY_ENV, str(library_file))
    cache.forget_library()
    with read_only(library_file):
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        at.switch_page("pages/library.py").run()
        assert not at.exception
        at.file_uploader[0].set_value([("新报告.txt", NEW_REPORT, "text/plain")])
        at.run()
        at.button(key=KEY_IMPORT).click().run()
        assert not at.exception
        assert at.error and "没有导入" in at.error[0].value and "是只读的" in at.error[0].value
        at.session_state["meta_editor"] = {"edited_rows": {0: {"单位": "新单位"}}, "added_rows": [], "deleted_rows": []}
        at.run()
        at.button(key=KEY_SAVE).click().run()
        assert not at.exception and any("是只读的" in e.value for e in at.error)
    cache.forget_library()
