"""Atom feeds that follow one unit, district or category.

The archive's feed (``feed.xml``, every notice) is written by :mod:`generator.export`. Each unit,
district and category page also has a feed of its own (:func:`feed_path`):
the latest :data:`ENTRIES` notices that mention it, newest first, each entry saying what that
notice says about it and linking to that part of the notice page. Entry and feed ids are UUIDs
derived from the publisher, the entity and the period, and every date is the period's, so the same
data gives the same bytes. Links are absolute when the site's address is known, otherwise relative
to the feed's own address.
"""

from __future__ import annotations

import posixpath
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple
from urllib.parse import quote

from feedgen.version import version_str as feedgen_version

from generator.archive import Archive
from generator.history import CategoryMonth, DistrictCase, UnitHistory, shift_period
from generator.render import CASE_LABELS, GROUP_LABELS, page_url, period_label, visible
from generator.timeline import D

ENTRIES = 24
"""Notices in one entity's feed: two years of monthly notices, enough for any reader's polling."""


@dataclass(frozen=True)
class Entry:
    period: str
    title: str
    summary: str
    anchor: str
    """The part of the notice page the entry is about."""


def feed_path(page: str) -> str:
    """The feed of the entity whose page is ``page``: ``units/X.md`` → ``units-X.atom``.

    Feeds sit in the site's root folder: Material's script fetches ``sitemap.xml`` from the folder of
    every ``<link rel="alternate">`` of a page, which exists only there (elsewhere each page view
    would request a missing file)."""
    return page.removesuffix(".md").replace("/", "-") + ".atom"


def _time(period: str) -> datetime:
    """When a notice counts as published: the first day of the month after its period (as in ``feed.xml``)."""
    return datetime.fromisoformat(f"{shift_period(period, 1)}-01T00:00:00").replace(tzinfo=UTC)


# What lxml (through feedgen) writes for these characters, in element text and in attributes
# (str.replace, several times quicker than str.translate on Chinese text).
def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _escape_attribute(text: str) -> str:
    text = _escape_text(text).replace('"', "&quot;")
    return text.replace("\t", "&#9;").replace("\n", "&#10;")


# The element feedgen writes into every feed; kept, so that the feeds (feed.xml too) stay as they
# were when feedgen wrote them.
_GENERATOR = f'<generator uri="https://lkiesow.github.io/python-feedgen" version="{feedgen_version}">python-feedgen</generator>'


@cache
def _relative(target: str, folder: str) -> str:
    """A URL relative to a feed in ``folder``: feeds link the same notices again and again, and
    posixpath.relpath asks for the working directory each time."""
    relative = posixpath.relpath(target or ".", folder)
    relative = "./" if relative == "." else relative + ("/" if target.endswith("/") else "")
    return quote(relative, safe="/#")


def _element(name: str, text: str, indent: str) -> str:
    return f"{indent}<{name}>{_escape_text(text)}</{name}>\n"


def _link(href: str, indent: str, rel: str | None = None) -> str:
    relation = f' rel="{rel}"' if rel else ""
    return f'{indent}<link href="{_escape_attribute(href)}"{relation}/>\n'


def archive_feed_id(archive: Archive) -> uuid.UUID:
    """The id of the archive's feed (``feed.xml``), under which every other feed's id is made: the
    same in every build, different for another publisher."""
    return uuid.uuid5(uuid.NAMESPACE_URL, archive.publisher.website + archive.publisher.hotline)


def feed_id(archive: Archive, page: str) -> uuid.UUID:
    """The id of the feed of ``page``."""
    return uuid.uuid5(archive_feed_id(archive), page)


class AtomEntry(NamedTuple):
    """One entry of an Atom document, its texts already passed through ``visible``."""

    id: str
    title: str
    updated: datetime
    href: str
    summary: str


def atom_xml(
    *, id: str, title: str, subtitle: str, author: str, updated: datetime, links: tuple[str, str], entries: Iterable[AtomEntry]
) -> bytes:
    """An Atom document (``links``: its self and alternate addresses), written out directly: byte
    for byte what feedgen 1.0 wrote with ``atom_str(pretty=True)`` for the same fields
    (tests/test_feeds.py and tests/test_export.py compare the two), at a small part of its cost,
    which at 1200 notices was some hundred feeds of lxml trees."""
    parts = [
        "<?xml version='1.0' encoding='UTF-8'?>\n",
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh">\n',
        _element("id", id, "  "),
        _element("title", title, "  "),
        _element("updated", updated.isoformat(), "  "),
        f"  <author>\n{_element('name', author, '    ')}  </author>\n" if author else "",
        _link(links[0], "  ", "self"),
        _link(links[1], "  ", "alternate"),
        f"  {_GENERATOR}\n",
        _element("subtitle", subtitle, "  ") if subtitle else "",
    ]
    for entry in entries:
        parts += [
            "  <entry>\n",
            _element("id", entry.id, "    "),
            _element("title", entry.title, "    "),
            _element("updated", entry.updated.isoformat(), "    "),
            _link(entry.href, "    "),
            _element("summary", entry.summary, "    ") if entry.summary else "    <summary/>\n",
            "  </entry>\n",
        ]
    parts.append("</feed>\n")
    return "".join(parts).encode()


def atom_document(archive: Archive, *, name: str, page: str, entries: Sequence[Entry], site_url: str | None) -> bytes:
    """The feed of the entity whose page is ``page``: its latest :data:`ENTRIES` entries, newest first."""
    publisher = archive.publisher
    own = feed_id(archive, page)
    feed = feed_path(page)
    base = site_url.rstrip("/") + "/" if site_url else None

    def url(target: str) -> str:
        return base + quote(target, safe="/#") if base is not None else _relative(target, posixpath.dirname(feed))

    chosen = sorted(entries, key=lambda entry: entry.period, reverse=True)[:ENTRIES]
    return atom_xml(
        id=f"urn:uuid:{own}",
        title=visible(f"{name} · {publisher.site_title}"),
        subtitle=visible(f"{publisher.city}{publisher.hotline}工作情况通报中关于{name}的内容，最新的在前。"),
        author=visible(f"{publisher.city}{publisher.hotline}"),
        updated=_time(chosen[0].period) if chosen else datetime(2000, 1, 1, tzinfo=UTC),
        links=(url(feed), url(page_url(page))),
        entries=[
            AtomEntry(
                f"urn:uuid:{uuid.uuid5(own, item.period)}",
                visible(item.title),
                _time(item.period),
                url(f"notices/{item.period[:4]}/{item.period[5:]}/") + f"#{item.anchor}",
                visible(item.summary),
            )
            for item in chosen
        ],
    )


def _latest(items: Sequence[D]) -> defaultdict[str, list[D]]:
    """Period → its items, for the latest :data:`ENTRIES` periods of items in period order (a
    unit's months): read from the end, as a unit's history grows with every notice."""
    found: defaultdict[str, list[D]] = defaultdict(list)
    for item in reversed(items):
        if item.period not in found and len(found) == ENTRIES:
            break
        found[item.period].append(item)
    for period_items in found.values():
        period_items.reverse()
    return found


def unit_feed(archive: Archive, history: UnitHistory, *, page: str, site_url: str | None) -> bytes:
    """The feed of one unit: its ranking and its web messages, month by month."""
    name = history.unit.name
    months, messages = _latest(history.months), _latest(history.messages)
    # Only the latest periods become entries (atom_document keeps ENTRIES of them): not a century
    # of summaries.
    periods = sorted(months.keys() | messages.keys())[-ENTRIES:]
    entries = []
    for period in periods:
        parts = []
        for month in months[period]:
            moved = ""
            if month.rank_change:
                moved = f"，名次{'上升' if month.rank_change > 0 else '下降'} {abs(month.rank_change)} 位"
            flags = ("，本组末位" if month.is_last else "") + ("，低于分数线" if month.below_threshold else "")
            printed = f"（通报中写作“{month.printed_name}”）" if month.printed_name != name else ""
            columns = "".join(f"{header} {value}，" for header, value in month.values)  # 件数 510，满意率 96.2%，
            parts.append(
                f"{columns}得分 {month.score}，在{GROUP_LABELS[history.unit.group]}中排名 {month.rank}/{month.group_size}"
                f"{moved}{flags}{printed}"
            )
        for message in messages[period]:
            parts.append(f"网络留言办件 {message.total} 件，已回复 {message.replied} 件，未回复 {message.unreplied} 件")
        ranked = months[period]
        title = f"{period_label(period)}：{name}"
        title += f" 排名 {ranked[0].rank}/{ranked[0].group_size}" if ranked else " 网络留言办理情况"
        entries.append(Entry(period, title, "；".join(parts) + "。", ranked[0].anchor if ranked else messages[period][0].anchor))
    return atom_document(archive, name=name, page=page, entries=entries, site_url=site_url)


def district_feed(archive: Archive, name: str, cases: Sequence[DistrictCase], *, page: str, site_url: str | None) -> bytes:
    """The feed of one district: the hot and difficult cases that name it."""
    # Entries for the latest periods only (atom_document keeps ENTRIES of them), as in unit_feed.
    latest = set(sorted({case.period for case in cases}, reverse=True)[:ENTRIES])
    by_period: dict[str, list[DistrictCase]] = {}
    for case in cases:
        if case.period in latest:
            by_period.setdefault(case.period, []).append(case)
    entries = []
    for period, found in by_period.items():
        found.sort(key=lambda case: (list(CASE_LABELS).index(case.kind), case.number))
        parts = [
            f"{CASE_LABELS[case.kind]}：{case.topic}"
            + (f"（{'、'.join(case.places)}{'等' if case.partial else ''}）" if case.places else "")
            for case in found
        ]
        first = found[0]
        title = f"{period_label(period)}：涉及{name}的 {len(found)} 个案例"
        entries.append(Entry(period, title, "；".join(parts) + "。", f"{first.kind.value}-{first.number}"))
    return atom_document(archive, name=name, page=page, entries=entries, site_url=site_url)


def category_feed(archive: Archive, name: str, months: Sequence[CategoryMonth], *, page: str, site_url: str | None) -> bytes:
    """The feed of one category of requests: its count and share in each notice that lists it."""
    latest = set(sorted({month.period for month in months}, reverse=True)[:ENTRIES])  # as in district_feed
    entries = [
        Entry(
            month.period,
            f"{period_label(month.period)}：{name} {month.count} 件",
            f"{name}{month.count} 件，占 {month.share}%"
            + (f"，主要涉及{'、'.join(month.topics)}等" if month.topics else "")
            + "。",
            "categories",
        )
        for month in months
        if month.period in latest
    ]
    return atom_document(archive, name=name, page=page, entries=entries, site_url=site_url)
