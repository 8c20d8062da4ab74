from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import Project


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(project.root), "validate") == (0, "校验通过:1 期通报。\n", "")


def test_validate_invalid(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = project.edit("  count: 4524\n", "  count: 4,524\n")
    assert run(capsys, "--root", str(project.root), "validate") == (
        1,
        "",
        f"data/notices/2023-08.yaml:{line}:10 categories[1].count: 应为整数,实际为 '4,524'\n数据校验未通过:1 个文件中共有 1 处问题。\n",
    )


def test_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["frobnicate"])
    assert exited.value.code == 2
    assert "用法错误:" in capsys.readouterr().err


def test_render_writes_pages_and_replaces_only_its_own_output(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pages"
    assert run(capsys, "--root", str(project.root), "render", "--out", str(out))[0] == 0
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {
        "index.md",
        "notices/2023/08.md",
        "units/电信公司.md",
        "downloads/notices.sqlite",
        "feed.xml",
        ".generator-output",
    } <= written
    assert run(capsys, "--root", str(project.root), "render", "--out", str(out))[0] == 0
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("别删我", encoding="utf-8")
    code, _, err = run(capsys, "--root", str(project.root), "render", "--out", str(foreign))
    assert (code, err) == (1, f"错误:拒绝覆盖:{foreign} 不是空文件夹,也不是本工具生成的文件夹\n")
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "别删我"


def test_render_refuses_the_data_folder(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.as_posix() for p in (project.root / "data").rglob("*"))
    code, _, err = run(capsys, "--root", str(project.root), "render", "--out", str(project.root / "data" / "pages"))
    assert (code, err) == (1, "错误:不能把页面写进数据文件夹 data\n")
    assert sorted(p.as_posix() for p in (project.root / "data").rglob("*")) == before


def test_render_writes_nothing_from_invalid_data(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project.edit("  count: 4524\n", "  count: x\n")
    out = tmp_path / "pages"
    assert run(capsys, "--root", str(project.root), "render", "--out", str(out))[0] == 1
    assert not out.exists()
