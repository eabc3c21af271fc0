"""The columns of the row tables of an outline — sections, parts, items — as both the library
(``store``) and the in-memory engine (``tables``) give them: one definition, below both."""

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
