"""Raw HTML blocks of a generated page, set aside while Markdown converts the rest.

The generator writes tables, charts and key figures as finished HTML blocks. Python-Markdown
passes raw HTML through unchanged, but only after feeding every block through ``html.parser``,
and MkDocs feeds the whole page through it once more to collect anchor ids: about three quarters
of Markdown's time on a notice page. :func:`set_aside` swaps each block for a one-line
placeholder paragraph (and collects the block's ids), :func:`put_back` swaps the converted
placeholders back, so the page comes out byte for byte as Markdown alone would have written it
(``tests/test_rawhtml.py`` compares every generated page both ways).

A block is taken exactly where Python-Markdown would also see a raw block: a line that starts at
its first column with a block-level tag, after a blank line, through the line that closes that tag,
before a blank line. Anything else is left to Markdown.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from markdown.util import BLOCK_LEVEL_ELEMENTS

BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
"""The tags that open a raw HTML block for Python-Markdown."""
_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s>/])")
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)>")
_ANCHOR_ATTRIBUTE = re.compile(r"(?<![\w-])(id|name)=\"([^\"]*)\"")


@dataclass(frozen=True)
class SetAside:
    """A page's Markdown with its raw HTML blocks replaced by placeholders."""

    markdown: str
    blocks: Mapping[str, str]
    """Placeholder → the HTML block it stands for."""
    ids: frozenset[str]
    """Ids an address can point at (``#id``) inside the blocks, as MkDocs would have found them."""


def _normalised(block: str) -> str:
    # What Python-Markdown's first preprocessor does to the whole text before it sees a block.
    return block.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "").replace("\x03", "").expandtabs(4)


def _end(lines: list[str], start: int, tag: str) -> int | None:
    """The line that closes the ``tag`` opened on line ``start``, if it ends that line and the block."""
    opening = re.compile(rf"<{tag}(?=[\s>/])", re.IGNORECASE)
    closing = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for index in range(start, len(lines)):
        line = lines[index]
        depth += len(opening.findall(line)) - len(closing.findall(line))
        if depth <= 0:
            ends_block = index + 1 == len(lines) or not lines[index + 1].strip()
            return index if line.rstrip().lower().endswith(f"</{tag.lower()}>") and ends_block else None
    return None


def set_aside(markdown: str) -> SetAside:
    """Replace every raw HTML block of ``markdown`` with a placeholder paragraph."""
    lines = markdown.split("\n")
    # A placeholder no page text can contain: derived from the page, checked against it.
    salt = hashlib.sha256(markdown.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    out: list[str] = []
    blocks: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _START.match(line)
        end = None
        if match and match[1].lower() in BLOCK_TAGS and (index == 0 or not lines[index - 1].strip()) and "markdown=" not in line:
            end = _end(lines, index, match[1])
        if end is None:
            out.append(line)
            index += 1
            continue
        token = f"hotlinerawhtml{salt}x{len(blocks)}"
        if token in markdown:
            raise ValueError(f"placeholder {token} occurs in the page")
        # Python-Markdown keeps the newline after a block, unless the page ends there.
        blocks[token] = _normalised("\n".join(lines[index : end + 1])) + ("\n" if end < last else "")
        out.append(token)
        index = end + 1
    ids = frozenset(
        html.unescape(value)
        for block in blocks.values()
        for tag, attributes in _TAG.findall(block)
        for attribute, value in _ANCHOR_ATTRIBUTE.findall(attributes)
        if attribute == "id" or tag.lower() == "a"
    )
    return SetAside(markdown="\n".join(out), blocks=blocks, ids=ids)


def put_back(converted: str, blocks: Mapping[str, str]) -> str:
    """The converted page with each placeholder paragraph replaced by its HTML block."""
    for token, block in blocks.items():
        paragraph = f"<p>{token}</p>"
        if paragraph in converted:
            converted = converted.replace(paragraph, block, 1)
        elif token in converted:
            converted = converted.replace(token, block, 1)
        else:
            raise ValueError(f"placeholder {token} is missing from the converted page")
    return converted
