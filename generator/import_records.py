"""The records the importer's pipeline and its recognisers pass around: a section of the
source, what a recogniser took from it, the import's context and its report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.import_pds import Notes
from generator.import_text import SourceLine


@dataclass
class Report:
    """What the import did, for the person who runs it; built from what was taken."""

    mapped: list[str] = field(default_factory=list)
    """One line per recogniser that took a part: what it put into which field."""
    kept: list[str] = field(default_factory=list)
    """Lines kept verbatim in extra_sections, with their line numbers."""
    dropped: list[str] = field(default_factory=list)
    """Page furniture left out on purpose, with line numbers."""
    missing: list[str] = field(default_factory=list)
    """Fields left as 待填写 because the source does not give them."""
    figures: Counter[str] = field(default_factory=Counter)
    """How many figures of the source are in fields ("mapped"), kept as "text" or as "table"."""
    not_kept: list[str] = field(default_factory=list)
    """Figures of the source that are nowhere in the draft: "第 N 行:figure"."""

    @property
    def unmapped(self) -> list[str]:
        """Kept for callers of the first importer: the lines that were not mapped to fields."""
        return self.kept


@dataclass
class Draft:
    data: dict[str, Any]
    report: Report


@dataclass(frozen=True)
class Section:
    heading: SourceLine | None
    lines: list[SourceLine]
    kind: str


@dataclass
class Taken:
    """What one recogniser took from a section."""

    summary: str
    values: Any
    """What it put into the draft, for the figure check."""
    after: str
    """The fixed part of the notice its leftovers are kept after."""
    notes: Notes = field(default_factory=Notes)


@dataclass
class Context:
    data: dict[str, Any]
    districts: set[str]
    extras: list[dict[str, Any]] = field(default_factory=list)
    attachment_titles: list[str] = field(default_factory=list)
    attachment_list: list[SourceLine] = field(default_factory=list)
    attachment_summary: int | None = None
    attachment_at: int = 0
    """How many parts were kept before the attachment list: kept, the list goes back there."""
    ranking_parts: int = 0
    """Parts of the body whose ranking tables :mod:`generator.import_rankings` took （0: none, or PDS's）."""
    placed: set[int] = field(default_factory=set)
    """Numbers of the lines that reached the draft: taken by a recogniser or kept."""
    used_titles: set[int] = field(default_factory=set)
    last: str = "intake"


Recogniser = Callable[[Section, Context], Taken | None]


def section_text(section: Section) -> str:
    return "\n".join(line.text for line in section.lines)


def section_lines(section: Section) -> list[str]:
    return [line.text for line in section.lines]
