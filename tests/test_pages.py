"""Pages stay bounded as the archive grows: an entity's page shows its latest months and its
years pages hold the rest, and still every month is linked. On SYNTHETIC archives (tests/synthetic).

The 1200-notice sizes are measured by ``benchmarks/pages.py``; here a 30-month archive that spans
two decades checks the structure that keeps them bounded.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator import Site, read_archive, render_site
from generator.archive import Archive
from generator.pages import TREND_MONTHS, category_path, district_path, history_path, unit_path
from generator.timeline import RECENT_MONTHS, YEARS_PER_PAGE, decade

NOTICE_LINK = re.compile(r"notices/(\d{4})/(\d{2})(?:\.md|/)(?:#([\w-]+))?")
MARKDOWN_LINK = re.compile(r"\]\(([^)#]+)(?:#([^)]*))?\)")
HREF = re.compile(r'href="(/[^"#]*)(?:#([^"]*))?"')


@pytest.fixture(scope="module")
def archive(long_root: Path) -> Archive:
    return read_archive(long_root)


@pytest.fixture(scope="module")
def pages(long_site: Site) -> dict[str, str]:
    return {page.path: page.markdown for page in long_site.pages}


def _months_linked(text: str, anchor: str | None = None) -> set[str]:
    """The notice months a page links to (to ``#anchor`` when given)."""
    return {f"{y}-{m}" for y, m, a in NOTICE_LINK.findall(text) if anchor is None or a == anchor}


def _entity_pages(pages: dict[str, str], path: str) -> dict[str, str]:
    """An entity's page and its years pages."""
    folder = path.removesuffix(".md") + "/"
    return {p: text for p, text in pages.items() if p == path or (p.startswith(folder) and p.count("/") == path.count("/") + 1)}


def _links(path: str, text: str) -> set[tuple[str, str]]:
    """(page, anchor) of every link of a page: Markdown links and root-path ``href``s of its HTML
    (a directory address counts as both of the sources it may come from)."""
    base = posixpath.dirname(path)
    found = {
        (posixpath.normpath(posixpath.join(base, unquote(target))), anchor) for target, anchor in MARKDOWN_LINK.findall(text)
    }
    for target, anchor in HREF.findall(text):
        url = unquote(target).strip("/")
        found |= {(f"{url}.md", anchor), (f"{url}/index.md", anchor)}
    return found


def test_an_entity_page_shows_its_latest_months_only(archive: Archive, pages: dict[str, str]) -> None:
    unit = pages[unit_path("市卫健委")]
    assert len(_months_linked(unit, "attachment-1")) == RECENT_MONTHS
    assert _months_linked(unit, "attachment-1") == {f"2010-{m:02d}" for m in range(1, 13)}
    assert len(_months_linked(unit, "attachment-2")) == RECENT_MONTHS
    category = pages[category_path("城市管理类")]
    assert _months_linked(category, "categories") == {f"2010-{m:02d}" for m in range(1, 13)}
    district = pages[district_path("石龙区")]
    assert _months_linked(district) == {f"2010-{m:02d}" for m in range(1, 13)}
    # Newest first.
    rows = re.findall(r"notices/(\d{4}/\d{2})/#attachment-1", unit)
    assert rows == sorted(rows, reverse=True)


def test_every_month_of_every_entity_is_linked_from_its_pages(archive: Archive, pages: dict[str, str]) -> None:
    ranked: dict[str, set[str]] = {}
    messages: dict[str, set[str]] = {}
    listed: dict[str, set[str]] = {}
    cases: dict[str, set[str]] = {}
    lookup = archive.units.lookup()
    for record in archive.notices:
        notice = record.notice
        for group in notice.rankings.groups if notice.rankings else []:
            for row in group.rows:
                ranked.setdefault(lookup[row.unit].name, set()).add(record.period)
        for message in notice.web_messages.rows if notice.web_messages else []:
            messages.setdefault(lookup[message.unit].name, set()).add(record.period)
        for category in notice.categories:
            listed.setdefault(category.name, set()).add(record.period)
        for case in notice.cases:
            for area in case.areas:
                cases.setdefault(area.district, set()).add(record.period)
    assert len(ranked) > 50 and listed and cases
    for name, periods in ranked.items():
        text = "".join(_entity_pages(pages, unit_path(name)).values())
        assert _months_linked(text, "attachment-1") == periods, name
    for name, periods in messages.items():
        text = "".join(_entity_pages(pages, unit_path(name)).values())
        assert _months_linked(text, "attachment-2") == periods, name
    for name, periods in listed.items():
        assert _months_linked("".join(_entity_pages(pages, category_path(name)).values()), "categories") == periods, name
    for name, periods in cases.items():
        assert _months_linked("".join(_entity_pages(pages, district_path(name)).values())) == periods, name


@pytest.mark.parametrize("path", [unit_path("市卫健委"), district_path("石龙区"), category_path("城市管理类")])
def test_years_pages_cover_a_decade_each_and_are_linked_both_ways(pages: dict[str, str], path: str) -> None:
    own = _entity_pages(pages, path)
    expected = {history_path(path, "2000-2009"), history_path(path, "2010-2019")}
    assert set(own) - {path} == expected
    links = _links(path, pages[path])
    assert expected <= {target for target, _ in links}
    # Each year is linked to its own section of the page of its decade.
    for year in ("2008", "2009", "2010"):
        target = history_path(path, decade(year))
        assert (target, f"year-{year}") in links
        assert f"## {year}年 {{#year-{year}}}" in pages[target]
    for years_page in expected:
        text = pages[years_page]
        years = re.findall(r"^## (\d{4})年 ", text, re.MULTILINE)
        assert years and years == sorted(years, reverse=True)
        assert len(years) <= YEARS_PER_PAGE and {decade(year) for year in years} == {years_page[-12:-3]}
        targets = {target for target, _ in _links(years_page, text)}
        assert path in targets and expected - {years_page} <= targets


def test_a_short_history_has_no_years_pages(synthetic_site: Site) -> None:
    paths = {page.path for page in synthetic_site.pages}
    assert not [path for path in paths if re.search(r"/\d{4}-\d{4}\.md$", path)]
    unit = next(page.markdown for page in synthetic_site.pages if page.path == unit_path("市卫健委"))
    assert "## 历年" not in unit and len(_months_linked(unit, "attachment-1")) == 8


def test_home_page_trend_shows_the_latest_months_and_points_to_the_archive(archive: Archive, pages: dict[str, str]) -> None:
    home = pages["index.md"]
    linked = re.findall(r'<th scope="row"><a href="/notices/(\d{4})/(\d{2})/">', home)
    assert [f"{y}-{m}" for y, m in linked] == [r.period for r in reversed(archive.notices)][:TREND_MONTHS]
    assert ("notices/index.md", "") in _links("index.md", home)
    # The months left out are on their year's page, which the archive page links to.
    for record in archive.notices:
        year = pages[f"notices/{record.period[:4]}/index.md"]
        assert f"/notices/{record.period[:4]}/{record.period[5:]}/" in year
        assert (f"notices/{record.period[:4]}/index.md", "") in _links("notices/index.md", pages["notices/index.md"])


def test_no_page_links_to_more_months_than_its_bound(long_site: Site, pages: dict[str, str]) -> None:
    """What grows with the archive is the months a page lists: bounded on every page but the years pages,
    which hold at most ten years each. (Their HTML sizes at 1200 notices: benchmarks/pages.py.)"""
    assert len(long_site.pages) > 200
    for path, text in pages.items():
        months = _months_linked(text.replace("](../notices/", "](notices/"))
        if re.search(r"/\d{4}-\d{4}\.md$", path):
            assert len(months) <= 12 * YEARS_PER_PAGE, path
        elif not re.fullmatch(r"notices/\d{4}/\d{2}\.md", path):
            assert len(months) <= max(TREND_MONTHS, RECENT_MONTHS), (path, len(months))


LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")


@pytest.mark.parametrize("which", ["synthetic_site", "long_site"])
def test_no_line_runs_into_the_list_above_it(request: pytest.FixtureRequest, which: str) -> None:
    """A line right after a list item, with no blank line between, becomes part of that item
    (Markdown's lazy continuation): the district page's back link once sat in its last case."""
    site: Site = request.getfixturevalue(which)
    glued = []
    for page in site.pages:
        body = page.markdown.split("\n---\n", 1)[-1] if page.markdown.startswith("---\n") else page.markdown
        lines = body.split("\n")
        for line, following in itertools.pairwise(lines):
            if LIST_ITEM.match(line) and following.strip() and not LIST_ITEM.match(following) and not following[0].isspace():
                glued.append((page.path, following))
    assert glued == []


def test_years_pages_and_feeds_are_deterministic(long_root: Path, long_site: Site) -> None:
    again = render_site(read_archive(long_root))
    assert again.pages == long_site.pages
    assert again.assets == long_site.assets
