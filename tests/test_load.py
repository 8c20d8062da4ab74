from __future__ import annotations

from decimal import Decimal

import pytest

from generator.errors import DataError
from generator.load import parse


def problems_of(text: str) -> list[str]:
    with pytest.raises(DataError) as caught:
        parse(text, "data/notices/2023-08.yaml")
    return [str(p) for p in caught.value.problems]


def test_numbers_keep_their_printed_digits() -> None:
    document = parse("score: 118.70\nrank: 6\nshare: 9.3\n", "x.yaml")
    assert document.data == {"score": Decimal("118.70"), "rank": 6, "share": Decimal("9.3")}
    assert str(document.data["score"]) == "118.70"


def test_periods_dates_and_yaml11_words_stay_text() -> None:
    document = parse("period: 2023-08\npublished: 2023-09-05\nanswer: yes\nsep: 1_000\nflag: true\n", "x.yaml")
    assert document.data == {"period": "2023-08", "published": "2023-09-05", "answer": "yes", "sep": "1_000", "flag": True}


def test_every_value_and_key_has_its_line_and_column() -> None:
    document = parse("meta:\n  title: 标题\nrows:\n  - {unit: 郏县, rank: 1}\n", "x.yaml")
    assert document.values[("meta", "title")] == (2, 10)
    assert document.keys[("meta", "title")] == (2, 3)
    assert document.values[("rows", 0, "rank")] == (4, 22)
    assert document.locate(("rows", 0, "missing")) == (4, 5)


def test_syntax_error_is_located_and_explained() -> None:
    assert problems_of("meta:\n  title: a: b\n") == [
        "data/notices/2023-08.yaml:2:11: YAML 语法错误:此处不能出现冒号(冒号后要有空格;文本中含冒号时请加引号)"
    ]


def test_tab_indentation_is_explained() -> None:
    assert problems_of("meta:\n\ttitle: x\n") == ["data/notices/2023-08.yaml:2:1: YAML 语法错误:不能用制表符(Tab)缩进,请改用空格"]


def test_unclosed_quote_is_explained() -> None:
    assert problems_of('title: "abc\n') == ["data/notices/2023-08.yaml:2:1: YAML 语法错误:文件意外结束(引号可能没有闭合)"]


def test_duplicate_keys_are_all_reported() -> None:
    assert problems_of("meta:\n  title: a\n  title: b\nintake: 1\nintake: 2\n") == [
        "data/notices/2023-08.yaml:3:3 meta.title: 字段重复(第 2 行已经写过一次)",
        "data/notices/2023-08.yaml:5:1 intake: 字段重复(第 4 行已经写过一次)",
    ]


def test_byte_order_mark_is_accepted(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from generator.load import read

    root = Path(str(tmp_path))
    (root / "a.yaml").write_bytes("\ufefftitle: 标题\n".encode())
    assert read(root / "a.yaml", root=root).data == {"title": "标题"}


def test_non_utf8_file_is_reported(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from generator.load import read

    root = Path(str(tmp_path))
    (root / "a.yaml").write_bytes("title: 标题\n".encode("gbk"))
    with pytest.raises(DataError) as caught:
        read(root / "a.yaml", root=root)
    assert [str(p) for p in caught.value.problems] == ["a.yaml:1:1: 文件不是 UTF-8 编码(第 8 个字节无法识别)"]
