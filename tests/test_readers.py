"""Readers: every format and encoding a report arrives in, and every way a file can be wrong.

All fixtures are built here, in memory or under tmp_path: no binary file is committed.
"""

from __future__ import annotations

import difflib
import io
import os
import random
import re
import secrets
import struct
import subprocess
import sys
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEEDS, corpus_rows
from docx.oxml import parse_xml
from fpdf import FPDF
from make_documents import (
    CHINESE_LIST,
    W_NS,
    add_instance,
    define_list,
    docx_bytes,
    new_docx,
    numbered,
    sample_numbered_docx,
    set_num_pr,
)
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject
from sample_reports import spoiled_variants

from reportlens.errors import ReportError
from reportlens.fonts import cjk_font_path
from reportlens.normalize import normalize_text
from reportlens.readers import (
    JUNK_CATEGORIES,
    JUNK_MAX_SHARE,
    PRIVATE_USE_ALLOWED,
    READABLE_SAMPLE,
    SUPPORTED_SUFFIXES,
    TOLERATED_CONTROLS,
    ReadLimits,
    decode_text,
    file_suffix,
    read_bytes,
    read_document,
    read_path,
)
from reportlens.readers.numbering import format_number
from reportlens.readers.text import _is_readable
from reportlens.readers.word import docx_text

RE_CJK = re.compile(r"[\u4e00-\u9fff]")
MB = 1024 * 1024


def assert_message(err: ReportError, phrase: str) -> None:
    """A user-facing message: Chinese, a full sentence, the key phrase, no Python internals."""
    message = str(err)
    assert phrase in message, message
    assert len(RE_CJK.findall(message)) >= 8, message
    assert message.endswith("。"), message
    assert "Traceback" not in message and "Error" not in message, message


def refused(data: bytes, name: str, phrase: str, **kwargs: object) -> ReportError:
    with pytest.raises(ReportError) as info:
        read_bytes(data, name, **kwargs)  # type: ignore[arg-type]
    assert_message(info.value, phrase)
    assert info.value.file == name
    return info.value


# ------------------------------------------------------------------------------------------- fixtures: .docx


@pytest.fixture(scope="module")
def numbered_docx() -> bytes:
    return sample_numbered_docx()


def test_docx_automatic_numbering_is_restored(numbered_docx: bytes) -> None:
    assert read_bytes(numbered_docx, "报告.docx").split("\n") == [
        "关于2023年工作情况的报告",
        "一、工作开展情况",
        "（一）加强组织领导。成立了工作专班。",
        "1、全市文旅行业安全生产",
        "（二）完善制度建设",
        "二、存在的问题",
        "（一）思想认识还不到位",  # a deeper level restarts when a shallower one advances
        "三、下一步工作打算",
    ]


@pytest.mark.slow
def test_docx_numbering_from_paragraph_style_start_and_override() -> None:
    document = new_docx()
    define_list(document, 1, [("chineseCounting", "%1、", 1)])
    define_list(document, 2, [("decimal", "%1.", 3)])  # w:start = 3
    define_list(document, 3, [("decimalEnclosedCircle", "%1", 1)], start_override=5, suffix=None)
    set_num_pr(document.styles["Heading 1"].element, 1, None)  # the style numbers every Heading 1
    document.add_paragraph("工作开展情况", style="Heading 1")
    numbered(document, "第三项", 2, 0)
    numbered(document, "第四项", 2, 0)
    numbered(document, "圈号第五项", 3, 0)
    document.add_paragraph("存在的问题", style="Heading 1")
    plain = document.add_paragraph("不编号的标题", style="Heading 1")
    set_num_pr(plain._p, 0, 0)  # numId 0 switches the style's numbering off
    assert read_bytes(docx_bytes(document), "a.docx").split("\n") == [
        "一、工作开展情况",
        "3.第三项",
        "4.第四项",
        "⑤ 圈号第五项",
        "二、存在的问题",
        "不编号的标题",
    ]


def test_docx_instances_of_one_list_share_its_count() -> None:
    """As Word does: list instances (numIds) of one abstract list continue each other's numbers, and an
    instance with a startOverride restarts the count where it begins."""
    document = new_docx()
    define_list(document, 1, CHINESE_LIST)  # abstract list 101
    add_instance(document, 2, 101)  # e.g. a heading pasted from another copy of the report
    add_instance(document, 3, 101, start_override=1)
    numbered(document, "工作开展情况", 1, 0)
    numbered(document, "存在的问题", 2, 0)
    numbered(document, "思想认识还不到位", 2, 1)
    numbered(document, "下一步工作打算", 1, 0)
    numbered(document, "附件说明", 3, 0)
    numbered(document, "附件目录", 3, 0)
    assert read_bytes(docx_bytes(document), "a.docx").split("\n") == [
        "一、工作开展情况", "二、存在的问题", "（一）思想认识还不到位", "三、下一步工作打算", "一、附件说明", "二、附件目录",
    ]


R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
# Paragraph XML as Word writes it → the line a reader should see.
PARAGRAPH_XML = [
    # tracked changes: the insertion is shown, the deletion is not
    ('<w:p><w:r><w:t>加快</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>推进</w:t></w:r></w:ins>'
     '<w:del w:id="2" w:author="a"><w:r><w:delText>落实</w:delText></w:r></w:del><w:r><w:t>改革。</w:t></w:r></w:p>',
     "加快推进改革。"),
    # a hyperlink's text, a field's shown result (not its code), a tab
    (f'<w:p {R_NS}><w:hyperlink r:id="rId99"><w:r><w:t>《政府工作报告》</w:t></w:r></w:hyperlink>'
     '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
     '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>第3页</w:t></w:r>'
     '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:tab/><w:t>全文</w:t></w:r></w:p>',
     "《政府工作报告》第3页\t全文"),
    # a text box's mc:Fallback copy is not read (its mc:Choice is; here the Choice is a bare drawing)
    (f'<w:p {MC_NS}><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
     '<w:drawing/></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>'
     '</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>',
     "正文"),
    # a table of contents (a w:sdt of the "Table of Contents" gallery) repeats headings: left out
    ('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
     '<w:sdtContent><w:p><w:r><w:t>一、工作开展情况\t3</w:t></w:r></w:p></w:sdtContent></w:sdt>',
     None),
    # any other content control keeps its text
    ('<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>填报单位：市统计局</w:t></w:r></w:p></w:sdtContent></w:sdt>',
     "填报单位：市统计局"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("xml", "shown"), PARAGRAPH_XML)
def test_docx_paragraph_text_is_what_word_shows(xml: str, shown: str | None) -> None:
    document = new_docx()
    document.add_paragraph("标题")
    element = parse_xml(xml.replace("<w:p", f"<w:p {W_NS}", 1).replace("<w:sdt>", f"<w:sdt {W_NS}>", 1))
    document.element.body.insert(1, element)
    assert docx_text(docx_bytes(document)).split("\n") == ["标题"] + ([shown] if shown else [])


@pytest.mark.slow
def test_docx_heading_style_keeps_its_level_when_the_list_is_undefined() -> None:
    document = new_docx()
    numbered(document, "工作开展情况", 42, 0, style="Heading 1")  # numId 42 is defined nowhere
    numbered(document, "加强组织领导", 42, 5, style="Heading 2")
    numbered(document, "正文段落", 42, 0)  # no heading style: nothing to go on, text kept as is
    assert read_bytes(docx_bytes(document), "a.docx").split("\n") == [
        "一、工作开展情况", "（一）加强组织领导", "正文段落",
    ]


def table_docx() -> bytes:
    document = new_docx()
    document.add_paragraph("一、主要指标完成情况")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("指标", "目标", "完成"), ("地区生产总值增速", "6%", "6.3%"), ("居民收入", "5%", "")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("二、存在的问题")
    return docx_bytes(document)


def test_docx_tables_stay_in_body_order_one_row_per_line() -> None:
    assert docx_text(table_docx()).split("\n") == [
        "一、主要指标完成情况", "指标\t目标\t完成", "地区生产总值增速\t6%\t6.3%", "居民收入\t5%\t", "二、存在的问题",
    ]


@pytest.mark.slow
def test_docx_table_rows_survive_normalisation() -> None:
    assert read_bytes(table_docx(), "a.docx").split("\n") == [
        "一、主要指标完成情况", "指标 目标 完成", "地区生产总值增速 6% 6.3%", "居民收入 5%", "二、存在的问题",
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCountingThousand", "二十"),
        (21, "chineseCountingThousand", "二十一"),
        (105, "chineseCountingThousand", "一百零五"),
        (110, "chineseCounting", "一百一十"),
        (12, "chineseLegalSimplified", "壹拾贰"),
        (3, "ideographTraditional", "丙"),
        (11, "ideographTraditional", "甲"),
        (3, "decimalEnclosedCircle", "③"),
        (3, "decimalEnclosedCircleChinese", "③"),
        (2, "decimalEnclosedParen", "(2)"),
        (7, "decimal", "7"),
        (7, "decimalZero", "07"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (5, "someFormatFromTheFuture", "5"),
        (5, "none", ""),
    ],
)
def test_format_number(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


# ------------------------------------------------------------------------------------ fixtures: zips, .doc


def with_member(zip_bytes: bytes, name: str, data: bytes) -> bytes:
    buffer = io.BytesIO(zip_bytes)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def corrupt_member(zip_bytes: bytes, name: str) -> bytes:
    """Overwrite the middle of one member's compressed data (its CRC no longer matches)."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        info = archive.getinfo(name)
    local = zip_bytes[info.header_offset : info.header_offset + 30]
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    start = info.header_offset + 30 + name_len + extra_len + info.compress_size // 3
    return zip_bytes[:start] + bytes(64) + zip_bytes[start + 64 :]


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("说明.txt", "这是一个普通压缩包。")
    return buffer.getvalue()


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_CHAIN, FREE, FAT_SECTOR, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, start: int, size: int, *, child: int = NO_STREAM, right: int = NO_STREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBBIII", len(encoded), kind, 1, NO_STREAM, right, child)  # 1 = black node
        + bytes(36)  # CLSID, state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors): FAT, directory, then each stream.

    Streams are padded to the 4096-byte mini-stream cutoff so that all of them live in regular sectors.
    """
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the directory's sibling order
    fat, body, placed = [FAT_SECTOR, END_OF_CHAIN], b"", []
    for name in names:
        data = streams[name].ljust(4096, b"\0")
        padded = data.ljust(-(-len(data) // 512) * 512, b"\0")
        first, count = len(fat), len(padded) // 512
        fat += [*range(first + 1, first + count), END_OF_CHAIN]
        placed.append((name, first, len(data)))
        body += padded
    assert len(fat) <= 128
    entries = [_dir_entry("Root Entry", 5, END_OF_CHAIN, 0, child=1)]
    for index, (name, first, size) in enumerate(placed, start=1):
        entries.append(_dir_entry(name, 2, first, size, right=index + 1 if index < len(placed) else NO_STREAM))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", OLE_MAGIC, bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
        0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0,
    ) + struct.pack("<109I", 0, *[FREE] * 108)
    fat_sector = struct.pack("<128I", *fat, *[FREE] * (128 - len(fat)))
    return header + fat_sector + b"".join(entries).ljust(512, b"\0") + body


def word97_doc(text: str, *, encrypted: bool = False) -> bytes:
    """A Word 97-2003 .doc: a File Information Block, the text as UTF-16 and a one-piece piece table."""
    body = text.replace("\n", "\r").encode("utf-16-le")
    fc = 0x800
    fib = bytearray(fc) + body
    struct.pack_into("<HH", fib, 0x00, 0xA5EC, 0x00C1)  # wIdent, nFib (Word 97)
    struct.pack_into("<H", fib, 0x0A, 0x0200 | (0x0100 if encrypted else 0))  # fWhichTblStm, fEncrypted
    struct.pack_into("<II", fib, 0x18, fc, fc + len(body))  # where the text lives
    struct.pack_into("<H", fib, 0x20, 14)  # csw
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw
    struct.pack_into("<I", fib, 0x4C, len(text))  # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)  # cbRgFcLcb
    piece_table = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, fc, 0)  # CPs, one Pcd
    clx = b"\x02" + struct.pack("<I", len(piece_table)) + piece_table
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))  # fcClx, lcbClx: the Clx opens the table stream
    return compound_file({"WordDocument": bytes(fib), "1Table": clx})


DOC_TEXT = "2023年政府工作报告\n一、工作开展情况\n（一）加强组织领导。\n二、存在的问题\n"


def test_doc_word97() -> None:
    assert read_bytes(word97_doc(DOC_TEXT), "报告.doc").split("\n") == [
        "2023年政府工作报告", "一、工作开展情况", "（一）加强组织领导。", "二、存在的问题",
    ]


@pytest.mark.slow
def test_word_container_decides_between_doc_and_docx(numbered_docx: bytes) -> None:
    """People rename .doc ↔ .docx and WPS writes either under both names: both are read anyway."""
    assert read_bytes(numbered_docx, "renamed.doc").startswith("关于2023年工作情况的报告\n一、工作开展情况")
    assert read_bytes(word97_doc(DOC_TEXT), "renamed.docx").startswith("2023年政府工作报告\n一、")


# ------------------------------------------------------------------------------------------- fixtures: PDF


def make_pdf(pages: list[str]) -> bytes:
    """A PDF with a real text layer: one page per string, one line per line, in Noto Sans CJK."""
    pdf = FPDF()
    # Noto Sans CJK SC (.otf) from mpl-font; fpdf2 embeds OpenType/TrueType (a .ttc would need an index)
    pdf.add_font("noto", fname=str(cjk_font_path()))
    pdf.set_font("noto", size=12)
    for page in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, page)
    return bytes(pdf.output())


def rectangle_pdf() -> bytes:
    """What a scanner produces, as far as text goes: pages with graphics and no text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # a copy-protected PDF has an owner password nobody is told; RC4 needs no extra crypto package
    writer.encrypt(user_password=user_password, owner_password=secrets.token_hex(8), algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_PAGES = ["2023年⼯作总结\n一、工作开展情况\n（一）加强组织领导。", "二、存在的问题\n思想认识还不到位。"]


@pytest.fixture(scope="module")
def chinese_pdf() -> bytes:
    return make_pdf(PDF_PAGES)


def test_pdf_text_layer_in_page_order_with_radicals_mapped(chinese_pdf: bytes) -> None:
    # ⼯ (U+2F2F, a Kangxi radical) is what some generators' text layers give for 工; pypdf also reads this
    # fpdf2 text layer with a NUL before each character. normalize_text mends both.
    assert "\u2f2f" in PdfReader(io.BytesIO(chinese_pdf)).pages[0].extract_text()
    assert read_bytes(chinese_pdf, "报告.pdf").split("\n") == [
        "2023年工作总结", "一、工作开展情况", "（一）加强组织领导。", "二、存在的问题", "思想认识还不到位。",
    ]


def test_pdf_encrypted_with_empty_user_password_is_read(chinese_pdf: bytes) -> None:
    """Copy-protected PDFs (owner password only) open without asking anyone for a password."""
    assert read_bytes(encrypt_pdf(chinese_pdf, ""), "a.pdf").startswith("2023年工作总结\n")


# ------------------------------------------------------------------------------------------- plain text

REPORT = "关于2023年工作情况的报告\n一、工作开展情况\n今年以来，我局认真贯彻落实各项决策部署。\n二、存在的问题"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (REPORT, "utf-8"),
        (REPORT, "utf-8-sig"),
        (REPORT, "utf-16"),  # BOM in the machine's byte order
        (REPORT, "gb18030"),
        (REPORT, "gbk"),
        (REPORT, "gb2312"),
        ("存在的问题", "gbk"),  # short GBK: what charset guessers misread
        ("联通", "gbk"),  # the classic: Notepad took these two GBK characters for UTF-8
        ("问题", "gb2312"),
        ("下一步工作打算：𠮷", "gb18030"),  # a four-byte GB18030 character
        ("Work report 2023", "ascii"),
    ],
)
def test_decode_text_encodings(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize(("bom", "encoding"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_decode_text_utf16_with_explicit_bom(bom: bytes, encoding: str) -> None:
    assert decode_text(bom + REPORT.encode(encoding)) == REPORT
    assert read_bytes(bom + REPORT.encode(encoding), "a.txt") == REPORT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一、工作开展情况\r\n　　今年以来，我局认真贯彻落实。\r\n", "一、工作开展情况\n今年以来，我局认真贯彻落实。"),
        ("\u00a0作为全市文旅行业主管部门。\r\n\r\n\r\n二、存在的问题", "作为全市文旅行业主管部门。\n二、存在的问题"),
        ("⼯作总结", "工作总结"),  # Kangxi radical look-alike
        ("２０２３年工作总结", "2023年工作总结"),  # full-width digits
    ],
)
def test_txt_is_normalised(raw: str, expected: str) -> None:
    assert read_bytes(raw.encode("utf-8"), "a.txt") == expected
    assert read_bytes(raw.encode("gb18030"), "a.TXT") == expected


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG 图片"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "JPEG 图片"),
        (b"%PDF-1.7\n" + "正文".encode(), "改为 .pdf"),
        (b"PK\x03\x04" + bytes(100), "改为 .docx"),
        (OLE_MAGIC + bytes(600), "改为 .doc"),
        (b"{\\rtf1\\ansi 2023}", "RTF"),
        # UTF-16 without a BOM is not guessed at: ASCII in it means NUL bytes, "，" an 0xFF byte
        ("2023年工作报告".encode("utf-16-le"), "二进制数据"),
        ("工作报告，存在的问题。".encode("utf-16-le"), "无法识别的编码"),
        (b"ELF\x00\x01\x02\x03" * 50, "二进制数据"),
        (b"\x80\x81abc", "无法识别的编码"),
        (b"\xef\xbb\xbf" + "存在的问题".encode("gbk"), "无法识别的编码"),  # a UTF-8 BOM on GBK bytes
        (b"\x01\x02\x03\x04\x05\x06\x0e\x0f abc" * 20, "不是可读的文字"),
        ("※※※※★★★★——————！！！！？？？？".encode("gb18030"), "不是可读的文字"),
        ("\ue000\ue001abc\x1b\x1c\x1d".encode("gb18030") * 10, "不是可读的文字"),
    ],
)
def test_txt_that_is_not_text_is_refused(data: bytes, phrase: str) -> None:
    refused(data, "report.txt", phrase)


@pytest.mark.slow
def test_random_bytes_that_happen_to_decode_are_refused() -> None:
    """Random 64-byte strings: those that fail to decode and nearly all of those that decode are refused.

    (A few random bytes can decode to a plausible string of rare characters; no test without a language model
    tells those apart from a real text, so the promise is a rate.)
    """
    rng = random.Random(20240601)
    samples = [rng.randbytes(64) for _ in range(400_000)]
    decodable = []
    for sample in samples:
        try:
            sample.decode("gb18030")
        except UnicodeDecodeError:
            continue
        decodable.append(sample)
    assert len(decodable) >= 50
    passed = 0
    for sample in decodable:
        try:
            decode_text(sample)
            passed += 1
        except ReportError as err:
            assert_message(err, "")
            assert "不是可读的文字" in str(err) or "无法识别的编码" in str(err)
    assert passed * 100 <= len(decodable)
    for sample in samples[:20]:
        with pytest.raises(ReportError):
            decode_text(sample)


def _is_readable_char_by_char(text: str) -> bool:
    """``readers._is_readable`` as first written, one character at a time: the reference for the faster one."""
    chars = [c for c in text[:READABLE_SAMPLE] if not c.isspace() and unicodedata.category(c) != "Cf"]
    if not chars:
        return True
    categories = [unicodedata.category(c) for c in chars]
    junk = sum(cat in JUNK_CATEGORIES for cat in categories) - sum(c in TOLERATED_CONTROLS for c in chars)
    junk += chars.count("\ufffd") + max(0, categories.count("Co") - PRIVATE_USE_ALLOWED)
    wordlike = sum(cat[0] in "LN" for cat in categories)
    return junk * JUNK_MAX_SHARE <= len(chars) and wordlike * 2 >= len(chars)


@pytest.mark.slow
def test_readable_check_counts_as_char_by_char() -> None:
    rng = random.Random(7)
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p, _ in corpus_rows() if p.suffix == ".txt"]
    texts += [rng.randbytes(64).decode("gb18030", errors="replace") for _ in range(2000)]
    texts += ["", " \n", "\ufeff\u200b", "\ue000\ue001abc\x07\x1a\x1b", "\ufffd" + "字" * 99, "字" * 100 + "\x01"]
    assert len(texts) > 2000
    verdicts = {_is_readable(t) for t in texts}
    assert verdicts == {True, False}
    for text in texts:
        assert _is_readable(text) == _is_readable_char_by_char(text), repr(text[:40])


@pytest.mark.slow
def test_real_reports_in_every_encoding() -> None:
    """Every seed and every corpus report reads back unchanged as UTF-8, GB18030 and UTF-16."""
    paths = sorted(SEEDS.glob("*.txt")) + [path for path, _ in corpus_rows() if path.suffix == ".txt"]
    assert len(paths) > 50
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert read_path(path) == normalize_text(text), path
        for encoding in ("gb18030", "utf-16"):
            assert decode_text(text.encode(encoding)) == text, (path, encoding)


# -------------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("data", "name"),
    [
        *[(b"", name) for name in ("a.txt", "a.docx", "a.pdf", "a.doc")],
        *[(b"   \n\t\r\n ", name) for name in ("a.txt", "a.docx", "a.pdf", "a.doc")],
        (b"\xff\xfe", "a.txt"),  # a UTF-16 byte-order mark and nothing after it
        ("　　\r\n\u00a0".encode(), "a.txt"),  # ideographic spaces and NBSP only
        ("\r\n　\r\n".encode("utf-16"), "a.txt"),
    ],
)
def test_empty_files(data: bytes, name: str) -> None:
    refused(data, name, "文件为空")


@pytest.mark.slow
def test_docx_without_text_is_empty() -> None:
    document = new_docx()
    document.add_paragraph("   ")
    refused(docx_bytes(document), "a.docx", "文件为空")


@pytest.mark.parametrize("name", ["a.xlsx", "报告.wps", "README", "a.txt.zip"])
def test_unsupported_suffix(name: str) -> None:
    err = refused(b"some content", name, "不支持的文件类型")
    assert all(suffix in str(err) for suffix in SUPPORTED_SUFFIXES)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "name", "kwargs", "phrase"),
    [
        (lambda: b"x" * 3000, "a.txt", {"limits": ReadLimits(max_bytes=2000)}, "文件太大"),
        (lambda: plain_zip(), "a.docx", {}, "不是 Word 文档"),
        (lambda: b"MIME-Version: 1.0\r\nContent-Type: multipart/related", "a.doc", {}, "没有网页正文"),
        (lambda: random.Random(7).randbytes(4000), "a.doc", {}, "不是有效的 Word 文档"),
        (lambda: b"\x89PNG\r\n\x1a\n" + bytes(500), "a.docx", {}, "PNG 图片"),
        (lambda: word97_doc(DOC_TEXT)[:1500], "a.doc", {}, "文件已损坏"),
        (lambda: word97_doc(DOC_TEXT, encrypted=True), "a.doc", {}, "已加密"),
        (lambda: compound_file({"Workbook": b"\x09\x08" + bytes(100)}), "a.xls.doc", {}, "不是 Word 文档"),
        (lambda: "这不是PDF，只是改了扩展名的文字。".encode(), "a.pdf", {}, "不是有效的 PDF"),
        (lambda: b"\xff\xd8\xff\xe0" + bytes(500), "a.pdf", {}, "JPEG 图片"),
        (lambda: b"%PDF-1.4\n%garbage that is no PDF at all\n", "a.pdf", {}, "PDF"),
        (lambda: rectangle_pdf(), "scan.pdf", {}, "扫描版PDF，无文字层"),
        (lambda: encrypt_pdf(make_pdf(["机密文件"]), "secret"), "a.pdf", {}, "PDF 已加密"),
        (lambda: make_pdf(["第一页内容", "第二页内容", "第三页内容"]), "a.pdf",
         {"limits": ReadLimits(max_pdf_pages=2)}, "页数过多"),
    ],
)
def test_bad_files_are_refused(make: Callable[[], bytes], name: str, kwargs: dict, phrase: str) -> None:
    refused(make(), name, phrase, **kwargs)


def test_pdf_scan_message_tells_what_to_do() -> None:
    err = refused(rectangle_pdf(), "scan.pdf", "扫描版PDF")
    assert "OCR" in str(err) and str(err).endswith("转换为文字后再导入。")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "kwargs", "phrase"),
    [
        (lambda d: d[: len(d) // 2], {}, "文件已损坏"),  # truncated download
        (lambda d: corrupt_member(d, "word/document.xml"), {}, "文件已损坏"),
        # a member of 3 MB that squeezes into a few kB, against a 1 MB budget
        (lambda d: with_member(d, "word/media/big.bin", b"\0" * (3 * MB)),
         {"limits": ReadLimits(max_unzipped_bytes=MB)}, "解压后过大"),
        # under the default 100 MB budget, but a thousand times smaller packed than unpacked
        (lambda d: with_member(d, "word/media/bomb.bin", b"\0" * (40 * MB)), {}, "压缩比异常"),
    ],
)
def test_damaged_or_hostile_docx(
    numbered_docx: bytes, make: Callable[[bytes], bytes], kwargs: dict, phrase: str
) -> None:
    refused(make(numbered_docx), "a.docx", phrase, **kwargs)


def test_read_path_missing_directory_and_file_attribute(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as info:
        read_path(tmp_path / "不存在.txt")
    assert_message(info.value, "找不到文件")
    assert info.value.file == "不存在.txt"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ReportError) as info:
        read_path(folder)
    assert_message(info.value, "文件夹")
    picture = tmp_path / "照片.txt"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(ReportError) as info:
        read_path(str(picture))
    assert_message(info.value, "PNG 图片")
    assert info.value.file == "照片.txt"
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 5000)
    with pytest.raises(ReportError) as info:
        read_path(big, limits=ReadLimits(max_bytes=4096))
    assert_message(info.value, "文件太大")
    assert info.value.file == "big.txt"


@pytest.mark.slow
def test_read_path_reads_every_format(tmp_path: Path, numbered_docx: bytes, chinese_pdf: bytes) -> None:
    files = {
        "a.txt": "存在的问题".encode("gbk"),
        "b.docx": numbered_docx,
        "c.pdf": chinese_pdf,
        "d.DOC": word97_doc(DOC_TEXT),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        assert read_path(tmp_path / name) == read_bytes(data, name)
    assert read_path(tmp_path / "a.txt") == "存在的问题"


@pytest.mark.slow
def test_no_other_exception_escapes(numbered_docx: bytes, chinese_pdf: bytes) -> None:
    """Truncated and bit-flipped files of every format give text or a ReportError, never a traceback."""
    rng = random.Random(99)
    originals = {
        "a.txt": REPORT.encode("gb18030"),
        "a.docx": numbered_docx,
        "a.pdf": chinese_pdf,
        "a.doc": word97_doc(DOC_TEXT),
    }
    for name, data in originals.items():
        cuts = (1, 9, 100, len(data) // 3, len(data) - 1)
        for variant in spoiled_variants(data, rng, cuts=cuts, rounds=15, flips=8):
            try:
                assert isinstance(read_bytes(variant, name), str)
            except ReportError as err:
                assert_message(err, "")
                assert err.file == name


# ---------------------------------------------------------------------------- tolerant and converted reads

SEED_003 = (SEEDS / "003_de37e5120c3870ed.txt").read_text(encoding="utf-8")
TRADITIONAL = "二、存在的問題\n一是思想認識還不到位，學習貫徹黨的路線方針政策還不夠深入，對新形勢下黨風廉政建設的重要性認識不足。"


def damaged_gbk(text: str, positions: list[float]) -> bytes:
    """``text`` as GBK with a byte 0xFF (never part of a GBK character) written over a few characters."""
    data = bytearray(text.encode("gbk"))
    for share in positions:
        at = int(len(data) * share)
        while data[at] < 0x80:  # a Chinese character's first byte, so each damage costs one character
            at += 1
        data[at] = 0xFF
    return bytes(data)


def test_gbk_with_a_few_bad_bytes_is_read_and_the_user_told_how_many() -> None:
    data = damaged_gbk(SEED_003, [0.3, 0.7])
    assert len(data) > 12_000
    document = read_document(data, "自查报告.txt")
    replaced = document.text.count("\ufffd")
    assert 2 <= replaced <= 4  # a bad byte may take the next character with it
    assert difflib.SequenceMatcher(None, document.text, normalize_text(SEED_003), autojunk=False).ratio() > 0.999
    [note] = document.notes
    assert "GBK" in note and f"{replaced} 个字符" in note and "替换" in note


def test_gbk_with_many_bad_bytes_is_still_refused() -> None:
    refused(damaged_gbk(SEED_003[:600], [i / 20 for i in range(20)]), "a.txt", "无法识别的编码")


def test_big5_is_detected_converted_and_said() -> None:
    document = read_document((TRADITIONAL * 5).encode("big5"), "繁體.txt")
    assert document.text.startswith("二、存在的問題\n一是思想認識還不到位")
    assert any("Big5" in note for note in document.notes)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["report.TXT ", "report.txt  ", "报告.Docx.", "REPORT.PDF ", " 报告.doc"])
def test_odd_case_and_trailing_spaces_in_the_suffix(name: str, numbered_docx: bytes, chinese_pdf: bytes) -> None:
    data = {".txt": REPORT.encode(), ".docx": numbered_docx, ".pdf": chinese_pdf, ".doc": word97_doc(DOC_TEXT)}
    suffix = file_suffix(name)
    assert suffix in SUPPORTED_SUFFIXES
    assert read_bytes(data[suffix], name) == read_bytes(data[suffix], f"a{suffix}")


# ------------------------------------------------------------------------------------------ PDF hostility


def pdf_with_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def deflate_bomb_pdf(megabytes: int) -> bytes:
    """One page whose content stream is ``megabytes`` MB of spaces, stored deflated (about 1 KB per MB)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    deflate = zlib.compressobj(9)
    spaces = b" " * MB
    stream._data = b"".join(deflate.compress(spaces) for _ in range(megabytes)) + deflate.flush()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_without_pages_says_so() -> None:
    err = refused(pdf_with_pages(0), "empty.pdf", "没有任何页面")
    assert "扫描" not in str(err)


@pytest.mark.slow
def test_a_deflate_bomb_is_refused_before_it_is_expanded() -> None:
    bomb = deflate_bomb_pdf(40)
    assert len(bomb) < 100_000
    err = refused(bomb, "bomb.pdf", "压缩炸弹", limits=ReadLimits(max_unzipped_bytes=8 * MB))
    assert "扫描" not in str(err)


@pytest.mark.slow
def test_pages_sharing_one_big_content_stream_are_refused() -> None:
    """A 30 KB file whose 200 pages all draw one 1.3 MB content stream would make the text extractor parse
    260 MB of operators; the content budget counts the stream for every page that draws it."""
    writer = PdfWriter()
    stream = StreamObject()
    stream._data = zlib.compress(b"BT /F1 12 Tf 10 10 Td (x) Tj ET\n" * 40_000, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    shared = writer._add_object(stream)
    for _ in range(200):
        writer.add_blank_page(595, 842)[NameObject("/Contents")] = shared
    buffer = io.BytesIO()
    writer.write(buffer)
    assert len(buffer.getvalue()) < 50_000
    refused(buffer.getvalue(), "pages.pdf", "解压后超过 100 MB 的上限")


def test_blank_pages_are_still_a_scan(chinese_pdf: bytes) -> None:
    refused(pdf_with_pages(2), "blank.pdf", "扫描版PDF")


@pytest.mark.slow
def test_pdf_characters_drawn_out_of_order_are_put_back() -> None:
    """A generator may draw a line's punctuation after its other characters (LibreOffice does, for quotation
    marks set in another font): the line is read in the order it shows."""
    pdf = FPDF()
    pdf.add_font("noto", fname=str(cjk_font_path()))
    pdf.set_font("noto", size=12)
    pdf.add_page()
    pdf.text(20, 20, "要用")
    pdf.text(20 + pdf.get_string_width("要用“钉钉子”"), 20, "的精神把党风廉政建设落到实处。")
    pdf.text(20 + pdf.get_string_width("要用“"), 20, "钉钉子")
    pdf.text(20 + pdf.get_string_width("要用"), 20, "“")
    pdf.text(20 + pdf.get_string_width("要用“钉钉子"), 20, "”")
    assert read_bytes(bytes(pdf.output()), "a.pdf") == "要用“钉钉子”的精神把党风廉政建设落到实处。"


def test_pypdf_warnings_never_reach_the_terminal(capfd: pytest.CaptureFixture[str], chinese_pdf: bytes) -> None:
    """A PDF with a wrong cross-reference offset makes pypdf warn (in English); nothing reaches stderr."""
    broken = re.sub(rb"startxref\s+\d+", b"startxref\n999", chinese_pdf)
    assert broken != chinese_pdf
    assert read_bytes(broken, "a.pdf").startswith("2023年工作总结")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


@pytest.mark.slow
def test_pypdf_warnings_do_not_reach_the_command_line(tmp_path: Path, chinese_pdf: bytes) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(re.sub(rb"startxref\s+\d+", b"startxref\n999", chinese_pdf))
    run = subprocess.run([sys.executable, "-m", "reportlens.cli", "outline", str(path)], capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0 and "二、存在的问题" in run.stdout
    assert run.stderr == ""


# -------------------------------------------------------------------------------------------- read budgets


def many_paragraphs_docx(count: int) -> bytes:
    """A .docx of ``count`` short paragraphs, its document.xml written directly (python-docx would take
    minutes): what a generated or hostile document of a few MB can hold."""
    paragraphs = "".join(f"<w:p><w:r><w:t>第{i}段</w:t></w:r></w:p>" for i in range(count))
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{paragraphs}</w:body></w:document>'
    document = new_docx()
    data = docx_bytes(document)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()


@pytest.mark.slow
def test_a_docx_of_too_many_paragraphs_is_stopped_while_read() -> None:
    data = many_paragraphs_docx(30_000)
    assert read_bytes(data, "a.docx", limits=ReadLimits(max_paragraphs=40_000)).count("\n") == 29_999
    err = refused(data, "a.docx", "段落过多", limits=ReadLimits(max_paragraphs=10_000))
    assert "读到第 10,001 段" in str(err) and "1 万段的上限" in str(err)


def test_a_text_of_too_many_characters_is_stopped() -> None:
    text = REPORT * 200
    assert read_bytes(text.encode(), "a.txt", limits=ReadLimits(max_chars=len(text)))
    err = refused(text.encode(), "a.txt", "文字过多", limits=ReadLimits(max_chars=5_000))
    assert "5000 字的上限" in str(err)


@pytest.mark.slow
def test_a_pdf_of_too_much_text_is_stopped(chinese_pdf: bytes) -> None:
    refused(make_pdf([SEED_003[:3000]] * 4), "a.pdf", "文字过多", limits=ReadLimits(max_chars=5_000))


# ------------------------------------------------------------------------------------- irregular files


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    for path, kind in ((pipe, "命名管道"), (zero, "设备文件")):
        with pytest.raises(ReportError) as info:
            read_path(path)  # returns at once: neither waits for a writer nor reads forever
        assert_message(info.value, kind)


def test_the_size_limit_holds_while_reading_not_only_from_stat() -> None:
    """A file whose size on record is not what it holds (here /proc: size 0) is stopped once it has given
    more than the limit."""
    proc = Path("/proc/self/maps")
    if not proc.exists():
        pytest.skip("no /proc on this system: no file whose stat size differs from its content")
    assert proc.stat().st_size == 0
    with pytest.raises(ReportError) as info:
        read_path(proc, limits=ReadLimits(max_bytes=100))
    assert_message(info.value, "文件太大")
