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
:mod:`generator.import_html` reads saved portal pages, :mod:`generator.import_period` finds the
period and where it came from, :mod:`generator.import_pds` maps the layout the model was made from
(:mod:`generator.import_sections` holds its section recognisers), :mod:`generator.import_generic`
what other offices write, :mod:`generator.import_keep` keeps the rest verbatim and accounts for
every figure, and :mod:`generator.import_records` holds the records they pass around.

It never raises on odd input: only :class:`ImportFailure`, for input it cannot use at all.
"""

from __future__ import annotations

import re
from typing import Any

from generator import import_generic as generic
from generator import import_pds as pds
from generator import import_rankings as rankings
from generator.draft import PLACEHOLDER
from generator.import_keep import account, keep, unaccounted
from generator.import_period import check_period
from generator.import_records import Context, Draft, Recogniser, Report, Section, Taken
from generator.import_sections import (
    attachment_list,
    pds_cases,
    pds_intake,
    pds_rankings,
    pds_web_messages,
    pds_work_updates,
)
from generator.import_text import (
    ImportFailure,
    SourceLine,
    chinese_int,
    find_period,
    find_title,
    fullwidth,
    furniture,
    is_heading,
    normalise,
    published_date,
    read_source,
    split_run_in_headings,
)
from generator.model import PeriodSource
from generator.render import visible

__all__ = [
    "Context",
    "Draft",
    "ImportFailure",
    "Report",
    "Section",
    "Taken",
    "account",
    "chinese_int",
    "find_period",
    "parse_notice",
    "read_source",
]


RECOGNISERS: tuple[tuple[str, Recogniser], ...] = (
    ("接听受理段落（平顶山格式）", pds_intake),
    ("受理总量句", generic.intake_sentence),
    ("受理渠道表", generic.channel_tables),
    ("诉求分类", generic.classification),
    ("案例", pds_cases),
    ("工作动态", pds_work_updates),
    ("附件目录", attachment_list),
    ("考核结果表（平顶山格式）", pds_rankings),
    ("网络留言办理情况表（平顶山格式）", pds_web_messages),
    ("其他栏目的考核结果表", rankings.rankings),
)
"""Tried in this order on every section; the first that takes it wins. What none takes is kept."""


# The draft's parts in the model's order; extra_sections come last.
_ORDER = ("meta", "intake", "categories", "natures", "rates", "channels", "top_lists", "cases", "work_updates")
_ATTACHMENTS = ("rankings", "web_messages")


# --- the whole notice ------------------------------------------------------------------------


def _source_lines(text: str, report: Report) -> tuple[list[SourceLine], str | None]:
    lines: list[SourceLine] = []
    published = None
    # The report quotes a dropped line as the source wrote it, not as normalised for reading.
    written = visible(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    for number, raw in enumerate(normalise(text).split("\n"), 1):
        parts = split_run_in_headings([raw] if raw else [])
        for part in parts:
            kind = furniture(part)
            quoted = written[number - 1].strip() if len(parts) == 1 and number <= len(written) else fullwidth(part)
            date = published_date(part) if kind is not None else None
            if date is not None:
                published = published or date
                report.dropped.append(f"第 {number} 行：{quoted[:40]}（发布日期，已填入 meta.published）")
            elif kind is not None:
                report.dropped.append(f"第 {number} 行：{quoted[:40]}")
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


def parse_notice(text: str, *, period: str | None = None, districts: frozenset[str] = frozenset(), force: bool = False) -> Draft:
    """The draft data of one notice's text; raises :class:`ImportFailure` without a period."""
    report = Report()
    lines, published = _source_lines(text, report)
    title, start, end = find_title([line.text for line in lines])
    title_lines, body = lines[start:end], lines[:start] + lines[end:]
    period, origin = check_period(period, lines, title, force=force)
    meta: dict[str, Any] = {"title": fullwidth(title) if title else PLACEHOLDER, "period": period, "source": PLACEHOLDER}
    if title is None:
        report.missing.append("通报标题")
    report.missing.append("原文网址（meta.source）")
    if published:
        meta["published"] = published
    if origin is not PeriodSource.from_title:
        meta["period_source"] = origin.value  # from the title is the default, left unwritten
    context = Context({"meta": meta}, set(districts))
    for section in _sections(body):
        _recognise(section, context, report)
    if len(context.used_titles) < len(context.attachment_titles):
        after = "web_messages" if "web_messages" in context.data else "rankings"
        later = context.extras[context.attachment_at :]
        del context.extras[context.attachment_at :]
        keep(context.attachment_list, "附件", after, context, report)
        context.extras += later  # in source order: the list before the attachments it lists
    elif context.attachment_summary is not None:
        context.placed.update(line.number for line in context.attachment_list)
        report.mapped.insert(context.attachment_summary, f"附件目录：{len(context.attachment_titles)} 项（作为各附件的标题）")
    pds.apply_thresholds(context.data)
    if "intake" not in context.data:
        report.missing.append("受理总量（intake.total）")
        context.data["intake"] = {"total": PLACEHOLDER}
    data = {key: context.data[key] for key in (*_ORDER, *_ATTACHMENTS) if key in context.data}
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
        if recogniser is attachment_list:
            context.attachment_summary = len(report.mapped)  # claimed only once its titles are used
            context.attachment_at = len(context.extras)
        else:
            report.mapped.append(taken.summary)
        report.missing.extend(taken.notes.missing)
        left = set(taken.notes.leftover)
        leftovers = [line for line in section.lines if line.text in left]
        taken_lines = [line for line in candidates if line not in leftovers]
        leftovers = sorted({*leftovers, *unaccounted(taken_lines, taken.values)}, key=lambda line: line.number)
        context.placed.update(line.number for line in taken_lines if line not in leftovers)
        heading = fullwidth(section.heading.text) if section.heading else "其他内容"
        took = ({line.number for line in taken_lines if line.text not in left}, taken.values)
        rest = generic.lists(leftovers, heading, taken.after, context, report, took=took)
        keep(rest, heading, taken.after, context, report)
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
    keep(lines if section.lines else ([section.heading] if section.heading else []), heading, after, context, report)
