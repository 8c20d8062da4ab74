"""Hostile text stays text; bad data never half-publishes; builds are reproducible."""

from __future__ import annotations

import gzip
import html as html_module
import importlib.util
import json
import re
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import markdown
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.draft import to_yaml
from generator.load import read
from generator.render import escape
from tests.conftest import REPO, Project, copy_site_sources, git_date, mkdocs_build
from tests.synthetic import consecutive_periods, make_archive

CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    '<a href="javascript:alert(4)">点我</a>',
    "[链接](javascript:alert(5))",
    "![图](https://evil.example/x.png)",
    "| a | b |\n|---|---|",
    "**粗** _斜_ `码` ~~删~~",
    "{{ config }} {% raw %} ${x}",
    "\u202e\u2066反向\u2069文字",
    "# 标题\n- 列表\n1. 编号\n> 引用",
]
# Names become page addresses, so validation refuses markup in them (tests/test_validate.py);
# this is the trickiest name it allows: an entity without ";", emphasis marks, quotes and dots.
NAME_PAYLOAD = "单位&lt（b）_斜_·“引”《书》+1.2-3"
LONG = "很长的文字" * 800

_TEXT_KEYS = {"title", "example", "handling", "topic", "text", "heading", "note", "label", "reasons", "topics", "places"}


def _poison(value: Any, key: str | None, payload: str) -> Any:
    """Every free-text value of a notice replaced by the payload (structure kept valid)."""
    if isinstance(value, dict):
        return {k: _poison(v, str(k), payload) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(item, key, payload) for item in value]
    if isinstance(value, str) and key in _TEXT_KEYS:
        return payload
    return value


def _assert_inert(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert [s for s in soup.find_all("script") if "alert" in s.get_text()] == []
    assert [t.name for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)] == []
    assert [a for a in soup.find_all(["a", "iframe"]) if "javascript:" in str(a.get("href", "")) + str(a.get("src", ""))] == []
    assert [i for i in soup.find_all(["img", "svg", "b"]) if "evil" in str(i.get("src", "")) or i.get("onload")] == []
    assert not soup.find_all("b")  # <b>单位</b> stays text
    assert "\u202e" not in html and "\u2066" not in html


def test_a_corpus_in_every_text_field_appears_only_as_text(project: Project, tmp_path: Path) -> None:
    payload = " ".join(CORPUS).replace("\n", " ")
    data = _poison(read(project.notice, root=project.root).data, None, payload)
    data["cases"][0]["areas"][0]["district"] = NAME_PAYLOAD
    data["categories"][0]["name"] = NAME_PAYLOAD
    data["rankings"]["groups"][0]["rows"][0]["unit"] = NAME_PAYLOAD
    data["work_updates"][0]["text"] = LONG
    data["extra_sections"] = [
        {
            "after": "work_updates",
            "heading": payload,
            "text": "`<script>alert(7)</script>` **可以用 Markdown**",
            "table": {"columns": [payload, "件数"], "rows": [[payload, 1]]},
        }
    ]
    project.notice.write_text(to_yaml(data, comment="注入测试（合成数据）"), encoding="utf-8")
    units = project.root / "data/units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + f"- {{name: '{NAME_PAYLOAD}', group: county}}\n", encoding="utf-8")
    publisher = project.root / "data/publisher.yaml"
    text = publisher.read_text(encoding="utf-8")
    publisher.write_text(
        text.replace("site_title: 平顶山市12345热线工作通报档案", f"site_title: {json.dumps(payload, ensure_ascii=False)}"),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = mkdocs_build(project.root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = list(out.rglob("*.html"))
    assert len(pages) > 100
    for html in pages:
        _assert_inert(html.read_text(encoding="utf-8"))
    notice = BeautifulSoup((out / "notices/2023/08/index.html").read_text(encoding="utf-8"), "html.parser")
    visible = notice.get_text(" ")
    assert visible.count("<script>alert(1)</script>") >= 10
    assert LONG in visible and "可以用 Markdown" in visible
    assert NAME_PAYLOAD in visible
    assert notice.find("strong", string="可以用 Markdown") is not None  # Markdown of the escape hatch still works


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_any_text_renders_as_exactly_itself(text: str) -> None:
    """Whatever a field holds, the rendered page shows those characters and no markup of its own."""
    html = markdown.markdown(
        f"<p>{escape(text)}</p>\n\n前缀：{escape(text)}", extensions=["tables", "attr_list", "admonition", "toc"]
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [tag.name for tag in soup.find_all(True)] == ["p", "p"]
    decoded = html_module.unescape(" ".join(escape(text).split()))  # what a browser shows for the escaped text
    assert " ".join(soup.find_all("p")[1].get_text().removeprefix("前缀：").split()) == " ".join(decoded.split())


def test_invalid_data_among_many_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "project", consecutive_periods(6, "2023-01"))
    copy_site_sources(root, makefile=True)
    bin_dir = Path(sys.executable).parent
    make = ["make", "--no-print-directory", "site", f"BIN={bin_dir}", "STAMP="]
    first = subprocess.run(make, cwd=root, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    before = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    broken = root / "data/notices/2023-04.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("  total: ", "  total: 很多", 1), encoding="utf-8")
    bad = root / "data/notices/2023-05.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("    group: county", "    group: 县", 1), encoding="utf-8")
    second = subprocess.run(make, cwd=root, capture_output=True, text=True, check=False)
    output = second.stdout + second.stderr
    assert second.returncode != 0
    assert "data/notices/2023-04.yaml:" in output and "intake.total: 应为整数，实际为 '很多" in output
    assert (
        "data/notices/2023-05.yaml:" in output
        and "应为 county、district、department、street、enterprise 之一，实际为 '县'" in output
    )
    assert "Traceback" not in output
    after = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_two_builds_of_the_same_data_are_identical(tmp_path: Path) -> None:
    # With a public address, so that the sitemap lists every page; the second build's clock says
    # another day (MkDocs takes the date of a build from SOURCE_DATE_EPOCH when it is set).
    first, second = tmp_path / "one", tmp_path / "two"
    for out, clock in ((first, {}), (second, {"SOURCE_DATE_EPOCH": "1907712000"})):  # 2030-06-15
        result = mkdocs_build(REPO, out, SITE_URL="https://example.org/archive/", **clock)
        assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [str(f) for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []
    # The sitemap dates a page by its data's history: a notice by its file's last commit.
    changed = git_date("data/notices/2023-08.yaml")
    sitemap = (first / "sitemap.xml").read_text(encoding="utf-8")
    if changed is not None:
        assert f"<loc>https://example.org/archive/notices/2023/08/</loc><lastmod>{changed}</lastmod>" in sitemap
    else:  # no history to date pages by (a shallow clone or no git checkout): no dates at all
        assert "<lastmod>" not in sitemap
    assert gzip.decompress((first / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


def test_url_fields_reject_everything_but_http_and_https(project: Project) -> None:
    for url in (
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://example.org/x",
        "//example.org/x",
        "example.org",
        "file:///etc/passwd",
    ):
        text = project.text()
        line = next(row for row in text.splitlines() if row.startswith("  source: "))
        project.notice.write_text(text.replace(line, f"  source: {json.dumps(url)}"), encoding="utf-8")
        problems = project.problems()
        assert len(problems) == 1 and "meta.source: 应为以 http:// 或 https:// 开头的网址" in problems[0], url
        project.notice.write_text(text, encoding="utf-8")


def test_publisher_yaml_is_valid_yaml() -> None:
    assert yaml.safe_load((REPO / "data/publisher.yaml").read_text(encoding="utf-8"))["city"] == "平顶山市"


def _csp(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


def test_no_inline_script_is_allowed_and_the_readme_sends_the_same_policy() -> None:
    page = _csp(
        (REPO / "site_overrides/main.html").read_text(encoding="utf-8"), r'http-equiv="Content-Security-Policy" content="([^"]+)"'
    )
    server = _csp((REPO / "README.md").read_text(encoding="utf-8"), r'add_header Content-Security-Policy "([^"]+)"')
    directives = {d.split()[0]: d.split()[1:] for d in page.split("; ")}
    assert directives["script-src"] == ["'self'"]
    # frame-ancestors only works as a header; in a <meta> Chromium ignores it and logs an error.
    assert server == page + "; frame-ancestors 'none'"


def test_the_theme_scripts_served_as_files_are_materials_own() -> None:
    """Material's inline scripts, moved to files for the policy; a Material update that changes
    them fails here, so that the copies in site_overrides/assets/javascripts are refreshed."""
    partials = Path(str(files("material"))) / "templates/partials/javascripts"
    inline = {
        name: re.findall(r"<script>(.*?)</script>", (partials / name).read_text(encoding="utf-8"))
        for name in ("base.html", "palette.html", "content.html")
    }
    ours = {
        name: "".join(
            line
            for line in (REPO / "site_overrides/assets/javascripts" / name).read_text(encoding="utf-8").splitlines(True)
            if not line.startswith("//")
        ).strip()
        for name in ("theme-base.js", "theme-palette.js", "theme-tabs.js", "theme-content.js")
    }
    scope = '"{{ config.extra.scope | d(base_url) }}"'
    assert ours["theme-base.js"] == inline["base.html"][0].replace(scope, "document.currentScript.dataset.scope")
    assert ours["theme-palette.js"] == inline["palette.html"][0]
    assert [ours["theme-tabs.js"], ours["theme-content.js"]] == inline["content.html"]
    overrides = REPO / "site_overrides/partials/javascripts"
    assert sorted(p.name for p in overrides.iterdir()) == ["base.html", "content.html", "palette.html"]
    assert "<script>" not in "".join(p.read_text(encoding="utf-8") for p in overrides.iterdir())


def test_only_the_local_preview_lets_its_live_reload_script_run() -> None:
    spec = importlib.util.spec_from_file_location("mkdocs_hook", REPO / "generator/engines/mkdocs_hook.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    html = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; style-src 'self'\">"
    hook.on_startup(command="build", dirty=False)
    assert hook.on_post_page(html, page=None, config=None) == html
    hook.on_startup(command="serve", dirty=False)
    assert "script-src 'self' 'unsafe-inline';" in hook.on_post_page(html, page=None, config=None)
    assert hook._STRICT_SCRIPTS in _csp(
        (REPO / "site_overrides/main.html").read_text(encoding="utf-8"), r'Policy" content="([^"]+)"'
    )
