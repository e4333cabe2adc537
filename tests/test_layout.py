"""Tables that fit the terminal: the layout module, and status and plan at every width."""

from __future__ import annotations

import io
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from sanshi_cli.layout import atom, columns_of, fit_widths, mode_for, para, plain, row_lines, width_of, words, wrap
from sanshi_cli.loading import Loaded, load_portfolio
from sanshi_cli.planning import Node, Window, default_window, plan_nodes, plan_periods
from sanshi_cli.rendering import render_status
from sanshi_cli.rendering_plan import render_plan
from sanshi_cli.status import NO_FILTERS, Filters, Item, find_items
from tests.conftest import REPO, SAMPLE

AS_OF = date(2026, 11, 27)

# -- wrapping a paragraph ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pieces", "width", "lines"),
    [
        # Chinese wraps between characters
        ([("河南工信职业学院基础设施完善提升项目", True)], 16, ["河南工信职业学院", "基础设施完善提升", "项目"]),
        ([("河南工信职业学院基础设施完善提升项目", True)], 36, ["河南工信职业学院基础设施完善提升项目"]),
        # a lone last character takes the one before it along
        ([("高新区投资集团有限公司", True)], 20, ["高新区投资集团有限", "公司"]),
        ([("焦作市四级养老服务综合体示范项目", True)], 30, ["焦作市四级养老服务综合体示范", "项目"]),
        # never a closing mark at the start of a line, never an opening one at the end
        ([("基础完工（桩基及承台）", True)], 18, ["基础完工（桩基及承", "台）"]),
        ([("完成设备单机调试，做好试运行准备", True)], 18, ["完成设备单机调试，", "做好试运行准备"]),
        ([("新华污水处理厂（28）", True)], 16, ["新华污水处理厂", "（28）"]),
        # English at spaces; mid-word only when one word is wider than the column
        ([("Milestones due this week", True)], 12, ["Milestones", "due this", "week"]),
        ([("Extraordinarily", True)], 8, ["Extraord", "inarily"]),
        # atomic pieces are never split; text pieces around them may move
        ([("done 2026-04-24,", True), ("4 days late", False)], 16, ["done 2026-04-24,", "4 days late"]),
        (
            [("设备安装完成", True), ("11-24", False), ("→ 预计 11-27", False)],
            18,
            ["设备安装完成 11-24", "→ 预计 11-27"],
        ),
        (
            [("高新区“三十工程”重点项目　", False), ("周节点清单　", False), ("截至 2026-11-27", False)],
            40,
            ["高新区“三十工程”重点项目　周节点清单", "截至 2026-11-27"],
        ),
        ([("逾期 28 天", False)], 4, ["逾期 28 天"]),  # wider than asked: still whole
        # a date or a week label inside text is one word
        ([("完成 2026-W48 的目标", True)], 10, ["完成", "2026-W48", "的目标"]),
        # unwrapped
        ([("市民中心", True), ("  示例领导甲", False)], None, ["市民中心  示例领导甲"]),
    ],
)
def test_wrap(pieces, width, lines):
    result = list(wrap(tuple(pieces), width))
    assert result == lines
    if width is not None and all(width_of(p[0]) <= width for p in pieces if not p[1]):
        assert all(width_of(line) <= width for line in result)


NAMES = [
    "河南工信职业学院基础设施完善提升项目",
    "高新区自然资源和规划分局",
    "焦作“智慧岛”",
    "完成桩基检测，基础完工交账",
    "Reclaimed water plant for the high-tech zone",
]


@pytest.mark.parametrize("name", NAMES)
def test_no_character_is_left_alone_on_the_last_line(name):
    for width in range(4, width_of(name) + 2):
        lines = wrap(((name, True),), width)
        assert len(lines) == 1 or len(lines[-1]) > 1, (width, lines)
        assert all(width_of(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == name.replace(" ", "")


def test_a_column_is_widened_to_take_in_a_lone_character():
    # 17 characters at 16 would leave 目 alone; one character's room more holds it
    column = [atom("项目"), words("河南工信职业学院基础设施完善提升项目")]
    assert fit_widths([column], 36) == [36]
    assert fit_widths([column], 20) == [18]  # two lines of nine: nothing left alone


# -- columns ----------------------------------------------------------------------------------------

HEADER = [atom("级别"), atom("项目"), atom("截止日期"), atom("责任单位")]
ROWS = [
    [
        atom("蓝色提醒"),
        words("河南工信职业学院基础设施完善提升项目"),
        atom("2026-10-30"),
        words("高新区投资集团有限公司"),
    ],
    [atom("红灯"), words("市民中心"), atom("2026-11-10"), words("文苑街道办事处")],
]


def lines_at(room: int | None) -> list[str]:
    widths = fit_widths(columns_of(HEADER, ROWS, 4), room)
    return [plain(line) for row in [HEADER, *ROWS] for line in row_lines(row, widths)]


@pytest.mark.parametrize(
    ("room", "expected"),
    [
        (
            None,
            [
                "级别      项目                                  截止日期    责任单位",
                "蓝色提醒  河南工信职业学院基础设施完善提升项目  2026-10-30  高新区投资集团有限公司",
                "红灯      市民中心                              2026-11-10  文苑街道办事处",
            ],
        ),
        (
            60,  # the unit column takes what saves the most lines; the project wraps
            [
                "级别      项目                截止日期    责任单位",
                "蓝色提醒  河南工信职业学院基  2026-10-30  高新区投资集团有限公司",
                "          础设施完善提升项目",
                "红灯      市民中心            2026-11-10  文苑街道办事处",
            ],
        ),
        (
            38,  # the atomic cells whole, the names at least four characters wide
            [
                "级别      项目          截止日期    责任单位",
                "蓝色提醒  河南工信职业  2026-10-30  高新区投",
                "          学院基础设施              资集团有",
                "          完善提升项目              限公司",
                "红灯      市民中心      2026-11-10  文苑街道",
                "                                    办事处",
            ],
        ),
    ],
)
def test_columns_fit_the_room(room, expected):
    assert lines_at(room) == expected


def test_right_aligned_cells_and_no_trailing_spaces():
    rows = [
        [words("市民中心"), atom("32%", right=True), atom("")],
        [words("龙源路"), atom("7.5%", right=True), atom("")],
    ]
    widths = fit_widths(columns_of(None, rows, 3), 40)
    assert [plain(line) for row in rows for line in row_lines(row, widths, indent=2)] == [
        "  市民中心   32%",
        "  龙源路    7.5%",
    ]


def test_a_paragraph_of_pieces_joins_them_with_a_space():
    assert wrap(para(("截至", True), "2026-11-27"), None) == ("截至 2026-11-27",)


@pytest.mark.parametrize(
    ("width", "mode"),
    [(None, "wide"), (200, "wide"), (140, "wide"), (139, "medium"), (100, "medium"), (99, "narrow"), (20, "narrow")],
)
def test_mode_for_width(width, mode):
    assert mode_for(width) == mode


# -- every width, both languages, status and plan -----------------------------------------------------

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FRAGMENT = re.compile(r"(\d{4}-W?$|\d{4}-W\d$|\d{4}-\d{2}-\d?$|^-?\d{2}-?\d?(\s|$)|^W\d{1,2}\b|^\d{2}\s)")


@pytest.fixture(scope="module")
def portfolios(tmp_path_factory) -> dict[str, Loaded]:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    text, _ = generate.generate(100, 20261127, AS_OF)
    path = tmp_path_factory.mktemp("bench") / "projects.toml"
    path.write_text(text, encoding="utf-8")
    from tests.test_kinds import reports_text

    # every kind of item (progress and investment lag, a missing report) and nodes with reported progress
    reports = tmp_path_factory.mktemp("reports") / "projects.toml"
    reports.write_text(reports_text(), encoding="utf-8")
    return {
        "sample": load_portfolio(SAMPLE, "projects.toml"),
        "bench": load_portfolio(Path(path), "projects.toml"),
        "reports": load_portfolio(reports, "projects.toml"),
    }


def status_text(loaded: Loaded, items: list[Item], lang: str, width: int | None) -> str:
    out = io.StringIO()
    render_status(items, as_of=AS_OF, fmt="table", lang=lang, title="T", out=out, width=width, units=loaded.units)  # type: ignore[arg-type]
    return out.getvalue()


def plan_text(loaded: Loaded, nodes: list[Node], cadence: str, lang: str, width: int | None) -> str:
    out = io.StringIO()
    render_plan(
        iter(nodes), as_of=AS_OF, cadence=cadence, fmt="table", lang=lang, title="T", out=out,  # type: ignore[arg-type]
        units={u.id: u.name for u in loaded.portfolio.units}, people={},
        short={u.id: u.short for u in loaded.portfolio.units if u.short}, width=width,
    )  # fmt: skip
    return out.getvalue()


def check_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert width_of(line) <= width, (width, line)
        assert line == line.rstrip(), line
        assert not FRAGMENT.search(line), (width, line)


def day_forms(day: date) -> tuple[str, str]:
    return day.isoformat(), day.isoformat()[5:]


SAMPLE_WIDTHS = list(range(60, 201))
BENCH_WIDTHS = [
    60,
    61,
    67,
    73,
    79,
    80,
    87,
    93,
    99,
    100,
    101,
    107,
    113,
    119,
    120,
    127,
    133,
    139,
    140,
    141,
    150,
    163,
    177,
    200,
]


# An item that is not a milestone says how far behind it is: the number with its unit never breaks.
BEHIND = {
    "zh": re.compile(r"\d+\.\d 个百分点|\d+ 次"),  # a figure and its unit whole; the words before may wrap
    "en": re.compile(r"\d+\.\d points|\d+ missed"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["sample", "bench", "reports"])
def test_status_at_every_width(portfolios, name, lang):
    from sanshi_cli.i18n import label
    from sanshi_cli.status import category, category_name

    loaded = portfolios[name]
    items = find_items(loaded, AS_OF)
    assert items
    headers = [label(k, lang) for k in ("col_level", "col_project", "col_milestone", "col_due", "col_state")]
    lags = [i for i in items if i.due is None]
    assert bool(lags) == (name in ("reports", "sample"))
    for width in SAMPLE_WIDTHS if name != "bench" else BENCH_WIDTHS:
        text = status_text(loaded, items, lang, width)
        check_fits(text, width)
        lines = text.splitlines()
        if mode_for(width) != "narrow":
            assert all(h in lines[2] for h in headers), (width, lines[2])
        for item in items:  # its level and its due date whole, on one line
            level = category_name(category(item), lang)  # 延误风险 for a yellow item not yet overdue
            if item.due is None:  # not a milestone: its level whole, the dates in its words whole
                assert any(line.split()[:1] == level.split()[:1] and level in line for line in lines), (width, item)
                for day in (item.reported_on if item.kind == "progress_lag" else None, item.report_due):
                    assert day is None or any(f in text for f in day_forms(day)), (width, day)
                continue
            assert any(level in line and any(f in line for f in day_forms(item.due)) for line in lines), (width, item)
        behind = [m.group(0) for m in BEHIND[lang].finditer(status_text(loaded, items, lang, None))]
        assert len(behind) == len(lags)
        assert all(any(phrase in line for line in lines) for phrase in behind), (width, behind)
        shown = [i.due for i in items if i.due] + [i.done for i in items if i.done]
        if mode_for(width) != "narrow":  # the stacked checklist has no forecast column
            shown += [date.fromisoformat(d) for d in DATE.findall(status_text(loaded, items, lang, None))]
        for day in shown:
            assert any(f in text for f in day_forms(day)), (width, day)


@pytest.mark.parametrize("cadence", ["weekly", "monthly"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["sample", "bench", "reports"])
def test_plan_at_every_width(portfolios, name, lang, cadence):
    from sanshi_cli.i18n import label

    loaded = portfolios[name]
    nodes = list(
        plan_nodes(loaded, AS_OF, cadence, default_window(AS_OF, cadence, 4 if cadence == "weekly" else 3, None, None))
    )
    assert nodes
    periods = {n.period for n in nodes}
    for width in SAMPLE_WIDTHS[::3] if name != "bench" else BENCH_WIDTHS[::2]:
        text = plan_text(loaded, nodes, cadence, lang, width)
        check_fits(text, width)
        lines = text.splitlines()
        for period in periods:  # a week or month label whole, at the start of its block
            assert any(line.startswith(period) for line in lines), (width, period)
        header = next((line for line in lines if label("col_period", lang) in line), None)
        if mode_for(width) == "wide":  # medium gives way to the checklist when its columns cannot stand side by side
            assert header is not None, width
        if header is not None:
            assert all(label(k, lang) in header for k in ("col_project", "col_deadline", "col_progress")), header
        for node in nodes:
            if node.deadline is not None:
                mark = f"{node.planned_progress:g}%"
                assert any(mark in line and any(f in line for f in day_forms(node.deadline)) for line in lines)
            if node.reported_progress is not None:  # 填报 30%, whole
                reported = label("plan_progress_reported", lang, reported=f"{node.reported_progress:g}")
                assert reported in text, (width, reported)
            for entry in node.milestones:  # MM-DD, whole
                assert re.search(rf"(^|\s){entry.due.isoformat()[5:]}(\s|$)", text, re.MULTILINE), (width, entry)


def test_the_sample_at_80_columns_takes_two_lines_an_item(portfolios):
    loaded = portfolios["sample"]
    items = find_items(loaded, AS_OF)
    for lang in ("zh", "en"):
        text = status_text(loaded, items, lang, 80)
        problems = sum(1 for item in items if item.kind == "problem")  # 问题：… may take a third line
        assert len(text.splitlines()) <= 2 * len(items) + problems, text


def test_a_plan_larger_than_the_buffer_is_aligned_period_by_period(portfolios, monkeypatch):
    from sanshi_cli import rendering_plan

    loaded = portfolios["sample"]
    nodes = list(plan_nodes(loaded, AS_OF, "weekly", default_window(AS_OF, "weekly", 3, None, None)))
    monkeypatch.setattr(rendering_plan, "BLOCK_BUFFER", 5)
    text = plan_text(loaded, nodes, "weekly", "zh", 150)
    assert text.count("节点时限") == 3  # one header per period block
    check_fits(text, 150)


def test_every_node_when_unwrapped(portfolios):
    loaded = portfolios["bench"]
    nodes = list(plan_nodes(loaded, AS_OF, "monthly", Window()))
    text = plan_text(loaded, nodes, "monthly", "zh", None)
    body = [line for line in text.splitlines() if "%" in line]
    assert len(body) == len(nodes)  # one line a node: nothing wrapped


# -- the progress ledger at every width ---------------------------------------------------------------


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory, portfolios) -> dict[str, Loaded]:
    from tests.test_cli_progress import LEDGER

    path = tmp_path_factory.mktemp("ledger") / "projects.toml"
    path.write_text(LEDGER, encoding="utf-8")
    return {"ledger": load_portfolio(path, "projects.toml"), "sample": portfolios["sample"]}


def progress_text(loaded: Loaded, lang: str, width: int | None) -> tuple[str, list]:
    from sanshi_cli.progress import progress_rows, time_progress
    from sanshi_cli.rendering_progress import Ledger, render_progress

    rows = progress_rows(loaded, AS_OF)
    ledger = Ledger(AS_OF, 2026, time_progress(AS_OF, 2026), "months", "T", loaded.units, loaded.people)
    out = io.StringIO()
    render_progress(rows, ledger, fmt="table", lang=lang, out=out, width=width)  # type: ignore[arg-type]
    return out.getvalue(), rows


PERCENT = re.compile(r"(\d+\.\d%|\d+\.\d)")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["ledger", "sample"])
def test_progress_at_every_width(ledgers, name, lang):
    from sanshi_cli.rendering_progress import percent

    loaded = ledgers[name]
    wide, rows = progress_text(loaded, lang, None)
    figures = PERCENT.findall(wide)
    assert figures
    for width in SAMPLE_WIDTHS:
        text, _ = progress_text(loaded, lang, width)
        check_fits(text, width)
        for row in rows:  # the planned progress whole on a line, the report due date whole
            assert re.search(rf"(^|\s|（|\(){re.escape(percent(row.planned_progress))}", text, re.MULTILINE), (
                width,
                row,
            )
            if row.report_due is not None:
                assert any(f in text for f in day_forms(row.report_due)), (width, row.report_due)
        for figure in set(figures):  # every percentage and point figure of the wide table, never split
            assert re.search(rf"(?<![\d.]){re.escape(figure)}", text), (width, figure)


# -- the plain-text path (files and pipes) writes what the terminal shows ------------------------------


def terminal(width: int | None):
    """A console that takes itself for a terminal, without colour codes: the styled path, as text."""
    from rich.console import Console

    return Console(file=io.StringIO(), force_terminal=True, color_system=None, width=width or 400, soft_wrap=False)


@pytest.mark.parametrize("width", [None, 200, 150, 120, 100, 80, 60])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["sample", "reports"])
def test_plain_tables_are_the_terminal_text(portfolios, name, lang, width):
    loaded = portfolios[name]
    items = find_items(loaded, AS_OF, include_all=True)
    nodes = list(plan_nodes(loaded, AS_OF, "weekly", Window()))
    units = {u.id: u.name for u in loaded.portfolio.units}
    short = {u.id: u.short for u in loaded.portfolio.units if u.short}
    for render in (
        lambda out, console: render_status(items, as_of=AS_OF, fmt="table", lang=lang, title="T", out=out,
                                           include_all=True, console=console, width=width, units=loaded.units),
        lambda out, console: render_plan(iter(nodes), as_of=AS_OF, cadence="weekly", fmt="table", lang=lang,
                                         title="T", out=out, units=units, people={}, console=console, width=width,
                                         short=short),
    ):  # fmt: skip
        piped = io.StringIO()
        render(piped, None)
        console = terminal(width)
        render(None, console)
        assert piped.getvalue() == console.file.getvalue(), (name, lang, width)
        assert piped.getvalue().count("\n") > 5


@pytest.mark.parametrize("indent", [0, 2])
@pytest.mark.parametrize("room", [None, 30, 50, 80])
def test_row_text_is_the_plain_of_row_lines(room, indent):
    from sanshi_cli.layout import Cell, row_text

    header = [atom("级别"), atom("项目"), atom("进度", right=True), atom("State"), atom("")]
    rows = [
        [atom("红灯", "bold red"), words("河南工信职业学院基础设施完善提升项目"), Cell((para("45%"),), right=True),
         words("Milestones due this week"), Cell()],
        [atom(""), words("高新区投资集团有限公司"), Cell((para("计划 45% ·", "填报 30%"),), right=True),
         Cell((para(("基础完工（桩基及承台）", True), "05-18"), para(("开工", True), "06-01"))), words("x  ")],
        [Cell(), Cell(), Cell(), Cell(), Cell()],
    ]  # fmt: skip
    widths = fit_widths(columns_of(header, rows, 5), room)
    memo: list[dict[int, tuple[str, ...]]] = [{} for _ in widths]
    for row in [header, *rows, *rows]:
        expected = [plain(line) for line in row_lines(row, widths, indent=indent)]
        assert row_text(row, widths, indent=indent) == expected
        assert row_text(row, widths, indent=indent, memo=memo) == expected


def test_row_text_memo_keeps_a_cell_apart_in_each_column():
    """One cell object in two columns of two widths (``atom("")`` is shared): padded to each width."""
    from sanshi_cli.layout import row_text

    blank, name = atom(""), words("东区")
    widths = [4, 6, 9]
    memo: list[dict[int, tuple[str, ...]]] = [{} for _ in widths]
    for row in ([blank, name, blank], [name, blank, name], [blank, blank, name]):
        expected = [plain(line) for line in row_lines(row, widths)]
        assert row_text(row, widths, memo=memo) == expected
    assert row_text([blank, blank, name], widths, memo=memo) == [" " * 14 + "东区"]


@pytest.mark.parametrize("width", [None, 120, 80])
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "toml", "ics"])
@pytest.mark.parametrize("name", ["sample", "bench", "reports"])
def test_a_plan_written_period_by_period_is_the_plan_written_node_by_node(portfolios, name, fmt, width):
    """The CLI writes from plan_periods (whole-period nodes as tuples, rows a period at a time): the
    same bytes as from plan_nodes, in every format, for all cadences and filters."""
    if fmt != "table" and width is not None:
        return
    loaded = portfolios[name]
    units = {u.id: u.name for u in loaded.portfolio.units}
    people = {p.id: p.name for p in loaded.portfolio.people}
    short = {u.id: u.short for u in loaded.portfolio.units if u.short}
    by_unit = Filters(units=frozenset({"jsj"}))
    for cadence, filters in [("weekly", NO_FILTERS), ("monthly", NO_FILTERS), ("weekly", by_unit)]:
        texts = []
        for plan in (plan_nodes, plan_periods):
            out = io.StringIO()
            render_plan(
                plan(loaded, AS_OF, cadence, Window(), filters=filters), as_of=AS_OF, cadence=cadence,  # type: ignore[arg-type]
                fmt=fmt, lang="zh", title="T", out=out, units=units, people=people, short=short, width=width,
            )  # fmt: skip
            texts.append(out.getvalue())
        assert texts[0] == texts[1], (cadence, filters)
        assert filters is by_unit or texts[0].count("\n") > 5
