"""The section recognisers of the layout of Pingdingshan's notices (PDS): each takes one part
(the intake paragraph, cases, work updates, the attachment list and the two attachments) through
the mapping functions of :mod:`generator.import_pds`, and says what it took."""

from __future__ import annotations

import re

from generator import import_pds as pds
from generator.import_pds import Notes
from generator.import_records import Context, Section, Taken, section_lines, section_text
from generator.import_text import split_cells, to_int

_PDS_INTAKE_LINE = re.compile(r"共受理各类来电来信|^\d{5,6}\S{0,20}?热线|并行热线|^通过\S{0,80}?网络平台受理交办")


def pds_intake(section: Section, context: Context) -> Taken | None:
    text = section_text(section)
    if section.kind != "intake" or "intake" in context.data or "共受理各类来电来信" not in text or "接听电话" not in text:
        return None
    # The paragraph is read for its figures, sentence shapes it knows; any other line is kept.
    notes = Notes(leftover=[line for line in section_lines(section) if not _PDS_INTAKE_LINE.search(line)])
    intake = context.data["intake"] = pds.intake(text, notes)
    return Taken(f"接听受理情况：{len(intake['lines'])} 条热线", intake, "intake", notes)


def pds_cases(section: Section, context: Context) -> Taken | None:
    if section.kind not in ("hot", "difficult"):
        return None
    notes = Notes()
    cases = pds.cases(section.kind, section_lines(section), context.districts, notes)
    context.data.setdefault("cases", []).extend(cases)
    return Taken(f"{'热点' if section.kind == 'hot' else '难点'}问题：{len(cases)} 个案例", cases, "cases", notes)


def pds_work_updates(section: Section, context: Context) -> Taken | None:
    if section.kind != "work_updates" or "work_updates" in context.data:
        return None
    notes = Notes()
    updates = pds.work_updates(section_lines(section), notes)
    if not updates:
        return None
    context.data["work_updates"] = updates
    return Taken(f"工作动态：{len(updates)} 项", updates, "work_updates", notes)


def attachment_list(section: Section, context: Context) -> Taken | None:
    if section.kind != "attachment_list" or section.heading is None:
        return None
    first = re.sub(r"^附件[::]\s*", "", section.heading.text)
    titles = [re.sub(r"^\d+[.、]\s*", "", item) for item in [first, *section_lines(section)]]
    context.attachment_titles.extend(titles)
    context.attachment_list.extend([section.heading, *section.lines])
    # The titles reach the draft as the titles of the attachments recognised; when one is not
    # used, parse_notice keeps the whole list verbatim at the end.
    return Taken(f"附件目录：{len(titles)} 项", titles, context.last)


def attachment_title(section: Section, context: Context) -> str:
    number = to_int(re.sub(r"\D", "", section.heading.text if section.heading else "")) or 0
    if 0 < number <= len(context.attachment_titles):
        context.used_titles.add(number - 1)
        return context.attachment_titles[number - 1]
    return section.lines[0].text if section.lines else ""


def _pds_ranking_header(lines: list[str]) -> bool:
    """单位 | 考核总分 | 排名， also with a merged header row above or one cell per line."""
    for index, line in enumerate(lines):
        cells = [cell for cell in (split_cells(line) or [line.strip()]) if cell]
        if cells[-2:] == ["考核总分", "排名"] and len(cells) <= 3:
            return True
        if cells == ["考核总分"] and index + 1 < len(lines) and lines[index + 1].strip().rstrip("|").strip() == "排名":
            return True
    return False


def pds_rankings(section: Section, context: Context) -> Taken | None:
    lines = section_lines(section)
    if section.kind != "attachment" or "rankings" in context.data or not any("考核总分" in line for line in lines):
        return None
    if not _pds_ranking_header(lines):
        return None  # other columns than PDS's: a generic table keeps them all
    notes = Notes()
    rankings = context.data["rankings"] = pds.rankings(lines, attachment_title(section, context), notes)
    if not rankings["groups"]:
        del context.data["rankings"]
        return None
    heading = section.heading.text if section.heading else ""
    return Taken(f"{heading}（考核结果）：{len(rankings['groups'])} 个分组", rankings, "rankings", notes)


def pds_web_messages(section: Section, context: Context) -> Taken | None:
    lines = section_lines(section)
    if section.kind != "attachment" or "web_messages" in context.data or not any("办件总数" in line for line in lines):
        return None
    title = attachment_title(section, context)
    notes = Notes()
    messages = pds.web_messages(lines[1:] if lines and lines[0] == title else lines, title, notes)
    if not messages["rows"]:
        return None
    context.data["web_messages"] = messages
    heading = section.heading.text if section.heading else ""
    return Taken(f"{heading}（网络留言办理情况）：{len(messages['rows'])} 个单位", messages, "web_messages", notes)
