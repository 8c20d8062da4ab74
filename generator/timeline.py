"""Long histories on bounded pages: an entity's latest months on its own page, every month by
year on years pages of one decade each.

An entity (a unit, district or category) gains items every month, so a page listing them all
would grow without limit. :func:`timeline` splits its items into the latest :data:`RECENT_MONTHS`
months and the years, :func:`history_pages` says which years pages it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import groupby, islice
from operator import attrgetter, ge, itemgetter, lt
from typing import Any, Generic, Protocol, TypeVar

RECENT_MONTHS = 12
"""How many of an entity's latest months its own page shows; every month is on a years page."""
YEARS_PER_PAGE = 10
"""Years on one history page. Pages cover fixed decades (2020–2029), so a year's page never moves
as months are added; ten years of one entity stay far below the page-size bound."""


class Dated(Protocol):
    @property
    def period(self) -> str: ...


D = TypeVar("D", bound=Dated)


@cache
def decade(year: str) -> str:
    """The years page a year is on: ``2023`` → ``2020-2029``."""
    first = int(year) // YEARS_PER_PAGE * YEARS_PER_PAGE
    return f"{first}-{first + YEARS_PER_PAGE - 1}"


def history_path(entity: str, pages: str) -> str:
    """A years page of the entity whose page is ``entity``: ``units/X.md``, ``2020-2029`` → ``units/X/2020-2029.md``."""
    return f"{entity.removesuffix('.md')}/{pages}.md"


def decade_label(pages: str) -> str:
    """``2020-2029`` → ``2020—2029年``."""
    first, last = pages.split("-")
    return f"{first}\u2014{last}\u5e74"


@dataclass(frozen=True)
class Year(Generic[D]):
    """One calendar year of an entity's items, newest first."""

    year: str
    items: tuple[D, ...]

    @property
    def months(self) -> int:
        """How many months of the year have items."""
        return len(set(map(_PERIOD, self.items)))

    @property
    def pages(self) -> str:
        """The years page (a decade, see :func:`decade`) that shows this year."""
        return decade(self.year)


@dataclass(frozen=True)
class Timeline(Generic[D]):
    """One entity's items (months, cases) as its pages show them."""

    recent: tuple[D, ...]
    """The items of its latest :data:`RECENT_MONTHS` months, newest first: its own page."""
    years: tuple[Year[D], ...]
    """Every item by year, newest year first: the years pages."""

    @property
    def long(self) -> bool:
        """Whether some months are not among the recent ones (and so need the years pages)."""
        return sum(len(year.items) for year in self.years) > len(self.recent)

    @property
    def by_year(self) -> dict[str, Year[D]]:
        """The years by their number (``"2023"``), for the years pages."""
        return {year.year: year for year in self.years}


def timeline(items: Sequence[D]) -> Timeline[D]:
    """Split items into recent months and years, newest first; items of one month keep their order."""
    periods = list(map(_PERIOD, items))
    later = periods[1:]
    # Most histories are in order already, newest first (a district's cases) or one item a month
    # oldest first (a unit's months): those need no grouping by month, only their order checked, in C.
    if all(map(ge, periods, later)):
        newest = list(items)
    elif all(map(lt, periods, later)):
        newest = list(reversed(items))
        periods.reverse()
    else:
        # Grouped by month first, so that only the months are sorted, not every item.
        by_period: dict[str, list[D]] = {}
        for item in items:
            by_period.setdefault(item.period, []).append(item)
        months = sorted(by_period, reverse=True)
        newest = [item for period in months for item in by_period[period]]
        periods = [period for period in months for _ in by_period[period]]
    # The months are newest first now, so the recent months and each year are one slice.
    recent = sum(len(list(in_month)) for _, in_month in islice(groupby(periods), RECENT_MONTHS))
    years, start = [], 0
    for year, in_year in groupby(periods, _YEAR):
        end = start + len(list(in_year))
        years.append(Year(year, tuple(newest[start:end])))
        start = end
    return Timeline(recent=tuple(newest[:recent]), years=tuple(years))


_PERIOD = attrgetter("period")
_YEAR = itemgetter(slice(4))
"""A period's year: ``2023-08`` → ``2023``."""


def history_pages(*timelines: Timeline[Any]) -> list[tuple[str, list[str]]]:
    """The years pages of an entity whose timelines are given: (decade, its years newest first),
    newest first; none when every month is on the entity's own page."""
    if not any(line.long for line in timelines):
        return []
    pages: dict[str, set[str]] = {}
    for line in timelines:
        for year in line.years:
            pages.setdefault(year.pages, set()).add(year.year)
    return [(name, sorted(pages[name], reverse=True)) for name in sorted(pages, reverse=True)]
