from __future__ import annotations

import socket
from pathlib import Path

import pytest

from generator import messages
from generator.cli import main
from tests.conftest import Project


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    # Every message a command prints is in the guide's table (generator/messages.py).
    assert not messages.unregistered_output(out + err), messages.unregistered_output(out + err)
    return code, out, err


def test_validate_ok(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(project.root), "validate") == (0, "校验通过：1 期通报。\n", "")


def test_validate_invalid(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = project.edit("  count: 4524\n", "  count: 4,524\n")
    assert run(capsys, "--root", str(project.root), "validate") == (
        1,
        "",
        f"data/notices/2023-08.yaml:{line}:10 categories[1].count: 应为整数，实际为 '4,524'\n"
        f"data/notices/2023-08.yaml:{line}:10 categories[1].count: 此处有误，暂时无法检查："
        "“诉求类型件数之和不超过受理总数”“诉求类型占比与件数成比例”（改正后再次校验时检查）\n"
        "数据校验未通过：1 个文件中共有 1 处问题。\n",
    )


def test_render_writes_pages_and_replaces_only_its_own_output(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pages"
    assert run(capsys, "--root", str(project.root), "render", "--out", str(out))[0] == 0
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {
        "index.md",
        "notices/2023/08.md",
        "units/电信公司.md",
        "downloads/notices.sqlite",
        "feed.xml",
        ".generator-output",
    } <= written
    assert run(capsys, "--root", str(project.root), "render", "--out", str(out))[0] == 0
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("别删我", encoding="utf-8")
    code, _, err = run(capsys, "--root", str(project.root), "render", "--out", str(foreign))
    assert (code, err) == (1, f"错误：拒绝覆盖：{foreign} 不是空文件夹，也不是本工具生成的文件夹\n")
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "别删我"


def test_render_refuses_the_data_folder(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.as_posix() for p in (project.root / "data").rglob("*"))
    code, _, err = run(capsys, "--root", str(project.root), "render", "--out", str(project.root / "data" / "pages"))
    assert (code, err) == (1, "错误：不能把页面写进数据文件夹 data\n")
    assert sorted(p.as_posix() for p in (project.root / "data").rglob("*")) == before


def test_render_writes_nothing_from_invalid_data(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project.edit("  count: 4524\n", "  count: x\n")
    out = tmp_path / "pages"
    assert run(capsys, "--root", str(project.root), "render", "--out", str(out))[0] == 1
    assert not out.exists()


def test_new_creates_a_file_that_fails_only_on_the_emptied_fields(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(project.root)
    assert run(capsys, "--root", root, "new", "2023-09") == (
        0,
        "已新建 data/notices/2023-09.yaml：请把其中的“待填写”照原文填写。\n",
        "",
    )
    text = (project.root / "data/notices/2023-09.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/notice.schema.json\n")
    problems = [p for p in project.problems() if p.startswith("data/notices/2023-09.yaml") and "暂时无法检查" not in p]
    placeholders = text.count("待填写") - text.count("“待填写”")  # the header comment names it too
    assert len(problems) == placeholders > 300
    assert all(p.endswith("尚未填写（“待填写”处请照原文填写）") for p in problems)
    assert "rankings.groups[3].rows[38].score: 尚未填写" in "\n".join(problems)
    assert "{unit: 卫东区蒲城街道办事处, score: 待填写, rank: 待填写}" in text  # same units, figures emptied


def test_new_refuses_to_overwrite(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.notice.read_bytes()
    assert run(capsys, "--root", str(project.root), "new", "2023-08") == (
        1,
        "",
        "错误：data/notices/2023-08.yaml 已存在，未覆盖：要重新新建，请先删除这个文件或给它改名\n",
    )
    assert project.notice.read_bytes() == before


def test_new_with_a_bad_period_is_a_usage_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(project.root), "new", "2023-8") == (
        2,
        "",
        "用法错误：月份应写作“年-月”，如 2023-09，实际为 '2023-8'\n",
    )


@pytest.mark.parametrize("period", ["２０２３-09", "0000-01", "9999-12"])
def test_new_refuses_a_period_validation_would_refuse(period: str, project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(project.root), "new", period) == (
        2,
        "",
        f"用法错误：月份应写作“年-月”，如 2023-09，实际为 {period!r}\n",
    )
    assert sorted(p.name for p in (project.root / "data/notices").iterdir()) == ["2023-08.yaml"]


def test_import_writes_a_draft_and_reports(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    source = project.root / "data/sources/2023-08.txt"
    project.notice.unlink()
    code, out, err = run(capsys, "--root", str(project.root), "import", str(source))
    assert (code, err) == (0, "")
    assert out == (
        "已生成草稿 data/notices/2023-08.yaml（2023-08）。\n"
        "  已识别：接听受理情况：5 条热线\n"
        "  已识别：诉求类型：3 类\n"
        "  已识别：热点问题：2 个案例\n"
        "  已识别：难点问题：1 个案例\n"
        "  已识别：工作动态：4 项\n"
        "  已识别：附件目录：2 项（作为各附件的标题）\n"
        "  已识别：附件1（考核结果）：4 个分组\n"
        "  已识别：附件2（网络留言办理情况）：30 个单位\n"
        "  原文中没有找到，需要填写：原文网址（meta.source）\n"
        "  原文共 306 个数字：306 个填入字段，0 个照原文保留为文字，0 个保留在表格中，0 个没有保留。\n"
    )
    assert project.problems() == ["data/notices/2023-08.yaml:6:11 meta.source: 尚未填写（“待填写”处请照原文填写）"]


def test_import_reports_figures_that_do_not_reconcile(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        (project.root / "data/sources/2023-08.txt")
        .read_text(encoding="utf-8")
        .replace("鲁山县 | 119.56 | 3 |", "鲁山县 | 119.56 | 5 |")
    )
    (tmp_path / "notice.txt").write_text(text, encoding="utf-8")
    out_file = tmp_path / "draft.yaml"
    code, out, _ = run(
        capsys,
        "--root",
        str(project.root),
        "import",
        str(tmp_path / "notice.txt"),
        "--out",
        str(out_file),
        "--source",
        "https://pds.gov.cn/contents/22086/610670.html",
    )
    assert code == 0 and out_file.is_file()
    assert "  数字对不上：rankings.groups[0].rows[4].rank: 与得分不符：得分 119.56 应排第 3 名，此处为 5\n" in out


def test_import_never_overwrites_without_force(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(project.root / "data/sources/2023-08.txt")
    before = project.notice.read_bytes()
    assert run(capsys, "--root", str(project.root), "import", source) == (
        1,
        "",
        "错误：2023-08.yaml 已存在，未覆盖（确需覆盖时加 --force）\n",
    )
    assert project.notice.read_bytes() == before
    assert run(capsys, "--root", str(project.root), "import", source, "--force")[0] == 0
    assert project.notice.read_bytes() != before  # the draft has no source URL yet


def test_import_without_a_period_and_bad_input(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("没有标题也没有日期的一段文字。\n", encoding="utf-8")
    assert run(capsys, "--root", str(project.root), "import", str(tmp_path / "a.txt")) == (
        1,
        "",
        "错误：文本中找不到通报所属的年月，请用 --period 指定，如 --period 2023-08\n",
    )
    (tmp_path / "b.docx").write_bytes(b"not a zip file")
    code, _, err = run(capsys, "--root", str(project.root), "import", str(tmp_path / "b.docx"))
    assert code == 1 and err.startswith("错误：") and "不是有效的 .docx 文件" in err
    code, _, err = run(capsys, "--root", str(project.root), "import", str(tmp_path / "missing.txt"))
    assert code == 1 and err.startswith("错误：无法读取")
    assert run(capsys, "--root", str(project.root), "import", str(tmp_path / "a.txt"), "--period", "八月")[0] == 2


def test_validate_given_files(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(project.root), "validate", str(project.notice)) == (0, "校验通过：1 期通报。\n", "")
    missing = project.root / "data/notices/2023-09.yaml"
    assert run(capsys, "--root", str(project.root), "validate", str(missing)) == (
        1,
        "",
        "data/notices/2023-09.yaml: 文件不存在\n数据校验未通过：1 个文件中共有 1 处问题。\n",
    )


def test_schema_check_reports_a_stale_schema(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--root", str(project.root), "schema", "--check") == (0, "", "")
    (project.root / "data/schema/units.schema.json").write_text("{}\n", encoding="utf-8")
    assert run(capsys, "--root", str(project.root), "schema", "--check") == (
        1,
        "",
        "错误：data/schema/units.schema.json 不是最新，请运行 make schema\n",
    )
    assert run(capsys, "--root", str(project.root), "schema") == (0, "已生成 3 个 Schema 文件。\n", "")
    assert run(capsys, "--root", str(project.root), "schema", "--check")[0] == 0


def test_serve_runs_mkdocs_serve(project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    calls: list[list[str]] = []

    def call(args: list[str], env: dict[str, str]) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(subprocess, "call", call)
    assert run(capsys, "--root", str(project.root), "serve") == (0, "正在生成预览，请稍候……\n", "")
    assert calls and calls[0][1:] == [
        "-m",
        "mkdocs",
        "serve",
        "--dirty",
        "--quiet",
        "--dev-addr",
        "127.0.0.1:8000",
        "-f",
        str(project.root / "mkdocs.yml"),
    ]


def test_serve_on_a_busy_port_says_so(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert run(capsys, "--root", str(project.root), "serve", "--dev-addr", f"127.0.0.1:{port}") == (
            1,
            "",
            f"错误：端口 {port} 已被占用：预览可能已在另一个终端中运行（打开 http://127.0.0.1:{port}/ 看看），"
            f"或换一个端口，如 make serve PORT={port + 1}\n",
        )


def test_an_unexpected_error_is_a_message_not_a_traceback(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.cli

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("磁盘坏了")

    monkeypatch.setattr(generator.cli, "read_archive", broken)
    assert run(capsys, "--root", str(project.root), "validate") == (
        1,
        "",
        "错误：程序内部出错（RuntimeError: 磁盘坏了），请把这条信息告诉网站维护人员\n",
    )


def test_the_console_script_is_declared() -> None:
    from importlib.metadata import entry_points

    assert [ep.value for ep in entry_points(group="console_scripts", name="hotline-archive")] == ["generator.cli:main"]


# Help and usage errors, as a staff member sees them: Chinese throughout, argparse's English nowhere.


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command as installed, with a fixed terminal width, so that help text is reproducible."""
    monkeypatch.setattr("sys.argv", ["hotline-archive"])
    monkeypatch.setenv("COLUMNS", "100")


def exits(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int | str | None, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    assert not messages.unregistered_output(err), messages.unregistered_output(err)  # the help (out) is no message
    return exited.value.code, out, err


def test_help_is_chinese(typed: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert exits(capsys, "-h") == (
        0,
        "用法：hotline-archive [-h] [--root 文件夹] 命令 ...\n"
        "\n"
        "12345 热线通报档案：校验数据、生成页面。\n"
        "\n"
        "参数：\n"
        "  命令\n"
        "    validate     校验全部数据，或只校验给出的通报文件\n"
        "    render       校验数据并把生成的 Markdown 页面写入文件夹\n"
        "    new          以最新一期为模板，新建某月的数据文件（数字和文字留空待填）\n"
        "    import       把通报原文（.txt、.docx 或保存的 .html 网页）转成数据文件草稿\n"
        "    publish      构建网站并一步把 site/ 切换到新版本（make site 运行它）\n"
        "    serve        本地预览网站，修改数据后自动刷新（MkDocs 自带的服务器）\n"
        "    schema       根据数据模型生成 JSON Schema\n"
        "\n"
        "选项：\n"
        "  -h, --help     显示本帮助并退出\n"
        "  --root 文件夹  项目文件夹（默认为当前文件夹或它上级中含有 mkdocs.yml 和 data 的文件夹）\n",
        "",
    )


def test_subcommand_help_is_chinese_and_aligned(typed: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert exits(capsys, "import", "--help") == (
        0,
        "用法：hotline-archive import [-h] [--out 文件] [--period 年-月] [--source 网址] [--force] 原文文件\n"
        "\n"
        "参数：\n"
        "  原文文件        通报原文文件\n"
        "\n"
        "选项：\n"
        "  -h, --help      显示本帮助并退出\n"
        "  --out 文件      草稿保存位置（默认 data/notices/年-月.yaml）\n"
        "  --period 年-月  通报所属月份，如 2023-08（原文没有写明时需要）\n"
        "  --source 网址   原文网址\n"
        "  --force         覆盖已存在的文件；--period 与原文不符时仍按 --period 导入\n",
        "",
    )


@pytest.mark.parametrize("command", ["validate", "render", "new", "import", "publish", "serve", "schema"])
def test_every_command_has_chinese_help(command: str, typed: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = exits(capsys, command, "-h")
    assert (code, err) == (0, "")
    assert out.startswith(f"用法：hotline-archive {command} [-h]")
    assert "  -h, --help" in out and "显示本帮助并退出" in out and "选项：\n" in out
    for english in ("usage", "options", "positional arguments", "show this help", "help message", "exit"):
        assert english not in out


@pytest.mark.parametrize(
    ("args", "usage", "message"),
    [
        ((), "hotline-archive [-h] [--root 文件夹] 命令 ...", "缺少命令（查看用法：hotline-archive -h）"),
        (
            ("frobnicate",),
            "hotline-archive [-h] [--root 文件夹] 命令 ...",
            "没有“frobnicate”这个命令；可用的命令有 validate、render、new、import、publish、serve、schema（查看用法：hotline-archive -h）",
        ),
        (
            ("validate", "--fast"),
            "hotline-archive [-h] [--root 文件夹] 命令 ...",
            "无法识别的参数：--fast（查看用法：hotline-archive -h）",
        ),
        (("new",), "hotline-archive new [-h] 年-月", "缺少年-月（查看用法：hotline-archive new -h）"),
        # A space between Chinese and an option, as in the other messages; none between Chinese words.
        (("render",), "hotline-archive render [-h] --out 文件夹", "缺少 --out（查看用法：hotline-archive render -h）"),
        (
            ("import", "a.txt", "--period"),
            "hotline-archive import [-h] [--out 文件] [--period 年-月] [--source 网址] [--force] 原文文件",
            "--period 后面要写一个值（查看用法：hotline-archive import -h）",
        ),
        (
            ("import", "a.txt", "--force=yes"),
            "hotline-archive import [-h] [--out 文件] [--period 年-月] [--source 网址] [--force] 原文文件",
            "--force 后面不能写值（写了“yes”）（查看用法：hotline-archive import -h）",
        ),
        (
            ("publish", "--engine", "hugo"),
            "hotline-archive publish [-h] [--allow-fewer] [--live-url 网址] [--engine 引擎]",
            "--engine 不能是“hugo”，只能是 mkdocs、zensical 之一（查看用法：hotline-archive publish -h）",
        ),
    ],
)
def test_usage_errors_are_chinese(
    args: tuple[str, ...], usage: str, message: str, typed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exits(capsys, *args) == (2, "", f"用法：{usage}\n用法错误：{message}\n")


def test_help_names_the_command_as_typed(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.argv", [".venv/bin/hotline-archive"])
    assert exits(capsys, "new")[2].endswith("（查看用法：.venv/bin/hotline-archive new -h）\n")


# Where the project is: found from the current folder upwards, whatever folder the terminal is in.


def test_commands_find_the_project_from_a_subfolder(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project.root / "data/notices")
    assert run(capsys, "validate") == (0, "校验通过：1 期通报。\n", "")
    assert run(capsys, "validate", "2023-08.yaml") == (0, "校验通过：1 期通报。\n", "")
    assert run(capsys, "new", "2023-09") == (0, "已新建 data/notices/2023-09.yaml：请把其中的“待填写”照原文填写。\n", "")
    assert (project.root / "data/notices/2023-09.yaml").is_file()


def test_outside_a_project_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path / "notes")
    assert run(capsys, "validate") == (
        2,
        "",
        f"用法错误：{tmp_path / 'notes'} 及其上级文件夹都不是项目文件夹（含有 mkdocs.yml 和 data 文件夹的文件夹）："
        "请在项目文件夹或它的子文件夹中运行，或用 --root 指定项目文件夹\n",
    )


def test_a_data_folder_alone_is_a_project_for_the_installed_generator(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.root / "mkdocs.yml").unlink()
    monkeypatch.chdir(project.root / "data/notices")
    assert run(capsys, "validate") == (0, "校验通过：1 期通报。\n", "")


def test_run_by_make_messages_name_the_make_options(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOTLINE_ARCHIVE_MAKE", "1")
    (tmp_path / "a.txt").write_text("没有标题也没有日期的一段文字。\n", encoding="utf-8")
    assert run(capsys, "--root", str(project.root), "import", str(tmp_path / "a.txt")) == (
        1,
        "",
        "错误：文本中找不到通报所属的年月，请用 PERIOD= 指定，如 PERIOD=2023-08\n",
    )
    source = str(project.root / "data/sources/2023-08.txt")
    assert run(capsys, "--root", str(project.root), "import", source) == (
        1,
        "",
        "错误：2023-08.yaml 已存在，未覆盖（确需覆盖时加 FORCE=1）\n",
    )


def test_ctrl_c_ends_the_preview_quietly(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    def interrupted(args: list[str], env: dict[str, str]) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(subprocess, "call", interrupted)
    assert run(capsys, "--root", str(project.root), "serve") == (0, "正在生成预览，请稍候……\n预览已结束。\n", "")
