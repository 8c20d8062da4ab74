"""Render the validated archive into Markdown pages with one Jinja environment.

Every value that reaches a page goes through one escaping step (``finalize``), so a template
cannot forget it: HTML is escaped and Markdown syntax is neutralised with character references.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from generator.archive import Archive, NoticeRecord
from generator.checks import CHECK_TITLES
from generator.model import CaseKind, CheckId, SectionId

# Characters that start Markdown inline syntax or end an HTML attribute, as references.
_ENTITIES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]|~^'"}
_ENTITIES.update({"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"})
_INLINE = str.maketrans(_ENTITIES)
# Block syntax only counts at the start of a line (lists, headings, rules, setext underlines).
_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+*=#])")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_NUMERALS = "零一二三四五六七八九十"


def escape(value: object) -> str:
    """Make any value inert text in Markdown and in HTML, on one line."""
    text = _BIDI.sub("", str(value))
    text = re.sub(r"\s*\n\s*", " ", text).translate(_INLINE)
    return _LINE_START.sub(lambda m: f"{m[1]}&#{ord(m[2])};" if m[1] else f"&#{ord(m[3])};", text)


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    if value is None:
        raise ValueError("a template printed None: the template should test for it")
    return escape(value)


def markdown_text(value: str) -> Markup:
    """Staff-written Markdown: Markdown syntax is kept, raw HTML shows as text."""
    return Markup(_BIDI.sub("", value).replace("&", "&amp;").replace("<", "&lt;"))


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
    return f"{value}%"


def front_matter(value: str) -> Markup:
    """A front-matter value: escaped like page text (themes print meta values unescaped), then
    quoted as a JSON string, which is valid YAML whatever the text holds."""
    return Markup(json.dumps(escape(value), ensure_ascii=False))


def notice_path(period: str) -> str:
    year, month = period.split("-")
    return f"notices/{year}/{month}.md"


@dataclass(frozen=True)
class Page:
    """One rendered page: where it goes, its Markdown, and the data file it was made from."""

    path: str
    markdown: str
    source: str | None


def environment() -> Environment:
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
    env.filters.update(
        chinese_number=chinese_number,
        period_label=period_label,
        month_label=month_label,
        percent=percent,
        front_matter=front_matter,
        markdown_text=markdown_text,
    )
    env.globals.update(CaseKind=CaseKind, SectionId=SectionId, CHECK_TITLES=CHECK_TITLES, CheckId=CheckId)
    return env


def _link(from_page: str, to_page: str) -> str:
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def page_url(path: str) -> str:
    """The directory URL a page is published at: ``notices/2023/08.md`` → ``notices/2023/08/``."""
    stem = path.removesuffix(".md")
    stem = stem.removesuffix("index").rstrip("/")
    return f"{stem}/" if stem else ""


def _href(from_page: str, to_page: str) -> str:
    """A relative URL between published pages, for links inside raw HTML blocks."""
    relative = posixpath.relpath(page_url(to_page) or ".", page_url(from_page) or ".")
    return "./" if relative == "." else f"{relative}/"


def _years(archive: Archive) -> list[tuple[str, list[NoticeRecord]]]:
    years: dict[str, list[NoticeRecord]] = {}
    for record in reversed(archive.notices):
        years.setdefault(record.period[:4], []).append(record)
    return list(years.items())


def render_site(archive: Archive) -> list[Page]:
    """Every generated page, in a fixed order, from a valid archive."""
    env = environment()
    pages: list[Page] = []

    def add(path: str, template: str, source: str | None, **context: Any) -> None:
        link = {record.period: _link(path, notice_path(record.period)) for record in archive.notices}
        href = {record.period: _href(path, notice_path(record.period)) for record in archive.notices}
        markdown = env.get_template(template).render(publisher=archive.publisher, link=link, href=href, **context)
        pages.append(Page(path=path, markdown=markdown, source=source))

    add(
        "index.md",
        "home.md.j2",
        None,
        latest=archive.latest,
        years=_years(archive),
        archive_link=_link("index.md", "notices/index.md"),
    )
    add("notices/index.md", "archive.md.j2", None, years=_years(archive))
    for record in archive.notices:
        add(notice_path(record.period), "notice.md.j2", record.file, record=record, notice=record.notice)
    return pages
