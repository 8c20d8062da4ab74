"""The guide's table of messages is generated from generator/messages.py and lists every message."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import cast

import pytest
from mkdocs.config.defaults import MkDocsConfig

from generator import cli, messages, syntax
from generator.engines import mkdocs_hook
from generator.errors import DataError, Problem
from generator.messages import GUIDE, MESSAGES, find, guide_table, unregistered, unregistered_output, with_table


def test_the_guide_shows_the_table_generated_from_the_registry() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    assert guide.count(messages.START) == 1
    assert guide_table() in guide, "run python -m generator.messages to refresh content/guide.md"
    assert with_table(guide) == guide


def test_every_message_is_listed_once() -> None:
    templates = [message.template for message in MESSAGES]
    assert len(templates) == len(set(templates))
    assert all(message.meaning for message in MESSAGES)


def test_each_template_is_found_as_itself() -> None:
    # A template with its "…" filled in is the message it describes, in either punctuation width.
    for message in MESSAGES:
        assert find(message.template.replace("…", "x")) is not None, message.template
    assert find("应为整数,实际为 '4,524'") == find("应为整数，实际为 '4,524'") is not None


def test_an_unknown_message_is_found_out() -> None:
    assert find("应为整数") is None
    printed = [
        "data/notices/2023-08.yaml:67:10 categories[1].count: 一条没有登记的信息",
        "数据校验未通过:1 个文件中共有 1 处问题。",
    ]
    assert unregistered(printed) == [printed[0]]


@pytest.mark.parametrize("text", [text for _, text in syntax._BY_PROBLEM] + [syntax.GENERIC])
def test_every_translation_of_the_parser_is_listed(text: str) -> None:
    # These are said only for mistakes the recognisers do not know, which tests rarely reach.
    assert find(syntax.PREFIX + text) is not None, text


def test_a_command_output_is_held_line_by_line_with_its_continuations() -> None:
    # Indented lines continue the one above (argparse's wrapped usage, the figures an import lists).
    printed = "用法：hotline-archive new [-h]\n       年-月\n用法错误：缺少年-月（查看用法：hotline-archive new -h）\n"
    assert unregistered_output(printed) == []
    assert unregistered_output(printed + "错误：一条没有登记的信息\n  第 3 行：1888\n") == ["错误：一条没有登记的信息"]


def test_the_preview_says_only_listed_messages(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    problems = DataError([Problem("data/notices/2023-08.yaml", 8, 10, "intake.total", "应为整数，实际为 '5,6644'")])
    page = mkdocs_hook._problem_page(problems)
    assert page.startswith("# ") and find(page.splitlines()[0].removeprefix("# ")) is not None
    config = cast(MkDocsConfig, SimpleNamespace(site_url="http://127.0.0.1:8000/"))
    for state in (problems, None):
        monkeypatch.setattr(mkdocs_hook._preview, "problems", state)
        mkdocs_hook._tell_preview(config)
    terminal = capsys.readouterr().err
    assert len(terminal.splitlines()) == 4  # the line, the problem, the summary; then the update
    assert unregistered_output(terminal) == []


@pytest.mark.parametrize("chinese", [chinese for _, chinese in cli._ARGPARSE])
def test_every_translation_of_argparse_is_listed(chinese: str) -> None:
    # Printed as the parser's error (see cli._Parser.error), whichever of them a mistake meets.
    said = chinese.format(*["x"] * chinese.count("{"))
    assert find(f"用法错误\uff1a{said}\uff08查看用法\uff1ahotline-archive new -h\uff09") is not None, said


def test_every_usage_error_of_the_makefile_is_listed() -> None:
    said = re.findall(r'echo "(用法错误[^"]*)" >&2', (GUIDE.parent.parent / "Makefile").read_text(encoding="utf-8"))
    assert len(said) >= 2
    assert [text for text in said if find(text) is None] == []
