"""Write notice data as YAML in the house style, for the tools that create data files.

The layout matches the committed files: fields in model order, one table row per line.
Creating a file never replaces one: :func:`write_new` refuses unless told to.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from generator.errors import GeneratorError

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/notice.schema.json\n"
PLACEHOLDER = "待填写"
"""What ``new`` and ``import`` put where staff still have to type; validation rejects it."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the loader refuses anchors and aliases: every value is written out


class _Row(dict[str, Any]):
    """A mapping written on one line: a row of a table."""


_Dumper.add_representer(
    Decimal,
    # "100" stays an integer in the file, "118.70" keeps its digits (the loader reads it back exactly).
    lambda d, v: d.represent_scalar("tag:yaml.org,2002:int" if "." not in str(v) else "tag:yaml.org,2002:float", str(v)),
)
_Dumper.add_representer(_Row, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))


def _rows(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    rankings = data.get("rankings")
    if isinstance(rankings, dict):
        for group in rankings.get("groups", []):
            if isinstance(group, dict):
                group["rows"] = [_Row(r) if isinstance(r, dict) else r for r in group.get("rows", [])]
    messages = data.get("web_messages")
    if isinstance(messages, dict):
        messages["rows"] = [_Row(r) if isinstance(r, dict) else r for r in messages.get("rows", [])]
        if isinstance(messages.get("total_row"), dict):
            messages["total_row"] = _Row(messages["total_row"])
    return data


def to_yaml(data: dict[str, Any], *, comment: str) -> str:
    """The file text: schema line, a comment for staff, then the data."""
    lines = "".join(f"# {line}\n" for line in comment.splitlines())
    body = yaml.dump(_rows(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10000, default_flow_style=False)
    return SCHEMA_LINE + lines + body


def write_new(path: Path, text: str, *, force: bool = False) -> None:
    """Write a new data file; an existing file is replaced only with ``force``."""
    if path.exists() and not force:
        raise GeneratorError(f"{path.name} 已存在，未覆盖（确需覆盖时加 --force）")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


_KEPT = frozenset({"number", "name", "kind", "note", "group", "unit", "label", "platforms"})
"""Fields ``new`` copies from the latest notice: which lines, units and categories there are."""
_DROPPED = ("extra_sections", "acknowledged")


def _blank(value: Any, key: str | None) -> Any:
    if key in _KEPT:
        return copy.deepcopy(value)
    if isinstance(value, dict):
        return {k: _blank(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        if key == "areas":
            return [{"district": PLACEHOLDER, "places": [PLACEHOLDER]}]
        if value and not isinstance(value[0], dict):
            return [PLACEHOLDER]
        return [_blank(item, None) for item in value]
    if isinstance(value, bool):
        return value
    return PLACEHOLDER


def blank_notice(latest: dict[str, Any], period: str) -> dict[str, Any]:
    """The latest notice's structure, lines, units and categories, with every figure and text
    replaced by the placeholder, so that validation fails until each one is filled in."""
    data = {k: _blank(v, str(k)) for k, v in latest.items() if k not in _DROPPED}
    data["meta"] = {"title": PLACEHOLDER, "period": period, "source": PLACEHOLDER}
    return data
