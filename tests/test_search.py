"""The site search: index building (generator/search.py) and, through Node, the browser script.

The vectors in tests/search/vectors.json are shared with tests/search/search.test.mjs, which this
module also runs, so the Python and JavaScript sides are held to one set of answers.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import search
from generator.search import (
    _BLOCK_TAG,
    _BLOCKS,
    _FIGURE_CELL,
    _MAYBE_UPPER_TAG,
    _NOT_TEXT,
    _NOT_TEXT_OR_BLOCK,
    _SHARD_BYTES,
    IGNORED,
    OVERLAP,
    PASSAGE,
    TILE,
    Page,
    Section,
    _delta_lists,
    _deltas,
    _dump,
    _keys_and_hashes,
    _postings,
    _read_sections,
    _text_of_cleared,
    build_index,
    fold,
    keys,
    page_url,
    passages,
    read_page,
    read_site,
    shard_of,
    write_index,
)
from tests.conftest import REPO
from tests.search.build_vectors import VECTORS, vector_pages, write_site

QUERY = REPO / "tests/search/query.mjs"
VECTOR_DATA = json.loads(VECTORS.read_text(encoding="utf-8"))


def ask(site: Path, queries: list[str]) -> list[list[str]]:
    """The result addresses of each query, from the browser's script run by Node."""
    out = subprocess.run(
        ["node", str(QUERY), str(site), "--each"],
        input="".join(q + "\n" for q in queries),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert [a["query"] for a in answers] == queries
    return [a["urls"] for a in answers]


@pytest.mark.parametrize(("text", "folded"), VECTOR_DATA["fold"])
def test_folding(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(("key", "shards", "shard"), VECTOR_DATA["shards"])
def test_shards(key: str, shards: int, shard: int) -> None:
    assert shard_of(key, shards) == shard


@pytest.mark.parametrize(("term", "needed"), VECTOR_DATA["keys"])
def test_the_index_holds_every_key_a_query_needs(term: str, needed: list[str]) -> None:
    assert set(needed) <= keys(term)


def _contains(page: Page, query: str) -> bool:
    hays = [fold(s.title) + fold(s.text) for s in page.sections]
    terms = [fold(part) for part in query.split()]
    terms = [t for t in terms if t]
    return bool(terms) and all(any(t in hay for hay in hays) for t in terms)


def test_the_vectors_expect_exactly_the_pages_that_contain_the_query() -> None:
    pages = vector_pages(VECTOR_DATA)
    for query, urls in VECTOR_DATA["queries"]:
        expected = {p.url for p in pages if _contains(p, query)}
        assert {url.split("#")[0] for url in urls} == expected, query


def test_the_script_answers_the_vectors_from_the_index_python_writes(tmp_path: Path) -> None:
    write_site(tmp_path, vector_pages(VECTOR_DATA))
    queries = [q for q, _ in VECTOR_DATA["queries"]]
    assert ask(tmp_path, queries) == [urls for _, urls in VECTOR_DATA["queries"]]


def test_node_runs_the_same_vectors() -> None:
    env = {**os.environ, "PYTHON": sys.executable}
    result = subprocess.run(["node", "--test", "tests/search/"], cwd=REPO, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 8" in result.stdout


def test_the_index_is_byte_stable_whatever_the_page_order() -> None:
    pages = vector_pages(VECTOR_DATA)
    assert build_index(pages) == build_index(list(reversed(pages)))


PAGE = """<html><head><title>页面 - 站点</title></head><body><nav>导航不算</nav><article class="md-content__inner">
<a class="md-content__button" title="编辑此页"><svg><title>图标</title></svg></a>
<h1 id="top">市<em>交警</em>支队<a class="headerlink" href="#top">¶</a></h1>
<p>共参加 <strong>8</strong> 期排名。</p>
<h2 id="scores">每月得分<a class="headerlink" href="#scores">¶</a></h2>
<table><tr><th>月份</th><th>得分</th><th>2023</th></tr><tr><td>2023年8月</td><td>93.50</td></tr><tr><td>—</td><td>+1.5%</td></tr></table>
<figure><svg><text>图表文字</text></svg></figure>
<h2>没有 id 的标题</h2><p>一段<br>两行</p><script>var x = "脚本";</script>
</article></body></html>"""


def test_a_page_is_read_as_sections_of_visible_text() -> None:
    page = read_page("units/x/", PAGE)
    assert page.title == "市交警支队"
    assert page.kind == "unit"
    assert [(s.anchor, s.title, s.text) for s in page.sections] == [
        ("", "市交警支队", "共参加 8 期排名。"),
        ("scores", "每月得分", "月份 得分 2023年8月 没有 id 的标题 一段 两行"),
    ]


def test_tag_names_in_upper_case_are_read_as_in_lower_case() -> None:
    upper = re.sub(r"</?[a-z][a-z0-9]*", lambda tag: tag[0].upper(), PAGE)
    assert "<H2 id=" in upper and "<TD>" in upper
    assert read_page("units/x/", upper) == read_page("units/x/", PAGE)


def _postings_one_by_one(texts: dict[str, list[int]]) -> dict[str, list[int]]:
    """What ``_postings`` computes with numpy, the plain way: each key's rows, ascending."""
    found: dict[str, list[int]] = {}
    for text, rows in texts.items():
        for key in keys(text):
            found.setdefault(key, []).extend(rows)
    return {key: sorted(rows) for key, rows in found.items()}


# Made-up texts: any characters, some beyond U+FFFF (two UTF-16 units each), U+FFFF and NUL.
_TEXTS = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("交警支队\U0001f600\U00020000\uffff\x00"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    pool=st.lists(_TEXTS, min_size=1, max_size=6, unique=True),
    picks=st.lists(st.integers(0, 6), max_size=20),
    tables=st.sampled_from([(search._KEY_TABLE_CELLS, search._TEXT_TABLE_CELLS), (0, 1), (0, 5), (search._KEY_TABLE_CELLS, 7)]),
)
def test_the_postings_are_the_rows_of_every_key_of_their_text(pool: list[str], picks: list[int], tables: tuple[int, int]) -> None:
    # Row r has the text pool[picks[r]] (a text may be in several rows), or none when the pick is
    # past the pool (as rows of a passage are not in the titles' texts). ``tables`` also makes the
    # tables of _postings small, so that keys are numbered by a sort and texts taken a few at a time.
    texts: dict[str, list[int]] = {}
    for row, pick in enumerate(picks):
        if pick < len(pool):
            texts.setdefault(pool[pick], []).append(row)
    with mock.patch.multiple(search, _KEY_TABLE_CELLS=tables[0], _TEXT_TABLE_CELLS=tables[1]):
        strings, ids, counts = _postings(texts, len(picks))
    made, hashes = _keys_and_hashes(strings)
    expected = _postings_one_by_one(texts)
    assert made == sorted(expected)
    assert hashes == [shard_of(key, 1 << 32) for key in made]
    assert counts.tolist() == [len(expected[key]) for key in made]
    assert ids.tolist() == [row for key in made for row in expected[key]]
    deltas = _delta_lists(ids, counts)
    assert [d.tolist() for d in deltas] == [_deltas(expected[key]) for key in made]
    # Written as the lists they hold.
    assert _dump(deltas) == _dump([_deltas(expected[key]) for key in made])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF), max_size=40))
def test_folding_is_nfkc_then_lower_case_then_without_ignored_characters(text: str) -> None:
    # fold maps full-width ASCII forms before NFKC to spare it work; the result must be the same.
    assert fold(text) == re.sub(f"[{IGNORED}]", "", unicodedata.normalize("NFKC", text).lower())


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.text(alphabet=st.characters(codec="utf-8")) | st.integers(-(2**53), 2**53),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_dump_is_the_standard_compact_json(value: object) -> None:
    # The index is written with orjson; its bytes must be those json.dumps would write.
    assert _dump(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_a_page_without_heading_takes_its_title_from_the_document() -> None:
    page = read_page("", "<html><head><title>首页 - 站点</title></head><body><article><p>正文</p></article></body></html>")
    assert page.title == "首页 - 站点"
    assert [(s.anchor, s.title, s.text) for s in page.sections] == [("", "", "正文")]


ALPHABET = "交警支队积水燃气公司aAＡ1１ \u200b"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=30), min_size=1, max_size=6),
    picks=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 30), st.integers(1, 6)), min_size=1, max_size=6),
    others=st.lists(st.text(alphabet=ALPHABET + "热线", min_size=1, max_size=5), max_size=6),
)
def test_every_substring_finds_its_text_and_nothing_else(
    tmp_path: Path, texts: list[str], picks: list[tuple[int, int, int]], others: list[str]
) -> None:
    """For random texts: a substring finds its text; any query finds exactly the texts containing it."""
    site = tmp_path / f"site-{abs(hash((tuple(texts), tuple(picks), tuple(others))))}"
    pages = [
        Page(url=f"notices/{2000 + i}/01/", title="", kind="notice", year=2000 + i, sections=(Section("", "", [text]),))
        for i, text in enumerate(texts)
    ]
    write_site(site, pages)
    substrings = [(i % len(texts), texts[i % len(texts)][start : start + length]) for i, start, length in picks]
    queries = [query for _, query in substrings] + others
    answers = ask(site, queries)
    for (index, query), urls in zip(substrings, answers, strict=False):
        if fold(query):
            assert pages[index].url in urls, (query, texts[index])
    for query, urls in zip(queries, answers, strict=True):
        assert set(urls) == {p.url for p in pages if _contains(p, query)}, query
    shutil.rmtree(site)


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="交警支队积水 ", min_size=0, max_size=2500))
def test_long_sections_are_cut_into_passages_that_keep_every_short_match_whole(text: str) -> None:
    pieces = passages(text)
    assert "".join(piece[: len(piece) - OVERLAP] if i < len(pieces) - 1 else piece for i, piece in enumerate(pieces)) == text
    assert all(len(piece) <= PASSAGE + OVERLAP for piece in pieces)
    for start in range(0, max(1, len(text) - OVERLAP + 1), 7):
        window = text[start : start + OVERLAP]
        assert any(window in piece for piece in pieces), start


def test_a_match_across_two_passages_of_a_long_section_is_found(tmp_path: Path) -> None:
    text = "。".join(f"第{i}条测试文字" for i in range(400))
    page = Page(url="notices/2001/01/", title="长页面", kind="notice", year=2001, sections=(Section("", "长页面", [text]),))
    assert len(passages(text)) > 3
    write_site(tmp_path, [page])
    queries = [text[i : i + 30] for i in range(0, len(text) - 30, 97)] + ["长页面第0条", "第399条测试文字", "第400条"]
    assert ask(tmp_path, queries) == [["notices/2001/01/"]] * (len(queries) - 1) + [[]]


def _site_of(folder: Path, count: int) -> None:
    for month in range(1, count + 1):
        page = folder / f"notices/2001/{month:02d}/index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        sections = "".join(f'<h2 id="s{i}">小节{i}</h2><p>{month}月第{i}段测试文字</p>' for i in range(12))
        page.write_text(f"<article><h1>{month}月测试通报</h1>{sections}</article>", encoding="utf-8")


def test_writing_the_index_again_leaves_exactly_the_new_index_and_keeps_other_files(tmp_path: Path) -> None:
    """Files of an earlier, larger index go; files it shares with the new one are overwritten."""
    _site_of(tmp_path, 12)
    write_index(tmp_path)
    shutil.rmtree(tmp_path / "notices/2001/12")
    (tmp_path / "search/shards/0.json").unlink()
    (tmp_path / "search/text/0-0.json").write_text("旧内容", encoding="utf-8")
    (tmp_path / "search/text/extra").mkdir()
    (tmp_path / "search/text/0-1.json").unlink()
    (tmp_path / "search/text/0-1.json").symlink_to(tmp_path / "outside.json")
    (tmp_path / "search/notes.txt").write_text("不是索引的文件", encoding="utf-8")
    write_index(tmp_path)
    expected = build_index(read_site(tmp_path))
    written = {
        p.relative_to(tmp_path / "search").as_posix(): p.read_text(encoding="utf-8")
        for p in (tmp_path / "search").rglob("*")
        if p.is_file() and p.name != "notes.txt"
    }
    assert written == expected
    assert len(list((tmp_path / "search/text").iterdir())) < 12 * 13 // 4
    assert not (tmp_path / "outside.json").exists()
    assert (tmp_path / "search/notes.txt").read_text(encoding="utf-8") == "不是索引的文件"
    (tmp_path / "assets").mkdir()
    shutil.copy(REPO / "content/assets/search.js", tmp_path / "assets/search.js")
    assert ask(tmp_path, ["11月第3段"]) == [["notices/2001/11/#s3"]]


def test_each_row_is_in_the_text_file_the_format_names_and_is_found_there(tmp_path: Path) -> None:
    """Text files hold TILE[1] consecutive rows of each of TILE[0] consecutive pages: with more
    pages than one file spans, pages of different lengths (one row to several files' worth), and a
    last group of fewer pages, every row is where the module's docstring says, exactly once, and
    the browser's script finds a section of each page."""
    across, down = TILE
    lengths = [1 + (3 * page) % (2 * down + 3) for page in range(2 * across + 3)]
    for page, length in enumerate(lengths):
        html = tmp_path / f"p{page:02d}/index.html"
        html.parent.mkdir()
        sections = "".join(f'<h2 id="s{i}">第{page}页小节{i}</h2><p>第{page}页第{i}段</p>' for i in range(1, length))
        html.write_text(f"<article><h1>第{page}页</h1><p>第{page}页开头</p>{sections}</article>", encoding="utf-8")
    write_index(tmp_path)
    manifest = json.loads((tmp_path / "search/index.json").read_text(encoding="utf-8"))
    assert manifest["tile"] == [across, down]
    files = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "search/text").iterdir()}
    # The pages in rank order (other pages by address), as numbered in the manifest.
    seen = set()
    for page, length in enumerate(lengths):
        for row in range(length):
            group, tile = page // across, row // down
            held = files[f"{group}-{tile}"]
            assert len(held) == min(across, len(lengths) - group * across)
            url, page_title, _, text, part = held[page % across][row % down]
            assert (url.split("#")[0], page_title, part) == (f"p{page:02d}/", f"第{page}页", 0)
            assert text == (f"第{page}页开头" if row == 0 else f"第{page}页第{row}段")
            seen.add((group, tile, page % across, row % down))
    assert sum(len(rows) for held in files.values() for rows in held) == len(seen) == sum(lengths)
    assert len(files) == sum(-(-max(lengths[g : g + across]) // down) for g in range(0, len(lengths), across))
    (tmp_path / "assets").mkdir()
    shutil.copy(REPO / "content/assets/search.js", tmp_path / "assets/search.js")
    last = [f"第{page}页第{length - 1}段" for page, length in enumerate(lengths) if length > 1]
    expected = [[f"p{page:02d}/#s{length - 1}"] for page, length in enumerate(lengths) if length > 1]
    assert ask(tmp_path, last) == expected


def _rounds_into(shown: str, low: float, high: float) -> bool:
    """Whether ``shown``, a figure rounded to its last written digit, is the rounding of some value
    from ``low`` to ``high``."""
    half = 10 ** -len(shown.split(".")[1]) / 2 if "." in shown else 0.5
    return low - half <= float(shown) <= high + half


def test_the_readmes_search_comparison_agrees_with_itself() -> None:
    """The README's search table and index share are the figures of one run of benchmarks/search.py:
    each ratio is the quotient of the rounded figures beside it, and the share of its seconds."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### 与 Material 搜索、Pagefind 的比较") :]
    row = r"^\| (\d+) \| (本站搜索|Material 搜索|Pagefind（默认设置）) \| ([\d.]+) KiB \| (\d+) ms \| [\d.]+ KiB \| \d+ ms \| ([\d.]+) \| ([\d.]+) \|$"
    rows = re.findall(row, section, re.MULTILINE)
    ours = {size: (float(kib), int(ms)) for size, engine, kib, ms, _, _ in rows if engine == "本站搜索"}
    sizes = sorted(ours, key=int)
    assert {"12", "120"} <= set(sizes) and len(rows) == 3 * len(sizes)
    for size, _, kib, ms, kib_ratio, ms_ratio in rows:
        base_kib, base_ms = ours[size]
        assert _rounds_into(kib_ratio, (float(kib) - 0.05) / (base_kib + 0.05), (float(kib) + 0.05) / (base_kib - 0.05))
        assert _rounds_into(ms_ratio, (int(ms) - 0.5) / (base_ms + 0.5), (int(ms) + 0.5) / max(base_ms - 0.5, 0.01)), size
    # The bar: a first query transfers at most 60 KiB, at 1200 notices too.
    firsts = [kib for kib, _ in ours.values()] + [float(k) for k in re.findall(r"本站搜索第一次查询 ([\d.]+) KiB", section)]
    assert len(firsts) > len(sizes) or "1200" in sizes
    assert max(firsts) <= 60
    shares = re.findall(r"(\d+) 期 ([\d.]+)%（([\d.]+) 秒／([\d.]+) 秒）", section)
    # The index's share may be measured at more sizes than the table (benchmarks/search.py --index-only).
    assert set(sizes) <= {size for size, *_ in shares}
    for _, share, index, build in shares:
        low, high = (float(index) - 0.0005) / (float(build) + 0.005), (float(index) + 0.0005) / (float(build) - 0.005)
        assert _rounds_into(share, 100 * low, 100 * high), share
    if "都不超过 5%" in section:
        assert all(float(share) <= 5 for _, share, _, _ in shares)


def test_the_index_a_build_writes_from_its_pages_is_the_index_of_its_files(built_site: Path) -> None:
    """The MkDocs hook reads each page as the build makes it (generator/search.py SiteIndex); any
    other engine's site is read from its files afterwards (write_index): the same index."""
    written = {
        p.relative_to(built_site / "search").as_posix(): p.read_text(encoding="utf-8")
        for p in (built_site / "search").rglob("*")
        if p.is_file()
    }
    assert written == build_index(read_site(built_site))
    assert "notices/2023/08/" in written["text/0-0.json"]


def test_the_readme_gives_the_index_files_sizes_the_index_has(built_site: Path) -> None:
    """README (站内搜索): shards of about 1 KB gzip-compressed, and text files of the same 2 rows of
    16 consecutive pages; measured on the built site, whose text files hold its pages' rows so."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"分片压缩后约 {_SHARD_BYTES // 1000} KB；每个文字文件放连续 {TILE[0]} 个页面中每页同样位置的 {TILE[1]} 段" in readme
    shards = [gzip.compress(p.read_bytes(), 6) for p in (built_site / "search/shards").iterdir()]
    assert len(shards) > 1
    assert 0.4 * _SHARD_BYTES <= sum(map(len, shards)) / len(shards) <= 1.5 * _SHARD_BYTES
    manifest = json.loads((built_site / "search/index.json").read_text(encoding="utf-8"))
    assert manifest["tile"] == list(TILE)
    texts = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (built_site / "search/text").iterdir()}
    assert texts["0-0"][0][0][0] == "notices/2023/08/"
    assert all(len(held) <= TILE[0] and all(len(rows) <= TILE[1] for rows in held) for held in texts.values())
    assert max(len(held) for held in texts.values()) == min(TILE[0], len(manifest["pages"]))


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("index.html", ""),
        ("notices/2023/08/index.html", "notices/2023/08/"),
        ("units/市交警支队/index.html", "units/市交警支队/"),
        ("404.html", None),
        ("404/index.html", None),
        ("assets/icons/index.html", None),
        ("search/index.html", None),
        ("notices/2023/08/data.html", None),
    ],
)
def test_the_pages_searched_are_every_index_html_but_the_404_page_and_assets(path: str, url: str | None) -> None:
    assert page_url(path) == url


# The expressions as they were before they were made faster: the index must not change.
_OLD_NOT_TEXT = re.compile(
    r"<(svg|script|style|template|noscript|button)\b.*?</\1\s*>"
    r"|<t([dh])\b[^>]*>(?:[^<\w]|[\d_]|<(?!/?(?:td|th|tr|table|h[1-6])\b)[^>]*>)*</t\2\s*>",
    re.S,
)
_OLD_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCKS)) + r")\b[^>]*>")
_HTML_PIECES = [
    *(f"<{tag}>" for tag in ("td", "th", "tr", "table", "h2", "span", "svg", "script", "tdx", "thead", "p", "pre", "b", "br")),
    *(f"</{tag}>" for tag in ("td", "th", "tr", "table", "h2", "span", "svg", "script", "tdx", "thead", "p", "pre", "b", "br")),
    '<td class="num">',
    '<td class="num">12.5%</td>',
    "<p data-search-exclude>",
    '<p class="x" data-search-exclude>',
    "<TD>",
    "</Td >",
    "<th\n>",
    "<a href='#'>",
    "</a>",
    "12",
    "3.5%",
    "—",
    "_",
    " ",
    "\n",
    "交警",
    "a",
    "<",
    ">",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_HTML_PIECES), max_size=30).map("".join))
def test_the_faster_expressions_find_what_the_plain_ones_found(html: str) -> None:
    assert _NOT_TEXT.sub(" ", html) == _OLD_NOT_TEXT.sub(" ", html)
    assert _BLOCK_TAG.sub(" ", html) == _OLD_BLOCK_TAG.sub(" ", html)
    assert bool(_MAYBE_UPPER_TAG.search(html)) == bool(re.search(r"<[a-z0-9/]*[A-Z]", html))


def _tables(cells: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.lists(cells, max_size=4).map(lambda row: "<tr>" + "".join(row) + "</tr>"), max_size=3).map(
        lambda rows: "<table>" + "".join(rows) + "</table>"
    )


_CELL_TEXT = st.lists(st.sampled_from(["12", "3.5%", "-", "—", "交警", "<span>", "</span>", "<svg>图</svg>", " "]), max_size=4)
_CELLS = st.recursive(
    st.tuples(st.sampled_from(["td", "th", 'td class="num"']), _CELL_TEXT.map("".join)).map(
        lambda cell: f"<{cell[0]}>{cell[1]}</{cell[0][:2]}>"
    ),
    lambda inner: st.tuples(st.sampled_from(["td", "th"]), _tables(inner)).map(lambda cell: f"<{cell[0]}>{cell[1]}</{cell[0]}>"),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(_tables(_CELLS))
def test_cells_of_figures_taken_first_change_nothing(html: str) -> None:
    # In HTML a cell is inside a cell only inside a table of its own, which no cell of figures
    # ``_NOT_TEXT`` takes can contain.
    assert _NOT_TEXT.sub(" ", _FIGURE_CELL.sub(" ", html)) == _NOT_TEXT.sub(" ", html)


_PAGE_TAGS = [
    *(
        "<h1>",
        "</h1>",
        '<h2 id="a">',
        "</h2>",
        "<h3 id='b' class=\"x\">",
        "</h3>",
        "<h2>",
        '<a class="headerlink" href="#a">¶</a>',
    ),
    *("<p>", "</p>", "<em>", "</em>", "<br>", "<hr>", "<header>", "</header>", "<div>", "</div>", "<svg>图</svg>"),
    "<script>var x = '<p>';</script>",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_PAGE_TAGS) | _tables(_CELLS), st.sampled_from(["", "交警", "12", "—", " ", "\n", "&amp;", "a&lt;b"])
        ),
        max_size=12,
    ).map(lambda pieces: "".join(map("".join, pieces)))
)
def test_a_page_read_in_one_pass_is_read_as_in_three(html: str) -> None:
    # read_page clears cells of figures, what is not text and the blocks' tags in one pass.
    one = _read_sections(_NOT_TEXT_OR_BLOCK.sub(" ", html), _text_of_cleared)
    three = _read_sections(_NOT_TEXT.sub(" ", _FIGURE_CELL.sub(" ", html)))
    assert [(s.anchor, s.title, s.text) for s in one] == [(s.anchor, s.title, s.text) for s in three]


@pytest.mark.parametrize(
    "name", sorted(_BLOCKS | {"t", "ta", "tab", "tdd", "h7", "hx", "s", "sec", "a", "span", "em", "ul2", "del"})
)
def test_block_tags_are_exactly_the_block_names(name: str) -> None:
    assert bool(_BLOCK_TAG.fullmatch(f"<{name}>")) == bool(_BLOCK_TAG.fullmatch(f"</{name} x>")) == (name in _BLOCKS)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8") | st.sampled_from(" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u3000")
    )
)
def test_spaces_are_made_one_as_the_expression_would(text: str) -> None:
    # Section.text and titles join the words str.split() finds, in less time than the expression took.
    assert " ".join(text.split()) == re.sub(r"\s+", " ", text).strip()


def test_numpy_is_loaded_only_to_build_an_index() -> None:
    # benchmarks/search.py times SiteIndex.write: numpy's import counts in the index's cost only if
    # loading the module does not import it already.
    code = (
        "import sys; import generator.search as s; loaded = 'numpy' in sys.modules; "
        "s.build_index([s.Page(url='', title='t', kind='other', year=0, sections=(s.Section('', '标题', ['文字']),))]); "
        "print(loaded, 'numpy' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True, timeout=120)
    assert run.stdout.split() == ["False", "True"]


def test_differences_are_written_from_the_first_id() -> None:
    assert [_deltas(ids) for ids in ([], [7], [3, 4, 10])] == [[], [7], [3, 1, 6]]


def test_every_ignored_character_but_the_space_is_unprintable() -> None:
    # fold removes spaces, then looks for the other ignored characters only in a text that
    # str.isprintable() refuses: that must be every text that has one.
    ignored = {char for char in map(chr, range(0x110000)) if re.fullmatch(f"[{IGNORED}]", char)}
    assert " " in ignored and len(ignored) > 40
    assert [char for char in ignored if char.isprintable()] == [" "]
