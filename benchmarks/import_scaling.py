"""Importer benchmark: its work grows linearly with hostile input.

Each shape is a made-up line (not a real notice) repeated to N and to 2N characters and put into
the archived August 2023 text where it does the most harm; the ratio of the two parse times is
about 2 for linear work and 4 for quadratic (the threshold search this replaced was cubic: a
5,000-character line took a minute). Ratios, not seconds, are what to compare between machines.

Run: ``.venv/bin/python benchmarks/import_scaling.py [N]`` (default 50000).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.draft import to_yaml  # noqa: E402
from generator.importer import parse_notice  # noqa: E402

SOURCE = (REPO / "data/sources/2023-08.txt").read_text(encoding="utf-8").split("\n")
SHAPES = {
    "score line in work updates": (27, "区组排名最后"),
    "platforms in intake": (5, "通过"),
    "hotline names in intake": (5, "12345热线("),
    "digits in intake": (5, "接听电话1 "),
    "districts in a case": (15, "涉及区域:卫东区、"),
    "numerals in cases": (15, "一是"),
    "table cells in attachment": (40, "|"),
}


def _seconds(line_number: int, unit: str, size: int) -> float:
    lines = list(SOURCE)
    lines.insert(line_number, (unit * (size // len(unit) + 1))[:size])
    start = time.perf_counter()
    to_yaml(parse_notice("\n".join(lines), period="2023-08").data, comment="benchmark")
    return time.perf_counter() - start


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    print(f"| 形状 | {size} 字 | {2 * size} 字 | 比值 |")
    print("| --- | ---: | ---: | ---: |")
    for name, (line_number, unit) in SHAPES.items():
        small = min(_seconds(line_number, unit, size) for _ in range(3))
        large = min(_seconds(line_number, unit, 2 * size) for _ in range(3))
        print(f"| {name} | {small:.3f} s | {large:.3f} s | {large / small:.2f} |")


if __name__ == "__main__":
    main()
