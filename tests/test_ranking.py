"""单位排名 (比学赶超): every figure checked against a hand computation on small files.

The arithmetic is in the comments; nothing expected is computed by the code under test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sanshi_cli.loading import load_portfolio
from sanshi_cli.ranking import Metric, Ranking, rank_units, ranking_record

D = date.fromisoformat
END = D("2026-06-30")  # the period's end: 序时 (months) = 6/12 = 50 %

HEAD = """\
[settings]
report_every_days = 10

[[units]]
id = "a"
name = "甲局"

[[units]]
id = "b"
name = "乙局"
short = "乙"

[[units]]
id = "d"
name = "丁局"

[[units]]
id = "e"
name = "戊局"

[[units]]
id = "idle"
name = "闲局"

[[people]]
id = "leader-a"
name = "示例领导甲"
"""

# Unit a: p1. Unit b: p2 (no plan, no reports) and one milestone and one problem of p1.
# Unit e: one milestone of p1 (one item). Unit d: p4, which starts after the period (nothing).
# Unit idle: in [[units]] only, answering for nothing: not listed.
PROJECTS = """
[[projects]]
id = "p1"
name = "一号项目"
leader = "leader-a"
lead_unit = "a"
responsible_unit = "a"
start = 2025-06-01
finish = 2027-12-31
annual_investment = 1000

  [[projects.milestones]]
  id = "m5"
  name = "去年的节点"
  due = 2025-12-10
  done = 2025-12-09

  [[projects.milestones]]
  id = "m1"
  name = "按期"
  due = 2026-02-10
  done = 2026-02-09

  [[projects.milestones]]
  id = "m2"
  name = "逾期完成"
  due = 2026-03-10
  done = 2026-03-12

  [[projects.milestones]]
  id = "m3"
  name = "未完成"
  due = 2026-05-10

  [[projects.milestones]]
  id = "m4"
  name = "期后到期"
  due = 2026-07-10

  [[projects.milestones]]
  id = "m6"
  name = "乙局的节点"
  due = 2026-04-10
  done = 2026-04-10
  owner = "b"

  [[projects.milestones]]
  id = "m7"
  name = "戊局的节点"
  due = 2026-06-01
  done = 2026-05-30
  owner = "e"

  [[projects.reports]]
  on = 2025-12-20
  invest = 100

  [[projects.reports]]
  on = 2026-01-05
  invest = 200

  [[projects.reports]]
  on = 2026-01-08
  text = "同一窗口的第二份"

  [[projects.reports]]
  on = 2026-03-01
  invest = 150

  [[projects.reports]]
  on = 2026-06-30
  invest = 50

  [[projects.reports]]
  on = 2026-07-05
  invest = 1000

  [[projects.problems]]
  id = "X1"
  text = "按期办结"
  raised = 2026-01-05
  due = 2026-02-01
  solved = 2026-01-30
  closed = 2026-02-02

  [[projects.problems]]
  id = "X2"
  text = "按时申请延期后办结"
  raised = 2026-02-01
  due = 2026-03-01
  solved = 2026-03-25

    [[projects.problems.extensions]]
    on = 2026-02-20
    due = 2026-04-01
    reason = "按时申请"

  [[projects.problems]]
  id = "X3"
  text = "逾时申请延期"
  raised = 2026-03-01
  due = 2026-04-01
  solved = 2026-04-20

    [[projects.problems.extensions]]
    on = 2026-04-05
    due = 2026-05-01
    reason = "逾时申请"

  [[projects.problems]]
  id = "X4"
  text = "未办结"
  raised = 2026-05-01
  due = 2026-06-15

  [[projects.problems]]
  id = "X5"
  text = "时限在期后"
  raised = 2026-06-01
  due = 2026-07-15

  [[projects.problems]]
  id = "X6"
  text = "乙局的问题"
  owner = "b"
  raised = 2026-05-01
  due = 2026-06-10
  solved = 2026-06-05

  [[projects.problems]]
  id = "X7"
  text = "期后提出"
  raised = 2026-07-02
  due = 2026-07-30

  [[projects.problems]]
  id = "X8"
  text = "期后才办结"
  raised = 2026-05-01
  due = 2026-06-20
  solved = 2026-07-01

[[projects]]
id = "p2"
name = "二号项目"
leader = "leader-a"
lead_unit = "b"
responsible_unit = "b"
start = 2026-03-01
finish = 2026-12-31

  [[projects.milestones]]
  id = "n1"
  name = "节点一"
  due = 2026-04-30
  done = 2026-04-30

  [[projects.milestones]]
  id = "n2"
  name = "节点二"
  due = 2026-05-31
  done = 2026-05-20

[[projects]]
id = "p4"
name = "四号项目"
leader = "leader-a"
lead_unit = "d"
responsible_unit = "d"
start = 2026-09-01
finish = 2027-06-30

  [[projects.milestones]]
  id = "q1"
  name = "期后开工"
  due = 2026-10-01
"""

Writer = Callable[..., Path]


def ranked(write_toml: Writer, text: str, end: date = END) -> Ranking:
    return rank_units(load_portfolio(write_toml(text)), end)


def by_unit(ranking: Ranking) -> dict[str, object]:
    return {row.unit.id: row for row in ranking.rows}


def test_every_metric_of_every_unit(write_toml: Writer) -> None:
    ranking = ranked(write_toml, HEAD + PROJECTS)
    assert ranking.year_start == D("2026-01-01")
    assert ranking.time_progress == pytest.approx(50.0)
    rows = {row.unit.id: row for row in ranking.rows}
    assert list(rows) == ["b", "a", "e", "d"]  # ranked best first, then unranked by score; idle not listed

    a = rows["a"].metrics
    # nodes: m1 on time; m2 late; m3 open (m4 after the period, m5 last year, m6/m7 not a's) → 1/3
    assert a["nodes"] == Metric(pytest.approx(100 / 3), 1, 3)  # type: ignore[arg-type]
    # invest: this year by 06-30: 200 + 150 + 50 = 400 (12-20 last year, 07-05 later); plan 1000 × 50 % = 500 → 80
    assert a["invest"] == Metric(80.0, 400, 500)
    # problems: X1 ✓, X2 ✓ (timely extension to 04-01, solved 03-25), X3 ✗ (late extension: judged on 04-01,
    # solved 04-20), X4 ✗ (open), X8 ✗ (solved 07-01, after the period); X5 due later, X6 b's, X7 not raised → 2/5
    assert a["problems"] == Metric(40.0, 2, 5)
    # reports: 01-01..06-30 is 181 days → 18 ended windows of 10 days (the 19th starts 06-30, still running);
    # 01-05 and 01-08 in window 1, 03-01 (day 60) in window 6 → 2/18
    assert a["reports"] == Metric(pytest.approx(100 / 9), 2, 18)  # type: ignore[arg-type]
    assert "inspection" not in a
    # (40 × 100/3 + 30 × 80 + 20 × 40 + 10 × 100/9) ÷ 100 = (41800/9) ÷ 100 = 46.444…
    assert rows["a"].score == pytest.approx(41800 / 900)
    assert rows["a"].shown_score == 46.4
    assert rows["a"].items == 3 + 5 + 18

    b = rows["b"].metrics
    assert b["nodes"] == Metric(100.0, 3, 3)  # n1, n2 and p1's m6, all on time
    assert b["problems"] == Metric(100.0, 1, 1)  # X6
    # p2 has no reports: 03-01..06-30 is 122 days → 12 ended windows, none holding a report
    assert b["reports"] == Metric(0.0, 0, 12)
    assert "invest" not in b  # p2 has no annual plan
    # renormalised over the weights of the metrics it has: (40 × 100 + 20 × 100 + 10 × 0) ÷ 70 = 85.714…
    assert rows["b"].counted == ("nodes", "problems", "reports")
    assert rows["b"].score == pytest.approx(6000 / 70)
    assert rows["b"].items == 16

    assert rows["e"].metrics == {"nodes": Metric(100.0, 1, 1)}
    assert (rows["e"].score, rows["e"].items, rows["e"].rank) == (100.0, 1, None)  # 1 item < min_items 3

    # d: p4 starts after the period: no node due, no report window, no plan: listed, no score, no rank
    assert (rows["d"].metrics, rows["d"].score, rows["d"].rank, rows["d"].items) == ({}, None, None, 0)

    assert [(u, rows[u].rank, rows[u].red, rows[u].black) for u in rows] == [
        ("b", 1, False, True),  # 85.7 < target 90: no red list; both ranked units are in the bottom 3 places
        ("a", 2, False, True),
        ("e", None, False, False),
        ("d", None, False, False),
    ]
    assert [row.unit.id for row in ranking.black_list] == ["a", "b"]  # worst first
    assert ranking.red_list == []


def test_the_json_record(write_toml: Writer) -> None:
    rows = {row.unit.id: row for row in ranked(write_toml, HEAD + PROJECTS).rows}
    assert ranking_record(rows["a"]) == {
        "unit": "a",
        "unit_name": "甲局",
        "unit_short": None,
        "metrics": {
            "nodes": {"value": 33.3, "numerator": 1, "denominator": 3},
            "invest": {"value": 80.0, "numerator": 400, "denominator": 500},
            "problems": {"value": 40.0, "numerator": 2, "denominator": 5},
            "reports": {"value": 11.1, "numerator": 2, "denominator": 18},
            "inspection": {"value": None, "numerator": None, "denominator": None},
        },
        "counted": ["nodes", "invest", "problems", "reports"],
        "items": 26,
        "score": 46.4,
        "rank": 2,
        "red": False,
        "black": True,
    }
    record = ranking_record(rows["d"])
    assert (record["score"], record["rank"], record["items"], record["counted"]) == (None, None, 0, [])
    assert ranking_record(rows["b"])["unit_short"] == "乙"


def test_min_items_lower_ranks_the_unit_with_one_item(write_toml: Writer) -> None:
    text = HEAD.replace("[settings]", "[ranking]\nmin_items = 1\n\n[settings]") + PROJECTS
    rows = {row.unit.id: row for row in ranked(write_toml, text).rows}
    # e 100 ≥ 90: rank 1 and the red list; b 85.7 and a 46.4 below the target, the bottom two places
    assert [(u, rows[u].rank, rows[u].red, rows[u].black) for u in rows] == [
        ("e", 1, True, False),
        ("b", 2, False, True),
        ("a", 3, False, True),
        ("d", None, False, False),
    ]


def test_time_basis_days(write_toml: Writer) -> None:
    text = HEAD.replace("report_every_days = 10", 'report_every_days = 10\ntime_basis = "days"') + PROJECTS
    ranking = ranked(write_toml, text)
    # 06-30 is day 181 of 365: 序时 = 181/365 = 49.589 %; a's invest: 400 ÷ (1000 × 181/365 = 495.89) = 80.663 %
    assert ranking.time_progress == pytest.approx(100 * 181 / 365)
    a = next(row for row in ranking.rows if row.unit.id == "a")
    assert a.metrics["invest"].value == pytest.approx(400 / (1000 * 181 / 365) * 100)
    assert ranking_record(a)["metrics"]["invest"] == {  # type: ignore[index]
        "value": 80.7,
        "numerator": 400,
        "denominator": 495.89,
    }


@pytest.mark.parametrize(
    ("end", "invest"),
    [
        # June not over: 5/12; the 06-30 report not made yet: 200 + 150 = 350 ÷ (1000 × 5/12 = 416.67) = 84 %
        ("2026-06-29", Metric(pytest.approx(84.0), 350, pytest.approx(1000 * 5 / 12))),
        ("2026-01-20", None),  # 序时 0/12 in January: no data (not a division by zero)
    ],
)
def test_time_progress_by_months(write_toml: Writer, end: str, invest: Metric | None) -> None:
    a = next(row for row in ranked(write_toml, HEAD + PROJECTS, D(end)).rows if row.unit.id == "a")
    assert a.metrics.get("invest") == invest


INVEST = """\
[settings]
report_every_days = 30

[ranking]
weights = { nodes = 40, invest = 30, problems = 0, reports = 0 }
min_items = 0

[[units]]
id = "c"
name = "丙局"

[[units]]
id = "f"
name = "己局"

[[people]]
id = "leader-a"
name = "示例领导甲"

[[projects]]
id = "p3"
name = "三号项目"
leader = "leader-a"
lead_unit = "c"
responsible_unit = "c"
start = 2026-01-01
finish = 2026-12-31
annual_investment = { 2025 = 9999, 2026 = 2000 }

  [[projects.milestones]]
  id = "k1"
  name = "节点"
  due = 2026-03-02
  done = 2026-03-02

  [[projects.reports]]
  on = 2026-01-03
  invest = 1500

  [[projects.reports]]
  on = 2026-02-15
  invest = 1000

[[projects]]
id = "p5"
name = "五号项目"
leader = "leader-a"
lead_unit = "f"
responsible_unit = "f"
start = 2026-01-01
finish = 2026-12-31
annual_investment = 3000

  [[projects.milestones]]
  id = "k2"
  name = "节点"
  due = 2026-03-02
  done = 2026-03-02

[[projects]]
id = "p6"
name = "六号项目"
leader = "leader-a"
lead_unit = "f"
responsible_unit = "f"
start = 2026-01-01
finish = 2026-12-31
annual_investment = 1000

  [[projects.reports]]
  on = 2026-04-01
  invest = 600
"""


@pytest.mark.parametrize(
    ("bonus", "value", "score"),
    [
        # c: 2500 ÷ (2000 × 50 % = 1000) = 250 %, capped at 100; (40 × 100 + 30 × 100) ÷ 70 = 100
        ("", 100.0, 100.0),
        # capped at 120: (40 × 100 + 30 × 120) ÷ 70 = 108.57…, clamped to 100
        ("invest_bonus = 20\n", 120.0, 100.0),
    ],
)
def test_invest_cap_bonus_and_clamp(write_toml: Writer, bonus: str, value: float, score: float) -> None:
    text = INVEST.replace("min_items = 0\n", "min_items = 0\n" + bonus)
    rows = {row.unit.id: row for row in ranked(write_toml, text).rows}
    assert rows["c"].metrics["invest"] == Metric(value, 2500, 1000)  # the 2026 plan of the table by year
    assert rows["c"].score == score
    # f: p5 planned 3000 without any report counts 0 invested, p6 600 of 1000: 600 ÷ (4000 × 50 %) = 30 %
    assert rows["f"].metrics["invest"] == Metric(30.0, 600, 2000)
    # (40 × 100 + 30 × 30) ÷ 70 = 70
    assert rows["f"].score == pytest.approx(70.0)
    assert [(r.unit.id, r.rank) for r in rows.values()] == [("c", 1), ("f", 2)]


def test_no_invest_data_until_some_report_gives_invest(write_toml: Writer) -> None:
    text = INVEST.replace("invest = 1500", 'text = "无投资"').replace("invest = 1000\n", 'text = "无"\n')
    text = text.replace("invest = 600", 'text = "无"')
    rows = {row.unit.id: row for row in ranked(write_toml, text).rows}
    assert "invest" not in rows["c"].metrics and "invest" not in rows["f"].metrics
    assert rows["f"].score == 100.0  # nodes alone: 1/1


def test_a_period_with_no_data(write_toml: Writer) -> None:
    # 01-05: no node due yet (m1 is 02-10), 序时 0/12, no problem deadline yet, no 10-day window ended
    ranking = ranked(write_toml, HEAD + PROJECTS, D("2026-01-05"))
    assert [(r.unit.id, r.metrics, r.score, r.rank, r.items) for r in ranking.rows] == [
        ("a", {}, None, None, 0),
        ("b", {}, None, None, 0),
        ("d", {}, None, None, 0),
        ("e", {}, None, None, 0),
    ]
    assert ranking.red_list == ranking.black_list == []


def test_no_report_windows_without_a_cadence(write_toml: Writer) -> None:
    text = HEAD.replace("report_every_days = 10\n", "") + PROJECTS
    rows = {row.unit.id: row for row in ranked(write_toml, text).rows}
    assert "reports" not in rows["a"].metrics and "reports" not in rows["b"].metrics
    # b: (40 × 100 + 20 × 100) ÷ 60 = 100, items 3 + 1 = 4
    assert (rows["b"].score, rows["b"].items) == (100.0, 4)


# -- ranks, ties and the red and black lists: scores set by inspections alone -------------------------

SCORES = {"u1": 95, "u2": 92.04, "u3": 91.96, "u4": 85, "u5": 70, "u6": 60, "u7": 60}


def scored(settings: str, scores: dict[str, float] = SCORES) -> str:
    head = "[ranking]\nweights = { nodes = 0, invest = 0, problems = 0, reports = 0, inspection = 1 }\n" + settings
    units = "".join(f'\n[[units]]\nid = "{u}"\nname = "单位{u}"\n' for u in scores)
    inspections = "".join(f'\n[[inspections]]\non = 2026-05-01\nunit = "{u}"\nscore = {s}\n' for u, s in scores.items())
    return head + units + inspections


def table(ranking: Ranking) -> list[tuple[str, float | None, int | None, str]]:
    lists = {(True, False): "red", (False, True): "black", (False, False): ""}
    return [(r.unit.id, r.shown_score, r.rank, lists[(r.red, r.black)]) for r in ranking.rows]


def test_competition_ranks_on_the_rounded_score_and_ties_at_both_boundaries(write_toml: Writer) -> None:
    # 92.04 and 91.96 are both 92.0: tied at rank 2 (1, 2, 2, 4 …); red = 2 takes ranks 1 and 2, so both;
    # black = 2: the two 60s share the last place (1 from the bottom), 70 is 3rd from the bottom
    ranking = ranked(write_toml, scored("min_items = 0\nred = 2\nblack = 2\ntarget = 80\n"))
    assert table(ranking) == [
        ("u1", 95.0, 1, "red"),
        ("u2", 92.0, 2, "red"),
        ("u3", 92.0, 2, "red"),
        ("u4", 85.0, 4, ""),
        ("u5", 70.0, 5, ""),
        ("u6", 60.0, 6, "black"),
        ("u7", 60.0, 6, "black"),
    ]
    assert [r.unit.id for r in ranking.red_list] == ["u1", "u2", "u3"]


@pytest.mark.parametrize(
    ("settings", "red", "black"),
    [
        ("red = 1\nblack = 1\ntarget = 80\n", ["u1"], ["u6", "u7"]),  # a tie on the last place joins whole
        ("red = 3\nblack = 3\ntarget = 80\n", ["u1", "u2", "u3"], ["u5", "u6", "u7"]),
        ("red = 3\nblack = 3\ntarget = 93\n", ["u1"], ["u5", "u6", "u7"]),  # 92.0 misses the target
        ("red = 3\nblack = 5\ntarget = 93\n", ["u1"], ["u2", "u3", "u4", "u5", "u6", "u7"]),  # 92.0 is 5th from bottom
        ("red = 3\nblack = 3\ntarget = 92\n", ["u1", "u2", "u3"], ["u5", "u6", "u7"]),  # 92.0 meets 92 (≥)
        ("red = 3\nblack = 3\ntarget = 50\n", ["u1", "u2", "u3"], []),  # nobody below the target
        ("red = 0\nblack = 0\ntarget = 80\n", [], []),
    ],
)
def test_red_and_black_boundaries(write_toml: Writer, settings: str, red: list[str], black: list[str]) -> None:
    ranking = ranked(write_toml, scored("min_items = 0\n" + settings))
    assert sorted(r.unit.id for r in ranking.red_list) == red
    assert sorted(r.unit.id for r in ranking.black_list) == black


def test_inspections_are_not_items(write_toml: Writer) -> None:
    ranking = ranked(write_toml, scored(""))  # min_items 3 by default
    assert {r.rank for r in ranking.rows} == {None}
    assert ranking.red_list == ranking.black_list == []
    assert [r.unit.id for r in ranking.rows] == ["u1", "u2", "u3", "u4", "u5", "u6", "u7"]  # by score, file order


INSPECTED = """\
[ranking]
weights = { nodes = 0, invest = 0, problems = 0, reports = 0, inspection = 1 }
min_items = 0

[[units]]
id = "g"
name = "庚局"

[[units]]
id = "h"
name = "辛局"

[[people]]
id = "leader-a"
name = "示例领导甲"

[[projects]]
id = "g1"
name = "庚一"
leader = "leader-a"
lead_unit = "g"
responsible_unit = "g"
start = 2026-01-01
finish = 2026-12-31

[[projects]]
id = "g2"
name = "庚二"
leader = "leader-a"
lead_unit = "g"
responsible_unit = "g"
start = 2026-01-01
finish = 2026-12-31

[[projects]]
id = "h1"
name = "辛一"
leader = "leader-a"
lead_unit = "h"
responsible_unit = "h"
start = 2026-01-01
finish = 2026-12-31

[[inspections]]
on = 2026-03-01
project = "g1"
score = 50

[[inspections]]
on = 2026-05-01
project = "g1"
score = 80
note = "复查"

[[inspections]]
on = 2026-04-01
project = "g2"
score = 90

[[inspections]]
on = 2026-07-01
project = "g2"
score = 10
note = "期后：不计"

[[inspections]]
on = 2025-12-01
unit = "g"
score = 20
note = "去年：不计"

[[inspections]]
on = 2026-02-01
project = "h1"
score = 40

[[inspections]]
on = 2026-03-01
unit = "h"
score = 75

[[inspections]]
on = 2026-03-01
unit = "h"
score = 77
note = "同日的后一条为准"
"""


def test_inspection_latest_score_of_the_unit_or_mean_of_its_projects(write_toml: Writer) -> None:
    rows = {row.unit.id: row for row in ranked(write_toml, INSPECTED).rows}
    # g: no score of its own this year; g1's latest 80 (not 50), g2's 90 (07-01 is later): (80 + 90) ÷ 2 = 85
    assert rows["g"].metrics == {"inspection": Metric(85.0, 170, 200)}
    # h: its own score wins over h1's; two on the same day: the later line
    assert rows["h"].metrics == {"inspection": Metric(77.0, 77, 100)}
    assert [(u, r.rank) for u, r in rows.items()] == [("g", 1), ("h", 2)]


# -- validation --------------------------------------------------------------------------------------

BAD = """\
[ranking]
weights = { nodes = 0, invest = 0, problems = 0, reports = 0, inspection = 0 }

[[units]]
id = "jsj"
name = "高新区建设局"

[[people]]
id = "leader-a"
name = "示例领导甲"

[[projects]]
id = "civic-center"
name = "市民中心"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-03-01
finish = 2027-12-31

[[inspections]]
on = 2026-10-20
unit = "jsk"
score = 90

[[inspections]]
on = 2026-10-20
project = "civic-centre"
score = 90

[[inspections]]
on = 2026-10-20
unit = "jsj"
project = "civic-center"
score = 90

[[inspections]]
on = 2026-10-20
score = 90
note = "x"

[[inspections]]
on = 2026-10-21
unit = "高新区建设局"
score = 80

[[inspections]]
on = 1989-10-21
unit = "jsj"
score = 80
"""

BAD_LINES = {
    "en": [
        "projects.toml:2: error: key ranking.weights: every weight is 0: give at least one metric a weight above "
        "0, such as weights = { nodes = 40, invest = 30, problems = 20, reports = 10, inspection = 0 }",
        "projects.toml:23: error: key inspections.unit: unknown unit 'jsk' (did you mean 'jsj'?): use an id "
        "defined in [[units]]",
        "projects.toml:28: error: key inspections.project: unknown project 'civic-centre' (did you mean "
        "'civic-center'?): use an id defined in [[projects]]",
        "projects.toml:34: error: key inspections.project: an inspection scores either a unit (unit) or a "
        "project (project), not both: remove one of them",
        'projects.toml:37: error: the inspection of 2026-10-20 scores nobody: add unit = "unit id" or project = '
        '"project id"',
        "projects.toml:44: error: key inspections.unit: '高新区建设局' is the name of a unit: write its id 'jsj' "
        "here (see [[units]])",
        "projects.toml:48: error: key inspections.on: date 1989-10-21 is not between 1990-01-01 and 2199-12-31: "
        "check the year",
    ],
    "zh": [
        "projects.toml:2: 错误：键 ranking.weights：各项权重都是 0：请至少给一项大于 0 的权重，如 weights = { nodes "
        "= 40, invest = 30, problems = 20, reports = 10, inspection = 0 }",
        "projects.toml:23: 错误：键 inspections.unit：未知的单位 “jsk”（是否应为 “jsj”？）：请使用 [[units]] 中已有的 id",
        "projects.toml:28: 错误：键 inspections.project：未知的项目 “civic-centre”（是否应为 “civic-center”？）：请使用 "
        "[[projects]] 中已有的 id",
        "projects.toml:34: 错误：键 inspections.project：一条观摩评价只能评一个单位（unit）或一个项目（project）：请删去其中之一",
        'projects.toml:37: 错误：2026-10-20 的观摩评价没有写评价对象：请写 unit = "单位id" 或 project = "项目id"',
        "projects.toml:44: 错误：键 inspections.unit：“高新区建设局” 是单位的名称：这里请写它的 id “jsj”（见 [[units]]）",
        "projects.toml:48: 错误：键 inspections.on：日期 1989-10-21 不在 1990-01-01 至 2199-12-31 之间：请检查年份",
    ],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_meaning_errors_are_located(sanshi, write_toml: Writer, lang: str) -> None:
    write_toml(BAD)
    result = sanshi("check", "-f", "projects.toml", "--as-of", "2026-11-27", "--lang", lang)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == BAD_LINES[lang]


TYPED = """\
[ranking]
weights = { nodes = -1, invst = 3 }
min_items = 2.5
target = 101
red = -1
black = true
invest_bonus = -5

[[inspections]]
on = 2026-10-20
unit = "jsj"
score = 101

[[inspection]]
on = 2026-10-20
score = 50
"""

TYPED_LINES = {
    "en": [
        "projects.toml:2: error: key ranking.weights.nodes: invalid value -1: must be at least 0.0",
        "projects.toml:2: error: key ranking.weights.invst: unknown key (did you mean 'invest'?): remove or correct it",
        "projects.toml:3: error: key ranking.min_items: invalid value 2.5: expected a whole number",
        "projects.toml:4: error: key ranking.target: invalid value 101: must be at most 100.0",
        "projects.toml:5: error: key ranking.red: invalid value -1: must be at least 0",
        "projects.toml:6: error: key ranking.black: invalid value true: expected a whole number",
        "projects.toml:7: error: key ranking.invest_bonus: invalid value -5: must be at least 0.0",
        "projects.toml:12: error: key inspections.score: invalid value 101: must be at most 100.0",
        "projects.toml:14: error: key inspection: the table header [[inspection]] is unknown: did you mean "
        "[[inspections]]?",
    ],
}


def test_typing_errors_are_located(sanshi, write_toml: Writer) -> None:
    write_toml(TYPED)
    result = sanshi("check", "-f", "projects.toml", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == TYPED_LINES["en"]


def test_the_defaults(write_toml: Writer) -> None:
    from tests.conftest import MINIMAL

    config = load_portfolio(write_toml(MINIMAL)).portfolio.ranking
    weights = config.weights
    assert (weights.nodes, weights.invest, weights.problems, weights.reports, weights.inspection) == (40, 30, 20, 10, 0)
    assert (config.invest_bonus, config.min_items, config.red, config.black, config.target) == (0, 3, 3, 3, 90)
