"""Render the validated archive into Markdown pages with one Jinja environment.

Every value that reaches a page goes through one escaping step (``finalize``), so a template
cannot forget it: HTML is escaped and Markdown syntax is neutralised with character references.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import types
from collections.abc import Callable, Container, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.runtime import Context
from markupsafe import Markup

from generator import markup
from generator.checks import CHECK_TITLES
from generator.model import CaseKind, CheckId, SectionId, UnitGroup
from generator.timeline import decade_label, history_path

GROUP_LABELS = {
    UnitGroup.county: "县（市）",
    UnitGroup.district: "区",
    UnitGroup.department: "市直和驻平单位",
    UnitGroup.street: "乡镇（街道）",
    UnitGroup.enterprise: "公共服务企业",
}
CASE_LABELS = {CaseKind.hot: "热点问题", CaseKind.difficult: "难点问题"}

# Characters that start Markdown inline syntax or end an HTML attribute, as references.
_ENTITIES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]|~^'"}
_ENTITIES.update({"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"})
_INLINE = str.maketrans(_ENTITIES)
# Block syntax only counts at the start of a line (lists, headings, rules, setext underlines).
_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+*=#])")
# Invisible characters that could reorder what a reader sees (bidirectional marks, embeddings
# and isolates, the Arabic letter mark), hide inside a word (zero-width characters, the BOM),
# that Python-Markdown uses for its own placeholders (\x02, \x03), or that XML 1.0 forbids
# (C0 controls but tab and newlines, U+FFFE, U+FFFF, lone surrogates): never part of a
# published text, a chart label or the feed.
_BIDI = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)
_NUMERALS = "零一二三四五六七八九十"


def visible(text: str) -> str:
    """The text without the invisible characters above: the one cleaning step for every output
    (pages, chart labels, the feed)."""
    return _BIDI.sub("", text)


_NEWLINE = re.compile(r"\s*\n\s*")


def _line_start(match: re.Match[str]) -> str:
    return f"{match[1]}&#{ord(match[2])};" if match[1] else f"&#{ord(match[3])};"


# Any character that escape() removes, replaces or turns into a reference: most text on a page
# (names, months) has none, and one search costs less than the three substitutions that would
# leave it unchanged. A line start that escape() neutralises (_LINE_START) is tested apart: as an
# alternative of this pattern it made every search several times slower (the regular expression
# engine no longer skips ahead by the character set).
_UNSAFE = re.compile(_BIDI.pattern[:-1] + "\n" + re.escape("".join(_ENTITIES)) + "]")


def escape(value: object) -> str:
    """Make any value inert text in Markdown and in HTML, on one line."""
    if (type(value) is int and value >= 0) or (type(value) is Decimal and not value.is_signed()):
        return str(value)  # digits (a point, an exponent), the commonest values on a page: nothing to escape
    text = str(value)
    if _UNSAFE.search(text) is None and _LINE_START.match(text) is None:
        return text
    text = _BIDI.sub("", text)
    text = _NEWLINE.sub(" ", text).translate(_INLINE)
    return _LINE_START.sub(_line_start, text)


def _finalize(value: object) -> object:
    # Called for every value a template prints (millions in a large build): the commonest kinds
    # first, each by one type test (plain text, markup made by a macro or a helper, a count).
    kind = type(value)
    if kind is str:
        text = _ESCAPED.get(value)  # type: ignore[call-overload]
        return text if text is not None else escape_value(value)
    if kind is Markup:
        return value
    if (kind is int and value >= 0) or (kind is Decimal and not value.is_signed()):  # type: ignore[operator, attr-defined]
        return str(value)  # digits, as escape() gives them
    if isinstance(value, Markup):
        return value
    if value is None:
        raise ValueError("a template printed None: the template should test for it")
    return escape(value)


def escape_value(value: object) -> str:
    """A value as a template prints it (``{{ value }}``, :func:`_finalize`), as text: for rows drawn
    in Python (generator/rows.py)."""
    # Hundreds of thousands of calls in a large build: _finalize's two commonest kinds inline.
    if type(value) is str:
        # Text is mostly the same few thousand names, labels and months again (at 1200 notices,
        # some 300,000 times): each escaped once, then looked up.
        text = _ESCAPED.get(value)
        if text is None:
            text = value if _UNSAFE.search(value) is None and _LINE_START.match(value) is None else escape(value)
            if len(_ESCAPED) >= _ESCAPED_MAX:
                _ESCAPED.clear()  # bounded, and the preview's later builds start afresh
            _ESCAPED[value] = text
        return text
    if (type(value) is int and value >= 0) or (type(value) is Decimal and not value.is_signed()):
        return str(value)
    if type(value) is Markup:  # a link's address (href, link): printed as it is
        return str(value)
    return str(_finalize(value))


_ESCAPED: dict[str, str] = {}
_ESCAPED_MAX = 1 << 16
"""Bounds the texts :func:`escape_value` remembers (some five thousand at 1200 notices)."""


def cell(value: object, suffix: str = "") -> Markup:
    """A table cell: the value with its unit (``%``), or a dash when there is none."""
    return Markup("—" if value is None else f"{_finalize(value)}{_finalize(suffix)}")


_HIDDEN = ' class="visually-hidden"'
_NUMERIC = ' class="num"'


def _head(columns: Sequence[str], numeric: Container[int]) -> str:
    """A table's header cells: the same few heads make all of a build's twenty thousand tables."""
    columns = tuple(columns)  # a template's columns are a list
    # The types are in the key: a Markup column is printed unescaped, a str equal to it is not.
    key = (columns, tuple(map(type, columns)), numeric) if type(numeric) in _HASHED else None
    head = None if key is None else _HEADS.get(key)
    if head is None:
        head = "".join(
            f'<th scope="col"{_NUMERIC if index in numeric else ""}>{_finalize(column)}</th>'
            for index, column in enumerate(columns)
        )
        if key is not None and len(_HEADS) < _HEADS_MAX:
            _HEADS[key] = head
    return head


_HEADS: dict[tuple[tuple[str, ...], tuple[type, ...], Container[int]], str] = {}
_HEADS_MAX = 4096
"""Bounds the cache of :func:`_head` (a build draws a few dozen different heads)."""
_HASHED = (tuple, range, frozenset)
"""The kinds of ``numeric`` whose equal values answer ``in`` alike, so that may key the cache."""


def table(
    caption: str,
    columns: Sequence[str],
    numeric: Container[int] = (),
    search: bool = True,
    caption_shown: bool = True,
    *,
    caller: Callable[[], str],
) -> Markup:
    """A data table in its scrolling region, used as ``{% call table(caption, columns) %}<tbody>…{% endcall %}``:
    the call's body gives the rows, ``numeric`` the (0-based) columns of numbers, and ``search``
    whether the site search takes in its cells (False for a table that holds no name, only months,
    years and figures: marked ``data-search-exclude``, the search keeps only its caption, see
    generator/search.py); a caption not shown is still read out by screen readers (a kept table
    titled by its section's heading would print that heading twice). A function, not a macro: a
    build of 1200 notices draws some twenty thousand tables, and a macro call costs several times
    as much."""
    before, after = table_frame(caption, columns, numeric, search, caption_shown)
    return Markup("".join((before, caller().strip(), after)))


def table_frame(
    caption: str, columns: Sequence[str], numeric: Container[int] = (), search: bool = True, caption_shown: bool = True
) -> tuple[str, str]:
    """What :func:`table` writes before and after the rows: for tables drawn in Python
    (generator/rows.py), which join their rows into it at once rather than copy a long text from
    one string into the next."""
    label = _finalize(caption)
    return (
        f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}"{"" if search else " data-search-exclude"}>\n'
        f'<table class="data-table">\n<caption{"" if caption_shown else _HIDDEN}>{label}</caption>\n'
        f"<thead><tr>{_head(columns, numeric)}</tr></thead>\n",
        "\n</table>\n</div>\n",
    )


def markdown_text(value: str) -> Markup:
    """Staff-written Markdown, as the HTML that validation inspected (:func:`generator.markup.to_html`);
    the page's Markdown passes that block through unchanged."""
    return Markup(markup.to_html(value))


def chinese_number(value: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (ordinals of sections, items and work updates)."""
    if value <= 10:
        return _NUMERALS[value]
    tens, ones = divmod(value, 10)
    if value < 100:
        return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")
    return str(value)


def period_label(period: str) -> str:
    """``2023-08`` → ``2023年8月``."""
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


def month_label(period: str) -> str:
    """``2023-08`` → ``8月``, as notices name their own month."""
    return f"{int(period[5:])}月"


def percent(value: Decimal) -> str:
    return f"{value!s}%"  # str() prints a Decimal as format() does, at a third of the cost


def signed(value: Decimal | int) -> str:
    """+12, −3, 0: a change with its direction."""
    if value > 0:
        return f"+{value!s}"
    if value < 0:
        return f"−{-value!s}"
    return "0"


def svg(value: str) -> Markup:
    """A chart made by :mod:`generator.charts` from escaped text; inserted as it is."""
    return Markup(value)


def front_matter(value: str) -> Markup:
    """A front-matter value: escaped like page text (themes print meta values unescaped), then
    quoted as a JSON string, which is valid YAML whatever the text holds."""
    return Markup(_JSON(escape(value)))


def breadcrumbs(*trail: tuple[str, str | None]) -> Markup:
    """A page's place in the site, for the theme's breadcrumbs (front matter ``breadcrumbs``, read by
    site_overrides/partials/path.html): after the home page, each step's label, escaped like page
    text, and its page's address from the site root (percent-encoded), or null for the page itself."""
    steps = [[escape(label), None if to is None else _crumb_url(to)] for label, to in trail]
    return Markup(_JSON(steps))


@functools.lru_cache(maxsize=4096)
def _crumb_url(to: str) -> str:
    """A breadcrumb's address: every notice of a year links the same two pages."""
    return quote(page_url(to), safe="/")


_JSON = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(…, ensure_ascii=False)``, without making an encoder on every call."""


# Callables whose own ``__call__`` is the interpreter's: Jinja's Context.call would inspect them
# (and that ``__call__``) for pass_context and its kin on every call, then call them as they are.
_PLAIN_CALLABLES = frozenset(
    {types.FunctionType, types.MethodType, types.BuiltinFunctionType, functools.partial, type(functools.cache(len))}
)


class _Context(Context):
    """Jinja's context, calling a plain function at once: a template calls functions (``href``,
    ``link``, page paths, model methods) about a million times in a build of 1200 notices, and
    Jinja's check costs more than most of them. Anything else, or a function marked with
    pass_context or its kin, goes through Jinja's own :meth:`Context.call`."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


@functools.cache
def environment() -> Environment:
    """The one Jinja environment: made once per process, so templates are compiled once (the
    preview renders the site again on every save)."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        # Markdown heading anchors are written "{#id}", which is Jinja's default comment start.
        comment_start_string="{##",
        comment_end_string="##}",
        finalize=_finalize,
    )
    env.context_class = _Context
    env.filters.update(
        cell=cell,
        chinese_number=chinese_number,
        period_label=period_label,
        month_label=month_label,
        percent=percent,
        front_matter=front_matter,
        markdown_text=markdown_text,
        signed=signed,
        svg=svg,
    )
    env.globals.update(
        breadcrumbs=breadcrumbs,
        table=table,
        CaseKind=CaseKind,
        SectionId=SectionId,
        CHECK_TITLES=CHECK_TITLES,
        CheckId=CheckId,
        GROUP_LABELS=GROUP_LABELS,
        CASE_LABELS=CASE_LABELS,
        decade_label=decade_label,
        history_path=history_path,
    )
    return env


def link(from_page: str, to_page: str) -> Markup:
    """A relative Markdown link between two source files (MkDocs checks and rewrites it).

    Paths contain names from data, so they are percent-encoded: no character of a name can end
    the link or the attribute it is written in."""
    return folder_link(posixpath.dirname(from_page), to_page)


def folder_link(folder: str, to_page: str) -> Markup:
    """:func:`link` from any page in ``folder`` (pages of one folder share their links)."""
    start, target = folder.split("/") if folder else [], to_page.split("/")
    if {"", ".", ".."}.isdisjoint(start + target):
        # Paths from the docs root, as pages name them: what posixpath.relpath gives, without
        # its two calls to abspath (and so to getcwd) for every link.
        common = 0
        while common < min(len(start), len(target)) and start[common] == target[common]:
            common += 1
        relative = "/".join([".."] * (len(start) - common) + target[common:]) or "."
    else:
        relative = posixpath.relpath(to_page, folder or ".")
    # Most links (to notices, years pages, downloads) are ASCII that quote() would leave alone.
    return Markup(relative if _URL_SAFE.fullmatch(relative) else quote(relative, safe="/"))


_URL_SAFE = re.compile(r"[A-Za-z0-9_.~/-]*")
"""A path that ``quote(path, safe="/")`` returns unchanged."""


def page_url(path: str) -> str:
    """The directory URL a page is published at: ``notices/2023/08.md`` → ``notices/2023/08/``."""
    stem = path.removesuffix(".md")
    stem = stem.removesuffix("index").rstrip("/")
    return f"{stem}/" if stem else ""


def site_path(site_url: str | None) -> str:
    """The path the site is served under: ``https://example.github.io/archive`` → ``/archive/``,
    no address → ``/``."""
    path = urlsplit(site_url or "").path.strip("/")
    return f"/{path}/" if path else "/"


def href(base: str, to: str) -> Markup:
    """A URL for raw HTML, from the site's root path ``base``: to a page (``….md``) or a file
    such as a download; percent-encoded like :func:`link`.

    Engines disagree on relative URLs in raw HTML: MkDocs leaves them alone, so they are read from
    the page's address (``notices/2023/08/``), while Zensical resolves them from the source file
    (``notices/2023/``) like Markdown links. A URL from the root path means the same to both."""
    relative = page_url(to) if to.endswith(".md") else to
    return Markup(quote(base + relative, safe="/"))
