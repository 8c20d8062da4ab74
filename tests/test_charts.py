from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from generator.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_accessible_scalable_text_svg() -> None:
    svg = bar_chart(["政务服务类", "城市管理类"], [5235, 4524], title="诉求<类型>", description="各类件数", unit="件")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title_id, desc_id = str(root.get("aria-labelledby")).split()
    assert root.find(f"{SVG}title").text == "诉求<类型>"  # type: ignore[union-attr]
    assert root.find(f"{SVG}title").get("id") == title_id  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").get("id") == desc_id  # type: ignore[union-attr]
    assert root.get("viewBox") and root.get("width") is None and root.get("height") is None
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"政务服务类", "城市管理类", "5235件", "4524件"} <= texts  # labels stay text, in the reader's fonts
    assert "<style" not in svg and "\n" not in svg


def test_every_id_is_prefixed_so_charts_can_share_a_page() -> None:
    first = line_chart(["2023-08", "2023-09"], [("件数", [1, 2])], title="甲", description="a")
    second = line_chart(["2023-08", "2023-09"], [("件数", [1, 2])], title="乙", description="b")

    def ids(svg: str) -> set[str]:
        return set(re.findall(r'\bid="([^"]+)"', svg))

    assert ids(first) and not ids(first) & ids(second)
    for svg in (first, second):
        assert set(re.findall(r"url\(#([^)]+)\)", svg)) <= ids(svg)


def _trend() -> str:
    return line_chart(
        ["2023-08", "2023-09", "2023-10"],
        [("件数", [3, 1, 2])],
        right=("满意率(%)", [Decimal(99), None, Decimal("98.5")]),
        title="t",
        description="d",
    )


def test_charts_are_byte_stable() -> None:
    assert _trend() == _trend()


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_dollar_signs_in_labels_are_drawn_as_written_never_as_math() -> None:
    labels = ["费用$5与$6", "$\\frac$", "$x^2$类"]
    svg = bar_chart(labels, [3, 2, 1], title="$\\frac$", description="$a$", unit="件")
    assert set(labels) <= set(_texts(svg))
    trend = line_chart(["2023-08", "2023-09"], [("$\\frac$", [1, 2])], right=("费用$5与$6", [1, 2]), title="t", description="d")
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
