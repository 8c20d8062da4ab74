"""Consistency checks of one notice: do its printed figures agree with each other?

A check the official notice itself fails is acknowledged in the data (``acknowledged``) with a
reason; validation then accepts it and the page shows the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from generator.load import KeyPath
from generator.model import CheckId, Line, MessageRow, Notice, RankingGroup, UnitRegistry, WebChannels, WebTotals
from generator.partial import Unavailable

CHECK_TITLES = {
    CheckId.intake_sums: "各渠道数字之和等于合计",
    CheckId.completed_le_registered: "办结数不超过交办数",
    CheckId.rates: "办结率、回复率与件数相符",
    CheckId.category_shares: "诉求类型占比与件数成比例",
    CheckId.ranks: "排名与得分相符（同分同名次）",
    CheckId.table_totals: "合计行等于各行之和",
    CheckId.row_sums: "每行已回复数与未回复数之和等于办件总数",
    CheckId.share_sum: "诉求类型占比之和不超过 100%",
    CheckId.category_total: "诉求类型件数之和不超过受理总数",
    CheckId.duplicate_units: "同一单位在每张表中只出现一次（含别名）",
    CheckId.unit_groups: "同一单位只在一个考核分组中",
}
"""What each check verifies, as a reader would put it (shown on the page)."""


@dataclass(frozen=True)
class Finding:
    """One failed check at one place in a notice."""

    check: CheckId
    path: KeyPath
    message: str


@dataclass(frozen=True)
class Unchecked:
    """A check (or one part of it) that could not run: a value it needs failed validation."""

    check: CheckId
    blocked_by: KeyPath
    """Where the value is that must be corrected first."""


Result = Finding | Unchecked


def _guarded(check: CheckId, part: Callable[[], Iterable[Result]]) -> list[Result]:
    """The results of one part of a check, or the value that kept it from running."""
    # A list, not a generator: it runs some fifty times a notice, and its caller takes all at once.
    try:
        return list(part())
    except Unavailable as error:
        return [Unchecked(check, error.path)]


def _sum_check(path: KeyPath, printed: int, parts: list[tuple[str, int]]) -> Iterator[Finding]:
    total = sum(value for _, value in parts)
    if total != printed:
        terms = " + ".join(f"{label} {value}" for label, value in parts)
        yield Finding(CheckId.intake_sums, path, f"与各项之和不符：{terms} = {total}，此处为 {printed}")


def _line_sum(notice: Notice, field: str) -> Iterator[Finding]:
    intake = notice.intake
    parts = [(line.number, getattr(line, field)) for line in intake.lines if getattr(line, field) is not None]
    if parts:
        yield from _sum_check(("intake", "phone", field), getattr(intake.phone, field), parts)


def _channel_sum(web: WebTotals, channels: WebChannels, field: str) -> Iterator[Finding]:
    yield from _sum_check(("intake", "web", field), getattr(web, field), [("网络平台明细", getattr(channels, field))])


def _intake_sums(notice: Notice) -> Iterator[Result]:
    intake = notice.intake
    if intake.phone is None or intake.web is None:
        return  # an office that does not publish these totals: nothing to add up
    phone, web, check = intake.phone, intake.web, CheckId.intake_sums
    yield from _guarded(
        check,
        lambda: _sum_check(("intake", "total"), intake.total, [("接听电话", phone.calls), ("网络平台受理交办", web.registered)]),
    )
    yield from _guarded(
        check,
        lambda: _sum_check(
            ("intake", "phone", "calls"), phone.calls, [(line.number, line.contacts or 0) for line in intake.lines]
        ),
    )
    yield from _guarded(check, lambda: _line_sum(notice, "registered"))
    yield from _guarded(check, lambda: _line_sum(notice, "completed"))
    channels = intake.web_channels
    if channels is not None:
        for field in ("registered", "replied"):
            yield from _guarded(check, partial(_channel_sum, web, channels, field))


def _not_more(path: KeyPath, done: int | None, of: int | None, done_label: str, of_label: str) -> Iterator[Finding]:
    if done is not None and of is not None and done > of:
        yield Finding(CheckId.completed_le_registered, path, f"{done_label} {done} 多于{of_label} {of}")


def _line_not_more(index: int, line: Line) -> Iterator[Finding]:
    yield from _not_more(("intake", "lines", index, "completed"), line.completed, line.registered, "已办结", "登记交办")


def _completed_le_registered(notice: Notice) -> Iterator[Result]:
    intake, check = notice.intake, CheckId.completed_le_registered
    phone, web, channels = intake.phone, intake.web, intake.web_channels
    if phone is not None:
        path: KeyPath = ("intake", "phone", "completed")
        yield from _guarded(check, lambda: _not_more(path, phone.completed, phone.registered, "已办结", "登记交办"))
    if web is not None:
        yield from _guarded(
            check, lambda: _not_more(("intake", "web", "replied"), web.replied, web.registered, "已回复", "受理交办")
        )
    for index, line in enumerate(intake.lines):
        yield from _guarded(check, partial(_line_not_more, index, line))
    if channels is not None:
        path = ("intake", "web_channels", "replied")
        yield from _guarded(check, lambda: _not_more(path, channels.replied, channels.registered, "已回复", "受理交办"))


def rate_agrees(printed: Decimal, part: int, whole: int) -> bool:
    """Whether ``printed`` (a percentage) is ``part / whole`` rounded to the digits it shows."""
    places = max(0, -int(printed.as_tuple().exponent))
    tolerance = Decimal(5) * Decimal(10) ** -(places + 1)
    # Decimal(100) * part, not Decimal(part): a value that failed validation then refuses itself.
    return abs(Decimal(100) * part / whole - printed) <= tolerance


def _rate(path: KeyPath, printed: Decimal | None, part: int | None, whole: int | None) -> Iterator[Finding]:
    if printed is None or part is None or not whole:
        return
    if not rate_agrees(printed, part, whole):
        exact = Decimal(100) * part / whole
        yield Finding(CheckId.rates, path, f"与件数不符：{part} / {whole} = {exact:.2f}%，此处为 {printed}%")


def _line_rate(index: int, line: Line, field: str) -> Iterator[Finding]:
    yield from _rate(("intake", "lines", index, field), getattr(line, field), line.completed, line.registered)


def _rates(notice: Notice) -> Iterator[Result]:
    intake, check = notice.intake, CheckId.rates
    phone, web = intake.phone, intake.web
    if phone is not None:
        path: KeyPath = ("intake", "phone", "completion_rate")
        yield from _guarded(check, lambda: _rate(path, phone.completion_rate, phone.completed, phone.registered))
    if web is not None:
        yield from _guarded(check, lambda: _rate(("intake", "web", "reply_rate"), web.reply_rate, web.replied, web.registered))
    for index, line in enumerate(intake.lines):
        for field in ("completion_rate", "on_time_completion_rate"):
            yield from _guarded(check, partial(_line_rate, index, line, field))


def half_unit(printed: Decimal) -> Decimal:
    """Half of the last digit ``printed`` shows: how far rounding may have moved it."""
    places = max(0, -int(printed.as_tuple().exponent))
    return Decimal(5) * Decimal(10) ** -(places + 1)


def _between(low: Decimal, high: Decimal) -> str:
    return f"在 {low:.0f} 至 {high:.0f} 之间" if high.is_finite() else f"不少于 {low:.0f}"


def _category_shares(notice: Notice) -> Iterator[Finding]:
    # The notice prints only the largest categories, so shares need not add up to 100; but
    # each count divided by its share must point at one common total, within rounding.
    categories = notice.categories
    if categories and all(c.share == 0 for c in categories) and any(c.count for c in categories):
        yield Finding(CheckId.category_shares, ("categories", 0, "share"), "各类占比都为 0，而件数不为 0；请照原文填写占比")
        return
    low, high = Decimal(0), Decimal("Infinity")
    for index, category in enumerate(categories):
        if category.count == 0:
            if category.share > 0:
                message = f"件数为 0，占比应为 0，此处为 {category.share}%"
                yield Finding(CheckId.category_shares, ("categories", index, "share"), message)
                return
            continue
        half = half_unit(category.share)
        top = category.share + half
        bottom = category.share - half
        this_low = Decimal(100) * category.count / top
        this_high = Decimal(100) * category.count / bottom if bottom > 0 else Decimal("Infinity")
        if this_low > high or this_high < low:
            yield Finding(
                CheckId.category_shares,
                ("categories", index, "share"),
                f"与件数不成比例：按 {category.count} 件占 {category.share}% 推算，"
                f"诉求总数应{_between(this_low, this_high)}，"
                f"而前面各类推算的总数{_between(low, high)}",
            )
            return
        low, high = max(low, this_low), min(high, this_high)


def shares_over_100(shares: list[Decimal], label: str, many: str) -> str | None:
    """The message when printed shares add up to more than 100%, ``None`` when they do not; ``label``
    names the shares (各类占比) and ``many`` stands for the terms when they are too many to list."""
    # Each printed share may have been rounded up by half its last digit.
    if sum(shares) - sum(map(half_unit, shares)) <= 100:
        return None
    # Each term is listed while the message stays one readable line.
    terms = " + ".join(f"{share}%" for share in shares) if len(shares) <= 10 else many
    return f"{label}之和超过 100%\uff1a{terms} = {sum(shares)}%"


def _share_sum(notice: Notice) -> Iterator[Finding]:
    shares = [c.share for c in notice.categories]
    if excess := shares_over_100(shares, "各类占比", f"{len(shares)} 类合计"):
        yield Finding(CheckId.share_sum, ("categories",), excess)


def _category_total(notice: Notice) -> Iterator[Finding]:
    total = notice.intake.total
    for index, category in enumerate(notice.categories):
        if category.count > total:
            message = f"件数 {category.count} 多于当月受理各类来电来信总数 {total}（intake.total）"
            yield Finding(CheckId.category_total, ("categories", index, "count"), message)
            return
    counted = sum(c.count for c in notice.categories)
    if counted > total:
        message = f"各类件数之和 {counted} 多于当月受理各类来电来信总数 {total}（intake.total）"
        yield Finding(CheckId.category_total, ("categories",), message)


def expected_ranks(group: RankingGroup) -> list[int]:
    """Competition ranking: one more than the number of strictly higher scores."""
    scores = [row.score for row in group.rows]
    ascending = sorted(scores)
    # Equal scores share the rank of the last of them in ascending order (a dict keeps the last
    # value given for a key): the same numbers as bisecting the sorted scores for each row.
    rank_of = dict(zip(ascending, range(len(ascending), 0, -1), strict=True))
    return [rank_of[score] for score in scores]


def _missing_row(g: int, group: RankingGroup, expected: list[int]) -> Finding | None:
    """One row left out: every row scored below it is printed one place lower than its score gives.

    Said once, at the row after the gap, instead of once for each row below it."""
    rows = group.rows
    shifted = [r for r, row in enumerate(rows) if row.rank == expected[r] + 1]
    kept = [r for r, row in enumerate(rows) if row.rank == expected[r]]
    # Two shifted rows at least: one alone is as likely a mistyped rank, said as such.
    if len(shifted) < 2 or len(shifted) + len(kept) != len(rows):
        return None
    if kept and max(rows[r].score for r in shifted) >= min(rows[r].score for r in kept):
        return None
    after, missing = shifted[0], 1 + len(kept)
    above = f"{min(rows[r].score for r in kept)} 分与 " if kept else ""
    message = (
        f"此行之前似乎漏录了一行：原文的第 {missing} 名（得分在 {above}{max(rows[r].score for r in shifted)} 分之间）"
        f"不在表中，所以此行及以下 {len(shifted)} 行的名次都比按得分算出的多 1；请对照原文补上这一行"
    )
    return Finding(CheckId.ranks, ("rankings", "groups", g, "rows", after), message)


def _extra_row(g: int, group: RankingGroup, expected: list[int]) -> Finding | None:
    """One row too many: without it, every other row's rank agrees with the scores."""
    rows = group.rows
    # Without row x, a row's rank is one less exactly when x scored above it.
    lower = [row.rank - expected[r] for r, row in enumerate(rows)]
    for x, extra in enumerate(rows):
        others = [r for r in range(len(rows)) if r != x]
        # The row must disturb another row: a row whose own rank alone is wrong is a typo.
        if all(lower[r] == 0 for r in others):
            continue
        if all(lower[r] == -(extra.score > rows[r].score) for r in others):
            message = (
                f"此行似乎是多出来的一行：去掉 {extra.unit}（{extra.score} 分）后，其余各行的名次都与得分相符；"
                "请对照原文核对这一行"
            )
            return Finding(CheckId.ranks, ("rankings", "groups", g, "rows", x), message)
    return None


def _in_rank_order(group: RankingGroup) -> bool:
    """Whether the rows are printed best first, each with the rank its score gives: the usual table,
    told in one pass without sorting. Anything else (a Broken value too) is left to :func:`expected_ranks`."""
    scores = [row.score for row in group.rows]  # (expected_ranks' first step: what fails here fails there)
    ranks = [row.rank for row in group.rows]
    if set(map(type, scores)) != {Decimal} or set(map(type, ranks)) != {int}:
        return False
    rank, previous = 0, scores[0]
    for index, score in enumerate(scores):
        if score < previous or not index:
            rank = index + 1
        elif score != previous:
            return False  # not best first
        if ranks[index] != rank:
            return False
        previous = score
    return True


def _group_ranks(g: int, group: RankingGroup) -> Iterator[Finding]:
    if _in_rank_order(group):
        return
    expected = expected_ranks(group)
    if [row.rank for row in group.rows] == expected:
        return
    # A row left out or added shifts every row below it; real tables have a few dozen rows.
    row_finding = (_missing_row(g, group, expected) or _extra_row(g, group, expected)) if len(group.rows) <= 500 else None
    if row_finding is not None:
        yield row_finding
        return
    for r, (row, rank) in enumerate(zip(group.rows, expected, strict=True)):
        if row.rank != rank:
            yield Finding(
                CheckId.ranks,
                ("rankings", "groups", g, "rows", r, "rank"),
                f"与得分不符：得分 {row.score} 应排第 {rank} 名，此处为 {row.rank}",
            )


def _ranks(notice: Notice) -> Iterator[Result]:
    if notice.rankings is None:
        return
    for g, group in enumerate(notice.rankings.groups):
        yield from _guarded(CheckId.ranks, partial(_group_ranks, g, group))


def _row_sum(index: int, row: MessageRow) -> Iterator[Finding]:
    if row.replied + row.unreplied != row.total:
        yield Finding(
            CheckId.row_sums,
            ("web_messages", "rows", index, "total"),
            f"与已回复数 {row.replied} + 未回复数 {row.unreplied} = {row.replied + row.unreplied} 不符，此处为 {row.total}",
        )


def _row_sums(notice: Notice) -> Iterator[Result]:
    if notice.web_messages is not None:
        for index, row in enumerate(notice.web_messages.rows):
            # The usual row adds up: tested without a generator for it (what cannot be tested
            # here, a broken value, is reported as the check's own run reports it).
            try:
                if row.replied + row.unreplied == row.total:
                    continue
            except Unavailable:
                pass
            yield from _guarded(CheckId.row_sums, partial(_row_sum, index, row))


def _table_totals(notice: Notice) -> Iterator[Finding]:
    table = notice.web_messages
    if table is None or table.total_row is None:
        return
    for field, label in (("total", "办件总数"), ("replied", "已回复数"), ("unreplied", "未回复数")):
        column = sum(getattr(row, field) for row in table.rows)
        printed = getattr(table.total_row, field)
        if column != printed:
            yield Finding(
                CheckId.table_totals, ("web_messages", "total_row", field), f"与各行{label}之和 {column} 不符，此处为 {printed}"
            )


def _same_unit(printed: str, first: str) -> str:
    return "" if printed == first else f"（单位名录中 {printed!r} 与 {first!r} 是同一单位）"


def _repeated_in_rankings(groups: list[RankingGroup], canonical: Callable[[str], str]) -> Iterator[Finding]:
    seen: dict[str, tuple[int, int, str]] = {}
    for g, group in enumerate(groups):
        for r, row in enumerate(group.rows):
            key = canonical(row.unit)
            first = seen.get(key)
            if first is None:
                seen[key] = (g, r, row.unit)
                continue
            path = ("rankings", "groups", g, "rows", r, "unit")
            first_group, first_row, printed = first
            same = _same_unit(row.unit, printed)
            if first_group == g:
                message = f"单位 {row.unit!r} 在本组第 {first_row + 1} 行已经出现{same}，同一单位在一张表中只能有一行"
                yield Finding(CheckId.duplicate_units, path, message)
            else:
                message = (
                    f"单位 {row.unit!r} 已在第 {first_group + 1} 个分组“{groups[first_group].title}”中出现{same}，"
                    "同一单位每月只能在一个分组中"
                )
                yield Finding(CheckId.unit_groups, path, message)


def _units_once(notice: Notice, units: UnitRegistry | None) -> Iterator[Finding]:
    # A unit's page has one row per table and month; a second row of the same unit, under its
    # own name or an alias, would be a row the page cannot show as the notice printed it.
    names = units.names() if units is not None else {}

    def canonical(spelling: str) -> str:
        return names.get(spelling, spelling)

    if notice.rankings is not None:
        groups = notice.rankings.groups
        # A hundred rows a notice, nearly always each unit once: that is told from the names
        # alone, and only a notice with a repeated unit is walked row by row to say where. (The
        # names are touched in the walk's order: a broken value stops both at the same place.)
        keys = [names[unit] if (unit := row.unit) in names else unit for group in groups for row in group.rows]
        if len(set(keys)) < len(keys):
            yield from _repeated_in_rankings(groups, canonical)
    if notice.web_messages is not None:
        rows: dict[str, tuple[int, str]] = {}
        for r, message_row in enumerate(notice.web_messages.rows):
            first_row, printed = rows.setdefault(canonical(message_row.unit), (r, message_row.unit))
            if first_row != r:
                same = _same_unit(message_row.unit, printed)
                message = f"单位 {message_row.unit!r} 在本表第 {first_row + 1} 行已经出现{same}，同一单位在一张表中只能有一行"
                yield Finding(CheckId.duplicate_units, ("web_messages", "rows", r, "unit"), message)


def measure_checks(notice: Notice) -> list[Finding]:
    from generator.measure_checks import measure_checks  # it imports Finding from here

    return measure_checks(notice)


def run_all(notice: Notice, units: UnitRegistry | None = None) -> list[Result]:
    """Every consistency check, in the order of the notice; ``units`` resolves aliases when given.

    ``notice`` may be partly valid (values that failed validation are :class:`Broken`): each
    check, and each independent part of one, runs on what is sound and otherwise reports the
    value that kept it from running as :class:`Unchecked`."""
    checks: list[tuple[CheckId, Callable[[], Iterable[Result]]]] = [
        (CheckId.intake_sums, lambda: _intake_sums(notice)),
        (CheckId.completed_le_registered, lambda: _completed_le_registered(notice)),
        (CheckId.rates, lambda: _rates(notice)),
        (CheckId.category_total, lambda: _category_total(notice)),
        (CheckId.share_sum, lambda: _share_sum(notice)),
        (CheckId.category_shares, lambda: _category_shares(notice)),
        (CheckId.ranks, lambda: _ranks(notice)),
        (CheckId.duplicate_units, lambda: _units_once(notice, units)),
        (CheckId.row_sums, lambda: _row_sums(notice)),
        (CheckId.table_totals, lambda: _table_totals(notice)),
        # Natures, rates, channels and top lists report under the checks above.
        (CheckId.intake_sums, lambda: measure_checks(notice)),
    ]
    results: list[Result] = []
    for check, run in checks:
        found = list(_guarded(check, run))
        if check is CheckId.duplicate_units:
            # One pass finds both kinds of repeated unit: when it cannot run, neither is checked.
            found += [Unchecked(CheckId.unit_groups, r.blocked_by) for r in found if isinstance(r, Unchecked)]
        results += [result for result in found if result not in results]
    return results


def run_checks(notice: Notice, units: UnitRegistry | None = None) -> list[Finding]:
    """The failed checks of a valid notice."""
    return [result for result in run_all(notice, units) if isinstance(result, Finding)]
