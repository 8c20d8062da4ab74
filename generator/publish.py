"""Publishing a built site: ``site`` switches from the old build to the new one in one step.

The project root holds the published site as releases behind a symbolic link::

    site -> .site-releases/000042     relative link; the only thing readers (web server, tests) use
    .site-releases/000041             earlier releases, KEEP in all with the current one (rollback)
    .site-releases/000043.partial     a build in progress, or one a killed publish left behind
    .site-releases/publish.lock       the lock: the holder's process id and a newline, for messages
                                      only; the lock itself is ``flock`` on this file

A release is a folder named by a decimal sequence number of at least six digits. Any other name in
``.site-releases/`` besides the lock is the leftover of an interrupted publish and is deleted by
the next one. ``publish`` works in this order, so that a kill at any point leaves ``site`` the
complete old or the complete new site:

1. take the lock (a second publish waits; the kernel drops the lock when its holder dies);
2. delete leftovers, and restore ``site`` if a killed first run left it missing (see 6);
3. build into ``NNNNNN.partial``; refuse anything but folders and regular files in it, give folders
   mode 0755 and files 0644 whatever the umask, and flush them to disk;
4. compare the number of notices in ``downloads/notices.json`` with the live site's: fewer stops
   here unless acknowledged;
5. rename ``NNNNNN.partial`` to ``NNNNNN``, point a new link at it and rename the link over
   ``site`` (rename is atomic: readers see the old link or the new one);
6. the first time, ``site`` is still a real folder, which a link cannot be renamed over. On Linux the
   two are swapped in one ``renameat2(RENAME_EXCHANGE)`` and the old folder becomes the previous
   release. Where that call is missing (other systems, some network file systems) the folder is
   renamed into ``.site-releases/`` and the link renamed into place right after it: ``site`` is
   absent between those two calls (microseconds, once per project); if the process is killed
   exactly there, the next publish restores the link before it builds;
7. delete releases beyond the newest KEEP (never the current one).

The build itself is a callable, so that this module stays free of any site engine; see
``build_command``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import stat
import subprocess
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError

SITE = "site"
RELEASES = ".site-releases"
LOCK = "publish.lock"
KEEP = 3
DIR_MODE, FILE_MODE = 0o755, 0o644
COUNT_FILE = "downloads/notices.json"
_RELEASE = re.compile(r"\d{6,}")
_NEXT_LINK = ".site-next"

Build = Callable[[Path], None]
"""Fills the given (not yet existing) folder with the whole site, or raises."""


class PublishError(GeneratorError):
    """The new site was not published; the live one is unchanged."""


@dataclass(frozen=True)
class Published:
    """What one publish did."""

    release: str
    notices: int
    previous_notices: int | None
    not_removed: tuple[str, ...]
    """Old releases or leftovers that could not be deleted (the publish itself succeeded)."""


def _nothing(_: str) -> None:
    pass


def publish(
    root: Path,
    build: Build,
    *,
    allow_fewer: bool = False,
    live_url: str | None = None,
    keep: int = KEEP,
    on_wait: Callable[[str], None] = _nothing,
    on_step: Callable[[str], None] = _nothing,
) -> Published:
    """Build a new release and switch ``root/site`` to it atomically (see the module docstring).

    The notice count is compared with ``site/`` or, given ``live_url``, with the site published
    there (a site deployed elsewhere, such as GitHub Pages, built here from a fresh checkout).
    ``on_wait`` gets a Chinese message when another publish holds the lock; ``on_step`` is called
    with a step's name before each step that changes the file system (tests kill the process there).
    """
    if live_url is not None:
        _check_url(live_url)  # before a build that would be refused anyway
    releases = root / RELEASES
    releases.mkdir(exist_ok=True)
    releases.chmod(DIR_MODE)  # the web server follows the link through this folder
    site = root / SITE
    with _locked(releases / LOCK, on_wait=on_wait):
        if os.path.lexists(site) and not site.is_symlink() and not site.is_dir():
            raise PublishError("site 既不是文件夹也不是链接，不能替换；请先移走它。")
        on_step("cleanup")
        not_removed = _clean(root)
        number = _next_number(releases, migrating=_is_real_folder(root / SITE))
        partial = releases / f"{number:06d}.partial"
        try:
            notices, previous = _build(root, partial, build, allow_fewer=allow_fewer, live_url=live_url, on_step=on_step)
        except BaseException:
            _remove_all([partial], root=root)  # else the next publish deletes it
            raise
        release = releases / partial.name.removesuffix(".partial")
        on_step("complete")
        partial.rename(release)
        _sync(releases)
        not_removed += _switch(root, release, on_step=on_step)
        on_step("prune")
        not_removed += _prune(releases, current=release.name, keep=keep)
        return Published(release.name, notices, previous, not_removed)


def _build(
    root: Path, partial: Path, build: Build, *, allow_fewer: bool, live_url: str | None, on_step: Callable[[str], None]
) -> tuple[int, int | None]:
    on_step("build")
    build(partial)
    if not partial.is_dir():
        raise PublishError(f"构建没有生成网站文件夹 {partial.relative_to(root).as_posix()}，现在的网站保持不变。")
    on_step("modes")
    _fix_modes(partial)
    on_step("count")
    return _check_count(root, partial, allow_fewer=allow_fewer, live_url=live_url)


def build_command(argv: Sequence[str]) -> Build:
    """A build that runs ``argv`` with the release folder appended as the last argument.

    The command inherits the publish lock, so that a build still running after its publish was
    killed keeps the next publish waiting instead of racing it in the same folder.
    """

    def build(out: Path) -> None:
        result = subprocess.run([*argv, str(out)], close_fds=False, check=False)
        if result.returncode != 0:
            raise PublishError("网站构建失败（原因见上面的信息），现在的网站保持不变。")

    return build


def notice_count(tree: Path) -> int | None:
    """The number of notices a built site publishes, or None when it cannot be read."""
    try:
        return _count((tree / COUNT_FILE).read_bytes())
    except OSError:
        return None


def notice_count_at(url: str) -> int | None:
    """The number of notices the site published at ``url`` has, or None when it cannot be read."""
    _check_url(url)
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/{COUNT_FILE}", timeout=60) as response:
            return _count(response.read())
    except (OSError, ValueError):
        return None


def _check_url(url: str) -> None:
    if not re.match(r"https?://", url):
        raise PublishError(f"LIVE_SITE_URL 应以 http:// 或 https:// 开头，实际为 {url!r}")


def _count(data: bytes) -> int | None:
    try:
        notices = json.loads(data)["notices"]
    except (ValueError, TypeError, KeyError):
        return None
    return len(notices) if isinstance(notices, list) else None


@contextlib.contextmanager
def _locked(path: Path, *, on_wait: Callable[[str], None]) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f"（进程 {holder}）" if holder.isdigit() else ""
            on_wait(f"另一次网站构建正在进行{who}，等它结束后再继续……")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        os.set_inheritable(fd, True)  # see build_command
        yield
    finally:
        os.close(fd)  # releases the lock, unless a build process left running still holds it


def _is_real_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _next_number(releases: Path, *, migrating: bool) -> int:
    numbers = [int(p.name) for p in releases.iterdir() if _RELEASE.fullmatch(p.name)]
    # On the first run the old folder becomes release n and the new build n + 1.
    return max(numbers, default=0) + (2 if migrating else 1)


def _clean(root: Path) -> tuple[str, ...]:
    releases = root / RELEASES
    leftovers = [entry for entry in releases.iterdir() if entry.name != LOCK and not _RELEASE.fullmatch(entry.name)]
    not_removed = _remove_all([*sorted(leftovers), root / _NEXT_LINK], root=root)
    if not os.path.lexists(root / SITE):
        complete = _releases(releases)
        if complete:
            _link(root, complete[-1])
    return not_removed


def _releases(releases: Path) -> list[Path]:
    """Complete releases, oldest first."""
    return sorted((p for p in releases.iterdir() if _RELEASE.fullmatch(p.name)), key=lambda p: int(p.name))


def _remove_all(paths: Sequence[Path], *, root: Path) -> tuple[str, ...]:
    failed = []
    for path in paths:
        try:
            _remove(path)
        except OSError:
            failed.append(path.relative_to(root).as_posix())
    return tuple(failed)


def _remove(path: Path) -> None:
    if not os.path.lexists(path):
        return
    if path.is_dir() and not path.is_symlink():
        # Made writable first: a read-only folder (someone's chmod, an old build) cannot be
        # emptied otherwise, and must not strand anything.
        path.chmod(DIR_MODE)
        for entry in os.scandir(path):
            _remove(Path(entry.path))
        path.rmdir()
    else:
        path.unlink()


def _fix_modes(tree: Path) -> None:
    tree.chmod(DIR_MODE)
    for folder, folders, files in os.walk(tree):
        for name in [*folders, *files]:
            path = Path(folder, name)
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode):
                path.chmod(DIR_MODE)
            elif stat.S_ISREG(mode):
                path.chmod(FILE_MODE)
            else:
                shown = path.relative_to(tree).as_posix()
                raise PublishError(f"构建结果中的 {shown} 不是普通文件或文件夹（如符号链接），不能发布；现在的网站保持不变。")
    _flush(tree)


def _flush(tree: Path) -> None:
    # Written to disk before the switch, so that a power cut after it cannot leave the link
    # pointing at files the disk never received. One syncfs of the file system is far quicker
    # than an fsync per file (1 s for 169 files on a busy disk); sync where syncfs is missing.
    fd = os.open(tree, os.O_RDONLY)
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        os.sync()
    else:
        if syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_count(root: Path, partial: Path, *, allow_fewer: bool, live_url: str | None) -> tuple[int, int | None]:
    notices = notice_count(partial)
    if notices is None:
        raise PublishError(f"新构建的网站中没有可读的 {COUNT_FILE}，无法核对通报数；现在的网站保持不变。")
    if live_url is not None:
        previous, source = notice_count_at(live_url), f"{live_url.rstrip('/')}/{COUNT_FILE}"
    elif (root / SITE).is_dir():
        previous, source = notice_count(root / SITE), f"{SITE}/{COUNT_FILE}"
    else:
        return notices, None
    if allow_fewer:
        return notices, previous
    if previous is None:
        raise PublishError(
            f"读不出现在网站的通报数（{source}），无法确认新网站没有变少；"
            f"没有发布，现在的网站保持不变。确认要替换，请运行 make site ALLOW_FEWER=1。"
        )
    if notices < previous:
        raise PublishError(
            f"新构建的网站只有 {notices} 期通报，比现在的网站（{previous} 期）少；"
            f"没有发布，现在的网站保持不变。确实要减少，请运行 make site ALLOW_FEWER=1。"
        )
    return notices, previous


def _link(root: Path, release: Path, *, on_step: Callable[[str], None] = _nothing) -> None:
    """Point ``site`` at ``release`` with one rename of a new link over the old one."""
    temporary = root / _NEXT_LINK
    on_step("link")
    _remove(temporary)
    temporary.symlink_to(release.relative_to(root))
    on_step("switch")
    temporary.replace(root / SITE)
    _sync(root)


def _switch(root: Path, release: Path, *, on_step: Callable[[str], None]) -> tuple[str, ...]:
    """Make ``site`` the new release; what could not be tidied away afterwards."""
    site = root / SITE
    if not _is_real_folder(site):
        _link(root, release, on_step=on_step)
        return ()
    old = root / RELEASES / f"{int(release.name) - 1:06d}"
    temporary = root / _NEXT_LINK
    on_step("migrate-link")
    _remove(temporary)
    temporary.symlink_to(release.relative_to(root))
    on_step("migrate-swap")
    if _exchange(temporary, site):
        _sync(root)
        on_step("migrate-keep")
        try:
            temporary.chmod(DIR_MODE)  # moving a folder to another parent rewrites its ".."
            temporary.rename(old)
        except OSError:
            return (_NEXT_LINK,)  # published all the same; the next publish deletes it
        return ()
    site.chmod(DIR_MODE)
    site.rename(old)
    on_step("migrate-fallback")
    temporary.replace(site)
    _sync(root)
    return ()


def _exchange(first: Path, second: Path) -> bool:
    """Swap two names in one step; False where the system cannot (nothing changed then)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _prune(releases: Path, *, current: str, keep: int) -> tuple[str, ...]:
    complete = _releases(releases)
    doomed = []
    for release in complete[: max(len(complete) - keep, 0)]:
        if release.name != current:
            # Renamed first, so that a kill halfway through deletion leaves a leftover, not a
            # damaged release that a later restore might pick.
            doomed.append(release.rename(release.with_name(release.name + ".old")))
    return _remove_all(doomed, root=releases.parent)
