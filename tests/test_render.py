from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from generator import read_archive, render_site
from generator.render import chinese_number, escape
from tests.conftest import REPO, Project

GOLDEN = Path(__file__).parent / "golden"


def test_pages_match_the_golden_files(request: pytest.FixtureRequest) -> None:
    """The rendered Markdown of the real data; refresh with `make golden` and review the diff."""
    pages = {page.path: page.markdown for page in render_site(read_archive(REPO))}
    if request.config.getoption("--update-golden"):
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert pages == expected


def test_rendering_is_deterministic() -> None:
    first = render_site(read_archive(REPO))
    second = render_site(read_archive(REPO))
    assert first == second


def test_each_page_knows_its_data_file() -> None:
    sources = {page.path: page.source for page in render_site(read_archive(REPO))}
    assert sources == {"index.md": None, "notices/index.md": None, "notices/2023/08.md": "data/notices/2023-08.yaml"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a|b", "a&#124;b"),
        ("**粗体** _斜体_ `代码`", "&#42;&#42;粗体&#42;&#42; &#95;斜体&#95; &#96;代码&#96;"),
        ("[链接](javascript:alert(1))", "&#91;链接&#93;(javascript:alert(1))"),
        ("# 标题", "&#35; 标题"),
        ("1. 列表", "1&#46; 列表"),
        ("- 列表", "&#45; 列表"),
        ("第一行\n第二行", "第一行 第二行"),
        ("{{ 模板 }} {% if %}", "&#123;&#123; 模板 &#125;&#125; &#123;% if %&#125;"),
        ("118.70", "118.70"),
        ("\u202e反向", "反向"),
    ],
)
def test_escape(value: str, expected: str) -> None:
    assert escape(value) == expected


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "**x** | [a](b)"])
def test_escaped_values_render_as_their_own_text(payload: str) -> None:
    html = markdown.markdown(f"前缀 {escape(payload)}", extensions=["tables", "attr_list"])
    assert "<script" not in html and "<img" not in html and "<strong>" not in html and "<a " not in html


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 4, 10, 11, 20, 35)] == ["一", "四", "十", "十一", "二十", "三十五"]


def test_injected_text_stays_text_in_markdown(project: Project) -> None:
    project.edit("  topic: 学区划片问题\n", "  topic: '<script>alert(\"x\")</script>|**粗**'\n")
    pages = {page.path: page.markdown for page in render_site(read_archive(project.root))}
    notice = pages["notices/2023/08.md"]
    assert "<script>" not in notice
    assert "#### 1. &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#124;&#42;&#42;粗&#42;&#42; {#hot-1}" in notice
