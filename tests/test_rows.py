"""Rows drawn in Python (generator/rows.py) are what the template loops they replaced wrote, for
MADE-UP values of every kind: markup, Markdown syntax, line starts, invisible characters, numbers
of either sign. Each reference below is the loop as it stood in the templates, rendered by the
site's own Jinja environment."""

from __future__ import annotations

import posixpath
from decimal import Decimal
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import rows
from generator.history import (
    METRICS,
    CategoryMonth,
    CategoryMove,
    Change,
    DistrictCase,
    GroupMoves,
    Headline,
    MonthChanges,
    Mover,
    UnitMessages,
    UnitMonth,
    extra_columns,
)
from generator.model import (
    Area,
    Case,
    CaseKind,
    Category,
    ChangeBasis,
    CheckId,
    Direction,
    Intake,
    IntakeChange,
    Line,
    LineKind,
    MessageRow,
    MessageTotals,
    PhoneTotals,
    Publisher,
    RankingGroup,
    RankingRow,
    UnitGroup,
    WebChannels,
    WebMessages,
    WebTotals,
    WorkUpdate,
)
from generator.pages import category_path, district_path, notice_path, unit_path
from generator.render import environment, escape_value, folder_link, href, signed
from generator.timeline import Year

_CHARACTERS = st.one_of(st.sampled_from("<>&\"'|*_[]#-+=1.)\n\u202e 甲"), st.characters(codec="utf-8"))
TEXT = st.text(_CHARACTERS, min_size=1, max_size=12)
PERIODS = st.builds(lambda year, month: f"{year}-{month:02d}", st.integers(2000, 2030), st.integers(1, 12))
SCORES = st.decimals(min_value=-200, max_value=200, places=2)
CELLS = st.one_of(TEXT, st.integers(-(10**6), 10**6), SCORES)
HREF = partial(href, "/站点/")

UNIT_ROWS = """{% for month in months %}
<tr><th scope="row"><a href="{{ href(notice_path(month.period)) }}#{{ month.anchor }}">{{ month.period | period_label }}</a></th>{% for column in extra %}{% set value = month.value(column) %}<td class="num">{% if value is none %}—{% else %}{{ value }}{% endif %}</td>{% endfor %}<td class="num">{{ month.score }}</td><td class="num">{{ month.rank }}/{{ month.group_size }}</td><td class="num">{% if month.rank_change is none %}—{% elif month.rank_change > 0 %}↑{{ month.rank_change }}{% elif month.rank_change < 0 %}↓{{ -month.rank_change }}{% else %}持平{% endif %}</td><td>{% if month.is_last %}本组末位{% endif %}{% if month.is_last and month.below_threshold %}；{% endif %}{% if month.below_threshold %}低于分数线{% endif %}{% if month.printed_name != unit.name %}{% if month.is_last or month.below_threshold %}；{% endif %}通报中写作“{{ month.printed_name }}”{% endif %}</td></tr>
{% endfor %}
"""

RANKING_ROWS = """{% for row in group.rows %}
<tr{% if threshold is not none and row.score < threshold %} class="below-threshold"{% endif %}><th scope="row"><a href="{{ href(unit_path(units[row.unit])) }}">{{ row.unit }}</a></th>{% for value in row.values %}<td class="num">{{ value }}</td>{% endfor %}<td class="num">{{ row.score }}</td><td class="num">{{ row.rank }}</td></tr>
{% endfor %}
"""

CATEGORY_ROWS = """{% for month in months %}
<tr><th scope="row"><a href="{{ href(notice_path(month.period)) }}#categories">{{ month.period | period_label }}</a></th><td class="num">{{ month.count }}</td><td class="num">{{ month.share | percent }}</td><td>{{ month.topics | join("、") }}{% if month.topics %}等{% endif %}</td></tr>
{% endfor %}
"""

CASE_ITEMS = """{% for case in cases %}
- **{{ case.period | period_label }} · {{ CASE_LABELS[case.kind] }}**：[{{ case.topic }}]({{ link(notice_path(case.period)) }}#{{ case.kind.value }}-{{ case.number }}){% if case.places %}——{{ case.places | join("、") }}{% if case.partial %}等{% endif %}{% endif %}

{% endfor %}
"""


def _render(source: str, **context: object) -> str:
    return environment().from_string(source).render(href=HREF, notice_path=notice_path, unit_path=unit_path, **context)


@st.composite
def unit_months(draw: st.DrawFn) -> tuple[list[str], list[UnitMonth]]:
    columns = draw(st.lists(TEXT, max_size=3, unique=True))
    months = []
    for _ in range(draw(st.integers(0, 4))):
        values = tuple((column, draw(CELLS)) for column in columns if draw(st.booleans()))
        months.append(
            UnitMonth(
                period=draw(PERIODS),
                printed_name=draw(st.sampled_from(["单位甲", "单位乙"]) | TEXT),
                group_title=draw(TEXT),
                score=draw(SCORES),
                rank=draw(st.integers(1, 99)),
                group_size=draw(st.integers(1, 99)),
                is_last=draw(st.booleans()),
                below_threshold=draw(st.booleans()),
                rank_change=draw(st.none() | st.integers(-50, 50)),
                anchor=draw(st.sampled_from(["attachment-1", "rankings"]) | TEXT),
                values=values,
            )
        )
    return columns, months


@given(unit_months())
@settings(max_examples=200, deadline=None)
def test_a_units_months_are_the_template_loops_rows(drawn: tuple[list[str], list[UnitMonth]]) -> None:
    columns, months = drawn
    month_cell = partial(rows.month_cell, HREF, notice_path)
    expected = _render(UNIT_ROWS, unit={"name": "单位甲"}, months=months, extra=columns).strip()
    assert rows.unit_month_rows(month_cell, "单位甲", months, columns) == expected


# The tables as the unit page and its years pages drew them, with the rows of the builders above.
UNIT_TABLE = """{% call table(caption, ["月份"] + extra + ["得分", "排名", "名次变化", "备注"], numeric=range(1, 4 + extra | length), search=False) %}
<tbody>
{{ unit_month_rows(unit.name, months, extra) }}
</tbody>
{% endcall %}
"""

UNIT_MESSAGE_TABLE = """{% call table(caption, ["月份", "办件总数", "已回复数", "未回复数"], numeric=(1, 2, 3), search=False) %}
<tbody>
{{ unit_message_rows(messages) }}
</tbody>
{% endcall %}
"""

UNIT_MESSAGES = st.builds(
    UnitMessages,
    period=PERIODS,
    total=st.integers(0, 10**6),
    replied=st.integers(0, 10**6),
    unreplied=st.integers(-5, 10**6),
    anchor=st.sampled_from(["attachment-2", "web-messages"]) | TEXT,
)


@given(unit_months(), TEXT)
@settings(max_examples=100, deadline=None)
def test_a_units_table_of_months_is_the_templates_call_block(drawn: tuple[list[str], list[UnitMonth]], caption: str) -> None:
    columns, months = drawn
    month_cell = partial(rows.month_cell, HREF, notice_path)
    expected = _render(
        UNIT_TABLE,
        caption=caption,
        unit={"name": "单位甲"},
        months=months,
        extra=columns,
        unit_month_rows=partial(rows.unit_month_rows, month_cell),
    )
    # The line that prints the table in the template ends it with a newline.
    assert rows.unit_month_table(month_cell, caption, "单位甲", months, columns) + "\n" == expected


@given(st.lists(UNIT_MESSAGES, max_size=4), TEXT)
@settings(max_examples=100, deadline=None)
def test_a_units_table_of_web_messages_is_the_templates_call_block(messages: list[UnitMessages], caption: str) -> None:
    month_cell = partial(rows.month_cell, HREF, notice_path)
    expected = _render(
        UNIT_MESSAGE_TABLE, caption=caption, messages=messages, unit_message_rows=partial(rows.unit_message_rows, month_cell)
    )
    assert rows.unit_message_table(month_cell, caption, messages) + "\n" == expected


# A unit's years page from its years to the note under them, as the template's loop drew it and
# as it draws it now.
YEAR_LOOP = """{% set shown = namespace(extra=false) %}
{% for year in years %}

## {{ year }}年 {#year-{{ year }}}
{% if year in months_by_year %}

{% set extra = extra_columns(months_by_year[year].items) %}
{% set shown.extra = shown.extra or extra | length > 0 %}
{{ unit_month_table(unit.name ~ year ~ "年每月得分与排名", unit.name, months_by_year[year].items, extra) }}
{% endif %}
{% if year in messages_by_year %}

{{ unit_message_table(unit.name ~ year ~ "年网络留言办理情况", messages_by_year[year].items) }}
{% endif %}
{% endfor %}

注。{{ "另有列。" if shown.extra else "" }}
"""

YEAR_SECTIONS = """{% set sections, extra_shown = unit_year_sections(unit.name, years, months_by_year, messages_by_year) %}
{{ sections }}

注。{{ "另有列。" if extra_shown else "" }}
"""


@given(
    st.lists(st.integers(1990, 2030).map(str), min_size=1, max_size=4, unique=True),
    st.lists(unit_months(), min_size=4, max_size=4),
    st.lists(st.lists(UNIT_MESSAGES, min_size=1, max_size=3), min_size=4, max_size=4),
    st.lists(st.booleans(), min_size=8, max_size=8),
    TEXT,
)
@settings(max_examples=100, deadline=None)
def test_a_units_years_are_the_template_loops_sections(
    years: list[str],
    drawn: list[tuple[list[str], list[UnitMonth]]],
    messages: list[list[UnitMessages]],
    shown: list[bool],
    unit: str,
) -> None:
    month_cell = partial(rows.month_cell, HREF, notice_path)
    context = {
        "unit": {"name": unit},
        "years": years,
        "months_by_year": {year: Year(year, tuple(drawn[i][1])) for i, year in enumerate(years) if shown[i] and drawn[i][1]},
        "messages_by_year": {year: Year(year, tuple(messages[i])) for i, year in enumerate(years) if shown[4 + i]},
        "extra_columns": extra_columns,
        "unit_month_table": partial(rows.unit_month_table, month_cell),
        "unit_message_table": partial(rows.unit_message_table, month_cell),
        "unit_year_sections": partial(rows.unit_year_sections, month_cell),
    }
    assert _render(YEAR_SECTIONS, **context) == _render(YEAR_LOOP, **context)


# The macro as it stood in _history.md.j2, printed as the pages printed it (``| safe | trim``).
PAGES_LIST = """{% macro pages_list(link, entity, all_pages, current=none) %}
{% for pages, years in all_pages %}
{% if pages == current %}**{{ decade_label(pages) }}**{% else %}[{{ decade_label(pages) }}]({{ link(history_path(entity, pages)) }}){% endif %}{{ " · " if not loop.last }}
{%- endfor %}

{% endmacro %}
{{ pages_list(link, entity, all_pages, current) | safe | trim }}"""

DECADES = st.integers(0, 300).map(lambda first: f"{first * 10}-{first * 10 + 9}")


@given(
    st.lists(st.tuples(DECADES, st.lists(st.just("2001"), max_size=2)), max_size=4, unique_by=lambda page: page[0]),
    st.none() | DECADES,
    TEXT.map(lambda name: f"units/{name}.md"),
)
@settings(max_examples=200, deadline=None)
def test_the_list_of_years_pages_is_the_macros(all_pages: list[tuple[str, list[str]]], current: str | None, entity: str) -> None:
    link = partial(folder_link, posixpath.dirname(entity))
    expected = _render(PAGES_LIST, link=link, entity=entity, all_pages=all_pages, current=current)
    assert rows.pages_list(link, entity, all_pages, current) == expected


@given(
    st.lists(st.tuples(TEXT, SCORES, st.lists(CELLS, min_size=2, max_size=2)), min_size=1, max_size=5),
    st.none() | SCORES,
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_a_ranking_groups_rows_are_the_template_loops_rows(
    drawn: list[tuple[str, Decimal, list[str | int | Decimal]]], threshold: Decimal | None, columns: bool
) -> None:
    group = RankingGroup.model_construct(
        title="表",
        group=UnitGroup.county,
        columns=["件数", "满意率"] if columns else [],
        rows=[
            RankingRow.model_construct(unit=unit, score=score, rank=rank, values=values if columns else [])
            for rank, (unit, score, values) in enumerate(drawn, 1)
        ],
    )
    units = {unit: f"正名{unit}" for unit, _, _ in drawn}
    unit_link = partial(rows.unit_link, HREF, unit_path, units)
    assert rows.ranking_rows(unit_link, group, threshold) == _render(RANKING_ROWS, group=group, threshold=threshold, units=units)


CASES = st.builds(
    DistrictCase,
    period=PERIODS,
    kind=st.sampled_from(CaseKind),
    number=st.integers(1, 20),
    topic=TEXT,
    places=st.lists(TEXT, max_size=3).map(tuple),
    partial=st.booleans(),
)


@given(st.lists(CASES, max_size=5), st.sampled_from(["districts", "districts/某区"]))
@settings(max_examples=200, deadline=None)
def test_a_districts_cases_are_the_template_loops_items(cases: list[DistrictCase], folder: str) -> None:
    link = partial(folder_link, folder)
    expected = _render(CASE_ITEMS, cases=cases, link=link)
    assert rows.case_items(notice_path, link, cases) == expected


CATEGORY_MONTHS = st.builds(
    CategoryMonth, period=PERIODS, count=st.integers(0, 10**6), share=SCORES, topics=st.lists(TEXT, max_size=3).map(tuple)
)


@given(st.lists(CATEGORY_MONTHS, max_size=5))
@settings(max_examples=200, deadline=None)
def test_a_categorys_months_are_the_template_loops_rows(months: list[CategoryMonth]) -> None:
    month_cell = partial(rows.month_cell, HREF, notice_path)
    assert rows.category_rows(month_cell, months) == _render(CATEGORY_ROWS, months=months).strip()


# The macros as they stood in _macros.md.j2 (change and printed were used by key_figures only).
KEY_FIGURES = """{% macro change(c, unit) -%}
{% if c is none %}—{% elif c.is_rate %}{{ c.delta | signed }} 个百分点{% elif c.percent is not none %}{{ c.delta | signed }}{{ unit }}（{{ c.percent | signed }}%）{% else %}{{ c.delta | signed }}{{ unit }}{% endif %}
{%- endmacro %}

{##- A change the notice prints (intake.changes), in its own words; ``differs`` is the change computed
    from the earlier notice when the two do not agree. -##}
{% macro printed(changes, differs, unit) -%}
{% set BASES = {"year_on_year": "同比", "month_on_month": "环比", "previous_month": "较上月"} %}
{% for c in changes %}{% set up = c.direction.value == "up" %}{{ BASES[c.basis.value] }}{% if c.count is not none %}{{ "增加" if up else "减少" }} {{ c.count }} 件{% endif %}{% if c.count is not none and c.percent is not none %}、{% endif %}{% if c.percent is not none %}{{ "增长" if up else "下降" }} {{ c.percent }}%{% endif %}{{ "，" if not loop.last }}{% endfor %}（照原通报）{% if differs is not none %}；按{{ differs.period | period_label }}通报的数字计算为 {{ change(differs, unit) | safe }}，与原通报所印不同{% endif %}
{%- endmacro %}

{% macro key_figures(items, label) %}
<dl class="key-figures" aria-label="{{ label }}">
{% for item in items %}
<div><dt>{{ item.metric.label }}</dt><dd>{{ item.value }}{% if item.metric.unit == "%" %}%{% else %} {{ item.metric.unit }}{% endif %}</dd>{% set mom = item.mom_printed or item.mom is not none or item.mom_missing is not none %}{% set yoy = item.yoy_printed or item.yoy is not none or item.yoy_missing is not none %}{% if mom or yoy %}<dd class="key-change">{% if item.mom_printed %}{{ printed(item.mom_printed, item.mom if item.mom_differs else none, item.metric.unit) | safe }}{% elif item.mom is not none %}环比 {{ change(item.mom, item.metric.unit) | safe }}{% elif mom %}环比 —（{{ item.mom_missing | period_label }}通报未公布此项）{% endif %}{% if mom and yoy %}<br>{% endif %}{% if item.yoy_printed %}{{ printed(item.yoy_printed, item.yoy if item.yoy_differs else none, item.metric.unit) | safe }}{% elif item.yoy is not none %}同比 {{ change(item.yoy, item.metric.unit) | safe }}{% elif yoy %}同比 —（{{ item.yoy_missing | period_label }}通报未公布此项）{% endif %}</dd>{% endif %}</div>
{% endfor %}
</dl>
{% endmacro %}"""

CHANGES = st.builds(Change, period=PERIODS, previous=SCORES, current=SCORES, is_rate=st.booleans())
PRINTED = st.builds(
    IntakeChange.model_construct,
    basis=st.sampled_from(ChangeBasis),
    direction=st.sampled_from(Direction),
    percent=st.none() | st.decimals(min_value=0, max_value=999, places=1),
    count=st.none() | st.integers(0, 10**6),
)
HEADLINES = st.builds(
    Headline,
    metric=st.sampled_from(METRICS),
    value=st.integers(0, 10**6) | SCORES,
    mom=st.none() | CHANGES,
    yoy=st.none() | CHANGES,
    mom_missing=st.none() | PERIODS,
    yoy_missing=st.none() | PERIODS,
    mom_printed=st.lists(PRINTED, max_size=2).map(tuple),
    yoy_printed=st.lists(PRINTED, max_size=2).map(tuple),
)


@given(st.lists(HEADLINES, max_size=6), TEXT)
@settings(max_examples=200, deadline=None)
def test_key_figures_are_the_templates_macros(items: list[Headline], label: str) -> None:
    macros = environment().from_string(KEY_FIGURES).make_module()
    assert rows.key_figures(items, label) == macros.key_figures(items, label)  # type: ignore[attr-defined]


@given(st.integers(-(10**30), 10**30) | st.decimals(allow_nan=False, allow_infinity=False))
def test_a_signed_change_is_the_filters_text_escaped(value: int | Decimal) -> None:
    assert rows._signed(value) == escape_value(signed(value))


# The block as it stood in notice.md.j2.
CHANGES_NOTE = """{% if changes is not none %}

!!! abstract "与上月（{{ changes.previous_period | period_label }}）相比"

{% for group in changes.groups if group.up or group.down or group.newly_last or group.unpublished %}
    - **{{ GROUP_LABELS[group.group] }}**：{% if group.unpublished == "previous" %}上月通报未公布此组排名，无从比较。{% elif group.unpublished == "current" %}本月通报未公布此组排名（上月通报公布了）。{% endif %}{% if group.up %}名次上升最多的是{% for m in group.up %}{{ m.unit }}（第 {{ m.previous_rank }} → {{ m.rank }} 名）{{ "、" if not loop.last }}{% endfor %}{{ "；" if group.down or group.newly_last else "。" }}{% endif %}{% if group.down %}下降最多的是{% for m in group.down %}{{ m.unit }}（第 {{ m.previous_rank }} → {{ m.rank }} 名）{{ "、" if not loop.last }}{% endfor %}{{ "；" if group.newly_last else "。" }}{% endif %}{% if group.newly_last %}本月新列末位：{{ group.newly_last | join("、") }}。{% endif %}

{% endfor %}
{% set PARTS = {"rankings": "排名", "categories": "诉求类型件数"} %}
{% if not changes.anything and changes.compared %}
    {{ "排名和诉求类型件数" if changes.compared | length == 2 else PARTS[changes.compared[0]] }}与上月相同。

{% endif %}
{% for part in changes.previous_lacks %}
    - **{{ PARTS[part] }}**：上月通报未公布，无从比较。

{% endfor %}
{% for part in changes.current_lacks %}
    - **{{ PARTS[part] }}**：本月通报未公布（上月通报公布了）。

{% endfor %}
{% set moved = changes.categories | selectattr("delta") | list %}
{% if moved %}
    - **诉求类型**：{% for m in moved[:4] %}{{ m.name }}{% if m.previous is none %}（本月新列出，{{ m.current }} 件）{% elif m.current is none %}（本月未列出，上月 {{ m.previous }} 件）{% else %} {{ m.delta | signed }} 件（{{ m.previous }} → {{ m.current }}）{% endif %}{{ "、" if not loop.last }}{% endfor %}。

{% endif %}
{% endif %}
"""

MOVERS = st.lists(st.builds(Mover, unit=TEXT, previous_rank=st.integers(1, 99), rank=st.integers(1, 99)), max_size=3).map(tuple)
GROUP_MOVES = st.builds(
    GroupMoves,
    group=st.sampled_from(UnitGroup),
    up=MOVERS,
    down=MOVERS,
    newly_last=st.lists(TEXT, max_size=2).map(tuple),
    unpublished=st.sampled_from([None, "previous", "current"]),
)
CATEGORY_MOVES = st.builds(
    CategoryMove, name=TEXT, previous=st.none() | st.integers(0, 10**5), current=st.none() | st.integers(0, 10**5)
)
PARTS = st.sampled_from([(), ("rankings",), ("categories",), ("rankings", "categories")])
MONTH_CHANGES = st.builds(
    MonthChanges,
    previous_period=PERIODS,
    groups=st.lists(GROUP_MOVES, max_size=3).map(tuple),
    categories=st.lists(CATEGORY_MOVES, max_size=6).map(tuple),
    compared=PARTS,
    previous_lacks=PARTS,
    current_lacks=PARTS,
)


@given(MONTH_CHANGES)
@settings(max_examples=200, deadline=None)
def test_the_changes_note_is_the_templates_block(changes: MonthChanges) -> None:
    assert rows.changes_note(changes) == _render(CHANGES_NOTE, changes=changes)


INTAKE_ROWS = """{% for line in intake.lines %}
<tr><th scope="row">{{ line.number }}{{ line.name }}{% if line.note is not none %}（{{ line.note }}）{% endif %}{% if line.kind.value == "parallel" %}<span class="tag">留号并行</span>{% endif %}</th><td class="num">{{ line.contacts | cell }}{% if line.consultations is not none %}（法律咨询）{% endif %}</td><td class="num">{{ line.registered | cell }}</td><td class="num">{{ line.completed | cell }}</td><td class="num">{% if line.completion_rate is not none %}{{ line.completion_rate | percent }}{% elif line.on_time_completion_rate is not none %}{{ line.on_time_completion_rate | percent }}（按期）{% else %}—{% endif %}</td><td class="num">{{ line.satisfaction_rate | cell("%") }}</td></tr>
{% endfor %}
"""

CONVERSION_ROWS = """{% for line in intake.lines %}
<tr><th scope="row">{{ line.number }}{{ line.name }}</th><td class="num">{{ line.contacts | cell }}</td><td class="num">{{ line.registered | cell }}</td><td class="num">{{ line.registration_ratio | cell("%") }}</td><td class="num">{{ line.completed | cell }}</td><td class="num">{{ line.completion_ratio | cell("%") }}</td></tr>
{% endfor %}
"""

COUNTS = st.none() | st.integers(0, 10**6)
RATES = st.none() | st.decimals(min_value=0, max_value=100, places=2)
LINES = st.builds(
    Line.model_construct,
    number=st.sampled_from(["12345", "12315"]) | TEXT,
    name=TEXT,
    kind=st.sampled_from(LineKind),
    note=st.none() | TEXT,
    calls=COUNTS,
    consultations=COUNTS,
    registered=COUNTS,
    completed=COUNTS,
    completion_rate=RATES,
    on_time_completion_rate=RATES,
    satisfaction_rate=RATES,
)


@given(st.lists(LINES, max_size=4))
@settings(max_examples=200, deadline=None)
def test_a_notices_hotline_rows_are_the_template_loops_rows(lines: list[Line]) -> None:
    assert rows.intake_rows(lines) == _render(INTAKE_ROWS, intake={"lines": lines})
    assert rows.conversion_rows(lines) == _render(CONVERSION_ROWS, intake={"lines": lines})


# The block as it stood in notice.md.j2 (its tables by intake_table and conversion_table, tested above).
INTAKE_SUMMARY = """{% if intake.phone is not none and intake.web is not none %}
{{ notice.meta.period | month_label }}份，{{ publisher.city }}{{ publisher.hotline }}平台共受理各类来电来信{{ intake.total }}件。其中，接听电话{{ intake.phone.calls }}人次，登记交办{{ intake.phone.registered }}件，已办结{{ intake.phone.completed }}件，办结率{{ intake.phone.completion_rate | percent }}{% if intake.phone.satisfaction_rate is not none %}，满意率{{ intake.phone.satisfaction_rate | percent }}{% endif %}；网络平台受理交办{{ intake.web.registered }}件，按时办结回复{{ intake.web.replied }}件，办理回复率{{ intake.web.reply_rate | percent }}。

{{ intake_table(intake) -}}
{% if intake.web_channels is not none %}

通过{{ intake.web_channels.platforms | join("、") }}等网络平台受理交办{{ intake.web_channels.registered }}件，按时办结回复{{ intake.web_channels.replied }}件。
{% endif %}

{{ conversion_table(intake.lines) }}
交办比例 = 登记交办 ÷ 接听人次，办结比例 = 已办结 ÷ 登记交办，由本站按原文件数计算，保留一位小数。
{% else %}
{{ notice.meta.period | month_label }}份共受理{{ intake.total }}件。本期通报未分列热线电话和网络平台的合计数。
{% endif %}
"""

INTAKES = st.builds(
    Intake.model_construct,
    total=st.integers(0, 10**6),
    phone=st.none()
    | st.builds(
        PhoneTotals.model_construct,
        calls=st.integers(0, 10**6),
        registered=st.integers(0, 10**6),
        completed=st.integers(0, 10**6),
        completion_rate=SCORES,
        satisfaction_rate=st.none() | SCORES,
    ),
    web=st.none()
    | st.builds(WebTotals.model_construct, registered=st.integers(0, 10**6), replied=st.integers(0, 10**6), reply_rate=SCORES),
    lines=st.lists(LINES, max_size=2),
    web_channels=st.none()
    | st.builds(
        WebChannels.model_construct,
        platforms=st.lists(TEXT, min_size=1, max_size=3),
        registered=st.integers(0, 10**6),
        replied=st.integers(0, 10**6),
    ),
)


@given(INTAKES, PERIODS, TEXT, TEXT)
@settings(max_examples=200, deadline=None)
def test_a_notices_intake_is_the_templates_block(intake: Intake, period: str, city: str, hotline: str) -> None:
    made_up = "https://example.org/"
    publisher = Publisher.model_construct(
        city=city, hotline=hotline, site_title="", site_description="", website=made_up, data_license="", data_license_url=made_up
    )
    notice = {"meta": {"period": period}}
    expected = _render(
        INTAKE_SUMMARY,
        intake=intake,
        notice=notice,
        publisher=publisher,
        intake_table=rows.intake_table,
        conversion_table=rows.conversion_table,
    )
    assert f"{rows.intake_summary(publisher, period, intake)}\n" == expected


WORK_UPDATES = """{% for update in updates %}
**{{ loop.index | chinese_number }}是{{ update.title }}。**{{ update.text }}

{% endfor %}
"""


@given(st.lists(st.builds(WorkUpdate.model_construct, title=TEXT, text=TEXT), max_size=12))
@settings(max_examples=200, deadline=None)
def test_a_notices_work_updates_are_the_template_loops_paragraphs(updates: list[WorkUpdate]) -> None:
    assert rows.work_update_items(updates) == _render(WORK_UPDATES, updates=updates)


NOTICE_CASES = """{% for case in cases %}

#### {{ loop.index }}. {{ case.topic }} {#{{ kind.value }}-{{ loop.index }}}
{% if case.intro is not none %}

{{ case.intro }}
{% endif %}

**典型案例：**{{ case.example }}

**处办情况：**{{ case.handling }}
{% if case.reasons %}

**难办原因：**

{% for reason in case.reasons %}
{{ loop.index }}. {{ loop.index | chinese_number }}是{{ reason }}
{% endfor %}
{% endif %}
{% if case.areas %}

**涉及区域：**

{% for area in case.areas %}
- **[{{ area.district }}]({{ link(district_path(area.district)) }})**{% if area.places %}：{{ area.places | join("、") }}{% endif %}{% if loop.last and case.areas_partial %} 等{% endif %}

{% endfor %}
{% endif %}
{% endfor %}
"""

NOTICE_CASE = st.builds(
    Case.model_construct,
    topic=TEXT,
    intro=st.none() | TEXT,
    example=TEXT,
    handling=TEXT,
    reasons=st.lists(TEXT, max_size=3),
    areas=st.lists(st.builds(Area.model_construct, district=TEXT, places=st.lists(TEXT, max_size=2)), max_size=3),
    areas_partial=st.booleans(),
)


@given(st.sampled_from(CaseKind), st.lists(NOTICE_CASE, max_size=3))
@settings(max_examples=200, deadline=None)
def test_a_notices_cases_are_the_template_loops_sections(kind: CaseKind, cases: list[Case]) -> None:
    link = partial(folder_link, "notices")
    expected = _render(NOTICE_CASES, kind=kind, cases=cases, link=link, district_path=district_path)
    assert rows.notice_cases(district_path, link, kind, cases) == expected


CHECKS_LIST = """{% for check, title in CHECK_TITLES.items() %}
- {{ title }}：{% if check in record.acknowledged_checks %}原通报有不一致之处，见页首说明{% else %}通过{% endif %}

{% endfor %}
"""


@given(st.frozensets(st.sampled_from(CheckId)))
@settings(max_examples=50, deadline=None)
def test_a_notices_checks_are_the_template_loops_items(acknowledged: frozenset[CheckId]) -> None:
    expected = _render(CHECKS_LIST, record={"acknowledged_checks": acknowledged})
    assert f"{rows.checks_list(acknowledged)}\n" == expected


DOWNLOADS_LIST = """{% for path, label in downloads %}
- [{{ label }}]({{ link(path) }})
{% endfor %}
"""


@given(st.lists(st.tuples(TEXT, TEXT), max_size=4))
@settings(max_examples=100, deadline=None)
def test_a_notices_downloads_are_the_template_loops_items(downloads: list[tuple[str, str]]) -> None:
    link = partial(folder_link, "notices")
    assert rows.downloads_list(link, downloads) == _render(DOWNLOADS_LIST, downloads=downloads, link=link)


# The ranking_groups macro's loop as it stood in notice.md.j2 (its rows by ranking_rows, tested above).
RANKING_GROUPS = """{% for group in groups %}

{% set threshold = group.threshold %}
{% call table(group.title, group.headers, numeric=range(1, group.headers | length)) %}
<tbody>
{{ ranking_rows(group, threshold) }}</tbody>
{% endcall %}
{% if threshold is not none %}

本组最高分的 {{ group.threshold_percent }}% 为 {{ "%.2f" | format(threshold) }} 分；低于此分的单位：{{ units_below(group, threshold) }}。
{% endif %}
{% endfor %}
"""


@st.composite
def ranking_groups(draw: st.DrawFn) -> list[RankingGroup]:
    groups = []
    for _ in range(draw(st.integers(0, 3))):
        columns = draw(st.lists(TEXT, max_size=2))
        drawn = draw(st.lists(st.tuples(TEXT, SCORES), min_size=1, max_size=4))
        groups.append(
            RankingGroup.model_construct(
                title=draw(TEXT),
                group=UnitGroup.county,
                threshold_percent=draw(st.none() | st.decimals(min_value=0, max_value=100, places=1)),
                unit_label=draw(st.none() | TEXT),
                score_label=draw(st.none() | TEXT),
                columns=columns,
                rows=[
                    RankingRow.model_construct(
                        unit=unit,
                        score=score,
                        rank=rank,
                        values=draw(st.lists(CELLS, min_size=len(columns), max_size=len(columns))),
                    )
                    for rank, (unit, score) in enumerate(drawn, 1)
                ],
            )
        )
    return groups


@given(ranking_groups())
@settings(max_examples=200, deadline=None)
def test_a_notices_ranking_groups_are_the_macros_tables(groups: list[RankingGroup]) -> None:
    units = {row.unit: f"正名{row.unit}" for group in groups for row in group.rows}
    unit_link = partial(rows.unit_link, HREF, unit_path, units)
    expected = _render(
        RANKING_GROUPS, groups=groups, ranking_rows=partial(rows.ranking_rows, unit_link), units_below=rows.units_below
    )
    assert rows.ranking_tables(unit_link, groups) == expected


# The call blocks as they stood in notice.md.j2 (the hotline rows by intake_rows and conversion_rows).
INTAKE_TABLES = """{% call table("各热线接听受理情况", ["热线", "接听（人次）", "登记交办（件）", "已办结（件）", "办结率", "满意率"], numeric=(1, 2, 3, 4, 5)) %}
<tbody>
{{ intake_rows(intake.lines) }}</tbody>
<tfoot>
<tr><th scope="row">合计</th><td class="num">{{ intake.phone.calls }}</td><td class="num">{{ intake.phone.registered }}</td><td class="num">{{ intake.phone.completed }}</td><td class="num">{{ intake.phone.completion_rate | percent }}</td><td class="num">{{ intake.phone.satisfaction_rate | cell("%") }}</td></tr>
</tfoot>
{% endcall %}
{% call table("受理转化：接听 → 登记交办 → 已办结", ["热线", "接听（人次）", "登记交办（件）", "交办比例", "已办结（件）", "办结比例"], numeric=(1, 2, 3, 4, 5)) %}
<tbody>
{{ conversion_rows(intake.lines) }}</tbody>
{% endcall %}
"""

SIGNED_COUNTS = st.integers(-(10**6), 10**6)
PHONES = st.builds(
    PhoneTotals.model_construct,
    calls=SIGNED_COUNTS,
    registered=SIGNED_COUNTS,
    completed=SIGNED_COUNTS,
    completion_rate=SCORES,
    satisfaction_rate=st.none() | SCORES,
)


@given(st.lists(LINES, max_size=3), PHONES)
@settings(max_examples=200, deadline=None)
def test_a_notices_hotline_tables_are_the_call_blocks(lines: list[Line], phone: PhoneTotals) -> None:
    intake = Intake.model_construct(total=0, phone=phone, lines=lines)
    expected = _render(INTAKE_TABLES, intake=intake, intake_rows=rows.intake_rows, conversion_rows=rows.conversion_rows)
    assert rows.intake_table(intake) + rows.conversion_table(lines) == expected


CATEGORY_TABLE = """{% call table("诉求类型分布（原通报列出的类别）", ["类别", "件数", "占比", "主要涉及"], numeric=(1, 2), search=True) %}
<tbody>
{% for category in notice.categories %}
<tr><th scope="row"><a href="{{ href(category_path(category.name)) }}">{{ category.name }}</a></th><td class="num">{{ category.count }}</td><td class="num">{{ category.share | percent }}</td><td>{{ category.topics | join("、") }}{% if category.topics %}等{% endif %}</td></tr>
{% endfor %}
</tbody>
{% endcall %}
"""

CATEGORIES = st.builds(Category.model_construct, name=TEXT, count=SIGNED_COUNTS, share=SCORES, topics=st.lists(TEXT, max_size=3))


@given(st.lists(CATEGORIES, max_size=4))
@settings(max_examples=200, deadline=None)
def test_a_notices_category_table_is_the_call_block(categories: list[Category]) -> None:
    expected = _render(CATEGORY_TABLE, notice={"categories": categories}, category_path=category_path)
    assert rows.category_table(HREF, category_path, categories) == expected


MESSAGE_TABLE = """{% call table(attachment.title, ["承办单位", "办件总数", "已回复数", "未回复数"], numeric=(1, 2, 3)) %}
<tbody>
{{ message_rows(attachment.rows) }}</tbody>
{% if attachment.total_row is not none %}
<tfoot>
<tr><th scope="row">{{ attachment.total_row.label }}</th><td class="num">{{ attachment.total_row.total }}</td><td class="num">{{ attachment.total_row.replied }}</td><td class="num">{{ attachment.total_row.unreplied }}</td></tr>
</tfoot>
{% endif %}
{% endcall %}
"""

MESSAGE_ROWS = st.builds(
    MessageRow.model_construct, unit=TEXT, total=SIGNED_COUNTS, replied=SIGNED_COUNTS, unreplied=SIGNED_COUNTS
)
MESSAGE_TOTALS = st.builds(
    MessageTotals.model_construct, label=TEXT, total=SIGNED_COUNTS, replied=SIGNED_COUNTS, unreplied=SIGNED_COUNTS
)


@given(TEXT, st.lists(MESSAGE_ROWS, min_size=1, max_size=3), st.none() | MESSAGE_TOTALS)
@settings(max_examples=200, deadline=None)
def test_a_notices_web_message_table_is_the_call_block(title: str, drawn: list[MessageRow], total: MessageTotals | None) -> None:
    attachment = WebMessages.model_construct(title=title, rows=drawn, total_row=total)
    unit_link = partial(rows.unit_link, HREF, unit_path, {row.unit: f"正名{row.unit}" for row in drawn})
    expected = _render(MESSAGE_TABLE, attachment=attachment, message_rows=partial(rows.message_rows, unit_link))
    assert rows.message_table(unit_link, attachment) == expected
