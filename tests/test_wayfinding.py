"""Finding one's way on the built site: the menu marks the section of every page, breadcrumbs
lead back from generated pages, the staff guide stays out of the citizens' menu, and the 404
page helps in Chinese. (The same in a real browser: tests/test_browser_wayfinding.py.)"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

# The menu's entry for each top-level folder of the site; the staff guide is in none.
SECTIONS = {
    "": "首页",
    "notices": "通报档案",
    "units": "单位排名",
    "districts": "区域案例",
    "categories": "诉求类别",
    "data": "数据下载",
    "about": "关于本站",
    "guide": None,
}
MENU = ["首页", "通报档案", "单位排名", "区域案例", "诉求类别", "数据下载", "关于本站"]


def soup_of(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def menu(soup: BeautifulSoup) -> list[Tag]:
    """The menu's entries (without the page's own table of contents that Material nests in it)."""
    nav = soup.find("nav", class_="md-nav--primary")
    assert isinstance(nav, Tag)
    entries = nav.find("ul", class_="md-nav__list")
    assert isinstance(entries, Tag)
    return entries.find_all("li", recursive=False)


def entry(item: Tag) -> str:
    link = item.find("a", class_="md-nav__link", recursive=False)
    assert isinstance(link, Tag)
    return link.get_text(strip=True)


def resolve(page: str, href: str) -> str:
    """The site path a relative link on ``page`` (a folder such as ``notices/2023``) leads to."""
    base = "/" + page + "/" if page else "/"
    return posixpath.normpath(posixpath.join(base, href)).rstrip("/") + "/"


def pages(site: Path) -> list[str]:
    return sorted(file.parent.relative_to(site).as_posix().removeprefix(".") for file in site.rglob("index.html"))


def test_every_page_marks_its_section_in_the_menu(built_site: Path) -> None:
    checked = 0
    for path in pages(built_site):
        section = SECTIONS[path.split("/")[0]]
        entries = menu(soup_of(built_site / path / "index.html"))
        active = [entry(item) for item in entries if "md-nav__item--active" in item["class"]]
        assert active == ([section] if section else []), path
        checked += 1
    # The notice, its year, a unit, a district and a category page are among those checked.
    assert {"notices/2023/08", "notices/2023", "units/电信公司", "districts/湛河区", "categories/城市管理类"} <= set(
        pages(built_site)
    )
    assert checked > 50


def test_the_staff_guide_is_in_the_footer_not_in_the_menu(built_site: Path) -> None:
    for path in ("", "notices/2023/08", "guide"):
        soup = soup_of(built_site / path / "index.html")
        assert [entry(item) for item in menu(soup)] == MENU, path
        footer = soup.find("nav", class_="site-footer-links")
        assert isinstance(footer, Tag)
        guide = footer.find("a", string="编辑指南")
        assert isinstance(guide, Tag) and resolve(path, str(guide["href"])) == "/guide/", path
    assert (built_site / "guide/index.html").is_file()


BREADCRUMBS = {
    "notices/2023/08": [("首页", "/"), ("通报档案", "/notices/"), ("2023年", "/notices/2023/"), ("8月", None)],
    "notices/2023": [("首页", "/"), ("通报档案", "/notices/"), ("2023年", None)],
    "units/电信公司": [("首页", "/"), ("单位排名", "/units/"), ("电信公司", None)],
    "districts/湛河区": [("首页", "/"), ("区域案例", "/districts/"), ("湛河区", None)],
    "categories/城市管理类": [("首页", "/"), ("诉求类别", "/categories/"), ("城市管理类", None)],
}


@pytest.mark.parametrize("path", list(BREADCRUMBS))
def test_generated_pages_show_breadcrumbs(built_site: Path, path: str) -> None:
    trail = soup_of(built_site / path / "index.html").find("nav", attrs={"aria-label": "当前位置"})
    assert isinstance(trail, Tag)
    steps: list[tuple[str, str | None]] = []
    for item in trail.find_all("li"):
        link = item.find("a")
        if link is None:
            current = item.find("span", attrs={"aria-current": "page"})
            assert isinstance(current, Tag)
            steps.append((current.get_text(strip=True), None))
        else:
            steps.append((link.get_text(strip=True), resolve(path, str(link["href"]))))
    assert steps == BREADCRUMBS[path]
    # Outside the article: the site search indexes the article, not the way to it.
    assert trail.find_parent("article") is None


def test_pages_in_the_menu_need_no_breadcrumbs(built_site: Path) -> None:
    for path in ("", "notices", "units", "about"):
        assert soup_of(built_site / path / "index.html").find("nav", class_="md-path") is None, path


def test_the_home_page_keeps_its_side_menu(built_site: Path) -> None:
    sidebar = soup_of(built_site / "index.html").find("div", class_="md-sidebar--primary")
    assert isinstance(sidebar, Tag) and not sidebar.has_attr("hidden")


def test_the_404_page_is_chinese_and_leads_to_the_archive_and_search(built_site: Path) -> None:
    soup = soup_of(built_site / "404.html")
    assert soup.title is not None and soup.title.get_text().startswith("找不到页面 - ")
    article = soup.find("article")
    assert isinstance(article, Tag)
    assert article.find("h1").get_text() == "找不到这个页面（404）"  # type: ignore[union-attr]
    assert "not found" not in soup.get_text().lower()
    # Served at any address, so its links start from the site's root (the search link stays on the page).
    links = {a.get_text(): str(a["href"]) for a in article.find_all("a")}
    assert links == {"通报档案": "/notices/", "站内搜索": "#search", "首页": "/."}
