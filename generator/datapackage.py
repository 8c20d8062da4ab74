"""``datapackage.json``: a Frictionless Data Package that describes every download.

Format (Data Package 1.0, as the ``frictionless`` library reads it; UTF-8 JSON at the site root):

- the package: ``name``, ``title`` and ``description`` from ``data/publisher.yaml``, the data
  licence (``licenses``: its title and the address of its text), the source (the office's website),
  and ``homepage`` when the site's address is known;
- one resource per downloadable file, in the order they are written: ``name`` (the path in
  lower-case letters, digits and hyphens), ``path`` (relative to the site root), ``title`` (Chinese),
  ``format``, ``mediatype``, ``encoding`` for text, ``bytes`` and ``hash`` (``sha256:`` and the hex
  digest), so that a copy can be checked;
- CSV files are ``"type": "table"`` resources whose ``schema`` is the path of a Table Schema under
  ``downloads/schemas/`` (one per table, shared by every month, so the package stays small). A
  field's ``name`` and ``title`` are the CSV's Chinese header, its ``description`` the meaning and the
  column's machine name in the SQLite database; booleans are written 是/否, closed vocabularies
  carry an ``enum`` constraint of their Chinese labels;
- every other file is ``"type": "file"``: checked by size and hash only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

import pydantic_core

from generator.model import Publisher
from generator.tables import TABLES, Column, Kind, Table

PATH = "datapackage.json"
SCHEMAS = "downloads/schemas"

_FORMATS = {
    "csv": ("text/csv", True),
    "json": ("application/json", True),
    "yaml": ("application/yaml", True),
    "sqlite": ("application/vnd.sqlite3", False),
    "xml": ("application/atom+xml", True),
}
"""Extension → (media type, is text); the same types deploy/nginx.conf serves them with."""


def schema_path(table: Table[Any]) -> str:
    return f"{SCHEMAS}/{table.name}.json"


def _field(column: Column[Any]) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.title,
        "title": column.title,
        "type": column.kind.table_schema,
        "description": f"{column.meaning}SQLite 数据库中的列名：{column.name}。",
    }
    if column.kind is Kind.boolean:
        field |= {"trueValues": ["是"], "falseValues": ["否"]}
    if column.labels is not None:
        field["constraints"] = {"enum": list(column.labels.values())}
    return field


def table_schema(table: Table[Any]) -> dict[str, Any]:
    """The Table Schema of one table's CSV files."""
    return {"fields": [_field(column) for column in table.all_columns], "missingValues": [""]}


_TABLES = {f"{table.name}.csv": table for table in TABLES}
"""A CSV file's name → its table."""
_NOT_IN_NAME = re.compile(r"[^a-z0-9]+")


def _resource(path: str, content: bytes, title: str) -> dict[str, Any]:
    extension = path.rsplit(".", 1)[-1]
    mediatype, text = _FORMATS[extension]
    table = _TABLES.get(path.rsplit("/", 1)[-1]) if extension == "csv" else None
    resource: dict[str, Any] = {
        "name": _NOT_IN_NAME.sub("-", path.removeprefix("downloads/").lower()).strip("-"),
        "path": path,
        "title": title,
        "type": "table" if table is not None else "file",
        "format": extension,
        "mediatype": mediatype,
    }
    if text:
        # The CSVs start with a byte order mark; "utf-8" readers (frictionless too) skip it.
        resource["encoding"] = "utf-8"
    resource |= {"bytes": len(content), "hash": "sha256:" + hashlib.sha256(content).hexdigest()}
    if table is not None:
        resource["schema"] = schema_path(table)
    return resource


def _json(value: Any) -> bytes:
    """``json.dumps(value, ensure_ascii=False, indent=1)`` and a newline, in UTF-8.

    Written by pydantic's serializer (in Rust): the same bytes (tests/test_datapackage.py
    compares them), many times faster than the standard library, whose indenting encoder is
    written in Python (the package lists every file)."""
    return pydantic_core.to_json(value, indent=1) + b"\n"


def files(publisher: Publisher, downloads: Sequence[tuple[str, bytes, str]], *, site_url: str | None) -> list[tuple[str, bytes]]:
    """The Table Schemas and ``datapackage.json`` for ``downloads`` ((path, content, Chinese title))."""
    package: dict[str, Any] = {
        "name": "hotline-notices",
        "title": publisher.site_title,
        "description": (
            f"{publisher.city}{publisher.hotline}工作情况通报的结构化数据。CSV 文件的列名和内容是中文，"
            "JSON 和 SQLite 数据库使用固定的英文字段名，二者的对应见各列的说明。"
        ),
        "licenses": [{"title": publisher.data_license, "path": publisher.data_license_url}],
        "sources": [{"title": f"{publisher.city}{publisher.hotline}", "path": publisher.website}],
    }
    if site_url:
        package["homepage"] = site_url
    package["resources"] = [_resource(path, content, title) for path, content, title in downloads]
    return [*((schema_path(table), _json(table_schema(table))) for table in TABLES), (PATH, _json(package))]
