"""Downloads: each notice as YAML, JSON and one CSV per table; all notices as JSON and as a
SQLite database; and the Atom feed. File URLs are stable: they depend only on the period.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator

from generator.archive import Archive, NoticeRecord
from generator.model import CaseKind, Notice, UnitRegistry
from generator.render import visible

Cell = str | int | Decimal | bool | None

ALL_DOWNLOADS = (
    ("downloads/notices.json", "全部通报（JSON，一个文件）"),
    ("downloads/notices.sqlite", "全部通报（SQLite 数据库，可直接用 SQL 查询）"),
    ("feed.xml", "新通报订阅（Atom）"),
)


def _json_list(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)


@dataclass(frozen=True)
class Table:
    """One table of the downloads: a CSV per notice and a table of the database."""

    name: str
    title: str
    columns: tuple[tuple[str, str], ...]
    """(column, SQLite type); list-valued columns hold JSON arrays."""
    rows: Callable[[Notice, UnitRegistry], Iterator[tuple[Cell, ...]]]


def _notice_rows(n: Notice, _: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    p, w = n.intake.phone, n.intake.web  # absent when the office does not publish them: empty cells
    published = n.meta.published.isoformat() if n.meta.published else None
    yield (
        n.meta.title,
        n.meta.source,
        n.meta.issue_number,
        published,
        n.intake.total,
        p.calls if p else None,
        p.registered if p else None,
        p.completed if p else None,
        p.completion_rate if p else None,
        p.satisfaction_rate if p else None,
        w.registered if w else None,
        w.replied if w else None,
        w.reply_rate if w else None,
    )


def _line_rows(n: Notice, _: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    for i, line in enumerate(n.intake.lines, 1):
        yield (
            i,
            line.number,
            line.name,
            line.kind.value,
            line.note,
            line.calls,
            line.consultations,
            line.registered,
            line.completed,
            line.completion_rate,
            line.on_time_completion_rate,
            line.satisfaction_rate,
        )


def _web_channel_rows(n: Notice, _: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    if n.intake.web_channels is not None:
        c = n.intake.web_channels
        yield (_json_list(c.platforms), c.registered, c.replied)


def _category_rows(n: Notice, _: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    for i, c in enumerate(n.categories, 1):
        yield (i, c.name, c.count, c.share, _json_list(c.topics))


def _case_rows(n: Notice, _: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    for kind in CaseKind:
        for i, c in enumerate(n.cases_of(kind), 1):
            yield (kind.value, i, c.topic, c.example, c.handling, _json_list(c.reasons), c.areas_partial)


def _area_rows(n: Notice, _: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    for kind in CaseKind:
        for i, c in enumerate(n.cases_of(kind), 1):
            for j, a in enumerate(c.areas, 1):
                yield (kind.value, i, j, a.district, _json_list(a.places))


def _update_rows(n: Notice, _: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    for i, u in enumerate(n.work_updates, 1):
        yield (i, u.title, u.text)


def _ranking_rows(n: Notice, units: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    if n.rankings is None:
        return
    lookup = units.lookup()
    for g, group in enumerate(n.rankings.groups, 1):
        for i, row in enumerate(group.rows, 1):
            yield (
                g,
                group.group.value,
                group.title,
                group.threshold_percent,
                i,
                row.unit,
                lookup[row.unit].name,
                row.score,
                row.rank,
            )


def _message_rows(n: Notice, units: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    if n.web_messages is None:
        return
    lookup = units.lookup()
    for i, row in enumerate(n.web_messages.rows, 1):
        yield (i, row.unit, lookup[row.unit].name, row.total, row.replied, row.unreplied)
    total = n.web_messages.total_row
    if total is not None:
        yield (None, total.label, None, total.total, total.replied, total.unreplied)


def _ack_rows(n: Notice, _: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
    for a in n.acknowledged:
        yield (a.check.value, a.path, a.reason)


INT, REAL, TEXT = "INTEGER", "REAL", "TEXT"
TABLES = (
    Table(
        "notices",
        "通报概况",
        (
            ("title", TEXT),
            ("source", TEXT),
            ("issue_number", TEXT),
            ("published", TEXT),
            ("total", INT),
            ("calls", INT),
            ("registered", INT),
            ("completed", INT),
            ("completion_rate", REAL),
            ("satisfaction_rate", REAL),
            ("web_registered", INT),
            ("web_replied", INT),
            ("web_reply_rate", REAL),
        ),
        _notice_rows,
    ),
    Table(
        "lines",
        "各热线",
        (
            ("position", INT),
            ("number", TEXT),
            ("name", TEXT),
            ("kind", TEXT),
            ("note", TEXT),
            ("calls", INT),
            ("consultations", INT),
            ("registered", INT),
            ("completed", INT),
            ("completion_rate", REAL),
            ("on_time_completion_rate", REAL),
            ("satisfaction_rate", REAL),
        ),
        _line_rows,
    ),
    Table("web_channels", "网络平台", (("platforms", TEXT), ("registered", INT), ("replied", INT)), _web_channel_rows),
    Table(
        "categories",
        "诉求类型",
        (("position", INT), ("name", TEXT), ("count", INT), ("share", REAL), ("topics", TEXT)),
        _category_rows,
    ),
    Table(
        "cases",
        "案例",
        (
            ("kind", TEXT),
            ("number", INT),
            ("topic", TEXT),
            ("example", TEXT),
            ("handling", TEXT),
            ("reasons", TEXT),
            ("areas_partial", INT),
        ),
        _case_rows,
    ),
    Table(
        "case_areas",
        "案例涉及区域",
        (("kind", TEXT), ("case_number", INT), ("position", INT), ("district", TEXT), ("places", TEXT)),
        _area_rows,
    ),
    Table("work_updates", "工作动态", (("position", INT), ("title", TEXT), ("text", TEXT)), _update_rows),
    Table(
        "rankings",
        "考核排名",
        (
            ("group_position", INT),
            ("unit_group", TEXT),
            ("group_title", TEXT),
            ("threshold_percent", REAL),
            ("position", INT),
            ("unit", TEXT),
            ("unit_name", TEXT),
            ("score", REAL),
            ("rank", INT),
        ),
        _ranking_rows,
    ),
    Table(
        "web_messages",
        "网络留言办理情况",
        (("position", INT), ("unit", TEXT), ("unit_name", TEXT), ("total", INT), ("replied", INT), ("unreplied", INT)),
        _message_rows,
    ),
    Table("acknowledged", "已确认的不一致", (("check_id", TEXT), ("path", TEXT), ("reason", TEXT)), _ack_rows),
)
"""Every table of the downloads; ``unit_name`` is the registry's name for the unit as printed."""


def _base(period: str) -> str:
    return f"downloads/notices/{period}"


def notice_downloads(record: NoticeRecord) -> list[tuple[str, str]]:
    """(path, label) of each download of one notice."""
    base = _base(record.period)
    files = [(f"{base}.yaml", "YAML（数据原文件）"), (f"{base}.json", "JSON")]
    files += [(f"{base}/{table.name}.csv", f"CSV：{table.title}") for table in TABLES]
    return files


# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), with the
# full-width forms that spreadsheet programs on Chinese systems may normalise to them.
_FORMULA_START = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        # As OWASP recommends: a leading apostrophe makes the cell plain text. Only text cells:
        # numbers (negative ones too) stay numbers.
        return "'" + value
    return str(value)


def table_csv(table: Table, record: NoticeRecord, units: UnitRegistry) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in table.columns])
    writer.writerows([_cell_text(cell) for cell in row] for row in table.rows(record.notice, units))
    # UTF-8 with a byte order mark: what spreadsheet programs on Chinese Windows expect.
    return buffer.getvalue().encode("utf-8-sig")


def notice_json(record: NoticeRecord) -> dict[str, Any]:
    return record.notice.model_dump(mode="json", exclude_none=True)


def _sqlite(archive: Archive) -> bytes:
    def cell(value: Cell) -> Any:
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            # Python's sqlite3 refuses an integer beyond 64 bits (OverflowError); as text it is
            # stored as SQLite stores such a literal itself, as a REAL.
            return str(value)
        return value

    # Written to a file (not serialised from memory) so that the bytes do not depend on the
    # Python build; removed afterwards.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notices.sqlite"
        connection = sqlite3.connect(path)
        with connection:
            for table in TABLES:
                columns = ", ".join(f'"{name}" {kind}' for name, kind in (("period", "TEXT"), *table.columns))
                connection.execute(f'CREATE TABLE "{table.name}" ({columns})')
                marks = ", ".join("?" * (len(table.columns) + 1))
                for record in archive.notices:
                    connection.executemany(
                        f'INSERT INTO "{table.name}" VALUES ({marks})',
                        [(record.period, *map(cell, row)) for row in table.rows(record.notice, archive.units)],
                    )
        connection.execute("VACUUM")
        connection.close()
        return path.read_bytes()


def _feed(archive: Archive, site_url: str | None) -> bytes:
    # Every text goes through `visible`: lxml refuses the control characters XML 1.0 forbids.
    publisher = archive.publisher
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, publisher.website + publisher.hotline)
    base = site_url.rstrip("/") + "/" if site_url else ""
    feed = FeedGenerator()
    feed.id(f"urn:uuid:{namespace}")
    feed.title(visible(publisher.site_title))
    feed.subtitle(visible(publisher.site_description))
    feed.language("zh")
    feed.author({"name": visible(f"{publisher.city}{publisher.hotline}")})
    feed.link(href=f"{base}feed.xml", rel="self")
    feed.link(href=base or "./", rel="alternate")
    latest = archive.latest
    stamp = _period_time(latest.period) if latest else datetime(2000, 1, 1, tzinfo=UTC)
    feed.updated(stamp)
    for record in archive.notices:
        notice = record.notice
        entry = feed.add_entry(order="append")
        entry.id(f"urn:uuid:{uuid.uuid5(namespace, record.period)}")
        entry.title(visible(notice.meta.title))
        # Only the page: feedgen 1.0 drops the rel of entry links, and a second link would
        # then count as a second "alternate", which Atom forbids. The source is in the summary.
        entry.link(href=f"{base}notices/{record.period[:4]}/{record.period[5:]}/")
        entry.updated(_period_time(record.period))
        phone = notice.intake.phone
        entry.summary(
            visible(
                f"受理各类来电来信 {notice.intake.total} 件"
                + (
                    f"，接听电话 {phone.calls} 人次，登记交办 {phone.registered} 件，办结率 {phone.completion_rate}%"
                    + (f"，满意率 {phone.satisfaction_rate}%" if phone.satisfaction_rate else "")
                    if phone is not None
                    else ""
                )
                + f"。原文：{notice.meta.source}"
            )
        )
    atom: bytes = feed.atom_str(pretty=True)
    return atom


def _period_time(period: str) -> datetime:
    """A notice's timestamp in the feed: the first day of the month after its period."""
    year, month = int(period[:4]), int(period[5:])
    return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


def downloads(archive: Archive, *, site_url: str | None) -> Iterator[tuple[str, bytes]]:
    """(path, content) of every download, in a fixed order."""
    everything = []
    for record in archive.notices:
        base = _base(record.period)
        data = notice_json(record)
        everything.append(data)
        yield f"{base}.yaml", record.text.encode("utf-8")
        yield f"{base}.json", (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        for table in TABLES:
            yield f"{base}/{table.name}.csv", table_csv(table, record, archive.units)
    whole = {
        "publisher": archive.publisher.model_dump(mode="json"),
        "units": archive.units.model_dump(mode="json"),
        "notices": everything,
    }
    yield "downloads/notices.json", (json.dumps(whole, ensure_ascii=False) + "\n").encode("utf-8")
    yield "downloads/notices.sqlite", _sqlite(archive)
    yield "feed.xml", _feed(archive, site_url)
