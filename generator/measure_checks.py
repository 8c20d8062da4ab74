"""Consistency checks of what offices other than Pingdingshan's publish: the 有效/无效 split,
requests by nature, rates printed with their counts, channels and top-N lists.

Each runs only on what the notice printed. They report under the existing check ids (the page
lists one line per id), so that an office's own inconsistency can be acknowledged the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks import Finding, half_unit, shares_over_100
from generator.model import CheckId, Notice, RateKind

_COMPLETION = (RateKind.completion, RateKind.on_time_completion, RateKind.direct_completion)
_SATISFACTION = (RateKind.satisfaction, RateKind.dissatisfaction)


def _split(notice: Notice) -> Iterator[Finding]:
    intake = notice.intake
    if intake.valid is not None and intake.invalid is not None:
        if intake.valid + intake.invalid != intake.total:
            parts = f"有效诉求 {intake.valid} + 无效诉求 {intake.invalid} = {intake.valid + intake.invalid}"
            yield Finding(CheckId.intake_sums, ("intake", "total"), f"与各项之和不符\uff1a{parts}\uff0c此处为 {intake.total}")
        return
    for field, label in (("valid", "有效诉求"), ("invalid", "无效诉求")):
        value = getattr(intake, field)
        if value is not None and value > intake.total:
            yield Finding(
                CheckId.intake_sums, ("intake", field), f"{label} {value} 件多于受理总数 {intake.total}（intake.total）"
            )


def _natures(notice: Notice) -> Iterator[Finding]:
    natures, total = notice.natures, notice.intake.total
    for index, nature in enumerate(natures):
        if nature.count > total:
            message = f"件数 {nature.count} 多于当月受理总数 {total}（intake.total）"
            yield Finding(CheckId.category_total, ("natures", index, "count"), message)
            return
    counted = sum(nature.count for nature in natures)
    if counted > total:
        yield Finding(
            CheckId.category_total, ("natures",), f"各类性质的件数之和 {counted} 多于当月受理总数 {total}（intake.total）"
        )
    shares = [nature.share for nature in natures if nature.share is not None]
    if excess := shares_over_100(shares, "各类性质的占比", f"{len(shares)} 类合计"):
        yield Finding(CheckId.share_sum, ("natures",), excess)


def _rates(notice: Notice) -> Iterator[Finding]:
    total = notice.intake.total
    for index, rate in enumerate(notice.rates):
        if rate.count is not None and rate.kind in _COMPLETION and rate.count > total:
            message = f"{rate.count_label} {rate.count} 件多于当月受理总数 {total}（intake.total）"
            yield Finding(CheckId.completed_le_registered, ("rates", index, "count"), message)
    pair = [(index, rate) for index, rate in enumerate(notice.rates) if rate.kind in _SATISFACTION]
    kinds = {rate.kind for _, rate in pair}
    if len(kinds) == 2:
        first = {kind: next((i, r) for i, r in pair if r.kind is kind) for kind in _SATISFACTION}
        (_, satisfied), (index, dissatisfied) = first[RateKind.satisfaction], first[RateKind.dissatisfaction]
        slack = half_unit(satisfied.rate) + half_unit(dissatisfied.rate)
        if satisfied.rate + dissatisfied.rate - slack > 100:
            message = f"与{satisfied.name} {satisfied.rate}% 之和为 {satisfied.rate + dissatisfied.rate}%\uff0c超过 100%"
            yield Finding(CheckId.rates, ("rates", index, "rate"), message)


def _lists(notice: Notice) -> Iterator[Finding]:
    total = notice.intake.total
    counted = sum(channel.count for channel in notice.channels if channel.unit == "件")
    if counted > total:
        message = f"各渠道件数之和 {counted} 多于当月受理总数 {total}（intake.total）"
        yield Finding(CheckId.intake_sums, ("channels",), message)
    shares = [channel.share for channel in notice.channels if channel.share is not None]
    if excess := shares_over_100(shares, "各渠道的占比", f"{len(shares)} 个渠道合计"):
        yield Finding(CheckId.share_sum, ("channels",), excess)
    for t, top in enumerate(notice.top_lists):
        for i, item in enumerate(top.items):
            if item.count > total:
                message = f"件数 {item.count} 多于当月受理总数 {total}（intake.total）"
                yield Finding(CheckId.category_total, ("top_lists", t, "items", i, "count"), message)


def measure_checks(notice: Notice) -> list[Finding]:
    """Every check of the fields above, in the order of the notice."""
    return [*_split(notice), *_natures(notice), *_rates(notice), *_lists(notice)]
