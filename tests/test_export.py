"""Downloads parse back into exactly the data."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from generator import Site, read_archive
from generator.archive import Archive
from generator.export import TABLES, Cell
from generator.model import Notice, UnitRegistry


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


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def test_each_csv_holds_exactly_its_table(archive: Archive, files: dict[str, bytes]) -> None:
    for record in archive.notices:
        for table in TABLES:
            content = files[f"downloads/notices/{record.period}/{table.name}.csv"]
            assert content.startswith("\ufeff".encode())
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
            assert rows[0] == [name for name, _ in table.columns]
            assert rows[1:] == [[_text(c) for c in row] for row in table.rows(record.notice, archive.units)]


def test_csv_values_are_the_model_values(archive: Archive, files: dict[str, bytes]) -> None:
    record = archive.notices[0]
    rows = list(csv.DictReader(io.StringIO(files[f"downloads/notices/{record.period}/rankings.csv"].decode("utf-8-sig"))))
    assert record.notice.rankings is not None
    groups = record.notice.rankings.groups
    assert [(r["unit"], Decimal(r["score"]), int(r["rank"])) for r in rows] == [
        (row.unit, row.score, row.rank) for group in groups for row in group.rows
    ]
    categories = list(csv.DictReader(io.StringIO(files[f"downloads/notices/{record.period}/categories.csv"].decode("utf-8-sig"))))
    assert [json.loads(c["topics"]) for c in categories] == [c.topics for c in record.notice.categories]


def test_sqlite_holds_every_table_of_every_notice(archive: Archive, files: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "notices.sqlite"
    path.write_bytes(files["downloads/notices.sqlite"])
    connection = sqlite3.connect(path)
    try:
        for table in TABLES:
            stored = connection.execute(f'SELECT * FROM "{table.name}" ORDER BY rowid').fetchall()
            expected = [
                (record.period, *(float(c) if isinstance(c, Decimal) else int(c) if isinstance(c, bool) else c for c in row))
                for record in archive.notices
                for row in table.rows(record.notice, archive.units)
            ]
            assert stored == expected, table.name
        # A renamed unit is one unit for data users too.
        names = connection.execute("SELECT DISTINCT unit FROM rankings WHERE unit_name = '市卫健委' ORDER BY unit").fetchall()
        assert names == [("市卫健委",), ("市卫生健康委员会",)]
    finally:
        connection.close()


def test_feed_lists_every_notice(archive: Archive, files: dict[str, bytes]) -> None:
    root = ET.fromstring(files["feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", default="", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert sorted(titles) == sorted(r.notice.meta.title for r in archive.notices)
    assert root.findtext("a:updated", namespaces=ns) == "2024-09-01T00:00:00+00:00"
    links = [[link.get("href") for link in e.findall("a:link", ns)] for e in root.findall("a:entry", ns)]
    assert all(len(entry) == 1 for entry in links)
    assert ["notices/2024/08/"] in links
