"""Channels and sources as lists (issue 10): in a line with a name as the office prints it
（电话渠道 8000 件）, and one a line under a heading （受理渠道 / 电话 8,000 件 / 电话：8000件（占66.7%））.
The notices here are 虚构 (made up for the tests, figures invented)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.cli import main
from generator.importer import parse_notice

# 虚构：一份编造的通报，数字均为虚构。
IN_A_LINE = """2023年9月12345热线工作情况通报
【虚构样本】本文为导入测试编造，非真实通报，数字均为虚构
一、受理情况
9月份，市12345热线共受理群众各类诉求 12,000 件。
受理渠道：电话渠道 8000 件、微信 1,200 件、网站平台 800 件。
"""

# 虚构：渠道一行一项，有的带占比，下面跟着一行合计（不是渠道，照原文保留）。
ONE_A_LINE = """2023年9月12345热线工作情况通报
【虚构样本】本文为导入测试编造，非真实通报，数字均为虚构
一、受理情况
9月份，市12345热线共受理群众各类诉求 12,000 件。
受理渠道：
电话 8,000 件
微信：1,200件（占10.0%）
上级派发 800 件；
合计 10,000 件
"""

# 虚构：渠道一行一项，各带占比，列在自己的标题下。
WITH_SHARES = """2023年9月12345热线工作情况通报
【虚构样本】本文为导入测试编造，非真实通报，数字均为虚构
一、受理情况
9月份，市12345热线共受理群众各类诉求 12,000 件。
二、诉求来源
电话：8000件（占66.7%）
App：4000件（占33.3%）
"""


def test_a_channel_written_with_its_suffix_is_mapped_with_the_others() -> None:
    draft = parse_notice(IN_A_LINE)
    assert draft.data["channels"] == [
        {"name": "电话渠道", "count": 8000, "unit": "件"},
        {"name": "微信", "count": 1200, "unit": "件"},
        {"name": "网站平台", "count": 800, "unit": "件"},
    ]
    assert draft.report.mapped == ["受理总量：12000 件", "第 5 行的受理渠道：3 项"]
    # The line held nothing but the list: it is not kept a second time as text.
    assert draft.report.kept == ["第 2 行：“其他内容”下的文字"]
    assert draft.report.not_kept == []
    assert "extra_sections" not in draft.data or all("受理渠道" not in str(part) for part in draft.data["extra_sections"])


def test_channels_one_a_line_are_mapped_with_their_shares() -> None:
    draft = parse_notice(ONE_A_LINE)
    assert draft.data["channels"] == [
        {"name": "电话", "count": 8000, "unit": "件"},
        {"name": "微信", "count": 1200, "unit": "件", "share": Decimal("10.0")},
        {"name": "上级派发", "count": 800, "unit": "件"},
    ]
    # The lead line （受理渠道：） has no figure: the total's recogniser placed it with its section.
    assert draft.report.mapped == ["受理总量：12000 件", "第 6\u20138 行的受理渠道（每行一项）：3 项"]
    # The total row is no channel: kept as text, as any line not mapped.
    assert draft.report.kept == ["第 2 行：“其他内容”下的文字", "第 9 行：“一、受理情况”下的文字"]
    assert [part.get("plain") for part in draft.data["extra_sections"]] == [
        "【虚构样本】本文为导入测试编造，非真实通报，数字均为虚构",
        "合计 10,000 件",
    ]
    assert draft.report.not_kept == []
    assert dict(draft.report.figures) == {"mapped": 5, "text": 1}


def test_channels_one_a_line_under_their_own_heading() -> None:
    draft = parse_notice(WITH_SHARES)
    assert draft.data["channels"] == [
        {"name": "电话", "count": 8000, "unit": "件", "share": Decimal("66.7")},
        {"name": "App", "count": 4000, "unit": "件", "share": Decimal("33.3")},
    ]
    assert draft.report.mapped == ["受理总量：12000 件", "第 6\u20137 行的受理渠道（每行一项）：2 项"]
    assert draft.report.kept == ["第 2 行：“其他内容”下的文字"]
    assert draft.report.not_kept == []


def test_the_lead_line_above_channels_in_a_part_nothing_else_takes_goes_with_them() -> None:
    # 虚构
    text = "2023年9月12345热线工作情况通报\n一、受理情况\n共受理群众各类诉求 12,000 件。\n三、其他\n受理渠道\n电话 8,000 件\n微信 1,200 件\n"
    draft = parse_notice(text)
    assert draft.report.mapped == ["受理总量：12000 件", "第 5\u20137 行的受理渠道（每行一项）：2 项"]
    assert [(c["name"], c["count"]) for c in draft.data["channels"]] == [("电话", 8000), ("微信", 1200)]
    assert draft.report.kept == [] and "extra_sections" not in draft.data
    assert draft.report.not_kept == []


@pytest.mark.parametrize(
    "lines",
    [
        ["电话 8,000 件"],  # one channel alone is no list
        ["电话 8,000 件，其中夜间 300 件", "微信 1,200 件"],  # a line with more than its channel
    ],
)
def test_lines_that_are_not_a_list_of_channels_stay_text(lines: list[str]) -> None:
    text = "\n".join(["2023年9月12345热线工作情况通报", "一、受理情况", "共受理群众各类诉求 12,000 件。", *lines])
    draft = parse_notice(text)
    assert "channels" not in draft.data
    assert draft.report.not_kept == []
    assert [part["plain"] for part in draft.data["extra_sections"]] == ["\n".join(lines)]


def test_the_import_report_says_the_channels_were_mapped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "虚构通报.txt"
    source.write_text(ONE_A_LINE, encoding="utf-8")
    code = main(["--root", str(tmp_path), "import", str(source), "--out", str(tmp_path / "d.yaml")])
    out = capsys.readouterr().out
    assert code == 0
    assert "  已识别：受理总量：12000 件\n  已识别：第 6\u20138 行的受理渠道（每行一项）：3 项\n" in out
    assert "  原文共 6 个数字：5 个填入字段，1 个照原文保留为文字，0 个保留在表格中，0 个没有保留。\n" in out
    assert "数字对不上" not in out
