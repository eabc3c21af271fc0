"""词典与停用词: edit the user dictionary, stopwords and theme lexicon; preview how a sentence is cut; save and
re-segment every report."""

import streamlit as st

from reportlens import lexicon
from reportlens.ui import cache
from reportlens.ui.dictionary import (
    resume_panel,
    save_and_resegment,
    segmentation_preview,
    settings_form,
    show_problems,
)
from reportlens.ui.frame import require_app
from reportlens.ui.strings import PAGE_TITLES

require_app(__file__)
library = cache.library()
st.title(PAGE_TITLES["dictionary"])
st.caption(
    "用户词典让分词器认出新词（如「文旅融合」）；停用词和公文套话不计入统计；主题词表决定「问题与措施」页的主题。"
    "修改后先试分词，满意再保存。"
)
resume_panel(library)

edited, sentence, save = settings_form(library.load_settings().texts)
word_problems = lexicon.tokenizer_problems(
    userdict=edited.userdict, stopwords=edited.stopwords, boilerplate=edited.boilerplate
)
problems = word_problems + lexicon.theme_problems(edited.themes)
show_problems(problems)
if save:
    save_and_resegment(library, edited, problems=problems)

st.subheader("试分词")
segmentation_preview(library, edited, sentence, usable=not word_problems)
