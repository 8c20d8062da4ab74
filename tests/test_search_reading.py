"""What the search index takes from a page besides its text, and the command-line query tool.

A page's other names (a unit's aliases and former names, marked ``data-search-name``) find it as
its title does; a paragraph marked ``data-search-exclude`` (a feed link, a citation) is not text
for search. Pages here are made up.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from generator.search import Page, Section, read_page
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
