"""The importer: exact on the archived August 2023 text, tolerant of what real notices vary in,
and never crashing on anything."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import messages
from generator.draft import to_yaml
from generator.importer import ImportFailure, chinese_int, find_period, parse_notice
from generator.load import read
from tests.conftest import REPO

SOURCE = (REPO / "data/sources/2023-08.txt").read_text(encoding="utf-8")
DISTRICTS = frozenset(
    {"卫东区", "新华区", "湛河区", "石龙区", "高新区", "示范区", "郏县", "叶县", "舞钢市", "宝丰县", "鲁山县", "汝州市"}
)


def committed() -> dict[str, Any]:
    data: dict[str, Any] = read(REPO / "data/notices/2023-08.yaml", root=REPO).data
    return data


def imported(text: str, **kwargs: Any) -> dict[str, Any]:
    data = parse_notice(text, districts=DISTRICTS, **kwargs).data
    data["meta"]["source"] = committed()["meta"]["source"]
    return data


def test_the_archived_text_imports_to_the_committed_file() -> None:
    draft = parse_notice(SOURCE, districts=DISTRICTS)
    assert draft.report.kept == [] and draft.report.not_kept == []
    assert draft.report.missing == ["原文网址（meta.source）"]
    data = imported(SOURCE)
    assert data == committed()
    body = to_yaml(data, comment="x").split("\n", 2)[2]
    assert body == (REPO / "data/notices/2023-08.yaml").read_text(encoding="utf-8").split("\n", 2)[2]


def _as_docx(text: str, path: Path) -> Path:
    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            rows.clear()

    for line in text.split("\n"):
        if "|" in line:
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        else:
            flush()
            document.add_paragraph(line)
    flush()
    document.save(str(path))
    return path


def test_a_docx_made_from_the_text_imports_the_same(tmp_path: Path) -> None:
    from generator.importer import read_source

    path = _as_docx(SOURCE, tmp_path / "notice.docx")
    assert imported(read_source(path)) == committed()


def messy(text: str) -> str:
    """The same notice as real pages vary: half-width punctuation, separators, furniture..."""
    text = text.replace("，", ",").replace("；", ";").replace("：", ":").replace("（", "(").replace("）", ")")
    text = text.replace("56644件", "56,644件").replace("5235件", "5 235件").replace("35399人次", "35,399 人次")
    text = text.replace(
        "2023年8月12345民呼必应热线工作情况通报\n",
        "首页 > 政务公开 > 工作动态\n二〇二三年八月12345民呼必应热线\n工作情况通报\n发布时间:2023-09-05\n来源:市12345热线办 浏览次数:1024\n",
    )
    text += "\n版权所有:平顶山市人民政府 豫ICP备12345678号\n"
    text = text.replace("分公司。\n附件:", "分公司。附件:").replace("等问题。\n二、案例摘登", "等问题。二、案例摘登")
    out, cells = [], False
    for line in text.split("\n"):
        if line == "各区考核情况表":
            cells = True
        elif line.startswith("市直和驻平单位考核情况表"):
            cells = False
        parts = [c.strip() for c in line.strip().strip("|").split("|")] if "|" in line else None
        if cells and parts:
            out.extend(parts)  # one cell per line
        elif parts and re.match(r"^(郏 县|叶 县|舞钢市|宝丰县|鲁山县|汝州市)$", parts[0]):
            out.append("\t".join(parts))  # tab-separated, as pasted from a word processor
        else:
            out.append(line)
    return "\n".join(out).replace("总计 | 178 | 178 | 0 |", "合计 | 178 | 178 | 0 |")


def test_what_real_notices_vary_in_is_tolerated() -> None:
    text = messy(SOURCE)
    draft = parse_notice(text, districts=DISTRICTS)
    footer = text.split("\n").index("版权所有:平顶山市人民政府 豫ICP备12345678号") + 1
    expected = committed()
    expected["web_messages"]["total_row"]["label"] = "合计"
    expected["meta"] = {**expected["meta"], "title": "二〇二三年八月12345民呼必应热线工作情况通报", "published": "2023-09-05"}
    draft.data["meta"]["source"] = expected["meta"]["source"]
    assert draft.data == expected
    assert draft.report.dropped == [
        "第 1 行：首页 > 政务公开 > 工作动态",
        "第 4 行：发布时间:2023-09-05（发布日期，已填入 meta.published）",
        "第 5 行：来源:市12345热线办 浏览次数:1024",
        f"第 {footer} 行：版权所有:平顶山市人民政府 豫ICP备12345678号",
    ]
    assert draft.report.kept == [] and draft.report.not_kept == []


def test_merged_header_over_two_lines() -> None:
    text = SOURCE.replace(
        "各区考核情况表\n网络单位 | 考核总分 | 排名 |", "各区考核情况表\n网络单位 | 考核情况 | |\n | 考核总分 | 排名 |"
    )
    assert imported(text) == committed()


def test_missing_and_renamed_sections_and_unknown_ones() -> None:
    start, end = SOURCE.index("三、工作动态"), SOURCE.index("附件：")
    text = SOURCE[:start] + "四、下月工作安排\n继续做好热线工作。\n" + SOURCE[end:]
    text = text.replace("（二）诉求类型分布情况", "（二）诉求分类情况")
    draft = parse_notice(text, districts=DISTRICTS)
    assert "work_updates" not in draft.data
    assert draft.data["categories"] == committed()["categories"]
    assert draft.data["extra_sections"] == [{"after": "cases", "heading": "四、下月工作安排", "plain": "继续做好热线工作。"}]
    number = text.split("\n").index("继续做好热线工作。") + 1
    assert draft.report.kept == [f"第 {number} 行：“四、下月工作安排”下的文字"]


def test_a_missing_title_needs_the_period() -> None:
    text = SOURCE.split("\n", 1)[1]
    with pytest.raises(ImportFailure, match="找不到通报所属的年月") as error:
        parse_notice(text)
    assert messages.find(f"错误\uff1a{error.value}") is not None  # listed in the guide's table
    draft = parse_notice(text, period="2023-08")
    assert draft.data["meta"]["title"] == "待填写" and "通报标题" in draft.report.missing


@pytest.mark.parametrize(
    ("text", "value"), [("八", 8), ("十", 10), ("十二", 12), ("二十", 20), ("二〇二三", 2023), ("2023", 2023), ("十十", None)]
)
def test_chinese_numbers(text: str, value: int | None) -> None:
    assert chinese_int(text) == value


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2023年8月通报", "2023-08"),
        ("二〇二三年十二月", "2023-12"),
        ("2024 年 3 月", "2024-03"),
        ("2023年13月", None),
        ("没有日期", None),
    ],
)
def test_find_period(text: str, period: str | None) -> None:
    assert find_period(text) == period


def _never_crashes(text: str, period: str | None = None) -> None:
    try:
        draft = parse_notice(text, period=period, districts=DISTRICTS)
    except ImportFailure:
        return
    to_yaml(draft.data, comment="草稿")  # the draft can always be written


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_never_crashes(text: str) -> None:
    _never_crashes(text)
    _never_crashes(text, period="2023-08")


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=len(SOURCE)), st.integers(min_value=0, max_value=len(SOURCE)))
def test_truncated_and_cut_text_never_crashes(start: int, end: int) -> None:
    _never_crashes(SOURCE[:end])
    _never_crashes(SOURCE[min(start, end) :])
    _never_crashes(SOURCE[:start] + SOURCE[end:])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(SOURCE.split("\n")), max_size=60), st.sampled_from(["\n", "", "。", " | "]))
def test_shuffled_lines_never_crash(lines: list[str], joiner: str) -> None:
    _never_crashes(joiner.join(lines), period="2023-08")


# --- the small parts, each on its own shapes -------------------------------------------------


def test_figures_are_values_and_dates_numbering_and_hotline_numbers_are_not() -> None:
    from decimal import Decimal

    from generator.import_text import figures

    assert figures("附件:1.8月份12345民呼必应热线考核结果") == []
    assert figures("共受理56,644件,5 235件,占比20.3%,8月10日") == [Decimal(56644), Decimal(5235), Decimal("20.3")]
    assert figures("排名 6 100") == [Decimal(6), Decimal(100)]  # two cells, not 6,100


@pytest.mark.parametrize(
    ("lines", "columns", "rows"),
    [
        (["县区 | 件数 | 占比 |", "甲县 | 1,200 | / |", "合计 | 1,200 | 100% |"], ["县区", "件数", "占比"], 2),
        (["单位 |", "受理 |", "|", "|", "件数 |", "占比 |", "市住建局 |", "1 |", "2% |"], ["单位", "受理 件数", "受理 占比"], 1),
        (["来源", "件数", "电话", "1,500", "微信", "400", "以上为来源情况。"], ["来源", "件数"], 2),
    ],
    ids=["row-per-line", "cell-per-line-merged-header", "cell-per-paragraph"],
)
def test_tables_flattened_three_ways(lines: list[str], columns: list[str], rows: int) -> None:
    from generator.import_text import find_tables

    (table,) = find_tables(lines)
    assert (table.columns, len(table.rows)) == (columns, rows)
    assert table.start == 0 and table.end == len(lines) - (1 if lines[-1].endswith("。") else 0)


def test_prose_is_not_a_table() -> None:
    from generator.import_text import find_tables

    assert find_tables(["热线运行平稳。", "群众满意度持续提升。", "继续做好工作。"]) == []


def test_utf16_and_gb18030_files_are_read(tmp_path: Path) -> None:
    from generator.importer import read_source

    for encoding in ("utf-16", "gb18030", "utf-8-sig"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(SOURCE.encode(encoding))
        assert read_source(path) == SOURCE
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8")  # a BOM, then half a surrogate pair
    with pytest.raises(
        ImportFailure, match=r"不是 UTF-8、GB18030 或带 BOM 的 UTF-16 编码的文本，请另存为 UTF-8 编码的 \.txt 后再导入"
    ) as error:
        read_source(tmp_path / "bad.txt")
    assert messages.find(f"错误\uff1a{error.value}") is not None  # listed in the guide's table
