"""Build benchmark: how the site scales with the number of notices.

Builds SYNTHETIC archives (tests/synthetic: made-up months, not real notices) of 12, 120 and
1200 notices and, for each, reports in one run:

- the generator's share of the full build time (read, validate and render, in process);
- the full build time (``mkdocs build`` of the real site configuration);
- the size of one notice page's HTML and of the search index;

each as a ratio against a plain MkDocs build of the same notice pages alone (the generated
notice Markdown in a docs folder, default MkDocs theme and search, no hook). Ratios, not
seconds, are what to compare between machines and runs.

Run: ``make bench`` or ``.venv/bin/python benchmarks/build.py [SIZES...]``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator import read_archive, render_site  # noqa: E402
from tests.synthetic import consecutive_periods, make_archive  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_seconds(root: Path, out: Path, config: str = "mkdocs.yml") -> float:
    """Wall time of one quiet ``mkdocs build`` of the project at ``root`` with ``config``."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", config, "--site-dir", str(out)],
        cwd=root,
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def measure(size: int, work: Path) -> dict[str, float | int]:
    root = make_archive(work / f"archive-{size}", consecutive_periods(size))
    for name in ("content", "site_overrides", "generator"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")

    start = time.perf_counter()
    site = render_site(read_archive(root))
    generator_seconds = time.perf_counter() - start
    full_seconds = mkdocs_seconds(root, work / f"site-{size}")

    plain = work / f"plain-{size}"
    (plain / "docs").mkdir(parents=True)
    notices = [page for page in site.pages if page.path.startswith("notices/") and not page.path.endswith("index.md")]
    for page in notices:
        (plain / "docs" / page.path).parent.mkdir(parents=True, exist_ok=True)
        (plain / "docs" / page.path).write_text(page.markdown, encoding="utf-8")
    (plain / "docs/index.md").write_text("# 通报\n", encoding="utf-8")
    (plain / "mkdocs.yml").write_text(
        "site_name: plain\nuse_directory_urls: true\n"
        "markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.details]\n",
        encoding="utf-8",
    )
    plain_seconds = mkdocs_seconds(plain, work / f"plain-site-{size}")

    latest = consecutive_periods(size)[-1]
    page_path = f"notices/{latest[:4]}/{latest[5:]}/index.html"
    ours_page = (work / f"site-{size}" / page_path).stat().st_size
    plain_page = (work / f"plain-site-{size}" / page_path).stat().st_size
    # The whole index on disk (the reader fetches only the few files a query needs).
    ours_index = sum(f.stat().st_size for f in (work / f"site-{size}" / "search").rglob("*.json"))
    plain_index = (work / f"plain-site-{size}" / "search/search_index.json").stat().st_size
    return {
        "notices": size,
        "pages": len(site.pages),
        "generator_seconds": round(generator_seconds, 2),
        "build_seconds": round(full_seconds, 2),
        "plain_seconds": round(plain_seconds, 2),
        "generator_share": round(generator_seconds / full_seconds, 3),
        "build_ratio": round(full_seconds / plain_seconds, 2),
        "page_bytes": ours_page,
        "page_ratio": round(ours_page / plain_page, 2),
        "index_bytes": ours_index,
        "index_ratio": round(ours_index / plain_index, 2),
    }


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as folder:
        rows = [measure(size, Path(folder)) for size in sizes]
    print("notices  pages  generator share  build ÷ plain  page ÷ plain  index ÷ plain   (page bytes, index bytes, build s)")
    for r in rows:
        print(
            f"{r['notices']:>7}  {r['pages']:>5}  {r['generator_share']:>15.1%}  {r['build_ratio']:>13.2f}"
            f"  {r['page_ratio']:>12.2f}  {r['index_ratio']:>13.2f}"
            f"   ({r['page_bytes']}, {r['index_bytes']}, {r['build_seconds']})"
        )
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [12, 120, 1200])
