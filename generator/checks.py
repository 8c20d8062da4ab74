"""Consistency checks of one notice: do its printed figures agree with each other?

A check the official notice itself fails is acknowledged in the data (``acknowledged``) with a
reason; validation then accepts it and the page shows the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from generator.load import KeyPath
from generator.model import CheckId, Notice, RankingGroup

CHECK_TITLES = {
    CheckId.intake_sums: "各渠道数字之和等于合计",
    CheckId.completed_le_registered: "办结数不超过交办数",
    CheckId.rates: "办结率、回复率与件数相符",
    CheckId.category_shares: "诉求类型占比与件数成比例",
    CheckId.ranks: "排名与得分相符(同分同名次)",
    CheckId.table_totals: "合计行等于各行之和",
    CheckId.row_sums: "每行已回复数与未回复数之和等于办件总数",
}
"""What each check verifies, as a reader would put it (shown on the page)."""


@dataclass(frozen=True)
class Finding:
    """One failed check at one place in a notice."""

    check: CheckId
    path: KeyPath
    message: str


def _sum_check(path: KeyPath, printed: int, parts: list[tuple[str, int]]) -> Iterator[Finding]:
    total = sum(value for _, value in parts)
    if total != printed:
        terms = " + ".join(f"{label} {value}" for label, value in parts)
        yield Finding(CheckId.intake_sums, path, f"与各项之和不符:{terms} = {total},此处为 {printed}")


def _intake_sums(notice: Notice) -> Iterator[Finding]:
    intake = notice.intake
    if intake.phone is None or intake.web is None:
        return  # an office that does not publish these totals: nothing to add up
    yield from _sum_check(
        ("intake", "total"), intake.total, [("接听电话", intake.phone.calls), ("网络平台受理交办", intake.web.registered)]
    )
    yield from _sum_check(
        ("intake", "phone", "calls"), intake.phone.calls, [(line.number, line.contacts or 0) for line in intake.lines]
    )
    for field in ("registered", "completed"):
        parts = [(line.number, getattr(line, field)) for line in intake.lines if getattr(line, field) is not None]
        if parts:
            yield from _sum_check(("intake", "phone", field), getattr(intake.phone, field), parts)
    if intake.web_channels is not None:
        for field in ("registered", "replied"):
            yield from _sum_check(
                ("intake", "web", field), getattr(intake.web, field), [("网络平台明细", getattr(intake.web_channels, field))]
            )


def _not_more(path: KeyPath, done: int | None, of: int | None, done_label: str, of_label: str) -> Iterator[Finding]:
    if done is not None and of is not None and done > of:
        yield Finding(CheckId.completed_le_registered, path, f"{done_label} {done} 多于{of_label} {of}")


def _completed_le_registered(notice: Notice) -> Iterator[Finding]:
    intake = notice.intake
    if intake.phone is not None:
        yield from _not_more(
            ("intake", "phone", "completed"), intake.phone.completed, intake.phone.registered, "已办结", "登记交办"
        )
    if intake.web is not None:
        yield from _not_more(("intake", "web", "replied"), intake.web.replied, intake.web.registered, "已回复", "受理交办")
    for index, line in enumerate(intake.lines):
        yield from _not_more(("intake", "lines", index, "completed"), line.completed, line.registered, "已办结", "登记交办")
    if intake.web_channels is not None:
        channels = intake.web_channels
        yield from _not_more(("intake", "web_channels", "replied"), channels.replied, channels.registered, "已回复", "受理交办")


def rate_agrees(printed: Decimal, part: int, whole: int) -> bool:
    """Whether ``printed`` (a percentage) is ``part / whole`` rounded to the digits it shows."""
    places = max(0, -int(printed.as_tuple().exponent))
    tolerance = Decimal(5) * Decimal(10) ** -(places + 1)
    return abs(Decimal(part) * 100 / Decimal(whole) - printed) <= tolerance


def _rate(path: KeyPath, printed: Decimal | None, part: int | None, whole: int | None) -> Iterator[Finding]:
    if printed is None or part is None or not whole:
        return
    if not rate_agrees(printed, part, whole):
        exact = Decimal(part) * 100 / Decimal(whole)
        yield Finding(CheckId.rates, path, f"与件数不符:{part} / {whole} = {exact:.2f}%,此处为 {printed}%")


def _rates(notice: Notice) -> Iterator[Finding]:
    intake = notice.intake
    if intake.phone is not None:
        phone = intake.phone
        yield from _rate(("intake", "phone", "completion_rate"), phone.completion_rate, phone.completed, phone.registered)
    if intake.web is not None:
        yield from _rate(("intake", "web", "reply_rate"), intake.web.reply_rate, intake.web.replied, intake.web.registered)
    for index, line in enumerate(intake.lines):
        for field in ("completion_rate", "on_time_completion_rate"):
            yield from _rate(("intake", "lines", index, field), getattr(line, field), line.completed, line.registered)


def _category_shares(notice: Notice) -> Iterator[Finding]:
    # The notice prints only the largest categories, so shares need not add up to 100; but
    # each count divided by its share must point at one common total, within rounding.
    low, high = Decimal(0), Decimal("Infinity")
    for index, category in enumerate(notice.categories):
        if category.share == 0:
            continue
        places = max(0, -int(category.share.as_tuple().exponent))
        half = Decimal(5) * Decimal(10) ** -(places + 1)
        top = category.share + half
        bottom = category.share - half
        this_low = Decimal(category.count) * 100 / top
        this_high = Decimal(category.count) * 100 / bottom if bottom > 0 else Decimal("Infinity")
        if this_low > high or this_high < low:
            yield Finding(
                CheckId.category_shares,
                ("categories", index, "share"),
                f"与件数不成比例:按 {category.count} 件占 {category.share}% 推算,"
                f"诉求总数应在 {this_low:.0f} 至 {this_high:.0f} 之间,"
                f"而前面各类推算的总数在 {low:.0f} 至 {high:.0f} 之间",
            )
            return
        low, high = max(low, this_low), min(high, this_high)


def expected_ranks(group: RankingGroup) -> list[int]:
    """Competition ranking: one more than the number of strictly higher scores."""
    return [1 + sum(other.score > row.score for other in group.rows) for row in group.rows]


def _ranks(notice: Notice) -> Iterator[Finding]:
    if notice.rankings is None:
        return
    for g, group in enumerate(notice.rankings.groups):
        for r, (row, expected) in enumerate(zip(group.rows, expected_ranks(group), strict=True)):
            if row.rank != expected:
                yield Finding(
                    CheckId.ranks,
                    ("rankings", "groups", g, "rows", r, "rank"),
                    f"与得分不符:得分 {row.score} 应排第 {expected} 名,此处为 {row.rank}",
                )


def _web_messages(notice: Notice) -> Iterator[Finding]:
    table = notice.web_messages
    if table is None:
        return
    for index, row in enumerate(table.rows):
        if row.replied + row.unreplied != row.total:
            yield Finding(
                CheckId.row_sums,
                ("web_messages", "rows", index, "total"),
                f"与已回复数 {row.replied} + 未回复数 {row.unreplied} = {row.replied + row.unreplied} 不符,此处为 {row.total}",
            )
    if table.total_row is None:
        return
    for field, label in (("total", "办件总数"), ("replied", "已回复数"), ("unreplied", "未回复数")):
        column = sum(getattr(row, field) for row in table.rows)
        printed = getattr(table.total_row, field)
        if column != printed:
            yield Finding(
                CheckId.table_totals, ("web_messages", "total_row", field), f"与各行{label}之和 {column} 不符,此处为 {printed}"
            )


def run_checks(notice: Notice) -> list[Finding]:
    """Every consistency check, in the order of the notice."""
    return [
        *_intake_sums(notice),
        *_completed_le_registered(notice),
        *_rates(notice),
        *_category_shares(notice),
        *_ranks(notice),
        *_web_messages(notice),
    ]
