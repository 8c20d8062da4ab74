"""The importer keeps what the source printed, as printed (tests/import_fidelity: MADE-UP notices,
invented figures): rate names, tables with merged cells, four-column tables given one cell a
paragraph, Markdown's characters in kept text, and a portal's line of page details. Each is
checked in the draft, in the import report, on the built page and in the downloads."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup, Tag

from generator.draft import to_yaml
from generator.import_html import table_lines
from generator.import_text import html_text, normalise
from generator.importer import Draft, parse_notice, read_source
from tests.conftest import REPO, mkdocs_build

FIXTURES = REPO / "tests/import_fidelity"
MADE_UP = "【虚构样本】本文为导入测试编造\uff0c非真实通报\uff0c数字均为虚构"
PERIODS = {
    "rate-names.txt": "2022-08",
    "merged-cells.html": "2022-06",
    "four-columns.txt": "2021-06",
    "markdown-characters.txt": "2022-07",
    "page-details.txt": "2022-09",
    "case-paragraph.txt": "2021-05",
}


def imported(name: str) -> Draft:
    return parse_notice(read_source(FIXTURES / name))


def test_every_fixture_says_it_is_made_up() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.name != "README.md") == sorted(PERIODS)
    for name in PERIODS:
        assert MADE_UP in (FIXTURES / name).read_text(encoding="utf-8"), name
        draft = imported(name)
        assert draft.data["meta"]["period"] == PERIODS[name]
        assert draft.report.not_kept == []


# --- 1. rate names ---------------------------------------------------------------------------


def test_rate_names_are_kept_as_printed_and_only_exact_names_get_a_kind() -> None:
    draft = imported("rate-names.txt")
    assert draft.data["rates"] == [
        {"name": "部门满意率", "rate": Decimal("90.0")},
        {"name": "群众满意率", "rate": Decimal("95.0")},
        {"name": "一次性接通率", "rate": Decimal("88.0")},
        {"name": "诉求办结率", "kind": "completion", "rate": Decimal("98.5")},
        {"name": "满意率", "kind": "satisfaction", "rate": Decimal("96.0")},
    ]
    # A second 满意率 would be a second row of one name: it stays in the text, as printed.
    assert draft.data["extra_sections"][-1] == {
        "after": "intake",
        "heading": "二、回访情况",
        "plain": "回访 3,000 件\uff0c满意率 97.0%。",
    }
    assert draft.report.mapped == ["受理总量：6000 件", "第 5 行的各项比率：3 项", "第 6 行的各项比率：2 项"]


# --- 2. merged cells of a saved page ---------------------------------------------------------


def test_merged_cells_are_expanded_under_their_own_columns() -> None:
    lines = html_text((FIXTURES / "merged-cells.html").read_text(encoding="utf-8")).split("\n")
    start = lines.index("各县区办理情况表")
    assert lines[start : start + 9] == [
        "各县区办理情况表",
        "县区 | 办理情况\u00b7件数 | 办理情况\u00b7办结率 | 满意率 |",
        "甲县 | 3,000 | 99.5% | 97.1% |",
        "乙区 | 4,654 | 98.2% | 96.0% |",
        "合计 | 7,654 | / |  |",
        "三、分片区情况",
        "片区 | 县区 | 件数 |",
        "东片 | 甲县 | 3,000 |",
        "东片 | 乙区 | 4,654 |",
    ]
    tables = [extra["table"] for extra in imported("merged-cells.html").data["extra_sections"] if "table" in extra]
    assert tables[0] == {
        "columns": ["县区", "办理情况\u00b7件数", "办理情况\u00b7办结率", "满意率"],
        "rows": [["甲县", "3,000", "99.5%", "97.1%"], ["乙区", "4,654", "98.2%", "96.0%"], ["合计", "7,654", "/", "—"]],
    }


def test_merged_cells_of_a_word_table_are_expanded_as_a_saved_page_s(tmp_path: Path) -> None:
    """The same made-up table as merged-cells.html, merged in Word (gridSpan and vMerge)."""
    document = docx.Document()
    document.add_paragraph(MADE_UP)
    values = [
        ["各县区办理情况表", "", "", ""],
        ["县区", "办理情况", "", "满意率"],
        ["", "件数", "办结率", ""],
        ["甲县", "3,000", "99.5%", "97.1%"],
        ["乙区", "4,654", "98.2%", "96.0%"],
        ["合计", "7,654", "/", ""],
    ]
    table = document.add_table(rows=len(values), cols=4)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    for (top, left), (bottom, right) in [
        ((0, 0), (0, 3)),
        ((1, 0), (2, 0)),
        ((1, 1), (1, 2)),
        ((1, 3), (2, 3)),
        ((5, 2), (5, 3)),
    ]:
        table.cell(top, left).merge(table.cell(bottom, right))
    document.save(str(tmp_path / "merged.docx"))
    from_word = read_source(tmp_path / "merged.docx").split("\n")
    from_page = html_text((FIXTURES / "merged-cells.html").read_text(encoding="utf-8")).split("\n")
    start = from_page.index("各县区办理情况表")
    assert from_word == [MADE_UP, *from_page[start : start + 5]]


def test_a_hostile_span_is_bounded() -> None:
    text = '<table><tr><td colspan="99999">甲</td><td rowspan="-3">乙</td><td rowspan="²">丙</td></tr><tr><td>1</td></tr></table>'
    lines = html_text(text).split("\n")
    assert len(lines) == 2 and lines[0].count("|") == 52  # at most MAX_SPAN columns, then one cell each
    assert table_lines([]) == []
    # Spans that would make a grid of more than MAX_GRID cells are not expanded: each cell once.
    wide = "<table><tr>" + '<td colspan="50" rowspan="50">甲</td>' * 2_001 + "</tr><tr><td>乙</td></tr></table>"
    assert html_text(wide).split("\n") == [" | ".join(["甲"] * 2_001) + " |", "乙 |"]


# --- 3. a four-column table given one cell a paragraph ---------------------------------------


def test_a_four_column_table_of_paragraphs_keeps_its_four_columns() -> None:
    extras = imported("four-columns.txt").data["extra_sections"]
    assert extras[-1] == {
        "after": "intake",
        "heading": "二、诉求来源",
        "table": {
            "columns": ["来源", "件数", "占比", "环比"],
            "rows": [
                ["电话", "1,500", "68.2%", "+3.1%"],
                ["微信", "400", "18.2%", "/"],
                ["网站", "300", "13.6%", "-2.0%"],
                ["合计", "2,200", "100%", "+1.5%"],
            ],
        },
    }


# --- 4. Markdown's characters in kept text ---------------------------------------------------

LITERAL = [
    "满意率<90%的单位\uff1a甲县\uff0888.5%\uff09。办结率 > 99% 的单位有 3 个。",
    "*重点*单位\uff1a乙区_丙区 [见附件] #1",
    "- 不是列表 & 不是 <b>标签</b> `不是代码`",
]


def test_kept_text_is_the_literal_text() -> None:
    extra = imported("markdown-characters.txt").data["extra_sections"][-1]
    assert extra == {"after": "intake", "heading": "二、需要关注的单位", "plain": "\n".join(LITERAL)}


# --- 6. page details -------------------------------------------------------------------------


def test_the_line_of_page_details_gives_the_publication_date_and_is_quoted_as_written() -> None:
    draft = imported("page-details.txt")
    assert draft.data["meta"]["published"] == "2022-10-08"
    assert draft.report.dropped == [
        "第 1 行：首页 > 政务公开 > 通知公告",
        "第 2 行：【字体：大 中 小】 【打印本页】 【关闭窗口】",
        "第 5 行：发布时间：2022-10-08 来源：市政务服务中心 浏览次数：321（发布日期，已填入 meta.published）",
        "第 8 行：扫一扫在手机打开当前页",
    ]
    portal = imported("merged-cells.html")
    assert portal.data["meta"]["published"] == "2022-07-05"


def test_a_paragraph_inside_a_case_stays_in_that_case() -> None:
    draft = imported("case-paragraph.txt")
    assert [(case["topic"], case.get("intro")) for case in draft.data["cases"]] == [
        ("供暖问题", "本月供暖类诉求 320 件\uff0c环比上升 12%。"),
        ("物业问题", None),
    ]
    assert [extra["heading"] for extra in draft.data["extra_sections"]] == ["其他内容"]  # only the made-up mark


# --- the built site --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture imported into one copy of the project, which is then built strictly."""
    root = tmp_path_factory.mktemp("fidelity-project")
    shutil.copytree(REPO / "data", root / "data")
    for folder in ("content", "site_overrides", "generator"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name, period in PERIODS.items():
        data = imported(name).data
        data["meta"]["source"] = "https://example.org/made-up"
        (root / f"data/notices/{period}.yaml").write_text(to_yaml(data, comment=f"虚构样本 {name}"), encoding="utf-8")
    out = tmp_path_factory.mktemp("fidelity-site")
    result = mkdocs_build(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def article(site: Path, period: str) -> Tag:
    html = (site / f"notices/{period[:4]}/{period[5:]}/index.html").read_text(encoding="utf-8")
    found = BeautifulSoup(html, "html.parser").find("article")
    assert isinstance(found, Tag)
    return found


def _numbers(text: str) -> set[Decimal]:
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return {Decimal(n) for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", text)}


@pytest.mark.parametrize("name", sorted(PERIODS))
def test_the_built_page_shows_every_figure_of_the_source(site: Path, name: str) -> None:
    draft = imported(name)
    dropped = {int(re.findall(r"\d+", line)[0]) for line in draft.report.dropped}
    lines = normalise(read_source(FIXTURES / name)).split("\n")
    source = _numbers("\n".join(line for number, line in enumerate(lines, 1) if number not in dropped))
    page = article(site, PERIODS[name])
    assert len(source) >= 3
    assert sorted(source - _numbers(page.get_text(" "))) == []
    assert "虚构" in page.get_text()


def _rows(table: Tag) -> list[list[str]]:
    return [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]


def test_the_page_shows_each_rate_under_its_own_name(site: Path) -> None:
    page = article(site, "2022-08")
    table = next(t for t in page.find_all("table") if t.caption and t.caption.get_text() == "各项比率（照原通报）")
    assert [row[:2] for row in _rows(table)] == [
        ["比率", "数值"],
        ["部门满意率", "90.0%"],
        ["群众满意率", "95.0%"],
        ["一次性接通率", "88.0%"],
        ["诉求办结率", "98.5%"],
        ["满意率", "96.0%"],
    ]
    figures = page.select_one("dl.key-figures")
    assert figures is not None
    shown = {}
    for term in figures.find_all("dt"):
        value = term.find_next_sibling("dd")
        assert isinstance(value, Tag)
        shown[term.get_text()] = value.get_text()
    assert shown["满意率"] == "96.0%"  # the notice's own 满意率, not the departments' 90.0%


def test_the_page_shows_merged_cells_under_their_columns_and_each_heading_once(site: Path) -> None:
    page = article(site, "2022-06")
    table = next(t for t in page.find_all("table") if t.caption and t.caption.get_text() == "二、各县区办理情况")
    assert _rows(table) == [
        ["县区", "办理情况\u00b7件数", "办理情况\u00b7办结率", "满意率"],
        ["甲县", "3,000", "99.5%", "97.1%"],
        ["乙区", "4,654", "98.2%", "96.0%"],
        ["合计", "7,654", "/", "—"],
    ]
    # The caption names the table for screen readers; it is not printed under the same heading again.
    assert table.caption is not None and table.caption.get("class") == ["visually-hidden"]
    headings = [h.get_text().rstrip("\u00b6") for h in page.find_all("h3")]
    assert headings.count("二、各县区办理情况") == 1
    css = (site / "assets/site.css").read_text(encoding="utf-8")
    assert re.search(r"\.data-table caption\.visually-hidden \{[^}]*position: absolute;[^}]*clip-path: inset\(50%\)", css)


def test_the_page_shows_markdown_characters_as_printed(site: Path) -> None:
    page = article(site, "2022-07")
    paragraphs = [p.get_text() for p in page.find_all("p")]
    for line in LITERAL:
        assert line in paragraphs
    assert "\\" not in page.get_text()
    assert page.find("b") is None and page.find("em") is None and page.find("code") is None
    data = json.loads((site / "downloads/notices/2022-07.json").read_text(encoding="utf-8"))
    assert data["extra_sections"][-1]["plain"] == "\n".join(LITERAL)


def test_the_page_shows_a_case_paragraph_in_its_place(site: Path) -> None:
    page = article(site, "2021-05")
    topic = next(h for h in page.find_all("h4") if "供暖问题" in h.get_text())
    following = [p.get_text() for p in topic.find_all_next("p", limit=3)]
    assert following == [
        "本月供暖类诉求 320 件\uff0c环比上升 12%。",
        "典型案例\uff1a某小区居民反映室温仅 14 度。",
        "处办情况\uff1a供热公司派员检修\uff0c室温恢复至 20 度。",
    ]
    rows = list(csv.reader(io.StringIO((site / "downloads/notices/2021-05/cases.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][3:5] == ["问题", "问题说明"]
    assert [row[3:5] for row in rows[1:]] == [["供暖问题", "本月供暖类诉求 320 件\uff0c环比上升 12%。"], ["物业问题", ""]]


# --- 5. kept tables in the downloads ---------------------------------------------------------


def test_kept_tables_are_in_the_csv_the_database_and_the_data_package(site: Path) -> None:
    path = "downloads/notices/2022-06/extra_tables.csv"
    rows = list(csv.reader(io.StringIO((site / path).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["月份", "表格序号", "所在部分", "表格标题", "行号", "列序号", "列名", "值"]
    assert rows[1:5] == [
        ["2022-06", "1", "二、各县区办理情况", "", "1", "1", "县区", "甲县"],
        ["2022-06", "1", "二、各县区办理情况", "", "1", "2", "办理情况\u00b7件数", "3,000"],
        ["2022-06", "1", "二、各县区办理情况", "", "1", "3", "办理情况\u00b7办结率", "99.5%"],
        ["2022-06", "1", "二、各县区办理情况", "", "1", "4", "满意率", "97.1%"],
    ]
    assert rows[-1] == ["2022-06", "2", "三、分片区情况", "", "2", "3", "件数", "4,654"]
    assert len(rows) == 1 + 3 * 4 + 2 * 3
    with sqlite3.connect(site / "downloads/notices.sqlite") as connection:
        cells = connection.execute(
            'SELECT period, table_position, "row", "column", value FROM extra_tables WHERE "column" = ? ORDER BY period, "row"',
            ("环比",),
        ).fetchall()
    assert cells == [
        ("2021-06", 1, 1, "环比", "+3.1%"),
        ("2021-06", 1, 2, "环比", "/"),
        ("2021-06", 1, 3, "环比", "-2.0%"),
        ("2021-06", 1, 4, "环比", "+1.5%"),
    ]
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == path)
    assert resource["type"] == "table" and resource["schema"] == "downloads/schemas/extra_tables.json"
    schema = json.loads((site / "downloads/schemas/extra_tables.json").read_text(encoding="utf-8"))
    assert [field["name"] for field in schema["fields"]] == rows[0]
    page = article(site, "2022-06")
    assert any(a.get_text() == "CSV：补充部分的表格" for a in page.find_all("a"))
