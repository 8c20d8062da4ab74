"""An attack corpus in every field, built into a site and opened in a real browser.

All data here is MADE UP (synthetic payloads on a copy of the project). Only payloads that
validation accepts can reach a page, so the site is built from those; the payloads validation
must refuse are checked to be refused. Every built page is then loaded in Debian's Chromium
(see tests/test_browser.py) with the page's own Content-Security-Policy: no dialog, no
navigation, no ``javascript:`` URL, no ``on*`` attribute and no policy violation, anywhere.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
import yaml
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Frame, Page

from generator import DataError, read_archive
from generator.draft import to_yaml
from generator.load import read
from generator.markup import to_html
from tests.conftest import NOTICE, REPO, copy_site_sources, mkdocs_build
from tests.test_browser import browser, serve_directory  # noqa: F401  (shared fixtures)
from tests.test_markup import ACCEPTED, REJECTED

# Plain text fields escape everything; these are the tricks a reader of the issue would try.
TEXT_PAYLOAD = " ".join(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        '"><svg onload=alert(3)>',
        "'><details open ontoggle=alert(4)>",
        "[链接](javascript:alert(5))",
        "<javascript:alert(6)>",
        "&#106;avascript:alert(7)",
        '{: autofocus onfocus="alert(8)" tabindex="0" }',
        "**粗**{: onclick=alert(9)}",
        "![图](https://evil.example/x.png)",
        "<!-- ]]> --> {{ config }} {% raw %} ${alert(10)}",
        '!!! danger "x"',
        "| a | b |",
    ]
)
PUBLISHER_PAYLOAD = "<script>alert(11)</script>\"'{: onclick=alert(12)}"
# Names must also work as page addresses; the first of these the name rules accept is used.
NAME_PAYLOADS = ["<b>单位</b>|[x](javascript:alert(13))", "单位<b>&\"'{:x}", "单位&'", "单位甲"]
_TEXT_KEYS = {"title", "example", "handling", "topic", "text", "heading", "note", "label", "reasons", "topics", "places"}
_TEXT_KEYS |= {"caption", "columns", "reason", "issue_number"}
_TEXT_KEYS |= {"count_label", "unit_label", "score_label"}  # fields only some offices publish, added below
_TEXT_KEYS |= {"plain", "intro"}  # what the importer keeps as printed, added below

# Accepted Markdown that tries its luck anyway, beyond tests/test_markup.py's ACCEPTED.
MARKDOWN = [
    *ACCEPTED.values(),
    '[官网](https://example.org/ "\\"><script>alert(14)</script>")',
    '!!! danger "标题 `<img src=x onerror=alert(15)>` **粗**"\n    [官网][r] 与 <https://example.org/?a="onmouseover=alert(20)//>\n\n[r]: https://example.org/r',
    '???+ question "问题 *斜*"\n    | 甲 | 乙 |\n    | :-: | --- |\n    | `<svg onload=alert(16)>` | \\{: onclick=alert(17)} |',
    "见[运行情况](#operations)、[附件1](#attachment-1)。\n\n    {: onclick=alert(18) }\n\n1. `javascript:alert(19)`",
]


def _poison(value: Any, key: str | None) -> Any:
    if isinstance(value, dict):
        return {k: _poison(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(item, key) for item in value]
    if isinstance(value, str) and key in _TEXT_KEYS:
        return TEXT_PAYLOAD
    return value


def _copy_project(root: Path) -> None:
    root.mkdir()
    shutil.copytree(REPO / "data", root / "data")
    copy_site_sources(root)


def _notice_data(root: Path, name: str, extras: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = _poison(read(root / NOTICE, root=root).data, None)
    data["cases"][0]["areas"][0]["district"] = name
    data["categories"][0]["name"] = name
    data["rankings"]["groups"][0]["rows"][0]["unit"] = name
    data["intake"]["web_channels"]["platforms"][0] = name
    # What other offices publish (not in the real notice): every text field of it, poisoned too.
    data["intake"]["changes"] = [{"basis": "year_on_year", "direction": "up", "percent": 1}]
    data["natures"] = [{"name": name, "count": 1, "share": 1}]
    data["rates"] = [{"name": TEXT_PAYLOAD, "kind": "satisfaction", "rate": 90, "count_label": TEXT_PAYLOAD, "count": 1}]
    data["channels"] = [{"name": name, "count": 1}]
    data["cases"][0]["intro"] = TEXT_PAYLOAD
    data["top_lists"] = [{"caption": TEXT_PAYLOAD, "items": [{"name": name, "count": 1}]}]
    group = data["rankings"]["groups"][0]
    group |= {"unit_label": TEXT_PAYLOAD, "score_label": TEXT_PAYLOAD, "columns": [TEXT_PAYLOAD]}
    group["rows"] = [row | {"values": [TEXT_PAYLOAD]} for row in group["rows"]]
    sections = ["intake", "categories", "cases", "work_updates", "rankings", "web_messages"]
    data["extra_sections"] = [
        {"after": sections[index % len(sections)], "heading": TEXT_PAYLOAD, "text": text} for index, text in enumerate(extras)
    ]
    data["extra_sections"].append(
        {
            "after": "work_updates",
            "heading": "表",
            "plain": f"{TEXT_PAYLOAD}\n{TEXT_PAYLOAD}",
            "table": {"caption": TEXT_PAYLOAD, "columns": [TEXT_PAYLOAD, "件数"], "rows": [[TEXT_PAYLOAD, 1]]},
        }
    )
    return data


def _write(root: Path, name: str, extras: list[str]) -> None:
    data = _notice_data(root, name, extras)
    (root / NOTICE).write_text(to_yaml(data, comment="注入测试(虚构数据,不是真实通报)"), encoding="utf-8")
    units = yaml.safe_load((REPO / "data/units.yaml").read_text(encoding="utf-8"))
    units["units"].append({"name": name, "group": "county"})
    (root / "data/units.yaml").write_text(yaml.safe_dump(units, allow_unicode=True, sort_keys=False), encoding="utf-8")
    publisher = yaml.safe_load((REPO / "data/publisher.yaml").read_text(encoding="utf-8"))
    for key in ("city", "hotline", "site_title", "site_description", "data_license"):
        publisher[key] = PUBLISHER_PAYLOAD
    (root / "data/publisher.yaml").write_text(yaml.safe_dump(publisher, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(root: Path) -> list[str]:
    try:
        read_archive(root)
    except DataError as error:
        return [str(problem) for problem in error.problems]
    return []


@pytest.fixture(scope="module")
def attack_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("attack") / "project"
    _copy_project(root)
    for name in NAME_PAYLOADS:
        _write(root, name, MARKDOWN)
        if not (problems := _problems(root)):
            break
    assert problems == []
    return root


@pytest.fixture(scope="module")
def attack_site(attack_root: Path) -> Path:
    out = attack_root.parent / "site"
    result = mkdocs_build(attack_root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_the_markup_validation_refuses_never_builds(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _copy_project(root)
    _write(root, NAME_PAYLOADS[-1], list(REJECTED.values()))
    problems = _problems(root)
    refused = sorted({int(m[1]) for p in problems if (m := re.search(r" extra_sections\[(\d+)\]\.text: ", p))})
    assert refused == list(range(len(REJECTED)))


def test_pages_embed_exactly_the_html_validation_inspected(attack_site: Path) -> None:
    page = (attack_site / "notices/2023/08/index.html").read_text(encoding="utf-8")
    assert [text for text in MARKDOWN if to_html(text) not in page] == []


def test_no_page_has_an_inline_script_and_every_page_has_the_policy_first(attack_site: Path) -> None:
    pages = sorted(attack_site.rglob("*.html"))
    assert len(pages) > 100 and attack_site / "404.html" in pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL)
        assert [a for a, body in scripts if "src=" not in a and 'type="application/json"' not in a] == [], path
        policy = html.find('http-equiv="Content-Security-Policy"')
        assert 0 < policy < html.find("<script"), path


@pytest.fixture(scope="module")
def attack_url(attack_site: Path) -> Iterator[str]:
    with serve_directory(attack_site) as url:
        yield url


# Every attribute of every element, after the scripts ran: handlers and script URLs, however written.
_DOM_CHECK = """
() => {
  const found = [];
  const urls = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'srcdoc', 'background', 'cite', 'ping'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '');
      if (attr.name.toLowerCase().startsWith('on')) found.push(el.tagName + ' ' + attr.name);
      if (urls.includes(attr.name.toLowerCase()) && /^(javascript|vbscript|data):|^\\/\\/|javascript:/i.test(value))
        found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
    }
  }
  for (const el of document.querySelectorAll('script')) {
    if (el.type !== 'application/json' && new URL(el.src || 'about:blank').origin !== location.origin)
      found.push('script ' + (el.src || el.textContent.slice(0, 40)));
  }
  for (const el of document.querySelectorAll('iframe, object, embed, img, video, audio, base')) found.push(el.tagName);
  return found;
}
"""

_WATCH = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"
)


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, dict[str, list[str]]]]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    seen: dict[str, list[str]] = {"dialogs": [], "navigations": [], "console": []}

    def dialog(d: Dialog) -> None:
        seen["dialogs"].append(d.message)
        d.dismiss()

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text or message.type == "error":
            seen["console"].append(message.text)

    def navigated(frame: Frame) -> None:
        if frame == page.main_frame:
            seen["navigations"].append(unquote(frame.url.split("#")[0]))

    page.on("dialog", dialog)
    page.on("console", console)
    page.on("pageerror", lambda error: seen["console"].append(str(error)))
    page.on("framenavigated", navigated)
    page.add_init_script(_WATCH)
    yield page, seen
    context.close()


def test_every_page_of_the_attack_site_is_inert_in_a_browser(
    watched: tuple[Page, dict[str, list[str]]], attack_site: Path, attack_url: str
) -> None:
    page, seen = watched
    paths = sorted(p.relative_to(attack_site).as_posix() for p in attack_site.rglob("*.html"))
    problems: dict[str, Any] = {}
    for path in paths:
        url = attack_url + quote(path.removesuffix("index.html"))
        for key in seen:
            seen[key].clear()
        page.goto(url, wait_until="load")
        if path == "notices/2023/08/index.html":
            # Focus and pointer events: what autofocus/onfocus/onmouseover payloads wait for.
            for _ in range(40):
                page.keyboard.press("Tab")
            # Tabbing passes the header's search box, whose overlay then covers the page: close it
            # (as a reader would) so the pointer reaches the text below.
            page.keyboard.press("Escape")
            page.evaluate(
                "() => { document.activeElement?.blur(); const s = document.getElementById('__search'); if (s) s.checked = false; }"
            )
            for box in page.locator("article .extra-text, article p, article td").all()[:60]:
                box.hover()
            page.locator("article details summary").first.click()
        page.wait_for_timeout(50)  # lets pending violation events reach the listener; not a timing assertion
        found = {
            "dom": page.evaluate(_DOM_CHECK),
            "csp": page.evaluate("window.__csp"),
            "dialogs": list(seen["dialogs"]),
            "console": list(seen["console"]),
            "navigations": [u for u in seen["navigations"] if u != unquote(url)],
        }
        if any(found.values()):
            problems[path] = found
    assert len(paths) > 100
    assert problems == {}


def test_theme_features_work_under_the_policy(watched: tuple[Page, dict[str, list[str]]], attack_url: str) -> None:
    page, seen = watched
    page.goto(attack_url + "notices/2023/08/")
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    toggled = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert toggled != scheme
    page.reload()  # the choice is stored by theme-base.js and read back by theme-palette.js
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == toggled
    assert page.evaluate("__md_scope.href") == attack_url  # the scope theme-base.js read from its tag
    page.goto(attack_url + "404.html")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == toggled
    assert page.evaluate("__md_scope.href") == attack_url
    assert page.evaluate("window.__csp") == [] and seen["dialogs"] == [] and seen["console"] == []


def test_the_corpus_covers_every_text_field() -> None:
    """Every text field of the notice model is one the poisoning reaches (or set by hand)."""
    schema = json.loads((REPO / "data/schema/notice.schema.json").read_text(encoding="utf-8"))
    names = {
        field
        for definition in [schema, *schema["$defs"].values()]
        for field, spec in definition.get("properties", {}).items()
        if '"string"' in json.dumps(spec) and not re.search(r'"(number|integer|enum|\$ref)"', json.dumps(spec))
    }
    by_hand = {"district", "name", "unit", "platforms"}  # names: set to a hostile name above
    not_text = {"period", "source", "published", "number", "path", "rows"}  # formats, or cells (poisoned as "rows")
    assert names - _TEXT_KEYS - by_hand - not_text == set()
