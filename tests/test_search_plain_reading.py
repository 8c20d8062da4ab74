"""Pages are read for search along shortcuts (generator/search.py: the shapes of the generator's
tables taken whole, the usual heading id and text without tag or invisible mark spared the
expressions); each must read every page exactly as the plain reading below, which takes the
steps one at a time, reads it. Pages here are made up, but for the built site of the project's data.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search import (
    _BLOCK_TAG,
    _FIGURE_CELL,
    _HEADING,
    _ID,
    _INVISIBLE,
    _NAME,
    _NOT_TEXT,
    _TAG,
    _UPPER_TAG,
    Section,
    _anchor,
    _without_excluded,
    page_url,
    read_page,
)

Read = tuple[str, tuple[str, ...], list[tuple[str, str, str]]]
_PERMALINK = re.compile(r"""<a\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bheaderlink\b[^>]*>.*?</a\s*>""", re.S)


def _plain_text_of(html: str) -> str:
    return unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", html)))


def _plain_sections(html: str) -> list[tuple[str, str, str]]:
    sections: list[tuple[str, str, list[str]]] = [("", "", [])]
    at = 0
    for heading in _HEADING.finditer(html):
        sections[-1][2].append(_plain_text_of(html[at : heading.start()]))
        at = heading.end()
        title = " ".join(_plain_text_of(_PERMALINK.sub("", heading.group(3))).split())
        found = _ID.search(heading.group(2))
        if heading.group(1) != "1" and found:
            sections.append((next(g for g in found.groups() if g is not None), title, []))
        elif not sections[-1][1]:
            sections[-1] = (sections[-1][0], title, sections[-1][2])
        else:
            sections[-1][2].append(f" {title} ")
    sections[-1][2].append(_plain_text_of(html[at:]))
    return [(anchor, title, " ".join(_INVISIBLE.sub("", "".join(parts)).split())) for anchor, title, parts in sections]


def _plain_text(html: str) -> str:
    return _plain_sections(html)[0][2]


def plain_read(url: str, html: str) -> Read:
    """A page's title, other names and sections (anchor, title, text) read one step at a time."""
    html = _UPPER_TAG.sub(lambda tag: tag[0].lower(), html)
    body = html
    for tag in ("article", "main", "body"):
        start, end = html.find(f"<{tag}"), html.rfind(f"</{tag}>")
        if start != -1 and end > start:
            body = html[start:end]
            break
    names = tuple(map(_plain_text, _NAME.findall(body)))
    cleared = _NOT_TEXT.sub(" ", _FIGURE_CELL.sub(" ", _without_excluded(body)))
    sections = [s for s in _plain_sections(cleared) if s[0] == "" or s[1] or s[2]]
    title = sections[0][1]
    if not title:
        match = re.search(r"<title>(.*?)</title>", html, re.S)
        title = match.group(1) if match else url
    return _plain_text(title), names, sections


def read(url: str, html: str) -> Read:
    page = read_page(url, html)
    return page.title, page.names, [(s.anchor, s.title, s.text) for s in page.sections]


def test_every_page_of_the_built_site_is_read_as_the_plain_reading_reads_it(built_site: Path) -> None:
    read_pages = 0
    for path in sorted(built_site.rglob("index.html")):
        url = page_url(path.relative_to(built_site).as_posix())
        if url is not None:
            html = path.read_text(encoding="utf-8")
            assert read(url, html) == plain_read(url, html), url
            read_pages += 1
    assert read_pages > 100


# Pieces of the generator's tables and headings, and what breaks their usual shapes.
_PIECES = [
    *("</th>", "<th>", '<th scope="row">', '<th scope="col" class="num">', "<th\n>", "</th >"),
    *('<td class="num">12</td>', '<td class="num">-3.5%</td>', "<td>1,200</td>", '<td class="num">交警</td>'),
    *('<td class="num">', "<td>", "</td>", "<td x>_</td>", "<tdx>"),
    *("</tr>", "<tr>", '<tr class="below-threshold">', "</tr\n>", "<tbody>", "</tbody>", "<table>", "</table>"),
    *('<a href="/units/x/">', "<a href='#'>", "</a>", "<span>", "</span>", "<b>", "</b>"),
    *('<h2 id="a">', '<h2 id="">', "<h3 id='b' class=\"x\">", ' <h2 id="c" >', "<h2>", "</h2>", "<h1>", "</h1>"),
    *('<a class="headerlink" href="#a">&para;</a>', "<a class='x headerlink'>", '<a class="x" class=headerlink >', "</a >"),
    *("<script>", "</script>", "<svg>", "</svg>", "<p>", "</p>"),
    *("交警", "12", "2023年", "_", "—", " ", "\n", "&amp;", "a&lt;b", "&#8203;", "\u200b", "\xad", '"', ">", "<"),
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_a_page_is_read_as_the_plain_reading_reads_it(html: str) -> None:
    page = f"<html><head><title>标题</title></head><body><article>{html}</article></body></html>"
    assert read("notices/2023/08/", page) == plain_read("notices/2023/08/", page)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([' id="', "id=", '"', "'", "x", "年", " ", "\n", "=", "ID", "class", ">"]), max_size=8))
def test_a_headings_id_is_the_one_the_expression_finds(pieces: list[str]) -> None:
    attributes = "".join(pieces)
    found = _ID.search(attributes)
    assert _anchor(attributes) == (None if found is None else next(g for g in found.groups() if g is not None))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(" \n\u3000\xad\u200b\u2060\ufeff"))))
def test_a_sections_text_is_its_parts_without_invisible_marks_and_runs_of_spaces(parts: list[str]) -> None:
    assert Section("a", "b", parts).text == " ".join(_INVISIBLE.sub("", "".join(parts)).split())


def test_invisible_marks_are_neither_spaces_nor_printable() -> None:
    # Section.text spares the expression a text that is all printable once its spaces are made one.
    marks = [chr(code) for code in range(0x110000) if _INVISIBLE.fullmatch(chr(code))]
    assert len(marks) == 28
    assert not any(mark.isspace() or mark.isprintable() or mark.split() != [mark] for mark in marks)
