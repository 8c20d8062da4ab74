"""Cross-month views say what the months have in common and what is missing (issue 10 §3), on the
MADE-UP months of tests/cross_month (not real notices; see its README): the headline shows the
环比 or 同比 an office printed and names a contradiction with the archive, and the comparison with
the previous month never claims what it could not compare."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator import Site, read_archive, render_site
from generator.history import Change, agrees
from generator.model import ChangeBasis, Direction, IntakeChange

REPO = Path(__file__).resolve().parent.parent
MADE_UP = REPO / "tests/cross_month"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("cross-month")
    (root / "data").mkdir()
    shutil.copytree(REPO / "data/schema", root / "data/schema")
    shutil.copy(REPO / "data/publisher.yaml", root / "data/publisher.yaml")
    shutil.copy(MADE_UP / "units.yaml", root / "data/units.yaml")
    shutil.copytree(MADE_UP / "notices", root / "data/notices")
    return render_site(read_archive(root))


def _page(site: Site, period: str) -> str:
    path = f"notices/{period[:4]}/{period[5:]}.md"
    return next(page.markdown for page in site.pages if page.path == path)


def key_change(site: Site, period: str) -> str | None:
    """The 环比/同比 line under the month's total, as the page's Markdown holds it."""
    total = next(line for line in _page(site, period).splitlines() if line.startswith("<div><dt>受理各类来电来信"))
    start = total.find('<dd class="key-change">')
    return total[start:].removeprefix('<dd class="key-change">').removesuffix("</dd></div>") if start >= 0 else None


def change_box(site: Site, period: str) -> list[str] | None:
    """The lines of the "与上月相比" box, or None when the page has none."""
    lines, inside = [], False
    for line in _page(site, period).splitlines():
        if line.startswith('!!! abstract "与上月'):
            inside = True
        elif line.startswith("#"):
            inside = False
        if inside and line.strip():
            lines.append(line.strip())
    return lines or None


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2030-01", None),  # the first month: nothing before it, nothing printed
        ("2030-02", "环比增长 2.0%（照原通报）"),  # 5000 → 5100 is +2.0%: the printed one alone
        (
            "2030-03",
            "环比增长 1.2%（照原通报）；按2030年2月通报的数字计算为 −2100件（−41.2%），与原通报所印不同",
        ),
        ("2030-04", "环比 0件（0%）<br>同比增长 5.0%（照原通报）"),  # no 2029-04 to check it with
        ("2030-05", "较上月减少 100 件（照原通报）"),  # 3000 → 2900: the count agrees
        (
            "2031-03",
            "同比下降 4.5%（照原通报）；按2030年3月通报的数字计算为 &#43;300件（&#43;10.0%），与原通报所印不同",
        ),
    ],
)
def test_the_headline_shows_the_printed_change_and_names_a_contradiction(site: Site, period: str, expected: str | None) -> None:
    assert key_change(site, period) == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2030-01", None),
        (
            "2030-02",
            [
                '!!! abstract "与上月（2030年1月）相比"',
                "- **县（市）**：名次上升最多的是乙县（第 2 → 1 名）；下降最多的是甲县（第 1 → 2 名）。",
                "- **市直和驻平单位**：上月通报未公布此组排名，无从比较。",  # no 市甲局 "newly last"
                "- **诉求类型**：城市管理类 &#43;100 件（3000 → 3100）。",
            ],
        ),
        (
            "2030-03",
            [
                '!!! abstract "与上月（2030年2月）相比"',
                "- **市直和驻平单位**：名次上升最多的是市乙局（第 2 → 1 名）；下降最多的是市甲局（第 1 → 2 名）；本月新列末位：市甲局。",
                "- **县（市）**：本月通报未公布此组排名（上月通报公布了）。",
                "- **诉求类型件数**：本月通报未公布（上月通报公布了）。",
            ],
        ),
        ("2030-04", ['!!! abstract "与上月（2030年3月）相比"', "- **排名**：本月通报未公布（上月通报公布了）。"]),
        ("2030-05", None),  # neither month publishes rankings or categories: no "与上月相同"
        ("2031-03", None),  # no 2031-02
    ],
)
def test_the_comparison_with_the_previous_month_compares_only_what_both_publish(
    site: Site, period: str, expected: list[str] | None
) -> None:
    assert change_box(site, period) == expected


def _printed(direction: Direction, *, percent: str | None = None, count: int | None = None) -> IntakeChange:
    return IntakeChange(
        basis=ChangeBasis.month_on_month,
        direction=direction,
        percent=Decimal(percent) if percent is not None else None,
        count=count,
    )


@pytest.mark.parametrize(
    ("printed", "previous", "current", "expected"),
    [
        (_printed(Direction.up, percent="1.2"), 800, 810, True),  # exactly +1.25%: rounded half to even
        (_printed(Direction.up, percent="1.3"), 800, 810, True),  # or half up
        (_printed(Direction.up, percent="1.4"), 800, 810, False),
        (_printed(Direction.down, percent="1.2"), 800, 810, False),  # the right size, the wrong way
        (_printed(Direction.up, percent="1"), 800, 810, True),  # printed to whole percent
        (_printed(Direction.up, percent="1.25"), 800, 810, True),
        (_printed(Direction.up, percent="1.24"), 800, 810, False),
        (_printed(Direction.down, count=10), 810, 800, True),
        (_printed(Direction.down, count=11), 810, 800, False),
        (_printed(Direction.up, percent="5.0", count=10), 800, 810, False),  # the count fits, the percentage not
        (_printed(Direction.up, percent="50"), 0, 10, True),  # a percentage of nothing cannot be checked
    ],
)
def test_a_printed_change_agrees_with_the_computed_one_to_the_places_printed(
    printed: IntakeChange, previous: int, current: int, expected: bool
) -> None:
    computed = Change("2030-01", Decimal(previous), Decimal(current), is_rate=False)
    assert agrees(printed, computed) is expected
