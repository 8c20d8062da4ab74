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

from generator import read_archive, render_site
from generator.archive import ReadCache
from generator.pages import RenderCache
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


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pages_reused_by_the_preview_are_exactly_the_pages_a_fresh_build_renders(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "archive")
    notices = root / "data/notices"
    read_cache: ReadCache = {}
    render_cache = RenderCache()

    def check() -> list[str]:
        """Render with both caches and without any; return the notice and unit pages that were reused."""
        cached = render_site(read_archive(root, cache=read_cache), cache=render_cache)
        fresh = render_site(read_archive(root))
        assert [(p.path, p.markdown, p.source) for p in cached.pages] == [(p.path, p.markdown, p.source) for p in fresh.pages]
        return [p.path for p in cached.pages if p.path in before and before[p.path] is p.markdown]

    before: dict[str, str] = {}
    check()
    before = render_cache.rendered()
    assert len(check()) == len(before)  # nothing changed: every notice and unit page reused

    # A title shows on its own page and its neighbours' (previous / next links).
    _edit(notices / "2023-10.yaml", "(合成数据)", "(合成数据)改")
    before = render_cache.rendered()
    reused = check()
    assert "notices/2023/08.md" in reused and "units/市水利局.md" in reused
    assert not {"notices/2023/09.md", "notices/2023/10.md", "notices/2023/11.md"} & set(reused)

    # A score shows on the unit's page and in the next month's rank changes, and a year later (同比 of the month).
    text = (notices / "2023-11.yaml").read_text(encoding="utf-8")
    _, score_line = _top_county_unit(text)
    _edit(notices / "2023-11.yaml", score_line, re.sub(r"score: [\d.]+", "score: 999.99", score_line))
    check()
    (notices / "2024-03.yaml").unlink()  # a month removed: its neighbours link past it
    check()
    _edit(root / "data/units.yaml", "aliases: [市公积金管理中心]", "aliases: [市公积金管理中心, 预览别名单位]")  # nothing reused
    before = render_cache.rendered()
    assert check() == []
