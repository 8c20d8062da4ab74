"""Recognisers of what other offices write: the month's total as a sentence, requests by nature
and by field, lists of rates, channels and top-N units printed in a line, and channels one a
line. Each says what it took; :mod:`generator.importer` keeps the rest verbatim."""

from __future__ import annotations

import re
from typing import Any

from generator import import_pds as pds
from generator.import_keep import unaccounted
from generator.import_pds import Notes
from generator.import_records import Context, Report, Section, Taken
from generator.import_text import FlatTable, SourceLine, clean_name, find_tables, fullwidth, to_decimal, to_int

_NUMBER = r"(\d{1,3}(?:,\d{3}){1,5}|\d{1,3}(?: \d{3}){1,3}|\d+)"
_TOTAL = re.compile(rf"(?:(?:共|累计|合计)(?:受理|接收|接听|收到|办理)|受理各类)[^。;,\d]{{0,20}}?{_NUMBER}\s*(件|人次|个|条)")


_CHANGE = re.compile(r"(同比|环比|较上月)\s*(增长|增加|上升|下降|减少)\s*(\d{1,3}(?:,\d{3}){1,5}|\d+(?:\.\d{1,2})?)\s*(%|件)")
_BASES = {"同比": "year_on_year", "环比": "month_on_month", "较上月": "previous_month"}
_SPLIT = re.compile(rf"(有效|无效)(?:诉求|工单|来电|件)?\s*:?\s*{_NUMBER}\s*件")
# What a sentence with the month's total says besides the lists in it （2月份，县12345热线共接收…）.
_INTAKE_WORDS = re.compile(
    rf"{_TOTAL.pattern}|{_CHANGE.pattern}|{_SPLIT.pattern}|\d{{1,2}}\s*月份?|[市县区]?\s*12345\s*[\u4e00-\u9fff]{{0,8}}?热线|其中"
)


def _intake_details(text: str) -> dict[str, Any]:
    """同比增长 5.2%, 环比下降 3.1%, 较上月增加 432 件 and 有效/无效 splits after the total."""
    details: dict[str, Any] = {}
    changes = []
    for match in _CHANGE.finditer(text):
        change: dict[str, Any] = {
            "basis": _BASES[match.group(1)],
            "direction": "down" if match.group(2) in ("下降", "减少") else "up",
        }
        number = match.group(3)
        change |= {"percent": to_decimal(number)} if match.group(4) == "%" else {"count": to_int(number)}
        changes.append(change)
    if changes:
        details["changes"] = changes
    for match in _SPLIT.finditer(text):
        details.setdefault("valid" if match.group(1) == "有效" else "invalid", to_int(match.group(2)))
    return details


def intake_sentence(section: Section, context: Context) -> Taken | None:
    """共受理群众各类诉求 N 件 / 共接收…工单 N 件 / 受理各类来电 N 件: the month's total, with the
    同比/环比/较上月 changes and the 有效/无效 split printed after it."""
    if "intake" in context.data or section.kind not in ("intake", "unknown", "container"):
        return None
    for line in section.lines:
        match = _TOTAL.search(line.text)
        if match:
            total = to_int(match.group(1))
            intake = context.data["intake"] = {"total": total} | _intake_details(line.text[match.end() :])
            labels = {"year_on_year": "同比", "month_on_month": "环比", "previous_month": "较上月"}
            extra = ["、".join(labels[change["basis"]] for change in intake.get("changes", []))]
            extra.append("、".join(label for key, label in (("valid", "有效"), ("invalid", "无效")) if key in intake))
            extra = [part for part in extra if part]
            shown = "\uff08" + "\uff1b".join(extra) + "\uff09" if extra else ""
            summary = f"受理总量：{total} {match.group(2)}{shown}"
            return Taken(summary, intake, "intake")
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
    """Requests by nature （咨询、求助、投诉…） and by field （城市管理类…）, one per line or many."""
    if section.kind not in ("categories", "intake", "unknown", "container"):
        return None
    notes = Notes()
    fields: list[dict[str, Any]] = []
    natures: list[list[str]] = []
    taken = 0
    caption: str | None = None
    label: str | None = None  # "按诉求性质分：" just before a list: the caption of its table
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
    others: list[list[str]] = []
    if fields and "categories" not in context.data:
        context.data["categories"] = fields
        values.append(fields)
        summary.append(f"诉求类型：{len(fields)} 类")
    elif fields:
        others = [[f["name"], str(f["count"]), f"{f['share']}%"] for f in fields]
    if natures and "natures" not in context.data:
        context.data["natures"] = [
            {"name": name, "count": to_int(count)} | ({"share": to_decimal(share[:-1])} if share != "—" else {})
            for name, count, share in natures
        ]
        values.append(context.data["natures"])
        summary.append(f"按性质分的诉求：{len(natures)} 类")
    else:
        others = natures + others
    if others:
        heading = fullwidth(section.heading.text) if section.heading else "诉求分类"
        table = ({"caption": fullwidth(caption)} if caption else {}) | {"columns": ["类别", "件数", "占比"], "rows": others}
        context.extras.append({"after": "categories", "heading": heading, "table": table})
        values.append(others)
        summary.append(f"诉求分类表（extra_sections）：{len(others)} 类")
    # The "按诉求性质分：" label above the list is what the natures' own table says.
    return Taken("\uff1b".join(summary), [*values, caption], "categories", notes)


# The whole name as printed, from the start of its clause: "部门满意率" and "群众满意率" are two
# different rates, not two 满意率.
_RATE = re.compile(
    r"(?<![\u4e00-\u9fff])(?:其中|以及|及|和|与|本月|当月|全月|月内)?"
    r"([\u4e00-\u9fff]{0,10}?(?:接通|办结|解答|满意|回访|回复|联系)率)\s*(?:为|达到|达|是)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*%"
)
# The name as printed, with the 渠道/平台 some offices write after it （电话渠道 8000 件）.
_CHANNEL = re.compile(
    r"((?:电话|微信|网站|App|APP|短信|邮件|来信|来访|上级派发|省长热线|市长热线|政民互动|市长信箱|网民留言|小程序|公众号)"
    r"(?:渠道|平台)?)"
    rf"\s*:?\s*{_NUMBER}\s*(件|人次)"
)
# One channel a line under a heading （受理渠道 / 电话 8,000 件 / 电话:8000件(占66.7%)）.
_CHANNEL_LINE = re.compile(
    rf"{_CHANNEL.pattern}\s*,?\s*(?:\(\s*(?:占比|占)?\s*(\d{{1,3}}(?:\.\d{{1,2}})?)\s*%\s*\))?\s*[,;。、]?"
)
_CHANNEL_LEAD = re.compile(
    r"(?:[(\d一二三四五六七八九十、.)]*\s*)?(?:受理渠道|诉求来源|受理来源|渠道|来源)[\u4e00-\u9fff]{0,6}\s*:?"
)
_LIST_WORDS = re.compile(r"受理渠道|渠道|来源|其中|分别为|分别是|依次为|诉求|各项|指标|情况|如下|本月|月份")
_TOP = re.compile(rf"(?<=[:;,、])\s*([\u4e00-\u9fff]{{2,20}}?)\s*{_NUMBER}\s*(件)")
_TOP_LEAD = re.compile(r"^([^:]{1,40}?前[三五十\d]{1,2}[^:]{0,20}):")
LISTS: tuple[tuple[str, re.Pattern[str], list[str]], ...] = (
    ("各项比率", _RATE, ["指标", "比率"]),
    ("受理渠道", _CHANNEL, ["渠道", "件数"]),
    ("前几名", _TOP, ["单位", "件数"]),
)
"""Rates （接通率 96.8%…）, channels （电话 3,000 件、微信 600 件…） and top-N lists (办件量位于前三的
单位：住建局 99 件；…, captioned with the line's own lead) printed as lists in a line. In the
operations part (intake, categories) rates and channels go to the notice's ``rates`` and
``channels``; elsewhere they may be about one unit or table, so they stay tables under their
heading. Top-N lists carry their own lead and always go to ``top_lists``."""

_RATE_KINDS = {
    "接通率": "connection",
    "办结率": "completion",
    "按期办结率": "on_time_completion",
    "按时办结率": "on_time_completion",
    "直接办结率": "direct_completion",
    "直接解答率": "direct_answer",
    "满意率": "satisfaction",
    "不满意率": "dissatisfaction",
    "回访率": "callback",
    "回复率": "reply",
    "联系率": "contact",
}
"""The names that are exactly one standard measure. Any other name (部门满意率, 一次性接通率)
is a measure of its own: kept as printed, with no kind, so it is never shown or compared as one
of these."""
_SAME_MEASURE = ("诉求", "工单")
"""Words before a rate's name that say what was counted, not which measure: 诉求办结率 is 办结率."""
_COUNT_BEFORE = re.compile(rf"(?:^|(?<=[\s,;。:、]))([\u4e00-\u9fff]{{2,8}})\s*{_NUMBER}\s*件\s*[,;]?\s*$")


def _rate_kind(name: str) -> str | None:
    for prefix in ("", *_SAME_MEASURE):
        if name.startswith(prefix) and name[len(prefix) :] in _RATE_KINDS:
            return _RATE_KINDS[name[len(prefix) :]]
    return None


def _rates(text: str, matches: list[re.Match[str]], known: set[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Each rate, with the count printed just before it when that count is the rate's own
    （按时办结 8,700 件，按时办结率 99.3%; 回访 6,000 件，满意率 97.5%）; and the text they took.
    A name already among the notice's rates is left in the text (kept verbatim): two rows with
    one name could not be told apart."""
    rates, taken, previous = [], [], 0
    for match in matches:
        name = match.group(1)
        if name in known:
            continue
        known.add(name)
        kind = _rate_kind(name)
        rate: dict[str, Any] = {"name": name} | ({"kind": kind} if kind else {}) | {"rate": to_decimal(match.group(2))}
        before = _COUNT_BEFORE.search(text[previous : match.start()])
        own = before is not None and (
            before.group(1) == name[:-1] or (before.group(1) == "回访" and kind in ("satisfaction", "dissatisfaction"))
        )
        if before is not None and own:
            rate |= {"count_label": before.group(1), "count": to_int(before.group(2))}
            taken.append(before.group())
        rates.append(rate)
        taken.append(match.group())
        previous = match.end()
    return rates, taken


def lists(
    lines: list[SourceLine],
    heading: str,
    after: str,
    context: Context,
    report: Report,
    *,
    took: tuple[set[int], Any] = (set(), None),
) -> list[SourceLine]:
    """Fields or tables for each list of rates, channels or top units in these lines; returns the
    lines still to be kept verbatim (all but those that held nothing but the lists). ``took``: the
    lines a recogniser took and the values it put into the draft; such a line whose other figures
    are all in these lists is not kept a second time （共接收工单 8,765 件…按时办结率 99.3%）."""
    rest: list[SourceLine] = []
    operations = after in ("intake", "categories")
    if operations:
        lines = _channel_lines(lines, context, report)
    for line in lines:
        residue, found, mapped = line.text, False, []
        for name, pattern, columns in LISTS:
            lead = _TOP_LEAD.match(line.text) if pattern is _TOP else None
            matches = list(pattern.finditer(line.text)) if pattern is not _TOP or lead else []
            if len(matches) < (1 if pattern is _RATE and operations else 2):
                continue
            taken = [match.group() for match in matches]
            if pattern is _RATE and operations:
                known = {rate["name"] for rate in context.data.get("rates", [])}
                rates, taken = _rates(line.text, matches, known)
                if not rates:
                    continue
                context.data.setdefault("rates", []).extend(rates)
                mapped.append(rates)
                report.mapped.append(f"第 {line.number} 行的{name}：{len(rates)} 项")
            elif pattern is _CHANNEL and operations:
                channels = [{"name": m.group(1), "count": to_int(m.group(2)), "unit": m.group(3)} for m in matches]
                context.data.setdefault("channels", []).extend(channels)
                mapped.append(channels)
                report.mapped.append(f"第 {line.number} 行的{name}：{len(channels)} 项")
            elif lead:
                items = [{"name": m.group(1), "count": to_int(m.group(2))} for m in matches]
                context.data.setdefault("top_lists", []).append({"caption": fullwidth(lead.group(1)), "items": items})
                mapped.append(items)
                report.mapped.append(f"第 {line.number} 行的{name}：{len(items)} 项")
                taken.append(lead.group())
            else:
                rows = [[m.group(1), m.group(2) + ("%" if pattern is _RATE else m.group(3))] for m in matches]
                table = {"caption": name, "columns": columns, "rows": rows}
                context.extras.append({"after": after, "heading": heading, "table": table})
                report.mapped.append(f"第 {line.number} 行的{name}：{len(rows)} 项（extra_sections 表格）")
            for text in taken:
                residue = residue.replace(text, " ", 1)
            found = True
        leftover = _LIST_WORDS.sub("", re.sub(r"[\s\W\d]+", "", residue))
        if leftover and line.number in took[0] and mapped and not unaccounted([line], [took[1], mapped]):
            # The total's sentence and the lists share the line: nothing else in it, it is placed.
            leftover = _LIST_WORDS.sub("", re.sub(r"[\s\W\d]+", "", _INTAKE_WORDS.sub(" ", residue)))
        if not found or leftover:
            rest.append(line)
        else:
            context.placed.add(line.number)
    return rest


def _channel_lines(lines: list[SourceLine], context: Context, report: Report) -> list[SourceLine]:
    """Channels written one a line （电话 8,000 件 / 微信：1,200 件（占10.0%）…）, two or more in a
    row, go to the notice's ``channels`` with the lead line above them （受理渠道：）; returns the
    other lines."""
    rest: list[SourceLine] = []
    index = 0
    while index < len(lines):
        matches: list[re.Match[str]] = []
        while index + len(matches) < len(lines) and (found := _CHANNEL_LINE.fullmatch(lines[index + len(matches)].text)):
            matches.append(found)
        if len(matches) < 2:
            rest.append(lines[index])
            index += 1
            continue
        end = index + len(matches)
        channels = [
            {"name": m.group(1), "count": to_int(m.group(2)), "unit": m.group(3)}
            | ({"share": to_decimal(m.group(4))} if m.group(4) else {})
            for m in matches
        ]
        context.placed.update(line.number for line in lines[index:end])
        first = lines[index].number
        if rest and rest[-1].number == first - 1 and _CHANNEL_LEAD.fullmatch(rest[-1].text):
            first = rest.pop().number
            context.placed.add(first)
        context.data.setdefault("channels", []).extend(channels)
        report.mapped.append(f"第 {first}\u2013{lines[end - 1].number} 行的受理渠道（每行一项）：{len(channels)} 项")
        index = end
    return rest


_SOURCE_HEADERS = ("渠道", "来源", "受理渠道", "诉求来源", "渠道名称")
_COUNT_HEADERS = ("件数", "数量", "受理量", "受理件数")


def _channel_table(table: FlatTable) -> list[dict[str, Any]] | None:
    """渠道 | 件数 | 占比 (the share optional): one channel a row, every cell a clean figure."""
    columns = [column.strip() for column in table.columns]
    if columns[0] not in _SOURCE_HEADERS or len(columns) not in (2, 3) or columns[1] not in _COUNT_HEADERS:
        return None
    if len(columns) == 3 and columns[2] != "占比":
        return None
    channels = []
    for row in table.rows:
        count = to_int(row[1])
        share = to_decimal(row[2].rstrip("%")) if len(row) == 3 and row[2].endswith("%") else None
        if not row[0].strip() or row[0].strip() in ("合计", "总计") or count is None or (len(row) == 3 and share is None):
            return None
        channels.append({"name": clean_name(row[0]), "count": count} | ({"share": share} if share is not None else {}))
    return channels


def channel_tables(section: Section, context: Context) -> Taken | None:
    """A table of channels or sources （渠道 | 件数 | 占比）, in any of the three flattened forms."""
    if section.kind not in ("intake", "categories", "unknown", "container"):
        return None
    lines = [line.text for line in section.lines]
    taken: set[int] = set()
    channels: list[dict[str, Any]] = []
    for table in find_tables(lines):
        found = _channel_table(table)
        if found is not None:
            channels += found
            taken.update(range(table.start, table.end))
    if not channels:
        return None
    context.data.setdefault("channels", []).extend(channels)
    notes = Notes(leftover=[text for index, text in enumerate(lines) if index not in taken])
    return Taken(f"受理渠道表：{len(channels)} 项", channels, "intake", notes)
