"""The main text of a notice page saved from a city portal as .html.

Paragraphs and headings become lines, table rows become pipe rows (``a | b | c |``, the form the
importer's table recognisers read). Scripts, styles, forms and navigation are left out: by tag
(``nav``, ``header``, ``footer``, ``aside``) and by the class or id portals give them
(``nav``, ``menu``, ``breadcrumb``, ``share``, ``footer``...). Breadcrumbs and footers that are
plain text are dropped later, by the importer's furniture filter, which lists what it dropped.
"""

from __future__ import annotations

import html.parser
import re

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


class MainText(html.parser.HTMLParser):
    """Collects the readable text of a page; :meth:`text` gives it as lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[str] = []
        self._current: list[str] = []
        self._skip: tuple[str, int] | None = None  # the skipped element's tag and its nesting depth
        self._skipped: list[str] = []  # the text of a skipped element that readers see
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
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
        if tag == "tr":
            self._flush()
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
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
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if any(self._row):
                self._lines.append(" | ".join(self._row) + " |")
            self._row = None
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

    def text(self) -> str:
        self._flush()
        return "\n".join(self._lines)
