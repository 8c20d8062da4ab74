"""datapackage.json describes every download, and the frictionless library finds it all valid;
every download link of the site points at a file with something in it."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from frictionless import Report, validate

from generator import Site
from generator.datapackage import PATH, SCHEMAS, _json
from generator.tables import TABLES
from tests.conftest import REPO

DOWNLOAD = re.compile(r"\.(csv|json|yaml|sqlite|xml)$")


def _write(site: Site, root: Path) -> Path:
    for asset in site.assets:
        (root / asset.path).parent.mkdir(parents=True, exist_ok=True)
        (root / asset.path).write_bytes(asset.content)
    return root


@pytest.fixture(scope="module")
def published(synthetic_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SYNTHETIC archive's downloads written out as the site has them."""
    return _write(synthetic_site, tmp_path_factory.mktemp("downloads"))


def _errors(report: Report) -> list[tuple[str, str]]:
    return [(task.name, error.type) for task in report.tasks for error in task.errors]


def test_datapackage_is_valid_with_every_csv_against_its_schema(published: Path, synthetic_site: Site) -> None:
    report = validate(str(published / PATH))
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads((published / PATH).read_text(encoding="utf-8"))
    described = [resource["path"] for resource in package["resources"]]
    # Per-unit, district and category feeds are subscriptions linked from their pages, not data.
    downloads = [
        a.path
        for a in synthetic_site.assets
        if a.path != PATH and not a.path.startswith(SCHEMAS + "/") and not a.path.endswith(".atom")
    ]
    assert described == downloads
    # Every CSV was read against its schema, row by row (not only checked by size).
    tables = [task for task in report.tasks if task.type == "table"]
    assert len(tables) == len([p for p in downloads if p.endswith(".csv")])
    assert all(task.stats["rows"] for task in tables)


def test_datapackage_catches_a_wrong_value_and_a_changed_file(published: Path, tmp_path: Path) -> None:
    # The check can fail: a score that is not a number, a label outside its vocabulary, a YAML edited after publication.
    root = _write_copy(published, tmp_path)
    period = next(p.name for p in sorted((root / "downloads/notices").iterdir()) if p.is_dir())
    rankings = root / f"downloads/notices/{period}/rankings.csv"
    rows = list(csv.reader(io.StringIO(rankings.read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    rows[1][header.index("得分")] = "九十"
    rows[1][header.index("考核分组")] = "county"
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    rankings.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    (root / f"downloads/notices/{period}.yaml").write_bytes(b"changed\n")
    errors = _errors(validate(str(root / PATH)))
    assert (f"notices-{period}-rankings-csv", "type-error") in errors
    assert (f"notices-{period}-rankings-csv", "constraint-error") in errors
    assert (f"notices-{period}-yaml", "hash-count") in errors


def test_json_files_are_what_the_standard_library_writes_indented_by_one(published: Path) -> None:
    # Written by pydantic's serializer, for speed: the bytes are json.dumps(indent=1)'s, also for
    # text that needs escaping, empty and nested containers, and an integer beyond 64 bits.
    package = (published / PATH).read_bytes()
    tricky: list[Any] = [
        {"文字": '引号"反斜杠\\  两个空格\n  换行后空格', "控制": "\x00\x1f\x7f\u2028", "空": [], "空表": {}},
        [[[[[{"深": [1, -2, True, False, None, "  "]}]]]]],
        {"巨大": 10**400},
        [],
        "  ",
    ]
    for value in [json.loads(package), *tricky]:
        assert _json(value) == (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    assert _json(json.loads(package)) == package


def _write_copy(source: Path, target: Path) -> Path:
    for path in source.rglob("*"):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(source)).write_bytes(path.read_bytes())
    return target


def test_csv_schemas_give_chinese_titles_types_and_the_machine_names(published: Path) -> None:
    for table in TABLES:
        schema = json.loads((published / SCHEMAS / f"{table.name}.json").read_text(encoding="utf-8"))
        assert [field["title"] for field in schema["fields"]] == [column.title for column in table.all_columns]
        assert [field["type"] for field in schema["fields"]] == [column.kind.table_schema for column in table.all_columns]
        for field, column in zip(schema["fields"], table.all_columns, strict=True):
            assert re.search(r"[\u4e00-\u9fff]", field["title"]), field
            assert field["description"].endswith(f"SQLite 数据库中的列名：{column.name}。")
    schema = json.loads((published / SCHEMAS / "cases.json").read_text(encoding="utf-8"))
    partial = next(field for field in schema["fields"] if field["title"] == "涉及区域未列全")
    assert (partial["type"], partial["trueValues"], partial["falseValues"]) == ("boolean", ["是"], ["否"])


def test_built_datapackage_is_valid_by_the_frictionless_command(built_site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", PATH],
        cwd=built_site,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["valid"] is True
    # The real notice has no acknowledged inconsistency: no file, so nothing described either.
    paths = [task["place"] for task in report["tasks"]]
    assert all(task["stats"]["rows"] for task in report["tasks"] if task["type"] == "table")
    assert "downloads/notices/2023-08/rankings.csv" in paths
    assert "downloads/notices/2023-08/acknowledged.csv" not in paths
    assert not (built_site / "downloads/notices/2023-08/acknowledged.csv").exists()


def _nonempty(path: Path) -> None:
    assert path.is_file() and path.stat().st_size > 0, path
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        assert len(rows) >= 2, f"{path} has no rows"


def test_every_download_link_of_the_built_site_points_at_a_file_with_content(built_site: Path) -> None:
    checked = set()
    for page in built_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        url = "/" + page.relative_to(built_site).as_posix()
        for anchor in soup.find_all("a", href=True):
            href = str(anchor["href"])
            target = urlsplit(urljoin(url, href))
            if target.scheme or target.netloc or not DOWNLOAD.search(target.path):
                continue
            _nonempty(built_site / unquote(target.path).lstrip("/"))
            checked.add(target.path)
    assert "/downloads/notices/2023-08/rankings.csv" in checked
    assert "/datapackage.json" in checked
    assert "/downloads/notices/2023-08/acknowledged.csv" not in checked


def test_every_download_link_of_the_synthetic_archive_has_content(synthetic_site: Site, published: Path) -> None:
    # More months and more kinds of tables than the real data; some notices have an acknowledged inconsistency.
    linked = set()
    for page in synthetic_site.pages:
        for href in re.findall(r"\]\(([^)\s]+)\)", page.markdown):
            target = urlsplit(urljoin(page.path, href))
            if not target.scheme and DOWNLOAD.search(target.path):
                _nonempty(published / target.path)
                linked.add(target.path)
    assert any(path.endswith("/acknowledged.csv") for path in linked)
    assert "datapackage.json" in linked


def test_readme_download_sentences_hold(built_site: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sentence = readme[readme.index("下载文件的地址只取决于月份") :]
    sentence = sentence[: sentence.index("\n\n")]
    paths = re.findall(r"`(/[^`]+)`", sentence)
    assert paths == [
        "/downloads/notices/YYYY-MM.yaml",
        "/downloads/notices/YYYY-MM/表名.csv",
        "/downloads/notices.json",
        "/downloads/notices.sqlite",
        "/datapackage.json",
    ]
    for path in paths:
        concrete = path.replace("YYYY-MM", "2023-08").replace("表名", "rankings")
        _nonempty(built_site / concrete.lstrip("/"))
    _nonempty(built_site / "downloads/notices/2023-08.json")  # the "`.json`" beside the YAML
    rows = list(csv.reader(io.StringIO((built_site / "downloads/notices/2023-08/cases.csv").read_text(encoding="utf-8-sig"))))
    assert "`hot`" in sentence and "“热点问题”" in sentence
    assert "热点问题" in {row[rows[0].index("类别")] for row in rows[1:]}
    assert "generator/tables.py" in sentence and (REPO / "generator/tables.py").is_file()
    assert "某期没有内容的表不生成 CSV" in sentence  # the test above and test_export check it
