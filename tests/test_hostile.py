"""The hostile corpus: made-up data files that once crashed the build or slipped past validation.

Each case under ``tests/hostile/rejected/`` must make ``python -m generator validate`` exit 1 with
its expected message, no traceback and no "internal error", in under five seconds of CPU time;
each case under ``tests/hostile/accepted/`` must validate AND build with ``mkdocs build --strict``:
whatever validation lets through, the site can publish.

A case is a YAML text whose first lines are comments read here::

    # 测试用的虚构样本,不是真实通报
    # file: data/notices/2023-09.yaml
    # expect: 不能使用锚点

``file`` is where the case is placed in a scratch copy of the project (beside the real data);
``expect`` (rejected cases only) is a substring the output must contain. A case too big to commit
is a Python file of the same folder instead, whose ``text()`` returns the case's text.
Files are named after the area that added them (``load-…``, ``sem-…``, ``out-…``).
"""

from __future__ import annotations

import importlib.util
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import messages
from tests.conftest import REPO, copy_site_sources, mkdocs_build

CORPUS = Path(__file__).resolve().parent / "hostile"
CPU_SECONDS = 5
"""The issue's bound on answering one hostile file; CPU time, so that a busy machine does not fail it."""
HANG_GUARD = 120
"""Wall-clock seconds after which a validation counts as hung (generous: the machine may be loaded)."""


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    """Where the case goes, relative to the project root."""
    expect: str | None
    text: str


def _text(path: Path) -> str:
    if path.suffix != ".py":
        return path.read_text(encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"hostile_{path.stem.replace('-', '_')}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.text()
    return text


def _case(path: Path) -> Case:
    text = _text(path)
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        if key in ("file", "expect"):
            header[key] = value.strip()
    assert "虚构" in text.splitlines()[0], f"{path.name}: the first line must say the sample is made up (虚构)"
    assert "file" in header, f"{path.name}: no '# file:' line"
    file = header["file"]
    assert file.startswith("data/") and ".." not in Path(file).parts, f"{path.name}: '# file:' must be under data/"
    return Case(path.name, file, header.get("expect"), text)


def _cases(kind: str) -> list[Case]:
    return [_case(p) for p in sorted((CORPUS / kind).iterdir()) if p.suffix in (".yaml", ".py")]


REJECTED = _cases("rejected")
ACCEPTED = _cases("accepted")


def _project(root: Path, *, site: bool) -> Path:
    """A scratch copy of the project: its data, and for builds the site files as well."""
    shutil.copytree(REPO / "data", root / "data")
    if site:
        copy_site_sources(root)
    return root


def _place(root: Path, case: Case) -> None:
    target = root / case.file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.text.encode("utf-8"))


def _validate(root: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """``python -m generator validate`` in ``root``; the result and the CPU seconds it took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate"],
        cwd=root,
        # The generator of this checkout, whatever the environment has installed.
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def test_the_corpus_has_both_kinds() -> None:
    assert REJECTED
    assert ACCEPTED
    assert all(case.expect for case in REJECTED), [case.name for case in REJECTED if not case.expect]
    assert not [case.name for case in ACCEPTED if case.expect], "accepted cases expect no message"


@pytest.mark.parametrize("case", REJECTED, ids=[case.name for case in REJECTED])
def test_a_rejected_case_is_answered_with_a_message(case: Case, tmp_path: Path) -> None:
    root = _project(tmp_path, site=False)
    _place(root, case)
    result, cpu = _validate(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert case.expect is not None and case.expect in output, output
    assert case.file in output, output
    assert "Traceback" not in output, output
    assert "程序内部出错" not in output, output
    assert not messages.unregistered(result.stderr.splitlines()), "not in the guide's table (generator/messages.py)"
    assert cpu < CPU_SECONDS, f"{case.name}: {cpu:.1f} s of CPU"


@pytest.mark.parametrize("case", ACCEPTED, ids=[case.name for case in ACCEPTED])
def test_an_accepted_case_validates(case: Case, tmp_path: Path) -> None:
    root = _project(tmp_path, site=False)
    _place(root, case)
    result, _ = _validate(root)
    assert result.returncode == 0, result.stdout + result.stderr


def _batches(cases: list[Case]) -> list[list[Case]]:
    """Cases grouped so that no two in a group go to the same file: one build per group."""
    batches: list[list[Case]] = []
    for case in cases:
        batch = next((b for b in batches if all(other.file != case.file for other in b)), None)
        if batch is None:
            batches.append([case])
        else:
            batch.append(case)
    return batches


def test_what_validation_accepts_the_site_builds(tmp_path: Path) -> None:
    # Every accepted case together (a different file each), so the slow build runs once or twice.
    for index, batch in enumerate(_batches(ACCEPTED)):
        root = _project(tmp_path / f"project-{index}", site=True)
        for case in batch:
            _place(root, case)
        validated, _ = _validate(root)
        assert validated.returncode == 0, validated.stdout + validated.stderr
        out = tmp_path / f"site-{index}"
        built = mkdocs_build(root, out)
        assert built.returncode == 0, built.stderr
        assert "Traceback" not in built.stderr
        for case in batch:
            name = Path(case.file).name
            if case.file.startswith("data/notices/") and name[:7].isascii():
                assert (out / "notices" / name[:4] / name[5:7] / "index.html").is_file(), case.name
