"""The data dictionary: Chinese names for every field and column, and a data page that opens with
the downloads and folds the dictionary by section."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from generator import read_archive
from generator.dictionary import data_dictionary, field_title, size
from generator.model import Case, Intake, Line, Meta, PhoneTotals
from generator.tables import TABLES
from tests.conftest import REPO

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_field_has_a_chinese_name_unique_in_its_group() -> None:
    for model in data_dictionary():
        titles = [field.title for field in model.fields]
        assert len(set(titles)) == len(titles), (model.path, titles)
        for field in model.fields:
            # A docstring that starts with a code ("hot 为…") needs an entry in dictionary._TITLES.
            assert CJK.search(field.title) and not re.search("[A-Za-z]", field.title), (model.path, field.name, field.title)
            assert len(field.title) <= 20, field.title
        assert CJK.search(model.title), model


def test_field_names_come_from_the_docstrings() -> None:
    assert field_title(Meta, "title") == "通报标题"
    assert field_title(PhoneTotals, "calls") == "接听电话（人次）"
    assert field_title(PhoneTotals, "completion_rate") == "办结率（%）"
    assert field_title(Meta, "issue_number") == "期号"  # "（原文有期号时填写）" explains, it is not the name
    assert field_title(Intake, "total") == "共受理各类来电来信（件）"
    assert field_title(Case, "kind") == "问题类别"
    assert field_title(Line, "kind") == "热线类别"


def test_groups_are_headed_by_where_they_sit_in_the_data() -> None:
    groups = {model.path: model.title for model in data_dictionary()}
    assert groups["meta"] == "基本信息"
    assert groups["intake.phone"] == "热线电话合计"
    assert groups["intake.lines[]"] == "各条热线"
    assert groups["rankings.groups[].rows[]"] == "各单位的得分与排名"


def test_every_column_has_a_chinese_title_and_a_stable_machine_name() -> None:
    assert len({table.name for table in TABLES}) == len(TABLES)
    for table in TABLES:
        titles = [column.title for column in table.all_columns]
        names = [column.name for column in table.all_columns]
        assert len(set(titles)) == len(titles), table.name
        assert len(set(names)) == len(names), table.name
        for column in table.all_columns:
            assert CJK.search(column.title) and re.fullmatch("[a-z][a-z_]*", column.name), column
            assert column.meaning, column


def test_sizes_read_as_people_expect() -> None:
    assert [size(n) for n in (512, 21_700, 3_500_000)] == ["512 字节", "21 KB", "3.3 MB"]


def test_data_page_opens_with_the_downloads_and_folds_the_dictionary(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "data/index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    assert article is not None
    headings = [h.get_text(strip=True).rstrip("¶") for h in article.find_all("h2")]
    assert headings == ["可以下载什么", "引用和再利用", "文件的格式", "表格的列", "数据文件的字段"]
    # No class names as headings: each section is folded, and headed in Chinese.
    folded = article.find_all("details")
    assert len(folded) == len(TABLES) + len(data_dictionary())
    assert not any(d.has_attr("open") for d in folded)
    summaries = [d.summary.get_text() if d.summary else "" for d in folded]
    assert all(CJK.search(s) for s in summaries)
    assert not {"Notice", "Publisher", "UnitRegistry"} & {
        h.get_text(strip=True) for h in article.find_all(["h2", "h3", "summary"])
    }
    assert "考核排名（rankings.csv，数据库表 rankings）" in summaries
    # The dictionary maps each CSV header to its machine name.
    rankings = article.find("details", id="table-rankings")
    assert rankings is not None
    pairs = [
        (row.th.get_text() if row.th else "", row.code.get_text() if row.code else "") for row in rankings.select("tbody tr")
    ]
    assert ("得分", "score") in pairs and ("考核分组", "unit_group") in pairs
    # The licence, from data/publisher.yaml.
    publisher = read_archive(REPO).publisher
    licence = article.find("a", string=publisher.data_license)
    assert licence is not None and licence["href"] == publisher.data_license_url
