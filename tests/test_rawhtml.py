"""Setting the generator's HTML blocks aside changes nothing Markdown writes (generator/rawhtml.py)."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.structure.pages import _HTMLHandler

from generator import Site, markup, rawhtml, read_archive, render_site
from generator.render import escape
from tests.conftest import REPO


def _convert(text: str) -> str:
    return markdown.Markdown(extensions=list(markup.EXTENSIONS), extension_configs=markup.EXTENSION_CONFIGS).convert(text)


def _anchor_ids(text: str) -> set[str]:
    """The ids MkDocs finds in a page's raw HTML (links to ``page#id`` are checked against them)."""
    handler = _HTMLHandler()
    handler.feed(text)
    handler.close()
    return handler.present_anchor_ids


def _both_ways(text: str) -> tuple[str, str]:
    aside = rawhtml.set_aside(text)
    return _convert(text), rawhtml.put_back(_convert(aside.markdown), aside.blocks)


def _check_site(site: Site) -> int:
    blocks = 0
    for page in site.pages:
        aside = rawhtml.set_aside(page.markdown)
        blocks += len(aside.blocks)
        assert rawhtml.put_back(_convert(aside.markdown), aside.blocks) == _convert(page.markdown), page.path
        assert _anchor_ids(aside.markdown) | aside.ids == _anchor_ids(page.markdown), page.path
        assert "<table" not in aside.markdown and "<svg" not in aside.markdown, page.path
    return blocks


def test_every_synthetic_page_converts_to_the_same_html_with_its_blocks_set_aside(synthetic_site: Site) -> None:
    assert _check_site(synthetic_site) > 100


def test_every_real_page_converts_to_the_same_html_with_its_blocks_set_aside() -> None:
    assert _check_site(render_site(read_archive(REPO))) > 10


@pytest.mark.parametrize(
    "text",
    [
        "a\n\n<div>x</div>\n\nb\n",
        "a\n\n<div>x</div>\n",
        "<div>x</div>\n\n\n\nb",
        "<details><summary>s</summary>\n\n<div>\n<table>\n<tr><td>\tx</td></tr>\n</table>\n</div>\n\n</details>\n\nq",
        '# h\n\n<div id="a">x</div>\n\n## h2\n\n<div data-id="b"><a name="c">x</a></div>',
        "- a\n\n<div>x</div>\n\n- b\n",
        "a\n<div>not after a blank line</div>\n\nb",
        "<div>\n<div>nested</div>\n</div>\n\n<p>a</p>\n<p>b</p>\n\n<div>closed</div> then text\n\nc",
        '<div markdown="1">*x*</div>\n\n<hr>\n\n<div>never closed\n\nz',
    ],
)
def test_markdown_writes_the_same_html_either_way(text: str) -> None:
    converted, set_aside = _both_ways(text)
    assert converted == set_aside
    aside = rawhtml.set_aside(text)
    assert _anchor_ids(aside.markdown) | aside.ids == _anchor_ids(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=4), st.text(max_size=40))
def test_any_escaped_data_in_a_table_converts_the_same_either_way(cells: list[str], paragraph: str) -> None:
    row = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
    text = (
        f'{escape(paragraph)}\n\n<div class="table-scroll">\n<table>\n<tr>{row}</tr>\n</table>\n</div>\n\n{escape(paragraph)}\n'
    )
    converted, set_aside = _both_ways(text)
    assert converted == set_aside


def test_a_placeholder_missing_from_the_converted_page_is_an_error() -> None:
    aside = rawhtml.set_aside("a\n\n<div>x</div>\n")
    with pytest.raises(ValueError, match="missing from the converted page"):
        rawhtml.put_back("<p>a</p>", aside.blocks)
