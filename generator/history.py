"""Views across months: changes against earlier notices and the history of each unit,
category and district. Everything here is computed from a valid archive; templates only format.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from operator import attrgetter
from typing import NamedTuple

from generator.archive import Archive, NoticeRecord
from generator.model import CaseKind, Cell, ChangeBasis, Direction, IntakeChange, Notice, SectionId, UnitEntry, UnitGroup
from generator.timeline import Timeline, decade, timeline


def shift_period(period: str, months: int) -> str:
    """``2023-01`` shifted by ``-1`` → ``2022-12``."""
    year, month = int(period[:4]), int(period[5:])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class Change:
    """A figure against the same figure of an earlier notice."""

    period: str
    """The earlier notice's period."""
    previous: Decimal
    current: Decimal
    is_rate: bool
    """Rates change in percentage points; counts also by a percentage of the earlier value."""

    @property
    def delta(self) -> Decimal:
        return self.current - self.previous

    @property
    def percent(self) -> Decimal | None:
        if self.is_rate or self.previous == 0:
            return None
        return (self.delta * 100 / self.previous).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    is_rate: bool
    value: Callable[[Notice], Decimal | int | None]


METRICS = (
    Metric("total", "受理各类来电来信", "件", False, lambda n: n.intake.total),
    Metric("calls", "接听电话", "人次", False, lambda n: n.intake.phone.calls if n.intake.phone else None),
    Metric("registered", "登记交办", "件", False, lambda n: n.intake.phone.registered if n.intake.phone else None),
    Metric("completion_rate", "办结率", "%", True, lambda n: n.intake.phone.completion_rate if n.intake.phone else None),
    Metric("satisfaction_rate", "满意率", "%", True, lambda n: n.satisfaction_rate),
    Metric("web", "网络平台受理交办", "件", False, lambda n: n.intake.web.registered if n.intake.web else None),
)
"""The headline figures shown at a glance and compared across months."""


@dataclass(frozen=True)
class Headline:
    metric: Metric
    value: Decimal | int
    mom: Change | None
    """环比: against the notice of the previous calendar month, when there is one."""
    yoy: Change | None
    """同比: against the notice of the same month a year earlier, when there is one."""
    mom_missing: str | None = None
    """The previous month's period when its notice is in the archive but does not publish this figure."""
    yoy_missing: str | None = None
    """The same month a year earlier, when its notice is in the archive but does not publish this figure."""
    mom_printed: tuple[IntakeChange, ...] = ()
    """环比 (or 较上月) as the notice itself prints it: shown instead of ``mom``, which stays for the check."""
    yoy_printed: tuple[IntakeChange, ...] = ()
    """同比 as the notice itself prints it: shown instead of ``yoy``."""

    @property
    def mom_differs(self) -> bool:
        """Whether the printed 环比 contradicts the one computed from the previous month's notice."""
        return self.mom is not None and not all(agrees(printed, self.mom) for printed in self.mom_printed)

    @property
    def yoy_differs(self) -> bool:
        """Whether the printed 同比 contradicts the one computed from last year's notice."""
        return self.yoy is not None and not all(agrees(printed, self.yoy) for printed in self.yoy_printed)


def agrees(printed: IntakeChange, computed: Change) -> bool:
    """Whether a printed change fits the computed one: the same count, and the same percentage to
    the places printed (either way of rounding a half); a percentage of nothing cannot be checked."""
    sign = 1 if printed.direction is Direction.up else -1
    if printed.count is not None and sign * printed.count != computed.delta:
        return False
    if printed.percent is not None and computed.previous != 0:
        exact = computed.delta * 100 / computed.previous
        places = max(0, -int(printed.percent.as_tuple().exponent))  # a validated percentage is finite
        if abs(exact - sign * printed.percent) > Decimal(5).scaleb(-places - 1):
            return False
    return True


_PRINTED_BASES = {
    "mom": (ChangeBasis.month_on_month, ChangeBasis.previous_month),
    "yoy": (ChangeBasis.year_on_year,),
}


def _change(metric: Metric, current: Decimal | int, earlier: NoticeRecord | None) -> Change | None:
    if earlier is None:
        return None
    previous = metric.value(earlier.notice)
    if previous is None:
        return None
    return Change(period=earlier.period, previous=Decimal(previous), current=Decimal(current), is_rate=metric.is_rate)


def headlines(archive: Archive, record: NoticeRecord, periods: dict[str, NoticeRecord] | None = None) -> list[Headline]:
    """The headline figures of one notice with 环比 and 同比; pass ``periods`` when calling per notice."""
    periods = periods if periods is not None else archive.by_period()
    month_before = periods.get(shift_period(record.period, -1))
    year_before = periods.get(shift_period(record.period, -12))
    result = []
    for metric in METRICS:
        value = metric.value(record.notice)
        if value is not None:
            mom, yoy = _change(metric, value, month_before), _change(metric, value, year_before)
            missing = [r.period if r is not None and c is None else None for r, c in ((month_before, mom), (year_before, yoy))]
            # Only the total's changes are printed (intake.changes); the office's own figure wins.
            printed = record.notice.intake.changes if metric.key == "total" else []
            mom_printed: tuple[IntakeChange, ...] = ()
            yoy_printed: tuple[IntakeChange, ...] = ()
            if printed:
                mom_printed, yoy_printed = (tuple(c for c in printed if c.basis in _PRINTED_BASES[key]) for key in ("mom", "yoy"))
            result.append(Headline(metric, value, mom, yoy, missing[0], missing[1], mom_printed, yoy_printed))
    return result


# --- units -----------------------------------------------------------------------------------


class UnitMonth(NamedTuple):
    """One unit's place in one month's ranking.

    A named tuple, not a frozen dataclass like the other records here: a large archive makes one
    for every ranking row (some hundred thousand at 1200 notices), and a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``, several times the cost of a tuple."""

    period: str
    printed_name: str
    group_title: str
    score: Decimal
    rank: int
    group_size: int
    is_last: bool
    below_threshold: bool
    rank_change: int | None
    """Places gained since the previous calendar month (negative: lost); None without one."""
    anchor: str = "attachment-1"
    """Where the notice's page shows the rankings (:meth:`Notice.anchor`)."""
    values: tuple[tuple[str, Cell], ...] = ()
    """The group's other columns as printed for this unit （件数， 办结率 …）: (header, value)."""

    def value(self, column: str) -> Cell | None:
        """This month's value in the column of that header; None when its group has no such column."""
        return next((value for header, value in self.values if header == column), None)


class UnitMessages(NamedTuple):
    """One unit's web messages in one month: a named tuple for the reason :class:`UnitMonth` is one."""

    period: str
    total: int
    replied: int
    unreplied: int
    anchor: str = "attachment-2"
    """Where the notice's page shows the web messages (:meth:`Notice.anchor`)."""


_IS_LAST = attrgetter("is_last")
_BELOW_THRESHOLD = attrgetter("below_threshold")


@dataclass(frozen=True)
class UnitHistory:
    unit: UnitEntry
    months: tuple[UnitMonth, ...]
    messages: tuple[UnitMessages, ...]

    # Cached: the list of units and the unit's page both show them, each a pass over every month.
    @cached_property
    def times_last(self) -> int:
        return sum(map(_IS_LAST, self.months))

    @cached_property
    def times_below_threshold(self) -> int:
        return sum(map(_BELOW_THRESHOLD, self.months))

    def by_year(self, months: Timeline[UnitMonth] | None = None) -> list[UnitYear]:
        """The ranking months summed up by year, newest first (the unit page's table of years);
        ``months`` is ``timeline(self.months)`` when the caller has it already."""
        return [
            UnitYear(
                year.year,
                year.months,
                sum(map(_IS_LAST, year.items)),
                sum(map(_BELOW_THRESHOLD, year.items)),
            )
            for year in (months if months is not None else timeline(self.months)).years
        ]


@dataclass(frozen=True)
class UnitYear:
    year: str
    months: int
    """Months in which the unit was ranked."""
    times_last: int
    times_below_threshold: int

    @property
    def pages(self) -> str:
        return decade(self.year)


def _rankings(
    record: NoticeRecord,
    names: Mapping[str, str],
    before: Mapping[tuple[str, UnitGroup], int],
    first: dict[tuple[str, UnitGroup], int],
) -> list[tuple[str, UnitMonth, UnitGroup]]:
    """(canonical unit name, row, group) of every row of this notice; ``names`` maps each spelling
    to its unit's canonical name, ``before`` is the previous month's first rank of each (unit,
    group), for the rank change, and ``first`` gets this month's."""
    result: list[tuple[str, UnitMonth, UnitGroup]] = []
    if record.notice.rankings is None:
        return result
    anchor, period, append = record.notice.anchor(SectionId.rankings), record.period, result.append
    for group in record.notice.rankings.groups:
        rows = group.rows
        worst = max(map(_RANK, rows))
        limit, size, columns, title, key = group.threshold, len(rows), group.columns, group.title, group.group
        for row in rows:
            printed, rank, score = row.unit, row.rank, row.score
            name = names[printed]
            earlier = before.get(unit := (name, key))
            if unit not in first:
                first[unit] = rank
            # Made as the tuple it is: UnitMonth(…) would add a Python call to each of these rows.
            month = _new_month(
                UnitMonth,
                (
                    period,
                    printed,
                    title,
                    score,
                    rank,
                    size,
                    rank == worst,
                    limit is not None and score < limit,
                    None if earlier is None else earlier - rank,
                    anchor,
                    tuple(zip(columns, row.values, strict=True)) if columns else (),
                ),
            )
            append((name, month, key))
    return result


_RANK = attrgetter("rank")
_new_month = tuple.__new__


RankRows = dict[str, list[tuple[str, UnitMonth, UnitGroup]]]


def rank_rows(archive: Archive) -> RankRows:
    """Period → every ranking row, with rank changes against the previous month: what
    :func:`rank_table` and :func:`unit_histories` are made from (pass it to both, so that it is
    computed once).

    Every row is kept: a unit printed twice in one month (an acknowledged mistake of the
    notice) shows both rows on its page; its rank change is against its first row in that group."""
    names = {spelling: unit.name for spelling, unit in archive.units.lookup().items()}
    # One pass, in period order: a month's first rank of each (unit, group) is noted while its rows
    # are made, before the next month's rows need it (some hundred thousand rows at 1200 notices).
    first: dict[str, dict[tuple[str, UnitGroup], int]] = {}
    result: RankRows = {}
    for record in archive.notices:
        period = record.period
        ranks = first[period] = {}
        result[period] = _rankings(record, names, first.get(shift_period(period, -1), {}), ranks)
    return result


def extra_columns(months: Iterable[UnitMonth]) -> list[str]:
    """The other columns （件数， 办结率 …） the groups of these months print: the extra columns of a
    unit's table of months. A column one month adds goes after the column it follows in that month."""
    columns: list[str] = []
    for month in months:
        previous: str | None = None
        for header, _ in month.values:
            if header not in columns:
                columns.insert(columns.index(previous) + 1 if previous is not None else 0, header)
            previous = header
    return columns


RankTable = dict[str, dict[str, tuple[UnitMonth, UnitGroup]]]


def rank_table(archive: Archive, rows: RankRows | None = None) -> RankTable:
    """Period → canonical name → its (first) ranking row, with rank changes against the previous month."""
    table: RankTable = {}
    for period, entries in (rows if rows is not None else rank_rows(archive)).items():
        first = table[period] = {}
        for name, month, group in entries:
            first.setdefault(name, (month, group))
    return table


def unit_histories(archive: Archive, rows: RankRows | None = None) -> list[UnitHistory]:
    """Every registered unit that appears in at least one notice, in registry order."""
    names = {spelling: unit.name for spelling, unit in archive.units.lookup().items()}
    months: defaultdict[str, list[UnitMonth]] = defaultdict(list)
    for entries in (rows if rows is not None else rank_rows(archive)).values():
        for name, month, _ in entries:
            months[name].append(month)
    messages: defaultdict[str, list[UnitMessages]] = defaultdict(list)
    for record in archive.notices:
        if record.notice.web_messages is not None:
            anchor, period = record.notice.anchor(SectionId.web_messages), record.period
            for row in record.notice.web_messages.rows:
                messages[names[row.unit]].append(UnitMessages(period, row.total, row.replied, row.unreplied, anchor))
    result = []
    for unit in archive.units.units:
        if unit.name in months or unit.name in messages:
            result.append(UnitHistory(unit, tuple(months.get(unit.name, [])), tuple(messages.get(unit.name, []))))
    return result


@dataclass(frozen=True)
class Mover:
    unit: str
    previous_rank: int
    rank: int

    @property
    def change(self) -> int:
        return self.previous_rank - self.rank


@dataclass(frozen=True)
class GroupMoves:
    group: UnitGroup
    up: tuple[Mover, ...]
    down: tuple[Mover, ...]
    newly_last: tuple[str, ...]
    unpublished: str | None = None
    """"previous" when only this month's ranking has the group, "current" when only the previous
    month's has it: nothing of the group is compared then."""


@dataclass(frozen=True)
class CategoryMove:
    name: str
    previous: int | None
    current: int | None

    @property
    def delta(self) -> int:
        return (self.current or 0) - (self.previous or 0)


@dataclass(frozen=True)
class MonthChanges:
    """What changed since the notice of the previous calendar month."""

    previous_period: str
    groups: tuple[GroupMoves, ...]
    categories: tuple[CategoryMove, ...]
    compared: tuple[str, ...] = ("rankings", "categories")
    """The parts both notices publish ("rankings", "categories"): only these are compared."""
    previous_lacks: tuple[str, ...] = ()
    """Parts this notice publishes and the previous one does not: nothing to compare with."""
    current_lacks: tuple[str, ...] = ()
    """Parts the previous notice published and this one does not."""

    @property
    def anything(self) -> bool:
        """Whether any rank or category count moved at all, or a ranking group came or went."""
        return any(g.up or g.down or g.newly_last or g.unpublished for g in self.groups) or any(c.delta for c in self.categories)


def month_changes(
    archive: Archive,
    record: NoticeRecord,
    *,
    top: int = 3,
    table: RankTable | None = None,
    periods: dict[str, NoticeRecord] | None = None,
) -> MonthChanges | None:
    """Biggest rank movers, newly last units and category moves; pass ``table`` (from
    :func:`rank_table`) and ``periods`` (:meth:`Archive.by_period`) when calling for every notice,
    so that they are made once."""
    previous = (periods if periods is not None else archive.by_period()).get(shift_period(record.period, -1))
    if previous is None:
        return None
    parts = ("rankings", "categories")
    has_now = {"rankings": record.notice.rankings is not None, "categories": bool(record.notice.categories)}
    has_before = {"rankings": previous.notice.rankings is not None, "categories": bool(previous.notice.categories)}
    if not any(has_now.values()) and not any(has_before.values()):
        return None  # neither publishes rankings or categories: nothing to say
    compared = tuple(part for part in parts if has_now[part] and has_before[part])
    table = table if table is not None else rank_table(archive)
    now, before = table[record.period], table[previous.period]
    groups = []
    if record.notice.rankings is not None and "rankings" in compared:
        # A group only one of the two months ranks (an office that adds 公共服务企业 one month)
        # has no ranks to move from: none of its units is "newly last".
        ranked_before = previous.notice.rankings.groups if previous.notice.rankings is not None else []
        groups_before = {g.group for g in ranked_before}
        groups_now = {g.group for g in record.notice.rankings.groups}
        # One pass over this month's units, by group: the units that moved up and down, as
        # (places moved, rank, position, unit, previous rank) so that sorting them compares no unit
        # (and keeps the order of the month's table between equals), and the newly last.
        # A Mover is made for the few shown only.
        moved: dict[UnitGroup, tuple[list[tuple[int, int, int, str, int]], list[tuple[int, int, int, str, int]], list[str]]]
        moved = {group: ([], [], []) for group in groups_now & groups_before}
        for position, (name, (month, unit_group)) in enumerate(now.items()):
            found = moved.get(unit_group)
            if found is None:
                continue
            earlier = before.get(name)
            if earlier is None:
                if month.is_last:
                    found[2].append(name)
                continue
            previous_month, rank = earlier[0], month.rank
            if earlier[1] is unit_group:
                change = previous_month.rank - rank
                if change > 0:
                    found[0].append((-change, rank, position, name, previous_month.rank))
                elif change < 0:
                    found[1].append((change, rank, position, name, previous_month.rank))
            if month.is_last and not previous_month.is_last:
                found[2].append(name)
        for group in record.notice.rankings.groups:
            if group.group not in groups_before:
                groups.append(GroupMoves(group.group, (), (), (), unpublished="previous"))
                continue
            up, down, newly_last = moved[group.group]
            groups.append(
                GroupMoves(
                    group.group,
                    tuple(Mover(name, previous_rank, rank) for _, rank, _, name, previous_rank in sorted(up)[:top]),
                    tuple(Mover(name, previous_rank, rank) for _, rank, _, name, previous_rank in sorted(down)[:top]),
                    tuple(newly_last),
                )
            )
        gone = dict.fromkeys(g.group for g in ranked_before if g.group not in groups_now)
        groups.extend(GroupMoves(group, (), (), (), unpublished="current") for group in gone)
    counts_now = {c.name: c.count for c in record.notice.categories}
    counts_before = {c.name: c.count for c in previous.notice.categories}
    names = list(counts_now) + [name for name in counts_before if name not in counts_now]
    moves = [CategoryMove(name, counts_before.get(name), counts_now.get(name)) for name in names if "categories" in compared]
    moves.sort(key=lambda m: (-abs(m.delta), m.name))
    return MonthChanges(
        previous.period,
        tuple(groups),
        tuple(moves),
        compared,
        tuple(part for part in parts if has_now[part] and not has_before[part]),
        tuple(part for part in parts if has_before[part] and not has_now[part]),
    )


# --- categories and districts ----------------------------------------------------------------


@dataclass(frozen=True)
class CategoryMonth:
    period: str
    count: int
    share: Decimal
    topics: tuple[str, ...]


def category_histories(archive: Archive) -> dict[str, tuple[CategoryMonth, ...]]:
    """Category name → its figures in every notice that lists it, names sorted by first appearance."""
    result: dict[str, list[CategoryMonth]] = {}
    for record in archive.notices:
        for category in record.notice.categories:
            result.setdefault(category.name, []).append(
                CategoryMonth(record.period, category.count, category.share, tuple(category.topics))
            )
    return {name: tuple(months) for name, months in result.items()}


@dataclass(frozen=True)
class DistrictCase:
    period: str
    kind: CaseKind
    number: int
    """The case's number within its kind on the notice page (its anchor is ``{kind}-{number}``)."""
    topic: str
    places: tuple[str, ...]
    partial: bool


def district_cases(archive: Archive) -> dict[str, tuple[DistrictCase, ...]]:
    """District → every case that names it, newest notice first; districts in order of first mention."""
    result: dict[str, list[DistrictCase]] = {}
    for record in archive.notices:
        for kind in CaseKind:
            for number, case in enumerate(record.notice.cases_of(kind), start=1):
                for area in case.areas:
                    result.setdefault(area.district, []).append(
                        DistrictCase(record.period, kind, number, case.topic, tuple(area.places), case.areas_partial)
                    )
    return {name: tuple(reversed(cases)) for name, cases in result.items()}
