"""Ten people at once on a 1,000-report library: one ``streamlit run`` server, ten Chromium browser contexts
driven concurrently (Playwright's async API), each switching pages and changing filters its own way. No
session may show an error box or an exception, and the server must log no traceback.

The library is built once per test session in a temporary folder: 1,000 synthetic reports (paragraphs of the
seeds and ../shared/corpora recombined under the usual headings, about 10,000 characters each, years
2000–2025; ``sample_reports.write_synthetic``), ingested with two worker processes (about 10 s here).
Browser tests: marked ``e2e``; without Chromium they skip, unless REPORTLENS_E2E=required.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sample_reports import write_synthetic
from test_e2e import CHROMIUM, CHROMIUM_ARGS, ERRORS, serve_app, unavailable

from reportlens.ingest import ingest_paths
from reportlens.labels import PAGE_TITLES, ROLE_FILTER_LABELS
from reportlens.store import Library
from reportlens.ui.strings import WHOLE_TEXT

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
REPORTS = 1_000
SESSIONS = 10
STARTUP_SECONDS = 120
STEP_MS = 180_000  # one page under ten concurrent sessions on a small machine
# (url path, a text the page shows when it is done)
PAGE_DONE = {
    "": "报告一览",
    "structure": "阅读章节原文",
    "keywords": "关键词语境",
    "problems": "措施是否回应了问题",
    "library": "删除报告",
    "dictionary": "试分词",
}
NAV = {path: PAGE_TITLES[path or "overview"] for path in PAGE_DONE}  # the navigation's names of the pages
ROLES = list(ROLE_FILTER_LABELS.values())  # the sidebar's 报告部分 choices: 全部 and each part


@pytest.fixture(scope="session")
def big_library(tmp_path_factory) -> Path:
    """A library of 1,000 synthetic reports (built once per test session)."""
    folder = tmp_path_factory.mktemp("sessions")
    write_synthetic(folder / "files", REPORTS)
    path = folder / "library.sqlite3"
    started = time.perf_counter()
    with Library(path) as library:
        results = ingest_paths([folder / "files"], library, workers=2)
        library.set_meta("seeded", "skipped")  # the app must not add the seeds to it
        assert [r.status for r in results] == ["ok"] * REPORTS, [r for r in results if r.status != "ok"][:3]
    print(f"\n{REPORTS}-report library built in {time.perf_counter() - started:.1f} s")
    return path


@pytest.fixture(scope="module")
def server_log(big_library) -> Iterator[tuple[str, Path]]:
    """``streamlit run app.py`` on the big library: (base URL, file the server logs to)."""
    log_path = Path(tempfile.mkdtemp(prefix="reportlens-sessions-")) / "server.log"
    with serve_app(big_library, log_path, startup_seconds=STARTUP_SECONDS) as base:
        yield base, log_path


async def check(page, where: str, problems: list[str]) -> None:
    count = await page.locator(ERRORS).count()
    if count:
        text = await page.locator(ERRORS).first.inner_text()
        problems.append(f"{where}: {count} error element(s): {text[:300]}")


async def open_page(page, base: str, path: str, query: str = "") -> None:
    await page.goto(f"{base}/{path}{query}")
    await page.get_by_text(PAGE_DONE[path]).first.wait_for(timeout=STEP_MS)
    await page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=STEP_MS)


async def navigate(page, path: str) -> None:
    await page.locator('[data-testid="stSidebarNav"]').get_by_text(NAV[path], exact=True).click()
    await page.get_by_text(PAGE_DONE[path]).first.wait_for(timeout=STEP_MS)
    await page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=STEP_MS)


async def one_session(browser, base: str, number: int, problems: list[str], timings: list[float]) -> None:
    """Open a link with its own year range, switch through the pages, change the role filter on the way."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = await context.new_page()
    page.on("pageerror", lambda error: problems.append(f"session {number}: page error {error}"))
    low = 2000 + number
    role = ROLES[number % len(ROLES)]
    order = ["keywords", "", "structure", "problems", "library", "dictionary", ""]
    order = order if number % 2 else ["keywords", "problems", "dictionary", "structure", "", "library", ""]
    try:
        started = time.perf_counter()
        await open_page(page, base, "keywords", f"?years={low}&years={low + 8}&role={quote(role)}")
        await check(page, f"session {number} 关键词", problems)
        # the charts say what they show: the years in view and the part the link asked for
        expected = f"{low}–{low + 8} 年｜{WHOLE_TEXT if role == ROLES[0] else f'{role}部分'}"
        try:
            await page.wait_for_function(
                "t => Array.from(document.querySelectorAll('.js-plotly-plot .g-gtitle text'))"
                ".some(e => e.textContent.includes(t))",
                arg=expected,
                timeout=STEP_MS,
            )
        except Exception:  # a timeout: said below, in words
            problems.append(f"session {number}: no chart says 「{expected}」: the link's filters are not applied")
        here = order[0]
        for path in order[1:]:
            if here == "structure" or (here == "keywords" and number % 2 == 0):  # a filter change on the way
                await page.locator('[data-testid="stSidebar"]').get_by_text(
                    ROLES[(number + 1) % len(ROLES)], exact=True
                ).click()
                await page.wait_for_timeout(300)
            await navigate(page, path)
            here = path
            await check(page, f"session {number} {NAV[path]}", problems)
        timings.append(time.perf_counter() - started)
    except Exception as error:  # a timeout or a lost element: record it, let the other sessions finish
        problems.append(f"session {number}: {type(error).__name__}: {str(error)[:300]}")
    finally:
        await context.close()


async def ten_sessions(base: str) -> tuple[list[str], list[float]]:
    from playwright.async_api import async_playwright

    problems: list[str] = []
    timings: list[float] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # the root once, as `streamlit run` opens it: a deep link before the first st.navigation runs bare
        warm = await browser.new_page()
        await open_page(warm, base, "")
        await warm.close()
        await asyncio.gather(*(one_session(browser, base, n, problems, timings) for n in range(SESSIONS)))
        await browser.close()
    return problems, timings


def test_ten_concurrent_sessions_on_a_thousand_reports(server_log):
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        unavailable("the playwright package is not installed")
    base, log_path = server_log
    started = time.perf_counter()
    problems, timings = asyncio.run(ten_sessions(base))
    print(
        f"\n{SESSIONS} concurrent sessions, 7 page views each, on {REPORTS} reports: {time.perf_counter() - started:.1f} s"
        f" (slowest session {max(timings, default=0):.1f} s)"
    )
    log = log_path.read_text(errors="replace")
    assert not problems, "\n".join(problems)
    assert not re.search(r"Traceback|Exception|Error", log), log[-3000:]
    assert len(timings) == SESSIONS
