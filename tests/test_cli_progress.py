"""``sanshi progress``: the PMO's progress ledger as people read it and as machines read it.

The ledger file below has one project of each kind: behind on progress and investment (and late
with its reports), a little behind, finished, and just started without a report.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

LEDGER = """\
[settings]
title = "高新区重点项目"
report_every_days = 7

[calendar.years.2027]
holidays = [2027-01-01]

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

[[people]]
id = "leader-b"
name = "示例领导乙"

[[projects]]
id = "civic-center"
name = "市民中心"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-01-05
finish = 2026-12-31
annual_investment = 20000

  [[projects.milestones]]
  id = "topping"
  name = "主体封顶"
  due = 2026-11-27
  progress = 80

  [[projects.reports]]
  on = 2026-10-30
  progress = 60
  invest = 8000

  [[projects.reports]]
  on = 2026-11-20
  progress = 72.5
  invest = 4500
  text = "完成三层顶板混凝土浇筑"
  next = "完成四层钢筋绑扎"
  by = "jsj"

[[projects]]
id = "college"
name = "河南工信职业学院基础设施完善提升项目"
leader = "leader-b"
lead_unit = "jsj"
responsible_unit = "tzjt"
start = 2025-06-02
finish = 2027-06-30
annual_investment = { 2025 = 5000, 2026 = 12000 }

  [[projects.milestones]]
  id = "main"
  name = "主体完工"
  due = 2026-11-27
  progress = 50

  [[projects.reports]]
  on = 2025-12-19
  progress = 10
  invest = 3000

  [[projects.reports]]
  on = 2026-06-30
  progress = 25
  invest = 2000

  [[projects.reports]]
  on = 2026-11-06
  progress = 30
  invest = 1000
  text = "教学楼基础施工"

[[projects]]
id = "longyuan"
name = "龙源路道路工程"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2025-03-03
finish = 2026-09-30
annual_investment = 6000

  [[projects.milestones]]
  id = "open"
  name = "通车"
  due = 2026-09-30
  done = 2026-09-25

  [[projects.reports]]
  on = 2026-09-25
  progress = 100
  invest = 6000

[[projects]]
id = "water"
name = "再生水综合利用项目"
leader = "leader-b"
lead_unit = "tzjt"
responsible_unit = "tzjt"
start = 2026-11-02
finish = 2027-12-31
annual_investment = 3000

  [[projects.milestones]]
  id = "permit"
  name = "施工许可证"
  due = 2026-12-31
  progress = 5
"""

AS_OF = ("--as-of", "2026-11-27")


@pytest.fixture
def ledger(write_toml):
    return write_toml(LEDGER)


def run_table(sanshi, monkeypatch, columns: int, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = sanshi("progress", *AS_OF, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.splitlines()


# -- the table, exactly as printed -------------------------------------------------------------------

TABLE_ZH_150 = [
    "高新区重点项目\u30002026 年进度台账\u3000截至 2026-11-27",
    "",
    "项目                责任单位      分包领导    形象进度  计划进度  进度偏差   年度计划  年度完成  开工累计  完成率  超/欠序时  最近填报    下次填报",
    "────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
    "市民中心            高新区建设局  示例领导甲     72.5%     80.0%  滞后 7.5      20000     12500     12500   62.5%  欠 20.8    2026-11-20  2026-11-27",
    "河南工信职业学院基  高新区投资集  示例领导乙     30.0%     50.0%  滞后 20.0     12000      3000      6000   25.0%  欠 58.3    2026-11-06  2026-11-13",
    "础设施完善提升项目  团有限公司                                                                                                            逾期 2 次",
    "龙源路道路工程      高新区建设局  示例领导甲    100.0%    100.0%  持平           6000      6000      6000  100.0%  超 16.7    2026-09-25  —",
    "再生水综合利用项目  高新区投资集  示例领导乙         —      2.2%  —              3000         —         —       —  —          —           2026-11-09",
    "                    团有限公司                                                                                                            逾期 3 次",
    "",
    "共 4 个项目：形象进度滞后 2 个，投资欠序时 2 个，未按时填报 2 个",
    "序时进度 83.3%（1–10 月），年度完成投资 2.15 亿元／计划 4.10 亿元，完成率 52.4%，欠序时进度 30.9 个百分点",
    "金额单位：万元",
]


TABLE_ZH_80 = [
    "高新区重点项目\u30002026 年进度台账\u3000截至 2026-11-27",
    "市民中心  建设局  示例领导甲",
    "  形象进度  72.5%（计划 80.0%），滞后计划 7.5 个百分点",
    "  投资      年度完成 12500／计划 20000 万元，完成率 62.5%，",
    "            欠序时进度 20.8 个百分点，开工累计 12500 万元",
    "  填报      最近 11-20，下次 11-27",
    "",
    "河南工信职业学院基础设施完善提升项目  投资集团  示例领导乙",
    "  形象进度  30.0%（计划 50.0%），滞后计划 20.0 个百分点",
    "  投资      年度完成 3000／计划 12000 万元，完成率 25.0%，",
    "            欠序时进度 58.3 个百分点，开工累计 6000 万元",
    "  填报      最近 11-06，下次 11-13，逾期 2 次",
    "",
    "龙源路道路工程  建设局  示例领导甲",
    "  形象进度  100.0%（计划 100.0%），与计划持平",
    "  投资      年度完成 6000／计划 6000 万元，完成率 100.0%，",
    "            超序时进度 16.7 个百分点，开工累计 6000 万元",
    "  填报      最近 09-25，已完成，无需填报",
    "",
    "再生水综合利用项目  投资集团  示例领导乙",
    "  形象进度  —（计划 2.2%）",
    "  投资      年度计划 3000 万元，本年未填报投资",
    "  填报      尚未填报，下次 11-09，逾期 3 次",
    "",
    "共 4 个项目：形象进度滞后 2 个，投资欠序时 2 个，未按时填报 2 个",
    "序时进度 83.3%（1–10 月），年度完成投资 2.15 亿元／计划 4.10 亿元，",
    "完成率 52.4%，欠序时进度 30.9 个百分点",
    "金额单位：万元",
]


TABLE_EN_150 = [
    "高新区重点项目: 2026 progress ledger as of 2026-11-27",
    "",
    "Project         Responsible   Leader      Progress  Planned  Gap          Year plan  Year done     Since    Rate  vs time      Last report  Next",
    "                unit                                                                               start                                    report",
    "──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
    "市民中心        高新区建设局  示例领导甲     72.5%    80.0%  7.5 behind       20000      12500     12500   62.5%  20.8 behind  2026-11-20   2026-11-27",
    "河南工信职业学  高新区投资集  示例领导乙     30.0%    50.0%  20.0 behind      12000       3000      6000   25.0%  58.3 behind  2026-11-06   2026-11-13",
    "院基础设施完善  团有限公司                                                                                                                  2 missed",
    "提升项目",
    "龙源路道路工程  高新区建设局  示例领导甲    100.0%   100.0%  on plan           6000       6000      6000  100.0%  16.7 ahead   2026-09-25   —",
    "再生水综合利用  高新区投资集  示例领导乙         —     2.2%  —                 3000          —         —       —  —            —            2026-11-09",
    "项目            团有限公司                                                                                                                  3 missed",
    "",
    "4 projects: 2 behind plan, 2 behind time on investment, 2 late reporting",
    "time elapsed 83.3% (months 1–10), invested this year 2.15 of 4.10 (100M CNY), rate 52.4%, 30.9 points behind time",
    "amounts in 10k CNY (万元)",
]


TABLE_EN_80 = [
    "高新区重点项目: 2026 progress ledger as of 2026-11-27",
    "市民中心  建设局  示例领导甲",
    "  Progress    72.5% (planned 80.0%), 7.5 points behind plan",
    "  Investment  12500 of 20000 (10k CNY) this year, rate 62.5%,",
    "              20.8 points behind time, 12500 since start",
    "  Reports     last 11-20, next 11-27",
    "",
    "河南工信职业学院基础设施完善提升项目  投资集团  示例领导乙",
    "  Progress    30.0% (planned 50.0%), 20.0 points behind plan",
    "  Investment  3000 of 12000 (10k CNY) this year, rate 25.0%,",
    "              58.3 points behind time, 6000 since start",
    "  Reports     last 11-06, next 11-13, 2 missed",
    "",
    "龙源路道路工程  建设局  示例领导甲",
    "  Progress    100.0% (planned 100.0%), on plan",
    "  Investment  6000 of 6000 (10k CNY) this year, rate 100.0%,",
    "              16.7 points ahead of time, 6000 since start",
    "  Reports     last 09-25, finished, none owed",
    "",
    "再生水综合利用项目  投资集团  示例领导乙",
    "  Progress    — (planned 2.2%)",
    "  Investment  plan 3000 (10k CNY), none reported this year",
    "  Reports     none yet, next 11-09, 3 missed",
    "",
    "4 projects: 2 behind plan, 2 behind time on investment, 2 late reporting",
    "time elapsed 83.3% (months 1–10), invested this year 2.15 of 4.10 (100M CNY),",
    "rate 52.4%, 30.9 points behind time",
    "amounts in 10k CNY (万元)",
]


@pytest.mark.parametrize(
    ("lang", "columns", "expected"),
    [
        ("zh", 150, TABLE_ZH_150),
        ("zh", 80, TABLE_ZH_80),
        ("en", 150, TABLE_EN_150),
        ("en", 80, TABLE_EN_80),
    ],
)
def test_table_transcripts(sanshi, monkeypatch, ledger, lang, columns, expected):
    assert run_table(sanshi, monkeypatch, columns, "--lang", lang) == expected


def test_medium_width_keeps_the_essential_columns(sanshi, monkeypatch, ledger):
    lines = run_table(sanshi, monkeypatch, 120)
    assert lines[2].split() == [
        "项目",
        "责任单位",
        "形象进度",
        "计划进度",
        "进度偏差",
        "年度完成",
        "完成率",
        "超/欠序时",
        "下次填报",
    ]
    assert lines[4].split() == [
        "市民中心",
        "建设局",
        "72.5%",
        "80.0%",
        "滞后",
        "7.5",
        "12500",
        "62.5%",
        "欠",
        "20.8",
        "11-27",
    ]


def test_piped_output_is_the_wide_table_unwrapped(sanshi, monkeypatch, ledger):
    monkeypatch.delenv("COLUMNS")
    lines = sanshi("progress", *AS_OF).stdout.splitlines()
    assert lines[5].split()[0] == "河南工信职业学院基础设施完善提升项目"
    assert lines[5].endswith("2026-11-13 逾期 2 次")
    assert all(line == line.rstrip() for line in lines)


# -- JSON, CSV and Markdown: the contract -------------------------------------------------------------

ROW_KEYS = [
    "project", "project_name", "responsible_unit", "responsible_unit_id", "leader", "leader_id",
    "reported_progress", "reported_on", "planned_progress", "progress_lag_points", "progress_level",
    "annual_plan", "invest_year", "invest_total", "invest_rate", "time_progress", "invest_points", "invest_level",
    "last_report", "last_report_text", "last_report_next", "last_report_by",
    "report_due", "report_overdue", "reports_missed", "finished",
]  # fmt: skip


def test_json_contract(sanshi, ledger):
    result = sanshi("progress", *AS_OF, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["as_of", "year", "title", "time_progress", "time_basis", "projects", "summary"]
    assert (data["as_of"], data["year"], data["time_progress"], data["time_basis"]) == (
        "2026-11-27",
        2026,
        83.3,
        "months",
    )
    assert [list(row) for row in data["projects"]] == [ROW_KEYS] * 4
    civic, college, longyuan, water = data["projects"]
    # 72.5 reported against 80 planned (the milestone's progress on its due date, 11-27)
    assert (civic["reported_progress"], civic["planned_progress"], civic["progress_lag_points"]) == (72.5, 80.0, 7.5)
    # 8000 + 4500 = 12500 of 20000 = 62.5 %; 62.5 − 83.3 = −20.8
    assert (civic["invest_year"], civic["invest_rate"], civic["invest_points"], civic["invest_level"]) == (
        12500.0, 62.5, -20.8, "yellow"
    )  # fmt: skip
    assert (civic["last_report"], civic["last_report_text"], civic["last_report_next"], civic["last_report_by"]) == (
        "2026-11-20", "完成三层顶板混凝土浇筑", "完成四层钢筋绑扎", "jsj"
    )  # fmt: skip
    assert (civic["report_due"], civic["report_overdue"], civic["reports_missed"]) == ("2026-11-27", False, 0)
    # 2026's plan from the table by year; 3000 this year, 3000 + 2000 + 1000 since the start
    assert (college["annual_plan"], college["invest_year"], college["invest_total"]) == (12000.0, 3000.0, 6000.0)
    # 50 − 30 = 20 behind: yellow; 3000 / 12000 = 25 %, 25 − 83.3 = −58.3: red
    assert (college["progress_lag_points"], college["progress_level"], college["invest_points"]) == (
        20.0,
        "yellow",
        -58.3,
    )
    assert college["invest_level"] == "red"
    # 11-06 + 7 = 11-13 and + 14 = 11-20 have passed; + 21 = 11-27 is due today
    assert (college["report_due"], college["reports_missed"]) == ("2026-11-13", 2)
    assert (longyuan["finished"], longyuan["report_due"], longyuan["invest_points"]) == (True, None, 16.7)
    assert (water["reported_progress"], water["invest_year"], water["invest_rate"], water["reports_missed"]) == (
        None, None, None, 3
    )  # fmt: skip
    # 12500 + 3000 + 6000 = 21500 of 20000 + 12000 + 6000 + 3000 = 41000: 52.4 %, 30.9 behind 83.3
    assert data["summary"] == {
        "projects": 4, "progress_behind": 2, "invest_behind": 2, "reports_overdue": 2,
        "annual_plan": 41000.0, "invest_year": 21500.0, "invest_rate": 52.4, "invest_points": -30.9,
    }  # fmt: skip


def test_json_numbers_are_rounded_to_one_decimal(sanshi, write_toml):
    # 2730 / 20000 = 13.65 %: 13.7 (a half goes up); 13.7 − 83.3 = −69.6
    write_toml(LEDGER.replace("invest = 8000", "invest = 2730").replace("invest = 4500", "invest = 0"))
    civic = json.loads(sanshi("progress", *AS_OF, "--format", "json", "-p", "civic-center").stdout)["projects"][0]
    assert (civic["invest_rate"], civic["invest_points"]) == (13.7, -69.6)


def test_csv_columns_and_values(sanshi, ledger):
    result = sanshi("progress", *AS_OF, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ROW_KEYS
    college = dict(zip(rows[0], rows[2], strict=True))
    assert college["reported_progress"] == "30.0"
    assert college["time_progress"] == "83.3"
    assert college["invest_points"] == "-58.3"
    assert college["report_overdue"] == "true"
    assert college["last_report_next"] == ""
    json_rows = json.loads(sanshi("progress", *AS_OF, "--format", "json").stdout)["projects"]
    assert len(rows) == 1 + len(json_rows)


def test_markdown(sanshi, ledger):
    lines = sanshi("progress", *AS_OF, "--format", "markdown", "-p", "civic-center").stdout.splitlines()
    assert lines[0] == "## 高新区重点项目 2026 年进度台账 截至 2026-11-27"
    assert lines[2] == (
        "| 项目 | 责任单位 | 分包领导 | 形象进度 | 计划进度 | 进度偏差 | 年度计划 | 年度完成 | 开工累计 | 完成率 | 超/欠序时 "
        "| 最近填报 | 下次填报 | 本期进展 | 下步计划 |"
    )
    assert lines[4] == (
        "| 市民中心 | 高新区建设局 | 示例领导甲 | 72.5% | 80.0% | 滞后 7.5 | 20000 | 12500 | 12500 | 62.5% | 欠 20.8 "
        "| 2026-11-20 | 2026-11-27 | 完成三层顶板混凝土浇筑 | 完成四层钢筋绑扎 |"
    )
    assert lines[6:] == [
        "- 共 1 个项目：形象进度滞后 1 个，投资欠序时 1 个，未按时填报 0 个",
        "- 序时进度 83.3%（1–10 月），年度完成投资 1.25 亿元／计划 2.00 亿元，完成率 62.5%，欠序时进度 20.8 个百分点",
        "- 金额单位：万元",
    ]


# -- --year, filters, mistakes, files -------------------------------------------------------------------


def test_a_past_year_is_judged_as_of_its_31_december(sanshi, ledger):
    data = json.loads(sanshi("progress", *AS_OF, "--year", "2025", "--format", "json").stdout)
    assert (data["as_of"], data["year"], data["time_progress"]) == ("2025-12-31", 2025, 100.0)
    college = data["projects"][1]
    # 2025's plan is 5000, and 3000 came in 2025: 60 %, 40 behind 100
    assert (college["annual_plan"], college["invest_year"], college["invest_rate"], college["invest_points"]) == (
        5000.0, 3000.0, 60.0, -40.0
    )  # fmt: skip
    # the civic centre starts in 2026: no plan in 2025, nothing reported, nothing owed yet
    civic = data["projects"][0]
    assert (civic["annual_plan"], civic["last_report"], civic["reports_missed"]) == (None, None, 0)
    # the road was finished in 2026: in 2025 it still owed reports
    assert data["projects"][2]["finished"] is False


def test_the_as_of_year_is_the_default(sanshi, ledger):
    same = sanshi("progress", *AS_OF, "--year", "2026", "--format", "json").stdout
    assert same == sanshi("progress", *AS_OF, "--format", "json").stdout


@pytest.mark.parametrize(
    ("args", "lang", "line"),
    [
        (
            ("--year", "2027"),
            "zh",
            "错误：--year 2027 在截至日期 2026-11-27 之后：请给出 2026 年或更早的年份，或用 --as-of 改变截至日期",
        ),
        (
            ("--year", "2027"),
            "en",
            "error: --year 2027 is after the as-of date 2026-11-27: give 2026 or an earlier year, "
            "or move the date with --as-of",
        ),
        (("--year", "1800"), "en", "error: --year 1800 is not between 1990 and 2199: check the year"),
        (("--year", "26x"), "en", None),
        (("--format", "toml"), "en", None),
        (("-p", "nowhere"), "en", None),
    ],
)
def test_usage_errors(sanshi, ledger, args, lang, line):
    result = sanshi("progress", *AS_OF, "--lang", lang, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    if line is not None:
        assert lines[0] == line


@pytest.mark.parametrize(
    ("args", "projects"),
    [
        (("-p", "college"), ["college"]),
        (("-p", "市民中心", "-p", "water"), ["civic-center", "water"]),
        (("-u", "tzjt"), ["college", "water"]),  # the unit answers for both
        (("-u", "建设局"), ["civic-center", "college", "longyuan"]),  # it leads the college project too
        (("-l", "leader-a"), ["civic-center", "longyuan"]),
        (("-l", "示例领导乙", "-u", "jsj"), ["college"]),
    ],
)
def test_filters(sanshi, ledger, args, projects):
    data = json.loads(sanshi("progress", *AS_OF, "--format", "json", *args).stdout)
    assert [row["project"] for row in data["projects"]] == projects
    assert data["summary"]["projects"] == len(projects)


def test_nothing_kept_is_one_line(sanshi, write_toml, monkeypatch):
    write_toml(
        LEDGER.replace(
            'id = "leader-b"\nname = "示例领导乙"',
            'id = "leader-b"\nname = "示例领导乙"\n\n[[people]]\nid = "c"\nname = "丙"',
        )
    )
    lines = run_table(sanshi, monkeypatch, 80, "-l", "c")
    assert lines[1] == "没有符合条件的项目。"


def test_output_file(sanshi, ledger, tmp_path):
    result = sanshi("progress", *AS_OF, "-o", "台账.csv")
    assert result.exit_code == 0
    assert result.stdout == ""
    raw = (tmp_path / "台账.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel and WPS
    assert raw.decode("utf-8-sig").splitlines()[0] == ",".join(ROW_KEYS)
    assert sanshi("progress", *AS_OF, "-o", "台账.json").exit_code == 0
    assert json.loads((tmp_path / "台账.json").read_text(encoding="utf-8"))["year"] == 2026
    assert sanshi("progress", *AS_OF, "-o", "台账.txt").exit_code == 0
    text = (tmp_path / "台账.txt").read_text(encoding="utf-8").splitlines()
    assert text[5].split()[0] == "河南工信职业学院基础设施完善提升项目"  # a file gets the wide table, unwrapped


def test_output_never_replaces_the_project_file(sanshi, ledger):
    before = ledger.read_bytes()
    result = sanshi("progress", *AS_OF, "-o", "projects.toml", "--format", "csv")
    assert result.exit_code == 2
    assert ledger.read_bytes() == before


def test_days_basis(sanshi, write_toml):
    write_toml(LEDGER.replace("report_every_days = 7", 'report_every_days = 7\ntime_basis = "days"'))
    data = json.loads(sanshi("progress", *AS_OF, "--format", "json").stdout)
    # 11-27 is day 331 of 365: 90.68 → 90.7
    assert (data["time_basis"], data["time_progress"]) == ("days", 90.7)
    lines = sanshi("progress", *AS_OF).stdout.splitlines()
    assert "序时进度 90.7%（第 331 天／365 天）" in lines[-2]


def test_the_sample_file_runs(sanshi):
    from tests.conftest import SAMPLE

    result = sanshi("progress", "-f", str(SAMPLE), *AS_OF, "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["projects"]) >= 9
