"""Items that are not milestones (issue 9): progress lag, investment lag and a missing report,
in ``status`` (every format), ``alert`` and ``plan``.

The file below, as of Friday 2026-11-27 (序时进度 10/12 = 83.3 %), reports every 7 days:

- 再生水综合利用项目 (投资集团, 示例领导乙): 7,200 of 20,000 万元 invested this year (36.0 %,
  47.3 points behind 序时: red); its last report was on 11-13, so the one due 11-20 is missing
  (blue); 用地预审 is 3 days overdue (yellow) and 管网铺设完成 (20 working days after it) at risk;
- 市民中心 (建设局, 示例领导甲): reported 70 % on 11-20 against a plan of 88.6 % (18.6 points
  behind: yellow); 10,500 of 12,000 invested (ahead of 序时); 主体封顶 due in 2 working days (blue).
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sanshi_cli.alerting import Alert, Recipient, read_state
from sanshi_cli.loading import load_portfolio
from sanshi_cli.mailing import heading, subject_of
from sanshi_cli.status import find_items
from tests.conftest import Result
from tests.smtp_server import Server

AS_OF = "2026-11-27"

REPORTS = """\
[settings]
title = "高新区重点项目"
report_every_days = 7

[alerts]
pmo = ["pmo@example.gov.cn"]

[smtp]
host = "127.0.0.1"
port = {port}
security = "none"
from = "高新区指挥部办公室 <sanshi@example.gov.cn>"

[[units]]
id = "jsj"
name = "高新区建设局"
short = "建设局"
email = ["jsj@example.gov.cn"]

[[units]]
id = "tzjt"
name = "高新区投资集团有限公司"
short = "投资集团"
email = ["tzjt@example.gov.cn"]

[[people]]
id = "leader-a"
name = "示例领导甲"
email = "a@example.gov.cn"

[[people]]
id = "leader-b"
name = "示例领导乙"
email = "b@example.gov.cn"

[[projects]]
id = "civic-center"
name = "市民中心"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-03-02
finish = 2026-12-31
annual_investment = 12000

  [[projects.milestones]]
  id = "permits"
  name = "施工许可证"
  due = 2026-04-30
  done = 2026-04-28

  [[projects.milestones]]
  id = "topping-out"
  name = "主体封顶"
  due = 2026-12-01

  [[projects.reports]]
  on = 2026-11-13
  progress = 65
  invest = 6000
  by = "jsj"

  [[projects.reports]]
  on = 2026-11-20
  progress = 70
  invest = 4000
  text = "完成三层顶板混凝土浇筑"
  by = "jsj"

  [[projects.reports]]
  on = 2026-11-27
  invest = 500
  text = "四层钢筋绑扎"
  by = "jsj"

[[projects]]
id = "reclaimed-water"
name = "再生水综合利用项目"
leader = "leader-b"
lead_unit = "jsj"
responsible_unit = "tzjt"
start = 2026-02-02
finish = 2026-12-31
annual_investment = 20000

  [[projects.milestones]]
  id = "land"
  name = "用地预审"
  due = 2026-11-24

  [[projects.milestones]]
  id = "pipes"
  name = "管网铺设完成"
  after = "land"
  offset = "20wd"

  [[projects.reports]]
  on = 2026-10-30
  progress = 80
  invest = 7200
  by = "tzjt"

  [[projects.reports]]
  on = 2026-11-13
  progress = 85
  by = "tzjt"
"""


def reports_text(port: int = 2525, *, replace: tuple[tuple[str, str], ...] = ()) -> str:
    text = REPORTS.replace("{port}", str(port))
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def reports_file(write_toml: Callable[..., Path]) -> Path:
    return write_toml(reports_text())


def status(sanshi: Callable[..., Result], path: Path, *args: str) -> Result:
    return sanshi("status", "-f", str(path), "--as-of", AS_OF, *args)


def listed(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.stderr
    items: list[dict[str, object]] = json.loads(result.stdout)["items"]
    return items


# -- status: the items and their order -------------------------------------------------------------


def test_every_kind_in_order_of_level_then_seriousness(sanshi, reports_file):
    items = listed(status(sanshi, reports_file, "--format", "json"))
    assert [(i["level"], i["kind"], i["state"], i["project"], i["milestone"]) for i in items] == [
        ("red", "invest_lag", "invest_lag", "reclaimed-water", None),
        ("yellow", "milestone", "overdue", "reclaimed-water", "land"),
        ("yellow", "progress_lag", "progress_lag", "civic-center", None),
        ("yellow", "milestone", "at_risk", "reclaimed-water", "pipes"),
        ("blue", "report_missing", "report_missing", "reclaimed-water", None),
        ("blue", "milestone", "due_soon", "civic-center", "topping-out"),
    ]


# issue 11: the keys of a problem item, null for every other kind
PROBLEM_NULLS = dict.fromkeys(("problem", "problem_text", "category", "lifecycle", "escalation", "late_extension"))


def test_json_of_the_new_kinds(sanshi, reports_file):
    items = listed(status(sanshi, reports_file, "--format", "json"))
    nulls = dict.fromkeys(("milestone", "milestone_name", "stage", "due", "done", "forecast"))
    zeros = dict.fromkeys(("slip_days", "days_overdue", "workdays_left", "days_late"), 0)
    invest, progress, missing = (i for i in items if i["kind"] != "milestone")
    assert invest == {
        "project": "reclaimed-water", "project_name": "再生水综合利用项目", **nulls, **zeros,
        "state": "invest_lag", "level": "red",
        "responsible_unit": "高新区投资集团有限公司", "responsible_unit_id": "tzjt",
        "leader": "示例领导乙", "leader_id": "leader-b", "kind": "invest_lag",
        "planned_progress": invest["planned_progress"], "reported_progress": 85.0, "reported_on": "2026-11-13",
        "lag_points": 47.3, "invest_rate": 36.0, "last_report": "2026-11-13", "report_due": None,
        "reports_missed": None, **PROBLEM_NULLS,
    }  # fmt: skip
    assert {k: progress[k] for k in ("planned_progress", "reported_progress", "reported_on", "lag_points")} == {
        "planned_progress": 88.6, "reported_progress": 70.0, "reported_on": "2026-11-20", "lag_points": 18.6,
    }  # fmt: skip
    assert (progress["invest_rate"], progress["last_report"]) == (87.5, "2026-11-27")  # the last report gave no %
    assert (progress["responsible_unit_id"], progress["leader_id"]) == ("jsj", "leader-a")
    assert {k: missing[k] for k in ("lag_points", "report_due", "reports_missed", "last_report")} == {
        "lag_points": None, "report_due": "2026-11-20", "reports_missed": 1, "last_report": "2026-11-13",
    }  # fmt: skip
    milestone = next(i for i in items if i["kind"] == "milestone")
    assert all(milestone[k] is None for k in ("planned_progress", "reported_progress", "lag_points", "last_report"))


def test_summary_counts_the_new_kinds_in_their_levels(sanshi, reports_file):
    document = json.loads(status(sanshi, reports_file, "--format", "json").stdout)
    assert document["summary"] == {
        "red": 1, "yellow": 3, "blue": 2, "green": 0, "done": 0, "done_late": 0, "on_track": 0, "at_risk": 1,
        "progress_lag": 1, "invest_lag": 1, "report_missing": 1, "problem": 0,
    }  # fmt: skip


def test_a_second_missed_report_turns_yellow(sanshi, reports_file):
    items = listed(sanshi("status", "-f", str(reports_file), "--as-of", "2026-12-02", "--format", "json"))
    [missing] = [i for i in items if i["kind"] == "report_missing"]
    # due 11-20 and 11-27, both missed; the one due 12-04 is not yet
    assert (missing["level"], missing["report_due"], missing["reports_missed"]) == ("yellow", "2026-11-20", 2)


def test_csv_appends_the_new_columns(sanshi, reports_file):
    rows = list(csv.reader(io.StringIO(status(sanshi, reports_file, "--format", "csv").stdout)))
    header = rows[0]
    assert header[-16:-6] == [
        "leader_id", "kind", "planned_progress", "reported_progress", "reported_on", "lag_points", "invest_rate",
        "last_report", "report_due", "reports_missed",
    ]  # fmt: skip
    by_kind = {row[header.index("kind")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_kind["progress_lag"]["milestone"] == "" and by_kind["progress_lag"]["due"] == ""
    assert by_kind["progress_lag"]["lag_points"] == "18.6"
    assert by_kind["report_missing"]["reports_missed"] == "1"
    assert by_kind["milestone"]["reports_missed"] == ""


WIDE_ZH = """\
高新区重点项目　截至 2026-11-27

级别      项目                节点          截止日期    情况                                                      预计完成    责任单位                分包领导
────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
红灯      再生水综合利用项目  投资进度滞后              投资完成率 36.0%，欠序时进度 47.3 个百分点                            高新区投资集团有限公司  示例领导乙
黄灯      再生水综合利用项目  用地预审      2026-11-24  逾期 3 天                                                             高新区投资集团有限公司  示例领导乙
黄灯      市民中心            形象进度滞后              计划 88.6%，填报 70.0%（2026-11-20），滞后 18.6 个百分点              高新区建设局            示例领导甲
延误风险  再生水综合利用项目  管网铺设完成  2026-12-22  预计推迟 3 天                                             2026-12-25  高新区投资集团有限公司  示例领导乙
蓝色提醒  再生水综合利用项目  未按时填报                应于 2026-11-20 填报，已逾期 1 次                                     高新区投资集团有限公司  示例领导乙
蓝色提醒  市民中心            主体封顶      2026-12-01  剩 2 个工作日                                                         高新区建设局            示例领导甲

红灯：1 项    黄灯：2 项    延误风险：1 项    蓝色提醒：2 项
"""

NARROW_ZH = """\
高新区重点项目　截至 2026-11-27
再生水综合利用项目  示例领导乙  投资集团
  红灯      投资进度滞后         投资完成率 36.0%，欠序时进度 47.3 个百分点
  黄灯      用地预审      11-24  逾期 3 天
  延误风险  管网铺设完成  12-22  预计推迟 3 天
  蓝色提醒  未按时填报           应于 11-20 填报，已逾期 1 次
市民中心  示例领导甲  建设局
  黄灯      形象进度滞后         计划 88.6%，填报 70.0%（11-20），滞后
                                 18.6 个百分点
  蓝色提醒  主体封顶      12-01  剩 2 个工作日
红灯：1 项    黄灯：2 项    延误风险：1 项    蓝色提醒：2 项
"""

MEDIUM_EN = """\
高新区重点项目 as of 2026-11-27

Level     Project             Milestone             Due    Status                         Forecast  Unit      Leader
────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
red       再生水综合利用项目  investment behind            invested 36.0% of the year's             投资集团  示例领导乙
                              plan                         plan, 47.3 points behind time
yellow    再生水综合利用项目  用地预审              11-24  3 days overdue                           投资集团  示例领导乙
yellow    市民中心            progress behind plan         planned 88.6%, reported 70.0%            建设局    示例领导甲
                                                           (11-20), 18.6 points behind
at risk   再生水综合利用项目  管网铺设完成          12-22  slips 3 days                   12-25     投资集团  示例领导乙
due soon  再生水综合利用项目  report overdue               report due 11-20, 1 missed               投资集团  示例领导乙
due soon  市民中心            主体封顶              12-01  2 working days left                      建设局    示例领导甲

red: 1 item    yellow: 2 items    at risk: 1 item    due soon: 2 items
"""


@pytest.mark.parametrize(
    ("columns", "lang", "expected"), [("200", "zh", WIDE_ZH), ("80", "zh", NARROW_ZH), ("120", "en", MEDIUM_EN)]
)
def test_the_table_names_each_kind_and_says_how_far_behind(sanshi, reports_file, monkeypatch, columns, lang, expected):
    monkeypatch.setenv("COLUMNS", columns)
    result = status(sanshi, reports_file, "--lang", lang)
    assert result.exit_code == 0
    assert result.stdout == expected


def test_markdown_rows_of_the_new_kinds(sanshi, reports_file):
    lines = status(sanshi, reports_file, "--format", "markdown", "--lang", "en").stdout.splitlines()
    assert "| red | 再生水综合利用项目 | investment behind plan |  | invested 36.0% of the year's plan, " in lines[4]
    assert lines[6] == (
        "| yellow | 市民中心 | progress behind plan |  | planned 88.6%, reported 70.0% (2026-11-20), "
        "18.6 points behind |  | 高新区建设局 | 示例领导甲 |"
    )
    assert "| due soon | 再生水综合利用项目 | report overdue |  | report due 2026-11-20, 1 missed |" in lines[8]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("-u", "jsj"), ["progress_lag", "topping-out"]),
        (("-u", "投资集团"), ["invest_lag", "land", "pipes", "report_missing"]),
        (("-p", "civic-center"), ["progress_lag", "topping-out"]),
        (("-l", "leader-b"), ["invest_lag", "land", "pipes", "report_missing"]),
        (("-l", "leader-a", "-u", "tzjt"), []),
    ],
)
def test_filters_keep_the_new_kinds_for_the_responsible_unit(sanshi, reports_file, args, expected):
    items = listed(status(sanshi, reports_file, "--format", "json", *args))
    assert [i["milestone"] or i["kind"] for i in items] == expected


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--fail-on", "red"), 1),  # the investment lag
        (("--fail-on", "red", "-u", "jsj"), 0),  # 建设局: a yellow lag and a blue milestone
        (("--fail-on", "yellow", "-u", "jsj"), 1),  # the progress lag
        (("--fail-on", "blue", "-u", "jsj", "--as-of", "2026-12-31"), 1),  # 主体封顶 overdue by then
    ],
)
def test_fail_on_counts_the_new_kinds_by_level(sanshi, reports_file, args, code):
    assert sanshi("status", "-f", str(reports_file), "--as-of", AS_OF, *args).exit_code == code


def test_all_adds_green_milestones_and_keeps_the_lags(sanshi, reports_file):
    items = listed(status(sanshi, reports_file, "--format", "json", "--all"))
    assert [i["milestone"] or i["kind"] for i in items] == [
        "invest_lag", "land", "progress_lag", "pipes", "report_missing", "topping-out", "permits",
    ]  # fmt: skip


def test_thresholds_decide_the_levels(sanshi, write_toml):
    path = write_toml(
        reports_text(replace=(("[alerts]\n", "[alerts]\nlag_yellow_points = 20\nlag_red_points = 40\n"),))
    )
    items = listed(status(sanshi, path, "--format", "json"))
    # 18.6 points is no longer behind enough; 47.3 is still red (> 40)
    assert [(i["kind"], i["level"]) for i in items if i["kind"] != "milestone"] == [
        ("invest_lag", "red"),
        ("report_missing", "blue"),
    ]


# -- the quiet upgrade --------------------------------------------------------------------------------

# A file from before issue 9: an annual plan and tight thresholds, but no reports and no cadence.
QUIET = """\
[settings]
title = "高新区重点项目"

[alerts]
lag_yellow_points = 5
lag_red_points = 10

[[units]]
id = "jsj"
name = "高新区建设局"
short = "建设局"

[[units]]
id = "tzjt"
name = "高新区投资集团有限公司"
short = "投资集团"

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
finish = 2026-12-31
annual_investment = 12000

  [[projects.milestones]]
  id = "permits"
  name = "施工许可证"
  due = 2026-04-30
  done = 2026-05-06

  [[projects.milestones]]
  id = "start"
  name = "开工"
  due = 2026-11-16

  [[projects.milestones]]
  id = "topping-out"
  name = "主体封顶"
  after = "start"
  offset = "10wd"

  [[projects.milestones]]
  id = "acceptance"
  name = "竣工验收"
  due = 2026-12-01
  owner = "tzjt"
"""

# What sanshi printed for QUIET before issue 9 (commit 63eb829), byte for byte.
QUIET_BEFORE = {
    "zh": """\
高新区重点项目　截至 2026-11-27

级别      项目      节点      截止日期    情况            预计完成    责任单位                分包领导
────────────────────────────────────────────────────────────────────────────────────────────────────────
红灯      市民中心  开工      2026-11-16  逾期 11 天                  高新区建设局            示例领导甲
延误风险  市民中心  主体封顶  2026-11-30  预计推迟 11 天  2026-12-11  高新区建设局            示例领导甲
蓝色提醒  市民中心  竣工验收  2026-12-01  剩 2 个工作日               高新区投资集团有限公司  示例领导甲

红灯：1 项    黄灯：0 项    延误风险：1 项    蓝色提醒：1 项
""",
    "en": """\
高新区重点项目 as of 2026-11-27

Level     Project   Milestone  Due         Status               Forecast    Responsible unit        Leader
──────────────────────────────────────────────────────────────────────────────────────────────────────────────
red       市民中心  开工       2026-11-16  11 days overdue                  高新区建设局            示例领导甲
at risk   市民中心  主体封顶   2026-11-30  slips 11 days        2026-12-11  高新区建设局            示例领导甲
due soon  市民中心  竣工验收   2026-12-01  2 working days left              高新区投资集团有限公司  示例领导甲

red: 1 item    yellow: 0 items    at risk: 1 item    due soon: 1 item
""",
    "markdown": """\
## 高新区重点项目 截至 2026-11-27

| 级别 | 项目 | 节点 | 截止日期 | 情况 | 预计完成 | 责任单位 | 分包领导 |
|---|---|---|---|---|---|---|---|
| 红灯 | 市民中心 | 开工 | 2026-11-16 | 逾期 11 天 |  | 高新区建设局 | 示例领导甲 |
| 延误风险 | 市民中心 | 主体封顶 | 2026-11-30 | 预计推迟 11 天 | 2026-12-11 | 高新区建设局 | 示例领导甲 |
| 蓝色提醒 | 市民中心 | 竣工验收 | 2026-12-01 | 剩 2 个工作日 |  | 高新区投资集团有限公司 | 示例领导甲 |
| 逾期完成 | 市民中心 | 施工许可证 | 2026-04-30 | 2026-05-06 完成，晚 6 天 |  | 高新区建设局 | 示例领导甲 |

- 红灯：1 项
- 黄灯：0 项
- 延误风险：1 项
- 蓝色提醒：1 项
- 已完成：0 项
- 逾期完成：1 项
- 正常推进：0 项
""",
    "csv": """\
project,project_name,milestone,milestone_name,stage,due,done,forecast,slip_days,state,level,days_overdue,workdays_left,days_late,responsible_unit,responsible_unit_id,leader,leader_id
civic-center,市民中心,start,开工,,2026-11-16,,2026-11-27,11,overdue,red,11,0,0,高新区建设局,jsj,示例领导甲,leader-a
civic-center,市民中心,topping-out,主体封顶,,2026-11-30,,2026-12-11,11,at_risk,yellow,0,1,0,高新区建设局,jsj,示例领导甲,leader-a
civic-center,市民中心,acceptance,竣工验收,,2026-12-01,,2026-12-01,0,due_soon,blue,0,2,0,高新区投资集团有限公司,tzjt,示例领导甲,leader-a
""",  # noqa: E501
    "json": """\
{"as_of": "2026-11-27", "title": "高新区重点项目", "items": [
 {"project": "civic-center", "project_name": "市民中心", "milestone": "start", "milestone_name": "开工", "stage": null, "due": "2026-11-16", "done": null, "forecast": "2026-11-27", "slip_days": 11, "state": "overdue", "level": "red", "days_overdue": 11, "workdays_left": 0, "days_late": 0, "responsible_unit": "高新区建设局", "responsible_unit_id": "jsj", "leader": "示例领导甲", "leader_id": "leader-a"},
 {"project": "civic-center", "project_name": "市民中心", "milestone": "topping-out", "milestone_name": "主体封顶", "stage": null, "due": "2026-11-30", "done": null, "forecast": "2026-12-11", "slip_days": 11, "state": "at_risk", "level": "yellow", "days_overdue": 0, "workdays_left": 1, "days_late": 0, "responsible_unit": "高新区建设局", "responsible_unit_id": "jsj", "leader": "示例领导甲", "leader_id": "leader-a"},
 {"project": "civic-center", "project_name": "市民中心", "milestone": "acceptance", "milestone_name": "竣工验收", "stage": null, "due": "2026-12-01", "done": null, "forecast": "2026-12-01", "slip_days": 0, "state": "due_soon", "level": "blue", "days_overdue": 0, "workdays_left": 2, "days_late": 0, "responsible_unit": "高新区投资集团有限公司", "responsible_unit_id": "tzjt", "leader": "示例领导甲", "leader_id": "leader-a"}
], "summary": {"red": 1, "yellow": 1, "blue": 1, "green": 0, "done": 0, "done_late": 0, "on_track": 0, "at_risk": 1}}
""",  # noqa: E501
}
NEW_KEYS = ("kind", "planned_progress", "reported_progress", "reported_on", "lag_points", "invest_rate",
            "last_report", "report_due", "reports_missed", *PROBLEM_NULLS)  # fmt: skip


def test_a_file_without_reports_or_cadence_says_exactly_what_it_said_before(sanshi, write_toml):
    path = write_toml(QUIET)
    for lang in ("zh", "en"):
        assert status(sanshi, path, "--lang", lang).stdout == QUIET_BEFORE[lang]
    assert status(sanshi, path, "--format", "markdown", "--all").stdout == QUIET_BEFORE["markdown"]
    # JSON and CSV: the same values; only the new keys are added (milestone, then nulls), at the end
    before = json.loads(QUIET_BEFORE["json"])
    after = json.loads(status(sanshi, path, "--format", "json").stdout)
    assert [{k: v for k, v in i.items() if k not in NEW_KEYS} for i in after["items"]] == before["items"]
    assert all(i["kind"] == "milestone" and list(i)[-len(NEW_KEYS) :] == list(NEW_KEYS) for i in after["items"])
    assert after["summary"] == {
        **before["summary"],
        "progress_lag": 0,
        "invest_lag": 0,
        "report_missing": 0,
        "problem": 0,
    }
    rows = list(csv.reader(io.StringIO(status(sanshi, path, "--format", "csv").stdout)))
    assert [row[:18] for row in rows] == list(csv.reader(io.StringIO(QUIET_BEFORE["csv"])))
    assert sanshi("status", "-f", str(path), "--as-of", AS_OF, "--fail-on", "red").exit_code == 1  # 开工 only


def test_reports_without_a_cadence_never_make_a_missing_report(sanshi, write_toml):
    path = write_toml(reports_text(replace=(("report_every_days = 7\n", ""),)))
    kinds = [i["kind"] for i in listed(status(sanshi, path, "--format", "json"))]
    assert "report_missing" not in kinds and {"progress_lag", "invest_lag"} <= set(kinds)


# -- alert --------------------------------------------------------------------------------------------

JSJ, TZJT, LEADER_A, LEADER_B, PMO = (
    "jsj@example.gov.cn", "tzjt@example.gov.cn", "a@example.gov.cn", "b@example.gov.cn", "pmo@example.gov.cn",
)  # fmt: skip


@pytest.fixture
def alert(sanshi: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    def run(*args: str, as_of: str = AS_OF) -> Result:
        return sanshi("alert", "-f", str(tmp_path / "projects.toml"), "--as-of", as_of, *args)

    return run


def plain(message: object) -> str:
    """A message's text part as read: CRLF as LF, no-break spaces as spaces."""
    text: str = message.text  # type: ignore[attr-defined]
    return text.replace("\r\n", "\n").replace("\xa0", " ")


def test_the_new_items_go_to_the_unit_the_leader_and_the_pmo(server: Server, write_toml, alert) -> None:
    write_toml(reports_text(server.port))
    result = alert()
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    got = server.recorder.by_address()
    assert set(got) == {JSJ, TZJT, LEADER_A, LEADER_B, PMO}
    assert got[JSJ].subject == "【进度滞后】高新区建设局：1项黄灯、1项蓝色提醒（截至2026-11-27）"
    assert got[TZJT].subject == (
        "【逾期预警】高新区投资集团有限公司：1项红灯、1项黄灯、1项延误风险、1项蓝色提醒（截至2026-11-27）"
    )
    assert got[LEADER_A].subject == "【进度滞后】示例领导甲：1项黄灯（截至2026-11-27）"
    assert got[LEADER_B].subject.startswith("【逾期预警】示例领导乙：1项红灯、1项黄灯、1项延误风险")
    assert got[PMO].subject.startswith("【逾期预警】高新区重点项目汇总：1项红灯、2项黄灯、1项延误风险、2项蓝色提醒")
    text = plain(got[JSJ])
    assert (
        "1. [黄灯] 市民中心  ★新增\n"
        "   形象进度滞后 · 计划 88.6%，填报 70.0%（2026-11-20），滞后 18.6 个百分点\n"
        "\n"
        "2. [蓝色提醒] 市民中心  ★新增\n"
        "   主体封顶 · 截止日期 2026-12-01 · 剩 2 个工作日\n"
    ) in text
    assert "贵单位负责的事项中有 2 项需要关注" in text and "标 ★ 的为新增或级别升高的事项。" in text
    assert "应于" not in plain(got[LEADER_B])  # a blue item is the unit's and the PMO's, not the leader's
    digest = plain(got[PMO])
    assert (
        "5. [蓝色提醒] 再生水综合利用项目  ★新增\n"
        "   未按时填报 · 应于 2026-11-20 填报，已逾期 1 次\n"
        "   责任单位：高新区投资集团有限公司 · 分包领导：示例领导乙\n"
    ) in digest


def test_the_mail_block_of_a_lag_is_escaped_and_never_breaks_a_number(server: Server, write_toml, alert) -> None:
    write_toml(reports_text(server.port, replace=(('name = "市民中心"', 'name = "市民中心<b>&"'),)))
    assert alert("--only-unit", "jsj").exit_code == 0
    [message] = server.received
    html = message.html
    assert "<b>&" not in html and "市民中心&lt;b&gt;&amp;" in html
    assert "<style" not in html and "class=" not in html
    block = html.split("形象进度")[1].split("</td>")[0]
    for phrase in ("计划 88.6%，", "填报 70.0%", "（2026-11-20），", "滞后 18.6 个百分点"):
        assert f'<span style="white-space:nowrap">{phrase}</span>' in block
    assert '<span style="white-space:nowrap">形象进度滞后</span>' in html


def test_dry_run_says_items_where_not_all_are_milestones(server: Server, write_toml, alert) -> None:
    write_toml(reports_text(server.port))
    lines = alert("--dry-run").stdout.splitlines()
    assert lines[:3] == [
        "收件：高新区建设局 <jsj@example.gov.cn>",
        "  主题：【进度滞后】高新区建设局：1项黄灯、1项蓝色提醒（截至2026-11-27）",
        "  事项：2 项（新增 2 项，升级 0 项）",
    ]
    assert server.received == []


def test_english_subjects_and_blocks(server: Server, write_toml, alert) -> None:
    write_toml(
        reports_text(server.port, replace=(('title = "高新区重点项目"', 'title = "Key projects"\nlanguage = "en"'),))
    )
    assert alert().exit_code == 0
    got = server.recorder.by_address()
    assert got[JSJ].subject == "[Behind plan] 高新区建设局: 1 yellow, 1 due soon (as of 2026-11-27)"
    text = plain(got[TZJT])
    assert "investment behind plan · invested 36.0% of the year's plan,\n   47.3 points behind time\n" in text
    assert "report overdue · report due 2026-11-20, 1 missed\n" in text
    assert "As of 2026-11-27, 4 items your unit answers for need attention" in text


@pytest.mark.parametrize(
    ("states", "heading_"),
    [
        ({"overdue", "progress_lag", "at_risk", "report_missing", "due_soon"}, "late"),
        ({"progress_lag", "at_risk", "report_missing", "due_soon"}, "lag"),
        ({"invest_lag", "due_soon"}, "lag"),
        ({"at_risk", "report_missing", "due_soon"}, "risk"),
        ({"report_missing", "due_soon"}, "missing"),
        ({"report_missing"}, "missing"),
        ({"due_soon"}, "soon"),
    ],
)
def test_the_subject_names_the_most_serious_content(tmp_path: Path, states: set[str], heading_: str) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(reports_text(), encoding="utf-8")
    loaded = load_portfolio(path)
    items = [i for i in find_items(loaded, date(2026, 11, 27)) if i.state in states]
    assert {i.state for i in items} == states
    assert heading(items) == heading_
    alert = Alert(Recipient("pmo", "pmo", "", (PMO,)), (PMO,), items)
    words = {"late": ("【逾期预警】", "[Overdue]"), "lag": ("【进度滞后】", "[Behind plan]"),
             "risk": ("【延误风险】", "[At risk]"), "missing": ("【未按时填报】", "[Report overdue]"),
             "soon": ("【到期提醒】", "[Due soon]")}[heading_]  # fmt: skip
    assert subject_of(alert, "zh", "T", date(2026, 11, 27)).startswith(words[0])
    assert subject_of(alert, "en", "T", date(2026, 11, 27)).startswith(words[1])


def test_once_only_is_keyed_by_kind(server: Server, write_toml, alert, tmp_path: Path) -> None:
    write_toml(reports_text(server.port))
    assert alert("--only-unit", "tzjt").exit_code == 0
    assert alert("--only-unit", "tzjt").exit_code == 0
    assert len(server.received) == 1  # nothing new the second time
    document = json.loads((tmp_path / ".sanshi-alert-state.json").read_text("utf-8"))
    assert document["version"] == 2
    assert sorted((r["kind"], r["project"], r["milestone"], r["level"]) for r in document["told"]) == [
        ("invest_lag", "reclaimed-water", None, "red"),
        ("milestone", "reclaimed-water", "land", "yellow"),
        ("milestone", "reclaimed-water", "pipes", "yellow"),
        ("report_missing", "reclaimed-water", None, "blue"),
    ]
    # 12-02: a second report missed, so that item rises to yellow (序时 is 11/12 now: 55.7 points behind)
    assert alert("--only-unit", "tzjt", as_of="2026-12-02").exit_code == 0
    assert len(server.received) == 2
    text = plain(server.received[-1])
    assert "未按时填报 · 应于 2026-11-20 填报，已逾期 2 次" in text
    assert text.count("★升级") == 2  # 用地预审 is red by now too; the investment lag stays red, unmarked
    assert "[黄灯] 再生水综合利用项目  ★升级\n   未按时填报" in text
    assert "[红灯] 再生水综合利用项目\n   投资进度滞后 · 投资完成率 36.0%，欠序时进度 55.7 个百分点\n" in text


def test_a_version_1_state_file_is_read_as_milestones(server: Server, write_toml, alert, tmp_path: Path) -> None:
    """Upgrading keeps what was told about milestones: only the new kinds are news."""
    write_toml(reports_text(server.port))
    state = tmp_path / ".sanshi-alert-state.json"
    told = [
        {"recipient": "unit:tzjt", "address": TZJT, "project": "reclaimed-water", "milestone": milestone,
         "level": "yellow", "on": "2026-11-26"}
        for milestone in ("land", "pipes")
    ]  # fmt: skip
    state.write_text(
        json.dumps({"format": "sanshi-alert-state", "version": 1, "told": told}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    assert set(read_state(state).told) == {
        ("unit:tzjt", TZJT, "milestone", "reclaimed-water", "land"),
        ("unit:tzjt", TZJT, "milestone", "reclaimed-water", "pipes"),
    }
    assert alert("--only-unit", "tzjt").exit_code == 0
    [message] = server.received
    text = plain(message)
    assert "[黄灯] 再生水综合利用项目\n   用地预审" in text  # told before: not marked
    assert "[红灯] 再生水综合利用项目  ★新增\n   投资进度滞后" in text
    assert text.count("★新增") == 2  # the investment lag and the missing report
    document = json.loads(state.read_text("utf-8"))
    assert document["version"] == 2
    assert {(r["kind"], r["milestone"], r["on"]) for r in document["told"]} >= {("milestone", "land", "2026-11-27")}


def test_a_version_1_state_of_a_quiet_file_sends_nothing_after_the_upgrade(
    server: Server, write_toml, alert, tmp_path: Path
) -> None:
    smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\nfrom = "sanshi@example.gov.cn"\n\n'
    write_toml(
        QUIET.replace("[alerts]\n", '[alerts]\npmo = ["pmo@example.gov.cn"]\n').replace(
            "[[units]]", smtp + "[[units]]", 1
        )
    )
    told = [
        {"recipient": "pmo", "address": PMO, "project": "civic-center", "milestone": m, "level": level,
         "on": "2026-11-26"}
        for m, level in (("start", "red"), ("topping-out", "yellow"), ("acceptance", "blue"))
    ]  # fmt: skip
    (tmp_path / ".sanshi-alert-state.json").write_text(
        json.dumps({"format": "sanshi-alert-state", "version": 1, "told": told}), encoding="utf-8"
    )
    result = alert("-v")
    assert result.exit_code == 0
    assert server.received == []
    assert "已发送 0 封" in result.stdout


# -- plan ---------------------------------------------------------------------------------------------


def plan_json(sanshi: Callable[..., Result], path: Path, *args: str) -> list[dict[str, object]]:
    result = sanshi("plan", "-f", str(path), "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    nodes: list[dict[str, object]] = json.loads(result.stdout)["nodes"]
    return nodes


def test_plan_nodes_carry_the_latest_report_by_their_end(sanshi, reports_file):
    nodes = plan_json(sanshi, reports_file, "--weekly", "--from", "2026-W43", "--to", "2026-W49")
    civic = {n["period"]: n["reported_progress"] for n in nodes if n["project"] == "civic-center"}
    water = {n["period"]: n["reported_progress"] for n in nodes if n["project"] == "reclaimed-water"}
    assert civic == {
        "2026-W43": None, "2026-W44": None, "2026-W45": None,  # before its first report (11-13)
        "2026-W46": 65, "2026-W47": 70,
        "2026-W48": 70,  # the report of 11-27 gives no progress
        "2026-W49": None,  # not begun by the as-of day
    }  # fmt: skip
    assert water == {
        "2026-W43": None, "2026-W44": 80, "2026-W45": 80, "2026-W46": 85, "2026-W47": 85, "2026-W48": 85,
        "2026-W49": None,
    }  # fmt: skip
    assert all(list(n)[list(n).index("planned_progress") + 1] == "reported_progress" for n in nodes)


def test_a_past_as_of_never_shows_a_later_report(sanshi, reports_file):
    nodes = sanshi("plan", "-f", str(reports_file), "--as-of", "2026-11-18", "--format", "json", "--weekly")
    current = json.loads(nodes.stdout)["nodes"][0]
    assert (current["project"], current["period"], current["reported_progress"]) == ("civic-center", "2026-W47", 65)


def test_plan_csv_toml_and_table_show_reported_progress(sanshi, reports_file):
    base = ("plan", "-f", str(reports_file), "--as-of", AS_OF)
    rows = list(csv.DictReader(io.StringIO(sanshi(*base, "--format", "csv").stdout)))
    assert list(rows[0])[-1] == "reported_progress"
    assert [(r["project"], r["period"], r["reported_progress"]) for r in rows[:2]] == [
        ("civic-center", "2026-11", "70.0"),
        ("reclaimed-water", "2026-11", "85.0"),
    ]
    assert rows[2]["reported_progress"] == ""  # December: not begun
    document = tomllib.loads(sanshi(*base, "--format", "toml").stdout)
    assert document["nodes"][0]["reported_progress"] == 70
    assert "reported_progress" not in document["nodes"][2]  # TOML has no null
    zh = sanshi(*base).stdout
    row = next(line for line in zh.splitlines() if line.startswith("2026-11 "))
    assert "2026-11-30    计划 89% · 填报 70%  " in row
    en = sanshi(*base, "--lang", "en").stdout
    assert "reported 70%" in next(line for line in en.splitlines() if line.startswith("2026-11 "))
    markdown = sanshi(*base, "--format", "markdown").stdout
    assert "| 市民中心 | 2026-11-30 | 计划" in markdown and "· 填报 70% |" in markdown


def test_the_sample_plan_shows_each_project_s_latest_report_in_the_current_month(sanshi):
    from tests.conftest import SAMPLE

    result = sanshi("plan", "-f", str(SAMPLE), "--as-of", AS_OF, "--format", "json")
    nodes = json.loads(result.stdout)["nodes"]
    november = {n["project"]: n["reported_progress"] for n in nodes if n["period"] == "2026-11"}
    assert november == {  # the last [[projects.reports]] with progress on or before 11-27, as the file has them
        "civic-center": 30, "elderly-care": 12, "college-upgrade": 13, "longyuan-road": 7, "reclaimed-water": 86,
        "shanyang-bridge": 34, "tianbao-valley": 38, "hpu-science-park": 28, "smart-island": 3,
    }  # fmt: skip
    assert all(n["reported_progress"] is None for n in nodes if n["period"] > "2026-11")  # not begun yet
    table = sanshi("plan", "-f", str(SAMPLE), "--as-of", AS_OF).stdout
    assert "河南理工大学科技园                    2026-11-30  计划 45.5% · 填报 28%" in table
