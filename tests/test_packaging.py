"""The package builds into a wheel without warnings, and the installed command works on its own.

The wheel is built from a copy of the sources by the locked setuptools (the floor in
``[build-system]`` is checked against it), installed without a network into a fresh venv that
borrows only the *dependencies* from the project's .venv, and its ``hotline-archive`` command then
validates the real data and renders the pages from the templates inside the wheel.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import REPO


def _run(*command: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    dist = source / "dist"
    # -W error: any warning of the build backend (a package left out of `packages`, a deprecated
    # setting) fails the build.
    build = "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
    result = _run(sys.executable, "-W", "error", "-c", build, dist, cwd=source)
    assert result.returncode == 0, result.stdout + result.stderr
    return dist / result.stdout.splitlines()[-1]


def test_the_build_system_floor_is_the_setuptools_that_builds_it() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (requirement,) = config["build-system"]["requires"]
    floor = re.fullmatch(r"setuptools>=(\d+)", requirement)
    assert floor, requirement
    # A license given as an SPDX expression ("MIT") needs setuptools 77 or later.
    assert config["project"]["license"] == "MIT" and int(floor.group(1)) >= 77
    locked = re.search(r"^setuptools==(\d+)\.", (REPO / "requirements.lock").read_text(encoding="utf-8"), flags=re.M)
    assert locked and int(locked.group(1)) >= int(floor.group(1))
    assert int(version("setuptools").split(".")[0]) >= int(floor.group(1))


def test_the_wheel_carries_the_templates_and_the_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(name for name in names if name.endswith(".dist-info/METADATA"))).decode("utf-8")
    templates = {path.name for path in (REPO / "generator/templates").glob("*.j2")}
    assert templates and {f"generator/templates/{name}" for name in templates} <= names
    assert "generator/py.typed" in names
    assert not any(name.startswith(("tests/", "data/", "site_overrides/")) for name in names)
    assert "License-Expression: MIT" in metadata.splitlines()


def test_the_installed_command_validates_and_renders_the_project(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    python = venv / "bin/python"
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-index", "--no-deps", wheel)
    assert installed.returncode == 0, installed.stderr
    # The dependencies (not the package) come from the project's .venv: a line in a .pth file adds
    # its site-packages after the venv's own, and the editable install there stays inactive
    # (.pth files are not read from folders that a .pth file adds).
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip())
    (purelib / "project-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    # Run outside the checkout, so that its generator/ folder is not the one imported.
    where = _run(python, "-c", "import generator; print(generator.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(purelib), where.stdout + where.stderr

    command = venv / "bin/hotline-archive"
    validated = _run(command, "--root", REPO, "validate", cwd=tmp_path)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    out = tmp_path / "pages"
    rendered = _run(command, "--root", REPO, "render", "--out", out, cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    assert "2023年8月" in (out / "notices/2023/08.md").read_text(encoding="utf-8")


def test_make_site_needs_only_python_and_npm_serves_only_the_tests() -> None:
    def dry_run(target: str) -> str:
        # -B: every target out of date, so the set-up recipes are printed as on a fresh clone.
        result = _run("make", "-n", "-B", target)
        assert result.returncode == 0, result.stderr
        return result.stdout

    site = dry_run("site")
    assert "pip install --quiet --require-hashes -r requirements.lock" in site
    assert "npm" not in site
    assert "npm ci" in dry_run("test")
