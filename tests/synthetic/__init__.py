"""SYNTHETIC archives for tests and benchmarks: made-up months, NOT real notices.

Every month is derived from the real August 2023 notice in ``data/`` with figures changed
deterministically, so that multi-month views can be developed and tested. Each generated file
says in its first lines that it is synthetic. Nothing here is ever written into ``data/``.

The default archive (``make_archive``) covers what the multi-month views must handle:

- a unit that appears (市水利局 joins the department ranking in 2023-10), disappears (市烟草局
  is missing in 2023-11) and is renamed (市卫健委 is printed as 市卫生健康委员会 from 2023-11,
  an alias in the registry);
- a category added in a later month (经济发展类 from 2023-10);
- a month with an acknowledged inconsistency (2023-10 prints a reply rate of 99%);
- a year with a missing month (2024-02 is absent; 2024-03 therefore has no 环比);
- a month a year after another (2024-08 has 同比 against 2023-08);
- a section the model does not type yet, published through ``extra_sections`` (2023-12).
"""

from __future__ import annotations

import random
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from generator.history import shift_period
from generator.load import read

REPO = Path(__file__).resolve().parents[2]
HEADER = "# 合成数据(SYNTHETIC):仅供测试和性能测试,不是真实通报。\n"
DEFAULT_PERIODS = ("2023-08", "2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-03", "2024-08")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the loader refuses anchors and aliases: every value is written out


# Plain decimal notation without tags, as staff write numbers ("100", "118.70").
_Dumper.add_representer(
    Decimal,
    lambda d, v: d.represent_scalar("tag:yaml.org,2002:int" if "." not in str(v) else "tag:yaml.org,2002:float", str(v)),
)


def _base() -> dict[str, Any]:
    document = read(REPO / "data/notices/2023-08.yaml", root=REPO)
    data: dict[str, Any] = document.data
    return data


def _ranks(rows: list[dict[str, Any]]) -> None:
    rows.sort(key=lambda row: -row["score"])
    for row in rows:
        row["rank"] = 1 + sum(other["score"] > row["score"] for other in rows)


def synthetic_notice(period: str, index: int, *, variety: bool = True) -> dict[str, Any]:
    """One made-up month; ``index`` drives the deterministic changes."""
    rng = random.Random(f"{period}-{index}")
    data = _base()
    month = int(period[5:])
    data["meta"]["title"] = f"{period[:4]}年{month}月12345民呼必应热线工作情况通报(合成数据)"
    data["meta"]["period"] = period
    data["meta"]["source"] = f"https://example.org/synthetic/{period}"
    factor = Decimal(1) + Decimal(rng.randint(-15, 15)) / 100
    intake = data["intake"]
    for line in intake["lines"]:
        for key in ("calls", "consultations", "registered"):
            if key in line:
                line[key] = int(line[key] * factor)
        if "completed" in line:
            line["completed"] = line["registered"]
    satisfaction = Decimal(rng.choice(["97", "98", "99", "98.5"]))
    intake["lines"][0]["satisfaction_rate"] = satisfaction
    phone = intake["phone"]
    phone["calls"] = sum(line.get("calls", line.get("consultations", 0)) for line in intake["lines"])
    phone["registered"] = sum(line.get("registered", 0) for line in intake["lines"])
    phone["completed"] = phone["registered"]
    phone["satisfaction_rate"] = satisfaction
    intake["total"] = phone["calls"] + intake["web"]["registered"]

    categories = data["categories"]
    if variety and period >= "2023-10":
        categories.append({"name": "经济发展类", "count": 1200, "share": Decimal(0), "topics": ["企业开办", "用工咨询"]})
    for category in categories:
        category["count"] = int(category["count"] * (Decimal(1) + Decimal(rng.randint(-25, 25)) / 100))
    denominator = sum(c["count"] for c in categories) * 2
    for category in categories:
        category["share"] = (Decimal(category["count"]) * 100 / denominator).quantize(Decimal("0.1"))
    categories.sort(key=lambda c: -c["count"])

    for group in data["rankings"]["groups"]:
        rows = group["rows"]
        for row in rows:
            row["score"] = (row["score"] + Decimal(rng.randint(-300, 300)) / 100).quantize(Decimal("0.01"))
        if variety and group["group"] == "department":
            if period >= "2023-10":
                rows.append({"unit": "市水利局", "score": Decimal("82.25"), "rank": 0})
            if period == "2023-11":
                rows[:] = [row for row in rows if row["unit"] != "市烟草局"]
            if period >= "2023-11":
                for row in rows:
                    if row["unit"] == "市卫健委":
                        row["unit"] = "市卫生健康委员会"
        _ranks(rows)
    if variety and period == "2023-10":
        intake["web"]["reply_rate"] = Decimal(99)
        data["acknowledged"] = [
            {"check": "rates", "path": "intake.web.reply_rate", "reason": "合成数据:模拟原通报印错的回复率。"}
        ]
    if variety and period == "2023-12":
        data["extra_sections"] = [
            {
                "after": "work_updates",
                "heading": "合成的补充部分",
                "text": "新增的**专项整治**情况,详见[官方网站](https://example.org/)。",
                "table": {"caption": "专项整治进度", "columns": ["项目", "件数"], "rows": [["占道经营", 12], ["噪音扰民", 7]]},
            }
        ]
    if variety:
        data["cases"][index % len(data["cases"])]["areas"].append({"district": "石龙区", "places": [f"合成地点{index}"]})
    return data


def write_notice(root: Path, period: str, data: dict[str, Any]) -> Path:
    path = root / "data/notices" / f"{period}.yaml"
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text("# yaml-language-server: $schema=../schema/notice.schema.json\n" + HEADER + text, encoding="utf-8")
    return path


def make_archive(root: Path, periods: tuple[str, ...] = DEFAULT_PERIODS, *, variety: bool = True) -> Path:
    """Write a synthetic project data folder under ``root`` (refusing to touch the real one)."""
    if (root / "data").resolve() == (REPO / "data").resolve():
        raise ValueError("synthetic data never goes into the real data/ folder")
    (root / "data/notices").mkdir(parents=True, exist_ok=False)
    shutil.copytree(REPO / "data/schema", root / "data/schema")
    shutil.copy(REPO / "data/publisher.yaml", root / "data/publisher.yaml")
    units = (REPO / "data/units.yaml").read_text(encoding="utf-8")
    units = units.replace(
        "- {name: 市卫健委, group: department}", "- {name: 市卫健委, group: department, aliases: [市卫生健康委员会]}"
    )
    (root / "data/units.yaml").write_text(units.replace("units:\n", HEADER + "units:\n", 1), encoding="utf-8")
    for index, period in enumerate(periods):
        write_notice(root, period, synthetic_notice(period, index, variety=variety))
    return root


def consecutive_periods(count: int, start: str = "2000-01") -> tuple[str, ...]:
    return tuple(shift_period(start, i) for i in range(count))
