"""The library: one embedded SQLite file holding a user's reports and everything derived from them.

The one entry point is ``reportlens.store.Library`` (``from reportlens.store import Library``); what it
stores and guarantees is told in ``store.library``. The package's modules:

- ``library``: the ``Library`` facade — connections and transactions, writes and imports, settings, reads;
- ``corrections``: a library's structure corrections read with ``sqlite3`` alone (the command line's
  ``outline`` of files, which must start without numpy, pandas or the tokenizer).

The names are imported on first use (PEP 562 ``__getattr__``), so importing ``reportlens.store.corrections``
does not load the whole library code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlens.corpus import check_year
    from reportlens.lexicon import Settings
    from reportlens.schema import SCHEMA_VERSION
    from reportlens.store.corrections import stored_corrections
    from reportlens.store.library import Activity, Library

__all__ = ["SCHEMA_VERSION", "Activity", "Library", "Settings", "check_year", "stored_corrections"]

_HOMES = {
    "Activity": "reportlens.store.library",
    "Library": "reportlens.store.library",
    "stored_corrections": "reportlens.store.corrections",
    "SCHEMA_VERSION": "reportlens.schema",
    "Settings": "reportlens.lexicon",
    "check_year": "reportlens.corpus",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
