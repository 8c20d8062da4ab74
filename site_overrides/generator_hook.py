"""The thin MkDocs side: hand the generator's pages to the build.

Everything about the data lives in the ``generator`` package, which imports nothing from MkDocs;
moving to another site engine means replacing only this file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from generator import Archive, DataError, read_archive, render_site
from generator.render import escape
from generator.search import write_index

_archive: Archive | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Validate here, before MkDocs empties the output folder: invalid data stops the build with
    # every message and leaves the previous output alone. `mkdocs serve` runs this on each reload.
    global _archive
    try:
        _archive = read_archive(Path(config.config_file_path).resolve().parent)
    except DataError as error:
        raise Abort("数据校验未通过,未生成网站:\n" + error.report()) from None
    # The publisher's identity is data: another city's office edits data/publisher.yaml only.
    # Themes print these unescaped, so they get the same escaping as every value on a page.
    publisher = _archive.publisher
    config.site_name = escape(publisher.site_title)
    config.site_description = escape(publisher.site_description)
    config.copyright = escape(f"数据来源:{publisher.city}{publisher.hotline}工作情况通报(原文链接见各期页面)")
    return config


def _last_changed(root: Path) -> dict[str, str]:
    """The date each data file last changed, from git; empty outside a git checkout."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--", "data/notices"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    changed: dict[str, str] = {}
    for entry in log.split("\x00")[1:]:
        date, *files = entry.strip().split("\n")
        for file in files:
            changed.setdefault(file.strip(), date)
    return changed


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _archive is not None, "on_config runs first"
    root = Path(config.config_file_path).resolve().parent
    history_url = None
    if config.repo_url and config.edit_uri and config.edit_uri.startswith("edit/"):
        history_url = config.repo_url.rstrip("/") + "/" + config.edit_uri.replace("edit/", "commits/", 1)
    site = render_site(_archive, site_url=config.site_url, changed=_last_changed(root), history_url=history_url)
    for path, content, source in [(p.path, p.markdown, p.source) for p in site.pages] + [
        (a.path, a.content, None) for a in site.assets
    ]:
        if files.get_file_from_path(path) is not None:
            raise Abort(f"{config.docs_dir}/{path} 与生成的文件同名,请删除或改名")
        generated = File.generated(config, path, content=content)
        generated.edit_uri = source
        files.append(generated)
    for file in files.documentation_pages():
        if file.generated_by is None:
            file.edit_uri = f"{Path(config.docs_dir).name}/{file.src_uri}"
    return files


def on_post_build(config: MkDocsConfig) -> None:
    # The site search reads the built pages, whatever engine wrote them (generator/search.py).
    write_index(Path(config.site_dir))
