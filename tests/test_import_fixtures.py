"""The importer on notices written the way other offices write them (tests/import_fixtures: MADE-UP
notices, invented figures): each imports with its expected accounting, nothing is lost, and the
built page of every import shows every figure of its source."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import importer
from generator.archive import read_archive
from generator.cli import main
from generator.draft import to_yaml
from generator.import_text import fullwidth, normalise
from generator.importer import Draft, ImportFailure, parse_notice, read_source
from tests.conftest import REPO, mkdocs_build
from tests.test_import import SOURCE, _as_docx

FIXTURES = REPO / "tests/import_fixtures"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
# Two fixtures are stored as readable UTF-8 and encoded for the test, as offices' files come.
ENCODINGS = {".gb18030": "gb18030", ".utf16": "utf-16"}


def fixture_file(name: str, folder: Path) -> Path:
    """The fixture as the importer gets it: GB18030 and UTF-16 (with BOM) ones encoded here."""
    path = FIXTURES / name
    if path.suffix != ".utf8":
        return path
    stem = Path(path.stem)
    encoded = folder / f"{stem.stem}.txt"
    encoded.write_bytes(path.read_text(encoding="utf-8").encode(ENCODINGS[stem.suffix]))
    return encoded


def imported(name: str, folder: Path) -> Draft:
    return parse_notice(read_source(fixture_file(name, folder)), period=EXPECTED[name].get("period_option"))


def accounting(draft: Draft) -> dict[str, Any]:
    report = draft.report
    return {
        "mapped": report.mapped,
        "kept": report.kept,
        "dropped": report.dropped,
        "missing": report.missing,
        "figures": dict(sorted(report.figures.items())),
    }


def test_the_corpus_covers_at_least_twelve_made_up_notices() -> None:
    files = sorted(p.name for p in FIXTURES.iterdir() if p.name not in ("README.md", "expected.yaml"))
    assert files == sorted(EXPECTED) and len(files) >= 12
    for name in files:
        assert "【虚构样本】本文为导入测试编造,非真实通报,数字均为虚构" in (FIXTURES / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_made_up_notice_imports_with_its_expected_accounting(name: str, tmp_path: Path) -> None:
    draft = imported(name, tmp_path)
    expected = {key: value for key, value in EXPECTED[name].items() if key not in ("period_option", "period")}
    assert draft.report.not_kept == []
    assert accounting(draft) == expected
    assert draft.data["meta"]["period"] == EXPECTED[name]["period"]


def test_a_docx_of_a_made_up_notice_imports_as_its_text(tmp_path: Path) -> None:
    text = (FIXTURES / "v04-pipe-table.txt").read_text(encoding="utf-8")
    from_docx = parse_notice(read_source(_as_docx(text, tmp_path / "v04.docx")))
    assert from_docx.data == parse_notice(text).data
    assert from_docx.report.not_kept == []


def test_the_saved_portal_page_loses_scripts_and_navigation(tmp_path: Path) -> None:
    text = read_source(FIXTURES / "v10-portal-page.html")
    assert "统计代码" not in text and "trackingId" not in text
    # Navigation and footers are marked, so that the import lists them as dropped.
    assert [line for line in text.split("\n") if "首页" in line or "版权" in line] == [
        "【网页附加内容】首页 政务公开",
        "【网页附加内容】网站首页 新闻中心",
        "【网页附加内容】首页 > 政务公开 > 通知公告",
        "【网页附加内容】版权所有:北湖市人民政府 ICP备00000000号",
    ]
    assert "北湖市12345热线2021年10月工作情况通报" in text.split("\n")
    assert "电话 | 5,000 | 76.4% |" in text.split("\n")


# --- the built pages -------------------------------------------------------------------------


def _source_numbers(text: str, dropped: list[str]) -> set[Decimal]:
    """Every number printed in the source's body (page furniture aside), thousands separators read."""
    skipped = {int(re.findall(r"\d+", line)[0]) for line in dropped}
    numbers: set[Decimal] = set()
    for number, line in enumerate(normalise(text).split("\n"), 1):
        if number not in skipped:
            line = re.sub(r"(?<=\d),(?=\d{3})", "", line)
            numbers.update(Decimal(n) for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", line))
    return numbers


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, set[Decimal]]]]:
    """Every fixture imported into one copy of the project, which is then built strictly."""
    root = tmp_path_factory.mktemp("fixtures-project")
    shutil.copytree(REPO / "data", root / "data")
    for folder in ("content", "site_overrides", "generator"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    work = tmp_path_factory.mktemp("encoded")
    pages: dict[str, tuple[str, set[Decimal]]] = {}
    for name in sorted(EXPECTED):
        draft = imported(name, work)
        data = draft.data
        data["meta"]["source"] = "https://example.org/made-up"
        if data["meta"]["title"] == "待填写":
            data["meta"]["title"] = "(测试用虚构通报,原文无标题)"  # what staff fill in from the portal
        period = data["meta"]["period"]
        (root / f"data/notices/{period}.yaml").write_text(to_yaml(data, comment=f"虚构样本 {name}"), encoding="utf-8")
        text = read_source(fixture_file(name, work))
        pages[name] = (period, _source_numbers(text, draft.report.dropped))
    read_archive(root)  # every draft is a valid notice: no 待填写 left for measures never published
    out = tmp_path_factory.mktemp("fixtures-site")
    result = mkdocs_build(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out, pages


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_built_page_shows_every_figure_of_the_source(
    built: tuple[Path, dict[str, tuple[str, set[Decimal]]]], name: str
) -> None:
    site, pages = built
    period, numbers = pages[name]
    html = (site / f"notices/{period[:4]}/{period[5:]}/index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").find("article")
    assert article is not None
    text = re.sub(r"(?<=\d),(?=\d{3})", "", article.get_text(" "))
    on_page = {Decimal(n) for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", text)}
    assert len(numbers) >= 3
    assert sorted(numbers - on_page) == []
    assert "虚构" in article.get_text()


# --- exit codes and the period ---------------------------------------------------------------


def test_a_figure_that_does_not_reach_the_draft_makes_the_import_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A recogniser that claims a figure it never wrote down is caught by the account."""

    def careless(section: importer.Section, context: importer.Context) -> importer.Taken | None:
        if not any("同比" in line.text for line in section.lines):
            return None
        return importer.Taken("受理总量(写丢了)", [line.text for line in section.lines], "intake")

    monkeypatch.setattr(importer, "RECOGNISERS", (("粗心的识别器", careless), *importer.RECOGNISERS))
    source = FIXTURES / "v08-no-year.txt"
    code = main(["--root", str(tmp_path), "import", str(source), "--period", "2021-08", "--out", str(tmp_path / "d.yaml")])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "错误：原文中有 2 个数字没有进入草稿，请对照原文补上：\n"
        "  第 3 行：1888（8月份,共受理群众各类诉求 1,888 件,同比增长 8.8）\n"
        "  第 3 行：8.8（8月份,共受理群众各类诉求 1,888 件,同比增长 8.8）\n"
    )


def test_a_period_that_contradicts_the_text_needs_force() -> None:
    text = (FIXTURES / "v04-pipe-table.txt").read_text(encoding="utf-8")
    with pytest.raises(ImportFailure, match="--period 2021-05 与原文写的 2021-04 不符；确认无误时加 --force"):
        parse_notice(text, period="2021-05")
    assert parse_notice(text, period="2021-05", force=True).data["meta"]["period"] == "2021-05"
    no_year = (FIXTURES / "v08-no-year.txt").read_text(encoding="utf-8")
    with pytest.raises(ImportFailure, match="找不到通报所属的年月"):
        parse_notice(no_year)
    with pytest.raises(ImportFailure, match="--period 2021-09 与原文写的 8 月份不符"):
        parse_notice(no_year, period="2021-09")


# --- property: nothing inserted into a real layout is dropped --------------------------------

_WORDS = st.text(alphabet="热线群众诉求办理市区县街道社区供水供暖物业学校医院反映解决", min_size=2, max_size=12)
_NUMBER = st.one_of(
    st.integers(min_value=0, max_value=999_999).map(str),
    st.decimals(min_value=0, max_value=100, places=1).map(lambda d: f"{d}%"),
    st.integers(min_value=1000, max_value=999_999).map(lambda n: f"{n:,}"),
)
_PARAGRAPH = st.lists(st.tuples(_WORDS, _NUMBER), min_size=1, max_size=4).map(
    lambda parts: "补充说明:" + ",".join(f"{w}{n}件" for w, n in parts) + "。"
)
_TABLE = st.lists(st.tuples(_WORDS, _NUMBER, _NUMBER), min_size=1, max_size=4).map(
    lambda rows: "项目 | 数量 | 比例 |\n" + "\n".join(f"{w} | {a} | {b} |" for w, a, b in rows)
)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+|\\", "", text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(min_value=1, max_value=len(SOURCE.split("\n"))), st.one_of(_PARAGRAPH, _TABLE)), max_size=4)
)
def test_paragraphs_and_tables_inserted_into_the_real_layout_are_never_dropped(inserts: list[tuple[int, str]]) -> None:
    lines = SOURCE.split("\n")
    for position, block in sorted(inserts, reverse=True):
        lines[position:position] = block.split("\n")
    draft = parse_notice("\n".join(lines))
    assert draft.report.not_kept == []
    dump = _squeezed(to_yaml(draft.data, comment=""))
    values = {Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", re.sub(r"(?<=\d),(?=\d{3})", "", dump))}
    for _, block in inserts:
        for line in block.split("\n"):
            for piece in re.split(r"\s*\|\s*", line):
                if re.fullmatch(r"[\d,.]+%?", piece):  # a cell that is a figure: as a value (a rank 1,000 is 1000)
                    assert Decimal(piece.replace(",", "").rstrip("%")) in values, piece
                elif piece:
                    assert _squeezed(fullwidth(piece)) in dump, piece


def test_hostile_lines_are_read_in_bounded_time(tmp_path: Path) -> None:
    """200,000-character lines of the shapes the recognisers look at; a generous hang guard only."""
    hostile = "\n".join(
        [
            "2023年8月12345热线工作情况通报",
            "共受理" + "1,234," * 30_000 + "件",
            "通过" * 100_000,
            "城市管理" + "类" * 200_000,
            "\n".join(["甲"] * 20_000),
            "1 234 " * 30_000,
            "(一)接听受理情况",
            "共受理各类来电来信1件,接听电话1人次;12345" + "热线(" * 50_000,
        ]
    )
    script = "import sys; from generator.importer import parse_notice; parse_notice(sys.stdin.read())"
    result = subprocess.run([sys.executable, "-c", script], input=hostile, text=True, capture_output=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
