"""Recognisers for the layout of Pingdingshan's notices (PDS), the layout the model was made
from: the intake paragraph, categories with their topics, cases, work updates, the ranking
attachment and the web-message attachment. Each takes one part of the notice and lists in
:class:`Notes` what it could not take; :mod:`generator.importer` keeps those lines verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.draft import PLACEHOLDER
from generator.import_text import (
    CN_NUMERAL,
    ITEM,
    MESSAGE_HEADERS,
    RANK_HEADERS,
    clean_name,
    fullwidth,
    table_rows,
    to_decimal,
    to_int,
)


@dataclass
class Notes:
    """What a recogniser found missing (to be filled in) and the lines it did not take."""

    missing: list[str] = field(default_factory=list)
    leftover: list[str] = field(default_factory=list)


def section_kind(heading: str) -> str:
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


def _search_number(pattern: str, text: str) -> int | None:
    match = re.search(pattern, text)
    return to_int(match.group(1)) if match else None


def _search_decimal(pattern: str, text: str) -> Decimal | None:
    match = re.search(pattern, text)
    return to_decimal(match.group(1)) if match else None


def _value(value: Any, label: str, notes: Notes) -> Any:
    if value is None:
        notes.missing.append(label)
        return PLACEHOLDER
    return value


_LINE_VERB = r"(?:共)?(?:接听来电|受理|接听|解答群众法律咨询|解答(?:群众)?\S{0,6}咨询)"


def _line(text: str, notes: Notes) -> dict[str, Any] | None:
    # Bounded name and note: a hostile line of many "热线(" stays linear.
    match = re.match(rf"^(\d{{5,6}})(\S{{0,30}}?热线(?:电话)?)(?:\(([^)]{{0,40}})\))?{_LINE_VERB}\s*([\d,\s]+)人次", text)
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


def intake(text: str, notes: Notes) -> dict[str, Any]:
    lead, _, rest = text.partition("网络平台受理交办")
    intake: dict[str, Any] = {
        "total": _value(_search_number(r"共受理各类来电来信\s*([\d,\s]+)件", text), "受理各类来电来信总数", notes),
        "phone": {
            "calls": _value(_search_number(r"接听电话\s*([\d,\s]+)人次", lead), "接听电话人次", notes),
            "registered": _value(_search_number(r"登记交办\s*([\d,\s]+)件", lead), "登记交办件数", notes),
            "completed": _value(_search_number(r"已办结\s*([\d,\s]+)件", lead), "已办结件数", notes),
            "completion_rate": _value(_search_decimal(r"办结率\s*([\d.]+)%", lead), "办结率", notes),
        },
        "web": {
            "registered": _value(to_int(rest.split("件")[0]) if rest else None, "网络平台受理交办件数", notes),
            "replied": _value(_search_number(r"按时办结回复\s*([\d,\s]+)件", rest), "网络平台办结回复件数", notes),
            "reply_rate": _value(_search_decimal(r"回复率\s*([\d.]+)%", rest), "办理回复率", notes),
        },
    }
    satisfaction = _search_decimal(r"满意率\s*([\d.]+)%", lead)
    if satisfaction is not None:
        intake["phone"]["satisfaction_rate"] = satisfaction
    lines = []
    for sentence in re.split(r"[;。\n]", text):
        sentence = re.sub(r"^\S*?(?:热线电话)?中,", "", sentence.strip()) if "并行" in sentence else sentence.strip()
        parsed = _line(sentence, notes)
        if parsed is not None:
            lines.append(parsed)
    intake["lines"] = lines or [{"number": PLACEHOLDER, "name": PLACEHOLDER, "kind": "main", "calls": PLACEHOLDER}]
    if not lines:
        notes.missing.append("各条热线的数字")
    channels = re.search(r"通过([^。;\n]{1,200}?)等网络平台受理交办\s*([\d,\s]+)件,按时办结回复\s*([\d,\s]+)件", text)
    if channels:
        platforms = [fullwidth(clean_name(p)) for p in re.split(r"、|及|和", channels.group(1)) if p.strip()]
        intake["web_channels"] = {
            "platforms": platforms,
            "registered": to_int(channels.group(2)),
            "replied": to_int(channels.group(3)),
        }
    return intake


def categories(lines: list[str], notes: Notes) -> list[dict[str, Any]]:
    result = []
    for line in lines:
        match = re.match(r"^(\S{1,20}?类)\s*([\d,\s]+)件,?占比\s*([\d.]+)%[。,]?(?:主要涉及(.+?)等(?:问题)?[。]?)?$", line)
        if not match:
            notes.leftover.append(line)
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


_LABELS = r"(典型案例|处办情况|难办原因|涉及区域)"


def cases(kind: str, lines: list[str], districts: set[str], notes: Notes) -> list[dict[str, Any]]:
    cases: list[tuple[str, list[str]]] = []
    for line in lines:
        match = ITEM.match(line)
        if match and not re.match(r"^\d+[.、](典型案例|处办情况|难办原因|涉及区域)", line):
            cases.append((match.group(2), []))
        elif cases and re.search("难办原因|涉及区域", "".join(cases[-1][1])) and not re.match(_LABELS, line):
            # Reasons and areas are lists: an unlabelled paragraph after them is neither.
            notes.leftover.append(line)
        elif cases:
            cases[-1][1].append(line)
        else:
            notes.leftover.append(line)
    result = []
    for topic, body in cases:
        text = "".join(body)
        parts = dict.fromkeys(("典型案例", "处办情况", "难办原因", "涉及区域"), "")
        pieces = re.split(r"(典型案例|处办情况|难办原因|涉及区域(?:有)?)[::]", text)
        for label, content in zip(pieces[1::2], pieces[2::2], strict=False):
            if parts[label.removesuffix("有")]:
                notes.leftover.extend(line for line in body if content.strip()[:20] in line)  # a label printed twice
                continue
            parts[label.removesuffix("有")] = content.strip()
        case: dict[str, Any] = {"kind": kind, "topic": fullwidth(clean_name(topic))}
        if pieces[0].strip():
            case["intro"] = fullwidth(pieces[0].strip())  # before the first label: kept in its place, in the case
        case |= {
            "example": fullwidth(parts["典型案例"]) or _value(None, f"案例“{topic}”的典型案例", notes),
            "handling": fullwidth(parts["处办情况"]) or _value(None, f"案例“{topic}”的处办情况", notes),
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


def work_updates(lines: list[str], notes: Notes) -> list[dict[str, Any]]:
    result = []
    for line in lines:
        match = re.match(rf"^[{CN_NUMERAL}]+是(.+?)。(.*)$", line)
        if match:
            result.append({"title": fullwidth(match.group(1)), "text": fullwidth(match.group(2).strip())})
        elif result:
            result[-1]["text"] += fullwidth(line)
        else:
            notes.leftover.append(line)
    return result


_GROUPS = (
    ("district", ("各区考核", "各区组", "区组")),
    ("department", ("市直", "驻平")),
    ("street", ("乡镇", "街道")),
    ("enterprise", ("企业",)),
    ("county", ("分中心", "县")),
)


def group_of(title: str) -> str | None:
    for group, words in _GROUPS:
        if any(word in title for word in words):
            return group
    return None


def _line_of(cells: list[str], lines: list[str]) -> list[str]:
    """The line a table row was read from (a row of one cell per line: its first cell)."""
    for line in lines:
        if all(cell in line for cell in cells):
            return [line]
    return [line for line in lines if line.strip().rstrip("|").strip() == cells[0]][:1]


def rankings(lines: list[str], title: str, notes: Notes) -> dict[str, Any]:
    groups = []
    index = 0
    pending_title: str | None = None
    while index < len(lines):
        line = lines[index]
        if "网络单位" in line or (all(h in "".join(lines[index : index + 3]) for h in RANK_HEADERS) and "考核总分" in line):
            start = index
            rows, index = table_rows(lines, index, 3, RANK_HEADERS)
            group_title = pending_title or PLACEHOLDER
            group: dict[str, Any] = {"title": fullwidth(group_title), "group": group_of(group_title) or PLACEHOLDER, "rows": []}
            for unit, score, rank in rows:
                if to_decimal(score) is None or to_int(rank) is None:
                    notes.leftover.extend(_line_of([unit, score, rank], lines[start:index]))
                    continue
                group["rows"].append({"unit": clean_name(unit), "score": to_decimal(score), "rank": to_int(rank)})
            groups.append(group)
            pending_title = None
            continue
        if pending_title is not None:
            notes.leftover.append(pending_title)
        pending_title = line
        index += 1
    if pending_title is not None:
        notes.leftover.append(pending_title)
    return {"title": fullwidth(title), "groups": groups}


def web_messages(lines: list[str], title: str, notes: Notes) -> dict[str, Any]:
    table: dict[str, Any] = {"title": fullwidth(title), "rows": []}
    for index, line in enumerate(lines):
        if "承办单位" in line or "办件总数" in line:
            rows, end = table_rows(lines, index, 4, MESSAGE_HEADERS)
            for unit, total, replied, unreplied in rows:
                row = {"total": to_int(total), "replied": to_int(replied), "unreplied": to_int(unreplied)}
                if None in row.values():
                    notes.leftover.extend(_line_of([unit, total, replied, unreplied], lines[index:end]))
                    continue
                if clean_name(unit) in ("合计", "总计"):
                    table["total_row"] = {"label": clean_name(unit), **row}
                else:
                    table["rows"].append({"unit": clean_name(unit), **row})
            notes.leftover.extend(lines[:index])
            notes.leftover.extend(lines[end:])
            return table
    notes.missing.append("网络留言办理情况表")
    return table


def apply_thresholds(data: dict[str, Any]) -> None:
    """The notice names a score line per group in its work updates ("低于本组最高分85%")."""
    text = "".join(update.get("text", "") for update in data.get("work_updates", []))
    ranking = data.get("rankings")
    if not isinstance(ranking, dict):
        return
    # Clause by clause, with str.partition: linear however long a hostile line is.
    for clause in re.split("[;\uff1b。]", text):
        head, found, rest = clause.partition("组排名最后")
        limit = re.search(r"低于本组最高分\s*(\d{1,3}(?:\.\d{1,4})?)%", rest) if found else None
        if limit is None:
            continue
        group = group_of(re.split("[,\uff0c]", head)[-1] + "组")
        for item in ranking.get("groups", []):
            if item.get("group") == group:
                rows = item.pop("rows")
                item["threshold_percent"] = to_decimal(limit.group(1))
                item["rows"] = rows
