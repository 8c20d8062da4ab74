"""Downloads: each notice as YAML, JSON and one CSV per table that has rows; all notices as JSON
and as a SQLite database; the Atom feed; and ``datapackage.json``, which describes them all.
File URLs are stable: they depend only on the period. The tables' columns are in ``tables.py``.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from generator import datapackage
from generator.archive import Archive, NoticeRecord, collector_paused
from generator.feeds import AtomEntry, archive_feed_id, atom_xml
from generator.model import Notice, Publisher, UnitRegistry
from generator.render import visible
from generator.tables import LIST_SEPARATOR, TABLES, Cell, Column, Table

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


# Each text of a column, joined after a NUL, starts right after one: a single C scan tells
# whether any may start a formula (a NUL inside a text can only send the column the slow way).
_FORMULA_AFTER_NUL = re.compile("\0[" + re.escape("".join(_FORMULA_START)) + "]")
_NONE = type(None)
_NUMBERS = frozenset({int, Decimal, _NONE})
_TEXTS = frozenset({str, _NONE})
_INTEGERS = frozenset({int, _NONE})
_DECIMALS = frozenset({Decimal, _NONE})
_LISTS = frozenset({list})


def _kinds(cells: Sequence[Cell]) -> frozenset[type]:
    """The types of a column's cells, found by one C loop."""
    return frozenset(map(type, cells))


def _csv_column(column: Column[Any], cells: Sequence[Cell], kinds: frozenset[type] | None = None) -> Sequence[Cell]:
    """One column's cells as :func:`_csv_cell` makes them, or as they are where ``csv.writer``
    writes that text itself: ``str()`` of a number, nothing for ``None``. ``kinds`` is
    :func:`_kinds` of the cells, when already known.

    A column's cells are nearly always of one kind, so they are judged together, by C loops
    (``map``, ``set``); a Python call for each cell was most of what the CSV files cost."""
    kinds = _kinds(cells) if kinds is None else kinds
    if kinds <= _NUMBERS:
        return cells
    texts: Sequence[str | None] | None = None
    if kinds <= _TEXTS:
        if column.labels is None:
            texts = cells  # type: ignore[assignment]
        elif _NONE not in kinds:
            texts = list(map(column.labels.__getitem__, cells))  # type: ignore[arg-type]
    elif kinds == _LISTS:
        texts = list(map(LIST_SEPARATOR.join, cells))  # type: ignore[arg-type]
    # Each distinct text judged once: a column's texts repeat (names, titles, labels).
    if texts is not None and not _FORMULA_AFTER_NUL.search("\0" + "\0".join(filter(None, set(texts)))):
        return texts
    return [_csv_cell(column, cell) for cell in cells]


class _TableRows(NamedTuple):
    """One table's rows of consecutive notices, column by column (the period first)."""

    table: Table[Any]
    columns: list[list[Cell]]
    counts: list[int]
    """How many of the rows each notice has."""
    kinds: list[frozenset[type]]
    """:func:`_kinds` of each column, which the CSV files and the database both judge it by."""


def _table_rows(table: Table[Any], notices: Iterable[Notice], units: UnitRegistry) -> _TableRows:
    columns, counts = table.columns_of(notices, units)
    return _TableRows(table, columns, counts, list(map(_kinds, columns)))


# What makes ``csv.writer`` (the default dialect, minimal quoting) put a field in double quotes:
# the delimiter, the quote character, or a character of its line terminator ("\r\n").
_NEEDS_QUOTES = re.compile('[,"\r\n]')


def _csv_field(text: str) -> str:
    """A field as ``csv.writer`` writes it: quoted, its quotes doubled, only when it must be."""
    return '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES.search(text) else text


def _csv_fields(column: Column[Any], cells: Sequence[Cell], kinds: frozenset[type]) -> Sequence[str]:
    """One column's fields as ``csv.writer`` writes them (:func:`_csv_column` of the cells, a
    number as ``str()``, nothing for ``None``, quoted where needed), judged together by C loops."""
    if kinds <= _INTEGERS:
        # Each distinct number written once (equal integers have the same digits); never quoted.
        texts = {cell: "" if cell is None else str(cell) for cell in set(cells)}
        return list(map(texts.__getitem__, cells))
    values: Sequence[Any] = _csv_column(column, cells, kinds)
    if _NONE in kinds:
        values = ["" if value is None else value for value in values]
    if kinds <= _NUMBERS:
        return list(map(str, values))  # digits, signs, points and exponents: never quoted
    if _NEEDS_QUOTES.search("".join(set(values))):
        return list(map(_csv_field, values))
    return values


def _csv_files(rows: _TableRows) -> list[bytes]:
    """The CSV file of each notice's rows of the table: Chinese titles and values as a reader
    expects them, the bytes ``csv.writer`` writes (``lineterminator="\r\n"``).

    Every table has the period and at least one more column, so that no row is a single empty
    field (which ``csv.writer`` writes as ``""``) and a row is its fields joined by commas. Rows
    are joined by C loops, for all notices at once: ``csv.writer`` looked up each character of
    every text in its line terminator, one C call a character."""
    columns = zip(rows.table.all_columns, rows.columns, rows.kinds, strict=True)
    lines = list(map(",".join, zip(*[_csv_fields(column, cells, kinds) for column, cells, kinds in columns], strict=True)))
    # UTF-8 with a byte order mark: what spreadsheet programs on Chinese Windows expect.
    head = "\ufeff" + ",".join(map(_csv_field, (column.title for column in rows.table.all_columns))) + "\r\n"
    files = []
    start = 0
    for count in rows.counts:
        body = "\r\n".join(lines[start : start + count]) + "\r\n" if count else ""
        files.append((head + body).encode("utf-8"))
        start += count
    return files


def table_csv(table: Table[Any], record: NoticeRecord, units: UnitRegistry) -> bytes:
    """One table of one notice as CSV: Chinese titles and values as a reader expects them."""
    return _csv_files(_table_rows(table, [record.notice], units))[0]


_NOTICE, _PUBLISHER, _UNITS = TypeAdapter(Notice), TypeAdapter(Publisher), TypeAdapter(UnitRegistry)


def _notice_json(notice: Notice, *, indent: int) -> bytes:
    """The notice as pydantic's serializer writes it (in Rust, from the model itself): the bytes of
    ``json.dumps(notice.model_dump(mode="json", exclude_none=True), ensure_ascii=False,
    indent=indent)`` (tests/test_export.py compares them), without a dictionary of the notice."""
    return _NOTICE.dump_json(notice, indent=indent, exclude_none=True)


def _single_line(lines: bytes) -> bytes:
    """JSON written with ``indent=0`` as ``json.dumps`` writes it without an indent.

    Text never holds a raw line break (JSON escapes it), so every line break is layout: one that
    ends an item becomes the ``", "`` between items, and every other one goes."""
    return lines.replace(b",\n", b", ").replace(b"\n", b"")


def _one_line(indented: bytes) -> bytes:
    """JSON written with an indent as ``json.dumps`` writes it without one: each line's indent
    dropped, then as :func:`_single_line`. Text never holds a raw line break or tab (JSON escapes
    them), so the white space that starts a line is all indent. Cheaper than writing the model's
    JSON a second time, without the indent."""
    return _single_line(b"\n".join(map(bytes.lstrip, indented.split(b"\n"))))


def _whole_json(archive: Archive, notices: Iterable[bytes]) -> bytes:
    """``downloads/notices.json``: ``json.dumps({"publisher": …, "units": …, "notices": […]},
    ensure_ascii=False)`` of the models' JSON dumps and a newline, made of each notice's
    indented JSON (see :func:`_notice_json`)."""
    publisher, units = _PUBLISHER.dump_json(archive.publisher, indent=0), _UNITS.dump_json(archive.units, indent=0)
    head = _single_line(b'{\n"publisher": %b,\n"units": %b,\n"notices": [\n' % (publisher, units))
    return head + b", ".join(map(_one_line, notices)) + b"]}\n"


def _sqlite_cell(column: Column[Any], cell: Cell) -> Any:
    """What :meth:`Column.sqlite_value` makes of a cell, the usual kinds first."""
    if type(cell) is str or cell is None or (type(cell) is int and -(2**63) <= cell < 2**63):
        return cell
    if type(cell) is Decimal:
        return float(cell)
    return column.sqlite_value(cell)


def _json_lists(cells: Iterable[list[str]]) -> list[str]:
    """``json.dumps(cell, ensure_ascii=False)`` of each list of text (the model's lists hold text
    only), joined here with its separator: the standard library's encoder is built anew for each
    value, which cost four times as much."""
    return [f"[{', '.join(map(encode_basestring, cell))}]" for cell in cells]


def _sqlite_column(column: Column[Any], cells: Sequence[Cell], kinds: frozenset[type] | None = None) -> Sequence[Any]:
    """One column's cells as :func:`_sqlite_cell` makes them, judged together as in :func:`_csv_column`."""
    kinds = _kinds(cells) if kinds is None else kinds
    if kinds <= _TEXTS:
        return cells
    if kinds <= _INTEGERS:
        numbers: set[int] = set(cells) - {None}  # type: ignore[assignment]
        if not numbers or (min(numbers) >= -(2**63) and max(numbers) < 2**63):
            return cells
    elif kinds <= _DECIMALS:
        return _floats(cells)  # type: ignore[arg-type]
    elif kinds == _LISTS:
        return _json_lists(cells)  # type: ignore[arg-type]
    return [_sqlite_cell(column, cell) for cell in cells]


def _floats(cells: Sequence[Decimal | None]) -> Sequence[float | None]:
    """``float()`` of each number (``None`` stays), each value converted once: a Decimal becomes a
    float by way of its text, and a column's values repeat (scores, thresholds)."""
    floats = {value: None if value is None else float(value) for value in set(cells)}
    if 0 in floats:
        # Equal numbers make the same float, but for zero's sign: 0 and -0 are equal Decimals.
        return [None if cell is None else float(cell) for cell in cells]
    return list(map(floats.__getitem__, cells))


_ROWS_AN_INSERT = 999 // max(len(table.all_columns) for table in TABLES)
"""Rows inserted by one statement: fewer steps through SQLite (a third less time inserting),
and at most 999 values, what SQLite before 3.32 accepts."""


def _sqlite(tables: Sequence[_TableRows]) -> bytes:
    """The database of every table's rows (of all notices, in period order), compact as ``VACUUM``
    leaves a database, without its copy of every page (tests/test_export.py checks it)."""
    # Written to a file (not serialised from memory) so that the bytes do not depend on the
    # Python build; removed afterwards.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notices.sqlite"
        with closing(sqlite3.connect(path, isolation_level=None)) as connection:
            _fill(connection, tables)
        return path.read_bytes()


def _fill(connection: sqlite3.Connection, tables: Sequence[_TableRows]) -> None:
    # Without a journal or waiting for the disk: neither setting is stored in the file.
    for pragma in ("journal_mode = OFF", "synchronous = OFF"):
        connection.execute(f"PRAGMA {pragma}")
    # Every table is created before any row goes in, as VACUUM copies them: each table's pages
    # then follow one another, filled, in the order VACUUM would put them.
    with _transaction(connection):
        for rows in tables:
            definition = ", ".join(f'"{column.name}" {column.kind.sqlite}' for column in rows.table.all_columns)
            connection.execute(f'CREATE TABLE "{rows.table.name}" ({definition})')
    with _transaction(connection):
        for rows in tables:
            _insert(connection, rows)
    # The header as the VACUUM that used to follow left it (the file stayed byte-identical): its
    # schema version one past the tables', and a third commit in the change counter.
    connection.execute(f"PRAGMA schema_version = {len(tables) + 1}")


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    connection.execute("BEGIN")
    yield
    connection.execute("COMMIT")


def _insert(connection: sqlite3.Connection, rows: _TableRows) -> None:
    table, columns = rows.table, rows.table.all_columns
    # Every value, row after row, laid out by one C slice assignment a column.
    width = len(columns)
    flat: list[Any] = [None] * (sum(rows.counts) * width)
    for j, (cells, kinds) in enumerate(zip(rows.columns, rows.kinds, strict=True)):
        flat[j::width] = _sqlite_column(columns[j], cells, kinds)
    insert, marks = f'INSERT INTO "{table.name}" VALUES ', f"({', '.join('?' * width)})"
    step = _ROWS_AN_INSERT * width
    whole = len(flat) // step * step
    chunks = (flat[start : start + step] for start in range(0, whole, step))
    connection.executemany(insert + ", ".join([marks] * _ROWS_AN_INSERT), chunks)
    left = (flat[start : start + width] for start in range(whole, len(flat), width))
    connection.executemany(insert + marks, left)  # the rows left over


def _feed(archive: Archive, site_url: str | None) -> bytes:
    """``feed.xml``: every notice, in period order, as feedgen wrote it (tests/test_export.py
    compares the two), by the string writer of the other feeds."""
    # Every text goes through `visible`: XML 1.0 forbids control characters (lxml refused them).
    publisher = archive.publisher
    namespace = archive_feed_id(archive)
    base = site_url.rstrip("/") + "/" if site_url else ""
    latest = archive.latest
    entries = []
    for record in archive.notices:
        notice = record.notice
        # Only the page: feedgen 1.0 dropped the rel of entry links, and a second link would
        # then count as a second "alternate", which Atom forbids. The source is in the summary.
        href = f"{base}notices/{record.period[:4]}/{record.period[5:]}/"
        entry_id = f"urn:uuid:{uuid.uuid5(namespace, record.period)}"
        summary = visible(feed_summary(notice))
        entries.append(AtomEntry(entry_id, visible(notice.meta.title), _period_time(record.period), href, summary))
    return atom_xml(
        id=f"urn:uuid:{namespace}",
        title=visible(publisher.site_title),
        subtitle=visible(publisher.site_description),
        author=visible(f"{publisher.city}{publisher.hotline}"),
        updated=_period_time(latest.period) if latest else datetime(2000, 1, 1, tzinfo=UTC),
        links=(f"{base}feed.xml", base or "./"),
        entries=entries,
    )


def feed_summary(notice: Notice) -> str:
    """A notice's summary in ``feed.xml``: its key figures and where the original was published."""
    phone = notice.intake.phone
    return (
        f"受理各类来电来信 {notice.intake.total} 件"
        + (
            f"，接听电话 {phone.calls} 人次，登记交办 {phone.registered} 件，办结率 {phone.completion_rate}%"
            + (f"，满意率 {phone.satisfaction_rate}%" if phone.satisfaction_rate else "")
            if phone is not None
            else ""
        )
        + f"。原文：{notice.meta.source}"
    )


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
    # Each table's rows are made once, for the notices' CSV files and for the database.
    notices = [record.notice for record in archive.notices]
    tables = [_table_rows(table, notices, archive.units) for table in TABLES]
    csvs = [_csv_files(rows) for rows in tables]
    jsons = [_notice_json(record.notice, indent=2) for record in archive.notices]
    for i, record in enumerate(archive.notices):
        base = _base(record.period)
        files.append((f"{base}.yaml", record.text.encode("utf-8"), f"{record.period} 数据原文件（YAML）"))
        files.append((f"{base}.json", jsons[i] + b"\n", f"{record.period} 数据（JSON）"))
        for rows, contents in zip(tables, csvs, strict=True):
            if rows.counts[i]:
                files.append((csv_path(record.period, rows.table), contents[i], f"{record.period} {rows.table.title}（CSV）"))
    labels = dict(ALL_DOWNLOADS)
    whole = _whole_json(archive, jsons)
    files.append(("downloads/notices.json", whole, labels["downloads/notices.json"]))
    files.append(("downloads/notices.sqlite", _sqlite(tables), labels["downloads/notices.sqlite"]))
    files.append(("feed.xml", _feed(archive, site_url), labels["feed.xml"]))
    return [(path, content) for path, content, _ in files] + datapackage.files(archive.publisher, files, site_url=site_url)
