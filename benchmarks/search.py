"""Search benchmark: what a reader's first and second query cost, for three engines, at scale.

Builds SYNTHETIC archives (tests/synthetic: made-up months, not real notices) of 12, 120 and 1200
notices and, on each, in one run:

- this site's search (generator/search.py writes the index, assets/search.js reads it);
- Material's search plugin (the same site built with ``plugins: [search]``; its Web Worker and
  ``search_index.json``);
- stock Pagefind (``pagefind --site`` over this site's HTML, default settings);

and reports for a first and a second query the bytes transferred (gzip, scripts included) and
the CPU time to results, measured by benchmarks/search_cost.mjs in Node, with the ratio of each
engine to this site's search; and the CPU time of all of this site's index work as a share of
the CPU time of the whole build it is part of, both measured inside that one ``mkdocs build``:
each page read as the build makes it (``SiteIndex.add``, from the hook's ``on_post_page``) and
the index built and written at the end (``SiteIndex.write``; ``write_index`` too, should the hook
read the files instead). numpy, with which ``SiteIndex.write`` makes the postings, is first imported
there (tests/test_search.py checks that loading generator/search.py does not import it), so its
import is part of the index's time. CPU time (user and system, of the process and its children) rather than
wall time, so that other work on a shared machine changes the figures little; the system time of
creating files still varies on a busy machine, so the index's system time is reported apart. An
ext4 file system without a journal (as here) skips, when it makes a file, every inode of the
group freed in the last few minutes, one by one: after other tasks deleted a few thousand files
near the temporary folder, the index's ~1450 files at 120 notices (format version 1) took 0.6-1.2 s
of system time instead of 0.03-0.04 s. The sites are built under ``TMPDIR`` (default ``/tmp``, where every
test run deletes files); a folder nobody deletes in gives steadier figures. Ratios, not
milliseconds, are what to compare between machines and runs.

``--index-only`` builds this site's search alone (no Material, no Pagefind) and reports the
index's share only. Measured 2026-11-28 at commit 73610ae, ``--index-only 12 120 1200`` on a quiet
2-core machine with ``TMPDIR`` a folder nobody deletes in: 12.8% (0.142 s, 0.061 s of it system
time), 11.0% (0.531 s, 0.25 s) and 8.9% (3.193 s, 0.647 s), all above the 5% the issue asks for
(README, 站内搜索).

Material's search plugin segments Chinese text with jieba when jieba is installed, as the site's
old configuration did. jieba is no dependency of the site, so the Material build runs in a venv of
its own, .venv-bench (requirements.lock plus benchmarks/requirements-jieba.lock, both with hashes), which
``make bench`` sets up; ``BENCH_PYTHON`` names another interpreter.

Run: ``make bench`` or ``.venv/bin/python benchmarks/search.py [--index-only] [SIZES...]``.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import generator.search  # noqa: E402
from tests.synthetic import consecutive_periods, make_archive  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PAGEFIND = REPO / "tests/browser/node_modules/.bin/pagefind"
QUERIES = ("交警", "暖气开口费")
BENCH_PYTHON = Path(os.environ.get("BENCH_PYTHON") or REPO / ".venv-bench/bin/python")


def cpu_seconds() -> float:
    """CPU time (user and system) of this process and of its children that have ended."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed_build(python: Path, root: Path, out: Path, config: str) -> tuple[float, float, float]:
    """CPU seconds of one quiet ``mkdocs build`` of ``root`` with ``config`` in a new process, of
    the search index written inside it (by the hook, as in every build), and of the latter's
    system time (the kernel's, mostly creating the index's files)."""
    run = subprocess.run(
        [str(python), __file__, "--build", str(out), config], cwd=root, env=ENV, capture_output=True, text=True, check=False
    )
    if run.returncode:
        raise SystemExit(f"mkdocs build -f {config} failed in {root}:\n{run.stderr[-3000:]}")
    build, index, system = json.loads(run.stdout.splitlines()[-1])
    return build, index, system


def _build(out: str, config: str) -> None:
    """Run by ``timed_build`` in the child process: the build, with all of the index's work timed
    (each page read as the build makes it, ``SiteIndex.add``, and the index written at the end,
    ``SiteIndex.write``; ``write_index`` too, in case the hook reads the files instead)."""
    from mkdocs.__main__ import cli

    spent = []
    system = []
    depth = [0]

    def timed(function: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            # Counted once when one timed function calls another (write_index calls write).
            depth[0] += 1
            # System time read outside the CPU time it is part of, so that reading it is not counted.
            kernel = resource.getrusage(resource.RUSAGE_SELF).ru_stime
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                end = time.process_time()
                depth[0] -= 1
                if not depth[0]:
                    spent.append(end - start)
                    system.append(resource.getrusage(resource.RUSAGE_SELF).ru_stime - kernel)

        return run

    # The hook imports these when MkDocs loads it, after this.
    generator.search.write_index = timed(generator.search.write_index)
    generator.search.SiteIndex.add = timed(generator.search.SiteIndex.add)  # type: ignore[method-assign]
    generator.search.SiteIndex.write = timed(generator.search.SiteIndex.write)  # type: ignore[method-assign]
    start = cpu_seconds()
    cli.main(["build", "--quiet", "-f", config, "--site-dir", out], standalone_mode=False)
    print(json.dumps([cpu_seconds() - start, sum(spent), sum(system)]))


def measure(size: int, work: Path, *, index_only: bool = False) -> dict[str, Any]:
    root = make_archive(work / f"archive-{size}", consecutive_periods(size))
    for name in ("content", "site_overrides", "generator"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    # Material's plugin as it is configured by default; the header partial is ours either way.
    material_config = re.sub(r"(?m)^plugins: \[\]$", "plugins:\n  - search", config)
    (root / "mkdocs-material.yml").write_text(material_config, encoding="utf-8")

    ours, material = work / f"ours-{size}", work / f"material-{size}"
    build_seconds, index_seconds, index_system = timed_build(Path(sys.executable), root, ours, "mkdocs.yml")
    share = {
        "notices": size,
        "build_cpu_seconds": round(build_seconds, 2),
        "index_cpu_seconds": round(index_seconds, 3),
        "index_system_seconds": round(index_system, 3),
        "index_share": round(index_seconds / build_seconds, 3),
    }
    if index_only:
        return share
    material_seconds, _, _ = timed_build(BENCH_PYTHON, root, material, "mkdocs-material.yml")
    start = cpu_seconds()
    subprocess.run([str(PAGEFIND), "--site", str(ours)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pagefind_seconds = cpu_seconds() - start
    run = subprocess.run(
        ["node", str(REPO / "benchmarks/search_cost.mjs"), str(ours), str(material), str(ours), *QUERIES],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode:
        raise SystemExit(f"search_cost.mjs failed at {size} notices:\n{run.stderr}")
    cost = json.loads(run.stdout)
    return share | {
        "material_build_ratio": round(material_seconds / build_seconds, 2),
        "pagefind_cpu_seconds": round(pagefind_seconds, 2),
        **cost,
    }


def _share_line(row: dict[str, Any]) -> str:
    return (
        f"{row['notices']:>7}  writing the index: {row['index_share']:.1%} of the build's CPU time"
        f" ({row['index_cpu_seconds']} s of {row['build_cpu_seconds']} s;"
        f" {row['index_system_seconds']} s of it system time, mostly creating files)"
    )


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.0f}" if b and a / b >= 10 else f"{a / b:.1f}" if b else "-"


def main(sizes: list[int], *, index_only: bool = False) -> None:
    if not index_only and not BENCH_PYTHON.is_file():
        raise SystemExit(f"找不到 {BENCH_PYTHON}\uff1a请用 make bench 运行\uff0c它会先安装 Material 搜索所需的 jieba")
    with tempfile.TemporaryDirectory(prefix="hotline-search-bench-") as folder:
        rows = []
        for size in sizes:
            rows.append(measure(size, Path(folder), index_only=index_only))
            # Each size as soon as it is measured: the largest takes long on a busy machine.
            print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    if index_only:
        for row in rows:
            print(_share_line(row))
        print(json.dumps(rows, ensure_ascii=False))
        return
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
        print(f"{_share_line(row)}; Material's build ÷ ours {row['material_build_ratio']}")
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        _build(*sys.argv[2:4])
    else:
        arguments = sys.argv[1:]
        index_only = "--index-only" in arguments
        main([int(arg) for arg in arguments if arg != "--index-only"] or [12, 120, 1200], index_only=index_only)
