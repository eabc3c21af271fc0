"""Fidelity: every seed report, made into each format a report arrives in, reads back as its .txt does.

The documents are made here from the seeds' text (tests/make_documents.py): .docx with Word's automatic
heading numbers, the report inside one table cell of a form, PDF from fpdf2 (Noto Sans CJK embedded as
Type0/Identity-H), reportlab (Adobe's CID font) and LibreOffice, and .doc from LibreOffice (of the numbered
.docx and of the form). Each must parse
to the outline of the .txt — the same level-1 headings, problems and measures, compared through
``parse_outline`` on the read text rather than fixed values, since the parser changes — and its text must
match the .txt's at 0.99 character similarity or better.

LibreOffice (``soffice``) makes the .doc and its PDFs; without it those cases skip and say so (CI installs it).
"""

from __future__ import annotations

import difflib
import io
import random
import re
import zipfile
from collections.abc import Callable

import make_documents as make
import pytest
from conftest import SEEDS
from pypdf import PdfReader, PdfWriter

from reportlens.errors import ReportError
from reportlens.normalize import normalize_text
from reportlens.readers import read_bytes
from reportlens.structure import parse_outline

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

MIN_SIMILARITY = 0.99
RE_SPACE = re.compile(r"\s+")
SEED_TEXTS = {path.stem: normalize_text(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))}

# format → (file suffix, maker from the seed's text)
MAKERS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "txt": (".txt", lambda text: text.encode("utf-8")),
    "docx-numbered": (".docx", make.numbered_docx),
    "docx-table-cell": (".docx", make.table_cell_docx),
    "pdf-fpdf2": (".pdf", make.fpdf2_pdf),
    "pdf-fpdf2-page-numbers": (".pdf", lambda text: make.fpdf2_pdf(text, page_numbers=True)),
    "pdf-reportlab": (".pdf", make.reportlab_cid_pdf),
}
# format → (the .docx LibreOffice converts, target format, file suffix)
LIBREOFFICE: dict[str, tuple[Callable[[str], bytes], str, str]] = {
    "pdf-libreoffice": (make.numbered_docx, "pdf", ".pdf"),
    "doc-libreoffice": (make.numbered_docx, "doc", ".doc"),
    "doc-libreoffice-table-cell": (make.table_cell_docx, "doc", ".doc"),
}


@pytest.fixture(scope="module")
def libreoffice_files() -> dict[str, dict[str, bytes]]:
    """format → seed → bytes, for the formats LibreOffice makes from a .docx (one run each)."""
    try:
        make.soffice()
    except make.LibreOfficeMissing:
        pytest.skip("LibreOffice (soffice) is not installed: .doc and LibreOffice PDFs cannot be made here")
    out = {}
    for fmt, (maker, target, _) in LIBREOFFICE.items():
        sources = {f"{name}.docx": maker(text) for name, text in SEED_TEXTS.items()}
        converted = make.soffice_convert(sources, target)
        out[fmt] = {name.removesuffix(".docx"): data for name, data in converted.items()}
    return out


def outline_signature(text: str) -> dict[str, list[str]]:
    """What must be the same in every format: level-1 headings, problems and measures (whitespace ignored)."""
    outline = parse_outline(text)

    def squeeze(value: str) -> str:
        return RE_SPACE.sub("", value)

    return {
        "level1": [squeeze(section.heading) for section in outline.sections],
        "problems": [squeeze(item.title or item.text[:30]) for item in outline.problems],
        "measures": [squeeze(item.title or item.text[:30]) for item in outline.measures],
    }


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def assert_faithful(text: str, seed: str) -> None:
    expected = SEED_TEXTS[seed]
    assert outline_signature(text) == outline_signature(expected)
    score = similarity(text, expected)
    assert score >= MIN_SIMILARITY, f"character similarity {score:.4f}"


def test_the_seeds_have_outlines_worth_comparing() -> None:
    """The comparison means something: every seed has level-1 headings, and problems and measures are found."""
    signatures = [outline_signature(text) for text in SEED_TEXTS.values()]
    assert len(signatures) == 5
    assert all(len(s["level1"]) >= 2 for s in signatures)
    assert sum(len(s["problems"]) for s in signatures) >= 10
    assert sum(len(s["measures"]) for s in signatures) >= 10


@pytest.mark.parametrize("seed", sorted(SEED_TEXTS))
@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_format_reads_like_the_txt(fmt: str, seed: str) -> None:
    suffix, maker = MAKERS[fmt]
    assert_faithful(read_bytes(maker(SEED_TEXTS[seed]), f"{seed}{suffix}"), seed)


@pytest.mark.parametrize("seed", sorted(SEED_TEXTS))
@pytest.mark.parametrize("fmt", sorted(LIBREOFFICE))
def test_libreoffice_format_reads_like_the_txt(
    libreoffice_files: dict[str, dict[str, bytes]], fmt: str, seed: str
) -> None:
    *_, suffix = LIBREOFFICE[fmt]
    assert_faithful(read_bytes(libreoffice_files[fmt][seed], f"{seed}{suffix}"), seed)


def test_doc_headings_numbered_by_their_style() -> None:
    """Word often numbers headings through their style (Heading 1 linked to a list), not paragraph by
    paragraph: the .doc reader follows the style sheet to the list."""
    try:
        make.soffice()
    except make.LibreOfficeMissing:
        pytest.skip("LibreOffice (soffice) is not installed: no .doc can be made here")
    document = make.new_docx()
    make.define_list(document, 1, make.CHINESE_LIST)
    make.set_num_pr(document.styles["Heading 1"].element, 1, 0)
    make.set_num_pr(document.styles["Heading 2"].element, 1, 1)
    document.add_paragraph("关于2023年工作情况的报告")
    for text, style in (("工作开展情况", "Heading 1"), ("加强组织领导", "Heading 2"), ("正文。", None),
                        ("完善制度建设", "Heading 2"), ("存在的问题", "Heading 1"), ("思想认识不到位", "Heading 2")):
        document.add_paragraph(text, style=style)
    doc = make.soffice_convert({"a.docx": make.docx_bytes(document)}, "doc")["a.docx"]
    assert read_bytes(doc, "a.doc").split("\n") == [
        "关于2023年工作情况的报告", "一、工作开展情况", "（一）加强组织领导", "正文。", "（二）完善制度建设",
        "二、存在的问题", "（一）思想认识不到位",
    ]


def test_numbers_live_only_in_words_numbering() -> None:
    """The .docx really numbers its headings automatically: the typed numbers are gone from its XML."""
    text = SEED_TEXTS["003_de37e5120c3870ed"]
    data = make.numbered_docx(text)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    headings = [line for line in text.splitlines() if make.RE_LEVEL1.match(line)]
    assert len(headings) >= 3
    for heading in headings:
        assert heading not in xml and heading[make.RE_LEVEL1.match(heading).end():] in xml


def without_tounicode(pdf: bytes) -> bytes:
    """The PDF with every font's ToUnicode map removed: its text layer can no longer be read right."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    removed = 0
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/ToUnicode" in font:
                del font["/ToUnicode"]
                removed += 1
    assert removed
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("seed", ["000_7a487edf544597e7", "003_de37e5120c3870ed"])
def test_a_pdf_without_tounicode_is_refused(seed: str) -> None:
    pdf = make.fpdf2_pdf(SEED_TEXTS[seed])
    assert_faithful(read_bytes(pdf, "ok.pdf"), seed)
    with pytest.raises(ReportError) as info:
        read_bytes(without_tounicode(pdf), "garbled.pdf")
    message = str(info.value)
    assert "文字层无法正确读取" in message and "重新导出" in message and "OCR" in message


def test_a_damaged_libreoffice_doc_never_raises_anything_else(libreoffice_files: dict[str, dict[str, bytes]]) -> None:
    """The .doc list-number reading meets truncated and bit-flipped files: text or a ReportError, and when it
    cannot follow a file the words legacy_doc reads are kept."""
    rng = random.Random(9)
    data = libreoffice_files["doc-libreoffice"]["003_de37e5120c3870ed"]
    variants = [data[:cut] for cut in (600, len(data) // 2, len(data) - 1)]
    for _ in range(40):
        spoiled = bytearray(data)
        for position in rng.sample(range(len(data)), 12):
            spoiled[position] = rng.randrange(256)
        variants.append(bytes(spoiled))
    read = 0
    for variant in variants:
        try:
            read += isinstance(read_bytes(variant, "a.doc"), str)
        except ReportError as err:
            assert re.search(r"[\u4e00-\u9fff]{4}", str(err)), str(err)
    assert read >= 20  # most single-byte damage leaves a readable document


def test_page_numbers_are_left_out_and_paragraphs_run_on_across_pages() -> None:
    """「— 2 —」 at a page's foot is not report text, and a paragraph cut by the page break is one line."""
    text = SEED_TEXTS["002_4b14bcfd66eb8c4e"]
    numbered = make.fpdf2_pdf(text, page_numbers=True)
    assert len(PdfReader(io.BytesIO(numbered)).pages) >= 3
    read = read_bytes(numbered, "a.pdf")
    assert not re.search(r"^— \d+ —$", read, re.MULTILINE)
    assert read == read_bytes(make.fpdf2_pdf(text), "a.pdf")
    assert read.count("\n") == text.count("\n")
