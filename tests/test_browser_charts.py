"""The charts as a reader sees them: measured in Debian's Chromium at a 360 px phone width, in light
and dark mode, on a SYNTHETIC archive (tests/synthetic), which has every kind of chart."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from tests.synthetic import make_archive
from tests.test_browser import browser, built_and_served, serious_violations

__all__ = ["browser"]  # the shared Chromium fixture

PAGES = {
    "home": "",  # the trend: counts and the satisfaction rate, each in its own panel
    "notice": "notices/2023/08/",  # categories as bars
    "category": f"categories/{quote('城市管理类')}/",  # one category over the months
}


@pytest.fixture(scope="module")
def chart_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_archive(tmp_path_factory.mktemp("chart-archive"))
    with built_and_served(root, tmp_path_factory.mktemp("chart-site")) as url:
        yield url


# Every text of every chart: its rendered size (font size times the scale the SVG is drawn at),
# its box, its colour; every line, dot and bar: its colour; and the page's background.
_MEASURE = """
() => {
  const box = r => [r.left, r.right, r.top, r.bottom];
  return {
    background: getComputedStyle(document.body).backgroundColor,
    charts: [...document.querySelectorAll('svg.chart')].map(svg => ({
      box: box(svg.getBoundingClientRect()),
      texts: [...svg.querySelectorAll('text')].map(t => ({
        text: t.textContent,
        px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
        colour: getComputedStyle(t).fill,
        box: box(t.getBoundingClientRect()),
      })),
      marks: [...svg.querySelectorAll('polyline, circle, rect, line[class^="chart-s"], line.chart-rate')].map(m => {
        const style = getComputedStyle(m);
        return m.tagName === 'polyline' || m.tagName === 'line' ? style.stroke : style.fill;
      }),
      // The phone's "scroll sideways" hint (content/assets/site.js) may sit between them.
      table: (() => {
        let next = svg.closest('figure').nextElementSibling;
        while (next && next.classList.contains('scroll-hint')) next = next.nextElementSibling;
        return !!next?.querySelector('table');
      })(),
    })),
  };
}
"""


def _rgba(colour: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    return numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) > 3 else 1.0


def contrast(colour: str, background: str) -> float:
    """WCAG contrast of ``colour`` (with its transparency, over the background) against ``background``."""
    r, g, b, alpha = _rgba(colour)
    br, bg, bb, _ = _rgba(background)
    shown = (r * alpha + br * (1 - alpha), g * alpha + bg * (1 - alpha), b * alpha + bb * (1 - alpha))

    def luminance(rgb: tuple[float, float, float]) -> float:
        def channel(value: float) -> float:
            value /= 255
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])

    lighter, darker = sorted((luminance(shown), luminance((br, bg, bb))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_defines_it() -> None:
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)
    assert contrast("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(1)


def _measure(browser: Browser, url: str, scheme: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(url)
    measured: dict[str, Any] = page.evaluate(_MEASURE)
    context.close()
    return measured


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_chart_text_is_at_least_12px_and_every_part_stands_out_on_a_phone(
    browser: Browser, chart_site: str, name: str, scheme: str
) -> None:
    measured = _measure(browser, chart_site + PAGES[name], scheme)
    background = measured["background"]
    assert measured["charts"], "the page has a chart"
    for chart in measured["charts"]:
        left, right, _, _ = chart["box"]
        assert left >= 0 and right <= 360
        assert chart["texts"] and chart["marks"]
        for text in chart["texts"]:
            assert text["px"] >= 12, text
            assert contrast(text["colour"], background) >= 4.5, (text, background)
            # Nothing is cut off at either side of the chart.
            assert left - 0.5 <= text["box"][0] and text["box"][1] <= right + 0.5, text
        for colour in chart["marks"]:
            # Lines, dots and bars are not text: WCAG asks 3:1 of graphics that carry meaning.
            assert contrast(colour, background) >= 3, (colour, background)
        assert chart["table"], "the numbers of every chart are also in a table right after it"


@pytest.mark.parametrize("name", ["home", "category"])
def test_month_labels_do_not_overlap_on_a_phone(browser: Browser, chart_site: str, name: str) -> None:
    (chart,) = _measure(browser, chart_site + PAGES[name], "light")["charts"]
    months = sorted((t["box"] for t in chart["texts"] if re.fullmatch(r"\d{4}\.\d+", t["text"])), key=lambda b: b[0])
    assert len(months) >= 2
    for before, after in itertools.pairwise(months):
        assert before[1] <= after[0], (before, after)


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_with_every_kind_of_chart_have_no_serious_accessibility_violation(
    browser: Browser, chart_site: str, name: str
) -> None:
    # axe-core is injected as an inline script, which the page's own policy rightly refuses.
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(chart_site + PAGES[name])
    assert serious_violations(page) == []
    context.close()
