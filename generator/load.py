"""Read YAML data files safely, keeping the line and column of every node.

Staff type these files by hand, so the loader is stricter than YAML 1.1: duplicate keys are
errors, ``2023-08`` and dates stay text, only ``true``/``false`` are booleans, and numbers keep
the digits they were written with (``118.70`` stays ``118.70``, never the float ``118.7``).

The loader builds the data straight from the parser's events, so the work is bounded by the size
of the file: anchors, aliases and merge keys (which would let a few kilobytes stand for gigabytes),
explicit tags, deep nesting, long texts, oversized files and numbers in any notation but plain
decimal are refused with a message at their line before anything is expanded or converted.

Files of the usual shape are read faster line by line (:mod:`generator.lines`), with the same
data; the events are walked only for the others, and for the positions when a message needs one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator import syntax
from generator.characters import FORBIDDEN, INVISIBLE, Cleaned, clean, describe
from generator.errors import DataError, Problem
from generator.files import read_regular, shown_name
from generator.lines import read_lines
from generator.notation import REFUSED, REMEMBERED_TEXT, accepted_value, plain_value, remembered_value

Key = str | int
KeyPath = tuple[Key, ...]

# Limits far above what real notices need (2023-08.yaml: 14 KB, nesting 6, longest text 208
# characters, 697 values), low enough that a hostile file is answered at once.
MAX_FILE_BYTES = 1_000_000
"""Largest data file read, in bytes."""
MAX_DEPTH = 20
"""Deepest nesting of mappings and lists."""
MAX_TEXT = 10_000
"""Longest text (or field name), in characters."""
MAX_VALUES = 20_000
"""Most values (numbers, texts, lists, mappings) in one file (2023-08.yaml has about 700)."""
MAX_PROBLEMS = 50
"""A file with more problems than this is not read further."""

# libyaml when PyYAML was built with it (fast), else PyYAML's own parser; only its events are used.
_Parser: Any = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader


_REFUSED = "数据文件中的每一项都要完整写出，不支持锚点（&）、别名（*）和合并键（<<）"


def _yaml_problem(error: yaml.YAMLError, source: str) -> tuple[int, int, str]:
    """Translate PyYAML's (or libyaml's) English into a message a staff member can act on."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        if "exceeded maximum nesting depth" in (error.problem or "") and mark is not None:
            return mark.line + 1, mark.column + 1, f"YAML 语法错误：嵌套层数过多（超过 {MAX_DEPTH} 层）"
        explained = syntax.explain(error, source)
        return explained.line, explained.column, explained.message
    if isinstance(error, yaml.reader.ReaderError):
        before = source[: error.position]
        line, column = before.count("\n") + 1, error.position - before.rfind("\n")
        return line, column, f"含有不允许的{describe(chr(error.character))}，请删除"
    return 1, 1, f"YAML 语法错误：{syntax.GENERIC}"


@dataclass(frozen=True)
class Document:
    """One parsed data file: its plain data and where each part of it was written."""

    file: str
    """The file's path as shown in messages, relative to the project root."""
    text: str
    """The text that was parsed: the file without its invisible characters (published as the YAML download)."""
    data: Any
    values: Mapping[KeyPath, tuple[int, int]]
    """Line and column (1-based) where the value at each key path starts."""
    keys: Mapping[KeyPath, tuple[int, int]]
    """Line and column (1-based) where the key of each mapping entry is written."""
    problems: tuple[Problem, ...] = ()
    """What the loader refused in a file it could still read (only when parsed ``lenient``)."""
    broken: frozenset[KeyPath] = frozenset()
    """Where those problems are: values that must not be used."""

    def locate(self, path: KeyPath, *, prefer_key: bool = False) -> tuple[int, int]:
        """Where the nearest written ancestor of ``path`` is (a missing field has none itself)."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefer_key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


def format_path(path: KeyPath) -> str:
    """``("cases", 0, "areas")`` → ``cases[0].areas``: the way staff read a location."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Stop(Exception):
    """Reading stops here: the file is too deep or has too many problems to go on."""


class _Builder:
    """Plain data from the parser's events, with the position of every value and key."""

    def __init__(self, parser: Any, file: str, cleaned: Cleaned) -> None:
        self.parser = parser
        self.file = file
        self.cleaned = cleaned
        self.values: dict[KeyPath, tuple[int, int]] = {}
        self.keys: dict[KeyPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.broken: set[KeyPath] = set()
        self.removed = cleaned.removed

    def document(self) -> Any:
        self.parser.get_event()  # stream start
        if isinstance(self.parser.get_event(), StreamEndEvent):
            return None
        data = self.node(self.parser.get_event(), (), 1)
        self.parser.get_event()  # document end
        extra = self.parser.get_event()
        if not isinstance(extra, StreamEndEvent):
            self.problem(extra, (), "一个文件只能有一份文档（不要使用 ---）")
        return data

    def at(self, event: Event) -> tuple[int, int]:
        mark = event.start_mark
        assert mark is not None, "the parser marks every event"
        line = mark.line
        if line in self.removed:
            return line + 1, self.cleaned.original_column(line, mark.column) + 1
        return line + 1, mark.column + 1

    def problem(self, event: Event, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.file, *self.at(event), format_path(path), message))
        self.broken.add(path)
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop

    # node, mapping and scalar run for every value of every file (about 1,500 events a notice):
    # they test an event's exact class and the common case (a plain value: no anchor, no tag,
    # nothing to refuse) first, and leave everything else to the general path.
    def node(self, event: Event, path: KeyPath, depth: int) -> Any:
        values = self.values
        values[path] = self.at(event)
        if len(values) > MAX_VALUES:
            self.problem(event, path, f"数据项过多（超过 {MAX_VALUES} 项），一个数据文件写一期通报即可")
            raise _Stop
        if not self.allowed(event, path):
            return None
        if isinstance(event, CollectionStartEvent) and depth > MAX_DEPTH:
            self.problem(event, path, f"嵌套层数过多（超过 {MAX_DEPTH} 层）")
            raise _Stop
        kind = type(event)
        if kind is MappingStartEvent:
            return self.mapping(path, depth)
        if kind is SequenceStartEvent:
            items: list[Any] = []
            get_event = self.parser.get_event
            while type(following := get_event()) is not SequenceEndEvent:
                items.append(self.node(following, (*path, len(items)), depth + 1))
            return items
        assert isinstance(event, ScalarEvent)
        return self.scalar(event, path)

    def allowed(self, event: Event, path: KeyPath) -> bool:
        """Report anchors, aliases and tags; False for an alias, which is never followed."""
        if isinstance(event, AliasEvent):
            self.problem(event, path, f"不能使用别名“*{event.anchor}”：{_REFUSED}")
            return False
        assert isinstance(event, NodeEvent)
        if event.anchor is not None:
            self.problem(event, path, f"不能使用锚点“&{event.anchor}”：{_REFUSED}")
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(event, path, f"不能使用 YAML 标签“{shown}”：值要直接写出，文字可加引号")
        return True

    def skip(self, event: Event) -> None:
        """Read past a node without building it (the key it belongs to is already refused)."""
        open_collections = 1 if isinstance(event, CollectionStartEvent) else 0
        while open_collections:
            following = self.parser.get_event()
            if isinstance(following, CollectionStartEvent):
                open_collections += 1
            elif isinstance(following, MappingEndEvent | SequenceEndEvent):
                open_collections -= 1

    def mapping(self, path: KeyPath, depth: int) -> dict[Key, Any]:
        result: dict[Key, Any] = {}
        get_event = self.parser.get_event
        keys, values, at = self.keys, self.values, self.at
        while (kind := type(key_event := get_event())) is not MappingEndEvent:
            key = None
            if kind is ScalarEvent and ((key_event.anchor is None and key_event.tag is None) or self.allowed(key_event, path)):
                key = self.scalar(key_event, path)
            else:
                self.skip(key_event)
            value_event = get_event()
            if key == "<<" and kind is ScalarEvent and key_event.implicit[0]:
                self.problem(key_event, path, f"不能使用合并键“<<”：{_REFUSED}")
            elif not isinstance(key, str | int) or isinstance(key, bool):
                self.problem(key_event, path, "字段名必须是简单文本")
            elif key in result:
                first = keys[(*path, key)][0]
                self.problem(key_event, (*path, key), f"字段重复（第 {first} 行已经写过一次）")
            else:
                where = (*path, key)
                keys[where] = at(key_event)
                if (
                    type(value_event) is ScalarEvent
                    and value_event.anchor is None
                    and value_event.tag is None
                    and len(values) < MAX_VALUES
                ):
                    # What node() does for a plain value, without its checks for collections.
                    values[where] = at(value_event)
                    result[key] = self.scalar(value_event, where)
                else:
                    result[key] = self.node(value_event, where, depth + 1)
                continue
            self.skip(value_event)
        return result

    def scalar(self, event: ScalarEvent, path: KeyPath) -> Any:
        text = event.value
        if len(text) <= MAX_TEXT:
            value = (remembered_value if len(text) <= REMEMBERED_TEXT else accepted_value)(text, event.implicit[0])
            if value is not REFUSED:
                return value
        # Refused: the same steps again, now saying why.
        if len(text) > MAX_TEXT:
            self.problem(event, path, f"文字过长（{len(text)} 字），一段文字最多 {MAX_TEXT} 字")
            return None
        forbidden = FORBIDDEN.search(text)
        if forbidden:
            self.problem(event, path, f"含有不允许的{describe(forbidden.group())}，请删除")
            return None
        text = INVISIBLE.sub("", text)
        if not event.implicit[0]:
            return text
        value, problem = plain_value(text)
        if problem is not None:
            self.problem(event, path, problem)
        return value


class _Marks:
    """Where each value and key of a file read by :func:`read_lines` is, found when first asked for.

    Only messages need positions, and most files have none: for those that do, the event loader
    reads the file again and gives the marks (the data it gives is the same; the tests compare)."""

    def __init__(self, file: str, cleaned: Cleaned) -> None:
        self.file = file
        self.cleaned = cleaned
        self.found: tuple[dict[KeyPath, tuple[int, int]], dict[KeyPath, tuple[int, int]]] | None = None

    def get(self) -> tuple[dict[KeyPath, tuple[int, int]], dict[KeyPath, tuple[int, int]]]:
        if self.found is None:
            parser = _Parser(self.cleaned.text)
            builder = _Builder(parser, self.file, self.cleaned)
            try:
                builder.document()
            finally:
                parser.dispose()
            assert not builder.problems, "read_lines takes only files the event loader reads without a problem"
            self.found = builder.values, builder.keys
        return self.found


class _Positions(Mapping[KeyPath, tuple[int, int]]):
    """The value (``which`` 0) or key (1) positions of :class:`_Marks`."""

    def __init__(self, marks: _Marks, which: int) -> None:
        self.marks = marks
        self.which = which

    def __getitem__(self, path: KeyPath) -> tuple[int, int]:
        return self.marks.get()[self.which][path]

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self.marks.get()[self.which])

    def __len__(self) -> int:
        return len(self.marks.get()[self.which])


def parse(text: str, file: str, *, lenient: bool = False, size: int | None = None) -> Document:
    """Parse one YAML text; raise :class:`DataError` with every problem it has.

    ``lenient``: a file that could be read to its end despite refused values (a number in an
    unsupported notation, a duplicate key, an anchor) is returned with its problems, so that
    validation reports them together with everything else; syntax errors and files too big or
    too wrong to read still raise. ``size``: the text's length in UTF-8 when known."""
    if size is None:
        size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        message = f"文件过大（{size / 1_000_000:.1f} MB），一个数据文件最多 {MAX_FILE_BYTES // 1_000_000} MB"
        raise DataError([Problem(file, 0, 0, "", message)])
    limits = {"max_depth": MAX_DEPTH, "max_values": MAX_VALUES, "max_text": MAX_TEXT}
    # The usual file first: read_lines takes no text with anything to clean, so that its lines, most
    # of them read before in other files, are not searched for such characters again.
    usual = read_lines(text, **limits)
    if usual is not None:
        cleaned = Cleaned(text, {})
    else:
        cleaned, forbidden = clean(text)
        if forbidden:
            raise DataError([Problem(file, line, column, "", f"含有不允许的{name}，请删除") for line, column, name in forbidden])
        if cleaned.removed:  # (invisible characters pasted in a file of the usual shape)
            usual = read_lines(cleaned.text, **limits)
    if usual is not None:
        marks = _Marks(file, cleaned)
        return Document(file=file, text=cleaned.text, data=usual[0], values=_Positions(marks, 0), keys=_Positions(marks, 1))
    parser = _Parser(cleaned.text)
    builder = _Builder(parser, file, cleaned)
    try:
        data = builder.document()
    except yaml.YAMLError as error:
        line, column, message = _yaml_problem(error, cleaned.text)
        column = cleaned.original_column(line - 1, column - 1) + 1
        raise DataError([*builder.problems, Problem(file, line, column, "", message)]) from None
    except _Stop:
        if len(builder.problems) >= MAX_PROBLEMS:
            message = f"问题过多，只列出前 {MAX_PROBLEMS} 处，文件的其余部分未检查"
            builder.problems.append(Problem(file, 0, 0, "", message))
        raise DataError(builder.problems) from None
    finally:
        parser.dispose()
    if builder.problems and not lenient:
        raise DataError(builder.problems)
    return Document(
        file=file,
        text=cleaned.text,
        data=data,
        values=builder.values,
        keys=builder.keys,
        problems=tuple(builder.problems),
        broken=frozenset(builder.broken),
    )


def read(path: Path, *, root: Path, lenient: bool = False, shown: str | None = None) -> Document:
    """Read and parse one regular file; its name in messages is relative to ``root`` (``lenient``: see :func:`parse`;
    ``shown``: that name when known)."""
    if shown is None:
        shown = shown_name(path, root)
    raw = read_regular(path, shown, limit=MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError([Problem(shown, 1, 1, "", f"文件不是 UTF-8 编码（第 {error.start + 1} 个字节无法识别）")]) from None
    # (strict UTF-8 decoded: the text is the file's bytes, less the byte order mark's three)
    unmarked = text.removeprefix("\ufeff")
    return parse(unmarked, shown, lenient=lenient, size=len(raw) - 3 * (len(unmarked) != len(text)))
