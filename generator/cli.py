"""Command line: the only place that prints and ends the process.

Exit codes: 0 success, 1 invalid data or unusable input, 2 usage error.
"""

from __future__ import annotations

import argparse
import copy
import errno
import json
import os
import re
import socket
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from generator import limits
from generator.archive import NOTICES_DIR, UNITS_FILE, notice_files, read_archive
from generator.checks import run_checks
from generator.draft import PLACEHOLDER, blank_notice, to_yaml, write_new
from generator.errors import DataError, GeneratorError
from generator.importer import parse_notice, read_source
from generator.load import format_path, read
from generator.model import Notice, UnitGroup, json_schema, publisher_json_schema, units_json_schema
from generator.pages import render_site
from generator.publish import RELEASES, SITE, build_command, publish
from generator.validate import validate_registry
from generator.write import write_site

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

SCHEMAS = {
    "data/schema/notice.schema.json": json_schema,
    "data/schema/publisher.schema.json": publisher_json_schema,
    "data/schema/units.schema.json": units_json_schema,
}


class UsageError(Exception):
    """The command line itself is wrong (exit code 2)."""


def find_root(start: Path) -> Path:
    """The project folder: ``start`` or the nearest folder above it that holds mkdocs.yml and data/
    (or, for the generator installed without the site, data/ alone).

    Staff open a terminal wherever their file is (often data/notices/), so every command finds the
    project from there instead of misreading the current folder as the project.
    """
    start = start.resolve()
    folders = (start, *start.parents)
    for folder in folders:
        if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
            return folder
    for folder in folders:
        if (folder / "data").is_dir():
            return folder
    raise UsageError(
        f"{start} 及其上级文件夹都不是项目文件夹（含有 mkdocs.yml 和 data 文件夹的文件夹）\uff1a"
        "请在项目文件夹或它的子文件夹中运行\uff0c或用 --root 指定项目文件夹"
    )


# argparse writes its own messages in English; each one a staff member can meet is matched here and
# said in Chinese. The patterns accept the wording of Python 3.11 to 3.13.
_ARGPARSE = (
    (r"the following arguments are required: (.+)", "缺少{0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数\uff1a{0}"),
    (r"argument (?:command|命令): invalid choice: '?([^' ]*)'? \(choose from (.+)\)", "没有“{0}”这个命令\uff1b可用的命令有 {1}"),
    (r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.+)\)", "{0} 不能是“{1}”\uff0c只能是 {2} 之一"),
    (r"argument (\S+): expected one argument", "{0} 后面要写一个值"),
    (r"argument (\S+): ignored explicit argument '?([^']*)'?", "{0} 后面不能写值（写了“{1}”）"),
    (r"ambiguous option: (\S+) could match (.+)", "{0} 可以指 {1}\uff0c请写完整"),
)


def _chinese(message: str) -> str:
    for pattern, chinese in _ARGPARSE:
        match = re.fullmatch(pattern, message)
        if match:
            said = chinese.format(*(re.sub(r"'([^']*)'", r"\1", group).replace(", ", "、") for group in match.groups()))
            # A space sets an option apart from the Chinese before it (缺少 --out), as elsewhere in
            # these messages; none comes between Chinese words (缺少年-月).
            return re.sub(r"^缺少(?=[!-~])", "缺少 ", said)
    return message


def _wide(text: str) -> int:
    return sum(unicodedata.east_asian_width(char) in "WF" for char in text)


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout in Chinese: "用法：", headings with a full-width colon, and the help
    column aligned although a Chinese character takes two columns (argparse counts one)."""

    def _format_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None) -> str:
        return super()._format_usage(usage, actions, groups, "用法\uff1a" if prefix is None else prefix)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            header = self._format_action_invocation(action)
            self._action_max_length = max(self._action_max_length, len(header) + _wide(header) + self._current_indent)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        wide = _wide(header)
        padded = header + " " * (wide + 2)
        if wide and text.startswith(" " * self._current_indent + padded):
            text = text.replace(padded, header + "  ", 1)
        return text

    def format_help(self) -> str:
        return re.sub(r"^(\S+):$", "\\1\uff1a", super().format_help(), flags=re.MULTILINE)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage, help and errors are all in Chinese."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs, add_help=False, formatter_class=_Formatter)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        hint = f"{self.prog} -h"
        print(f"用法错误\uff1a{_chinese(message)}（查看用法\uff1a{hint}）", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def program() -> str:
    """The command as the user typed it, so that what the help shows can be typed again."""
    typed = sys.argv[0] if sys.argv and sys.argv[0] else "hotline-archive"
    if Path(typed).name != "__main__.py":
        return typed
    python = Path(sys.executable)
    if python.is_relative_to(Path.cwd()):
        python = python.relative_to(Path.cwd())
    return f"{python.as_posix()} -m generator"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=program(), description="12345 热线通报档案\uff1a校验数据、生成页面。")
    parser.add_argument(
        "--root", type=Path, metavar="文件夹", help="项目文件夹（默认为当前文件夹或它上级中含有 mkdocs.yml 和 data 的文件夹）"
    )
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True, parser_class=_Parser)
    validate = commands.add_parser("validate", help="校验全部数据，或只校验给出的通报文件")
    validate.add_argument("files", nargs="*", type=Path, metavar="文件", help="要校验的通报文件（默认全部）")
    render = commands.add_parser("render", help="校验数据并把生成的 Markdown 页面写入文件夹")
    render.add_argument("--out", type=Path, required=True, metavar="文件夹", help="输出文件夹")
    new = commands.add_parser("new", help="以最新一期为模板，新建某月的数据文件（数字和文字留空待填）")
    new.add_argument("period", metavar="年-月", help="月份\uff0c如 2023-09")
    importer = commands.add_parser("import", help="把通报原文（.txt、.docx 或保存的 .html 网页）转成数据文件草稿")
    importer.add_argument("file", type=Path, metavar="原文文件", help="通报原文文件")
    importer.add_argument("--out", type=Path, metavar="文件", help="草稿保存位置（默认 data/notices/年-月.yaml）")
    importer.add_argument("--period", metavar="年-月", help="通报所属月份\uff0c如 2023-08（原文没有写明时需要）")
    importer.add_argument("--source", metavar="网址", help="原文网址")
    importer.add_argument("--force", action="store_true", help="覆盖已存在的文件\uff1b--period 与原文不符时仍按 --period 导入")
    publish_command = commands.add_parser("publish", help="构建网站并一步把 site/ 切换到新版本（make site 运行它）")
    publish_command.add_argument("--allow-fewer", action="store_true", help="新网站的通报比现在的少时也发布（确认是有意删减）")
    publish_command.add_argument(
        "--live-url",
        default=os.environ.get("LIVE_SITE_URL") or None,
        metavar="网址",
        help="与这个地址上已发布的网站比较通报数，而不是与 site/ 比较（默认取环境变量 LIVE_SITE_URL）",
    )
    publish_command.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        metavar="引擎",
        help="网站引擎\uff1amkdocs（默认）或 zensical（需要 .venv-zensical）",
    )
    serve = commands.add_parser("serve", help="本地预览网站，修改数据后自动刷新（MkDocs 自带的服务器）")
    serve.add_argument(
        "--dev-addr", default="127.0.0.1:8000", metavar="地址：端口", help="预览网址的地址和端口（默认 127.0.0.1:8000）"
    )
    schema = commands.add_parser("schema", help="根据数据模型生成 JSON Schema")
    schema.add_argument("--check", action="store_true", help="只检查已提交的 Schema 是否最新")
    return parser


def schema_texts() -> dict[str, str]:
    return {path: json.dumps(make(), ensure_ascii=False, indent=2, sort_keys=True) + "\n" for path, make in SCHEMAS.items()}


def _schema(root: Path, *, check: bool) -> int:
    stale = [
        path
        for path, text in schema_texts().items()
        if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text
    ]
    if check:
        for path in stale:
            print(f"错误：{path} 不是最新，请运行 make schema", file=sys.stderr)
        return EXIT_DATA if stale else EXIT_OK
    for path, text in schema_texts().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    print(f"已生成 {len(SCHEMAS)} 个 Schema 文件。")
    return EXIT_OK


def _new(root: Path, period: str) -> int:
    if not re.fullmatch(limits.PERIOD_PATTERN, period):
        raise UsageError(f"月份应写作“年-月”，如 2023-09，实际为 {period!r}")
    files = notice_files(root)
    if not files:
        raise GeneratorError("data/notices/ 中还没有通报，无法作为模板；请用 import 命令从通报原文生成")
    latest = max(files, key=lambda path: path.stem)
    target = root / NOTICES_DIR / f"{period}.yaml"
    if target.exists():
        raise GeneratorError(f"{_shown(root, target)} 已存在\uff0c未覆盖\uff1a要重新新建\uff0c请先删除这个文件或给它改名")
    data = blank_notice(read(latest, root=root).data, period)
    comment = (
        f"{period} 通报的数据文件，由 new 命令按 {latest.name} 的结构生成。\n"
        f"所有“{PLACEHOLDER}”都要照原文填写\uff1b填完后运行 make validate 检查。"
    )
    write_new(target, to_yaml(data, comment=comment))
    print(f"已新建 {_shown(root, target)}：请把其中的“{PLACEHOLDER}”照原文填写。")
    return EXIT_OK


def _shown(root: Path, path: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix() if path.resolve().is_relative_to(root.resolve()) else str(path)


def _import(root: Path, args: argparse.Namespace) -> int:
    if args.period is not None and not re.fullmatch(limits.PERIOD_PATTERN, args.period):
        raise UsageError(f"月份应写作“年-月”，如 2023-08，实际为 {args.period!r}")
    districts: frozenset[str] = frozenset()
    try:
        registry = validate_registry(read(root / UNITS_FILE, root=root))[0]
        if registry is not None:
            districts = frozenset(u.name for u in registry.units if u.group in (UnitGroup.district, UnitGroup.county))
    except DataError:
        pass  # the draft is still useful without the registry; `validate` will report it
    draft = parse_notice(read_source(args.file), period=args.period, districts=districts, force=args.force)
    if args.source:
        draft.data["meta"]["source"] = args.source
        draft.report.missing.remove("原文网址（meta.source）")
    period = draft.data["meta"]["period"]
    target: Path = args.out or root / NOTICES_DIR / f"{period}.yaml"
    comment = f"由 import 命令从 {args.file.name} 生成的草稿：请逐项与原文核对，把“{PLACEHOLDER}”照原文填写。"
    write_new(target, to_yaml(draft.data, comment=comment), force=args.force)
    print(f"已生成草稿 {_shown(root, target)}（{period}）。")
    report = draft.report
    if args.file.suffix.lower() in (".html", ".htm", ".docx"):
        print("  （下面的行号指从文件中提取出的文字的行，网页的导航和页脚各占一行）")
    for line in report.mapped:
        print(f"  已识别：{line}")
    for line in report.kept:
        print(f"  照原文保留在 extra_sections（请核对，能整理成字段的请整理）：{line}")
    for line in report.dropped:
        print(f"  已略去网页附加内容：{line}")
    for line in report.missing:
        print(f"  原文中没有找到，需要填写：{line}")
    counts = report.figures
    print(
        f"  原文共 {counts.total() + len(report.not_kept)} 个数字：{counts['mapped']} 个填入字段，"
        f"{counts['text']} 个照原文保留为文字，{counts['table']} 个保留在表格中，{len(report.not_kept)} 个没有保留。"
    )
    for finding in unreconciled(draft.data):
        print(f"  数字对不上：{finding}")
    if report.not_kept:
        lost = "\n".join(f"  {line}" for line in report.not_kept)
        print(f"错误：原文中有 {len(report.not_kept)} 个数字没有进入草稿，请对照原文补上：\n{lost}", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK


def _publish(root: Path, *, allow_fewer: bool, live_url: str | None, engine: str = "mkdocs") -> int:
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(root / "mkdocs.yml"), "--site-dir"]
    zensical = [sys.executable, str(root / "generator/engines/zensical_build.py")]
    done = publish(
        root,
        build_command(zensical if engine == "zensical" else mkdocs),
        allow_fewer=allow_fewer,
        live_url=live_url,
        on_wait=lambda text: print(text, file=sys.stderr, flush=True),
    )
    for path in done.not_removed:
        print(f"提示：旧版本 {path} 没能删除，可以手动删除。", file=sys.stderr)
    print(f"已发布：{SITE}/ 现在是 {RELEASES}/{done.release}（{done.notices} 期通报）。")
    return EXIT_OK


def _serve(root: Path, address: str) -> int:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"预览地址应写作“地址：端口”\uff0c如 127.0.0.1:8000\uff0c实际为 {address!r}")
    # MkDocs answers a busy port with an English traceback; a second preview is the usual cause.
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server does
        try:
            probe.bind((host, int(port)))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                problem = f"无法在 {address} 上预览\uff08{error.strerror}\uff09"
                raise UsageError(f"{problem}\uff0c请用 127.0.0.1 和一个空闲的端口") from None
            raise GeneratorError(
                f"端口 {port} 已被占用\uff1a预览可能已在另一个终端中运行（打开 http://{address}/ 看看）\uff0c"
                f"或换一个端口\uff0c如 make serve PORT={int(port) + 1}"
            ) from None
    # Quiet: MkDocs' English progress notes are for maintainers; the hook tells staff, in Chinese,
    # where the preview is and what is wrong with the data. Errors still show.
    # --dirty: each save rebuilds only what the change touches (see the hook's preview cache).
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--quiet"]
    command += ["--dev-addr", address, "-f", str(root / "mkdocs.yml")]
    print("正在生成预览\uff0c请稍候\u2026\u2026", flush=True)
    try:
        # Material's English end-of-life notice is for maintainers (README), not for staff previewing.
        return subprocess.call(command, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    except KeyboardInterrupt:  # Ctrl+C, which the guide gives as the way to stop the preview
        print("预览已结束\u3002")
        return EXIT_OK


def unreconciled(data: dict[str, Any]) -> list[str]:
    """The consistency checks of a draft, when it is complete enough to be checked."""
    trial = copy.deepcopy(data)
    if trial["meta"].get("source") == PLACEHOLDER:
        trial["meta"]["source"] = "https://example.invalid/"
    try:
        notice = Notice.model_validate(trial)
    except ValidationError:
        return []
    return [f"{format_path(f.path)}: {f.message}" for f in run_checks(notice)]


VIA_MAKE = "HOTLINE_ARCHIVE_MAKE"
"""Set by the Makefile's staff targets, whose options are written PERIOD=… and FORCE=1."""


def as_typed(message: str) -> str:
    """A message naming options as the staff member typed them: ``make import FILE=…`` is told to add
    ``PERIOD=2023-09`` or ``FORCE=1``, not ``--period 2023-09`` or ``--force``."""
    if os.environ.get(VIA_MAKE) != "1":
        return message
    message = re.sub(r"--period(?: (?=\d))?", "PERIOD=", message)
    return re.sub(r"--force\b", "FORCE=1", message)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        root: Path = args.root if args.root is not None else find_root(Path.cwd())
        if args.command == "validate":
            files = [f if f.is_absolute() else Path.cwd() / f for f in args.files] or None
            archive = read_archive(root, files)
            print(f"校验通过：{len(archive.notices)} 期通报。")
        elif args.command == "render":
            out: Path = args.out.resolve()
            if out.is_relative_to((root / NOTICES_DIR.parent).resolve()):
                raise GeneratorError(f"不能把页面写进数据文件夹 {NOTICES_DIR.parent}")
            site = render_site(read_archive(root))
            write_site(site, out)
            print(f"已生成 {len(site.pages)} 个页面和 {len(site.assets)} 个下载文件，写入 {args.out}。")
        elif args.command == "new":
            return _new(root, args.period)
        elif args.command == "import":
            return _import(root, args)
        elif args.command == "publish":
            return _publish(root, allow_fewer=args.allow_fewer, live_url=args.live_url, engine=args.engine)
        elif args.command == "serve":
            return _serve(root, args.dev_addr)
        else:
            return _schema(root, check=args.check)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_DATA
    except GeneratorError as error:
        print(f"错误：{as_typed(str(error))}", file=sys.stderr)
        return EXIT_DATA
    except UsageError as error:
        print(f"用法错误\uff1a{as_typed(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:
        print(f"错误：程序内部出错（{type(error).__name__}: {error}），请把这条信息告诉网站维护人员", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK
