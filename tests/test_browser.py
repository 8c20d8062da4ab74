"""The built site in a real browser: Debian's Chromium driven by Playwright, on localhost.

Chromium comes from Debian (``apt-get install chromium fonts-noto-cjk``, done by ``.ci/run`` and
by ``make test`` when it can); Playwright never downloads a browser of its own. Screenshots go to
``test-artifacts/screenshots``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests import nginx
from tests.conftest import REPO, copy_site_sources, mkdocs_build

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = REPO / "tests/browser/node_modules/axe-core/axe.min.js"
ARTIFACTS = REPO / "test-artifacts/screenshots"
PAGES = {
    "home": "",
    "archive": "notices/",
    "notice": "notices/2023/08/",
    "unit": f"units/{quote('电信公司')}/",
    "district": f"districts/{quote('湛河区')}/",
    "category": f"categories/{quote('城市管理类')}/",
    "data": "data/",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """A folder served over HTTP on a free port of 127.0.0.1, for as long as the block runs: its URL."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def built_and_served(root: Path, out: Path) -> Iterator[str]:
    """A project (given the site's sources) built by MkDocs into ``out`` and served on 127.0.0.1."""
    copy_site_sources(root)
    result = mkdocs_build(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve_directory(out) as url:
        yield url


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the open page, each with its first places.
    axe is injected as an inline script, so the page's context must bypass its own policy."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found: list[str] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return found


@pytest.fixture(scope="module")
def nginx_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site served by nginx with the shipped deploy/nginx.conf (HTTPS, self-signed)."""
    with nginx.serve(built_site, tmp_path_factory.mktemp("browser-nginx")) as server:
        yield server.https_url


@pytest.fixture(scope="module")
def base_url(request: pytest.FixtureRequest, built_site: Path) -> Iterator[str]:
    if request.config.getoption("--browser-server") == "nginx":
        yield request.getfixturevalue("nginx_url")
        return
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"需要 Debian 的 Chromium({CHROMIUM}):apt-get install chromium fonts-noto-cjk")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # Certificate errors are ignored for the nginx tests' self-signed certificate on 127.0.0.1.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--ignore-certificate-errors",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def _heading(page: Page) -> str:
    return page.locator("h1").inner_text().removesuffix("¶")


def _search(page: Page, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.fill(query)
    expect(page.locator(".md-search-result__meta")).to_contain_text("个页面", timeout=30000)
    hrefs: list[str] = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    return [urlsplit(h).path for h in hrefs]


def test_navigation_by_clicking(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.locator("article a", has_text="全部通报").first.click()
    page.locator("article a", has_text="2023年").first.click()
    page.locator("article a", has_text="2023年8月12345民呼必应热线工作情况通报").first.click()
    assert _heading(page) == "2023年8月12345民呼必应热线工作情况通报"
    page.locator("article a", has_text="电信公司").first.click()
    assert _heading(page) == "电信公司"
    page.go_back()
    page.locator("article a", has_text="湛河区").first.click()
    assert _heading(page) == "湛河区"
    page.go_back()
    assert _heading(page) == "2023年8月12345民呼必应热线工作情况通报"


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_width_never_scrolls_sideways(browser: Browser, base_url: str, name: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base_url + PAGES[name])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for width in page.locator("svg.chart").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)"):
        assert width <= 360
    context.close()


def test_wide_tables_scroll_in_their_own_box_and_the_menu_opens(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base_url + PAGES["notice"])
    boxes = page.locator(".table-scroll").evaluate_all(
        "els => els.map(e => [e.scrollWidth > e.clientWidth, getComputedStyle(e).overflowX])"
    )
    assert [True, "auto"] in boxes
    page.locator("label.md-header__button[for='__drawer']").click()
    nav = page.locator(".md-nav--primary a", has_text="单位排名").first
    nav.wait_for(state="visible")
    nav.click()
    assert _heading(page) == "单位排名"
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_request_stays_on_the_site_without_errors(page: Page, base_url: str, name: str) -> None:
    _loads_cleanly(page, base_url, name)


# deploy/nginx.conf allows no inline script (script-src 'self'), like the pages' own policy: the
# whole page, search and palette included, must work under the server's header.
@pytest.mark.parametrize("name", ["home", "notice"])
def test_the_site_works_through_the_shipped_nginx_configuration(page: Page, nginx_url: str, name: str) -> None:
    _loads_cleanly(page, nginx_url, name)  # its Content-Security-Policy header included


def test_pages_render_and_link_through_the_shipped_nginx_configuration(page: Page, nginx_url: str) -> None:
    origin = urlsplit(nginx_url).netloc
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(nginx_url)
    assert response is not None and response.status == 200
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"  # theme CSS applied
    page.locator("article a", has_text="全部通报").first.click()
    page.locator("article a", has_text="2023年").first.click()
    page.locator("article a", has_text="2023年8月12345民呼必应热线工作情况通报").first.click()
    assert _heading(page) == "2023年8月12345民呼必应热线工作情况通报"
    assert page.locator("svg.chart").count() > 0
    assert {urlsplit(url).netloc for url in requests if not url.startswith("data:")} == {origin}


def _loads_cleanly(page: Page, base_url: str, name: str) -> None:
    origin = urlsplit(base_url).netloc
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(base_url + PAGES[name])
    page.keyboard.press("s")
    _search(page, "热线")  # also loads the search script's index files
    assert [url for url in requests if urlsplit(url).netloc != origin and not url.startswith("data:")] == []
    assert errors == []
    assert page.evaluate("window.__csp") == []


def test_print_hides_navigation_and_search_but_keeps_every_table(page: Page, base_url: str) -> None:
    page.goto(base_url + PAGES["notice"])
    rows = page.locator("table tbody tr").count()
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("table tbody tr").count() == rows
    assert all(page.locator("table").evaluate_all("els => els.map(e => e.getBoundingClientRect().height > 0)"))


_CONTRAST = """
([selector, backgroundSelector]) => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const el = document.querySelector(selector);
  const style = getComputedStyle(el);
  const fg = rgb(el instanceof SVGElement ? style.fill : style.color);
  const bg = rgb(getComputedStyle(document.querySelector(backgroundSelector)).backgroundColor);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_and_charts_stay_legible(browser: Browser, base_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + PAGES["notice"])
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    assert page.evaluate(_CONTRAST, ["article p", "body"]) >= 4.5
    assert page.evaluate(_CONTRAST, ["svg.chart text", "body"]) >= 3
    context.close()


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 900)])
@pytest.mark.parametrize("name", ["home", "notice"])
def test_screenshots_are_saved(browser: Browser, base_url: str, name: str, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(base_url + PAGES[name])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation(browser: Browser, base_url: str, name: str, scheme: str) -> None:
    # axe-core is injected as an inline script, which the page's own policy rightly refuses.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + PAGES[name])
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.lang") == "zh"
    context.close()


def test_browser_needs_nothing_but_the_system_chromium() -> None:
    assert shutil.which("chromium") or Path(CHROMIUM).is_file()
