"""The fields for what other offices publish (intake changes, 有效/无效, natures, rates, channels,
top-N lists): their consistency checks, with exact messages, and how the notice page shows them.
The figures added to the real notice here are MADE UP for the tests."""

from __future__ import annotations

import json

import pytest

from generator import read_archive
from generator.export import downloads, notice_downloads
from generator.model import Notice
from generator.pages import render_site
from tests.conftest import NOTICE, Project

CATEGORIES = "categories:\n"
NATURES = """natures:
- {name: 咨询类, count: 30000, share: 53.0}
- {name: 投诉类, count: 20000, share: 35.3}
- {name: 其他, count: 6644, share: 11.7}
"""
MEASURES = """rates:
- {name: 按时办结率, kind: on_time_completion, rate: 99.3, count_label: 按时办结, count: 14600}
- {name: 满意率, kind: satisfaction, rate: 97.5, count_label: 回访, count: 6000}
- {name: 不满意率, kind: dissatisfaction, rate: 2.5}
channels:
- {name: 电话, count: 50000}
- {name: 微信, count: 6644}
top_lists:
- caption: 办件量位于前三的单位
  items:
  - {name: 市住建局, count: 99}
  - {name: 市城管局, count: 88}
"""


def _add(project: Project, block: str) -> int:
    """Insert top-level fields just before ``cases:``; the line of the block's first line."""
    return project.edit("cases:\n", block + "cases:\n")


def test_made_up_measures_on_the_real_notice_are_valid(project: Project) -> None:
    project.edit("  total: 56644\n", "  total: 56644\n  changes:\n  - {basis: year_on_year, direction: up, percent: 5.2}\n")
    _add(project, NATURES + MEASURES)
    assert project.problems() == []


def test_a_valid_and_invalid_split_that_does_not_add_up(project: Project) -> None:
    line = project.edit("  total: 56644\n", "  total: 56644\n  valid: 50000\n  invalid: 1000\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:10 intake.total: 与各项之和不符\uff1a有效诉求 50000 + 无效诉求 1000 = 51000\uff0c此处为 56644"
    ]


def test_a_valid_count_above_the_total(project: Project) -> None:
    line = project.edit("  total: 56644\n", "  total: 56644\n  valid: 60000\n") + 1
    assert project.problems() == [f"{NOTICE}:{line}:10 intake.valid: 有效诉求 60000 件多于受理总数 56644（intake.total）"]


def test_natures_whose_shares_add_up_to_more_than_100(project: Project) -> None:
    line = _add(project, NATURES.replace("share: 11.7", "share: 21.7"))
    assert project.problems() == [
        f"{NOTICE}:{line + 1}:1 natures: 各类性质的占比之和超过 100%\uff1a53.0% + 35.3% + 21.7% = 110.0%"
    ]


def test_natures_that_count_more_than_the_total(project: Project) -> None:
    line = _add(project, NATURES.replace("count: 6644", "count: 7644"))
    assert project.problems() == [
        f"{NOTICE}:{line + 1}:1 natures: 各类性质的件数之和 57644 多于当月受理总数 56644（intake.total）"
    ]
    other = _add_fresh(project, NATURES.replace("count: 30000", "count: 60000"))
    assert other == [
        f"{NOTICE}:{_line_of(project, 'count: 60000')}:22 natures[0].count: 件数 60000 多于当月受理总数 56644（intake.total）"
    ]


def _add_fresh(project: Project, block: str) -> list[str]:
    text = project.text()
    start = text.index("natures:\n")
    end = text.index("cases:\n")
    project.notice.write_text(text[:start] + block + text[end:], encoding="utf-8")
    return project.problems()


def _line_of(project: Project, fragment: str) -> int:
    text = project.text()
    return text[: text.index(fragment)].count("\n") + 1


def test_a_completion_count_above_the_total_and_rates_above_100(project: Project) -> None:
    block = MEASURES.replace("count: 14600}", "count: 60000}").replace("rate: 2.5}", "rate: 3.5}")
    _add(project, block)
    assert project.problems() == [
        f"{NOTICE}:{_line_of(project, '按时办结率')}:81 rates[0].count: 按时办结 60000 件多于当月受理总数 56644（intake.total）",
        f"{NOTICE}:{_line_of(project, '不满意率')}:45 rates[2].rate: 与满意率 97.5% 之和为 101.0%\uff0c超过 100%",
    ]


def test_channels_and_top_lists_above_the_total(project: Project) -> None:
    _add(project, MEASURES.replace("count: 6644}", "count: 9644}").replace("count: 99}", "count: 60000}"))
    channels = _line_of(project, "\nchannels:") + 2  # its first item
    assert project.problems() == [
        f"{NOTICE}:{channels}:1 channels: 各渠道件数之和 59644 多于当月受理总数 56644（intake.total）",
        f"{NOTICE}:{_line_of(project, '市住建局')}:25 top_lists[0].items[0].count: 件数 60000 多于当月受理总数 56644（intake.total）",
    ]


def test_a_rate_count_needs_its_label() -> None:
    with pytest.raises(ValueError, match="count\uff08件数\uff09与 count_label\uff08件数名称\uff09应同时填写或同时不填"):
        Notice.model_validate(
            {
                "meta": {"title": "x", "period": "2021-01", "source": "https://example.org/"},
                "intake": {"total": 1},
                "rates": [{"name": "满意率", "kind": "satisfaction", "rate": 90, "count": 1}],
            }
        )


def test_the_notice_page_shows_the_measures(project: Project) -> None:
    project.edit("  total: 56644\n", "  total: 56644\n  changes:\n  - {basis: year_on_year, direction: down, percent: 5.2}\n")
    _add(project, NATURES + MEASURES)
    pages = {page.path: page.markdown for page in render_site(read_archive(project.root)).pages}
    page = pages["notices/2023/08.md"]
    assert "<caption>按性质分的诉求</caption>" in page
    assert '<tr><th scope="row">咨询类</th><td class="num">30000</td><td class="num">53.0%</td></tr>' in page
    assert "<caption>各项比率（照原通报）</caption>" in page
    assert '<tr><th scope="row">按时办结率</th><td class="num">99.3%</td><td>按时办结 14600 件</td></tr>' in page
    assert '<tr><th scope="row">不满意率</th><td class="num">2.5%</td><td>—</td></tr>' in page
    assert '<tr><th scope="row">微信</th><td class="num">6644 件</td><td class="num">—</td></tr>' in page
    assert "<caption>办件量位于前三的单位</caption>" in page
    assert '<p class="intake-details">受理量同比下降 5.2%。</p>' in page
    # The natures follow the categories table, the intake details the intake part.
    assert page.index("诉求类型分布（原通报列出的类别）") < page.index("按性质分的诉求") < page.index("## 二、案例摘登")
    assert page.index("intake-details") < page.index("### （二）诉求类型分布情况")


def test_a_printed_change_with_both_a_count_and_a_percentage_shows_both(project: Project) -> None:
    changes = "  changes:\n  - {basis: previous_month, direction: up, count: 432, percent: 0.8}\n  - {basis: year_on_year, direction: down, count: 120}\n"
    project.edit("  total: 56644\n", "  total: 56644\n" + changes)
    page = {page.path: page.markdown for page in render_site(read_archive(project.root)).pages}["notices/2023/08.md"]
    assert '<p class="intake-details">受理量较上月增加 432 件、增长 0.8%，同比减少 120 件。</p>' in page


def test_the_downloads_include_the_measures(project: Project) -> None:
    project.edit("  total: 56644\n", "  total: 56644\n  changes:\n  - {basis: previous_month, direction: up, count: 432}\n")
    _add(project, NATURES + MEASURES)
    archive = read_archive(project.root)
    files = dict(downloads(archive, site_url=None))
    base = "downloads/notices/2023-08"
    assert files[f"{base}/natures.csv"].decode("utf-8-sig").split("\r\n") == [
        "月份,序号,性质,件数,占比（%）",
        "2023-08,1,咨询类,30000,53.0",
        "2023-08,2,投诉类,20000,35.3",
        "2023-08,3,其他,6644,11.7",
        "",
    ]
    assert (
        files[f"{base}/rates.csv"].decode("utf-8-sig").split("\r\n")[1]
        == "2023-08,1,按时办结率,按期（按时）办结率,99.3,按时办结,14600"
    )
    assert files[f"{base}/intake_changes.csv"].decode("utf-8-sig").split("\r\n")[1] == "2023-08,1,较上月,增长,,432"
    assert files[f"{base}/top_lists.csv"].decode("utf-8-sig").split("\r\n")[1] == "2023-08,1,办件量位于前三的单位,1,市住建局,99"
    assert json.loads(files[f"{base}.json"])["channels"] == [
        {"name": "电话", "count": 50000, "unit": "件"},
        {"name": "微信", "count": 6644, "unit": "件"},
    ]
    # The page links the CSV of a measure the notice has, and not that of one it lacks.
    links = [path for path, _ in notice_downloads(archive.notices[0], archive.units)]
    assert f"{base}/natures.csv" in links and f"{base}/intake_validity.csv" not in links


def test_channel_shares_that_add_up_to_more_than_100(project: Project) -> None:
    _add(project, "channels:\n- {name: 电话, count: 50000, share: 88.3}\n- {name: 微信, count: 6644, share: 21.7}\n")
    channels = _line_of(project, "\nchannels:") + 2
    assert project.problems() == [f"{NOTICE}:{channels}:1 channels: 各渠道的占比之和超过 100%\uff1a88.3% + 21.7% = 110.0%"]


def _notice(**fields: object) -> dict[str, object]:
    return {"meta": {"title": "x", "period": "2021-01", "source": "https://example.org/"}, "intake": {"total": 10}} | fields


def test_a_change_needs_a_figure_and_a_ranking_row_fits_its_columns(project: Project) -> None:
    line = project.edit("  total: 56644\n", "  total: 56644\n  changes:\n  - {basis: year_on_year, direction: up}\n") + 2
    assert project.problems() == [
        f"{NOTICE}:{line}:5 intake.changes[0]: 增减至少应填写 percent\uff08幅度\uff09或 count\uff08件数\uff09"
    ]
    with pytest.raises(ValueError, match="第 1 行的 values 有 1 格\uff0ccolumns 有 2 列"):
        group = {"title": "县区考核情况", "group": "county", "columns": ["件数", "满意率"]}
        row = {"unit": "甲县", "values": ["500"], "score": "95.5", "rank": 1}
        Notice.model_validate(_notice(rankings={"title": "考核排名", "groups": [group | {"rows": [row]}]}))
