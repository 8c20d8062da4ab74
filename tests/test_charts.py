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
