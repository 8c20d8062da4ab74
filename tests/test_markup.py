"""Markdown from data (``extra_sections[].text``): one rendering for validation and pages, and
everything beyond plain formatting refused with a message at the field."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from pydantic import BaseModel

from generator import Site, read_archive, render_site
from generator import model as model_module
from generator.markup import EXTENSION_CONFIGS, EXTENSIONS, MarkupError, _Inspector, render, to_html
from tests.conftest import NOTICE, REPO, Project

# Made-up texts. Each must be refused whatever else it holds: the issue's own cases first.
REJECTED = {
    "attribute list after a paragraph": '本月数据已核对。\n{: autofocus="autofocus" tabindex="0" onfocus="alert(document.domain)" }',
    "attribute list overriding href": '[查看原文](https://pds.gov.cn/){: href="javascript:alert(2)" }',
    "attribute list on strong": '**重点**{: onclick="alert(1)"}',
    "attribute list without colon": "**重点**{ .md-dialog }",
    "attribute list with style": '段落\n{: style="background-image:url(https://evil.example/x.png)" }',
    "attribute list in a table cell": '| 甲 |\n| --- |\n| **乙**{: onclick="alert(1)"} |',
    "attribute list on a fenced code block": '```{.js onclick="alert(1)"}\nx\n```',
    "id on a fenced code block": "```{#__config}\nx\n```",
    "script tag": "<script>alert(1)</script>",
    "inline tag with handler": '文字 <img src=x onerror="alert(1)"> 文字',
    "block tag": '<div onclick="alert(1)">\n\n点我\n\n</div>',
    "details tag": '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    "allowed-looking tag": "<strong>粗</strong>",
    "comment": "文字<!-- 注释 -->文字",
    "character reference": "&#106;avascript",
    "named reference": "&lt;script&gt;",
    "autolink to javascript": "<javascript:alert(1)>",
    "html in an admonition title": '!!! note "<img src=x onerror=alert(1)>"\n    正文',
    "html in a table cell": "| 甲 |\n| --- |\n| <b>乙</b> |",
    "javascript link": "[点我](javascript:alert(1))",
    "mixed-case scheme": "[点我](JaVaScRiPt:alert(1))",
    "leading space": "[点我](< javascript:alert(1)>)",
    "tab inside the scheme": "[点我](<java\tscript:alert(1)>)",
    "entity in the scheme": "[点我](&#106;avascript:alert(1))",
    "hex entity in the scheme": "[点我](&#x6A;avascript:alert(1))",
    "entity tab in the scheme": "[点我](jav&#x09;ascript:alert(1))",
    "named entity colon": "[点我](javascript&colon;alert(1))",
    "data url": "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript": "[点我](vbscript:msgbox(1))",
    "protocol-relative": "[点我](//evil.example/)",
    "backslashes": "[点我](\\\\evil.example)",
    "no host": "[点我](http:/evil.example)",
    "relative path": "[点我](../about/)",
    "mail address": "<someone@example.org>",
    "reference-style javascript": "[点我][x]\n\n[x]: javascript:alert(1)",
    "footnote-like reference": "[点我][^1]\n\n[^1]: javascript:alert(1)",
    "link in an admonition title": '!!! note "[点我](javascript:alert(1))"\n    正文',
    "link in a details summary": '??? note "[点我](javascript:alert(1))"\n    正文',
    "link in a table cell": "| 甲 |\n| --- |\n| [点我](javascript:alert(1)) |",
    "image": "![图](https://evil.example/x.png)",
    "reference-style image": "![图][x]\n\n[x]: https://evil.example/x.png",
    "heading": "## 小标题",
    "setext heading": "小标题\n---",
    "heading with attributes": '## 小标题 {: onclick="alert(1)" }',
    "unknown admonition type": '!!! md-dialog "标题"\n    正文',
    "admonition with two classes": '!!! note md-header "标题"\n    正文',
    "admonition in English": "!!! note\n    正文",
    "details in English": "???+ tip\n    正文",
    "table of contents": "[TOC]",
}

ACCEPTED = {
    "emphasis and code": "**粗体** *斜体* `<script>alert(1)</script>`",
    "escaped attribute list": '段落\\{: onclick="alert(1)"}',
    "escaped link": "\\[点我\\](javascript:alert(1))",
    "plain scheme text": "javascript:alert(1) data:text/html,x",
    "ampersand": "A&B 与 R&D",
    "http link with title": '[官网](https://example.org/a?b=1&c=2 "标题")',
    "https link upper case": "[官网](HTTPS://example.org/)",
    "autolink": "<https://example.org/>",
    "reference-style link": "[官网][x]\n\n[x]: https://example.org/",
    "anchor": "见[附件1](#attachment-1)",
    "lists and quote": "- 甲\n- 乙\n\n1. 一\n2. 二\n\n> 引用\n\n---",
    "table with alignment": "| 左 | 右 |\n| :-- | --: |\n| 1 | 2 |",
    "fenced code": "```html\n<script>alert(1)</script>\n```",
    "indented code": "代码：\n\n    <img src=x onerror=alert(1)>",
    "admonition": '!!! warning "注意"\n    正文',
    "details": '???+ note "展开"\n    正文',
    "closed details": '??? "展开"\n    正文',
    "braces that are no attribute list": "费用 {含税} 为准",
    "unclosed comment, shown as text": "文字\n\n<!--\n\n后文",
}


@pytest.mark.parametrize("text", REJECTED.values(), ids=REJECTED.keys())
def test_markup_beyond_plain_markdown_is_refused(text: str) -> None:
    with pytest.raises(MarkupError):
        render(text)


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_plain_markdown_is_accepted_and_rendered_with_the_sites_extensions(text: str) -> None:
    soup = BeautifulSoup(render(text).html, "html.parser")
    tags = soup.find_all(True)
    assert tags and not [t for t in tags if t.name in ("script", "img", "iframe", "svg") or re.fullmatch(r"h\d", t.name)]
    assert not [
        t for t in tags if any(a.startswith("on") or (a in ("id", "style") and t.name not in ("td", "th")) for a in t.attrs)
    ]
    assert all(str(a["href"]).startswith(("https://", "HTTPS://", "#")) for a in soup.find_all("a"))


def test_the_extensions_are_the_sites() -> None:
    config = load_config(str(REPO / "mkdocs.yml"))
    assert (config.markdown_extensions, config.mdx_configs) == (list(EXTENSIONS), EXTENSION_CONFIGS)


def test_boxes_tables_and_code_render_as_on_any_page() -> None:
    assert render('!!! warning "注意"\n    正文').html == (
        '<div class="admonition warning">\n<p class="admonition-title">注意</p>\n<p>正文</p>\n</div>'
    )
    assert (
        render('???+ note "展开"\n    正文').html
        == '<details class="note" open="open">\n<summary>展开</summary>\n<p>正文</p>\n</details>'
    )
    assert '<td style="text-align: right;">2</td>' in render(ACCEPTED["table with alignment"]).html
    assert render(ACCEPTED["fenced code"]).html == (
        '<pre><code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>'
    )
    assert render(ACCEPTED["escaped attribute list"]).html == '<p>段落{: onclick="alert(1)"}</p>'


def test_the_page_embeds_the_html_validation_inspected(synthetic_site: Site) -> None:
    page = next(p for p in synthetic_site.pages if p.path == "notices/2023/12.md")
    text = "新增的**专项整治**情况,详见[官方网站](https://example.org/)。"
    assert f"\n\n{to_html(text)}\n\n" in page.markdown


def test_page_anchors_are_those_the_notice_page_writes(synthetic_root: Path, synthetic_site: Site) -> None:
    for archive, site in [(read_archive(synthetic_root), synthetic_site), (read_archive(REPO), render_site(read_archive(REPO)))]:
        pages = {page.path: page.markdown for page in site.pages}
        for record in archive.notices:
            written = re.findall(r"\{#([A-Za-z0-9_-]+)\}", pages[f"notices/{record.period.replace('-', '/')}.md"])
            assert record.notice.page_anchors() == written, record.period


def _write_extras(project: Project, texts: list[str]) -> int:
    """The shipped notice with one extra section per text; return the line of the first ``text:``."""
    lines = "".join(f"- after: work_updates\n  heading: 补充\n  text: {json.dumps(t, ensure_ascii=False)}\n" for t in texts)
    text = (REPO / NOTICE).read_text(encoding="utf-8") + "extra_sections:\n" + lines
    project.notice.write_text(text, encoding="utf-8")
    return text.splitlines().index("extra_sections:") + 4


def test_exact_messages(project: Project) -> None:
    texts = [
        REJECTED["attribute list after a paragraph"],
        REJECTED["script tag"],
        REJECTED["comment"],
        REJECTED["entity in the scheme"],
        REJECTED["protocol-relative"],
        REJECTED["setext heading"],
        REJECTED["unknown admonition type"],
        REJECTED["admonition in English"],
        REJECTED["table of contents"],
        "[点我](#a b)",
        "[点我](#)",
    ]
    first = _write_extras(project, texts)
    at = [f"{NOTICE}:{first + 3 * i}:9 extra_sections[{i}].text: " for i in range(len(texts))]
    boxes = "note、abstract、info、tip、success、question、warning、failure、danger、bug、example、quote"
    assert project.problems() == [
        at[0] + "不能使用属性列表（花括号写法），实际含有 "
        '\'{: autofocus="autofocus" tabindex="0" onfocus="alert(document.domain)" }\'；需要显示花括号时请在前面加反斜杠，如 \\{',
        at[1] + "不能使用 HTML（标签、注释或“&…;”字符引用），实际含有 '<script>alert(1)</script>'；"
        "需要显示 HTML 代码时请用反引号括起来，如 `<b>`",
        at[2]
        + "不能使用 HTML（标签、注释或“&…;”字符引用），实际含有 '<!-- 注释 -->'；需要显示 HTML 代码时请用反引号括起来，如 `<b>`",
        at[3] + "链接只能指向 http:// 或 https:// 网址，实际为 'javascript:alert(1)'",
        at[4] + "链接只能指向 http:// 或 https:// 网址，实际为 '//evil.example/'",
        at[5] + "正文中不能使用标题（“#”开头的行，或下一行是“===”“---”的文字）；补充部分的标题请写在 heading 中",
        at[6] + f"提示框的类型只能是 {boxes} 之一，实际为 'md-dialog'",
        at[7] + "提示框须在类型后写上中文标题，如 !!! note \"说明\"（不写时会显示英文 'Note'）",
        at[8] + "含有本站不支持的写法，生成了 '<div class=\"toc\">'",
        at[9] + "链接的锚点只能由字母、数字、“-”和“_”组成，实际为 '#a b'",
        at[10] + "链接的锚点只能由字母、数字、“-”和“_”组成，实际为 '#'",
    ]


def test_an_anchor_must_be_on_the_page(project: Project) -> None:
    _write_extras(project, ["见[附件1](#attachment-1)与[热点问题](#hot-2)"])
    assert project.problems() == []
    first = _write_extras(project, ["见[附件](#dangling-anchor)和[附件](#dangling-anchor)", "[附件](#attachment-3)"])
    anchors = "#operations、#intake、#categories、#cases、#hot、#hot-1、#hot-2、#difficult、#difficult-1、" + (
        "#work-updates、#attachments、#attachment-1、#attachment-2、#checks、#downloads、#cite"
    )
    assert project.problems() == [
        f"{NOTICE}:{first}:9 extra_sections[0].text: 链接指向本页的锚点 '#dangling-anchor'，但本页没有这个位置；"
        f"本页可用的锚点有：{anchors}",
        f"{NOTICE}:{first + 3}:9 extra_sections[1].text: 链接指向本页的锚点 '#attachment-3'，但本页没有这个位置；"
        f"本页可用的锚点有：{anchors}",
    ]
    _write_extras(project, [REJECTED["image"]])
    (problem,) = project.problems()
    assert problem.endswith("extra_sections[0].text: 不支持插入图片（图片会从其他网站加载）")


@pytest.mark.parametrize("path", sorted((REPO / "tests/hostile").glob("*/mark-*.yaml")), ids=lambda p: p.name)
def test_hostile_markup_files(project: Project, path: Path) -> None:
    """This module's files of the shared hostile corpus (tests/hostile): refused with the expected
    message, or valid (and then built, by the corpus harness)."""
    text = path.read_text(encoding="utf-8")
    header = dict(re.findall(r"^# (file|expect): (.+)$", text, re.MULTILINE))
    (project.root / header["file"]).write_text(text, encoding="utf-8")
    problems = project.problems()
    if path.parent.name == "rejected":
        assert len(problems) == 1 and header["expect"] in problems[0], problems
    else:
        assert problems == []


def test_extra_text_is_the_only_markdown_field() -> None:
    markdown_fields = [
        f"{model.__name__}.{name}"
        for model in vars(model_module).values()
        if isinstance(model, type) and issubclass(model, BaseModel)
        for name, field in model.model_fields.items()
        if "_markdown_text" in repr(field.metadata) or "_markdown_text" in repr(field.annotation)
    ]
    assert markdown_fields == ["ExtraSection.text"]


def test_the_build_stops_when_mkdocs_yml_changes_the_extensions_alone(project: Project) -> None:
    config_file = project.root / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace("  - pymdownx.details\n", "  - pymdownx.details\n  - footnotes\n", 1), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("mkdocs_hook", project.root / "generator/engines/mkdocs_hook.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    with pytest.raises(Abort) as error:
        hook.on_config(load_config(str(config_file)))
    assert str(error.value) == "mkdocs.yml 的 markdown_extensions 与 generator/markup.py 的 EXTENSIONS 不一致，请两处一起修改"


def test_the_allowlist_alone_refuses_what_only_raw_html_makes() -> None:
    for html in ("<p>甲<!-- 注释 --></p>", "<!DOCTYPE html>", "<?php ?>", "<![CDATA[x]]>"):
        inspector = _Inspector()
        inspector.feed(html)
        inspector.close()
        assert inspector.error is not None and inspector.error.message == "不能使用 HTML（标签、注释或“&…;”字符引用）", html


def test_a_details_box_without_title_is_named_with_its_own_marker() -> None:
    with pytest.raises(MarkupError) as error:
        render(REJECTED["details in English"])
    assert error.value.message == "提示框须在类型后写上中文标题，如 ??? tip \"说明\"（不写时会显示英文 'Tip'）"
