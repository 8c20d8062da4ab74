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

Modules: :mod:`generator.import_text` reads and normalises text and finds tables and figures,
:mod:`generator.import_html` reads saved portal pages, :mod:`generator.import_pds` maps the
layout the model was made from, :mod:`generator.import_generic` what other offices write, and
:mod:`generator.import_records` holds the records they pass around.

It never raises on odd input: only :class:`ImportFailure`, for input it cannot use at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from generator import import_generic as generic
from generator import import_pds as pds
from generator.draft import PLACEHOLDER
from generator.import_pds import Notes
from generator.import_records import Context, Draft, Recogniser, Report, Section, Taken, section_lines, section_text
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
    to_int,
)

__all__ = [
    "Context",
    "Draft",
    "ImportFailure",
    "Report",
    "Section",
    "Taken",
    "chinese_int",
    "find_period",
    "parse_notice",
    "read_source",
]


# --- recognisers of the PDS layout -----------------------------------------------------------


_PDS_INTAKE_LINE = re.compile(r"共受理各类来电来信|^\d{5,6}\S{0,20}?热线|并行热线|^通过\S{0,80}?网络平台受理交办")


def _pds_intake(section: Section, context: Context) -> Taken | None:
    text = section_text(section)
    if section.kind != "intake" or "intake" in context.data or "共受理各类来电来信" not in text or "接听电话" not in text:
        return None
    # The paragraph is read for its figures, sentence shapes it knows; any other line is kept.
    notes = Notes(leftover=[line for line in section_lines(section) if not _PDS_INTAKE_LINE.search(line)])
    intake = context.data["intake"] = pds.intake(text, notes)
    return Taken(f"接听受理情况：{len(intake['lines'])} 条热线", intake, "intake", notes)


def _pds_cases(section: Section, context: Context) -> Taken | None:
    if section.kind not in ("hot", "difficult"):
        return None
    notes = Notes()
    cases = pds.cases(section.kind, section_lines(section), context.districts, notes)
    context.data.setdefault("cases", []).extend(cases)
    return Taken(f"{'热点' if section.kind == 'hot' else '难点'}问题：{len(cases)} 个案例", cases, "cases", notes)


def _pds_work_updates(section: Section, context: Context) -> Taken | None:
    if section.kind != "work_updates" or "work_updates" in context.data:
        return None
    notes = Notes()
    updates = pds.work_updates(section_lines(section), notes)
    if not updates:
        return None
    context.data["work_updates"] = updates
    return Taken(f"工作动态：{len(updates)} 项", updates, "work_updates", notes)


def _attachment_list(section: Section, context: Context) -> Taken | None:
    if section.kind != "attachment_list" or section.heading is None:
        return None
    first = re.sub(r"^附件[::]\s*", "", section.heading.text)
    titles = [re.sub(r"^\d+[.、]\s*", "", item) for item in [first, *section_lines(section)]]
    context.attachment_titles.extend(titles)
    context.attachment_list.extend([section.heading, *section.lines])
    # The titles reach the draft as the titles of the attachments recognised; when one is not
    # used, parse_notice keeps the whole list verbatim at the end.
    return Taken(f"附件目录：{len(titles)} 项", titles, context.last)


def _attachment_title(section: Section, context: Context) -> str:
    number = to_int(re.sub(r"\D", "", section.heading.text if section.heading else "")) or 0
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
    lines = section_lines(section)
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
    return Taken(f"{heading}（考核结果）：{len(rankings['groups'])} 个分组", rankings, "rankings", notes)


def _pds_web_messages(section: Section, context: Context) -> Taken | None:
    lines = section_lines(section)
    if section.kind != "attachment" or "web_messages" in context.data or not any("办件总数" in line for line in lines):
        return None
    title = _attachment_title(section, context)
    notes = Notes()
    messages = pds.web_messages(lines[1:] if lines and lines[0] == title else lines, title, notes)
    if not messages["rows"]:
        return None
    context.data["web_messages"] = messages
    heading = section.heading.text if section.heading else ""
    return Taken(f"{heading}（网络留言办理情况）：{len(messages['rows'])} 个单位", messages, "web_messages", notes)


RECOGNISERS: tuple[tuple[str, Recogniser], ...] = (
    ("接听受理段落（平顶山格式）", _pds_intake),
    ("受理总量句", generic.intake_sentence),
    ("诉求分类", generic.classification),
    ("案例", _pds_cases),
    ("工作动态", _pds_work_updates),
    ("附件目录", _attachment_list),
    ("考核结果表（平顶山格式）", _pds_rankings),
    ("网络留言办理情况表（平顶山格式）", _pds_web_messages),
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
            current = {"after": after, "heading": heading if current is None else f"{heading}（续）"}
            context.extras.append(current)
        if grid is None:
            current["text"] = _markdown(texts[start:end])
        else:
            current["table"] = grid
        where = _where([line.number for line in lines[start:end]])
        what = f"表格（{len(grid['rows'])} 行）" if grid else "文字"
        report.kept.append(f"{where}：“{heading}”下的{what}")


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
                report.dropped.append(f"第 {number} 行：{part[:40]}（发布日期，已填入 meta.published）")
            elif kind == "furniture":
                report.dropped.append(f"第 {number} 行：{part[:40]}")
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
            raise ImportFailure("文本中找不到通报所属的年月，请用 --period 指定，如 --period 2023-08")
        return found
    if force:
        return period
    if found is not None and found != period:
        raise ImportFailure(f"--period {period} 与原文写的 {found} 不符；确认无误时加 --force")
    month = re.search(r"(?<![\d年])(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份", head) if found is None else None
    printed = chinese_int(month.group(1)) if month else None
    if printed is not None and printed != int(period[5:]):
        raise ImportFailure(f"--period {period} 与原文写的 {printed} 月份不符；确认无误时加 --force")
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
    report.missing.append("原文网址（meta.source）")
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
        report.mapped.insert(context.attachment_summary, f"附件目录：{len(context.attachment_titles)} 项（作为各附件的标题）")
    pds.apply_thresholds(context.data)
    if "intake" not in context.data:
        report.missing.append("受理总量（intake.total）")
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
            report.not_kept.append(f"第 {line.number} 行：整行没有进入草稿（{line.text[:30]}）")
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
        _keep(generic.lists(leftovers, heading, taken.after, context, report), heading, taken.after, context, report)
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
    lines = generic.lists(section.lines, heading, after, context, report)
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
                report.not_kept.append(f"第 {line.number} 行：{figure}（{line.text[:30]}）")
