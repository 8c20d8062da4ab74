"""The data dictionary, generated from the models' own docstrings so that it cannot drift."""

from __future__ import annotations

import datetime
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from generator.model import Notice, Publisher, UnitRegistry


@dataclass(frozen=True)
class FieldDoc:
    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class ModelDoc:
    name: str
    description: str
    fields: tuple[FieldDoc, ...]


def _strip(annotation: Any) -> Any:
    """Remove Annotated wrappers (constraints) to see the Python type."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _kind(annotation: Any, found: list[type[BaseModel]]) -> str:
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        parts = [a for a in typing.get_args(annotation) if a is not type(None)]
        return " 或 ".join(_kind(part, found) for part in parts)
    if origin is list:
        return "列表，每项为" + _kind(typing.get_args(annotation)[0], found)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            if annotation not in found:
                found.append(annotation)
            return f"一组字段（{annotation.__name__}）"
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
            return "文本"
    return str(annotation)


def data_dictionary() -> list[ModelDoc]:
    """Every model of the data files, the notice first, each with its fields in order."""
    found: list[type[BaseModel]] = [Notice, Publisher, UnitRegistry]
    result: list[ModelDoc] = []
    index = 0
    while index < len(found):
        model = found[index]
        fields = tuple(
            FieldDoc(name, _kind(info.annotation, found), info.is_required(), info.description or "")
            for name, info in model.model_fields.items()
        )
        result.append(ModelDoc(model.__name__, (model.__doc__ or "").strip(), fields))
        index += 1
    return result
