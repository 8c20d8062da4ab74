from __future__ import annotations

import posixpath
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from generator import Site, read_archive, render, render_site
from generator.render import chinese_number, escape, link
from tests.conftest import REPO, Project

GOLDEN = Path(__file__).parent / "golden"

SYNTHETIC_PAGES = (
    "index.md",
    "notices/index.md",
    "notices/2023/index.md",
    "notices/2023/10.md",
    "notices/2023/12.md",
    "notices/2024/03.md",
    "notices/2024/08.md",
    "units/index.md",
    "units/市卫健委.md",
    "units/市水利局.md",
    "units/市烟草局.md",
    "districts/index.md",
    "districts/石龙区.md",
    "categories/index.md",
    "categories/经济发展类.md",
    "data.md",
)
"""One page of every kind, and the pages where the synthetic archive's special cases show."""


def _without_charts(text: str) -> str:
    # Charts are pinned by their own tests; here only their place and title matter.
    return re.sub(r"<svg .*?<title[^>]*>(.*?)</title>.*?</svg>(?=</figure>)", r"<svg>\1</svg>", text)


def check_golden(request: pytest.FixtureRequest, folder: str, pages: dict[str, str]) -> None:
    """Compare with tests/golden/FOLDER; `make golden` rewrites it (review the diff like code)."""
    base = GOLDEN / folder
    pages = {path: _without_charts(text) for path, text in pages.items()}
    if request.config.getoption("--update-golden"):
        for path, text in pages.items():
            (base / path).parent.mkdir(parents=True, exist_ok=True)
            (base / path).write_text(text, encoding="utf-8")
    expected = {p.relative_to(base).as_posix(): p.read_text(encoding="utf-8") for p in base.rglob("*.md")}
    assert pages == expected


def test_real_pages_match_the_golden_files(request: pytest.FixtureRequest) -> None:
    site = render_site(read_archive(REPO))
    wanted = (
        "index.md",
        "notices/index.md",
        "notices/2023/index.md",
        "notices/2023/08.md",
        "units/index.md",
        "units/电信公司.md",
        "districts/湛河区.md",
        "categories/城市管理类.md",
    )
    pages = {page.path: page.markdown for page in site.pages if page.path in wanted}
    assert sorted(pages) == sorted(wanted)
    check_golden(request, "real", pages)


def test_synthetic_pages_match_the_golden_files(request: pytest.FixtureRequest, synthetic_site: Site) -> None:
    pages = {page.path: page.markdown for page in synthetic_site.pages if page.path in SYNTHETIC_PAGES}
    assert sorted(pages) == sorted(SYNTHETIC_PAGES)
    check_golden(request, "synthetic", pages)


def test_rendering_is_deterministic(synthetic_root: Path) -> None:
    first = render_site(read_archive(synthetic_root))
    second = render_site(read_archive(synthetic_root))
    assert first.pages == second.pages
    assert first.assets == second.assets


def test_render_tells_the_cpu_time_of_pages_and_downloads(synthetic_site: Site) -> None:
    # benchmarks/build.py reports the two parts of the render apart; each did some work.
    assert set(synthetic_site.cpu) == {"pages", "downloads"}
    assert all(seconds > 0 for seconds in synthetic_site.cpu.values())


def test_each_notice_page_knows_its_data_file() -> None:
    sources = {page.path: page.source for page in render_site(read_archive(REPO)).pages if page.source}
    assert sources == {"notices/2023/08.md": "data/notices/2023-08.yaml"}


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


def _every_substitution(text: str) -> str:
    """escape() of text without its shortcut: every substitution, whether or not it changes anything."""
    text = render._BIDI.sub("", text)
    text = render._NEWLINE.sub(" ", text).translate(render._INLINE)
    return render._LINE_START.sub(render._line_start, text)


def test_text_escape_leaves_alone_is_text_that_needs_nothing() -> None:
    # escape() and the templates' finalize return text as it is when one search finds nothing to
    # change: for every character, at a line start or within the text, that must be what all the
    # substitutions give.
    for code in range(0x110000):
        text = f"x{chr(code)}"
        assert escape(text) == _every_substitution(text), repr(text)
    for code in range(0x80):  # what starts a Markdown block is ASCII
        for text in (chr(code), f"{chr(code)} x", f"12{chr(code)} x", f"12{chr(code)}"):
            assert escape(text) == render._finalize(text) == _every_substitution(text), repr(text)


@given(st.text())
def test_escape_is_every_substitution(text: str) -> None:
    assert escape(text) == render._finalize(text) == _every_substitution(text)


@given(st.lists(st.text(st.sampled_from("<>&|*#-+1. \n\u202e甲")) | st.text(), max_size=4))
def test_text_escapes_the_same_remembered_or_not(texts: list[str]) -> None:
    # escape_value() remembers the texts it escaped: asked again (or after the memory was emptied),
    # it answers as escape() does.
    for text in [*texts, *texts]:
        assert render.escape_value(text) == escape(text), repr(text)
    render._ESCAPED.clear()
    for text in texts:
        assert render.escape_value(text) == escape(text), repr(text)


_PATH_PARTS = st.sampled_from(["notices", "2023", "08.md", "index.md", "单位 甲", "a#b", "..", ".", ""])


@given(st.lists(_PATH_PARTS, max_size=3), st.lists(_PATH_PARTS, min_size=1, max_size=4))
def test_links_are_what_relpath_gives(folder: list[str], to: list[str]) -> None:
    # link() works relative paths out itself for the paths pages use; any path must get posixpath's answer.
    page, target = "/".join([*folder, "page.md"]), "/".join(to)
    if target and not target.startswith("/") and not page.startswith("/"):
        assert link(page, target) == quote(posixpath.relpath(target, posixpath.dirname(page) or "."), safe="/")


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 4, 10, 11, 20, 35)] == ["一", "四", "十", "十一", "二十", "三十五"]


def test_injected_text_stays_text_in_markdown(project: Project) -> None:
    project.edit("  topic: 学区划片问题\n", "  topic: '<script>alert(\"x\")</script>|**粗**'\n")
    pages = {page.path: page.markdown for page in render_site(read_archive(project.root)).pages}
    notice = pages["notices/2023/08.md"]
    assert "<script>" not in notice
    assert "#### 1. &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#124;&#42;&#42;粗&#42;&#42; {#hot-1}" in notice


def test_every_unit_district_and_category_has_a_page(synthetic_root: Path, synthetic_site: Site) -> None:
    archive = read_archive(synthetic_root)
    paths = {page.path for page in synthetic_site.pages}
    lookup = archive.units.lookup()
    for record in archive.notices:
        notice = record.notice
        assert record.period and f"notices/{record.period[:4]}/{record.period[5:]}.md" in paths
        assert f"notices/{record.period[:4]}/index.md" in paths
        for group in notice.rankings.groups if notice.rankings else []:
            assert {f"units/{lookup[row.unit].name}.md" for row in group.rows} <= paths
        assert {f"categories/{c.name}.md" for c in notice.categories} <= paths
        assert {f"districts/{a.district}.md" for c in notice.cases for a in c.areas} <= paths


def test_every_page_is_reachable_from_the_home_page(synthetic_site: Site) -> None:
    """Follow the links of the generated pages (and the site navigation) from the home page."""
    pages = {page.path: page.markdown for page in synthetic_site.pages}
    navigation = ["index.md", "notices/index.md", "units/index.md", "districts/index.md", "categories/index.md", "data.md"]
    seen, queue = set(navigation), list(navigation)
    while queue:
        path = queue.pop()
        for target in _targets(path, pages[path]):
            if target in pages and target not in seen:
                seen.add(target)
                queue.append(target)
    assert sorted(set(pages) - seen) == []


def _targets(path: str, text: str) -> list[str]:
    import posixpath
    from urllib.parse import unquote

    base = posixpath.dirname(path)
    found = []
    for target in re.findall(r"\]\(([^)#]+)", text):
        found.append(posixpath.normpath(posixpath.join(base, unquote(target))))
    page_dir = path.removesuffix(".md").removesuffix("index").rstrip("/")
    for target in re.findall(r'href="([^"#]+)"', text):
        if target.startswith(("http:", "https:")):
            continue
        url = posixpath.normpath(posixpath.join(page_dir, unquote(target))).strip("/")
        found += [f"{url}.md", f"{url}/index.md"]
    return found


@given(st.integers(min_value=-(10**30), max_value=10**30) | st.decimals(allow_nan=True, allow_infinity=True))
def test_numbers_are_escaped_like_their_text(number: int | Decimal) -> None:
    # escape(), finalize and rows drawn in Python skip the regular expressions for non-negative
    # numbers: the result must not change.
    assert escape(number) == escape(str(number)) == render._finalize(number) == render.escape_value(number)


@given(st.integers(min_value=0, max_value=10**30) | st.decimals(min_value=0, allow_nan=False, allow_infinity=False))
def test_counts_and_scores_print_in_rows_as_escaped(number: int | Decimal) -> None:
    # generator/rows.py prints the model's counts, ranks and scores straight into its f-strings:
    # they are never negative, and never -0 (generator/limits.py plain_number).
    if isinstance(number, Decimal) and number.is_signed():
        number = -number  # -0 as hypothesis may draw it
    assert f"{number}" == render.escape_value(number)
    assert f"{-number}" != render.escape_value(-number) or not number  # a sign is escaped


def test_table_heads_are_the_same_drawn_or_remembered() -> None:
    def head(columns: object, numeric: object) -> str:
        html = render.table("表", columns, numeric, caller=lambda: "")  # type: ignore[arg-type]
        return html.split("<thead>")[1].split("</thead>")[0]

    # Made-up column names: one that must be escaped, and the same text as Markup, which must not.
    for columns in (["名称", "<得分>"], ("名称", "<得分>"), ["名称", Markup("<得分>")]):
        escaped = "&lt;得分&gt;" if type(columns[1]) is str else "<得分>"
        for numeric in ((1,), range(1, 2), [1], {1}, frozenset({1})):
            expected = f'<tr><th scope="col">名称</th><th scope="col" class="num">{escaped}</th></tr>'
            assert head(columns, numeric) == head(columns, numeric) == expected
        assert head(columns, ()) == f'<tr><th scope="col">名称</th><th scope="col">{escaped}</th></tr>'
