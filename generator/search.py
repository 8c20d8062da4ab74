"""The site search index, written from the pages of a built site and read by ``search.js``.

A section matches a query when its folded text contains every folded term of the query. The
index only narrows the sections to check; the reader checks each candidate against the stored
text, so results are exact whatever the index holds. It works on any built static site (it reads
the HTML files, ``write_index``), so it does not depend on the site engine; an engine that hands
over each page's HTML as it makes it (MkDocs, through the hook) spares reading them back
(``SiteIndex``), for the same index.

Folding (Python ``fold`` and JavaScript ``fold`` must agree; tests/search/vectors.json pins them):
NFKC of the whole string, then lower case, then every character of ``IGNORED`` removed
(whitespace, zero-width and direction marks, soft hyphen).

Format, version 2. Everything is UTF-8 JSON without insignificant whitespace, under ``search/``:

``search/index.json``, the manifest::

    {"version": 2, "shards": S, "tile": [P, R], "sections": N, "pages": [...],
     "runs": [[first_id, kind, year], ...], "overlap": OVERLAP}

  Sections are numbered 0..N-1 in rank order: notices newest first, then unit, district and
  category pages, then the other pages, each page's sections in page order. ``runs`` (ascending
  ``first_id``) give the kind (``notice``, ``unit``, ``district``, ``category``, ``other``) and
  year (0 when none) of the sections from ``first_id`` up to the next run. ``pages`` holds the id
  of each page's first section, written as differences like the postings below.

``search/shards/K.json`` for K in 0..S-1, the postings: ``{"key": [body, title], ...}`` where a
  key is one folded character or two consecutive folded characters, K = ``shard_of(key, S)``
  (FNV-1a over the key's code points, modulo S), and ``body`` / ``title`` are the ascending ids of
  the sections whose searchable text / title contains the key, written as differences (the first
  id itself, then each id minus the one before). ``title`` is ``[]`` when no title has the key.
  A key made of a space and a whole folded page title lists, in ``body``, the first section of
  each page with exactly that title or that other name (an element of the page marked
  ``data-search-name``, such as a unit's former name): whole-name hits rank first.

``search/text/G-T.json``, rows of the pages numbered ``G*P`` to ``G*P+P-1`` (counted from 0 in the
  order of ``pages``): a list with one list per page (fewer in the last file of pages), each holding
  the page's rows ``T*R`` to ``T*R+R-1`` (maybe none; a page's row ``i`` is the row whose id is the
  page's first id plus ``i``), a row being ``[url, page_title, title, text, part]``. A query reads
  the same few rows of each of a run of pages (their first rows, or one section of consecutive
  notices), which one such file holds. A row is a section, or a passage of a long one: ``url`` is
  relative to the site root (``notices/2023/08/#difficult-1``); ``title`` is the section's heading
  (the page's ``<h1>`` for its first section); ``text`` is what the reader sees under it, each
  block or table cell separated by one space, table cells without a letter (figures only) left
  out, and so are the elements marked ``data-search-exclude`` but for the captions of the tables in
  them (the generator marks feed links, citations, charts and the tables that hold no name). A
  section longer than PASSAGE + OVERLAP characters is cut at spaces into passages numbered by
  ``part`` (0, 1, ...), each followed by the first OVERLAP characters of the next, so a match
  spanning up to OVERLAP characters of the page is whole in one row. The searchable text of a row is
  ``title + text`` for part 0 and ``text`` otherwise. "Section ids" above are row ids. A reader
  rebuilds a section's whole text from its passages by dropping, from each passage but the last,
  its final ``min(overlap, len(next passage))`` characters (code points), the manifest's
  ``overlap``: so a longer match is found too, from the rows holding its first overlap/2
  characters (at most one space between two characters, as the text is written, keeps those
  whole in one row).

A reader fetches the manifest, the shards of the query's keys, intersects their body lists, and
fetches text files only for the candidates it shows.
"""

from __future__ import annotations

import gc
import operator
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

VERSION = 2
# A text file holds TILE[1] consecutive rows of each of TILE[0] consecutive pages (see above). Chosen
# by what a first query transfers at 1200 synthetic notices (gzip, script included, as
# benchmarks/search_cost.mjs counts it; for 交警, 暖气开口费, 市, 公安局, 燃气公司, 平顶山, 办): a query reads
# the first rows, or the same section, of a run of pages, so these files give it 11-15 KiB in all
# from 4-7 files, where files of 4 consecutive rows gave 13-18 KiB from 12-15 files and made seven
# times as many files to write, whose creation took much of the time of writing the index.
TILE = (16, 2)
# Long sections are stored and matched in passages of about this many characters, each with the
# next OVERLAP characters after it (see ``passages``).
PASSAGE = 500
OVERLAP = 100
IGNORED = "\t\n\x0b\x0c\r \x85\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff"
_IGNORED = re.compile(f"[{IGNORED}]+")
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
# Shown text keeps spaces but not invisible marks, which would only confuse a reader copying it.
_INVISIBLE = re.compile("[\xad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_BLOCKS = frozenset(
    {"address", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary"}
    | {"table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)
# What is never text: drawings, scripts, and table cells without a letter (figures only: numbers
# are found on the page, not by search). Tags inside a cell are allowed, other cells are not.
# Cells come first, being the most common; possessive quantifiers (``*+``, ``++``) never give back
# what they took, which could not make a match anyway, and spare the engine trying.
_NOT_TEXT_AFTER_LT = (
    r"t([dh])\b[^>]*+>(?:[^<\w]++|[\d_]++|<(?!/?(?:td|th|tr|table|h[1-6])\b)[^>]*+>)*+</t\1\s*+>"
    r"|(svg|script|style|template|noscript|button)\b.*?</\2\s*>"
)
_NOT_TEXT = re.compile(f"<(?:{_NOT_TEXT_AFTER_LT})", re.S)
# The generator's cells of figures, found by their exact start (a search the engine makes fast),
# before the other cells: each is a cell ``_NOT_TEXT`` takes, and takes whole, so taking these
# first changes nothing (a cell is inside another only inside a table of its own, which keeps the
# outer cell from being taken) but spares it two thirds of the cells of the generator's tables.
_FIGURE_CELL_AFTER_LT = r'td class="num">[-+.,%\d]*+</td>'
_FIGURE_CELL = re.compile(f"<{_FIGURE_CELL_AFTER_LT}")
# Other names of a page (a unit's aliases and former names), which find it as its title does.
_NAME = re.compile(r"<span\b[^>]*\bdata-search-name\b[^>]*>(.*?)</span\s*>", re.S)
_NOTICE = re.compile(r"notices/(\d{4})/(\d{2})/")
_KINDS = (("units/", "unit"), ("districts/", "district"), ("categories/", "category"))
_ORDER = {"notice": 0, "unit": 1, "district": 2, "category": 3, "other": 4}
# Shards are sized for a first query of a few KiB: about this many bytes each, gzip-compressed (a
# query fetches one shard per key). Sized by the raw bytes instead, small archives, whose shards
# are mostly keys, which compress little, had shards several times as large to fetch as large
# archives, whose shards are mostly long lists of differences, which compress well.
_SHARD_BYTES = 1000


def fold(text: str) -> str:
    """The form in which texts and queries are compared."""
    # NFKC maps each full-width ASCII form to its ASCII character on its own, so doing that first
    # changes nothing but spares NFKC most texts: full-width punctuation in almost every sentence
    # made it normalize them all, the costliest step of folding.
    # Replaced one character at a time, for the few that occur: str.translate looks every character
    # of the text up in a table, which cost more than the rest of folding.
    for char in set(_FULL_WIDTH.findall(text)):
        text = text.replace(char, chr(ord(char) - 0xFEE0))
    folded = unicodedata.normalize("NFKC", text).lower().replace(" ", "")
    # Every ignored character but the space is one str.isprintable() refuses: most texts, which
    # have none left, are spared the expression, which took two thirds of the time of folding.
    return folded if folded.isprintable() else _IGNORED.sub("", folded)


def keys(folded: str) -> set[str]:
    """Every character and every pair of consecutive characters of a folded text."""
    found = set(folded)
    found.update(map(str.__add__, folded, folded[1:]))
    return found


def shard_of(key: str, shards: int) -> int:
    """FNV-1a (32 bits) over the key's code points, modulo the number of shards."""
    return _fnv_hash(key) % shards


def _fnv_hash(key: str) -> int:
    h = 0x811C9DC5
    for char in key:
        h = ((h ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return h


@dataclass
class Section:
    """One heading and the text under it, up to the next heading."""

    anchor: str
    title: str
    parts: list[str] = field(default_factory=list)
    text: str = field(init=False)
    """The shown text: invisible marks removed, runs of spaces made one. Made from ``parts`` when
    the section is made (a cached property took a lock the first time it was read)."""

    def __post_init__(self) -> None:
        joined = "".join(self.parts)
        # str.split() splits at exactly the characters ``\s`` matches, in less time. Invisible marks
        # are neither spaces nor printable, so a text that is all printable once its spaces are made
        # one had none to remove: the expression, slow over the characters of Chinese text, is spared.
        text = " ".join(joined.split())
        self.text = text if text.isprintable() else " ".join(_INVISIBLE.sub("", joined).split())


@dataclass(frozen=True)
class Page:
    """A built page: its address relative to the site root, title, kind, year and sections."""

    url: str
    title: str
    kind: str
    year: int
    sections: tuple[Section, ...]
    names: tuple[str, ...] = ()
    """Other names the page goes by (elements marked ``data-search-name``)."""


# A built page is read with regular expressions, not html.parser, which took most of the build's
# indexing time on a large archive. Built pages are well-formed, which is all this relies on. The
# expressions match tag names in lower case, as the engines write them: matching either case
# (re.I) made these passes about one and a half times as slow, so a page with a tag name in upper
# case has its tag names lowered first (``_lower_tags``).
_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1\s*>", re.S)
_ID = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
# Lazy within the start tag, which is where it ends however it is matched: greedy, each title's
# permalink was tried back from its end, character by character, in twice the time.
_PERMALINK = re.compile(r"""<a\b[^>]*?\bclass\s*=\s*["']?[^"'>]*?\bheaderlink\b[^>]*>.*?</a\s*>""", re.S)
# The names as a tree of their letters, table tags first (most tags are): tried in less time than
# a list of names. Headings apart, for ``_NOT_TEXT_OR_BLOCK``.
_BLOCK_NAMES_BUT_HEADINGS = (
    r"t(?:able|body|d|foot|h(?:ead)?|r)|address|b(?:lockquote|r)|caption|d(?:d|etails|iv|l|t)"
    r"|f(?:ig(?:caption|ure)|ooter)|h(?:eader|r)|li|main|nav|ol|p(?:re)?|s(?:ection|ummary)|ul"
)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK_NAMES_BUT_HEADINGS}|h[1-6])\b[^>]*+>")
_HEADING_TAG = re.compile(r"</?h[1-6]\b[^>]*+>")
_TAG = re.compile(r"<[^>]*>")
# What a page's text is read from, in one pass instead of three: ``_FIGURE_CELL``, ``_NOT_TEXT``
# and ``_BLOCK_TAG`` but for the headings' tags (left for ``_HEADING``), each made one space, tried
# in that order at each "<". On well-formed HTML (no "<" inside a tag) that is what the three
# passes one after the other make (tests/test_search.py checks it), in a sixth less time.
# Most of what a page's text is read from is the rows of the generator's tables: a row's first
# cell (its name, often a link) and cells of figures. What lies between two names is taken in one
# match: the end of the first cell, the cells of figures (as ``_NOT_TEXT`` takes them, but for end
# tags written otherwise), the row's end, the next row's start and its first cell's start tag when
# that cell has a letter before any tag but a link's start (else ``_NOT_TEXT`` may take the cell);
# or the end of a header cell and the start of the next. Each of these is what the alternatives
# after take, one at a time, each made one space: taken together they make one space instead, the
# same text, and the pass over the notices takes 0.22 s instead of 0.31 at 1200 notices.
_NAME_CELL = r"<th\b[^>]*+>(?=(?:<a\b[^>]*+>)?[^<]*?[^\W\d_])"
_ROW_AFTER_LT = (
    rf"/th>(?:<td\b[^>]*+>[-+.,%\d]*+</td>)*+(?:</tr>(?:\s*+<tr\b[^>]*+>(?:{_NAME_CELL})?+)?+|{_NAME_CELL})?+"
    rf"|tr\b[^>]*+>(?:{_NAME_CELL})?+"
)
_NOT_TEXT_OR_BLOCK = re.compile(
    f"<(?:{_ROW_AFTER_LT}|{_FIGURE_CELL_AFTER_LT}|{_NOT_TEXT_AFTER_LT}|/?(?:{_BLOCK_NAMES_BUT_HEADINGS})\\b[^>]*+>)",
    re.S,
)
_UPPER_TAG = re.compile(r"</?(?=[a-z0-9]*[A-Z])[A-Za-z0-9]+")
# Finds every page ``_UPPER_TAG`` would change (and a few more), in less time.
_MAYBE_UPPER_TAG = re.compile(r"<[a-z0-9/]*+[A-Z]")


def _lower_tags(html: str) -> str:
    return _UPPER_TAG.sub(lambda tag: tag[0].lower(), html) if _MAYBE_UPPER_TAG.search(html) else html


def _text_of(html: str) -> str:
    if "<" in html:
        html = _TAG.sub("", _BLOCK_TAG.sub(" ", html))
    return unescape(html) if "&" in html else html


def _text_of_cleared(html: str) -> str:
    """``_text_of`` of HTML that ``_NOT_TEXT_OR_BLOCK`` has cleared: only headings' tags are left
    of the blocks' tags, and only where a heading was not whole."""
    # Most titles and many runs of text hold no tag at all. Looking for "<h" and "</h" first, to
    # spare the expression, took three times as long as the expression, which tries only at "<".
    if "<" in html:
        html = _TAG.sub("", _HEADING_TAG.sub(" ", html))
    return unescape(html) if "&" in html else html


def _read_sections(html: str, text_of: Callable[[str], str] = _text_of) -> list[Section]:
    """The text of an HTML fragment split into sections at headings that carry an id."""
    sections = []
    # The section being read, made once it is complete.
    anchor, title, parts = "", "", []
    at = 0
    for heading in _HEADING.finditer(html):
        level, attributes, inner = heading.groups()
        parts.append(text_of(html[at : heading.start()]))
        at = heading.end()
        # Permalinks (the ¶ after a title) sit inside the headings only: looked for there alone.
        if "headerlink" in inner:
            inner = _PERMALINK.sub("", inner)
        heading_title = " ".join(text_of(inner).split())
        found = _anchor(attributes) if level != "1" else None
        if found is not None:
            sections.append(Section(anchor, title, parts))
            anchor, title, parts = found, heading_title, []
        elif not title:
            title = heading_title
        else:
            parts.append(f" {heading_title} ")
    parts.append(text_of(html[at:]))
    sections.append(Section(anchor, title, parts))
    return sections


def _anchor(attributes: str) -> str | None:
    """The id among a start tag's attributes, if any."""
    # As the engines write a heading's: the id alone, in double quotes; ``_ID`` finds it there.
    if attributes[:5] == ' id="' and attributes.find('"', 5) == len(attributes) - 1:
        return attributes[5:-1]
    found = _ID.search(attributes)
    return None if found is None else next(g for g in found.groups() if g is not None)


# An element marked data-search-exclude is not text for search: a paragraph that only repeats the
# page's name (a feed link, "atom" finding every page with a feed; a notice's citation), a chart
# (a drawing), and a table that holds no name, only months, years and figures (a unit's monthly
# scores, found by the unit's name in the page's title, each month by its notice's own title).
# Such a table keeps its caption, which names it ("市交警支队2023年每月得分与排名"). Cut out
# by finding the mark and the element's end tag, not by an expression over every tag: these
# tables were two fifths of the HTML of a large archive.
_EXCLUDE = "data-search-exclude"
_VALUE = r"""(?:\s*=\s*(?:"[^"]*+"|'[^']*+'|[^\s"'>]++))?"""
_ATTRIBUTE = rf"""\s++[^\s"'>/=]++{_VALUE}"""
# A start tag with the mark among its attributes' names (not in a value), and its name.
_MARKED_TAG = re.compile(rf"<([a-z][^\s/>]*+)(?:{_ATTRIBUTE})*?\s++{_EXCLUDE}(?![^\s/>=]){_VALUE}(?:{_ATTRIBUTE})*+\s*/?>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# What may follow a tag's name in the tag.
_NAME_ENDS = frozenset(" \t\n\r\f/>")


def _without_excluded(html: str) -> str:
    """``html`` with every element marked data-search-exclude made one space, but for the tables'
    captions inside it."""
    mark = html.find(_EXCLUDE)
    if mark == -1:
        return html
    kept: list[str] = []
    done = 0
    while mark != -1:
        start = html.rfind("<", done, mark)
        tag = _MARKED_TAG.match(html, start) if start != -1 else None
        if tag is None or tag.end() <= mark:
            mark = html.find(_EXCLUDE, mark + len(_EXCLUDE))
            continue
        after = tag.end()
        end = after if tag[1] in _VOID or html[after - 2] == "/" else _end_of(html, tag[1], after)
        kept += (html[done:start], " ")
        caption = html.find("<caption", after, end)
        while caption != -1:
            caption_end = min(_end_of(html, "caption", html.find(">", caption, end) + 1 or end), end)
            kept += (html[caption:caption_end], " ")
            caption = html.find("<caption", caption_end, end)
        done = end
        mark = html.find(_EXCLUDE, done)
    kept.append(html[done:])
    return "".join(kept)


def _end_of(html: str, name: str, at: int) -> int:
    """Where the element ``name`` whose start tag ends at ``at`` ends: after its end tag, counting
    the elements of that name inside it; at ``at`` when it has none (its content is then kept)."""
    opening, closing = f"<{name}", f"</{name}"
    close = html.find(closing, at)
    # Most elements hold none of their name: their end is the first end tag.
    if (
        close != -1
        and html.find(opening, at, close) == -1
        and html[close + len(closing) : close + len(closing) + 1] in _NAME_ENDS
    ):
        return html.find(">", close) + 1 or len(html)
    depth, start = 1, at
    while True:
        close = _find_tag(html, closing, at, len(html))
        if close == -1:
            return start
        inner = _find_tag(html, opening, at, close)
        while inner != -1:
            depth += 1
            inner = _find_tag(html, opening, inner + 1, close)
        depth -= 1
        at = html.find(">", close) + 1 or len(html)
        if depth == 0:
            return at


def _find_tag(html: str, prefix: str, start: int, end: int) -> int:
    """Where the first tag that ``prefix`` (``<name`` or ``</name``) begins starts, between
    ``start`` and ``end``; -1 if none."""
    found = html.find(prefix, start, end)
    while found != -1 and html[found + len(prefix) : found + len(prefix) + 1] not in _NAME_ENDS:
        found = html.find(prefix, found + 1, end)
    return found


def kind_of(url: str) -> tuple[str, int]:
    """The kind of page at an address and its year (0 unless a notice)."""
    notice = _NOTICE.fullmatch(url)
    if notice:
        return "notice", int(notice.group(1))
    for prefix, kind in _KINDS:
        if url.startswith(prefix) and url != prefix:
            return kind, 0
    return "other", 0


def read_page(url: str, html: str) -> Page:
    """The sections of one built page (its ``<article>``, else ``<main>``, else ``<body>``)."""
    body = html = _lower_tags(html)
    for tag in ("article", "main", "body"):
        start, end = html.find(f"<{tag}"), html.rfind(f"</{tag}>")
        if start != -1 and end > start:
            body = html[start:end]
            break
    names = tuple(_html_text(name) for name in _NAME.findall(body)) if "data-search-name" in body else ()
    body = _NOT_TEXT_OR_BLOCK.sub(" ", _without_excluded(body))
    sections = tuple(s for s in _read_sections(body, _text_of_cleared) if s.anchor == "" or s.title or s.text)
    title = sections[0].title
    if not title:
        match = re.search(r"<title>(.*?)</title>", html, re.S)
        title = match.group(1) if match else url
    kind, year = kind_of(url)
    return Page(url=url, title=_html_text(title), kind=kind, year=year, sections=sections, names=names)


def _html_text(text: str) -> str:
    return _read_sections(text)[0].text


def page_url(path: str) -> str | None:
    """The address of the page written to ``path`` (relative to the site root, with ``/``), or
    None unless it is a page that is searched: every ``index.html`` except the 404 page's and
    those of theme assets and of the index itself."""
    folder, _, name = path.rpartition("/")
    if name != "index.html" or folder.startswith(("assets", "search")) or folder == "404":
        return None
    return folder + "/" if folder else ""


def _read(url: str, html: str) -> Page:
    # Line ends as a file read in text mode has them.
    if "\r" in html:
        html = html.replace("\r\n", "\n").replace("\r", "\n")
    return read_page(url, html)


def read_site(site: Path) -> list[Page]:
    """Every page of a built site (``*/index.html``) except the 404 page and theme assets."""
    pages = []
    for html in site.rglob("index.html"):
        url = page_url(html.relative_to(site).as_posix())
        if url is not None:
            # Bytes decoded, as read_text would, at half its cost (it reads through a text stream).
            pages.append(_read(url, html.read_bytes().decode("utf-8")))
    return pages


def _rank(page: Page) -> tuple[int, int, str]:
    notice = _NOTICE.fullmatch(page.url)
    # Notices newest first (the address holds the year and month), then the other kinds by address.
    newest = -int(notice.group(1) + notice.group(2)) if notice else 0
    return (_ORDER[page.kind], newest, page.url)


def _deltas(ids: list[int]) -> list[int]:
    # Most keys are in one section or none: their list is its own difference list. The others
    # subtract from each id the one before (0 before the first), without copying the list.
    return list(map(operator.sub, ids, chain((0,), ids))) if len(ids) > 1 else ids


def _dump(value: object) -> bytes:
    # The same bytes as json.dumps(value, ensure_ascii=False, separators=(",", ":")) encoded as
    # UTF-8 (test_dump_is_the_standard_compact_json pins it), in a tenth of the time. The postings
    # are numpy arrays, written as the lists of numbers they hold without being made lists first.
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)


def passages(text: str) -> list[str]:
    """A section's text cut at spaces into pieces of about ``PASSAGE`` characters, each followed by
    the first ``OVERLAP`` characters of the next, so that a match up to that long is whole in one."""
    if len(text) <= PASSAGE + OVERLAP:
        return [text]
    pieces = []
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= PASSAGE + OVERLAP else text.rfind(" ", start + PASSAGE // 2, start + PASSAGE)
        if end <= start:
            end = start + PASSAGE
        pieces.append(text[start : end + OVERLAP])
        start = end
    return pieces


# The postings are made with numpy, for all the texts at once: made key by key and text by text in
# Python, about 6.6 million ids at 1200 notices, they took more than half of writing the index.
# numpy is imported where it is used, so that only building an index loads it and the index's
# measured cost includes the import (benchmarks/search.py times SiteIndex.write).
#
# A table with one cell for every possible key of the texts numbers the keys present (0..K-1) when
# there are at most this many cells (4095 distinct characters), without sorting; more characters
# than that, which this archive is far from, have the keys numbered by a sort.
_KEY_TABLE_CELLS = 1 << 24
# A table of texts by keys (one cell each) keeps each text's keys once (see ``_postings``), for a
# block of texts at a time of at most about this many cells (2 MB): small enough to stay in the
# processor's caches, and the blocks' arrays small enough to reuse the memory of the block before
# (blocks of eight times as many texts took fresh memory from the kernel for each, which cost more
# than the work itself at 1200 notices).
_TEXT_TABLE_CELLS = 1 << 18


def _postings(texts: dict[str, list[int]], rows: int) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.intp]]:
    """The keys of the rows ``0..rows-1``, each having the folded text that lists it in ``texts``
    (or none): every key in the order of its string, as its first and second code point (-1 for a
    key of one character); the ascending ids of the rows having each key, one key after another;
    and how many ids each key has."""
    import numpy as np

    # The arrays are kept few and small (16 or 32 bits where that is enough): at 1200 notices
    # they hold millions of numbers, and fresh memory costs the kernel time to hand out.
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    strings, key = _numbered_keys("".join(texts), lengths)
    key, count = _each_key_once(key, lengths, len(strings))
    # Each row's text (an extra text of no keys for the rows without one), and where its keys begin.
    count = np.append(count, 0)
    first_key = np.cumsum(count) - count
    text_of = np.full(rows, len(texts), dtype=np.intp)
    text_of[np.fromiter(chain.from_iterable(texts.values()), dtype=np.intp)] = np.repeat(
        np.arange(len(texts)), np.fromiter(map(len, texts.values()), dtype=np.intp, count=len(texts))
    )
    # Every row's keys, row after row: the places of its text's keys counted up from the first,
    # jumping at each row (of some keys) from the last place of the row before to its own first.
    row_count = count[text_of]
    first, number_of = first_key[text_of][row_count > 0], row_count[row_count > 0]
    index = np.ones(number_of.sum(), dtype=np.int32 if len(key) < 1 << 31 else np.intp)
    index[np.cumsum(number_of) - number_of] = first - np.append(0, first + number_of - 1)[:-1]
    by_row = key[np.cumsum(index, out=index)]
    row_of = np.repeat(np.arange(rows, dtype=np.int32), row_count)
    # Sorted by key, stably: each key's rows, ascending.
    ids = row_of[np.argsort(by_row, kind="stable")]
    return strings, ids, np.bincount(by_row, minlength=len(strings))


def _numbered_keys(joined: str, lengths: NDArray[np.intp]) -> tuple[NDArray[np.int64], NDArray[Any]]:
    """The keys of texts joined one after another (``lengths`` long), numbered 0..K-1 in the order
    of their strings: each key as its first and second code point (-1 for one character), and the
    number of each character's own key and of the pair it begins, two numbers a character."""
    import numpy as np

    # Every character as its code point: from UTF-16, half the bytes of UTF-32, unless a character
    # beyond U+FFFF takes two units there.
    data = joined.encode("utf-16-le")
    points = np.frombuffer(data, "<u2") if len(data) == 2 * len(joined) else np.frombuffer(joined.encode("utf-32-le"), "<u4")
    # The characters present numbered 0..C-1 in code point order, through a table of every code
    # point, of which only the cells of the characters present are touched.
    present = np.zeros(0x110000, dtype=bool)
    present[points] = True
    chars = np.flatnonzero(present)
    span = len(chars) + 1
    possible = len(chars) * span
    number = np.zeros(0x110000, dtype=np.int32 if possible <= _KEY_TABLE_CELLS else np.int64)
    number[chars] = np.arange(len(chars))
    char = number[points]
    # Each key as a number in the order of the keys' strings: ``a * span`` for the character
    # numbered a, ``a * span + b + 1`` for a followed by b. Each character stands for its own key and
    # the key of the pair it begins; a text's last character begins no pair, so it stands for its
    # own key twice (a repeat, dropped with the others by ``_each_key_once``).
    codes = np.empty((len(char), 2), dtype=char.dtype)
    np.multiply(char, span, out=codes[:, 0])
    np.add(codes[:-1, 0], char[1:], out=codes[:-1, 1])
    codes[:-1, 1] += 1
    ends = np.cumsum(lengths)[lengths > 0] - 1
    codes[ends, 1] = codes[ends, 0]
    codes = codes.reshape(-1)
    # The keys present numbered 0..K-1 in the same order, in 16 bits if they can be: numpy's stable
    # sort of 16-bit numbers, which ``_postings`` uses, is a radix sort, a few passes over them.
    key: NDArray[Any]
    if possible <= _KEY_TABLE_CELLS:
        seen = np.zeros(possible, dtype=bool)
        seen[codes] = True
        found = np.flatnonzero(seen)
        numbered = np.zeros(possible, dtype=np.uint16 if len(found) <= 1 << 16 else np.int32)
        numbered[found] = np.arange(len(found))
        key = numbered[codes]
    else:
        found, key = np.unique(codes, return_inverse=True)
        key = key.astype(np.uint16 if len(found) <= 1 << 16 else np.int32)
    pair, second = np.divmod(found, span)
    return np.stack([chars[pair], np.where(second > 0, chars[second - 1], -1)], axis=1), key


def _each_key_once(key: NDArray[Any], lengths: NDArray[np.intp], keys: int) -> tuple[NDArray[Any], NDArray[np.intp]]:
    """The numbers of ``_numbered_keys`` with each text's repeats left out, and how many each
    text keeps."""
    import numpy as np

    # Every place of a key in a text writes its position into the cell of that text and key, and
    # the places whose position the cell kept are kept, one for each key of the text (no sort, and
    # the table need not be cleared between blocks of texts).
    starts = np.zeros(len(lengths) + 1, dtype=np.intp)
    np.cumsum(2 * lengths, out=starts[1:])
    per_block = max(1, _TEXT_TABLE_CELLS // max(1, keys))
    table = np.empty(per_block * keys, dtype=np.intp)
    text_cells = np.arange(per_block) * keys
    kept = np.empty(len(key), dtype=bool)
    for block in range(0, len(lengths), per_block):
        last = min(block + per_block, len(lengths))
        begin, end = starts[block], starts[last]
        cells = np.repeat(text_cells[: last - block], 2 * lengths[block:last])
        np.add(cells, key[begin:end], out=cells)
        at = np.arange(end - begin)
        table[cells] = at
        np.equal(table[cells], at, out=kept[begin:end])
    # Texts of no characters are left out of the sums, which would give them the next text's first.
    some = lengths > 0
    count = np.zeros(len(lengths), dtype=np.intp)
    count[some] = np.add.reduceat(kept, starts[:-1][some], dtype=np.intp)
    return key[kept], count


def _delta_lists(ids: NDArray[np.int32], counts: NDArray[np.intp]) -> list[NDArray[np.int32]]:
    """``_deltas`` of each key's ids, for the ids and counts ``_postings`` gives."""
    import numpy as np

    deltas = np.empty_like(ids)
    deltas[:1] = ids[:1]
    np.subtract(ids[1:], ids[:-1], out=deltas[1:])
    ends = np.cumsum(counts)
    firsts = (ends - counts)[counts > 0]
    deltas[firsts] = ids[firsts]
    # np.split makes one piece of no places to split at, even for no keys.
    return np.split(deltas, ends[:-1]) if len(counts) else []


_FNV_PRIME = 0x01000193
_FNV_BASIS = 0x811C9DC5


def _keys_and_hashes(strings: NDArray[np.int64]) -> tuple[list[str], list[int]]:
    """The keys ``_postings`` gives as strings, and their FNV-1a hashes (as in ``shard_of``)."""
    import numpy as np

    # About ten thousand keys whatever the size of the archive: hashed in Python, one by one, they
    # took a tenth of writing a small site's index.
    first, second = strings[:, 0].astype(np.uint64), strings[:, 1]
    hashes = (first ^ _FNV_BASIS) * _FNV_PRIME & 0xFFFFFFFF
    pair = second >= 0
    hashes[pair] = (hashes[pair] ^ second[pair].astype(np.uint64)) * _FNV_PRIME & 0xFFFFFFFF
    keys = [chr(a) + chr(b) if b >= 0 else chr(a) for a, b in strings.tolist()]
    return keys, hashes.tolist()


def build_index(pages: Iterable[Page]) -> dict[str, str]:
    """The files of the index, ``{path under search/: content}``, for pages in any order."""
    return {path: content.decode("utf-8") for path, content in _index_files(pages)[0].items()}


def _index_files(pages: Iterable[Page]) -> tuple[dict[str, bytes], int]:
    """``build_index`` as the bytes to write, and the number of sections."""
    ordered = sorted(pages, key=_rank)
    rows: list[list[object]] = []
    runs: list[list[object]] = []
    starts: list[int] = []
    # Archives repeat much of their text (a unit's name in every notice): the keys of each distinct
    # text are computed once, for all the rows that have it.
    texts: dict[str, list[int]] = {}
    titles: dict[str, list[int]] = {}
    names: dict[str, list[int]] = {}
    # Folded once per distinct text: titles and a quarter of the passages repeat.
    folded: dict[str, str] = {}

    def fold_once(text: str) -> str:
        if text not in folded:
            folded[text] = fold(text)
        return folded[text]

    for page in ordered:
        if not runs or runs[-1][1:] != [page.kind, page.year]:
            runs.append([len(rows), page.kind, page.year])
        starts.append(len(rows))
        for section in page.sections:
            url = page.url + (f"#{section.anchor}" if section.anchor else "")
            folded_title = fold_once(section.title)
            for part, text in enumerate(passages(section.text)):
                texts.setdefault(fold_once(text) if part else folded_title + fold_once(text), []).append(len(rows))
                if not part:
                    titles.setdefault(folded_title, []).append(len(rows))
                rows.append([url, page.title, section.title, text, part])
        if page.sections and page.sections[0].title:
            names.setdefault(fold_once(page.sections[0].title), []).append(starts[-1])
        for name in page.names:
            named = names.setdefault(fold_once(name), [])
            if not named or named[-1] != starts[-1]:
                named.append(starts[-1])
    strings, ids, counts = _postings(texts, len(rows))
    keys, hashes = _keys_and_hashes(strings)
    lists: list[NDArray[np.int32] | list[int]] = [*_delta_lists(ids, counts)]
    strings, title_ids, title_counts = _postings(titles, len(rows))
    in_title = dict(zip(_keys_and_hashes(strings)[0], _delta_lists(title_ids, title_counts), strict=True))
    in_titles: list[NDArray[np.int32] | list[int]] = [in_title.get(key, []) for key in keys]
    size = len(ids)
    for name, named in names.items():
        # A space never survives folding, so this key cannot clash with a key of the text.
        keys.append(" " + name)
        hashes.append(_fnv_hash(" " + name))
        lists.append(_deltas(named))
        in_titles.append([])
        size += len(named)
    # What the shards come to gzip-compressed, as a reader fetches them: about 9 bytes a key (its
    # characters compress little) and a tenth of a byte an id (differences, mostly small and alike).
    size = 9 * len(keys) + size // 10
    shards = 1
    while size / shards > _SHARD_BYTES:
        shards *= 2
    entries = list(map(list, zip(lists, in_titles, strict=True)))
    buckets: list[dict[str, list[NDArray[np.int32] | list[int]]]] = [{} for _ in range(shards)]
    shard = list(map(operator.mod, hashes, repeat(shards)))
    for at in sorted(range(len(keys)), key=keys.__getitem__):
        buckets[shard[at]][keys[at]] = entries[at]
    files = {
        "index.json": _dump(
            {"version": VERSION, "shards": shards, "tile": list(TILE), "sections": len(rows)}
            | {"pages": _deltas(starts), "runs": runs, "overlap": OVERLAP}
        ),
    }
    for number, bucket in enumerate(buckets):
        files[f"shards/{number}.json"] = _dump(bucket)
    across, down = TILE
    bounds = [*starts, len(rows)]
    for group in range(0, len(starts), across):
        spans = list(zip(starts[group : group + across], bounds[group + 1 : group + across + 1], strict=False))
        longest = max(end - start for start, end in spans)
        for tile in range(0, longest, down):
            tiled = [rows[start + tile : min(start + tile + down, end)] for start, end in spans]
            files[f"text/{group // across}-{tile // down}.json"] = _dump(tiled)
    return files, len(rows)


def write_index(site: Path) -> int:
    """Write ``search/`` into a built site; return the number of sections indexed."""
    return SiteIndex(read_site(site)).write(site)


class SiteIndex:
    """The index of a site as an engine builds it: each page is read when the engine has made its
    HTML (``add``), and the index is written once the site is built (``write``). The same index as
    ``write_index`` writes afterwards from the files, without reading them back from the disk."""

    def __init__(self, pages: Iterable[Page] = ()) -> None:
        self._pages = list(pages)

    def add(self, path: str, html: str) -> None:
        """A page the engine writes to ``path`` (relative to the site root, with ``/``)."""
        url = page_url(path)
        if url is not None:
            self._pages.append(_read(url, html))

    def write(self, site: Path) -> int:
        """Write ``search/`` into the built site; return the number of sections indexed."""
        # Indexing makes about a million small objects and no reference cycles. After a whole site
        # build the heap is large, and every full collection those allocations set off walks all
        # of it: that took about a sixth of this function's time inside a build of 120 notices.
        collecting = gc.isenabled()
        gc.disable()
        try:
            files, sections = _index_files(self._pages)
            _write(site / "search", files)
        finally:
            if collecting:
                gc.enable()
        return sections


def _write(folder: Path, files: dict[str, bytes]) -> None:
    # Files of an earlier, larger index must not linger; other files in search/ are not ours. The
    # files the new index also has are overwritten rather than deleted first, which costs less.
    # The kinds of entries come from the directory listing (os.scandir), not a status call each.
    for name in ("shards", "text"):
        (folder / name).mkdir(parents=True, exist_ok=True)
        with os.scandir(folder / name) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry)
                elif not entry.is_file(follow_symlinks=False) or f"{name}/{entry.name}" not in files:
                    Path(entry).unlink()
    # Plain os calls: open() for a file object adds a status and a terminal check to each of
    # about a thousand small files.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    # Joined as strings: a Path per file cost more than writing it.
    prefix = f"{folder}{os.sep}"
    for path, content in files.items():
        descriptor = os.open(prefix + path, flags, 0o666)
        try:
            data = memoryview(content)
            while data:
                data = data[os.write(descriptor, data) :]
        finally:
            os.close(descriptor)
