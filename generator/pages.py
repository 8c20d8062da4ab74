"""Which pages and files the site has, and what each template is given.

``render_site`` is the whole second half of the pipeline: from a valid archive to every page
(Markdown) and every download (bytes), in a fixed order.
"""

from __future__ import annotations

import functools
import gc
import posixpath
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from jinja2 import Template

from generator import charts, export, feeds, rows
from generator.archive import Archive, NoticeRecord
from generator.dictionary import data_page
from generator.history import (
    category_histories,
    district_cases,
    extra_columns,
    headlines,
    month_changes,
    rank_rows,
    rank_table,
    shift_period,
    unit_histories,
)
from generator.model import UnitGroup
from generator.render import environment, folder_link, href, site_path
from generator.timeline import RECENT_MONTHS, history_pages, timeline
from generator.timeline import history_path as history_path  # where the other page paths are

LATEST_ON_HOME = 6
TREND_MONTHS = 24
"""Months in the home page's trend chart and its table; every month is on its year's page."""


@dataclass(frozen=True)
class Page:
    """One rendered page: where it goes, its Markdown, and the data file it was made from."""

    path: str
    markdown: str
    source: str | None


@dataclass(frozen=True)
class Asset:
    """A file published as it is (downloads, the feed)."""

    path: str
    content: bytes


@dataclass
class Site:
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict, compare=False)
    """CPU seconds of each part of the render: ``pages`` (Markdown and feeds) and ``downloads``
    (:func:`generator.export.downloads`), which the build benchmark reports."""


@dataclass
class RenderCache:
    """Notice and unit pages of the last :func:`render_site`, each with what it was made from: the
    preview (``mkdocs serve``) renders again only pages whose inputs changed. Unchanged notices are
    the same objects from one build to the next (the read cache of :func:`~generator.archive.read_archive`)."""

    shared: tuple[object, ...] = ()
    """What every page shows (publisher, unit registry, addresses): when it changes, nothing is reused."""
    pages: dict[str, tuple[tuple[object, ...], str]] = field(default_factory=dict)
    entities: dict[str, tuple[tuple[object, ...], list[Page], Asset]] = field(default_factory=dict)
    """Unit pages with their years pages and feed."""

    def rendered(self) -> dict[str, str]:
        """The Markdown of every page kept for reuse, by path."""
        found = {path: markdown for path, (_, markdown) in self.pages.items()}
        for _, pages, _ in self.entities.values():
            found |= {page.path: page.markdown for page in pages}
        return found


def _same(before: tuple[object, ...], now: tuple[object, ...]) -> bool:
    return len(before) == len(now) and all(a is b or a == b for a, b in zip(before, now, strict=True))


# Names become readable Chinese URLs; only characters that would break a path are replaced.
_PATH_BREAKING = re.compile(r"[\s/\\?#%]+")


def _slug(name: str) -> str:
    return _PATH_BREAKING.sub("-", name)


def notice_path(period: str) -> str:
    return f"notices/{period[:4]}/{period[5:]}.md"


def year_path(year: str) -> str:
    return f"notices/{year}/index.md"


def unit_path(name: str) -> str:
    return f"units/{_slug(name)}.md"


def district_path(name: str) -> str:
    return f"districts/{_slug(name)}.md"


def category_path(name: str) -> str:
    return f"categories/{_slug(name)}.md"


def _years(archive: Archive) -> list[tuple[str, list[NoticeRecord]]]:
    years: dict[str, list[NoticeRecord]] = {}
    for record in reversed(archive.notices):
        years.setdefault(record.period[:4], []).append(record)
    return list(years.items())


def _trend_chart(archive: Archive) -> str | None:
    records = archive.notices[-TREND_MONTHS:]
    if len(records) < 2:
        return None
    periods = [r.period for r in records]
    return charts.line_chart(
        periods,
        [("受理各类来电来信（件）", [r.notice.intake.total for r in records])],
        rate=(
            "满意率（%）",
            [r.notice.satisfaction_rate for r in records],
        ),
        title="每月受理量与满意率",
        description=f"{periods[0]} 至 {periods[-1]} 每月受理各类来电来信件数（上）与热线满意率（下），数字见下表。",
    )


def _feed(entity: str, site_url: str | None) -> dict[str, str]:
    """The feed of an entity's pages: its file and its URL from the site's root path (for <head>)."""
    return {"feed": feeds.feed_path(entity), "feed_url": href(site_path(site_url), feeds.feed_path(entity))}


@contextmanager
def _without_collector() -> Iterator[None]:
    """While the site renders, no cyclic garbage collection. Rendering makes millions of small,
    short-lived objects and no reference cycles to speak of (at 1200 notices the peak memory is the
    same with the collector off, and a collection afterwards finds nothing), but each collection those
    allocations set off walks the live objects again, the archive's millions among them: at 1200
    notices that was about a quarter of the render's CPU time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def render_site(
    archive: Archive,
    *,
    site_url: str | None = None,
    changed: Mapping[str, str] | None = None,
    history_url: str | None = None,
    cache: RenderCache | None = None,
) -> Site:
    """Every generated page and file, from a valid archive.

    ``changed`` maps a data file to the date it last changed and ``history_url`` is where its
    history is browsed (the file path is appended); both come from the repository, when there is one.
    """
    with _without_collector():
        return _render(archive, site_url=site_url, changed=changed, history_url=history_url, cache=cache)


def _render(
    archive: Archive,
    *,
    site_url: str | None,
    changed: Mapping[str, str] | None,
    history_url: str | None,
    cache: RenderCache | None,
) -> Site:
    start = time.process_time()
    env = environment()
    site = Site()
    helpers = {
        "notice_path": notice_path,
        "year_path": year_path,
        "unit_path": unit_path,
        "district_path": district_path,
        "category_path": category_path,
        "extra_columns": extra_columns,
        "recent_months": RECENT_MONTHS,
    }

    if cache is not None and not _same(cache.shared, shared := (archive.publisher, archive.units, site_url, history_url)):
        cache.shared, cache.pages, cache.entities = shared, {}, {}

    def reused(path: str, source: str | None, inputs: tuple[object, ...]) -> bool:
        hit = cache.pages.get(path) if cache is not None else None
        if hit is not None and _same(hit[0], inputs):
            site.pages.append(Page(path=path, markdown=hit[1], source=source))
            return True
        return False

    # Pages link to the same pages and files again and again (every unit's table links each of its
    # months): each address is worked out once per build, each relative link once per folder, and
    # each month's or unit's link cell of the rows drawn in Python (generator/rows.py) once.
    hrefs = lru_cache(maxsize=None)(partial(href, site_path(site_url)))
    links = lru_cache(maxsize=None)(folder_link)
    spellings = {spelling: unit.name for spelling, unit in archive.units.lookup().items()}
    month_cell = lru_cache(maxsize=None)(partial(rows.month_cell, hrefs, notice_path))
    unit_link = lru_cache(maxsize=None)(partial(rows.unit_link, hrefs, unit_path, spellings))
    helpers |= {
        "ranking_tables": partial(rows.ranking_tables, unit_link),
        "message_table": partial(rows.message_table, unit_link),
        "key_figures": rows.key_figures,
        "changes_note": rows.changes_note,
        "intake_summary": rows.intake_summary,
        "work_update_items": rows.work_update_items,
        "category_table": partial(rows.category_table, hrefs, category_path),
        "unit_month_table": partial(rows.unit_month_table, month_cell),
        "unit_message_table": partial(rows.unit_message_table, month_cell),
        "unit_year_sections": partial(rows.unit_year_sections, month_cell),
        "category_rows": partial(rows.category_rows, month_cell),
        "unit_year_rows": partial(rows.unit_year_rows, hrefs, history_path),
        "pages_list": rows.pages_list,
        "case_items": partial(rows.case_items, notice_path),
        "notice_cases": partial(rows.notice_cases, district_path),
        "checks_list": rows.checks_list,
        "downloads_list": rows.downloads_list,
    }

    @functools.cache
    def template_named(name: str) -> tuple[Template, dict[str, Any]]:
        """A template and its globals as one dict, once a build: for every page, Jinja would check
        the template's file and copy the globals from their chain of maps."""
        page = env.get_template(name)
        return page, dict(page.globals)

    def add(path: str, template: str, source: str | None = None, inputs: tuple[object, ...] = (), **context: Any) -> None:
        page, page_globals = template_named(template)
        variables = page.new_context(
            {
                **page_globals,
                "publisher": archive.publisher,
                "link": partial(links, posixpath.dirname(path)),
                "href": hrefs,
                "page_path": path,
                "site_url": site_url,
                **helpers,
                **context,
            },
            shared=True,
        )
        try:
            markdown = env.concat(page.root_render_func(variables))
        except Exception:
            env.handle_exception()
        # What Template.render does, and then: a macro the page defines refers to the page's
        # context, which holds the macro, a reference cycle that would keep everything the page
        # was given alive until a garbage collection (none runs during the render).
        variables.vars.clear()
        site.pages.append(Page(path=path, markdown=markdown, source=source))
        if cache is not None and inputs:
            cache.pages[path] = (inputs, markdown)

    ranked = rank_rows(archive)
    units = unit_histories(archive, ranked)
    districts = district_cases(archive)
    categories = category_histories(archive)
    periods = archive.by_period()
    ranks = rank_table(archive, ranked)
    years = _years(archive)
    trend = _trend_chart(archive)

    latest = archive.latest
    add(
        "index.md",
        "home.md.j2",
        latest=latest,
        headlines=headlines(archive, latest) if latest else [],
        recent=list(reversed(archive.notices))[:LATEST_ON_HOME],
        trend=trend,
        trend_rows=list(reversed(archive.notices))[:TREND_MONTHS],
        trend_all=len(archive.notices) <= TREND_MONTHS,
    )
    add("notices/index.md", "archive.md.j2", years=years)
    for year, records in years:
        add(year_path(year), "year.md.j2", year=year, records=records)
    for index, record in enumerate(archive.notices):
        notice = record.notice
        # Everything a notice page is made from: the month, its neighbours, and the months its
        # 环比 and 同比 compare with.
        earlier = [periods.get(shift_period(record.period, -months)) for months in (1, 12)]
        neighbours = [archive.notices[i] if 0 <= i < len(archive.notices) else None for i in (index - 1, index + 1)]
        inputs = (record, *(r.notice if r else None for r in earlier + neighbours), (changed or {}).get(record.file))
        if reused(notice_path(record.period), record.file, inputs):
            continue
        category_chart = None
        if notice.categories:
            category_chart = charts.bar_chart(
                [c.name for c in notice.categories],
                [c.count for c in notice.categories],
                title=f"{record.period} 诉求类型分布",
                description="原通报列出的各类诉求件数，数字见下表。",
                unit="件",
            )
        add(
            notice_path(record.period),
            "notice.md.j2",
            record.file,
            inputs,
            record=record,
            notice=notice,
            previous=archive.notices[index - 1] if index > 0 else None,
            next=archive.notices[index + 1] if index + 1 < len(archive.notices) else None,
            headlines=headlines(archive, record, periods),
            changes=month_changes(archive, record, table=ranks, periods=periods),
            category_chart=category_chart,
            downloads=export.notice_downloads(record, archive.units),
            changed=(changed or {}).get(record.file),
            history=f"{history_url}{record.file}" if history_url else None,
        )
    add("units/index.md", "units.md.j2", groups=[(group, [u for u in units if u.unit.group is group]) for group in UnitGroup])

    def entity(
        path: str,
        kind: str,
        pages: Callable[[], list[tuple[str, list[str]]]],
        feed: Callable[[], bytes],
        inputs: tuple[object, ...] = (),
        **context: Any,
    ) -> None:
        """An entity's page, its years pages (``{kind}_years.md.j2``) and its feed; with ``inputs``,
        the preview reuses all three while the inputs stay the same."""
        hit = cache.entities.get(path) if cache is not None and inputs else None
        if hit is not None and _same(hit[0], inputs):
            site.pages.extend(hit[1])
            site.assets.append(hit[2])
            return
        start = len(site.pages)
        decades = pages()
        context |= {"entity_path": path, "years_pages": decades, **_feed(path, site_url)}
        add(path, f"{kind}.md.j2", **context)
        for decade, in_decade in decades:
            add(history_path(path, decade), f"{kind}_years.md.j2", pages=decade, years=in_decade, **context)
        asset = Asset(feeds.feed_path(path), feed())
        site.assets.append(asset)
        if cache is not None and inputs:
            cache.entities[path] = (inputs, site.pages[start:], asset)

    # Unit pages show their months as a table only: a chart on each of a hundred unit pages
    # would multiply the build time for little gain. Every entity page shows its latest months;
    # a long history goes on years pages (generator/timeline.py).
    for history in units:
        path = unit_path(history.unit.name)
        months, messages = timeline(history.months), timeline(history.messages)
        entity(
            path,
            "unit",
            partial(history_pages, months, messages),
            partial(feeds.unit_feed, archive, history, page=path, site_url=site_url),
            (history,),
            history=history,
            months=months,
            messages=messages,
            months_by_year=months.by_year,
            messages_by_year=messages.by_year,
        )
    add("districts/index.md", "districts.md.j2", districts=districts)
    for name, found in districts.items():
        path = district_path(name)
        cases = timeline(found)
        entity(
            path,
            "district",
            partial(history_pages, cases),
            partial(feeds.district_feed, archive, name, found, page=path, site_url=site_url),
            name=name,
            cases=cases,
            cases_by_year=cases.by_year,
        )
    add("categories/index.md", "categories.md.j2", categories=categories, latest=latest)
    for name, listed in categories.items():
        path = category_path(name)
        counts = timeline(listed)
        count_chart = None
        if len(counts.recent) >= 2:
            shown = counts.recent[::-1]
            count_chart = charts.line_chart(
                [m.period for m in shown],
                [("件数", [m.count for m in shown])],
                title=f"{name} 每月件数",
                description="原通报列出该类诉求的各月件数，数字见下表。",
            )
        entity(
            path,
            "category",
            partial(history_pages, counts),
            partial(feeds.category_feed, archive, name, listed, page=path, site_url=site_url),
            name=name,
            months=counts,
            count_chart=count_chart,
            months_by_year=counts.by_year,
        )
    before = time.process_time()
    files = export.downloads(archive, site_url=site_url)
    site.cpu["downloads"] = time.process_time() - before
    add("data.md", "data.md.j2", latest=latest, **data_page(files))
    site.assets.extend(Asset(path, content) for path, content in files)
    site.cpu["pages"] = time.process_time() - start - site.cpu["downloads"]
    return site
