"""Table rows (and lists) that a large archive repeats tens of thousands of times, drawn in Python.

A notice's ranking and web-message tables, the months of a unit's or a category's history and a
district's cases are the bulk of the site's rows (at 1200 notices, some two hundred thousand):
drawn by a Jinja loop, each row cost several times as much as it does here. Every value still goes
through the environment's one escaping step (:func:`generator.render.escape_value`), so the rows
are what the templates' loops wrote (tests/test_rows.py renders those loops and compares); tables
call them inside ``{% call table(…) %}``, except a unit's tables, drawn whole here (a unit's years
pages hold some twenty thousand of them at 1200 notices). The link cells that many rows share (a month, a unit) are
made by :func:`month_cell` and :func:`unit_link`, which the build caches.

The parts of a notice's page that every notice repeats (its key figures, its note of changes since
the previous month, its tables, cases, checks and downloads) are drawn here too, for the same reason:
each cost a Jinja loop, macro calls or a ``{% call table(…) %}`` block on every notice page; those
tables are still drawn by :func:`generator.render.table`. tests/test_rows.py renders the template
text each replaced and compares.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from decimal import Decimal

from markupsafe import Markup

from generator.checks import CHECK_TITLES
from generator.history import (
    CategoryMonth,
    Change,
    DistrictCase,
    Headline,
    MonthChanges,
    Mover,
    UnitMessages,
    UnitMonth,
    UnitYear,
    extra_columns,
)
from generator.model import (
    Case,
    CaseKind,
    Category,
    CheckId,
    Intake,
    IntakeChange,
    Line,
    LineKind,
    MessageRow,
    Publisher,
    RankingGroup,
    WebMessages,
    WorkUpdate,
)
from generator.render import (
    CASE_LABELS,
    GROUP_LABELS,
    chinese_number,
    month_label,
    percent,
    period_label,
    signed,
    table,
    table_frame,
)
from generator.render import escape_value as _text
from generator.timeline import Year, decade_label, history_path

Href = Callable[[str], str]
"""The build's :func:`generator.render.href`: the URL of a page or file."""
Path = Callable[[str], str]
"""A page's path from a name (``notice_path``, ``unit_path``)."""
Link = Callable[[str], str]
"""The page's :func:`generator.render.link`: a relative Markdown link to a page."""
MonthCell = Callable[[str, str], str]
""":func:`month_cell` of the build, from a period and an anchor."""
UnitLink = Callable[[str], str]
""":func:`unit_link` of the build, from a unit's name as printed."""


def month_cell(href: Href, notice_path: Path, period: str, anchor: str) -> str:
    """A history row's start and first cell: the month, linked to its part of the notice's page."""
    link = f"{_text(href(notice_path(period)))}#{_text(anchor)}"
    return f'<tr><th scope="row"><a href="{link}">{_text(period_label(period))}</a></th>'


def unit_link(href: Href, unit_path: Path, units: Mapping[str, str], printed: str) -> str:
    """A unit's name as a notice prints it, linked to the unit's page; ``units`` maps each
    spelling to the canonical name."""
    return f'<a href="{_text(href(unit_path(units[printed])))}">{_text(printed)}</a>'


def ranking_rows(unit_link: UnitLink, group: RankingGroup, threshold: Decimal | None) -> Markup:
    """A notice's ranking group, each row a line ending in a newline; ``threshold`` is the
    group's, computed once."""
    return Markup("".join(_ranking_lines(unit_link, group, threshold)))


def _ranking_lines(unit_link: UnitLink, group: RankingGroup, threshold: Decimal | None) -> list[str]:
    """The rows of :func:`ranking_rows`."""
    # Ranks are ints the model keeps at 1 or more, and scores Decimals it keeps at 0 or more (never
    # -0): printed as they are, since escaping leaves their digits alone (tests/test_render.py); a
    # score is still escaped when it has a sign (only a row made up by a test can). str() prints a
    # Decimal as an f-string would, at a third of the cost: some hundred thousand rows at 1200 notices.
    columns, lines = bool(group.columns), []
    for row in group.rows:
        score = row.score
        values = f"{_CELLS.join(map(_text, row.values))}{_CELLS}" if columns else ""
        lines.append(
            f'<tr{_BELOW if threshold is not None and score < threshold else ""}><th scope="row">{unit_link(row.unit)}</th>'
            f'<td class="num">{values}{_text(score) if score.is_signed() else str(score)}{_CELLS}{row.rank}</td></tr>\n'
        )
    return lines


_BELOW = ' class="below-threshold"'
_CELLS = '</td><td class="num">'
"""Between two cells of numbers."""


def _table(caption: str, columns: Sequence[str], body: str, numeric: Container[int], *, search: bool = True) -> Markup:
    """:func:`generator.render.table` around rows drawn here, as its call block wrote them."""
    return table(caption, columns, numeric=numeric, search=search, caller=lambda: body)


def units_below(group: RankingGroup, threshold: Decimal) -> Markup:
    """The units of a ranking group below its threshold, as the notice prints them, or 无."""
    below = [_text(row.unit) for row in group.rows if row.score < threshold]
    return Markup("、".join(below) if below else "无")


def ranking_tables(unit_link: UnitLink, groups: Iterable[RankingGroup]) -> Markup:
    """A notice's ranking groups (in its body or its attachment), each a table after a blank line
    and, when the group has a threshold, the line naming the units below it."""
    # The rows, in their tables, joined once: a notice's rankings are half its page, and every string
    # made of them on the way (the rows, the table body, the table) would copy them again.
    parts: list[str] = []
    for group in groups:
        threshold = group.threshold  # once: the group computes it from all its rows
        headers = group.headers
        before, after = table_frame(group.title, headers, range(1, len(headers)))
        parts += ("\n", before, "<tbody>\n")
        parts += _ranking_lines(unit_link, group, threshold)
        parts += ("</tbody>", after)
        if threshold is not None:
            parts.append(
                # As the template's "%.2f" | format(threshold) printed it: through a float.
                f"\n本组最高分的 {_text(group.threshold_percent)}% 为 {_text(f'{float(threshold):.2f}')} 分；"
                f"低于此分的单位：{units_below(group, threshold)}。\n"
            )
    return Markup("".join(parts))


def _message_cells(total: int, replied: int, unreplied: int) -> str:
    """The three counts of a web-message row, on a notice's table and a unit's alike. Totals and
    replies are counts the model keeps at 0 or more, which escaping would print unchanged; the
    unreplied count still goes through it (the row tests draw negative ones too)."""
    return f'<td class="num">{total}</td><td class="num">{replied}</td><td class="num">{_text(unreplied)}</td>'


def message_rows(unit_link: UnitLink, rows: Iterable[MessageRow]) -> Markup:
    """A notice's web-message table, each row a line ending in a newline."""
    return Markup("".join(_message_lines(unit_link, rows)))


def _message_lines(unit_link: UnitLink, rows: Iterable[MessageRow]) -> list[str]:
    return [
        f'<tr><th scope="row">{unit_link(row.unit)}</th>{_message_cells(row.total, row.replied, row.unreplied)}</tr>\n'
        for row in rows
    ]


def message_table(unit_link: UnitLink, attachment: WebMessages) -> Markup:
    """A notice's web-message attachment as its table, with the notice's total row when it prints
    one; joined once, like :func:`ranking_tables`."""
    before, after = table_frame(attachment.title, _MESSAGE_COLUMNS, (1, 2, 3))
    parts = [before, "<tbody>\n", *_message_lines(unit_link, attachment.rows), "</tbody>"]
    total = attachment.total_row
    if total is not None:
        parts.append(
            f'\n<tfoot>\n<tr><th scope="row">{_text(total.label)}</th><td class="num">{_text(total.total)}</td>'
            f'<td class="num">{_text(total.replied)}</td><td class="num">{_text(total.unreplied)}</td></tr>\n</tfoot>'
        )
    parts.append(after)
    return Markup("".join(parts))


_MESSAGE_COLUMNS = ("承办单位", "办件总数", "已回复数", "未回复数")


@functools.lru_cache(maxsize=None, typed=True)
def _change(change: int | None) -> str:
    # Cached: a unit's table has a row for every month, and a few dozen changes make up all of them.
    if change is None:
        return "—"
    if change > 0:
        return f"↑{_text(change)}"
    if change < 0:
        return f"↓{_text(-change)}"
    return "持平"


@functools.lru_cache(maxsize=None, typed=True)
def _place(rank: int, size: int) -> str:
    """``3/12``: a rank in its group (cached like :func:`_change`)."""
    return f"{_text(rank)}/{_text(size)}"


@functools.cache
def _rank_cells(rank: int, size: int, change: int | None) -> str:
    """A unit's row from its score on: its rank in its group and its rank change, up to the remark
    (cached like :func:`_change`: a few hundred of them make up every row of a large archive; the
    model keeps each of them an int, or None, so the cache need not key them by type)."""
    return f'</td><td class="num">{_place(rank, size)}</td><td class="num">{_change(change)}</td><td>'


def _notes(month: UnitMonth, unit: str) -> str:
    notes = "本组末位" if month.is_last else ""
    if month.is_last and month.below_threshold:
        notes += "；"
    if month.below_threshold:
        notes += "低于分数线"
    if month.printed_name != unit:
        notes += f"{'；' if month.is_last or month.below_threshold else ''}通报中写作“{_text(month.printed_name)}”"
    return notes


def unit_month_rows(month_cell: MonthCell, unit: str, months: Iterable[UnitMonth], extra: Sequence[str] = ()) -> Markup:
    """A unit's months (its own page, its years pages), rows joined by newlines: the month, the
    ``extra`` columns its groups print, score, rank, rank change and remarks. ``unit`` is the
    unit's canonical name (other spellings are remarked on)."""
    # Some hundred thousand rows at 1200 notices: each month's fields unpacked at once, and the
    # cells after the score made by one cached call.
    rows: list[str] = []
    append = rows.append
    for month in months:
        period, printed, _, score, rank, size, is_last, below, change, anchor, _ = month
        cells = ""
        if extra:
            found = (month.value(column) for column in extra)
            cells = "".join(f'<td class="num">{"—" if value is None else _text(value)}</td>' for value in found)
        # Most months have no remark: the test is made here rather than in a call for every row.
        notes = "" if not is_last and not below and printed == unit else _notes(month, unit)
        tail = f'<td class="num">{_text(score)}{_rank_cells(rank, size, change)}{notes}</td></tr>'
        append(f"{month_cell(period, anchor)}{cells}{tail}")
    return Markup("\n".join(rows))


def unit_message_rows(month_cell: MonthCell, messages: Iterable[UnitMessages]) -> Markup:
    """A unit's web-message months, rows joined by newlines."""
    return Markup(
        "\n".join(
            f"{month_cell(period, anchor)}{_message_cells(total, replied, unreplied)}</tr>"
            for period, total, replied, unreplied, anchor in messages
        )
    )


def unit_month_table(month_cell: MonthCell, caption: str, unit: str, months: Sequence[UnitMonth], extra: Sequence[str]) -> Markup:
    """A unit's table of months (its latest months on its own page, a year on its years pages):
    :func:`unit_month_rows` in its :func:`~generator.render.table`, as ``{% call table(…) %}`` made
    it, without the final newline (the template's line that prints it ends with one). Called
    directly, for the call block's cost: a years page draws twenty tables."""
    body = f"<tbody>\n{unit_month_rows(month_cell, unit, months, extra)}\n</tbody>\n"
    columns = ["月份", *extra, "得分", "排名", "名次变化", "备注"]
    return table(caption, columns, numeric=range(1, 4 + len(extra)), search=False, caller=lambda: body).rstrip("\n")


def unit_message_table(month_cell: MonthCell, caption: str, messages: Iterable[UnitMessages]) -> Markup:
    """A unit's table of web-message months, like :func:`unit_month_table`."""
    body = f"<tbody>\n{unit_message_rows(month_cell, messages)}\n</tbody>\n"
    columns = ["月份", "办件总数", "已回复数", "未回复数"]
    return table(caption, columns, numeric=(1, 2, 3), search=False, caller=lambda: body).rstrip("\n")


def unit_year_sections(
    month_cell: MonthCell,
    unit: str,
    years: Iterable[str],
    months: Mapping[str, Year[UnitMonth]],
    messages: Mapping[str, Year[UnitMessages]],
) -> tuple[Markup, bool]:
    """The years of a unit's years page, each a heading and its tables (:func:`unit_month_table`,
    :func:`unit_message_table`), ending without a newline; and whether any of the tables has extra
    columns. A page shows ten years: drawn by a loop of the template, each cost a dozen calls."""
    parts, extra_shown = [], False
    for year in years:
        parts.append(f"\n## {_text(year)}年 {{#year-{_text(year)}}}\n")
        if year in months:
            items = months[year].items
            extra = extra_columns(items)
            extra_shown = extra_shown or len(extra) > 0
            parts.append(f"\n{unit_month_table(month_cell, f'{unit}{year}年每月得分与排名', unit, items, extra)}\n")
        if year in messages:
            caption = f"{unit}{year}年网络留言办理情况"
            parts.append(f"\n{unit_message_table(month_cell, caption, messages[year].items)}\n")
    return Markup("".join(parts).removesuffix("\n")), extra_shown


def pages_list(link: Link, entity: str, all_pages: Iterable[tuple[str, object]], current: str | None = None) -> Markup:
    """Every years page of an entity (its page ``entity``) as Markdown links joined by `` · ``, the
    page shown (``current``, if any) in bold: one call on every entity page and years page,
    where the macro it replaced cost a loop of calls."""
    items = []
    for pages, _ in all_pages:
        label = _text(decade_label(pages))
        items.append(f"**{label}**" if pages == current else f"[{label}]({_text(link(history_path(entity, pages)))})")
    return Markup(" · ".join(items))


def unit_year_rows(href: Href, history_path: Callable[[str, str], str], page: str, years: Iterable[UnitYear]) -> Markup:
    """A unit's table of years (its own page ``page``), each row a line ending in a newline, linked
    to the year on its years page (``history_path``: the page of a decade)."""
    return Markup(
        "".join(
            f'<tr><th scope="row"><a href="{_text(href(history_path(page, year.pages)))}#year-{_text(year.year)}">'
            f"{_text(year.year)}年</a></th>"
            f'<td class="num">{_text(year.months)}</td><td class="num">{_text(year.times_last)}</td>'
            f'<td class="num">{_text(year.times_below_threshold)}</td></tr>\n'
            for year in years
        )
    )


def case_items(notice_path: Path, link: Link, cases: Iterable[DistrictCase]) -> Markup:
    """A district's cases as a Markdown list, each item a line ending in a newline."""
    # A month's cases of one kind share their label and link: made once for each.
    items: list[str] = []
    heads: dict[tuple[str, CaseKind], tuple[str, str]] = {}
    for case in cases:
        period, kind = case.period, case.kind
        head = heads.get((period, kind))
        if head is None:
            label = f"{_text(period_label(period))} · {_text(CASE_LABELS[kind])}"
            target = f"{_text(link(notice_path(period)))}#{_text(kind.value)}-"
            head = heads[period, kind] = (f"- **{label}**：[", f"]({target}")
        places = ""
        if case.places:
            places = f"——{_text('、'.join(case.places))}{'等' if case.partial else ''}"
        items.append(f"{head[0]}{_text(case.topic)}{head[1]}{_text(case.number)}){places}\n")
    return Markup("".join(items))


def category_rows(month_cell: MonthCell, months: Iterable[CategoryMonth]) -> Markup:
    """A category's months (its own page, its years pages), rows joined by newlines."""
    return Markup(
        "\n".join(
            f'{month_cell(month.period, "categories")}<td class="num">{_text(month.count)}</td>'
            f'<td class="num">{_text(percent(month.share))}</td>'
            f"<td>{_text('、'.join(month.topics))}{'等' if month.topics else ''}</td></tr>"
            for month in months
        )
    )


def _computed(change: Change | None, unit: str) -> str:
    """A change computed from an earlier notice: in percentage points for a rate, else with its unit
    and (when the earlier value is not zero) by how many percent."""
    if change is None:
        return "—"
    delta = _signed(change.delta)
    if change.is_rate:
        return f"{delta} 个百分点"
    by = change.percent
    return f"{delta}{_text(unit)}（{_signed(by)}%）" if by is not None else f"{delta}{_text(unit)}"


def _signed(value: Decimal | int) -> str:
    """:func:`~generator.render.signed` as escaped text: a plus sign at the start of a text is
    escaped (Markdown would read a list), the digits and the minus sign (U+2212) need nothing.
    Written out here: escaping a plus sign takes all of escape()'s substitutions, on two changes of
    every key figure (tests/test_rows.py)."""
    if value > 0:
        return f"&#43;{value!s}"
    return _text(signed(value))


def _comparison(
    label: str, printed: Sequence[IntakeChange], change: Change | None, differs: bool, missing: str | None, unit: str
) -> str:
    """One comparison of a key figure (环比 or 同比): as the notice printed it, else as computed from
    the earlier notice, else why there is none, else nothing."""
    if printed:
        return _printed(printed, change if differs else None, unit)
    if change is not None:
        return f"{label} {_computed(change, unit)}"
    if missing is not None:
        return f"{label} —（{_text(period_label(missing))}通报未公布此项）"
    return ""


_BASES = {"year_on_year": "同比", "month_on_month": "环比", "previous_month": "较上月"}


def _printed(changes: Sequence[IntakeChange], differs: Change | None, unit: str) -> str:
    """Changes as the notice prints them, in its own words; ``differs`` is the change computed from
    the earlier notice when the two do not agree."""
    parts = []
    for c in changes:
        up = c.direction.value == "up"
        text = _text(_BASES[c.basis.value])
        if c.count is not None:
            text += f"{'增加' if up else '减少'} {_text(c.count)} 件"
        if c.count is not None and c.percent is not None:
            text += "、"
        if c.percent is not None:
            text += f"{'增长' if up else '下降'} {_text(c.percent)}%"
        parts.append(text)
    text = "，".join(parts) + "（照原通报）"
    if differs is not None:
        text += f"；按{_text(period_label(differs.period))}通报的数字计算为 {_computed(differs, unit)}，与原通报所印不同"
    return text


def key_figures(items: Iterable[Headline], label: str) -> Markup:
    """The headline figures of a notice (its page, the home page) as a description list, each
    with its 环比 and 同比: as printed by the notice, computed from the earlier notice, or a note
    that that notice does not publish the figure."""
    lines = [f'<dl class="key-figures" aria-label="{_text(label)}">\n']
    for item in items:
        unit = item.metric.unit
        line = f"<div><dt>{_text(item.metric.label)}</dt><dd>{_text(item.value)}{'%' if unit == '%' else f' {_text(unit)}'}</dd>"
        mom = bool(item.mom_printed) or item.mom is not None or item.mom_missing is not None
        yoy = bool(item.yoy_printed) or item.yoy is not None or item.yoy_missing is not None
        if mom or yoy:
            line += '<dd class="key-change">'
            line += _comparison("环比", item.mom_printed, item.mom, item.mom_differs, item.mom_missing, unit)
            if mom and yoy:
                line += "<br>"
            line += _comparison("同比", item.yoy_printed, item.yoy, item.yoy_differs, item.yoy_missing, unit)
            line += "</dd>"
        lines.append(f"{line}</div>\n")
    lines.append("</dl>\n")
    return Markup("".join(lines))


def _movers(movers: Iterable[Mover]) -> str:
    return "、".join(f"{_text(m.unit)}（第 {_text(m.previous_rank)} → {_text(m.rank)} 名）" for m in movers)


_PARTS = {"rankings": "排名", "categories": "诉求类型件数"}


def changes_note(changes: MonthChanges) -> Markup:
    """A notice's note of what changed since the previous month's notice (its ranking groups'
    biggest movers, its categories' counts), or of what cannot be compared, starting with a blank line."""
    text = f'\n!!! abstract "与上月（{_text(period_label(changes.previous_period))}）相比"\n\n'
    for group in changes.groups:
        if not (group.up or group.down or group.newly_last or group.unpublished):
            continue
        text += f"    - **{_text(GROUP_LABELS[group.group])}**："
        if group.unpublished == "previous":
            text += "上月通报未公布此组排名，无从比较。"
        elif group.unpublished == "current":
            text += "本月通报未公布此组排名（上月通报公布了）。"
        if group.up:
            text += f"名次上升最多的是{_movers(group.up)}{'；' if group.down or group.newly_last else '。'}"
        if group.down:
            text += f"下降最多的是{_movers(group.down)}{'；' if group.newly_last else '。'}"
        if group.newly_last:
            text += f"本月新列末位：{_text('、'.join(group.newly_last))}。"
        text += "\n"
    if not changes.anything and changes.compared:
        same = "排名和诉求类型件数" if len(changes.compared) == 2 else _PARTS[changes.compared[0]]
        text += f"    {_text(same)}与上月相同。\n\n"
    for part in changes.previous_lacks:
        text += f"    - **{_text(_PARTS[part])}**：上月通报未公布，无从比较。\n\n"
    for part in changes.current_lacks:
        text += f"    - **{_text(_PARTS[part])}**：本月通报未公布（上月通报公布了）。\n\n"
    moved = [c for c in changes.categories if c.delta]
    if moved:
        items = []
        for m in moved[:4]:
            if m.previous is None:
                items.append(f"{_text(m.name)}（本月新列出，{_text(m.current)} 件）")
            elif m.current is None:
                items.append(f"{_text(m.name)}（本月未列出，上月 {_text(m.previous)} 件）")
            else:
                items.append(f"{_text(m.name)} {_signed(m.delta)} 件（{_text(m.previous)} → {_text(m.current)}）")
        text += f"    - **诉求类型**：{'、'.join(items)}。\n\n"
    return Markup(text)


def intake_rows(lines: Iterable[Line]) -> Markup:
    """A notice's table of hotlines (its intake), each row a line ending in a newline."""
    rows = []
    for line in lines:
        note = f"（{_text(line.note)}）" if line.note is not None else ""
        tag = '<span class="tag">留号并行</span>' if line.kind is LineKind.parallel else ""
        legal = "（法律咨询）" if line.consultations is not None else ""
        if line.completion_rate is not None:
            rate = _text(percent(line.completion_rate))
        elif line.on_time_completion_rate is not None:
            rate = f"{_text(percent(line.on_time_completion_rate))}（按期）"
        else:
            rate = "—"
        rows.append(
            f'<tr><th scope="row">{_text(line.number)}{_text(line.name)}{note}{tag}</th>'
            f'<td class="num">{_cell(line.contacts)}{legal}</td><td class="num">{_cell(line.registered)}</td>'
            f'<td class="num">{_cell(line.completed)}</td><td class="num">{rate}</td>'
            f'<td class="num">{_cell(line.satisfaction_rate, "%")}</td></tr>\n'
        )
    return Markup("".join(rows))


def conversion_rows(lines: Iterable[Line]) -> Markup:
    """A notice's table of each hotline's registration and completion ratios, each row a line
    ending in a newline."""
    return Markup(
        "".join(
            f'<tr><th scope="row">{_text(line.number)}{_text(line.name)}</th><td class="num">{_cell(line.contacts)}</td>'
            f'<td class="num">{_cell(line.registered)}</td><td class="num">{_cell(line.registration_ratio, "%")}</td>'
            f'<td class="num">{_cell(line.completed)}</td><td class="num">{_cell(line.completion_ratio, "%")}</td></tr>\n'
            for line in lines
        )
    )


def _cell(value: object, suffix: str = "") -> str:
    """:func:`generator.render.cell` as text (a suffix here never needs escaping)."""
    return "—" if value is None else f"{_text(value)}{suffix}"


_INTAKE_COLUMNS = ("热线", "接听（人次）", "登记交办（件）", "已办结（件）", "办结率", "满意率")
_CONVERSION_COLUMNS = ("热线", "接听（人次）", "登记交办（件）", "交办比例", "已办结（件）", "办结比例")
_CATEGORY_COLUMNS = ("类别", "件数", "占比", "主要涉及")


def intake_table(intake: Intake) -> Markup:
    """A notice's table of hotlines with the 12345 totals as its footer (the notice prints them)."""
    phone = intake.phone
    assert phone is not None  # the template draws the table only then
    body = (
        f"<tbody>\n{intake_rows(intake.lines)}</tbody>\n<tfoot>\n"
        f'<tr><th scope="row">合计</th><td class="num">{_text(phone.calls)}</td><td class="num">{_text(phone.registered)}</td>'
        f'<td class="num">{_text(phone.completed)}</td><td class="num">{_text(percent(phone.completion_rate))}</td>'
        f'<td class="num">{_cell(phone.satisfaction_rate, "%")}</td></tr>\n</tfoot>'
    )
    return _table("各热线接听受理情况", _INTAKE_COLUMNS, body, (1, 2, 3, 4, 5))


def conversion_table(lines: Iterable[Line]) -> Markup:
    """A notice's table of each hotline's registration and completion ratios."""
    body = f"<tbody>\n{conversion_rows(lines)}</tbody>"
    return _table("受理转化：接听 → 登记交办 → 已办结", _CONVERSION_COLUMNS, body, (1, 2, 3, 4, 5))


def category_table(href: Href, category_path: Path, categories: Iterable[Category]) -> Markup:
    """A notice's categories as the search index's table, each linked to the category's page."""
    rows = "".join(
        f'<tr><th scope="row"><a href="{_text(href(category_path(category.name)))}">{_text(category.name)}</a></th>'
        f'<td class="num">{_text(category.count)}</td><td class="num">{_text(percent(category.share))}</td>'
        f"<td>{_text('、'.join(category.topics))}{'等' if category.topics else ''}</td></tr>\n"
        for category in categories
    )
    body = f"<tbody>\n{rows}</tbody>"
    return _table("诉求类型分布（原通报列出的类别）", _CATEGORY_COLUMNS, body, (1, 2))


def intake_summary(publisher: Publisher, period: str, intake: Intake) -> Markup:
    """A notice's intake as its first section tells it: the totals of its hotline and web platform
    in a sentence, its hotlines (:func:`intake_table`), its web platforms, and its hotlines' ratios
    (:func:`conversion_table`) with how they are worked out; or only the total, when the notice
    gives no totals of phone and web. Ends without a newline (the template's line ends with one).
    Thirty values in a dozen lines of the template, on every notice page: drawn here for the cost."""
    month = _text(month_label(period))
    phone, web = intake.phone, intake.web
    if phone is None or web is None:
        return Markup(f"{month}份共受理{_text(intake.total)}件。本期通报未分列热线电话和网络平台的合计数。")
    satisfaction = "" if phone.satisfaction_rate is None else f"，满意率{_text(percent(phone.satisfaction_rate))}"
    text = (
        f"{month}份，{_text(publisher.city)}{_text(publisher.hotline)}平台共受理各类来电来信{_text(intake.total)}件。"
        f"其中，接听电话{_text(phone.calls)}人次，登记交办{_text(phone.registered)}件，已办结{_text(phone.completed)}件，"
        f"办结率{_text(percent(phone.completion_rate))}{satisfaction}；网络平台受理交办{_text(web.registered)}件，"
        f"按时办结回复{_text(web.replied)}件，办理回复率{_text(percent(web.reply_rate))}。\n\n{intake_table(intake)}"
    )
    channels = intake.web_channels
    if channels is not None:
        text += (
            f"\n通过{_text('、'.join(channels.platforms))}等网络平台受理交办{_text(channels.registered)}件，"
            f"按时办结回复{_text(channels.replied)}件。\n"
        )
    return Markup(
        f"{text}\n{conversion_table(intake.lines)}\n"
        "交办比例 = 登记交办 ÷ 接听人次，办结比例 = 已办结 ÷ 登记交办，由本站按原文件数计算，保留一位小数。"
    )


def work_update_items(updates: Iterable[WorkUpdate]) -> Markup:
    """A notice's work updates, each a paragraph led by its ordinal and title in bold (**一是…。**),
    each followed by a blank line."""
    return Markup(
        "".join(f"**{_text(chinese_number(i))}是{_text(u.title)}。**{_text(u.text)}\n\n" for i, u in enumerate(updates, 1))
    )


def notice_cases(district_path: Path, link: Link, kind: CaseKind, cases: Iterable[Case]) -> Markup:
    """A notice's cases of one kind, each under its numbered heading: intro, example, handling,
    reasons and the districts concerned (linked to their pages); each part after a blank line."""
    parts = []
    for i, case in enumerate(cases, 1):
        parts.append(f"\n#### {i}. {_text(case.topic)} {{#{_text(kind.value)}-{i}}}\n")
        if case.intro is not None:
            parts.append(f"\n{_text(case.intro)}\n")
        parts.append(f"\n**典型案例：**{_text(case.example)}\n\n**处办情况：**{_text(case.handling)}\n")
        if case.reasons:
            parts.append("\n**难办原因：**\n\n")
            parts.extend(f"{j}. {_text(chinese_number(j))}是{_text(reason)}\n" for j, reason in enumerate(case.reasons, 1))
        if case.areas:
            parts.append("\n**涉及区域：**\n\n")
            last = len(case.areas)
            for j, area in enumerate(case.areas, 1):
                places = f"：{_text('、'.join(area.places))}" if area.places else ""
                more = " 等" if j == last and case.areas_partial else ""
                parts.append(f"- **[{_text(area.district)}]({_text(link(district_path(area.district)))})**{places}{more}\n")
    return Markup("".join(parts))


@functools.cache
def checks_list(acknowledged: frozenset[CheckId]) -> Markup:
    """A notice's list of the checks it passed, lines joined by newlines: the same for nearly every
    notice (those with no acknowledged inconsistency), so made once for each set of checks."""
    return Markup(
        "\n".join(
            f"- {_text(title)}：{'原通报有不一致之处，见页首说明' if check in acknowledged else '通过'}"
            for check, title in CHECK_TITLES.items()
        )
    )


def downloads_list(link: Link, downloads: Iterable[tuple[str, str]]) -> Markup:
    """A notice's downloads, (path, label) each, as a Markdown list: each item a line ending in a newline."""
    return Markup("".join(f"- [{_text(label)}]({_text(link(path))})\n" for path, label in downloads))
