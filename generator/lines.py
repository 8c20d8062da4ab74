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
values, tabs, carriage returns, a second document, a file near a limit, a character that
:func:`generator.characters.clean` removes or refuses …) it returns None and the event loader
reads the file and says what is wrong. So every message comes from one loader,
and this one only has to be exact on files that are right. Line and column are not tracked here:
the event loader finds them when a message needs them.
"""

from __future__ import annotations

import re
from typing import Any

from generator.characters import SUSPECT
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

_Row = tuple[str, str, str | None, str, Any]
"""A line that holds something: its indentation, "- " when it is an item of a list, its field name
(None when it has none), the rest of the line and the value written there (see :func:`_parsed`)."""


class _Unusual(Exception):
    """Not the usual shape: the event loader reads the file."""


# Texts written without quotes read before, and their values: field names, units, numbers and
# short texts recur in every notice (refused ones are not kept). A dict rather than the event
# loader's functools.lru_cache: looked up a thousand times a notice, it costs a fifth as much.
_KNOWN: dict[str, Any] = {}
_KNOWN_MOST = 16384
_MISSING = object()
# Lines read before, as _parsed() gave them: most lines of a notice (``      rank: 3``,
# ``    kind: parallel``) are in the last one too, and one lookup of the whole line costs less than
# cutting it into four parts with the regular expression and looking up its field name and value.
_ROWS: dict[str, Any] = {}
_SKIP = object()
"""A line that holds nothing (blank, or only a comment)."""


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


def _row(text: str, max_text: int) -> dict[str, Any]:
    """A one-line flow mapping (``{unit: 郏县, score: 119.87, rank: 1}``)."""
    if _FLOW_ROW.fullmatch(text) is None:
        raise _Unusual
    result: dict[str, Any] = {}
    for item in _FLOW_ITEM.finditer(text, 1, len(text) - 1):
        name, written = item.groups()
        key = _KNOWN.get(name, _MISSING)
        if key is _MISSING:
            key = _plain(name, max_text)
        if type(key) is not str or key in result:
            raise _Unusual
        written = written.rstrip(" ")
        value = _KNOWN.get(written, _MISSING)
        result[key] = _plain(written, max_text) if value is _MISSING else value
    return result


def _scalar(rest: str, max_text: int) -> Any:
    """A value on the rest of a line, in quotes or with a comment after it."""
    first = rest[0]
    if first in "'\"":
        match = (_SINGLE if first == "'" else _DOUBLE).fullmatch(rest)
        if match is None:
            raise _Unusual
        text = match.group(1).replace("''", "'") if first == "'" else match.group(1)
        if len(text) > max_text:
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
    return _plain(text, max_text)


def _value(rest: str, max_text: int) -> Any:
    """A value on the rest of a line that was not read before (see :data:`_KNOWN`)."""
    if rest[0] not in _INDICATORS and " #" not in rest and ": " not in rest and rest[-1] not in " :":
        return _plain(rest, max_text)
    return _row(rest, max_text) if rest[0] == "{" else _scalar(rest, max_text)


def _key(name: str, max_text: int) -> str | None:
    """The field name a line starts with (None when it starts with none)."""
    if not name:
        return None  # an item of a list, or a row that is not "name: …" (and "" must never enter _KNOWN)
    key = _KNOWN.get(name, _MISSING)
    if key is _MISSING:
        key = _plain(name, max_text)
    if type(key) is not str:
        raise _Unusual  # null, true, a number …: not a field name
    return key


def _parsed(line: str, max_text: int) -> Any:
    """A line as the rows of :func:`_walk` are (:data:`_SKIP` when it holds nothing); :class:`_Unusual`
    when its field name or value is not usual, which the walk would find out when it got there, or
    when it holds a character :func:`generator.characters.clean` looks at.

    Every line gives the same row wherever it is in whichever file, so the short ones are kept; a
    line read before has no such character, and the file it is in need not be searched for one."""
    if SUSPECT.search(line) is not None:
        raise _Unusual
    match = _LINE.match(line)
    if match is None:
        row: Any = _SKIP
    else:
        indent, dash, name, rest = match.groups("")
        # The value, unless what it is depends on the rows around it (a field written without a
        # value opens the next rows'), or it is a flow mapping (a dict: each file needs its own).
        # (No text in _KNOWN is empty, has a comment, ends in a space or a colon, holds ": " or
        # starts with an indicator but "-": what _value() gives for it is what it was read as before.)
        value = _MISSING if not rest or rest[0] in "#{" else _KNOWN.get(rest, _MISSING)
        if value is _MISSING and rest and rest[0] not in "#{":
            value = _value(rest, max_text)
        row = (indent, dash, _key(name, max_text), rest, value)
    if len(line) <= REMEMBERED_TEXT:  # (so that no text in it is longer than max_text: see read_lines)
        if len(_ROWS) >= _KNOWN_MOST:
            _ROWS.clear()
        _ROWS[line] = row
    return row


def _walk(rows: list[_Row], max_depth: int, max_text: int) -> tuple[Any, int]:
    """The data of the rows, and how many values their flow rows hold; :class:`_Unusual` when not usual.

    One pass over the rows with a stack of the open lists and mappings (a row's indentation
    closes those deeper than it), rather than a call for each of the hundred-odd small mappings
    of a notice. A field written without a value is ``pending``: the next row opens its list or
    mapping, deeper than the field or, for a list, as deep."""
    dashed = bool(rows[0][1])
    root: Any = [] if dashed else {}
    current: Any = root
    indent_of, mapping, depth = "", not dashed, 1  # of ``current``
    if depth > max_depth:
        raise _Unusual
    stack: list[tuple[Any, str, bool, int]] = []
    pending: Any = _MISSING
    flow_values = 0
    for indent, dash, key, rest, value in rows:
        if indent != indent_of:
            if pending is not _MISSING:
                field_indent = stack[-1][1]
                if indent <= field_indent and not (dash and indent == field_indent):
                    raise _Unusual  # an empty value
                opened: Any = [] if dash else {}
                current[pending] = opened
                current, indent_of, mapping, depth = opened, indent, not dash, depth + 1
                if depth > max_depth:
                    raise _Unusual
                pending = _MISSING
            elif indent > indent_of:  # (spaces only: the longer is the greater)
                raise _Unusual  # a value continued on the next line, or a misplaced one
            elif (
                dash
                and key is not None
                and (parent := stack[-1])[1] == indent
                and not parent[2]
                and len(indent) + len(dash) == len(indent_of)
            ):
                # The next item of the list that holds this mapping, written as this one was
                # (``- unit: …`` under ``- unit: …``): what closing this mapping and opening the
                # next would do, without the two.
                current = {}
                parent[0].append(current)
                dash = ""
            else:
                while indent < indent_of:
                    current, indent_of, mapping, depth = stack.pop()  # (the root's indentation is the least)
                if indent != indent_of:
                    raise _Unusual  # between two levels
        if not mapping:
            if not dash:
                # A field after a list written as deep as its own field: the list ends there.
                if not stack:
                    raise _Unusual
                current, indent_of, mapping, depth = stack.pop()
                if indent != indent_of:
                    raise _Unusual
            elif key is not None:
                # An item that is a mapping, its first field on the item's line.
                opened = {}
                current.append(opened)
                stack.append((current, indent_of, mapping, depth))
                current, indent_of, mapping, depth = opened, indent + " " * len(dash), True, depth + 1
                if depth > max_depth:
                    raise _Unusual
                dash = ""
            elif value is not _MISSING:
                current.append(value)
                continue
            elif not rest or rest[0] == "#":
                raise _Unusual  # an item on the following lines
            else:
                if depth + 1 > max_depth:
                    raise _Unusual
                value = _row(rest, max_text)  # (the only value _parsed() leaves to the walk)
                flow_values += len(value)
                current.append(value)
                continue
        if dash:
            raise _Unusual  # an item in a mapping
        if key is None:
            raise _Unusual  # a row that is not "name: …"
        if key in current:
            raise _Unusual  # a duplicate field, which the event loader reports
        if value is not _MISSING:
            # The usual row: the loop's hottest line.
            current[key] = value
        elif not rest or rest[0] == "#":
            pending = key
            stack.append((current, indent_of, mapping, depth))
            indent_of = "\n"  # (no row is indented so: the next row opens the value)
        else:
            if depth + 1 > max_depth:
                raise _Unusual
            value = current[key] = _row(rest, max_text)
            flow_values += len(value)
    if pending is not _MISSING:
        raise _Unusual  # an empty value at the end
    return root, flow_values


def read_lines(text: str, *, max_depth: int, max_values: int, max_text: int) -> tuple[Any] | None:
    """The data of a file of the usual shape (in a tuple: it may be None), else None.

    None too for a text with a character :func:`generator.characters.clean` removes or refuses (or
    any beyond U+FFFF): a text this function takes has nothing to clean. The limits are the event
    loader's (see :mod:`generator.load`); a file near one is left to it."""
    # (the last: a text kept in _KNOWN, or a line in _ROWS, is not measured again)
    if "\t" in text or "\r" in text or max_text < REMEMBERED_TEXT:
        return None
    known = _ROWS.get
    try:
        rows: list[_Row] = [row for line in text.split("\n") if (row := known(line) or _parsed(line, max_text)) is not _SKIP]
        if not rows or 3 * len(rows) > max_values or rows[0][0]:
            return None
        data, flow_values = _walk(rows, max_depth, max_text)
    except _Unusual:
        return None
    if 3 * len(rows) + flow_values > max_values:
        return None
    return (data,)
