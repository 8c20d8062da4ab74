"""Downloads: each notice as YAML, JSON and one CSV per table that has rows; all notices as JSON
and as a SQLite database; the Atom feed; and ``datapackage.json``, which describes them all.
File URLs are stable: they depend only on the period. The tables' columns are in ``tables.py``.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from feedgen.feed import FeedGenerator

from generator import datapackage
from generator.archive import Archive, NoticeRecord, collector_paused
from generator.model import UnitRegistry
from generator.render import visible
from generator.tables import TABLES, Cell, Column, Table

ALL_DOWNLOADS = (
    ("downloads/notices.json", "全部通报（JSON，一个文件）"),
    ("downloads/notices.sqlite", "全部通报（SQLite 数据库，可直接用 SQL 查询）"),
    (datapackage.PATH, "数据包说明（Frictionless datapackage.json，列出每个文件及各表的列）"),
    ("feed.xml", "新通报订阅（Atom）"),
)
"""(path, label) of the downloads of the whole archive, as the data page lists them."""


def _base(period: str) -> str:
    return f"downloads/notices/{period}"


def csv_path(period: str, table: Table[Any]) -> str:
    return f"{_base(period)}/{table.name}.csv"


def notice_downloads(record: NoticeRecord, units: UnitRegistry) -> list[tuple[str, str]]:
    """(path, label) of each download of one notice: a table's CSV only when it has rows."""
    base = _base(record.period)
    files = [(f"{base}.yaml", "YAML（数据原文件）"), (f"{base}.json", "JSON")]
    files += [(csv_path(record.period, table), f"CSV：{table.title}") for table in TABLES if table.has_rows(record.notice, units)]
    return files


# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), with the
# full-width forms that spreadsheet programs on Chinese systems may normalise to them.
_FORMULA_START = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        # As OWASP recommends: a leading apostrophe makes the cell plain text. Only text cells:
        # numbers (negative ones too) stay numbers.
        return "'" + value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv_cell(column: Column[Any], cell: Cell) -> str:
    """What :meth:`Column.csv_value` and :func:`_cell_text` make of a cell, the usual kinds first."""
    if type(cell) is str:
        text = cell if column.labels is None else column.labels[cell]
        return "'" + text if text.startswith(_FORMULA_START) else text
    if type(cell) is int or type(cell) is Decimal:
        return str(cell)
    if cell is None:
        return ""
    return _cell_text(column.csv_value(cell))


def _csv(columns: tuple[Column[Any], ...], rows: Iterable[tuple[Cell, ...]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.title for column in columns])
    writer.writerows([[_csv_cell(column, cell) for column, cell in zip(columns, row, strict=True)] for row in rows])
    # UTF-8 with a byte order mark: what spreadsheet programs on Chinese Windows expect.
    return buffer.getvalue().encode("utf-8-sig")


def table_csv(table: Table[Any], record: NoticeRecord, units: UnitRegistry) -> bytes:
    """One table of one notice as CSV: Chinese titles and values as a reader expects them."""
    return _csv(table.all_columns, table.rows(record.notice, units))


def notice_json(record: NoticeRecord) -> dict[str, Any]:
    return record.notice.model_dump(mode="json", exclude_none=True)


def _indented_json(data: dict[str, Any]) -> bytes:
    """``json.dumps(data, ensure_ascii=False, indent=2)`` and a newline, in UTF-8, written by orjson.

    orjson writes the same bytes (tests/test_export.py compares them) many times faster than the
    standard library, whose C encoder does not indent. An integer beyond 64 bits, which orjson
    refuses, takes the standard library's way."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _sqlite_cell(column: Column[Any], cell: Cell) -> Any:
    """What :meth:`Column.sqlite_value` makes of a cell, the usual kinds first."""
    if type(cell) is str or cell is None or (type(cell) is int and -(2**63) <= cell < 2**63):
        return cell
    if type(cell) is Decimal:
        return float(cell)
    return column.sqlite_value(cell)


def _sqlite(rows: Mapping[str, Iterable[tuple[Cell, ...]]]) -> bytes:
    """The database of every table's ``rows`` (by table name; of all notices, in period order)."""
    # Written to a file (not serialised from memory) so that the bytes do not depend on the
    # Python build; removed afterwards.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notices.sqlite"
        connection = sqlite3.connect(path)
        with connection:
            for table in TABLES:
                columns = table.all_columns
                definition = ", ".join(f'"{column.name}" {column.kind.sqlite}' for column in columns)
                connection.execute(f'CREATE TABLE "{table.name}" ({definition})')
                marks = ", ".join("?" * len(columns))
                connection.executemany(
                    f'INSERT INTO "{table.name}" VALUES ({marks})',
                    (
                        tuple([_sqlite_cell(column, cell) for column, cell in zip(columns, row, strict=True)])
                        for row in rows[table.name]
                    ),
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


def downloads(archive: Archive, *, site_url: str | None) -> list[tuple[str, bytes]]:
    """(path, content) of every download, in a fixed order, ``datapackage.json`` last.

    A table with no rows in a notice has no CSV: there would be nothing to download."""
    with collector_paused():
        return _downloads(archive, site_url)


def _downloads(archive: Archive, site_url: str | None) -> list[tuple[str, bytes]]:
    files: list[tuple[str, bytes, str]] = []
    everything = []
    # Each table's rows are made once, for the notice's CSV and for the database.
    every_row: dict[str, list[tuple[Cell, ...]]] = {table.name: [] for table in TABLES}
    for record in archive.notices:
        base = _base(record.period)
        data = notice_json(record)
        everything.append(data)
        files.append((f"{base}.yaml", record.text.encode("utf-8"), f"{record.period} 数据原文件（YAML）"))
        files.append((f"{base}.json", _indented_json(data), f"{record.period} 数据（JSON）"))
        for table in TABLES:
            rows = list(table.rows(record.notice, archive.units))
            if rows:
                files.append(
                    (csv_path(record.period, table), _csv(table.all_columns, rows), f"{record.period} {table.title}（CSV）")
                )
                every_row[table.name] += rows
    whole = {
        "publisher": archive.publisher.model_dump(mode="json"),
        "units": archive.units.model_dump(mode="json"),
        "notices": everything,
    }
    labels = dict(ALL_DOWNLOADS)
    files.append(
        (
            "downloads/notices.json",
            (json.dumps(whole, ensure_ascii=False) + "\n").encode("utf-8"),
            labels["downloads/notices.json"],
        )
    )
    files.append(("downloads/notices.sqlite", _sqlite(every_row), labels["downloads/notices.sqlite"]))
    files.append(("feed.xml", _feed(archive, site_url), labels["feed.xml"]))
    return [(path, content) for path, content, _ in files] + datapackage.files(archive.publisher, files, site_url=site_url)
