"""The tables of the downloads: one CSV per table and notice, and one table each in the database.

Each table is a list of columns, and each column is the one place that says everything about it:
its machine name (SQLite, ``datapackage.json``), its Chinese title (the CSV header), its type, its
meaning (the model field's docstring where it is one) and, for a closed vocabulary, the Chinese
label of each value. The CSV writer, the database, ``datapackage.json`` and the data dictionary
on the site all read these columns, so the CSV and the database cannot drift apart. A new model
field is exported by adding one ``Column`` to its table (and, for a long table whose ``cells`` are
made a column at a time, its cells there: tests/test_tables.py checks that the two agree).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from itertools import repeat
from operator import attrgetter
from typing import Any, Generic, NamedTuple, TypeVar

from pydantic import BaseModel

from generator.checks import CHECK_TITLES
from generator.model import (
    Acknowledgement,
    Area,
    Case,
    CaseKind,
    Category,
    ChangeBasis,
    Channel,
    Direction,
    ExtraSection,
    Intake,
    IntakeChange,
    Line,
    LineKind,
    MessageRow,
    MessageTotals,
    Meta,
    Nature,
    Notice,
    PhoneTotals,
    RankingGroup,
    RankingRow,
    Rate,
    RateKind,
    TopItem,
    TopList,
    UnitRegistry,
    WebChannels,
    WebTotals,
    WorkUpdate,
)
from generator.render import CASE_LABELS, GROUP_LABELS

Cell = str | int | Decimal | bool | date | list[str] | None
"""A value as the model holds it; each output writes it its own way (see ``Kind``)."""

LIST_SEPARATOR = "\uff1b"
"""Joins the items of a list in a CSV cell (the database and JSON keep a JSON array)."""


def _labels(labels: Mapping[Any, str]) -> dict[str, str]:
    """Labels keyed by the value itself (the Enum's string), as the rows hold it."""
    return {str(value): label for value, label in labels.items()}


LINE_LABELS = _labels({LineKind.main: "12345主线", LineKind.parallel: "留号并行热线"})


class Kind(Enum):
    """A column's type: (Chinese name, SQLite type, Table Schema type)."""

    integer = ("整数", "INTEGER", "integer")
    number = ("数字（保留原文的小数位）", "REAL", "number")
    text = ("文字", "TEXT", "string")
    date = ("日期（年-月-日）", "TEXT", "date")
    boolean = ("是或否（数据库中为 1 或 0）", "INTEGER", "boolean")
    items = ("多项文字（CSV 中以“；”分隔，数据库中为 JSON 数组）", "TEXT", "string")

    @property
    def chinese(self) -> str:
        return self.value[0]

    @property
    def sqlite(self) -> str:
        return self.value[1]

    @property
    def table_schema(self) -> str:
        return self.value[2]


T = TypeVar("T")


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: the same in every notice's CSV and in the database table."""

    name: str
    """Machine name: the SQLite column and the JSON/SQLite side of the dictionary; never changes."""
    title: str
    """Chinese title: the CSV header."""
    kind: Kind
    value: Callable[[T], Cell]
    """The cell of one row."""
    description: str
    labels: Mapping[str, str] | None = None
    """Chinese label of each value of a closed vocabulary: the CSV shows the label, the database the value."""

    def csv_value(self, cell: Cell) -> Cell:
        """The cell as a CSV shows it: labels, 是/否 and joined lists (text is neutralised later)."""
        if cell is None:
            return None
        if self.labels is not None and isinstance(cell, str):
            return self.labels[cell]
        if isinstance(cell, bool):
            return "是" if cell else "否"
        if isinstance(cell, list):
            return LIST_SEPARATOR.join(cell)
        return cell

    def sqlite_value(self, cell: Cell) -> Any:
        if isinstance(cell, bool):
            return int(cell)
        if isinstance(cell, Decimal):
            return float(cell)
        if isinstance(cell, date):
            return cell.isoformat()
        if isinstance(cell, list):
            return json.dumps(cell, ensure_ascii=False)
        if isinstance(cell, int) and not -(2**63) <= cell < 2**63:
            # Python's sqlite3 refuses an integer beyond 64 bits (OverflowError); as text it is
            # stored as SQLite stores such a literal itself, as a REAL.
            return str(cell)
        return cell

    @property
    def meaning(self) -> str:
        """The description, with the values of a closed vocabulary as CSV and database write them."""
        if self.labels is None:
            return self.description
        values = "、".join(f"{label}（{value}）" for value, label in self.labels.items())
        return f"{self.description}取值：{values}。"


@dataclass(frozen=True)
class Table(Generic[T]):
    """One table of the downloads: a CSV per notice (when it has rows) and a table of the database."""

    name: str
    """Machine name: the CSV file's name and the database table's."""
    title: str
    """Chinese title, shown on the pages and in ``datapackage.json``."""
    items: Callable[[Notice, UnitRegistry], Iterable[T]]
    """What the rows are made of, one item a row, in the notice's order."""
    columns: tuple[Column[T], ...] = field(default=())
    cells: Callable[[Notice, UnitRegistry], Sequence[Sequence[Cell]]] | None = None
    """For a long table: one notice's cells column by column (the period left out), what
    ``columns`` make of ``items``, made with no item a row (tests/test_tables.py compares them)."""

    def rows(self, notice: Notice, units: UnitRegistry) -> Iterator[tuple[Cell, ...]]:
        """The rows of one notice, as the model holds the values, the period first."""
        period, values = notice.meta.period, [column.value for column in self.columns]
        for item in self.items(notice, units):
            yield (period, *[value(item) for value in values])

    def columns_of(self, notices: Iterable[Notice], units: UnitRegistry) -> tuple[list[list[Cell]], list[int]]:
        """The rows of consecutive notices, column by column (the period first), as :meth:`rows`
        makes them, and how many rows each notice has.

        Made a column at a time, by ``map`` (a C loop), with no tuple a row: most of the time
        the downloads spent making their rows was that Python loop."""
        if self.cells is not None:
            return self._columns_of_cells(self.cells, notices, units)
        periods: list[Cell] = []
        items: list[T] = []
        counts = []
        for notice in notices:
            before = len(items)
            items.extend(self.items(notice, units))
            counts.append(len(items) - before)
            periods += [notice.meta.period] * counts[-1]
        return [periods, *[list(map(column.value, items)) for column in self.columns]], counts

    def _columns_of_cells(
        self, cells: Callable[[Notice, UnitRegistry], Sequence[Sequence[Cell]]], notices: Iterable[Notice], units: UnitRegistry
    ) -> tuple[list[list[Cell]], list[int]]:
        columns: list[list[Cell]] = [[] for _ in self.all_columns]
        counts = []
        for notice in notices:
            more = cells(notice, units)
            counts.append(len(more[0]))
            columns[0] += repeat(notice.meta.period, counts[-1])
            for column, column_cells in zip(columns[1:], more, strict=True):
                column += column_cells
        return columns, counts

    def has_rows(self, notice: Notice, units: UnitRegistry) -> bool:
        return any(True for _ in self.items(notice, units))

    @property
    def all_columns(self) -> tuple[Column[Any], ...]:
        """Every column, the period first (every table has it, so that months can be combined)."""
        return (PERIOD, *self.columns)


def doc(model: type[BaseModel], name: str) -> str:
    """A model field's docstring: the meaning of a column that holds it as it is."""
    return model.model_fields[name].description or ""


# A column that holds a field as it is reads it with ``attrgetter``, which the downloads call in
# C for every row; an enum's ``_value_`` is what its ``value`` property returns, without the
# property's Python call.
PERIOD: Column[Any] = Column("period", "月份", Kind.text, lambda _: None, doc(Meta, "period"))


class Numbered(NamedTuple, Generic[T]):
    position: int
    item: T


class CaseItem(NamedTuple):
    number: int
    """The case's number among the cases of its kind."""
    case: Case


class AreaItem(NamedTuple):
    case: CaseItem
    position: int
    area: Area


class RankingItem(NamedTuple):
    group_position: int
    group: RankingGroup
    position: int
    row: RankingRow
    unit_name: str


class MessageItem(NamedTuple):
    position: int | None
    unit: str
    unit_name: str | None
    row: MessageRow | MessageTotals


def _numbered(items: Iterable[T]) -> list[Numbered[T]]:
    return [Numbered(i, item) for i, item in enumerate(items, 1)]


def _cases(notice: Notice) -> Iterator[CaseItem]:
    for kind in CaseKind:
        for i, case in enumerate(notice.cases_of(kind), 1):
            yield CaseItem(i, case)


def _areas(notice: Notice, _: UnitRegistry) -> Iterator[AreaItem]:
    for case in _cases(notice):
        for j, area in enumerate(case.case.areas, 1):
            yield AreaItem(case, j, area)


def _area_cells(notice: Notice, _: UnitRegistry) -> list[Sequence[Cell]]:
    """The cells of ``CASE_AREAS`` column by column: a case's own values repeated for its areas."""
    kinds: list[Cell] = []
    numbers: list[Cell] = []
    positions: list[Cell] = []
    areas: list[Area] = []
    for case in _cases(notice):
        count = len(case.case.areas)
        kinds += repeat(case.case.kind._value_, count)
        numbers += repeat(case.number, count)
        positions += range(1, count + 1)
        areas += case.case.areas
    districts: list[str] = list(map(attrgetter("district"), areas))
    places: list[list[str]] = list(map(attrgetter("places"), areas))
    return [kinds, numbers, positions, districts, places]


def _rankings(notice: Notice, units: UnitRegistry) -> Iterator[RankingItem]:
    if notice.rankings is None:
        return
    lookup = units.lookup()
    for g, group in enumerate(notice.rankings.groups, 1):
        for i, row in enumerate(group.rows, 1):
            yield RankingItem(g, group, i, row, lookup[row.unit].name)


def _ranking_cells(notice: Notice, units: UnitRegistry) -> list[Sequence[Cell]]:
    """The cells of ``RANKINGS`` column by column: a group's own values repeated for its rows,
    each row's read by ``map``. The longest table (about 90 rows a notice), made a row at a
    time, was an eighth of what the downloads cost."""
    group_positions: list[Cell] = []
    groups: list[Cell] = []
    titles: list[Cell] = []
    thresholds: list[Cell] = []
    positions: list[Cell] = []
    rows: list[RankingRow] = []
    for g, group in enumerate(notice.rankings.groups if notice.rankings is not None else (), 1):
        count = len(group.rows)
        group_positions += repeat(g, count)
        groups += repeat(group.group._value_, count)
        titles += repeat(group.title, count)
        thresholds += repeat(group.threshold_percent, count)
        positions += range(1, count + 1)
        rows += group.rows
    names: list[str] = list(map(attrgetter("unit"), rows))
    unit_names: list[str] = list(map(attrgetter("name"), map(units.lookup().__getitem__, names)))
    scores: list[Decimal] = list(map(attrgetter("score"), rows))
    ranks: list[int] = list(map(attrgetter("rank"), rows))
    return [group_positions, groups, titles, thresholds, positions, names, unit_names, scores, ranks]


def _messages(notice: Notice, units: UnitRegistry) -> Iterator[MessageItem]:
    if notice.web_messages is None:
        return
    lookup = units.lookup()
    for i, row in enumerate(notice.web_messages.rows, 1):
        yield MessageItem(i, row.unit, lookup[row.unit].name, row)
    total = notice.web_messages.total_row
    if total is not None:
        yield MessageItem(None, total.label, None, total)


def _message_cells(notice: Notice, units: UnitRegistry) -> list[Sequence[Cell]]:
    """The cells of ``WEB_MESSAGES`` column by column, each read by ``map`` (about 30 rows a notice)."""
    messages = notice.web_messages
    listed = messages.rows if messages is not None else []
    positions: list[Cell] = list(range(1, len(listed) + 1))
    names: list[str] = list(map(attrgetter("unit"), listed))
    unit_names: list[str | None] = list(map(attrgetter("name"), map(units.lookup().__getitem__, names)))
    rows: list[MessageRow | MessageTotals] = list(listed)
    if messages is not None and messages.total_row is not None:
        rows.append(messages.total_row)
        positions.append(None)
        names.append(messages.total_row.label)
        unit_names.append(None)
    return [positions, names, unit_names, *[list(map(attrgetter(count), rows)) for count in ("total", "replied", "unreplied")]]


def _phone(notice: Notice) -> PhoneTotals | None:
    return notice.intake.phone


def _web(notice: Notice) -> WebTotals | None:
    return notice.intake.web


POSITION = "在原文中的顺序，从 1 起。"
UNIT_NAME = "单位名录中的规范名称：同一单位改名前后、写法不同时都是这个名称，可用来把各月连在一起。"


def _own(name: str, title: str, kind: Kind, meaning: str) -> Column[Any]:
    """A column holding the row's own attribute ``name``."""
    return Column(name, title, kind, attrgetter(name), meaning)


def _item(model: type[BaseModel], name: str, title: str, kind: Kind) -> Column[Numbered[Any]]:
    """A column holding a numbered item's field ``name`` as the model holds it, meaning what the
    field's own description says."""
    return Column(name, title, kind, attrgetter(f"item.{name}"), doc(model, name))


_POSITION: Column[Numbered[Any]] = _own("position", "序号", Kind.integer, POSITION)


def _numbered_table(
    name: str, title: str, items: Callable[[Notice], Iterable[T]], columns: tuple[Column[Numbered[T]], ...]
) -> Table[Numbered[T]]:
    """A table of one of the notice's lists: a row an item, numbered from 1 in the notice's order."""
    return Table(name, title, lambda n, _: _numbered(items(n)), (_POSITION, *columns))


NOTICES: Table[Notice] = Table(
    "notices",
    "通报概况",
    lambda n, _: [n],
    (
        Column("title", "通报标题", Kind.text, attrgetter("meta.title"), doc(Meta, "title")),
        Column("source", "原文网址", Kind.text, attrgetter("meta.source"), doc(Meta, "source")),
        Column("issue_number", "期号", Kind.text, attrgetter("meta.issue_number"), doc(Meta, "issue_number")),
        Column("published", "发布日期", Kind.date, attrgetter("meta.published"), doc(Meta, "published")),
        Column("total", "受理总数（件）", Kind.integer, attrgetter("intake.total"), doc(Intake, "total")),
        # Empty where the office does not publish the phone or web totals.
        Column(
            "calls",
            "热线接听电话（人次）",
            Kind.integer,
            lambda n: p.calls if (p := _phone(n)) else None,
            doc(PhoneTotals, "calls"),
        ),
        Column(
            "registered",
            "热线登记交办（件）",
            Kind.integer,
            lambda n: p.registered if (p := _phone(n)) else None,
            doc(PhoneTotals, "registered"),
        ),
        Column(
            "completed",
            "热线已办结（件）",
            Kind.integer,
            lambda n: p.completed if (p := _phone(n)) else None,
            doc(PhoneTotals, "completed"),
        ),
        Column(
            "completion_rate",
            "热线办结率（%）",
            Kind.number,
            lambda n: p.completion_rate if (p := _phone(n)) else None,
            doc(PhoneTotals, "completion_rate"),
        ),
        Column(
            "satisfaction_rate",
            "热线满意率（%）",
            Kind.number,
            lambda n: p.satisfaction_rate if (p := _phone(n)) else None,
            doc(PhoneTotals, "satisfaction_rate"),
        ),
        Column(
            "web_registered",
            "网络平台受理交办（件）",
            Kind.integer,
            lambda n: w.registered if (w := _web(n)) else None,
            doc(WebTotals, "registered"),
        ),
        Column(
            "web_replied",
            "网络平台按时办结回复（件）",
            Kind.integer,
            lambda n: w.replied if (w := _web(n)) else None,
            doc(WebTotals, "replied"),
        ),
        Column(
            "web_reply_rate",
            "网络平台办理回复率（%）",
            Kind.number,
            lambda n: w.reply_rate if (w := _web(n)) else None,
            doc(WebTotals, "reply_rate"),
        ),
    ),
)

LINES: Table[Numbered[Line]] = _numbered_table(
    "lines",
    "各热线",
    attrgetter("intake.lines"),
    (
        _item(Line, "number", "号码", Kind.text),
        _item(Line, "name", "热线名称", Kind.text),
        Column("kind", "类别", Kind.text, attrgetter("item.kind._value_"), "热线的类别。", LINE_LABELS),
        _item(Line, "note", "说明", Kind.text),
        _item(Line, "calls", "接听（人次）", Kind.integer),
        _item(Line, "consultations", "解答咨询（人次）", Kind.integer),
        _item(Line, "registered", "登记交办（件）", Kind.integer),
        _item(Line, "completed", "已办结（件）", Kind.integer),
        _item(Line, "completion_rate", "办结率（%）", Kind.number),
        Column(
            "on_time_completion_rate",
            "按期办结率（%）",
            Kind.number,
            attrgetter("item.on_time_completion_rate"),
            doc(Line, "on_time_completion_rate"),
        ),
        Column(
            "satisfaction_rate", "满意率（%）", Kind.number, attrgetter("item.satisfaction_rate"), doc(Line, "satisfaction_rate")
        ),
    ),
)

WEB_CHANNELS: Table[WebChannels] = Table(
    "web_channels",
    "网络平台",
    lambda n, _: [] if n.intake.web_channels is None else [n.intake.web_channels],
    (
        _own("platforms", "平台", Kind.items, doc(WebChannels, "platforms")),
        _own("registered", "受理交办（件）", Kind.integer, doc(WebChannels, "registered")),
        _own("replied", "按时办结回复（件）", Kind.integer, doc(WebChannels, "replied")),
    ),
)

CATEGORIES: Table[Numbered[Category]] = _numbered_table(
    "categories",
    "诉求类型",
    attrgetter("categories"),
    (
        _item(Category, "name", "类别", Kind.text),
        _item(Category, "count", "件数", Kind.integer),
        _item(Category, "share", "占比（%）", Kind.number),
        _item(Category, "topics", "主要涉及", Kind.items),
    ),
)

CASES: Table[CaseItem] = Table(
    "cases",
    "案例",
    lambda n, _: _cases(n),
    (
        Column("kind", "类别", Kind.text, attrgetter("case.kind._value_"), "案例的类别。", _labels(CASE_LABELS)),
        _own("number", "序号", Kind.integer, "在同类案例中的顺序，从 1 起。"),
        Column("topic", "问题", Kind.text, attrgetter("case.topic"), doc(Case, "topic")),
        Column("intro", "问题说明", Kind.text, attrgetter("case.intro"), doc(Case, "intro")),
        Column("example", "典型案例", Kind.text, attrgetter("case.example"), doc(Case, "example")),
        Column("handling", "处办情况", Kind.text, attrgetter("case.handling"), doc(Case, "handling")),
        Column("reasons", "难办原因", Kind.items, attrgetter("case.reasons"), doc(Case, "reasons")),
        Column(
            "areas_partial",
            "涉及区域未列全",
            Kind.boolean,
            attrgetter("case.areas_partial"),
            "原文的涉及区域以“等”结尾时为“是”。",
        ),
    ),
)

CASE_AREAS: Table[AreaItem] = Table(
    "case_areas",
    "案例涉及区域",
    _areas,
    (
        Column("kind", "案例类别", Kind.text, attrgetter("case.case.kind._value_"), "所属案例的类别。", _labels(CASE_LABELS)),
        Column("case_number", "案例序号", Kind.integer, attrgetter("case.number"), "所属案例在同类案例中的顺序（见“案例”表）。"),
        _own("position", "序号", Kind.integer, "在该案例涉及区域中的顺序，从 1 起。"),
        Column("district", "区（县、市）", Kind.text, attrgetter("area.district"), doc(Area, "district")),
        Column("places", "地点", Kind.items, attrgetter("area.places"), doc(Area, "places")),
    ),
    _area_cells,
)

WORK_UPDATES: Table[Numbered[WorkUpdate]] = _numbered_table(
    "work_updates",
    "工作动态",
    attrgetter("work_updates"),
    (
        _item(WorkUpdate, "title", "标题", Kind.text),
        _item(WorkUpdate, "text", "正文", Kind.text),
    ),
)

RANKINGS: Table[RankingItem] = Table(
    "rankings",
    "考核排名",
    _rankings,
    (
        _own("group_position", "分组序号", Kind.integer, "考核分组在原文中的顺序，从 1 起。"),
        Column(
            "unit_group",
            "考核分组",
            Kind.text,
            attrgetter("group.group._value_"),
            doc(RankingGroup, "group"),
            _labels(GROUP_LABELS),
        ),
        Column("group_title", "表格标题", Kind.text, attrgetter("group.title"), doc(RankingGroup, "title")),
        Column(
            "threshold_percent",
            "点名分数线（%）",
            Kind.number,
            attrgetter("group.threshold_percent"),
            doc(RankingGroup, "threshold_percent"),
        ),
        _own("position", "序号", Kind.integer, "在本组中的顺序，从 1 起。"),
        Column("unit", "单位（原文写法）", Kind.text, attrgetter("row.unit"), doc(RankingRow, "unit")),
        _own("unit_name", "单位（规范名称）", Kind.text, UNIT_NAME),
        Column("score", "得分", Kind.number, attrgetter("row.score"), doc(RankingRow, "score")),
        Column("rank", "名次", Kind.integer, attrgetter("row.rank"), doc(RankingRow, "rank")),
    ),
    _ranking_cells,
)

WEB_MESSAGES: Table[MessageItem] = Table(
    "web_messages",
    "网络留言办理情况",
    _messages,
    (
        _own("position", "序号", Kind.integer, "在原文中的顺序，从 1 起；原文印出的合计行为空。"),
        Column(
            "unit",
            "承办单位（原文写法）",
            Kind.text,
            attrgetter("unit"),
            "承办单位名称，照原文；合计行为合计行的名称，如“总计”。",
        ),
        _own("unit_name", "承办单位（规范名称）", Kind.text, UNIT_NAME + "合计行为空。"),
        Column("total", "办件总数", Kind.integer, attrgetter("row.total"), doc(MessageRow, "total")),
        Column("replied", "已回复数", Kind.integer, attrgetter("row.replied"), doc(MessageRow, "replied")),
        Column("unreplied", "未回复数", Kind.integer, attrgetter("row.unreplied"), doc(MessageRow, "unreplied")),
    ),
    _message_cells,
)

ACKNOWLEDGED: Table[Acknowledgement] = Table(
    "acknowledged",
    "已确认的不一致",
    lambda n, _: n.acknowledged,
    (
        Column(
            "check_id", "检查项", Kind.text, attrgetter("check._value_"), doc(Acknowledgement, "check"), _labels(CHECK_TITLES)
        ),
        _own("path", "字段位置", Kind.text, doc(Acknowledgement, "path")),
        _own("reason", "原因", Kind.text, doc(Acknowledgement, "reason")),
    ),
)

# --- what offices other than Pingdingshan's publish (generator/model.py) ---------------------

CHANGE_LABELS = _labels(
    {ChangeBasis.year_on_year: "同比", ChangeBasis.month_on_month: "环比", ChangeBasis.previous_month: "较上月"}
)
DIRECTION_LABELS = _labels({Direction.up: "增长", Direction.down: "下降"})
RATE_LABELS = _labels(
    {
        RateKind.connection: "接通率",
        RateKind.completion: "办结率",
        RateKind.on_time_completion: "按期（按时）办结率",
        RateKind.direct_completion: "直接办结率",
        RateKind.direct_answer: "直接解答率",
        RateKind.satisfaction: "满意率",
        RateKind.dissatisfaction: "不满意率",
        RateKind.callback: "回访率",
        RateKind.reply: "回复率",
        RateKind.contact: "联系率",
    }
)


class TopRow(NamedTuple):
    list_position: int
    top: TopList
    position: int
    item: TopItem


class RankingValue(NamedTuple):
    group_position: int
    position: int
    unit: str
    column: str
    value: str


def _tops(notice: Notice, _: UnitRegistry) -> Iterator[TopRow]:
    for i, top in enumerate(notice.top_lists, 1):
        for j, item in enumerate(top.items, 1):
            yield TopRow(i, top, j, item)


def _ranking_values(notice: Notice, _: UnitRegistry) -> list[RankingValue]:
    # A list, not a generator: the downloads take every row, and the table is a long one. A group
    # without other columns has no values in any row (the model checks that each row has one a
    # column), so its rows are not gone through.
    if notice.rankings is None:
        return []
    return [
        RankingValue(g, i, row.unit, column, value if isinstance(value, str) else str(value))
        for g, group in enumerate(notice.rankings.groups, 1)
        if group.columns
        for i, row in enumerate(group.rows, 1)
        for column, value in zip(group.columns, row.values, strict=True)
    ]


INTAKE_CHANGES: Table[Numbered[IntakeChange]] = _numbered_table(
    "intake_changes",
    "受理量增减",
    attrgetter("intake.changes"),
    (
        Column("basis", "比较对象", Kind.text, attrgetter("item.basis._value_"), doc(IntakeChange, "basis"), CHANGE_LABELS),
        Column(
            "direction", "增减", Kind.text, attrgetter("item.direction._value_"), doc(IntakeChange, "direction"), DIRECTION_LABELS
        ),
        _item(IntakeChange, "percent", "幅度（%）", Kind.number),
        _item(IntakeChange, "count", "件数", Kind.integer),
    ),
)

INTAKE_VALIDITY: Table[Intake] = Table(
    "intake_validity",
    "有效和无效诉求",
    lambda n, _: [n.intake] if n.intake.valid is not None or n.intake.invalid is not None else [],
    (
        _own("valid", "有效诉求（件）", Kind.integer, doc(Intake, "valid")),
        _own("invalid", "无效诉求（件）", Kind.integer, doc(Intake, "invalid")),
    ),
)

NATURES: Table[Numbered[Nature]] = _numbered_table(
    "natures",
    "按性质分的诉求",
    attrgetter("natures"),
    (
        _item(Nature, "name", "性质", Kind.text),
        _item(Nature, "count", "件数", Kind.integer),
        _item(Nature, "share", "占比（%）", Kind.number),
    ),
)

RATES: Table[Numbered[Rate]] = _numbered_table(
    "rates",
    "各项比率",
    attrgetter("rates"),
    (
        _item(Rate, "name", "名称（原文写法）", Kind.text),
        Column("kind", "种类", Kind.text, lambda r: r.item.kind.value if r.item.kind else None, doc(Rate, "kind"), RATE_LABELS),
        _item(Rate, "rate", "比率（%）", Kind.number),
        _item(Rate, "count_label", "件数名称", Kind.text),
        _item(Rate, "count", "件数", Kind.integer),
    ),
)

CHANNELS: Table[Numbered[Channel]] = _numbered_table(
    "channels",
    "受理渠道",
    attrgetter("channels"),
    (
        _item(Channel, "name", "渠道", Kind.text),
        _item(Channel, "count", "数量", Kind.integer),
        _item(Channel, "unit", "计量单位", Kind.text),
        _item(Channel, "share", "占比（%）", Kind.number),
    ),
)

TOP_LISTS: Table[TopRow] = Table(
    "top_lists",
    "前几名",
    _tops,
    (
        _own("list_position", "列表序号", Kind.integer, "列表在原文中的顺序，从 1 起。"),
        Column("caption", "引导语", Kind.text, attrgetter("top.caption"), doc(TopList, "caption")),
        _own("position", "序号", Kind.integer, "在本列表中的顺序，从 1 起。"),
        Column("name", "名称", Kind.text, attrgetter("item.name"), doc(TopItem, "name")),
        Column("count", "件数", Kind.integer, attrgetter("item.count"), doc(TopItem, "count")),
    ),
)

RANKING_VALUES: Table[RankingValue] = Table(
    "ranking_values",
    "考核表的其他列",
    _ranking_values,
    (
        _own("group_position", "分组序号", Kind.integer, "考核分组在原文中的顺序，从 1 起。"),
        _own("position", "序号", Kind.integer, "在本组中的顺序，从 1 起。"),
        _own("unit", "单位（原文写法）", Kind.text, doc(RankingRow, "unit")),
        _own("column", "列名", Kind.text, "原文表格中该列的表头，如件数、办结率、满意率。"),
        _own("value", "值", Kind.text, "该列的值，照原文。"),
    ),
)


class KeptCell(NamedTuple):
    table_position: int
    heading: str
    caption: str | None
    row: int
    column_position: int
    column: str
    value: str


def _kept_cells(notice: Notice, _: UnitRegistry) -> Iterator[KeptCell]:
    # A kept table has the source's own columns; one cell a row keeps every table in one shape.
    tables = [(extra.heading, extra.table) for extra in notice.extra_sections if extra.table is not None]
    for t, (heading, table) in enumerate(tables, 1):
        for i, row in enumerate(table.rows, 1):
            for j, (column, value) in enumerate(zip(table.columns, row, strict=True), 1):
                text = value if isinstance(value, str) else str(value)
                yield KeptCell(t, heading, table.caption, i, j, column, text)


EXTRA_TABLES: Table[KeptCell] = Table(
    "extra_tables",
    "补充部分的表格",
    _kept_cells,
    (
        _own("table_position", "表格序号", Kind.integer, "表格在本期补充部分中的顺序，从 1 起。"),
        _own("heading", "所在部分", Kind.text, doc(ExtraSection, "heading")),
        _own("caption", "表格标题", Kind.text, "表格标题，照原文；原文没有时为空。"),
        _own("row", "行号", Kind.integer, "在本表格中的行序，表头不计，从 1 起。"),
        _own("column_position", "列序号", Kind.integer, "在本表格中的列序，从 1 起。"),
        _own("column", "列名", Kind.text, "原文表格中该列的表头。"),
        _own("value", "值", Kind.text, "该格的值，照原文。"),
    ),
)

TABLES: tuple[Table[Any], ...] = (
    NOTICES,
    LINES,
    WEB_CHANNELS,
    CATEGORIES,
    CASES,
    CASE_AREAS,
    WORK_UPDATES,
    RANKINGS,
    WEB_MESSAGES,
    ACKNOWLEDGED,
    INTAKE_CHANGES,
    INTAKE_VALIDITY,
    NATURES,
    RATES,
    CHANNELS,
    TOP_LISTS,
    RANKING_VALUES,
    EXTRA_TABLES,
)
"""Every table of the downloads, in the order the pages list them."""
