"""The 结构 page's 结构可信度 and 结构校对: how sure the parser is of a report's structure and why, and the
corrections a reader makes to it (a part's role, the level its items come from, an item dropped or retitled),
each saved in the library at once, listed with its state, and undone with one click.

Report text reaches the screen as plain text or Markdown-escaped; the work is done by ``Library``.
"""

from __future__ import annotations

import streamlit as st

from reportlens import selection
from reportlens.errors import ReportError
from reportlens.maintenance import add_correction, remove_correction
from reportlens.outline import CONFIDENCE_MEDIUM
from reportlens.roles import ITEM_LABELS, ITEM_ROLES, ROLE_LABELS, SECTION_ROLES
from reportlens.store import Library
from reportlens.structure.corrections import (
    DROP,
    LEVEL,
    LEVEL_LABELS,
    LEVELS,
    ROLE,
    TITLE,
    Correction,
    item_key,
)
from reportlens.tables import CorpusTables
from reportlens.ui.access import is_editor
from reportlens.ui.strings import label_frame
from reportlens.ui.widgets import escape_markdown

KEY_PART = "fix_part"
KEY_ROLE = "fix_role"
KEY_LEVEL_PART = "fix_level_part"
KEY_LEVEL = "fix_level"
KEY_ITEM_ROLE = "fix_item_role"
KEY_ITEM = "fix_item"
KEY_TITLE = "fix_title"
DONE = "fix_done"  # what the last correction did, shown once after the rerun it causes


def show_confidence(tables: CorpusTables, report_id: str) -> None:
    """结构可信度 of one report: 高/中/低 with the value, a warning when low, and what it rests on."""
    value, word, evidence = selection.report_confidence(tables, report_id)
    text = f"结构可信度：{word}（{value:.2f}）。依据：" + "；".join(evidence)
    if value < CONFIDENCE_MEDIUM:
        st.warning(escape_markdown(text) + "。这篇报告的结构识别把握不大，请在下方「结构校对」中核对各部分的角色和条目。")
    else:
        st.caption(escape_markdown(text))


def show_parts(tables: CorpusTables, report_id: str) -> None:
    """The report's top-level parts with their roles, how sure each role is and why."""
    parts = selection.top_parts(tables, report_id)
    shown = parts[["name", "role", "score", "evidence"]].rename(
        columns={"name": "标题", "score": "角色可信度", "evidence": "判断依据"}
    )
    st.dataframe(
        label_frame(shown),
        hide_index=True,
        width="stretch",
        column_config={
            "角色可信度": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
            "判断依据": st.column_config.TextColumn(width="large"),
        },
    )


def _apply(library: Library, report_id: str, correction: Correction, done: str) -> None:
    if not is_editor():  # the session logged out since the button was drawn
        return
    try:
        add_correction(library, report_id, correction)
    except ReportError as err:
        st.error(str(err))
        return
    st.session_state[DONE] = done
    st.rerun()


def corrections_panel(library: Library, tables: CorpusTables, report_id: str, *, editable: bool = True) -> None:
    """结构校对 for one report. ``editable``: False shows the corrections without the means to change them."""
    if st.session_state.get(DONE):
        st.success(st.session_state.pop(DONE))
    parts = selection.top_parts(tables, report_id)
    parts = parts[parts["role"].isin(SECTION_ROLES)]
    if editable and not parts.empty:
        _role_form(library, report_id, parts)
        _level_form(library, report_id, parts)
        _item_form(library, tables, report_id)
    _made(library, report_id, editable=editable)


def _role_form(library: Library, report_id: str, parts) -> None:
    names = dict(zip(parts["key"], parts["name"], strict=True))
    roles = dict(zip(parts["key"], parts["role"], strict=True))
    left, middle, right = st.columns([3, 2, 1], vertical_alignment="bottom")
    key = left.selectbox("要改角色的部分", list(names), format_func=names.__getitem__, key=KEY_PART)
    current = SECTION_ROLES.index(roles[key]) if roles[key] in SECTION_ROLES else 0
    role = middle.selectbox("改为", list(SECTION_ROLES), index=current, format_func=ROLE_LABELS.__getitem__, key=KEY_ROLE)
    if right.button("保存角色", key="fix_role_save", disabled=role == roles[key]):
        _apply(library, report_id, Correction(ROLE, key, role), f"已把「{names[key]}」改为「{ROLE_LABELS[role]}」。")


def _level_form(library: Library, report_id: str, parts) -> None:
    nested = parts[parts["has_children"] & parts["role"].isin(ITEM_ROLES)]
    if nested.empty:
        return
    names = dict(zip(nested["key"], nested["name"], strict=True))
    left, middle, right = st.columns([3, 2, 1], vertical_alignment="bottom")
    key = left.selectbox("条目取自哪一部分", list(names), format_func=names.__getitem__, key=KEY_LEVEL_PART)
    level = middle.radio("条目层级", list(LEVELS), format_func=LEVEL_LABELS.__getitem__, horizontal=True, key=KEY_LEVEL)
    if right.button("保存层级", key="fix_level_save"):
        _apply(library, report_id, Correction(LEVEL, key, level), f"「{names[key]}」的条目改取{LEVEL_LABELS[level]}。")


def _item_form(library: Library, tables: CorpusTables, report_id: str) -> None:
    role = st.radio("条目类别", list(ITEM_ROLES), format_func=ITEM_LABELS.__getitem__, horizontal=True, key=KEY_ITEM_ROLE)
    items = selection.items_of(tables, [report_id], role)
    if items.empty:
        st.caption(f"这篇报告没有{ITEM_LABELS[role]}条目。")
        return
    titles = {item_key(role, text): f"{number}. {title}" for number, title, text in items[["number", "title", "text"]].itertuples(index=False)}
    target = st.selectbox("条目", list(titles), format_func=titles.__getitem__, key=KEY_ITEM)
    left, middle, right = st.columns([4, 1, 1], vertical_alignment="bottom")
    title = left.text_input("新标题", key=KEY_TITLE, max_chars=200, placeholder="输入后点“修改标题”")
    if middle.button("修改标题", key="fix_title_save", disabled=not title.strip()):
        _apply(library, report_id, Correction(TITLE, target, title.strip()), f"已修改条目标题为「{title.strip()}」。")
    if right.button("删除此条", key="fix_drop"):
        _apply(library, report_id, Correction(DROP, target), f"已删除条目「{titles[target]}」。")


def _made(library: Library, report_id: str, *, editable: bool) -> None:
    made = library.corrections(report_id)
    if not made:
        st.caption("这篇报告还没有人工校对。")
        return
    st.markdown("**已做的校对**（按时间先后；解析规则或词典更新后会自动重新应用）")
    for seq, correction, matched in made:
        row = st.columns([6, 1], vertical_alignment="center")
        state = "" if matched else "　⚠ 原文中已找不到对应的部分或条目，这条校对暂未生效"
        row[0].text(f"{correction.describe()}{state}")
        if editable and row[1].button("撤销", key=f"fix_undo_{seq}") and is_editor():
            remove_correction(library, report_id, seq)
            st.session_state[DONE] = "已撤销这条校对。"
            st.rerun()
