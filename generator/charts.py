"""Charts drawn at build time as inline SVG by matplotlib.

Text stays text (``svg.fonttype: none``) so Chinese labels render with the reader's own fonts;
colours of text and axes are left to the site's stylesheet (light and dark mode); the SVG scales
to its container through its viewBox. Output is byte-stable for the same data.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from generator.render import visible

_STYLE: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "hotline-archive",
    # Labels are names from data: "$" must stay a dollar sign, never start TeX-like mathtext.
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 11,
    "axes.edgecolor": "#8a8a8a",
    "axes.labelcolor": "#8a8a8a",
    "xtick.color": "#8a8a8a",
    "ytick.color": "#8a8a8a",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#8a8a8a",
    "grid.alpha": 0.3,
}
BLUE, ORANGE = "#3b7dd8", "#e0822b"
"""Mid-tone series colours, legible on white and on Material's dark slate."""


def _svg(figure: Figure, *, title: str, description: str) -> str:
    buffer = io.StringIO()
    with warnings.catch_warnings():
        # Metrics of CJK glyphs are estimated with the default font; the browser draws the text.
        warnings.simplefilter("ignore", UserWarning)
        # Fixed margins instead of bbox_inches="tight", which draws every chart twice.
        figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)
    # Inline in a page, matplotlib's metadata is dead weight and its <style> ("*{...}") would
    # apply to the whole document.
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'<style type="text/css">.*?</style>', "", svg, flags=re.S)
    # Prefix every id, so that several charts on one page never share one.
    ident = f"chart-{hash_text(title + description)}"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{ident}-{m[1]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{ident}-{m[1]})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{ident}-{m[1]}"', svg)
    svg = re.sub(
        r'<svg ([^>]*?)width="[^"]*" height="[^"]*"',
        rf'<svg \1class="chart" role="img" aria-labelledby="{ident}-title {ident}-desc"',
        svg,
        count=1,
    )
    title, description = escape(visible(title)), escape(visible(description))
    head = f'<title id="{ident}-title">{title}</title><desc id="{ident}-desc">{description}</desc>'
    svg = re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + head, svg, count=1)
    # One line, so Markdown treats the whole figure as one raw HTML block.
    return re.sub(r">\s+<", "><", svg).replace("\n", " ").strip()


def hash_text(text: str) -> int:
    """A stable (unsalted) hash for element ids, unlike Python's ``hash``."""
    value = 0
    for char in text:
        value = (value * 131 + ord(char)) % 1_000_000_007
    return value


def _float(value: Decimal | int | None) -> float:
    """Missing values become NaN: matplotlib leaves a gap in the line; so do values too large
    to draw (a float overflows beyond about 10^308)."""
    number = float("nan") if value is None else float(Decimal(value))
    return number if math.isfinite(number) else float("nan")


def _floats(values: Sequence[Decimal | int | None]) -> list[float]:
    return [_float(v) for v in values]


def _labels(periods: Sequence[str]) -> list[str]:
    return [f"{p[:4]}.{int(p[5:])}" for p in periods]


def line_chart(
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | int | None]]],
    *,
    title: str,
    description: str,
    right: tuple[str, Sequence[Decimal | int | None]] | None = None,
) -> str:
    """A trend over months; ``right`` is a second series on its own axis (e.g. a rate)."""
    with plt.rc_context(_STYLE):
        # Sized near a phone's width, so that labels stay legible when the SVG scales down.
        figure, axis = plt.subplots(figsize=(5.4, 3.0))
        figure.subplots_adjust(left=0.14, right=0.86 if right is not None else 0.97, bottom=0.13, top=0.83)
        x = list(range(len(periods)))
        for (label, values), colour in zip(series, (BLUE, "#5aa469", "#9467bd"), strict=False):
            axis.plot(x, _floats(values), marker="o", markersize=3, color=colour, label=visible(label))
        axis.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        if right is not None:
            other = axis.twinx()
            other.plot(x, _floats(right[1]), marker="s", markersize=3, color=ORANGE, label=visible(right[0]))
            other.spines["right"].set_visible(True)
            other.grid(False)
        figure.legend(loc="upper left", ncols=3, frameon=False, bbox_to_anchor=(0.12, 1.0))
        step = max(1, -(-len(x) // 5))  # at most five month labels, so they never overlap
        axis.set_xticks(x[::step], _labels(periods)[::step])
        return _svg(figure, title=title, description=description)


def bar_chart(labels: Sequence[str], values: Sequence[Decimal | int], *, title: str, description: str, unit: str) -> str:
    """Horizontal bars, largest first as given, with the value printed at each bar."""
    labels = [visible(label) for label in labels]
    with plt.rc_context(_STYLE):
        height = 0.45 * len(labels) + 0.6
        figure, axis = plt.subplots(figsize=(4.8, height))
        widest = max((len(label) for label in labels), default=1)
        figure.subplots_adjust(left=min(0.55, 0.05 + 0.036 * widest), right=0.86, bottom=0.3 / height, top=1 - 0.15 / height)
        y = list(range(len(labels)))[::-1]
        numbers = _floats(values)
        bars = axis.barh(y, numbers, color=BLUE, height=0.6)
        axis.bar_label(bars, labels=[f"{v}{unit}" for v in values], padding=3)
        axis.set_yticks(y, list(labels))
        axis.grid(axis="y", visible=False)
        axis.set_xlim(0, max((n for n in numbers if not math.isnan(n)), default=1) * 1.2 or 1)
        return _svg(figure, title=title, description=description)
