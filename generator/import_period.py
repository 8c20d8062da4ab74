"""Which month a notice belongs to, and where the import took it from.

The import reads the period from the source's title (or its first lines); a ``--period`` given on
the command line must agree with what the source prints, unless ``--force`` is given. The draft
records the origin in ``meta.period_source`` (see :class:`generator.model.PeriodSource`), and
validation compares a notice's period with its archived source text (``data/sources/年-月.txt``),
so that a month cannot be mislabelled silently.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import Problem
from generator.import_text import ImportFailure, SourceLine, chinese_int, find_period, normalise
from generator.load import Document
from generator.model import Notice, PeriodSource

SOURCES_DIR = Path("data/sources")
"""The archived source texts, one ``年-月.txt`` per notice."""

_HEAD_LINES = 6
"""How many lines at the top of a source may print its period (title, issue line, date)."""


def _printed_month(head: str) -> int | None:
    """A month printed without a year ("8月份", "八月份")."""
    month = re.search(r"(?<![\d年])(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份", head)
    return chinese_int(month.group(1)) if month else None


def check_period(period: str | None, lines: list[SourceLine], title: str | None, *, force: bool) -> tuple[str, PeriodSource]:
    """The notice's period and where it came from; raises :class:`ImportFailure` when the source
    prints none and none is given, or when the given one contradicts it without ``force``."""
    head = "\n".join(line.text for line in lines[:_HEAD_LINES])
    found = find_period(title or "") or find_period(head)
    if period is None:
        if found is None:
            raise ImportFailure("文本中找不到通报所属的年月，请用 --period 指定，如 --period 2023-08")
        return found, PeriodSource.from_title
    # The three messages keep the importer's original punctuation (converted with the others).
    printed = _printed_month(head) if found is None else None
    agrees = (found is None or found == period) and (printed is None or printed == int(period[5:]))
    if force:
        return period, (PeriodSource.option if agrees else PeriodSource.forced)
    if found is not None and found != period:
        raise ImportFailure(f"--period {period} 与原文写的 {found} 不符；确认无误时加 --force")
    if printed is not None and printed != int(period[5:]):
        raise ImportFailure(f"--period {period} 与原文写的 {printed} 月份不符；确认无误时加 --force")
    return period, PeriodSource.option


def archived_period(root: Path, period: str) -> str | None:
    """The period the archived source text of ``period`` prints in its first lines, if any."""
    path = root / SOURCES_DIR / f"{period}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # no archived text (or an unreadable one): nothing to compare
    return find_period("\n".join(normalise(text).split("\n")[:_HEAD_LINES]))


def source_period_problems(root: Path, document: Document, notice: Notice) -> list[Problem]:
    """A period that contradicts the archived source text: refused, unless the import recorded
    that staff confirmed it with ``--force`` (``meta.period_source: forced``); a forced period
    that in fact agrees with the text is pointed out too, so the record stays true."""
    from generator.validate import problem_at  # validate imports the archive, which imports this

    printed = archived_period(root, notice.meta.period)
    if printed is None:
        return []
    path = ("meta", "period")
    shown = (SOURCES_DIR / f"{notice.meta.period}.txt").as_posix()
    forced = notice.meta.period_source is PeriodSource.forced
    if printed != notice.meta.period and not forced:
        message = f"与原文存档 {shown} 写的 {printed} 不符；请核对月份，确认原文写错时在 meta.period_source 写 forced 并说明"
        return [problem_at(document, path, message)]
    if printed == notice.meta.period and forced:
        message = f"meta.period_source 为 forced，但原文存档 {shown} 写的正是 {printed}；请改为 title"
        return [problem_at(document, ("meta", "period_source"), message)]
    return []
