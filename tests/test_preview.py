"""The preview (``make serve``: ``mkdocs serve --dirty``) after staff save a data file: the month's
page and every page made from it show the change, pages the change does not touch are reused,
and a removed month disappears. On a SYNTHETIC archive (tests/synthetic). How fast this is, is
measured by benchmarks/build.py, not here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import copy_site_sources
from tests.preview import Preview, fetch, serve, wait_for
from tests.synthetic import make_archive


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Preview]]:
    root = make_archive(tmp_path_factory.mktemp("preview-archive"))
    copy_site_sources(root)
    with serve(root, tmp_path_factory.mktemp("preview-serve")) as server:
        yield root, server


def _top_county_unit(text: str) -> tuple[str, str]:
    """The first unit of the county ranking and its score line (rank 1: raising it keeps every rank right)."""
    block = text[text.index("group: county") :]
    match = re.search(r"- unit: (\S+)\n(\s+score: )([\d.]+)\n", block)
    assert match is not None
    return match[1], match[0]


def test_an_edited_month_shows_on_its_page_and_on_every_page_made_from_it(preview: tuple[Path, Preview]) -> None:
    root, server = preview
    untouched = server.site / "notices/2023/09/index.html"
    before = untouched.stat().st_mtime_ns
    notice = root / "data/notices/2024-08.yaml"
    text = notice.read_text(encoding="utf-8")
    unit, score_line = _top_county_unit(text)
    raised = re.sub(r"score: [\d.]+", "score: 999.99", score_line)
    text = text.replace(score_line, raised, 1)
    text = re.sub(r"(  title: [^\n]*)\n", r"\1预览修改\n", text, count=1)
    notice.write_text(text, encoding="utf-8")

    wait_for(server.url + "notices/2024/08/", "预览修改")
    for page in ("", "notices/2024/", "downloads/notices/2024-08.yaml"):
        assert "预览修改" in (fetch(server.url + page) or ""), page
    for page in ("notices/2024/08/", f"units/{quote(unit)}/"):
        assert "999.99" in (fetch(server.url + page) or ""), page
    # A month the edit does not touch is not rendered and written again.
    assert untouched.stat().st_mtime_ns == before
    assert "预览修改" not in (fetch(server.url + "notices/2023/09/") or "")


def test_a_removed_month_disappears_from_the_preview(preview: tuple[Path, Preview]) -> None:
    root, server = preview
    assert fetch(server.url + "notices/2024/03/") is not None
    (root / "data/notices/2024-03.yaml").unlink()
    wait_for(server.url + "notices/2024/", "2024年3月", present=False)
    assert fetch(server.url + "notices/2024/03/") is None
    assert fetch(server.url + "downloads/notices/2024-03.yaml") is None
    assert "2024年1月" in (fetch(server.url + "notices/2024/08/") or "")  # its neighbour's link skips it
