"""Charts written as inline SVG straight from the data: no plotting library, well under a
millisecond a chart, the same bytes for the same data.

Made for a phone first:

- **Text keeps its size.** The SVG has no viewBox: text is set in CSS pixels (14 px) and every
  horizontal position is a percentage of the chart's width, so the chart stretches to fill its
  column without shrinking its text. Lines are drawn in a nested SVG stretched to the plot's width,
  whose strokes do not stretch (``vector-effect``). Where text must fit (month labels, wrapped
  names), it is laid out for a column of :data:`MIN_WIDTH` pixels, the narrowest a 360 px phone gives.
- **Honest axes.** Counts are drawn from zero, rates on 0% to 100%; a rate never shares a second
  axis with counts but gets its own panel below them. The chart's description says what the axes
  are, from the same numbers that drew them.
- **Theme colours.** Text and grid lines are ``currentColor``; series are classes (``chart-s1`` …)
  that the site's stylesheet colours for light and dark mode, with light-mode colours as
  attributes for anywhere the stylesheet is absent.
- **Ids** start with the chart's own prefix (a hash of what it shows), so charts can share a page.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from generator.render import visible

Value = Decimal | int | None

FONT = 14
"""Size of every text in the charts, in CSS pixels."""
MIN_WIDTH = 300
"""The narrowest column a chart is laid out for (a 360 px phone leaves about 328 px)."""
LINE = 20
"""Height of one line of text."""
SERIES = (("chart-s1", "#1f5fbf"), ("chart-s2", "#2e7d32"), ("chart-s3", "#7b3fa0"))
"""Class and fallback colour of each count series, in order."""
RATE = ("chart-rate", "#a84b00")
"""Class and fallback colour of a rate series."""
_LEFT, _RIGHT = 0.03, 0.97
"""Where the first and the last month sit, as fractions of the width."""
_PLOT = {"count": 120, "rate": 90}
"""Height of each kind of plot panel, in pixels."""


@functools.lru_cache(maxsize=4096)
def text_width(text: str) -> float:
    """Estimated width in pixels at :data:`FONT`: CJK and full-width characters are one em, the
    rest (digits, Latin letters, half-width punctuation) about 0.6 em."""
    return sum(FONT if unicodedata.east_asian_width(char) in "WF" else 0.6 * FONT for char in text)


def _number(value: Value) -> float | None:
    """Missing values, and values too large to draw (a float overflows beyond about 10^308), leave a gap."""
    if value is None:
        return None
    number = float(Decimal(value))
    return number if math.isfinite(number) else None


def _fmt(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.2f}".rstrip("0").rstrip(".") + "%"


@dataclass(frozen=True)
class Axis:
    """A vertical scale from zero: its top value and labelled ticks."""

    top: float
    ticks: tuple[tuple[float, str], ...]
    kind: str
    """``count`` (from zero to a round number above the largest value) or ``rate`` (0% to 100%)."""

    @property
    def description(self) -> str:
        if self.kind == "rate":
            return "\u4ece 0% \u5230 100%"  # 从 0% 到 100%
        return f"\u4ece 0 \u5230 {self.ticks[-1][1]}"  # 从 0 到 N


def count_axis(values: Sequence[float | None]) -> Axis:
    """From zero to a round number at or above the largest value, in about four steps of 1, 2 or 5 × 10ⁿ."""
    largest = max((v for v in values if v is not None), default=0.0)
    if largest <= 0:
        return Axis(1, ((0, "0"), (1, "1")), "count")
    rough = largest / 4
    power = 10 ** max(0, math.floor(math.log10(rough))) if rough >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    top = math.ceil(largest / step) * step
    return Axis(top, tuple((i * step, str(i * step)) for i in range(top // step + 1)), "count")


def rate_axis() -> Axis:
    """0% to 100% in quarters: a rate is always shown against its whole range."""
    return Axis(100, tuple((v, f"{v}%") for v in (0, 25, 50, 75, 100)), "rate")


def _ident(*parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"chart-{digest[:10]}"


def _text(x: str, y: float, text: str, *, anchor: str = "start", css: str = "") -> str:
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    class_attr = f' class="{css}"' if css else ""
    return f'<text x="{x}" y="{_fmt(y)}"{anchor_attr}{class_attr}>{escape(visible(text))}</text>'


def _svg(ident: str, height: float, *, title: str, description: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{ident}-title {ident}-desc"'
        f' width="100%" height="{_fmt(height)}" font-size="{FONT}" fill="currentColor">'
        f'<title id="{ident}-title">{escape(visible(title))}</title>'
        f'<desc id="{ident}-desc">{escape(visible(description))}</desc>'
    )
    # One line, so Markdown sees the whole figure as one raw HTML block.
    return head + "".join(body) + "</svg>"


def _x(index: int, count: int) -> float:
    """A month's position, as a fraction of the width."""
    return 0.5 if count == 1 else _LEFT + (_RIGHT - _LEFT) * index / (count - 1)


def _ordinal(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def _offsets(periods: Sequence[str]) -> list[int]:
    """Each month's distance in months from the first, so that a month missing between two shown
    months keeps its room on the axis; months out of order or repeated are spaced evenly instead."""
    ordinals = [_ordinal(p) for p in periods]
    if all(a < b for a, b in itertools.pairwise(ordinals)):
        return [o - ordinals[0] for o in ordinals]
    return list(range(len(periods)))


def _missing(periods: Sequence[str]) -> list[tuple[str, str]]:
    """The runs of months missing between the months given, as (first, last) labels."""
    runs = []
    start = _ordinal(periods[0]) if periods else 0
    for a, b in itertools.pairwise(_offsets(periods)):
        if b - a > 1:
            first, last = start + a + 1, start + b - 1
            runs.append((f"{first // 12}.{first % 12 + 1}", f"{last // 12}.{last % 12 + 1}"))
    return runs


def month_label(period: str) -> str:
    """``2023-08`` → ``2023.8``."""
    return f"{period[:4]}.{int(period[5:])}"


def labelled_months(periods: Sequence[str]) -> list[int]:
    """Which months get a label: as many as fit side by side in :data:`MIN_WIDTH`, evenly
    spaced, always including the latest."""
    count = len(periods)
    if count <= 1:
        return list(range(count))
    widest = max(text_width(month_label(p)) for p in periods)
    fits = max(2, int(MIN_WIDTH * (_RIGHT - _LEFT) // (widest + FONT)) + 1)
    offsets = _offsets(periods)
    step = max(1, math.ceil(offsets[-1] / (fits - 1)))
    # From the latest back, each label at least ``step`` months from the one after it: with no
    # month missing this is every ``step``-th month.
    chosen = [count - 1]
    for index in range(count - 2, -1, -1):
        if offsets[chosen[-1]] - offsets[index] >= step:
            chosen.append(index)
    return chosen[::-1]


def _panel(
    top: float, series: Sequence[tuple[str, Sequence[float | None], tuple[str, str]]], axis: Axis, offsets: Sequence[int]
) -> tuple[list[str], float]:
    """One plot: a legend line per series, the grid with its labels, the lines; returns the
    elements and where the panel ends. ``offsets`` are the months' distances from the first."""
    count, months = len(offsets), offsets[-1] + 1
    body: list[str] = []
    y = top
    for label, _, (css, colour) in series:
        body.append(
            f'<line x1="0" x2="16" y1="{_fmt(y + 10)}" y2="{_fmt(y + 10)}" class="{css}" stroke="{colour}" stroke-width="3"/>'
        )
        body.append(_text("22", y + 15, label))
        y += LINE
    plot_top = y + LINE  # room for the top tick's label, which sits above its grid line
    height = _PLOT[axis.kind]
    for value, label in axis.ticks:
        grid_y = plot_top + height * (1 - value / axis.top)
        css, opacity = ("chart-axis", "0.6") if value == 0 else ("chart-grid", "0.2")
        body.append(
            f'<line x1="0" x2="100%" y1="{_fmt(grid_y)}" y2="{_fmt(grid_y)}" class="{css}"'
            f' stroke="currentColor" stroke-opacity="{opacity}"/>'
        )
        body.append(_text("0", grid_y - 4, label, css="chart-tick"))
    lines: list[str] = []
    dots: list[str] = []
    for _, values, (css, colour) in series:
        runs: list[list[int]] = [[]]
        for index, number in enumerate(values):
            if number is None:
                runs.append([])
            else:
                # A month missing from the periods breaks the line as a missing value does.
                if index and offsets[index] - offsets[index - 1] > 1:
                    runs.append([])
                runs[-1].append(index)
        for run in runs:
            points = [(i, height * (1 - (values[i] or 0) / axis.top)) for i in run]
            if len(run) >= 2:
                coordinates = " ".join(f"{_fmt(1000 * _x(offsets[i], months))},{_fmt(v)}" for i, v in points)
                lines.append(
                    f'<polyline points="{coordinates}" class="{css}" stroke="{colour}" fill="none"'
                    ' stroke-width="2" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>'
                )
            # Few months: every month marked; many: only a month with no neighbour, which has no line.
            if len(run) == 1 or count <= 36:
                dots += [
                    f'<circle cx="{_pct(_x(offsets[i], months))}" cy="{_fmt(plot_top + v)}" r="3" class="{css}" fill="{colour}"/>'
                    for i, v in points
                ]
    if lines:
        body.append(
            f'<svg y="{_fmt(plot_top)}" width="100%" height="{height}" viewBox="0 0 1000 {height}"'
            f' preserveAspectRatio="none" overflow="visible">{"".join(lines)}</svg>'
        )
    body += dots
    return body, plot_top + height


def line_chart(
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[Value]]],
    *,
    title: str,
    description: str,
    rate: tuple[str, Sequence[Value]] | None = None,
) -> str:
    """Counts over months (up to three series) from zero; ``rate``, a percentage, in its own
    panel below on 0%–100%. The description given is completed with what the axes show."""
    count = len(periods)
    offsets = _offsets(periods)
    numbers = [(label, [_number(v) for v in values]) for label, values in series]
    axis = count_axis([v for _, values in numbers for v in values])
    styled = [(label, values, style) for (label, values), style in zip(numbers, SERIES, strict=False)]
    body, bottom = _panel(0, styled, axis, offsets)
    said = [f"{label}{axis.description}" for label, _ in numbers]
    if rate is not None:
        rate_body, bottom = _panel(bottom + 12, [(rate[0], [_number(v) for v in rate[1]], RATE)], rate_axis(), offsets)
        body += rate_body
        said.append(f"{rate[0]}{rate_axis().description}")
    for index in labelled_months(periods):
        x = _x(offsets[index], offsets[-1] + 1)
        anchor = "middle" if count == 1 or 0 < index < count - 1 else ("start" if index == 0 else "end")
        body.append(_text(_pct(x), bottom + LINE, month_label(periods[index]), anchor=anchor))
    # 纵轴：…，…。
    axes = "\u7eb5\u8f74\uff1a" + "\uff0c".join(said) + "\u3002"
    if missing := _missing(periods):
        # 横轴按月份的实际间隔排列；无数字的月份：2021.2 至 2021.7、2022.5，折线在这些月份断开。
        runs = "\u3001".join(first if first == last else f"{first} \u81f3 {last}" for first, last in missing)
        axes += (
            "\u6a2a\u8f74\u6309\u6708\u4efd\u7684\u5b9e\u9645\u95f4\u9694\u6392\u5217\uff1b"
            f"\u65e0\u6570\u5b57\u7684\u6708\u4efd\uff1a{runs}\uff0c\u6298\u7ebf\u5728\u8fd9\u4e9b\u6708\u4efd\u65ad\u5f00\u3002"
        )
    ident = _ident("line", title, description, periods, series, rate)
    return _svg(ident, bottom + LINE + 6, title=title, description=description + axes, body=body)


def wrap(text: str, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` pixels (estimated by :func:`text_width`)."""
    lines = [""]
    for char in text:
        if lines[-1] and text_width(lines[-1] + char) > width:
            lines.append("")
        lines[-1] += char
    return lines


@functools.lru_cache(maxsize=1024)
def _name_lines(label: str, width: float) -> tuple[str, ...]:
    """A bar's name wrapped to ``width``, each line escaped as :func:`_text` escapes it: the same
    few names come back on every notice, at a few widths (that of the value beside them)."""
    return tuple(escape(visible(line)) for line in wrap(visible(label), width))


def bar_chart(labels: Sequence[str], values: Sequence[Value], *, title: str, description: str, unit: str) -> str:
    """One horizontal bar per label, in the order given: the name (wrapped when long) and the
    value on a line, the bar under them; bar lengths are proportional to the values, from zero."""
    numbers = [_number(v) for v in values]
    largest = max((n for n in numbers if n is not None), default=0.0)
    body: list[str] = []
    y = 0.0
    for label, value, number in zip(labels, values, numbers, strict=True):
        shown = f"{value}{unit}"
        body.append(_text("100%", y + 15, shown, anchor="end"))
        for line in _name_lines(label, MIN_WIDTH - text_width(shown) - FONT):
            body.append(f'<text x="0" y="{_fmt(y + 15)}">{line}</text>')  # _text() of the line
            y += LINE
        if number is not None and largest > 0:
            css, colour = SERIES[0]
            body.append(f'<rect y="{_fmt(y + 2)}" width="{_pct(number / largest)}" height="12" class="{css}" fill="{colour}"/>')
        y += 22
    # 条形长度从 0 起，与数值成正比。
    axes = "\u6761\u5f62\u957f\u5ea6\u4ece 0 \u8d77\uff0c\u4e0e\u6570\u503c\u6210\u6b63\u6bd4\u3002"
    ident = _ident("bar", title, description, labels, values, unit)
    return _svg(ident, y, title=title, description=description + axes, body=body)
