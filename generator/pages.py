"""Which pages and files the site has, and what each template is given.

``render_site`` is the whole second half of the pipeline: from a valid archive to every page
(Markdown) and every download (bytes), in a fixed order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from generator import charts, export
from generator.archive import Archive, NoticeRecord
from generator.dictionary import data_dictionary
from generator.history import (
    category_histories,
    district_cases,
    headlines,
    month_changes,
    rank_table,
    unit_histories,
)
from generator.model import UnitGroup
from generator.render import environment, href, link, site_path

LATEST_ON_HOME = 6


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


def _slug(name: str) -> str:
    # Names become readable Chinese URLs; only characters that would break a path are replaced.
    return re.sub(r"[\s/\\?#%]+", "-", name)


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
    if len(archive.notices) < 2:
        return None
    periods = [r.period for r in archive.notices]
    return charts.line_chart(
        periods,
        [("受理各类来电来信（件）", [r.notice.intake.total for r in archive.notices])],
        right=(
            "满意率（%）",
            [r.notice.intake.phone.satisfaction_rate if r.notice.intake.phone else None for r in archive.notices],
        ),
        title="每月受理量与满意率",
        description=f"{periods[0]} 至 {periods[-1]} 每月受理各类来电来信件数（左轴）与热线满意率（右轴），数字见下表。",
    )


def render_site(
    archive: Archive,
    *,
    site_url: str | None = None,
    changed: Mapping[str, str] | None = None,
    history_url: str | None = None,
) -> Site:
    """Every generated page and file, from a valid archive.

    ``changed`` maps a data file to the date it last changed and ``history_url`` is where its
    history is browsed (the file path is appended); both come from the repository, when there is one.
    """
    env = environment()
    site = Site()
    helpers = {
        "notice_path": notice_path,
        "year_path": year_path,
        "unit_path": unit_path,
        "district_path": district_path,
        "category_path": category_path,
    }

    def add(path: str, template: str, source: str | None = None, **context: Any) -> None:
        markdown = env.get_template(template).render(
            publisher=archive.publisher,
            link=partial(link, path),
            href=partial(href, site_path(site_url)),
            page_path=path,
            site_url=site_url,
            **helpers,
            **context,
        )
        site.pages.append(Page(path=path, markdown=markdown, source=source))

    units = unit_histories(archive)
    spellings = {spelling: unit.name for spelling, unit in archive.units.lookup().items()}
    districts = district_cases(archive)
    categories = category_histories(archive)
    periods = archive.by_period()
    ranks = rank_table(archive)
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
        trend_rows=list(reversed(archive.notices)),
    )
    add("notices/index.md", "archive.md.j2", years=years)
    for year, records in years:
        add(year_path(year), "year.md.j2", year=year, records=records)
    for index, record in enumerate(archive.notices):
        notice = record.notice
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
            record=record,
            notice=notice,
            previous=archive.notices[index - 1] if index > 0 else None,
            next=archive.notices[index + 1] if index + 1 < len(archive.notices) else None,
            headlines=headlines(archive, record, periods),
            changes=month_changes(archive, record, table=ranks),
            category_chart=category_chart,
            downloads=export.notice_downloads(record),
            changed=(changed or {}).get(record.file),
            history=f"{history_url}{record.file}" if history_url else None,
            units=spellings,
        )
    add("units/index.md", "units.md.j2", groups=[(group, [u for u in units if u.unit.group is group]) for group in UnitGroup])
    # Unit pages show their months as a table only: a chart on each of a hundred unit pages
    # would multiply the build time for little gain.
    for history in units:
        add(unit_path(history.unit.name), "unit.md.j2", history=history)
    add("districts/index.md", "districts.md.j2", districts=districts)
    for name, cases in districts.items():
        add(district_path(name), "district.md.j2", name=name, cases=cases)
    add("categories/index.md", "categories.md.j2", categories=categories, latest=latest)
    for name, months in categories.items():
        count_chart = None
        if len(months) >= 2:
            count_chart = charts.line_chart(
                [m.period for m in months],
                [("件数", [m.count for m in months])],
                title=f"{name} 每月件数",
                description="原通报列出该类诉求的各月件数，数字见下表。",
            )
        add(category_path(name), "category.md.j2", name=name, months=months, count_chart=count_chart)
    add("data.md", "data.md.j2", dictionary=data_dictionary(), all_downloads=export.ALL_DOWNLOADS, latest=latest)
    site.assets.extend(Asset(path, content) for path, content in export.downloads(archive, site_url=site_url))
    return site
