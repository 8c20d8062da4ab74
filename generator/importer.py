"""Turn the text of an official notice (.txt, .docx or a saved .html page) into a draft data
file, losing nothing.

The pipeline: normalise the text into numbered lines; drop page furniture (breadcrumbs, footers,
ICP numbers), listing what was dropped; find the title and period; cut the body into sections at
its headings; give each section to the first recogniser in :data:`RECOGNISERS` that takes it.
A recogniser takes one shape of paragraph or table and says what it took and what it left.
Whatever no recogniser takes, and every line with a figure that did not reach the draft, is kept
verbatim in ``extra_sections`` under its own heading, in source order (tables as generic tables).
Last, every figure of the source is looked up in the draft itself (:func:`account`), so the
report cannot claim more than the draft holds; a figure that is nowhere in the draft is listed
with its line number and makes the ``import`` command exit 1.

It never raises on odd input: only :class:`ImportFailure`, for input it cannot use at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator import import_pds as pds
from generator.draft import PLACEHOLDER
from generator.import_pds import Notes
from generator.import_text import (
    ImportFailure,
    SourceLine,
    chinese_int,
    figures,
    find_period,
    find_tables,
    find_title,
    fullwidth,
    furniture,
    is_heading,
    normalise,
    published_date,
    read_source,
    split_cells,
    split_run_in_headings,
    to_decimal,
    to_int,
)

__all__ = ["Draft", "ImportFailure", "Report", "chinese_int", "find_period", "parse_notice", "read_source"]


@dataclass
class Report:
    """What the import did, for the person who runs it; built from what was taken."""

    mapped: list[str] = field(default_factory=list)
    """One line per recogniser that took a part: what it put into which field."""
    kept: list[str] = field(default_factory=list)
    """Lines kept verbatim in extra_sections, with their line numbers."""
    dropped: list[str] = field(default_factory=list)
    """Page furniture left out on purpose, with line numbers."""
    missing: list[str] = field(default_factory=list)
    """Fields left as 待填写 because the source does not give them."""
    figures: Counter[str] = field(default_factory=Counter)
    """How many figures of the source are in fields ("mapped"), kept as "text" or as "table"."""
    not_kept: list[str] = field(default_factory=list)
    """Figures of the source that are nowhere in the draft: "第 N 行:figure"."""

    @property
    def unmapped(self) -> list[str]:
        """Kept for callers of the first importer: the lines that were not mapped to fields."""
        return self.kept


@dataclass
class Draft:
    data: dict[str, Any]
    report: Report


@dataclass(frozen=True)
class Section:
    heading: SourceLine | None
    lines: list[SourceLine]
    kind: str


@dataclass
class Taken:
    """What one recogniser took from a section."""

    summary: str
    values: Any
    """What it put into the draft, for the figure check."""
    after: str
    """The fixed part of the notice its leftovers are kept after."""
    notes: Notes = field(default_factory=Notes)


@dataclass
class Context:
    data: dict[str, Any]
    districts: set[str]
    extras: list[dict[str, Any]] = field(default_factory=list)
    attachment_titles: list[str] = field(default_factory=list)
    attachment_list: list[SourceLine] = field(default_factory=list)
    attachment_summary: int | None = None
    placed: set[int] = field(default_factory=set)
    """Numbers of the lines that reached the draft: taken by a recogniser or kept."""
    used_titles: set[int] = field(default_factory=set)
    last: str = "intake"


Recogniser = Callable[[Section, Context], Taken | None]


def _text(section: Section) -> str:
    return "\n".join(line.text for line in section.lines)


def _lines(section: Section) -> list[str]:
    return [line.text for line in section.lines]


# --- recognisers of the PDS layout -----------------------------------------------------------


_PDS_INTAKE_LINE = re.compile(r"共受理各类来电来信|^\d{5,6}\S{0,20}?热线|并行热线|^通过\S{0,80}?网络平台受理交办")


def _pds_intake(section: Section, context: Context) -> Taken | None:
    text = _text(section)
    if section.kind != "intake" or "intake" in context.data or "共受理各类来电来信" not in text or "接听电话" not in text:
        return None
    # The paragraph is read for its figures, sentence shapes it knows; any other line is kept.
    notes = Notes(leftover=[line for line in _lines(section) if not _PDS_INTAKE_LINE.search(line)])
    intake = context.data["intake"] = pds.intake(text, notes)
    return Taken(f"接听受理情况:{len(intake['lines'])} 条热线", intake, "intake", notes)


def _pds_cases(section: Section, context: Context) -> Taken | None:
    if section.kind not in ("hot", "difficult"):
        return None
    notes = Notes()
    cases = pds.cases(section.kind, _lines(section), context.districts, notes)
    context.data.setdefault("cases", []).extend(cases)
    return Taken(f"{'热点' if section.kind == 'hot' else '难点'}问题:{len(cases)} 个案例", cases, "cases", notes)


def _pds_work_updates(section: Section, context: Context) -> Taken | None:
    if section.kind != "work_updates" or "work_updates" in context.data:
        return None
    notes = Notes()
    updates = pds.work_updates(_lines(section), notes)
    if not updates:
        return None
    context.data["work_updates"] = updates
    return Taken(f"工作动态:{len(updates)} 项", updates, "work_updates", notes)


def _attachment_list(section: Section, context: Context) -> Taken | None:
    if section.kind != "attachment_list" or section.heading is None:
        return None
    first = re.sub(r"^附件[::]\s*", "", section.heading.text)
    titles = [re.sub(r"^\d+[.、]\s*", "", item) for item in [first, *_lines(section)]]
    context.attachment_titles.extend(titles)
    context.attachment_list.extend([section.heading, *section.lines])
    # The titles reach the draft as the titles of the attachments recognised; when one is not
    # used, parse_notice keeps the whole list verbatim at the end.
    return Taken(f"附件目录:{len(titles)} 项", titles, context.last)


def _attachment_title(section: Section, context: Context) -> str:
    number = int(re.sub(r"\D", "", section.heading.text if section.heading else "") or 0)
    if 0 < number <= len(context.attachment_titles):
        context.used_titles.add(number - 1)
        return context.attachment_titles[number - 1]
    return section.lines[0].text if section.lines else ""


def _pds_ranking_header(lines: list[str]) -> bool:
    """单位 | 考核总分 | 排名, also with a merged header row above or one cell per line."""
    for index, line in enumerate(lines):
        cells = [cell for cell in (split_cells(line) or [line.strip()]) if cell]
        if cells[-2:] == ["考核总分", "排名"] and len(cells) <= 3:
            return True
        if cells == ["考核总分"] and index + 1 < len(lines) and lines[index + 1].strip().rstrip("|").strip() == "排名":
            return True
    return False


def _pds_rankings(section: Section, context: Context) -> Taken | None:
    lines = _lines(section)
    if section.kind != "attachment" or "rankings" in context.data or not any("考核总分" in line for line in lines):
        return None
    if not _pds_ranking_header(lines):
        return None  # other columns than PDS's: a generic table keeps them all
    notes = Notes()
    rankings = context.data["rankings"] = pds.rankings(lines, _attachment_title(section, context), notes)
    if not rankings["groups"]:
        del context.data["rankings"]
        return None
    heading = section.heading.text if section.heading else ""
    return Taken(f"{heading}(考核结果):{len(rankings['groups'])} 个分组", rankings, "rankings", notes)


def _pds_web_messages(section: Section, context: Context) -> Taken | None:
    lines = _lines(section)
    if section.kind != "attachment" or "web_messages" in context.data or not any("办件总数" in line for line in lines):
        return None
    title = _attachment_title(section, context)
    notes = Notes()
    messages = pds.web_messages(lines[1:] if lines and lines[0] == title else lines, title, notes)
    if not messages["rows"]:
        return None
    context.data["web_messages"] = messages
    heading = section.heading.text if section.heading else ""
    return Taken(f"{heading}(网络留言办理情况):{len(messages['rows'])} 个单位", messages, "web_messages", notes)


# --- recognisers of what other offices write -------------------------------------------------

_NUMBER = r"(\d{1,3}(?:,\d{3}){1,5}|\d{1,3}(?: \d{3}){1,3}|\d+)"
_TOTAL = re.compile(rf"(?:(?:共|累计|合计)(?:受理|接收|接听|收到|办理)|受理各类)[^。;,\d]{{0,20}}?{_NUMBER}\s*(件|人次|个|条)")


def _intake_sentence(section: Section, context: Context) -> Taken | None:
    """共受理群众各类诉求 N 件 / 共接收…工单 N 件 / 受理各类来电 N 件: the month's total."""
    if "intake" in context.data or section.kind not in ("intake", "unknown", "container"):
        return None
    for line in section.lines:
        match = _TOTAL.search(line.text)
        if match:
            total = to_int(match.group(1))
            context.data["intake"] = {"total": total}
            return Taken(f"受理总量:{total} {match.group(2)}", {"total": total}, "intake")
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


def _classification(section: Section, context: Context) -> Taken | None:
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
        summary.append(f"诉求类型:{len(fields)} 类")
    elif fields:
        natures.extend([f["name"], str(f["count"]), f"{f['share']}%"] for f in fields)
    if natures:
        heading = fullwidth(section.heading.text) if section.heading else "诉求分类"
        table = ({"caption": fullwidth(caption)} if caption else {}) | {"columns": ["类别", "件数", "占比"], "rows": natures}
        context.extras.append({"after": "categories", "heading": heading, "table": table})
        values.append(natures)
        summary.append(f"诉求分类表(extra_sections):{len(natures)} 类")
    return Taken(";".join(summary), [*values, caption], "categories", notes)


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


def _lists(lines: list[SourceLine], heading: str, after: str, context: Context, report: Report) -> list[SourceLine]:
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
            report.mapped.append(f"第 {line.number} 行的{name}:{len(rows)} 项(extra_sections 表格)")
            for match in matches:
                residue = residue.replace(match.group(), " ", 1)
            found = True
        leftover = _LIST_WORDS.sub("", re.sub(r"[\s\W\d]+", "", residue))
        if not found or leftover:
            rest.append(line)
        else:
            context.placed.add(line.number)
    return rest


RECOGNISERS: tuple[tuple[str, Recogniser], ...] = (
    ("接听受理段落(平顶山格式)", _pds_intake),
    ("受理总量句", _intake_sentence),
    ("诉求分类", _classification),
    ("案例", _pds_cases),
    ("工作动态", _pds_work_updates),
    ("附件目录", _attachment_list),
    ("考核结果表(平顶山格式)", _pds_rankings),
    ("网络留言办理情况表(平顶山格式)", _pds_web_messages),
)
"""Tried in this order on every section; the first that takes it wins. What none takes is kept."""


# --- keeping verbatim ------------------------------------------------------------------------


def _markdown(lines: list[str]) -> str:
    # extra_sections.text is Markdown: source text is kept as paragraphs, with Markdown's own
    # characters escaped (and "1." or "-" at a line start, which would start a list) so it
    # shows exactly as written.
    escaped = [re.sub(r"([\\`*_{}\[\]<>#|!~])", r"\\\1", fullwidth(line)) for line in lines]
    escaped = [re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", line) for line in escaped]
    escaped = [re.sub(r"^([-+=])", r"\\\1", line) for line in escaped]
    return "\n\n".join(escaped)


def _cell(text: str) -> str:
    return fullwidth(text) if text else "—"


def _keep(lines: list[SourceLine], heading: str, after: str, context: Context, report: Report) -> None:
    """Lines no recogniser took, verbatim: text as paragraphs, tables as generic tables."""
    if not lines:
        return
    texts = [line.text for line in lines]
    chunks: list[tuple[int, int, dict[str, Any] | None]] = []
    position = 0
    for table in find_tables(texts):
        if table.start > position:
            chunks.append((position, table.start, None))
        rows = [[_cell(cell) for cell in row] for row in table.rows]
        chunks.append((table.start, table.end, {"columns": [fullwidth(c) for c in table.columns], "rows": rows}))
        position = table.end
    if position < len(texts):
        chunks.append((position, len(texts), None))
    current: dict[str, Any] | None = None
    context.placed.update(line.number for line in lines)
    for start, end, grid in chunks:
        if current is None or "table" in current or (grid is None and "text" in current):
            current = {"after": after, "heading": heading if current is None else f"{heading}(续)"}
            context.extras.append(current)
        if grid is None:
            current["text"] = _markdown(texts[start:end])
        else:
            current["table"] = grid
        where = _where([line.number for line in lines[start:end]])
        what = f"表格({len(grid['rows'])} 行)" if grid else "文字"
        report.kept.append(f"{where}:“{heading}”下的{what}")


def _where(numbers: list[int]) -> str:
    """第 5 行, 第 6–9 行 (consecutive) or 第 6、12 行."""
    if len(numbers) == 1:
        return f"第 {numbers[0]} 行"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"第 {numbers[0]}–{numbers[-1]} 行"
    return f"第 {'、'.join(map(str, numbers))} 行"


def _unaccounted(candidates: list[SourceLine], values: Any) -> list[SourceLine]:
    """The lines whose figures are not all among the values a recogniser put into the draft."""
    available = Counter(_numbers(values))
    result = []
    for line in candidates:
        needed = Counter(figures(line.text))
        if needed - available:
            result.append(line)
        else:
            available -= needed
    return result


def _numbers(value: Any) -> Iterator[Decimal]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | Decimal):
        yield Decimal(value)
    elif isinstance(value, str):
        yield from figures(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _numbers(item)


# --- the whole notice ------------------------------------------------------------------------


def _source_lines(text: str, report: Report) -> tuple[list[SourceLine], str | None]:
    lines: list[SourceLine] = []
    published = None
    for number, raw in enumerate(normalise(text).split("\n"), 1):
        for part in split_run_in_headings([raw] if raw else []):
            kind = furniture(part)
            if kind == "date":
                published = published or published_date(part)
                report.dropped.append(f"第 {number} 行:{part[:40]}(发布日期,已填入 meta.published)")
            elif kind == "furniture":
                report.dropped.append(f"第 {number} 行:{part[:40]}")
            else:
                lines.append(SourceLine(number, part))
    return lines, published


def _sections(lines: list[SourceLine]) -> list[Section]:
    sections: list[Section] = []
    heading: SourceLine | None = None
    body: list[SourceLine] = []
    for line in [*lines, None]:
        if line is None or is_heading(line.text):
            kind = pds.section_kind(heading.text) if heading else ("intake" if body else "empty")
            if heading is not None or body:
                sections.append(Section(heading, body, kind))
            heading, body = line, []
        else:
            body.append(line)
    return sections


def _check_period(period: str | None, lines: list[SourceLine], title: str | None, *, force: bool) -> str:
    head = "\n".join(line.text for line in lines[:6])
    found = find_period(title or "") or find_period(head)
    if period is None:
        if found is None:
            raise ImportFailure("文本中找不到通报所属的年月,请用 --period 指定,如 --period 2023-08")
        return found
    if force:
        return period
    if found is not None and found != period:
        raise ImportFailure(f"--period {period} 与原文写的 {found} 不符;确认无误时加 --force")
    month = re.search(r"(?<![\d年])(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份", head) if found is None else None
    printed = chinese_int(month.group(1)) if month else None
    if printed is not None and printed != int(period[5:]):
        raise ImportFailure(f"--period {period} 与原文写的 {printed} 月份不符;确认无误时加 --force")
    return period


def parse_notice(text: str, *, period: str | None = None, districts: frozenset[str] = frozenset(), force: bool = False) -> Draft:
    """The draft data of one notice's text; raises :class:`ImportFailure` without a period."""
    report = Report()
    lines, published = _source_lines(text, report)
    title, start, end = find_title([line.text for line in lines])
    title_lines, body = lines[start:end], lines[:start] + lines[end:]
    period = _check_period(period, lines, title, force=force)
    meta: dict[str, Any] = {"title": fullwidth(title) if title else PLACEHOLDER, "period": period, "source": PLACEHOLDER}
    if title is None:
        report.missing.append("通报标题")
    report.missing.append("原文网址(meta.source)")
    if published:
        meta["published"] = published
    context = Context({"meta": meta}, set(districts))
    for section in _sections(body):
        _recognise(section, context, report)
    if len(context.used_titles) < len(context.attachment_titles):
        after = "web_messages" if "web_messages" in context.data else "rankings"
        _keep(context.attachment_list, "附件", after, context, report)
    elif context.attachment_summary is not None:
        context.placed.update(line.number for line in context.attachment_list)
        report.mapped.insert(context.attachment_summary, f"附件目录:{len(context.attachment_titles)} 项(作为各附件的标题)")
    pds.apply_thresholds(context.data)
    if "intake" not in context.data:
        report.missing.append("受理总量(intake.total)")
        context.data["intake"] = {"total": PLACEHOLDER}
    order = ("meta", "intake", "categories", "cases", "work_updates", "rankings", "web_messages")
    data = {key: context.data[key] for key in order if key in context.data}
    if context.extras:
        data["extra_sections"] = context.extras
    context.placed.update(line.number for line in title_lines)
    report.kept.sort(key=lambda entry: int(re.findall(r"\d+", entry)[0]))
    account(title_lines + body, data, report)
    for line in body:
        if line.number not in context.placed:
            report.not_kept.append(f"第 {line.number} 行:整行没有进入草稿({line.text[:30]})")
    return Draft(data, report)


def _recognise(section: Section, context: Context, report: Report) -> None:
    candidates = ([section.heading] if section.heading else []) + section.lines
    for _name, recogniser in RECOGNISERS:
        taken = recogniser(section, context)
        if taken is None:
            continue
        if recogniser is _attachment_list:
            context.attachment_summary = len(report.mapped)  # claimed only once its titles are used
        else:
            report.mapped.append(taken.summary)
        report.missing.extend(taken.notes.missing)
        left = set(taken.notes.leftover)
        leftovers = [line for line in section.lines if line.text in left]
        taken_lines = [line for line in candidates if line not in leftovers]
        leftovers = sorted({*leftovers, *_unaccounted(taken_lines, taken.values)}, key=lambda line: line.number)
        context.placed.update(line.number for line in taken_lines if line not in leftovers)
        heading = fullwidth(section.heading.text) if section.heading else "其他内容"
        _keep(_lists(leftovers, heading, taken.after, context, report), heading, taken.after, context, report)
        context.last = taken.after if taken.after in ("intake", "categories", "cases", "work_updates") else context.last
        return
    heading = fullwidth(section.heading.text) if section.heading else "其他内容"
    if section.heading is not None:
        context.placed.add(section.heading.number)  # the kept part's heading, or the page's own
    after = context.last
    if section.kind == "attachment":
        after = "web_messages" if "web_messages" in context.data else "rankings"
    if section.kind == "container" and not section.lines:
        return  # "一、运行情况": the page prints its own part headings
    lines = _lists(section.lines, heading, after, context, report)
    _keep(lines if section.lines else ([section.heading] if section.heading else []), heading, after, context, report)


def account(lines: list[SourceLine], data: dict[str, Any], report: Report) -> None:
    """Every figure of the source looked up in the draft: in a field, in kept text, in a kept
    table, or nowhere (listed with its line number)."""
    extras = data.get("extra_sections", [])
    pools = {
        "mapped": Counter(_numbers({k: v for k, v in data.items() if k != "extra_sections"})),
        "table": Counter(_numbers([extra.get("table") for extra in extras])),
        "text": Counter(_numbers([[extra.get("heading"), extra.get("text")] for extra in extras])),
    }
    for line in lines:
        for figure in figures(line.text):
            for name, pool in pools.items():
                if pool[figure] > 0:
                    pool[figure] -= 1
                    report.figures[name] += 1
                    break
            else:
                report.not_kept.append(f"第 {line.number} 行:{figure}({line.text[:30]})")
