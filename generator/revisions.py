"""When the data last changed, from git, and where it is edited: read by both site engines' builds."""

from __future__ import annotations

import gzip
import html
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin


def history_url(repo_url: str | None, edit_uri: str | None) -> str | None:
    """Where a file's history is browsed (the file path is appended), from the edit settings."""
    if repo_url and edit_uri and edit_uri.startswith("edit/"):
        return repo_url.rstrip("/") + "/" + edit_uri.replace("edit/", "commits/", 1)
    return None


def edit_url(repo_url: str | None, edit_uri: str | None, path: str) -> str | None:
    """Where the file at ``path`` in the repository is edited, made from the edit settings as
    MkDocs makes a page's edit link."""
    if not (repo_url and edit_uri):
        return None
    return urljoin(repo_url.rstrip("/") + "/", edit_uri.rstrip("/") + "/" + path)


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


def page_date(changed: dict[str, str], source: str | None) -> str | None:
    """The date the page made from ``source`` last changed; a page made from all the data (home,
    units, categories, …) changes with the newest data file."""
    if source:
        return changed.get(source)
    return max((date for file, date in changed.items() if file.startswith("data/")), default=None)


_SITEMAP_URL = re.compile(r"<url>\s*<loc>([^<]*)</loc>\s*(?:<lastmod>[^<]*</lastmod>\s*)?</url>")


def date_sitemap(site: Path, date_of: Callable[[str], str | None]) -> bool:
    """Date each address of the built site's sitemap.xml with ``date_of(address)`` (none where it
    gives none) and write sitemap.xml.gz without a timestamp, so that the same data gives the same
    bytes on any day. False, and nothing written, when the sitemap has an unexpected shape."""
    path = site / "sitemap.xml"
    text = path.read_text(encoding="utf-8")

    def entry(match: re.Match[str]) -> str:
        date = date_of(html.unescape(match[1]))
        return f"<url><loc>{match[1]}</loc>" + (f"<lastmod>{date}</lastmod>" if date else "") + "</url>"

    text, count = _SITEMAP_URL.subn(entry, text)
    if count != text.count("<url>"):
        return False
    path.write_text(text, encoding="utf-8")
    path.with_name("sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return True
