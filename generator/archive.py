"""The validated archive: every data file read and checked before anything is rendered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.checks import Finding
from generator.errors import DataError, Problem
from generator.load import Document, read
from generator.model import Acknowledgement, CheckId, Notice, Publisher, UnitRegistry
from generator.validate import (
    duplicate_periods,
    page_clashes,
    unregistered_units,
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
        return {record.period: record for record in self.notices}


def notice_files(root: Path) -> list[Path]:
    """Every notice data file under ``root``, in name order."""
    folder = root / NOTICES_DIR
    return sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _read_one(
    path: Path, root: Path, validate: Callable[[Document], tuple[T | None, list[Problem]]], problems: list[Problem]
) -> T | None:
    """Read and model one file, adding what is wrong with it to ``problems``."""
    try:
        result, found = validate(read(path, root=root))
    except DataError as error:
        problems += error.problems
        return None
    problems += found
    return result


def _registry_document(document: Document) -> tuple[tuple[Document, UnitRegistry] | None, list[Problem]]:
    """The unit registry with its file, whose lines the page-address check points at."""
    registry, problems = validate_registry(document)
    return (None if registry is None else (document, registry)), problems


def read_archive(root: Path, files: Sequence[Path] | None = None) -> Archive:
    """Read and validate the publisher and every notice; raise one :class:`DataError` with all problems.

    ``files`` limits the notices to those given (for checking a few files); by default every
    file under ``data/notices`` is read.
    """
    problems: list[Problem] = []
    publisher = _read_one(root / PUBLISHER_FILE, root, validate_publisher, problems)
    registered = _read_one(root / UNITS_FILE, root, _registry_document, problems)
    registry = registered[1] if registered is not None else None
    valid: list[tuple[Document, Notice, list[tuple[Finding, Acknowledgement]]]] = []
    for path in notice_files(root) if files is None else files:
        try:
            document = read(path, root=root)
        except DataError as error:
            problems += error.problems
            continue
        notice, accepted, found = validate_notice(document, registry)
        problems += found
        if notice is not None:
            valid.append((document, notice, accepted))
    problems += duplicate_periods([(document, notice) for document, notice, _ in valid])
    problems += page_clashes(registered, [(document, notice) for document, notice, _ in valid])
    if registry is not None:
        for document, notice, _ in valid:
            problems += unregistered_units(document, notice, registry)
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
