"""The meeting pack: the dashboard's charts and the insights for a selection, as PowerPoint slides and an Excel
workbook (``pack`` decides what goes in, ``slides`` and ``workbook`` write the files)."""

from reportlens.export.content import Indexes, Pack, Scope, years_label
from reportlens.export.pack import PAGES, build_indexes, meeting_pack, scope_caption
from reportlens.export.slides import pptx_bytes
from reportlens.export.workbook import xlsx_bytes

__all__ = [
    "PAGES",
    "Indexes",
    "Pack",
    "Scope",
    "build_indexes",
    "meeting_pack",
    "pptx_bytes",
    "scope_caption",
    "xlsx_bytes",
    "years_label",
]
