"""Which characters data text may hold: invisible ones are removed, unusable ones refused.

Text pasted from Word, web pages or chat apps often carries invisible direction marks and
zero-width characters. Staff cannot see them, so refusing them would leave them puzzled; they are
removed when a file is read, and the published YAML download is the cleaned text as well.

Control characters, U+FFFE-like noncharacters and lone surrogates are different: they do not come
from pasting (the YAML reader already refuses them written raw, so they arrive through escapes
such as ``"\\x07"``), no page or feed can show them, and the Atom feed's XML cannot hold them.
They are refused with their position so that nothing ``validate`` accepts can crash the build.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Bidirectional controls (they can reorder what a reader sees, e.g. U+202E turns "txt.exe" around)
# and zero-width characters (they split words for search and hide inside names).
INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# C0 controls except tab and line feed, DEL and C1 controls, the line and paragraph separators
# (YAML counts them as line breaks, editors mostly do not, so line numbers would disagree),
# surrogates and the noncharacters. Carriage returns are allowed in the raw file (CRLF files).
_ANYWHERE = "\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f{_ANYWHERE}]")
_FORBIDDEN_RAW = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_ANYWHERE}]")
# A quick first look, so that the usual text is scanned once: every character FORBIDDEN and
# INVISIBLE match (carriage returns too, which only clean() allows) and any beyond U+FFFF (where the
# noncharacters of the other planes are: the regular expression engine tests one wide range far
# faster than those 32 characters). Text it finds nothing in has nothing to refuse or remove.
SUSPECT = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff{INVISIBLE.pattern[1:-1]}]"
)


def describe(char: str) -> str:
    """``'\\x07'`` → ``控制字符 U+0007``: a name staff can search for, never the character itself."""
    code = ord(char)
    if code == 0:
        kind = "空字符"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "代理字符"
    elif code in (0x2028, 0x2029):
        kind = "分行符"
    elif code < 0xA0:
        kind = "控制字符"
    else:
        kind = "非字符"
    return f"{kind} U+{code:04X}"


@dataclass(frozen=True)
class Cleaned:
    """A file's text with its invisible characters removed, and where they were."""

    text: str
    removed: dict[int, list[int]]
    """For each 0-based line, the 0-based columns (in the original line) of removed characters."""

    def original_column(self, line: int, column: int) -> int:
        """The 0-based column in the original line of what is at ``column`` in the cleaned one."""
        for removed in self.removed.get(line, ()):
            if removed <= column:
                column += 1
            else:
                break
        return column


def clean(text: str) -> tuple[Cleaned, list[tuple[int, int, str]]]:
    """Remove invisible characters; list each forbidden one as (1-based line, column, description)."""
    if SUSPECT.search(text) is None:
        return Cleaned(text, {}), []  # the usual file: one pass, no line table
    starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def where(offset: int) -> tuple[int, int]:
        line = bisect_right(starts, offset) - 1
        return line, offset - starts[line]

    forbidden = []
    for match in _FORBIDDEN_RAW.finditer(text):
        line, column = where(match.start())
        forbidden.append((line + 1, column + 1, describe(match.group())))
    removed: dict[int, list[int]] = {}
    for match in INVISIBLE.finditer(text):
        line, column = where(match.start())
        removed.setdefault(line, []).append(column)
    return Cleaned(INVISIBLE.sub("", text), removed), forbidden
