"""The bulletin's pictures and files: the HTML page (sections, Gantt SVG, progress bars, ranking),
the mail-safe HTML body and the workbook, read back with html.parser and openpyxl.

The file is test_bulletin's FIXTURE (its figures are computed by hand there); GANTT adds to beta a
node 主体 30 days after 开工, so that in December beta's 开工 (due 12-10) is overdue and its 主体
(due 2027-01-09) at risk, its forecast slipping after 开工's.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sanshi_cli.bulletin import SECTIONS, build_bulletin
from sanshi_cli.loading import load_portfolio
from sanshi_cli.rendering_bulletin import ROW, TOP, render_html, render_mail_html
from tests.conftest import REPO
from tests.test_bulletin import FIXTURE, NOVEMBER

GANTT = FIXTURE.replace(
    """  id = "start"
  name = "开工"
  stage = "施工"
  due = 2026-12-10
""",
    """  id = "start"
  name = "开工"
  stage = "施工"
  due = 2026-12-10

  [[projects.milestones]]
  id = "body"
  name = "主体"
  stage = "施工"
  after = "start"
  offset = "30d"
""",
)
HOSTILE_UNIT = "<script>alert(1)</script>"
HOSTILE_PROJECT = '甲"><img src=x onerror=alert(1)>&amp; | * _'


class Page(HTMLParser):
    """Every element (tag, attributes, the text directly inside it) and each table row's cell count."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.rows: list[list[int]] = []  # per open <tr>: its cells so far
        self.cells: list[int] = []  # cells of every finished row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "tr":
            self.rows.append([0])
        elif tag in ("td", "th") and self.rows:
            self.rows[-1][0] += 1
        if tag not in ("meta", "br", "line", "rect", "path", "circle", "img", "input"):
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self.rows:
            self.cells.append(self.rows.pop()[0])
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.elements if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def having(self, attribute: str) -> list[tuple[str, dict[str, str]]]:
        return [(t, a) for t, a in self.elements if attribute in a]

    @property
    def plain(self) -> str:
        return "".join(self.text)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture
def fixture(write_toml: Callable[..., Path]) -> Path:
    return write_toml(FIXTURE)


def html_of(sanshi, path: Path, tmp_path: Path, *args: str) -> str:
    target = tmp_path / "bulletin.html"
    result = sanshi("bulletin", *args, "-o", str(target), "-f", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return target.read_text("utf-8")


# -- the page ---------------------------------------------------------------------------------------


def test_the_page_has_every_section_and_the_figures(sanshi, fixture: Path, tmp_path: Path) -> None:
    text = html_of(sanshi, fixture, tmp_path, "--month", "2026-11")
    page = parse(text)
    assert [a["data-section"] for _, a in page.having("data-section")] == list(SECTIONS[1:])
    assert text.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    headings = [h for h in page.plain.split("\n") if h.startswith(tuple("一二三四五六七八"))]
    assert headings[:8] == [
        "一、总体情况", "二、较上期（2026-10）变化", "三、红黄灯清单", "四、节点完成情况", "五、序时进度",
        "六、问题清单", "七、单位排名（比学赶超）", "八、下步工作（2026-12）",
    ]  # fmt: skip
    plain = page.plain
    assert "40.0% / 91.7%" in plain and "-51.7" in plain  # rate / 序时 (test_overview_figures_by_hand)
    assert "2.00" in plain and "0.80" in plain  # 亿元
    # the ranking table (test_the_ranking_section_by_hand): both units on the black list, none red
    rows = {a["data-unit"]: a for a in page.all("tr") if "data-unit" in a}
    assert list(rows) == ["jsj", "czj"] and all(a.get("class") == "black-list" for a in rows.values())
    assert "建设局50.0% (2/4)72.7%0.0% (0/2)——46.5黑榜" in plain.replace("\n", "")
    assert "红榜：无" in plain and "黑榜：财政局 44.4、建设局 46.5" in plain
    assert "权重按单位重新归一" in plain  # the footnote


def test_the_page_is_self_contained_and_printable(sanshi, fixture: Path, tmp_path: Path) -> None:
    text = html_of(sanshi, fixture, tmp_path, "--month", "2026-11")
    page = parse(text)
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert not any("src" in a for _, a in page.elements)
    assert not any(a.get("href", "").startswith(("http", "//")) for _, a in page.elements)
    assert "url(" not in text and "@import" not in text and "@font-face" not in text
    assert "@page { size: A4 landscape;" in text
    assert "break-inside: avoid" in text and "break-after: avoid" in text  # rows whole, headings with tables


def test_english_page(sanshi, fixture: Path, tmp_path: Path) -> None:
    text = html_of(sanshi, fixture, tmp_path, "--month", "2026-11", "--lang", "en")
    assert '<html lang="en">' in text and "7. Unit ranking (比学赶超)" in text and "8. Next steps (2026-12)" in text


# -- the Gantt chart ---------------------------------------------------------------------------------


def test_gantt_one_bar_per_project_one_marker_per_milestone(sanshi, write_toml, tmp_path: Path) -> None:
    text = html_of(sanshi, write_toml(GANTT), tmp_path, "--month", "2026-12")
    page = parse(text)
    svg = page.all("svg")
    assert len(svg) == 1 and svg[0]["class"] == "gantt"
    assert [a["data-project"] for a in page.all("g") if "data-project" in a] == ["alpha", "beta", "gamma", "delta"]
    assert len(page.all("rect", **{"class": "bar"})) == 4
    markers = [(a["data-milestone"], a["data-state"]) for _, a in page.having("data-state")]
    assert markers == [
        ("design", "done"), ("start", "done-late"),  # 11-12 for 11-10
        ("body", "done-late"),  # done 12-03, due 11-30
        ("finish", "upcoming"),  # due 12-31: the as-of day itself
        ("land", "done-late"), ("clear", "done"),
        ("start", "overdue"),  # due 12-10, open on 12-31
        ("body", "at-risk"),  # due 2027-01-09 (12-10 + 30 d); 开工 still open pushes it later
        ("all", "done"), ("prep", "upcoming"),
    ]  # fmt: skip
    slips = [a["data-slip"] for _, a in page.having("data-slip")]
    # forecast after the due date: 开工 (overdue: not before the as-of day) and the 主体 it pushes
    assert slips == ["start", "body"]
    as_of = page.all("line", **{"class": "as-of"})
    assert len(as_of) == 1
    assert 230 < float(as_of[0]["x1"]) < 1110  # within the plot, right of the names


def test_gantt_november_states(sanshi, fixture: Path, tmp_path: Path) -> None:
    page = parse(html_of(sanshi, fixture, tmp_path, "--month", "2026-11"))
    states = [a["data-state"] for _, a in page.having("data-state")]
    # alpha: done, done-late, 主体 (done 12-03: open on 11-30, due that day), 竣工; beta: 土地, 征迁, 开工
    assert states == ["done", "done-late", "upcoming", "upcoming", "done-late", "done", "upcoming", "done", "upcoming"]
    assert not page.having("data-slip")


def _many(n: int) -> str:
    head = FIXTURE.split("[[projects]]")[0]
    body = "".join(
        f'\n[[projects]]\nid = "p{i}"\nname = "项目{i}"\nleader = "lead"\nlead_unit = "jsj"\nresponsible_unit = "jsj"\n'
        f'start = 2026-01-01\nfinish = 2026-12-31\n\n  [[projects.milestones]]\n  id = "m"\n  name = "开工"\n'
        f"  due = 2026-06-30\n"
        for i in range(n)
    )
    return head + body


@pytest.mark.parametrize("n", [30, 300])
def test_the_chart_grows_with_the_portfolio(write_toml, n: int) -> None:
    loaded = load_portfolio(write_toml(_many(n)))
    out = io.StringIO()
    render_html(build_bulletin(loaded, NOVEMBER), "zh", out, title="T", unit_names={})
    page = parse(out.getvalue())
    (svg,) = page.all("svg")
    assert int(svg["height"]) == TOP + n * ROW + 10
    assert svg["viewbox"] == f"0 0 {svg['width']} {svg['height']}"  # html.parser lowers attribute names
    assert len([a for a in page.all("g") if "data-project" in a]) == n
    assert len(page.having("data-milestone")) == n


# -- the progress bars ---------------------------------------------------------------------------------


def test_progress_bars_planned_reported_rate_and_time(sanshi, fixture: Path, tmp_path: Path) -> None:
    page = parse(html_of(sanshi, fixture, tmp_path, "--month", "2026-11"))
    bars: dict[str, list[str]] = {}
    current = None
    for tag, attrs in page.elements:
        if tag == "tr" and "data-project" in attrs:
            current = attrs["data-project"]
            bars[current] = []
        elif tag == "span" and current and attrs.get("style", "").startswith("width:"):
            bars[current].append(attrs["style"])
    # alpha: planned 60, reported 50; rate 8000 ÷ 12000 = 66.7 %, 序时 11/12 = 91.7 %
    assert bars["alpha"] == ["width:60.0%", "width:50.0%", "width:66.7%", "width:91.7%"]
    assert bars["beta"][1] == "width:0.0%" and bars["beta"][2] == "width:0.0%"  # no report: empty bars
    assert set(bars) == {"alpha", "beta", "gamma"}  # delta starts in 2027


# -- escaping ----------------------------------------------------------------------------------------


def _hostile(write_toml) -> Path:
    text = FIXTURE.replace('name = "建设局"', f"name = {json.dumps(HOSTILE_UNIT)}")
    text = text.replace('name = "甲项目"', f"name = {json.dumps(HOSTILE_PROJECT, ensure_ascii=False)}")
    return write_toml(text)


def test_hostile_names_are_text_in_html(sanshi, write_toml, tmp_path: Path) -> None:
    text = html_of(sanshi, _hostile(write_toml), tmp_path, "--month", "2026-11")
    page = parse(text)
    assert not page.all("script") and not page.all("img")
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&amp;amp;" in text  # the name's own "&amp;" is text, escaped once more
    assert HOSTILE_UNIT in page.plain and HOSTILE_PROJECT in page.plain  # read back as the very text
    gantt_titles = [a for t, a in page.elements if t == "title"]
    assert gantt_titles  # the project's name is in its row's <title>, as text
    assert "甲&#34;&gt;&lt;img" in text or "甲&quot;&gt;&lt;img" in text


def test_hostile_names_in_the_ranking_markdown(sanshi, write_toml) -> None:
    path = write_toml(FIXTURE.replace('name = "建设局"', 'name = "建设|局 *_x_*"'))
    result = sanshi("bulletin", "--month", "2026-11", "-f", str(path))
    assert result.exit_code == 0
    assert "| 1 | 建设\\|局 \\*\\_x\\_\\* | 50.0% (2/4) |" in result.stdout
    assert "**黑榜**：财政局 44.4、建设\\|局 \\*\\_x\\_\\* 46.5" in result.stdout


# -- the mail body ----------------------------------------------------------------------------------


def test_the_mail_body_is_mail_safe(write_toml) -> None:
    loaded = load_portfolio(_hostile(write_toml))
    b = build_bulletin(loaded, NOVEMBER)
    text = render_mail_html(b, "zh", title="测试区", unit_names={k: u.name for k, u in loaded.units.items()})
    page = parse(text)
    assert not page.all("svg") and not page.all("script") and not page.all("style") and not page.all("img")
    assert "class=" not in text  # inline styles only
    assert page.cells and max(page.cells) <= 4  # at most four columns in any table
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and HOSTILE_UNIT in page.plain
    plain = page.plain
    for heading in ("一、总体情况", "七、单位排名（比学赶超）", "八、下步工作（2026-12）"):
        assert heading in plain
    assert "40.0% / 91.7%（-51.7）" in plain
    # alpha's bars as styled cells: planned 60 %, reported 50 %, rate 66.7 % (behind 序时: red), 序时 92 %
    widths = [(a["width"], a["style"].split(";")[0]) for a in page.all("td") if a.get("width", "").endswith("%")]
    assert widths[:4] == [("60%", "background:#90a4ae"), ("50%", "background:#1565c0"),
                          ("67%", "background:#c62828"), ("92%", "background:#90a4ae")]  # fmt: skip


# -- the workbook --------------------------------------------------------------------------------------


def test_the_workbook(sanshi, fixture: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "b.xlsx"
    result = sanshi("bulletin", "--month", "2026-11", "-o", str(target), "-f", str(fixture))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(target)
    assert book.sheetnames == [
        "一、总体情况", "二、较上期（2026-10）变化", "三、红黄灯清单", "四、节点完成情况", "五、序时进度",
        "六、问题清单", "七、单位排名（比学赶超）", "八、下步工作（2026-12）",
    ]  # fmt: skip
    overview = book["一、总体情况"]
    figures = {
        overview.cell(row=r, column=1).value: overview.cell(row=r, column=2) for r in range(3, overview.max_row + 1)
    }
    assert figures["项目总数"].value == 4 and figures["项目总数"].number_format == "0"
    assert figures["2026 年计划投资"].value == 20000 and figures["已完成"].value == 8000
    assert figures["完成率"].value == 40.0 and figures["序时进度"].value == 91.7
    assert (
        figures["超/欠序时"].value == -51.7 if "超/欠序时" in figures else figures["超/欠序时（百分点）"].value == -51.7
    )
    assert overview.freeze_panes == "A3"
    flags = book["三、红黄灯清单"]
    assert flags.freeze_panes == "A2"
    assert [flags.cell(row=r, column=1).value for r in range(2, 6)] == ["红灯", "黄灯", "黄灯", "黄灯"]
    assert flags.cell(row=2, column=1).fill.fgColor.rgb == "00FFC7CE"  # red
    assert flags.cell(row=3, column=1).fill.fgColor.rgb == "00FFEB9C"  # yellow
    assert isinstance(flags.cell(row=3, column=6).value, datetime)  # P-2026-003's deadline, a date
    assert flags.cell(row=3, column=6).value.date() == date(2026, 11, 25)
    nodes = book["四、节点完成情况"]
    assert nodes.cell(row=2, column=4).value.date() == date(2026, 11, 10)
    pace = book["五、序时进度"]
    alpha = [pace.cell(row=r, column=c).value for r in range(2, 5) for c in (1, 3, 4, 5, 6, 7)]
    assert alpha[:6] == ["甲项目", 60.0, 50.0, 66.7, 91.7, 8000]
    ranking = book["七、单位排名（比学赶超）"]
    assert [c.value for c in ranking[2]][:2] == [1, "建设局"]
    assert [c.value for c in ranking[2]][-2:] == [46.5, "黑榜"]
    assert ranking.cell(row=2, column=3).value == 50.0 and isinstance(ranking.cell(row=2, column=3).value, int | float)
    assert ranking.cell(row=2, column=1).fill.fgColor.rgb == "00BFBFBF"  # the black list
    assert "重新归一" in ranking.cell(row=5, column=1).value  # the footnote under the table


# -- usage -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "fmt", "message"),
    [
        ("zh", "html", "sanshi bulletin --format html 须用 -o 指定输出文件，例如 -o 月通报-2026-11.html"),
        ("en", "xlsx", "sanshi bulletin --format xlsx needs -o FILE, e.g. -o bulletin-2026-11.xlsx"),
    ],
)
def test_html_and_xlsx_need_a_file(sanshi, fixture: Path, lang: str, fmt: str, message: str) -> None:
    result = sanshi("bulletin", "--month", "2026-11", "--format", fmt, "--lang", lang, "-f", str(fixture))
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_the_sample_in_every_format(sanshi, tmp_path: Path) -> None:
    sample = str(REPO / "data" / "projects.toml")
    for name in ("b.md", "b.html", "b.xlsx", "b.json"):
        result = sanshi(
            "bulletin", "--month", "2026-11", "--as-of", "2026-12-01", "-o", str(tmp_path / name), "-f", sample
        )
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / name).stat().st_size > 1000
    ranking = json.loads((tmp_path / "b.json").read_text("utf-8"))["ranking"]
    assert ranking["red_list"] == ["zrzy"] and ranking["black_list"] == ["wenyuan", "jfj", "cgj"]
