"""Turn the text of an official notice (.txt or .docx) into a draft data file.

The parser is deliberately forgiving: :mod:`generator.import_text` normalises punctuation,
numbers and spaces and finds headings (also when one ran into the previous line), tables (pipe
rows, tab-separated rows or one cell per line) and page furniture; this module maps the sections
onto the data model. Whatever it cannot map goes into ``extra_sections`` and into the report, so
nothing of the source is lost. It never raises on odd input: only :class:`ImportFailure`, for
input it cannot use at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.draft import PLACEHOLDER
from generator.import_text import (
    ATTACHMENT,
    CN_NUMERAL,
    ITEM,
    MESSAGE_HEADERS,
    RANK_HEADERS,
    ImportFailure,
    chinese_int,
    clean_name,
    find_period,
    find_title,
    fullwidth,
    normalise,
    read_source,
    sections_of,
    split_run_in_headings,
    strip_furniture,
    table_rows,
    to_decimal,
    to_int,
)

__all__ = ["Draft", "ImportFailure", "Report", "chinese_int", "find_period", "parse_notice", "read_source"]


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


def _kind(heading: str) -> str:
    if re.match(r"附件[::]", heading):
        return "attachment_list"
    if re.fullmatch(ATTACHMENT, heading):
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
    return to_int(match.group(1)) if match else None


def _search_decimal(pattern: str, text: str) -> Decimal | None:
    match = re.search(pattern, text)
    return to_decimal(match.group(1)) if match else None


def _value(value: Any, label: str, report: Report) -> Any:
    if value is None:
        report.missing.append(label)
        return PLACEHOLDER
    return value


_LINE_VERB = r"(?:共)?(?:接听来电|受理|接听|解答群众法律咨询|解答(?:群众)?\S{0,6}咨询)"


def _line(text: str, report: Report) -> dict[str, Any] | None:
    # Names and notes are short: bounded, so that a sentence of many "热线(" is not read again
    # from each of them to its end (quadratic).
    match = re.match(rf"^(\d{{5,6}})(\S{{0,30}}?热线(?:电话)?)(?:\(([^)]{{0,60}})\))?{_LINE_VERB}\s*([\d,\s]+)人次", text)
    if not match:
        return None
    number, name, note, contacts = match.groups()
    line: dict[str, Any] = {"number": number, "name": fullwidth(name), "kind": "main" if number == "12345" else "parallel"}
    if note:
        line["note"] = fullwidth(note)
    key = "consultations" if "咨询" in text[match.start(4) - 8 : match.start(4)] else "calls"
    line[key] = to_int(contacts)
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
            "registered": _value(to_int(rest.split("件")[0]) if rest else None, "网络平台受理交办件数", report),
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
    # The platforms are a short list that never spans another "通过": so a line of many "通过"
    # is not read again from each of them to its end (quadratic).
    channels = re.search(r"通过((?:(?!通过).){1,200}?)等网络平台受理交办\s*([\d,\s]+)件,按时办结回复\s*([\d,\s]+)件", text)
    if channels:
        platforms = [fullwidth(clean_name(p)) for p in re.split(r"、|及|和", channels.group(1)) if p.strip()]
        intake["web_channels"] = {
            "platforms": platforms,
            "registered": to_int(channels.group(2)),
            "replied": to_int(channels.group(3)),
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
        category: dict[str, Any] = {"name": clean_name(name), "count": to_int(count), "share": to_decimal(share)}
        if topics:
            category["topics"] = [fullwidth(t.strip()) for t in topics.split("、") if t.strip()]
        result.append(category)
    return result


def _areas(text: str, districts: set[str]) -> tuple[list[dict[str, Any]], bool]:
    text = text.strip().rstrip("。")
    partial = text.endswith("等")
    text = text.removesuffix("等")
    result: list[dict[str, Any]] = []

    longest_first = sorted(districts, key=len, reverse=True)

    def district_of(part: str) -> tuple[str, str] | None:
        for known in longest_first:
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
        match = ITEM.match(line)
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
            "topic": fullwidth(clean_name(topic)),
            "example": fullwidth(parts["典型案例"]) or _value(None, f"案例“{topic}”的典型案例", report),
            "handling": fullwidth(parts["处办情况"]) or _value(None, f"案例“{topic}”的处办情况", report),
        }
        if parts["难办原因"]:
            reasons = [re.sub(rf"^[{CN_NUMERAL}]+是", "", r.strip()).rstrip("。") for r in re.split(r";", parts["难办原因"])]
            case["reasons"] = [fullwidth(r) for r in reasons if r]
        if parts["涉及区域"]:
            areas, partial = _areas(parts["涉及区域"], districts)
            case["areas"] = areas
            if partial:
                case["areas_partial"] = True
        result.append(case)
    return result


def _work_updates(lines: list[str], report: Report) -> list[dict[str, Any]]:
    # The text of each update is gathered in pieces and joined once: appending to a string
    # line by line copies it each time (quadratic in the lines of one update).
    updates: list[tuple[str, list[str]]] = []
    for line in lines:
        match = re.match(rf"^[{CN_NUMERAL}]+是(.+?)。(.*)$", line)
        if match:
            updates.append((fullwidth(match.group(1)), [fullwidth(match.group(2).strip())]))
        elif updates:
            updates[-1][1].append(fullwidth(line))
        else:
            report.unmapped.append(f"工作动态中无法识别的一行:{line}")
    return [{"title": title, "text": "".join(pieces)} for title, pieces in updates]


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
        if "网络单位" in line or (all(h in "".join(lines[index : index + 3]) for h in RANK_HEADERS) and "考核总分" in line):
            rows, index = table_rows(lines, index, 3, RANK_HEADERS)
            group_title = pending_title or PLACEHOLDER
            group: dict[str, Any] = {"title": fullwidth(group_title), "group": _group_of(group_title) or PLACEHOLDER, "rows": []}
            for unit, score, rank in rows:
                group["rows"].append({"unit": clean_name(unit), "score": to_decimal(score), "rank": to_int(rank)})
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
            rows, end = table_rows(lines, index, 4, MESSAGE_HEADERS)
            for unit, total, replied, unreplied in rows:
                row = {"total": to_int(total), "replied": to_int(replied), "unreplied": to_int(unreplied)}
                if clean_name(unit) in ("合计", "总计"):
                    table["total_row"] = {"label": clean_name(unit), **row}
                else:
                    table["rows"].append({"unit": clean_name(unit), **row})
            for leftover in lines[end:]:
                report.unmapped.append(f"附件中无法识别的一行:{leftover}")
            return table
    report.missing.append("网络留言办理情况表")
    return table


# --- the whole notice ------------------------------------------------------------------------


def parse_notice(text: str, *, period: str | None = None, districts: frozenset[str] = frozenset()) -> Draft:
    """The draft data of one notice's text; raises :class:`ImportFailure` without a period."""
    report = Report()
    lines = [line for line in normalise(text).split("\n") if line]
    lines = split_run_in_headings(lines)
    lines, dropped, published = strip_furniture(lines)
    report.mapped.extend(f"略去网页附加内容:{line[:40]}" for line in dropped)
    title, used = find_title(lines)
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
    for section in sections_of(body):
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
                if 0 < number <= len(attachment_titles)
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


_THRESHOLD = re.compile(r"低于本组最高分\s*(\d+(?:\.\d+)?)%")


def _thresholds(text: str) -> Iterator[tuple[str, str]]:
    """(the words before "组排名最后", the percentage) of each "…组排名最后…低于本组最高分85%" in
    one clause. Found with plain searches that each start where the last one ended, so the work
    is linear in the text (a regular expression with two lazy gaps took minutes on a long line)."""
    for clause in re.split("[;\uff1b\u3002]", text):
        start = 0
        while (last := clause.find("组排名最后", start)) >= 0:
            threshold = _THRESHOLD.search(clause, last + len("组排名最后"))
            if threshold is None:
                break
            comma = max(clause.rfind(",", start, last), clause.rfind("\uff0c", start, last))
            yield clause[max(comma + 1, start) : last], threshold.group(1)
            start = threshold.end()


def _apply_thresholds(data: dict[str, Any]) -> None:
    """The notice names a score line per group in its work updates ("低于本组最高分85%")."""
    text = "".join(update.get("text", "") for update in data.get("work_updates", []))
    rankings = data.get("rankings")
    if not isinstance(rankings, dict):
        return
    for words, percent in _thresholds(text):
        group = _group_of(words + "组")
        for item in rankings.get("groups", []):
            if item.get("group") == group:
                rows = item.pop("rows")
                item["threshold_percent"] = to_decimal(percent)
                item["rows"] = rows
