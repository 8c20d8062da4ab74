"""Turn the text of an official notice (.txt or .docx) into a draft data file.

The parser is deliberately forgiving: it normalises punctuation, numbers and spaces, finds the
sections by their headings (also when a heading ran into the previous line), reads tables given
as pipe rows, tab-separated rows or one cell per line, and skips page furniture. Whatever it
cannot map goes into ``extra_sections`` and into the report, so nothing of the source is lost.
It never raises on odd input: only :class:`ImportFailure`, for input it cannot use at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from generator.draft import PLACEHOLDER
from generator.errors import GeneratorError

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMERAL = "一二三四五六七八九十"
_TOP = re.compile(rf"^([{_CN_NUMERAL}]+)、\s*(.+)$")
_SUB = re.compile(rf"^\(([{_CN_NUMERAL}]+)\)\s*(.+)$")
_ITEM = re.compile(r"^(\d{1,2})[.、]\s*(\S.*)$")
_FURNITURE = re.compile(
    r"(首页\s*[>›»]|当前位置|您现在的位置|来源[::]|发布时间|发布日期|浏览次数|阅读次数|点击数|字号|【\s*字体|打印本页|关闭窗口|分享到|"
    r"版权所有|ICP备|网站标识码|主办单位|承办单位[::]|联系我们|网站地图|技术支持|公安备案|扫一扫)"
)
_DATE_LINE = re.compile(
    r"^(?:发布(?:时间|日期)[::])?\s*(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$"
)


class ImportFailure(GeneratorError):
    """The input cannot be used at all (no period found, unreadable file)."""


@dataclass
class Report:
    """What the import did, for the person who runs it."""

    mapped: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class Draft:
    data: dict[str, Any]
    report: Report


# --- normalising -----------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Half-width digits, letters and punctuation (NFKC), no zero-width characters, one space."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u200b-\u200f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]", "", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    return "\n".join(re.sub(r"[ \t]+", lambda m: "\t" if "\t" in m.group() else " ", line).strip() for line in text.split("\n"))


def fullwidth(text: str) -> str:
    """Chinese punctuation as the original prints it: full width, except inside numbers (8:30, 1,000)."""
    text = re.sub(r"(?<!\d),|,(?!\d)", ",", text)
    text = re.sub(r"(?<!\d):|:(?!\d)", ":", text)
    return text.replace(";", ";").replace("(", "(").replace(")", ")").replace("!", "!").replace("?", "?")


def _number(text: str) -> int | None:
    digits = re.sub(r"[\s,]", "", text)
    return int(digits) if re.fullmatch(r"\d+", digits) else None


def _decimal(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s,%]", "", text)
    if not re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _name(text: str) -> str:
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
        rf"(?<=[。;!?])\s*(?=[{_CN_NUMERAL}]+、|\([{_CN_NUMERAL}]+\)|附件:|附件\s*\d\s*$|附件\s*\d\s+\S|\d[.、]\S{{1,12}}问题$)"
    )
    result: list[str] = []
    for line in lines:
        result.extend(part.strip() for part in pattern.split(line) if part.strip())
    return result


# --- tables ----------------------------------------------------------------------------------

_RANK_HEADERS = ("考核总分", "排名")
_MESSAGE_HEADERS = ("办件总数", "已回复", "未回复")


def _cells(line: str) -> list[str] | None:
    if "|" in line:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        return None if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) else cells
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return None


def _table_rows(lines: list[str], start: int, width: int, headers: tuple[str, ...]) -> tuple[list[list[str]], int]:
    """Rows of a table whose header is at ``start``; returns them and the index after the table.

    Handles pipe or tab rows, a header split over two lines (merged cells), and one cell per line.
    """
    index = start
    header_text = ""
    while index < len(lines) and index < start + 2 + width and not all(h in header_text for h in headers):
        header_text += lines[index]
        index += 1
    rows: list[list[str]] = []
    if (index < len(lines) and _cells(lines[index]) is not None) or (_cells(lines[start]) is not None):
        while index < len(lines):
            cells = _cells(lines[index])
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
        if _decimal(group[1]) is None or any(_cells(cell) is not None for cell in group):
            break
        rows.append(group)
        index += width
    return rows, index


# --- sections --------------------------------------------------------------------------------


@dataclass
class _Section:
    heading: str
    lines: list[str]


def _sections(lines: list[str]) -> list[_Section]:
    """Top-level parts, sub-parts and attachments, each with the lines under it."""
    sections: list[_Section] = [_Section("", [])]
    for line in lines:
        if _TOP.match(line) or _SUB.match(line) or re.fullmatch(r"附件\s*\d+", line) or re.match(r"附件[::]", line):
            sections.append(_Section(line, []))
        else:
            sections[-1].lines.append(line)
    return sections


def _kind(heading: str) -> str:
    if re.match(r"附件[::]", heading):
        return "attachment_list"
    if re.fullmatch(r"附件\s*\d+", heading):
        return "attachment"
    if "热点" in heading:
        return "hot"
    if "难点" in heading:
        return "difficult"
    if "诉求" in heading or "分布" in heading or "类型" in heading:
        return "categories"
    if "接听" in heading or "受理" in heading:
        return "intake"
    if "动态" in heading or "工作开展" in heading or "重点工作" in heading:
        return "work_updates"
    if "运行" in heading or "案例" in heading:
        return "container"
    return "unknown"


# --- mapping ---------------------------------------------------------------------------------


def _search_number(pattern: str, text: str) -> int | None:
    match = re.search(pattern, text)
    return _number(match.group(1)) if match else None


def _search_decimal(pattern: str, text: str) -> Decimal | None:
    match = re.search(pattern, text)
    return _decimal(match.group(1)) if match else None


def _value(value: Any, label: str, report: Report) -> Any:
    if value is None:
        report.missing.append(label)
        return PLACEHOLDER
    return value


_LINE_VERB = r"(?:共)?(?:接听来电|受理|接听|解答群众法律咨询|解答(?:群众)?\S{0,6}咨询)"


def _line(text: str, report: Report) -> dict[str, Any] | None:
    match = re.match(rf"^(\d{{5,6}})(\S*?热线(?:电话)?)(?:\(([^)]*)\))?{_LINE_VERB}\s*([\d,\s]+)人次", text)
    if not match:
        return None
    number, name, note, contacts = match.groups()
    line: dict[str, Any] = {"number": number, "name": fullwidth(name), "kind": "main" if number == "12345" else "parallel"}
    if note:
        line["note"] = fullwidth(note)
    key = "consultations" if "咨询" in text[match.start(4) - 8 : match.start(4)] else "calls"
    line[key] = _number(contacts)
    for field_name, pattern in (("registered", r"登记交办\s*([\d,\s]+)件"), ("completed", r"已办结\s*([\d,\s]+)件")):
        value = _search_number(pattern, text)
        if value is not None:
            line[field_name] = value
    for field_name, pattern in (
        ("on_time_completion_rate", r"按期办结率\s*([\d.]+)%"),
        ("completion_rate", r"(?<!按期)办结率\s*([\d.]+)%"),
        ("satisfaction_rate", r"满意率\s*([\d.]+)%"),
    ):
        rate = _search_decimal(pattern, text)
        if rate is not None:
            line[field_name] = rate
    return line


def _intake(text: str, report: Report) -> dict[str, Any]:
    lead, _, rest = text.partition("网络平台受理交办")
    intake: dict[str, Any] = {
        "total": _value(_search_number(r"共受理各类来电来信\s*([\d,\s]+)件", text), "受理各类来电来信总数", report),
        "phone": {
            "calls": _value(_search_number(r"接听电话\s*([\d,\s]+)人次", lead), "接听电话人次", report),
            "registered": _value(_search_number(r"登记交办\s*([\d,\s]+)件", lead), "登记交办件数", report),
            "completed": _value(_search_number(r"已办结\s*([\d,\s]+)件", lead), "已办结件数", report),
            "completion_rate": _value(_search_decimal(r"办结率\s*([\d.]+)%", lead), "办结率", report),
        },
        "web": {
            "registered": _value(_number(rest.split("件")[0]) if rest else None, "网络平台受理交办件数", report),
            "replied": _value(_search_number(r"按时办结回复\s*([\d,\s]+)件", rest), "网络平台办结回复件数", report),
            "reply_rate": _value(_search_decimal(r"回复率\s*([\d.]+)%", rest), "办理回复率", report),
        },
    }
    satisfaction = _search_decimal(r"满意率\s*([\d.]+)%", lead)
    if satisfaction is not None:
        intake["phone"]["satisfaction_rate"] = satisfaction
    lines = []
    for sentence in re.split(r"[;。\n]", text):
        sentence = re.sub(r"^\S*?(?:热线电话)?中,", "", sentence.strip()) if "并行" in sentence else sentence.strip()
        parsed = _line(sentence, report)
        if parsed is not None:
            lines.append(parsed)
    intake["lines"] = lines or [{"number": PLACEHOLDER, "name": PLACEHOLDER, "kind": "main", "calls": PLACEHOLDER}]
    if not lines:
        report.missing.append("各条热线的数字")
    channels = re.search(r"通过(.+?)等网络平台受理交办\s*([\d,\s]+)件,按时办结回复\s*([\d,\s]+)件", text)
    if channels:
        platforms = [fullwidth(_name(p)) for p in re.split(r"、|及|和", channels.group(1)) if p.strip()]
        intake["web_channels"] = {
            "platforms": platforms,
            "registered": _number(channels.group(2)),
            "replied": _number(channels.group(3)),
        }
    return intake


def _categories(lines: list[str], report: Report) -> list[dict[str, Any]]:
    result = []
    for line in lines:
        match = re.match(r"^(\S+?类)\s*([\d,\s]+)件,?占比\s*([\d.]+)%[。,]?(?:主要涉及(.+?)等(?:问题)?[。]?)?$", line)
        if not match:
            report.unmapped.append(f"诉求类型中无法识别的一行:{line}")
            continue
        name, count, share, topics = match.groups()
        category: dict[str, Any] = {"name": _name(name), "count": _number(count), "share": _decimal(share)}
        if topics:
            category["topics"] = [fullwidth(t.strip()) for t in topics.split("、") if t.strip()]
        result.append(category)
    return result


def _areas(text: str, districts: set[str]) -> tuple[list[dict[str, Any]], bool]:
    text = text.strip().rstrip("。")
    partial = text.endswith("等")
    text = text.removesuffix("等")
    result: list[dict[str, Any]] = []

    def district_of(part: str) -> tuple[str, str] | None:
        for known in sorted(districts, key=len, reverse=True):
            if part.startswith(known):
                return known, part[len(known) :]
        match = re.match(r"^(\S{1,4}?[区县市])(.*)$", part)
        return (match.group(1), match.group(2)) if match else None

    for part in (p.strip() for p in text.split(";") if p.strip()):
        names = part.split("、")
        if all(district_of(n) and not district_of(n)[1] for n in names):  # type: ignore[index]
            result.extend({"district": n} for n in names)
            continue
        found = district_of(part)
        if found is None:
            result.append({"district": PLACEHOLDER, "places": [fullwidth(p) for p in names]})
            continue
        district, rest = found
        area: dict[str, Any] = {"district": district}
        if rest:
            area["places"] = [fullwidth(p) for p in rest.split("、") if p]
        result.append(area)
    return result, partial


def _cases(kind: str, lines: list[str], districts: set[str], report: Report) -> list[dict[str, Any]]:
    cases: list[tuple[str, list[str]]] = []
    for line in lines:
        match = _ITEM.match(line)
        if match and not re.match(r"^\d+[.、](典型案例|处办情况|难办原因|涉及区域)", line):
            cases.append((match.group(2), []))
        elif cases:
            cases[-1][1].append(line)
        else:
            report.unmapped.append(f"案例前无法识别的一行:{line}")
    result = []
    for topic, body in cases:
        text = "".join(body)
        parts = dict.fromkeys(("典型案例", "处办情况", "难办原因", "涉及区域"), "")
        pieces = re.split(r"(典型案例|处办情况|难办原因|涉及区域(?:有)?)[::]", text)
        for label, content in zip(pieces[1::2], pieces[2::2], strict=False):
            parts[label.removesuffix("有")] = content.strip()
        case: dict[str, Any] = {
            "kind": kind,
            "topic": fullwidth(_name(topic)),
            "example": fullwidth(parts["典型案例"]) or _value(None, f"案例“{topic}”的典型案例", report),
            "handling": fullwidth(parts["处办情况"]) or _value(None, f"案例“{topic}”的处办情况", report),
        }
        if parts["难办原因"]:
            reasons = [re.sub(rf"^[{_CN_NUMERAL}]+是", "", r.strip()).rstrip("。") for r in re.split(r";", parts["难办原因"])]
            case["reasons"] = [fullwidth(r) for r in reasons if r]
        if parts["涉及区域"]:
            areas, partial = _areas(parts["涉及区域"], districts)
            case["areas"] = areas
            if partial:
                case["areas_partial"] = True
        result.append(case)
    return result


def _work_updates(lines: list[str], report: Report) -> list[dict[str, Any]]:
    result = []
    for line in lines:
        match = re.match(rf"^[{_CN_NUMERAL}]+是(.+?)。(.*)$", line)
        if match:
            result.append({"title": fullwidth(match.group(1)), "text": fullwidth(match.group(2).strip())})
        elif result:
            result[-1]["text"] += fullwidth(line)
        else:
            report.unmapped.append(f"工作动态中无法识别的一行:{line}")
    return result


_GROUPS = (
    ("district", ("各区考核", "各区组", "区组")),
    ("department", ("市直", "驻平")),
    ("street", ("乡镇", "街道")),
    ("county", ("分中心", "县")),
)


def _group_of(title: str) -> str | None:
    for group, words in _GROUPS:
        if any(word in title for word in words):
            return group
    return None


def _rankings(lines: list[str], title: str, report: Report) -> dict[str, Any]:
    groups = []
    index = 0
    pending_title: str | None = None
    while index < len(lines):
        line = lines[index]
        if "网络单位" in line or (all(h in "".join(lines[index : index + 3]) for h in _RANK_HEADERS) and "考核总分" in line):
            rows, index = _table_rows(lines, index, 3, _RANK_HEADERS)
            group_title = pending_title or PLACEHOLDER
            group: dict[str, Any] = {"title": fullwidth(group_title), "group": _group_of(group_title) or PLACEHOLDER, "rows": []}
            for unit, score, rank in rows:
                group["rows"].append({"unit": _name(unit), "score": _decimal(score), "rank": _number(rank)})
            groups.append(group)
            pending_title = None
            continue
        if pending_title is not None:
            report.unmapped.append(f"附件中无法识别的一行:{pending_title}")
        pending_title = line
        index += 1
    if pending_title is not None:
        report.unmapped.append(f"附件中无法识别的一行:{pending_title}")
    return {"title": fullwidth(title), "groups": groups}


def _web_messages(lines: list[str], title: str, report: Report) -> dict[str, Any]:
    table: dict[str, Any] = {"title": fullwidth(title), "rows": []}
    for index, line in enumerate(lines):
        if "承办单位" in line or "办件总数" in line:
            rows, end = _table_rows(lines, index, 4, _MESSAGE_HEADERS)
            for unit, total, replied, unreplied in rows:
                row = {"total": _number(total), "replied": _number(replied), "unreplied": _number(unreplied)}
                if _name(unit) in ("合计", "总计"):
                    table["total_row"] = {"label": _name(unit), **row}
                else:
                    table["rows"].append({"unit": _name(unit), **row})
            for leftover in lines[end:]:
                report.unmapped.append(f"附件中无法识别的一行:{leftover}")
            return table
    report.missing.append("网络留言办理情况表")
    return table


# --- the whole notice ------------------------------------------------------------------------


def _strip_furniture(lines: list[str], report: Report) -> tuple[list[str], str | None]:
    """Drop breadcrumbs, footers and date lines; return the body and a publication date if any."""
    published = None
    body = []
    for line in lines:
        date = _DATE_LINE.match(line)
        if date:
            published = f"{int(date.group(1)):04d}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"
            continue
        if _FURNITURE.search(line) and not _TOP.match(line):
            report.mapped.append(f"略去网页附加内容:{line[:40]}")
            continue
        body.append(line)
    return body, published


def _title(lines: list[str]) -> tuple[str | None, int]:
    """The title (joined when split over two lines) and how many lines it takes."""
    for index, line in enumerate(lines[:6]):
        if "通报" in line and "热线" in "".join(lines[max(0, index - 1) : index + 1]):
            if index > 0 and "热线" in lines[index - 1] and "通报" not in lines[index - 1] and not _TOP.match(lines[index - 1]):
                return lines[index - 1] + line, index + 1
            return line, index + 1
        if _TOP.match(line):
            break
    return None, 0


def parse_notice(text: str, *, period: str | None = None, districts: frozenset[str] = frozenset()) -> Draft:
    """The draft data of one notice's text; raises :class:`ImportFailure` without a period."""
    report = Report()
    lines = [line for line in normalise(text).split("\n") if line]
    lines = split_run_in_headings(lines)
    lines, published = _strip_furniture(lines, report)
    title, used = _title(lines)
    body = lines[used:]
    period = period or find_period(title or "") or find_period("\n".join(lines[:5]))
    if period is None:
        raise ImportFailure("文本中找不到通报所属的年月,请用 --period 指定,如 --period 2023-08")
    meta: dict[str, Any] = {
        "title": fullwidth(title) if title else _value(None, "通报标题", report),
        "period": period,
        "source": PLACEHOLDER,
    }
    report.missing.append("原文网址(meta.source)")
    if published:
        meta["published"] = published
    data: dict[str, Any] = {"meta": meta}
    known = set(districts)
    attachment_titles: list[str] = []
    extras: list[dict[str, Any]] = []
    last_section = "intake"
    for section in _sections(body):
        kind = _kind(section.heading) if section.heading else ("intake" if section.lines else "empty")
        text_of = "\n".join(section.lines)
        if kind == "intake" and ("共受理" in text_of or "接听" in text_of):
            data["intake"] = _intake(text_of, report)
            report.mapped.append(f"接听受理情况:{len(data['intake']['lines'])} 条热线")
        elif kind == "categories":
            data["categories"] = _categories(section.lines, report)
            report.mapped.append(f"诉求类型:{len(data['categories'])} 类")
        elif kind in ("hot", "difficult"):
            cases = _cases(kind, section.lines, known, report)
            data.setdefault("cases", []).extend(cases)
            report.mapped.append(f"{'热点' if kind == 'hot' else '难点'}问题:{len(cases)} 个案例")
        elif kind == "work_updates":
            data["work_updates"] = _work_updates(section.lines, report)
            report.mapped.append(f"工作动态:{len(data['work_updates'])} 项")
        elif kind == "attachment_list":
            first = re.sub(r"^附件[::]\s*", "", section.heading)
            for item in [first, *section.lines]:
                attachment_titles.append(re.sub(r"^\d+[.、]\s*", "", item))
        elif kind == "attachment":
            number = int(re.sub(r"\D", "", section.heading))
            title_of = (
                attachment_titles[number - 1]
                if number - 1 < len(attachment_titles)
                else (section.lines[0] if section.lines else "")
            )
            if any("网络单位" in line or "考核总分" in line for line in section.lines):
                data["rankings"] = _rankings(section.lines, title_of, report)
                report.mapped.append(f"附件{number}(考核结果):{len(data['rankings']['groups'])} 个分组")
            elif any("承办单位" in line or "办件总数" in line for line in section.lines):
                lines_of = section.lines[1:] if section.lines and section.lines[0] == title_of else section.lines
                data["web_messages"] = _web_messages(lines_of, title_of, report)
                report.mapped.append(f"附件{number}(网络留言办理情况):{len(data['web_messages']['rows'])} 个单位")
            else:
                extras.append(
                    {
                        "after": "web_messages" if "web_messages" in data else "rankings",
                        "heading": fullwidth(section.heading),
                        "text": _markdown(section.lines),
                    }
                )
                report.unmapped.append(f"未能识别的附件:{section.heading}")
        elif kind in ("container", "empty"):
            if section.lines and kind == "container":
                extras.append({"after": last_section, "heading": fullwidth(section.heading), "text": _markdown(section.lines)})
                report.unmapped.append(f"“{section.heading}”下未能识别的文字")
        else:
            if section.lines or section.heading:
                extras.append(
                    {
                        "after": last_section,
                        "heading": fullwidth(section.heading or "其他内容"),
                        "text": _markdown(section.lines or [section.heading]),
                    }
                )
                report.unmapped.append(f"未能识别的部分:{section.heading or (section.lines[0][:30] if section.lines else '')}")
        last_section = (
            {"hot": "cases", "difficult": "cases"}.get(kind, kind)
            if kind in ("intake", "categories", "hot", "difficult", "work_updates")
            else last_section
        )
    if "intake" not in data:
        report.missing.append("接听受理情况")
        data["intake"] = _intake("", report)
    _apply_thresholds(data)
    order = ("meta", "intake", "categories", "cases", "work_updates", "rankings", "web_messages")
    ordered = {key: data[key] for key in order if key in data}
    if extras:
        ordered["extra_sections"] = extras
    return Draft(ordered, report)


def _markdown(lines: list[str]) -> str:
    # The escape hatch takes Markdown; source text is kept as paragraphs, with Markdown's own
    # characters escaped so it shows exactly as written.
    escaped = [re.sub(r"([\\`*_{}\[\]<>#|!])", r"\\\1", fullwidth(line)) for line in lines]
    return "\n\n".join(escaped) or PLACEHOLDER


def _apply_thresholds(data: dict[str, Any]) -> None:
    """The notice names a score line per group in its work updates ("低于本组最高分85%")."""
    text = "".join(update.get("text", "") for update in data.get("work_updates", []))
    rankings = data.get("rankings")
    if not isinstance(rankings, dict):
        return
    for match in re.finditer(r"([^;。,]*?)组排名最后[^;。]*?低于本组最高分\s*(\d+(?:\.\d+)?)%", text):
        group = _group_of(match.group(1) + "组")
        for item in rankings.get("groups", []):
            if item.get("group") == group:
                rows = item.pop("rows")
                item["threshold_percent"] = _decimal(match.group(2))
                item["rows"] = rows


def read_source(path: Path) -> str:
    """The text of a .txt (UTF-8, or GB18030 as Chinese Windows writes it) or .docx file."""
    if not path.is_file():
        raise ImportFailure(f"无法读取 {path}(文件不存在)")
    try:
        if path.suffix.lower() == ".docx":
            return _docx_text(path)
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFailure(f"无法读取 {path}({error.strerror or error})") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailure(f"{path} 既不是 UTF-8 也不是 GB18030 编码的文本")


def _docx_text(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as error:
        raise ImportFailure(f"{path} 不是有效的 .docx 文件({error})") from None
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
