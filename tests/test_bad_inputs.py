"""Bad input never gets into the library half-made, never raises, and is explained in Chinese.

Every case is generated here. Each row: the file name, a function making its bytes, and either the phrase the
Chinese refusal must contain or ``ACCEPTED`` with a check of what was stored. Decisions worth stating:

- a text with (almost) no Chinese is refused: reportlens reads Chinese reports, and an English text would show
  empty structure and keyword views (``ingest.check_chinese``; a Chinese report quoting GDP, AI or 5G is fine);
- HTML, <script> and Markdown inside a report are text: stored verbatim (the app never renders report text as
  HTML), so the user sees exactly what the file said;
- control characters are dropped by normalisation, the rest of the text is kept.
"""

from __future__ import annotations

import io
import os
import random
import re
import secrets
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from conftest import SEEDS
from fpdf import FPDF
from make_documents import fpdf2_pdf
from PIL import Image
from pypdf import PdfReader, PdfWriter
from test_fidelity import without_tounicode
from test_readers import (
    TRADITIONAL,
    damaged_gbk,
    deflate_bomb_pdf,
    make_pdf,
    many_paragraphs_docx,
    pdf_with_pages,
)
from test_readers_word import WORD_2003_XML, as_strict, word_web_page

from reportlens.ingest import IngestResult, ingest_paths, ingest_uploads
from reportlens.readers import MB, ReadLimits
from reportlens.store import Library

pytestmark = pytest.mark.slow  # AppTest, subprocesses or libraries on disk: not in the fast subset

SEED = (SEEDS / "003_de37e5120c3870ed.txt").read_text(encoding="utf-8")
OTHER_SEED = (SEEDS / "000_7a487edf544597e7.txt").read_text(encoding="utf-8")
ACCEPTED = None
RE_CHINESE = re.compile(r"[\u4e00-\u9fff]{4}")


# ------------------------------------------------------------------------------------------------ makers


def variant(tag: str) -> str:
    """The seed with a line of its own, so each accepted case is a new text (not a duplicate of another)."""
    return f"{SEED}\n（{tag}）"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def real_docx(text: str = SEED) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bomb_docx(size: int) -> bytes:
    """A .docx-shaped zip whose document.xml is ``size`` bytes of zeros (a few hundred KB compressed)."""
    return zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * size})


def scanned_pdf() -> bytes:
    """Pages that are only pictures: what a scanner without OCR gives."""
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        buffer = io.BytesIO()
        Image.new("L", (300, 400), 235).save(buffer, format="PNG")
        pdf.image(buffer, x=10, y=10, w=180)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["二、存在的问题\n思想认识还不到位。"]))))
    writer.encrypt(user_password=secrets.token_hex(4), owner_password=secrets.token_hex(8), algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def half_utf8_half_gbk() -> bytes:
    half = len(SEED) // 2
    return SEED[:half].encode("utf-8") + SEED[half:].encode("gbk")


def random_bytes() -> bytes:
    return random.Random(20240601).randbytes(8192)


def doc_garbage() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(3).randbytes(4096)


def big_text(megabytes: float) -> bytes:
    chunk = SEED.encode("utf-8")
    return (chunk * int(megabytes * MB // len(chunk) + 1))[: int(megabytes * MB)]


def with_controls() -> bytes:
    return ("\x1b[31m" + variant("controls").replace("。", "。\x07\x0b\x1f", 20) + "\x7f\x1a").encode("utf-8")


SCRIPT = "<script>alert('报告')</script><b onclick=\"x()\">加粗</b>"
MARKDOWN = "# 标题\n**重点工作**：\n- 列表项一\n[链接](http://example.com)\n```\ncode\n```"


def stored_verbatim(snippet: str) -> Callable[[str], None]:
    def check(text: str) -> None:
        for line in snippet.splitlines():
            assert line.strip() in text

    return check


def no_bidi(text: str) -> None:
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", text)
    assert "存在的问题" in text and "（bidi）" in text


def pictures_docx() -> bytes:
    document = docx.Document()
    document.add_picture(io.BytesIO(png()))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def no_controls(text: str) -> None:
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    assert "存在的问题" in text


# name, bytes maker, refusal phrase (or ACCEPTED), optional check of the stored text
CASES: list[tuple[str, Callable[[], bytes], str | None, Callable[[str], None] | None]] = [
    ("empty.txt", lambda: b"", "文件为空", None),
    ("blank.txt", lambda: b" \n\t\r\n\xe3\x80\x80 \n", "文件为空", None),
    ("random.txt", random_bytes, "不是可读的文字", None),
    ("random.docx", random_bytes, "不是有效的 Word 文档", None),
    ("random.pdf", random_bytes, "不是有效的 PDF", None),
    ("image.txt", png, "PNG 图片", None),
    ("photo.txt", jpeg, "JPEG 图片", None),
    ("photo.docx", jpeg, "JPEG 图片", None),
    ("half-utf8-half-gbk.txt", half_utf8_half_gbk, "无法识别的编码", None),
    ("utf16-no-bom.txt", lambda: SEED.encode("utf-16-le"), "UTF-16", None),
    ("latin1.txt", lambda: "Rapport annuel: café, résumé, naïve.".encode("latin-1"), "无法识别的编码", None),
    ("lone-surrogate.txt", lambda: SEED[:50].encode() + b"\xed\xa0\x80" + SEED[50:90].encode(), "无法识别的编码", None),
    ("punctuation.txt", lambda: "。。。，，，！！？？……".encode(), "乱码", None),
    ("nul-bytes.txt", lambda: SEED[:300].encode("utf-8").replace(b"\xe3", b"\x00\xe3"), "二进制数据", None),
    ("truncated.docx", lambda: real_docx()[:1500], "文件已损坏", None),
    ("zip-bomb.docx", lambda: bomb_docx(150 * MB), "压缩炸弹", None),
    ("zip-ratio-bomb.docx", lambda: bomb_docx(30 * MB), "压缩炸弹", None),
    ("plain-zip.docx", lambda: zip_of({"notes.txt": SEED.encode()}), "不是 Word 文档", None),
    ("garbage.doc", doc_garbage, "Word", None),
    ("fake.pdf", lambda: b"%PDF-1.7\n" + SEED.encode() + b"\n%%EOF", "PDF 文件已损坏", None),
    ("encrypted.pdf", encrypted_pdf, "PDF 已加密", None),
    ("scanned.pdf", scanned_pdf, "扫描版PDF", None),
    ("huge.txt", lambda: big_text(50), "文件太大：50 MB，超过了 20 MB", None),
    ("english.txt", lambda: b"Annual work report.\nFirst, we improved services.\n" * 40, "几乎没有中文", None),
    ("table.xlsx", lambda: zip_of({"xl/workbook.xml": b"<x/>"}), "不支持的文件类型「.xlsx」", None),
    ("program.exe", lambda: b"MZ\x90\x00" + bytes(200), "不支持的文件类型「.exe」", None),
    ("README", lambda: SEED.encode(), "没有扩展名", None),
    ("controls.txt", with_controls, ACCEPTED, no_controls),
    ("script.txt", lambda: (SEED + "\n" + SCRIPT).encode(), ACCEPTED, stored_verbatim(SCRIPT)),
    ("markdown.txt", lambda: (MARKDOWN + "\n" + SEED).encode(), ACCEPTED, stored_verbatim(MARKDOWN)),
    ("gbk.txt", lambda: variant("GBK").encode("gbk"), ACCEPTED, stored_verbatim("（GBK）")),
    ("utf16-bom.txt", lambda: b"\xff\xfe" + variant("UTF-16").encode("utf-16-le"), ACCEPTED,
     stored_verbatim("（UTF-16）")),
    ("utf8-bom.txt", lambda: b"\xef\xbb\xbf" + variant("BOM").encode(), ACCEPTED, stored_verbatim("（BOM）")),
    ("word.docx", lambda: real_docx(variant("Word")), ACCEPTED, stored_verbatim("（Word）")),
    ("text.pdf", lambda: make_pdf(["2023年工作总结\n一、工作开展情况", "二、存在的问题\n思想认识还不到位。"]),
     ACCEPTED, stored_verbatim("二、存在的问题")),
    ("short.txt", lambda: "你好".encode(), ACCEPTED, stored_verbatim("你好")),
    ("mixed-language.txt", lambda: (variant("mixed") + "\nGDP growth 5%, AI and 5G.").encode(), ACCEPTED,
     stored_verbatim("GDP growth 5%, AI and 5G.")),
    # reader cases of issues #9 and #14
    ("gbk-two-bad-bytes.txt", lambda: damaged_gbk(variant("damaged"), [0.25, 0.75]), ACCEPTED,
     stored_verbatim("（damaged）")),
    ("big5.txt", lambda: (TRADITIONAL * 4).encode("big5"), ACCEPTED, stored_verbatim("二、存在的問題")),
    ("bidi.txt", lambda: variant("bi\u202edi").replace("存在的问题", "存在\u202e的问题\u2066").encode(), ACCEPTED,
     no_bidi),
    ("trailing-space.TXT ", lambda: variant("trailing space").encode("gbk"), ACCEPTED, stored_verbatim("（trailing space）")),
    ("no-pages.pdf", lambda: pdf_with_pages(0), "没有任何页面", None),
    ("deflate-bomb.pdf", lambda: deflate_bomb_pdf(110), "压缩炸弹", None),
    ("no-tounicode.pdf", lambda: without_tounicode(fpdf2_pdf(SEED)), "文字层无法正确读取", None),
    ("web-page-utf16.doc", lambda: word_web_page().encode("utf-16"), ACCEPTED, stored_verbatim("一、工作开展情况")),
    ("word2003.doc", lambda: WORD_2003_XML.replace("加强组织", "word2003").encode(), ACCEPTED,
     stored_verbatim("二、存在的问题")),
    ("strict.docx", lambda: as_strict(real_docx(variant("strict"))), ACCEPTED, stored_verbatim("（strict）")),
    ("pictures-only.docx", pictures_docx, "只有图片", None),
    ("many-paragraphs.docx", lambda: many_paragraphs_docx(120_000), "段落过多", None),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    lib = Library(tmp_path_factory.mktemp("bad") / "library.sqlite3")
    ingest_uploads([("other.txt", OTHER_SEED.encode())], lib)
    yield lib
    lib.close()


def table_counts(library: Library) -> dict[str, int]:
    conn = sqlite3.connect(library.path)
    try:
        tables = ("reports", "texts", "outlines", "sections", "parts", "items", "tokens", "term_counts")
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608
    finally:
        conn.close()


@pytest.mark.parametrize(("name", "make", "phrase", "check"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(library: Library, name: str, make, phrase: str | None, check) -> None:
    before = table_counts(library)
    [result] = ingest_uploads([(name, make())], library)
    assert result.file == name
    if phrase is ACCEPTED:
        assert result.status in ("ok", "duplicate"), result.reason
        stored = library.report(result.report_id)
        assert stored.file == name
        check(stored.text)
    else:
        assert result.status == "failed" and result.report_id is None
        assert phrase in result.reason, result.reason
        assert RE_CHINESE.search(result.reason) and result.reason.endswith(("。", "）"))
        assert table_counts(library) == before  # nothing half-made
    assert library.check() == []


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30 and len({c[0] for c in CASES}) == len(CASES)


def test_the_whole_table_in_one_batch_goes_on_after_each_failure(tmp_path: Path) -> None:
    library = Library(tmp_path / "batch.sqlite3")
    files = [(name, make()) for name, make, _, _ in CASES]
    results = ingest_uploads(files, library)
    assert [r.file for r in results] == [name for name, *_ in CASES]
    assert [r.status for r in results] == ["failed" if phrase is not ACCEPTED else "ok" for _, _, phrase, _ in CASES]
    ok = [r for r in results if r.status == "ok"]
    assert len(library) == len(ok) and set(library.ids()) == {r.report_id for r in ok}
    assert library.check() == []
    library.close()


@pytest.mark.parametrize(
    "name",
    [
        "带 空格 的 报告.txt",
        "报告（2023年）“终稿”.txt",
        "it's \"quoted\" & <b>.txt",
        "漫长" * 40 + ".txt",  # 244 bytes of UTF-8, near the usual 255-byte limit of a file name
        "-starts-with-dash.txt",
        "UPPER.TXT",
    ],
)
def test_odd_file_names_from_disk(library: Library, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(variant(name), encoding="utf-8")
    [result] = ingest_paths([path], library)
    assert result.status == "ok" and result.file == str(path)
    assert library.report(result.report_id).file == name


def test_an_upload_name_cannot_reach_outside(library: Library) -> None:
    [result] = ingest_uploads([("../../etc/passwd.txt", variant("passwd").encode())], library)
    assert result.status == "ok" and library.report(result.report_id).file == "passwd.txt"


def test_a_folder_of_good_and_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    (folder / "a-good.txt").write_text(SEED, encoding="utf-8")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-image.txt").write_bytes(png())
    (folder / "sub" / "d-good.docx").write_bytes(real_docx(OTHER_SEED))
    (folder / "sub" / "e-bomb.docx").write_bytes(bomb_docx(150 * MB))
    (folder / "sub" / "f-notes.md").write_text("# 笔记", encoding="utf-8")
    library = Library(tmp_path / "mixed.sqlite3")
    results = ingest_paths([folder], library)
    assert [(Path(r.file).name, r.status) for r in results] == [
        ("a-good.txt", "ok"), ("b-empty.txt", "failed"), ("c-image.txt", "failed"),
        ("d-good.docx", "ok"), ("e-bomb.docx", "failed"), ("f-notes.md", "failed"),
    ]
    assert all(RE_CHINESE.search(r.reason) for r in results if r.status == "failed")
    assert len(library) == 2 and library.check() == []
    library.close()


# ------------------------------------------------------------------------------------------------ limits


def test_size_limit_is_configurable(library: Library) -> None:
    data = big_text(2)
    [refused] = ingest_uploads([("two-mb.txt", data)], library, limits=ReadLimits(max_bytes=1 * MB))
    assert refused.status == "failed" and "文件太大：2 MB，超过了 1 MB 的上限" in refused.reason
    [accepted] = ingest_uploads([("two-mb.txt", data)], library, limits=ReadLimits(max_bytes=3 * MB))
    assert accepted.status == "ok" and library.report(accepted.report_id).chars > 600_000


def test_zip_expansion_limit_is_configurable(library: Library) -> None:
    data = real_docx(variant("zip limit"))
    small = ReadLimits(max_unzipped_bytes=20_000)
    [refused] = ingest_uploads([("report.docx", data)], library, limits=small)
    assert refused.status == "failed" and "解压后" in refused.reason and "上限" in refused.reason
    [accepted] = ingest_uploads([("report.docx", data)], library)
    assert accepted.status == "ok"


def test_pdf_page_limit_is_configurable(library: Library) -> None:
    data = make_pdf(["2023年工作总结", "一、工作开展情况\n加强领导。", "二、存在的问题\n认识不足。"])
    [refused] = ingest_uploads([("three.pdf", data)], library, limits=ReadLimits(max_pdf_pages=2))
    assert refused.status == "failed" and "PDF 页数过多：共 3 页，超过 2 页的上限" in refused.reason
    [accepted] = ingest_uploads([("three.pdf", data)], library, limits=ReadLimits(max_pdf_pages=3))
    assert accepted.status == "ok"


def test_a_metadata_year_out_of_range_is_refused(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "meta"
    folder.mkdir()
    (folder / "r.txt").write_text(variant("metadata"), encoding="utf-8")
    (folder / "metadata.csv").write_text("file,title,year\nr.txt,某报告,1850\n", encoding="utf-8")
    [result] = ingest_paths([folder], library)
    assert result == IngestResult(str(folder / "r.txt"), "failed", reason=result.reason)
    assert "年份「1850」无效" in result.reason


def test_a_folder_with_a_pipe_and_device_links_is_ingested_without_blocking(tmp_path: Path) -> None:
    """Only regular files are read: a named pipe (opening it would wait for a writer) and links to /dev/zero
    (endless) and /dev/null are each skipped with a Chinese reason, and the good file is imported."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a-good.txt").write_text(SEED, encoding="utf-8")
    os.mkfifo(folder / "b-pipe.txt")
    (folder / "c-zero.txt").symlink_to("/dev/zero")
    (folder / "d-null.docx").symlink_to("/dev/null")
    db = tmp_path / "lib.sqlite3"
    run = subprocess.run(
        [sys.executable, "-m", "reportlens.cli", "ingest", str(folder), "--library", str(db), "--no-seed"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    lines = run.stdout.splitlines()
    assert run.returncode == 1 and len(lines) == 4, run.stdout + run.stderr
    assert lines[0].startswith("ok ")
    for line, kind in zip(lines[1:], ("命名管道", "设备文件", "设备文件"), strict=True):
        assert line.startswith("failed ") and kind in line and "已跳过" in line
    assert "Traceback" not in run.stderr
