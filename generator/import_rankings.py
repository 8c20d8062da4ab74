"""The recogniser of ranking tables with other columns than PDS's (县区 | 件数 | 办结率 | 满意率 |
综合得分 | 排名) and other group names （县区， 市直单位， 公共服务企业 …）, in any of the three flattened
table forms: each becomes a ranking group (the other columns kept as they are printed), so that its
units get their score and rank on their own pages. A table that is not a clean ranking (a score or
rank that is not a number) is left to be kept verbatim as a generic table."""

from __future__ import annotations

import re
from typing import Any

from generator.draft import PLACEHOLDER
from generator.import_keep import cell
from generator.import_pds import Notes, group_of
from generator.import_records import Context, Section, Taken, section_lines
from generator.import_sections import attachment_title
from generator.import_text import FlatTable, clean_name, find_tables, fullwidth, split_cells, to_decimal, to_int

_SCORE = ("综合得分", "考核总分", "考核得分", "总分", "得分")
_RANK = ("排名", "名次")


def _ranking_columns(table: FlatTable) -> tuple[int, int] | None:
    """The score and rank columns of a ranking table, the units being in the first."""
    columns = [column.strip() for column in table.columns]
    score = next((i for i, column in enumerate(columns) if column in _SCORE), None)
    rank = next((i for i, column in enumerate(columns) if column in _RANK), None)
    if score is None or rank is None or 0 in (score, rank):
        return None
    return score, rank


def _group(table: FlatTable, title: str | None, score: int, rank: int) -> dict[str, Any] | None:
    """One ranking group; ``title`` is the line above the table or its section's heading."""
    rows = []
    for cells in table.rows:
        value, place = to_decimal(cells[score]), to_int(cells[rank])
        if not cells[0].strip() or value is None or place is None or place < 1:
            return None
        others = [cell(text) for i, text in enumerate(cells) if i not in (0, score, rank)]
        rows.append({"unit": clean_name(cells[0])} | ({"values": others} if others else {}) | {"score": value, "rank": place})
    if not rows:
        return None
    columns = [fullwidth(column) for i, column in enumerate(table.columns) if i not in (0, score, rank)]
    label = title or table.columns[0]
    group: dict[str, Any] = {"title": fullwidth(label), "group": group_of(label) or PLACEHOLDER}
    group |= {"unit_label": fullwidth(table.columns[0]), "score_label": fullwidth(table.columns[score])}
    return group | ({"columns": columns} if columns else {}) | {"rows": rows}


def _without_total(table: FlatTable, lines: list[str]) -> FlatTable:
    """The table less a last row 合计 or 总计 （no score or rank of its own）, which is then kept
    verbatim: a row per line takes one line, a cell per line (or paragraph) one line a cell."""
    if len(table.rows) < 2 or table.rows[-1][0].strip() not in ("合计", "总计", "小计"):
        return table
    cells = split_cells(lines[table.end - 1])
    size = 1 if cells is not None and len([c for c in cells if c]) >= 2 else len(table.columns)
    return FlatTable(table.start, table.end - size, table.columns, table.rows[:-1])


def _attachment_heading(section: Section, lines: list[str], taken: set[int], context: Context) -> str:
    """The title of rankings printed as an attachment: "附件1" is the page's own label, the title is
    the attachment list's, or the line under "附件1" (taken) unless it titles a group or is a figure."""
    title = attachment_title(section, context)
    listed = title in context.attachment_titles
    if lines and lines[0] == title and (listed or (0 not in taken and not re.search(r"\d|\|", title))):
        taken.add(0)
        return title
    return title if listed else ""


def rankings(section: Section, context: Context) -> Taken | None:
    """Ranking tables with their own columns, each titled by the line just above it (or by its
    section's heading). Rankings in several parts of the body （二、县区考核排名 三、市直单位…） are one."""
    earlier = context.data.get("rankings")
    in_body = section.kind != "attachment"
    if section.kind not in ("attachment", "unknown", "container"):
        return None
    if earlier is not None and not (in_body and earlier.get("in_body") and context.ranking_parts):
        return None
    lines = section_lines(section)
    # The page numbers its own parts: a body heading's "二、" would mislead there.
    own = section.heading.text if section.heading and in_body else ""
    own = re.sub(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))\s*", "", own)
    groups: list[dict[str, Any]] = []
    taken: set[int] = set()
    for found in find_tables(lines):
        columns = _ranking_columns(found)
        if columns is None:
            continue
        table = _without_total(found, lines)
        above = table.start - 1
        title = lines[above] if above >= 0 and above not in taken and not re.search(r"\d", lines[above]) else None
        title = title.strip().rstrip("|").strip() or None if title is not None else None  # "县区考核情况 |"
        # The part's heading titles its first group when it names one （县区考核排名）.
        group = _group(table, title or (own if not groups and group_of(own) else None), *columns)
        if group is None:
            continue
        groups.append(group)
        taken.update(range(table.start, table.end))
        taken.update([above] if title is not None else [])
    if not groups:
        return None
    if earlier is not None:
        # A later part of the body: its groups join the earlier ones, under a title for them all
        # when the first part's heading was its group's title.
        if earlier["title"] == earlier["groups"][0]["title"]:
            earlier["title"] = "考核结果"
        earlier["groups"] += groups
        context.ranking_parts += 1
        notes = Notes(leftover=[line for index, line in enumerate(lines) if index not in taken])
        return Taken(f"考核结果表（续）：{len(groups)} 个分组", groups, "rankings", notes)
    heading = _attachment_heading(section, lines, taken, context) if not in_body else own
    notes = Notes(leftover=[line for index, line in enumerate(lines) if index not in taken])
    heading = fullwidth(heading or "考核结果")
    # Rankings printed under a body heading stay in the body on the page, not among the attachments.
    placement = {"in_body": True} if in_body else {}
    context.data["rankings"] = {"title": heading} | placement | {"groups": groups}
    context.ranking_parts = 1
    where = "（在正文中，不列入附件）" if in_body else ""
    return Taken(f"考核结果表：{len(groups)} 个分组{where}", context.data["rankings"], "rankings", notes)
