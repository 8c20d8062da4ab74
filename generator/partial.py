"""A partly valid notice: its sound values validated, every value that failed replaced by :class:`Broken`.

Validation reports every problem of a file in one run, so the consistency checks must run on the
parts of a notice that are sound even when other parts are not. :func:`sound` builds the notice's
models from the data, validating each value whose path leads to no failure and putting a
:class:`Broken` where a value failed (or a required one is missing). A check that touches a
:class:`Broken` stops with :class:`Unavailable`, which names the value: nothing is guessed.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, NoReturn, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from generator.load import KeyPath

M = TypeVar("M", bound=BaseModel)


class Unavailable(Exception):
    """Raised when a check touches a value that failed validation."""

    def __init__(self, path: KeyPath) -> None:
        super().__init__(path)
        self.path = path


class Broken:
    """Stands in a partly valid notice for a value that failed validation.

    Any use of it (arithmetic, comparison, attribute, iteration, formatting) raises
    :class:`Unavailable`, so a check runs on whatever is sound and stops exactly where it would
    need the broken value, naming it; nothing is guessed in its place.
    """

    __slots__ = ("path",)
    path: KeyPath

    def __init__(self, path: KeyPath) -> None:
        object.__setattr__(self, "path", path)

    def __repr__(self) -> str:
        return f"Broken({self.path!r})"

    def _refuse(self, *_: Any, **__: Any) -> NoReturn:
        raise Unavailable(self.path)

    __getattr__ = __getitem__ = __iter__ = __len__ = __contains__ = __bool__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = __hash__ = _refuse
    __format__ = __str__ = __int__ = __index__ = __float__ = __neg__ = __abs__ = _refuse


@dataclass(frozen=True)
class BrokenPaths:
    """Where values failed validation, and every path that leads to one."""

    paths: frozenset[KeyPath]
    under: frozenset[KeyPath]

    @classmethod
    def of(cls, paths: set[KeyPath]) -> BrokenPaths:
        return cls(frozenset(paths), frozenset(path[:end] for path in paths for end in range(len(path) + 1)))


_LEAF_CONFIG = ConfigDict(str_strip_whitespace=True, coerce_numbers_to_str=True)
"""What :class:`generator.model.Record` applies to the plain values of its fields."""


_ADAPTERS: dict[int, tuple[Any, TypeAdapter[Any]]] = {}
"""Validators of the types met so far, by identity (each kept alive with its type)."""


def _adapter(annotation: Any) -> TypeAdapter[Any]:
    if id(annotation) not in _ADAPTERS:
        config = None if _is_model(annotation) else _LEAF_CONFIG
        _ADAPTERS[id(annotation)] = (annotation, TypeAdapter(annotation, config=config))
    return _ADAPTERS[id(annotation)][1]


def _part(annotation: Any, value: Any, path: KeyPath, broken: BrokenPaths) -> Any:
    """``value`` validated as ``annotation``, with each value that failed replaced by :class:`Broken`."""
    if path not in broken.under:
        return _adapter(annotation).validate_python(value)
    if path in broken.paths:
        return Broken(path)
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (types.UnionType, typing.Union):
        present = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        annotation = present[0] if len(present) == 1 else annotation
    if _is_model(annotation) and isinstance(value, dict):
        return _model(annotation, value, path, broken)
    if typing.get_origin(annotation) is list and isinstance(value, list):
        (item,) = typing.get_args(annotation)
        return [_part(item, part, (*path, index), broken) for index, part in enumerate(value)]
    return Broken(path)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@functools.cache
def _field_type(model: type[BaseModel], name: str) -> Any:
    info = model.model_fields[name]
    return Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation


def _model(model: type[M], data: dict[Any, Any], path: KeyPath, broken: BrokenPaths) -> M:
    """``model`` built from the sound parts of ``data``: the checks run on it (see :class:`Broken`)."""
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in data:
            values[name] = _part(_field_type(model, name), data[name], (*path, name), broken)
        elif (*path, name) in broken.under:
            values[name] = Broken((*path, name))  # a required field left out
        else:
            values[name] = info.get_default(call_default_factory=True)
    return model.model_construct(**values)


def sound(model: type[M], data: Any, broken: set[KeyPath]) -> M | Broken:
    """``data`` as ``model``, each value at or below a path in ``broken`` replaced by :class:`Broken`.

    Raises pydantic's ``ValidationError`` if a part judged sound fails after all."""
    built: M | Broken = _part(model, data, (), BrokenPaths.of(broken))
    return built
