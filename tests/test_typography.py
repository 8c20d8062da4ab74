"""Chinese text is set with full-width punctuation on every page of the built site, in the data,
and in every message and template; half-width stays inside numbers (1,000), times (8:30), URLs
and code. The full-width marks are written as escapes here: an editor that normalises text
cannot turn them into ASCII unnoticed."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.import_text import fullwidth
from tests.conftest import REPO

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HALF = ",:;()!?"
FULL = "\uff0c\uff1a\uff1b\uff08\uff09\uff01\uff1f"
# A colon followed by a space is how YAML and the house error format write a field's name
# ("count: 应为整数"), not Chinese punctuation.
_MARK = r"(?:[,;()!?]|:(?!\s))"
NEXT_TO_HAN = re.compile(f"(?<=[{HAN}]){_MARK}|{_MARK}(?=[{HAN}])")
URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*")
# The target of a Markdown link, "[text](target)", is not text (it may call a template function).
LINK_TARGET = re.compile(r"\]\((?:\{\{.*?\}\}|[^\s()])*\)")


def offences(text: str) -> list[str]:
    """Half-width marks next to a Chinese character, each with a little of its context."""
    text = URL.sub(" ", LINK_TARGET.sub("]", text))
    return [text[max(0, m.start() - 10) : m.end() + 10] for m in NEXT_TO_HAN.finditer(text)]


def full_marks(text: str) -> int:
    return sum(text.count(mark) for mark in FULL)


def test_the_check_finds_half_width_marks_and_spares_numbers_times_and_urls() -> None:
    assert offences("最新一期:2023年8月") == ["最新一期:2023年8月"]
    assert len(offences("全部通报(按年份)")) == 2
    assert offences("共1,000件,8:30开始") == ["共1,000件,8:30开始"]
    assert offences("见 https://example.org/a,b(c)?d=1 和 8:30 与 1,000") == []
    assert offences("最新一期\uff1a2023年8月\uff08共1,000件\uff09") == []
    assert offences('见[数据说明]({{ link("data.md") }})。') == []
    assert len(offences("[全部通报(按年份)](x)")) == 2


def test_the_importer_restores_the_originals_full_width_marks() -> None:
    assert fullwidth("8月份,共受理1,000件(含公众号、APP);8:30开始:好!是否?") == (
        "8月份\uff0c共受理1,000件\uff08含公众号、APP\uff09\uff1b8:30开始\uff1a好\uff01是否\uff1f"
    )
    assert fullwidth("原文见 https://pds.gov.cn/a/b.html?x=1,谢谢") == "原文见 https://pds.gov.cn/a/b.html?x=1\uff0c谢谢"


# --- the built site -------------------------------------------------------------------------


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text without scripts, styles and code."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "code", "pre", "kbd", "samp", "template"]):
        tag.decompose()
    return soup.get_text("")


# What screen readers say and pointers show: no house error format in there, so a colon after a
# Chinese character is wrong even with a space after it ("上一页: 数据下载").
SPOKEN = ("aria-label", "title", "alt", "placeholder")
HAN_COLON = re.compile(f"[{HAN}]:")


def spoken_offences(html: str) -> list[str]:
    """Half-width marks next to Chinese in the attributes that are read out or shown."""
    soup = BeautifulSoup(html, "html.parser")
    values = [str(tag[name]) for tag in soup.find_all(True) for name in SPOKEN if tag.has_attr(name)]
    return [bad for value in values for bad in offences(value) + HAN_COLON.findall(value)]


def test_every_page_of_the_built_site_uses_full_width_marks(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 50 and built_site / "404.html" in pages
    found = {}
    marks = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        text = visible_text(html)
        marks += full_marks(text)
        if bad := offences(text) + spoken_offences(html):
            found[page.relative_to(built_site).as_posix()] = bad
    assert found == {}
    assert marks > len(pages)


def test_the_check_of_spoken_attributes_finds_a_half_width_colon() -> None:
    assert spoken_offences('<a aria-label="上一页: 数据下载" title="搜索（快捷键 s 或 /）">上一页</a>') == ["页:"]
    assert spoken_offences('<a aria-label="上一页\uff1a数据下载" title="8:30">x</a>') == []


# --- what the site and its messages are made from ----------------------------------------------


_STATEMENT_START = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENCODING}


def python_messages(path: Path) -> Iterator[str]:
    """The string literals of a module: messages and labels, and in model.py the docstrings too
    (they become the data dictionary and the JSON Schema). Raw strings are regular expressions,
    whose brackets and marks are syntax; other docstrings are English, for programmers."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    for index, token in enumerate(tokens):
        prefix = re.match("[A-Za-z]*", token.string)
        if token.type != tokenize.STRING or prefix is None or "r" in prefix.group().lower():
            continue
        docstring = (index == 0 or tokens[index - 1].type in _STATEMENT_START) and tokens[index + 1].type in {
            tokenize.NEWLINE,
            tokenize.ENDMARKER,
        }
        if not docstring or path.name == "model.py":
            yield token.string


def yaml_texts(path: Path) -> Iterator[str]:
    """Every text of a YAML file (its syntax uses half-width marks) and its comments."""
    text = path.read_text(encoding="utf-8")
    yield from (line.split("#", 1)[1] for line in text.split("\n") if line.lstrip().startswith("#"))

    def walk(node: object) -> Iterator[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from walk(key)
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    yield from walk(yaml.safe_load(text))


def sources() -> Iterator[tuple[str, list[str]]]:
    for path in sorted(REPO.glob("generator/**/*.py")):
        yield path.relative_to(REPO).as_posix(), list(python_messages(path))
    for pattern in ("data/*.yaml", "data/notices/*.yaml"):
        for path in sorted(REPO.glob(pattern)):
            yield path.relative_to(REPO).as_posix(), list(yaml_texts(path))
    for pattern in (
        "generator/templates/*.j2",
        "site_overrides/**/*.html",
        "content/**/*.md",
        "content/assets/*.js",
        "data/sources/*",
        "README.md",
    ):
        for path in sorted(REPO.glob(pattern)):
            yield path.relative_to(REPO).as_posix(), [path.read_text(encoding="utf-8")]


SOURCES = dict(sources())


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_chinese_text_in_data_messages_and_templates_uses_full_width_marks(name: str) -> None:
    texts = SOURCES[name]
    assert [bad for text in texts for bad in offences(text)] == []


def test_the_full_width_marks_are_counted_where_chinese_is_written() -> None:
    """The texts above are Chinese with punctuation, not only free of half-width marks."""
    for group in ("generator/templates/", "generator/", "data/", "content/", "README.md", "site_overrides/"):
        counted = sum(full_marks(text) for name, texts in SOURCES.items() if name.startswith(group) for text in texts)
        assert counted > 10, group
