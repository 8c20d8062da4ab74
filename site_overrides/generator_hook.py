"""The thin MkDocs side: hand the generator's pages to the build.

Everything about the data lives in the ``generator`` package, which imports nothing from MkDocs;
moving to another site engine means replacing only this file.
"""

from __future__ import annotations

from pathlib import Path

import jieba
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from generator import DataError, read_archive, render_site
from generator.search import search_terms


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_files(files: Files, config: MkDocsConfig) -> Files:
    try:
        archive = read_archive(_root(config))
    except DataError as error:
        raise Abort("数据校验未通过,未生成网站:\n" + error.report()) from None
    # Keep the names in the data (units, districts, categories) whole when the search plugin
    # segments Chinese text, so that searching a unit's full name finds it.
    for term in search_terms(archive):
        jieba.add_word(term)
    pages = render_site(archive)
    for page in pages:
        existing = files.get_file_from_path(page.path)
        if existing is not None:
            raise Abort(f"content/{page.path} 与生成的页面同名,请删除或改名")
        generated = File.generated(config, page.path, content=page.markdown)
        generated.edit_uri = page.source
        files.append(generated)
    for file in files.documentation_pages():
        if file.generated_by is None:
            file.edit_uri = f"{Path(config.docs_dir).name}/{file.src_uri}"
    return files
