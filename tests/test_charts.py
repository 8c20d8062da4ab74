from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import charts, read_archive, render_site
from generator.charts import MIN_WIDTH, bar_chart, count_axis, labelled_months, line_chart, month_label, text_width
from generator.pages import category_path
from tests.synthetic import make_archive

SVG = "{http://www.w3.org/2000/svg}"


def _root(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in _root(svg).iter(f"{SVG}text")]


def _months(count: int) -> list[str]:
    return [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(count)]


def _trend(rates: list[Decimal | None] | None = None) -> str:
    return line_chart(
        ["2023-08", "2023-09", "2023-10"],
        [("件数", [3, 1, 2])],
        rate=("满意率(%)", rates if rates is not None else [Decimal(99), None, Decimal("98.5")]),
        title="t",
        description="d。",
    )


def test_bar_chart_is_accessible_scalable_text_svg() -> None:
    svg = bar_chart(["政务服务类", "城市管理类"], [5235, 4524], title="诉求<类型>", description="各类件数", unit="件")
    root = _root(svg)
    assert root.get("role") == "img"
    title_id, desc_id = str(root.get("aria-labelledby")).split()
    assert root.find(f"{SVG}title").text == "诉求<类型>"  # type: ignore[union-attr]
    assert root.find(f"{SVG}title").get("id") == title_id  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").get("id") == desc_id  # type: ignore[union-attr]
    texts = set(_texts(svg))
    assert {"政务服务类", "城市管理类", "5235件", "4524件"} <= texts  # labels stay text, in the reader's fonts
    assert "<style" not in svg and "\n" not in svg


def test_text_keeps_its_size_whatever_the_width() -> None:
    """No viewBox on the chart: it stretches to its column, its 14 px text does not shrink with it.
    (tests/test_browser_charts.py measures the rendered size at 360 px.)"""
    for svg in (_trend(), bar_chart(["甲类"], [1], title="t", description="d", unit="件")):
        root = _root(svg)
        assert root.get("viewBox") is None and root.get("width") == "100%"
        assert int(root.get("font-size", "0")) == charts.FONT >= 12
        assert all(t.get("font-size") is None for t in root.iter(f"{SVG}text"))
        assert all(t.get("fill") is None for t in root.iter(f"{SVG}text"))  # currentColor: the theme's text colour


def test_every_id_is_prefixed_so_charts_can_share_a_page() -> None:
    first = line_chart(["2023-08", "2023-09"], [("件数", [1, 2])], title="甲", description="a")
    second = line_chart(["2023-08", "2023-09"], [("件数", [1, 2])], title="乙", description="b")
    same_words = line_chart(["2023-08", "2023-09"], [("件数", [1, 3])], title="甲", description="a")

    def ids(svg: str) -> set[str]:
        return set(re.findall(r'\bid="([^"]+)"', svg))

    assert ids(first) and not ids(first) & ids(second) and not ids(first) & ids(same_words)
    for svg in (first, second):
        prefix = str(_root(svg).get("aria-labelledby")).split()[0].removesuffix("-title")
        assert all(ident.startswith(prefix + "-") for ident in ids(svg))


def test_charts_are_byte_stable() -> None:
    assert _trend() == _trend()
    assert bar_chart(["甲类", "乙类"], [3, 1], title="t", description="d", unit="件") == bar_chart(
        ["甲类", "乙类"], [3, 1], title="t", description="d", unit="件"
    )


def _grid(svg: str) -> dict[str, float]:
    """Each labelled grid line's label → its y."""
    root = _root(svg)
    lines = [float(line.get("y1", "nan")) for line in root.iter(f"{SVG}line") if line.get("x2") == "100%"]
    ticks = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-tick"]
    assert len(lines) == len(ticks)
    return {t.text or "": y for t, y in zip(ticks, lines, strict=True)}


def _dots(svg: str, css: str) -> list[float]:
    return [float(c.get("cy", "nan")) for c in _root(svg).iter(f"{SVG}circle") if c.get("class") == css]


def test_a_rate_is_drawn_on_the_whole_scale_from_0_to_100_percent() -> None:
    svg = _trend([Decimal(100), Decimal(0), Decimal("98.5")])
    grid = _grid(svg)
    assert {"0%", "25%", "50%", "75%", "100%"} <= set(grid)
    zero, hundred = grid["0%"], grid["100%"]
    assert _dots(svg, "chart-rate") == pytest.approx([hundred, zero, zero + (hundred - zero) * 0.985], abs=0.06)
    assert "满意率(%)从 0% 到 100%" in str(_root(svg).find(f"{SVG}desc").text)  # type: ignore[union-attr]


def test_counts_are_drawn_from_zero() -> None:
    svg = line_chart(["2023-08", "2023-09"], [("件数", [56750, 57800])], title="t", description="d")
    grid = _grid(svg)
    assert min(grid, key=lambda label: -grid[label]) == "0"  # the lowest grid line is 0
    top = max(grid, key=lambda label: -grid[label])
    assert int(top) >= 57800
    first, second = _dots(svg, "chart-s1")
    # A change of 1.8% moves the line 1.8% of the height of the axis from 0 up to the value.
    assert (first - second) / (grid["0"] - first) == pytest.approx(1050 / 56750, abs=0.002)
    assert f"件数从 0 到 {top}" in str(_root(svg).find(f"{SVG}desc").text)  # type: ignore[union-attr]


@given(st.lists(st.integers(min_value=0, max_value=10**9) | st.none(), min_size=1, max_size=40))
def test_the_count_axis_starts_at_zero_and_covers_every_value_in_a_few_round_steps(values: list[int | None]) -> None:
    axis = count_axis([None if v is None else float(v) for v in values])
    ticks = [value for value, _ in axis.ticks]
    assert ticks[0] == 0 and ticks[-1] == axis.top >= max((v for v in values if v is not None), default=0)
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 and 2 <= len(ticks) <= 6
    step = steps.pop()
    assert str(int(step)).rstrip("0") in {"1", "2", "5"}


def test_a_missing_month_leaves_a_gap_and_a_lone_month_keeps_its_dot() -> None:
    svg = line_chart(_months(40), [("件数", [None if i in (10, 12) else 5 for i in range(40)])], title="t", description="d")
    lines = list(_root(svg).iter(f"{SVG}polyline"))
    assert [len(str(p.get("points")).split()) for p in lines] == [10, 27]
    assert len(_dots(svg, "chart-s1")) == 1  # month 11 stands alone; with 40 months the others are unmarked


def _gappy() -> str:
    """Made-up counts with months missing: 2021.3 to 2021.7, and 2021.11."""
    return line_chart(
        ["2021-01", "2021-02", "2021-08", "2021-09", "2021-10", "2021-12"],
        [("件数", [1, 2, 3, 4, 3, 2])],
        title="t",
        description="d。",
    )


def test_a_month_missing_from_the_periods_breaks_the_line_and_keeps_its_room() -> None:
    svg = _gappy()
    # x by months from 2021.1 over the 11 months to 2021.12: 30 + 940 × months / 11 (of 1000).
    assert [p.get("points") for p in _root(svg).iter(f"{SVG}polyline")] == ["30,90 115.5,60", "628.2,30 713.6,0 799.1,30"]
    assert [c.get("cx") for c in _root(svg).iter(f"{SVG}circle")] == ["3%", "11.55%", "62.82%", "71.36%", "79.91%", "97%"]
    assert str(_root(svg).find(f"{SVG}desc").text) == (  # type: ignore[union-attr]
        "d。纵轴：件数从 0 到 4。横轴按月份的实际间隔排列；无数字的月份：2021.3 至 2021.7、2021.11，折线在这些月份断开。"
    )


def test_two_months_far_apart_are_not_joined() -> None:
    svg = line_chart(["2021-01", "2021-08"], [("件数", [5, 6])], title="t", description="d。")
    assert list(_root(svg).iter(f"{SVG}polyline")) == []
    assert len(_dots(svg, "chart-s1")) == 2
    assert str(_root(svg).find(f"{SVG}desc").text).endswith("无数字的月份：2021.2 至 2021.7，折线在这些月份断开。")  # type: ignore[union-attr]


def test_consecutive_months_say_nothing_about_missing_months() -> None:
    assert "无数字" not in _trend() and "横轴" not in _trend()


def _gapped(count: int) -> list[str]:
    """``count`` made-up months: in the first half every third month missing, then more than a year missing."""
    months = [m for i, m in enumerate(_months(count + count // 2 + 12)) if not (i < count and i % 3 == 1)]
    return months[: count // 2] + months[count // 2 + 12 :][: count - count // 2]


@pytest.mark.parametrize(
    "periods", [_months(c) for c in (1, 2, 3, 7, 12, 13, 24, 99, 120, 1200)] + [_gapped(c) for c in (2, 5, 12, 40, 120)]
)
def test_month_labels_never_overlap_at_phone_width_and_the_latest_is_always_labelled(periods: list[str]) -> None:
    count = len(periods)
    svg = line_chart(periods, [("件数", list(range(count)))], title="t", description="d")
    labels = [t for t in _root(svg).iter(f"{SVG}text") if re.fullmatch(r"\d{4}\.\d+", t.text or "")]
    assert [t.text for t in labels] == [month_label(periods[i]) for i in labelled_months(periods)]
    assert labels[-1].text == month_label(periods[-1]) and len(labels) >= min(count, 2)
    spans = []
    for label in labels:
        x = float(str(label.get("x")).removesuffix("%")) / 100 * MIN_WIDTH
        width = text_width(label.text or "")
        start = {"start": x, "middle": x - width / 2, "end": x - width}[label.get("text-anchor", "start")]
        spans.append((start, start + width))
    assert all(start >= 0 and end <= MIN_WIDTH for start, end in spans)
    assert all(a[1] + 8 <= b[0] for a, b in itertools.pairwise(spans))


def test_bars_start_at_zero_and_long_names_wrap_within_the_phone_width() -> None:
    name = "城市管理类" * 8
    svg = bar_chart(["政务服务类", name, "零类"], [5000, 2500, 0], title="t", description="d。", unit="件")
    widths = [r.get("width") for r in _root(svg).iter(f"{SVG}rect")]
    assert widths == ["100%", "50%", "0%"]
    texts = _texts(svg)
    wrapped = [t for t in texts if t and set(t) <= set(name)]
    assert "".join(wrapped) == name and len(wrapped) > 1
    assert all(text_width(line) + text_width("2500件") + charts.FONT <= MIN_WIDTH for line in wrapped)
    assert "条形长度从 0 起" in str(_root(svg).find(f"{SVG}desc").text)  # type: ignore[union-attr]


def test_dollar_signs_in_labels_are_drawn_as_written_never_as_math() -> None:
    labels = ["费用$5与$6", "$\\frac$", "$x^2$类"]
    svg = bar_chart(labels, [3, 2, 1], title="$\\frac$", description="$a$", unit="件")
    assert set(labels) <= set(_texts(svg))
    trend = line_chart(["2023-08", "2023-09"], [("$\\frac$", [1, 2])], rate=("费用$5与$6", [1, 2]), title="t", description="d")
    assert {"$\\frac$", "费用$5与$6"} <= set(_texts(trend))


def test_invisible_and_reordering_characters_never_reach_a_chart() -> None:
    hidden = "\u202e\u2066\u200b\u200f\u061c\ufeff\x00\x01\ufffe"
    svg = bar_chart([f"城市{hidden}管理类"], [5], title=f"标题{hidden}", description=f"说明{hidden}", unit="件")
    trend = line_chart(["2023-08"], [(f"件数{hidden}", [1])], title="t", description="d")
    assert "城市管理类" in _texts(svg) and "件数" in _texts(trend)
    for text in (svg, trend):
        assert not any(char in text for char in hidden)


def test_numbers_too_large_to_draw_leave_a_gap_instead_of_crashing() -> None:
    svg = bar_chart(["甲类", "乙类"], [10**400, 3], title="t", description="d", unit="件")
    assert "乙类" in _texts(svg)
    line_chart(["2023-08", "2023-09"], [("件数", [10**400, 10**19])], title="t", description="d")


GOLDEN = Path(__file__).parent / "golden" / "charts"


def test_charts_match_the_golden_files(request: pytest.FixtureRequest) -> None:
    """The exact SVG of a trend with a gap and a rate panel, of a line across missing months, and of bars with a wrapped name; open
    the files in a browser to review a change (`make golden` rewrites them)."""
    charts_made = {
        "trend.svg": _trend(),
        "gaps.svg": _gappy(),
        "bars.svg": bar_chart(
            ["政务服务类", "城市管理类" * 5, "其他"], [5235, 4524, 0], title="诉求类型", description="d。", unit="件"
        ),
    }
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, svg in charts_made.items():
            (GOLDEN / name).write_text(svg + "\n", encoding="utf-8")
    assert {name: svg + "\n" for name, svg in charts_made.items()} == {
        path.name: path.read_text(encoding="utf-8") for path in GOLDEN.glob("*.svg")
    }


def test_a_category_page_chart_leaves_the_months_the_archive_lacks_as_a_gap(tmp_path: Path) -> None:
    """SYNTHETIC months with 2023.3 to 2023.7 missing: the category's chart does not join 2023.2 to 2023.8."""
    root = make_archive(tmp_path, ("2023-01", "2023-02", "2023-08", "2023-09"))
    pages = {page.path: page.markdown for page in render_site(read_archive(root)).pages}
    svg = re.search(r"<svg [^\n]*</svg>", pages[category_path("城市管理类")])
    assert svg is not None
    assert [len(str(p.get("points")).split()) for p in _root(svg.group()).iter(f"{SVG}polyline")] == [2, 2]
    assert str(_root(svg.group()).find(f"{SVG}desc").text).endswith(  # type: ignore[union-attr]
        "横轴按月份的实际间隔排列；无数字的月份：2023.3 至 2023.7，折线在这些月份断开。"
    )
