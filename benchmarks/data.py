"""Data benchmark: the CPU cost of reading the archive and of writing its downloads.

Builds SYNTHETIC archives (tests/synthetic: made-up months, not real notices) of the sizes given
(default 120 and 1200) and reports, for each, the CPU seconds (process time) of
:func:`generator.read_archive` (YAML, line marks, models, checks) and of
:func:`generator.export.downloads` (YAML, JSON, CSV, SQLite, feed, ``datapackage.json``), and each
per notice. ``--profile`` prints the 25 costliest functions of each phase (cProfile).

Run: ``.venv/bin/python benchmarks/data.py [--profile] [SIZES...]``.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator import read_archive  # noqa: E402
from generator.export import downloads  # noqa: E402
from tests.synthetic import consecutive_periods, make_archive  # noqa: E402


def main(arguments: list[str]) -> None:
    profile = "--profile" in arguments
    sizes = [int(a) for a in arguments if a != "--profile"] or [120, 1200]
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = make_archive(Path(folder) / "archive", consecutive_periods(size))
            profiler = cProfile.Profile() if profile else None
            start = time.process_time()
            if profiler:
                profiler.enable()
            archive = read_archive(root)
            if profiler:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
            read = time.process_time() - start
            profiler = cProfile.Profile() if profile else None
            start = time.process_time()
            if profiler:
                profiler.enable()
            files = downloads(archive, site_url=None)
            if profiler:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
            written = time.process_time() - start
            size_bytes = sum(len(content) for _, content in files)
            print(
                f"{size} notices: read_archive {read:.2f} s ({read / size * 1000:.1f} ms a notice), "
                f"downloads {written:.2f} s ({written / size * 1000:.1f} ms a notice; {len(files)} files, {size_bytes} bytes)"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
