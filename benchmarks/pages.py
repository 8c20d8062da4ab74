"""Page-size benchmark: the largest page of each kind as the archive grows.

Builds SYNTHETIC archives (tests/synthetic: made-up months, not real notices) of 12, 120 and 1200
consecutive notices with the real site configuration and reports, for each kind of page (home,
archive, year, notice, unit, unit years page, …), how many there are and the largest one's HTML
size. No page may pass :data:`LIMIT` at 1200 notices; pages whose size grows with the archive are
split (generator/timeline.py), so the largest sizes level off instead.

Run: ``.venv/bin/python benchmarks/pages.py [SIZES...]`` (1200 takes several minutes); the exit
status is 1 when some page passes the limit.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import copy_site_sources, mkdocs_build  # noqa: E402
from tests.synthetic import consecutive_periods, make_archive  # noqa: E402

LIMIT = 150 * 1024
"""The most HTML one page may have (issue 12, point 3)."""

KINDS = (
    ("home", r"index\.html"),
    ("archive", r"notices/index\.html"),
    ("year", r"notices/\d{4}/index\.html"),
    ("notice", r"notices/\d{4}/\d{2}/index\.html"),
    ("units", r"units/index\.html"),
    ("unit", r"units/[^/]+/index\.html"),
    ("unit years", r"units/[^/]+/\d{4}-\d{4}/index\.html"),
    ("districts", r"districts/index\.html"),
    ("district", r"districts/[^/]+/index\.html"),
    ("district years", r"districts/[^/]+/\d{4}-\d{4}/index\.html"),
    ("categories", r"categories/index\.html"),
    ("category", r"categories/[^/]+/index\.html"),
    ("category years", r"categories/[^/]+/\d{4}-\d{4}/index\.html"),
)


def kind_of(path: str) -> str:
    for kind, pattern in KINDS:
        if re.fullmatch(pattern, path):
            return kind
    return "other"


def measure(size: int, work: Path) -> dict[str, object]:
    root = make_archive(work / f"archive-{size}", consecutive_periods(size))
    copy_site_sources(root)
    out = work / f"site-{size}"
    start = time.perf_counter()
    result = mkdocs_build(root, out)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    largest: dict[str, tuple[int, str]] = {}
    counts: dict[str, int] = {}
    for html in out.rglob("*.html"):
        path = html.relative_to(out).as_posix()
        kind = kind_of(path)
        counts[kind] = counts.get(kind, 0) + 1
        largest[kind] = max(largest.get(kind, (0, "")), (html.stat().st_size, path))
    return {
        "notices": size,
        "pages": sum(counts.values()),
        "build_seconds": round(seconds, 1),
        "kinds": {
            kind: {"pages": counts[kind], "largest_bytes": largest[kind][0], "largest": largest[kind][1]}
            for kind in sorted(counts)
        },
    }


def main(sizes: list[int]) -> int:
    with tempfile.TemporaryDirectory(prefix="hotline-pages-") as folder:
        rows = [measure(size, Path(folder)) for size in sizes]
    kinds = [kind for kind, _ in KINDS] + ["other"]
    print("largest page of each kind, KiB (pages of that kind)")
    print(f"{'kind':<16}" + "".join(f"{row['notices']:>18}" for row in rows))
    over = []
    for kind in kinds:
        cells = []
        for row in rows:
            found = row["kinds"].get(kind)  # type: ignore[attr-defined]
            if found is None:
                cells.append(f"{'—':>18}")
                continue
            cells.append(f"{found['largest_bytes'] / 1024:>10.1f} ({found['pages']:>5})")
            if found["largest_bytes"] > LIMIT:
                over.append(f"{row['notices']} notices: {found['largest']} {found['largest_bytes'] / 1024:.1f} KiB")
        print(f"{kind:<16}" + "".join(cells))
    print("pages / build s: " + ", ".join(f"{row['notices']}: {row['pages']} / {row['build_seconds']}" for row in rows))
    print(json.dumps(rows, ensure_ascii=False))
    if over:
        print(f"over {LIMIT // 1024} KiB:\n  " + "\n  ".join(over))
        return 1
    print(f"no page over {LIMIT // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main([int(arg) for arg in sys.argv[1:]] or [12, 120, 1200]))
