"""When the data last changed, from git: read by both site engines' builds."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path


def history_url(repo_url: str | None, edit_uri: str | None) -> str | None:
    """Where a file's history is browsed (the file path is appended), from the edit settings."""
    if repo_url and edit_uri and edit_uri.startswith("edit/"):
        return repo_url.rstrip("/") + "/" + edit_uri.replace("edit/", "commits/", 1)
    return None


def _git(root: Path, *arguments: str) -> str:
    command = ["git", "-c", "core.quotepath=false", *arguments]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=True, timeout=60).stdout


def last_changed(root: Path, *, on_shallow: Callable[[str], None]) -> dict[str, str]:
    """The date each file of data/ and content/ last changed, from git; empty outside a git
    checkout. A shallow clone has lost that history, so it gives none."""
    try:
        shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
        log = _git(root, "log", "--format=%x00%cs", "--name-only", "--", "data", "content")
    except (OSError, subprocess.SubprocessError):
        return {}
    if shallow:
        # Any date taken from a cut history would depend on the clone's depth; without dates the
        # build is the same for every shallow clone, and the reader is told why there are none.
        on_shallow(
            "这是浅克隆（git clone --depth），没有数据文件的完整修改历史，因此页面和 sitemap.xml 不写修改日期。"
            "需要日期时请先运行 git fetch --unshallow；GitHub Actions 中 actions/checkout 设置了 fetch-depth: 0"
        )
        return {}
    changed: dict[str, str] = {}
    for entry in log.split("\x00")[1:]:
        date, *files = entry.strip().split("\n")
        for file in files:
            changed.setdefault(file.strip(), date)
    return changed
