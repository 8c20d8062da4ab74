"""Recognisers of what other offices write: the month's total as a sentence, requests by nature
and by field, and lists of rates, channels and top-N units printed in a line. Each says what it
took; :mod:`generator.importer` keeps the rest verbatim."""

from __future__ import annotations

import re
from typing import Any

from generator import import_pds as pds
from generator.import_pds import Notes
from generator.import_records import Context, Report, Section, Taken
from generator.import_text import SourceLine, fullwidth, to_decimal, to_int

_NUMBER = r"(\d{1,3}(?:,\d{3}){1,5}|\d{1,3}(?: \d{3}){1,3}|\d+)"
_TOTAL = re.compile(rf"(?:(?:共|累计|合计)(?:受理|接收|接听|收到|办理)|受理各类)[^。;,\d]{{0,20}}?{_NUMBER}\s*(件|人次|个|条)")


def intake_sentence(section: Section, context: Context) -> Taken | None:
    """共受理群众各类诉求 N 件 / 共接收…工单 N 件 / 受理各类来电 N 件: the month's total."""
    if "intake" in context.data or section.kind not in ("intake", "unknown", "container"):
        return None
    for line in section.lines:
        match = _TOTAL.search(line.text)
        if match:
            total = to_int(match.group(1))
            context.data["intake"] = {"total": total}
            return Taken(f"受理总量：{total} {match.group(2)}", {"total": total}, "intake")
    return None


_NATURES = ("咨询", "求助", "投诉", "建议", "举报", "感谢", "表扬", "意见", "其他", "其它")
_ITEM = re.compile(
    rf"([\u4e00-\u9fff]{{1,16}}?)\s*:?\s*{_NUMBER}\s*件\s*,?\s*\(?\s*(?:占比|占)?\s*(?:(\d{{1,3}}(?:\.\d{{1,2}})?)\s*%)?\)?"
)
_CONNECTORS = re.compile(r"^(?:其中|以及|及|和|与|分别为|分别是|依次为|为|是|按性质分|按领域分|按类别分|、)+")
_RESIDUE = re.compile(r"[^\W\d_]")


def _items(line: str) -> tuple[list[tuple[str, str, str, str | None]], bool]:
    """Classification items in a line: (nature or field, name, count as printed, share), and
    whether the line holds nothing else (connector words and punctuation aside)."""
    items: list[tuple[str, str, str, str | None]] = []
    residue = line
    for match in _ITEM.finditer(line):
        name = _CONNECTORS.sub("", match.group(1))
        nature = re.search(rf"(?:{'|'.join(_NATURES)})类?$", name)
        if nature and len(name) - len(nature.group()) <= 2:
            items.append(("nature", nature.group(), match.group(2), match.group(3)))
        elif name.endswith("类") and len(name) >= 3:
            items.append(("field", name, match.group(2), match.group(3)))
        else:
            continue
        residue = residue.replace(match.group(), " ", 1)
    residue = _CONNECTORS.sub("", re.sub(r"[\s\W]+", "", residue))
    return items, not _RESIDUE.search(re.sub(r"诉求|各类|其中|分别为|按性质分|按领域分|主要有|情况如下", "", residue))


def classification(section: Section, context: Context) -> Taken | None:
    """Requests by nature (咨询、求助、投诉…) and by field (城市管理类…), one per line or many."""
    if section.kind not in ("categories", "intake", "unknown", "container"):
        return None
    notes = Notes()
    fields: list[dict[str, Any]] = []
    natures: list[list[str]] = []
    taken = 0
    caption: str | None = None
    label: str | None = None  # "按诉求性质分:" just before a list: the caption of its table
    for line in section.lines:
        if label is not None:
            is_nature = any(kind == "nature" for kind, *_ in _items(line.text)[0])
            if is_nature and caption is None:
                caption = label.rstrip(":")
            else:
                notes.leftover.append(label)
            label = None
        if line.text.endswith(":") and len(line.text) <= 20 and not _items(line.text)[0]:
            label = line.text
            continue
        pds_category = pds.categories([line.text], Notes())
        if pds_category:
            fields.extend(pds_category)
            taken += 1
            continue
        items, whole = _items(line.text)
        for kind, name, count, share in items:
            if kind == "field" and share is not None:
                fields.append({"name": name, "count": to_int(count), "share": to_decimal(share)})
            else:
                natures.append([fullwidth(name), count, f"{share}%" if share is not None else "—"])
        if items:
            taken += 1
        if not items or not whole:
            notes.leftover.append(line.text)
    if label is not None:
        notes.leftover.append(label)
    if len(fields) + len(natures) < 2 or (section.kind != "categories" and taken < 1):
        return None
    values: list[Any] = []
    summary = []
    if fields and "categories" not in context.data:
        context.data["categories"] = fields
        values.append(fields)
        summary.append(f"诉求类型：{len(fields)} 类")
    elif fields:
        natures.extend([f["name"], str(f["count"]), f"{f['share']}%"] for f in fields)
    if natures:
        heading = fullwidth(section.heading.text) if section.heading else "诉求分类"
        table = ({"caption": fullwidth(caption)} if caption else {}) | {"columns": ["类别", "件数", "占比"], "rows": natures}
        context.extras.append({"after": "categories", "heading": heading, "table": table})
        values.append(natures)
        summary.append(f"诉求分类表（extra_sections）：{len(natures)} 类")
    return Taken("；".join(summary), [*values, caption], "categories", notes)


_RATE = re.compile(
    r"((?:按期|按时|直接)?(?:接通|办结|解答|满意|不满意|回访|回复|联系)率)\s*(?:为|达到|达|是)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*%"
)
_CHANNEL = re.compile(
    r"(电话|微信|网站|App|APP|短信|邮件|来信|来访|上级派发|省长热线|市长热线|政民互动|市长信箱|网民留言|小程序|公众号)"
    rf"\s*:?\s*{_NUMBER}\s*(件|人次)"
)
_LIST_WORDS = re.compile(r"受理渠道|渠道|来源|其中|分别为|分别是|依次为|诉求|各项|指标|情况|如下|本月|月份")
_TOP = re.compile(rf"(?<=[:;,、])\s*([\u4e00-\u9fff]{{2,20}}?)\s*{_NUMBER}\s*(件)")
_TOP_LEAD = re.compile(r"^([^:]{1,40}?前[三五十\d]{1,2}[^:]{0,20}):")
LISTS: tuple[tuple[str, re.Pattern[str], list[str]], ...] = (
    ("各项比率", _RATE, ["指标", "比率"]),
    ("受理渠道", _CHANNEL, ["渠道", "件数"]),
    ("前几名", _TOP, ["单位", "件数"]),
)
"""Rates (接通率 96.8%…), channels (电话 3,000 件、微信 600 件…) and top-N lists (办件量位于前三的
单位:住建局 99 件;…, captioned with the line's own lead) printed as lists in a line."""


def lists(lines: list[SourceLine], heading: str, after: str, context: Context, report: Report) -> list[SourceLine]:
    """A table for each list of rates or channels in these lines; returns the lines still to be
    kept verbatim (all but those that held nothing but the list)."""
    rest: list[SourceLine] = []
    for line in lines:
        residue, found = line.text, False
        for name, pattern, columns in LISTS:
            lead = _TOP_LEAD.match(line.text) if pattern is _TOP else None
            matches = list(pattern.finditer(line.text)) if pattern is not _TOP or lead else []
            if len(matches) < 2:
                continue
            rows = [[match.group(1), match.group(2) + ("%" if pattern is _RATE else match.group(3))] for match in matches]
            caption = fullwidth(lead.group(1)) if lead else name
            if lead:
                residue = residue.replace(lead.group(), " ", 1)
            table = {"caption": caption, "columns": columns, "rows": rows}
            context.extras.append({"after": after, "heading": heading, "table": table})
            report.mapped.append(f"第 {line.number} 行的{name}：{len(rows)} 项（extra_sections 表格）")
            for match in matches:
                residue = residue.replace(match.group(), " ", 1)
            found = True
        leftover = _LIST_WORDS.sub("", re.sub(r"[\s\W\d]+", "", residue))
        if not found or leftover:
            rest.append(line)
        else:
            context.placed.add(line.number)
    return rest
