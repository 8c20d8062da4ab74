"""How values are written without quotes: the few words YAML gives a meaning, and numbers.

Numbers must be plain decimal in ASCII digits (``4524``, ``118.70``, ``-3``). Anything else a reader,
YAML 1.1/1.2 or Python could take for a number (``1E+2``, ``0x10``, ``1_000``, ``.5``, ``+5``,
full-width ``９９``) is refused rather than read as text, so no page can show a number "as written"
with a meaning other than the one it is counted with. Quoted values are always text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from generator.characters import FORBIDDEN, INVISIBLE, SUSPECT

MAX_DIGITS = 30
"""Most digits in a number: converting longer ones costs time (Python refuses ints over 4,300)."""

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# Anything a reader (or YAML 1.1/1.2, or Python) could take for a number: the notation is then
# checked against plain decimal, so nothing number-like silently becomes text or another value.
# \d is Unicode-aware here on purpose, to catch full-width and other non-ASCII digits.
_NUMBER_LIKE = re.compile(
    r"[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d*)?"
    r"|[-+]?0[xXoObB][0-9a-fA-F_]+"
    r"|[-+]?\.?(?:inf|Inf|INF|nan|NaN|NAN|infinity|Infinity)"
)
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)", re.ASCII)
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+", re.ASCII)


def number_problem(text: str) -> str | None:
    """Why ``text``, written as a number, is not plain decimal; None when it is."""
    if _INTEGER.fullmatch(text) or _DECIMAL.fullmatch(text):
        digits = len(text) - text.startswith("-") - ("." in text)  # (ASCII digits and at most one of each)
        if digits > MAX_DIGITS:
            return f"数字位数过多（{digits} 位），最多 {MAX_DIGITS} 位"
        if text.startswith("-") and not text.strip("-0."):
            return f"零不能带负号，实际为 {text!r}"
        return None
    if not text.isascii():
        reason = "数字只能用半角数字（0-9）"
    elif text.startswith("+"):
        reason = "数字前不能加“+”"
    elif re.search("[xXoObB]", text):
        reason = "数字只能用十进制写"
    elif re.search("[a-zA-Z]", text):
        reason = "数字不能用科学计数法或 inf、nan 等写法"
    elif "_" in text:
        reason = "数字中不能用“_”分隔"
    elif text.lstrip("-").startswith(".") or text.endswith("."):
        reason = "小数点前后都要有数字（如 0.5）"
    else:
        reason = "数字不能以 0 开头（如 007 应写作 7）"
    return f"{reason}，实际为 {text!r}；如果这是文字，请加引号"


def plain_value(text: str) -> tuple[Any, str | None]:
    """The value of an unquoted scalar, or None and why its number notation is refused."""
    if text in _NULLS:
        return None, None
    if text in _BOOLEANS:
        return _BOOLEANS[text], None
    if _NUMBER_LIKE.fullmatch(text):
        problem = number_problem(text)
        if problem is not None:
            return None, problem
        return (int(text) if _INTEGER.fullmatch(text) else Decimal(text)), None
    return text, None


REFUSED = object()
"""What :func:`accepted_value` gives for a value the loader refuses (the loader then says why)."""


def accepted_value(text: str, plain: bool) -> Any:
    """The value of a scalar (``plain``: written without quotes) the loader accepts, else :data:`REFUSED`."""
    if SUSPECT.search(text) is not None:
        if FORBIDDEN.search(text) is not None:
            return REFUSED
        text = INVISIBLE.sub("", text)
    if not plain:  # quoted (or tagged, refused where the tag is): always text
        return text
    value, problem = plain_value(text)
    return REFUSED if problem is not None else value


# Field names, unit names, numbers and short texts recur in every notice: each is converted once.
REMEMBERED_TEXT = 200
"""Longest text whose value is remembered (:func:`remembered_value`): longer ones rarely recur."""
remembered_value = lru_cache(maxsize=8192)(accepted_value)
