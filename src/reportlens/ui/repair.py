"""What the app shows instead of its pages when the library file is damaged (``errors.LibraryDamaged``): what is
wrong, the three ways out, and — for editors — buttons for two of them (``reportlens.repair``)."""

from __future__ import annotations

import streamlit as st

from reportlens import repair
from reportlens.errors import LibraryDamaged
from reportlens.ui import cache
from reportlens.ui.access import is_editor, require_editor
from reportlens.ui.strings import EDIT_ACTIONS
from reportlens.ui.widgets import escape_markdown

KEY_REBUILD = "repair_rebuild"
KEY_NEW_CONFIRM = "repair_new_confirm"
KEY_NEW = "repair_new"


def repair_panel(err: LibraryDamaged) -> None:
    """The damage, the ways out, and (for editors) 重建 / 新建 buttons; the library is opened again after.
    A viewer is told no more than that it is damaged (not where the file lies on the server)."""
    if not is_editor():
        st.error("资料库文件已损坏，暂时无法查看报告。请告诉管理员。", icon=":material/report:")
        require_editor(EDIT_ACTIONS["repair"])
        return
    st.error(escape_markdown(str(err)), icon=":material/report:")
    st.subheader("如何恢复")
    st.text(
        f"1. 从备份恢复：如有这个文件的备份，请管理员停止报告透视，用备份替换「{err.path}」后重新启动。\n"
        "2. 用库中保存的报告原文重建：读出还能读的每篇报告的原文、标题、年份等信息和词表，重新分析，"
        "建成新的资料库；原文件改名保留在旁边。\n"
        "3. 新建一个空资料库（载入示例报告）：原文件改名保留在旁边。"
    )
    rebuild_col, new_col = st.columns(2)
    with rebuild_col:
        if st.button("用原文重建资料库", key=KEY_REBUILD, type="primary", icon=":material/build:"):
            bar = st.progress(0.0, text="正在读取损坏的资料库……")

            def progress(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=f"正在重建：{done}/{total} 篇")

            result = repair.rebuild(err.path, progress=progress)
            cache.forget_library()
            lost = f"，{len(result.lost)} 篇的原文已无法读取" if result.lost else ""
            if result.corrections or result.corrections_lost:
                lost += f"；结构校对保留 {result.corrections} 条" + (
                    f"，{result.corrections_lost} 条无法恢复" if result.corrections_lost else ""
                )
            st.success(
                escape_markdown(
                    f"已重建资料库：恢复报告 {result.recovered} 篇{lost}。损坏的文件改名保留为「{result.kept_as}」。"
                )
            )
            st.button("打开重建后的资料库", key=f"{KEY_REBUILD}_open", icon=":material/refresh:")
    with new_col:
        confirmed = st.checkbox("我知道：新资料库从示例报告开始，原文件改名保留", key=KEY_NEW_CONFIRM)
        if st.button("新建空资料库", key=KEY_NEW, disabled=not confirmed, icon=":material/note_add:"):
            kept = repair.start_new(err.path)
            cache.forget_library()
            st.success(escape_markdown(f"原文件已改名保留为「{kept}」。"))
            st.button("打开新资料库", key=f"{KEY_NEW}_open", icon=":material/refresh:")
