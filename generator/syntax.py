"""YAML syntax errors told in Chinese, at the line where the mistake is, with how to fix it.

The parser (libyaml or PyYAML) notices a mistake where it stops making sense of the text, often
a line later (``count:5235`` is found out on the next line, an unclosed quote at the next quote
or at the end of the file). So the lines up to where it stopped are read by an ordered list of
small recognisers, each knowing one mistake staff make by hand; the first that recognises its
mistake names the line. Only when none does is the parser's own finding translated, and it is
never shown in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

PREFIX = "YAML 语法错误："

_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_ITEM = r"(?:-[ \t]+)*"
# A key is ASCII (field names are); "https://…" after a dash is a web address, not a key.
_NO_SPACE = re.compile(rf"^([ ]*{_ITEM})({_KEY}):(?=[^\s:/])(.*)$")
_WIDE_COLON = re.compile(rf"^([ ]*{_ITEM})({_KEY})[ \t]*：[ \t]*(.*)$")
_BARE_KEY = re.compile(rf"^([ ]*)({_KEY})[ \t]*$")
_DASH = re.compile(r"^([ ]*)-(?=[^\s-])(.*)$")
_VALUE = re.compile(rf"^[ ]*{_ITEM}(?:{_KEY}:[ \t]+)?")
_TEXT_AFTER_BRACKETS = re.compile(r"^(\[[^\]]*\]|\{[^}]*\}|'(?:[^']|'')*'|\"(?:[^\"\\]|\\.)*\")[ \t]*([^\s,#\]}].*)$")


@dataclass(frozen=True)
class Explained:
    """Where the mistake is (1-based) and what to do about it."""

    line: int
    column: int
    message: str


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _content(text: str) -> bool:
    return bool(text.strip()) and not text.lstrip().startswith("#")


def _tab(number: int, text: str) -> Explained | None:
    lead = text[: len(text) - len(text.lstrip(" \t-"))]
    if "\t" not in lead:
        return None
    return Explained(number, lead.index("\t") + 1, "缩进里有制表符（Tab）：缩进只能用空格，请把 Tab 换成空格")


def _missing_space(number: int, text: str) -> Explained | None:
    match = _NO_SPACE.match(text)
    if match is None:
        return None
    lead, key, value = match.groups()
    return Explained(
        number, len(lead) + len(key) + 1, f"冒号后缺少空格：应写作“{key}: {value.strip()}”（字段名、冒号、空格、值）"
    )


def _wide_colon(number: int, text: str) -> Explained | None:
    match = _WIDE_COLON.match(text)
    if match is None:
        return None
    _, key, value = match.groups()
    return Explained(
        number,
        text.index("：") + 1,
        f"字段名后用了全角冒号“：”：应改为半角冒号加空格，写作“{key}: {value.strip()}”",
    )


def _bare_key(number: int, text: str) -> Explained | None:
    match = _BARE_KEY.match(text)
    if match is None:
        return None
    lead, key = match.groups()
    return Explained(number, len(lead) + len(key) + 1, f"字段名后缺少冒号：应写作“{key}: 值”")


def _dash(number: int, text: str) -> Explained | None:
    match = _DASH.match(text)
    if match is None:
        return None
    lead, rest = match.groups()
    return Explained(number, len(lead) + 1, f"列表项的“-”后要有一个空格：应写作“- {rest.strip()}”")


def _text_after_brackets(number: int, text: str) -> Explained | None:
    start = _VALUE.match(text)
    value = text[start.end() if start else 0 :]
    match = _TEXT_AFTER_BRACKETS.match(value)
    if match is None:
        return None
    column = len(text) - len(value) + 1
    if value[0] in "'\"":
        return Explained(number, column, "引号只能括住整段文字：去掉这对引号，或改用全角引号（‘’或“”）")
    whole = value.rstrip().replace("'", "''")
    return Explained(number, column, f"以“[”或“{{”开头的文字要整段加引号：应写作 '{whole}'（或改用全角括号）")


def _open_brackets(text: str) -> int:
    """How many ``{`` and ``[`` the line leaves open, outside quotes and comments."""
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and (index == 0 or text[index - 1] in " \t[{,:"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            break
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return depth


def _unclosed_bracket(number: int, text: str) -> Explained | None:
    if _open_brackets(text) <= 0:
        return None
    opening = max(text.rfind("{"), text.rfind("["))
    pair = "}" if text[opening] == "{" else "]"
    return Explained(
        number,
        opening + 1,
        f"此行的“{text[opening]}”没有对应的“{pair}”：表格的一行要写在同一行里，"
        "如 - {unit: '郏县', score: 119.87, rank: 1}，项与项之间用逗号和空格隔开",
    )


def _unclosed(quote: str) -> str:
    return f"引号没有闭合：以 {quote} 开始的文字要以 {quote} 结束，请在文字末尾补上 {quote}"


def _unclosed_quote(number: int, text: str) -> Explained | None:
    """A value that opens a quote the line does not close."""
    start = _VALUE.match(text)
    for match in re.finditer(r"(?:^|(?<=[\s\[{,:]))(['\"])", text[start.end() if start else 0 :]):
        offset = (start.end() if start else 0) + match.start()
        quote = text[offset]
        rest = text[offset + 1 :]
        closing = rest.replace("''", "") if quote == "'" else re.sub(r"\\.", "", rest)
        if quote not in closing:
            return Explained(number, offset + 1, _unclosed(quote))
        break
    return None


Recogniser = Callable[[int, str], "Explained | None"]

LINE_MISTAKES: tuple[Recogniser, ...] = (
    _tab,
    _missing_space,
    _wide_colon,
    _bare_key,
    _dash,
    _text_after_brackets,
    _unclosed_bracket,
)
"""Mistakes that show on the line itself, tried on the line where the parser stopped, then above it."""


def _indentation(lines: list[str], index: int) -> Explained | None:
    """The line is indented unlike the field above it, which has a value (so nothing can nest in it)."""
    if index >= len(lines) or not _content(lines[index]):
        return None
    previous = next((i for i in range(index - 1, -1, -1) if _content(lines[i])), None)
    if previous is None:
        return None
    here, above = _indent(lines[index]), _indent(lines[previous])
    opens_block = lines[previous].rstrip().endswith(":")
    if here == above or (here > above and opens_block):
        return None
    levels = sorted({_indent(lines[i]) for i in range(previous + 1) if _content(lines[i]) and _indent(lines[i]) < here})
    if here > above:
        how = f"比上一行多缩进了 {here - above} 格"
    elif here not in {_indent(lines[i]) for i in range(previous + 1) if _content(lines[i])}:
        how = f"缩进 {here} 格，与上面各层（{'、'.join(str(level) for level in [*levels, above])} 格）都对不齐"
    else:
        return None
    return Explained(index + 1, here + 1, f"缩进不一致：此行{how}；同一层的字段要左对齐，下一层比上一层多缩进 2 格")


_BY_PROBLEM = (
    ("mapping values are not allowed", "此处不能出现冒号：冒号后要有空格；文字中有半角冒号时，请给整段文字加引号或改用全角冒号"),
    ("could not find expected ':'", "缺少冒号：每个字段应写作“字段名: 值”"),
    ("did not find expected key", "缩进不一致，或缺少字段名：同一层的字段要左对齐"),
    ("expected <block end>", "缩进不一致：同一层的字段要左对齐"),
    ("did not find expected '-' indicator", "列表项的缩进不一致：同一列表的各项“- ”要左对齐"),
    ("did not find expected ',' or", "行内的“{ }”或“[ ]”没有闭合，或两项之间缺少逗号"),
    ("expected ',' or", "行内的“{ }”或“[ ]”没有闭合，或两项之间缺少逗号"),
    ("tab character", "缩进里有制表符（Tab）：缩进只能用空格，请把 Tab 换成空格"),
    ("found unexpected end of stream", "文件意外结束：引号没有闭合，请在文字末尾补上引号"),
    ("found unknown escape character", "双引号中的反斜杠“\\”后面的写法无效：要写反斜杠本身请写成“\\\\”，或改用单引号"),
    ("found invalid Unicode character escape code", "转义写法表示的字符无效（如 \\ud800），请直接写出该字符"),
    ("expected a single document", "一个文件只能有一份文档（不要使用 ---）"),
    ("found unexpected document", "一个文件只能有一份文档（不要使用 ---）"),
    ("found undefined alias", "引用了未定义的锚点：每一项都要完整写出，不使用别名（*）"),
    ("found unexpected ':'", "此处不能出现冒号：文字中有冒号时，请给整段文字加引号"),
)
"""The parser's finding, when no recogniser knows the mistake, in words staff can act on."""

GENERIC = "无法读取此处的写法：请对照上一期的文件，检查冒号后的空格、缩进和引号"


def _character(lines: list[str], line: int, column: int) -> str | None:
    char = lines[line][column : column + 1] if line < len(lines) else ""
    if char == "\t":
        return "缩进里有制表符（Tab）：缩进只能用空格，请把 Tab 换成空格"
    if char:
        return f"字符 {char!r} 不能作为值的开头：请给整段文字加引号"
    return None


def explain(error: yaml.MarkedYAMLError, source: str) -> Explained:
    """Where ``error`` was really made in ``source``, and what to do about it."""
    lines = source.split("\n")
    mark = error.problem_mark or error.context_mark
    at_line, at_column = (mark.line, mark.column) if mark is not None else (0, 0)
    problem = error.problem or ""
    context = error.context or ""
    if "quoted scalar" in context and error.context_mark is not None and "end of stream" in problem:
        start = error.context_mark
        quote = lines[start.line][start.column : start.column + 1] or "'"
        message = _unclosed(quote)
        return Explained(start.line + 1, start.column + 1, PREFIX + message)
    nearest = [at_line, at_line - 1]
    if error.context_mark is not None and error.context_mark.line not in nearest:
        nearest.append(error.context_mark.line)
    for index in nearest:
        if 0 <= index < len(lines):
            for recognise in LINE_MISTAKES:
                found = recognise(index + 1, lines[index])
                if found is not None:
                    return Explained(found.line, found.column, PREFIX + found.message)
    for index in range(min(at_line, len(lines) - 1), -1, -1):
        found = _unclosed_quote(index + 1, lines[index])
        if found is not None:
            return Explained(found.line, found.column, PREFIX + found.message)
    indented = _indentation(lines, at_line)
    if indented is not None:
        return Explained(indented.line, indented.column, PREFIX + indented.message)
    text = next((text for key, text in _BY_PROBLEM if key in problem), None)
    if text is None and "cannot start any token" in problem:
        text = _character(lines, at_line, at_column)
    return Explained(at_line + 1, at_column + 1, PREFIX + (text or GENERIC))
