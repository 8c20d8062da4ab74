"""Which files are read: regular files only, judged before they are opened.

A data folder is a public repository's content: a pull request can add a link to ``/etc/passwd``,
a named pipe that blocks whoever opens it, or a device. Files are judged by ``lstat`` and opened
without following links and without blocking, so none of these is ever read and no message
shows what they point to.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from generator.errors import DataError, Problem

_KINDS = (
    (stat.S_ISLNK, "符号链接"),
    (stat.S_ISDIR, "文件夹"),
    (stat.S_ISFIFO, "命名管道"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISCHR, "设备文件"),
    (stat.S_ISBLK, "设备文件"),
)
_OS_ERRORS = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限"}


def irregular(mode: int) -> str | None:
    """Why a file of this ``lstat`` mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "特殊文件")
    return f"是{kind}，不是普通文件，未读取；数据文件只能是普通文件"


def os_problem(error: OSError) -> str:
    """An operating system error as staff can act on it (its own text is English)."""
    return _OS_ERRORS.get(error.errno or 0, f"无法读取（{errno.errorcode.get(error.errno or 0, error.errno)}）")


def shown_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` for messages, without following a link at its end."""
    try:
        where = path.parent.resolve() / path.name
        return where.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def shown_names(root: Path) -> Callable[[Path], str]:
    """:func:`shown_name` for the files of one reading: ``root`` and each folder resolved once
    (resolving is most of the cost, a few hundredths of a millisecond a file)."""
    resolved: dict[Path, Path] = {}

    def shown(path: Path) -> str:
        parent = path.parent
        folder = resolved.get(parent)
        if folder is None:
            folder = resolved[parent] = parent.resolve()
        base = resolved.get(root)
        if base is None:
            base = resolved[root] = root.resolve()
        try:
            return (folder / path.name).relative_to(base).as_posix()
        except ValueError:
            return path.as_posix()

    return shown


def read_regular(path: Path, shown: str, *, limit: int) -> bytes:
    """The content of the regular file ``path``; :class:`DataError` for anything else or over ``limit`` bytes."""

    def refuse(message: str) -> DataError:
        return DataError([Problem(shown, 0, 0, "", message)])

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        reason = irregular(path.lstat().st_mode)
        if reason is not None:
            raise refuse(reason)
        with os.fdopen(os.open(path, flags), "rb") as handle:
            opened = os.fstat(handle.fileno())
            reason = irregular(opened.st_mode)  # replaced between lstat and open
            if reason is not None:
                raise refuse(reason)
            # As much as the file holds (a buffer of ``limit`` bytes for each file costs more than
            # reading it), and the rest up to just past the limit if it has grown since.
            raw = handle.read(min(opened.st_size, limit) + 1)
            if len(raw) <= limit and len(raw) > opened.st_size:
                raw += handle.read(limit + 1 - len(raw))
    except OSError as error:
        raise refuse(os_problem(error)) from None
    if len(raw) > limit:
        size = max(opened.st_size, len(raw)) / 1_000_000
        raise refuse(f"文件过大（{size:.1f} MB），一个数据文件最多 {limit // 1_000_000} MB")
    return raw
