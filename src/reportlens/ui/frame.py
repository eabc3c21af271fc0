"""Every page runs inside ``app.py``, which draws the frame around it: page setup, the navigation, the sidebar
title and the filters — and ``guarded``, which keeps Python's errors from users.

Streamlit serves the scripts of a ``pages/`` folder on their own — without ``app.py`` — until some run of
``app.py`` has called ``st.navigation`` in the server process. A link to a page followed as the very first
request after the server starts therefore ran the page bare: no filters in the sidebar, the link's
``?role=…&years=…`` ignored. ``require_app``, the first call of every page script, notices that and runs
``app.py`` around the page.

Streamlit 1.67 offers no supported way to do this: while ``pages/`` exists (it must: the project's requested
layout), a first request to ``/keywords`` runs Streamlit's own multipage loop (``_mpa_v1``) over the folder,
and ``st.navigation`` in ``app.py`` is only seen once ``app.py`` has run. The notice reads Streamlit's class
attribute ``PagesManager.uses_pages_directory`` (not public API), so ``pyproject.toml`` pins Streamlit to the
minor version this was checked with, and ``tests/test_frame.py`` fails loudly when the attribute or its
meaning is gone.
"""

from __future__ import annotations

import logging
import runpy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import streamlit as st

from reportlens.errors import LibraryDamaged
from reportlens.ui.strings import PAGE_FAILED

logger = logging.getLogger("reportlens.app")
SERVER_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# ``client.showErrorDetails`` values with which Streamlit shows a user the error itself (a developer's set-up).
DETAILS_SHOWN = frozenset({"full", "stacktrace", "true", "True", True})

# Streamlit's class attribute that is true while it serves ``pages/`` itself (before any ``st.navigation``).
PAGES_FLAG = "uses_pages_directory"

# True while ``app.py`` runs the page it routed to (set by ``framed``, reset when the page has run).
_FRAMED: ContextVar[bool] = ContextVar("reportlens_framed", default=False)


def server_log() -> logging.Logger:
    """The app's logger; the package's warnings and errors go to the server's stderr (where ``streamlit run``
    logs) with time and level, once this has been called in the server process."""
    package = logging.getLogger("reportlens")
    if not any(type(h) is logging.StreamHandler for h in package.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(SERVER_LOG_FORMAT))
        package.addHandler(handler)
    return logger


@contextmanager
def guarded() -> Iterator[None]:
    """An error inside is logged on the server with its traceback and shown to the user as one Chinese
    sentence: no Python message, no source path. Damage a view finds in the library file shows the ways out
    (``repair_panel``), as damage found when it is opened does. With ``client.showErrorDetails`` set to show details (a
    developer's set-up, and the tests') the error goes on to Streamlit instead. Streamlit's own stop and rerun
    signals are no ``Exception`` and pass through."""
    server_log()
    try:
        yield
    except LibraryDamaged as err:  # found by a view reading the library (a text, the items): the ways out
        from reportlens.ui.repair import repair_panel  # the panel reads the library cache: not at import

        server_log().warning("a page found the library damaged: %s", err)
        repair_panel(err)
    except Exception:
        if st.get_option("client.showErrorDetails") in DETAILS_SHOWN:
            raise
        server_log().exception("a page failed")
        st.error(PAGE_FAILED, icon=":material/error:")


@contextmanager
def framed() -> Iterator[None]:
    """``app.py`` runs the page inside this, once it has drawn the frame (errors inside are ``guarded``)."""
    token = _FRAMED.set(True)
    try:
        with guarded():
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
    try:  # the flag ``st.navigation`` clears; not public API (see the module's docstring)
        from streamlit.runtime import pages_manager
    except ImportError:
        pages_manager = None  # type: ignore[assignment]
    manager = getattr(pages_manager, "PagesManager", None)
    if manager is None or not hasattr(manager, PAGES_FLAG):
        # a Streamlit without it: the page runs bare on a first request (no sidebar filters); say so on the server
        server_log().warning("Streamlit has no PagesManager.%s: deep links run pages without app.py", PAGES_FLAG)
        return
    app = Path(page_file).resolve().parent.parent / "app.py"
    if getattr(manager, PAGES_FLAG) and app.is_file():
        runpy.run_path(str(app), run_name="__main__")
        st.stop()
