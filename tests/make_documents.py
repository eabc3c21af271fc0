"""Documents made from a report's text in every format a report arrives in, the way real tools make them.

Used by the fidelity tests (tests/test_fidelity.py) and by bench/bench_pdf.py. Every maker takes the report's
text (one paragraph a line) and returns the file's bytes; nothing here is committed as a binary.

- Word: python-docx, with the report's heading numbers (「一、」「（一）」) turned into Word's automatic
  numbering (so they are no longer in the paragraphs' text), or the whole report inside one table cell;
- PDF: fpdf2 with a CJK font embedded as Type0/Identity-H (Noto Sans CJK SC from mpl-font, or any TrueType
  CJK font), reportlab with its built-in Adobe CID font (STSong-Light, not embedded) or a TrueType font,
  LibreOffice's PDF export, and a "scan with a text layer" (a page image under invisible text);
- .doc: LibreOffice's Word 97-2003 export of the numbered .docx.

LibreOffice is optional here: ``soffice_convert`` raises ``LibreOfficeMissing`` without it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from reportlens.fonts import cjk_font_path
from reportlens.readers.numbering import format_number

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# Level-1 and level-2 heading numbers of a Chinese report: 「一、工作开展情况」「（一）加强组织领导」.
RE_LEVEL1 = re.compile(r"^([一二三四五六七八九十]+)、")
RE_LEVEL2 = re.compile(r"^（([一二三四五六七八九十]+)）")
CHINESE_LIST = [("chineseCounting", "%1、", 1), ("chineseCounting", "（%2）", 1), ("decimal", "%3、", 1)]
SOFFICE_SECONDS = 240


class LibreOfficeMissing(RuntimeError):
    """``soffice`` is not installed: documents made by LibreOffice cannot be made here."""


# ------------------------------------------------------------------------------------------------ Word


def new_docx() -> docx.document.Document:
    """An empty python-docx document whose numbering part holds no definitions yet."""
    document = docx.Document()
    numbering = document.part.part_related_by(RT.NUMBERING).element
    for child in list(numbering):
        numbering.remove(child)
    return document


def define_list(document: docx.document.Document, num_id: int, levels: list[tuple[str, str, int]],
                *, start_override: int | None = None, suffix: str | None = "nothing") -> None:
    """Add an abstract list (levels: numFmt, lvlText, start) and a list instance ``num_id`` using it.

    ``suffix`` is what follows the number (w:suff): "nothing", as Chinese templates set it, or None for
    Word's default, a tab.
    """
    numbering = document.part.part_related_by(RT.NUMBERING).element
    suff = f'<w:suff w:val="{suffix}"/>' if suffix else ""
    lvls = "".join(  # children in schema order, or Word calls the file damaged
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{suff}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text, start) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="{num_id + 100}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    # every w:abstractNum must come before the first w:num
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    add_instance(document, num_id, num_id + 100, start_override=start_override)


def add_instance(document: docx.document.Document, num_id: int, abstract_id: int,
                 *, start_override: int | None = None) -> None:
    """Add list instance ``num_id`` (a w:num) counting on abstract list ``abstract_id``."""
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>'
        if start_override is not None else ""
    )
    document.part.part_related_by(RT.NUMBERING).element.append(parse_xml(
        f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
    ))


def set_num_pr(element: BaseOxmlElement, num_id: int, ilvl: int | None) -> None:
    """Give a paragraph or a paragraph style a w:numPr (python-docx puts it in its schema position)."""
    num_pr = element.get_or_add_pPr().get_or_add_numPr()
    if ilvl is not None:
        num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def numbered(document: docx.document.Document, text: str, num_id: int, ilvl: int, style: str | None = None) -> None:
    set_num_pr(document.add_paragraph(text, style=style)._p, num_id, ilvl)


def docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def numbered_docx(text: str) -> bytes:
    """The report as a .docx whose 「一、」 and 「（一）」 heading numbers are Word's automatic numbering.

    A typed number becomes automatic only where Word would show that very number (a report that skips or
    repeats a number keeps it typed), so the document shows exactly the report's text.
    """
    document = new_docx()
    define_list(document, 1, CHINESE_LIST)
    counters: dict[int, int] = {}
    for line in text.splitlines():
        for level, pattern in enumerate((RE_LEVEL1, RE_LEVEL2)):
            match = pattern.match(line)
            expected = counters.get(level, 0) + 1
            if match and match.group(1) == format_number(expected, "chineseCounting"):
                counters[level] = expected
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
                numbered(document, line[match.end():], 1, level)
                break
        else:
            document.add_paragraph(line)
    return docx_bytes(document)


def sample_numbered_docx() -> bytes:
    """A report whose headings are numbered by Word itself: the numbers are not in the paragraphs' text."""
    document = new_docx()
    define_list(document, 1, CHINESE_LIST)
    document.add_paragraph("关于2023年工作情况的报告")
    numbered(document, "工作开展情况", 1, 0)
    numbered(document, "加强组织领导。成立了工作专班。", 1, 1)
    numbered(document, "全市文旅行业安全生产", 1, 2)
    numbered(document, "完善制度建设", 1, 1)
    numbered(document, "存在的问题", 1, 0)
    numbered(document, "思想认识还不到位", 1, 1)
    numbered(document, "下一步工作打算", 1, 0)
    return docx_bytes(document)


def table_cell_docx(text: str) -> bytes:
    """The report laid out as a 表格式 form: a label cell beside one cell that holds every paragraph."""
    document = new_docx()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "报告内容"
    cell = table.cell(0, 1)
    lines = text.splitlines()
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)
    return docx_bytes(document)


# ------------------------------------------------------------------------------------------------ PDF


def fpdf2_pdf(text: str, font: Path | None = None, *, page_numbers: bool = False) -> bytes:
    """fpdf2 with a CJK font embedded as Type0 / Identity-H (default: Noto Sans CJK SC of mpl-font); with
    ``page_numbers``, each page's foot says 「— n —」 as official documents print it."""
    from fpdf import FPDF

    class Numbered(FPDF):
        def footer(self) -> None:
            if page_numbers:
                self.set_y(-15)
                self.cell(0, 10, f"— {self.page_no()} —", align="C")

    pdf = Numbered()
    pdf.add_font("cjk", fname=str(font or cjk_font_path()))
    pdf.set_font("cjk", size=11)
    pdf.add_page()
    for line in text.splitlines():
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _reportlab_pdf(text: str, font_name: str, *, invisible_over: bytes | None = None) -> bytes:
    """The report set by reportlab in ``font_name`` (registered by the caller), wrapped to the page width.

    ``invisible_over``: a PNG drawn on each page under the text, which is then invisible (render mode 3), as
    OCR software lays its text layer over a scan.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    margin, size, leading = 56, 11, 16
    image = ImageReader(io.BytesIO(invisible_over)) if invisible_over else None

    def new_page() -> float:
        if image is not None:
            page.drawImage(image, 0, 0, width, height)
        return height - margin

    y = new_page()
    for paragraph in text.splitlines():
        rows, row = [], ""
        for char in paragraph:
            if stringWidth(row + char, font_name, size) > width - 2 * margin:
                rows.append(row)
                row = ""
            row += char
        rows.append(row)
        for row in rows:
            if y < margin:
                page.showPage()
                y = new_page()
            line = page.beginText(margin, y)
            line.setFont(font_name, size)
            if image is not None:
                line.setTextRenderMode(3)
            line.textLine(row)
            page.drawText(line)
            y -= leading
    page.save()
    return buffer.getvalue()


def reportlab_cid_pdf(text: str) -> bytes:
    """reportlab with Adobe's STSong-Light CID font (UniGB-UCS2-H encoding, font not embedded)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return _reportlab_pdf(text, "STSong-Light")


def reportlab_ttf_pdf(text: str, font: Path) -> bytes:
    """reportlab with a TrueType CJK font embedded as subsets (reportlab cannot embed CFF-based .otf)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("cjk-ttf", str(font)))
    return _reportlab_pdf(text, "cjk-ttf")


def text_over_image_pdf(text: str) -> bytes:
    """A scan with an OCR text layer: each page a grey picture, the text over it invisible (CID font)."""
    from PIL import Image
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    picture = io.BytesIO()
    Image.new("L", (120, 170), 230).save(picture, format="PNG")
    return _reportlab_pdf(text, "STSong-Light", invisible_over=picture.getvalue())


# ------------------------------------------------------------------------------------------ LibreOffice


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise LibreOfficeMissing("soffice (LibreOffice) is not installed")
    return found


def soffice_convert(files: dict[str, bytes], target: str) -> dict[str, bytes]:
    """Convert several files in one LibreOffice run (``target``: "pdf", "doc", …); name → converted bytes.

    Runs with a profile of its own, so it neither waits for nor disturbs another LibreOffice on the machine.
    """
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="reportlens-soffice-") as tmp:
        root = Path(tmp)
        sources = []
        for name, data in files.items():
            (root / name).write_bytes(data)
            sources.append(str(root / name))
        out = root / "out"
        subprocess.run(
            [program, f"-env:UserInstallation=file://{root / 'profile'}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(out), *sources],
            check=True, capture_output=True, timeout=SOFFICE_SECONDS,
        )
        return {name: (out / f"{Path(name).stem}.{target}").read_bytes() for name in files}

