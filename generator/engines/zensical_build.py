"""Build the site with Zensical instead of MkDocs: ``python generator/engines/zensical_build.py OUT``.

``make site ENGINE=zensical`` runs it (through ``python -m generator publish --engine zensical``).
Zensical 0.0.x reads mkdocs.yml but runs no hooks, so this does what generator/engines/mkdocs_hook.py
does for MkDocs, around the engine instead of inside it: the generated pages are written next to
content/ in a staging folder (.zensical-build-*/), with a copy of mkdocs.yml that points there and
carries the publisher's identity, and the dates the data last changed are written into the pages
as for MkDocs. Each page's front matter gets the edit link of the file it is made from (its data
file, or its file in content/), which the staged theme's partials/actions.html
(zensical_actions.html) shows. After the build the sitemap gets the same dates and gzip copy as
MkDocs' (generator/revisions.py), and the search index is written. Zensical itself
runs from its own venv (``ZENSICAL``, default .venv-zensical/bin/zensical), so that its
dependencies never meet MkDocs' ones.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator import Archive, DataError, read_archive, render_site
from generator.render import escape, href, site_path
from generator.revisions import date_sitemap, edit_url, history_url, last_changed, page_date
from generator.search import write_index

ROOT = Path(__file__).resolve().parents[2]
STAGE = ".zensical-build"


def _config(root: Path, *, site_name: str, site_description: str, copyright: str) -> str:
    """mkdocs.yml for the staging folder: Zensical wants paths below the configuration file.

    The edit settings are left out: Zensical derives edit links from the page's path in the staging
    folder, which for a generated page is not the data file it comes from. The pages carry their
    edit links in their front matter instead (``_with_edit_url``)."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    replacements = [
        (r"(?m)^site_name: .*$", f"site_name: {json.dumps(site_name, ensure_ascii=False)}"),
        (r"(?m)^docs_dir: .*$", "docs_dir: docs"),
        (r"(?m)^site_dir: .*$", "site_dir: site"),
        (r"(?m)^  custom_dir: .*$", "  custom_dir: overrides"),
        (r"(?m)^repo_url: .*\n", ""),
        (r"(?m)^edit_uri: .*\n", ""),
        (r"(?m)^hooks:\n(  - .*\n)+", ""),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        if count != 1:
            raise SystemExit(f"mkdocs.yml 的格式与 zensical_build.py 预期的不同（找不到 {pattern}），无法用 Zensical 构建")
    identity = {"site_description": site_description, "copyright": copyright}
    return text + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in identity.items())


def build(root: Path, out: Path, zensical: Path) -> int:
    if not zensical.is_file():
        print(f"找不到 Zensical\uff08{zensical}\uff09\uff1a请用 make site ENGINE=zensical 构建\uff0c它会先安装", file=sys.stderr)
        return 1
    try:
        archive = read_archive(root)
    except DataError as error:
        print("数据校验未通过\uff0c未生成网站\uff1a\n" + error.report(), file=sys.stderr)
        return 1
    # A folder of its own for each build: two builds (a test and `make site`) never share one.
    stage = Path(tempfile.mkdtemp(prefix=STAGE + "-", dir=root))
    try:
        return _build(archive, root, stage, out, zensical)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _with_edit_url(markdown: str, url: str | None) -> str:
    if url is None:
        return markdown
    line = f"edit_url: {json.dumps(url, ensure_ascii=False)}\n"
    return "---\n" + line + markdown[4:] if markdown.startswith("---\n") else "---\n" + line + "---\n\n" + markdown


def _build(archive: Archive, root: Path, stage: Path, out: Path, zensical: Path) -> int:
    docs = stage / "docs"
    shutil.copytree(root / "content", docs)
    shutil.copytree(root / "site_overrides", stage / "overrides")
    shutil.copy(Path(__file__).with_name("zensical_actions.html"), stage / "overrides/partials/actions.html")
    # The same settings as mkdocs.yml reads (SITE_URL, SITE_REPO_URL, SITE_EDIT_URI), so that both
    # engines write the same Markdown: links from the site's path, dates, history and edit links.
    site_url = os.environ.get("SITE_URL") or None
    repo_url, edit_uri = os.environ.get("SITE_REPO_URL"), os.environ.get("SITE_EDIT_URI")
    changed = last_changed(root, on_shallow=lambda text: print(text, file=sys.stderr))
    site = render_site(archive, site_url=site_url, changed=changed, history_url=history_url(repo_url, edit_uri))
    # Each page's source file, as MkDocs' hook gives it: its data file, or its file in content/.
    written = {page.relative_to(docs).as_posix() for page in docs.rglob("*.md")}
    sources = {path: f"content/{path}" for path in written} | {p.path: p.source for p in site.pages}

    def edit_link(markdown: str, path: str) -> str:
        source = sources[path]
        return _with_edit_url(markdown, edit_url(repo_url, edit_uri, source) if source else None)

    for path in written:
        (docs / path).write_text(edit_link((docs / path).read_text(encoding="utf-8"), path), encoding="utf-8")
    pages = [(p.path, edit_link(p.markdown, p.path).encode("utf-8")) for p in site.pages]
    for path, content in pages + [(a.path, a.content) for a in site.assets]:
        target = docs / path
        if target.exists():
            print(f"content/{path} 与生成的文件同名\uff0c请删除或改名", file=sys.stderr)
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    publisher = archive.publisher
    (stage / "mkdocs.yml").write_text(
        _config(
            root,
            site_name=escape(publisher.site_title),
            site_description=escape(publisher.site_description),
            copyright=escape(f"数据来源：{publisher.city}{publisher.hotline}工作情况通报（原文链接见各期页面）"),
        ),
        encoding="utf-8",
    )
    result = subprocess.run([str(zensical), "build", "--strict", "--clean", "-f", "mkdocs.yml"], cwd=stage, check=False)
    if result.returncode != 0:
        return result.returncode
    # Zensical dates no sitemap entry: the same dates as MkDocs' build, by the page's address.
    root_path = site_path(site_url)
    dates = {unquote(href(root_path, path)): page_date(changed, source) for path, source in sources.items()}
    if not date_sitemap(stage / "site", lambda address: dates.get(unquote(urlsplit(address).path))):
        message = "sitemap.xml 的格式与 generator/revisions.py 预期的不同\uff08Zensical 已更新\uff1f\uff09\uff0c无法标注修改日期"
        print(message, file=sys.stderr)
        return 1
    write_index(stage / "site")
    shutil.rmtree(out, ignore_errors=True)
    shutil.move(stage / "site", out)
    return 0


if __name__ == "__main__":
    default = ROOT / ".venv-zensical/bin/zensical"
    sys.exit(build(ROOT, Path(sys.argv[1]).resolve(), Path(os.environ.get("ZENSICAL") or default)))
