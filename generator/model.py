"""Frozen, typed models of one monthly notice and of the publisher.

Field docstrings are in Chinese on purpose: they become the JSON Schema descriptions that staff
see in their editor, and the data dictionary readers see on the site.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Any, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidatorFunctionWrapHandler, WrapValidator, model_validator
from pydantic_core import PydanticCustomError

from generator import limits, markup


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", value):
        raise PydanticCustomError("http_url", "应为以 http:// 或 https:// 开头的网址，实际为 {value}", {"value": repr(value)})
    return value


def _period(value: str) -> str:
    if not re.fullmatch(r"[0-9]{4}-(?:0[1-9]|1[0-2])", value, re.ASCII):
        raise PydanticCustomError("period", "应为“年-月”格式，如 2023-08，实际为 {value}", {"value": repr(value)})
    return value


_SPACE = re.compile(r"\s")


def _name(value: str) -> str:
    if _SPACE.search(value):
        fixed = re.sub(r"\s+", "", value)
        raise PydanticCustomError(
            "name_space",
            "名称中不能有空格（排版用的空格不属于名称），实际为 {value}，应写作 {fixed}",
            {"value": repr(value), "fixed": repr(fixed)},
        )
    return value


# Names that passed both checks: a hundred names a notice, nearly all seen before. A set looked
# up in one validator costs a third of the two validators with their regular expression and cache.
_SOUND_NAMES: set[str] = set()
_SOUND_NAMES_MOST = 16384


def _checked_name(value: str) -> str:
    if value in _SOUND_NAMES:
        return value
    limits.name(_name(value))
    if len(_SOUND_NAMES) >= _SOUND_NAMES_MOST:
        _SOUND_NAMES.clear()
    _SOUND_NAMES.add(value)
    return value


def _markdown_text(value: str) -> str:
    # The same rendering the page embeds (generator/markup.py), so validation sees what readers get.
    try:
        markup.render(value)
    except markup.MarkupError as error:
        raise PydanticCustomError(error.kind, "{message}", {"message": error.message}) from None
    return value


def _ratio(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _none_listed() -> Any:
    """The default of a list field: a new empty list for each record.

    Pydantic deep-copies a ``[]`` default for every record that leaves the field out (about a
    hundred times a notice); a factory costs nothing. The schema still gives ``[]`` as default."""
    return Field(default_factory=list, json_schema_extra={"default": []})


_REMEMBERED_MOST = 16384


def _remembered() -> WrapValidator:
    """Each number validated once: the same number object again gives the same result.

    The loader gives one object for a number written alike (``score: 85.27``, ``rate: 100``), and
    the hundred ranking scores of a notice recur month after month: checking each against its
    range and decimal places cost more than all else in a ranking row. Kept by identity, not
    value (``-0`` equals ``0`` and ``118.7`` equals ``118.70``, and neither pair is the same here),
    with each number held so that its identity is not reused; what fails is checked again."""
    passed: dict[int, tuple[object, object]] = {}

    def validate(value: object, handler: ValidatorFunctionWrapHandler) -> object:
        seen = passed.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        result = handler(value)
        if len(passed) >= _REMEMBERED_MOST:
            passed.clear()
        passed[id(value)] = (value, result)
        return result

    return WrapValidator(validate)


Text = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(min_length=1, max_length=limits.NAME_MAX), AfterValidator(_checked_name)]
HttpUrl = Annotated[str, AfterValidator(_http_url), Field(json_schema_extra={"pattern": "^https?://", "format": "uri"})]
Period = Annotated[
    str, AfterValidator(_period), AfterValidator(limits.year), Field(json_schema_extra={"pattern": limits.PERIOD_PATTERN})
]
MarkdownText = Annotated[str, Field(min_length=1), AfterValidator(_markdown_text)]
Count = Annotated[int, Field(ge=0, le=limits.COUNT_MAX, strict=True)]
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=limits.RATE_PLACES), limits.PLAIN_NUMBER, _remembered()]
ChangePercent = Annotated[Decimal, Field(ge=0, le=limits.COUNT_MAX, decimal_places=limits.RATE_PLACES), limits.PLAIN_NUMBER]
Score = Annotated[
    Decimal, Field(ge=0, le=limits.SCORE_MAX, decimal_places=limits.SCORE_PLACES), limits.PLAIN_NUMBER, _remembered()
]
Day = Annotated[date, limits.CALENDAR_DATE]


class Record(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, use_attribute_docstrings=True, coerce_numbers_to_str=True
    )


class CheckId(StrEnum):
    """一致性检查的编号，用于在数据中确认原通报本身未通过的检查。"""

    intake_sums = "intake_sums"
    completed_le_registered = "completed_le_registered"
    rates = "rates"
    category_shares = "category_shares"
    ranks = "ranks"
    table_totals = "table_totals"
    row_sums = "row_sums"
    share_sum = "share_sum"
    category_total = "category_total"
    duplicate_units = "duplicate_units"
    unit_groups = "unit_groups"


class LineKind(StrEnum):
    """热线的类别：main 为 12345 主线，parallel 为留号并行热线。"""

    main = "main"
    parallel = "parallel"


class CaseKind(StrEnum):
    """案例类别：hot 为热点问题，difficult 为难点问题。"""

    hot = "hot"
    difficult = "difficult"


class UnitGroup(StrEnum):
    """考核分组：county 为县（市）分中心，district 为各区，department 为市直和驻平单位，street 为乡镇（街道），
    enterprise 为公共服务企业。"""

    county = "county"
    district = "district"
    department = "department"
    street = "street"
    enterprise = "enterprise"
    """公共服务企业（供水、供电、燃气等）。"""


class SectionId(StrEnum):
    """通报中的固定部分，用于指明补充部分放在哪一部分之后。"""

    intake = "intake"
    categories = "categories"
    cases = "cases"
    work_updates = "work_updates"
    rankings = "rankings"
    web_messages = "web_messages"


class Publisher(Record):
    """发布方的身份信息：换一个城市的热线办公室，只需修改这份数据。"""

    city: Text
    """城市名称，如“平顶山市”。"""
    hotline: Text
    """热线名称，如“12345民呼必应热线”。"""
    site_title: Text
    """本站标题。"""
    site_description: Text
    """本站简介，显示在首页并用于搜索引擎摘要。"""
    website: HttpUrl
    """发布通报原文的官方网站。"""
    data_license: Text
    """本站整理的结构化数据的许可协议名称，如“CC BY 4.0”。"""
    data_license_url: HttpUrl
    """许可协议全文的网址。"""


class UnitEntry(Record):
    """单位名录中的一个单位。"""

    name: Name
    """规范名称：单位页面使用的名称。"""
    group: UnitGroup
    """所属考核分组。"""
    aliases: list[Name] = _none_listed()
    """曾用名或通报中的其他写法；这些写法都算作同一个单位。"""


class UnitRegistry(Record):
    """单位名录：让同一单位在各月份的排名连在一起。"""

    units: list[UnitEntry]
    """全部单位。"""

    def lookup(self) -> Mapping[str, UnitEntry]:
        """Every spelling (name or alias) → its unit."""
        # Shared, not copied (a copy per notice page cost more than the lookups): read only.
        return MappingProxyType(self._spellings)

    @cached_property
    def _spellings(self) -> dict[str, UnitEntry]:
        # Made once: every notice is checked against the registry.
        return {spelling: unit for unit in self.units for spelling in (unit.name, *unit.aliases)}

    def names(self) -> Mapping[str, str]:
        """Every spelling (name or alias) → its unit's name (shared and read only, as :meth:`lookup`)."""
        return MappingProxyType(self._names)

    @cached_property
    def _names(self) -> dict[str, str]:
        # What the checks compare, for every row of every ranking table: a field of a model is slow to get.
        return {spelling: unit.name for spelling, unit in self._spellings.items()}


class PeriodSource(StrEnum):
    """通报所属月份的来源：title 原文标题，option 命令行 --period，forced 命令行 --period（--force）。"""

    from_title = "title"
    option = "option"
    forced = "forced"


class Meta(Record):
    """通报的基本信息。"""

    title: Text
    """通报标题，照原文填写。"""
    period: Period
    """通报所属月份，格式为“年-月”，如 2023-08；须与文件名一致。"""
    source: HttpUrl
    """原文网址（只接受 http 或 https）。"""
    issue_number: Text | None = None
    """期号（原文有期号时填写）。"""
    published: Day | None = None
    """发布日期，格式为 YYYY-MM-DD（原文注明时填写）。"""
    period_source: PeriodSource | None = None
    """通报所属月份的来源：不填即取自原文标题；option 为命令行 --period；forced 为 --period 加 --force，与原文不同。"""


class PhoneTotals(Record):
    """热线电话的合计数。"""

    calls: Count
    """接听电话（人次）。"""
    registered: Count
    """登记交办（件）。"""
    completed: Count
    """已办结（件）。"""
    completion_rate: Percent
    """办结率（%）= 已办结 ÷ 登记交办 × 100，照原文填写，如 100。"""
    satisfaction_rate: Percent | None = None
    """满意率（%），照原文填写；原文未给出回访件数，无法核算。"""


class WebTotals(Record):
    """网络平台的合计数。"""

    registered: Count
    """网络平台受理交办（件）。"""
    replied: Count
    """按时办结回复（件）。"""
    reply_rate: Percent
    """办理回复率（%）= 按时办结回复 ÷ 受理交办 × 100，照原文填写。"""


class Line(Record):
    """一条热线电话及其原文给出的各项数字；原文没有的项不填。"""

    number: Annotated[str, Field(pattern=r"^[0-9]{3,8}$")]
    """热线号码，如 12315。"""
    name: Text
    """热线名称（不含号码），如“消费者投诉举报热线”。"""
    kind: LineKind
    """main 为 12345 主线，parallel 为留号并行热线。"""
    note: Text | None = None
    """号码后括号中的说明，如“含公众号、APP”。"""
    calls: Count | None = None
    """接听来电或受理（人次）。"""
    consultations: Count | None = None
    """解答咨询（人次），如法律咨询热线。"""
    registered: Count | None = None
    """登记交办（件）。"""
    completed: Count | None = None
    """已办结（件）。"""
    completion_rate: Percent | None = None
    """办结率（%）= 已办结 ÷ 登记交办 × 100。"""
    on_time_completion_rate: Percent | None = None
    """按期办结率（%）= 按期办结 ÷ 登记交办 × 100（原文未单列按期办结件数，核对时用已办结件数）。"""
    satisfaction_rate: Percent | None = None
    """满意率（%）。"""

    @property
    def contacts(self) -> int | None:
        """Calls or consultations: the people this line spoke to."""
        return self.calls if self.calls is not None else self.consultations

    @property
    def registration_ratio(self) -> Decimal | None:
        """Registered tickets per 100 contacts: how many calls became a ticket."""
        return _ratio(self.registered, self.contacts)

    @property
    def completion_ratio(self) -> Decimal | None:
        """Completed per 100 registered, computed from the counts."""
        return _ratio(self.completed, self.registered)

    @model_validator(mode="after")
    def _has_a_figure(self) -> Self:
        if self.calls is None and self.consultations is None:
            raise PydanticCustomError("line_contacts", "每条热线至少应填写 calls（接听人次）或 consultations（咨询人次）")
        if self.calls is not None and self.consultations is not None:
            raise PydanticCustomError("line_contacts", "calls 与 consultations 只填其一")
        # The rates and the completed count are parts of the registered count: without it they
        # cannot be checked, and a deleted figure would show only as a wrong sum of the totals.
        if self.registered is None:
            parts = ("completed", "completion_rate", "on_time_completion_rate")
            given = [name for name in parts if getattr(self, name) is not None]
            if given:
                raise PydanticCustomError(
                    "missing_figure",
                    "缺少必填字段：填写了 {given} 时，须同时填写 registered（登记交办）",
                    {"field": "registered", "given": "、".join(given)},
                )
        return self


class WebChannels(Record):
    """通过网络平台受理的诉求。"""

    platforms: Annotated[list[Name], Field(min_length=1)]
    """网络平台名称，按原文顺序，如市长信箱、网民留言。"""
    registered: Count
    """受理交办（件）。"""
    replied: Count
    """按时办结回复（件）。"""


class ChangeBasis(StrEnum):
    """增减的比较对象：year_on_year 为同比，month_on_month 为环比，previous_month 为“较上月”。"""

    year_on_year = "year_on_year"
    month_on_month = "month_on_month"
    previous_month = "previous_month"


class Direction(StrEnum):
    """增减方向：up 为增长（增加、上升），down 为下降（减少）。"""

    up = "up"
    down = "down"


class IntakeChange(Record):
    """原文印出的受理量增减，如“同比增长 5.2%”“较上月增加 432 件”。"""

    basis: ChangeBasis
    """比较对象：同比、环比或较上月。"""
    direction: Direction
    """增减方向。"""
    percent: ChangePercent | None = None
    """增减幅度（%），照原文填写。"""
    count: Count | None = None
    """增减件数，照原文填写。"""

    @model_validator(mode="after")
    def _has_a_figure(self) -> Self:
        if self.percent is None and self.count is None:
            raise PydanticCustomError("change_figure", "增减至少应填写 percent（幅度）或 count（件数）")
        return self


class Intake(Record):
    """接听受理情况。"""

    total: Count
    """共受理各类来电来信（件）；各地写法不同，如“共受理群众诉求”“共接收工单”。"""
    phone: PhoneTotals | None = None
    """热线电话合计（原文给出时填写）。"""
    web: WebTotals | None = None
    """网络平台合计（原文给出时填写）。"""
    lines: list[Line] = _none_listed()
    """各条热线，按原文顺序（原文分热线列出时填写）。"""
    web_channels: WebChannels | None = None
    """网络平台受理明细。"""
    changes: list[IntakeChange] = _none_listed()
    """受理量的同比、环比或较上月增减，按原文顺序（原文印出时填写）。"""
    valid: Count | None = None
    """其中有效诉求（件）（原文分列有效、无效时填写）。"""
    invalid: Count | None = None
    """其中无效诉求（件）（原文分列有效、无效时填写）。"""


class Category(Record):
    """一类诉求。"""

    name: Name
    """诉求类别名称，如“城市管理类”。"""
    count: Count
    """件数。"""
    share: Percent
    """占比（%）= 件数 ÷ 当月诉求总数 × 100，照原文填写，如 17.5；原文未给出分母，核对时检查各类占比与件数是否成比例。"""
    topics: list[Text] = _none_listed()
    """主要涉及的问题，按原文顺序逐项填写。"""


class Nature(Record):
    """按性质分的一类诉求，如咨询、求助、投诉、建议、举报、感谢、其他。"""

    name: Name
    """性质名称，照原文填写，如“咨询类”或“咨询”。"""
    count: Count
    """件数。"""
    share: Percent | None = None
    """占比（%），照原文填写（原文印出时）。"""


class RateKind(StrEnum):
    """比率的种类，用于跨月比较；原文的写法另记在 name 中。"""

    connection = "connection"
    completion = "completion"
    on_time_completion = "on_time_completion"
    direct_completion = "direct_completion"
    direct_answer = "direct_answer"
    satisfaction = "satisfaction"
    dissatisfaction = "dissatisfaction"
    callback = "callback"
    reply = "reply"
    contact = "contact"


class Rate(Record):
    """原文印出的一项比率，如接通率、办结率、按期办结率、满意率，可带原文给出的件数。"""

    name: Text
    """比率名称，照原文填写，如“按时办结率”“诉求办结率”。"""
    kind: RateKind | None = None
    """种类，用于跨月比较，如 completion 办结率、satisfaction 满意率；名称不是标准写法（如“部门满意率”）时不填。"""
    rate: Percent
    """比率（%），照原文填写。"""
    count_label: Text | None = None
    """与比率一同印出的件数的名称，如“按时办结”“回访”。"""
    count: Count | None = None
    """与比率一同印出的件数（原文给出时填写）。"""

    @model_validator(mode="after")
    def _count_has_label(self) -> Self:
        if (self.count is None) != (self.count_label is None):
            raise PydanticCustomError("rate_count", "count（件数）与 count_label（件数名称）应同时填写或同时不填")
        return self


class Channel(Record):
    """一个受理渠道或诉求来源，如电话、微信、网站、上级派发。"""

    name: Name
    """渠道名称，照原文填写。"""
    count: Count
    """件数（或人次）。"""
    unit: Annotated[str, Field(pattern=r"^(件|人次)$")] = "件"
    """计量单位：件或人次，照原文填写。"""
    share: Percent | None = None
    """占比（%），照原文填写（原文印出时）。"""


class TopItem(Record):
    """前几名列表中的一项。"""

    name: Name
    """单位或事项名称，照原文填写。"""
    count: Count
    """件数。"""


class TopList(Record):
    """原文列出的前几名，如“办件量位于前三的单位：住建局 99 件；……”。"""

    caption: Text
    """列表的引导语，照原文填写，如“办件量位于前三的单位”。"""
    items: Annotated[list[TopItem], Field(min_length=1)]
    """各项，按原文顺序。"""


class Area(Record):
    """案例涉及的一个区（县）及其中的具体地点。"""

    district: Name
    """区（县、市）名称，如“湛河区”。"""
    places: list[Text] = _none_listed()
    """该区内的具体地点，按原文顺序。"""


class Case(Record):
    """一个热点或难点问题及其典型案例。"""

    kind: CaseKind
    """hot 为热点问题，difficult 为难点问题。"""
    topic: Text
    """问题名称，如“学区划片问题”。"""
    intro: Text | None = None
    """问题名称之后、典型案例之前的文字，照原文填写（原文有时填写）。"""
    example: Text
    """典型案例，照原文填写。"""
    handling: Text
    """处办情况，照原文填写。"""
    reasons: list[Text] = _none_listed()
    """难办原因，逐条填写（不含“一是”等序号）。"""
    areas: list[Area] = _none_listed()
    """涉及区域，按原文顺序。"""
    areas_partial: bool = False
    """原文的涉及区域以“等”结尾时为 true。"""


class WorkUpdate(Record):
    """一项工作动态。"""

    title: Text
    """小标题（不含“一是”等序号和句号），如“各级领导高度重视热线工作”。"""
    text: Text
    """正文，照原文填写。"""


Cell = Annotated[Annotated[str, Field(min_length=1)] | int | Decimal, limits.CELL_NUMBER]


class RankingRow(Record):
    """考核表中的一行。"""

    unit: Name
    """网络单位名称（不含排版空格）。"""
    score: Score
    """考核总分，照原文的小数位填写，如 118.70。"""
    rank: Annotated[int, Field(ge=1, le=limits.COUNT_MAX, strict=True)]
    """排名，照原文填写；同分同名次。"""
    values: list[Cell] = _none_listed()
    """本行在所属分组 columns 各列的值，照原文填写（原文的表格有其他列时）。"""


class RankingGroup(Record):
    """一个考核分组的排名表。"""

    title: Text
    """表格标题，照原文填写。"""
    group: UnitGroup
    """分组类别。"""
    threshold_percent: Percent | None = None
    """通报点名的分数线：低于本组最高分的百分之几（原文给出时填写）。"""
    unit_label: Text | None = None
    """单位一列的表头，照原文填写，如“县区”（不填即“网络单位”）。"""
    score_label: Text | None = None
    """得分一列的表头，照原文填写，如“综合得分”（不填即“考核总分”）。"""
    columns: list[Text] = _none_listed()
    """单位、得分、排名以外的各列表头，按原文顺序，如件数、办结率、满意率。"""
    rows: Annotated[list[RankingRow], Field(min_length=1)]
    """各单位的得分与排名，按原文顺序。"""

    @model_validator(mode="after")
    def _rows_fit(self) -> Self:
        columns = len(self.columns)  # (once, not for each of the rows: a field of a model is slow to get)
        for index, row in enumerate(self.rows):
            if len(row.values) != columns:
                raise PydanticCustomError(
                    "ranking_row",
                    "第 {index} 行的 values 有 {cells} 格，columns 有 {columns} 列",
                    {"index": index + 1, "cells": len(row.values), "columns": columns},
                )
        return self

    @property
    def headers(self) -> list[str]:
        """The table's header as the page shows it: unit, other columns, score, rank."""
        return [self.unit_label or "网络单位", *self.columns, self.score_label or "考核总分", "排名"]

    @property
    def threshold(self) -> Decimal | None:
        """The score below which a unit is named, when the notice gives one."""
        if self.threshold_percent is None:
            return None
        return max(row.score for row in self.rows) * self.threshold_percent / 100

    def below_threshold(self, row: RankingRow) -> bool:
        limit = self.threshold
        return limit is not None and row.score < limit


class Rankings(Record):
    """附件：考核结果。"""

    title: Text
    """附件标题，照原文填写。"""
    groups: Annotated[list[RankingGroup], Field(min_length=1)]
    """各分组的排名表，按原文顺序。"""
    in_body: bool = False
    """考核结果印在正文中（而非附件）：原文如此时填 true，网页上把它作为正文的一部分，不列入附件。"""


class MessageRow(Record):
    """网络留言办理情况表中的一行。"""

    unit: Name
    """承办单位名称。"""
    total: Count
    """办件总数。"""
    replied: Count
    """已回复数。"""
    unreplied: Count
    """未回复数。"""


class MessageTotals(Record):
    """表格末尾印出的合计行。"""

    label: Text = "总计"
    """合计行的名称，照原文填写，如“总计”或“合计”。"""
    total: Count
    """办件总数合计。"""
    replied: Count
    """已回复数合计。"""
    unreplied: Count
    """未回复数合计。"""


class WebMessages(Record):
    """附件：网络留言类受理件办理情况表。"""

    title: Text
    """附件标题，照原文填写。"""
    rows: Annotated[list[MessageRow], Field(min_length=1)]
    """各承办单位，按原文顺序。"""
    total_row: MessageTotals | None = None
    """原文印出的合计行。"""


class Table(Record):
    """通用表格：模型尚未定型的新表格可以先用它发布。"""

    caption: Text | None = None
    """表格标题。"""
    columns: Annotated[list[Text], Field(min_length=1)]
    """表头各列。"""
    rows: list[list[Cell]] = _none_listed()
    """各行，每行的格数须与表头一致。"""

    @model_validator(mode="after")
    def _rows_fit(self) -> Self:
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise PydanticCustomError(
                    "table_row",
                    "第 {index} 行有 {cells} 格，表头有 {columns} 列",
                    {"index": index + 1, "cells": len(row), "columns": len(self.columns)},
                )
        return self


class ExtraSection(Record):
    """补充部分：某月新增、模型尚未定型的部分，无需改代码即可发布。"""

    after: SectionId
    """放在哪一部分之后。"""
    heading: Text
    """标题，照原文填写。"""
    text: MarkdownText | None = None
    """正文，可用 Markdown；不能含 HTML、图片、标题和花括号属性，链接只能指向 http/https 网址或本页的锚点。"""
    plain: Text | None = None
    """照原文的纯文字，每行一段，原样显示，不作 Markdown 解释；import 命令照原文保留的文字写在这里。"""
    table: Table | None = None
    """表格。"""

    @model_validator(mode="after")
    def _has_content(self) -> Self:
        if self.text is None and self.plain is None and self.table is None:
            raise PydanticCustomError("extra_empty", "补充部分至少应有 text、plain 或 table")
        return self

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The paragraphs of ``plain``: its lines that are not blank."""
        return tuple(line for line in (self.plain or "").split("\n") if line.strip())


class Acknowledgement(Record):
    """确认原通报本身未通过某项一致性检查，并说明原因；页面会显示说明。"""

    check: CheckId
    """未通过的检查编号。"""
    path: Text
    """检查报告的字段位置，如 intake.phone.registered。"""
    reason: Text
    """原因说明，会显示在页面上。"""


class Notice(Record):
    """一期月度热线工作情况通报。"""

    meta: Meta
    """基本信息。"""
    intake: Intake
    """接听受理情况。"""
    categories: list[Category] = _none_listed()
    """诉求类型分布，按原文顺序。"""
    natures: list[Nature] = _none_listed()
    """按性质分的诉求（咨询、求助、投诉……），按原文顺序（原文列出时填写）。"""
    rates: list[Rate] = _none_listed()
    """原文印出的各项比率，按原文顺序（原文列出时填写；平顶山格式的比率在 intake 中）。"""
    channels: list[Channel] = _none_listed()
    """受理渠道或诉求来源，按原文顺序（原文列出时填写）。"""
    top_lists: list[TopList] = _none_listed()
    """原文列出的前几名，按原文顺序。"""
    cases: list[Case] = _none_listed()
    """案例摘登，按原文顺序（热点问题在前，难点问题在后）。"""
    work_updates: list[WorkUpdate] = _none_listed()
    """工作动态，按原文顺序。"""
    rankings: Rankings | None = None
    """附件：考核结果。"""
    web_messages: WebMessages | None = None
    """附件：网络留言类受理件办理情况表。"""
    extra_sections: list[ExtraSection] = _none_listed()
    """补充部分。"""
    acknowledged: list[Acknowledgement] = _none_listed()
    """已确认的原通报不一致之处。"""

    def cases_of(self, kind: CaseKind) -> list[Case]:
        return [case for case in self.cases if case.kind is kind]

    def printed_rate(self, kind: RateKind) -> Decimal | None:
        """The rate of this kind the notice printed, from the 12345 totals or from ``rates``;
        None when the notice did not publish it (cross-month pages then say so)."""
        phone = self.intake.phone
        if phone is not None and kind is RateKind.satisfaction and phone.satisfaction_rate is not None:
            return phone.satisfaction_rate
        if phone is not None and kind is RateKind.completion:
            return phone.completion_rate
        return next((rate.rate for rate in self.rates if rate.kind is kind), None)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """满意率 as printed (12345 totals or ``rates``); None: the month did not publish one."""
        return self.printed_rate(RateKind.satisfaction)

    def extras_after(self, section: SectionId) -> list[ExtraSection]:
        return [extra for extra in self.extra_sections if extra.after is section]

    def page_anchors(self) -> list[str]:
        """The section anchors of this notice's page (``intake`` for ``#intake``), in page order:
        the places a link in extra text may point at. tests/test_markup.py keeps this in step
        with the ``{#…}`` of notice.md.j2."""
        anchors = ["operations", "intake"] + (["categories"] if self.categories else [])
        if self.cases:
            anchors.append("cases")
            for kind in CaseKind:
                count = len(self.cases_of(kind))
                anchors += [kind.value, *(f"{kind.value}-{i}" for i in range(1, count + 1))] if count else []
        anchors += ["work-updates"] if self.work_updates else []
        anchors += ["rankings"] if self.rankings is not None and self.rankings.in_body else []
        attachments = self.attachments()
        if attachments:
            anchors += ["attachments", *(f"attachment-{i}" for i in range(1, len(attachments) + 1))]
        return [*anchors, "checks", "downloads", "cite"]

    def attachments(self) -> list[Rankings | WebMessages]:
        """The page's attachments, in order; rankings printed in the body are not among them."""
        rankings = None if self.rankings is None or self.rankings.in_body else self.rankings
        return [a for a in (rankings, self.web_messages) if a is not None]

    def anchor(self, part: SectionId) -> str:
        """The page anchor of the rankings or the web messages: ``attachment-N`` for the N-th
        attachment, or ``rankings`` for rankings printed in the body."""
        if part is SectionId.rankings and self.rankings is not None and self.rankings.in_body:
            return "rankings"
        shown = self.rankings if part is SectionId.rankings else self.web_messages
        return f"attachment-{1 + next(i for i, a in enumerate(self.attachments()) if a is shown)}"


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema(), "title": title}


def json_schema() -> dict[str, Any]:
    """The JSON Schema that editors use to complete and check notice files."""
    return _schema(Notice, "12345 热线月度通报")


def publisher_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``data/publisher.yaml``."""
    return _schema(Publisher, "12345 热线通报档案的发布方")


def units_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``data/units.yaml``."""
    return _schema(UnitRegistry, "12345 热线通报档案的单位名录")
