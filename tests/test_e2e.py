"""The dashboard in a real browser: ``streamlit run app.py`` on a free port, every page opened in Debian's
Chromium through Playwright; charts and the word cloud must paint, no error box may appear, and a link with
query parameters must reopen the same filters. Screenshots go to $REPORTLENS_SCREENSHOTS (or a temp dir).

Run with ``pytest -m e2e``. Without /usr/bin/chromium these tests skip, unless REPORTLENS_E2E=required (CI),
where they fail. Timings are printed (``-s``), not asserted.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from PIL import Image

from reportlens.corpus import load_seeds
from reportlens.tables import short_label

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
# url path → (file stem for the screenshot, charts the page paints with the default filters)
PAGES = {
    "": ("overview", 1),
    "structure": ("structure", 2),
    "keywords": ("keywords", 4),
    "problems": ("problems", 2),
}
CHART = ".js-plotly-plot .main-svg"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
STARTUP_SECONDS = 90
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
def server() -> Iterator[tuple[str, float]]:
    """The app served by ``streamlit run``: (base URL, perf_counter when the server process started)."""
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
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not healthy(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"streamlit did not start:\n{log.read().decode(errors='replace')[-3000:]}")
                time.sleep(0.2)
            print(f"\nserver start → /_stcore/health ok: {time.perf_counter() - started:.2f} s")
            yield base, started
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


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


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = os.environ.get("REPORTLENS_SCREENSHOTS")
    path = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="reportlens-screenshots-"))
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {path}")
    return path


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


def wait_for_charts(page, count: int) -> None:
    page.wait_for_selector(CHART, state="visible", timeout=PAINT_MS)
    page.wait_for_function(
        f"n => document.querySelectorAll('{CHART}').length >= n", arg=count, timeout=PAINT_MS
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


def test_every_page_paints_without_errors(page, server, shots):
    """The browser is up before the server starts, so the first time below is the app's cold start."""
    base, started = server
    first_chart = None
    for url_path, (stem, charts) in PAGES.items():
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.goto(f"{base}/{url_path}")
        wait_for_charts(page, charts)
        if first_chart is None:
            first_chart = time.perf_counter() - started
            print(f"server start → first chart painted: {first_chart:.2f} s")
        if stem == "keywords":
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('[data-testid=\"stImage\"] img'))"
                ".some(img => img.complete && img.naturalWidth > 0)",
                timeout=PAINT_MS,
            )
        if stem == "keywords":
            with page.expect_download(timeout=PAINT_MS) as download:
                page.get_by_text("下载高清 PNG").click()
            with Image.open(download.value.path()) as png:
                assert png.size == (4000, 2240)  # four times the screen image
            with page.expect_download(timeout=PAINT_MS) as download:
                page.get_by_text("下载数据").first.click()
            data = Path(download.value.path()).read_bytes()
            assert data.startswith(b"\xef\xbb\xbf") and "词语".encode() in data  # UTF-8 with BOM for Excel
            assert download.value.suggested_filename == "高频词_全部_2022-2023.csv"
        page.get_by_text("筛选 · ").first.wait_for()
        assert page.locator(ERRORS).count() == 0, f"error element on {stem}"
        assert page.locator('[data-testid="stSidebar"]').get_by_text("报告部分").is_visible()
        full_screenshot(page, shots / f"{stem}.png")
        assert page.locator(ERRORS).count() == 0, f"error element on {stem}"


def test_a_filter_change_redraws_and_updates_the_url(page, server):
    base, _ = server
    page.goto(f"{base}/keywords")
    wait_for_charts(page, PAGES["keywords"][1])
    page.get_by_text("高频词 · 全部").first.wait_for(timeout=PAINT_MS)
    start = time.perf_counter()
    page.locator('[data-testid="stSidebar"]').get_by_text("存在问题", exact=True).click()
    page.get_by_text("高频词 · 存在问题").first.wait_for(timeout=PAINT_MS)
    wait_for_charts(page, PAGES["keywords"][1])
    print(f"filter change (role → 存在问题) until the chart shows it: {time.perf_counter() - start:.2f} s")
    assert "role=存在问题" in unquote(page.url)
    assert "部分：存在问题" in caption_text(page)
    assert page.locator(ERRORS).count() == 0
    # the filters follow the user to another page
    page.locator('[data-testid="stSidebarNav"]').get_by_text("问题与措施").click()
    page.get_by_text("各报告列出的问题与措施").first.wait_for(timeout=PAINT_MS)
    assert "部分：存在问题" in caption_text(page)


def test_a_link_with_query_parameters_reopens_the_view(page, server, shots):
    base, _ = server
    reports = load_seeds().reports
    chosen = reports[2]
    page.goto(
        f"{base}/keywords?reports={quote(chosen.title)}&role={quote('存在问题')}&palette={quote('公文红')}"
    )
    wait_for_charts(page, 3)
    caption = caption_text(page)
    assert "部分：存在问题" in caption and f"共 1/{len(reports)} 篇" in caption
    assert f"《{short_label(chosen.title)}》" in caption
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_role("radio", name="存在问题").is_checked()
    assert sidebar.get_by_role("radio", name="公文红").is_checked()
    assert page.locator(ERRORS).count() == 0
    full_screenshot(page, shots / "keywords_from_link.png")


def test_selecting_nothing_says_so(page, server):
    base, _ = server
    page.goto(f"{base}/structure?reports=")
    page.get_by_text("当前筛选没有选中任何报告").wait_for(timeout=PAINT_MS)
    assert page.locator(ERRORS).count() == 0
    assert page.locator(CHART).count() == 0
