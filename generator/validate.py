"""Turn parsed documents into models, translating every problem into the house format.

Messages are in Chinese for hotline staff: ``file:line:column key.path: 应为…，实际为…``.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from generator import limits, markup
from generator.checks import CHECK_TITLES, Finding, Unchecked, run_all
from generator.draft import PLACEHOLDER
from generator.errors import Problem
from generator.load import Document, KeyPath, format_path
from generator.model import Acknowledgement, CheckId, Notice, Publisher, UnitRegistry
from generator.partial import Broken, Unavailable, sound

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
        "missing_figure",
        "table_row",
        "extra_empty",
        "change_figure",
        "rate_count",
        "ranking_row",
    ):
        return error["msg"]
    return f"格式不正确，实际为 {shown}"


def _placeholders(value: Any, path: KeyPath = ()) -> list[KeyPath]:
    """Where ``new`` or ``import`` left the placeholder for staff to fill in."""
    if isinstance(value, str):
        return [path] if value.strip() == PLACEHOLDER else []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _placeholders(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _placeholders(item, (*path, index))]
    return []


def _validated(document: Document, model: type[M]) -> tuple[M | None, list[Problem], set[KeyPath]]:
    """The model (when valid), every problem, and the paths of the values that failed."""
    # A value is the placeholder only where the file spells it out or writes an escape (``\u5f85``):
    # most files have neither, and need no walk through every value.
    written = PLACEHOLDER in document.text or "\\" in document.text
    unfilled = _placeholders(document.data) if written else []
    problems = [*document.problems]
    problems += [problem_at(document, path, f"尚未填写（“{PLACEHOLDER}”处请照原文填写）") for path in unfilled]
    broken = set(unfilled) | document.broken
    reported = [*unfilled, *document.broken]
    try:
        result = model.model_validate(document.data if document.data is not None else {})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc: KeyPath = tuple(part for part in error["loc"] if isinstance(part, str | int))
            if error["type"] == "missing_figure":
                loc = (*loc, (error.get("ctx") or {})["field"])
            broken.add(loc)
            if any(loc[: len(path)] == path for path in reported):
                continue  # already reported as not filled in, or by the loader
            problems.append(problem_at(document, loc, _message(error, model), prefer_key=error["type"] == "extra_forbidden"))
        problems += _record_rules(document, model, broken)
        return None, problems, broken
    return (None, problems, broken) if problems else (result, [], broken)


def _record_rules(document: Document, model: type[M], broken: set[KeyPath]) -> list[Problem]:
    """The rules of the records that pydantic left unchecked because one of their fields failed.

    Pydantic runs a record's own rules (a line needs calls or consultations, a row as wide as the
    header, …) only when all its fields are valid, so they would surface in a second run. They run
    here on the record as far as it is sound: a rule that needs a failed value stops (see
    :class:`Broken`), one that needs only sound values reports in the same run. Each record found
    wrong is added to ``broken``, so the consistency checks say it blocks them."""
    try:
        built = sound(model, document.data if document.data is not None else {}, broken)
    except ValidationError:
        return []
    found: list[tuple[KeyPath, str, str | None]] = []
    _walk_rules(built, (), found)
    problems = []
    for path, message, field in found:
        loc = path if field is None else (*path, field)
        broken.add(loc)
        problems.append(problem_at(document, loc, message))
    return problems


def _walk_rules(value: Any, path: KeyPath, found: list[tuple[KeyPath, str, str | None]]) -> None:
    # Only partly sound records are built without validation (see generator.partial): a record
    # validated whole has passed its rules already, and a Broken one is reported where it failed.
    if isinstance(value, Broken):
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _walk_rules(item, (*path, index), found)
        return
    if not isinstance(value, BaseModel) or value.model_fields_set != set(type(value).model_fields):
        return
    for name in type(value).model_fields:
        _walk_rules(value.__dict__.get(name), (*path, name), found)
    for decorator in type(value).__pydantic_decorators__.model_validators.values():
        if decorator.info.mode != "after":
            continue
        try:
            decorator.func(value)
        except Unavailable:
            continue  # the rule needs a value that failed, reported where it is
        except PydanticCustomError as error:
            field = (error.context or {}).get("field")
            found.append((path, error.message(), str(field) if field is not None else None))
            break  # as pydantic does: a record's first broken rule


def to_model(document: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate one document against ``model``; return the model or every problem found."""
    result, problems, _ = _validated(document, model)
    return result, problems


def _acknowledgements(notice: Notice) -> list[tuple[int, Acknowledgement]]:
    """The acknowledgements whose check and path are sound (in a partly valid notice, some are not)."""
    try:
        listed = list(enumerate(notice.acknowledged))
    except Unavailable:
        return []
    return [
        (index, ack)
        for index, ack in listed
        if isinstance(ack, Acknowledgement) and not isinstance(ack.check, Broken) and not isinstance(ack.path, Broken)
    ]


def _findings_to_problems(
    document: Document, notice: Notice, results: Sequence[Finding | Unchecked]
) -> tuple[list[Problem], list[tuple[Finding, Acknowledgement]]]:
    """Split findings into problems and acknowledged exceptions; an unused acknowledgement is a problem too.

    A check that could not run is reported once at each value that kept it from running."""
    problems: list[Problem] = []
    accepted: list[tuple[Finding, Acknowledgement]] = []
    used: set[int] = set()
    acknowledgements = _acknowledgements(notice)
    blocked: dict[KeyPath, list[str]] = {}
    for result in results:
        if isinstance(result, Unchecked):
            titles = blocked.setdefault(result.blocked_by, [])
            titles += [] if CHECK_TITLES[result.check] in titles else [CHECK_TITLES[result.check]]
            continue
        finding = result
        match = next(
            (i for i, ack in acknowledgements if ack.check is finding.check and ack.path == format_path(finding.path)), None
        )
        if match is None:
            problems.append(problem_at(document, finding.path, finding.message))
        else:
            used.add(match)
            accepted.append((finding, notice.acknowledged[match]))
    for path, titles in blocked.items():
        # Quoted one by one: a title may itself hold a "、".
        message = f"此处有误，暂时无法检查：{''.join(f'“{title}”' for title in titles)}（改正后再次校验时检查）"
        problems.append(replace(problem_at(document, path, message), consequence=True))
    unchecked = {CheckId(result.check) for result in results if isinstance(result, Unchecked)}
    for index, ack in acknowledgements:
        if index not in used and ack.check not in unchecked:
            message = f"确认的不一致并不存在：检查 {ack.check.value} 在 {ack.path} 处已通过，请删除此项"
            problems.append(problem_at(document, ("acknowledged", index), message))
    return problems, accepted


def notice_file_period(document: Document) -> str | None:
    name = document.file.rsplit("/", 1)[-1]
    match = NOTICE_FILE.fullmatch(name)
    return match.group(1) if match else None


def validate_notice(
    document: Document, units: UnitRegistry | None = None
) -> tuple[Notice | None, Notice | None, list[tuple[Finding, Acknowledgement]], list[Problem]]:
    """Model one notice and run its consistency checks; ``units`` (when valid) resolves aliases.

    Every problem of the file is reported in one run: when parts of the notice are invalid, the
    checks still run on the sound parts (see :class:`generator.checks.Broken`). Returns the
    notice when valid, the notice as far as it is sound (for the checks across files), the
    acknowledged findings and the problems."""
    problems: list[Problem] = []
    if notice_file_period(document) is None:
        problems.append(Problem(document.file, 1, 1, "", "文件名应为“年-月.yaml”，如 2023-08.yaml"))
    valid, model_problems, broken = _validated(document, Notice)
    problems += model_problems
    try:
        notice = valid if valid is not None else sound(Notice, document.data or {}, broken)
    except ValidationError:  # a part judged sound failed after all: check nothing rather than guess
        notice = Broken(())
    if isinstance(notice, Broken):
        return None, None, [], problems
    for part in (_published_after_period, _period_of_file, dangling_anchors):
        # The value it would need is reported where it failed.
        with contextlib.suppress(Unavailable):
            problems += part(document, notice)
    if units is not None:
        problems += unregistered_units(document, notice, units)
    check_problems, accepted = _findings_to_problems(document, notice, run_all(notice, units))
    problems += check_problems
    # A blocked check is said where the problem that blocks it is (a duplicate key is reported at
    # the second key, not at the value kept).
    where = {p.path: p for p in problems if not p.consequence}
    problems = [
        replace(p, line=where[p.path].line, column=where[p.path].column) if p.consequence and p.path in where else p
        for p in problems
    ]
    return (notice if not problems else None), notice, accepted, problems


def _published_after_period(document: Document, notice: Notice) -> list[Problem]:
    published = notice.meta.published
    if published is not None and published.strftime("%Y-%m") < notice.meta.period:
        message = f"发布日期 {published} 早于通报所属月份 {notice.meta.period}，请核对年份和月份"
        return [problem_at(document, ("meta", "published"), message)]
    return []


def _period_of_file(document: Document, notice: Notice) -> list[Problem]:
    period = notice_file_period(document)
    if period is not None and period != notice.meta.period:
        message = f"与文件名不一致：文件名为 {period}，此处为 {notice.meta.period!r}"
        return [problem_at(document, ("meta", "period"), message)]
    return []


def dangling_anchors(document: Document, notice: Notice) -> list[Problem]:
    """A ``#anchor`` link in extra text must name a place on the notice's own page."""
    anchors: list[str] | None = None  # (worked out for the first text: most notices have none)
    problems = []
    for index, extra in enumerate(notice.extra_sections):
        text = extra.text
        if text is None or isinstance(text, Broken):  # Broken: its problem is reported where it failed
            continue
        if anchors is None:
            anchors = notice.page_anchors()
        for anchor in dict.fromkeys(markup.render(text).anchors):
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
        try:
            period = str(notice.meta.period)
        except Unavailable:
            continue  # partly valid, and the period is what failed: reported as such
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
        # A notice may be partly valid (see validate_notice): what failed is skipped, and reported.
        with contextlib.suppress(Unavailable):
            for c, case in enumerate(notice.cases):
                with contextlib.suppress(Unavailable):
                    for a, area in enumerate(case.areas):
                        with contextlib.suppress(Unavailable):
                            yield "districts", str(area.district), document, ("cases", c, "areas", a, "district")
        with contextlib.suppress(Unavailable):
            for index, category in enumerate(notice.categories):
                with contextlib.suppress(Unavailable):
                    yield "categories", str(category.name), document, ("categories", index, "name")


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
    # In a partly valid notice (see validate_notice) a broken table is skipped; its problem is reported.
    with contextlib.suppress(Unavailable):
        if notice.rankings is not None:
            for g, group in enumerate(notice.rankings.groups):
                with contextlib.suppress(Unavailable):
                    names = [row.unit for row in group.rows]
                    # (a path only for a unit not registered: a hundred rows a notice, nearly all registered)
                    places += [
                        (("rankings", "groups", g, "rows", r, "unit"), name)
                        for r, name in enumerate(names)
                        if not isinstance(name, Broken) and name not in known
                    ]
    with contextlib.suppress(Unavailable):
        if notice.web_messages is not None:
            names = [row.unit for row in notice.web_messages.rows]
            places += [
                (("web_messages", "rows", r, "unit"), name)
                for r, name in enumerate(names)
                if not isinstance(name, Broken) and name not in known
            ]
    problems = []
    for path, name in places:
        hint = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
        guess = f"是否应为 '{hint[0]}'\uff1f" if hint else ""
        message = f"单位 {name!r} 不在单位名录 data/units.yaml 中；{guess}如是新单位或新写法，请在名录中登记"
        problems.append(problem_at(document, path, message))
    return problems
