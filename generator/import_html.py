"""The main text of a notice page saved from a city portal as .html.

Paragraphs and headings become lines, table rows become pipe rows (``a | b | c |``, the form the
importer's table recognisers read). Merged cells are expanded onto the grid they cover, so that
every figure stays under its own column: header rows joined by ``rowspan``/``colspan`` become one
header of combined names (``办理情况·件数``), a body cell spanning rows is repeated in each, and a
first row that spans the whole table is its caption, a line of its own. Scripts, styles, forms and navigation are left out: by tag
(``nav``, ``header``, ``footer``, ``aside``) and by the class or id portals give them
(``nav``, ``menu``, ``breadcrumb``, ``share``, ``footer``...). Breadcrumbs and footers that are
plain text are dropped later, by the importer's furniture filter, which lists what it dropped.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass

FURNITURE_MARK = "【网页附加内容】"
"""Starts a line of navigation, header or footer text, so the importer lists it as dropped."""
_CODE_TAGS = frozenset({"script", "style", "noscript", "template"})
_SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "select", "iframe"}
)
_SKIPPED_NAMES = re.compile(
    r"nav|menu|breadcrumb|crumb|share|footer|header|sidebar|copyright|toolbar|position|location", re.IGNORECASE
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "tr", "table", "title", "hr", "center"}
)
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})
MAX_SPAN = 50
"""The most rows or columns one cell may span (more is not a notice's table; a hostile page
could otherwise make the grid as large as it likes)."""
MAX_GRID = 100_000
"""The most cells an expanded table may have (a long notice's table has a few hundred); a table
whose spans would make more is read without expanding them, each cell once."""
HEADER_JOIN = "\u00b7"
"""Joins the names of a merged header cell and the cells below it: 办理情况·件数."""


@dataclass(frozen=True)
class GridCell:
    """A cell of a table with its spans (a saved page's ``rowspan``/``colspan``, a .docx's merges)."""

    text: str
    rows: int
    columns: int


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    value = (next((value for key, value in attrs if key == name), None) or "1").strip()
    return max(1, min(int(value), MAX_SPAN)) if re.fullmatch(r"[0-9]{1,6}", value) else 1


def _expand(rows: list[list[GridCell]]) -> list[list[tuple[str, int]]]:
    """The table's grid: each slot holds its cell's text and the cell's number (a merged cell
    fills every slot it covers, under one number)."""
    grid: list[list[tuple[str, int]]] = []
    below: dict[int, tuple[int, str, int]] = {}  # column -> rows still covered, text, cell number
    number = 0
    for row in rows:
        slots: dict[int, tuple[str, int]] = {}
        for column, (left, text, owner) in list(below.items()):
            slots[column] = (text, owner)
            below[column] = (left - 1, text, owner)
            if left == 1:
                del below[column]
        column = 0
        for cell in row:
            number += 1
            while column in slots:
                column += 1
            for offset in range(cell.columns):
                slots[column + offset] = (cell.text, number)
                if cell.rows > 1:
                    below[column + offset] = (cell.rows - 1, cell.text, number)
            column += cell.columns
        grid.append([slots.get(index, ("", -1)) for index in range(max(slots) + 1)] if slots else [])
    return [row for row in grid if row]


def table_lines(rows: list[list[GridCell]]) -> list[str]:
    """Pipe rows of a table whose cells may span rows and columns (see the module's docstring)."""
    if sum(cell.rows * cell.columns for row in rows for cell in row) > MAX_GRID:
        return [" | ".join(cell.text for cell in row) + " |" for row in rows]
    grid = _expand(rows)
    width = max((len(row) for row in grid), default=0)
    if width * len(grid) > MAX_GRID:
        return [" | ".join(cell.text for cell in row) + " |" for row in rows]
    grid = [row + [("", -1)] * (width - len(row)) for row in grid]
    lines: list[str] = []
    while grid and len({owner for _, owner in grid[0]}) == 1 and len(grid[0]) > 1:
        lines.append(grid[0][0][0])  # a title row across the whole table
        grid = grid[1:]
    if not grid:
        return [line for line in lines if line]
    first = rows[len(lines)] if len(lines) < len(rows) else []
    depth = max((cell.rows for cell in first), default=1)
    if depth == 1 and any(cell.columns > 1 for cell in first):
        depth = 2
    depth = min(depth, len(grid) - 1) if len(grid) > 1 else 1
    header: list[str] = []
    for column in range(len(grid[0])):
        names: list[str] = []
        for row in grid[:depth]:
            text = row[column][0]
            if text and (not names or names[-1] != text):
                names.append(text)
        header.append(HEADER_JOIN.join(names))
    body: list[list[str]] = []
    for row in grid[depth:]:
        # A cell spanning columns is printed once, in its first; one spanning rows, in each.
        body.append([text if index == 0 or row[index - 1][1] != owner else "" for index, (text, owner) in enumerate(row)])
    return [line for line in lines if line] + [" | ".join(cells) + " |" for cells in [header, *body] if any(cells)]


class MainText(html.parser.HTMLParser):
    """Collects the readable text of a page; :meth:`text` gives it as lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[str] = []
        self._current: list[str] = []
        self._skip: tuple[str, int] | None = None  # the skipped element's tag and its nesting depth
        self._skipped: list[str] = []  # the text of a skipped element that readers see
        self._tables: list[list[list[GridCell]]] = []  # the rows of each open table, innermost last
        self._row: list[GridCell] | None = None
        self._cell: list[str] | None = None
        self._spans = (1, 1)
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip is not None:
            if tag == self._skip[0] and tag not in _VOID_TAGS:
                self._skip = (tag, self._skip[1] + 1)
            return
        names = " ".join(value or "" for name, value in attrs if name in ("class", "id"))
        if tag in _SKIPPED_TAGS or (tag not in ("body", "html", "table", "tr", "td", "th") and _SKIPPED_NAMES.search(names)):
            if tag not in _VOID_TAGS:
                self._skip = (tag, 1)
            return
        if tag == "title":
            self._in_title = True
        if tag == "table":
            self._flush()
            self._tables.append([])
        elif tag == "tr":
            self._flush()
            if not self._tables:
                self._tables.append([])  # a row outside any table: a table of its own
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._spans = (_span(attrs, "rowspan"), _span(attrs, "colspan"))
        elif tag in _BLOCK_TAGS and self._cell is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip is not None:
            if tag == self._skip[0]:
                depth = self._skip[1] - 1
                self._skip = (tag, depth) if depth else None
                seen = re.sub(r"\s+", " ", " ".join(self._skipped)).strip()
                if self._skip is None and seen:
                    self._flush()
                    self._lines.append(FURNITURE_MARK + seen)
                if self._skip is None:
                    self._skipped.clear()
            return
        if tag == "title":
            self._in_title = False
            self._current.clear()  # the browser tab title repeats the heading, or names the portal
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(GridCell(re.sub(r"\s+", " ", "".join(self._cell)).strip(), *self._spans))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if any(cell.text for cell in self._row):
                self._tables[-1].append(self._row)
            self._row = None
        elif tag == "table" and self._tables:
            self._end_table()
        elif tag in _BLOCK_TAGS and self._cell is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip is not None:
            if self._skip[0] not in _CODE_TAGS and data.strip():
                self._skipped.append(data.strip())
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._row is None:
            self._current.append(data)

    def _flush(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self._current)).strip()
        if line:
            self._lines.append(line)
        self._current.clear()

    def _end_table(self) -> None:
        if self._row is not None and any(cell.text for cell in self._row):
            self._tables[-1].append(self._row)
        self._row = self._cell = None
        self._lines.extend(table_lines(self._tables.pop()))

    def text(self) -> str:
        self._flush()
        while self._tables:  # tables the page never closed
            self._end_table()
        return "\n".join(self._lines)
