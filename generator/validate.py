"""Turn parsed documents into models, translating every problem into the house format.

Messages are in Chinese for hotline staff: ``file:line:column key.path: 应为…,实际为…``.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator import limits, markup
from generator.checks import Finding, run_checks
from generator.draft import PLACEHOLDER
from generator.errors import Problem
from generator.load import Document, KeyPath, format_path
from generator.model import Acknowledgement, Notice, Publisher, UnitRegistry

M = TypeVar("M", bound=BaseModel)

NOTICE_FILE = re.compile(r"([0-9]{4}-[0-9]{2})\.ya?ml")


def problem_at(document: Document, path: KeyPath, message: str, *, prefer_key: bool = False) -> Problem:
    """A problem located where ``path`` (or its nearest written ancestor) is in the file."""
    line, column = document.locate(path, prefer_key=prefer_key)
    return Problem(document.file, line, column, format_path(path), message)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return limits.short(value)
    if isinstance(value, dict):
        return "一组字段"
    if isinstance(value, list):
        return "一个列表"
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true" if value else "false"
    return limits.short(value)


def _model_at(model: type[BaseModel], path: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``path`` (to list its fields in a message)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = current.model_fields[part].annotation
        while typing.get_origin(current) in (list, types.UnionType, typing.Union, typing.Annotated):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _message(error: ErrorDetails, model: type[BaseModel]) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    shown = _shown(value)
    if kind == "missing":
        return "缺少必填字段"
    if kind in limits.MESSAGES:
        return error["msg"]
    if kind == "extra_forbidden":
        owner = _model_at(model, error["loc"][:-1])
        fields = list(owner.model_fields) if owner else []
        field = str(error["loc"][-1])
        hint = difflib.get_close_matches(field, fields, n=1)
        guess = f"，是否应为 '{hint[0]}'" if hint else ""
        return f"未知字段{guess}；这里可用的字段有：{'、'.join(fields)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"应为整数，实际为 {shown}"
    if kind in ("decimal_type", "decimal_parsing", "float_type", "float_parsing"):
        return f"应为数字，实际为 {shown}"
    if kind in ("string_type",):
        return f"应为文本，实际为 {shown}"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"应为 true 或 false，实际为 {shown}"
    if kind in ("list_type",):
        return f"应为列表（每项另起一行，以“- ”开头），实际为 {shown}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"应为一组字段，实际为 {shown}"
    if kind == "enum":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"应为 {'、'.join(expected)} 之一，实际为 {shown}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"应为日期（YYYY-MM-DD），实际为 {shown}"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx['ge']}，实际为 {shown}"
    if kind == "less_than_equal":
        return f"应不大于 {ctx['le']}，实际为 {shown}"
    if kind == "too_short":
        return "不能为空" if isinstance(value, str) else f"至少应有 {ctx['min_length']} 项"
    if kind == "decimal_max_places":
        return f"最多 {ctx['decimal_places']} 位小数，实际为 {shown}"
    if kind == "string_too_long":
        return f"不能超过 {ctx['max_length']} 个字，实际有 {len(value)} 个字"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_pattern_mismatch":
        return f"格式不符（应匹配 {ctx['pattern']}），实际为 {shown}"
    if kind in (
        "http_url",
        "period",
        "name_space",
        "markdown",
        "markdown_html",
        "markdown_image",
        "markdown_link",
        "line_contacts",
        "table_row",
        "extra_empty",
    ):
        return error["msg"]
    return f"格式不正确（{error['msg']}），实际为 {shown}"


def _placeholders(value: Any, path: KeyPath = ()) -> list[KeyPath]:
    """Where ``new`` or ``import`` left the placeholder for staff to fill in."""
    if isinstance(value, str):
        return [path] if value.strip() == PLACEHOLDER else []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _placeholders(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _placeholders(item, (*path, index))]
    return []


def to_model(document: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate one document against ``model``; return the model or every problem found."""
    unfilled = _placeholders(document.data)
    problems = [problem_at(document, path, f"尚未填写（“{PLACEHOLDER}”处请照原文填写）") for path in unfilled]
    try:
        result = model.model_validate(document.data if document.data is not None else {})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc: KeyPath = tuple(part for part in error["loc"] if isinstance(part, str | int))
            if any(loc[: len(path)] == path for path in unfilled):
                continue  # already reported as not filled in
            problems.append(problem_at(document, loc, _message(error, model), prefer_key=error["type"] == "extra_forbidden"))
        return None, problems
    return (None, problems) if problems else (result, [])


def _findings_to_problems(
    document: Document, notice: Notice, findings: Iterable[Finding]
) -> tuple[list[Problem], list[tuple[Finding, Acknowledgement]]]:
    """Split findings into problems and acknowledged exceptions; an unused acknowledgement is a problem too."""
    problems: list[Problem] = []
    accepted: list[tuple[Finding, Acknowledgement]] = []
    used: set[int] = set()
    for finding in findings:
        match = next(
            (
                i
                for i, ack in enumerate(notice.acknowledged)
                if ack.check is finding.check and ack.path == format_path(finding.path)
            ),
            None,
        )
        if match is None:
            problems.append(problem_at(document, finding.path, finding.message))
        else:
            used.add(match)
            accepted.append((finding, notice.acknowledged[match]))
    for index, ack in enumerate(notice.acknowledged):
        if index not in used:
            message = f"确认的不一致并不存在：检查 {ack.check.value} 在 {ack.path} 处已通过，请删除此项"
            problems.append(problem_at(document, ("acknowledged", index), message))
    return problems, accepted


def notice_file_period(document: Document) -> str | None:
    name = document.file.rsplit("/", 1)[-1]
    match = NOTICE_FILE.fullmatch(name)
    return match.group(1) if match else None


def validate_notice(
    document: Document, units: UnitRegistry | None = None
) -> tuple[Notice | None, list[tuple[Finding, Acknowledgement]], list[Problem]]:
    """Model one notice and run its consistency checks; ``units`` (when valid) resolves aliases."""
    problems: list[Problem] = []
    if notice_file_period(document) is None:
        problems.append(Problem(document.file, 1, 1, "", "文件名应为“年-月.yaml”，如 2023-08.yaml"))
    notice, model_problems = to_model(document, Notice)
    problems += model_problems
    if notice is None:
        return None, [], problems
    published = notice.meta.published
    if published is not None and published.strftime("%Y-%m") < notice.meta.period:
        message = f"发布日期 {published} 早于通报所属月份 {notice.meta.period}，请核对年份和月份"
        problems.append(problem_at(document, ("meta", "published"), message))
    period = notice_file_period(document)
    if period is not None and period != notice.meta.period:
        message = f"与文件名不一致：文件名为 {period}，此处为 {notice.meta.period!r}"
        problems.append(problem_at(document, ("meta", "period"), message))
    problems += dangling_anchors(document, notice)
    check_problems, accepted = _findings_to_problems(document, notice, run_checks(notice, units))
    problems += check_problems
    return (notice if not problems else None), accepted, problems


def dangling_anchors(document: Document, notice: Notice) -> list[Problem]:
    """A ``#anchor`` link in extra text must name a place on the notice's own page."""
    anchors = notice.page_anchors()
    problems = []
    for index, extra in enumerate(notice.extra_sections):
        for anchor in dict.fromkeys(markup.render(extra.text).anchors if extra.text is not None else ()):
            if anchor not in anchors:
                message = (
                    f"链接指向本页的锚点 '#{anchor}'，但本页没有这个位置；本页可用的锚点有：{'、'.join('#' + a for a in anchors)}"
                )
                problems.append(problem_at(document, ("extra_sections", index, "text"), message))
    return problems


def validate_publisher(document: Document) -> tuple[Publisher | None, list[Problem]]:
    return to_model(document, Publisher)


def duplicate_periods(documents: Sequence[tuple[Document, Notice]]) -> list[Problem]:
    """No two files may hold the same month."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for document, notice in documents:
        period = notice.meta.period
        if period in seen:
            message = f"{period} 的通报已在 {seen[period]} 中，同一月份只能有一个文件"
            problems.append(problem_at(document, ("meta", "period"), message))
        else:
            seen[period] = document.file
    return problems


def validate_registry(document: Document) -> tuple[UnitRegistry | None, list[Problem]]:
    """Model the unit registry; every spelling may name only one unit."""
    registry, problems = to_model(document, UnitRegistry)
    if registry is None:
        return None, problems
    seen: dict[str, int] = {}
    for index, unit in enumerate(registry.units):
        for spelling in (unit.name, *unit.aliases):
            if spelling in seen:
                message = f"“{spelling}”已在第 {seen[spelling] + 1} 个单位中登记，同一写法只能指向一个单位"
                problems.append(problem_at(document, ("units", index), message))
            else:
                seen[spelling] = index
    return (registry if not problems else None), problems


PAGE_KINDS = (("units", "单位"), ("districts", "区域"), ("categories", "诉求类别"))
"""Folders of the pages named after data, and what their names are called in messages."""


def _page_names(
    registry: tuple[Document, UnitRegistry] | None, notices: Sequence[tuple[Document, Notice]]
) -> Iterator[tuple[str, str, Document, KeyPath]]:
    """(folder, name, file, where) of every name that becomes a page, in file order."""
    if registry is not None:
        document, units = registry
        for index, unit in enumerate(units.units):
            yield "units", unit.name, document, ("units", index, "name")
    for document, notice in notices:
        for c, case in enumerate(notice.cases):
            for a, area in enumerate(case.areas):
                yield "districts", area.district, document, ("cases", c, "areas", a, "district")
        for index, category in enumerate(notice.categories):
            yield "categories", category.name, document, ("categories", index, "name")


def page_clashes(registry: tuple[Document, UnitRegistry] | None, notices: Sequence[tuple[Document, Notice]]) -> list[Problem]:
    """No two different names may become one page address.

    Addresses are compared as :func:`limits.page_key` folds them: ``ABC`` and ``abc`` are one
    file on the file systems staff preview on, and full- and half-width forms look the same."""
    problems: list[Problem] = []
    first: dict[tuple[str, str], tuple[str, Document, KeyPath]] = {}
    reported: set[tuple[str, str]] = set()
    kinds = dict(PAGE_KINDS)
    for folder, name, document, path in _page_names(registry, notices):
        other, other_document, other_path = first.setdefault((folder, limits.page_key(name)), (name, document, path))
        if other == name or (folder, name) in reported:
            continue
        reported.add((folder, name))
        line, column = other_document.locate(other_path)
        message = (
            f"{kinds[folder]}名称 {name!r} 与 {other!r}（{other_document.file}:{line}:{column}）"
            f"对应同一个网页地址 {folder}/{other}/；同一{kinds[folder]}请统一写法，不同的请改用能区分的名称"
        )
        problems.append(problem_at(document, path, message))
    return problems


def unregistered_units(document: Document, notice: Notice, registry: UnitRegistry) -> list[Problem]:
    """Every unit named in the rankings and the message table must be in the registry."""
    known = registry.lookup()
    places: list[tuple[KeyPath, str]] = []
    if notice.rankings is not None:
        for g, group in enumerate(notice.rankings.groups):
            places += [(("rankings", "groups", g, "rows", r, "unit"), row.unit) for r, row in enumerate(group.rows)]
    if notice.web_messages is not None:
        places += [(("web_messages", "rows", r, "unit"), row.unit) for r, row in enumerate(notice.web_messages.rows)]
    problems = []
    for path, name in places:
        if name not in known:
            hint = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            guess = f"是否应为 '{hint[0]}'?" if hint else ""
            message = f"单位 {name!r} 不在单位名录 data/units.yaml 中；{guess}如是新单位或新写法，请在名录中登记"
            problems.append(problem_at(document, path, message))
    return problems
