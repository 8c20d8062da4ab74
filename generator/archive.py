"""The validated archive: every data file read and checked before anything is rendered."""

from __future__ import annotations

import errno
import gc
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from generator.checks import Finding
from generator.errors import DataError, Problem
from generator.files import irregular, os_problem, shown_name, shown_names
from generator.import_period import source_period_problems
from generator.load import Document, read
from generator.model import Acknowledgement, CheckId, Notice, Publisher, UnitRegistry
from generator.validate import (
    duplicate_periods,
    page_clashes,
    validate_notice,
    validate_publisher,
    validate_registry,
)

T = TypeVar("T")

PUBLISHER_FILE = Path("data/publisher.yaml")
UNITS_FILE = Path("data/units.yaml")
NOTICES_DIR = Path("data/notices")


@dataclass(frozen=True)
class NoticeRecord:
    """A valid notice together with where it came from and the exceptions it acknowledges."""

    notice: Notice
    file: str
    """The YAML file, relative to the project root (for edit links)."""
    text: str
    """The file as staff wrote it, published unchanged as the YAML download."""
    acknowledged: tuple[tuple[Finding, Acknowledgement], ...]
    """Checks the official notice fails, each with the acknowledgement that accepts it."""

    @property
    def acknowledged_checks(self) -> frozenset[CheckId]:
        return frozenset(finding.check for finding, _ in self.acknowledged)

    @property
    def period(self) -> str:
        return self.notice.meta.period


@dataclass(frozen=True)
class Archive:
    """Everything the site is built from, valid and in period order."""

    publisher: Publisher
    units: UnitRegistry
    notices: tuple[NoticeRecord, ...]

    @property
    def latest(self) -> NoticeRecord | None:
        return self.notices[-1] if self.notices else None

    def by_period(self) -> dict[str, NoticeRecord]:
        # A copy of a dict made once: called for every notice, building it each time made
        # rendering grow with the square of the number of notices.
        return dict(self._periods)

    @cached_property
    def _periods(self) -> dict[str, NoticeRecord]:
        return {record.period: record for record in self.notices}


# Exactly what `validate` and the page addresses expect; ASCII digits only (a full-width
# "２０２３-09.yaml" would otherwise be a second September).
NOTICE_NAME = re.compile(r"[0-9]{4}-[0-9]{2}\.ya?ml", re.ASCII)
_LOOSE_NAME = re.compile(r"(\d{4})\D{0,3}?(\d{1,2})\.ya?ml", re.IGNORECASE)


def _editor_file(name: str) -> bool:
    """Hidden files, editor backups and lock files (``.2023-09.yaml.swp``, ``2023-09.yaml~``, ``#…#``).

    Editors create these beside the file being edited; refusing them would make ``serve`` and
    ``validate`` fail while a notice is open. They are never read and never published.
    """
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def _suggestion(name: str) -> str:
    """The notice name ``name`` was probably meant to be, as a hint in the message."""
    loose = _LOOSE_NAME.match(unicodedata.normalize("NFKC", name))
    if loose and 1 <= int(loose.group(2)) <= 12:
        return f"是否应为 {int(loose.group(1)):04d}-{int(loose.group(2)):02d}.yaml\uff1f"
    return ""


def notice_name_problem(path: Path) -> str | None:
    """Why ``path`` is not named like a notice file, or None when it is."""
    if NOTICE_NAME.fullmatch(path.name):
        return None
    return (
        f"不是通报数据文件的名称，未读取：通报文件应命名为“年-月.yaml”（半角数字、小写扩展名，如 2023-09.yaml）；"
        f"{_suggestion(path.name)}其他文件请移出 {NOTICES_DIR.as_posix()}/"
    )


def find_notices(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every notice file under ``root`` in name order, and what else the folder holds.

    Entries are judged by ``lstat`` alone: links, folders, named pipes and devices are reported
    without being opened, so nothing outside the project is read and a pipe cannot block.
    """
    folder = root / NOTICES_DIR
    shown = NOTICES_DIR.as_posix()
    for part in (NOTICES_DIR.parent, NOTICES_DIR):
        try:
            mode = (root / part).lstat().st_mode
        except OSError as error:
            unusable = "文件夹不存在" if error.errno == errno.ENOENT else os_problem(error)
            return [], [Problem(part.as_posix(), 0, 0, "", f"{unusable}，无法读取通报数据")]
        if not stat.S_ISDIR(mode):
            return [], [Problem(part.as_posix(), 0, 0, "", "应为文件夹（不能是符号链接或文件），无法读取通报数据")]
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as error:
        return [], [Problem(shown, 0, 0, "", f"{os_problem(error)}，无法读取通报数据")]
    files: list[Path] = []
    problems: list[Problem] = []
    for name in names:
        path = folder / name
        if _editor_file(name):
            continue
        try:
            reason = notice_name_problem(path) or irregular(path.lstat().st_mode)
        except OSError as error:
            reason = os_problem(error)
        if reason is None:
            files.append(path)
        else:
            problems.append(Problem(f"{shown}/{name}", 0, 0, "", reason))
    return files, problems


def notice_files(root: Path) -> list[Path]:
    """Every notice file under ``root``, in name order; :class:`DataError` when the folder holds anything else."""
    files, problems = find_notices(root)
    if problems:
        raise DataError(problems)
    return files


def _given_notice(path: Path, root: Path) -> Problem | None:
    """A file named on the command line must be named and stored like a notice, too."""
    try:
        reason = notice_name_problem(path) or irregular(path.lstat().st_mode)
    except OSError as error:
        reason = os_problem(error)
    return None if reason is None else Problem(shown_name(path, root), 0, 0, "", reason)


def _read_one(
    path: Path, root: Path, validate: Callable[[Document], tuple[T | None, list[Problem]]], problems: list[Problem]
) -> T | None:
    """Read and model one file, adding what is wrong with it to ``problems``."""
    try:
        result, found = validate(read(path, root=root, lenient=True))
    except DataError as error:
        problems += error.problems
        return None
    problems += found
    return result


def _registry_document(document: Document) -> tuple[tuple[Document, UnitRegistry] | None, list[Problem]]:
    """The unit registry with its file, whose lines the page-address check points at."""
    registry, problems = validate_registry(document)
    return (None if registry is None else (document, registry)), problems


_Read = tuple[Document | None, Notice | None, Notice | None, list[tuple[Finding, Acknowledgement]], list[Problem]]
ReadCache = dict[tuple[str, int, int, int, str | None], _Read]
"""A notice file's name, inode, size and change time and the unit registry's text → what reading
it gave. The preview (``mkdocs serve``) rereads only the files that changed since the last build."""


def _read_notice(
    path: Path,
    root: Path,
    registry: UnitRegistry | None,
    registry_text: str | None,
    cache: ReadCache | None,
    shown: Callable[[Path], str],
) -> _Read:
    """One notice read and validated against the registry (no document when it cannot be read);
    with ``cache``, the same objects as last time when neither the file nor the registry changed."""
    key = None
    if cache is not None:
        try:
            status = path.stat()
        except OSError:
            status = None
        if status is not None:
            key = (str(path), status.st_ino, status.st_size, status.st_mtime_ns, registry_text)
            if key in cache:
                return cache[key]
    try:
        document = read(path, root=root, lenient=True, shown=shown(path))
    except DataError as error:
        result: _Read = (None, None, None, [], error.problems)
    else:
        notice, partial, accepted, found = validate_notice(document, registry)
        result = (document, notice, partial, accepted, found)
    if cache is not None and key is not None:
        cache[key] = result
    return result


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused, and restored as it was.

    Reading makes millions of small objects (values, their positions, models) that all stay alive
    until the archive is built: the collector would scan the growing heap again and again, about a
    quarter of the reading time at 1,200 notices, and find next to nothing to free (a few hundred
    objects). Writing the downloads, which holds the whole archive, pauses it too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_archive(root: Path, files: Sequence[Path] | None = None, *, cache: ReadCache | None = None) -> Archive:
    """Read and validate the publisher and every notice; raise one :class:`DataError` with all problems.

    ``files`` limits the notices to those given (for checking a few files); by default every
    file under ``data/notices`` is read. ``cache`` keeps each notice read between calls (the preview).
    """
    if gc.get_freeze_count():
        # What the last reading set aside (below) is the collector's again, and what of it is
        # garbage now (in the preview, the archive and site this reading replaces) is freed.
        gc.unfreeze()
        gc.collect()
    with collector_paused():
        archive = _read_archive(root, files, cache)
        # Everything alive now stays alive while the site is built. Set aside, the collector never
        # scans it again: otherwise its first run after the pause walks every object reading made
        # (a quarter of a second at 1,200 notices) and every full run while rendering walks them
        # all again, to free nothing.
        gc.freeze()
    return archive


def _read_archive(root: Path, files: Sequence[Path] | None, cache: ReadCache | None) -> Archive:
    problems: list[Problem] = []
    publisher = _read_one(root / PUBLISHER_FILE, root, validate_publisher, problems)
    registered = _read_one(root / UNITS_FILE, root, _registry_document, problems)
    registry = registered[1] if registered is not None else None
    valid: list[tuple[Document, Notice, list[tuple[Finding, Acknowledgement]]]] = []
    sound: list[tuple[Document, Notice]] = []  # valid or partly valid: the checks across files use what is sound
    if files is None:
        files, found = find_notices(root)
        problems += found
        if not files and not found:
            message = f"没有找到任何通报数据文件（应为 {NOTICES_DIR.as_posix()}/年-月.yaml），不会生成空的网站"
            problems.append(Problem(NOTICES_DIR.as_posix(), 0, 0, "", message))
    else:
        given = [(path, _given_notice(path, root)) for path in files]
        problems += [problem for _, problem in given if problem is not None]
        files = [path for path, problem in given if problem is None]
    registry_text = registered[0].text if registered is not None else None
    shown = shown_names(root)
    for path in files:
        document, notice, partial, accepted, found = _read_notice(path, root, registry, registry_text, cache, shown)
        problems += found + (
            source_period_problems(root, document, notice) if document is not None and notice is not None else []
        )
        if document is not None and notice is not None:
            valid.append((document, notice, accepted))
        if document is not None and partial is not None:
            sound.append((document, partial))
    problems += duplicate_periods(sound)
    problems += page_clashes(registered, sound)
    if problems or publisher is None or registry is None:
        raise DataError(problems)
    records = sorted(
        (
            NoticeRecord(notice=notice, file=document.file, text=document.text, acknowledged=tuple(accepted))
            for document, notice, accepted in valid
        ),
        key=lambda record: record.period,
    )
    return Archive(publisher=publisher, units=registry, notices=tuple(records))
