"""The bulletin (月通报 / 周调度): every figure against a hand computation on a small file.

The file (FIXTURE), judged for November 2026 (as of 2026-11-30, a Monday):

- alpha (jsj): plan 12000 万元; milestones 设计 (前期, due 10-20, done 10-15), 开工 (施工, due 11-10,
  done 11-12: late), 主体 (施工, due 11-30, progress 60, done 12-03: still open on 11-30), 竣工
  (验收, due 12-31). Reports 06-30 (40 %, 3000 万元), 11-20 (50 %, 5000 万元, 下步 "继续施工"),
  12-05 (60 %, 2000 万元: after the period, ignored).
- beta (czj): plan 8000 万元 for 2026; 土地 (due 10-20, done 11-02: red in October, cleared in
  November), 征迁 (征迁, due 11-05, done 11-05: on time), 开工 (施工, due 12-10). No reports.
- gamma: every milestone done (竣工达效), no plan.
- delta: starts in 2027 (前期); not in the pace lists.
- problems: P-2026-001 (alpha, due 10-20, open: 41 days overdue on 11-30, level 3),
  P-2026-002 (beta, raised 11-03, solved 11-18, closed 11-19), P-2026-003 (alpha, raised 11-10,
  due 11-25, open: 5 days overdue, level 1), P-2026-004 (raised 12-02: does not exist yet).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sanshi_cli.bulletin import SECTIONS, Period, build_bulletin, bulletin_json, last_completed, resolve_period
from sanshi_cli.errors import UsageError
from sanshi_cli.loading import load_portfolio
from sanshi_cli.rendering_bulletin import chat_digest, markdown_escape
from tests.conftest import REPO

FIXTURE = """\
[settings]
title = "测试区"
language = "zh"

[[units]]
id = "jsj"
name = "建设局"

[[units]]
id = "czj"
name = "财政局"

[[people]]
id = "lead"
name = "领导甲"

[[projects]]
id = "alpha"
name = "甲项目"
leader = "lead"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-01-01
finish = 2026-12-31
annual_investment = 12000

  [[projects.milestones]]
  id = "design"
  name = "设计"
  stage = "前期"
  due = 2026-10-20
  done = 2026-10-15

  [[projects.milestones]]
  id = "start"
  name = "开工"
  stage = "施工"
  due = 2026-11-10
  done = 2026-11-12

  [[projects.milestones]]
  id = "body"
  name = "主体"
  stage = "施工"
  due = 2026-11-30
  progress = 60
  done = 2026-12-03

  [[projects.milestones]]
  id = "finish"
  name = "竣工"
  stage = "验收"
  due = 2026-12-31

  [[projects.reports]]
  on = 2026-06-30
  progress = 40
  invest = 3000

  [[projects.reports]]
  on = 2026-11-20
  progress = 50
  invest = 5000
  next = "继续施工"

  [[projects.reports]]
  on = 2026-12-05
  progress = 60
  invest = 2000
  next = "十二月的计划"

  [[projects.problems]]
  id = "P-2026-001"
  text = "用电未接入"
  raised = 2026-10-10
  due = 2026-10-20

  [[projects.problems]]
  id = "P-2026-003"
  text = "材料短缺"
  raised = 2026-11-10
  due = 2026-11-25

[[projects]]
id = "beta"
name = "乙项目"
leader = "lead"
lead_unit = "czj"
responsible_unit = "czj"
start = 2026-01-01
finish = 2027-06-30
annual_investment = { 2026 = 8000 }

  [[projects.milestones]]
  id = "land"
  name = "土地"
  due = 2026-10-20
  done = 2026-11-02

  [[projects.milestones]]
  id = "clear"
  name = "征迁"
  stage = "征迁"
  due = 2026-11-05
  done = 2026-11-05

  [[projects.milestones]]
  id = "start"
  name = "开工"
  stage = "施工"
  due = 2026-12-10

  [[projects.problems]]
  id = "P-2026-002"
  text = "资金未到位"
  raised = 2026-11-03
  due = 2026-11-20
  solved = 2026-11-18
  closed = 2026-11-19

  [[projects.problems]]
  id = "P-2026-004"
  text = "十二月的问题"
  raised = 2026-12-02
  due = 2026-12-20

[[projects]]
id = "gamma"
name = "丙项目"
leader = "lead"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-01-01
finish = 2026-09-30

  [[projects.milestones]]
  id = "all"
  name = "完工"
  stage = "施工"
  due = 2026-09-30
  done = 2026-09-30

[[projects]]
id = "delta"
name = "丁项目"
leader = "lead"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2027-01-01
finish = 2027-12-31

  [[projects.milestones]]
  id = "prep"
  name = "立项"
  stage = "前期"
  due = 2027-03-31
"""

NOVEMBER = Period("2026-11", "monthly", date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def fixture(write_toml: Callable[..., Path]) -> Path:
    return write_toml(FIXTURE)


def november(path: Path) -> dict[str, object]:
    return bulletin_json(build_bulletin(load_portfolio(path), NOVEMBER))


# -- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "weekly", "label"),
    [
        (date(2026, 12, 1), False, "2026-11"),
        (date(2026, 11, 30), False, "2026-11"),  # the month's last day completes it
        (date(2026, 11, 29), False, "2026-10"),
        (date(2026, 1, 15), False, "2025-12"),
        (date(2026, 12, 1), True, "2026-W48"),  # a Tuesday: the week before
        (date(2026, 11, 29), True, "2026-W48"),  # a Sunday completes its week
        (date(2026, 1, 1), True, "2025-W52"),  # ISO 2026-W01 starts on 2025-12-29
    ],
)
def test_the_default_period_is_the_last_completed(today: date, weekly: bool, label: str) -> None:
    assert resolve_period(today, weekly=weekly).label == label
    assert last_completed(today, "weekly" if weekly else "monthly").label == label


def test_named_periods_and_their_neighbours() -> None:
    week = resolve_period(date(2026, 12, 1), week="2026-W46")
    assert (week.start, week.end) == (date(2026, 11, 9), date(2026, 11, 15))
    assert week.previous().label == "2026-W45" and week.next().label == "2026-W47"
    month = resolve_period(date(2026, 12, 1), month="2026-01")
    assert month.previous().label == "2025-12" and month.next().end == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"month": "2026-13"}, "bad_month"),
        ({"week": "2026-W54"}, "bad_week"),
        ({"month": "2026-11", "week": "2026-W48"}, "bulletin_month_and_week"),
        ({"month": "2026-11", "weekly": True}, "bulletin_weekly_and_month"),
    ],
)
def test_bad_periods_are_usage_errors(kwargs: dict[str, object], key: str) -> None:
    with pytest.raises(UsageError) as raised:
        resolve_period(date(2026, 12, 1), **kwargs)  # type: ignore[arg-type]
    assert raised.value.problems[0].message == key


# -- section 1: 总体情况 --------------------------------------------------------------------------


def test_overview_figures_by_hand(fixture: Path) -> None:
    o = november(fixture)["overview"]
    assert o == {  # type: ignore[comparison-overlap]
        "projects": 4,
        # alpha: 主体 (施工) is its earliest-due milestone not done by 11-30 (done 12-03);
        # beta: 开工 (施工); gamma: all done; delta: 立项 (前期)
        "stages": [
            {"stage": "施工", "completed": False, "projects": 2},
            {"stage": "前期", "completed": False, "projects": 1},
            {"stage": None, "completed": True, "projects": 1},
        ],
        # due in November: alpha 开工 (late), 主体 (open on 11-30), beta 征迁 (on time)
        "nodes": {"due": 3, "on_time": 1, "late": 1, "open": 1},
        # alpha behind (50 < 60 planned), beta without a report, gamma finished; delta not started
        "pace": {"on_pace": 1, "behind": 1, "no_report": 1},
        "investment": {
            "year": 2026,
            "projects": 2,
            "plan": 20000.0,  # 12000 + 8000
            "plan_yi": 2.0,
            "completed": 8000.0,  # 3000 + 5000 (the 12-05 report is later)
            "completed_yi": 0.8,
            "rate": 40.0,
            "time_progress": 91.7,  # 11/12
            "points": -51.7,  # 40.0 − 91.7
        },
        # new: 002, 003; solved and closed: 002; overdue: 001, 003; escalated: 001 (41 days ≥ 21: level 3)
        "problems": {"new": 2, "solved": 1, "closed": 1, "overdue": 2, "escalated": 1},
    }


def test_pace_rows_by_hand(fixture: Path) -> None:
    rows = {r["project"]: r for r in november(fixture)["pace"]}  # type: ignore[attr-defined]
    assert set(rows) == {"alpha", "beta", "gamma"}  # delta starts in 2027
    alpha = rows["alpha"]
    assert (alpha["pace"], alpha["planned_progress"], alpha["reported_progress"]) == ("behind", 60.0, 50.0)
    assert (alpha["progress_lag_points"], alpha["invest_rate"], alpha["invest_points"]) == (10.0, 66.7, -25.0)
    assert rows["beta"]["pace"] == "no_report" and rows["beta"]["invest_rate"] is None
    assert rows["gamma"]["pace"] == "on_pace"


# -- section 2: changes since October -------------------------------------------------------------


def test_changes_since_the_previous_period(fixture: Path) -> None:
    c = november(fixture)["changes"]
    assert c["previous"]["label"] == "2026-10"  # type: ignore[index]
    assert [(i["kind"], i["problem"], i["level"]) for i in c["new_flags"]] == [("problem", "P-2026-003", "yellow")]  # type: ignore[index]
    assert c["turned_red"] == []  # type: ignore[index]
    # beta's 土地 was 11 days overdue on 10-31 (red) and was delivered on 11-02
    assert [(i["project"], i["milestone"], i["level"]) for i in c["cleared"]] == [("beta", "land", "red")]  # type: ignore[index]
    delivered = [(n["project"], n["milestone"], n["outcome"]) for n in c["delivered"]]  # type: ignore[index]
    assert sorted(delivered) == [("alpha", "start", "late"), ("beta", "clear", "on_time"), ("beta", "land", "late")]
    assert [v["problem"] for v in c["problems_new"]] == ["P-2026-003", "P-2026-002"]  # type: ignore[index]
    assert [v["problem"] for v in c["problems_closed"]] == ["P-2026-002"]  # type: ignore[index]


# -- sections 3, 4, 6, 8 --------------------------------------------------------------------------


def test_red_yellow_list_marks_the_new_ones(fixture: Path) -> None:
    listed = [(i["level"], i["kind"], i["problem"], i["new"]) for i in november(fixture)["red_yellow"]]  # type: ignore[attr-defined]
    assert listed == [
        ("red", "problem", "P-2026-001", False),  # 41 days overdue; red since October
        ("yellow", "problem", "P-2026-003", True),  # 5 days overdue (status's order: overdue first)
        ("yellow", "invest_lag", None, False),  # 25.0 points behind 序时 (red in October: 58.3)
        ("yellow", "progress_lag", None, False),  # alpha 10.0 points behind: less than 25.0
    ]


def test_nodes_of_the_period_and_the_next_forecast(fixture: Path) -> None:
    nodes = {p["project"]: p for p in november(fixture)["nodes"]}  # type: ignore[attr-defined]
    assert list(nodes) == ["alpha", "beta"]
    alpha = [(n["milestone"], n["done"], n["outcome"], n["days_late"]) for n in nodes["alpha"]["nodes"]]
    assert alpha == [("start", "2026-11-12", "late", 2), ("body", None, "open", 0)]  # 主体 was done after 11-30
    assert nodes["alpha"]["next"] == {"milestone": "finish", "milestone_name": "竣工", "owner": "jsj",
                                      "due": "2026-12-31", "forecast": "2026-12-31", "slip_days": 0}  # fmt: skip
    assert [(n["milestone"], n["outcome"]) for n in nodes["beta"]["nodes"]] == [("clear", "on_time")]
    assert nodes["beta"]["next"]["milestone"] == "start"


def test_problem_section_by_level(fixture: Path) -> None:
    p = november(fixture)["problems"]
    assert {k: [v["problem"] for v in views] for k, views in p["open_by_level"].items()} == {  # type: ignore[index]
        "3": ["P-2026-001"],
        "1": ["P-2026-003"],
    }
    assert [v["problem"] for v in p["closed"]] == ["P-2026-002"]  # type: ignore[index]


def test_next_steps_from_the_plan_and_the_latest_report(fixture: Path) -> None:
    steps = november(fixture)["next_steps"]
    assert steps["period"]["label"] == "2026-12"  # type: ignore[index]
    found = {s["project"]: s for s in steps["projects"]}  # type: ignore[index]
    assert list(found) == ["alpha", "beta"]
    assert [m["milestone"] for m in found["alpha"]["milestones"]] == ["finish"]
    assert (found["alpha"]["plan_text"], found["alpha"]["plan_on"]) == ("继续施工", "2026-11-20")  # not December's
    assert [m["milestone"] for m in found["beta"]["milestones"]] == ["start"]
    assert found["beta"]["plan_text"] is None  # no report


# -- other periods --------------------------------------------------------------------------------


def test_a_week(fixture: Path) -> None:
    loaded = load_portfolio(fixture)
    week = resolve_period(date(2026, 12, 1), week="2026-W46")  # 11-09 .. 11-15
    data = bulletin_json(build_bulletin(loaded, week))
    assert data["overview"]["nodes"] == {"due": 1, "on_time": 0, "late": 1, "open": 0}  # alpha 开工, done 11-12
    assert data["overview"]["problems"]["new"] == 1  # P-2026-003, raised 11-10
    assert data["changes"]["previous"]["label"] == "2026-W45"
    assert data["next_steps"]["period"]["label"] == "2026-W47"


def test_a_period_with_no_data(fixture: Path) -> None:
    b = build_bulletin(load_portfolio(fixture), resolve_period(date(2026, 12, 1), month="2025-01"))
    data = bulletin_json(b)
    o = data["overview"]
    assert o["nodes"] == {"due": 0, "on_time": 0, "late": 0, "open": 0}
    assert o["pace"] == {"on_pace": 0, "behind": 0, "no_report": 0}  # nothing had started
    assert o["investment"]["plan"] == 0 and o["investment"]["rate"] is None and o["investment"]["points"] is None
    assert o["problems"] == {"new": 0, "solved": 0, "closed": 0, "overdue": 0, "escalated": 0}
    assert data["red_yellow"] == [] and data["nodes"] == [] and data["pace"] == []
    assert data["problems"] == {"open_by_level": {}, "closed": []}
    import io

    from sanshi_cli.rendering_bulletin import render_markdown

    out = io.StringIO()
    render_markdown(b, "en", out, title="T", unit_names={})
    text = out.getvalue()
    assert "| 0.00 | 0.00 | — | 8.3% | — |" in text  # 序时 of January: 1/12
    assert "No change this period" in text and text.count("(none)") >= 5


# -- JSON and Markdown ----------------------------------------------------------------------------


def test_json_keys_are_pinned(fixture: Path) -> None:
    data = november(fixture)
    assert list(data) == [
        "period", "overview", "changes", "red_yellow", "nodes", "pace", "problems", "ranking", "next_steps",
    ]  # fmt: skip
    assert list(data) == list(SECTIONS)
    assert list(data["ranking"]) == [  # type: ignore[arg-type]
        "year_start", "period_end", "time_progress", "weights", "settings", "rows", "red_list", "black_list",
        "footnote",
    ]  # fmt: skip
    row = data["ranking"]["rows"][0]  # type: ignore[index]
    assert {"unit", "unit_name", "metrics", "score", "rank"} <= set(row)
    assert list(row["metrics"]["nodes"]) == ["value", "numerator", "denominator"]
    assert list(data["changes"]) == [  # type: ignore[arg-type]
        "previous", "new_flags", "turned_red", "cleared", "delivered", "problems_new", "problems_closed",
    ]  # fmt: skip
    assert list(data["overview"]) == ["projects", "stages", "nodes", "pace", "investment", "problems"]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a|b", r"a\|b"),
        ("*x* _y_", r"\*x\* \_y\_"),
        ("[z](http://e)", r"\[z\](http://e)"),
        ("# h <b>", r"\# h \<b\>"),
        ("one\ntwo\r\nthree", "one two three"),
        ("back\\slash", "back\\\\slash"),
        ("\x1b[31m", r"\\x1b\[31m"),
        (None, ""),
    ],
)
def test_markdown_escape(text: str | None, escaped: str) -> None:
    assert markdown_escape(text) == escaped


def test_hostile_names_stay_text_in_markdown(sanshi, write_toml: Callable[..., Path]) -> None:
    hostile = "甲|项目 *粗* _斜_ [链接](http://x) #标题 <script>\n第二行"
    path = write_toml(FIXTURE.replace('name = "甲项目"', f"name = {json.dumps(hostile, ensure_ascii=False)}"))
    result = sanshi("bulletin", "--month", "2026-11", "-f", str(path))
    assert result.exit_code == 0, result.stderr
    shown = r"甲\|项目 \*粗\* \_斜\_ \[链接\](http://x) \#标题 \<script\> 第二行"
    assert shown in result.stdout
    assert "<script>" not in result.stdout and "&lt;" not in result.stdout  # Markdown escaping, not HTML's
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 新亮灯 |")]
    assert rows and all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows)  # 4 columns: the name's | is text


def test_markdown_by_hand(sanshi, fixture: Path) -> None:
    result = sanshi("bulletin", "--month", "2026-11", "-f", str(fixture))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# 测试区 月通报（2026-11）\n\n数据截至 2026-11-30（2026-11-01 至 2026-11-30）\n")
    assert "| 3 | 1 | 1 | 1 | 1 | 1 | 1 |" in out  # nodes and pace
    assert "| 2.00 | 0.80 | 40.0% | 91.7% | -51.7 |" in out
    assert "| 2 | 1 | 1 | 2 | 1 |" in out  # problems
    assert "| 黄灯 | 新 | 甲项目 | P-2026-003 材料短缺 | 建设局 | 2026-11-25 | 逾期 5 天 |" in out
    assert "| 已消灯 | 乙项目 | 土地 | 红灯 |" in out
    assert "| 甲项目 | 开工 | 建设局 | 2026-11-10 | 2026-11-12 | 逾期交账 | 竣工 (2026-12-31) | 2026-12-31 |" in out
    assert "| 甲项目 | 60.0% | 50.0% | 66.7% | 91.7% |" in out
    assert "## 七、单位排名（比学赶超）" in out and "## 八、下步工作（2026-12）" in out
    # section 7 (see test_the_ranking_section_by_hand): jsj (8000 ÷ (12000 × 11/12) = 72.7 %) and czj
    assert "| 1 | 建设局 | 50.0% (2/4) | 72.7% | 0.0% (0/2) | — | — | 46.5 | 黑榜 |" in out
    assert "| 2 | 财政局 | 50.0% (1/2) | 0.0% | 100.0% (1/1) | — | — | 44.4 | 黑榜 |" in out
    assert "**红榜**：无\n\n**黑榜**：财政局 44.4、建设局 46.5\n" in out


def test_english_and_json_from_the_command(sanshi, fixture: Path, tmp_path: Path) -> None:
    result = sanshi("bulletin", "--month", "2026-11", "--lang", "en", "-f", str(fixture))
    assert result.exit_code == 0
    assert result.stdout.startswith("# 测试区: monthly bulletin (2026-11)\n")
    assert "## 1. Overview" in result.stdout
    target = tmp_path / "b.json"
    result = sanshi("bulletin", "--month", "2026-11", "-o", str(target), "-f", str(fixture))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text("utf-8"))["overview"]["investment"]["rate"] == 40.0
    weekly = sanshi("bulletin", "--weekly", "--as-of", "2026-12-01", "--format", "json", "-f", str(fixture))
    assert json.loads(weekly.stdout)["period"]["label"] == "2026-W48"
    bad = sanshi("bulletin", "--month", "2026-13", "-f", str(fixture))
    assert bad.exit_code == 2 and "2026-13" in bad.stderr


def test_filters_keep_a_project(sanshi, fixture: Path) -> None:
    result = sanshi("bulletin", "--month", "2026-11", "--format", "json", "-p", "beta", "-f", str(fixture))
    data = json.loads(result.stdout)
    assert data["period"]["filtered"] is True and data["overview"]["projects"] == 1
    assert data["overview"]["nodes"] == {"due": 1, "on_time": 1, "late": 0, "open": 0}


def test_chat_digest(fixture: Path) -> None:
    b = build_bulletin(load_portfolio(fixture), NOVEMBER)
    assert chat_digest(b, "zh", title="测试区") == (
        "**测试区 月通报（2026-11）**\n"
        "- 项目 4 个：施工 2，前期 1，竣工达效 1\n"
        "- 本期到期节点 3 个：按期交账 1，逾期交账 1，未完成 1\n"
        "- 按序时 1 个，慢序时 1 个，未填报 1 个\n"
        "- 年度计划投资 2.00 亿元，已完成 0.80 亿元，完成率 40.0%，序时进度 91.7%，慢序时 51.7 个百分点\n"
        "- 问题：新增 2，办结 1，销号 1，逾期 2，升级督办 1\n"
        "- 较上期：新亮灯 1，黄转红 0，消灯 1，节点交账 3，新增问题 2，问题销号 1\n"
        "- 红榜：无\n"
        "- 黑榜：财政局 44.4、建设局 46.5\n"  # worst first (see test_the_ranking_section_by_hand)
    )


# -- the bundled sample ---------------------------------------------------------------------------


def test_the_sample_for_november(sanshi) -> None:
    result = sanshi("bulletin", "--month", "2026-11", "--format", "json", "-f", str(REPO / "data" / "projects.toml"))
    assert result.exit_code == 0
    o = json.loads(result.stdout)["overview"]
    assert o["projects"] == 9
    assert o["nodes"] == {"due": 6, "on_time": 1, "late": 0, "open": 5}
    assert (o["investment"]["plan_yi"], o["investment"]["completed_yi"], o["investment"]["rate"]) == (14.8, 11.15, 75.3)
    assert o["problems"] == {"new": 4, "solved": 1, "closed": 0, "overdue": 3, "escalated": 3}


def test_the_readme_shows_the_samples_bulletin(sanshi) -> None:
    result = sanshi("bulletin", "--month", "2026-11", "-p", "civic-center", "-f", str(REPO / "data" / "projects.toml"))
    assert result.exit_code == 0
    readme = (REPO / "README.md").read_text("utf-8")
    assert f"```markdown\n{result.stdout}```" in readme
    for key in SECTIONS:
        assert f"`{key}`" in readme


# -- section 7: the unit ranking ------------------------------------------------------------------

# FIXTURE, plus a project epsilon (no plan, no reports) whose nodes answer to new units: ga and gb
# own three on-time nodes each (a tie at 100.0), hb one (too few items to rank), zrj one due in
# 2027 (no items at all); and settings that make a red and a black list of one place each.
RANKED = (
    FIXTURE
    + """
[[units]]
id = "ga"
name = "甲组"

[[units]]
id = "gb"
name = "乙组"

[[units]]
id = "hb"
name = "丙组"

[[units]]
id = "zrj"
name = "丁组"

[[projects]]
id = "epsilon"
name = "戊项目"
leader = "lead"
lead_unit = "ga"
responsible_unit = "ga"
start = 2026-01-01
finish = 2027-06-30
"""
    + "".join(
        f'\n  [[projects.milestones]]\n  id = "{owner}{n}"\n  name = "节点{owner}{n}"\n  owner = "{owner}"\n'
        f"  due = 2026-0{n + 3}-10\n  done = 2026-0{n + 3}-09\n"
        for owner in ("ga", "gb")
        for n in (1, 2, 3)
    )
    + """
  [[projects.milestones]]
  id = "hb1"
  name = "节点hb1"
  owner = "hb"
  due = 2026-08-10
  done = 2026-08-10

  [[projects.milestones]]
  id = "later"
  name = "明年的节点"
  owner = "zrj"
  due = 2027-03-10

[ranking]
red = 1
black = 1
target = 45
"""
)


def test_the_ranking_section_by_hand(write_toml: Callable[..., Path]) -> None:
    """As of 11-30, from 1 January; weights 40/30/20/10 (reports: no cadence, so no data):

    - ga, gb: nodes 3/3 = 100 → score 100.0, 3 items: rank 1 both (a tie), both 红榜 (a tie joins);
    - jsj: nodes 2/4 (设计, 完工 on time; 开工, 主体 late) = 50; invest 8000 ÷ (12000 × 11/12 = 11000)
      = 72.7; problems 0/2 → (40 × 50 + 30 × 72.727 + 20 × 0) ÷ 90 = 46.5, rank 3;
    - czj: nodes 1/2 = 50; invest 0 ÷ (8000 × 11/12) = 0; problems 1/1 = 100 → 4000 ÷ 90 = 44.4,
      rank 4, below 45 and the last place: 黑榜;
    - hb: 1/1 = 100 but one item < min_items 3: rank null; zrj: nothing scored, score null.
    """
    b = build_bulletin(load_portfolio(write_toml(RANKED)), NOVEMBER)
    data = bulletin_json(b)["ranking"]
    got = [(r["unit"], r["score"], r["rank"], r["items"], r["red"], r["black"]) for r in data["rows"]]
    assert got == [
        ("ga", 100.0, 1, 3, True, False),
        ("gb", 100.0, 1, 3, True, False),
        ("jsj", 46.5, 3, 6, False, False),
        ("czj", 44.4, 4, 3, False, True),
        ("hb", 100.0, None, 1, False, False),
        ("zrj", None, None, 0, False, False),
    ]
    assert (data["red_list"], data["black_list"]) == (["ga", "gb"], ["czj"])
    jsj = data["rows"][2]["metrics"]
    assert jsj["invest"] == {"value": 72.7, "numerator": 8000, "denominator": 11000}
    assert jsj["reports"] == {"value": None, "numerator": None, "denominator": None}
    assert data["rows"][2]["counted"] == ["nodes", "invest", "problems"]  # renormalised over 90, not 100
    assert data["weights"] == {"nodes": 40.0, "invest": 30.0, "problems": 20.0, "reports": 10.0, "inspection": 0.0}
    assert data["settings"] == {"invest_bonus": 0.0, "min_items": 3, "red": 1, "black": 1, "target": 45.0}
    assert data["time_progress"] == 91.7
    # epsilon has no report: 未填报 in section 5
    assert [r["pace"] for r in bulletin_json(b)["pace"] if r["project"] == "epsilon"] == ["no_report"]


def test_the_ranking_in_markdown_and_the_digest(sanshi, write_toml: Callable[..., Path]) -> None:
    path = write_toml(RANKED)
    result = sanshi("bulletin", "--month", "2026-11", "-f", str(path))
    out = result.stdout
    assert "| 1 | 甲组 | 100.0% (3/3) | — | — | — | — | 100.0 | **红榜** |" in out
    assert "| 1 | 乙组 | 100.0% (3/3) | — | — | — | — | 100.0 | **红榜** |" in out
    assert "| 4 | 财政局 | 50.0% (1/2) | 0.0% | 100.0% (1/1) | — | — | 44.4 | 黑榜 |" in out
    assert "| 不排名 | 丙组 | 100.0% (1/1) | — | — | — | — | 100.0 |  |" in out
    assert "| 不排名 | 丁组 | — | — | — | — | — | — |  |" in out
    assert "**红榜**：甲组 100.0、乙组 100.0\n\n**黑榜**：财政局 44.4\n" in out
    assert "权重（节点按期完成率 40、投资完成率（对序时） 30、问题按时办结率 20、报送及时率 10、观摩评价 0）" in out
    assert "少于 3 项的单位不排名" in out and "红榜为前 1 名中得分不低于 45 的单位" in out
    b = build_bulletin(load_portfolio(path), NOVEMBER)
    digest = chat_digest(b, "en", title="T")
    assert digest.endswith("- Red list: 甲组 100.0, 乙组 100.0\n- Black list: 财政局 44.4\n")
    assert "|" not in digest  # a list, no table


def test_the_ranking_ignores_filters(sanshi, write_toml: Callable[..., Path]) -> None:
    """Ranks are of the whole file; a filter only narrows the rows shown to the units it concerns."""
    path = write_toml(RANKED)
    result = sanshi("bulletin", "--month", "2026-11", "--format", "json", "-p", "beta", "-f", str(path))
    data = json.loads(result.stdout)["ranking"]
    assert [(r["unit"], r["rank"], r["black"]) for r in data["rows"]] == [("czj", 4, True)]
    assert data["black_list"] == ["czj"] and data["red_list"] == []
    result = sanshi("bulletin", "--month", "2026-11", "--format", "json", "-u", "gb", "-f", str(path))
    assert [(r["unit"], r["rank"]) for r in json.loads(result.stdout)["ranking"]["rows"]] == [("gb", 1)]


def test_the_ranking_of_a_period_with_no_data(write_toml: Callable[..., Path]) -> None:
    """January 2025: nothing due, no report, no problem: every unit listed, none scored or ranked."""
    b = build_bulletin(load_portfolio(write_toml(RANKED)), resolve_period(date(2026, 12, 1), month="2025-01"))
    data = bulletin_json(b)["ranking"]
    assert [(r["unit"], r["score"], r["rank"]) for r in data["rows"]] == [
        ("jsj", None, None), ("czj", None, None), ("ga", None, None), ("gb", None, None), ("hb", None, None),
        ("zrj", None, None),
    ]  # fmt: skip
    assert data["red_list"] == [] and data["black_list"] == []
    import io

    from sanshi_cli.rendering_bulletin import render_markdown

    out = io.StringIO()
    render_markdown(b, "zh", out, title="T", unit_names={})
    assert "| 不排名 | 建设局 | — | — | — | — | — | — |  |" in out.getvalue()
    assert "**红榜**：无\n\n**黑榜**：无\n" in out.getvalue()
