"""The 词典与停用词 widgets: the word lists to edit, a segmentation preview, save and re-segment.

The lists and the preview sentence sit in one form with three buttons — 试分词, 保存并重新分词, 恢复为内置词表 —
so an edit is taken when a button is pressed (and no English typing hint shows under the boxes). The preview
cuts the sentence with a tokenizer built from the edited, unsaved texts (``cache.preview_tokenizer`` builds a
new one; none is ever changed) beside the library's current one. Saving stores the texts and re-segments
every report with a progress bar; a re-segmentation that was interrupted can be resumed here. Saving needs an
editor (``access.require_editor``): a viewer may try a dictionary out, not keep it.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from reportlens import lexicon
from reportlens.derived import bundled_text
from reportlens.errors import ReportError
from reportlens.maintenance import refresh_derived
from reportlens.store import Library, Settings
from reportlens.text import join_stopwords
from reportlens.ui import cache
from reportlens.ui.access import is_editor, require_editor
from reportlens.ui.strings import EDIT_ACTIONS
from reportlens.ui.widgets import escape_markdown

KEY_USERDICT = "dict_userdict"
KEY_STOPWORDS = "dict_stopwords"
KEY_THEMES = "dict_themes"
KEY_BOILERPLATE = "dict_boilerplate"
KEY_SENTENCE = "dict_sentence"
KEY_SAVE = "dict_save"
KEY_RESUME = "dict_resume"
KEY_DEFAULTS = "dict_defaults"
KEY_PREVIEW = "dict_preview"
KEY_FORM = "dict_form"
EXAMPLE_SENTENCE = "深入推进全面从严治党，持续整治形式主义为基层减负，推动文旅融合高质量发展。"
TEXT_HEIGHT = 300


@dataclass(frozen=True)
class Edited:
    """The word lists as the text areas hold them."""

    userdict: str
    stopwords: str
    themes: str
    boilerplate: str

    def differs(self, saved: Settings) -> bool:
        return (self.userdict, self.stopwords, self.themes, self.boilerplate) != (
            saved.userdict,
            saved.stopwords,
            saved.themes,
            saved.boilerplate,
        )

    @property
    def all_stopwords(self) -> str:
        """Both stopword lists as the tokenizer takes them."""
        return join_stopwords(self.stopwords, self.boilerplate)


def _restore_defaults() -> None:
    """Button callback: put the bundled word lists back into the text areas (saved only with 保存)."""
    st.session_state[KEY_USERDICT] = bundled_text("userdict.txt")
    st.session_state[KEY_STOPWORDS] = bundled_text("stopwords.txt")
    st.session_state[KEY_THEMES] = bundled_text("themes.txt")
    st.session_state[KEY_BOILERPLATE] = bundled_text("stopwords_boilerplate.txt")


def _initial(key: str, saved: str) -> str | None:
    """The text area's starting text: the saved one, unless the widget already holds a value (typed, or put
    there by 恢复为内置词表), which then wins without a second default."""
    return None if key in st.session_state else saved


def settings_form(saved: Settings) -> tuple[Edited, str, bool]:
    """The form: the text areas (filled with the library's saved texts: ``Library.load_settings().texts``, also
    a stored text the library cannot use, so that the user can mend it), the preview sentence and the
    buttons (保存并重新分词 for editors only). Returns the texts and sentence as last submitted, and whether
    保存并重新分词 was pressed."""
    with st.form(KEY_FORM, enter_to_submit=False, border=False):
        dictionary, stopwords, boilerplate, themes = st.tabs(["用户词典", "停用词", "公文套话", "主题词表"])
        with dictionary:
            st.caption("每行一个词，可在后面加空格和词频、词性，例如「文旅融合 1000 nz」；以 # 开头的行是注释。")
            userdict = st.text_area(
                "用户词典", value=_initial(KEY_USERDICT, saved.userdict), height=TEXT_HEIGHT, key=KEY_USERDICT
            )
        with stopwords:
            st.caption("每行一个词；停用词不计入高频词、词云和趋势等统计。本表是虚词（我们、但是、已经……）。")
            stops = st.text_area(
                "停用词", value=_initial(KEY_STOPWORDS, saved.stopwords), height=TEXT_HEIGHT, key=KEY_STOPWORDS
            )
        with boilerplate:
            st.caption(
                "每行一个词，和停用词一样不计入统计。本表是公文套话：说明报告“怎么讲”而不是“讲什么”的词"
                "（存在、不足、取得、落实……），表头注释写明了它是怎样从真实报告中统计出来的。"
            )
            boiler = st.text_area(
                "公文套话", value=_initial(KEY_BOILERPLATE, saved.boilerplate), height=TEXT_HEIGHT, key=KEY_BOILERPLATE
            )
        with themes:
            st.caption("每行一个主题：「主题: 词1 词2 …」。「问题与措施」页按它判断问题和措施涉及哪些主题。")
            lexicon_text = st.text_area(
                "主题词表", value=_initial(KEY_THEMES, saved.themes), height=TEXT_HEIGHT, key=KEY_THEMES
            )
        sentence = st.text_input(
            "试分词：输入一句话", value=EXAMPLE_SENTENCE, max_chars=lexicon.PREVIEW_MAX_CHARS, key=KEY_SENTENCE
        )
        st.caption("改好词表后点「试分词」查看效果；「保存并重新分词」把词表存入资料库，每篇报告随之重新分词，报告多时需要一些时间，请不要离开本页。")
        with st.container(horizontal=True, gap="small"):
            st.form_submit_button("试分词", key=KEY_PREVIEW, icon=":material/content_cut:")
            editor = is_editor()
            save = editor and st.form_submit_button(
                "保存并重新分词", key=KEY_SAVE, type="primary", icon=":material/save:"
            )
            st.form_submit_button(
                "恢复为内置词表", key=KEY_DEFAULTS, on_click=_restore_defaults, icon=":material/restart_alt:"
            )
    if not editor:
        require_editor(EDIT_ACTIONS["dictionary"])
    return Edited(userdict or "", stops or "", lexicon_text or "", boiler or ""), sentence, save


def show_problems(problems: list[str]) -> None:
    if problems:
        st.error("以下内容需要改正（改正前无法预览和保存）：\n\n" + "\n\n".join(escape_markdown(p) for p in problems))


def segmentation_preview(library: Library, edited: Edited, sentence: str, *, usable: bool) -> None:
    """A sentence cut by the library's tokenizer and (when the edited texts are usable) by the edited one."""
    if not sentence.strip():
        return
    tokenizers = {"当前词典": library.tokenizer()}
    if usable:
        tokenizers["编辑后"] = cache.preview_tokenizer(edited.userdict, edited.all_stopwords)
    preview = lexicon.segmentation_preview(sentence, tokenizers)
    for column, row in zip(st.columns(len(preview)), preview.itertuples(), strict=True):
        with column.container(border=True):
            st.text(f"{row.dictionary} · 分词结果")
            st.text(row.tokens, wrap=True)
            st.text("计入统计的词")
            st.text(row.content or "（没有）", wrap=True)
    st.caption("「｜」分隔各词；「计入统计的词」去掉了停用词、标点、数字和单字。")


def save_and_resegment(library: Library, edited: Edited, *, problems: list[str]) -> None:
    """保存并重新分词 was pressed: store the texts (unless they need fixing or equal the saved ones), then
    re-segment the reports the change made stale, with a progress bar."""
    if not require_editor(EDIT_ACTIONS["dictionary"]):  # the session logged out since the button was drawn
        return
    if problems:
        st.warning("没有保存：请先改正上面列出的问题。")
        return
    if not edited.differs(library.load_settings().texts):
        st.info("词表与资料库中保存的一致，无需保存。")
        return
    try:
        library.save_settings(
            userdict=edited.userdict, stopwords=edited.stopwords, boilerplate=edited.boilerplate, themes=edited.themes
        )
    except ReportError as err:
        st.error(escape_markdown(f"没有保存：{err}"))
        return
    done = resegment(library)
    st.success(f"已保存。{done} 篇报告已按新词表重新分词，各页的统计随之更新。")


def resegment(library: Library) -> int:
    """Re-segment the reports whose tokens are stale, with a progress bar; returns how many."""
    bar = st.progress(0.0, text="正在重新分词……")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"正在重新分词：{done}/{total} 篇")

    done = refresh_derived(library, progress=progress)
    bar.progress(1.0, text="重新分词完成")
    return done


def resume_panel(library: Library) -> None:
    """Say why some reports are not yet segmented with the saved word lists (a re-segmentation or an import
    going on in another session, one left unfinished, …) and offer to finish it when nobody else is at it."""
    stale = library.stale_ids()
    if not stale:
        return
    note, offer = lexicon.stale_note(len(stale), library.activity())
    st.warning(note, icon=":material/sync_problem:")
    if offer and is_editor() and st.button("按当前词表重新分词", key=KEY_RESUME, icon=":material/sync:"):
        st.success(f"{resegment(library)} 篇报告已重新分词。")
