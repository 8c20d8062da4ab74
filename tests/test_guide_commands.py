"""Every command the editing guide and the README's staff section show, run exactly as printed.

Each command runs in a fresh shell (``env -i PATH=/usr/bin:/bin HOME=… bash -c``: no activated
environment, nothing of the project on PATH), on a copy of the project that ``make site`` has set up
(the checkout's .venv, linked), once from the project folder and once from data/notices/ in the form
the guide gives for a subfolder. A command shown without a case here, or a case for a command no
longer shown, fails the test: the documents cannot show a command that was never run.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import NOTICE, REPO, copy_site_sources
from tests.test_import import _as_docx

GUIDE = REPO / "content/guide.md"
README = REPO / "README.md"
SUBFOLDER = "data/notices"
HANG_GUARD = 600
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def shown_commands() -> list[str]:
    """The commands in the guide's code blocks and in those of the README's staff section."""
    readme = README.read_text(encoding="utf-8")
    staff = readme[readme.index("## 添加一期通报") :]
    staff = staff[: staff.index("\n## ", 1)]
    commands: list[str] = []
    for text in (GUIDE.read_text(encoding="utf-8"), staff):
        for block in re.findall(r"^ *```sh\n(.*?)^ *```", text, flags=re.MULTILINE | re.DOTALL):
            for line in block.splitlines():
                command = re.sub(r"\s+#\s.*$", "", line).strip()
                if command:
                    commands.append(command)
    return commands


def _source_as(name: str) -> Callable[[Path], None]:
    def prepare(root: Path) -> None:
        (root / NOTICE).unlink()
        _as_docx((root / "data/sources/2023-08.txt").read_text(encoding="utf-8"), root / name)

    return prepare


def _nothing(root: Path) -> None:
    pass


@dataclass(frozen=True)
class Case:
    """What one shown command does on a fresh copy of the project."""

    says: tuple[str, ...]
    """Patterns the output must contain (full-width or ASCII punctuation alike)."""
    code: int = 0
    prepare: Callable[[Path], None] = _nothing
    makes: str | None = None
    """A file the command creates."""
    subfolder: str | None = None
    """The same command as typed in data/notices/ (None: it is itself the subfolder form)."""
    root: bool = True
    """Whether the command as printed is meant for the project folder."""


VALIDATED = (r"校验通过[:：]1 期通报。",)
CASES: dict[str, Case] = {
    "make import FILE=通报原文.docx": Case(
        says=(r"已生成草稿 data/notices/2023-08\.yaml", r"原文中没有找到[,，]需要填写[:：]原文网址"),
        prepare=_source_as("通报原文.docx"),
        makes=NOTICE,
        subfolder="make -sC ../.. import FILE=通报原文.docx",
    ),
    "make import FILE=通报.docx": Case(
        says=(r"已生成草稿 data/notices/2023-08\.yaml",),
        prepare=_source_as("通报.docx"),
        makes=NOTICE,
        subfolder="make -sC ../.. import FILE=通报.docx",
    ),
    "make new PERIOD=2023-09": Case(
        says=(r"已新建 data/notices/2023-09\.yaml",),
        makes="data/notices/2023-09.yaml",
        subfolder="make -sC ../.. new PERIOD=2023-09",
    ),
    "make validate": Case(says=VALIDATED, subfolder="make -sC ../.. validate"),
    "make -sC ../.. validate": Case(says=VALIDATED, root=False),
    "make serve": Case(says=(), subfolder="make -sC ../.. serve"),
    ".venv/bin/hotline-archive -h": Case(
        says=(r"用法[:：](\.\./\.\./)?\.venv/bin/hotline-archive \[-h\]", "显示本帮助并退出", "校验全部数据"),
        subfolder="../../.venv/bin/hotline-archive -h",
    ),
    ".venv/bin/hotline-archive validate data/notices/2023-08.yaml": Case(
        says=VALIDATED, subfolder="../../.venv/bin/hotline-archive validate 2023-08.yaml"
    ),
}


@pytest.fixture
def staff_copy(tmp_path: Path) -> Path:
    """The project as ``make site`` leaves it, in a temporary folder: data, site sources, Makefile and
    the checkout's .venv (linked, and never reinstalled: the lock files are older than its stamp)."""
    stamp = REPO / ".venv/.installed"
    if not stamp.is_file():
        pytest.fail("需要先运行 make site(创建 .venv)")
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "data", root / "data")
    copy_site_sources(root, makefile=True)
    before = stamp.stat().st_mtime - 60
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy(REPO / name, root / name)
        os.utime(root / name, (before, before))
    (root / ".venv").symlink_to(REPO / ".venv")
    return root


def fresh_shell(command: str, cwd: Path, home: Path, **env: str) -> list[str]:
    """``env -i PATH=/usr/bin:/bin HOME=… bash -c command`` in ``cwd``."""
    return [
        "/usr/bin/env",
        "-i",
        "PATH=/usr/bin:/bin",
        f"HOME={home}",
        *(f"{k}={v}" for k, v in env.items()),
        "bash",
        "-c",
        command,
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serves(argv: list[str], cwd: Path, port: int) -> str:
    """Run a preview command until it serves the home page; the page's HTML."""
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + HANG_GUARD
        while True:
            assert process.poll() is None, process.communicate()[0]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
                    return str(response.read().decode("utf-8"))
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the preview did not start"
                time.sleep(0.5)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=60)


def test_every_shown_command_has_a_case() -> None:
    shown = shown_commands()
    assert "make validate" in shown and "make new PERIOD=2023-09" in shown
    assert [command for command in shown if command not in CASES] == []
    assert [command for command in CASES if command not in shown] == []


RUNS = [(command, command, "project" if case.root else "subfolder") for command, case in sorted(CASES.items())] + [
    (command, case.subfolder, "subfolder") for command, case in sorted(CASES.items()) if case.subfolder
]
"""(shown command, what is typed, where): each command as printed, and in data/notices/ as the guide says."""


@pytest.mark.parametrize(("command", "typed", "where"), RUNS, ids=[f"{where}: {typed}" for _, typed, where in RUNS])
def test_a_shown_command_works_as_printed_in_a_fresh_shell(
    command: str, typed: str, where: str, staff_copy: Path, tmp_path: Path
) -> None:
    case = CASES[command]
    case.prepare(staff_copy)
    cwd = staff_copy if where == "project" else staff_copy / SUBFOLDER
    home = tmp_path / "home"
    home.mkdir()
    if command == "make serve":
        port = _free_port()
        page = _serves(fresh_shell(typed, cwd, home, PORT=str(port)), cwd, port)
        assert "2023年8月12345民呼必应热线工作情况通报" in page
        return
    result = subprocess.run(
        fresh_shell(typed, cwd, home), cwd=cwd, capture_output=True, text=True, timeout=HANG_GUARD, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == case.code, output
    assert CHINESE.search(output) and "Traceback" not in output, output
    assert "make:" not in output, output  # nothing of make's own (English) notes
    for pattern in case.says:
        assert re.search(pattern, output), (pattern, output)
    if case.makes:
        assert (staff_copy / case.makes).is_file()


def test_make_site_needs_no_npm(staff_copy: Path, tmp_path: Path) -> None:
    """``make site`` in a shell whose PATH holds make and git only: no npm, no node."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("make", "git"):
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    home = tmp_path / "home"
    home.mkdir()
    argv = ["/usr/bin/env", "-i", f"PATH={tools}", f"HOME={home}", "/bin/bash", "-c", "command -v npm || make site"]
    result = subprocess.run(argv, cwd=staff_copy, capture_output=True, text=True, timeout=HANG_GUARD, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"已发布[:：]site/ 现在是 \.site-releases/000001[(（]1 期通报[)）]。", result.stdout), result.stdout
    assert (staff_copy / "site/notices/2023/08/index.html").is_file()


@pytest.mark.parametrize(
    ("typed", "first_line"),
    [
        ("make new", "用法错误：请写出月份，如 make new PERIOD=2023-09"),
        ("make import", "用法错误：请写出通报原文文件，如 make import FILE=通报.docx"),
        ("make new PERIOD=2023-9", "用法错误：月份应写作“年-月”[,，]如 2023-09[,，]实际为 '2023-9'"),
        ("make import FILE=没有这个文件.docx", "错误[:：]无法读取"),
        ("make import FILE=data/sources/2023-08.txt", r"错误[:：]2023-08\.yaml 已存在[,，]未覆盖[(（]确需覆盖时加 FORCE=1[)）]"),
        ("make new PERIOD=2023-08", "错误[:：]data/notices/2023-08.yaml 已存在，未覆盖：要重新新建，请先删除这个文件或给它改名"),
    ],
)
def test_a_mistyped_make_command_is_explained_in_chinese(typed: str, first_line: str, staff_copy: Path, tmp_path: Path) -> None:
    """The Chinese explanation comes first; make's own last line only says that the command failed."""
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        fresh_shell(typed, staff_copy, home), cwd=staff_copy, capture_output=True, text=True, timeout=HANG_GUARD, check=False
    )
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr  # make's own status for any failed command
    assert re.match(first_line, lines[0]), result.stderr
    # The guide explains this line: 1 is invalid data or an unusable file, 2 a mistyped command.
    code = 1 if first_line.startswith("错误") else 2
    assert re.fullmatch(rf"make: \*\*\* \[Makefile:\d+: (new|import)\] Error {code}", lines[-1]), result.stderr
    assert sorted(p.name for p in (staff_copy / "data/notices").iterdir()) == ["2023-08.yaml"]
