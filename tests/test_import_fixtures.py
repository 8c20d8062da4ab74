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
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import importer, messages
from generator.archive import read_archive
from generator.cli import main
from generator.draft import to_yaml
from generator.import_text import chinese_int, fullwidth, normalise
from generator.importer import Draft, ImportFailure, parse_notice, read_source
from generator.pages import history_path, render_site, unit_path
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
    # The README says how many there are.
    said = re.search(r"`tests/import_fixtures/` 是(\w+?)份测试用的", (REPO / "README.md").read_text(encoding="utf-8"))
    assert said is not None and chinese_int(said.group(1)) == len(files)
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
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, set[Decimal]]]]:
    """Every fixture imported into one copy of the project, and the figures of each source."""
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
    # The made-up units ranked in the drafts are registered, as staff would do after an import.
    registry = root / "data/units.yaml"
    known = registry.read_text(encoding="utf-8")
    for name in sorted(EXPECTED):
        for group in imported(name, work).data.get("rankings", {}).get("groups", []):
            for row in group["rows"]:
                if f"{{name: {row['unit']}," not in known:
                    known += f"- {{name: {row['unit']}, group: {group['group']}}}\n"
    registry.write_text(known, encoding="utf-8")
    read_archive(root)  # every draft is a valid notice: no 待填写 left for measures never published
    return root, pages


@pytest.fixture(scope="module")
def built(
    project: tuple[Path, dict[str, tuple[str, set[Decimal]]]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, tuple[str, set[Decimal]]]]:
    """The project with every fixture imported, built strictly."""
    root, pages = project
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
    assert not messages.unregistered_output(err), "not in the guide's table (generator/messages.py)"
    assert code == 1
    assert err == (
        "错误：原文中有 2 个数字没有进入草稿，请对照原文补上：\n"
        "  第 3 行：1888（8月份,共受理群众各类诉求 1,888 件,同比增长 8.8）\n"
        "  第 3 行：8.8（8月份,共受理群众各类诉求 1,888 件,同比增长 8.8）\n"
    )


def _failure(text: str, **kwargs: Any) -> str:
    with pytest.raises(ImportFailure) as error:
        parse_notice(text, **kwargs)
    # The command prints it after "错误：", as the guide's table lists it (generator/messages.py).
    assert messages.find(f"错误\uff1a{error.value}") is not None, str(error.value)
    return str(error.value)


def test_a_period_that_contradicts_the_text_needs_force() -> None:
    text = (FIXTURES / "v04-pipe-table.txt").read_text(encoding="utf-8")
    assert _failure(text, period="2021-05") == "--period 2021-05 与原文写的 2021-04 不符；确认无误时加 --force"
    no_year = (FIXTURES / "v08-no-year.txt").read_text(encoding="utf-8")
    assert _failure(no_year) == "文本中找不到通报所属的年月，请用 --period 指定，如 --period 2023-08"
    assert _failure(no_year, period="2021-09") == "--period 2021-09 与原文写的 8 月份不符；确认无误时加 --force"


@pytest.mark.parametrize(
    ("name", "options", "recorded"),
    [
        ("v04-pipe-table.txt", {}, None),  # from the title: the default, left unwritten
        ("v04-pipe-table.txt", {"period": "2021-04"}, "option"),
        ("v04-pipe-table.txt", {"period": "2021-04", "force": True}, "option"),  # forced, yet it agrees
        ("v04-pipe-table.txt", {"period": "2021-05", "force": True}, "forced"),
        ("v08-no-year.txt", {"period": "2021-08"}, "option"),
        ("v08-no-year.txt", {"period": "2021-09", "force": True}, "forced"),
    ],
)
def test_the_draft_records_where_its_period_came_from(name: str, options: dict[str, Any], recorded: str | None) -> None:
    meta = parse_notice((FIXTURES / name).read_text(encoding="utf-8"), **options).data["meta"]
    assert meta.get("period_source") == recorded
    assert list(meta)[:3] == ["title", "period", "source"]


def _project_with_source(tmp_path: Path, *, period: str, period_source: str | None, printed: str) -> Path:
    """A copy of the real project whose notice is filed under ``period`` and whose archived
    source text prints ``printed`` (made-up title lines; the notice body is the real one)."""
    for folder in ("data/notices", "data/sources"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("publisher.yaml", "units.yaml"):
        shutil.copy(REPO / "data" / name, tmp_path / "data" / name)
    text = (REPO / "data/notices/2023-08.yaml").read_text(encoding="utf-8")
    text = text.replace("period: 2023-08", f"period: {period}")
    if period_source is not None:
        text = text.replace(f"period: {period}\n", f"period: {period}\n  period_source: {period_source}\n", 1)
    (tmp_path / f"data/notices/{period}.yaml").write_text(text, encoding="utf-8")
    year, month = printed.split("-")
    source = f"【虚构样本】测试用存档文本\n{year}年{int(month)}月12345热线工作情况通报\n"
    (tmp_path / f"data/sources/{period}.txt").write_text(source, encoding="utf-8")
    return tmp_path


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "validate"])
    return code, capsys.readouterr().err


def test_validate_refuses_a_period_that_contradicts_the_archived_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project_with_source(tmp_path, period="2023-10", period_source=None, printed="2023-08")
    code, err = _validate(root, capsys)
    assert code == 1
    line = next(n for n, text in enumerate((root / "data/notices/2023-10.yaml").read_text().split("\n"), 1) if "period:" in text)
    assert (
        f"data/notices/2023-10.yaml:{line}:11 meta.period: 与原文存档 data/sources/2023-10.txt 写的 2023-08 不符"
        "\uff1b请核对月份\uff0c确认原文写错时在 meta.period_source 写 forced 并说明"
    ) in err


def test_validate_accepts_a_forced_period_and_refuses_a_needless_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forced = _project_with_source(tmp_path / "a", period="2023-10", period_source="forced", printed="2023-08")
    assert _validate(forced, capsys) == (0, "")
    needless = _project_with_source(tmp_path / "b", period="2023-10", period_source="forced", printed="2023-10")
    code, err = _validate(needless, capsys)
    assert code == 1
    assert (
        "meta.period_source: meta.period_source 为 forced\uff0c但原文存档 data/sources/2023-10.txt 写的正是 2023-10"
        "\uff1b请改为 title"
    ) in err


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
            "(二)受理情况",
            "共受理诉求 5 件," + "同比增长 1.5%,有效诉求 1 件," * 10_000 + "回访 1 件,满意率 1%," * 10_000,
            "受理渠道:" + "电话 1 件、" * 30_000,
            "办件量位于前三的单位:" + "住建局 1 件;" * 30_000,
            "渠道 | 件数 | 占比 |",
            "\n".join(["电话 | 1 | 1% |"] * 2_000),
        ]
    )
    script = "import sys; from generator.importer import parse_notice; parse_notice(sys.stdin.read())"
    result = subprocess.run([sys.executable, "-c", script], input=hostile, text=True, capture_output=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_ranking_tables_with_other_columns_feed_the_unit_pages(
    built: tuple[Path, dict[str, tuple[str, set[Decimal]]]],
) -> None:
    """v07 (made up): 县区 | 件数 | 办结率 | 满意率 | 综合得分 | 排名, and a 公共服务企业 group."""
    site, _ = built
    notice = BeautifulSoup((site / "notices/2021/07/index.html").read_text(encoding="utf-8"), "html.parser")
    tables = {table.caption.get_text(): table for table in notice.find_all("table") if table.caption}

    def cells(row: Any) -> list[str]:
        return [cell.get_text() for cell in row.find_all(["th", "td"])]

    assert cells(tables["公共服务企业考核情况"].select_one("thead tr")) == [
        "单位",
        "件数",
        "办结率",
        "满意率",
        "综合得分",
        "排名",
    ]
    first = tables["县区考核情况"].select_one("tbody tr")
    assert cells(first) == ["甲县", "500", "99.2%", "97.0%", "95.5", "1"]
    assert str(first.select_one("a")["href"]).endswith("/units/%E7%94%B2%E5%8E%BF/")  # type: ignore[union-attr,index]
    unit = BeautifulSoup((site / "units/甲县/index.html").read_text(encoding="utf-8"), "html.parser").find("article")
    assert unit is not None
    # v13 (made up, 2022-07) ranks 甲县 again with 件数 and 满意率 only: no 办结率 that month.
    rows = [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in unit.find_all("tr")]
    assert rows == [
        ["月份", "件数", "办结率", "满意率", "得分", "排名", "名次变化", "备注"],
        ["2022年7月", "510", "—", "96.2%", "94.8", "2/2", "—", "本组末位"],
        ["2021年7月", "500", "99.2%", "97.0%", "95.5", "1/2", "—", ""],
    ]
    assert "件数、办结率、满意率各列照当月通报的考核表填写\uff0c当月的表没有该列时记为“—”。" in unit.get_text()
    # Each month links to where its notice's page shows the rankings: the body or 附件1.
    links = [str(a["href"]) for a in unit.select("tbody a")]
    assert links == ["/notices/2022/07/#attachment-1", "/notices/2021/07/#rankings"]
    for link in links:
        path, anchor = link.strip("/").split("/#")
        target = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert target.find(id=anchor) is not None, link
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring((site / "units-甲县.atom").read_bytes())
    entries = [link.get("href") for link in feed.iter(f"{atom}link") if link.get("rel") is None]
    assert entries == [link.lstrip("/") for link in links]
    assert [entry.text for entry in feed.iter(f"{atom}summary")] == [
        "件数 510\uff0c满意率 96.2%\uff0c得分 94.8\uff0c在县（市）中排名 2/2\uff0c本组末位。",
        "件数 500\uff0c办结率 99.2%\uff0c满意率 97.0%\uff0c得分 95.5\uff0c在县（市）中排名 1/2。",
    ]


def _headings(page: Any) -> list[tuple[str | None, str]]:
    return [(h.get("id"), h.get_text().strip().rstrip("\u00b6")) for h in page.find("article").find_all(["h2", "h3"])]


def test_rankings_printed_in_the_body_are_not_listed_as_attachments(
    built: tuple[Path, dict[str, tuple[str, set[Decimal]]]], tmp_path: Path
) -> None:
    """v07 (made up) prints its rankings under the body heading 二、考核排名; v13 as 附件1."""
    assert imported("v07-rankings-topn.txt", tmp_path).data["rankings"]["in_body"] is True
    assert "in_body" not in imported("v13-ranking-attachment.txt", tmp_path).data["rankings"]
    site, _ = built
    body = BeautifulSoup((site / "notices/2021/07/index.html").read_text(encoding="utf-8"), "html.parser")
    headings = _headings(body)
    assert ("rankings", "考核排名") in headings
    assert not [h for h in headings if h[0] is not None and h[0].startswith("attachment")]
    assert "附件" not in body.find("article").get_text()  # type: ignore[union-attr]
    groups = [caption.get_text() for caption in body.find(id="rankings").find_all_next("caption")]  # type: ignore[union-attr]
    assert groups == ["县区考核情况", "市直单位考核情况", "公共服务企业考核情况"]
    attached = BeautifulSoup((site / "notices/2022/07/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [h for h in _headings(attached) if h[0] in ("rankings", "attachments", "attachment-1")] == [
        ("attachments", "附件"),
        ("attachment-1", "附件1 各单位考核结果"),
    ]
    listed = attached.find(id="attachments").find_next("ol")  # type: ignore[union-attr]
    assert [li.get_text() for li in listed.find_all("li")] == ["各单位考核结果"]  # type: ignore[union-attr]


def _key_figures(site: Path, period: str) -> list[list[str]]:
    page = BeautifulSoup((site / f"notices/{period[:4]}/{period[5:]}/index.html").read_text(encoding="utf-8"), "html.parser")
    figures = page.find("dl", class_="key-figures")
    assert figures is not None
    return [[part.get_text() for part in item.find_all(["dt", "dd"])] for item in figures.find_all("div")]


def test_headline_changes_say_which_earlier_notice_did_not_publish_the_figure(
    built: tuple[Path, dict[str, tuple[str, set[Decimal]]]],
) -> None:
    """The made-up months: 2021-01, 2021-07 and 2021-11 print no 满意率, 2021-02, 2021-03, 2021-12 and
    2022-07 do; 2022-07 has 同比 against 2021-07 and no 2022-06 to compare with (nothing is said then)."""
    site, _ = built
    assert _key_figures(site, "2021-02") == [
        # The notice prints its own change (较上月增加 432 件): shown, and the archive's other figure named.
        [
            "受理各类来电来信",
            "8765 件",
            "较上月增加 432 件（照原通报）；按2021年1月通报的数字计算为 \u221214691件（\u221262.6%），与原通报所印不同",
        ],
        ["满意率", "97.5%", "环比 —（2021年1月通报未公布此项）"],
    ]
    assert _key_figures(site, "2021-03")[1] == ["满意率", "95.5%", "环比 \u22122.0 个百分点"]
    assert _key_figures(site, "2021-12")[1] == ["满意率", "96.4%", "环比 —（2021年11月通报未公布此项）"]
    assert _key_figures(site, "2022-07") == [
        ["受理各类来电来信", "10500 件", "同比 +501件（+5.0%）"],
        ["满意率", "97.3%", "同比 —（2021年7月通报未公布此项）"],
    ]
    # The first month: nothing before it to compare with, only the changes its notice prints.
    assert _key_figures(site, "2021-01") == [
        ["受理各类来电来信", "23456 件", "环比下降 3.1%（照原通报）同比增长 5.2%（照原通报）"]
    ]


def test_the_trend_says_which_months_did_not_publish_a_satisfaction_rate(
    built: tuple[Path, dict[str, tuple[str, set[Decimal]]]],
) -> None:
    """Of the made-up months only 2021-02, 03, 12 and 2022-07 print a 满意率 (in their own rates); the others say so."""
    site, _ = built
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    table = next(t for t in home.find_all("table") if t.caption and t.caption.get_text() == "每月受理量与满意率")
    rows = {row.th.get_text(): row.find_all("td")[1].get_text() for row in table.select("tbody tr") if row.th}
    assert rows["2021年1月"] == "该月未公布"
    assert rows["2021年2月"] == "97.5%"
    assert rows["2021年12月"] == "96.4%"
    assert rows["2022年7月"] == "97.3%"
    assert rows["2023年8月"] == "99%"
    assert sorted(period for period, value in rows.items() if value == "该月未公布") == sorted(
        f"2021年{month}月" for month in (1, 4, 5, 6, 7, 8, 9, 10, 11)
    )


def test_natures_without_categories_get_their_own_heading(built: tuple[Path, dict[str, tuple[str, set[Decimal]]]]) -> None:
    """v02 (made up) lists requests by nature only, without shares."""
    site, _ = built
    page = BeautifulSoup((site / "notices/2021/02/index.html").read_text(encoding="utf-8"), "html.parser")
    article = page.find("article")
    assert article is not None
    headings = [h.get_text().strip().rstrip("\u00b6") for h in article.find_all("h3")]  # less the permalink sign
    assert "诉求性质" in headings and "(二)诉求类型分布情况" not in headings
    table = next(t for t in article.find_all("table") if t.caption and t.caption.get_text() == "按性质分的诉求")
    assert [th.get_text() for th in table.select("thead th")] == ["性质", "件数"]
    assert [td.get_text() for td in table.select("tbody td")] == ["3000", "1500", "2000", "765", "500", "1000"]


# --- what each generic recogniser puts into the new fields -----------------------------------


def test_rates_are_mapped_with_their_own_counts_or_alone(tmp_path: Path) -> None:
    """v02: counts printed with their rate; v03: rates alone, in two parts of the notice."""
    v02 = imported("v02-work-orders.gb18030.utf8", tmp_path).data
    assert v02["rates"] == [
        {"name": "按时办结率", "kind": "on_time_completion", "rate": Decimal("99.3"), "count_label": "按时办结", "count": 8700},
        {"name": "满意率", "kind": "satisfaction", "rate": Decimal("97.5"), "count_label": "回访", "count": 6000},
        {"name": "不满意率", "kind": "dissatisfaction", "rate": Decimal("2.5")},
    ]
    assert v02["intake"] == {"total": 8765, "changes": [{"basis": "previous_month", "direction": "up", "count": 432}]}
    v03 = imported("v03-rates-channels.utf16.utf8", tmp_path).data
    assert [(rate["name"], rate["kind"], str(rate["rate"])) for rate in v03["rates"]] == [
        ("接通率", "connection", "96.8"),
        ("直接办结率", "direct_completion", "45.0"),
        ("直接解答率", "direct_answer", "40.2"),
        ("办结率", "completion", "98.6"),
        ("按期办结率", "on_time_completion", "97.1"),
        ("回访率", "callback", "60"),
        ("满意率", "satisfaction", "95.5"),
    ]
    assert [(c["name"], c["count"]) for c in v03["channels"]] == [
        ("电话", 3000),
        ("微信", 600),
        ("网站", 300),
        ("App", 121),
        ("上级派发", 200),
        ("省长热线", 60),
        ("政民互动", 40),
    ]


def test_changes_splits_natures_and_top_lists(tmp_path: Path) -> None:
    v01 = imported("v01-intake-sentence.txt", tmp_path).data
    assert v01["intake"] == {
        "total": 23456,
        "changes": [
            {"basis": "year_on_year", "direction": "up", "percent": Decimal("5.2")},
            {"basis": "month_on_month", "direction": "down", "percent": Decimal("3.1")},
        ],
        "valid": 21000,
        "invalid": 2456,
    }
    assert [(n["name"], n["count"], str(n["share"])) for n in v01["natures"]] == [
        ("咨询类", 12000, "51.2"),
        ("求助类", 4000, "17.1"),
        ("投诉类", 5000, "21.3"),
        ("建议类", 1456, "6.2"),
        ("其他", 1000, "4.3"),
    ]
    v07 = imported("v07-rankings-topn.txt", tmp_path).data
    assert v07["top_lists"] == [
        {
            "caption": "办件量位于前三的单位",
            "items": [{"name": "市住建局", "count": 99}, {"name": "市城管局", "count": 88}, {"name": "市交通局", "count": 77}],
        }
    ]
    v06 = imported("v06-cell-per-paragraph.txt", tmp_path).data
    assert [(c["name"], c["count"], str(c["share"])) for c in v06["channels"]] == [
        ("电话", 1500, "68.2"),
        ("微信", 400, "18.2"),
        ("网站", 300, "13.6"),
    ]


def test_the_years_pages_of_a_unit_show_its_groups_other_columns(tmp_path: Path) -> None:
    """The v07 draft (made up) filed for fourteen months, 2020-06 without its 办结率 column: the
    months beyond the unit page's latest twelve go to its years page, with the same columns."""
    root = tmp_path / "project"
    (root / "data/notices").mkdir(parents=True)
    shutil.copy(REPO / "data/publisher.yaml", root / "data/publisher.yaml")
    draft = imported("v07-rankings-topn.txt", tmp_path).data
    draft["meta"]["source"] = "https://example.org/made-up"
    units = "".join(
        f"- {{name: {row['unit']}, group: {group['group']}}}\n" for group in draft["rankings"]["groups"] for row in group["rows"]
    )
    (root / "data/units.yaml").write_text("units:\n" + units, encoding="utf-8")
    periods = [f"{2020 + (5 + i) // 12}-{(5 + i) % 12 + 1:02d}" for i in range(14)]
    assert periods[0] == "2020-06" and periods[-1] == "2021-07"
    for period in periods:
        data = yaml.safe_load(to_yaml(draft, comment=""))
        data["meta"]["period"] = period
        data["meta"]["title"] = data["meta"]["title"].replace("2021年7月", f"{period[:4]}年{int(period[5:])}月")
        if period == "2020-06":
            for group in data["rankings"]["groups"]:
                del group["columns"][1]
                for row in group["rows"]:
                    del row["values"][1]
        (root / f"data/notices/{period}.yaml").write_text(to_yaml(data, comment=f"虚构样本 {period}"), encoding="utf-8")
    pages = {page.path: page.markdown for page in render_site(read_archive(root)).pages}

    def tables(path: str) -> list[list[list[str]]]:
        found = BeautifulSoup(pages[path], "html.parser").find_all("table")
        return [[[cell.get_text() for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")] for table in found]

    header = ["月份", "件数", "办结率", "满意率", "得分", "排名", "名次变化", "备注"]
    recent = tables(unit_path("甲县"))[0]
    assert recent[0] == header and len(recent) == 1 + 12
    assert recent[1] == ["2021年7月", "500", "99.2%", "97.0%", "95.5", "1/2", "持平", ""]
    years = history_path(unit_path("甲县"), "2020-2029")
    in_2021, in_2020 = tables(years)
    assert in_2021[0] == in_2020[0] == header
    assert [len(in_2021), len(in_2020)] == [1 + 7, 1 + 7]
    assert in_2020[-2:] == [
        ["2020年7月", "500", "99.2%", "97.0%", "95.5", "1/2", "持平", ""],
        ["2020年6月", "500", "—", "97.0%", "95.5", "1/2", "—", ""],
    ]
    assert "考核表中得分、排名以外的各列照当月通报填写\uff0c当月的表没有该列时记为“—”。" in pages[years]


def test_a_sentence_with_the_total_and_rates_is_mapped_once_not_kept_again(tmp_path: Path) -> None:
    """v02 and v03 (made up) print the total and rates in one sentence: every figure goes to a
    field and the sentence is not also kept verbatim (the page showed it twice); a sentence that
    says more than its figures is still kept."""
    for name in ("v02-work-orders.gb18030.utf8", "v03-rates-channels.utf16.utf8"):
        draft = imported(name, tmp_path)
        assert [extra["heading"] for extra in draft.data["extra_sections"]] == ["其他内容"], name
        assert draft.report.not_kept == []
    more = "2021年5月测试市12345热线工作情况通报\n一、受理情况\n5月份,共受理群众诉求 100 件,接通率 99.0%,群众反映集中在供暖问题。"
    draft = parse_notice(more)
    assert draft.data["rates"] == [{"name": "接通率", "kind": "connection", "rate": Decimal("99.0")}]
    assert draft.data["extra_sections"] == [
        {
            "after": "intake",
            "heading": "一、受理情况",
            "plain": "5月份\uff0c共受理群众诉求 100 件\uff0c接通率 99.0%\uff0c群众反映集中在供暖问题。",
        }
    ]


def test_a_kept_attachment_list_stays_before_the_attachments_it_lists(tmp_path: Path) -> None:
    """v11 (made up): its list 附件：1.… is kept (its table is no ranking), in source order."""
    extras = imported("v11-unknown-parts.txt", tmp_path).data["extra_sections"]
    assert [(extra["after"], extra["heading"]) for extra in extras] == [
        ("intake", "其他内容"),
        ("intake", "二、典型经验"),
        ("intake", "三、下月工作安排"),
        ("rankings", "附件"),
        ("rankings", "附件1"),
    ]


def test_rankings_in_several_parts_of_the_body_are_one_ranking() -> None:
    """Made-up text: each group under its own body heading, with no title line above its table."""
    text = "\n".join(
        [
            "江北市12345热线2021年7月工作情况通报",
            "一、受理情况",
            "7月份,共受理群众各类诉求 9,999 件。",
            "二、县区考核排名",
            "县区 | 件数 | 综合得分 | 排名 |",
            "甲县 | 500 | 95.5 | 1 |",
            "三、市直单位考核排名",
            "单位 | 件数 | 综合得分 | 排名 |",
            "市住建局 | 99 | 97.1 | 1 |",
        ]
    )
    draft = parse_notice(text)
    assert draft.report.mapped == [
        "受理总量：9999 件",
        "考核结果表：1 个分组（在正文中，不列入附件）",
        "考核结果表（续）：1 个分组",
    ]
    assert draft.report.kept == [] and draft.report.not_kept == []
    rankings = draft.data["rankings"]
    assert (rankings["title"], rankings["in_body"]) == ("考核结果", True)
    assert [(g["title"], g["group"], g["unit_label"], g["rows"][0]["unit"]) for g in rankings["groups"]] == [
        ("县区考核排名", "county", "县区", "甲县"),
        ("市直单位考核排名", "department", "单位", "市住建局"),
    ]


def test_the_comparison_with_the_previous_month_says_what_one_of_them_did_not_publish(
    built: tuple[Path, dict[str, tuple[str, set[Decimal]]]],
) -> None:
    """The made-up months publish different parts: only what both publish is compared; a month
    with no rankings before it names no unit "newly last", and 2021-04 (neither month publishes
    rankings or categories) claims nothing is unchanged."""
    site, _ = built

    def box(period: str) -> str | None:
        page = BeautifulSoup((site / f"notices/{period[:4]}/{period[5:]}/index.html").read_text(encoding="utf-8"), "html.parser")
        found = page.select_one("article .admonition")
        return found.get_text(" ", strip=True) if found is not None else None

    assert box("2021-02") == "与上月（2021年1月）相比 诉求类型件数 ：本月通报未公布（上月通报公布了）。"
    assert box("2021-04") is None
    assert box("2021-07") == "与上月（2021年6月）相比 排名 ：上月通报未公布，无从比较。"
    assert box("2021-08") == (
        "与上月（2021年7月）相比 诉求类型件数 ：上月通报未公布，无从比较。 排名 ：本月通报未公布（上月通报公布了）。"
    )
    assert box("2022-07") is None  # no 2022-06 in the archive


def test_page_anchors_of_imported_notices_are_those_their_pages_write(
    project: tuple[Path, dict[str, tuple[str, set[Decimal]]]],
) -> None:
    """Links in extra text are checked against :meth:`Notice.page_anchors`: rankings in the body
    (v07) have their own anchor, and the attachments are numbered without them."""
    archive = read_archive(project[0])
    pages = {page.path: page.markdown for page in render_site(archive).pages}
    for record in archive.notices:
        written = re.findall(r"\{#([A-Za-z0-9_-]+)\}", pages[f"notices/{record.period.replace('-', '/')}.md"])
        assert record.notice.page_anchors() == written, record.period
    by_period = archive.by_period()
    assert "rankings" in by_period["2021-07"].notice.page_anchors()
    assert "attachment-1" not in by_period["2021-07"].notice.page_anchors()
    assert "attachment-1" in by_period["2022-07"].notice.page_anchors()


@pytest.mark.parametrize("form", ["row per line", "cell per line"])
def test_a_ranking_table_with_a_total_row_is_a_ranking_and_keeps_the_total(form: str) -> None:
    """Made-up text: a 合计 row has no score or rank; the units are ranked, the row kept verbatim."""
    table = ["县区 | 件数 | 综合得分 | 排名 |", "甲县 | 500 | 95.5 | 1 |", "乙区 | 420 | 93.2 | 2 |", "合计 | 920 | / | / |"]
    if form == "cell per line":
        table = [f"{cell.strip()} |" for line in table for cell in line.strip(" |").split("|")]
    text = "\n".join(["江北市12345热线2021年7月工作情况通报", "二、考核排名", "县区考核情况", *table])
    draft = parse_notice(text)
    total = 3 + len(table) - (0 if form == "row per line" else 3)  # the first line of the 合计 row
    where = f"第 {total} 行" if form == "row per line" else f"第 {total}–{total + 3} 行"
    assert draft.report.kept == [f"{where}：“二、考核排名”下的文字"]
    assert draft.report.not_kept == []
    group = draft.data["rankings"]["groups"][0]
    assert (group["title"], group["columns"]) == ("县区考核情况", ["件数"])
    assert [(row["unit"], row["values"], row["score"], row["rank"]) for row in group["rows"]] == [
        ("甲县", ["500"], Decimal("95.5"), 1),
        ("乙区", ["420"], Decimal("93.2"), 2),
    ]
    assert [extra["after"] for extra in draft.data["extra_sections"]] == ["rankings"]
    assert re.sub(r"[\s\\|]+", " ", draft.data["extra_sections"][0]["plain"]).strip() == "合计 920 / /"
