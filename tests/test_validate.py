"""Exact messages for every kind of bad input staff can produce."""

from __future__ import annotations

import shutil

from tests.conftest import NOTICE, Project


def test_the_shipped_data_is_valid(project: Project) -> None:
    assert project.problems() == []


def test_wrong_type(project: Project) -> None:
    line = project.edit("  count: 4524\n", "  count: 4,524\n")
    assert project.problems() == [f"{NOTICE}:{line}:10 categories[1].count: 应为整数,实际为 '4,524'"]


def test_wrong_type_decimal_where_integer(project: Project) -> None:
    line = project.edit("  total: 56644\n", "  total: 56644.5\n")
    assert project.problems() == [f"{NOTICE}:{line}:10 intake.total: 应为整数,实际为 56644.5"]


def test_missing_field(project: Project) -> None:
    line = project.edit("  count: 4524\n", "")
    assert project.problems() == [f"{NOTICE}:{line - 1}:3 categories[1].count: 缺少必填字段"]


def test_unknown_field_suggests_the_right_one(project: Project) -> None:
    line = project.edit("  count: 4524\n", "  cout: 4524\n  count: 4524\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:3 categories[1].cout: 未知字段,是否应为 'count';这里可用的字段有:name、count、share、topics"
    ]


def test_wrong_enum_value(project: Project) -> None:
    line = project.edit("    group: county\n", "    group: 县\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:12 rankings.groups[0].group: 应为 county、district、department、street 之一,实际为 '县'"
    ]


def test_bad_url(project: Project) -> None:
    line = project.edit("  source: https://pds.gov.cn/", "  source: javascript://pds.gov.cn/")
    assert project.problems() == [
        f"{NOTICE}:{line}:11 meta.source: 应为以 http:// 或 https:// 开头的网址,实际为 'javascript://pds.gov.cn/contents/22086/610670.html'"
    ]


def test_unit_name_with_typesetting_space(project: Project) -> None:
    line = project.edit("{unit: 郏县, score: 119.87", "{unit: 郏 县, score: 119.87")
    assert project.problems() == [
        f"{NOTICE}:{line}:14 rankings.groups[0].rows[0].unit: 名称中不能有空格(排版用的空格不属于名称),实际为 '郏 县',应写作 '郏县'"
    ]


def test_all_problems_of_all_files_are_reported_at_once(project: Project) -> None:
    project.edit("  count: 4524\n", "  count: many\n")
    project.edit("  period: 2023-08\n", "  period: 2023-8\n")
    (project.root / "data/notices/2023-09.yaml").write_text("meta: [\n", encoding="utf-8")
    (project.root / "data/publisher.yaml").write_text("city: 平顶山市\n", encoding="utf-8")
    found = project.problems()
    assert [p.split(":", 1)[0] for p in found] == [
        "data/notices/2023-08.yaml",
        "data/notices/2023-08.yaml",
        "data/notices/2023-09.yaml",
        *["data/publisher.yaml"] * 6,  # hotline, site_title, site_description, website, data_license, data_license_url
    ]
    assert "data/notices/2023-08.yaml:5:11 meta.period: 应为“年-月”格式,如 2023-08,实际为 '2023-8'" in found


def test_period_must_match_file_name(project: Project) -> None:
    line = project.edit("  period: 2023-08\n", "  period: 2023-09\n")
    assert project.problems() == [f"{NOTICE}:{line}:11 meta.period: 与文件名不一致:文件名为 2023-08,此处为 '2023-09'"]


def test_file_name_must_be_a_period(project: Project) -> None:
    shutil.move(project.notice, project.root / "data/notices/august.yaml")
    assert project.problems() == [
        "data/notices/august.yaml: 不是通报数据文件的名称\uff0c未读取\uff1a通报文件应命名为“年-月.yaml”"
        "\uff08半角数字、小写扩展名\uff0c如 2023-09.yaml\uff09\uff1b其他文件请移出 data/notices/"
    ]


def test_no_two_files_for_one_period(project: Project) -> None:
    shutil.copy(project.notice, project.root / "data/notices/2023-08.yml")
    assert project.problems() == [
        "data/notices/2023-08.yml:5:11 meta.period: 2023-08 的通报已在 data/notices/2023-08.yaml 中,同一月份只能有一个文件"
    ]


# --- consistency checks -------------------------------------------------------------------


def test_channel_figures_must_sum_to_the_totals(project: Project) -> None:
    line = project.edit("    calls: 8459\n", "    calls: 8460\n")
    total_line = project.text().splitlines().index("    calls: 56466") + 1
    assert line > total_line
    assert project.problems() == [
        f"{NOTICE}:{total_line}:12 intake.phone.calls: 与各项之和不符:12345 35399 + 12315 8460 + 12328 2094 + 12333 8879 + 12348 1635 = 56467,此处为 56466"
    ]


def test_total_must_be_calls_plus_web(project: Project) -> None:
    line = project.edit("  total: 56644\n", "  total: 56645\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:10 intake.total: 与各项之和不符:接听电话 56466 + 网络平台受理交办 178 = 56644,此处为 56645"
    ]


def test_completed_may_not_exceed_registered(project: Project) -> None:
    project.edit(
        "    registered: 342\n    completed: 342\n    on_time_completion_rate: 100\n",
        "    registered: 342\n    completed: 343\n    on_time_completion_rate: 100\n",
    )
    found = project.problems()
    assert f"{NOTICE}:41:16 intake.lines[2].completed: 已办结 343 多于登记交办 342" in found
    assert (
        f"{NOTICE}:12:16 intake.phone.completed: 与各项之和不符:12345 11556 + 12315 2793 + 12328 343 = 14692,此处为 14691"
        in found
    )


def test_printed_rate_must_agree_with_counts(project: Project) -> None:
    line = project.edit("  reply_rate: 100\n", "  reply_rate: 98\n")
    assert project.problems() == [f"{NOTICE}:{line}:17 intake.web.reply_rate: 与件数不符:178 / 178 = 100.00%,此处为 98%"]


def test_rates_are_compared_at_their_printed_precision(project: Project) -> None:
    # 2793 / 2793 is 100%; 99.96 rounds to neither 100 nor itself, 100.0 is fine.
    project.edit(
        "    on_time_completion_rate: 100\n  - number: '12328'", "    on_time_completion_rate: 100.0\n  - number: '12328'"
    )
    assert project.problems() == []


def test_category_shares_must_be_proportional(project: Project) -> None:
    line = project.edit("  share: 9.3\n", "  share: 12.3\n")
    assert project.problems() == [
        f"{NOTICE}:{line}:10 categories[2].share: 与件数不成比例:按 2391 件占 12.3% 推算,诉求总数应在 19360 至 19518 之间,"
        "而前面各类推算的总数在 25778 至 25852 之间"
    ]


def test_ranks_must_agree_with_scores(project: Project) -> None:
    line = project.edit("{unit: 鲁山县, score: 119.56, rank: 3}", "{unit: 鲁山县, score: 119.56, rank: 5}")
    assert project.problems() == [
        f"{NOTICE}:{line}:40 rankings.groups[0].rows[4].rank: 与得分不符:得分 119.56 应排第 3 名,此处为 5"
    ]


def test_printed_total_row_must_equal_the_column_sums(project: Project) -> None:
    line = project.edit("total_row: {label: 总计, total: 178,", "total_row: {label: 总计, total: 179,")
    assert project.problems() == [f"{NOTICE}:{line}:33 web_messages.total_row.total: 与各行办件总数之和 178 不符,此处为 179"]


def test_row_parts_must_add_up(project: Project) -> None:
    line = project.edit(
        "{unit: 市商务局, total: 1, replied: 1, unreplied: 0}", "{unit: 市商务局, total: 1, replied: 1, unreplied: 1}"
    )
    found = project.problems()
    assert f"{NOTICE}:{line}:25 web_messages.rows[29].total: 与已回复数 1 + 未回复数 1 = 2 不符,此处为 1" in found
    assert f"{NOTICE}:282:63 web_messages.total_row.unreplied: 与各行未回复数之和 1 不符,此处为 0" in found


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
        f"{NOTICE}:{line}:3 acknowledged[0]: 确认的不一致并不存在:检查 ranks 在 rankings.groups[0].rows[0].rank 处已通过,请删除此项"
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
        f"{NOTICE}:{base + 3}:9 extra_sections[0].text: 链接只能指向 http:// 或 https:// 网址,实际为 'javascript:alert(1)'",
        f"{NOTICE}:{base + 6}:9 extra_sections[1].text: 不支持插入图片(图片会从其他网站加载)",
        f"{NOTICE}:{base + 7}:3 extra_sections[2]: 补充部分至少应有 text 或 table",
        f"{NOTICE}:{base + 11}:10 extra_sections[3].table: 第 1 行有 1 格,表头有 2 列",
    ]
