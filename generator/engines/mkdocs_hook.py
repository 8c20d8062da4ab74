"""The thin MkDocs side: hand the generator's pages to the build.

Everything about the data lives in the ``generator`` package, which imports nothing from MkDocs;
moving to another site engine means replacing only this file. It lives here, and not in the theme
folder site_overrides/, because engines publish everything in the theme folder as part of the
site. ``generator/engines`` is no package: MkDocs loads this file by path (``hooks:`` in
mkdocs.yml), nothing imports it, and the wheel leaves it out.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator import Archive, DataError, markup, rawhtml, read_archive, render_site
from generator.archive import ReadCache
from generator.pages import RenderCache
from generator.render import escape
from generator.revisions import date_sitemap, last_changed, page_date
from generator.revisions import history_url as data_history_url
from generator.search import SiteIndex, write_index

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
        _archive = read_archive(Path(config.config_file_path).resolve().parent, cache=_read_cache)
    except DataError as error:
        if _command == "serve":
            return _show_problems(_quiet_preview(config), error)
        raise Abort("数据校验未通过，未生成网站：\n" + error.report()) from None
    _preview.problems = None
    if _command == "serve":
        _quiet_preview(config)
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
    global _command, _dirty
    _command = command
    _dirty = dirty
    _start_preview(dirty=dirty)


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
        output = output.replace(_STRICT_SCRIPTS, _PREVIEW_SCRIPTS, 1)
    if _search is not None:
        _search.add(page.file.dest_uri, output)
    return output


_STRICT_SCRIPTS = "script-src 'self';"
_PREVIEW_SCRIPTS = "script-src 'self' 'unsafe-inline';"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _preview.problems is not None:
        return _problem_files(files, config)
    assert _archive is not None, "on_config runs first"
    root = Path(config.config_file_path).resolve().parent
    history_url = data_history_url(config.repo_url, config.edit_uri)
    _changed.clear()
    _changed.update(last_changed(root, on_shallow=_log.info))
    _lastmod.clear()
    site = render_site(_archive, site_url=config.site_url, changed=_changed, history_url=history_url, cache=_render_cache)
    for path, content, source in [(p.path, p.markdown, p.source) for p in site.pages] + [
        (a.path, a.content, None) for a in site.assets
    ]:
        if files.get_file_from_path(path) is not None:
            raise Abort(f"{config.docs_dir}/{path} 与生成的文件同名，请删除或改名")
        generated = File.generated(config, path, content=content)
        generated.edit_uri = source
        files.append(generated)
    _preview.pages = frozenset(page.path for page in site.pages)
    for file in files.documentation_pages():
        if file.generated_by is None:
            file.edit_uri = f"{Path(config.docs_dir).name}/{file.src_uri}"
    _skip_unchanged(files, config)
    _static_pages[:] = [f.dest_uri for f in files if not f.is_documentation_page() and f.dest_uri.endswith("index.html")]
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    # A notice's page changes with its data file, a written page with its own file, and every
    # overview (home, units, categories, …) with the newest data file.
    date = page_date(_changed, page.file.edit_uri)
    address = page.canonical_url or page.abs_url
    if date and address:
        _lastmod[address] = date
    return page


def _pin_sitemap(site_dir: Path) -> None:
    """MkDocs dates every sitemap entry, and the gzip copy, with the day of the build: replaced
    by the dates of the data (none where git has none), and a gzip copy without a timestamp, so
    that the same data gives the same bytes on any day."""
    if not date_sitemap(site_dir, _lastmod.get):
        raise Abort("sitemap.xml 的格式与 generator/revisions.py 预期的不同（MkDocs 已更新？），无法改为按数据修改日期标注")


def on_post_build(config: MkDocsConfig) -> None:
    if _command == "serve":
        _tell_preview(config)
    if _preview.problems is not None:
        return
    _pin_sitemap(Path(config.site_dir))
    # The site search reads the built pages, whatever engine wrote them (generator/search.py).
    _write_search_index(Path(config.site_dir))


# Build cost: the generator's HTML blocks (tables, charts) are final; Markdown need not parse them
# again (generator/rawhtml.py). Handwritten pages go through Markdown untouched.
_set_aside: dict[str, rawhtml.SetAside] = {}


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.generated_by is None:
        return markdown
    aside = rawhtml.set_aside(markdown)
    _set_aside[page.file.src_uri] = aside
    return aside.markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    aside = _set_aside.pop(page.file.src_uri, None)
    if aside is None:
        return html
    # MkDocs checks links to #anchors against the ids it found in the page's raw HTML.
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= aside.ids
    return rawhtml.put_back(html, aside.blocks)


# Preview: `make serve` runs `mkdocs serve --dirty`, where MkDocs rebuilds only the pages whose
# files changed. Generated files are new objects on every build, so MkDocs would take them all as
# changed: those whose content is what the last build wrote are marked unchanged, and every notice
# file that did not change is not read again. A change to anything else a page is made from
# (mkdocs.yml, the theme overrides, the written pages) rebuilds every page.
_read_cache: ReadCache | None = None
_render_cache: RenderCache | None = None
_built: dict[str, tuple[bytes, str]] = {}
"""Each generated file of the last preview build → digest of its content and where it was written."""
_built_inputs: bytes | None = None


class _QuietDirtyNotice(logging.Filter):
    """MkDocs warns on each dirty build, which strict mode would count as an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _start_preview(*, dirty: bool) -> None:
    global _read_cache, _render_cache
    if _command == "serve" and dirty:
        _read_cache, _render_cache = {}, RenderCache()
        logging.getLogger("mkdocs.commands.build").addFilter(_QuietDirtyNotice())


def _other_inputs(config: MkDocsConfig) -> bytes:
    """A digest of what every page is made from besides its own content."""
    digest = hashlib.blake2b(Path(config.config_file_path).read_bytes())
    for folder in (config.docs_dir, config.theme.custom_dir):
        for path in sorted(Path(folder).rglob("*")) if folder else ():
            status = path.stat()
            digest.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.digest()


def _not_modified() -> bool:
    return False


def _modified() -> bool:
    return True


def _skip_unchanged(files: Files, config: MkDocsConfig) -> None:
    global _built_inputs
    if _read_cache is None:
        return
    generated = {
        file.src_uri: (hashlib.blake2b(file.content_bytes).digest(), file.abs_dest_path)
        for file in files
        if file.generated_by is not None
    }
    inputs = _other_inputs(config)
    for src_uri in _built.keys() - generated.keys():
        Path(_built[src_uri][1]).unlink(missing_ok=True)  # a page or download that is gone
    for file in files:
        if inputs != _built_inputs:
            if file.is_documentation_page():
                # MkDocs's own test (the page file's time) would miss a change of theme or nav.
                file.is_modified = _modified  # type: ignore[method-assign]
        elif file.generated_by is not None and _built.get(file.src_uri, (None,))[0] == generated[file.src_uri][0]:
            file.is_modified = _not_modified  # type: ignore[method-assign]
    _built.clear()
    _built.update(generated)
    _built_inputs = inputs


_indexing: threading.Thread | None = None
_dirty = False
_search: SiteIndex | None = None
"""The search index of the build under way, given each page as it is made; None when the build
writes only the pages that changed (``--dirty``), whose index is read from the files instead."""
_static_pages: list[str] = []
"""The ``index.html`` files copied as they are (no page event sees them), relative to the site."""


def _write_search_index(site_dir: Path) -> None:
    """In the preview, the search index is written while the browser already reloads the page
    (the next build waits for it); a build writes it before it ends."""
    global _indexing
    if _indexing is not None:
        _indexing.join()
    if _search is not None:
        for path in _static_pages:
            _search.add(path, (site_dir / path).read_bytes().decode("utf-8"))
        _search.write(site_dir)
        return
    if _read_cache is None:
        write_index(site_dir)
        return
    _indexing = threading.Thread(target=write_index, args=(site_dir,), name="search-index", daemon=True)
    _indexing.start()


def on_pre_build(config: MkDocsConfig) -> None:
    global _search
    if _indexing is not None:
        _indexing.join()  # the previous preview build's index, before pages change again
    # Every page of a whole build passes through on_post_page: read there, not again from disk.
    _search = None if _dirty else SiteIndex()


# The preview (`mkdocs serve`) with invalid data. A failed build would leave the browser on the old
# page, waiting, with MkDocs' English note in the terminal only; instead the build succeeds with every
# page replaced by one Chinese page listing every problem. MkDocs then reloads the open pages, and
# reloads them again once the data is fixed and the real pages are back.


class _Preview:
    # A plain class: tests load this file by path, outside sys.modules, where @dataclass fails.
    def __init__(self) -> None:
        self.problems: DataError | None = None
        """What is wrong with the data, while the preview shows it instead of the site."""
        self.pages: frozenset[str] = frozenset()
        """The generated pages of the last good build: the addresses a browser may have open."""


_preview = _Preview()


def _quiet_preview(config: MkDocsConfig) -> MkDocsConfig:
    # MkDocs lists every generated page missing from the nav on every rebuild (hundreds of lines),
    # which would scroll the Chinese problem report out of the staff's terminal.
    config.validation.nav.omitted_files = logging.DEBUG
    return config


def _show_problems(config: MkDocsConfig, error: DataError) -> MkDocsConfig:
    global _built_inputs
    _preview.problems = error
    # Every page becomes the problem page: once the data is fixed, none of them is unchanged.
    _built.clear()
    _built_inputs = None
    return config


def _tell_preview(config: MkDocsConfig) -> None:
    # `make serve` runs MkDocs quietly (its English progress notes are for maintainers), so this is
    # what staff read in the terminal after each build. Printed, not logged: a logged warning would
    # make MkDocs' strict mode fail the build and leave the browser waiting again.
    now = time.strftime("%H:%M:%S")
    if _preview.problems is not None:
        text = f"[{now}] 数据校验未通过\uff0c浏览器中的页面改为列出全部问题\uff0c改正并保存后自动恢复\uff1a"
        text += "\n" + _preview.problems.report()
    else:
        text = f"[{now}] 预览已更新\uff1a{config.site_url}\uff08修改数据并保存后自动刷新\uff1b按 Ctrl+C 结束\uff09"
    print(text, file=sys.stderr, flush=True)


def _problem_files(files: Files, config: MkDocsConfig) -> Files:
    """Every page the site had, every page the navigation names and every written page, each one
    the list of problems (written pages too: their links into data pages would break)."""
    assert _preview.problems is not None
    text = _problem_page(_preview.problems)
    wanted = set(_preview.pages) | set(_nav_paths(config.nav))
    for file in files.documentation_pages():
        wanted.add(file.src_uri)
        files.remove(file)
    for path in sorted(wanted):
        files.append(File.generated(config, path, content=text))
    return files


def _nav_paths(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    if isinstance(nav, dict):
        return [path for item in nav.values() for path in _nav_paths(item)]
    if isinstance(nav, list):
        return [path for item in nav for path in _nav_paths(item)]
    return []


def _problem_page(error: DataError) -> str:
    rows = "\n".join(
        "<tr>"
        f"<td><code>{escape(f'{p.file}:{p.line}:{p.column}' if p.line else p.file)}</code></td>"
        f"<td>{f'<code>{escape(p.path)}</code>' if p.path else ''}</td>"
        f"<td>{escape(p.message)}</td>"
        "</tr>"
        for p in error.problems
    )
    files = len({p.file for p in error.problems})
    return (
        "# 数据有误\uff0c预览暂停更新\n\n"
        f"数据校验发现 {len(error.problems)} 处问题\uff08{files} 个文件\uff09\uff0c网站页面暂时不能生成。"
        "照下表逐条改正并保存文件\uff0c全部改好后本页会自动变回网站页面\uff0c不用刷新。"
        "各条信息的含义见编辑指南的“校验信息的含义”一节。\n\n"
        '<div class="table-scroll" tabindex="0" role="region" aria-label="数据问题">\n'
        '<table class="data-table" id="preview-problems">\n'
        "<caption>数据问题</caption>\n"
        '<thead><tr><th scope="col">位置（文件：行：列）</th><th scope="col">字段</th>'
        '<th scope="col">问题和应填写的内容</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>\n"
    )
