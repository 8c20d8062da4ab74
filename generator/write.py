"""Write rendered pages to a folder, all or nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from generator.errors import GeneratorError
from generator.pages import Site

MARKER = ".generator-output"
"""A file in every folder this module writes: only such folders may be replaced."""


def write_site(site: Site, out: Path) -> None:
    """Replace ``out`` with exactly these pages and files; on failure ``out`` is left as it was.

    The pages are written to a sibling temporary folder first and swapped in at the end, so a
    reader never sees a half-written folder.
    """
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise GeneratorError(f"输出位置 {out} 已存在且不是文件夹")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise GeneratorError(f"拒绝覆盖：{out} 不是空文件夹，也不是本工具生成的文件夹")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for path, content in [(p.path, p.markdown.encode("utf-8")) for p in site.pages] + [
            (a.path, a.content) for a in site.assets
        ]:
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (staging / MARKER).write_text("由 python -m generator render 生成，会被整个替换。\n", encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
