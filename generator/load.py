"""Read YAML data files safely, keeping the line and column of every node.

Staff type these files by hand, so the loader is stricter than YAML 1.1: duplicate keys are
errors, ``2023-08`` and dates stay text, only ``true``/``false`` are booleans, and numbers keep
the digits they were written with (``118.70`` stays ``118.70``, never the float ``118.7``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import DataError, Problem

Key = str | int
KeyPath = tuple[Key, ...]


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """SafeLoader (libyaml's, when PyYAML has it) with a small, predictable set of implicit types."""

    # PyYAML reads resolvers from the class; an own, empty table drops YAML 1.1's surprises.
    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012


def _add(tag: str, pattern: str, first: str) -> None:
    _Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


_add("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_add("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789")
_add("tag:yaml.org,2002:float", r"^[-+]?[0-9]+\.[0-9]+$", "-+0123456789")
_add("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])  # type: ignore[arg-type]


def _construct_decimal(loader: yaml.SafeLoader, node: Node) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)

_YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现冒号(冒号后要有空格;文本中含冒号时请加引号)",
    "mapping values are not allowed in this context": "此处不能出现冒号(冒号后要有空格;文本中含冒号时请加引号)",
    "could not find expected ':'": "缺少冒号“:”(每个字段应写作“字段名: 值”)",
    "did not find expected key": "缩进不一致,或缺少字段名",
    "did not find expected '-' indicator": "列表项的缩进不一致",
    "found unexpected end of stream": "文件意外结束(引号可能没有闭合)",
    "found unexpected ':'": "此处不能出现冒号",
    "found undefined alias": "引用了未定义的锚点",
    "found character '\\t' that cannot start any token": "不能用制表符(Tab)缩进,请改用空格",
    "expected a single document in the stream": "一个文件只能有一份文档(不要使用 ---)",
}


def _yaml_problem(error: yaml.YAMLError, source: str) -> tuple[int, int, str]:
    """Translate PyYAML's (or libyaml's) English into a message a staff member can act on."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        problem = error.problem or ""
        text = _YAML_PROBLEMS.get(problem)
        if text is None and problem.startswith("found character") and mark is not None:
            lines = source.splitlines()
            char = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
            text = (
                _YAML_PROBLEMS["found character '\\t' that cannot start any token"]
                if char == "\t"
                else (f"字符 {char!r} 不能作为值的开头,请给这段文本加引号")
            )
        if text is None and problem.startswith("expected <block end>"):
            text = "缩进不一致(同一层级的字段应对齐)"
        if text is None:
            text = f"无法解析({problem})"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return line, column, f"YAML 语法错误:{text}"
    if isinstance(error, yaml.reader.ReaderError):
        return 1, error.position + 1, f"文件含有不允许的字符 {error.character!r}"
    return 1, 1, f"YAML 语法错误:无法解析({error})"


@dataclass(frozen=True)
class Document:
    """One parsed data file: its plain data and where each part of it was written."""

    file: str
    """The file's path as shown in messages, relative to the project root."""
    text: str
    """The text that was parsed."""
    data: Any
    values: Mapping[KeyPath, tuple[int, int]]
    """Line and column (1-based) where the value at each key path starts."""
    keys: Mapping[KeyPath, tuple[int, int]]
    """Line and column (1-based) where the key of each mapping entry is written."""

    def locate(self, path: KeyPath, *, prefer_key: bool = False) -> tuple[int, int]:
        """Where the nearest written ancestor of ``path`` is (a missing field has none itself)."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefer_key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


class _Builder:
    def __init__(self, loader: _Loader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.values: dict[KeyPath, tuple[int, int]] = {}
        self.keys: dict[KeyPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def build(self, node: Node, path: KeyPath) -> Any:
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.loader.construct_object(node)

    def _mapping(self, node: MappingNode, path: KeyPath) -> dict[Key, Any]:
        result: dict[Key, Any] = {}
        for key_node, value_node in node.value:
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            key = self.loader.construct_object(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str | int) or isinstance(key, bool):
                self._problem(line, column, path, "字段名必须是简单文本")
                continue
            key_path = (*path, key)
            if key in result:
                first = self.keys[key_path][0]
                self._problem(line, column, key_path, f"字段重复(第 {first} 行已经写过一次)")
                continue
            self.keys[key_path] = (line, column)
            result[key] = self.build(value_node, key_path)
        return result

    def _problem(self, line: int, column: int, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.file, line, column, format_path(path), message))


def format_path(path: KeyPath) -> str:
    """``("cases", 0, "areas")`` → ``cases[0].areas``: the way staff read a location."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse(text: str, file: str) -> Document:
    """Parse one YAML text; raise :class:`DataError` with every problem it has."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        builder = _Builder(loader, file)
        data = builder.build(node, ()) if node is not None else None
    except yaml.YAMLError as error:
        line, column, message = _yaml_problem(error, text)
        raise DataError([Problem(file, line, column, "", message)]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise DataError(builder.problems)
    return Document(file=file, text=text, data=data, values=builder.values, keys=builder.keys)


def read(path: Path, *, root: Path) -> Document:
    """Read and parse one file; its name in messages is relative to ``root``."""
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError([Problem(shown, 1, 1, "", f"文件不是 UTF-8 编码(第 {error.start + 1} 个字节无法识别)")]) from None
    except OSError as error:
        raise DataError([Problem(shown, 1, 1, "", f"无法读取文件({error.strerror})")]) from None
    return parse(text.removeprefix("\ufeff"), shown)
