"""Corrections a reader makes to a parse (结构校对): a part's role, the level its items are taken from, an item
dropped, an item's title.

A correction names its target by a key made from the words of the text, not by a position, so it still finds
its part or item after the parser or the dictionary changes — and says so when it no longer does (``Outline.
unmatched``), never landing on another part. Restoring a dropped item or undoing a correction removes it.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from reportlens.roles import ROLE_LABELS, SECTION_ROLES

ROLE, LEVEL, DROP, TITLE = "role", "level", "drop", "title"
KINDS = (ROLE, LEVEL, DROP, TITLE)
KIND_LABELS = {ROLE: "修改部分角色", LEVEL: "选择条目层级", DROP: "删除条目", TITLE: "修改条目标题"}
LEVELS = ("1", "2")
LEVEL_LABELS = {"1": "下一级标题", "2": "再下一级标题"}
TITLE_MAX = 200
# How many characters of an un-headed part's text, and of an item's text, name it.
PART_KEY_CHARS = 20
ITEM_KEY_CHARS = 30


@dataclass(frozen=True)
class Correction:
    """One correction: ``kind`` (role, level, drop, title), the key of its ``target`` and its new ``value``."""

    kind: str
    target: str
    value: str = ""

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "target": self.target, "value": self.value}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Correction:
        data = json.loads(text)
        return cls(str(data["kind"]), str(data["target"]), str(data.get("value", "")))

    def describe(self) -> str:
        """The correction in Chinese, for a list of corrections."""
        if self.kind == ROLE:
            return f"{KIND_LABELS[ROLE]}：{self.target} → {ROLE_LABELS.get(self.value, self.value)}"
        if self.kind == LEVEL:
            return f"{KIND_LABELS[LEVEL]}：{self.target} → {LEVEL_LABELS.get(self.value, self.value)}"
        item = self.target.split("|", 1)[-1]
        if self.kind == TITLE:
            return f"{KIND_LABELS[TITLE]}：{item}… → {self.value}"
        return f"{KIND_LABELS[DROP]}：{item}…"


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def section_key(heading: str, text: str) -> str:
    """The key of a top-level part: its heading, or for an un-headed part the opening of its text in 〔〕."""
    if heading.strip():
        return _compact(heading)
    return f"〔{_compact(text[: PART_KEY_CHARS * 4])[:PART_KEY_CHARS]}〕"


def item_key(role: str, text: str) -> str:
    """The key of an item: its role and the opening of its text."""
    return f"{role}|{_compact(text[: ITEM_KEY_CHARS * 4])[:ITEM_KEY_CHARS]}"


def check(correction: Correction) -> str | None:
    """Why a correction cannot be kept, in Chinese; None when it can."""
    if correction.kind not in KINDS:
        return f"未知的校对类型「{correction.kind}」。"
    if not correction.target.strip():
        return "校对没有指明对象。"
    if correction.kind == ROLE and correction.value not in SECTION_ROLES:
        return f"角色应为 {'、'.join(ROLE_LABELS[r] for r in SECTION_ROLES)} 之一。"
    if correction.kind == LEVEL and correction.value not in LEVELS:
        return "条目层级应为“下一级标题”或“再下一级标题”。"
    if correction.kind == TITLE:
        title = correction.value.strip()
        if not title:
            return "条目标题不能为空。"
        if len(title) > TITLE_MAX or "\n" in title:
            return f"条目标题应为一行，不超过 {TITLE_MAX} 个字。"
    return None


def last_per_target(corrections: tuple[Correction, ...]) -> dict[tuple[str, str], tuple[int, Correction]]:
    """For each (kind, target), the last correction made and its index (a later one overrides an earlier)."""
    out: dict[tuple[str, str], tuple[int, Correction]] = {}
    for index, correction in enumerate(corrections):
        out[(correction.kind, correction.target)] = (index, correction)
    return out
