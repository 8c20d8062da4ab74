"""Long queries over long sections: any substring of a section finds it, however long.

A long section is stored in passages that overlap (generator/search.py, ``passages``); a query
longer than the overlap may cross from one passage into the next, and is still found. The texts
here are random (made up), run through the script the browser runs (tests/search/query.mjs).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.search import OVERLAP, PASSAGE, Page, Section, fold, passages
from tests.search.build_vectors import write_site
from tests.test_search import ask

# Chinese text with punctuation, figures and, in some texts, a space after almost every character
# (the folded text then holds only about half as many characters as the passage's overlap).
ALPHABET = "交警支队积水燃气公司供电自来水开口费暖气，。、1２"
ABSENT = "龘"


def long_text(draw: st.DrawFn) -> str:
    chars = draw(st.lists(st.sampled_from(ALPHABET), min_size=PASSAGE + OVERLAP + 1, max_size=4 * PASSAGE))
    spaced = draw(st.sampled_from([0.0, 0.1, 0.9]))
    # Spaces placed by a seeded choice: a list of booleans this long would make Hypothesis slow.
    seed = draw(st.integers(0, 2**16))
    return "".join(c + (" " if (i * 7919 + seed) % 100 < spaced * 100 else "") for i, c in enumerate(chars))


@st.composite
def archives(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, int, int]]]:
    texts = [long_text(draw) for _ in range(draw(st.integers(1, 3)))]
    picks = draw(
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 4 * PASSAGE), st.integers(OVERLAP, 3 * OVERLAP)), min_size=4, max_size=8
        )
    )
    return texts, picks


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(archives())
def test_every_long_substring_finds_its_section_and_a_changed_one_finds_nothing(
    tmp_path: Path, archive: tuple[list[str], list[tuple[int, int, int]]]
) -> None:
    texts, picks = archive
    sections = [Section("", "", [text]) for text in texts]
    pages = [
        Page(url=f"notices/{2000 + i}/01/", title="", kind="notice", year=2000 + i, sections=(section,))
        for i, section in enumerate(sections)
    ]
    assert all(len(passages(section.text)) > 1 for section in sections)
    site = tmp_path / f"site-{abs(hash(repr(archive)))}"
    write_site(site, pages)
    found: list[tuple[int, str]] = []
    for index, start, length in picks:
        shown = sections[index % len(sections)].text
        start = start % max(1, len(shown) - length)
        # Typed without the spaces of the page, so that the query is one long term.
        found.append((index % len(sections), fold(shown[start : start + length])))
    changed = [q[: len(q) // 2] + ABSENT + q[len(q) // 2 + 1 :] for _, q in found]
    answers = ask(site, [q for _, q in found] + changed)
    for (index, query), urls in zip(found, answers, strict=False):
        assert urls and pages[index].url in urls, query
        assert set(urls) == {p.url for p, s in zip(pages, sections, strict=True) if query in fold(s.text)}, query
    assert answers[len(found) :] == [[]] * len(changed)
    shutil.rmtree(site)


def test_a_query_across_every_passage_boundary_is_found(tmp_path: Path) -> None:
    """Each boundary between two passages, crossed by queries from one to three overlaps long."""
    text = "。".join(f"第{i}条 测 试 文 字" for i in range(300))
    section = Section("", "长页面", [text])
    page = Page(url="notices/2001/01/", title="长页面", kind="notice", year=2001, sections=(section,))
    pieces = passages(section.text)
    assert len(pieces) > 4
    write_site(tmp_path, [page])
    queries = []
    at = 0
    for piece in pieces[:-1]:
        at += len(piece) - OVERLAP
        for length in (OVERLAP // 2, OVERLAP + 1, 2 * OVERLAP, 3 * OVERLAP):
            queries.append(fold(section.text[max(0, at - length // 2) : at + length // 2]))
    answers = ask(tmp_path, [*queries, "长页面第0条测试文字"])
    assert answers == [["notices/2001/01/"]] * (len(queries) + 1)
