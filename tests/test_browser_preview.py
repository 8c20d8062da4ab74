"""The local preview (``make serve``) in a real browser (Debian's Chromium, as in tests/test_browser.py).

When the data turns invalid while the preview runs, the open page becomes a Chinese page listing every
problem (file:line:col, field, what is expected) instead of hanging on the old page; once the file is
fixed, the page turns back into the site by itself (MkDocs' live reload), without the reader reloading.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from generator import messages
from tests.conftest import Project
from tests.test_browser import ARTIFACTS, browser, page  # noqa: F401  (shared fixtures)

# Hang guards only: a rebuild of the one real notice takes seconds, on a busy machine up to a minute.
START_GUARD = 300
RELOAD_GUARD_MS = 180_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Preview:
    url: str
    terminal: str = ""
    """What the preview printed, once it has stopped."""


@contextlib.contextmanager
def _preview(project: Project) -> Iterator[Preview]:
    """``python -m generator serve`` on the project's copy, as ``make serve`` runs it."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project.root,
        env={k: v for k, v in os.environ.items() if not k.startswith("SITE_")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    preview = Preview(url)
    try:
        deadline = time.monotonic() + START_GUARD
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                with urllib.request.urlopen(url, timeout=30):
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the preview did not start"
                time.sleep(0.5)
        yield preview
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        preview.terminal = process.communicate(timeout=60)[0]


def _rows(tab: Page) -> list[list[str]]:
    cells: list[list[str]] = tab.locator("#preview-problems tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText))"
    )
    return cells


def test_the_preview_shows_every_problem_and_recovers_by_itself(project: Project, page: Page) -> None:  # noqa: F811
    original = project.text()
    with _preview(project) as preview:
        url = preview.url
        page.goto(url + "notices/2023/08/")
        heading = page.locator("article h1")
        expect(heading).to_contain_text("2023年8月12345民呼必应热线工作情况通报")

        line = project.edit("  count: 4524\n", "  count: 4,524\n")
        project.edit("  source: https://pds.gov.cn/contents/22086/610670.html\n", "  source: 待填写\n")
        problems = sorted(project.problems())
        assert len(problems) >= 2

        # The open page reloads by itself into the list of problems.
        expect(heading).to_contain_text("数据有误，预览暂停更新", timeout=RELOAD_GUARD_MS)
        rows = _rows(page)
        assert sorted(f"{where} {field}: {message}" for where, field, message in rows) == problems
        assert [f"data/notices/2023-08.yaml:{line}:10", "categories[1].count"] in [row[:2] for row in rows]
        assert ["data/notices/2023-08.yaml:6:11", "meta.source"] in [row[:2] for row in rows]
        body = page.locator("body").inner_text()
        assert "stuck" not in body
        assert "全部改好后本页会自动变回网站页面" in body
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / "preview-problems.png", full_page=True)

        # Every page of the site says so (written pages too), not only the one that was open.
        for address in ("units/", "units/电信公司/", "about/"):
            page.goto(url + address)
            expect(page.locator("article h1")).to_contain_text("数据有误，预览暂停更新")
        page.goto(url + "notices/2023/08/")

        # Fixed: the same tab turns back into the notice without anyone reloading it.
        project.notice.write_text(original, encoding="utf-8")
        expect(heading).to_contain_text("2023年8月12345民呼必应热线工作情况通报", timeout=RELOAD_GUARD_MS)
        expect(page.locator("#preview-problems")).to_have_count(0)

    # The terminal says the same in Chinese, and nothing of MkDocs' English progress notes.
    report = "\n".join([*problems, "数据校验未通过"])
    assert "数据校验未通过，浏览器中的页面改为列出全部问题，改正并保存后自动恢复：\n" in preview.terminal
    assert all(problem in preview.terminal for problem in report.splitlines()), preview.terminal
    assert f"预览已更新：{url}（修改数据并保存后自动刷新；按 Ctrl+C 结束）" in preview.terminal
    for english in ("Building documentation", "Serving on", "Reloading", "stuck", "end of life"):
        assert english not in preview.terminal, preview.terminal
    # Every line it prints is in the guide's table (generator/messages.py).
    assert not messages.unregistered_output(preview.terminal), messages.unregistered_output(preview.terminal)


def test_a_preview_started_on_invalid_data_shows_the_problems(project: Project, page: Page) -> None:  # noqa: F811
    line = project.edit("  count: 4524\n", "  count: 4,524\n")
    with _preview(project) as preview:
        page.goto(preview.url)
        expect(page.locator("article h1")).to_contain_text("数据有误，预览暂停更新")
        assert [f"data/notices/2023-08.yaml:{line}:10", "categories[1].count"] in [row[:2] for row in _rows(page)]
