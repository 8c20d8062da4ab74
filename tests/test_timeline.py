"""The split of an entity's items into its latest months and years pages (generator/timeline.py)."""

from __future__ import annotations

import random

from generator.history import DistrictCase
from generator.model import CaseKind
from generator.timeline import RECENT_MONTHS, decade, decade_label, history_pages, timeline


def test_timeline_keeps_every_item_once_newest_first() -> None:
    items = [
        DistrictCase(f"20{y:02d}-{m:02d}", CaseKind.hot, n, "题", (), False) for y in (8, 9, 10) for m in (1, 6) for n in (1, 2)
    ]
    line = timeline(items)
    assert [c.period for c in line.recent] == ["2010-06"] * 2 + ["2010-01"] * 2 + ["2009-06"] * 2 + ["2009-01"] * 2 + [
        "2008-06"
    ] * 2 + ["2008-01"] * 2
    assert not line.long  # six months: all on the entity's page
    many = [
        DistrictCase(f"{2000 + i // 12}-{i % 12 + 1:02d}", CaseKind.hot, 1, "题", (), False) for i in range(RECENT_MONTHS + 1)
    ]
    line = timeline(many)
    assert line.long and len(line.recent) == RECENT_MONTHS and line.recent[0].period == "2001-01"
    assert [year.year for year in line.years] == ["2001", "2000"]
    everything = [c for year in line.years for c in year.items]
    assert len(everything) == len(many) and set(everything) == set(many)
    # Items of one month keep their order.
    same = [
        DistrictCase("2001-01", CaseKind.difficult, 2, "乙", (), False),
        DistrictCase("2001-01", CaseKind.hot, 1, "甲", (), False),
    ]
    assert timeline(same).recent == tuple(same)


def _months(count: int, start: int = 2000) -> list[DistrictCase]:
    return [DistrictCase(f"{start + i // 12}-{i % 12 + 1:02d}", CaseKind.hot, 1, "题", (), False) for i in range(count)]


def test_decades_are_fixed() -> None:
    assert [decade(y) for y in ("2020", "2023", "2029", "2030")] == ["2020-2029"] * 3 + ["2030-2039"]
    assert decade_label("2020-2029") == "2020\u20142029\u5e74"


def test_years_pages_only_for_a_long_history() -> None:
    assert history_pages(timeline(_months(RECENT_MONTHS))) == []
    assert history_pages(timeline(_months(RECENT_MONTHS + 1, 2018))) == [("2010-2019", ["2019", "2018"])]
    # One long timeline is enough for the entity (a unit's ranking months and its messages).
    pages = history_pages(timeline(_months(3, 2031)), timeline(_months(30, 2008)))
    assert pages == [("2030-2039", ["2031"]), ("2010-2019", ["2010"]), ("2000-2009", ["2009", "2008"])]


def test_items_in_any_order_give_months_newest_first_each_in_its_given_order() -> None:
    # Made up: one or two cases in each of some thirty months, over three years.
    items = [
        DistrictCase(f"{2000 + i // 12}-{i % 12 + 1:02d}", CaseKind.hot, n, "题", (), False)
        for i in range(0, 60, 2)
        for n in range(1, 2 + i % 3)
    ]
    shuffled = list(items)
    random.Random(12345).shuffle(shuffled)
    one_a_month = _months(30)
    # Oldest first and newest first, several items a month and one, and shuffled.
    for order in (items, items[::-1], shuffled, one_a_month, one_a_month[::-1]):
        expected = sorted(order, key=lambda item: item.period, reverse=True)  # stable: a month keeps its order
        latest = sorted({item.period for item in order}, reverse=True)[:RECENT_MONTHS]
        line = timeline(order)
        assert line.recent == tuple(item for item in expected if item.period in latest)
        years = sorted({item.period[:4] for item in order}, reverse=True)
        assert [(year.year, year.items) for year in line.years] == [
            (year, tuple(item for item in expected if item.period.startswith(year))) for year in years
        ]
