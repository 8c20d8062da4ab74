"""The site search in a real browser (Debian's Chromium, as in tests/test_browser.py).

Queries a citizen types, what the results show, opening a result, filters, keyboard, phone width,
dark mode, what is fetched, and text from data that looks like markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from generator.search import fold
from tests.conftest import REPO, Project, mkdocs_build
from tests.test_browser import base_url, browser, page, serve_directory  # noqa: F401  (shared fixtures)

NOTICE = "/notices/2023/08/"
# The contrast of an element's text with what is behind it, semi-transparent colours blended in.
CONTRAST = """
selector => {
  const parse = s => { const v = s.match(/[\\d.]+/g).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const behind = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
    return layers.reverse().reduce((acc, layer) => over(layer, acc), [255, 255, 255, 1]);
  };
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const el = document.querySelector(selector);
  const bg = behind(el);
  const fg = over(parse(getComputedStyle(el).color), bg);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def search(tab: Page, query: str) -> list[str]:
    """Type a query into the header box; the result addresses (path and anchor), best first."""
    box = tab.locator("input.md-search__input")
    box.fill(query)
    meta = tab.locator(".md-search-result__meta")
    expect(meta).to_contain_text(query.split()[0], timeout=30000)
    expect(meta).not_to_contain_text("正在查找", timeout=30000)
    hrefs: list[str] = tab.locator(".md-search-result__item > a:first-child").evaluate_all("els => els.map(e => e.href)")
    return [unquote(urlsplit(h).path) + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "") for h in hrefs]


def paths(results: list[str]) -> list[str]:
    return [r.split("#")[0] for r in results]


@pytest.mark.parametrize("query", ["交警", "交警支队", "公安局", "燃气公司", "供电", "自来水", "开口费", "积水", "学区划片"])
def test_parts_of_names_and_words_inside_sentences_find_the_notice(page: Page, base_url: str, query: str) -> None:  # noqa: F811
    page.goto(base_url)
    assert NOTICE in paths(search(page, query))


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("市交警支队", ["/units/市交警支队/"]),
        ("电信公司", ["/units/电信公司/"]),
        # 湛河区 is both a ranked unit and a district: both pages of that name come first.
        ("湛河区", ["/units/湛河区/", "/districts/湛河区/"]),
        # A unit's other name (data/units.yaml, aliases) is a name of its page, not text that mentions it.
        ("市公积金管理中心", ["/units/市住房公积金管理中心/"]),
    ],
)
def test_a_whole_name_lists_its_own_page_first(page: Page, base_url: str, query: str, first: list[str]) -> None:  # noqa: F811
    page.goto(base_url)
    results = paths(search(page, query))
    assert results[: len(first)] == first


def test_a_word_that_occurs_nowhere_finds_nothing_and_says_what_was_searched(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url)
    assert search(page, "星际旅行") == []
    assert page.locator(".md-search-result__meta").inner_text() == "没有找到包含“星际旅行”的页面。请检查错字，或换一个较短的词"


def test_results_are_counted_and_highlighted_cleanly(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url)
    results = search(page, "交警")
    assert page.locator(".md-search-result__meta").inner_text() == f"{len(results)} 个页面包含“交警”"
    marks = page.locator(".md-search-result mark").all_inner_texts()
    assert marks and all(fold(mark) == "交警" for mark in marks)
    text = page.locator(".md-search-result__list").inner_text()
    assert not INVISIBLE & set(text)
    # Table cells stay apart in snippets: a name is never run into the figures or month after it.
    assert "市交警支队2023" not in text


def test_opening_a_result_shows_its_section_with_the_query_highlighted(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url)
    results = search(page, "积水")
    target = next(r for r in results if r.startswith(NOTICE) and "#" in r)
    page.locator(".md-search-result__item > a:first-child").nth(results.index(target)).click()
    page.wait_for_url(f"**{quote(NOTICE)}?h=*")
    anchor = target.split("#")[1]
    assert urlsplit(page.url).fragment == anchor
    marks = page.locator("article mark")
    expect(marks.first).to_be_visible()
    assert set(marks.all_inner_texts()) == {"积水"}
    section_top = page.evaluate(f"document.getElementById({anchor!r}).getBoundingClientRect().top")
    assert 0 <= section_top < 300


def test_keyboard_alone_finds_and_opens_a_result(page: Page, base_url: str) -> None:  # noqa: F811
    for key in ("s", "/"):
        page.goto(base_url + "about/")
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')"), key
    page.keyboard.type("市交警支队")
    # The results of the whole query, not of a part typed so far, which a busy machine may still
    # be showing: they are replaced when the later search ends, and the focus with them.
    first_link = page.locator(".md-search-result__item > a:first-child").first
    expect(first_link).to_have_attribute("href", re.compile(re.escape("?h=" + quote("市交警支队")) + "$"), timeout=30000)
    page.keyboard.press("ArrowDown")
    first = page.locator(".md-search-result__item > a:first-child").first.get_attribute("href")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    page.keyboard.press("Enter")
    page.wait_for_url("**/units/**")
    assert unquote(urlsplit(page.url).path) == "/units/市交警支队/"


def test_filters_narrow_the_results_by_kind_and_year(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url)
    everything = paths(search(page, "交警"))
    assert {p.split("/")[1] for p in everything} >= {"units", "notices"}
    page.locator("[data-search-kind]").select_option("unit")
    expect(page.locator(".md-search-result__meta")).to_contain_text("单位")
    assert all(p.startswith("/units/") for p in paths(search(page, "交警")))
    page.locator("[data-search-kind]").select_option("notice")
    page.locator("[data-search-year]").select_option("2023")
    expect(page.locator(".md-search-result__meta")).to_contain_text("2023年")
    assert paths(search(page, "交警")) == [NOTICE]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_on_a_phone_in_both_colour_schemes(browser: Browser, base_url: str, scheme: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, color_scheme=scheme)  # type: ignore[arg-type]
    phone = context.new_page()
    phone.goto(base_url)
    phone.locator("label.md-header__button[for='__search']").click()
    box = phone.locator("input.md-search__input")
    expect(box).to_be_visible()
    assert NOTICE in paths(search(phone, "积水"))
    item = phone.locator(".md-search-result__item").first
    expect(item).to_be_visible()
    # Material slides the search box in on phones; the layout is measured once it has arrived.
    phone.wait_for_function(
        "() => document.querySelector('.md-search-result__item').getBoundingClientRect().right <= 360", timeout=15000
    )
    assert item.bounding_box()["width"] <= 360  # type: ignore[index]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    for selector in (
        ".md-search-result__meta",
        ".md-search-result__article p",
        ".md-search-result mark",
        ".search-kind",
        ".search-filters",
    ):
        assert phone.evaluate(CONTRAST, selector) >= 4.5, selector
    context.close()


def _is_search_file(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith("/assets/search.js") or "/search/" in path


def test_nothing_is_fetched_for_search_until_the_reader_starts_to_search(page: Page, base_url: str) -> None:  # noqa: F811
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + "notices/2023/08/")
    page.wait_for_load_state("networkidle")
    # Reading, scrolling and clicking in the page fetch nothing for search: every request so far is
    # looked at, and the only search file among them is the small starter.
    page.mouse.wheel(0, 2000)
    page.locator("article h1").click()
    page.wait_for_load_state("networkidle")
    assert [u for u in requests if _is_search_file(u)] == []
    starter = [u for u in requests if urlsplit(u).path.endswith("/assets/search-start.js")]
    assert len(starter) == 1
    assert (REPO / "content/assets/search-start.js").stat().st_size < 3000
    page.keyboard.press("s")
    page.wait_for_load_state("networkidle")
    assert [urlsplit(u).path for u in requests if _is_search_file(u)] == ["/assets/search.js"]
    search(page, "积水")
    fetched = [urlsplit(u).path for u in requests if _is_search_file(u)]
    assert "/search/index.json" in fetched
    assert all(urlsplit(u).netloc == urlsplit(base_url).netloc for u in requests)


def test_what_is_typed_before_the_search_script_arrives_is_searched(page: Page, base_url: str) -> None:  # noqa: F811
    held: list[Route] = []
    page.route("**/assets/search.js", lambda route: held.append(route))
    page.goto(base_url)
    page.locator("input.md-search__input").press_sequentially("积水")
    # The route's handler runs while Playwright waits: wait until it has the request in hand.
    for _ in range(300):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1 and page.locator(".md-search-result__item").count() == 0
    held[0].continue_()
    expect(page.locator(".md-search-result__meta")).to_contain_text("个页面包含“积水”", timeout=30000)
    assert NOTICE in paths(search(page, "积水"))


def test_escape_closes_the_box_before_the_search_script_arrives(page: Page, base_url: str) -> None:  # noqa: F811
    held: list[Route] = []
    page.route("**/assets/search.js", lambda route: held.append(route))
    page.goto(base_url + "404.html")
    page.locator("article a", has_text="站内搜索").click()
    expect(page.locator("input.md-search__input")).to_be_focused()
    for _ in range(300):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1  # the script is still on its way
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    # Nothing covers the page: its links take clicks (a covered link would time out here).
    page.locator("article a", has_text="通报档案").click(timeout=5000)
    expect(page.locator("h1")).to_contain_text("通报档案")
    held[0].abort()


def test_a_feed_link_is_no_text_for_search(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url + "units/市交警支队/")
    expect(page.locator(".feed-link")).to_contain_text("Atom")
    # Only pages that say something about Atom feeds, not every page that offers one.
    found = paths(search(page, "atom"))
    assert not [p for p in found if p.startswith(("/units/", "/districts/", "/categories/"))]


def test_without_a_connection_search_says_so_in_chinese_and_recovers(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url)
    page.route("**/search/**", lambda route: route.abort("internetdisconnected"))
    page.locator("input.md-search__input").fill("交警")
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text("搜索暂时无法使用：没能读取搜索索引，请检查网络连接后再试", timeout=30000)
    page.unroute("**/search/**")
    assert NOTICE in paths(search(page, "积水"))


def test_without_a_connection_for_the_search_script_too(page: Page, base_url: str) -> None:  # noqa: F811
    page.route("**/assets/search.js", lambda route: route.abort("internetdisconnected"))
    page.goto(base_url)
    page.locator("input.md-search__input").fill("交警")
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text("搜索暂时无法使用：没能读取搜索脚本，请检查网络连接后再试", timeout=30000)
    page.unroute("**/assets/search.js")
    page.locator("input.md-search__input").fill("")
    page.locator("input.md-search__input").press_sequentially("积水")
    expect(meta).to_contain_text("个页面包含“积水”", timeout=30000)


PAYLOAD = '注入测试<img src=x onerror="window.__xss=1">"><script>window.__xss=2</script>'


@pytest.fixture
def hostile_url(project: Project, tmp_path: Path) -> Iterator[str]:
    """The site built from the real data with markup-like text in one field (made up for this test)."""
    project.edit("    note: 含公众号、APP", f"    note: '{PAYLOAD}'")
    out = tmp_path / "hostile-site"
    result = mkdocs_build(project.root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve_directory(out) as url:
        yield url


def test_markup_in_data_is_only_text_in_results_and_on_the_opened_page(page: Page, hostile_url: str) -> None:  # noqa: F811
    page.goto(hostile_url)
    search(page, "注入测试")
    results = page.locator(".md-search-result__list")
    expect(results).to_contain_text('<img src=x onerror="window.__xss=1">')
    assert results.locator("img, script").count() == 0
    search(page, "<script>")
    expect(page.locator(".md-search-result__meta")).to_contain_text("个页面包含“<script>”")
    expect(results.locator("mark").first).to_have_text("<script>")
    assert results.locator("script").count() == 0
    page.locator(".md-search-result__item > a:first-child").first.click()
    page.wait_for_load_state()
    assert page.evaluate("window.__xss") is None
    assert "<script>" in page.locator("article mark").all_inner_texts()
    assert unicodedata.normalize("NFC", page.locator("article").inner_text()).count(PAYLOAD) >= 1
