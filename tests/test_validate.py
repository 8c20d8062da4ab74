"""Exact messages for every kind of bad input staff can produce."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from pydantic import ValidationError

from generator import read_archive, render_site
from generator.checks import CHECK_TITLES
from generator.model import Category, CheckId, RankingRow, Table
from tests.conftest import NOTICE, Project

CATEGORY_CHECKS = (CheckId.category_total, CheckId.category_shares)
SHARE_CHECKS = (CheckId.share_sum, CheckId.category_shares)
INTAKE_CHECKS = (CheckId.intake_sums, CheckId.completed_le_registered, CheckId.rates)


def blocked(*checks: CheckId) -> str:
    """The line that follows a problem when consistency checks need the value that has it."""
    return f"此处有误，暂时无法检查：{''.join(f'“{CHECK_TITLES[check]}”' for check in checks)}（改正后再次校验时检查）"


def test_the_shipped_data_is_valid(project: Project) -> None:
    assert project.problems() == []


def test_wrong_type(project: Project) -> None:
    line = project.edit("  count: 4524\n", "  count: 4,524\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:10 categories[1].count: 应为整数，实际为 '4,524'",
        f"{NOTICE}:{line}:10 categories[1].count: {blocked(*CATEGORY_CHECKS)}",
    ]


def test_wrong_type_decimal_where_integer(project: Project) -> None:
    line = project.edit("  total: 56644\n", "  total: 56644.5\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:10 intake.total: 应为整数，实际为 56644.5",
        f"{NOTICE}:{line}:10 intake.total: {blocked(CheckId.intake_sums, CheckId.category_total)}",
    ]


def test_missing_field(project: Project) -> None:
    line = project.edit("  count: 4524\n", "")
    assert project.problems() == [
        f"{NOTICE}:{line - 1}:3 categories[1].count: 缺少必填字段",
        f"{NOTICE}:{line - 1}:3 categories[1].count: {blocked(*CATEGORY_CHECKS)}",
    ]


def test_unknown_field_suggests_the_right_one(project: Project) -> None:
    line = project.edit("  count: 4524\n", "  cout: 4524\n  count: 4524\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:3 categories[1].cout: 未知字段，是否应为 'count'；这里可用的字段有：name、count、share、topics"
    ]


def test_wrong_enum_value(project: Project) -> None:
    line = project.edit("    group: county\n", "    group: 县\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:12 rankings.groups[0].group: 应为 county、district、department、street、enterprise 之一，实际为 '县'"
    ]


def test_bad_url(project: Project) -> None:
    line = project.edit("  source: https://pds.gov.cn/", "  source: javascript://pds.gov.cn/")
    assert project.problems() == [
        f"{NOTICE}:{line}:11 meta.source: 应为以 http:// 或 https:// 开头的网址，实际为 'javascript://pds.gov.cn/contents/22086/610670.html'"
    ]


def test_unit_name_with_typesetting_space(project: Project) -> None:
    line = project.edit("{unit: 郏县, score: 119.87", "{unit: 郏 县, score: 119.87")
    assert project.problems() == [
        f"{NOTICE}:{line}:14 rankings.groups[0].rows[0].unit: 名称中不能有空格（排版用的空格不属于名称），实际为 '郏 县'，应写作 '郏县'",
        f"{NOTICE}:{line}:14 rankings.groups[0].rows[0].unit: {blocked(CheckId.duplicate_units, CheckId.unit_groups)}",
    ]


def test_all_problems_of_all_files_are_reported_at_once(project: Project) -> None:
    project.edit("  count: 4524\n", "  count: many\n")
    project.edit("  period: 2023-08\n", "  period: 2023-8\n")
    (project.root / "data/notices/2023-09.yaml").write_text("meta: [\n", encoding="utf-8")
    (project.root / "data/publisher.yaml").write_text("city: 平顶山市\n", encoding="utf-8")
    found = project.problems()
    assert [p.split(":", 1)[0] for p in found] == [
        *["data/notices/2023-08.yaml"] * 3,  # the period, the count, the checks that need the count
        "data/notices/2023-09.yaml",
        *["data/publisher.yaml"] * 6,  # hotline, site_title, site_description, website, data_license, data_license_url
    ]
    assert "data/notices/2023-08.yaml:5:11 meta.period: 应为“年-月”格式，如 2023-08，实际为 '2023-8'" in found


def test_period_must_match_file_name(project: Project) -> None:
    line = project.edit("  period: 2023-08\n", "  period: 2023-09\n")
    assert project.problems() == [f"{NOTICE}:{line}:11 meta.period: 与文件名不一致：文件名为 2023-08，此处为 '2023-09'"]


def test_file_name_must_be_a_period(project: Project) -> None:
    shutil.move(project.notice, project.root / "data/notices/august.yaml")
    assert project.problems() == [
        "data/notices/august.yaml: 不是通报数据文件的名称\uff0c未读取\uff1a通报文件应命名为“年-月.yaml”"
        "\uff08半角数字、小写扩展名\uff0c如 2023-09.yaml\uff09\uff1b其他文件请移出 data/notices/"
    ]


def test_no_two_files_for_one_period(project: Project) -> None:
    shutil.copy(project.notice, project.root / "data/notices/2023-08.yml")
    assert project.problems() == [
        "data/notices/2023-08.yml:5:11 meta.period: 2023-08 的通报已在 data/notices/2023-08.yaml 中，同一月份只能有一个文件"
    ]


# --- consistency checks -------------------------------------------------------------------


def test_channel_figures_must_sum_to_the_totals(project: Project) -> None:
    line = project.edit("    calls: 8459\n", "    calls: 8460\n")
    total_line = project.text().splitlines().index("    calls: 56466") + 1
    assert line > total_line
    assert project.problems() == [
        f"{NOTICE}:{total_line}:12 intake.phone.calls: 与各项之和不符：12345 35399 + 12315 8460 + 12328 2094 + 12333 8879 + 12348 1635 = 56467，此处为 56466"
    ]


def test_total_must_be_calls_plus_web(project: Project) -> None:
    line = project.edit("  total: 56644\n", "  total: 56645\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:10 intake.total: 与各项之和不符：接听电话 56466 + 网络平台受理交办 178 = 56644，此处为 56645"
    ]


def test_completed_may_not_exceed_registered(project: Project) -> None:
    project.edit(
        "    registered: 342\n    completed: 342\n    on_time_completion_rate: 100\n",
        "    registered: 342\n    completed: 343\n    on_time_completion_rate: 100\n",
    )
    found = project.problems()
    assert f"{NOTICE}:41:16 intake.lines[2].completed: 已办结 343 多于登记交办 342" in found
    assert (
        f"{NOTICE}:12:16 intake.phone.completed: 与各项之和不符：12345 11556 + 12315 2793 + 12328 343 = 14692，此处为 14691"
        in found
    )


def test_printed_rate_must_agree_with_counts(project: Project) -> None:
    line = project.edit("  reply_rate: 100\n", "  reply_rate: 98\n")
    assert project.problems() == [f"{NOTICE}:{line}:17 intake.web.reply_rate: 与件数不符：178 / 178 = 100.00%，此处为 98%"]


def test_rates_are_compared_at_their_printed_precision(project: Project) -> None:
    # 2793 / 2793 is 100%; 99.96 rounds to neither 100 nor itself, 100.0 is fine.
    project.edit(
        "    on_time_completion_rate: 100\n  - number: '12328'", "    on_time_completion_rate: 100.0\n  - number: '12328'"
    )
    assert project.problems() == []


def test_category_shares_must_be_proportional(project: Project) -> None:
    line = project.edit("  share: 9.3\n", "  share: 12.3\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:10 categories[2].share: 与件数不成比例：按 2391 件占 12.3% 推算，诉求总数应在 19360 至 19518 之间，"
        "而前面各类推算的总数在 25778 至 25852 之间"
    ]


def test_ranks_must_agree_with_scores(project: Project) -> None:
    line = project.edit("{unit: 鲁山县, score: 119.56, rank: 3}", "{unit: 鲁山县, score: 119.56, rank: 5}")
    assert project.problems() == [
        f"{NOTICE}:{line}:40 rankings.groups[0].rows[4].rank: 与得分不符：得分 119.56 应排第 3 名，此处为 5"
    ]


def test_printed_total_row_must_equal_the_column_sums(project: Project) -> None:
    line = project.edit("total_row: {label: 总计, total: 178,", "total_row: {label: 总计, total: 179,")
    assert project.problems() == [f"{NOTICE}:{line}:33 web_messages.total_row.total: 与各行办件总数之和 178 不符，此处为 179"]


def test_row_parts_must_add_up(project: Project) -> None:
    line = project.edit(
        "{unit: 市商务局, total: 1, replied: 1, unreplied: 0}", "{unit: 市商务局, total: 1, replied: 1, unreplied: 1}"
    )
    found = project.problems()
    assert f"{NOTICE}:{line}:25 web_messages.rows[29].total: 与已回复数 1 + 未回复数 1 = 2 不符，此处为 1" in found
    assert f"{NOTICE}:282:63 web_messages.total_row.unreplied: 与各行未回复数之和 1 不符，此处为 0" in found


def test_a_failure_of_the_official_notice_can_be_acknowledged(project: Project) -> None:
    project.edit("  reply_rate: 100\n", "  reply_rate: 98\n")
    project.notice.write_text(
        project.text() + "acknowledged:\n- check: rates\n  path: intake.web.reply_rate\n  reason: 原通报如此印刷。\n",
        encoding="utf-8",
    )
    assert project.problems() == []


def test_an_acknowledgement_of_a_passing_check_is_an_error(project: Project) -> None:
    text = project.text() + "acknowledged:\n- check: ranks\n  path: rankings.groups[0].rows[0].rank\n  reason: 无\n"
    project.notice.write_text(text, encoding="utf-8")
    line = text.splitlines().index("- check: ranks") + 1
    assert project.problems() == [
        f"{NOTICE}:{line}:3 acknowledged[0]: 确认的不一致并不存在：检查 ranks 在 rankings.groups[0].rows[0].rank 处已通过，请删除此项"
    ]


# --- the escape hatch ---------------------------------------------------------------------


def test_extra_section_markdown_rejects_script_links_and_images(project: Project) -> None:
    text = project.text() + (
        "extra_sections:\n"
        "- after: work_updates\n  heading: 附加\n  text: '[点我](javascript:alert(1))'\n"
        "- after: work_updates\n  heading: 附加\n  text: '![图](https://example.com/a.png)'\n"
        "- after: work_updates\n  heading: 附加\n"
        "- after: work_updates\n  heading: 表\n  table: {columns: [甲, 乙], rows: [[1]]}\n"
    )
    project.notice.write_text(text, encoding="utf-8")
    base = text.splitlines().index("extra_sections:") + 1
    assert project.problems() == [
        f"{NOTICE}:{base + 3}:9 extra_sections[0].text: 链接只能指向 http:// 或 https:// 网址，实际为 'javascript:alert(1)'",
        f"{NOTICE}:{base + 6}:9 extra_sections[1].text: 不支持插入图片（图片会从其他网站加载）",
        f"{NOTICE}:{base + 7}:3 extra_sections[2]: 补充部分至少应有 text、plain 或 table",
        f"{NOTICE}:{base + 11}:10 extra_sections[3].table: 第 1 行有 1 格，表头有 2 列",
    ]


# --- limits: names become page addresses, numbers go into SQLite, periods into dates ---------


def test_a_name_has_a_length_limit(project: Project) -> None:
    long = "类" * 95
    line = project.edit("- name: 政务服务类\n", f"- name: {long}\n")
    assert project.problems() == [f"{NOTICE}:{line}:9 categories[0].name: 不能超过 40 个字，实际有 95 个字"]


def test_the_longest_name_allowed_is_valid(project: Project) -> None:
    project.edit("- name: 政务服务类\n", f"- name: {'类' * 40}\n")
    assert project.problems() == []


def test_a_name_may_not_hold_characters_that_break_a_page_address(project: Project) -> None:
    line = project.edit("  - district: 卫东区\n    places:\n    - 荣邦花园", "  - district: 卫东/区\n    places:\n    - 荣邦花园")
    assert project.problems() == [
        f"{NOTICE}:{line}:15 cases[0].areas[0].district: 名称会用作网页地址，不能含有字符 '/'；"
        "只能用文字、数字和常用标点 ()（）《》〈〉【】〔〕「」『』“”‘’·・、,，。.-‐–—_&+，实际为 '卫东/区'"
    ]


def test_every_unsafe_character_is_refused(project: Project) -> None:
    for char in "/\\?#%$:*|<>\"'{}^`~!@;=[]":
        project.notice.write_text(project.text().replace("- name: 政务服务类\n", f"- name: '政务{char * 2}类'\n", 1))
        found = project.problems()
        assert len(found) == 1, char
        assert "不能含有字符" in found[0], char
        project.notice.write_text(project.text().replace(f"- name: '政务{char * 2}类'\n", "- name: 政务服务类\n"))


def test_a_name_may_not_be_dots(project: Project) -> None:
    line = project.edit("  - district: 卫东区\n    places:\n    - 荣邦花园", "  - district: ..\n    places:\n    - 荣邦花园")
    assert project.problems() == [
        f"{NOTICE}:{line}:15 cases[0].areas[0].district: 名称会用作网页地址，不能以“.”开头或结尾，也不能含有“..”，实际为 '..'"
    ]


def test_a_name_may_not_be_a_reserved_page_name(project: Project) -> None:
    line = project.edit("- name: 政务服务类\n", "- name: Index\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:9 categories[0].name: 'Index' 是网站保留的页面名，不能用作名称；请照原文写出全称"
    ]


def test_two_names_of_one_page_address_are_reported_as_a_clash(project: Project) -> None:
    units = project.root / "data/units.yaml"
    text = units.read_text(encoding="utf-8") + "- {name: ABC热线办, group: department}\n- {name: abc热线办, group: department}\n"
    units.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    assert project.problems() == [
        f"data/units.yaml:{line}:10 units[{line - 5}].name: 单位名称 'abc热线办' 与 'ABC热线办'（data/units.yaml:{line - 1}:10）"
        "对应同一个网页地址 units/ABC热线办/；同一单位请统一写法，不同的请改用能区分的名称"
    ]


def test_a_category_spelled_two_ways_in_two_months_is_a_clash(project: Project) -> None:
    project.edit("- name: 政务服务类\n", "- name: 政务服务类（A）\n")
    september = project.root / "data/notices/2023-09.yaml"
    text = project.text().replace("period: 2023-08", "period: 2023-09").replace("政务服务类（A）", "政务服务类（Ａ）")
    september.write_text(text, encoding="utf-8")
    line = text.splitlines().index("- name: 政务服务类（Ａ）") + 1
    assert project.problems() == [
        f"data/notices/2023-09.yaml:{line}:9 categories[0].name: 诉求类别名称 '政务服务类（Ａ）' 与 '政务服务类（A）'"
        f"（{NOTICE}:{line}:9）对应同一个网页地址 categories/政务服务类（A）/；同一诉求类别请统一写法，不同的请改用能区分的名称"
    ]


def test_counts_have_an_upper_limit(project: Project) -> None:
    line = project.edit("  count: 4524\n", f"  count: {10**19}\n")
    huge = project.edit("  count: 2391\n", f"  count: {10**25}\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:10 categories[1].count: 应不大于 1000000000，实际为 10000000000000000000",
        f"{NOTICE}:{line}:10 categories[1].count: {blocked(*CATEGORY_CHECKS)}",
        f"{NOTICE}:{huge}:10 categories[2].count: 应不大于 1000000000，实际为 10000000000000000000000000",
    ]


def test_a_huge_number_is_shown_by_its_size() -> None:
    # The loader refuses numbers this long; the model must still answer without printing them.
    with pytest.raises(ValidationError) as error:
        Table.model_validate({"columns": ["甲"], "rows": [[10**400]]})
    assert error.value.errors()[0]["msg"] == "表格中的数字绝对值不能超过 1000000000000，实际为 一个约 401 位的整数"


def test_rates_have_bounded_decimals_and_range(project: Project) -> None:
    line = project.edit("  share: 9.3\n", "  share: 9.333\n")
    over = project.edit("  reply_rate: 100\n", "  reply_rate: 100.01\n")
    assert project.problems() == [
        f"{NOTICE}:{over}:17 intake.web.reply_rate: 应不大于 100，实际为 100.01",
        f"{NOTICE}:{over}:17 intake.web.reply_rate: {blocked(CheckId.rates)}",
        f"{NOTICE}:{line}:10 categories[2].share: 最多 2 位小数，实际为 9.333",
        f"{NOTICE}:{line}:10 categories[2].share: {blocked(*SHARE_CHECKS)}",
    ]


def test_scores_have_an_upper_limit(project: Project) -> None:
    line = project.edit("{unit: 郏县, score: 119.87", "{unit: 郏县, score: 1000.01")
    assert project.problems() == [
        f"{NOTICE}:{line}:25 rankings.groups[0].rows[0].score: 应不大于 1000，实际为 1000.01",
        f"{NOTICE}:{line}:25 rankings.groups[0].rows[0].score: {blocked(CheckId.ranks)}",
    ]


def test_numbers_are_plain_decimals(project: Project) -> None:
    line = project.edit("  share: 9.3\n", "  share: '1E+1'\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:10 categories[2].share: 应为数字，实际为 '1E+1'",
        f"{NOTICE}:{line}:10 categories[2].share: {blocked(*SHARE_CHECKS)}",
    ]


@pytest.mark.parametrize(
    ("share", "message"),
    [
        (Decimal("-0.0"), "零不能带负号，应写作 0，实际为 -0.0"),
        (Decimal("NaN"), "应为数字，实际为 NaN"),
        ("１７.５", "应为数字，实际为 '１７.５'"),
        (True, "应为数字，实际为 True"),
    ],
)
def test_the_model_takes_only_plain_numbers(share: object, message: str) -> None:
    # Whatever reaches the model (the loader refuses these in YAML, the JSON download is read back).
    with pytest.raises(ValidationError) as error:
        Category.model_validate({"name": "甲类", "count": 1, "share": share})
    assert error.value.errors()[0]["msg"] == message


def test_a_number_checked_before_is_checked_again_when_it_is_another_number_or_field() -> None:
    """Numbers are validated once each (generator.model._remembered), by identity: an equal number
    that is not the same (-0 after 0) is checked, and so is the same number in a field of other bounds."""
    zero, score = Decimal("0"), Decimal("150")
    row = {"unit": "郏县", "rank": 1}
    assert RankingRow.model_validate({**row, "score": zero}).score is zero
    assert RankingRow.model_validate({**row, "score": score}).score is score
    with pytest.raises(ValidationError) as error:
        RankingRow.model_validate({**row, "score": Decimal("-0")})
    assert error.value.errors()[0]["msg"] == "零不能带负号，应写作 0，实际为 -0"
    with pytest.raises(ValidationError) as error:
        Category.model_validate({"name": "甲类", "count": 1, "share": score})
    assert error.value.errors()[0]["type"] == "less_than_equal"
    assert RankingRow.model_validate({**row, "score": 120}).score == Decimal("120")


def test_periods_are_ascii_years_within_range(project: Project) -> None:
    for period, message in (
        ("0000-08", "年份应在 1990 至 2100 之间，实际为 '0000-08'"),
        ("9999-08", "年份应在 1990 至 2100 之间，实际为 '9999-08'"),
        ("２０２３-08", "应为“年-月”格式，如 2023-08，实际为 '２０２３-08'"),
    ):
        text = project.text()
        project.notice.unlink()
        name = project.root / f"data/notices/{period if period.isascii() else '2023-08'}.yaml"
        name.write_text(text.replace("  period: 2023-08\n", f"  period: {period}\n"), encoding="utf-8")
        problems = project.problems()
        assert f"data/notices/{name.name}:5:11 meta.period: {message}" in problems
        name.unlink()
        project.notice.write_text(text, encoding="utf-8")


def test_the_oldest_and_newest_years_are_valid(project: Project) -> None:
    text = project.text()
    project.notice.unlink()
    for period in ("1990-01", "2100-12"):
        (project.root / f"data/notices/{period}.yaml").write_text(
            text.replace("  period: 2023-08\n", f"  period: {period}\n"), encoding="utf-8"
        )
    assert project.problems() == []


def test_published_must_be_a_real_date_in_range(project: Project) -> None:
    for written, message in (
        ("0", "应为日期（YYYY-MM-DD），实际为 0"),
        ("2023-02-30", "不是日历上的日期，实际为 '2023-02-30'"),
        ("1970-01-01", "年份应在 1990 至 2100 之间，实际为 '1970-01-01'"),
        ("2023-07-31", "发布日期 2023-07-31 早于通报所属月份 2023-08，请核对年份和月份"),
    ):
        text = project.text()
        line = project.edit("  period: 2023-08\n", f"  period: 2023-08\n  published: {written}\n") + 1
        assert project.problems() == [f"{NOTICE}:{line}:14 meta.published: {message}"], written
        project.notice.write_text(text, encoding="utf-8")
    project.edit("  period: 2023-08\n", "  period: 2023-08\n  published: 2023-09-05\n")
    assert project.problems() == []


# --- consistency: categories and units ----------------------------------------------------


def _categories(project: Project, shares: list[tuple[int, str]]) -> int:
    """Replace the three categories' counts and shares; return the line of ``categories:``."""
    text = project.text()
    for (old_count, old_share), (count, share) in zip(((5235, "20.3"), (4524, "17.5"), (2391, "9.3")), shares, strict=True):
        text = text.replace(f"  count: {old_count}\n  share: {old_share}\n", f"  count: {count}\n  share: {share}\n")
    project.notice.write_text(text, encoding="utf-8")
    return text.splitlines().index("categories:") + 1


def test_shares_may_not_add_up_to_more_than_100(project: Project) -> None:
    line = _categories(project, [(6000, "60"), (6000, "60"), (3000, "30")])
    assert project.problems() == [f"{NOTICE}:{line + 1}:1 categories: 各类占比之和超过 100%：60% + 60% + 30% = 150%"]


def test_shares_may_add_up_to_100_within_rounding(project: Project) -> None:
    _categories(project, [(3334, "33.4"), (3333, "33.3"), (3333, "33.3")])
    assert project.problems() == []


def test_all_zero_shares_are_refused(project: Project) -> None:
    line = _categories(project, [(5235, "0"), (4524, "0"), (2391, "0")])
    assert project.problems() == [f"{NOTICE}:{line + 3}:10 categories[0].share: 各类占比都为 0，而件数不为 0；请照原文填写占比"]


def test_a_zero_share_must_agree_with_the_other_shares(project: Project) -> None:
    line = _categories(project, [(5235, "20.3"), (4524, "17.5"), (2391, "0")])
    assert project.problems() == [
        f"{NOTICE}:{line + 19}:10 categories[2].share: 与件数不成比例：按 2391 件占 0% 推算，诉求总数应不少于 478200，"
        "而前面各类推算的总数在 25778 至 25852 之间"
    ]


def test_a_share_of_zero_items_must_be_zero(project: Project) -> None:
    line = _categories(project, [(5235, "20.3"), (4524, "17.5"), (0, "9.3")])
    assert project.problems() == [f"{NOTICE}:{line + 19}:10 categories[2].share: 件数为 0，占比应为 0，此处为 9.3%"]


def test_a_category_may_not_count_more_than_the_month(project: Project) -> None:
    line = _categories(project, [(56645, "20.3"), (4524, "17.5"), (2391, "9.3")])
    problems = project.problems()
    assert (
        f"{NOTICE}:{line + 2}:10 categories[0].count: 件数 56645 多于当月受理各类来电来信总数 56644（intake.total）" in problems
    )


def test_categories_together_may_not_count_more_than_the_month(project: Project) -> None:
    line = _categories(project, [(30000, "50"), (20000, "33.3"), (10000, "16.7")])
    assert project.problems() == [
        f"{NOTICE}:{line + 1}:1 categories: 各类件数之和 60000 多于当月受理各类来电来信总数 56644（intake.total）"
    ]


def test_a_unit_may_appear_once_in_a_group(project: Project) -> None:
    line = project.edit("{unit: 叶县, score: 119.59, rank: 2}", "{unit: 郏县, score: 119.59, rank: 2}")
    assert project.problems() == [
        f"{NOTICE}:{line}:14 rankings.groups[0].rows[1].unit: 单位 '郏县' 在本组第 1 行已经出现，同一单位在一张表中只能有一行"
    ]


def test_a_unit_and_its_alias_may_not_both_appear(project: Project) -> None:
    line = project.edit("{unit: 市广播电视台, score: 85.50", "{unit: 市公积金管理中心, score: 85.50")
    assert project.problems() == [
        f"{NOTICE}:{line}:14 rankings.groups[2].rows[19].unit: 单位 '市公积金管理中心' 在本组第 19 行已经出现"
        "（单位名录中 '市公积金管理中心' 与 '市住房公积金管理中心' 是同一单位），同一单位在一张表中只能有一行"
    ]


def test_a_unit_may_be_in_one_group_only(project: Project) -> None:
    line = project.edit("{unit: 示范区, score: 68.60, rank: 6}", "{unit: 郏县, score: 68.60, rank: 6}")
    assert project.problems() == [
        f"{NOTICE}:{line}:14 rankings.groups[1].rows[5].unit: 单位 '郏县' 已在第 1 个分组"
        "“8月份12345民呼必应热线办理情况各分中心办理情况表”中出现，同一单位每月只能在一个分组中"
    ]


def test_a_unit_may_appear_once_in_the_message_table(project: Project) -> None:
    line = project.edit("{unit: 市商务局, total: 1,", "{unit: 市住房公积金管理中心, total: 1,")
    assert project.problems() == [
        f"{NOTICE}:{line}:12 web_messages.rows[29].unit: 单位 '市住房公积金管理中心' 在本表第 21 行已经出现"
        "（单位名录中 '市住房公积金管理中心' 与 '市公积金管理中心' 是同一单位），同一单位在一张表中只能有一行"
    ]


def test_an_acknowledged_unit_printed_twice_keeps_both_rows_on_its_page(project: Project) -> None:
    project.edit("{unit: 叶县, score: 119.59, rank: 2}", "{unit: 郏县, score: 119.59, rank: 2}")
    project.notice.write_text(
        project.text()
        + "acknowledged:\n- check: duplicate_units\n  path: rankings.groups[0].rows[1].unit\n  reason: 原通报如此印刷。\n",
        encoding="utf-8",
    )
    assert project.problems() == []
    pages = {page.path: page.markdown for page in render_site(read_archive(project.root)).pages}
    unit_page = pages["units/郏县.md"]
    assert "119.87" in unit_page
    assert "119.59" in unit_page


def test_ranks_have_an_upper_limit(project: Project) -> None:
    line = project.edit("{unit: 郏县, score: 119.87, rank: 1}", f"{{unit: 郏县, score: 119.87, rank: {10**19}}}")
    found = project.problems()
    assert f"{NOTICE}:{line}:39 rankings.groups[0].rows[0].rank: 应不大于 1000000000，实际为 10000000000000000000" in found


def test_numbers_in_free_form_tables_are_bounded(project: Project) -> None:
    text = project.text() + (
        "extra_sections:\n- after: work_updates\n  heading: 表\n"
        f"  table: {{columns: [甲, 乙, 丙], rows: [[-1000000000000, {10**13}, 0.00001]]}}\n"
    )
    project.notice.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    assert project.problems() == [
        f"{NOTICE}:{line}:55 extra_sections[0].table.rows[0][1]: 表格中的数字绝对值不能超过 1000000000000，实际为 10000000000000",
        f"{NOTICE}:{line}:71 extra_sections[0].table.rows[0][2]: 表格中的数字最多 4 位小数，实际为 0.00001",
    ]


# --- every problem in one run ---------------------------------------------------------------


def test_three_typical_mistakes_are_all_reported_in_one_run(project: Project) -> None:
    # The month of issue 11: a count typed with a thousands separator, the 12345 line's
    # registered count deleted, and 叶县 given rank 1 with a lower score than 郏县.
    count = project.edit("  count: 4524\n", "  count: 4,524\n")
    project.edit("    calls: 35399\n    registered: 11556\n", "    calls: 35399\n")
    rank = project.edit("{unit: 叶县, score: 119.59, rank: 2}", "{unit: 叶县, score: 119.59, rank: 1}")
    line = project.text().splitlines().index("  - number: '12345'") + 1
    assert project.problems() == [
        f"{NOTICE}:{line}:5 intake.lines[0].registered: "
        "缺少必填字段：填写了 completed、completion_rate 时，须同时填写 registered（登记交办）",
        f"{NOTICE}:{line}:5 intake.lines[0].registered: " + blocked(*INTAKE_CHECKS),
        f"{NOTICE}:{count - 1}:10 categories[1].count: 应为整数，实际为 '4,524'",
        f"{NOTICE}:{count - 1}:10 categories[1].count: {blocked(*CATEGORY_CHECKS)}",
        f"{NOTICE}:{rank}:39 rankings.groups[0].rows[1].rank: 与得分不符：得分 119.59 应排第 2 名，此处为 1",
    ]


def test_placeholders_do_not_hide_the_consistency_checks(project: Project) -> None:
    share = project.edit("  share: 9.3\n", "  share: 待填写\n")
    calls = project.edit("    calls: 8459\n", "    calls: 8460\n")
    total = project.text().splitlines().index("    calls: 56466") + 1
    assert project.problems() == [
        f"{NOTICE}:{total}:12 intake.phone.calls: "
        "与各项之和不符：12345 35399 + 12315 8460 + 12328 2094 + 12333 8879 + 12348 1635 = 56467，此处为 56466",
        f"{NOTICE}:{share}:10 categories[2].share: 尚未填写（“待填写”处请照原文填写）",
        f"{NOTICE}:{share}:10 categories[2].share: {blocked(*SHARE_CHECKS)}",
    ]
    assert calls > total


def test_a_missing_required_figure_is_reported_where_it_is_missing(project: Project) -> None:
    project.edit(
        "    calls: 2094\n    registered: 342\n    completed: 342\n",
        "    calls: 2094\n    completed: 342\n",
    )
    line = project.text().splitlines().index("  - number: '12328'") + 1
    assert project.problems() == [
        f"{NOTICE}:{line}:5 intake.lines[2].registered: "
        "缺少必填字段：填写了 completed、on_time_completion_rate 时，须同时填写 registered（登记交办）",
        f"{NOTICE}:{line}:5 intake.lines[2].registered: " + blocked(*INTAKE_CHECKS),
    ]


def test_a_missing_ranking_row_is_one_message_naming_the_row(project: Project) -> None:
    # 市燃气公司 (rank 2 of the departments) left out: once said for each of the 35 rows below it.
    line = project.edit("    - {unit: 市燃气公司, score: 92.00, rank: 2}\n", "")
    assert project.problems() == [
        f"{NOTICE}:{line}:7 rankings.groups[2].rows[1]: 此行之前似乎漏录了一行：原文的第 2 名"
        "（得分在 93.50 分与 91.00 分之间）不在表中，所以此行及以下 35 行的名次都比按得分算出的多 1；请对照原文补上这一行"
    ]


def test_an_extra_ranking_row_is_one_message_naming_the_row(project: Project) -> None:
    line = project.edit(
        "    - {unit: 市燃气公司, score: 92.00, rank: 2}\n",
        "    - {unit: 市燃气公司, score: 92.00, rank: 2}\n    - {unit: 市自来水公司, score: 91.50, rank: 3}\n",
    )
    found = project.problems()
    assert found[0] == (
        f"{NOTICE}:{line + 1}:7 rankings.groups[2].rows[2]: 此行似乎是多出来的一行：去掉 市自来水公司（91.50 分）后，"
        "其余各行的名次都与得分相符；请对照原文核对这一行"
    )
    # 市自来水公司 is also ranked further down: the duplicate is named as well, nothing else.
    assert len(found) == 2 and "在本组第" in found[1]


def test_a_single_mistyped_rank_is_not_taken_for_a_missing_row(project: Project) -> None:
    line = project.edit("{unit: 汝州市, score: 118.70, rank: 6}", "{unit: 汝州市, score: 118.70, rank: 7}")
    assert project.problems() == [
        f"{NOTICE}:{line}:40 rankings.groups[0].rows[5].rank: 与得分不符：得分 118.70 应排第 6 名，此处为 7"
    ]


def test_the_checks_across_files_use_the_sound_parts_of_an_invalid_month(project: Project) -> None:
    project.edit("- name: 政务服务类\n", "- name: 政务服务类（A）\n")
    september = project.root / "data/notices/2023-09.yaml"
    text = project.text().replace("period: 2023-08", "period: 2023-09").replace("政务服务类（A）", "政务服务类（Ａ）")
    september.write_text(text.replace("  total: 56644\n", "  total: 待填写\n"), encoding="utf-8")
    line = text.splitlines().index("- name: 政务服务类（Ａ）") + 1
    total = text.splitlines().index("  total: 56644") + 1
    assert project.problems() == [
        f"data/notices/2023-09.yaml:{total}:10 intake.total: 尚未填写（“待填写”处请照原文填写）",
        f"data/notices/2023-09.yaml:{total}:10 intake.total: " + blocked(CheckId.intake_sums, CheckId.category_total),
        f"data/notices/2023-09.yaml:{line}:9 categories[0].name: 诉求类别名称 '政务服务类（Ａ）' 与 '政务服务类（A）'"
        f"（{NOTICE}:{line}:9）对应同一个网页地址 categories/政务服务类（A）/；同一诉求类别请统一写法，不同的请改用能区分的名称",
    ]


def test_what_the_loader_refuses_does_not_hide_the_rest(project: Project) -> None:
    count = project.edit("  count: 4524\n", "  count: ４５２４\n")
    project.edit("    calls: 8459\n", "    calls: 8460\n")
    share = project.edit("  share: 9.3\n", "  share: 9.3\n  share: 9.4\n")
    total = project.text().splitlines().index("    calls: 56466") + 1
    assert project.problems() == [
        f"{NOTICE}:{total}:12 intake.phone.calls: "
        "与各项之和不符：12345 35399 + 12315 8460 + 12328 2094 + 12333 8879 + 12348 1635 = 56467，此处为 56466",
        f"{NOTICE}:{count}:10 categories[1].count: 数字只能用半角数字（0-9），实际为 '４５２４'；如果这是文字，请加引号",
        f"{NOTICE}:{count}:10 categories[1].count: {blocked(*CATEGORY_CHECKS)}",
        f"{NOTICE}:{share + 1}:3 categories[2].share: 字段重复（第 {share} 行已经写过一次）",
        f"{NOTICE}:{share + 1}:3 categories[2].share: {blocked(CheckId.share_sum)}",
    ]


def test_an_acknowledgement_of_a_check_that_could_not_run_is_not_called_unused(project: Project) -> None:
    project.edit("{unit: 示范区, score: 68.60, rank: 6}", "{unit: 郏县, score: 68.60, rank: 6}")
    project.notice.write_text(
        project.text() + "acknowledged:\n- check: unit_groups\n  path: rankings.groups[1].rows[5].unit\n  reason: 原通报如此。\n",
        encoding="utf-8",
    )
    assert project.problems() == []
    line = project.edit("{unit: 叶县, score: 119.59", "{unit: 叶 县, score: 119.59")
    assert project.problems() == [
        f"{NOTICE}:{line}:14 rankings.groups[0].rows[1].unit: 名称中不能有空格（排版用的空格不属于名称），实际为 '叶 县'，应写作 '叶县'",
        f"{NOTICE}:{line}:14 rankings.groups[0].rows[1].unit: {blocked(CheckId.duplicate_units, CheckId.unit_groups)}",
    ]


# --- a record's own rules report in the same run as its fields' errors ------------------------


def test_record_rules_report_with_the_errors_of_their_fields(project: Project) -> None:
    # Each record below has a field error, which makes pydantic skip the record's own rule: the
    # rule still runs on the sound fields, so nothing waits for a second run.
    registered = project.edit(
        "    calls: 8459\n    registered: 2793\n    completed: 2793\n", "    calls: '8,459'\n    completed: 2793\n"
    )
    kind = project.edit("    kind: parallel\n    calls: 8879\n", "    kind: paralel\n")
    change = project.edit("  web_channels:\n", "  changes:\n  - {basis: yoy, direction: up}\n  web_channels:\n") + 1
    row = project.edit(
        "    - {unit: 郏县, score: 119.87, rank: 1}\n", "    - {unit: 郏县, score: 119.87, rank: 1, values: [1, 2]}\n"
    )
    project.edit("    - {unit: 叶县, score: 119.59, rank: 2}\n", "    - {unit: 叶县, score: '119,59', rank: 2}\n")
    text = project.text() + (
        "rates:\n- {name: 办结率, kind: completion, rate: 百, count: 5}\n"
        "extra_sections:\n- after: nowhere\n  heading: 附加\n"
        "- after: work_updates\n  heading: 表\n  table: {caption: [x], columns: [甲, 乙], rows: [[1]]}\n"
    )
    project.notice.write_text(text, encoding="utf-8")
    rate = text.splitlines().index("rates:") + 2
    extra = rate + 2
    group = row - 3
    assert project.problems() == [
        f"{NOTICE}:{registered - 3}:5 intake.lines[1].registered: "
        "缺少必填字段：填写了 completed、on_time_completion_rate 时，须同时填写 registered（登记交办）",
        f"{NOTICE}:{registered - 3}:5 intake.lines[1].registered: " + blocked(*INTAKE_CHECKS[1:]),
        f"{NOTICE}:{registered}:12 intake.lines[1].calls: 应为整数，实际为 '8,459'",
        f"{NOTICE}:{registered}:12 intake.lines[1].calls: " + blocked(CheckId.intake_sums),
        f"{NOTICE}:{kind - 2}:5 intake.lines[3]: 每条热线至少应填写 calls（接听人次）或 consultations（咨询人次）",
        f"{NOTICE}:{kind - 2}:5 intake.lines[3]: " + blocked(*INTAKE_CHECKS),
        f"{NOTICE}:{kind}:11 intake.lines[3].kind: 应为 main、parallel 之一，实际为 'paralel'",
        f"{NOTICE}:{change}:5 intake.changes[0]: 增减至少应填写 percent（幅度）或 count（件数）",
        f"{NOTICE}:{change}:13 intake.changes[0].basis: 应为 year_on_year、month_on_month、previous_month 之一，实际为 'yoy'",
        f"{NOTICE}:{group}:5 rankings.groups[0]: 第 1 行的 values 有 2 格，columns 有 0 列",
        f"{NOTICE}:{group}:5 rankings.groups[0]: " + blocked(CheckId.ranks, CheckId.duplicate_units, CheckId.unit_groups),
        f"{NOTICE}:{row + 1}:25 rankings.groups[0].rows[1].score: 应为数字，实际为 '119,59'",
        f"{NOTICE}:{rate}:3 rates[0]: count（件数）与 count_label（件数名称）应同时填写或同时不填",
        f"{NOTICE}:{rate}:3 rates[0]: " + blocked(CheckId.intake_sums),
        f"{NOTICE}:{rate}:39 rates[0].rate: 应为数字，实际为 '百'",
        f"{NOTICE}:{extra}:3 extra_sections[0]: 补充部分至少应有 text、plain 或 table",
        f"{NOTICE}:{extra}:10 extra_sections[0].after: "
        "应为 intake、categories、cases、work_updates、rankings、web_messages 之一，实际为 'nowhere'",
        f"{NOTICE}:{extra + 4}:10 extra_sections[1].table: 第 1 行有 1 格，表头有 2 列",
        f"{NOTICE}:{extra + 4}:20 extra_sections[1].table.caption: 应为文本，实际为 一个列表",
    ]


def test_a_record_rule_that_needs_a_failed_value_says_nothing(project: Project) -> None:
    # A placeholder is a figure still to be written, not a missing one; rows that are not a list
    # cannot be counted: the rules stay silent rather than guess.
    line = project.edit("    calls: 8879\n", "    calls: 待填写\n")
    text = project.text() + "extra_sections:\n- after: work_updates\n  heading: 表\n  table: {columns: [甲, 乙], rows: 甲}\n"
    project.notice.write_text(text, encoding="utf-8")
    extra = text.splitlines().index("extra_sections:") + 4
    assert project.problems() == [
        f"{NOTICE}:{line}:12 intake.lines[3].calls: 尚未填写（“待填写”处请照原文填写）",
        f"{NOTICE}:{line}:12 intake.lines[3].calls: " + blocked(CheckId.intake_sums),
        f"{NOTICE}:{extra}:34 extra_sections[0].table.rows: 应为列表（每项另起一行，以“- ”开头），实际为 '甲'",
    ]


def test_an_unknown_unit_suggests_the_closest_registered_name(project: Project) -> None:
    line = project.edit("{unit: 郏县, score: 119.87", "{unit: 郏县县, score: 119.87")
    assert project.problems()[0] == (
        f"{NOTICE}:{line}:14 rankings.groups[0].rows[0].unit: 单位 '郏县县' 不在单位名录 data/units.yaml 中；"
        "是否应为 '郏县'\uff1f如是新单位或新写法，请在名录中登记"
    )
