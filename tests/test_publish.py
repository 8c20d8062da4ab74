"""Publishing: ``site`` is always the complete old or the complete new site, whatever happens.

The builds here are FAKE: a few made-up files written slowly, so that a process can be killed at
every step within seconds; one test goes through the real ``make site``.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from generator import publish as publish_module
from generator.cli import _parser
from generator.publish import KEEP, LOCK, RELEASES, Build, PublishError, build_command, notice_count, publish
from tests.conftest import REPO, copy_site_sources
from tests.synthetic import consecutive_periods, make_archive

Manifest = dict[str, str]


def fake_site(version: str, notices: int = 3) -> dict[str, bytes]:
    """A made-up site whose every file says which version it is."""
    page = f"<!doctype html><title>测试网站 {version}</title><p>第 {version} 版</p>\n".encode()
    return {
        "index.html": page,
        "about/index.html": page + b"about",
        "notices/2023/08/index.html": page + b"notice",
        "assets/site.css": f"/* {version} */ body {{ margin: 0 }}\n".encode(),
        "downloads/notices.json": json.dumps({"version": version, "notices": [{}] * notices}).encode(),
        "downloads/notices/2023-08.csv": f"版本，{version}\n".encode(),
    }


def fake_build(version: str, notices: int = 3, *, step: Callable[[str], None] = lambda _: None, delay: float = 0) -> Build:
    """Writes ``fake_site`` file by file, each in two halves, calling ``step`` between writes."""

    def build(out: Path) -> None:
        for name, content in fake_site(version, notices).items():
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as file:
                file.write(content[: len(content) // 2])
                file.flush()
                step(f"write {name}")
                time.sleep(delay)
                file.write(content[len(content) // 2 :])
            step(f"wrote {name}")

    return build


def expected(version: str, notices: int = 3) -> Manifest:
    return {name: hashlib.sha256(content).hexdigest() for name, content in fake_site(version, notices).items()}


def manifest(site: Path) -> Manifest | None:
    """Every file under ``site`` (through the link) with its hash; None when ``site`` is absent."""
    if not site.is_dir():
        return None
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def write_folder(site: Path, version: str, notices: int = 3) -> None:
    """The site as the old Makefile left it: a real folder."""
    for name, content in fake_site(version, notices).items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(content)


def assert_no_leftovers(root: Path) -> None:
    names = sorted(p.name for p in (root / RELEASES).iterdir())
    assert all(re.fullmatch(r"\d{6}", name) for name in names if name != LOCK), names
    assert len(names) <= KEEP + 1
    assert not os.path.lexists(root / ".site-next")
    assert (root / "site").readlink().as_posix() == f"{RELEASES}/{max(n for n in names if n != LOCK)}"


def killer(at: int) -> Callable[[str], None]:
    """A step hook that SIGKILLs its own process at the ``at``-th step (counting from 0)."""
    count = iter(range(at + 1))

    def step(_: str) -> None:
        if next(count, at) == at:
            os.kill(os.getpid(), signal.SIGKILL)

    return step


def start_child(work: Callable[[], object], *, user: int | None = None) -> int:
    """Run ``work`` in a forked process (optionally as another user); its process id."""
    with warnings.catch_warnings():
        # Python 3.12+ warns when forking with threads alive (a session fixture's server, say);
        # the child only touches files, so no lock another thread held matters to it.
        warnings.filterwarnings("ignore", r"This process .* is multi-threaded", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns into pytest
        code = 1
        try:
            if user is not None:
                os.setgid(user)
                os.setuid(user)
            work()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    return pid


def wait_child(pid: int) -> int:
    """A child's exit code; minus the signal number when it was killed."""
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def wait_for(condition: Callable[[], bool]) -> None:
    hang_guard = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < hang_guard, "the child never got there"
        time.sleep(0.001)


def in_child(work: Callable[[], object], *, user: int | None = None) -> int:
    return wait_child(start_child(work, user=user))


@pytest.fixture(params=["folder", "link"])
def old_root(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A project whose live site is version "old": a real folder (before the first publish) or a link."""
    root = tmp_path / "template"
    root.mkdir()
    if request.param == "folder":
        write_folder(root / "site", "old")
    else:
        publish(root, fake_build("old"))
    return root


def steps_of_one_publish(root: Path) -> list[str]:
    trial = root.parent / "trial"
    shutil.copytree(root, trial, symlinks=True)
    names: list[str] = []
    publish(trial, fake_build("new", step=names.append), on_step=names.append)
    return names


def test_a_kill_at_every_step_leaves_the_complete_old_or_new_site(old_root: Path) -> None:
    steps = steps_of_one_publish(old_root)
    assert {"build", "modes", "count", "complete", "prune"} <= set(steps) and len(steps) > 15
    outcomes = []
    for at, name in enumerate(steps):
        root = old_root.parent / f"killed-{at}"
        shutil.copytree(old_root, root, symlinks=True)
        step = killer(at)
        assert in_child(partial(publish, root, fake_build("new", step=step), on_step=step)) == -signal.SIGKILL, name
        seen = manifest(root / "site")
        assert seen in (expected("old"), expected("new")), f"killed at step {at} ({name}): {seen}"
        outcomes.append(seen == expected("new"))
        waited: list[str] = []
        publish(root, fake_build("next"), on_wait=waited.append)  # cleans up after the killed one
        assert waited == []  # the dead process's lock went with it
        assert manifest(root / "site") == expected("next")
        assert_no_leftovers(root)
    assert outcomes[0] is False and outcomes[-1] is True  # the kills really happened before and after the switch


def test_kills_from_outside_at_stepped_delays(old_root: Path) -> None:
    seen = []
    for delay in (0.0, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3):
        root = old_root.parent / f"delay-{delay}"
        shutil.copytree(old_root, root, symlinks=True)
        pid = start_child(partial(publish, root, fake_build("new", delay=0.02)))
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        wait_child(pid)
        current = manifest(root / "site")
        assert current in (expected("old"), expected("new")), f"killed after {delay} s"
        seen.append(current)
    assert expected("old") in seen  # the early kills hit the build


def test_without_an_atomic_exchange_only_the_documented_window_loses_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where renameat2 is missing, the first run has one documented gap; the next publish repairs it."""
    monkeypatch.setattr(publish_module, "_exchange", lambda first, second: False)
    template = tmp_path / "template"
    write_folder(template / "site", "old")
    steps = steps_of_one_publish(template)
    absent = []
    for at, name in enumerate(steps):
        root = tmp_path / f"killed-{at}"
        shutil.copytree(template, root, symlinks=True)
        step = killer(at)
        assert in_child(partial(publish, root, fake_build("new", step=step), on_step=step)) == -signal.SIGKILL
        seen = manifest(root / "site")
        if seen is None:
            absent.append(name)
            # Before building anything, the next publish puts the link back to the newest release.
            at_build = killer(steps.index("build"))
            assert in_child(partial(publish, root, fake_build("next"), on_step=at_build)) == -signal.SIGKILL
            seen = manifest(root / "site")
        assert seen in (expected("old"), expected("new")), f"killed at step {at} ({name})"
    assert absent == ["migrate-fallback"]


def test_two_publishes_at_once_both_complete_in_order_and_index_never_disappears(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    publish(root, fake_build("old"))
    results = tmp_path / "results"
    results.mkdir()

    def run(version: str) -> None:
        waited: list[str] = []
        done = publish(root, fake_build(version, delay=0.02), on_wait=waited.append)
        (results / version).write_text(json.dumps([done.release, waited]), encoding="utf-8")

    children = [start_child(partial(run, "one"))]
    wait_for(lambda: any((root / RELEASES).glob("*.partial")))  # "one" holds the lock and builds
    children.append(start_child(partial(run, "two")))
    absences, polls = 0, 0
    finished = threading.Event()

    def poll() -> None:
        nonlocal absences, polls
        while not finished.is_set():
            polls += 1
            absences += not (root / "site/index.html").is_file()

    poller = threading.Thread(target=poll)
    poller.start()
    codes = [wait_child(pid) for pid in children]
    finished.set()
    poller.join()
    assert codes == [0, 0]
    assert polls > 100 and absences == 0
    one, two = (json.loads((results / v).read_text(encoding="utf-8")) for v in ("one", "two"))
    assert int(two[0]) == int(one[0]) + 1
    assert one[1] == [] and two[1] == [f"另一次网站构建正在进行（进程 {children[0]}），等它结束后再继续……"]
    assert manifest(root / "site") == expected("two")
    assert_no_leftovers(root)


def test_a_build_left_running_by_a_killed_publish_still_holds_the_lock(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    publish(root, fake_build("old"))
    slow = "import pathlib, sys, time\nout = pathlib.Path(sys.argv[1]); out.mkdir()\nfor i in range(20):\n    (out / f'{i}.html').write_text('x'); time.sleep(0.05)\n"
    pid = start_child(partial(publish, root, build_command([sys.executable, "-c", slow])))
    wait_for(lambda: any((root / RELEASES).glob("*.partial/1.html")))
    os.kill(pid, signal.SIGKILL)
    wait_child(pid)
    waited: list[str] = []
    publish(root, fake_build("next"), on_wait=waited.append)
    assert len(waited) == 1
    assert manifest(root / "site") == expected("next")
    assert_no_leftovers(root)


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's own temporary folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="publish-test-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def test_read_only_folders_strand_nothing(shared_tmp: Path) -> None:
    root = shared_tmp / "project"
    root.mkdir()
    write_folder(root / "site", "old")
    (root / "site/assets").chmod(0o555)
    (root / "site").chmod(0o555)
    nobody = None
    if os.geteuid() == 0:  # root may write anywhere; run as an ordinary user so that modes matter
        nobody = 65534
        for path in [root, *root.rglob("*")]:
            os.chown(path, nobody, nobody)
    results = shared_tmp / "results.json"
    results.touch()
    results.chmod(0o666)

    def run() -> None:
        not_removed = list(publish(root, fake_build("v1")).not_removed)
        (root / "site/notices").chmod(0o555)  # someone makes part of the live site read-only
        for version in ("v2", "v3", "v4", "v5"):
            not_removed += publish(root, fake_build(version)).not_removed
        results.write_text(json.dumps(not_removed), encoding="utf-8")

    assert in_child(run, user=nobody) == 0
    assert json.loads(results.read_text(encoding="utf-8")) == []
    assert manifest(root / "site") == expected("v5")
    assert_no_leftovers(root)
    # The old folder (000001) and v1 are gone despite their modes; the README promises 3 versions.
    assert sorted(p.name for p in (root / RELEASES).iterdir()) == ["000004", "000005", "000006", LOCK]


def test_the_readme_rollback_command_switches_back_in_one_rename(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = re.search(r"回退到某个版本：`([^`]+)`", readme)
    assert command, "the README documents how to roll back"
    root = tmp_path / "project"
    root.mkdir()
    publish(root, fake_build("old"))
    publish(root, fake_build("new"))
    subprocess.run(["sh", "-c", command.group(1).replace("编号", "000001")], cwd=root, check=True, timeout=60)
    assert (root / "site").is_symlink()
    assert manifest(root / "site") == expected("old")
    publish(root, fake_build("next"))  # publishing after a rollback goes on as usual
    assert manifest(root / "site") == expected("next")
    assert_no_leftovers(root)


def test_published_files_get_fixed_modes_whatever_the_umask(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    old = os.umask(0o077)
    try:
        publish(root, fake_build("new"))
    finally:
        os.umask(old)
    release = (root / "site").resolve()
    modes = {p.relative_to(release).as_posix(): p.stat().st_mode & 0o7777 for p in release.rglob("*")}
    assert {mode for name, mode in modes.items() if (release / name).is_dir()} == {0o755}
    assert {mode for name, mode in modes.items() if (release / name).is_file()} == {0o644}
    assert release.stat().st_mode & 0o7777 == 0o755
    assert (root / RELEASES).stat().st_mode & 0o7777 == 0o755


def test_a_build_with_a_symbolic_link_is_not_published(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    publish(root, fake_build("old"))

    def build(out: Path) -> None:
        fake_build("new")(out)
        (out / "downloads/passwd").symlink_to("/etc/passwd")

    with pytest.raises(PublishError) as error:
        publish(root, build)
    assert str(error.value) == "构建结果中的 downloads/passwd 不是普通文件或文件夹（如符号链接），不能发布；现在的网站保持不变。"
    assert manifest(root / "site") == expected("old")
    assert_no_leftovers(root)


def test_fewer_notices_than_the_live_site_stop_unless_acknowledged(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    publish(root, fake_build("old", notices=3))
    with pytest.raises(PublishError) as error:
        publish(root, fake_build("new", notices=2))
    assert str(error.value) == (
        "新构建的网站只有 2 期通报，比现在的网站（3 期）少；没有发布，现在的网站保持不变。确实要减少，请运行 make site ALLOW_FEWER=1。"
    )
    assert manifest(root / "site") == expected("old", notices=3)
    assert_no_leftovers(root)
    done = publish(root, fake_build("new", notices=2), allow_fewer=True)
    assert (done.notices, done.previous_notices) == (2, 3)
    assert manifest(root / "site") == expected("new", notices=2)
    assert publish(root, fake_build("more", notices=4)).notices == 4


def test_a_live_site_whose_count_cannot_be_read_is_not_replaced_unless_acknowledged(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write_folder(root / "site", "old")
    (root / "site/downloads/notices.json").unlink()
    with pytest.raises(PublishError) as error:
        publish(root, fake_build("new"))
    assert str(error.value) == (
        "读不出现在网站的通报数（site/downloads/notices.json），无法确认新网站没有变少；"
        "没有发布，现在的网站保持不变。确认要替换，请运行 make site ALLOW_FEWER=1。"
    )
    assert (root / "site").is_dir() and not (root / "site").is_symlink()
    publish(root, fake_build("new"), allow_fewer=True)
    assert manifest(root / "site") == expected("new")


@pytest.fixture
def live_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A made-up live site served over HTTP on this machine: its address and folder."""
    folder = tmp_path / "live"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet) as server:
        thread = threading.Thread(target=server.serve_forever)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/site/", folder / "site"
        finally:
            server.shutdown()
            thread.join()


def test_a_site_deployed_elsewhere_is_compared_through_its_address(tmp_path: Path, live_site: tuple[str, Path]) -> None:
    url, served = live_site
    root = tmp_path / "project"
    root.mkdir()
    write_folder(served, "deployed", notices=3)
    with pytest.raises(PublishError) as error:
        publish(root, fake_build("new", notices=2), live_url=url)
    assert str(error.value) == (
        "新构建的网站只有 2 期通报，比现在的网站（3 期）少；没有发布，现在的网站保持不变。确实要减少，请运行 make site ALLOW_FEWER=1。"
    )
    assert not os.path.lexists(root / "site")
    assert publish(root, fake_build("new", notices=3), live_url=url).previous_notices == 3
    (served / "downloads/notices.json").unlink()
    with pytest.raises(PublishError) as error:
        publish(root, fake_build("next"), live_url=url)
    assert str(error.value) == (
        f"读不出现在网站的通报数（{url}downloads/notices.json），无法确认新网站没有变少；"
        "没有发布，现在的网站保持不变。确认要替换，请运行 make site ALLOW_FEWER=1。"
    )
    with pytest.raises(PublishError) as error:
        publish(root, fake_build("next", step=pytest.fail), live_url="file:///etc/")  # refused before building
    assert str(error.value) == "LIVE_SITE_URL 应以 http:// 或 https:// 开头，实际为 'file:///etc/'"
    assert manifest(root / "site") == expected("new")
    assert_no_leftovers(root)


def test_the_command_takes_the_live_address_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVE_SITE_URL", "https://hotline.example.gov.cn/")
    assert _parser().parse_args(["publish"]).live_url == "https://hotline.example.gov.cn/"
    monkeypatch.setenv("LIVE_SITE_URL", "")
    assert _parser().parse_args(["publish"]).live_url is None


def test_notice_count_reads_the_whole_archive_download(tmp_path: Path) -> None:
    write_folder(tmp_path, "x", notices=7)
    assert notice_count(tmp_path) == 7
    (tmp_path / "downloads/notices.json").write_text('{"notices": 7}', encoding="utf-8")
    assert notice_count(tmp_path) is None
    (tmp_path / "downloads/notices.json").write_text("{", encoding="utf-8")
    assert notice_count(tmp_path) is None


def test_make_site_publishes_and_refuses_fewer_notices(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "project", consecutive_periods(3, "2023-01"))
    copy_site_sources(root, makefile=True)
    write_folder(root / "site", "made by the old Makefile", notices=3)
    make = ["make", "--no-print-directory", "site", f"BIN={Path(sys.executable).parent}", "STAMP="]
    first = subprocess.run(make, cwd=root, capture_output=True, text=True, check=False, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.endswith("已发布：site/ 现在是 .site-releases/000002（3 期通报）。\n")
    assert (root / "site").is_symlink() and notice_count(root / "site") == 3
    assert (root / "site/notices/2023/01/index.html").is_file()
    assert manifest(root / RELEASES / "000001") == expected("made by the old Makefile")  # kept as the previous release
    before = manifest(root / "site")
    (root / "data/notices/2023-03.yaml").unlink()
    refused = subprocess.run(make, cwd=root, capture_output=True, text=True, check=False, timeout=600)
    assert refused.returncode != 0
    assert (
        "错误：新构建的网站只有 2 期通报，比现在的网站（3 期）少；没有发布，现在的网站保持不变。确实要减少，请运行 make site ALLOW_FEWER=1。"
        in refused.stderr.splitlines()
    )
    assert "Traceback" not in refused.stderr
    assert manifest(root / "site") == before
    allowed = subprocess.run([*make, "ALLOW_FEWER=1"], cwd=root, capture_output=True, text=True, check=False, timeout=600)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert notice_count(root / "site") == 2
    assert_no_leftovers(root)
