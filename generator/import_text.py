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
from typing import IO, Any
from xml.etree import ElementTree

from generator.errors import GeneratorError
from generator.render import visible

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "一二三四五六七八九十"
TOP = re.compile(rf"^([{CN_NUMERAL}]+)、\s*(.+)$")
SUB = re.compile(rf"^\(([{CN_NUMERAL}]+)\)\s*(.+)$")
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


# A URL keeps its own punctuation: from its scheme over printable ASCII, up to the last character
# that is not punctuation ending the sentence around it.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[!-~]*[A-Za-z0-9/#=&_~%+*@$-])?")
# Written as escapes: editors and tools that normalise text would turn the characters into ASCII.
_FULL = str.maketrans({";": "\uff1b", "(": "\uff08", ")": "\uff09", "!": "\uff01", "?": "\uff1f"})


def fullwidth(text: str) -> str:
    """Chinese punctuation as the original prints it (after :func:`normalise` made it half width):
    full width, except inside numbers (1,000), times (8:30) and URLs."""
    pieces: list[str] = []
    at = 0
    for url in _URL.finditer(text):
        pieces += [_fullwidth(text[at : url.start()]), url.group()]
        at = url.end()
    return "".join([*pieces, _fullwidth(text[at:])])


def _fullwidth(text: str) -> str:
    text = re.sub(r"(?<!\d),|,(?!\d)", "\uff0c", text)
    text = re.sub(r"(?<!\d):|:(?!\d)", "\uff1a", text)
    return text.translate(_FULL)


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


@dataclass(frozen=True)
class SourceLine:
    """One line of the source, numbered as in the file the user gave (1-based)."""

    number: int
    text: str


def is_heading(line: str) -> bool:
    """Top-level parts (一、), sub-parts ((一)) and attachments (附件1, 附件:)."""
    return bool(TOP.match(line) or SUB.match(line) or re.fullmatch(r"附件\s*\d{1,2}", line) or re.match(r"附件[::]", line))


_COUNTED = re.compile(r"\d\s*(?:件|人次|%)")


def furniture(line: str) -> str | None:
    """What kind of page furniture a line is: a publication ``date``, other ``furniture``, or
    None. A line that counts something (件, 人次, %) is never furniture, whatever words it has."""
    if _DATE_LINE.match(line):
        return "date"
    if line.startswith("【网页附加内容】"):  # navigation, header or footer of a saved .html page
        return "furniture"
    if _FURNITURE.search(line) and not TOP.match(line) and not _COUNTED.search(line):
        return "furniture"
    return None


# The date in a portal's line of page details: 发布时间：2022-08-03 来源：… 浏览次数：321.
_PUBLISHED_IN = re.compile(r"发布(?:时间|日期)[::]\s*(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})(?!\d)")


def published_date(line: str) -> str | None:
    """The publication date of a date line, or of a line of page details that prints one."""
    date = _DATE_LINE.match(line) or _PUBLISHED_IN.search(line)
    return f"{int(date.group(1)):04d}-{int(date.group(2)):02d}-{int(date.group(3)):02d}" if date else None


def find_title(lines: list[str]) -> tuple[str | None, int, int]:
    """The title (joined when split over two lines) and the lines it takes, as start and end."""
    for index, line in enumerate(lines[:6]):
        if "通报" in line and "热线" in "".join(lines[max(0, index - 1) : index + 1]):
            if index > 0 and "热线" in lines[index - 1] and "通报" not in lines[index - 1] and not TOP.match(lines[index - 1]):
                return lines[index - 1] + line, index - 1, index + 1
            return line, index, index + 1
        if TOP.match(line):
            break
    return None, 0, 0


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
    order mark, Notepad's "Unicode"), .docx or saved .html file, at most :data:`MAX_CHARACTERS`
    long and :data:`MAX_LINES` lines."""
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
    if path.suffix.lower() in (".html", ".htm"):
        text = html_text(text)
    if len(text) > MAX_CHARACTERS:
        raise ImportFailure(f"{path} 有 {len(text)} 个字符，超过一期通报原文的上限 {MAX_CHARACTERS} 个字符，没有导入")
    lines = len(text.splitlines())
    if lines > MAX_LINES:
        raise ImportFailure(f"{path} 有 {lines} 行，超过一期通报原文的上限 {MAX_LINES} 行，没有导入")
    return text


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise ImportFailure(f"{path} 是压缩文件（可能是 .docx），不是文本；若是 Word 文件，请把扩展名改为 .docx")
    text = decode(raw)
    if text is None:
        raise ImportFailure(f"{path} 不是 UTF-8、GB18030 或带 BOM 的 UTF-16 编码的文本，请另存为 UTF-8 编码的 .txt 后再导入")
    return text


def decode(raw: bytes) -> str | None:
    """UTF-16 only with its BOM (without one it cannot be told from other bytes reliably); NUL
    bytes otherwise mean binary data, not text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in raw:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


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


def html_text(text: str) -> str:
    """The main text of a notice page saved from a portal: paragraphs as lines, table rows as
    pipe rows; scripts, styles and navigation left out (the furniture filter drops the rest)."""
    from generator.import_html import MainText

    parser = MainText()
    parser.feed(text)
    parser.close()
    return parser.text()


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
            lines.extend(_docx_table(block))
    return "\n".join(lines)


def _docx_table(table: Any) -> list[str]:
    """A Word table's rows, merged cells expanded as a saved page's are
    (:func:`generator.import_html.table_lines`): a cell merged across columns spans them
    (``w:gridSpan``), one merged down the rows spans those (``w:vMerge``, "restart" then "continue")."""
    from docx.table import _Cell

    from generator.import_html import GridCell, table_lines

    grid = []
    for tr in table._tbl.tr_lst:
        column, row = 0, []
        for tc in tr.tc_lst:
            row.append((column, tc, tc.grid_span, tc.vMerge))
            column += tc.grid_span
        grid.append(row)
    rows: list[list[GridCell]] = []
    for index, row in enumerate(grid):
        cells = []
        for column, tc, span, merge in row:
            if merge == "continue":
                continue  # covered by the cell that starts the merge above
            down = 1
            while (
                merge == "restart"
                and index + down < len(grid)
                and any(c == column and m == "continue" for c, _, _, m in grid[index + down])
            ):
                down += 1
            # Not capped at MAX_SPAN: the file itself says which cells a merge covers (the grid's
            # size is still bounded by table_lines).
            cells.append(GridCell(_Cell(tc, table).text.strip(), down, max(1, span)))
        rows.append(cells)
    return table_lines(rows)


# --- figures ---------------------------------------------------------------------------------

# Dates, times, list numbering and hotline numbers are not figures of the notice: "8月份",
# "8月10日", "1.", "附件2", "12345热线".
_DATES = re.compile(
    r"\d{4}\s*年|\d{1,2}\s*月份?|\d{1,2}\s*[日号]|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}:\d{2}|附件\s*\d{1,2}"
    r"|(?<!\d)\d{5,6}(?=[^\d,。;\uff0c\uff1b]{0,12}热线)"
)
_ENUMERATION = re.compile(r"^\s*(?:附件\s*[::]\s*)?\(?\d{1,2}[.、)](?!\d)")
# Thousands separators (56,644) and spaces before a unit (5 235件); a bare space between two
# numbers is a cell boundary, not a separator.
# Repetitions are bounded so that a hostile line of 200,000 digit groups is read in linear time.
FIGURE = re.compile(r"\d{1,3}(?:,\d{3}){1,5}(?![\d,])|\d{1,3}(?: \d{3}){1,3}(?=\s?(?:件|人次|个|次))|\d+(?:\.\d+)?")


def figures(text: str) -> list[Decimal]:
    """The figures in one line of text, in order, as values (56,644 → 56644; 99% → 99)."""
    values: list[Decimal] = []
    for match in FIGURE.finditer(_ENUMERATION.sub(" ", _DATES.sub(" ", text))):
        value = to_decimal(match.group().replace(" ", ""))
        if value is not None:
            values.append(value)
    return values


# --- generic tables --------------------------------------------------------------------------


@dataclass(frozen=True)
class FlatTable:
    """A table read from one of its flattened forms: where it starts and ends, header, rows."""

    start: int
    end: int
    columns: list[str]
    rows: list[list[str]]


# A change is printed with its sign (+3.1%, -2.0%, \u22122.0%).
_VALUE = re.compile(r"(?:[+\-\u2212]?\d[\d,]*(?:\.\d+)?\s*%?|/|-|—|--|)")


def is_value(cell: str) -> bool:
    """A cell that holds a figure (or says "not applicable")."""
    return bool(_VALUE.fullmatch(cell.strip()))


def _cell_of_line(line: str) -> list[str] | None:
    """One-cell-per-line forms: ``甲 |``, a bare ``|`` (a merged header cell), or a short paragraph."""
    stripped = line.strip()
    if stripped and set(stripped) <= {"|", " "}:
        return [""] * stripped.count("|")
    if stripped.endswith("|") and stripped.count("|") == 1:
        return [stripped[:-1].strip()]
    if "|" not in stripped and "\t" not in stripped and len(stripped) <= 24 and not re.search(r"[。;:]|,(?!\d)", stripped):
        return [stripped]
    return None


def _header(cells: list[str], width: int) -> list[str]:
    """One header row, or two (merged cells left blank) joined column by column."""
    if len(cells) == width:
        return [cell or f"第{i + 1}列" for i, cell in enumerate(cells)]
    top, bottom = cells[:width], cells[width:]
    filled: list[str] = []
    for cell in top:
        filled.append(cell or (filled[-1] if filled else ""))
    return [(f"{a} {b}".strip() if a != b else a) or f"第{i + 1}列" for i, (a, b) in enumerate(zip(filled, bottom, strict=True))]


def _grid(cells: list[str], start: int) -> tuple[int, list[str], list[list[str]]] | None:
    """Header and rows of a table given one cell at a time, from ``start``: the width is the one at
    which the header is one or two rows and every row is a name followed by figures."""
    # A header has at most two rows of at most nine columns: look no further for the first figure.
    window = cells[start : start + 20]
    first_value = next((i for i, cell in enumerate(window) if cell and is_value(cell)), None)
    if first_value is None or first_value < 2:
        return None
    header_length = first_value - 1
    best: tuple[int, list[str], list[list[str]]] | None = None
    for width in range(2, 10):
        if header_length not in (width, 2 * width):
            continue
        rows: list[list[str]] = []
        index = start + header_length
        while index + width <= len(cells):
            row = cells[index : index + width]
            if not row[0] or is_value(row[0]) or not all(is_value(cell) for cell in row[1:]):
                break
            rows.append(row)
            index += width
        if rows and (best is None or len(rows) * width + header_length > best[0]):
            best = (len(rows) * width + header_length, _header(window[:header_length], width), rows)
    return best


def find_tables(lines: list[str]) -> list[FlatTable]:
    """Tables in a run of lines, flattened one of three ways: a row per line with ``|`` (or tabs),
    a cell per line ending in ``|`` (merged header cells as bare pipes), a cell per paragraph."""
    tables: list[FlatTable] = []
    index = 0
    while index < len(lines):
        cells = split_cells(lines[index])
        if cells is not None and len([c for c in cells if c]) >= 2:
            end = index
            rows: list[list[str]] = []
            while end < len(lines):
                row = split_cells(lines[end])
                if row is None:
                    if re.fullmatch(r"\|?\s*:?-{2,}.*", lines[end].strip()):  # a Markdown rule row
                        end += 1
                        continue
                    break
                if len([c for c in row if c]) < 1:
                    break
                rows.append(row)
                end += 1
            width = max(len(row) for row in rows)
            if len(rows) >= 2:
                padded = [row + [""] * (width - len(row)) for row in rows]
                columns = [cell or f"第{i + 1}列" for i, cell in enumerate(padded[0])]
                tables.append(FlatTable(index, end, columns, padded[1:]))
                index = end
                continue
        run_end = index
        flat: list[str] = []
        owner: list[int] = []  # the line each cell came from
        while run_end < len(lines) and (cell_list := _cell_of_line(lines[run_end])) is not None:
            flat.extend(cell_list)
            owner.extend([run_end] * len(cell_list))
            run_end += 1
        if run_end - index < 4:
            index = max(run_end, index + 1)
            continue
        position = 0
        while position < len(flat):
            starts_a_line = position == 0 or owner[position] != owner[position - 1]
            grid = _grid(flat, position) if starts_a_line else None
            if grid is None:
                position += 1
                continue
            used, columns, rows = grid
            last = position + used - 1
            if last + 1 < len(flat) and owner[last + 1] == owner[last]:
                position += 1  # the table would end inside a line of bare pipes
                continue
            tables.append(FlatTable(owner[position], owner[last] + 1, columns, rows))
            position = last + 1
        index = run_end
    return tables
