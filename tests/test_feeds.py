"""The Atom feeds of units, districts and categories, on SYNTHETIC archives (tests/synthetic)."""

from __future__ import annotations

import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from feedgen.feed import FeedGenerator
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import Site, read_archive, render_site
from generator.archive import Archive
from generator.feeds import ENTRIES, Entry, atom_document, feed_id, feed_path
from generator.history import shift_period
from generator.model import Publisher, UnitRegistry
from generator.pages import category_path, district_path, unit_path
from generator.render import page_url, visible

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://example.org/archive/"


def check_atom(content: bytes) -> ET.Element:
    """What RFC 4287 requires of a feed and its entries (section 4.1), checked on the parsed XML."""
    root = ET.fromstring(content)
    assert root.tag == f"{ATOM}feed"

    def one(element: ET.Element, name: str) -> str:
        found = element.findall(f"{ATOM}{name}")
        assert len(found) == 1, f"{name}: {len(found)}"
        return found[0].text or ""

    def date(text: str) -> datetime:
        parsed = datetime.fromisoformat(text)
        assert parsed.tzinfo is not None, text
        return parsed

    assert one(root, "id").startswith("urn:uuid:") and one(root, "title")
    updated = date(one(root, "updated"))
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # entries have none of their own
    links = root.findall(f"{ATOM}link")
    assert sorted(link.get("rel", "alternate") for link in links) == ["alternate", "self"]
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        ids.append(one(entry, "id"))
        assert one(entry, "title") and one(entry, "summary")
        assert date(one(entry, "updated")) <= updated
        assert [link.get("rel", "alternate") for link in entry.findall(f"{ATOM}link")] == ["alternate"]
    assert len(ids) == len(set(ids))
    return root


def _feeds(site: Site) -> dict[str, bytes]:
    return {asset.path: asset.content for asset in site.assets if asset.path.endswith(".atom")}


def _entries(root: ET.Element) -> list[tuple[str, str, str]]:
    """(title, link, summary) of every entry, in order."""
    return [
        (entry.findtext(f"{ATOM}title", ""), entry.find(f"{ATOM}link").get("href", ""), entry.findtext(f"{ATOM}summary", ""))  # type: ignore[union-attr]
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_every_unit_district_and_category_page_has_a_valid_feed_linked_from_it(synthetic_site: Site) -> None:
    feeds = _feeds(synthetic_site)
    pages = {page.path: page.markdown for page in synthetic_site.pages}
    entity_pages = [p for p in pages if re.fullmatch(r"(units|districts|categories)/[^/]+\.md", p) and not p.endswith("index.md")]
    assert len(entity_pages) > 60
    assert sorted(feeds) == sorted(feed_path(p) for p in entity_pages)
    for path in entity_pages:
        check_atom(feeds[feed_path(path)])
        url = "/" + quote(feed_path(path))
        # In <head> (through the page's meta) and visibly on the page.
        assert f"\nfeed: {url}\n" in pages[path]
        assert f'<p class="feed-link" data-search-exclude><a href="{url}" type="application/atom+xml">订阅' in pages[path]


def test_a_unit_feed_follows_its_rankings_under_every_name(synthetic_site: Site, synthetic_root: Path) -> None:
    root = check_atom(_feeds(synthetic_site)[feed_path(unit_path("市卫健委"))])
    entries = _entries(root)
    periods = [r.period for r in read_archive(synthetic_root).notices]
    # Newest first, one entry per notice that ranks it (as 市卫生健康委员会 from 2023-11 too).
    assert [link for _, link, _ in entries] == [f"notices/{p[:4]}/{p[5:]}/#attachment-1" for p in reversed(periods)]
    assert entries[0][0] == "2024年8月：市卫健委 排名 29/38"
    assert entries[0][2] == (
        "得分 81.95，在市直和驻平单位中排名 29/38（通报中写作“市卫生健康委员会”）；网络留言办件 2 件，已回复 2 件，未回复 0 件。"
    )
    assert entries[-1][2].startswith("得分 82.31，在市直和驻平单位中排名 30/37；")
    assert root.findtext(f"{ATOM}updated") == "2024-09-01T00:00:00+00:00"
    assert root.findtext(f"{ATOM}title", "").startswith("市卫健委 · ")
    # A unit missing from one month has no entry for it.
    absent = [link for _, link, _ in _entries(check_atom(_feeds(synthetic_site)[feed_path(unit_path("市烟草局"))]))]
    assert "notices/2023/11/#attachment-1" not in absent and len(absent) == len(periods) - 1


def test_district_and_category_feeds_say_what_the_notice_says_about_them(synthetic_site: Site) -> None:
    feeds = _feeds(synthetic_site)
    district = _entries(check_atom(feeds[feed_path(district_path("石龙区"))]))
    assert district[0] == (
        "2024年8月：涉及石龙区的 1 个案例",
        "notices/2024/08/#hot-2",
        "热点问题：环境保护问题（合成地点7）。",
    )
    category = _entries(check_atom(feeds[feed_path(category_path("经济发展类"))]))
    # Listed from 2023-10 on: six notices.
    assert [link for _, link, _ in category][-1] == "notices/2023/10/#categories"
    assert len(category) == 6
    assert re.fullmatch(r"经济发展类\d+ 件，占 [\d.]+%，主要涉及企业开办、用工咨询等。", category[0][2])


def test_relative_links_resolve_to_the_pages_they_name(synthetic_site: Site) -> None:
    pages = {page.path for page in synthetic_site.pages}
    for path, content in _feeds(synthetic_site).items():
        base = f"http://site/{path}"
        root = ET.fromstring(content)
        for link in root.iter(f"{ATOM}link"):
            url = urlsplit(urljoin(base, link.get("href", "")))
            target = unquote(url.path).strip("/")
            if target.endswith(".atom"):
                assert target == path
            else:
                assert f"{target}.md" in pages or f"{target}/index.md" in pages, (path, link.get("href"))


def test_with_a_site_address_every_link_is_absolute(synthetic_root: Path) -> None:
    site = render_site(read_archive(synthetic_root), site_url=SITE_URL.rstrip("/"))
    root = check_atom(_feeds(site)[feed_path(unit_path("市卫健委"))])
    links = {link.get("rel", "alternate"): link.get("href") for link in root.findall(f"{ATOM}link")}
    quoted = "%E5%B8%82%E5%8D%AB%E5%81%A5%E5%A7%94"
    assert links == {"self": f"{SITE_URL}units-{quoted}.atom", "alternate": f"{SITE_URL}units/{quoted}/"}
    assert _entries(root)[0][1] == f"{SITE_URL}notices/2024/08/#attachment-1"
    page = next(p.markdown for p in site.pages if p.path == unit_path("市卫健委"))
    assert f"\nfeed: /archive/units-{quoted}.atom\n" in page


def test_a_feed_holds_the_latest_notices_only(long_site: Site) -> None:
    root = check_atom(_feeds(long_site)[feed_path(category_path("城市管理类"))])
    links = [link for _, link, _ in _entries(root)]
    assert len(links) == ENTRIES
    assert links[0] == "notices/2010/12/#categories" and links[-1] == "notices/2009/01/#categories"


@pytest.mark.parametrize("name", ["units/市卫健委.md", "districts/石龙区.md"])
def test_years_pages_name_the_same_feed(long_site: Site, name: str) -> None:
    pages = {page.path: page.markdown for page in long_site.pages}
    own = re.search(r"^feed: (\S+)$", pages[name], re.MULTILINE)
    years = pages[posixpath.join(name.removesuffix(".md"), "2000-2009.md")]
    assert own is not None and f"\nfeed: {own[1]}\n" in years


def _feedgen_atom(archive: Archive, *, name: str, page: str, entries: list[Entry], site_url: str | None) -> bytes:
    """The feed as feedgen 1.0 wrote it (generator/feeds.py did until it wrote the XML itself)."""
    publisher = archive.publisher
    own = feed_id(archive, page)  # the ids are not what this compares: the XML feedgen wrote is
    feed = feed_path(page)
    base = site_url.rstrip("/") + "/" if site_url else None

    def url(target: str) -> str:
        if base is not None:
            return base + quote(target, safe="/#")
        relative = posixpath.relpath(target or ".", posixpath.dirname(feed))
        relative = "./" if relative == "." else relative + ("/" if target.endswith("/") else "")
        return quote(relative, safe="/#")

    generator = FeedGenerator()
    generator.id(f"urn:uuid:{own}")
    generator.title(visible(f"{name} · {publisher.site_title}"))
    generator.subtitle(visible(f"{publisher.city}{publisher.hotline}工作情况通报中关于{name}的内容，最新的在前。"))
    generator.language("zh")
    generator.author({"name": visible(f"{publisher.city}{publisher.hotline}")})
    generator.link(href=url(feed), rel="self")
    generator.link(href=url(page_url(page)), rel="alternate")
    chosen = sorted(entries, key=lambda entry: entry.period, reverse=True)[:ENTRIES]
    generator.updated(
        datetime.fromisoformat(f"{shift_period(chosen[0].period, 1)}-01T00:00:00+00:00")
        if chosen
        else datetime(2000, 1, 1, tzinfo=UTC)
    )
    for item in chosen:
        entry = generator.add_entry(order="append")
        entry.id(f"urn:uuid:{uuid.uuid5(own, item.period)}")
        entry.title(visible(item.title))
        entry.link(href=url(f"notices/{item.period[:4]}/{item.period[5:]}/") + f"#{item.anchor}")
        entry.updated(datetime.fromisoformat(f"{shift_period(item.period, 1)}-01T00:00:00+00:00"))
        entry.summary(visible(item.summary))
    atom: bytes = generator.atom_str(pretty=True)
    return atom


_PERIODS = st.builds(lambda year, month: f"{year:04d}-{month:02d}", st.integers(1990, 2099), st.integers(1, 12))
# Markup, quotes, line breaks and invisible characters often, any other character too but lone
# surrogates, which the loader refuses (generator/characters.py) and UTF-8 cannot encode.
_CHARACTERS = st.one_of(st.sampled_from("&<>\"'\t\n\r\x00\x85\u200b\u2028 甲]"), st.characters(exclude_categories=["Cs"]))
_TEXT = st.text(_CHARACTERS, min_size=1, max_size=30)


@given(
    place=st.tuples(_TEXT, _TEXT, _TEXT),
    name=_TEXT,
    entries=st.lists(
        # Titles start with the month and anchors are the page's own (tests/test_markup.py).
        st.builds(
            Entry,
            _PERIODS,
            _TEXT.map("2023年8月：".__add__),
            st.text(_CHARACTERS, max_size=30),
            st.sampled_from(["hot-2", "attachment-1"]),
        ),
        max_size=ENTRIES + 3,
        unique_by=lambda e: e.period,
    ),
    site_url=st.sampled_from([None, "https://example.org/a b/"]),
)
@settings(max_examples=150, deadline=None)
def test_the_feed_is_written_as_feedgen_wrote_it(
    place: tuple[str, str, str], name: str, entries: list[Entry], site_url: str | None
) -> None:
    """Any text (markup, quotes, line breaks, invisible characters) in any field: the same bytes."""
    city, hotline, title = (f"平{text}" for text in place)  # never only invisible characters
    publisher = Publisher.model_construct(
        city=city,
        hotline=hotline,
        site_title=title,
        site_description="虚构",
        website="https://example.org/",
        data_license="CC BY 4.0",
        data_license_url="https://example.org/license",
    )
    archive = Archive(publisher=publisher, units=UnitRegistry(units=[]), notices=())
    page = unit_path(f"单位{name}")
    written = atom_document(archive, name=f"单位{name}", page=page, entries=entries, site_url=site_url)
    assert written == _feedgen_atom(archive, name=f"单位{name}", page=page, entries=entries, site_url=site_url)
