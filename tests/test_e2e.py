"""The dashboard in a real browser: ``streamlit run app.py`` on a free port, every page opened in Debian's
Chromium through Playwright; charts and the word cloud must paint, no error box may appear, and a link with
query parameters must reopen the same filters. Screenshots go to $REPORTLENS_SCREENSHOTS (or a temp dir).

The server reads a temporary library ($REPORTLENS_LIBRARY): the seeds, as on first use, plus a hostile report
whose title and text carry ``<script>``, ``<b>`` and Markdown, which must show as literal text everywhere.
The 语料管理 page uploads files through the real uploader, edits a year in the table and deletes a report; the
词典与停用词 page checks a bad line, previews and saves.

Run with ``pytest -m e2e``. Without /usr/bin/chromium these tests skip, unless REPORTLENS_E2E=required (CI),
where they fail. Timings are printed (``-s``), not asserted.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from PIL import Image
from sample_reports import BOLD, HOSTILE_NAME, HOSTILE_REPORT, MARKDOWN_BOLD, MARKDOWN_HEADING, SCRIPT

from reportlens import links, views
from reportlens.charts import PLOTLY_ZH_CN
from reportlens.corpus import load_seeds
from reportlens.ingest import ingest_uploads, open_library
from reportlens.labels import COLUMN_LABELS, MEASURE_LABELS, PAGE_TITLES, PALETTE_LABELS, ROLE_LABELS
from reportlens.names import infer_short_name
from reportlens.paths import LIBRARY_ENV
from reportlens.tables import library_tables
from reportlens.ui.library import UPLOADER_BUTTON, UPLOADER_NOTE
from reportlens.ui.strings import DOWNLOAD_CLOUD, DOWNLOAD_DATA, NOTHING_SELECTED, PART_FILTER

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# url path → the page (its key in ``PAGE_TITLES``, the name of its script and of its screenshot); the charts each
# paints and the title it shows come from the app itself (``charts_sent``, ``PAGE_TITLES``)
PAGES = {
    "": "overview",
    "structure": "structure",
    "keywords": "keywords",
    "problems": "problems",
    "recurring": "recurring",
    "promises": "promises",
    "reuse": "reuse",
    "library": "library",
    "dictionary": "dictionary",
}
REPORTS = len(load_seeds()) + 1  # the seeds and the hostile report
PROBLEMS, MEASURES = ROLE_LABELS["problems"], ROLE_LABELS["measures"]
RED = PALETTE_LABELS["red"]
CHART = ".js-plotly-plot .main-svg"
PLOT = ".js-plotly-plot"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
STARTUP_SECONDS = 90
TALL = {"width": 1400, "height": 2400}  # the whole 语料管理 page without scrolling
PAINT_MS = 60_000


def unavailable(reason: str) -> None:
    if os.environ.get("REPORTLENS_E2E") == "required":
        pytest.fail(f"browser tests are required (REPORTLENS_E2E=required) but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def library_file(tmp_path_factory) -> Path:
    """The server's library: the seeds (as the app's first use leaves it) and the hostile report."""
    path = tmp_path_factory.mktemp("e2e-library") / "library.sqlite3"
    with open_library(path) as library:
        [result] = ingest_uploads([(HOSTILE_NAME, HOSTILE_REPORT.encode("utf-8"))], library)
        assert result.status == "ok", result
    return path


@contextmanager
def serve_app(
    library: Path, log_path: Path, *, startup_seconds: float = STARTUP_SECONDS, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run ``streamlit run app.py`` on ``library`` (its output in ``log_path``, ``env`` added to its
    environment); yield the base URL once healthy."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        environment = {**os.environ, LIBRARY_ENV: str(library), **(env or {})}
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=environment)
        try:
            deadline = time.monotonic() + startup_seconds
            while not healthy(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def charts_sent(library_file) -> dict[str, int]:
    """How many charts the app sends for each page with the default filters, counted by AppTest on the same
    library: the browser must paint every one of them."""
    from streamlit.testing.v1 import AppTest

    counts = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LIBRARY_ENV, str(library_file))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        for url_path, key in PAGES.items():
            at.switch_page(f"pages/{key}.py").run()
            assert not at.exception, (key, at.exception)
            counts[url_path] = len(at.get("plotly_chart"))
    assert counts["keywords"] >= 4 and counts["library"] == 0  # the count itself is sound
    return counts


@pytest.fixture(scope="module")
def whole(library_file) -> views.Scope:
    """Every report of the library, every part: the scope of a page with the default filters."""
    with open_library(library_file) as library:
        reports = library_tables(library).reports
    return views.scope_of(reports, reports["report_id"].tolist())


@pytest.fixture(scope="module")
def server(library_file) -> Iterator[tuple[str, float]]:
    """The app served by ``streamlit run``: (base URL, perf_counter when the server process started)."""
    log_path = Path(tempfile.mkdtemp(prefix="reportlens-e2e-")) / "server.log"
    started = time.perf_counter()
    with serve_app(library_file, log_path) as base:
        print(f"\nserver start → /_stcore/health ok: {time.perf_counter() - started:.2f} s")
        yield base, started


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", autouse=True)
def opened_at_root(server, browser, charts_sent) -> None:
    """Open the app at its root once, as `streamlit run` does: timed, the app's cold start (a deep link
    followed first is ``test_a_link_followed_first_after_a_server_start_opens_its_view``)."""
    base, started = server
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    tab.goto(base)
    wait_for_charts(tab, charts_sent[""])
    print(f"server start → first chart painted: {time.perf_counter() - started:.2f} s")
    context.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = os.environ.get("REPORTLENS_SCREENSHOTS")
    path = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="reportlens-screenshots-"))
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {path}")
    return path


@pytest.fixture
def page(browser):
    """A new browser tab; any JavaScript dialog (an ``alert`` a report smuggled in) fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()
    assert not dialogs, f"a JavaScript dialog opened: {dialogs}"


def wait_for_charts(page, count: int) -> None:
    """Wait until ``count`` charts are painted."""
    page.wait_for_selector(CHART, state="visible", timeout=PAINT_MS)
    page.wait_for_function(
        f"n => document.querySelectorAll('{PLOT}').length >= n", arg=count, timeout=PAINT_MS
    )


def full_screenshot(page, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so grow the viewport to it."""
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return Math.ceil(m ? m.scrollHeight : document.body.scrollHeight); }"
    )
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(800)  # plotly re-lays out to the new size
    page.screenshot(path=str(path))


def caption_text(page) -> str:
    return page.locator('[data-testid="stCaptionContainer"]').first.inner_text()


def wait_for_subtitle(page, text: str) -> None:
    """Wait until some chart's heading mentions ``text`` (Plotly draws it as SVG text)."""
    page.wait_for_function(
        "t => Array.from(document.querySelectorAll('.js-plotly-plot .g-gtitle text'))"
        ".some(e => e.textContent.includes(t))",
        arg=text,
        timeout=PAINT_MS,
    )


# Latin letters a reader may meet in the page chrome: file formats, units, the similarity measure, the
# part-of-speech tag in the user dictionary's example line (「文旅融合 1000 nz」).
FORMATS = ("txt", "docx", "pdf", "doc", "png", "svg", "csv")
ALLOWED_LATIN = {*FORMATS, *(f.upper() for f in FORMATS), "PPT", "Excel", "MB", "TF", "IDF", "nz"}
CHROME = (
    '[data-testid="stSidebarNav"], [data-testid="stHeader"], button, [data-testid="stWidgetLabel"], '
    '[data-testid="stCaptionContainer"], [data-testid="stAlertContainer"], [data-testid="stTab"], '
    '[data-testid="stHeading"], [data-testid="stMetricLabel"], [data-testid="stFileUploaderDropzone"]'
)


def english_in_chrome(page) -> set[str]:
    """Latin words in the page chrome (navigation, headings, labels, buttons, captions, messages, toolbar
    titles) that a Chinese reader should not meet; report text is not chrome and is not looked at. The chart
    toolbar is checked on its own (``test_the_toolbar_speaks_chinese_and_saves_a_described_png``)."""
    texts = page.evaluate(
        """sel => {
               const seen = [];
               for (const root of document.querySelectorAll(sel)) {
                 const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                 for (let node = walk.nextNode(); node; node = walk.nextNode()) {
                   const el = node.parentElement;
                   // icons are ligature names (「dashboard」) drawn as pictures; text nobody sees is not read
                   if (!el || el.closest('[data-testid="stIconMaterial"]')) continue;
                   if (el.getClientRects().length === 0 || getComputedStyle(el).fontSize === '0px') continue;
                   seen.push(node.textContent);
                 }
               }
               return seen; }""",
        CHROME,
    )
    words = set(re.findall(r"[A-Za-z]{2,}", " ".join(texts)))
    return words - ALLOWED_LATIN


def test_every_page_paints_without_errors(page, server, shots, charts_sent, whole):
    base, _ = server
    for url_path, stem in PAGES.items():
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.goto(f"{base}/{url_path}")
        page.get_by_role("heading", name=PAGE_TITLES[stem]).first.wait_for(timeout=PAINT_MS)
        charts = charts_sent[url_path]
        if charts:
            wait_for_charts(page, charts)
            # every chart says what it shows: all reports, or on 承诺与落实 the pair it compares (by short name)
            wait_for_subtitle(page, "2023 " if stem == "promises" else views.reports_text(whole))
        page.wait_for_timeout(1000)
        assert page.locator(PLOT).count() == charts, stem  # every chart the app sent, each once
        if stem == "keywords":
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('[data-testid=\"stImage\"] img'))"
                ".some(img => img.complete && img.naturalWidth > 0)",
                timeout=PAINT_MS,
            )
            with page.expect_download(timeout=PAINT_MS) as download:
                page.get_by_role("button", name=DOWNLOAD_CLOUD).click()
            with Image.open(download.value.path()) as png:
                assert png.width == 4000 and png.height > 2240  # four times the screen image, a heading above
            assert download.value.suggested_filename == f"{views.file_stem('词云', whole)}.png"
            with page.expect_download(timeout=PAINT_MS) as download:
                page.get_by_role("button", name=DOWNLOAD_DATA).first.click()
            data = Path(download.value.path()).read_bytes()
            assert data.startswith(b"\xef\xbb\xbf") and COLUMN_LABELS["term"].encode() in data  # BOM for Excel
            assert download.value.suggested_filename == f"{views.file_stem('高频词', whole)}.csv"
        page.wait_for_timeout(1500)  # tables and text areas settle
        assert page.locator(ERRORS).count() == 0, f"error element on {stem}"
        part = page.locator('[data-testid="stSidebar"]').get_by_text(PART_FILTER)
        assert part.is_visible() == (stem in ("structure", "keywords", "problems")), stem  # only where it acts
        assert not english_in_chrome(page), (stem, english_in_chrome(page))
        full_screenshot(page, shots / f"{stem}.png")
        assert page.locator(ERRORS).count() == 0, f"error element on {stem}"


def test_the_toolbar_speaks_chinese_and_saves_a_described_png(page, server, shots, charts_sent, whole):
    base, _ = server
    page.goto(f"{base}/keywords")
    wait_for_charts(page, charts_sent["keywords"])
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    camera = chart.locator(".modebar-btn").first
    assert camera.get_attribute("data-title") == PLOTLY_ZH_CN["dictionary"]["Download plot as a PNG"]
    titles = chart.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.dataset.title)")
    # every Plotly button is in Chinese; Streamlit adds its own 'Fullscreen' button with a fixed English title
    assert [t for t in titles if re.search(r"[A-Za-z]{3,}", t) and "PNG" not in t] == ["Fullscreen"]
    camera.hover()
    page.wait_for_timeout(500)
    page.screenshot(path=str(shots / "toolbar_tooltip.png"))
    with page.expect_download(timeout=PAINT_MS) as download:
        camera.click()
    assert download.value.suggested_filename == f"{views.file_stem('高频词', whole)}.png"
    download.value.save_as(shots / "toolbar_export.png")
    with Image.open(shots / "toolbar_export.png") as png:
        assert png.width > 2000  # three times the screen size


def test_a_filter_change_redraws_and_updates_the_url(page, server, charts_sent):
    base, _ = server
    page.goto(f"{base}/keywords")
    wait_for_charts(page, charts_sent["keywords"])
    cloud = '[data-testid="stImage"] img'
    page.wait_for_selector(cloud, timeout=PAINT_MS)
    page.locator(cloud).scroll_into_view_if_needed()
    timings = []
    for role in (PROBLEMS, MEASURES, PROBLEMS, MEASURES):  # the second round returns to views seen
        before = page.locator(cloud).get_attribute("src")
        start = time.perf_counter()
        page.locator('[data-testid="stSidebar"]').get_by_text(role, exact=True).click()
        page.wait_for_function(
            "([sel, before]) => { const i = document.querySelector(sel);"
            " return i && i.getAttribute('src') !== before && i.complete && i.naturalWidth > 0; }",
            arg=[cloud, before],
            timeout=PAINT_MS,
            polling=10,
        )
        timings.append(f"{role} {time.perf_counter() - start:.2f} s")
        wait_until_idle(page)
    print(f"报告部分 change until the new word cloud is painted: {', '.join(timings)}")
    wait_for_subtitle(page, f"{MEASURES}部分")
    assert f"role={MEASURES}" in unquote(page.url)
    wait_until_idle(page)
    measure = page.locator('[data-testid="stRadio"]').filter(has_text=MEASURE_LABELS["count"])
    measure.get_by_text(MEASURE_LABELS["per_10k"]).click()  # an on-page choice goes into the URL too
    page.wait_for_function(
        "m => decodeURIComponent(location.href).includes('kw_measure=' + m)",
        arg=MEASURE_LABELS["per_10k"],
        timeout=PAINT_MS,
    )
    assert page.locator(ERRORS).count() == 0
    # the filters follow the user to another page
    page.locator('[data-testid="stSidebarNav"]').get_by_text(PAGE_TITLES["problems"]).click()
    page.get_by_role("heading", name=PAGE_TITLES["problems"]).first.wait_for(timeout=PAINT_MS)
    page.get_by_text(f"{MEASURES}部分").first.wait_for(timeout=PAINT_MS)
    assert f"{MEASURES}部分" in caption_text(page)  # the item list's caption


def test_a_link_with_query_parameters_reopens_the_view(page, server, shots):
    base, _ = server
    chosen = load_seeds().reports[2]
    short = infer_short_name(chosen.title, unit=chosen.unit, year=chosen.year, kind=chosen.kind)
    deleted = "市文旅局 2021 已删除的报告"
    gone = "0123456789abcdef:" + deleted
    page.goto(f"{base}/keywords?reports={chosen.id}&reports={quote(gone)}&role={quote(PROBLEMS)}&palette={quote(RED)}")
    wait_for_charts(page, 3)
    wait_for_subtitle(page, f"{short}｜{PROBLEMS}部分")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_role("radio", name=PROBLEMS).is_checked()
    assert sidebar.get_by_role("radio", name=RED).is_checked()
    assert sidebar.get_by_text(short).first.is_visible()  # the chip shows the short name
    warning = sidebar.locator('[data-testid="stAlertContainer"]').inner_text()
    assert links.missing_message([deleted]) in warning
    assert page.locator(ERRORS).count() == 0
    full_screenshot(page, shots / "keywords_from_link.png")


def test_a_link_followed_first_after_a_server_start_opens_its_view(browser, library_file, tmp_path, shots, charts_sent):
    """With a ``pages/`` folder beside app.py, Streamlit runs a page script on its own until app.py has run once
    in the server: the page then has app.py run around it (``ui.frame.require_app``), so the link still gets
    the Chinese navigation, the sidebar filters and the view its query parameters ask for."""
    with serve_app(library_file, tmp_path / "server.log") as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        tab = context.new_page()
        tab.goto(f"{base}/keywords?role={quote(PROBLEMS)}&palette={quote(RED)}")  # the server's first request
        wait_for_charts(tab, charts_sent["keywords"])
        wait_for_subtitle(tab, f"{PROBLEMS}部分")
        sidebar = tab.locator('[data-testid="stSidebar"]')
        assert sidebar.get_by_role("radio", name=PROBLEMS).is_checked()
        assert sidebar.get_by_role("radio", name=RED).is_checked()
        navigation = tab.locator('[data-testid="stSidebarNav"]')
        assert navigation.get_by_text(PAGE_TITLES["problems"]).is_visible()
        assert navigation.get_by_text("keywords").count() == 0
        assert tab.locator(ERRORS).count() == 0
        full_screenshot(tab, shots / "keywords_as_first_request.png")
        context.close()


def test_selecting_nothing_says_so(page, server):
    base, _ = server
    page.goto(f"{base}/structure?reports=")
    page.get_by_text(NOTHING_SELECTED).wait_for(timeout=PAINT_MS)
    assert page.locator(ERRORS).count() == 0
    assert page.locator(CHART).count() == 0


# ---------------------------------------------------------------------------------------------- hostile text


def assert_nothing_rendered(page) -> None:
    """No HTML or Markdown from a report became an element: no <b> or <strong> around its words, no heading
    「标题」, no <script> carrying its alert."""
    assert page.locator("b, strong").filter(has_text="粗").count() == 0
    assert page.locator("h1, h2, h3, h4").filter(has_text=re.compile(r"^\s*标题\s*$")).count() == 0
    assert page.locator("script").filter(has_text="alert(1)").count() == 0
    assert page.locator(ERRORS).count() == 0


def test_report_text_shows_literally_everywhere(page, server, shots, library_file):
    """Title, headings, items, the section reader and keyword-in-context lines of the hostile report."""
    base, _ = server
    with open_library(library_file) as library:
        reports = library_tables(library).reports
    row = reports[reports["title"].str.contains(BOLD, regex=False)].iloc[0]
    hostile = f"reports={row.report_id}"
    page.goto(f"{base}/structure?{hostile}")
    wait_for_charts(page, 2)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(row.short).first.wait_for(timeout=PAINT_MS)  # the picker's chip: the short name
    reader = page.locator('[data-testid="stText"]')  # st.text: the section reader
    reader.filter(has_text=MARKDOWN_HEADING).first.wait_for(timeout=PAINT_MS)  # the preamble, as written
    assert reader.filter(has_text=MARKDOWN_BOLD).filter(has_text=BOLD).count() == 1
    page.locator('[data-testid="stSelectbox"]').filter(has_text="选择章节").click()
    page.keyboard.type("理论学习")
    page.keyboard.press("Enter")
    reader.filter(has_text=f"{SCRIPT}理论学习不断深入").first.wait_for(timeout=PAINT_MS)
    assert_nothing_rendered(page)
    full_screenshot(page, shots / "hostile_structure.png")

    seed = load_seeds().reports[0].id  # 两篇报告对照 needs two reports: the hostile one is 报告甲
    page.goto(f"{base}/problems?{hostile}&reports={seed}&side_0={row.report_id}")
    wait_for_charts(page, 2)
    expanders = page.locator('[data-testid="stExpander"] summary')  # the items of 两篇报告对照
    expanders.filter(has_text=f"1. {BOLD}问题整改还不够彻底").first.wait_for(timeout=PAINT_MS)
    assert expanders.filter(has_text=f"2. {MARKDOWN_HEADING}式的形式主义").count() >= 1
    assert_nothing_rendered(page)
    full_screenshot(page, shots / "hostile_problems.png")

    page.goto(f"{base}/keywords?{hostile}")
    wait_for_charts(page, 2)
    box = page.get_by_label("查找词语或短语")
    box.fill("粗体")
    page.get_by_role("button", name="查找").click()
    page.get_by_text("「粗体」共出现 4 处").wait_for(timeout=PAINT_MS)
    page.get_by_text("章节原文").click()
    reader = page.locator('[data-testid="stText"]').filter(has_text=BOLD)
    reader.first.wait_for(timeout=PAINT_MS)
    assert_nothing_rendered(page)
    full_screenshot(page, shots / "hostile_keywords.png")


# ---------------------------------------------------------------------------------------------- 语料管理, 词典


def wait_until_idle(page) -> None:
    """Wait until the app has finished its script run (Streamlit marks its root element), so a click is not
    sent while the page is still being redrawn."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'",
        timeout=PAINT_MS,
    )


def edit_year(page, row: int, text: str) -> None:
    """Type into the 年份 cell of a row (1-based) of the metadata table (title column 400 px wide); the table
    must lie wholly inside the viewport (``TALL``), a click outside it lands elsewhere."""
    wait_until_idle(page)  # the layout settled: the click goes by coordinates
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="简称")  # not the results table
    box = table.bounding_box()
    page.mouse.dblclick(box["x"] + 400 + 37, box["y"] + 35 * row + 17)
    page.wait_for_timeout(500)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")


def test_library_page_uploads_edits_and_deletes(page, server, shots, tmp_path):
    base, _ = server
    new_report = tmp_path / "新的报告.txt"
    new_report.write_text(
        HOSTILE_REPORT.replace("问题整改", "作风建设").replace("某某局", "某某委员会"), encoding="utf-8"
    )
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 not really a pdf")
    page.set_viewport_size(TALL)
    page.goto(f"{base}/library")
    page.get_by_text("编辑元数据").wait_for(timeout=PAINT_MS)
    # the uploader's own English (button, limit line) is hidden and Chinese drawn in its place
    drawn_js = """() => {
        const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
        if (!zone) return null;
        const button = zone.querySelector('button [data-testid="stMarkdownContainer"] p');
        const note = zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > div');
        return [getComputedStyle(button, '::after').content, getComputedStyle(note, '::after').content]; }"""
    page.wait_for_function(f"() => {{ const d = ({drawn_js})(); return d && d[0] !== 'none'; }}", timeout=PAINT_MS)
    drawn = page.evaluate(drawn_js)
    assert drawn == [f'"{UPLOADER_BUTTON}"', f'"{UPLOADER_NOTE}"']
    assert not english_in_chrome(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([new_report, scan])
    page.get_by_role("button", name="导入 2 个文件").click()
    page.get_by_text("导入完成：成功 1 个，重复 0 个，失败 1 个。").wait_for(timeout=PAINT_MS)
    page.get_by_text(f"资料库中共有 {REPORTS + 1} 篇报告").wait_for(timeout=PAINT_MS)
    assert page.locator(ERRORS).count() == 0
    full_screenshot(page, shots / "library_upload.png")

    page.set_viewport_size(TALL)
    edit_year(page, REPORTS + 1, "20233")  # the new report, the last row
    page.get_by_text("已修改 1 篇报告，尚未保存。").wait_for(timeout=PAINT_MS)
    wait_until_idle(page)
    page.get_by_role("button", name="保存修改").click()
    error = page.locator('[data-testid="stAlertContentError"]')
    error.wait_for(timeout=PAINT_MS)
    assert "年份「20233」无效" in error.inner_text()
    assert page.get_by_text("已修改 1 篇报告，尚未保存。").is_visible()  # the edit is kept
    full_screenshot(page, shots / "library_bad_year.png")
    page.set_viewport_size(TALL)
    edit_year(page, REPORTS + 1, "2023")
    error.wait_for(state="detached", timeout=PAINT_MS)  # the rerun after the edit
    wait_until_idle(page)
    page.get_by_role("button", name="保存修改").click()
    page.get_by_text("已保存 1 篇报告的修改。").wait_for(timeout=PAINT_MS)

    picker = page.locator('[data-testid="stMultiSelect"]').filter(has_text="选择要删除的报告")
    picker.click()
    option = page.get_by_role("option").filter(has_text="作风建设情况")
    option.wait_for(timeout=PAINT_MS)
    option.click()
    page.keyboard.press("Escape")
    confirm = page.get_by_text("我确认删除这 1 篇报告")
    confirm.wait_for(timeout=PAINT_MS)
    confirm.click()
    page.get_by_role("button", name="删除 1 篇报告").click()
    page.get_by_text("已删除 1 篇报告。").wait_for(timeout=PAINT_MS)  # the toast
    page.get_by_text(f"资料库中共有 {REPORTS} 篇报告").wait_for(timeout=PAINT_MS)
    assert page.locator(ERRORS).count() == 0
    full_screenshot(page, shots / "library_deleted.png")


def test_dictionary_page_checks_previews_and_saves(page, server, shots):
    base, _ = server
    page.goto(f"{base}/dictionary")
    area = page.locator('textarea[aria-label="用户词典"]')
    area.wait_for(timeout=PAINT_MS)
    saved = area.input_value().rstrip("\n")
    area.fill(f"{saved}\n双随机、一公开\n")
    assert page.get_by_text("Ctrl+Enter").count() == 0 and page.get_by_text("to apply").count() == 0
    page.get_by_role("button", name="试分词").click()  # the lists sit in a form: a button takes the edit
    error = page.locator('[data-testid="stAlertContentError"]')
    error.wait_for(timeout=PAINT_MS)
    assert f"用户词典第 {len(saved.splitlines()) + 1} 行" in error.inner_text()
    assert not english_in_chrome(page)
    full_screenshot(page, shots / "dictionary_error.png")
    page.set_viewport_size({"width": 1400, "height": 1000})
    area.fill(f"{saved}\n文旅业务 100000\n")
    page.get_by_role("button", name="保存并重新分词").click()
    page.get_by_text("已保存。", exact=False).wait_for(timeout=PAINT_MS)
    assert page.locator(ERRORS).count() == 0
    page.get_by_role("tab", name="公文套话").click()
    page.locator('textarea[aria-label="公文套话"]').wait_for(timeout=PAINT_MS)
    full_screenshot(page, shots / "dictionary_saved.png")


def test_the_meeting_pack_downloads_from_the_sidebar(page, server):
    """「导出会议材料」 → 导出 PPT / 导出 Excel: real files a presentation program and Excel open."""
    from openpyxl import load_workbook
    from pptx import Presentation

    base, _ = server
    page.goto(f"{base}/recurring")
    wait_for_charts(page, 1)
    sidebar = page.get_by_test_id("stSidebarUserContent")
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=PAINT_MS)
    with page.expect_download(timeout=PAINT_MS * 3) as download:
        sidebar.get_by_role("button", name="导出 PPT").click()
    assert re.fullmatch(r"会议材料_全部\d+篇_2022-2023_全文\.pptx", download.value.suggested_filename)
    deck = Presentation(download.value.path())
    assert len(deck.slides) >= 10
    with page.expect_download(timeout=PAINT_MS * 3) as download:
        sidebar.get_by_role("button", name="导出 Excel").click()
    assert re.fullmatch(r"会议材料_全部\d+篇_2022-2023_全文\.xlsx", download.value.suggested_filename)
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))  # the saved file has no suffix
    assert book.sheetnames[0] == "说明" and len(book.sheetnames) >= 10
    assert page.locator(ERRORS).count() == 0

