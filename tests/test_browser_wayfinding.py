"""Way-finding and wide tables in a real browser (Debian's Chromium, as in tests/test_browser.py).

At 360 px every table of every kind on the site can be scrolled sideways until each of its
columns is in view, and a table wider than its box says so; the menu marks where the reader is,
on a phone and on a desktop; breadcrumbs and the 404 page's links lead somewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.test_browser import ARTIFACTS, base_url, browser, built_and_served, page  # noqa: F401  (shared fixtures)

# Every kind of table, with the columns a phone used to cut off (matched as parts of the headers).
REAL_TABLES = {
    "notices/2023/": ["月份", "受理", "交办", "办结率", "满意率"],
    "notices/2023/08/": ["热线", "接听", "交办比例", "主要涉及", "考核总分", "未回复数"],
    "units/": ["最近一期", "排名末位次数", "低于分数线次数"],
    f"units/{quote('电信公司')}/": ["得分", "名次变化", "备注"],
    "categories/": ["列出期数", "占比"],
    f"categories/{quote('城市管理类')}/": ["件数", "主要涉及"],
    "data/": ["中文名称", "字段名", "类型", "必填", "含义"],
    "guide/": ["信息", "含义"],
}
# The home page's table of the trend chart needs two months or more: the SYNTHETIC archive.
SYNTHETIC_TABLES = {
    "": ["月份", "受理", "满意率"],
    "notices/2024/03/": ["热线", "主要涉及", "未回复数"],
}

# For each table: is it wider than its box, is the hint above it shown, and can each column be
# brought fully into the box (and the 360 px screen) by scrolling the box sideways.
TABLE_CHECK = """
box => {
  const hint = box.previousElementSibling;
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility === "visible";
  const result = {
    overflowed: box.scrollWidth > box.clientWidth + 1,
    overflowX: getComputedStyle(box).overflowX,
    hint: hint && hint.classList.contains("scroll-hint") ? { shown: shown(hint), text: hint.textContent,
      above: hint.getBoundingClientRect().bottom <= box.getBoundingClientRect().top + 1 } : null,
    columns: [],
  };
  for (const th of box.querySelectorAll("thead th")) {
    th.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "instant" });
    const r = th.getBoundingClientRect();
    const f = box.getBoundingClientRect();
    result.columns.push({
      name: th.textContent.trim(),
      shown: shown(th) && r.width > 0,
      inView: r.left >= f.left - 1 && r.right <= f.right + 1 && r.left >= -1 && r.right <= innerWidth + 1,
      scrolled: box.scrollLeft,
    });
  }
  box.scrollLeft = 0;
  return result;
}
"""


@pytest.fixture(scope="module")
def synthetic_url(synthetic_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SYNTHETIC archive (tests/synthetic) built as a site and served on 127.0.0.1."""
    with built_and_served(synthetic_root, tmp_path_factory.mktemp("wayfinding-synthetic-site")) as url:
        yield url


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="zh-CN")
    yield context.new_page()
    context.close()


def check_tables(phone: Page, url: str, wanted: list[str], shot: str) -> list[dict[str, Any]]:
    phone.goto(url)
    # Every folded table is opened as a reader would; an opened one leaves the selector, so the
    # first closed one is clicked until none is left.
    closed = phone.locator("article details:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()
    assert closed.count() == 0, url
    boxes = phone.locator("article .table-scroll")
    assert boxes.count() > 0, url
    phone.screenshot(path=ARTIFACTS / f"tables-{shot}-360.png", full_page=True)
    results = [box.evaluate(TABLE_CHECK) for box in boxes.all()]
    for result in results:
        assert result["hint"] is not None, url
        assert result["hint"]["shown"] == result["overflowed"], (url, result)
        if result["overflowed"]:
            assert result["overflowX"] in {"auto", "scroll"}
            assert result["hint"]["text"].startswith("左右滑动查看更多") and result["hint"]["above"]
            # The last column was out of view until the box scrolled.
            assert result["columns"][-1]["scrolled"] > 0
        for column in result["columns"]:
            assert column["shown"] and column["inView"], (url, column)
    names = [column["name"] for result in results for column in result["columns"]]
    for part in wanted:
        assert any(part in name for name in names), (url, part, names)
    return results


@pytest.mark.parametrize("path", list(REAL_TABLES))
def test_every_column_of_every_table_is_reachable_on_a_phone(phone: Page, base_url: str, path: str) -> None:  # noqa: F811
    check_tables(phone, base_url + path, REAL_TABLES[path], unquote(path).strip("/").replace("/", "-") or "home")


@pytest.mark.parametrize("path", list(SYNTHETIC_TABLES))
def test_tables_of_a_longer_archive_are_reachable_on_a_phone(phone: Page, synthetic_url: str, path: str) -> None:
    check_tables(
        phone, synthetic_url + path, SYNTHETIC_TABLES[path], "synthetic-" + (path.strip("/").replace("/", "-") or "home")
    )


HINTS = """
() => [...document.querySelectorAll("article .table-scroll")].map(b =>
  [b.scrollWidth > b.clientWidth + 1, b.previousElementSibling.getClientRects().length > 0])
"""
AGREE = "() => (" + HINTS.strip() + ")().every(([wide, hinted]) => wide === hinted)"


def test_the_hint_shows_only_while_a_table_is_too_wide(browser: Browser, base_url: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    view = context.new_page()
    view.goto(base_url + "notices/2023/08/")
    view.wait_for_function(AGREE)
    narrow = view.evaluate(HINTS)
    view.set_viewport_size({"width": 1280, "height": 900})
    view.wait_for_function(AGREE)
    wide = view.evaluate(HINTS)
    # Some tables are too wide for a phone only: their hint comes and goes with the width.
    assert any(n == [True, True] and w == [False, False] for n, w in zip(narrow, wide, strict=True))
    context.close()


def _active_entry(view: Page) -> tuple[str, str, str]:
    entry = view.locator(".md-nav--primary > .md-nav__list > .md-nav__item--active > a.md-nav__link")
    expect(entry).to_have_count(1)
    expect(entry).to_be_visible()
    return entry.inner_text().strip(), *entry.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).fontWeight]")


def _plain_entry_style(view: Page, name: str) -> list[str]:
    entry = view.locator(
        ".md-nav--primary > .md-nav__list > .md-nav__item:not(.md-nav__item--active) > a.md-nav__link", has_text=name
    )
    style: list[str] = entry.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).fontWeight]")
    return style


MARKED = {
    "notices/2023/08/": "通报档案",
    "notices/2023/": "通报档案",
    f"units/{quote('电信公司')}/": "单位排名",
    f"districts/{quote('湛河区')}/": "区域案例",
    f"categories/{quote('城市管理类')}/": "诉求类别",
}


@pytest.mark.parametrize("path", list(MARKED))
def test_the_menu_marks_the_section_on_a_desktop(page: Page, base_url: str, path: str) -> None:  # noqa: F811
    page.goto(base_url + path)
    name, color, weight = _active_entry(page)
    assert name == MARKED[path]
    assert [color, weight] != _plain_entry_style(page, "关于本站")


def test_the_menu_marks_the_section_on_a_phone(phone: Page, base_url: str) -> None:  # noqa: F811
    phone.goto(base_url + "notices/2023/08/")
    phone.locator("label.md-header__button[for='__drawer']").click()
    name, color, weight = _active_entry(phone)
    assert name == "通报档案"
    assert [color, weight] != _plain_entry_style(phone, "关于本站")
    phone.screenshot(path=ARTIFACTS / "menu-notice-360.png")


def test_the_desktop_home_page_has_its_side_menu(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url)
    expect(page.locator(".md-sidebar--primary .md-nav--primary a", has_text="通报档案")).to_be_visible()
    assert "编辑指南" not in page.locator(".md-sidebar--primary").inner_text()
    expect(page.locator("footer a", has_text="编辑指南")).to_be_visible()


def test_breadcrumbs_lead_back_up(phone: Page, base_url: str) -> None:  # noqa: F811
    phone.goto(base_url + "notices/2023/08/")
    trail = phone.locator("nav[aria-label='当前位置']")
    expect(trail).to_be_visible()
    assert [t.strip() for t in trail.locator("li").all_inner_texts()] == ["首页", "通报档案", "2023年", "8月"]
    trail.locator("a", has_text="2023年").click()
    expect(phone.locator("h1")).to_contain_text("2023年通报")
    phone.locator("nav[aria-label='当前位置'] a", has_text="通报档案").click()
    expect(phone.locator("h1")).to_contain_text("通报档案")


def test_the_404_page_leads_to_the_archive_and_to_search(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url + "404.html")
    page.locator("article a", has_text="站内搜索").click()
    box = page.locator("input.md-search__input")
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    page.locator("article a", has_text="通报档案").click()
    expect(page.locator("h1")).to_contain_text("通报档案")
