"""The thin MkDocs side: hand the generator's pages to the build.

Everything about the data lives in the ``generator`` package, which imports nothing from MkDocs;
moving to another site engine means replacing only this file. It lives here, and not in the theme
folder site_overrides/, because engines publish everything in the theme folder as part of the
site. ``generator/engines`` is no package: MkDocs loads this file by path (``hooks:`` in
mkdocs.yml), nothing imports it, and the wheel leaves it out.
"""

from __future__ import annotations

import gzip
import html
import logging
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator import Archive, DataError, markup, read_archive, render_site
from generator.render import escape
from generator.revisions import history_url as data_history_url
from generator.revisions import last_changed
from generator.search import write_index

_log = logging.getLogger("mkdocs.hooks.generator")

_archive: Archive | None = None
_changed: dict[str, str] = {}
_lastmod: dict[str, str] = {}
"""Each page's address in the sitemap → the date the data behind it last changed."""


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Validate here, before MkDocs empties the output folder: invalid data stops the build with
    # every message and leaves the previous output alone. `mkdocs serve` runs this on each reload.
    global _archive
    try:
        _archive = read_archive(Path(config.config_file_path).resolve().parent)
    except DataError as error:
        raise Abort("数据校验未通过，未生成网站：\n" + error.report()) from None
    # Extra text from data is rendered by the generator with these extensions (generator/markup.py);
    # if mkdocs.yml changed alone, that text would no longer follow the rest of the site's Markdown.
    if (config.markdown_extensions, config.mdx_configs) != (list(markup.EXTENSIONS), markup.EXTENSION_CONFIGS):
        raise Abort("mkdocs.yml 的 markdown_extensions 与 generator/markup.py 的 EXTENSIONS 不一致，请两处一起修改")
    # The publisher's identity is data: another city's office edits data/publisher.yaml only.
    # Themes print these unescaped, so they get the same escaping as every value on a page.
    publisher = _archive.publisher
    config.site_name = escape(publisher.site_title)
    config.site_description = escape(publisher.site_description)
    config.copyright = escape(f"数据来源：{publisher.city}{publisher.hotline}工作情况通报（原文链接见各期页面）")
    return config


_command = "build"


def on_startup(*, command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_page_context(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    # Generated pages are not in the navigation (it lists sections only), so MkDocs marks nothing
    # on them: the menu marks the section whose address the page's address starts with. Every
    # section is set each time, so no mark is left over from the page before.
    sections = [item for item in nav.items if isinstance(item, Page) and item.url and item is not page]
    for section in sections:
        section.active = page.url.startswith(section.url)
    return context


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    # `mkdocs serve` injects its live-reload script inline, which the page's policy refuses; only
    # that local preview lets inline scripts run. `mkdocs build` output keeps the strict policy.
    if _command == "serve":
        return output.replace(_STRICT_SCRIPTS, _PREVIEW_SCRIPTS, 1)
    return output


_STRICT_SCRIPTS = "script-src 'self';"
_PREVIEW_SCRIPTS = "script-src 'self' 'unsafe-inline';"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _archive is not None, "on_config runs first"
    root = Path(config.config_file_path).resolve().parent
    history_url = data_history_url(config.repo_url, config.edit_uri)
    _changed.clear()
    _changed.update(last_changed(root, on_shallow=_log.info))
    _lastmod.clear()
    site = render_site(_archive, site_url=config.site_url, changed=_changed, history_url=history_url)
    for path, content, source in [(p.path, p.markdown, p.source) for p in site.pages] + [
        (a.path, a.content, None) for a in site.assets
    ]:
        if files.get_file_from_path(path) is not None:
            raise Abort(f"{config.docs_dir}/{path} 与生成的文件同名，请删除或改名")
        generated = File.generated(config, path, content=content)
        generated.edit_uri = source
        files.append(generated)
    for file in files.documentation_pages():
        if file.generated_by is None:
            file.edit_uri = f"{Path(config.docs_dir).name}/{file.src_uri}"
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    # A notice's page changes with its data file, a written page with its own file, and every
    # overview (home, units, categories, …) with the newest data file.
    source = page.file.edit_uri
    newest = max((date for file, date in _changed.items() if file.startswith("data/")), default=None)
    date = _changed.get(source) if source else newest
    address = page.canonical_url or page.abs_url
    if date and address:
        _lastmod[address] = date
    return page


_SITEMAP_URL = re.compile(r"<url>\s*<loc>([^<]*)</loc>\s*(?:<lastmod>[^<]*</lastmod>\s*)?</url>")


def _pin_sitemap(site_dir: Path) -> None:
    """MkDocs dates every sitemap entry, and the gzip copy, with the day of the build: replaced
    by the dates of the data (none where git has none), and a gzip copy without a timestamp, so
    that the same data gives the same bytes on any day."""
    path = site_dir / "sitemap.xml"
    text = path.read_text(encoding="utf-8")

    def entry(match: re.Match[str]) -> str:
        date = _lastmod.get(html.unescape(match[1]))
        return f"<url><loc>{match[1]}</loc>" + (f"<lastmod>{date}</lastmod>" if date else "") + "</url>"

    text, count = _SITEMAP_URL.subn(entry, text)
    if count != text.count("<url>"):
        raise Abort("sitemap.xml 的格式与 mkdocs_hook.py 预期的不同（MkDocs 已更新？），无法改为按数据修改日期标注")
    path.write_text(text, encoding="utf-8")
    path.with_name("sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def on_post_build(config: MkDocsConfig) -> None:
    _pin_sitemap(Path(config.site_dir))
    # The site search reads the built pages, whatever engine wrote them (generator/search.py).
    write_index(Path(config.site_dir))
