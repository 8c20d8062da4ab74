"""Search benchmark: what a reader's first and second query cost, for three engines, at scale.

Builds SYNTHETIC archives (tests/synthetic: made-up months, not real notices) of 12, 120 and 1200
notices and, on each, in one run:

- this site's search (generator/search.py writes the index, assets/search.js reads it);
- Material's search plugin (the same site built with ``plugins: [search]``; its Web Worker and
  ``search_index.json``);
- stock Pagefind (``pagefind --site`` over this site's HTML, default settings);

and reports for a first and a second query the bytes transferred (gzip, scripts included) and
the CPU time to results, measured by benchmarks/search_cost.mjs in Node, with the ratio of each
engine to this site's search; and the time to write this site's index (fastest of three runs) as
a share of the build.
Ratios, not milliseconds, are what to compare between machines and runs.

Run: ``make bench`` or ``.venv/bin/python benchmarks/search.py [SIZES...]``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.build import mkdocs_seconds  # noqa: E402
from generator.search import write_index  # noqa: E402
from tests.synthetic import consecutive_periods, make_archive  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PAGEFIND = REPO / "tests/browser/node_modules/.bin/pagefind"
QUERIES = ("交警", "暖气开口费")


def measure(size: int, work: Path) -> dict[str, Any]:
    root = make_archive(work / f"archive-{size}", consecutive_periods(size))
    for name in ("content", "site_overrides", "generator"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    # Material's plugin as it is configured by default; the header partial is ours either way.
    material_config = re.sub(r"(?m)^plugins: \[\]$", "plugins:\n  - search", config)
    (root / "mkdocs-material.yml").write_text(material_config, encoding="utf-8")

    ours, material = work / f"ours-{size}", work / f"material-{size}"
    build_seconds = mkdocs_seconds(root, ours, "mkdocs.yml")
    # Timed as in the build, which writes the index into a new site folder: without search/. The
    # fastest of three runs, since on a shared machine other work only ever adds to the time.
    index_times = []
    for _ in range(3):
        shutil.rmtree(ours / "search")
        start = time.perf_counter()
        write_index(ours)
        index_times.append(time.perf_counter() - start)
    index_seconds = min(index_times)
    material_seconds = mkdocs_seconds(root, material, "mkdocs-material.yml")
    start = time.perf_counter()
    subprocess.run([str(PAGEFIND), "--site", str(ours)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pagefind_seconds = time.perf_counter() - start
    run = subprocess.run(
        ["node", str(REPO / "benchmarks/search_cost.mjs"), str(ours), str(material), str(ours), *QUERIES],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode:
        raise SystemExit(f"search_cost.mjs failed at {size} notices:\n{run.stderr}")
    cost = json.loads(run.stdout)
    return {
        "notices": size,
        "build_seconds": round(build_seconds, 2),
        "index_seconds": round(index_seconds, 2),
        "index_share": round(index_seconds / build_seconds, 3),
        "material_build_ratio": round(material_seconds / build_seconds, 2),
        "pagefind_seconds": round(pagefind_seconds, 2),
        **cost,
    }


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.0f}" if b and a / b >= 10 else f"{a / b:.1f}" if b else "-"


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="hotline-search-bench-") as folder:
        rows = [measure(size, Path(folder)) for size in sizes]
    print(f"queries: first {QUERIES[0]!r}, second {QUERIES[1]!r}; KiB gzip and CPU ms per query; ratio = engine ÷ ours")
    print("notices  engine    1st KiB  1st ms  2nd KiB  2nd ms   KiB ratio  ms ratio  (pages found 1st/2nd)")
    for row in rows:
        ours = row["ours"]
        for engine in ("ours", "material", "pagefind"):
            first, second = row[engine]
            print(
                f"{row['notices']:>7}  {engine:<8}  {first['bytes'] / 1024:>7.1f}  {first['cpu_ms']:>6.1f}"
                f"  {second['bytes'] / 1024:>7.1f}  {second['cpu_ms']:>6.1f}"
                f"  {_ratio(first['bytes'], ours[0]['bytes']):>10}  {_ratio(first['cpu_ms'], ours[0]['cpu_ms']):>8}"
                f"  ({first['pages']}/{second['pages']})"
            )
        print(
            f"{row['notices']:>7}  writing the index: {row['index_share']:.1%} of the build ({row['index_seconds']} s of"
            f" {row['build_seconds']} s); Material's build ÷ ours {row['material_build_ratio']}"
        )
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [12, 120, 1200])
