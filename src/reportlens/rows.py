"""The columns of the row tables of an outline — sections, parts, items — as both the library
(``store``) and the in-memory engine (``tables``) give them, and the version of the parser that made them
(``PARSER_VERSION``: the library redoes outlines made by another): one definition, below both."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reportlens import outline as outline_module
from reportlens import structure

SECTION_COLUMNS = [
    "report_id",
    "section_path",
    "parent_path",
    "heading",
    "title",
    "level",
    "role",
    "start",
    "end",
    "chars",
    "implicit",
    "items",
    "score",
    "evidence",
    "key",
]
PART_COLUMNS = ["report_id", "section_path", "role", "start", "end", "heading"]
ITEM_COLUMNS = ["item_id", "report_id", "role", "number", "title", "text", "start", "end", "children"]


def _parser_version() -> str:
    """A hash of the parser's source (every module of ``structure``, and ``outline``): outlines (and the parts
    tokens point into) are redone when it changes."""
    digest = hashlib.sha256()
    sources = [*sorted(Path(structure.__file__ or "").parent.glob("*.py")), Path(outline_module.__file__ or "")]
    for source in sources:
        digest.update(source.read_bytes() if source.is_file() else source.name.encode())
    return digest.hexdigest()[:12]


PARSER_VERSION = _parser_version()


def item_text_span(text: str, item_text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where an item's text lies in the report text, searched inside the item's span ``start:end`` (the parser
    cuts it from there, stripped or without its 「一是」); None if it is not found there. (Here, not in
    ``outline``: the parser version is a hash of ``outline`` and ``structure``, and this is no parsing.)"""
    at = text.find(item_text, start, end)
    return None if at < 0 else (at, at + len(item_text))
