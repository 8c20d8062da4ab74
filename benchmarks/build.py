"""Build benchmark: how the site's cost grows with the number of notices, and what a save costs in
the preview.

Builds SYNTHETIC archives (tests/synthetic: made-up months, not real notices) of 12, 120 and
1200 notices and reports, from one run, CPU time (user + system, so that other work on a shared
machine does not count):

- the full build (``mkdocs build`` of the real site configuration) as a ratio of a plain MkDocs
  build of the same notice pages alone (the generated notice Markdown in a docs folder, default
  MkDocs theme and search, no hook) — the issue asks for at most 2 at 1200 notices;
- the generator's share of the full build (read, validate and render, timed in process) — at most 15%;
  and the generator's CPU seconds by phase: reading the data (``read``: YAML, validation, checks),
  rendering the pages (``pages``: Markdown, charts, feeds) and making the downloads (``downloads``:
  JSON, CSV, SQLite, the archive's feed), so that each part's growth shows on its own;
- each build as a ratio of the 120-notice build — at most 9 at 1200 notices;
- the size of one notice page's HTML as a ratio of the plain build's, and the largest page of each kind;
- at 120 notices, the preview: ``mkdocs serve --dirty`` (``make serve``) running, the latest month's
  title is changed and saved three times; reported are the seconds from saving until the server
  returns the month's page with the new title (the median; wall time, which a busy machine
  stretches) and the server's CPU time for that rebuild — the issue asks for at most 3 s.

Ratios, not seconds, are what to compare between machines and runs.

Run: ``make bench`` or ``.venv/bin/python benchmarks/build.py [SIZES...]``.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator import read_archive, render_site  # noqa: E402
from generator.render import environment  # noqa: E402
from tests.preview import serve, wait_for  # noqa: E402
from tests.synthetic import consecutive_periods, make_archive  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mkdocs_cpu(root: Path, out: Path, config: str = "mkdocs.yml") -> float:
    """CPU seconds (user + system, with its own child processes) of one quiet ``mkdocs build``."""
    before = _children_cpu()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", config, "--site-dir", str(out)],
        cwd=root,
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return _children_cpu() - before


def mkdocs_seconds(root: Path, out: Path, config: str = "mkdocs.yml") -> float:
    """Wall time of one quiet ``mkdocs build`` of the project at ``root`` with ``config``."""
    start = time.perf_counter()
    mkdocs_cpu(root, out, config)
    return time.perf_counter() - start


_SINGULAR = {"units": "unit", "districts": "district", "categories": "category"}


def page_kind(parts: tuple[str, ...]) -> str:
    """``notices/2023/08/index.html`` → ``notice``, ``units/X/index.html`` → ``unit``, …"""
    if parts[0] == "notices":
        return {2: "archive", 3: "year", 4: "notice"}.get(len(parts), "other")
    if parts[0] in _SINGULAR:
        return _SINGULAR[parts[0]] if len(parts) == 3 else parts[0]
    return "home" if parts == ("index.html",) else "other"


def largest_pages(site: Path) -> dict[str, int]:
    """The largest HTML file of each kind of page, in bytes."""
    largest: dict[str, int] = {}
    for page in site.rglob("*.html"):
        kind = page_kind(page.relative_to(site).parts)
        largest[kind] = max(largest.get(kind, 0), page.stat().st_size)
    return dict(sorted(largest.items()))


def preview(root: Path, work: Path, edits: int = 3) -> dict[str, float]:
    """Seconds from saving the latest month to the preview serving its page changed, and the
    server's CPU seconds for that rebuild (medians of ``edits`` saves)."""
    notice = sorted((root / "data/notices").glob("*.yaml"))[-1]
    url_path = f"notices/{notice.stem[:4]}/{notice.stem[5:]}/"
    original = notice.read_text(encoding="utf-8")
    waits, cpus = [], []
    with serve(root, work / "preview") as server:
        for edit in range(edits):
            marker = f"预览第{edit + 1}次"
            text = original.replace("(合成数据)", f"(合成数据){marker}", 1)
            assert text != original
            cpu = server.cpu_seconds()
            start = time.perf_counter()
            notice.write_text(text, encoding="utf-8")
            wait_for(server.url + url_path, marker)
            waits.append(time.perf_counter() - start)
            time.sleep(2)  # the search index is written after the page shows; count it too
            cpus.append(server.cpu_seconds() - cpu)
    notice.write_text(original, encoding="utf-8")
    return {"preview_seconds": round(statistics.median(waits), 2), "preview_cpu": round(statistics.median(cpus), 2)}


def measure(size: int, work: Path) -> dict[str, Any]:
    root = make_archive(work / f"archive-{size}", consecutive_periods(size))
    for name in ("content", "site_overrides", "generator"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")

    environment.cache_clear()  # compiled once per build process, so once per measurement here too
    start = time.process_time()
    archive = read_archive(root)
    read_cpu = time.process_time() - start
    site = render_site(archive)
    generator_cpu = time.process_time() - start
    full_cpu = mkdocs_cpu(root, work / f"site-{size}")

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
    plain_cpu = mkdocs_cpu(plain, work / f"plain-site-{size}")

    latest = consecutive_periods(size)[-1]
    page_path = f"notices/{latest[:4]}/{latest[5:]}/index.html"
    ours_page = (work / f"site-{size}" / page_path).stat().st_size
    plain_page = (work / f"plain-site-{size}" / page_path).stat().st_size
    row: dict[str, Any] = {
        "notices": size,
        "pages": len(site.pages),
        "generator_cpu": round(generator_cpu, 2),
        "read_cpu": round(read_cpu, 2),
        "pages_cpu": round(site.cpu["pages"], 2),
        "downloads_cpu": round(site.cpu["downloads"], 2),
        "build_cpu": round(full_cpu, 2),
        "plain_cpu": round(plain_cpu, 2),
        "generator_share": round(generator_cpu / full_cpu, 3),
        "build_ratio": round(full_cpu / plain_cpu, 2),
        "page_bytes": ours_page,
        "page_ratio": round(ours_page / plain_page, 2),
        "largest_pages": largest_pages(work / f"site-{size}"),
    }
    if size == 120:
        row |= preview(root, work)
    return row


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as folder:
        rows = []
        for size in sizes:
            rows.append(measure(size, Path(folder)))
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    base = next((r for r in rows if r["notices"] == 120), None)
    print("notices  pages  generator share  build ÷ plain  build ÷ 120 build  page ÷ plain   (build CPU s, plain CPU s)")
    for r in rows:
        versus = f"{r['build_cpu'] / base['build_cpu']:.2f}" if base else "—"
        r["build_vs_120"] = float(versus) if base else None
        print(
            f"{r['notices']:>7}  {r['pages']:>5}  {r['generator_share']:>15.1%}  {r['build_ratio']:>13.2f}"
            f"  {versus:>17}  {r['page_ratio']:>12.2f}   ({r['build_cpu']}, {r['plain_cpu']})"
        )
    print("notices  generator CPU s = read + pages + downloads")
    for r in rows:
        print(f"{r['notices']:>7}  {r['generator_cpu']:>15} = {r['read_cpu']} + {r['pages_cpu']} + {r['downloads_cpu']}")
    for r in rows:
        if "preview_seconds" in r:
            shown, cpu = r["preview_seconds"], r["preview_cpu"]
            print(f"preview at {r['notices']} notices: page shown {shown} s after saving, rebuild CPU {cpu} s")
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [12, 120, 1200])
