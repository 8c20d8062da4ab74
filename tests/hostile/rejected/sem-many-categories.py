"""A made-up notice with 3,000 categories whose shares add up to 120% (generated: 130 KB of YAML).

Checks that the consistency checks and the page-address check do bounded work on a long list.
"""

from __future__ import annotations

from pathlib import Path

BASE = Path(__file__).with_name("sem-shares-over-100.yaml")


def text() -> str:
    lines = BASE.read_text(encoding="utf-8").splitlines(keepends=True)
    header = [
        "# 测试用的虚构样本,不是真实通报(由 sem-many-categories.py 生成)\n",
        "# file: data/notices/2023-09.yaml\n",
        "# expect: 各类占比之和超过 100%\n",
    ]
    body = "".join(line for line in lines if not line.startswith("#"))
    start, end = body.index("categories:\n"), body.index("cases:\n")
    categories = "".join(f"- name: 虚构类别{i:04d}\n  count: 4\n  share: 0.04\n" for i in range(3000))
    return "".join(header) + body[:start] + "categories:\n" + categories + body[end:]
