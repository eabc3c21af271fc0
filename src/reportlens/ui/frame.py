"""Every page runs inside ``app.py``, which draws the frame around it: page setup, the navigation, the sidebar
title and the filters.

Streamlit serves the scripts of a ``pages/`` folder on their own — without ``app.py`` — until some run of
``app.py`` has called ``st.navigation`` in the server process. A link to a page followed as the very first
request after the server starts therefore ran the page bare: no filters in the sidebar, the link's
``?role=…&years=…`` ignored. ``require_app``, the first call of every page script, notices that and runs
``app.py`` around the page.
"""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import streamlit as st

# True while ``app.py`` runs the page it routed to (set by ``framed``, reset when the page has run).
_FRAMED: ContextVar[bool] = ContextVar("reportlens_framed", default=False)


@contextmanager
def framed() -> Iterator[None]:
    """``app.py`` runs the page inside this, once it has drawn the frame."""
    token = _FRAMED.set(True)
    try:
        yield
    finally:
        _FRAMED.reset(token)


def require_app(page_file: str) -> None:
    """Call first in a page script, with its ``__file__``. Run on its own, the page has ``app.py`` (beside the
    ``pages/`` folder) run here, in this same run, around it, then stops: ``app.py`` calls ``st.navigation``,
    which also tells Streamlit to stop serving the ``pages/`` folder directly, and runs this page inside the
    frame."""
    if _FRAMED.get():
        return
    try:  # the flag ``st.navigation`` clears; not public API, so a Streamlit without it leaves pages as they run
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return
    app = Path(page_file).resolve().parent.parent / "app.py"
    if getattr(PagesManager, "uses_pages_directory", None) and app.is_file():
        runpy.run_path(str(app), run_name="__main__")
        st.stop()
