"""Where the library (the SQLite file holding a user's reports) lives.

Order of precedence: an explicit path (``--library FILE`` on the command line), then the environment variable
``REPORTLENS_LIBRARY``, then a per-user data folder: ``%APPDATA%\\reportlens`` on Windows, otherwise
``$XDG_DATA_HOME/reportlens`` or ``~/.local/share/reportlens`` (the XDG default, also used on macOS so one
rule covers every Unix).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_DIR = "reportlens"
LIBRARY_FILE = "library.sqlite3"
LIBRARY_ENV = "REPORTLENS_LIBRARY"


def default_library_path(*, environ: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """The per-user library file (not created here). ``environ``/``platform`` default to this process's."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if system.startswith("win"):
        base = env.get("APPDATA") or str(Path(env.get("USERPROFILE") or Path.home()) / "AppData" / "Roaming")
        return Path(base) / APP_DIR / LIBRARY_FILE
    xdg = env.get("XDG_DATA_HOME", "")
    # the XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else Path(env.get("HOME") or Path.home()) / ".local" / "share"
    return base_dir / APP_DIR / LIBRARY_FILE


def library_path(
    explicit: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> Path:
    """The library file to use: ``explicit`` if given, else ``$REPORTLENS_LIBRARY``, else the per-user default."""
    if explicit is not None and str(explicit):
        return Path(explicit).expanduser()
    env = os.environ if environ is None else environ
    if env.get(LIBRARY_ENV):
        return Path(env[LIBRARY_ENV]).expanduser()
    return default_library_path(environ=env, platform=platform)
