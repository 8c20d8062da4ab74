"""Publish benchmark: what the atomic switch adds to a build of the site.

Builds the real site once with ``mkdocs build`` (timed), then publishes that output several times
into a scratch project with a "build" that only copies it, and reports the time of the publish
steps alone (modes, syncfs, count check, switch, pruning) as a ratio of the real build time,
measured in the same run. The steps are dominated by syncfs, so a busy disk shows up here.

Run: ``.venv/bin/python benchmarks/publish.py [RUNS]``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.publish import publish  # noqa: E402


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        built, root = Path(scratch, "built"), Path(scratch, "project")
        root.mkdir()
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(built)],
            cwd=REPO,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            check=True,
        )
        build_seconds = time.perf_counter() - start
        copying: list[float] = []

        def build(out: Path) -> None:
            start = time.perf_counter()
            shutil.copytree(built, out)
            copying.append(time.perf_counter() - start)

        steps = []
        for _ in range(runs):
            start = time.perf_counter()
            publish(root, build)
            steps.append(time.perf_counter() - start - copying[-1])
        files = sum(1 for path in built.rglob("*") if path.is_file())
    median, most = statistics.median(steps) / build_seconds, max(steps) / build_seconds
    print(f"{files} files, {runs} publishes: publish steps ÷ mkdocs build, median {median:.3f} (max {most:.3f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
