"""Staff-written Markdown (``extra_sections[].text``) into HTML: the one path from data to markup.

Validation and the build call the same :func:`to_html`, and the page embeds the HTML it returns
as it is, so what ``validate`` inspected is exactly what readers get. The text is rendered with
the site's own Markdown extensions (:data:`EXTENSIONS`; the MkDocs hook refuses to build when
``mkdocs.yml`` says otherwise), then the HTML is checked against an allowlist of the tags and
attributes plain Markdown produces. Raw HTML and attribute lists are found by rendering again
without them: if the HTML changes, the text used them.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import markdown

from generator.load import MAX_TEXT

# mkdocs.yml's markdown_extensions plus fenced_code, which MkDocs always adds (with toc, tables).
EXTENSIONS = ("toc", "tables", "fenced_code", "admonition", "attr_list", "pymdownx.details")
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {"toc": {"permalink": True, "permalink_title": "本节链接"}}

# Material styles these; any other word after "!!!" or "???" would become a class of the page.
BOX_TYPES = ("note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger", "bug", "example", "quote")

WRAPPER_CLASS = "extra-text"

# Bidirectional controls reorder what a reader sees; never part of a published text.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ANCHOR = re.compile(r"#[A-Za-z0-9_-]+")
_ATTRIBUTE_LIST = re.compile(r"\{[^{}\n]*\}")
_ALIGN = ("text-align: left;", "text-align: center;", "text-align: right;")
_BOX_CLASSES = {f"admonition {kind}" for kind in BOX_TYPES}
_TAGS: dict[str, dict[str, Any]] = {
    "p": {"class": {"admonition-title"}},
    "div": {"class": _BOX_CLASSES},
    "details": {"class": set(BOX_TYPES), "open": {"open"}},
    "summary": {},
    "a": {"href": None, "title": None},
    "strong": {},
    "em": {},
    "code": {"class": re.compile(r"language-[A-Za-z0-9_+-]+")},
    "pre": {},
    "br": {},
    "hr": {},
    "blockquote": {},
    "ul": {},
    "ol": {},
    "li": {},
    "table": {},
    "thead": {},
    "tbody": {},
    "tr": {},
    "th": {"style": set(_ALIGN)},
    "td": {"style": set(_ALIGN)},
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_NOT_MARKDOWN = "不能使用 HTML（标签、注释或“&…;”字符引用）"


class MarkupError(ValueError):
    """Why a text cannot be published as Markdown; ``kind`` names the rule, ``message`` is for staff."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _convert(text: str, *, attribute_lists: bool = True, raw_html: bool = True) -> tuple[str, list[str]]:
    extensions = [name for name in EXTENSIONS if attribute_lists or name != "attr_list"]
    md = markdown.Markdown(extensions=extensions, extension_configs=EXTENSION_CONFIGS)
    if not raw_html:
        # What Python-Markdown passes through verbatim: HTML blocks, inline tags, comments and
        # character references. Without them, such text is escaped and shows as written.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("entity")
    output = md.convert(text)
    return output, list(md.htmlStash.rawHtmlBlocks)  # type: ignore[arg-type]


def http_url(value: str) -> bool:
    """An absolute http(s) address with a host, as a browser reads it (no space or control anywhere)."""
    if re.search(r"[\s\x00-\x1f\x7f-\x9f\\]", value):
        return False
    parts = urlsplit(value)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and value[: len(parts.scheme) + 3].lower() == f"{parts.scheme}://"
    )


def _shown_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    return "<" + " ".join([tag, *(f'{name}="{value or ""}"' for name, value in attrs)]) + ">"


class _Inspector(html.parser.HTMLParser):
    """Walks the rendered HTML; the first thing outside the allowlist becomes ``error``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.error: MarkupError | None = None
        self.anchors: list[str] = []
        self._title_of: str | None = None
        self._title = ""
        self._marker = "!!!"

    def _fail(self, kind: str, message: str) -> None:
        if self.error is None:
            self.error = MarkupError(kind, message)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self._fail("markdown_image", "不支持插入图片（图片会从其他网站加载）")
            return
        if tag in _HEADINGS:
            self._fail(
                "markdown", "正文中不能使用标题（“#”开头的行，或下一行是“===”“---”的文字）；补充部分的标题请写在 heading 中"
            )
            return
        allowed = _TAGS.get(tag)
        if allowed is None or any(name not in allowed for name, _ in attrs):
            self._fail("markdown", f"含有本站不支持的写法，生成了 {_shown_tag(tag, attrs)!r}")
            return
        for name, value in attrs:
            rule, value = allowed[name], value or ""
            if name == "href":
                self._link(value)
            elif (isinstance(rule, re.Pattern) and not rule.fullmatch(value)) or (isinstance(rule, set) and value not in rule):
                self._fail("markdown", self._bad_value(tag, value) or f"含有本站不支持的写法，生成了 {_shown_tag(tag, attrs)!r}")
        if tag in ("div", "details"):
            self._title_of = dict(attrs).get("class", "").removeprefix("admonition ")  # type: ignore[union-attr]
            self._marker = "!!!" if tag == "div" else "???"

    def _bad_value(self, tag: str, value: str) -> str | None:
        if tag == "details" or value.startswith("admonition "):
            kind = value.removeprefix("admonition ")
            return f"提示框的类型只能是 {'、'.join(BOX_TYPES)} 之一，实际为 {kind!r}"
        return None

    def _link(self, href: str) -> None:
        if href.startswith("#"):
            if not _ANCHOR.fullmatch(href):
                self._fail("markdown", f"链接的锚点只能由字母、数字、“-”和“_”组成，实际为 {href!r}")
            self.anchors.append(href[1:])
        elif not http_url(href):
            self._fail("markdown_link", f"链接只能指向 http:// 或 https:// 网址，实际为 {href!r}")

    def handle_data(self, data: str) -> None:
        if self._title_of is not None:
            self._title += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "summary") and self._title_of is not None:
            # Without a title Python-Markdown prints the type in English ("Note").
            if self._title.strip().lower() == self._title_of.lower():
                example, english = f'{self._marker} {self._title_of} "说明"', self._title.strip()
                self._fail("markdown", f"提示框须在类型后写上中文标题，如 {example}（不写时会显示英文 {english!r}）")
            self._title_of, self._title = None, ""

    # Only raw HTML makes these, and render() refuses raw HTML before looking here; kept so that
    # the allowlist alone would refuse them too.
    def handle_comment(self, data: str) -> None:
        self._fail("markdown_html", _NOT_MARKDOWN)

    def handle_decl(self, decl: str) -> None:
        self._fail("markdown_html", _NOT_MARKDOWN)

    def handle_pi(self, data: str) -> None:
        self._fail("markdown_html", _NOT_MARKDOWN)

    def unknown_decl(self, data: str) -> None:
        self._fail("markdown_html", _NOT_MARKDOWN)


@dataclass(frozen=True)
class Rendered:
    """A text that may be published: its HTML and the anchors (``#id``, without ``#``) it links to."""

    html: str
    anchors: tuple[str, ...]


def render(text: str) -> Rendered:
    """Render staff Markdown with the site's extensions; raise :class:`MarkupError` if anything in it
    is more than Markdown's plain formatting, a link to an http(s) address or a ``#`` anchor."""
    text = _INVISIBLE.sub("", text)
    if len(text) > MAX_TEXT:
        # Python-Markdown's inline work grows with the square of the escapes in one text: the
        # loader's bound on a text also bounds that work for texts that do not come through it
        # (an importer's draft).
        raise MarkupError("markdown", f"文字过长（{len(text)} 字），一段文字最多 {MAX_TEXT} 字")
    output, stash = _convert(text)
    plain, plain_stash = _convert(text, raw_html=False)
    # Character references leave the HTML as it was but pass through as raw HTML all the same.
    raw = [piece for piece in stash if piece not in plain_stash]
    if plain != output or raw:
        piece = raw[0].strip() if raw else ""
        shown = f"，实际含有 {piece if len(piece) <= 60 else piece[:60] + '…'!r}" if piece else ""
        raise MarkupError("markdown_html", f"{_NOT_MARKDOWN}{shown}；需要显示 HTML 代码时请用反引号括起来，如 `<b>`")
    if _convert(text, attribute_lists=False)[0] != output:
        found = _ATTRIBUTE_LIST.findall(text)
        shown = f"，实际含有 {found[-1]!r}" if found else ""
        raise MarkupError("markdown", f"不能使用属性列表（花括号写法）{shown}；需要显示花括号时请在前面加反斜杠，如 \\{{")
    inspector = _Inspector()
    inspector.feed(output)
    inspector.close()
    if inspector.error is not None:
        raise inspector.error
    return Rendered(html=output, anchors=tuple(inspector.anchors))


def to_html(text: str) -> str:
    """The HTML a page embeds for ``text``: :func:`render`'s, in one block element of its own."""
    return f'<div class="{WRAPPER_CLASS}">\n{render(text).html}\n</div>'
