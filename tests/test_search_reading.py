"""What the search index takes from a page besides its text, and the command-line query tool.

A page's other names (a unit's aliases and former names, marked ``data-search-name``) find it as
its title does; an element marked ``data-search-exclude`` (a feed link, a citation, a chart, a
table that holds no name) is not text for search, but for the captions of its tables. Pages here
are made up, but for the built site of the project's data.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from generator import Site
from generator.search import Page, Section, _without_excluded, read_page
from tests.conftest import REPO
from tests.search.build_vectors import write_site

QUERY = REPO / "tests/search/query.mjs"
UNIT = (
    "<article><h1>市住房公积金管理中心</h1>"
    '<p class="notice-meta">考核分组：市直单位 · 通报中也写作：<span data-search-name>市公积金管理中心</span>、'
    "<span data-search-name>市公积金&amp;中心</span></p>"
    '<p class="feed-link" data-search-exclude><a href="/units-x.atom">订阅市住房公积金管理中心的新排名（Atom）</a></p>'
    "<p>共参加 3 期排名。</p></article>"
)


def urls(site: Path, query: str) -> list[str]:
    out = subprocess.run(["node", str(QUERY), str(site), query], capture_output=True, text=True, check=True, timeout=120)
    return [json.loads(line)["url"] for line in out.stdout.splitlines()]


def test_a_page_is_read_with_its_other_names_and_without_its_feed_link() -> None:
    page = read_page("units/市住房公积金管理中心/", UNIT)
    assert page.names == ("市公积金管理中心", "市公积金&中心")
    assert [s.text for s in page.sections] == [
        "考核分组：市直单位 · 通报中也写作：市公积金管理中心、市公积金&中心 共参加 3 期排名。"
    ]


MONTHS = (
    "<article><h1>市交警支队</h1><p>共参加 1 期排名。</p>\n"
    '<div class="table-scroll" tabindex="0" role="region" aria-label="市交警支队每月得分与排名" data-search-exclude>\n'
    '<table class="data-table">\n<caption>市交警支队每月得分与排名</caption>\n'
    '<thead><tr><th scope="col">月份</th><th scope="col" class="num">得分</th><th scope="col">备注</th></tr></thead>\n'
    '<tbody>\n<tr><th scope="row"><a href="/notices/2023/08/">2023年8月</a></th><td class="num">93.50</td>'
    "<td>本组末位</td></tr>\n</tbody>\n</table>\n</div>\n"
    '<h2 id="group">同组单位</h2>\n<div class="table-scroll" tabindex="0" role="region" aria-label="同组单位">\n'
    '<table class="data-table">\n<caption>同组单位</caption>\n<tbody>\n<tr><th scope="row">市燃气公司</th>'
    '<td class="num">91.20</td></tr>\n</tbody>\n</table>\n</div>\n</article>'
)


def test_a_table_marked_as_holding_no_name_is_read_for_its_caption_alone() -> None:
    page = read_page("units/市交警支队/", MONTHS)
    assert [(s.anchor, s.text) for s in page.sections] == [
        ("", "共参加 1 期排名。 市交警支队每月得分与排名"),
        ("group", "同组单位 市燃气公司"),
    ]


@pytest.mark.parametrize(
    ("html", "left"),
    [
        # The element ends at its own end tag, whatever elements of its name it holds.
        ("<div data-search-exclude><div>甲</div><div>乙</div></div><p>丙</p>", " <p>丙</p>"),
        ('<p class="x" data-search-exclude\n>甲<pre>乙</pre></p><p>丙</p>', " <p>丙</p>"),
        ("<figure data-search-exclude><svg><title>图</title></svg></figure>丙", " 丙"),
        # A marked element without content, or without its end tag, leaves only its start tag out.
        ("<br data-search-exclude>甲<img data-search-exclude/>乙", " 甲 乙"),
        ("<div data-search-exclude>甲<p>乙</p>", " 甲<p>乙</p>"),
        # Only an attribute is a mark: not the words in a text or in an attribute's value.
        ("<p>写 data-search-exclude 的段落</p>", "<p>写 data-search-exclude 的段落</p>"),
        ('<p title="a data-search-exclude">甲</p>', '<p title="a data-search-exclude">甲</p>'),
        ('<p data-search-excluded="1">甲</p>', '<p data-search-excluded="1">甲</p>'),
        # Every caption of the tables inside stays, and nothing else of them.
        (
            "<div data-search-exclude><table><caption>表<em>一</em></caption><tr><td>甲</td></tr></table>"
            "<table><caption>表二</caption></table></div>乙",
            " <caption>表<em>一</em></caption> <caption>表二</caption> 乙",
        ),
    ],
)
def test_a_marked_element_is_cut_out_whole(html: str, left: str) -> None:
    assert _without_excluded(html) == left


def _nameless(path: str, caption: str) -> bool:
    """Whether the generator's table of that caption on that page holds no name: a unit's months
    and years (on its page and its years pages), the home page's months, a category's years."""
    if path.startswith("units/") and path != "units/index.md":
        return True
    if path == "index.md":
        return caption == "每月受理量与满意率"
    return path.startswith("categories/") and caption.endswith("历年列出期数")


def test_the_generator_marks_exactly_the_tables_that_hold_no_name(long_site: Site) -> None:
    tables = [
        (page.path, caption, bool(mark))
        for page in long_site.pages
        for caption, mark in re.findall(
            r'<div class="table-scroll"[^>]*aria-label="([^"]*)"( data-search-exclude)?>', page.markdown
        )
    ]
    assert [table for table in tables if table[2] != _nameless(*table[:2])] == []
    marked = {path.split("/")[0] for path, _, mark in tables if mark}
    assert marked == {"units", "index.md", "categories"}
    assert {path.split("/")[0] for path, _, mark in tables if not mark} >= {"notices", "units", "categories", "data.md"}


def test_the_built_site_finds_a_month_in_its_notice_not_in_the_unit_tables_that_list_it(built_site: Path) -> None:
    unit = (built_site / "units/市交警支队/index.html").read_text(encoding="utf-8")
    assert 'aria-label="市交警支队每月得分与排名" data-search-exclude>' in unit
    notice = (built_site / "notices/2023/08/index.html").read_text(encoding="utf-8")
    # The notice's tables name units, hotlines and categories: none of them is marked.
    assert notice.count('<div class="table-scroll"') > 3
    assert set(re.findall(r"<(\w+)\b[^>]*\bdata-search-exclude\b", notice)) == {"p", "figure"}
    found = urls(built_site, "2023年8月")
    assert found[0] == "notices/2023/08/"
    # The list of units, which names them, still shows each one's latest month.
    assert [url for url in found if url.startswith("units/")] == ["units/#county"]
    assert "units/市交警支队/" in urls(built_site, "市交警支队每月得分与排名")
    # A unit named only in the notice's ranking tables is found there.
    assert "notices/2023/08/#attachment-1" in urls(built_site, "卫东区东安路街道办事处")


def test_an_exact_other_name_lists_its_page_before_pages_that_mention_it(tmp_path: Path) -> None:
    unit = read_page("units/市住房公积金管理中心/", UNIT)
    notice = Page(
        url="notices/2024/01/",
        title="2024年1月通报",
        kind="notice",
        year=2024,
        sections=(Section("", "2024年1月通报", ["市公积金管理中心办理及时。"]),),
    )
    write_site(tmp_path, [notice, unit])
    assert urls(tmp_path, "市公积金管理中心") == ["units/市住房公积金管理中心/", "notices/2024/01/"]
    # A part of the other name is no whole-name hit: the notice comes first, as for any text.
    assert urls(tmp_path, "市公积金") == ["notices/2024/01/", "units/市住房公积金管理中心/"]
    assert urls(tmp_path, "atom") == []


def test_the_query_tool_stops_quietly_when_its_reader_does(tmp_path: Path) -> None:
    """``node tests/search/query.mjs SITE --each < queries | head -1``: no EPIPE trace, exit code 0."""
    notice = Page(url="notices/2024/01/", title="通报", kind="notice", year=2024, sections=(Section("", "通报", ["交警"]),))
    write_site(tmp_path, [notice])
    # Far more output than a pipe holds, so that the tool is still writing when the reader leaves.
    (tmp_path / "queries.txt").write_text("交警\n" * 20000, encoding="utf-8")
    with (tmp_path / "queries.txt").open("rb") as queries:
        tool = subprocess.Popen(
            ["node", str(QUERY), str(tmp_path), "--each"], stdin=queries, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert tool.stdout is not None and tool.stderr is not None
        assert json.loads(tool.stdout.readline())["urls"] == ["notices/2024/01/"]
        tool.stdout.close()
        error = tool.stderr.read().decode("utf-8")
        tool.stderr.close()
        assert tool.wait(timeout=120) == 0, error
    assert error == ""
