"""Shared fixtures: a scratch copy of the project whose data each test may change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import DataError, Site, messages, read_archive, render_site
from tests.synthetic import consecutive_periods, make_archive

REPO = Path(__file__).resolve().parent.parent
NOTICE = "data/notices/2023-08.yaml"


def copy_site_sources(root: Path, *, makefile: bool = False) -> None:
    """Copy what builds a site from ``root``'s data (pages, theme overrides, generator, mkdocs.yml;
    the Makefile when asked) into ``root``."""
    for name in ("content", "site_overrides", "generator"):
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "Makefile") if makefile else ("mkdocs.yml",):
        shutil.copy(REPO / name, root / name)


def mkdocs_build(root: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A strict ``mkdocs build`` of the project at ``root`` into ``out``; SITE_* settings only as given."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SITE_")} | {"NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the current output")
    parser.addoption(
        "--browser-server", choices=["python", "nginx"], default="python", help="serve the browser tests' site with this server"
    )


@dataclass
class Project:
    """A copy of the project's data (and, for site builds, its site files) in a temporary folder."""

    root: Path

    @property
    def notice(self) -> Path:
        return self.root / NOTICE

    def text(self) -> str:
        return self.notice.read_text(encoding="utf-8")

    def edit(self, old: str, new: str) -> int:
        """Replace one exact fragment of the notice file; return the 1-based line it is on."""
        text = self.text()
        assert text.count(old) == 1, f"fragment must occur once: {old!r}"
        line = text[: text.index(old)].count("\n") + 1
        self.notice.write_text(text.replace(old, new), encoding="utf-8")
        return line

    def problems(self) -> list[str]:
        try:
            read_archive(self.root)
        except DataError as error:
            found = [str(problem) for problem in error.problems]
            # Every message a test meets is listed in the guide's table (generator/messages.py).
            assert not messages.unregistered(found), messages.unregistered(found)
            return found
        return []


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "data", root / "data")
    copy_site_sources(root)
    return Project(root)


@pytest.fixture(scope="session")
def synthetic_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SYNTHETIC archive (see tests/synthetic): made-up months for the multi-month views."""
    return make_archive(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="session")
def synthetic_site(synthetic_root: Path) -> Site:
    return render_site(read_archive(synthetic_root))


@pytest.fixture(scope="session")
def long_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SYNTHETIC archive of 30 months (2008-07 to 2010-12, two decades): long enough for the years pages."""
    return make_archive(tmp_path_factory.mktemp("long"), consecutive_periods(30, "2008-07"))


@pytest.fixture(scope="session")
def long_site(long_root: Path) -> Site:
    return render_site(read_archive(long_root))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once, strictly, with no SITE_* settings (shared by the server tests)."""
    out = tmp_path_factory.mktemp("built-site")
    result = mkdocs_build(REPO, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def git_date(path: str) -> str | None:
    """The date of the last commit that changed ``path``, as the build dates pages: None where the
    checkout has no full history (a shallow clone, or no git at all), where pages carry no date."""

    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()

    if git("rev-parse", "--is-shallow-repository") != "false":
        return None
    return git("log", "-1", "--format=%cs", "--", path) or None
