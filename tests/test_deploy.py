"""deploy/nginx.conf, run by Debian's nginx over the built site: types, headers, caching, 404.

nginx is installed by ``.ci/run`` and by ``make test`` (see tests/nginx.py); this module installs
nothing. Every file of the built site is requested once over HTTPS, through a symbolic link to the
site folder as the atomic publish makes it.
"""

from __future__ import annotations

import gzip
import http.client
import re
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests import nginx
from tests.conftest import REPO, mkdocs_build

# What each kind of file must be sent as. A file kind missing here fails the test: add it to
# deploy/nginx.conf and to this table together.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "text/xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".yaml": "application/yaml; charset=utf-8",
    ".sqlite": "application/vnd.sqlite3",
    ".gz": "application/gzip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
SPECIAL_TYPES = {"feed.xml": "application/atom+xml; charset=utf-8"}
# The kinds of file the issue lists that this site has (it has no SVG file and no font: charts
# are inline SVG and no font is shipped).
EXPECTED_KINDS = {".html", ".css", ".js", ".json", ".xml", ".atom", ".csv", ".yaml", ".sqlite", ".gz"}
HEADERS = {
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}
HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(css|js)(\.map)?$")
_TLS = ssl.create_default_context()
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate


@pytest.fixture(scope="module")
def server(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[nginx.Nginx]:
    work = tmp_path_factory.mktemp("nginx")
    link = work / "site"
    link.symlink_to(built_site, target_is_directory=True)
    with nginx.serve(link, work / "server") as running:
        yield running


def get(url: str, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection: status, headers (lower-case names), body."""
    parts = urlsplit(url)
    assert parts.hostname and parts.port
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(parts.hostname, parts.port, context=_TLS, timeout=60)
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        names = [name.lower() for name, _ in response.getheaders()]
        assert len(names) == len(set(names)), f"a header is sent twice: {names}"
        return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
    finally:
        connection.close()


def csp(policy: str) -> dict[str, set[str]]:
    directives = (part.split() for part in policy.split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


def page_csp(html: str) -> str:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert match, "the page has no CSP <meta>"
    return match.group(1)


def assert_security_headers(headers: dict[str, str], page_policy: str) -> None:
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name
    server = csp(headers["content-security-policy"])
    assert server["script-src"] == {"'self'"}  # no inline script, no eval, no other host
    assert server["default-src"] == {"'self'"}
    assert server["object-src"] == {"'none'"}
    assert server["frame-ancestors"] == {"'none'"}
    assert server["base-uri"] == {"'self'"}
    # At least as strict as the page's own policy: nothing the page forbids is allowed here.
    for name, sources in csp(page_policy).items():
        assert server.get(name, server["default-src"]) <= sources, name


def _site_files(site: Path) -> list[str]:
    """Every file of the site but the 404 page, which is served only for what is missing."""
    names = (path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    return sorted(name for name in names if name != "404.html")


def test_the_configuration_loads_without_warnings(built_site: Path, tmp_path: Path) -> None:
    nginx.prepare(built_site, tmp_path)
    output = nginx.check_config(tmp_path)
    assert "test is successful" in output
    assert "[warn]" not in output and "[emerg]" not in output, output


def test_every_file_has_its_type_security_headers_and_cache_policy(server: nginx.Nginx, built_site: Path) -> None:
    files = _site_files(built_site)
    kinds = {Path(name).suffix for name in files}
    assert kinds <= set(CONTENT_TYPES), f"no Content-Type expected for {kinds - set(CONTENT_TYPES)}"
    assert kinds >= EXPECTED_KINDS
    policy = page_csp((built_site / "index.html").read_text(encoding="utf-8"))
    caches = set()
    for name in files:
        status, headers, body = get(server.https_url, "/" + quote(name))
        assert status == 200, name
        assert body == (built_site / name).read_bytes(), name
        expected_type = SPECIAL_TYPES.get(name, CONTENT_TYPES[Path(name).suffix])
        # nginx 1.22 (Debian 12) says application/javascript; later versions text/javascript.
        assert headers["content-type"].replace("text/javascript", "application/javascript") == expected_type, name
        assert_security_headers(headers, policy)
        expected = "public, max-age=31536000, immutable" if HASHED.search(name) else "no-cache"
        assert headers["cache-control"] == expected, name
        assert "etag" in headers and "last-modified" in headers, name
        assert "content-encoding" not in headers, name  # .gz files are downloads, not encodings
        caches.add(expected)
    assert len(caches) == 2  # both policies were exercised


def test_unversioned_files_are_revalidated_not_cached(server: nginx.Nginx) -> None:
    status, headers, _ = get(server.https_url, "/assets/site.css")
    assert (status, headers["cache-control"]) == (200, "no-cache")
    status, _, body = get(server.https_url, "/assets/site.css", **{"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")


def test_pages_are_compressed_and_the_version_is_hidden(server: nginx.Nginx, built_site: Path) -> None:
    status, headers, body = get(server.https_url, "/notices/2023/08/", **{"Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"], headers["vary"]) == (200, "gzip", "Accept-Encoding")
    assert gzip.decompress(body) == (built_site / "notices/2023/08/index.html").read_bytes()
    assert headers["server"] == "nginx"


def test_a_missing_page_is_the_sites_chinese_404_page(server: nginx.Nginx, built_site: Path) -> None:
    not_found = (built_site / "404.html").read_bytes()
    assert "找不到这个页面".encode() in not_found
    policy = page_csp(not_found.decode("utf-8"))
    for path in ("/no-such-page/", "/notices/2099/01/", "/downloads/notices/2099-01.yaml", "/404.html"):
        status, headers, body = get(server.https_url, path)
        assert (status, body) == (404, not_found), path
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert_security_headers(headers, policy)
    # The 404 page is served at any depth, so what it links to must not depend on the address.
    links = _Links()
    links.feed(not_found.decode("utf-8"))
    assert links.found
    for link in links.found:
        assert link.startswith("/"), link
        assert get(server.https_url, link)[0] == 200, link


def test_folders_redirect_relatively_and_plain_http_moves_to_https(server: nginx.Nginx) -> None:
    status, headers, _ = get(server.https_url, "/notices")
    assert (status, headers["location"]) == (301, "/notices/")
    assert_security_headers(headers, "default-src 'self'")
    status, headers, _ = get(server.http_url, "/notices/2023/08/?a=1", Host="hotline.example.gov.cn")
    assert (status, headers["location"]) == (301, "https://hotline.example.gov.cn/notices/2023/08/?a=1")
    assert "strict-transport-security" not in headers  # meaningless over plain HTTP


def test_no_request_reached_an_error(server: nginx.Nginx) -> None:
    log = server.error_log.read_text(encoding="utf-8")
    assert "[warn]" not in log and "[error]" not in log and "[crit]" not in log, log


def test_a_build_with_the_pages_address_links_absolutely(tmp_path: Path) -> None:
    # actions/configure-pages gives base_url without a trailing slash, under the repository's path.
    base = "https://example.github.io/hotline-archive"
    result = mkdocs_build(REPO, tmp_path, SITE_URL=base)
    assert result.returncode == 0, result.stdout + result.stderr
    locations = re.findall(r"<loc>([^<]+)</loc>", (tmp_path / "sitemap.xml").read_text(encoding="utf-8"))
    assert f"{base}/notices/2023/08/" in locations and all(url.startswith(base + "/") for url in locations)
    notice = (tmp_path / "notices/2023/08/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}/notices/2023/08/">' in notice
    assert f'href="{base}/notices/2023/08/"' in (tmp_path / "feed.xml").read_text(encoding="utf-8")
    assert 'href="/hotline-archive/units/' in notice  # raw-HTML links, written by the generator
    assert 'href="/hotline-archive/assets/' in (tmp_path / "404.html").read_text(encoding="utf-8")


def test_the_readme_shows_the_shipped_configuration() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "```nginx\n" + nginx.CONFIG.read_text(encoding="utf-8") + "```\n" in readme
    assert "[`deploy/nginx.conf`](deploy/nginx.conf)" in readme
    # The README's note on inline scripts must go when the pages stop needing them.
    inline = re.search(r"script-src[^;]*'unsafe-inline'", (REPO / "site_overrides/main.html").read_text(encoding="utf-8"))
    assert ("现在标为预期失败" in readme) == bool(inline), "README: the note on inline scripts is out of date"


def _linkcheck(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "deploy/linkcheck.py"), str(site)], capture_output=True, text=True, timeout=600, check=False
    )


def test_linkcheck_passes_on_the_built_site(built_site: Path) -> None:
    result = _linkcheck(built_site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 warnings found. 0 errors found." in result.stdout


def test_linkcheck_fails_on_a_broken_link_and_a_broken_anchor(built_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    notice = site / "notices/2023/08/index.html"
    planted = '<a href="../../2099/01/">a</a> <a href="../../../units/#no-such-unit">b</a> <a href="#no-such-case">c</a>'
    notice.write_text(notice.read_text(encoding="utf-8").replace("</article>", planted + "</article>", 1), encoding="utf-8")
    result = _linkcheck(site)
    assert result.returncode == 1
    assert re.search(r"Real URL +http://127\.0\.0\.1:\d+/notices/2099/01/\n(.*\n)*?Result +Error: 404", result.stdout)
    words = " ".join(result.stdout.split())  # LinkChecker wraps long warnings
    for anchor in ("no-such-unit", "no-such-case"):
        assert f"Anchor `{anchor}' (decoded: `{anchor}') not found." in words
    assert " 2 warnings found. 1 error found." in result.stdout


def test_linkcheck_needs_a_built_site(tmp_path: Path) -> None:
    result = _linkcheck(tmp_path)
    assert (result.returncode, result.stderr) == (1, f"错误\uff1a{tmp_path} 中没有已构建的网站\uff08先运行 make site\uff09\n")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value and not value.startswith(("#", "data:", "http:", "https:", "mailto:")):
                self.found.append(value.split("#")[0])
