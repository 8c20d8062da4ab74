"""Write the search index of the made-up pages in tests/search/vectors.json into a folder.

``python tests/search/build_vectors.py OUT`` lays out OUT like a built site (``search/`` and
``assets/search.js``), so that ``node tests/search/query.mjs OUT QUERY`` can query it. Used by
tests/test_search.py and by tests/search/search.test.mjs, so both query one index built one way.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from generator.search import Page, Section, build_index, kind_of  # noqa: E402

VECTORS = Path(__file__).with_name("vectors.json")


def vector_pages(vectors: dict[str, object]) -> list[Page]:
    pages = []
    for entry in vectors["pages"]:  # type: ignore[attr-defined]
        sections = tuple(Section(anchor=a, title=t, parts=[x]) for a, t, x in entry["sections"])
        kind, year = kind_of(entry["url"])
        pages.append(Page(url=entry["url"], title=sections[0].title, kind=kind, year=year, sections=sections))
    return pages


def write_site(out: Path, pages: list[Page]) -> None:
    """An index of ``pages`` and the search script, laid out as in a built site."""
    for path, content in build_index(pages).items():
        (out / "search" / path).parent.mkdir(parents=True, exist_ok=True)
        (out / "search" / path).write_text(content, encoding="utf-8")
    (out / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "content/assets/search.js", out / "assets/search.js")


if __name__ == "__main__":
    write_site(Path(sys.argv[1]), vector_pages(json.loads(VECTORS.read_text(encoding="utf-8"))))
