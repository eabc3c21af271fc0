"""``ui.frame.require_app`` depends on a Streamlit internal (``PagesManager.uses_pages_directory``): these tests
fail — loudly, never skip — when a Streamlit upgrade removes it or changes what it means, so that deep links
(a link to a page as the first request after the server starts) are not broken silently."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from reportlens.ui.frame import PAGES_FLAG

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def flag() -> Iterator[None]:
    """Put the class attribute back as it was, whatever the test did to it."""
    before = getattr(PagesManager, PAGES_FLAG)
    yield
    setattr(PagesManager, PAGES_FLAG, before)


def test_installed_streamlit_is_in_the_pinned_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = next(Requirement(d) for d in project["dependencies"] if Requirement(d).name == "streamlit")
    assert pinned.specifier.contains(version("streamlit")), f"streamlit {version('streamlit')} not in {pinned}"
    assert any(s.operator == "<" for s in pinned.specifier), "the Streamlit pin needs an upper bound"


def test_pages_manager_has_the_flag() -> None:
    assert PAGES_FLAG in vars(PagesManager), f"Streamlit's PagesManager lost {PAGES_FLAG}: see ui/frame.py"


def test_flag_is_set_by_a_pages_folder_and_cleared_by_navigation(tmp_path: Path, flag: None) -> None:
    """What ``require_app`` reads: true once an app with a ``pages/`` folder is served, false after its
    entrypoint has called ``st.navigation``."""
    app = tmp_path / "app.py"
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "one.py").write_text("import streamlit as st\nst.write('one')\n", encoding="utf-8")
    app.write_text(
        "import streamlit as st\nst.navigation([st.Page('pages/one.py', default=True)]).run()\n", encoding="utf-8"
    )
    setattr(PagesManager, PAGES_FLAG, None)
    PagesManager(str(app))
    assert getattr(PagesManager, PAGES_FLAG) is True
    at = AppTest.from_file(str(app)).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["one"]
    assert getattr(PagesManager, PAGES_FLAG) is False
