"""Command line: the only place that prints and ends the process.

Exit codes: 0 success, 1 invalid data or unusable input, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from generator.archive import NOTICES_DIR, read_archive
from generator.errors import DataError, GeneratorError
from generator.model import json_schema, publisher_json_schema, units_json_schema
from generator.pages import render_site
from generator.write import write_site

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

SCHEMAS = {
    "data/schema/notice.schema.json": json_schema,
    "data/schema/publisher.schema.json": publisher_json_schema,
    "data/schema/units.schema.json": units_json_schema,
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"用法错误:{message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m generator", description="12345 热线通报档案:校验数据、生成页面。")
    parser.add_argument("--root", type=Path, default=Path(), help="项目根目录(默认为当前目录)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    validate = commands.add_parser("validate", help="校验全部数据,或只校验给出的通报文件")
    validate.add_argument("files", nargs="*", type=Path, help="要校验的通报文件(默认全部)")
    render = commands.add_parser("render", help="校验数据并把生成的 Markdown 页面写入文件夹")
    render.add_argument("--out", type=Path, required=True, help="输出文件夹")
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
            print(f"错误:{path} 不是最新,请运行 make schema", file=sys.stderr)
        return EXIT_DATA if stale else EXIT_OK
    for path, text in schema_texts().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    print(f"已生成 {len(SCHEMAS)} 个 Schema 文件。")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root: Path = args.root
    try:
        if args.command == "validate":
            files = [f if f.is_absolute() else Path.cwd() / f for f in args.files] or None
            archive = read_archive(root, files)
            print(f"校验通过:{len(archive.notices)} 期通报。")
        elif args.command == "render":
            out: Path = args.out.resolve()
            if out.is_relative_to((root / NOTICES_DIR.parent).resolve()):
                raise GeneratorError(f"不能把页面写进数据文件夹 {NOTICES_DIR.parent}")
            site = render_site(read_archive(root))
            write_site(site, out)
            print(f"已生成 {len(site.pages)} 个页面和 {len(site.assets)} 个下载文件,写入 {args.out}。")
        else:
            return _schema(root, check=args.check)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_DATA
    except GeneratorError as error:
        print(f"错误:{error}", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK
