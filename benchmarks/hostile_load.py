"""Loader benchmark: what a hostile data file costs ``validate``, against the real data alone.

Each loader case of the hostile corpus (``tests/hostile/rejected/load-*.yaml``: made-up files such
as a "billion laughs" alias bomb, a recursive alias, 30-level nesting, a 10,001-character title)
is placed in a scratch copy of ``data/`` and validated in a process of its own. The CPU seconds
of each run are printed as a ratio to a run on the real data without any hostile file, so the
figure compares between machines: about 1.0 means the hostile file costs nothing beyond reading.

Run: ``.venv/bin/python benchmarks/hostile_load.py``.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _cpu_seconds(case: Path | None) -> tuple[float, int]:
    """CPU seconds and exit code of ``validate`` on the real data plus ``case``."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copytree(REPO / "data", root / "data")
        if case is not None:
            text = case.read_text(encoding="utf-8")
            file = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("# file:"))
            (root / file).write_bytes(case.read_bytes())
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = [sys.executable, "-m", "generator", "validate"]
        result = subprocess.run(command, cwd=root, capture_output=True, timeout=600, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result.returncode


def main() -> None:
    base, code = _cpu_seconds(None)
    print(f"real data alone: {base:.2f} CPU s, exit {code}")
    for case in sorted((REPO / "tests/hostile/rejected").glob("load-*.yaml")):
        seconds, code = _cpu_seconds(case)
        print(f"{seconds / base:5.2f} × real data  exit {code}  {case.name}")


if __name__ == "__main__":
    main()
