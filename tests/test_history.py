"""环比/同比 and rank-change arithmetic, on the SYNTHETIC archive and on hand-made cases."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator import read_archive
from generator.archive import Archive
from generator.history import (
    Change,
    category_histories,
    district_cases,
    headlines,
    month_changes,
    shift_period,
    unit_histories,
)


@pytest.fixture(scope="module")
def archive(synthetic_root: Path) -> Archive:
    return read_archive(synthetic_root)


@pytest.mark.parametrize(
    ("period", "months", "expected"),
    [
        ("2023-08", -1, "2023-07"),
        ("2024-01", -1, "2023-12"),
        ("2023-12", 1, "2024-01"),
        ("2024-08", -12, "2023-08"),
        ("2024-03", -25, "2022-02"),
    ],
)
def test_shift_period(period: str, months: int, expected: str) -> None:
    assert shift_period(period, months) == expected


def test_change_of_a_count_has_a_percentage() -> None:
    change = Change("2023-08", Decimal(200), Decimal(150), is_rate=False)
    assert (change.delta, change.percent) == (Decimal(-50), Decimal("-25.0"))


def test_change_of_a_rate_is_in_points_only() -> None:
    change = Change("2023-08", Decimal("98.5"), Decimal(99), is_rate=True)
    assert (change.delta, change.percent) == (Decimal("0.5"), None)


def test_change_from_zero_has_no_percentage() -> None:
    assert Change("2023-08", Decimal(0), Decimal(5), is_rate=False).percent is None


def _record(archive: Archive, period: str):  # type: ignore[no-untyped-def]
    return archive.by_period()[period]


def test_month_over_month_uses_the_previous_calendar_month(archive: Archive) -> None:
    october, september = _record(archive, "2023-10"), _record(archive, "2023-09")
    total = headlines(archive, october)[0]
    assert total.metric.key == "total"
    assert total.mom is not None and total.mom.period == "2023-09"
    assert total.mom.delta == october.notice.intake.total - september.notice.intake.total
    assert total.yoy is None


def test_a_missing_month_leaves_no_month_over_month(archive: Archive) -> None:
    march = headlines(archive, _record(archive, "2024-03"))
    assert [h.mom for h in march] == [None] * len(march)
    assert month_changes(archive, _record(archive, "2024-03")) is None


def test_year_over_year_uses_the_same_month_a_year_earlier(archive: Archive) -> None:
    rows = {h.metric.key: h for h in headlines(archive, _record(archive, "2024-08"))}
    earlier = _record(archive, "2023-08").notice
    assert rows["total"].yoy is not None and rows["total"].yoy.previous == earlier.intake.total
    assert rows["satisfaction_rate"].yoy is not None
    assert rows["satisfaction_rate"].yoy.delta == rows["satisfaction_rate"].value - earlier.intake.phone.satisfaction_rate
    assert rows["total"].mom is None  # 2024-07 is not in the archive


def test_rank_changes_follow_renamed_units_and_skip_gaps(archive: Archive) -> None:
    histories = {h.unit.name: h for h in unit_histories(archive)}
    health = histories["市卫健委"]
    assert [m.period for m in health.months] == [
        "2023-08",
        "2023-09",
        "2023-10",
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-03",
        "2024-08",
    ]
    assert {m.printed_name for m in health.months[3:]} == {"市卫生健康委员会"}
    for before, after in zip(health.months, health.months[1:], strict=False):
        if shift_period(before.period, 1) == after.period:
            assert after.rank_change == before.rank - after.rank
        else:
            assert after.rank_change is None
    assert health.months[0].rank_change is None


def test_a_unit_that_appears_and_one_that_disappears(archive: Archive) -> None:
    histories = {h.unit.name: h for h in unit_histories(archive)}
    water = histories["市水利局"]
    assert water.months[0].period == "2023-10" and water.months[0].rank_change is None
    assert len(water.messages) == 8  # it is in every month's message table
    tobacco = [m.period for m in histories["市烟草局"].months]
    assert "2023-11" not in tobacco and "2023-12" in tobacco
    december = next(m for m in histories["市烟草局"].months if m.period == "2023-12")
    assert december.rank_change is None  # absent the month before


def test_ties_share_a_rank_and_count_as_last_together(tmp_path: Path) -> None:
    from tests.synthetic import make_archive, synthetic_notice, write_notice

    root = make_archive(tmp_path / "ties", ("2023-08",))
    data = synthetic_notice("2023-09", 1)
    rows = data["rankings"]["groups"][1]["rows"]  # the district group
    for row in rows:
        row["score"] = Decimal("80.00") if row["unit"] in ("高新区", "示范区") else row["score"].max(Decimal("81"))
    from tests.synthetic import _ranks

    _ranks(rows)
    write_notice(root, "2023-09", data)
    archive = read_archive(root)
    histories = {h.unit.name: h for h in unit_histories(archive)}
    last = [histories[name].months[-1] for name in ("高新区", "示范区")]
    assert [m.rank for m in last] == [5, 5]
    assert all(m.is_last for m in last)
    changes = month_changes(archive, archive.by_period()["2023-09"])
    assert changes is not None
    district = next(g for g in changes.groups if g.group.value == "district")
    assert histories["示范区"].months[0].is_last and not histories["高新区"].months[0].is_last
    assert district.newly_last == ("高新区",)  # 示范区 was already last the month before


def test_category_added_later_and_moves(archive: Archive) -> None:
    histories = category_histories(archive)
    assert histories["经济发展类"][0].period == "2023-10"
    changes = month_changes(archive, _record(archive, "2023-10"))
    assert changes is not None
    new = next(c for c in changes.categories if c.name == "经济发展类")
    assert (new.previous, new.delta) == (None, new.current)
    assert [abs(c.delta) for c in changes.categories] == sorted((abs(c.delta) for c in changes.categories), reverse=True)


def test_district_cases_link_to_their_case(archive: Archive) -> None:
    cases = district_cases(archive)
    shilong = cases["石龙区"]
    assert [c.period for c in shilong] == sorted((c.period for c in shilong), reverse=True)
    first = shilong[-1]
    notice = archive.by_period()[first.period].notice
    assert notice.cases_of(first.kind)[first.number - 1].topic == first.topic
