"""The data dictionary, made from the models' docstrings and the download tables' columns, so that
it cannot drift from what is validated and exported.

A field's Chinese name is the first phrase of its docstring (up to the first comma, full stop,
colon or "="; a parenthesis of up to three characters, such as a unit, stays), unless
``_TITLES`` names it: a new model field gets a name without touching this module.
"""

from __future__ import annotations

import datetime
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from generator import datapackage, export
from generator.model import Area, Case, Line, Notice, Publisher, RankingRow, UnitRegistry
from generator.tables import TABLES, Table


@dataclass(frozen=True)
class FieldDoc:
    title: str
    """Chinese name."""
    name: str
    """Machine name in YAML and JSON."""
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class ModelDoc:
    title: str
    """Chinese heading: the name of the field that holds this group, or the file's name."""
    path: str
    """Where the group sits in a notice's JSON (or the file), e.g. ``intake.lines[]``."""
    anchor: str
    description: str
    fields: tuple[FieldDoc, ...]


_TITLES = {
    (Notice, "rankings"): "考核结果",
    (Notice, "web_messages"): "网络留言办理情况",
    (Case, "kind"): "问题类别",
    (Case, "areas_partial"): "涉及区域未列全",
    (Line, "kind"): "热线类别",
    (Area, "district"): "区（县、市）名称",
    (RankingRow, "values"): "其他各列的值",
}
"""Chinese names that the first phrase of the docstring does not give."""

_ROOTS: tuple[tuple[type[BaseModel], str, str], ...] = (
    (Notice, "每期通报的数据文件", "每期一个 YAML 或 JSON 文件；全部通报 JSON 中的 notices"),
    (Publisher, "发布方", "data/publisher.yaml；全部通报 JSON 中的 publisher"),
    (UnitRegistry, "单位名录", "data/units.yaml；全部通报 JSON 中的 units"),
)


_FULL_WIDTH = str.maketrans({"(": "\uff08", ")": "\uff09"})


def field_title(model: type[BaseModel], name: str) -> str:
    """The Chinese name of a model field."""
    if (model, name) in _TITLES:
        return _TITLES[(model, name)]
    description = model.model_fields[name].description or name
    first = re.split(r"[,，。;；:：=]", description, maxsplit=1)[0]
    # Drop explanations in parentheses; keep short ones that belong to the name (units, 县、市),
    # in full-width parentheses as Chinese text has them.
    return re.sub(r"[(（]([^)）]{4,})[)）]", "", first).strip().translate(_FULL_WIDTH)


def _strip(annotation: Any) -> Any:
    """Remove Annotated wrappers (constraints) to see the Python type."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _kind(annotation: Any, found: list[tuple[type[BaseModel], str, str]], path: str, title: str) -> str:
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        parts = [a for a in typing.get_args(annotation) if a is not type(None)]
        return " 或 ".join(_kind(part, found, path, title) for part in parts)
    if origin is list:
        return "列表，每项为" + _kind(typing.get_args(annotation)[0], found, path + "[]", title)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            if all(model is not annotation for model, _, _ in found):
                found.append((annotation, title, path))
            return f"一组字段，见“{title}”"
        if issubclass(annotation, Enum):
            return "取值：" + "、".join(str(member.value) for member in annotation)
        if issubclass(annotation, bool):
            return "true 或 false"
        if issubclass(annotation, int):
            return "整数"
        if issubclass(annotation, Decimal):
            return "数字（保留原文小数位）"
        if issubclass(annotation, datetime.date):
            return "日期（YYYY-MM-DD）"
        if issubclass(annotation, str):
            return "文字"
    return str(annotation)


def data_dictionary() -> list[ModelDoc]:
    """Every group of fields of the data files, the notice first, each with its fields in order."""
    found: list[tuple[type[BaseModel], str, str]] = list(_ROOTS)
    result: list[ModelDoc] = []
    index = 0
    while index < len(found):
        model, title, path = found[index]
        prefix = "" if index < len(_ROOTS) else path + "."
        fields = tuple(
            FieldDoc(
                field_title(model, name),
                name,
                _kind(info.annotation, found, prefix + name, field_title(model, name)),
                info.is_required(),
                info.description or "",
            )
            for name, info in model.model_fields.items()
        )
        result.append(ModelDoc(title, path, f"field-{model.__name__.lower()}", (model.__doc__ or "").strip(), fields))
        index += 1
    return result


def size(count: int) -> str:
    """A file size as readers are used to seeing it."""
    if count < 1024:
        return f"{count} 字节"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def data_page(files: Sequence[tuple[str, bytes]]) -> dict[str, Any]:
    """What the data page is given: the archive's downloads with their sizes, the tables and the fields."""
    sizes = {path: len(content) for path, content in files}
    tables: tuple[Table[Any], ...] = TABLES
    return {
        "all_downloads": [(path, label, size(sizes[path])) for path, label in export.ALL_DOWNLOADS],
        "tables": tables,
        "schema_path": datapackage.schema_path,
        "dictionary": data_dictionary(),
    }
