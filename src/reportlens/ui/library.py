"""The 语料管理 widgets: import files with a progress bar, edit metadata in a table, delete with a confirmation.

Everything a user typed or uploaded stays in its widget; the work is done by ``reportlens.manage`` and
``reportlens.ingest``. File names and titles are untrusted: they reach the screen as plain text (``st.text``,
``st.dataframe``, widget options) or Markdown-escaped (the progress bar's text). Each panel draws nothing,
and each action does nothing, for a session that may not change the library (``access.is_editor``; the page
says why once).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reportlens import manage
from reportlens.errors import ReportError
from reportlens.ingest import IngestResult, ingest_uploads
from reportlens.store import Library
from reportlens.ui.access import is_editor
from reportlens.ui.strings import label, label_frame
from reportlens.ui.widgets import escape_markdown

KEY_UPLOAD = "upload_files"
KEY_IMPORT = "upload_import"
KEY_EDITOR = "meta_editor"
KEY_SAVE = "meta_save"
KEY_DELETE_IDS = "delete_ids"
KEY_DELETE_CONFIRM = "delete_confirm"
KEY_DELETE = "delete_button"

# Streamlit 1.67 writes the uploader's button and limit line in English and offers no setting for them: a style
# rule (st.html with only a <style> takes no space on the page) hides those two texts and shows Chinese ones.
# The rule is built once, here, from these constants alone: no file name or report text ever reaches st.html.
UPLOADER_BUTTON = "选择文件"
UPLOADER_NOTE = f"每次合计不超过 {manage.UPLOAD_MAX_MB} MB · " + "、".join(t.upper() for t in manage.UPLOAD_TYPES)
UPLOADER_STYLE = f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{UPLOADER_BUTTON}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "{UPLOADER_NOTE}"; font-size: 0.875rem; opacity: 0.6; }}
</style>"""


RESULT_COLUMNS = {
    label("file"): st.column_config.TextColumn(width="medium"),
    label("status"): st.column_config.TextColumn(width="small"),
    label("title"): st.column_config.TextColumn(width="medium"),
    label("reason"): st.column_config.TextColumn(width="large"),
}


def upload_panel(library: Library) -> list[IngestResult]:
    """Choose files, import them with a progress bar; then, and on every later visit, show what became of each
    file of the latest import (the library keeps it). Returns the results of an import run now.

    The uploader takes any file up to the server's ceiling (``server.maxUploadSize``, the per-upload total):
    its own per-file limit would refuse a 30 MB file in English; the readers refuse it in Chinese instead."""
    if not is_editor():
        return []
    st.caption(escape_markdown(manage.upload_note()))
    st.html(UPLOADER_STYLE)  # a constant: see above
    files = st.file_uploader(
        "选择报告文件（可一次选多个，也可以把文件拖到下面的框里）",
        type=list(manage.UPLOAD_TYPES),
        accept_multiple_files=True,
        key=KEY_UPLOAD,
    )
    refused = manage.upload_refused([f.size for f in files or []])
    if refused:
        st.warning(refused, icon=":material/block:")
    clicked = st.button(
        f"导入 {len(files or [])} 个文件",
        key=KEY_IMPORT,
        type="primary",
        disabled=not files or refused is not None,
        icon=":material/upload_file:",
    )
    results: list[IngestResult] = []
    if clicked and files and refused is None:
        results = _import(library, files)
    last = library.last_import()
    if last is not None:
        finished_at, rows = last
        if not results:
            st.text(manage.results_summary(rows, finished_at=finished_at))
        st.dataframe(
            label_frame(manage.results_frame(rows)), hide_index=True, width="stretch", column_config=RESULT_COLUMNS
        )
    return results


def _import(library: Library, files: list) -> list[IngestResult]:
    """Import the uploaded files, each read and parsed in a worker process within its budget; the progress bar
    says which file is being read and for how long. Leaving the page stops the import (the bar's update is
    where Streamlit stops a run nobody waits for) and the worker with it."""
    bar = st.progress(0.0, text="正在导入……")
    done = [0]

    def progress(count: int, total: int, result: IngestResult) -> None:
        done[0] = count
        bar.progress(count / total, text=escape_markdown(f"已处理 {count}/{total}：{result.file}"))

    def waiting(file: str, seconds: float) -> None:
        text = f"正在读取 {file}" + (f"（已 {seconds:.0f} 秒）" if seconds >= 1 else "")
        bar.progress(done[0] / len(files), text=escape_markdown(text))

    try:
        results = ingest_uploads(
            [(f.name, f.getvalue()) for f in files],
            library,
            limits=manage.UPLOAD_LIMITS,
            budget=manage.upload_budget(),
            progress=progress,
            waiting=waiting,
        )
    except ReportError as err:  # the library cannot be written (read-only, damaged): nothing was imported
        bar.empty()
        st.error(escape_markdown(f"没有导入：{err}"), icon=":material/error:")
        return []
    bar.progress(1.0, text="导入完成")
    st.text(manage.results_summary(results))
    return results


def metadata_editor(library: Library, reports: pd.DataFrame) -> None:
    """Edit title, year, unit and kind in a table; 保存修改 checks every edit first and saves all or none."""
    if not is_editor():
        return
    original = manage.metadata_frame(reports)
    shown = label_frame(original)
    editable = {label(c) for c in manage.EDITABLE_COLUMNS}
    edited = st.data_editor(
        shown,
        key=KEY_EDITOR,
        hide_index=True,
        width="stretch",
        height=min(420, 40 + 35 * max(len(shown), 1)),
        disabled=[c for c in shown.columns if c not in editable],
        column_config={
            label("title"): st.column_config.TextColumn(width="large"),
            label("short_name"): st.column_config.TextColumn(
                width="medium", help="图表和筛选中显示的名称；清空则按单位、年份和标题自动生成"
            ),
            label("year"): st.column_config.TextColumn(width="small", help="四位数字年份；留空表示不详"),
            label("unit"): st.column_config.TextColumn(width="medium"),
            label("kind"): st.column_config.TextColumn(width="small"),
            label("chars"): st.column_config.NumberColumn(format="localized"),
        },
    )
    changes = manage.metadata_changes(original, edited.rename(columns=_column_names(original)))
    note = st.empty()  # filled once the button's outcome is known
    pending = f"已修改 {len(changes)} 篇报告，尚未保存。" if changes else "直接在表格中修改标题、简称、年份、单位和类型，然后保存。"
    if not st.button("保存修改", key=KEY_SAVE, disabled=not changes, icon=":material/save:"):
        note.caption(pending)
        return
    problems = manage.check_changes(changes)
    if problems:
        note.caption(pending)
        st.error("没有保存，请先改正：\n\n" + "\n\n".join(escape_markdown(p) for p in problems))
        return
    try:
        saved = manage.apply_changes(library, changes)
    except ReportError as err:
        note.caption(pending)
        st.error(escape_markdown(f"保存失败：{err}"))
        return
    note.caption("表格中的修改已全部保存。")
    st.success(f"已保存 {saved} 篇报告的修改。")


def _column_names(original: pd.DataFrame) -> dict[str, str]:
    """Chinese header → column name, to read the editor's result with the package's column names."""
    return {label(c): c for c in original.columns}


def delete_panel(library: Library, reports: pd.DataFrame) -> None:
    """Pick reports, tick the confirmation, then 删除: the reports and their analyses are removed."""
    if not is_editor():
        return
    names = dict(zip(reports["report_id"], reports["label"], strict=True))
    chosen = st.multiselect(
        "选择要删除的报告",
        list(names),
        format_func=names.__getitem__,
        key=KEY_DELETE_IDS,
        placeholder="选择报告",
        select_all=False,
    )
    if not chosen:
        return
    st.text("将删除以下报告及其全部分析数据：\n" + "\n".join(f"· {names[i]}" for i in chosen))
    confirmed = st.checkbox(f"我确认删除这 {len(chosen)} 篇报告（无法恢复）", key=KEY_DELETE_CONFIRM)
    st.button(
        f"删除 {len(chosen)} 篇报告",
        key=KEY_DELETE,
        type="primary",
        disabled=not confirmed,
        icon=":material/delete:",
        on_click=_delete,
        args=(library, tuple(chosen)),
    )


def _delete(library: Library, report_ids: tuple[str, ...]) -> None:
    """Button callback (runs before the next script run, so the whole app already shows the library without
    them): delete, clear the picker and the confirmation, say what happened."""
    if not is_editor():  # the session logged out since the button was drawn
        return
    deleted = manage.delete_reports(library, report_ids)
    st.session_state[KEY_DELETE_IDS] = []
    st.session_state[KEY_DELETE_CONFIRM] = False
    st.toast(f"已删除 {deleted} 篇报告。", icon=":material/delete:")
