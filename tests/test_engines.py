"""The generator does not depend on one site engine: MkDocs (the default) and Zensical."""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Page

from generator.render import href, site_path
from generator.revisions import date_sitemap, edit_url
from tests.conftest import REPO, git_date
from tests.test_browser import browser, page, serve_directory  # noqa: F401  (shared fixtures)
from tests.test_browser_search import paths, search


def test_raw_html_links_start_at_the_sites_root_path() -> None:
    # MkDocs reads a relative raw-HTML link from the page's address, Zensical from the source file.
    assert site_path(None) == "/"
    assert site_path("https://hotline.example.gov.cn/") == "/"
    assert site_path("https://example.github.io/hotline-archive") == "/hotline-archive/"
    assert href("/", "notices/2023/08.md") == "/notices/2023/08/"
    assert href("/a/", "notices/2023/index.md") == "/a/notices/2023/"
    assert href("/a/", "index.md") == "/a/"
    assert href("/", "units/郏县.md") == "/units/%E9%83%8F%E5%8E%BF/"
    assert href("/", "downloads/notices.csv") == "/downloads/notices.csv"


def _climbs_above_the_root(address: str, url: str) -> bool:
    """Whether a relative ``url`` on the page at ``address`` leaves the site's folder: a server
    at the domain's root forgives that (``/../x`` is ``/x``), one under a path does not."""
    if url.startswith(("#", "/", "data:", "mailto:")) or urlsplit(url).scheme:
        return False
    depth = address.count("/")
    for part in urlsplit(url).path.split("/")[:-1]:
        depth += -1 if part == ".." else 0 if part in {"", "."} else 1
        if depth < 0:
            return True
    return False


def test_climbing_links_are_recognised() -> None:
    assert _climbs_above_the_root("notices/2023/08/", "../../../../units/")
    assert not _climbs_above_the_root("notices/2023/08/", "../../../units/")
    assert not _climbs_above_the_root("", "notices/")


REPOSITORY = "https://example.org/pds/hotline-archive"
SITE_URL = "https://hotline.example.gov.cn/"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built by Zensical (``make site ENGINE=zensical``'s build), not by MkDocs."""
    out = tmp_path_factory.mktemp("zensical") / "site"
    script = REPO / "generator/engines/zensical_build.py"
    environment = {**os.environ, "ZENSICAL": str(REPO / ".venv-zensical/bin/zensical")}
    # A public address at the domain's root: the sitemap lists every page, links stay as without one.
    environment.update(SITE_URL=SITE_URL, SITE_REPO_URL=REPOSITORY, SITE_EDIT_URI="edit/main/")
    result = subprocess.run(
        [sys.executable, str(script), str(out)], capture_output=True, text=True, env=environment, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.zensical
def test_zensical_builds_the_site_with_the_publishers_identity(zensical_site: Path) -> None:
    home = (zensical_site / "index.html").read_text(encoding="utf-8")
    publisher = yaml.safe_load((REPO / "data/publisher.yaml").read_text(encoding="utf-8"))
    assert f"<title>首页 - {publisher['site_title']}</title>" in home
    assert f'<meta name="description" content="{publisher["site_description"]}">' in home
    assert (zensical_site / "notices/2023/08/index.html").is_file()
    assert "assets/stylesheets/modern/" in home  # Zensical's own theme, not Material's
    # Zensical publishes everything in the theme folder: the hook must not be there.
    assert sorted(path.relative_to(zensical_site).as_posix() for path in zensical_site.rglob("*.py")) == []


@pytest.mark.zensical
def test_zensical_links_pass_the_link_check(zensical_site: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "deploy/linkcheck.py"), str(zensical_site)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 warnings found. 0 errors found." in result.stdout


@pytest.mark.zensical
def test_zensical_links_stay_inside_the_site(zensical_site: Path) -> None:
    # The link check serves the site at the domain's root, which forgives links that climb too
    # high; under a path (GitHub Pages) they break. Relative raw-HTML links used to do that here.
    climbing = []
    for file in sorted(zensical_site.rglob("index.html")):
        address = file.parent.relative_to(zensical_site).as_posix() + "/"
        address = "" if address == "./" else address
        for url in re.findall(r'(?:href|src)="([^"]*)"', file.read_text(encoding="utf-8")):
            if _climbs_above_the_root(address, html.unescape(url)):
                climbing.append(f"{address} {url}")
    assert climbing == []


@pytest.mark.zensical
def test_zensical_site_search_finds_the_notice(zensical_site: Path) -> None:
    result = subprocess.run(
        ["node", str(REPO / "tests/search/query.mjs"), str(zensical_site), "交警"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    urls = [json.loads(line)["url"] for line in result.stdout.splitlines()]
    assert "notices/2023/08/#work-updates" in urls


@pytest.mark.zensical
def test_both_engines_publish_the_same_links_and_dates(built_site: Path, zensical_site: Path) -> None:
    # The generator's part of a page (raw-HTML links, the date the data last changed) must not
    # depend on the engine that turns its Markdown into HTML.
    def generated(site: Path) -> tuple[list[str], list[str]]:
        text = (site / "notices/2023/08/index.html").read_text(encoding="utf-8")
        links = sorted(set(re.findall(r'href="(/[^"/][^"]*)"', text)))
        return links, re.findall(r"本页数据最后修改于 ([0-9-]+)。", text)

    mkdocs_links, mkdocs_dates = generated(built_site)
    assert "/units/%E5%B8%82%E4%BA%A4%E8%AD%A6%E6%94%AF%E9%98%9F/" in mkdocs_links  # 市交警支队
    assert generated(zensical_site) == (mkdocs_links, mkdocs_dates)


@pytest.mark.zensical
def test_zensical_edit_links_point_at_the_data_file_as_mkdocs_ones_do(zensical_site: Path) -> None:
    # Zensical's own edit link would point at the staged Markdown; the build gives each page the
    # edit link of its source, as MkDocs' hook does (tests/test_site.py pins the same addresses).
    def edit(path: str) -> list[str]:
        text = (zensical_site / path / "index.html").read_text(encoding="utf-8")
        return re.findall(r'<a href="([^"]*)" title="编辑此页"[^>]*rel="edit">', text)

    assert edit("notices/2023/08") == [f"{REPOSITORY}/edit/main/data/notices/2023-08.yaml"]
    assert edit("about") == [f"{REPOSITORY}/edit/main/content/about.md"]
    assert edit("units") == []  # made from all the data: no one file to edit
    text = (zensical_site / "notices/2023/08/index.html").read_text(encoding="utf-8")
    assert f'<a href="{REPOSITORY}/commits/main/data/notices/2023-08.yaml">查看数据修改记录</a>' in text


@pytest.mark.zensical
def test_zensical_sitemap_is_dated_by_the_data_with_a_stable_gzip_copy(zensical_site: Path) -> None:
    sitemap = (zensical_site / "sitemap.xml").read_text(encoding="utf-8")
    # A notice by its data file, a written page by its own file, the home page by the newest data.
    # The newest change to data/ in a commit of its own, as the build reads git's history.
    newest = ["git", "log", "-1", "--no-merges", "--format=%cs", "--", "data"]
    expected = {
        "notices/2023/08/": git_date("data/notices/2023-08.yaml"),
        "about/": git_date("content/about.md"),
        "": git_date("data") and subprocess.run(newest, cwd=REPO, capture_output=True, text=True, check=True).stdout.strip(),
    }
    for path, date in expected.items():
        entry = f"<url><loc>{SITE_URL}{path}</loc>" + (f"<lastmod>{date}</lastmod>" if date else "") + "</url>"
        assert entry in sitemap, path
    assert sitemap.count("<url>") == len(list(zensical_site.rglob("index.html"))) > 50  # every page
    packed = (zensical_site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed).decode("utf-8") == sitemap
    assert packed[4:8] == b"\0\0\0\0"  # no timestamp: the same bytes on any day


def test_both_engines_date_the_sitemap_with_one_function(tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        "<urlset>\n  <url>\n    <loc>https://x.org/a/?b=1&amp;c</loc>\n  </url><url><loc>https://x.org/</loc></url>\n</urlset>\n"
    )
    assert date_sitemap(tmp_path, {"https://x.org/a/?b=1&c": "2024-01-02"}.get)
    expected = "<urlset>\n  <url><loc>https://x.org/a/?b=1&amp;c</loc><lastmod>2024-01-02</lastmod></url><url><loc>https://x.org/</loc></url>\n</urlset>\n"
    assert sitemap.read_text() == expected
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()).decode() == expected
    # A shape it does not know is left alone, and the build stops rather than publish it undated.
    sitemap.write_text(unknown := "<urlset><url><loc>https://x.org/</loc><priority>1</priority></url></urlset>")
    assert not date_sitemap(tmp_path, lambda address: None)
    assert sitemap.read_text() == unknown
    assert edit_url("https://example.org/o/r", "edit/main", "data/x.yaml") == "https://example.org/o/r/edit/main/data/x.yaml"
    assert (
        edit_url("https://example.org/o/r/", "edit/main/", "content/关于.md")
        == "https://example.org/o/r/edit/main/content/关于.md"
    )
    assert edit_url(None, "edit/main/", "data/x.yaml") is None


def test_the_readme_names_the_engines_end_of_life_and_the_switch() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    version = re.search(r"^ZENSICAL_VERSION := (\S+)$", makefile, re.MULTILINE)
    assert version is not None
    assert f"zensical=={version[1]} " in (REPO / "requirements-zensical.lock").read_text(encoding="utf-8")
    assert "2027-05-05" in readme and "make site ENGINE=zensical" in readme
    assert f"Zensical {version[1]}" in readme
    # The preview is MkDocs' alone, and the README says why there is no Zensical one.
    serve = re.search(r"^serve:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert serve is not None and "zensical" not in serve[1].lower() and "ENGINE" not in serve[1]
    assert "没有 `make serve ENGINE=zensical`" in readme


@pytest.fixture(scope="module")
def zensical_url(zensical_site: Path) -> Iterator[str]:
    with serve_directory(zensical_site) as url:
        yield url


@pytest.mark.zensical
def test_zensical_search_box_finds_the_notice_in_a_browser(page: Page, zensical_url: str) -> None:  # noqa: F811
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    page.goto(zensical_url)
    assert "/notices/2023/08/" in paths(search(page, "交警"))
    assert refused == []


def test_a_missing_zensical_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no-zensical"
    result = subprocess.run(
        [sys.executable, str(REPO / "generator/engines/zensical_build.py"), str(tmp_path / "site")],
        capture_output=True,
        text=True,
        env={**os.environ, "ZENSICAL": str(missing)},
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stderr) == (
        1,
        f"找不到 Zensical\uff08{missing}\uff09\uff1a请用 make site ENGINE=zensical 构建\uff0c它会先安装\n",
    )
    assert not (tmp_path / "site").exists()
