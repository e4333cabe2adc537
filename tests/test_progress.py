"""The progress core: 序时进度, reports owed on the real working calendar, annual plans, investment and lags.

Every expected value is worked out by hand in the table (the arithmetic is in the comments),
never computed by the code under test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sanshi_cli.loading import Loaded, load_portfolio
from sanshi_cli.model import Project, Report
from sanshi_cli.progress import (
    annual_plan,
    due_dates,
    find_lags,
    invest_in,
    lag_level,
    one_decimal,
    progress_rows,
    time_progress,
)
from sanshi_cli.workcalendar import WorkCalendar
from tests.conftest import MINIMAL, UNITS_AND_PEOPLE

D = date.fromisoformat

# -- 序时进度 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "year", "basis", "expected"),
    [
        # months: N/12, a month completed on its last day
        ("2026-10-31", 2026, "months", 83.3),  # 1–10月: 10/12 = 83.33
        ("2026-11-29", 2026, "months", 83.3),  # November not over yet: still 10/12
        ("2026-11-30", 2026, "months", 91.7),  # 1–11月: 11/12 = 91.67
        ("2026-12-31", 2026, "months", 100.0),
        ("2026-01-30", 2026, "months", 0.0),  # no month completed
        ("2026-01-31", 2026, "months", 8.3),  # 1/12 = 8.33
        ("2024-02-28", 2024, "months", 8.3),  # a leap February ends on the 29th: still 1/12
        ("2024-02-29", 2024, "months", 16.7),  # 2/12 = 16.67
        ("2026-02-28", 2026, "months", 16.7),
        # days: day of the year ÷ days in the year
        ("2026-01-01", 2026, "days", 0.3),  # 1/365 = 0.27
        ("2026-07-02", 2026, "days", 50.1),  # day 183 of 365 = 50.14
        ("2024-07-01", 2024, "days", 50.0),  # day 183 of 366 (leap) = 50.00
        ("2024-12-31", 2024, "days", 100.0),  # day 366 of 366
        ("2026-12-31", 2026, "days", 100.0),
        # before and after the year
        ("2025-12-31", 2026, "months", 0.0),
        ("2025-12-31", 2026, "days", 0.0),
        ("2027-01-01", 2026, "months", 100.0),
        ("2027-06-30", 2026, "days", 100.0),
    ],
)
def test_time_progress(as_of, year, basis, expected):
    assert one_decimal(time_progress(D(as_of), year, basis)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (13.65, 13.7),  # a half goes up, as Excel's ROUND does (Python's round() gives 13.7 or 13.6 by luck)
        (13.625, 13.6),
        (12.345, 12.3),
        (83.3 - 73.3, 10.0),  # no float noise: exactly 10 at the threshold
        (-0.05, -0.1),  # away from zero
        (-0.04, 0.0),  # and never -0.0
        (100.0, 100.0),
    ],
)
def test_one_decimal(value, expected):
    assert one_decimal(value) == expected
    assert str(one_decimal(value)) == str(expected)


# -- reports due, on the real 2026 calendar ---------------------------------------------------------

CALENDAR = WorkCalendar()  # the built-in State Council data for 2026


def project(start: str = "2026-01-05", reports: tuple[str, ...] = (), **extra: Any) -> Project:
    return Project(
        id="p",
        name="市民中心",
        leader="leader-a",
        lead_unit="jsj",
        responsible_unit="jsj",
        start=D(start),
        finish=D("2027-12-31"),
        reports=[Report(on=D(day), text="进展") for day in reports],
        **extra,
    )


@pytest.mark.parametrize(
    ("start", "reports", "every", "as_of", "due", "missed"),
    [
        # due `every` days after the last report: 11-20 (Fri) + 7 = 11-27 (Fri, a working day)
        ("2026-01-05", ("2026-11-20",), 7, "2026-11-26", "2026-11-27", 0),
        ("2026-01-05", ("2026-11-20",), 7, "2026-11-27", "2026-11-27", 0),  # due today: not yet overdue
        ("2026-01-05", ("2026-11-20",), 7, "2026-11-28", "2026-11-27", 1),
        # the cadence counts from the last report, not the first
        ("2026-01-05", ("2026-10-02", "2026-11-20"), 7, "2026-11-27", "2026-11-27", 0),
        # 11-20 + 8 = 11-28, a Saturday: moved to Monday 11-30
        ("2026-01-05", ("2026-11-20",), 8, "2026-11-27", "2026-11-30", 0),
        ("2026-01-05", ("2026-11-20",), 8, "2026-11-30", "2026-11-30", 0),
        ("2026-01-05", ("2026-11-20",), 8, "2026-12-01", "2026-11-30", 1),
        # no report yet: counted from the start, 11-02 (Mon): 11-09, 11-16, 11-23 all passed by 11-27
        ("2026-11-02", (), 7, "2026-11-27", "2026-11-09", 3),
        ("2026-11-02", (), 7, "2026-11-10", "2026-11-09", 1),
        ("2026-11-02", (), 7, "2026-11-17", "2026-11-09", 2),
        # a project that has not started owes nothing yet
        ("2026-12-01", (), 7, "2026-11-27", "2026-12-08", 0),
        # National Day 2026 (10-01..10-07 off): 09-24 + 7 = 10-01 moves to 10-08; 09-24 + 14 = 10-08 itself.
        # Both due dates fall on one working day: one report owed, not two.
        ("2026-01-05", ("2026-09-24",), 7, "2026-10-08", "2026-10-08", 0),
        ("2026-01-05", ("2026-09-24",), 7, "2026-10-09", "2026-10-08", 1),
        ("2026-01-05", ("2026-09-24",), 7, "2026-10-15", "2026-10-08", 1),  # 10-15 due today
        ("2026-01-05", ("2026-09-24",), 7, "2026-10-16", "2026-10-08", 2),  # 10-08 and 10-15
        # Spring Festival 2026 (02-15..02-23 off): 02-08 + 7 = 02-15 and + 14 = 02-22 both move to 02-24
        ("2026-01-05", ("2026-02-08",), 7, "2026-02-24", "2026-02-24", 0),
        ("2026-01-05", ("2026-02-08",), 7, "2026-02-25", "2026-02-24", 1),
        # + 21 = 03-01 (Sun) moves to 03-02: due today, so still one; the day after, two
        ("2026-01-05", ("2026-02-08",), 7, "2026-03-02", "2026-02-24", 1),
        ("2026-01-05", ("2026-02-08",), 7, "2026-03-03", "2026-02-24", 2),
        # monthly cadence, a long way behind: 01-05 + 30k for k = 1..10 all before 11-27 (k = 11 is 12-01)
        ("2026-01-05", (), 30, "2026-11-27", "2026-02-04", 10),
    ],
)
def test_report_due_dates(start, reports, every, as_of, due, missed):
    assert due_dates(project(start, reports), every, CALENDAR, D(as_of)) == (D(due), missed)


def test_reports_after_the_as_of_date_do_not_count():
    # as of 11-25 the report of 11-26 has not been written yet: 11-13 + 7 = 11-20 is overdue
    found = due_dates(project(reports=("2026-11-13", "2026-11-26")), 7, CALENDAR, D("2026-11-25"))
    assert found == (D("2026-11-20"), 1)


# -- the annual plan and investment --------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan", "year", "expected"),
    [
        (None, 2026, None),
        (20000.0, 2026, 20000.0),
        (20000.0, 2027, 20000.0),  # a plain number holds in every year of the project's span
        (20000.0, 2025, None),  # the project starts in 2026: nothing planned for 2025
        (20000.0, 2028, None),  # nor after it finishes in 2027
        ({"2026": 12000.0, "2027": 35000.0}, 2026, 12000.0),
        ({"2026": 12000.0, "2027": 35000.0}, 2027, 35000.0),
        ({"2026": 12000.0, "2027": 35000.0}, 2025, None),
        ({"2026": 0.0}, 2026, 0.0),
    ],
)
def test_annual_plan_by_year(plan, year, expected):
    assert annual_plan(project(annual_investment=plan), year) == expected


def test_investment_sums_by_year():
    reports = [
        Report(on=D("2025-12-19"), progress=10, invest=3000),
        Report(on=D("2026-06-30"), progress=25, invest=2000),
        Report(on=D("2026-08-31"), progress=28),  # no money this time
        Report(on=D("2026-11-06"), invest=1000.5),
    ]
    assert invest_in(reports, 2025) == 3000
    assert invest_in(reports, 2026) == 3000.5  # 2000 + 1000.5
    assert invest_in(reports, 2027) == 0
    assert invest_in(reports) == 6000.5  # 开工累计: 3000 + 2000 + 1000.5


# -- lag levels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "yellow", "red", "level"),
    [
        (9.9, 10, 30, None),
        (10.0, 10, 30, "yellow"),  # exactly the yellow threshold
        (30.0, 10, 30, "yellow"),  # exactly the red threshold is still yellow
        (30.1, 10, 30, "red"),  # beyond it: red
        (-25.0, 10, 30, None),  # ahead of plan
        (4.9, 5, 20, None),
        (5.0, 5, 20, "yellow"),
        (20.0, 5, 20, "yellow"),
        (20.1, 5, 20, "red"),
        (15.0, 15, 15, "yellow"),  # equal thresholds: yellow at it, red beyond
        (15.1, 15, 15, "red"),
    ],
)
def test_lag_level(points, yellow, red, level):
    assert lag_level(points, yellow, red) == level


def load(tmp_path: Path, body: str, head: str = "") -> Loaded:
    path = tmp_path / "projects.toml"
    path.write_text(head + "\n" + UNITS_AND_PEOPLE + body, encoding="utf-8")
    return load_portfolio(path, "projects.toml")


def one_project(reports: str, annual: str = "annual_investment = 12000", milestone_done: str = "") -> str:
    """A project whose plan is 50 % on 2026-11-30 (a milestone carries progress = 50 due that day)."""
    return f"""
[[projects]]
id = "college"
name = "河南工信职业学院基础设施完善提升项目"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-01-05
finish = 2027-12-31
{annual}

  [[projects.milestones]]
  id = "main"
  name = "主体完工"
  due = 2026-11-30
  progress = 50
  {milestone_done}
{reports}
"""


def report(on: str, progress: float | None = None, invest: float | None = None) -> str:
    lines = ["\n  [[projects.reports]]", f"  on = {on}"]
    if progress is not None:
        lines.append(f"  progress = {progress}")
    if invest is not None:
        lines.append(f"  invest = {invest}")
    if progress is None and invest is None:
        lines.append('  text = "进展"')
    return "\n".join(lines) + "\n"


AS_OF = D("2026-11-30")  # plan 50.0 %; 序时 1–11月 = 11/12 = 91.7 %


@pytest.mark.parametrize(
    ("reported", "level", "points"),
    [
        (40.1, None, None),  # 50 − 40.1 = 9.9: within the margin
        (40, "yellow", 10.0),  # 50 − 40 = 10: exactly yellow
        (20, "yellow", 30.0),  # 50 − 20 = 30: still yellow
        (19.9, "red", 30.1),  # 50 − 19.9 = 30.1: red
    ],
)
def test_progress_lag_at_the_thresholds(tmp_path, reported, level, points):
    loaded = load(tmp_path, one_project(report("2026-11-27", progress=reported)))
    [row] = progress_rows(loaded, AS_OF)
    assert (row.planned_progress, row.reported_progress) == (50.0, reported)
    lags = [(lag.kind, lag.level, lag.lag_points) for lag in find_lags(loaded, AS_OF)]
    assert lags == ([] if level is None else [("progress_lag", level, points)])


@pytest.mark.parametrize(
    ("invest", "rate", "level", "points"),
    [
        (9816, 81.8, None, -9.9),  # 9816 / 12000 = 81.8 %; 81.8 − 91.7 = −9.9
        (9804, 81.7, "yellow", -10.0),  # 9804 / 12000 = 81.7 %; exactly 10 behind
        (8604, 71.7, "yellow", -20.0),  # 8604 / 12000 = 71.7 %
        (7404, 61.7, "yellow", -30.0),  # 7404 / 12000 = 61.7 %; exactly 30 behind
        (7392, 61.6, "red", -30.1),  # 7392 / 12000 = 61.6 %
        (12000, 100.0, None, 8.3),  # the whole plan: 8.3 points ahead of time
    ],
)
def test_invest_lag_at_the_thresholds(tmp_path, invest, rate, level, points):
    loaded = load(tmp_path, one_project(report("2026-11-27", invest=invest)))
    [row] = progress_rows(loaded, AS_OF)
    assert one_decimal(row.time_progress) == 91.7
    assert one_decimal(row.invest_rate or 0) == rate
    assert row.invest_points == points
    lags = [(lag.kind, lag.level, lag.lag_points) for lag in find_lags(loaded, AS_OF)]
    assert lags == ([] if level is None else [("invest_lag", level, -points)])


def test_custom_thresholds(tmp_path):
    head = "[alerts]\nlag_yellow_points = 5\nlag_red_points = 20\n"
    # 50 − 45 = 5: yellow at 5; investment 9804 / 12000 = 81.7 %, 10 behind 序时: yellow (≤ 20), listed
    # first as the further behind
    loaded = load(tmp_path, one_project(report("2026-11-27", progress=45, invest=9804)), head)
    assert [(lag.kind, lag.level, lag.lag_points) for lag in find_lags(loaded, AS_OF)] == [
        ("invest_lag", "yellow", 10.0),
        ("progress_lag", "yellow", 5.0),
    ]
    # 50 − 29.9 = 20.1: red beyond 20
    loaded = load(tmp_path, one_project(report("2026-11-27", progress=29.9)), head)
    assert [(lag.kind, lag.level, lag.lag_points) for lag in find_lags(loaded, AS_OF)] == [
        ("progress_lag", "red", 20.1)
    ]


def test_invest_rate_needs_a_plan_and_a_report_with_money_this_year(tmp_path):
    # last year's money and this year's words: the rate is unknown, not 0 %
    reports = report("2025-12-19", invest=3000) + report("2026-11-27", progress=50)
    loaded = load(tmp_path, one_project(reports).replace("start = 2026-01-05", "start = 2025-06-02"))
    [row] = progress_rows(loaded, AS_OF)
    assert (row.invest_reported, row.invest_rate, row.invest_points) == (False, None, None)
    assert (row.invest_year, row.invest_total, row.invest_ever) == (0, 3000, True)
    assert find_lags(loaded, AS_OF) == []
    loaded = load(tmp_path, one_project(report("2026-11-27", invest=100), annual=""))
    [row] = progress_rows(loaded, AS_OF)
    assert (row.annual_plan, row.invest_year, row.invest_rate) == (None, 100, None)


CADENCE = "[settings]\nreport_every_days = 7\n"


@pytest.mark.parametrize(
    ("reports", "as_of", "expected"),
    [
        (report("2026-11-20", progress=50), "2026-11-27", []),  # due 11-27: today
        (report("2026-11-20", progress=50), "2026-11-30", [("report_missing", "blue", 1)]),  # 11-27 missed
        # 11-13 + 7 = 11-20 and + 14 = 11-27 both passed by 11-30
        (report("2026-11-13", progress=50), "2026-11-30", [("report_missing", "yellow", 2)]),
    ],
)
def test_report_missing_items(tmp_path, reports, as_of, expected):
    loaded = load(tmp_path, one_project(reports, annual=""), CADENCE)
    assert [(lag.kind, lag.level, lag.lag_points) for lag in find_lags(loaded, D(as_of))] == expected


def test_a_finished_project_owes_no_report_and_is_never_behind(tmp_path):
    body = one_project(report("2026-06-30", progress=20, invest=100), milestone_done="done = 2026-09-30")
    loaded = load(tmp_path, body, CADENCE)
    [row] = progress_rows(loaded, AS_OF)
    assert (row.finished, row.report_due, row.reports_missed) == (True, None, 0)
    assert find_lags(loaded, AS_OF) == []
    # as of a day before it was finished, it did owe reports: 06-30 + 7k up to 09-29
    [row] = progress_rows(loaded, D("2026-09-29"))
    assert row.finished is False
    assert row.report_due == D("2026-07-07")


def test_a_file_without_reports_or_cadence_is_quiet(tmp_path):
    path = tmp_path / "projects.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    loaded = load_portfolio(path, "projects.toml")
    assert find_lags(loaded, D("2026-11-27")) == []
    [row] = progress_rows(loaded, D("2026-11-27"))
    assert (row.reported_progress, row.last_report, row.report_due, row.reports_missed) == (None, None, None, 0)
    assert (row.invest_rate, row.invest_points, row.progress_lag_points) == (None, None, None)


def test_the_unit_filter_keeps_projects_the_unit_leads_or_answers_for(tmp_path):
    from sanshi_cli.status import resolve_filters

    body = one_project("") + one_project("").replace('id = "college"', 'id = "other"').replace(
        'lead_unit = "jsj"\nresponsible_unit = "jsj"', 'lead_unit = "zrzy"\nresponsible_unit = "zrzy"'
    )
    loaded = load(tmp_path, body)
    assert [r.project.id for r in progress_rows(loaded, AS_OF)] == ["college", "other"]
    only = resolve_filters(loaded, units=["zrzy"])
    assert [r.project.id for r in progress_rows(loaded, AS_OF, filters=only)] == ["other"]
