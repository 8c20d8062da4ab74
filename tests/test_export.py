"""Downloads parse back into exactly the data."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from feedgen.feed import FeedGenerator
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from generator import Site, read_archive, render_site
from generator.archive import Archive, NoticeRecord
from generator.export import (
    _csv_cell,
    _csv_column,
    _feed,
    _one_line,
    _period_time,
    _single_line,
    _sqlite_cell,
    _sqlite_column,
    downloads,
    feed_summary,
    notice_downloads,
    table_csv,
)
from generator.feeds import archive_feed_id
from generator.model import CaseKind, Notice, UnitRegistry, WorkUpdate
from generator.render import CASE_LABELS, GROUP_LABELS, visible
from generator.tables import TABLES, Cell
from tests.conftest import REPO, Project


@pytest.fixture(scope="module")
def archive(synthetic_root: Path) -> Archive:
    return read_archive(synthetic_root)


@pytest.fixture(scope="module")
def files(synthetic_site: Site) -> dict[str, bytes]:
    return {asset.path: asset.content for asset in synthetic_site.assets}


def test_yaml_download_is_the_data_file(archive: Archive, files: dict[str, bytes], synthetic_root: Path) -> None:
    for record in archive.notices:
        assert files[f"downloads/notices/{record.period}.yaml"] == (synthetic_root / record.file).read_bytes()


def test_json_parses_back_into_the_same_notice(archive: Archive, files: dict[str, bytes]) -> None:
    for record in archive.notices:
        data = json.loads(files[f"downloads/notices/{record.period}.json"])
        assert Notice.model_validate(data) == record.notice
    whole = json.loads(files["downloads/notices.json"])
    assert [Notice.model_validate(n) for n in whole["notices"]] == [r.notice for r in archive.notices]
    assert UnitRegistry.model_validate(whole["units"]) == archive.units
    # Decimals keep the digits they were printed with.
    rankings = archive.notices[0].notice.rankings
    assert rankings is not None
    assert whole["notices"][0]["rankings"]["groups"][0]["rows"][-1]["score"] == str(rankings.groups[0].rows[-1].score)


def test_json_is_what_the_standard_library_writes_of_the_model_dumps(archive: Archive) -> None:
    # The JSON is written by pydantic's serializer for speed, the whole file from each notice's
    # JSON: its bytes are the standard library's json.dumps of the models' dumps (indented for
    # one notice), also for text that needs escaping and for an integer beyond 64 bits.
    texts = ['引号"反斜杠\\斜杠/', "制表\t换行\n回车\r退格\b换页\f", "\x00\x01\x1f\x7f\x80\x9f", "\u2028\u2029\ufeff\U0001f600"]
    updates = [WorkUpdate.model_construct(title=text, text=text) for text in texts]
    huge = archive.notices[0].notice.categories[0].model_copy(update={"count": 10**400})
    changes = (archive, _with_notice(archive, work_updates=updates), _with_notice(archive, categories=[huge]))
    for changed in (*changes, replace(archive, notices=())):
        files = dict(downloads(changed, site_url=None))
        dumps = [record.notice.model_dump(mode="json", exclude_none=True) for record in changed.notices]
        for record, data in zip(changed.notices, dumps, strict=True):
            expected = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            assert files[f"downloads/notices/{record.period}.json"] == expected
        whole = {"publisher": changed.publisher.model_dump(mode="json"), "units": changed.units.model_dump(mode="json")}
        expected = (json.dumps(whole | {"notices": dumps}, ensure_ascii=False) + "\n").encode("utf-8")
        assert files["downloads/notices.json"] == expected


def _csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "CSV files start with a byte order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_each_csv_holds_its_table_in_chinese_and_only_tables_with_rows_have_one(
    archive: Archive, files: dict[str, bytes]
) -> None:
    absent = 0
    for record in archive.notices:
        linked = {path for path, _ in notice_downloads(record, archive.units)}
        for table in TABLES:
            path = f"downloads/notices/{record.period}/{table.name}.csv"
            items = list(table.items(record.notice, archive.units))
            if not items:
                assert path not in files and path not in linked, path
                absent += 1
                continue
            assert path in linked
            rows = _csv(files[path])
            assert rows[0] == [column.title for column in table.all_columns]
            assert len(rows) == len(items) + 1
            assert {row[0] for row in rows[1:]} == {record.period}
    assert absent, "the synthetic archive has notices without some tables"


def test_csv_headers_and_values_are_chinese(archive: Archive, files: dict[str, bytes]) -> None:
    record = archive.notices[0]

    def rows(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(files[f"downloads/notices/{record.period}/{name}.csv"].decode("utf-8-sig"))))

    ranking = rows("rankings")
    assert list(ranking[0]) == [
        "月份",
        "分组序号",
        "考核分组",
        "表格标题",
        "点名分数线（%）",
        "序号",
        "单位（原文写法）",
        "单位（规范名称）",
        "得分",
        "名次",
    ]
    assert record.notice.rankings is not None
    groups = record.notice.rankings.groups
    assert [(r["单位（原文写法）"], r["得分"], int(r["名次"])) for r in ranking] == [
        (row.unit, str(row.score), row.rank) for group in groups for row in group.rows
    ]
    # Closed vocabularies in words, not codes: county is 县(市), hot is 热点问题.
    assert [r["考核分组"] for r in ranking] == [GROUP_LABELS[group.group] for group in groups for _ in group.rows]
    assert {r["考核分组"] for r in ranking} <= set(GROUP_LABELS.values())
    assert not {"county", "district", "department", "street"} & {r["考核分组"] for r in ranking}
    cases = rows("cases")
    assert [(c["类别"], c["涉及区域未列全"]) for c in cases] == [
        (CASE_LABELS[case.kind], "是" if case.areas_partial else "否")
        for kind in CaseKind
        for case in record.notice.cases_of(kind)
    ]
    assert {c["涉及区域未列全"] for c in cases} == {"是", "否"}
    # A list is one cell, its items joined by a full-width semicolon.
    categories = rows("categories")
    assert [c["主要涉及"].split("\uff1b") if c["主要涉及"] else [] for c in categories] == [
        c.topics for c in record.notice.categories
    ]
    # An absent figure is an empty cell.
    assert all(row["期号"] == "" for row in rows("notices")) == (record.notice.meta.issue_number is None)


def test_sqlite_keeps_the_machine_names_and_holds_every_row(archive: Archive, files: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "notices.sqlite"
    path.write_bytes(files["downloads/notices.sqlite"])
    connection = sqlite3.connect(path)
    try:
        # The names programs rely on: these never change (new columns may be added).
        columns = [row[1] for row in connection.execute('PRAGMA table_info("rankings")')]
        assert columns == [
            "period",
            "group_position",
            "unit_group",
            "group_title",
            "threshold_percent",
            "position",
            "unit",
            "unit_name",
            "score",
            "rank",
        ]
        for table in TABLES:
            stored = connection.execute(f'SELECT * FROM "{table.name}" ORDER BY rowid').fetchall()
            expected = [
                tuple(column.sqlite_value(cell) for column, cell in zip(table.all_columns, row, strict=True))
                for record in archive.notices
                for row in table.rows(record.notice, archive.units)
            ]
            assert stored == expected, table.name
        groups = {row[0] for row in connection.execute("SELECT unit_group FROM rankings")}
        assert groups <= {"county", "district", "department", "street"}
        kinds = connection.execute("SELECT DISTINCT kind, areas_partial FROM cases").fetchall()
        assert {kind for kind, _ in kinds} == {"hot", "difficult"}
        assert {partial for _, partial in kinds} == {0, 1}
        topics = connection.execute(
            "SELECT topics FROM categories WHERE period = ? ORDER BY position", (archive.notices[0].period,)
        )
        assert [json.loads(t) for (t,) in topics] == [c.topics for c in archive.notices[0].notice.categories]
        # A renamed unit is one unit for data users too.
        names = connection.execute("SELECT DISTINCT unit FROM rankings WHERE unit_name = '市卫健委' ORDER BY unit").fetchall()
        assert names == [("市卫健委",), ("市卫生健康委员会",)]
    finally:
        connection.close()


def test_sqlite_is_the_database_vacuum_makes(files: dict[str, bytes], tmp_path: Path) -> None:
    # Written without VACUUM's second copy of every page, the database is still the one VACUUM
    # makes: the same pages, and a header that differs only in the counters VACUUM moves on by
    # one (the change counter, the schema version, and the counter the version number is for).
    database = files["downloads/notices.sqlite"]
    path = tmp_path / "notices.sqlite"
    path.write_bytes(database)
    connection = sqlite3.connect(path)
    try:
        (rows,) = connection.execute("SELECT COUNT(*) FROM rankings").fetchone()
        assert rows > 100, "a table of several pages"
        connection.execute("VACUUM")
    finally:
        connection.close()
    vacuumed = path.read_bytes()
    counters = (slice(24, 28), slice(40, 44), slice(92, 96))
    assert [int.from_bytes(vacuumed[at], "big") - int.from_bytes(database[at], "big") for at in counters] == [1, 1, 1]
    for at in counters:
        vacuumed = vacuumed[: at.start] + database[at] + vacuumed[at.stop :]
    assert vacuumed == database


def test_feed_lists_every_notice(archive: Archive, files: dict[str, bytes]) -> None:
    root = ET.fromstring(files["feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", default="", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert sorted(titles) == sorted(r.notice.meta.title for r in archive.notices)
    assert root.findtext("a:updated", namespaces=ns) == "2024-09-01T00:00:00+00:00"
    links = [[link.get("href") for link in e.findall("a:link", ns)] for e in root.findall("a:entry", ns)]
    assert all(len(entry) == 1 for entry in links)
    assert ["notices/2024/08/"] in links


# What spreadsheets run as a formula (OWASP "CSV injection"), full-width forms included.
FORMULAS = [
    '=HYPERLINK("https://evil.example/","点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1\uff0b1",
    "\uff0bcmd",
    "\uff0d1",
    "\uff20SUM(A1)",
]


def test_csv_text_cells_that_would_start_a_formula_get_a_leading_apostrophe(archive: Archive) -> None:
    record = archive.notices[0]
    updates = [WorkUpdate.model_construct(title=text, text=f"正文{text}") for text in FORMULAS]
    category = record.notice.categories[0].model_copy(update={"name": "-负数名", "count": -5, "share": Decimal("-1.5")})
    notice = record.notice.model_copy(update={"work_updates": updates, "categories": [category]})
    poisoned = replace(record, notice=notice)
    tables = {table.name: table for table in TABLES}

    def rows(name: str) -> list[list[str]]:
        content = table_csv(tables[name], poisoned, archive.units).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(content, newline="")))[1:]

    period = record.period
    assert rows("work_updates") == [[period, str(i), "'" + text, f"正文{text}"] for i, text in enumerate(FORMULAS, 1)]
    # Numbers stay numbers, negative ones too; only the text cell is neutralised.
    assert rows("categories")[0][2:5] == ["'-负数名", "-5", "-1.5"]


# Made-up columns of cells: of each kind alone (as the models hold them) and mixed.
COLUMNS: list[list[Cell]] = [
    ["文字", None, "", "=1+1", "\uff0b1", "a,b", '引"号', "换\r\n行"],
    [1, None, 0, -5, 2**63 - 1, -(2**63)],
    ["空\x00=不是公式", "甲"],
    ["甲", "\n乙"],
    [1, 2**63],
    [-(2**63) - 1, None],
    [Decimal("1.5"), None, Decimal("-0.25"), Decimal("1E+2")],
    [Decimal("95.23"), Decimal("0.1")],
    [True, False, None],
    [date(2023, 8, 1), None],
    [["甲", "乙"], [], ["=x"], ['引"号']],
    [["甲"], None],
    ["文字", 1, Decimal("2"), None, True, ["x"], date(2024, 1, 1)],
    [],
]


def test_a_column_converted_at_once_is_each_cell_converted_alone() -> None:
    # The downloads convert a whole column with C loops where its cells are of one kind; that must
    # be exactly what converting each cell gives (csv.writer writes str() of a number itself).
    labelled = next(column for table in TABLES for column in table.all_columns if column.labels is not None)
    plain = next(column for table in TABLES for column in table.all_columns if column.labels is None)
    labels: list[Cell] = list(labelled.labels or {})
    columns = [(plain, cells) for cells in COLUMNS] + [(labelled, labels), (labelled, [*labels, None])]
    for column, cells in columns:
        at_once, alone = io.StringIO(newline=""), io.StringIO(newline="")
        csv.writer(at_once).writerows([cell] for cell in _csv_column(column, cells))
        csv.writer(alone).writerows([_csv_cell(column, cell)] for cell in cells)
        assert at_once.getvalue() == alone.getvalue(), cells
        stored = _sqlite_column(column, cells)
        assert [(type(v), v) for v in stored] == [(type(v), v) for v in (_sqlite_cell(column, cell) for cell in cells)], cells


def _with_notice(archive: Archive, **changes: object) -> Archive:
    """The archive with its first notice changed, past validation (what the loader would refuse)."""
    record = archive.notices[0]
    return replace(archive, notices=(replace(record, notice=record.notice.model_copy(update=changes)), *archive.notices[1:]))


def test_an_archive_without_notices_still_has_its_whole_downloads(archive: Archive, tmp_path: Path) -> None:
    files = dict(downloads(replace(archive, notices=()), site_url=None))
    assert json.loads(files["downloads/notices.json"])["notices"] == []
    assert not [path for path in files if path.startswith("downloads/notices/")]
    path = tmp_path / "notices.sqlite"
    path.write_bytes(files["downloads/notices.sqlite"])
    connection = sqlite3.connect(path)
    try:
        assert [connection.execute(f'SELECT COUNT(*) FROM "{table.name}"').fetchone() for table in TABLES] == [(0,)] * len(TABLES)
    finally:
        connection.close()


def test_feed_drops_what_xml_forbids_instead_of_crashing(archive: Archive) -> None:
    meta = archive.notices[0].notice.meta.model_copy(update={"title": "通报\x00标题\x01\x1f\ufffe\uffff\u202e\u200b完"})
    files = dict(downloads(_with_notice(archive, meta=meta), site_url=None))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in ET.fromstring(files["feed.xml"]).findall("a:entry", ns)]
    assert "通报标题完" in titles


def test_integers_beyond_64_bits_do_not_crash_the_database(archive: Archive, tmp_path: Path) -> None:
    category = archive.notices[0].notice.categories[0].model_copy(update={"count": 10**19})
    other = archive.notices[0].notice.categories[1].model_copy(update={"count": 10**400})
    files = dict(downloads(_with_notice(archive, categories=[category, other]), site_url=None))
    path = tmp_path / "notices.sqlite"
    path.write_bytes(files["downloads/notices.sqlite"])
    connection = sqlite3.connect(path)
    try:
        counts = connection.execute("SELECT count FROM categories WHERE period = ? ORDER BY rowid", (archive.notices[0].period,))
        assert counts.fetchall() == [(1e19,), (float("inf"),)]
    finally:
        connection.close()
    assert json.loads(files[f"downloads/notices/{archive.notices[0].period}.json"])["categories"][1]["count"] == 10**400


def test_formula_text_from_a_data_file_is_neutralised_in_its_csv(project: Project) -> None:
    # The hostile corpus's case (tests/hostile/accepted): valid data, a safe download.
    project.notice.write_bytes((REPO / "tests/hostile/accepted/out-formula-cells.yaml").read_bytes())
    site = render_site(read_archive(project.root))
    content = next(a.content for a in site.assets if a.path == "downloads/notices/2023-08/work_updates.csv")
    titles = [row[2] for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))][1:4]
    assert titles == [
        '\'=HYPERLINK("https://evil.example/","点我")',
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "'+1+1 与 -2+3 与 \uff1d1\uff0b1",
    ]


def test_ranking_values_have_a_row_for_each_other_column_of_a_group_that_has_them(archive: Archive) -> None:
    record = archive.notices[0]
    rankings = record.notice.rankings
    assert rankings is not None
    plain, other = rankings.groups[1], rankings.groups[0]
    assert not plain.columns, "the synthetic groups have no other columns"
    rows = [row.model_copy(update={"values": [i, f"9{i}.5"]}) for i, row in enumerate(other.rows, 1)]
    other = other.model_copy(update={"columns": ["件数", "办结率"], "rows": rows})
    changed = _with_notice(archive, rankings=rankings.model_copy(update={"groups": [plain, other, plain]}))
    files = dict(downloads(changed, site_url=None))
    expected = [
        [record.period, "2", str(i), row.unit, column, str(value)]
        for i, row in enumerate(rows, 1)
        for column, value in zip(other.columns, row.values, strict=True)
    ]
    assert len(expected) == 2 * len(rows)
    assert _csv(files[f"downloads/notices/{record.period}/ranking_values.csv"])[1:] == expected


def _feedgen_feed(archive: Archive, site_url: str | None) -> bytes:
    """``feed.xml`` as feedgen 1.0 wrote it (generator/export.py did until it wrote the XML itself)."""
    publisher = archive.publisher
    namespace = archive_feed_id(archive)
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
    feed.updated(_period_time(latest.period) if latest else datetime(2000, 1, 1, tzinfo=UTC))
    for record in archive.notices:
        notice = record.notice
        entry = feed.add_entry(order="append")
        entry.id(f"urn:uuid:{uuid.uuid5(namespace, record.period)}")
        entry.title(visible(notice.meta.title))
        entry.link(href=f"{base}notices/{record.period[:4]}/{record.period[5:]}/")
        entry.updated(_period_time(record.period))
        entry.summary(visible(feed_summary(notice)))
    atom: bytes = feed.atom_str(pretty=True)
    return atom


def test_the_archive_feed_is_written_as_feedgen_wrote_it(archive: Archive, files: dict[str, bytes]) -> None:
    assert files["feed.xml"] == _feedgen_feed(archive, None)
    for site_url in ("https://example.org/archive/", "https://example.org/a b/?x=1&y=<2>"):
        assert _feed(archive, site_url) == _feedgen_feed(archive, site_url)
    assert _feed(replace(archive, notices=()), None) == _feedgen_feed(replace(archive, notices=()), None)


# Markup, quotes, line breaks and invisible characters often, any other character too but lone
# surrogates, which the loader refuses and UTF-8 cannot encode (as in tests/test_feeds.py).
_CHARACTERS = st.one_of(st.sampled_from("&<>\"'\t\n\r\x00\x85\u200b\u2028 甲]"), st.characters(exclude_categories=["Cs"]))
_TEXT = st.text(_CHARACTERS, max_size=20)
# The site's address is written as configured, not cleaned: only what XML allows in it.
_ADDRESS = st.text(st.one_of(st.sampled_from("&<>\"'\t\n\r /%甲"), st.characters(codec="ascii", min_codepoint=32)), max_size=20)


@given(
    place=st.tuples(_TEXT, _TEXT, _TEXT, _TEXT),
    titles=st.lists(_TEXT, min_size=1, max_size=3),
    source=_TEXT,
    satisfaction=st.sampled_from([None, Decimal("0"), Decimal("99.50")]),
    site_url=st.one_of(st.none(), _ADDRESS.map("https://example.org/".__add__)),
)
@settings(max_examples=100, deadline=None)
def test_any_text_in_the_archive_feed_gives_the_bytes_feedgen_wrote(
    archive: Archive,
    place: tuple[str, str, str, str],
    titles: list[str],
    source: str,
    satisfaction: Decimal | None,
    site_url: str | None,
) -> None:
    """Made-up texts (markup, quotes, line breaks, invisible characters) in every field the feed shows."""
    city, hotline, title, description = place
    # feedgen refused a feed or entry without a title: never only invisible characters there.
    publisher = archive.publisher.model_copy(
        update={"city": city, "hotline": hotline, "site_title": f"平{title}", "site_description": description}
    )
    records: list[NoticeRecord] = []
    for record, text in zip(archive.notices, titles, strict=False):
        notice = record.notice
        phone = notice.intake.phone and notice.intake.phone.model_copy(update={"satisfaction_rate": satisfaction})
        intake = notice.intake.model_copy(update={"phone": phone if len(records) != 1 else None})
        meta = notice.meta.model_copy(update={"title": f"通{text}", "source": source})
        records.append(replace(record, notice=notice.model_copy(update={"meta": meta, "intake": intake})))
    changed = replace(archive, publisher=publisher, notices=tuple(records))
    assert _feed(changed, site_url) == _feedgen_feed(changed, site_url)


# Any JSON value the models could hold: nested lists and objects, empty ones, text that needs escaping
# or starts with white space.
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(_CHARACTERS, max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(_CHARACTERS, max_size=4), inner, max_size=4),
    max_leaves=24,
)


@given(value=_JSON)
@settings(max_examples=300, deadline=None)
def test_the_one_line_json_is_derived_exactly_from_the_lines_pydantic_writes(value: Any) -> None:
    """notices.json is pydantic's ``indent=0`` JSON with its line breaks made into separators."""
    lines = TypeAdapter(Any).dump_json(value, indent=0)
    assert _single_line(lines) == json.dumps(value, ensure_ascii=False).encode()


@given(value=_JSON)
@settings(max_examples=300, deadline=None)
def test_the_one_line_json_is_derived_exactly_from_the_indented_json(value: Any) -> None:
    """notices.json is made of each notice's indented JSON, its indent and line breaks taken out."""
    indented = TypeAdapter(Any).dump_json(value, indent=2)
    assert _one_line(indented) == json.dumps(value, ensure_ascii=False).encode()
