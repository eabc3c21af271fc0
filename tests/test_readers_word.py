"""Word documents as real tools write them: text boxes, forms, embedded (altChunk) parts, Strict Open XML,
pictures only, and Word's web page / MHT / 2003 XML saves under a .doc name. Every fixture is built here."""

from __future__ import annotations

import io
import random
import re
import zipfile
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from make_documents import (
    CHINESE_LIST,
    W_NS,
    define_list,
    docx_bytes,
    new_docx,
    numbered,
    sample_numbered_docx,
    set_num_pr,
)
from PIL import Image
from sample_reports import spoiled_variants
from test_readers import refused

from reportlens.errors import ReportError
from reportlens.readers import read_bytes, read_document

MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS_NS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
V_NS = 'xmlns:v="urn:schemas-microsoft-com:vml"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def text_box_run(lines: list[str], *, fallback: bool = True) -> str:
    """A w:r holding a text box as Word 2010+ writes it: a DrawingML shape (mc:Choice) and, for older readers,
    a VML copy of the same text (mc:Fallback)."""
    content = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    choice = (
        f'<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>{content}</w:txbxContent>'
        "</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
    )
    copy = f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
    return f"<w:r><mc:AlternateContent>{choice}{copy if fallback else ''}</mc:AlternateContent></w:r>"


def paragraph_xml(inner: str) -> str:
    return f"<w:p {W_NS} {MC_NS} {WPS_NS} {V_NS}>{inner}</w:p>"


def test_text_boxes_are_read_once_where_they_are_anchored() -> None:
    document = new_docx()
    body = document.element.body
    for xml in (
        paragraph_xml(text_box_run(["中共某某市委办公室文件", "某办发〔2023〕5号"])),  # a 红头 in a text box
        paragraph_xml("<w:r><w:t>关于2023年工作情况的报告</w:t></w:r>"),
        paragraph_xml("<w:r><w:t>正文第一段。</w:t></w:r>" + text_box_run(["图注：会议现场"])),
    ):
        body.insert(len(body) - 1, parse_xml(xml))  # before the section properties
    assert read_bytes(docx_bytes(document), "a.docx").split("\n") == [
        "中共某某市委办公室文件", "某办发〔2023〕5号", "关于2023年工作情况的报告", "正文第一段。", "图注：会议现场",
    ]


def test_a_document_all_in_text_boxes_is_not_empty() -> None:
    document = new_docx()
    body = document.element.body
    body.insert(0, parse_xml(paragraph_xml(text_box_run(["一、工作开展情况", "加强组织领导。"], fallback=False))))
    # an old-style VML text box with no DrawingML version is read too
    vml = "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>二、存在的问题</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    body.insert(1, parse_xml(paragraph_xml(vml)))
    assert read_bytes(docx_bytes(document), "a.docx").split("\n") == ["一、工作开展情况", "加强组织领导。", "二、存在的问题"]


def test_a_report_inside_a_form_cell_keeps_its_paragraphs() -> None:
    """A 表格式 self-inspection form: a label cell beside a cell holding the whole report, paragraph by
    paragraph, numbered automatically. The report reads as paragraphs, not one joined line."""
    document = new_docx()
    define_list(document, 1, CHINESE_LIST)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "填报单位", "某某市文化和旅游局"
    table.cell(1, 0).text = "自查情况"
    cell = table.cell(1, 1)
    cell.text = "工作开展情况"
    set_num_pr(cell.paragraphs[0]._p, 1, 0)
    for text, level in (("加强组织领导。", None), ("存在的问题", 0), ("思想认识还不到位。", None)):
        paragraph = cell.add_paragraph(text)
        if level is not None:
            set_num_pr(paragraph._p, 1, level)
    assert read_bytes(docx_bytes(document), "form.docx").split("\n") == [
        "填报单位 某某市文化和旅游局", "自查情况", "一、工作开展情况", "加强组织领导。", "二、存在的问题", "思想认识还不到位。",
    ]


def add_alt_chunk(document, name: str, content_type: str, blob: bytes) -> None:
    part = Part(PackURI(f"/word/{name}"), content_type, blob, document.part.package)
    rel_id = document.part.relate_to(part, RT.A_F_CHUNK)
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(f'<w:altChunk {W_NS} {R_NS} r:id="{rel_id}"/>'))


@pytest.mark.slow
def test_alt_chunks_are_read_where_they_stand() -> None:
    inner = new_docx()
    define_list(inner, 1, CHINESE_LIST)
    numbered(inner, "存在的问题", 1, 0)
    inner.add_paragraph("思想认识还不到位。")
    document = new_docx()
    document.add_paragraph("关于2023年工作情况的报告")
    add_alt_chunk(
        document, "afchunk1.htm", "text/html",
        "<html><body><p>一、工作开展情况</p><p>加强组织领导，成立&ldquo;专班&rdquo;。</p></body></html>".encode(),
    )
    add_alt_chunk(document, "afchunk2.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                  docx_bytes(inner))
    document.add_paragraph("特此报告。")
    assert read_bytes(docx_bytes(document), "a.docx").split("\n") == [
        "关于2023年工作情况的报告", "一、工作开展情况", "加强组织领导，成立“专班”。", "一、存在的问题", "思想认识还不到位。", "特此报告。",
    ]


STRICT = {
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
}


def as_strict(data: bytes) -> bytes:
    """The package in ISO 29500 Strict form: the Strict namespace and relationship names throughout."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for transitional, strict in STRICT.items():
                    member = member.replace(transitional, strict)
            target.writestr(info.filename, member)
    return out.getvalue()


def test_strict_open_xml_is_read_like_transitional() -> None:
    numbered_docx = sample_numbered_docx()
    strict = as_strict(numbered_docx)
    assert b"purl.oclc.org/ooxml/wordprocessingml/main" in zipfile.ZipFile(io.BytesIO(strict)).read("word/document.xml")
    text = read_bytes(strict, "strict.docx")
    assert text == read_bytes(numbered_docx, "a.docx") and "\n二、存在的问题\n" in text


@pytest.mark.slow
def test_a_document_of_pictures_only_is_called_a_scan() -> None:
    document = new_docx()
    picture = io.BytesIO()
    Image.new("L", (200, 280), 240).save(picture, format="PNG")
    document.add_picture(picture)
    document.add_paragraph("  ")
    refused(docx_bytes(document), "scan.docx", "只有图片")


# ------------------------------------------------------------------------------ Word's other saves as .doc

WORD_HTML = (
    '<html xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta http-equiv=Content-Type '
    'content="text/html; charset=unicode"><title>报告</title><style>p.MsoNormal {{margin:0cm}}</style></head>'
    "<body lang=ZH-CN><div class=WordSection1>{body}</div></body></html>"
)
LIST_PARAGRAPH = (
    "<p class=MsoListParagraph><![if !supportLists]><span style='mso-list:Ignore'>{number}<span>&nbsp;</span>"
    "</span><![endif]>{text}</p>"
)


def word_web_page() -> str:
    body = (
        "<p class=MsoTitle>关于2023年工作情况的报告</p>"
        + LIST_PARAGRAPH.format(number="一、", text="工作开展情况")
        + "<p class=MsoNormal>今年以来，我局认真贯彻\r\n落实各项决策部署。</p>"
        + LIST_PARAGRAPH.format(number="二、", text="存在的问题")
        + "<table><tr><td><p>指标</p></td><td><p>完成</p></td></tr></table>"
    )
    return WORD_HTML.format(body=body)


EXPECTED_WEB = ["关于2023年工作情况的报告", "一、工作开展情况", "今年以来，我局认真贯彻 落实各项决策部署。", "二、存在的问题", "指标 完成"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "gb18030"])
def test_word_web_page_saved_as_doc_is_read(encoding: str) -> None:
    page = word_web_page()
    if encoding == "gb18030":
        page = page.replace("charset=unicode", "charset=gb2312")
    assert read_bytes(page.encode(encoding), "报告.doc").split("\n") == EXPECTED_WEB


def test_single_file_web_page_mht_saved_as_doc_is_read() -> None:
    message = MIMEMultipart("related")
    message.attach(MIMEText(word_web_page().replace("charset=unicode", "charset=gb2312"), "html", "gb2312"))
    data = message.as_bytes()
    assert data.startswith(b"Content-Type: multipart/related") or b"MIME-Version" in data[:200]
    data = b"MIME-Version: 1.0\r\n" + data if not data.startswith(b"MIME-Version") else data
    assert read_bytes(data, "报告.doc").split("\n") == EXPECTED_WEB


WORD_2003_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?mso-application progid="Word.Document"?>
<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"
 xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint"><w:body><wx:sect>
<w:p><w:r><w:t>关于2023年工作情况的报告</w:t></w:r></w:p>
<w:p><w:pPr><w:listPr><w:ilvl w:val="0"/><w:ilfo w:val="1"/><wx:t wx:val="一、"/></w:listPr></w:pPr>
<w:r><w:t>工作开展情况</w:t></w:r></w:p>
<w:p><w:r><w:t>加强组织</w:t></w:r><w:r><w:t>领导。</w:t></w:r></w:p>
<w:p><w:pPr><w:listPr><wx:t wx:val="二、"/></w:listPr></w:pPr><w:r><w:t>存在的问题</w:t></w:r></w:p>
</wx:sect></w:body></w:wordDocument>"""


def test_word_2003_xml_saved_as_doc_is_read_with_its_list_numbers() -> None:
    assert read_bytes(WORD_2003_XML.encode("utf-8"), "报告.doc").split("\n") == [
        "关于2023年工作情况的报告", "一、工作开展情况", "加强组织领导。", "二、存在的问题",
    ]


def test_the_note_of_a_converted_encoding_reaches_the_caller() -> None:
    traditional = "二、存在的問題\n一是思想認識還不到位，學習貫徹黨的路線方針政策還不夠深入。" * 3
    document = read_document(traditional.encode("big5"), "繁體.txt")
    assert document.text.startswith("二、存在的問題") and len(document.notes) == 1
    assert "Big5" in document.notes[0] and re.search(r"[\u4e00-\u9fff]{4}", document.notes[0])


def workbook_package() -> bytes:
    """The parts of an Excel workbook: a package whose main part is no Word document."""
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
        archive.writestr("word/readme.txt", "说明")  # a folder named word/ does not make it a Word document
    return out.getvalue()


def test_a_workbook_renamed_docx_is_not_a_word_document() -> None:
    refused(workbook_package(), "报表.docx", "不是 Word 文档")


def test_damaged_web_and_xml_saves_never_raise_anything_else() -> None:
    """Truncated and bit-flipped web pages, MHT and 2003 XML saves give text or a ReportError."""
    rng = random.Random(14)
    message = MIMEMultipart("related")
    message.attach(MIMEText(word_web_page(), "html", "utf-8"))
    originals = [word_web_page().encode("utf-16"), message.as_bytes(), WORD_2003_XML.encode()]
    for data in originals:
        cuts = (40, len(data) // 2, len(data) - 3)
        for variant in spoiled_variants(data, rng, cuts=cuts, rounds=20, flips=6):
            try:
                assert isinstance(read_bytes(variant, "a.doc"), str)
            except ReportError as err:
                assert re.search(r"[\u4e00-\u9fff]{4}", str(err)) and str(err).endswith("。")
