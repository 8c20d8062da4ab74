"""The built site, as a reader gets it: strict MkDocs builds and their HTML."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import REPO, Project, copy_site_sources, git_date, mkdocs_build

SOURCE = REPO / "data/sources/2023-08.txt"
EDIT_LINKS = {"SITE_REPO_URL": "https://example.org/pds/hotline-archive", "SITE_EDIT_URI": "edit/main/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(REPO, out, **EDIT_LINKS)
    assert result.returncode == 0, result.stderr
    yield out


@pytest.fixture(scope="module")
def synthetic_build(synthetic_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SYNTHETIC archive (tests/synthetic) built as a site, strictly."""
    copy_site_sources(synthetic_root)
    out = tmp_path_factory.mktemp("synthetic-site")
    result = mkdocs_build(synthetic_root, out, **EDIT_LINKS)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def article_text(soup: BeautifulSoup) -> str:
    article = soup.find("article")
    assert article is not None
    return article.get_text(" ")


def test_strict_build_makes_every_page(site: Path) -> None:
    for path in ("", "notices", "notices/2023/08", "about"):
        assert (site / path / "index.html").is_file()
    assert page(site, "").find("html")["lang"] == "zh"  # type: ignore[index]


def _source_facts() -> tuple[set[str], set[str]]:
    """Numbers and names (units, places, categories) in the archived text of the notice."""
    text = SOURCE.read_text(encoding="utf-8")
    # "1.8月份…" in the attachment list is item 1 followed by "8月份", not the number 1.8.
    text = re.sub(r"(?<![\d.])(\d)\.(\d+月份)", r"\1 \2", text)
    numbers = set(re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", text))
    names: set[str] = set()
    for line in text.splitlines():
        if line.count("|") >= 3:
            names.add(re.sub(r"\s+", "", line.split("|")[0]))
        names.update(re.findall(r"([一-龥]+类)\d+件", line))
        if line.startswith("涉及区域有"):
            for part in re.split(r"[;；、]", line.split("：", 1)[1].removesuffix("。").removesuffix("等")):
                names.add(part.removesuffix("等。").removesuffix("等"))
    return numbers, names - {"网络单位", "承办单位"}


def test_every_number_and_name_of_the_original_is_on_the_page(site: Path) -> None:
    text = article_text(page(site, "notices/2023/08"))
    on_page = set(re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", text))
    numbers, names = _source_facts()
    assert len(numbers) > 100 and len(names) > 90
    assert sorted(numbers - on_page) == []
    squeezed = re.sub(r"\s+", "", text)
    places = {re.sub(r"^(卫东区|新华区|湛河区)", "", name) for name in names}
    assert sorted(name for name in places if name not in squeezed) == []


def test_search_finds_words_inside_sentences(site: Path) -> None:
    words = (
        "积水",
        "学区划片",
        "电信公司",
        "湛河区",
        "暖气开口费",
        "市交警支队",
        "交警",
        "公安局",
        "燃气公司",
        "供电",
        "自来水",
        "开口费",
    )
    out = subprocess.run(
        ["node", str(REPO / "tests/search/query.mjs"), str(site), "--each"],
        input="".join(w + "\n" for w in words),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = {
        answer["query"]: {url.split("#")[0] for url in answer["urls"]} for answer in map(json.loads, out.stdout.splitlines())
    }
    for word in words:
        assert "notices/2023/08/" in found[word], word
    # The site's own search only: Material's search plugin, index and worker are not used.
    assert not (site / "search/search_index.json").exists()
    assert "search_index" not in (site / "index.html").read_text(encoding="utf-8")


def test_no_request_goes_to_another_host(site: Path) -> None:
    for html in site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["script", "img", "iframe", "link", "source", "video", "audio"]):
            url = tag.get("src") or (tag.get("href") if tag.name == "link" and "stylesheet" in (tag.get("rel") or []) else None)
            assert url is None or not re.match(r"^(https?:)?//", str(url)), (html, url)
        csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert csp is not None and "default-src 'self'" in str(csp["content"])
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_edit_links_point_at_the_data_file(site: Path) -> None:
    def edit(path: str) -> str:
        link = page(site, path).find("a", attrs={"title": "编辑此页"})
        assert link is not None, path
        return str(link["href"])

    assert edit("notices/2023/08") == "https://example.org/pds/hotline-archive/edit/main/data/notices/2023-08.yaml"
    assert edit("about") == "https://example.org/pds/hotline-archive/edit/main/content/about.md"


def test_corrections_are_visible(site: Path) -> None:
    """The notice page says when its data last changed (from git) and links to the file's history."""

    date = git_date("data/notices/2023-08.yaml")
    soup = page(site, "notices/2023/08")
    if date is not None:
        assert f"本页数据最后修改于 {date}。" in article_text(soup)
    else:  # a checkout without the history: no date rather than a wrong one
        assert "本页数据最后修改于" not in article_text(soup)
    link = soup.find("a", string="查看数据修改记录")
    assert link is not None
    assert link["href"] == "https://example.org/pds/hotline-archive/commits/main/data/notices/2023-08.yaml"


def test_footer_links_to_the_editing_guide(site: Path) -> None:
    footer = page(site, "units/电信公司").find("nav", class_="site-footer-links")
    assert footer is not None
    assert [(a.get_text(), a["href"]) for a in footer.find_all("a")] == [
        ("数据说明与下载", "../../data/"),
        ("编辑指南", "../../guide/"),
        ("订阅", "../../feed.xml"),
    ]


def test_navigation_does_not_list_notices(site: Path) -> None:
    nav = page(site, "notices/2023/08").find("nav", class_="md-nav--primary")
    assert nav is not None
    assert [a.get_text(strip=True) for a in nav.find_all("a", class_="md-nav__link")] == [
        "首页",
        "通报档案",
        "单位排名",
        "区域案例",
        "诉求类别",
        "数据下载",
        "关于本站",
    ]


def test_page_html_does_not_grow_with_the_archive(site: Path, synthetic_build: Path) -> None:
    """The navigation lists sections, not notices: a page's chrome is the same with 1 or 8 notices."""

    def chrome(root: Path) -> int:
        soup = page(root, "about")
        article = soup.find("article")
        assert article is not None
        article.decompose()
        return len(str(soup))

    assert chrome(synthetic_build) == chrome(site)


def test_synthetic_archive_builds_strictly_with_every_page(synthetic_build: Path) -> None:
    for path in (
        "notices/2024/03",
        "units/市卫健委",
        "units/市水利局",
        "districts/石龙区",
        "categories/经济发展类",
        "data",
        "notices/2023",
    ):
        assert (synthetic_build / path / "index.html").is_file(), path
    assert (synthetic_build / "downloads/notices.sqlite").is_file()
    assert (synthetic_build / "feed.xml").is_file()
    feed_link = page(synthetic_build, "units/市卫健委").find("link", attrs={"type": "application/atom+xml"})
    assert feed_link is not None and feed_link["href"] == "../../feed.xml"


def test_every_internal_link_resolves(synthetic_build: Path) -> None:
    from urllib.parse import unquote, urljoin, urlsplit

    broken = []
    for html in synthetic_build.rglob("*.html"):
        base = "http://site/" + html.relative_to(synthetic_build).as_posix()
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link"]):
            target = tag.get("href")
            if not target or str(target).startswith(("http:", "https:", "mailto:", "#")):
                continue
            path = unquote(urlsplit(urljoin(base, str(target))).path).lstrip("/")
            file = synthetic_build / path
            if not (file.is_file() or (file / "index.html").is_file()):
                broken.append((html.relative_to(synthetic_build).as_posix(), target))
    assert broken == []


def test_entity_pages_offer_their_own_feed_in_head_and_on_the_page(synthetic_build: Path) -> None:
    from urllib.parse import unquote

    for path in ("units/市卫健委", "districts/石龙区", "categories/经济发展类"):
        soup = page(synthetic_build, path)
        links = [link["href"] for link in soup.find_all("link", attrs={"type": "application/atom+xml"})]
        feed = path.replace("/", "-") + ".atom"
        assert links[0] == "../../feed.xml" and unquote(str(links[1])) == f"/{feed}", links
        assert (synthetic_build / feed).is_file()
        article = soup.find("article")
        assert article is not None
        visible = article.find("a", attrs={"type": "application/atom+xml"})
        assert visible is not None and visible["href"] == links[1] and visible.get_text().startswith("订阅")


def test_the_district_back_link_is_not_part_of_the_last_case(synthetic_build: Path) -> None:
    article = page(synthetic_build, "districts/石龙区").find("article")
    assert article is not None
    back = article.find("a", string="全部区域")
    assert back is not None and back.find_parent("li") is None
    assert "全部区域" not in article.find_all("li")[-1].get_text()


def test_years_pages_build_strictly_and_their_links_and_anchors_resolve(long_root: Path, tmp_path: Path) -> None:
    """A SYNTHETIC archive long enough for years pages, built strictly: every link from an entity's
    pages reaches a page, and every #year-… anchor a section of it."""
    from urllib.parse import unquote, urljoin, urlsplit

    copy_site_sources(long_root)
    out = tmp_path / "site"
    result = mkdocs_build(long_root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    years_pages = sorted(out.glob("*/*/*-*/index.html"))
    assert len(years_pages) > 100
    broken, checked = [], 0
    for html in [
        p for p in out.glob("*/*/index.html") if p.parent.parent.name in ("units", "districts", "categories")
    ] + years_pages:
        base = "http://site/" + html.relative_to(out).as_posix()
        for tag in BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find_all("a"):
            url = urlsplit(urljoin(base, str(tag.get("href", ""))))
            if url.netloc != "site" or not url.fragment.startswith("year-"):
                continue
            target = out / unquote(url.path).lstrip("/")
            target = target if target.suffix == ".html" else target / "index.html"
            checked += 1
            if not target.is_file() or f'id="{url.fragment}"' not in target.read_text(encoding="utf-8"):
                broken.append((html.relative_to(out).as_posix(), tag["href"]))
    assert broken == [] and checked > 500


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[点我](javascript:alert(3))",
    "![图](https://evil.example/x.png)",
    "a|b|c",
    "**粗** _斜_ `码`",
    "{{ config }} {% raw %}",
    "\u202e反向文字",
]


def test_injected_text_appears_only_as_text(project: Project, tmp_path: Path) -> None:
    payload = " ".join(PAYLOADS)
    quoted = json.dumps(payload, ensure_ascii=False)
    project.edit("  topic: 学区划片问题\n", f"  topic: {quoted}\n")
    project.edit("- title: 各级领导高度重视热线工作\n", f"- title: {quoted}\n")
    example = next(line for line in project.text().splitlines() if line.startswith("  example: 湛河区湛南路"))
    project.edit(example + "\n", f"  example: {quoted}\n")
    project.edit("    - 荣邦花园\n", f"    - {quoted}\n")
    project.edit("  title: 2023年8月12345民呼必应热线工作情况通报\n", f"  title: {quoted}\n")
    out = tmp_path / "site"
    result = mkdocs_build(project.root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    soup = page(out, "notices/2023/08")
    assert [s for s in soup.find_all("script") if "alert" in s.get_text()] == []
    assert [tag for tag in soup.find_all(True) if tag.has_attr("onerror")] == []
    assert [a for a in soup.find_all("a") if str(a.get("href", "")).startswith("javascript")] == []
    assert [i for i in soup.find_all("img") if "evil" in str(i.get("src"))] == []
    text = article_text(soup)
    visible = payload.replace("\u202e", "")
    assert text.count(visible) >= 4
    assert "alert(1)" in (soup.title.get_text() if soup.title else "")


def test_acknowledged_inconsistency_is_explained_on_the_page(project: Project, tmp_path: Path) -> None:
    project.edit("  reply_rate: 100\n", "  reply_rate: 98\n")
    project.notice.write_text(
        project.text() + "acknowledged:\n- check: rates\n  path: intake.web.reply_rate\n  reason: 原通报如此印刷。\n",
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = mkdocs_build(project.root, out)
    assert result.returncode == 0, result.stderr
    text = article_text(page(out, "notices/2023/08"))
    assert (
        "办结率、回复率与件数相符（intake.web.reply_rate）：与件数不符：178 / 178 = 100.00%，此处为 98%。说明：原通报如此印刷。"
        in text
    )
    assert "办结率、回复率与件数相符：原通报有不一致之处，见页首说明" in text


def test_invalid_data_fails_the_build_with_every_message(project: Project, tmp_path: Path) -> None:
    project.edit("  count: 4524\n", "  count: 4,524\n")
    project.edit("  total: 56644\n", "  total: 五万\n")
    out = tmp_path / "site"
    result = mkdocs_build(project.root, out)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "数据校验未通过，未生成网站" in output
    assert "data/notices/2023-08.yaml:67:10 categories[1].count: 应为整数，实际为 '4,524'" in output
    assert "data/notices/2023-08.yaml:8:10 intake.total: 应为整数，实际为 '五万'" in output
    assert "Traceback" not in output
    assert not out.exists()


def test_every_table_has_a_caption_and_headers(synthetic_build: Path) -> None:
    for html in synthetic_build.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for table in soup.find_all("table"):
            assert table.find("caption") is not None, html
            assert table.find("th") is not None, html


def test_every_chart_has_a_text_alternative(synthetic_build: Path) -> None:
    charts = 0
    for html in synthetic_build.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for svg in soup.find_all("svg", class_="chart"):
            charts += 1
            title, desc = str(svg["aria-labelledby"]).split()
            assert soup.find(id=title).get_text() and soup.find(id=desc).get_text()  # type: ignore[union-attr]
            assert svg["role"] == "img"
    assert charts > 8


def test_a_shallow_clone_builds_without_dates_and_says_why(tmp_path: Path) -> None:
    """A shallow clone has lost the history the pages' dates come from: whatever its depth, it builds
    the same bytes, without dates, and says why."""
    origin = tmp_path / "origin"
    origin.mkdir()
    for name in ("data", "content", "site_overrides", "generator"):
        shutil.copytree(REPO / name, origin / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", origin / "mkdocs.yml")

    def git(*arguments: str, cwd: Path = origin, date: str = "2024-01-02T00:00:00Z") -> None:
        identity = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t"}
        dates = {"GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", *arguments], cwd=cwd, env={**os.environ, **identity, **dates}, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "data")
    (origin / "content/about.md").write_text("# 关于\n\n改过。\n", encoding="utf-8")
    git("commit", "-q", "-a", "-m", "later", date="2025-03-04T00:00:00Z")
    (origin / "content/about.md").write_text("# 关于\n\n又改过。\n", encoding="utf-8")
    git("commit", "-q", "-a", "-m", "latest", date="2025-05-06T00:00:00Z")
    outputs = []
    for depth in ("1", "2"):
        clone = tmp_path / f"clone-{depth}"
        git("clone", "-q", "--depth", depth, origin.as_uri(), str(clone))
        # Not --quiet (as mkdocs_build is): the reason is printed at MkDocs' INFO level.
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / f"out-{depth}")],
            cwd=clone,
            env={k: v for k, v in os.environ.items() if not k.startswith("SITE_")} | {"SITE_URL": "https://example.org/"},
            capture_output=True,
            text=True,
            check=False,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "这是浅克隆（git clone --depth），没有数据文件的完整修改历史，因此页面和 sitemap.xml 不写修改日期" in output
        assert "<lastmod>" not in (tmp_path / f"out-{depth}/sitemap.xml").read_text(encoding="utf-8")
        outputs.append(
            {
                p.relative_to(tmp_path / f"out-{depth}"): p.read_bytes()
                for p in (tmp_path / f"out-{depth}").rglob("*")
                if p.is_file()
            }
        )
    assert outputs[0] == outputs[1]
    full = mkdocs_build(origin, tmp_path / "full", SITE_URL="https://example.org/")
    assert full.returncode == 0, full.stderr
    sitemap = (tmp_path / "full/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/notices/2023/08/</loc><lastmod>2024-01-02</lastmod>" in sitemap
    assert "<loc>https://example.org/about/</loc><lastmod>2025-05-06</lastmod>" in sitemap
