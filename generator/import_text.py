"""The text side of importing a notice: reading .txt and .docx, normalising punctuation and
numbers, and finding headings, sections, table rows and page furniture. :mod:`generator.importer`
maps the result onto the data model.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from generator.errors import GeneratorError
from generator.render import visible

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "一二三四五六七八九十"
TOP = re.compile(rf"^([{CN_NUMERAL}]+)、\s*(.+)$")
SUB = re.compile(rf"^\(([{CN_NUMERAL}]+)\)\s*(.+)$")
ATTACHMENT = r"附件\s*\d{1,2}"
"""The heading of a numbered attachment ("附件1")."""
ITEM = re.compile(r"^(\d{1,2})[.、]\s*(\S.*)$")
_FURNITURE = re.compile(
    r"(首页\s*[>›»]|当前位置|您现在的位置|来源[::]|发布时间|发布日期|浏览次数|阅读次数|点击数|字号|【\s*字体|打印本页|关闭窗口|分享到|"
    r"版权所有|ICP备|网站标识码|主办单位|承办单位[::]|联系我们|网站地图|技术支持|公安备案|扫一扫)"
)
_DATE_LINE = re.compile(
    r"^(?:发布(?:时间|日期)[::])?\s*(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$"
)


class ImportFailure(GeneratorError):
    """The input cannot be used at all (no period found, unreadable file)."""


# --- normalising -----------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Half-width digits, letters and punctuation (NFKC), no invisible or control characters, one space."""
    text = visible(unicodedata.normalize("NFKC", text)).replace("\u2028", "").replace("\u2029", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    return "\n".join(re.sub(r"[ \t]+", lambda m: "\t" if "\t" in m.group() else " ", line).strip() for line in text.split("\n"))


def fullwidth(text: str) -> str:
    """Chinese punctuation as the original prints it: full width, except inside numbers (8:30, 1,000)."""
    text = re.sub(r"(?<!\d),|,(?!\d)", ",", text)
    text = re.sub(r"(?<!\d):|:(?!\d)", ":", text)
    return text.replace(";", ";").replace("(", "(").replace(")", ")").replace("!", "!").replace("?", "?")


# No figure of a notice has more digits; a longer run is not a number of the notice (and
# Python refuses to convert more than 4,300 digits to an integer).
_MAX_DIGITS = 15


def to_int(text: str) -> int | None:
    digits = re.sub(r"[\s,]", "", text)
    return int(digits) if re.fullmatch(rf"\d{{1,{_MAX_DIGITS}}}", digits) else None


def to_decimal(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s,%]", "", text)
    if len(cleaned) > _MAX_DIGITS + 1 or not re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def clean_name(text: str) -> str:
    return re.sub(r"\s+", "", text)


def chinese_int(text: str) -> int | None:
    """八 → 8, 十二 → 12, 二〇二三 → 2023 (digit by digit), 2023 → 2023."""
    if text.isdigit():
        return int(text)
    if text and all(c in _CN_DIGITS for c in text) and len(text) > 2:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        if (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS.get(text) if len(text) == 1 else None


def find_period(text: str) -> str | None:
    """The first "YYYY年M月" in the text, in Arabic or Chinese numerals."""
    for match in re.finditer(r"([0-9〇零一二三四五六七八九]{4})\s*年\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月", text):
        year, month = chinese_int(match.group(1)), chinese_int(match.group(2))
        if year and month and 1900 < year < 2200 and 1 <= month <= 12:
            return f"{year:04d}-{month:02d}"
    return None


def split_run_in_headings(lines: list[str]) -> list[str]:
    """A heading pasted onto the end of the previous paragraph goes onto its own line."""
    pattern = re.compile(
        rf"(?<=[。;!?])\s*(?=[{CN_NUMERAL}]+、|\([{CN_NUMERAL}]+\)|附件:|附件\s*\d\s*$|附件\s*\d\s+\S|\d[.、]\S{{1,12}}问题$)"
    )
    result: list[str] = []
    for line in lines:
        result.extend(part.strip() for part in pattern.split(line) if part.strip())
    return result


# --- tables ----------------------------------------------------------------------------------

RANK_HEADERS = ("考核总分", "排名")
MESSAGE_HEADERS = ("办件总数", "已回复", "未回复")


def split_cells(line: str) -> list[str] | None:
    if "|" in line:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        return None if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) else cells
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return None


def table_rows(lines: list[str], start: int, width: int, headers: tuple[str, ...]) -> tuple[list[list[str]], int]:
    """Rows of a table whose header is at ``start``; returns them and the index after the table.

    Handles pipe or tab rows, a header split over two lines (merged cells), and one cell per line.
    """
    index = start
    header_text = ""
    while index < len(lines) and index < start + 2 + width and not all(h in header_text for h in headers):
        header_text += lines[index]
        index += 1
    rows: list[list[str]] = []
    if (index < len(lines) and split_cells(lines[index]) is not None) or (split_cells(lines[start]) is not None):
        while index < len(lines):
            cells = split_cells(lines[index])
            if cells is None:
                break
            cells = [c for c in cells if c != ""] if len(cells) > width else cells
            if len(cells) >= width and not any(h in "".join(cells) for h in headers):
                rows.append(cells[:width])
            elif any(h in "".join(cells) for h in headers):
                pass  # a second header line of merged cells
            else:
                break
            index += 1
        return rows, index
    # One cell per line: take groups of `width` lines while the numbers parse.
    while index + width <= len(lines):
        group = lines[index : index + width]
        if to_decimal(group[1]) is None or any(split_cells(cell) is not None for cell in group):
            break
        rows.append(group)
        index += width
    return rows, index


# --- sections --------------------------------------------------------------------------------


@dataclass
class Section:
    heading: str
    lines: list[str]


def sections_of(lines: list[str]) -> list[Section]:
    """Top-level parts, sub-parts and attachments, each with the lines under it."""
    sections: list[Section] = [Section("", [])]
    for line in lines:
        if TOP.match(line) or SUB.match(line) or re.fullmatch(ATTACHMENT, line) or re.match(r"附件[::]", line):
            sections.append(Section(line, []))
        else:
            sections[-1].lines.append(line)
    return sections


def strip_furniture(lines: list[str]) -> tuple[list[str], list[str], str | None]:
    """Drop breadcrumbs, footers and date lines: the body, the dropped lines, a publication date."""
    published = None
    body: list[str] = []
    dropped: list[str] = []
    for line in lines:
        date = _DATE_LINE.match(line)
        if date:
            published = f"{int(date.group(1)):04d}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"
            continue
        if _FURNITURE.search(line) and not TOP.match(line):
            dropped.append(line)
            continue
        body.append(line)
    return body, dropped, published


def find_title(lines: list[str]) -> tuple[str | None, int]:
    """The title (joined when split over two lines) and how many lines it takes."""
    for index, line in enumerate(lines[:6]):
        if "通报" in line and "热线" in "".join(lines[max(0, index - 1) : index + 1]):
            if index > 0 and "热线" in lines[index - 1] and "通报" not in lines[index - 1] and not TOP.match(lines[index - 1]):
                return lines[index - 1] + line, index + 1
            return line, index + 1
        if TOP.match(line):
            break
    return None, 0


MAX_CHARACTERS = 300_000
"""The longest text the importer reads: thirty times a long notice. Longer input is refused
before parsing, so that hostile input is answered at once."""
MAX_LINES = 3_000
"""The most lines the importer reads: twenty times a long notice (each line may become a section
of the draft)."""
MAX_DOCX_BYTES = 50_000_000
"""A .docx may carry images; its parts, unpacked, may not exceed this (a zip bomb is refused
before it is unpacked)."""
MAX_DOCX_ELEMENTS = 30_000
"""The most paragraphs, runs and table cells a .docx may have (a long notice has a few thousand):
python-docx reads each with Python code, so they are counted first, by the C parser."""
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_source(path: Path) -> str:
    """The text of a .txt (UTF-8, GB18030 as Chinese Windows writes it, or UTF-16 with a byte
    order mark, Notepad's "Unicode") or .docx file, at most :data:`MAX_CHARACTERS` long and :data:`MAX_LINES` lines."""
    try:
        info = path.stat()
    except OSError as error:
        reason = "文件不存在" if isinstance(error, FileNotFoundError) else (error.strerror or str(error))
        raise ImportFailure(f"无法读取 {path}（{reason}）") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportFailure(f"{path} 不是普通文件，不能导入")
    docx = path.suffix.lower() == ".docx"
    limit = MAX_DOCX_BYTES if docx else 4 * MAX_CHARACTERS
    if info.st_size > limit:
        raise ImportFailure(f"{path} 有 {info.st_size} 字节，超过一期通报原文的上限 {limit} 字节，没有导入")
    try:
        text = _docx_text(path) if docx else _decode(path, path.read_bytes())
    except OSError as error:
        raise ImportFailure(f"无法读取 {path}（{error.strerror or error}）") from None
    if len(text) > MAX_CHARACTERS:
        raise ImportFailure(f"{path} 有 {len(text)} 个字符，超过一期通报原文的上限 {MAX_CHARACTERS} 个字符，没有导入")
    lines = len(text.splitlines())
    if lines > MAX_LINES:
        raise ImportFailure(f"{path} 有 {lines} 行，超过一期通报原文的上限 {MAX_LINES} 行，没有导入")
    return text


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif raw.startswith(b"PK\x03\x04"):
        raise ImportFailure(f"{path} 是压缩文件（可能是 .docx），不是文本；若是 Word 文件，请把扩展名改为 .docx")
    elif b"\x00" not in raw:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise ImportFailure(f"{path} 不是 UTF-8、GB18030 或带 BOM 的 UTF-16 编码的文本，请另存为 UTF-8 编码的 .txt 后再导入")


def _count_elements(stream: IO[bytes]) -> int:
    """Paragraphs, runs and table cells, counted up to one more than the limit; any other
    element counts as an eighth of one (a real document has a few per run)."""
    blocks = others = 0
    for _, element in ElementTree.iterparse(stream):
        if element.tag in (f"{_WORD}p", f"{_WORD}r", f"{_WORD}tc"):
            blocks += 1
        else:
            others += 1
        element.clear()
        if blocks + others // 8 > MAX_DOCX_ELEMENTS:
            break
    return blocks + others // 8


def _docx_text(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(path) as package:
            # Sizes as the archive declares them; zipfile never unpacks more than declared.
            unpacked = sum(entry.file_size for entry in package.infolist())
            if unpacked > MAX_DOCX_BYTES:
                raise ImportFailure(f"{path} 解压后有 {unpacked} 字节，超过一期通报原文的上限 {MAX_DOCX_BYTES} 字节，没有导入")
            with package.open("word/document.xml") as stream:
                elements = _count_elements(stream)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as error:
        raise ImportFailure(f"{path} 不是有效的 .docx 文件（{error}）") from None
    if elements > MAX_DOCX_ELEMENTS:
        raise ImportFailure(f"{path} 的段落、文字块、表格单元格等远多于一期通报（上限约 {MAX_DOCX_ELEMENTS} 个），没有导入")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError, SyntaxError) as error:
        # SyntaxError: lxml's XMLSyntaxError, for broken or too deeply nested XML.
        raise ImportFailure(f"{path} 不是有效的 .docx 文件（{error}）") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    if cell._tc is not previous:  # a merged cell is listed once per grid column it spans
                        cells.append(cell.text.strip())
                    previous = cell._tc
                lines.append(" | ".join(cells) + " |")
    return "\n".join(lines)
