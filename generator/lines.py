"""The usual shape of a data file, read line by line without libyaml's events.

Almost every data file is written the way ``yaml.dump`` and staff write it: block mappings whose
keys are plain field names, block lists, rows of a table as one-line flow mappings
(``{unit: 郏县, score: 119.87, rank: 1}``) and values on one line, plain or quoted without
escapes. Reading that line by line is several times faster than walking the parser's events in
Python (each event is a Python object with two marks), and reading is most of the work the
generator does for each notice.

:func:`read_lines` takes only what it fully understands, and gives for it exactly the data the
event loader in :mod:`generator.load` gives, through the same conversion of each value
(:func:`generator.notation.accepted_value`). For anything else (values over several lines, other
flow collections, anchors, tags, block texts, escapes, empty values, duplicate keys, refused
values, tabs, carriage returns, a second document, a file near a limit …) it returns None and
the event loader reads the file and says what is wrong. So every message comes from one loader,
and this one only has to be exact on files that are right. Line and column are not tracked here:
the event loader finds them when a message needs them.
"""

from __future__ import annotations

import re
from typing import Any

from generator.notation import REFUSED, REMEMBERED_TEXT, accepted_value, remembered_value

_FIELD = r"[A-Za-z_][A-Za-z0-9_]{0,63}"
# Every line that holds something (not blank, not a comment): its indentation, "- " when it is an
# item of a list, the field name when it starts with "name:" and the rest. A field name is plain
# text to YAML; the few that are not (null, true, inf …) are converted to something else and
# sent to the event loader.
_LINE = re.compile(rf"^( *)(?=[^ #\n])(- +)?(?:({_FIELD}):(?: +|$))?(.*)", re.MULTILINE)
# Quoted on one line, followed by nothing but spaces and a comment.
_SINGLE = re.compile(r"'([^']*(?:''[^']*)*)'(?: +(?:#.*)?)?")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +(?:#.*)?)?')
# What a plain value cannot start with (YAML's indicators); "-" followed by a non-space can.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# A flow mapping on one line whose values are plain, without anything a flow context treats
# specially (",[]{}", ":", "#") or quotes.
_FLOW_VALUE = r"[^-?:,\[\]{}#&*!|>'\"%@`\s][^,\[\]{}#:'\"]*"
_FLOW_ROW = re.compile(rf"\{{{_FIELD}: {_FLOW_VALUE}(?:, {_FIELD}: {_FLOW_VALUE})*\}}")
_FLOW_ITEM = re.compile(rf"({_FIELD}): ([^,]*)")

_Row = tuple[str, str, str, str]


class _Unusual(Exception):
    """Not the usual shape: the event loader reads the file."""


# Texts written without quotes read before, and their values: field names, units, numbers and
# short texts recur in every notice (refused ones are not kept). A dict rather than the event
# loader's functools.lru_cache: looked up a thousand times a notice, it costs a fifth as much.
_KNOWN: dict[str, Any] = {}
_KNOWN_MOST = 16384
_MISSING = object()


def _plain(text: str, max_text: int) -> Any:
    """The value of a text written without quotes (already cut to its text): see :data:`_KNOWN`."""
    if len(text) > max_text:
        raise _Unusual
    value = accepted_value(text, True)
    if value is REFUSED:
        raise _Unusual
    if len(text) <= REMEMBERED_TEXT:
        if len(_KNOWN) >= _KNOWN_MOST:
            _KNOWN.clear()
        _KNOWN[text] = value
    return value


class _Reader:
    def __init__(self, rows: list[_Row], *, max_depth: int, max_text: int) -> None:
        self.rows = rows
        self.count = len(rows)
        self.index = 0
        self.max_depth = max_depth
        self.max_text = max_text
        self.values = 0  # in flow rows, beyond the three a line starts at most (list, mapping, value)

    def mapping(self, indent: str, depth: int) -> dict[str, Any]:
        if depth > self.max_depth:
            raise _Unusual
        rows, count, index, max_text, known = self.rows, self.count, self.index, self.max_text, _KNOWN
        result: dict[str, Any] = {}
        while True:
            _, dash, name, rest = rows[index]
            if dash or not name:
                raise _Unusual
            key = known.get(name, _MISSING)
            if key is _MISSING:
                key = _plain(name, max_text)
            if type(key) is not str or key in result:
                raise _Unusual
            index += 1
            if not rest or rest[0] == "#":
                if index == count:
                    raise _Unusual  # an empty value
                following, dash, _, _ = rows[index]
                if following <= indent and not (following == indent and dash):
                    raise _Unusual  # an empty value
                self.index = index
                result[key] = self.block(following, depth + 1)
                index = self.index
            elif (value := known.get(rest, _MISSING)) is not _MISSING:
                # The usual value, read before: the loop's hottest line. (No text in _KNOWN has a
                # comment, ends in a space or a colon, holds ": " or starts with an indicator but
                # "-": what scalar() gives for it is what it was read as before.)
                result[key] = value
            elif rest[0] not in _INDICATORS and " #" not in rest and ": " not in rest and rest[-1] not in " :":
                result[key] = _plain(rest, max_text)
            else:
                result[key] = self.row(rest, depth + 1) if rest[0] == "{" else self.scalar(rest)
            if index == count:
                self.index = index
                return result
            following = rows[index][0]
            if following != indent:
                if following < indent:  # (spaces only: the shorter is the lesser)
                    self.index = index
                    return result
                raise _Unusual  # a value continued on the next line, or a misplaced one

    def block(self, indent: str, depth: int) -> Any:
        if self.rows[self.index][1]:
            return self.sequence(indent, depth)
        return self.mapping(indent, depth)

    def sequence(self, indent: str, depth: int) -> list[Any]:
        if depth > self.max_depth:
            raise _Unusual
        rows, count, index, max_text = self.rows, self.count, self.index, self.max_text
        items: list[Any] = []
        while True:
            _, dash, name, rest = rows[index]
            if name:
                column = indent + " " * len(dash)
                rows[index] = (column, "", name, rest)
                self.index = index
                items.append(self.mapping(column, depth + 1))
                index = self.index
            elif not rest or rest[0] == "#":
                raise _Unusual  # an item on the following lines
            elif (value := _KNOWN.get(rest, _MISSING)) is not _MISSING:  # (see mapping())
                items.append(value)
                index += 1
            elif rest[0] not in _INDICATORS and " #" not in rest and ": " not in rest and rest[-1] not in " :":
                items.append(_plain(rest, max_text))
                index += 1
            else:
                items.append(self.row(rest, depth + 1) if rest[0] == "{" else self.scalar(rest))
                index += 1
            if index == count:
                self.index = index
                return items
            following, dash, _, _ = rows[index]
            if following != indent or not dash:
                if following <= indent:
                    self.index = index
                    return items
                raise _Unusual

    def row(self, text: str, depth: int) -> dict[str, Any]:
        if depth > self.max_depth or _FLOW_ROW.fullmatch(text) is None:
            raise _Unusual
        result: dict[str, Any] = {}
        for item in _FLOW_ITEM.finditer(text, 1, len(text) - 1):
            name, written = item.groups()
            key = _KNOWN.get(name, _MISSING)
            if key is _MISSING:
                key = _plain(name, self.max_text)
            if type(key) is not str or key in result:
                raise _Unusual
            written = written.rstrip(" ")
            value = _KNOWN.get(written, _MISSING)
            result[key] = _plain(written, self.max_text) if value is _MISSING else value
        self.values += len(result)
        return result

    def scalar(self, rest: str) -> Any:
        """A value on the rest of a line, in quotes or with a comment after it."""
        first = rest[0]
        if first in "'\"":
            match = (_SINGLE if first == "'" else _DOUBLE).fullmatch(rest)
            if match is None:
                raise _Unusual
            text = match.group(1).replace("''", "'") if first == "'" else match.group(1)
            if len(text) > self.max_text:
                raise _Unusual
            value = (remembered_value if len(text) <= REMEMBERED_TEXT else accepted_value)(text, False)
            if value is REFUSED:
                raise _Unusual
            return value
        if first in _INDICATORS and (first != "-" or rest[1:2] in ("", " ")):
            raise _Unusual
        if " #" in rest:
            rest = rest[: rest.index(" #")]
        text = rest.rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise _Unusual  # YAML refuses a second ": " on a line
        return _plain(text, self.max_text)


def read_lines(text: str, *, max_depth: int, max_values: int, max_text: int) -> tuple[Any] | None:
    """The data of a file of the usual shape (in a tuple: it may be None), else None.

    The limits are the event loader's (see :mod:`generator.load`); a file near one is left to it."""
    if "\t" in text or "\r" in text or max_text < REMEMBERED_TEXT:  # (the last: a text kept in _KNOWN is not measured again)
        return None
    rows: list[_Row] = _LINE.findall(text)
    if not rows or 3 * len(rows) > max_values or rows[0][0]:
        return None
    reader = _Reader(rows, max_depth=max_depth, max_text=max_text)
    try:
        data = reader.block("", 1)
    except _Unusual:
        return None
    if reader.index != reader.count or 3 * len(rows) + reader.values > max_values:
        return None
    return (data,)
