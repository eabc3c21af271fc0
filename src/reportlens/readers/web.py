"""Word's other saves under a Word name: web page (HTML, often UTF-16), single-file web page (MHT) and Word
2003 XML. Word and WPS write them with a .doc suffix when asked to "save as web page" or "XML document" and
keep the name; they are read here as what they are.

- HTML: the visible text, block elements one a line, table cells separated by tabs; Word writes its automatic
  list numbers into the page as text (``<span style='mso-list:Ignore'>一、</span>``), so they are kept;
- MHT: the HTML part of the MIME message, decoded as its headers say;
- Word 2003 XML (``w:wordDocument``): paragraphs and their list numbers as Word rendered them (``wx:t``).
"""

from __future__ import annotations

import email
import email.policy
import re
from html.parser import HTMLParser
from typing import Literal

from lxml import etree

from reportlens.errors import ReportError
from reportlens.readers.limits import Budget

WebKind = Literal["html", "mht", "wordxml"]
WORD2003 = "{http://schemas.microsoft.com/office/word/2003/wordml}"
WORD2003_AUX = "{http://schemas.microsoft.com/office/word/2003/auxHint}"
HEAD_BYTES = 4096
# The charset a page declares: <meta charset="gb2312">, content="text/html; charset=GBK", encoding="utf-8".
RE_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre",
    "section", "article", "header", "footer", "dt", "dd", "hr",
})
CELL_TAGS = frozenset({"td", "th"})
HIDDEN_TAGS = frozenset({"script", "style", "head", "title", "xml", "template", "noscript"})


def _head(data: bytes) -> str:
    """The file's opening, lower-cased, as text whatever its encoding (UTF-16 with a BOM included)."""
    head = data[:HEAD_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore").lower()
    return head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()


def web_kind(data: bytes) -> WebKind | None:
    """Which of Word's web or XML saves ``data`` is, or None."""
    head = _head(data).lstrip("\ufeff \t\r\n")
    if head.startswith("mime-version:") or ("mime-version:" in head and "multipart/related" in head):
        return "mht"
    if "w:worddocument" in head or 'progid="word.document"' in head:
        return "wordxml"
    if head.startswith(("<html", "<!doctype html")) or "<html" in head:
        return "html"
    return None


def _decode(data: bytes, declared: str | None, budget: Budget) -> str:
    """A page's bytes as text: by its byte-order mark, else the charset it declares, else as a text file."""
    from reportlens.readers.text import decode_text

    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return decode_text(data, budget.notes)
    if declared is None:
        match = RE_CHARSET.search(data[:HEAD_BYTES])
        declared = match.group(1).decode("ascii") if match else None
    if declared:
        try:
            return data.decode("gb18030" if declared.lower() in ("gb2312", "gbk", "x-gbk") else declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: decode as a text file would be
    return decode_text(data, budget.notes)


class _VisibleText(HTMLParser):
    """Collects the text a browser shows, a line per block element. Table rows are laid out as the .docx
    reader lays them: a row of one-line cells is one line, cells separated by tabs; a row with a cell of
    several lines gives each line its own. The spaces Word puts after a list number (inside
    ``mso-list:Ignore``) are left out, as the .docx reader's numbers have none."""

    def __init__(self, budget: Budget) -> None:
        super().__init__(convert_charrefs=True)
        self.budget = budget
        self.parts: list[str] = []
        self.rows: list[list[list[str]]] = []  # open table rows: their cells, each a list of text parts
        self.hidden = 0
        self.spans: list[bool] = []  # open spans: whether each is a list number's (mso-list:Ignore)

    def _sink(self) -> list[str]:
        return self.rows[-1][-1] if self.rows and self.rows[-1] else self.parts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_TAGS:
            self.hidden += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in CELL_TAGS:
            if self.rows:
                self.rows[-1].append([])
        elif tag == "span":
            style = (dict(attrs).get("style") or "").replace(" ", "").lower()
            self.spans.append("mso-list:ignore" in style or (bool(self.spans) and self.spans[-1]))
        elif tag in BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "tr" and self.rows:
            cells = [[line for line in "".join(cell).split("\n") if line.strip()] for cell in self.rows.pop()]
            if all(len(cell) <= 1 for cell in cells):
                lines = ["\t".join(cell[0] if cell else "" for cell in cells)]
            else:
                lines = [line for cell in cells for line in cell]
            self._sink().append("\n" + "\n".join(lines) + "\n")
            self.budget.spend_text(0, len(lines))
        elif tag == "span" and self.spans:
            self.spans.pop()
        elif tag in BLOCK_TAGS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._break()

    def _break(self) -> None:
        self._sink().append("\n")
        self.budget.spend_text(0, 1)

    def handle_data(self, data: str) -> None:
        if self.hidden or (self.spans and self.spans[-1] and not data.strip()):
            return
        # HTML source wraps lines anywhere; a browser shows a line break in the source as a space
        text = data.replace("\r", " ").replace("\n", " ")
        self.budget.spend_text(len(text), 0)
        self._sink().append(text)


def html_text(page: str, budget: Budget) -> str:
    parser = _VisibleText(budget)
    parser.feed(page)
    parser.close()
    while parser.rows:  # a row never closed
        parser.handle_endtag("tr")
    return "".join(parser.parts)


def _mht_html(data: bytes, budget: Budget) -> str:
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return _decode(payload, part.get_content_charset(), budget)
    raise ReportError("文件是单文件网页（MHT），但里面没有网页正文，无法读取。请用 Word 打开后另存为 .docx 再导入。")


def _word2003_text(data: bytes, budget: Budget) -> str:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(data, parser=parser)
    lines = []
    for p in root.iter(f"{WORD2003}p"):
        budget.spend_text(0, 1)
        label = p.find(f"{WORD2003}pPr/{WORD2003}listPr/{WORD2003_AUX}t")
        text = "".join(
            t.text or "" for t in p.iter(f"{WORD2003}t") if next(t.iterancestors(f"{WORD2003}p"), None) is p
        )
        budget.spend_text(len(text), 0)
        number = label.get(f"{WORD2003_AUX}val", "") if label is not None else ""
        lines.append(number + text if text.strip() else text)
    return "\n".join(lines)


def read_web_page(data: bytes, budget: Budget) -> str:
    """The text of a Word web page, MHT or Word 2003 XML save (``web_kind`` says which it is)."""
    kind = web_kind(data)
    try:
        if kind == "mht":
            return html_text(_mht_html(data, budget), budget)
        if kind == "wordxml":
            return _word2003_text(data, budget)
        return html_text(_decode(data, None, budget), budget)
    except (etree.LxmlError, ValueError) as err:
        raise ReportError(
            "文件已损坏：这个 Word 网页或 XML 格式的文档内容不完整，无法读取。请用 Word 打开后另存为 .docx 再导入。"
        ) from err
