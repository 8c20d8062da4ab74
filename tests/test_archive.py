"""Finding the data files: nothing named almost like a notice is skipped without a word, nothing
but a regular file is read, and an empty or unreadable data folder never passes as an empty archive."""

from __future__ import annotations

import gc
import os
import shutil
import socket
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from generator.archive import find_notices, read_archive
from generator.errors import DataError
from tests.conftest import NOTICE, Project, mkdocs_build

NOT_A_NOTICE = "不是通报数据文件的名称，未读取：通报文件应命名为“年-月.yaml”（半角数字、小写扩展名，如 2023-09.yaml）；"
NOT_REGULAR = "不是普通文件，未读取；数据文件只能是普通文件"
NONE_FOUND = "data/notices: 没有找到任何通报数据文件（应为 data/notices/年-月.yaml），不会生成空的网站"


def validate(root: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """``validate`` in a process of its own; the timeout only guards against a hang (a named pipe)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "validate", *files],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_zero_notices_is_an_error_not_an_empty_archive(project: Project) -> None:
    project.notice.unlink()
    assert project.problems() == [NONE_FOUND]
    result = validate(project.root)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(NONE_FOUND + "\n")


def test_a_missing_data_folder_is_an_error(project: Project) -> None:
    shutil.rmtree(project.root / "data/notices")
    assert project.problems() == ["data/notices: 文件夹不存在，无法读取通报数据"]


def test_an_unreadable_data_folder_is_an_error(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests may run as root, whom permissions do not stop; the refusal is what the OS reports.
    def scandir(path: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", scandir)
    assert project.problems() == ["data/notices: 没有读取权限，无法读取通报数据"]


def test_a_data_folder_that_is_a_link_or_a_file_is_refused(project: Project, tmp_path: Path) -> None:
    shutil.move(project.root / "data/notices", tmp_path / "elsewhere")
    (project.root / "data/notices").symlink_to(tmp_path / "elsewhere")
    refused = ["data/notices: 应为文件夹（不能是符号链接或文件），无法读取通报数据"]
    assert project.problems() == refused
    (project.root / "data/notices").unlink()
    (project.root / "data/notices").write_text("", encoding="utf-8")
    assert project.problems() == refused


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("2023-09.YAML", "是否应为 2023-09.yaml\uff1f"),
        ("2023-09.Yml", "是否应为 2023-09.yaml\uff1f"),
        ("2023-09.yaml.txt", "是否应为 2023-09.yaml\uff1f"),
        ("2023-09.yaml.bak", "是否应为 2023-09.yaml\uff1f"),
        ("2023-9.yaml", "是否应为 2023-09.yaml\uff1f"),
        ("2023_09.yaml", "是否应为 2023-09.yaml\uff1f"),
        ("\uff12\uff10\uff12\uff13-09.yaml", "是否应为 2023-09.yaml\uff1f"),
        ("2023-09 (1).yaml", ""),
        ("九月.yaml", ""),
        ("README.md", ""),
    ],
)
def test_files_named_almost_like_notices_are_reported(project: Project, name: str, hint: str) -> None:
    (project.root / "data/notices" / name).write_text(project.text(), encoding="utf-8")
    assert project.problems() == [f"data/notices/{name}: {NOT_A_NOTICE}{hint}其他文件请移出 data/notices/"]


def test_a_full_width_name_does_not_publish_a_second_month(project: Project) -> None:
    """The measured case: ２０２３-09.yaml beside 2023-09.yaml with a full-width period."""
    september = project.text().replace("period: 2023-08", "period: 2023-09")
    (project.root / "data/notices/2023-09.yaml").write_text(september, encoding="utf-8")
    (project.root / "data/notices/\uff12\uff10\uff12\uff13-09.yaml").write_text(september, encoding="utf-8")
    result = validate(project.root)
    assert result.returncode == 1
    assert f"data/notices/\uff12\uff10\uff12\uff13-09.yaml: {NOT_A_NOTICE}" in result.stderr


def test_editor_files_are_ignored(project: Project) -> None:
    for name in (".2023-08.yaml.swp", "2023-08.yaml~", "#2023-08.yaml#", ".DS_Store"):
        (project.root / "data/notices" / name).write_text("垃圾", encoding="utf-8")
    (project.root / "data/notices/.#2023-08.yaml").symlink_to("user@host.1234")  # Emacs' lock: a dangling link
    assert find_notices(project.root) == ([project.notice], [])
    assert project.problems() == []


def _irregular(root: Path, name: str, kind: str, tmp_path: Path) -> None:
    target = root / name
    target.unlink(missing_ok=True)
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "dangling link":
        target.symlink_to(tmp_path / "nothing-here.yaml")
    elif kind == "link outside":
        target.symlink_to("/etc/passwd")
    elif kind == "link inside":
        target.symlink_to(root / NOTICE)
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(target))  # the socket file stays after closing: it is what data folders could hold


KINDS = {
    "folder": "文件夹",
    "fifo": "命名管道",
    "dangling link": "符号链接",
    "link outside": "符号链接",
    "link inside": "符号链接",
    "socket": "套接字",
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_non_regular_notice_files_are_refused_unread(project: Project, tmp_path: Path, kind: str) -> None:
    _irregular(project.root, "data/notices/2023-09.yaml", kind, tmp_path)
    result = validate(project.root)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"data/notices/2023-09.yaml: 是{KINDS[kind]}\uff0c{NOT_REGULAR}\n")
    assert "root:" not in result.stderr


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("name", ["data/publisher.yaml", "data/units.yaml"])
def test_non_regular_publisher_and_unit_files_are_refused_unread(project: Project, tmp_path: Path, name: str, kind: str) -> None:
    if kind == "link inside":
        shutil.move(project.root / name, project.root / "data/moved.yaml")
        (project.root / name).symlink_to(project.root / "data/moved.yaml")
    else:
        _irregular(project.root, name, kind, tmp_path)
    result = validate(project.root)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"{name}: 是{KINDS[kind]}\uff0c{NOT_REGULAR}\n")
    assert "root:" not in result.stderr


def test_files_given_to_validate_get_the_same_refusals(project: Project, tmp_path: Path) -> None:
    os.mkfifo(project.root / "data/notices/2023-09.yaml")
    (project.root / "data/notices/2023-10.yaml").symlink_to("/etc/passwd")
    wide = project.root / "data/notices/\uff12\uff10\uff12\uff13-11.yaml"
    wide.write_text(project.text(), encoding="utf-8")
    result = validate(project.root, "data/notices/2023-09.yaml", "data/notices/2023-10.yaml", str(wide), NOTICE)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"data/notices/2023-09.yaml: 是命名管道，{NOT_REGULAR}",
        f"data/notices/2023-10.yaml: 是符号链接，{NOT_REGULAR}",
        f"data/notices/\uff12\uff10\uff12\uff13-11.yaml: {NOT_A_NOTICE}是否应为 2023-11.yaml\uff1f其他文件请移出 data/notices/",
        "数据校验未通过：3 个文件中共有 3 处问题。",
    ]


def test_the_site_build_stops_on_an_empty_archive(project: Project, tmp_path: Path) -> None:
    """`make site` and `serve` read the data through the hook: no notices, no new site."""
    project.notice.unlink()
    result = mkdocs_build(project.root, tmp_path / "out")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert NONE_FOUND in output
    assert "Traceback" not in output
    assert not (tmp_path / "out").exists()


def test_invisible_characters_never_reach_pages_or_the_yaml_download(project: Project) -> None:
    title = "2023年8月12345民呼必应热线工作情况通报"
    project.edit(f"  title: {title}\n", f"  title: \u202e{title[:4]}\u200b{title[4:]}\u200f\n")
    record = read_archive(project.root).notices[0]
    assert record.notice.meta.title == title
    assert f"  title: {title}\n" in record.text
    assert not any(char in record.text for char in "\u202e\u200b\u200f")


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_found_it(project: Project, enabled: bool) -> None:
    # Reading pauses the collector (generator.archive.collector_paused); a failed read restores it too.
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        read_archive(project.root)
        assert gc.isenabled() is enabled
        project.notice.unlink()
        with pytest.raises(DataError):
            read_archive(project.root)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_what_a_reading_sets_aside_is_collected_after_the_next(project: Project) -> None:
    """Reading sets everything alive aside from the collector (generator.archive.read_archive);
    the next reading gives it back, so the preview, which reads again on every save, frees the
    cycles its last build left."""

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    was = gc.isenabled()
    gc.enable()
    try:
        left = Cycle()
        alive = weakref.ref(left)
        read_archive(project.root)
        del left
        gc.collect()
        assert alive() is not None, "set aside while the site is built"
        read_archive(project.root)
        gc.collect()
        assert alive() is None
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()
