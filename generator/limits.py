"""Bounds on data values, so that whatever validation accepts the build can publish.

Names become page addresses and file names (``units/市交警支队/``), numbers go into SQLite and
float columns, periods and dates into ``datetime``; each has a limit here with a Chinese message
naming it. The validators raise ``PydanticCustomError`` so that ``validate`` reports them in the
house format like any other field error.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import lru_cache

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

MESSAGES = frozenset(
    {
        "name_character",
        "name_dots",
        "name_reserved",
        "period_range",
        "date_format",
        "date_range",
        "plain_number",
        "cell_range",
        "cell_places",
    }
)
"""The error types raised here: their message is already the whole Chinese message."""

NAME_MAX = 40
"""Longest name, in characters: a page address stays readable and far below the 255-byte file-name limit."""
COUNT_MAX = 10**9
"""Largest count (a month has tens of thousands of calls); far inside SQLite's 64-bit integers."""
SCORE_MAX = 1000
"""Largest ranking score (the real notices score up to about 120)."""
RATE_PLACES = 2
"""Decimal places a percentage may have (notices print 17.5, 99.96)."""
SCORE_PLACES = 3
"""Decimal places a score may have (notices print 118.70)."""
CELL_MAX = 10**12
"""Largest absolute number in a free-form table cell."""
CELL_PLACES = 4
"""Decimal places a number in a free-form table cell may have."""
YEAR_MIN, YEAR_MAX = 1990, 2100
"""Years a notice's period and dates may fall in (12345 hotlines began in the late 1990s)."""

NAME_PUNCTUATION = "()（）《》〈〉【】〔〕「」『』“”‘’·・、,，。.-‐–—_&+"
"""Punctuation a name may contain besides letters and digits: what organisation and place names use."""
_NAME_CATEGORIES = ("L", "N")
RESERVED_NAMES = ("index", "readme")
"""Names MkDocs gives a meaning in every folder (``units/index.md`` is the list of units)."""

PERIOD_PATTERN = r"^(199[0-9]|20[0-9][0-9]|2100)-(0[1-9]|1[0-2])$"
_PLAIN_DECIMAL = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,12})?", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


@lru_cache(maxsize=4096)
def page_key(name: str) -> str:
    """What a name is as a page address on any file system: case and Unicode width folded.

    Two names with one key would be one page on macOS or Windows, and look alike to a reader.
    (Each name folded once: the same districts and categories are compared in every notice.)"""
    return unicodedata.normalize("NFKC", name).casefold()


def _bad_character(value: str) -> str | None:
    for char in value:
        if char not in NAME_PUNCTUATION and not unicodedata.category(char).startswith(_NAME_CATEGORIES):
            return char
    return None


def _shown_character(char: str) -> str:
    if char.isprintable():
        return repr(char)
    return f"U+{ord(char):04X}"


@lru_cache(maxsize=4096)
def _sound_name(value: str) -> bool:
    """Whether :func:`name` accepts ``value`` (names recur in every notice: each is judged once)."""
    key = page_key(value)
    return (
        _bad_character(value) is None
        and not (value.startswith(".") or value.endswith(".") or ".." in value)
        and key not in RESERVED_NAMES
        and not key.startswith("index.")
    )


def name(value: str) -> str:
    """A name that becomes part of a page address: only safe characters, not reserved.

    Runs after the model's own check that a name has no (typesetting) spaces."""
    if _sound_name(value):
        return value
    bad = _bad_character(value)
    if bad is not None:
        raise PydanticCustomError(
            "name_character",
            "名称会用作网页地址，不能含有字符 {char}；只能用文字、数字和常用标点 {allowed}，实际为 {value}",
            {"char": _shown_character(bad), "allowed": NAME_PUNCTUATION, "value": repr(value)},
        )
    if value.startswith(".") or value.endswith(".") or ".." in value:
        raise PydanticCustomError(
            "name_dots", "名称会用作网页地址，不能以“.”开头或结尾，也不能含有“..”，实际为 {value}", {"value": repr(value)}
        )
    if page_key(value) in RESERVED_NAMES or page_key(value).startswith("index."):
        raise PydanticCustomError(
            "name_reserved", "{value} 是网站保留的页面名，不能用作名称；请照原文写出全称", {"value": repr(value)}
        )
    return value


def _within_years(year: int, code: str, written: str) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PydanticCustomError(
            code, "年份应在 {low} 至 {high} 之间，实际为 {value}", {"low": YEAR_MIN, "high": YEAR_MAX, "value": repr(written)}
        )


def year(value: str) -> str:
    """A period (``YYYY-MM``, already checked) within :data:`YEAR_MIN` … :data:`YEAR_MAX`."""
    _within_years(int(value[:4]), "period_range", value)
    return value


def calendar_date(value: object) -> object:
    """A date written as ``YYYY-MM-DD`` (text in the data), a real day within the years allowed.

    Runs before pydantic's own date parsing, which would read ``0`` as 1970-01-01."""
    if isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, str) and _DATE.fullmatch(value):
        text = value
    else:
        raise PydanticCustomError("date_format", "应为日期（YYYY-MM-DD），实际为 {value}", {"value": short(value)})
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError("date_format", "不是日历上的日期，实际为 {value}", {"value": repr(text)}) from None
    _within_years(day.year, "date_range", text)
    return day


def plain_number(value: object) -> object:
    """A number as the loader reads it (an integer or a plain decimal), never ``-0`` or ``NaN``.

    Text is accepted only as plain ASCII decimals (the JSON download writes decimals as text to
    keep their digits); ``Decimal`` alone would accept ``1E+2``, ``NaN`` and full-width digits."""
    # What the loader gives, tested first: a hundred figures a notice come through here.
    if type(value) is int or (type(value) is Decimal and value.is_finite() and not (value.is_zero() and value.is_signed())):
        return value
    if isinstance(value, str) and _PLAIN_DECIMAL.fullmatch(value):
        return Decimal(value)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError("plain_number", "应为数字，实际为 {value}", {"value": short(value)})
    if isinstance(value, Decimal) and not value.is_finite():
        raise PydanticCustomError("plain_number", "应为数字，实际为 {value}", {"value": str(value)})
    if isinstance(value, Decimal) and value.is_zero() and value.is_signed():
        raise PydanticCustomError("plain_number", "零不能带负号，应写作 0，实际为 {value}", {"value": str(value)})
    return value


def cell_number(value: object) -> object:
    """A number in a free-form table: bounded like the typed figures (text passes unchanged)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return value
    if isinstance(value, Decimal) and not value.is_finite():
        raise PydanticCustomError("plain_number", "应为数字，实际为 {value}", {"value": str(value)})
    if not -CELL_MAX <= value <= CELL_MAX:
        raise PydanticCustomError(
            "cell_range", "表格中的数字绝对值不能超过 {max}，实际为 {value}", {"max": CELL_MAX, "value": short(value)}
        )
    if isinstance(value, Decimal) and -int(value.as_tuple().exponent) > CELL_PLACES:
        raise PydanticCustomError(
            "cell_places", "表格中的数字最多 {places} 位小数，实际为 {value}", {"places": CELL_PLACES, "value": short(value)}
        )
    return value


def short(value: object, limit: int = 40) -> str:
    """A value as shown in a message, cut short: a message must stay one readable line."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        # str() of a huge integer is slow (and refused past 4300 digits).
        return f"一个约 {int(value.bit_length() * 0.30103) + 1} 位的整数"
    text = repr(value) if isinstance(value, str) else ("空值" if value is None else str(value))
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"


PLAIN_NUMBER = BeforeValidator(plain_number)
CALENDAR_DATE = BeforeValidator(calendar_date)
CELL_NUMBER = BeforeValidator(cell_number)
