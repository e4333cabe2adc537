"""`sanshi plan` (节点清单) and the forecast in `sanshi status`, as a user sees them.

Every expected date and percentage below was derived by hand from the official 2026
calendar (State Council notice; cross-checked with the `chinese_calendar` package), never
by calling sanshi's own code:

- 2026-01-01..03 New Year holiday, 01-04 (Sun) make-up working day;
- 2026-02-14 (Sat) and 02-28 (Sat) make-up days, 02-15..23 Spring Festival (no working day
  in ISO week 2026-W08, 02-16..22);
- 2026-04-04..06 Qingming; 2026-05-01..05 Labor Day, 05-09 (Sat) make-up;
- 2026-06-19 (Fri) Dragon Boat; 2026-09-20 (Sun) make-up; 2026-10-01..07 National Day,
  10-10 (Sat) make-up. 2026 has 248 working days and 53 ISO weeks.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import REPO, UNITS_AND_PEOPLE

# -- building project files -----------------------------------------------------------------------

HEAD = UNITS_AND_PEOPLE


def project(
    pid: str,
    start: str,
    finish: str,
    body: str = "",
    *,
    name: str | None = None,
    leader: str = "leader-a",
    unit: str = "jsj",
) -> str:
    """One [[projects]] table; ``body`` holds its milestones and targets (TOML text)."""
    shown = json.dumps(name or pid, ensure_ascii=False)
    return (
        f'\n[[projects]]\nid = "{pid}"\nname = {shown}\nleader = "{leader}"\n'
        f'lead_unit = "{unit}"\nresponsible_unit = "{unit}"\nstart = {start}\nfinish = {finish}\n{body}'
    )


def milestone(mid: str, name: str, **keys: object) -> str:
    lines = [f'\n[[projects.milestones]]\nid = "{mid}"\nname = {json.dumps(name, ensure_ascii=False)}']
    for key, value in keys.items():
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        elif isinstance(value, list):
            lines.append(f"{key} = {json.dumps(value)}")
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


YEAR_2026 = project("p", "2026-01-01", "2026-12-31", name="龙源路道路工程")


@pytest.fixture
def year_file(write_toml):
    """One project spanning the whole of 2026."""
    return write_toml(HEAD + YEAR_2026)


def plan_json(sanshi, path: Path, *args: str) -> dict:
    result = sanshi("plan", "-f", str(path), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def by_period(document: dict, pid: str | None = None) -> dict[str, dict]:
    return {n["period"]: n for n in document["nodes"] if pid is None or n["project"] == pid}


def periods_of(document: dict) -> list[str]:
    return [n["period"] for n in document["nodes"]]


# -- node deadlines (节点时限) on the working calendar ------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "period", "first", "last", "deadline"),
    [
        ("--weekly", "2026-W18", "2026-04-27", "2026-05-03", "2026-04-30"),  # Thu before Labor Day
        ("--weekly", "2026-W19", "2026-05-04", "2026-05-10", "2026-05-09"),  # make-up Saturday
        ("--weekly", "2026-W07", "2026-02-09", "2026-02-15", "2026-02-14"),  # make-up Saturday
        ("--weekly", "2026-W38", "2026-09-14", "2026-09-20", "2026-09-20"),  # make-up Sunday
        ("--weekly", "2026-W40", "2026-09-28", "2026-10-04", "2026-09-30"),  # before National Day
        ("--weekly", "2026-W41", "2026-10-05", "2026-10-11", "2026-10-10"),  # make-up Saturday
        ("--weekly", "2026-W25", "2026-06-15", "2026-06-21", "2026-06-18"),  # Dragon Boat Friday
        ("--weekly", "2026-W53", "2026-12-28", "2026-12-31", "2026-12-31"),  # week 53, clipped
        ("--weekly", "2026-W01", "2026-01-01", "2026-01-04", "2026-01-04"),  # clipped; make-up Sunday
        ("--monthly", "2026-02", "2026-02-01", "2026-02-28", "2026-02-28"),  # make-up Saturday
        ("--monthly", "2026-05", "2026-05-01", "2026-05-31", "2026-05-29"),
        ("--monthly", "2026-10", "2026-10-01", "2026-10-31", "2026-10-30"),  # Friday
        ("--monthly", "2026-12", "2026-12-01", "2026-12-31", "2026-12-31"),
    ],
)
def test_node_deadline_is_last_working_day_of_node(sanshi, year_file, cadence, period, first, last, deadline):
    node = by_period(plan_json(sanshi, year_file, cadence, "--all", "--as-of", "2026-05-15"))[period]
    assert (node["start"], node["end"], node["deadline"]) == (first, last, deadline)
    assert node["rest"] is False


def test_spring_festival_week_is_a_rest_node(sanshi, year_file):
    nodes = by_period(plan_json(sanshi, year_file, "--weekly", "--all", "--as-of", "2026-01-05"))
    rest = nodes["2026-W08"]
    assert rest["start"] == "2026-02-16" and rest["end"] == "2026-02-22"
    assert rest["deadline"] is None
    assert rest["rest"] is True
    assert rest["state"] == "rest"
    # its planned progress is that of the node before (no working day in between)
    assert rest["planned_progress"] == nodes["2026-W07"]["planned_progress"]
    assert [p for p, n in nodes.items() if n["rest"]] == ["2026-W08"]


def test_whole_year_has_53_weeks_and_12_months(sanshi, year_file):
    weekly = plan_json(sanshi, year_file, "--weekly", "--all", "--as-of", "2026-05-15")
    monthly = plan_json(sanshi, year_file, "--monthly", "--all", "--as-of", "2026-05-15")
    assert periods_of(weekly) == [f"2026-W{w:02d}" for w in range(1, 54)]
    assert periods_of(monthly) == [f"2026-{m:02d}" for m in range(1, 13)]


def test_first_and_last_node_clipped_to_project_span(sanshi, write_toml):
    path = write_toml(HEAD + project("q", "2026-05-06", "2026-07-15"))
    weekly = plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-15")["nodes"]
    assert (weekly[0]["period"], weekly[0]["start"], weekly[0]["end"], weekly[0]["deadline"]) == (
        "2026-W19", "2026-05-06", "2026-05-10", "2026-05-09",
    )  # fmt: skip
    assert (weekly[-1]["period"], weekly[-1]["start"], weekly[-1]["end"], weekly[-1]["deadline"]) == (
        "2026-W29", "2026-07-13", "2026-07-15", "2026-07-15",
    )  # fmt: skip
    monthly = plan_json(sanshi, path, "--monthly", "--all", "--as-of", "2026-05-15")["nodes"]
    assert [(n["period"], n["start"], n["end"], n["deadline"]) for n in monthly] == [
        ("2026-05", "2026-05-06", "2026-05-31", "2026-05-29"),
        ("2026-06", "2026-06-01", "2026-06-30", "2026-06-30"),
        ("2026-07", "2026-07-01", "2026-07-15", "2026-07-15"),
    ]


def test_last_node_clipped_to_midweek_finish(sanshi, write_toml):
    path = write_toml(HEAD + project("q", "2026-04-01", "2026-05-06"))
    last = plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-04-01")["nodes"][-1]
    assert (last["period"], last["start"], last["end"], last["deadline"]) == (
        "2026-W19", "2026-05-04", "2026-05-06", "2026-05-06",
    )  # fmt: skip
    assert last["planned_progress"] == 100.0


def test_project_starting_on_a_holiday_opens_with_a_rest_node(sanshi, write_toml):
    path = write_toml(HEAD + project("q", "2026-05-02", "2026-05-31"))
    first = plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-04-01")["nodes"][0]
    assert (first["period"], first["start"], first["end"]) == ("2026-W18", "2026-05-02", "2026-05-03")
    assert first["rest"] is True and first["deadline"] is None and first["state"] == "rest"
    assert first["planned_progress"] == 0.0


# -- milestones and targets in their nodes --------------------------------------------------------

MILESTONES_2026 = project(
    "p",
    "2026-01-01",
    "2026-12-31",
    milestone("sat", "施工许可证", due="2026-05-09")
    + milestone("sun", "开工", due="2026-05-10")
    + milestone("mon", "基础完工", due="2026-05-11")
    + milestone("eve", "竣工验收", due="2026-12-31")
    + milestone("cny", "征收公告", due="2026-02-18"),
    name="市民中心",
)


def test_milestones_land_in_the_node_holding_their_due_date(sanshi, write_toml):
    path = write_toml(HEAD + MILESTONES_2026)
    weekly = by_period(plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-01-05"))
    ids = {p: [m["id"] for m in n["milestones"]] for p, n in weekly.items() if n["milestones"]}
    assert ids == {"2026-W19": ["sat", "sun"], "2026-W20": ["mon"], "2026-W53": ["eve"], "2026-W08": ["cny"]}
    assert weekly["2026-W08"]["rest"] is True and weekly["2026-W08"]["deadline"] is None
    monthly = by_period(plan_json(sanshi, path, "--monthly", "--all", "--as-of", "2026-01-05"))
    ids = {p: [m["id"] for m in n["milestones"]] for p, n in monthly.items() if n["milestones"]}
    assert ids == {"2026-05": ["sat", "sun", "mon"], "2026-12": ["eve"], "2026-02": ["cny"]}
    entry = monthly["2026-05"]["milestones"][0]
    assert entry == entry | {"id": "sat", "name": "施工许可证", "due": "2026-05-09", "done": None}


TARGETS = (
    '\n[[projects.monthly]]\nmonth = "2026-07"\ntarget = "完成桩基施工"\ninvest_target = 500\n'
    '\n[[projects.monthly]]\nmonth = "2026-05"\ntarget = "进场准备"\n'
    '\n[[projects.weekly]]\nweek = "2026-W28"\ntarget = "完成承台浇筑"\n'
    '\n[[projects.weekly]]\nweek = "2026-W19"\ntarget = "临设搭建"\n'
)


def test_monthly_and_weekly_targets_appear_in_their_node(sanshi, write_toml):
    path = write_toml(HEAD + project("q", "2026-05-06", "2026-09-30", TARGETS))
    monthly = by_period(plan_json(sanshi, path, "--monthly", "--all", "--as-of", "2026-05-15"))
    assert monthly["2026-07"]["targets"] == [{"target": "完成桩基施工", "invest_target": 500}]
    assert [t["target"] for t in monthly["2026-05"]["targets"]] == ["进场准备"]
    assert "invest_target" not in monthly["2026-05"]["targets"][0]
    assert all(not n["targets"] for p, n in monthly.items() if p not in ("2026-05", "2026-07"))
    weekly = by_period(plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-15"))
    assert [t["target"] for t in weekly["2026-W28"]["targets"]] == ["完成承台浇筑"]
    # W19 only partly inside the span (the project starts on Wednesday): still its node
    assert [t["target"] for t in weekly["2026-W19"]["targets"]] == ["临设搭建"]
    assert sum(len(n["targets"]) for n in weekly.values()) == 2


def test_targets_shown_in_table_and_markdown(sanshi, write_toml):
    path = write_toml(HEAD + project("q", "2026-05-06", "2026-09-30", TARGETS))
    for fmt in ("table", "markdown", "csv"):
        result = sanshi("plan", "-f", str(path), "--as-of", "2026-07-10", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "完成桩基施工" in result.stdout
        assert "500" in result.stdout


@pytest.mark.parametrize(
    ("body", "period"),
    [
        ('\n[[projects.monthly]]\nmonth = "2026-10"\ntarget = "超出工期"\n', "2026-10"),
        ('\n[[projects.monthly]]\nmonth = "2026-04"\ntarget = "开工前"\n', "2026-04"),
        ('\n[[projects.weekly]]\nweek = "2026-W18"\ntarget = "开工前"\n', "2026-W18"),
        ('\n[[projects.weekly]]\nweek = "2026-W41"\ntarget = "超出工期"\n', "2026-W41"),
    ],
)
@pytest.mark.parametrize("command", ["plan", "check", "status"])
def test_target_outside_the_span_is_an_error(sanshi, write_toml, body, period, command):
    path = write_toml(HEAD + project("q", "2026-05-06", "2026-09-30", body))
    result = sanshi(command, "-f", str(path), "--as-of", "2026-05-15")
    assert result.exit_code == 2
    assert period in result.stderr
    assert "2026-05-06" in result.stderr and "2026-09-30" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ('\n[[projects.monthly]]\nmonth = "2026-13"\ntarget = "x"\n', "2026-13"),
        ('\n[[projects.weekly]]\nweek = "2026-W54"\ntarget = "x"\n', "2026-W54"),
        ('\n[[projects.weekly]]\nweek = "2025-W53"\ntarget = "x"\n', "2025-W53"),  # 2025 has 52 weeks
    ],
)
def test_target_for_a_period_that_does_not_exist_is_an_error(sanshi, write_toml, body, value):
    path = write_toml(HEAD + project("q", "2025-01-01", "2026-12-31", body))
    result = sanshi("check", "-f", str(path))
    assert result.exit_code == 2
    assert value in result.stderr


def test_milestone_outside_span_is_a_warning_in_check(sanshi, write_toml):
    path = write_toml(HEAD + project("q", "2026-05-06", "2026-09-30", milestone("m", "开工", due="2026-10-09")))
    result = sanshi("check", "-f", str(path), "--as-of", "2026-05-15")
    assert result.exit_code == 0
    assert "2026-10-09" in result.stderr


# -- planned progress ---------------------------------------------------------------------------
# June 2026: 22 weekdays, 06-19 is the Dragon Boat holiday, so 21 working days; the start day
# 06-01 is not counted: 20 working days d with 06-01 < d <= 06-30. Deadlines: W23 Fri 06-05
# (4 working days after the start), W24 06-12 (9), W25 Thu 06-18 (13), W26 06-26 (18), W27 06-30 (20).


def test_planned_progress_is_linear_in_working_days(sanshi, write_toml):
    path = write_toml(HEAD + project("june", "2026-06-01", "2026-06-30"))
    nodes = plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-06-01")["nodes"]
    assert [(n["period"], n["deadline"], n["planned_progress"]) for n in nodes] == [
        ("2026-W23", "2026-06-05", 20.0),  # 4/20
        ("2026-W24", "2026-06-12", 45.0),  # 9/20
        ("2026-W25", "2026-06-18", 65.0),  # 13/20
        ("2026-W26", "2026-06-26", 90.0),  # 18/20
        ("2026-W27", "2026-06-30", 100.0),
    ]
    monthly = plan_json(sanshi, path, "--monthly", "--all", "--as-of", "2026-06-01")["nodes"]
    assert [(n["period"], n["planned_progress"]) for n in monthly] == [("2026-06", 100.0)]


def test_planned_progress_piecewise_through_milestone_progress(sanshi, write_toml):
    body = milestone("m1", "基础完工", due="2026-06-12", progress=60)
    path = write_toml(HEAD + project("june", "2026-06-01", "2026-06-30", body))
    nodes = plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-06-01")["nodes"]
    assert [n["planned_progress"] for n in nodes] == [
        26.7,  # 60 * 4/9
        60.0,  # at the milestone
        74.5,  # 60 + 40 * 4/11
        92.7,  # 60 + 40 * 9/11
        100.0,
    ]


def test_planned_progress_over_a_year_monthly(sanshi, year_file):
    # 2026-01-01 is a holiday, so all 248 working days of 2026 count.
    # Through 01-30: 21 working days (01-04 make-up + 20 weekdays from 01-05); through 06-30: 120.
    nodes = by_period(plan_json(sanshi, year_file, "--monthly", "--all", "--as-of", "2026-05-15"))
    assert nodes["2026-01"]["planned_progress"] == 8.5  # 100 * 21 / 248
    assert nodes["2026-06"]["planned_progress"] == 48.4  # 100 * 120 / 248
    values = [n["planned_progress"] for n in nodes.values()]
    assert values == sorted(values) and values[-1] == 100.0


# -- node states --------------------------------------------------------------------------------

STATES = project(
    "s",
    "2026-04-01",
    "2026-06-30",
    milestone("a", "可研批复", due="2026-04-08", done="2026-04-08")
    + milestone("b", "环评批复", due="2026-04-15")
    + milestone("c", "施工图审查", due="2026-05-27", done="2026-05-10")
    + milestone("d", "施工许可证", due="2026-06-10"),
)


def test_node_states_as_of(sanshi, write_toml):
    path = write_toml(HEAD + STATES)
    nodes = by_period(plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-15"))
    states = {p: n["state"] for p, n in nodes.items()}
    assert states == {
        "2026-W14": "past",
        "2026-W15": "done",  # a done on time
        "2026-W16": "overdue",  # b due 04-15, deadline 04-17 passed, not done
        "2026-W17": "past",
        "2026-W18": "past",
        "2026-W19": "past",
        "2026-W20": "current",  # holds 05-15
        "2026-W21": "future",
        "2026-W22": "done",  # c done early, before its node
        "2026-W23": "future",
        "2026-W24": "future",  # d not yet due
        "2026-W25": "future",
        "2026-W26": "future",
        "2026-W27": "future",
    }


def test_current_node_becomes_overdue_after_its_deadline(sanshi, write_toml):
    body = milestone("e", "开工", due="2026-05-13")
    path = write_toml(HEAD + project("s", "2026-04-01", "2026-06-30", body))
    friday = by_period(plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-15"))["2026-W20"]
    saturday = by_period(plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-16"))["2026-W20"]
    assert friday["state"] == "current"  # deadline 05-15 not yet passed
    assert saturday["state"] == "overdue"


def test_overdue_node_turns_done_once_delivered(sanshi, write_toml):
    late = milestone("b", "环评批复", due="2026-04-15", done="2026-05-12")
    path = write_toml(HEAD + project("s", "2026-04-01", "2026-06-30", late))
    node = by_period(plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-15"))["2026-W16"]
    assert node["state"] == "done"
    assert node["milestones"][0]["done"] == "2026-05-12"
    assert node["milestones"][0]["forecast"] == "2026-05-12"


# -- selecting what to show ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--weekly",), ["2026-W20", "2026-W21", "2026-W22", "2026-W23"]),
        ((), ["2026-05", "2026-06", "2026-07"]),
        (("--monthly",), ["2026-05", "2026-06", "2026-07"]),
        (("--weekly", "--periods", "2"), ["2026-W20", "2026-W21"]),
        (("-w", "-n", "1"), ["2026-W20"]),
        (("--periods", "5"), ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]),
        (("--from", "2026-07"), ["2026-07", "2026-08", "2026-09"]),
        (("--from", "2026-05", "--to", "2026-08"), ["2026-05", "2026-06", "2026-07", "2026-08"]),
        (("--from", "2026-05", "--to", "2026-05"), ["2026-05"]),
        (("--weekly", "--from", "2026-W19", "--periods", "2"), ["2026-W19", "2026-W20"]),
        (("--weekly", "--from", "2026-05-13", "--to", "2026-05-27"), ["2026-W20", "2026-W21", "2026-W22"]),
        (("--monthly", "--from", "2026-04-15", "--to", "2026-06-30"), ["2026-04", "2026-05", "2026-06"]),
        (("--monthly", "--to", "2026-08"), ["2026-05", "2026-06", "2026-07", "2026-08"]),
        (("--weekly", "--from", "2026-W53"), ["2026-W53"]),  # the project ends 2026-12-31
        (("--weekly", "--all"), [f"2026-W{w:02d}" for w in range(1, 54)]),
    ],
)
def test_window_selection(sanshi, year_file, args, expected):
    assert periods_of(plan_json(sanshi, year_file, "--as-of", "2026-05-15", *args)) == expected


def test_default_window_uses_whole_periods(sanshi, year_file):
    nodes = plan_json(sanshi, year_file, "--weekly", "--as-of", "2026-05-15")["nodes"]
    assert (nodes[0]["start"], nodes[0]["end"], nodes[0]["state"]) == ("2026-05-11", "2026-05-17", "current")
    assert (nodes[-1]["start"], nodes[-1]["end"]) == ("2026-06-01", "2026-06-07")


def test_window_before_project_start_shows_its_first_nodes(sanshi, write_toml):
    path = write_toml(HEAD + project("june", "2026-06-01", "2026-06-30"))
    assert periods_of(plan_json(sanshi, path, "--weekly", "--as-of", "2026-05-15")) == ["2026-W23"]
    assert plan_json(sanshi, path, "--weekly", "--as-of", "2026-03-02")["nodes"] == []


def test_all_shows_whole_span_whatever_the_day(sanshi, write_toml):
    path = write_toml(HEAD + project("june", "2026-06-01", "2026-06-30"))
    for as_of in ("2025-01-06", "2026-06-15", "2026-12-31"):
        document = plan_json(sanshi, path, "--weekly", "--all", "--as-of", as_of)
        assert periods_of(document) == ["2026-W23", "2026-W24", "2026-W25", "2026-W26", "2026-W27"]
        assert document["as_of"] == as_of


def test_window_dates_do_not_change_a_weekly_node(sanshi, year_file):
    """Regression: --from/--to used to cut the nodes themselves (W20 started 05-13)."""
    args = ("--weekly", "--as-of", "2026-05-15", "--from", "2026-05-13", "--to", "2026-05-27")
    nodes = by_period(plan_json(sanshi, year_file, *args))
    assert (nodes["2026-W20"]["start"], nodes["2026-W20"]["end"]) == ("2026-05-11", "2026-05-17")
    assert (nodes["2026-W22"]["start"], nodes["2026-W22"]["end"]) == ("2026-05-25", "2026-05-31")
    assert nodes["2026-W22"]["deadline"] == "2026-05-29"


def test_window_dates_do_not_change_a_monthly_deadline(sanshi, year_file):
    """Regression: --to 2026-05-20 used to report the May deadline as 05-20."""
    args = ("--monthly", "--as-of", "2026-05-15", "--from", "2026-05-01", "--to", "2026-05-20")
    node = by_period(plan_json(sanshi, year_file, *args))["2026-05"]
    assert (node["end"], node["deadline"]) == ("2026-05-31", "2026-05-29")


def test_to_week_means_the_end_of_that_week(sanshi, year_file):
    """Regression: date.fromisoformat read --to 2026-W19 as Monday 05-04, leaving a one-day rest node."""
    args = ("--weekly", "--as-of", "2026-05-15", "--from", "2026-W18", "--to", "2026-W19")
    nodes = plan_json(sanshi, year_file, *args)["nodes"]
    assert [(n["period"], n["end"], n["deadline"]) for n in nodes] == [
        ("2026-W18", "2026-05-03", "2026-04-30"),
        ("2026-W19", "2026-05-10", "2026-05-09"),
    ]


def test_window_shows_a_projects_node_whatever_the_other_projects(sanshi, write_toml):
    path = write_toml(HEAD + project("a", "2026-01-01", "2026-12-31") + project("b", "2026-05-25", "2026-12-31"))
    window = ("--as-of", "2026-05-15", "--from", "2026-05-01", "--to", "2026-05-20")
    together = plan_json(sanshi, path, *window)["nodes"]
    assert [(n["project"], n["period"]) for n in together] == [("a", "2026-05"), ("b", "2026-05")]
    alone = plan_json(sanshi, path, *window, "--project", "b")["nodes"]
    assert [(n["project"], n["period"], n["start"]) for n in alone] == [("b", "2026-05", "2026-05-25")]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-06-01", "2026-05-31"),
        ("2026-06", "2026-05"),
        ("2026-W20", "2026-05-10"),
        ("2026-05-11", "2026-W19"),
    ],
)
def test_from_after_to_is_a_usage_error(sanshi, year_file, start, end):
    result = sanshi("plan", "-f", str(year_file), "--as-of", "2026-05-15", "--weekly", "--from", start, "--to", end)
    assert result.exit_code == 2
    assert "--from" in result.stderr and "--to" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--from", "2026-13"),
        ("--to", "2026-W54"),
        ("--from", "2025-W53"),
        ("--to", "2026-00"),
        ("--from", "2026-02-30"),
        ("--to", "next week"),
    ],
)
def test_period_that_does_not_exist_is_a_clear_usage_error(sanshi, year_file, option, value):
    result = sanshi("plan", "-f", str(year_file), "--as-of", "2026-05-15", option, value)
    assert result.exit_code == 2
    assert option in result.stderr and value in result.stderr
    assert "2026-W19" in result.stderr  # shows what a valid value looks like
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_week_53_exists_in_2026(sanshi, year_file):
    nodes = plan_json(sanshi, year_file, "--weekly", "--as-of", "2026-05-15", "--from", "2026-W53")["nodes"]
    assert [(n["period"], n["start"], n["end"]) for n in nodes] == [("2026-W53", "2026-12-28", "2026-12-31")]


def test_periods_must_be_positive(sanshi, year_file):
    result = sanshi("plan", "-f", str(year_file), "--as-of", "2026-05-15", "--periods", "0")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--periods/-n" in result.stderr


FILTERED = (
    HEAD
    + project("road", "2026-03-02", "2026-12-31", milestone("r1", "施工许可证", due="2026-05-20"),
              name="龙源路道路工程", unit="jsj", leader="leader-a")
    + project("water", "2026-01-05", "2026-12-31", milestone("w1", "环评批复", due="2026-05-21"),
              name="再生水综合利用项目", unit="zrzy", leader="leader-b")
    + project("civic", "2026-01-05", "2026-12-31",
              milestone("c1", "用地预审与选址意见书", due="2026-05-22")
              + milestone("c2", "招标", due="2026-05-25", owner="jsj"),
              name="市民中心", unit="zrzy", leader="leader-a")
)  # fmt: skip


@pytest.fixture
def filtered_file(write_toml):
    return write_toml(FILTERED)


def projects_in(document: dict) -> list[str]:
    return list(dict.fromkeys(n["project"] for n in document["nodes"]))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["road", "water", "civic"]),
        (("--project", "water"), ["water"]),
        (("--project", "市民中心"), ["civic"]),
        (("-p", "road", "-p", "civic"), ["road", "civic"]),
        (("--leader", "leader-b"), ["water"]),
        (("--leader", "示例领导甲"), ["road", "civic"]),
        (("--unit", "jsj"), ["road", "civic"]),  # civic has a milestone owned by jsj
        (("--unit", "高新区自然资源和规划分局"), ["water", "civic"]),
        (("--unit", "jsj", "--leader", "leader-b"), []),
    ],
)
def test_filters(sanshi, filtered_file, args, expected):
    document = plan_json(sanshi, filtered_file, "--weekly", "--as-of", "2026-05-15", *args)
    assert projects_in(document) == expected


def test_unit_filter_keeps_only_that_units_milestones(sanshi, filtered_file):
    document = plan_json(sanshi, filtered_file, "--weekly", "--as-of", "2026-05-15", "--unit", "jsj")
    ids = [m["id"] for n in document["nodes"] for m in n["milestones"]]
    assert sorted(ids) == ["c2", "r1"]


@pytest.mark.parametrize("option", ["--project", "--unit", "--leader"])
def test_unknown_filter_is_a_usage_error(sanshi, filtered_file, option):
    result = sanshi("plan", "-f", str(filtered_file), "--as-of", "2026-05-15", option, "nobody")
    assert result.exit_code == 2
    assert option in result.stderr and "nobody" in result.stderr


def test_grouped_by_period_then_project_in_file_order(sanshi, filtered_file):
    nodes = plan_json(sanshi, filtered_file, "--weekly", "--as-of", "2026-05-15")["nodes"]
    pairs = [(n["period"], n["project"]) for n in nodes]
    expected = [(p, x) for p in ("2026-W20", "2026-W21", "2026-W22", "2026-W23") for x in ("road", "water", "civic")]
    assert pairs == expected


def test_grouping_keeps_file_order_when_a_later_project_starts_earlier(sanshi, filtered_file):
    # road (first in the file) starts 2026-03-02, after water and civic: it joins in W10, first in line.
    nodes = plan_json(sanshi, filtered_file, "--weekly", "--as-of", "2026-05-15", "--from", "2026-W09", "-n", "2")[
        "nodes"
    ]
    assert [(n["period"], n["project"]) for n in nodes] == [
        ("2026-W09", "water"), ("2026-W09", "civic"),
        ("2026-W10", "road"), ("2026-W10", "water"), ("2026-W10", "civic"),
    ]  # fmt: skip


def test_markdown_groups_by_period(sanshi, filtered_file):
    result = sanshi("plan", "-f", str(filtered_file), "--as-of", "2026-05-15", "--weekly", "--format", "markdown")
    assert result.exit_code == 0
    text = result.stdout
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == ["### 2026-W20", "### 2026-W21", "### 2026-W22", "### 2026-W23"]
    week21 = text.split("### 2026-W21")[1].split("###")[0]
    rows = [line for line in week21.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [r.split(" | ")[0] for r in rows] == ["| 龙源路道路工程", "| 再生水综合利用项目", "| 市民中心"]
    assert "施工许可证" in rows[0] and "05-20" in rows[0]


# -- forecast (delay propagation) ---------------------------------------------------------------

CHAIN = project(
    "civic-center",
    "2026-03-01",
    "2026-12-31",
    milestone("permits", "施工许可证", due="2026-04-30") + milestone("start", "开工", after="permits", offset="10wd"),
    name="市民中心",
)


def status_items(sanshi, path: Path, *args: str) -> dict[str, dict]:
    result = sanshi("status", "-f", str(path), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return {i["milestone"]: i for i in json.loads(result.stdout)["items"]}


def test_forecast_propagates_a_slip(sanshi, write_toml):
    # start = permits + 10wd = 05-06,07,08,09(Sat),11,12,13,14,15,18 -> due 2026-05-18.
    # As of 05-15 permits is overdue: forecast 05-15; + 10wd = 05-18..22, 25..29 -> 2026-05-29.
    path = write_toml(HEAD + CHAIN)
    items = status_items(sanshi, path, "--as-of", "2026-05-15", "--all")
    assert items["permits"] | {} == items["permits"] | {
        "due": "2026-04-30", "forecast": "2026-05-15", "state": "overdue", "level": "red",
    }  # fmt: skip
    start = items["start"]
    assert (start["due"], start["forecast"], start["state"], start["level"]) == (
        "2026-05-18", "2026-05-29", "at_risk", "yellow",
    )  # fmt: skip
    assert start["slip_days"] == 11


def test_status_table_shows_forecast_and_slip(sanshi, write_toml):
    path = write_toml(HEAD + CHAIN)
    zh = sanshi("status", "-f", str(path), "--as-of", "2026-05-15")
    en = sanshi("status", "-f", str(path), "--as-of", "2026-05-15", "--lang", "en")
    assert zh.exit_code == en.exit_code == 0
    assert "2026-05-29" in zh.stdout and "11" in zh.stdout
    assert "2026-05-29" in en.stdout and "11 days" in en.stdout


def test_at_risk_outranks_due_soon(sanshi, write_toml):
    # fence is due 05-15 (today): due soon, blue. start (05-18) is at risk: yellow, listed first.
    body = (
        milestone("permits", "施工许可证", due="2026-04-30")
        + milestone("start", "开工", after="permits", offset="10wd")
        + milestone("fence", "围挡施工", due="2026-05-15")
    )
    path = write_toml(HEAD + project("civic-center", "2026-03-01", "2026-12-31", body))
    result = sanshi("status", "-f", str(path), "--format", "json", "--as-of", "2026-05-15")
    items = json.loads(result.stdout)["items"]
    assert [(i["milestone"], i["state"], i["level"]) for i in items] == [
        ("permits", "overdue", "red"),
        ("start", "at_risk", "yellow"),
        ("fence", "due_soon", "blue"),
    ]


def test_on_time_chain_has_no_risk(sanshi, write_toml):
    path = write_toml(HEAD + CHAIN)
    items = status_items(sanshi, path, "--as-of", "2026-04-20", "--all")
    assert items["start"]["forecast"] == "2026-05-18"
    assert items["start"]["state"] == "on_track"
    assert items["permits"]["forecast"] == "2026-04-30"


def test_depends_pushes_the_forecast(sanshi, write_toml):
    body = (
        milestone("permits", "施工许可证", due="2026-04-30")
        + milestone("start", "开工", after="permits", offset="10wd")
        + milestone("fitout", "设备安装完成", due="2026-05-20", depends=["start"])
        + milestone("later", "竣工验收", due="2026-06-30", depends=["start"])
    )
    path = write_toml(HEAD + project("civic-center", "2026-03-01", "2026-12-31", body))
    items = status_items(sanshi, path, "--as-of", "2026-05-15", "--all")
    assert (items["fitout"]["forecast"], items["fitout"]["state"], items["fitout"]["level"]) == (
        "2026-05-29", "at_risk", "yellow",
    )  # fmt: skip
    # a dependency that finishes before the plan does not move it
    assert (items["later"]["forecast"], items["later"]["state"]) == ("2026-06-30", "on_track")


def test_done_anchor_done_date_is_used(sanshi, write_toml):
    # permits done late on 05-12: start forecast = 05-12 + 10wd = 05-13,14,15,18..22,25,26 -> 05-26.
    body = milestone("permits", "施工许可证", due="2026-04-30", done="2026-05-12") + milestone(
        "start", "开工", after="permits", offset="10wd"
    )
    path = write_toml(HEAD + project("civic-center", "2026-03-01", "2026-12-31", body))
    items = status_items(sanshi, path, "--as-of", "2026-05-15", "--all")
    assert items["permits"]["forecast"] == "2026-05-12"
    assert items["permits"]["state"] == "done_late"
    assert (items["start"]["forecast"], items["start"]["state"]) == ("2026-05-26", "at_risk")


def test_early_anchor_never_pulls_forecast_before_plan(sanshi, write_toml):
    body = milestone("permits", "施工许可证", due="2026-04-30", done="2026-04-20") + milestone(
        "start", "开工", after="permits", offset="10wd"
    )
    path = write_toml(HEAD + project("civic-center", "2026-03-01", "2026-12-31", body))
    items = status_items(sanshi, path, "--as-of", "2026-04-21", "--all")
    assert items["permits"]["forecast"] == "2026-04-20"  # a done milestone's forecast: its done date
    assert items["start"]["forecast"] == "2026-05-18"
    assert items["start"]["state"] == "on_track"


def test_plan_json_milestones_carry_forecast(sanshi, write_toml):
    path = write_toml(HEAD + CHAIN)
    nodes = by_period(plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-15"))
    assert nodes["2026-W21"]["milestones"][0] | {} == nodes["2026-W21"]["milestones"][0] | {
        "id": "start", "name": "开工", "due": "2026-05-18", "forecast": "2026-05-29", "done": None,
    }  # fmt: skip
    assert nodes["2026-W18"]["milestones"][0]["forecast"] == "2026-05-15"
    assert nodes["2026-W18"]["state"] == "overdue"
    table = sanshi("plan", "-f", str(path), "--weekly", "--as-of", "2026-05-15")
    assert "05-29" in table.stdout


# -- formats ------------------------------------------------------------------------------------

NODE_KEYS = {
    "project", "project_name", "period", "start", "end", "deadline", "rest", "planned_progress", "reported_progress",
    "state", "milestones", "targets",
}  # fmt: skip


MILESTONE_KEYS = {"id", "name", "due", "forecast", "done", "owner", "carried"}


def test_json_contract(sanshi, write_toml):
    path = write_toml(HEAD + CHAIN)
    result = sanshi("plan", "-f", str(path), "--format", "json", "--weekly", "--as-of", "2026-05-15")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(document) == ["as_of", "period", "nodes"]
    assert document["as_of"] == "2026-05-15" and document["period"] == "weekly"
    for node in document["nodes"]:
        assert set(node) == NODE_KEYS
        assert isinstance(node["rest"], bool) and isinstance(node["planned_progress"], int | float)
        for entry in node["milestones"]:
            assert set(entry) == MILESTONE_KEYS
    assert "市民中心" in result.stdout  # not \u-escaped
    monthly = plan_json(sanshi, path, "--as-of", "2026-05-15")
    assert monthly["period"] == "monthly"


def test_json_with_no_nodes_is_valid(sanshi, write_toml):
    path = write_toml(HEAD + CHAIN)
    before = plan_json(sanshi, path, "--as-of", "2026-05-15", "--from", "2025-01")  # 2025-01..03
    assert before["nodes"] == []
    empty = plan_json(sanshi, path, "--as-of", "2024-01-15")
    assert empty == {"as_of": "2024-01-15", "period": "monthly", "nodes": []}


def test_csv_one_row_per_node_and_formulas_defused(sanshi, write_toml):
    evil = "=cmd|' /C calc'!A0"
    path = write_toml(HEAD + CHAIN + project("evil", "2026-03-01", "2026-12-31", name=evil))
    args = ("-f", str(path), "--weekly", "--as-of", "2026-05-15")
    result = sanshi("plan", *args, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["project", "project_name", "period"] and "deadline" in header
    document = json.loads(sanshi("plan", *args, "--format", "json").stdout)
    assert len(body) == len(document["nodes"]) == 8
    name = header.index("project_name")
    assert {r[name] for r in body} == {"市民中心", "'" + evil}
    deadline = header.index("deadline")
    assert [r[deadline] for r in body if r[0] == "civic-center"] == [
        "2026-05-15", "2026-05-22", "2026-05-29", "2026-06-05",
    ]  # fmt: skip
    assert not any(cell.startswith(("=", "+", "@")) for row in body for cell in row)


def test_csv_rest_node_has_empty_deadline(sanshi, year_file):
    result = sanshi("plan", "-f", str(year_file), "--weekly", "--as-of", "2026-02-16", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["period"] == "2026-W08" and rows[0]["deadline"] == ""
    assert rows[0]["state"] == "rest"


def test_markdown_escapes_pipes(sanshi, write_toml):
    path = write_toml(HEAD + project("pipe", "2026-03-01", "2026-12-31", name="A|B 工程"))
    result = sanshi("plan", "-f", str(path), "--as-of", "2026-05-15", "--format", "markdown")
    assert result.exit_code == 0
    rows = [line for line in result.stdout.splitlines() if "A" in line and "B 工程" in line]
    assert rows and all("A\\|B 工程" in row for row in rows)
    header = next(line for line in result.stdout.splitlines() if line.startswith("| "))
    for row in rows:  # the escaped pipe does not add a column
        assert row.replace("\\|", "").count("|") == header.count("|")


def _walk(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
    yield value


def test_toml_round_trip(sanshi, write_toml):
    body = (
        milestone("permits", "施工许可证", due="2026-04-30", done="2026-05-06")
        + milestone("start", "开工", after="permits", offset="10wd")
        + '\n[[projects.monthly]]\nmonth = "2026-02"\ntarget = "征收公告"\ninvest_target = 120.5\n'
    )
    path = write_toml(HEAD + project("civic-center", "2026-01-01", "2026-12-31", body, name="市民中心"))
    result = sanshi("plan", "-f", str(path), "--weekly", "--all", "--as-of", "2026-05-15", "--format", "toml")
    assert result.exit_code == 0, result.stderr
    document = tomllib.loads(result.stdout)
    assert document["as_of"] == date(2026, 5, 15)
    assert document["period"] == "weekly"
    nodes = {n["period"]: n for n in document["nodes"]}
    assert len(nodes) == 53
    w19 = nodes["2026-W19"]
    assert (w19["start"], w19["end"], w19["deadline"]) == (date(2026, 5, 4), date(2026, 5, 10), date(2026, 5, 9))
    permits = nodes["2026-W18"]["milestones"][0]
    assert (permits["name"], permits["due"], permits["done"]) == ("施工许可证", date(2026, 4, 30), date(2026, 5, 6))
    start = nodes["2026-W21"]["milestones"][0]
    # done 05-06 + 10wd: 05-07, 08, 09 (Sat), 11..15, 18, 19
    assert (start["due"], start["forecast"]) == (date(2026, 5, 18), date(2026, 5, 19))
    assert "done" not in start
    rest = nodes["2026-W08"]
    assert rest["rest"] is True and "deadline" not in rest
    assert None not in list(_walk(document))
    monthly = tomllib.loads(
        sanshi("plan", "-f", str(path), "--all", "--as-of", "2026-05-15", "--format", "toml").stdout
    )
    february = next(n for n in monthly["nodes"] if n["period"] == "2026-02")
    assert february["targets"] == [{"target": "征收公告", "invest_target": 120.5}]


def test_toml_keeps_date_like_names_as_strings(sanshi, write_toml):
    """Regression: every YYYY-MM-DD-looking string, names included, became a TOML date."""
    path = write_toml(HEAD + project("p", "2026-03-01", "2026-12-31", name="2026-10-01"))
    result = sanshi("plan", "-f", str(path), "--as-of", "2026-05-15", "--format", "toml")
    assert tomllib.loads(result.stdout)["nodes"][0]["project_name"] == "2026-10-01"


ICS_FILE = (
    HEAD
    + project(
        "civic-center",
        "2026-01-01",
        "2026-12-31",
        milestone("permits", "施工许可证", due="2026-04-30")
        + milestone("start", "开工", after="permits", offset="10wd")
        + milestone("cny", "征收公告", due="2026-02-18"),
        name="市民中心",
    )
    + project("road", "2026-02-02", "2026-06-30", milestone("r1", "招标", due="2026-05-09"), name="龙源路道路工程")
)


def test_ics_round_trip(sanshi, write_toml, tmp_path):
    from icalendar import Calendar

    path = write_toml(ICS_FILE)
    args = ("plan", "-f", str(path), "--weekly", "--all", "--as-of", "2026-05-15", "--format", "ics")
    first, second = sanshi(*args), sanshi(*args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout
    # the test runner folds CRLF on stdout, so check the line ends in a written file
    written = sanshi(*args, "-o", str(tmp_path / "plan.ics"))
    assert written.exit_code == 0
    text = (tmp_path / "plan.ics").read_bytes().decode("utf-8")
    assert text.replace("\r\n", "\n") == first.stdout
    nodes = plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-15")["nodes"]
    deadlines = [n for n in nodes if n["deadline"] is not None]
    milestones = [m for n in nodes for m in n["milestones"] if not m["carried"]]  # carried: no second event
    assert len(milestones) == 4

    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    calendar = Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(deadlines) + len(milestones) == 53 - 1 + 22 - 1 + 4
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    again = [str(e["UID"]) for e in Calendar.from_ical(second.stdout).walk("VEVENT")]
    assert again == uids
    for event in events:
        start = event.decoded("DTSTART")
        assert isinstance(start, date) and not hasattr(start, "hour")  # all-day
        assert event.decoded("DTEND") > start
    starts = {e.decoded("DTSTART") for e in events}
    assert {date(2026, 5, 9), date(2026, 4, 30), date(2026, 5, 18), date(2026, 2, 18)} <= starts
    assert date(2026, 2, 20) not in starts  # the rest week W08 has no deadline event
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any("市民中心" in s and "施工许可证" in s for s in summaries)
    assert any("龙源路道路工程" in s and "2026-W19" in s for s in summaries)


def test_ics_uids_stable_when_the_window_changes(sanshi, write_toml):
    from icalendar import Calendar

    path = write_toml(ICS_FILE)

    def uids(*window: str) -> dict[str, date]:
        result = sanshi("plan", "-f", str(path), "--weekly", "--as-of", "2026-05-15", "--format", "ics", *window)
        return {str(e["UID"]): e.decoded("DTSTART") for e in Calendar.from_ical(result.stdout).walk("VEVENT")}

    narrow, wide = uids("-n", "2"), uids("--all")
    assert narrow and all(wide[uid] == day for uid, day in narrow.items())


def test_ics_uids_unique_across_projects_with_hyphenated_ids(sanshi, write_toml):
    """Regression: UIDs were milestone-{project}-{milestone}@sanshi: road/a-permits == road-a/permits."""
    from icalendar import Calendar

    path = write_toml(
        HEAD
        + project("road", "2026-03-02", "2026-12-31", milestone("a-permits", "施工许可证", due="2026-05-20"))
        + project("road-a", "2026-03-02", "2026-12-31", milestone("permits", "施工许可证", due="2026-05-21"))
    )
    result = sanshi("plan", "-f", str(path), "--weekly", "--as-of", "2026-05-15", "--format", "ics")
    uids = [str(e["UID"]) for e in Calendar.from_ical(result.stdout).walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_ics_english(sanshi, write_toml):
    from icalendar import Calendar

    path = write_toml(ICS_FILE)
    result = sanshi("plan", "-f", str(path), "--as-of", "2026-05-15", "--format", "ics", "--lang", "en")
    assert result.exit_code == 0
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(result.stdout).walk("VEVENT")]
    assert any("deadline" in s for s in summaries)


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "toml", "ics"])
def test_output_file_replaces_existing_file(sanshi, write_toml, tmp_path, fmt):
    path = write_toml(ICS_FILE)
    args = ("plan", "-f", str(path), "--weekly", "--as-of", "2026-05-15", "--format", fmt)
    target = tmp_path / "out" / f"清单.{fmt}"
    target.parent.mkdir()
    target.write_text("OLD CONTENT\n" * 10_000, encoding="utf-8")
    result = sanshi(*args, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = target.read_bytes().decode("utf-8-sig")
    assert "OLD CONTENT" not in written
    assert "龙源路道路工程" in written
    if fmt in ("json", "csv", "markdown", "toml", "ics"):
        assert written.replace("\r\n", "\n") == sanshi(*args).stdout
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary left


def test_output_csv_file_opens_in_excel(sanshi, write_toml, tmp_path):
    path = write_toml(ICS_FILE)
    target = tmp_path / "nodes.csv"
    result = sanshi("plan", "-f", str(path), "--as-of", "2026-05-15", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads it as UTF-8
    assert "市民中心" in raw.decode("utf-8-sig")


def test_output_table_file_has_no_escape_codes(sanshi, write_toml, tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    path = write_toml(ICS_FILE)
    target = tmp_path / "nodes.txt"
    result = sanshi("plan", "-f", str(path), "--as-of", "2026-05-15", "-o", str(target))
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "\x1b" not in text and "市民中心" in text


def test_output_into_missing_directory_is_a_clear_error(sanshi, write_toml, tmp_path):
    path = write_toml(ICS_FILE)
    target = tmp_path / "missing" / "plan.ics"
    result = sanshi("plan", "-f", str(path), "--as-of", "2026-05-15", "--format", "ics", "-o", str(target))
    assert result.exit_code == 2
    assert str(target) in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not target.parent.exists()


def test_table_without_colour(sanshi, write_toml):
    path = write_toml(ICS_FILE)
    result = sanshi("plan", "-f", str(path), "--weekly", "--as-of", "2026-05-15")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    for text in ("2026-W20", "市民中心", "龙源路道路工程", "2026-05-15", "高新区建设局"):
        assert text in result.stdout


def test_table_in_english(sanshi, write_toml):
    path = write_toml(ICS_FILE)
    result = sanshi("plan", "-f", str(path), "--weekly", "--as-of", "2026-02-16", "--lang", "en")
    assert result.exit_code == 0
    assert "2026-W08" in result.stdout


# -- uncovered years ------------------------------------------------------------------------------

SPANS_2027 = HEAD + project(
    "civic-center", "2026-03-01", "2027-06-30", milestone("permits", "施工许可证", due="2026-04-30")
)


@pytest.mark.parametrize("fmt", ["json", "table", "csv"])
def test_uncovered_year_warns_once(sanshi, write_toml, fmt):
    path = write_toml(SPANS_2027)
    result = sanshi("plan", "-f", str(path), "--weekly", "--all", "--as-of", "2026-05-15", "--format", fmt)
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if "2027" in line]
    assert len(lines) == 1
    assert "2026" not in lines[0].replace(str(path), "")


def test_uncovered_year_fails_when_strict(sanshi, write_toml):
    path = write_toml("[calendar]\nstrict = true\n\n" + SPANS_2027)
    result = sanshi("plan", "-f", str(path), "--all", "--as-of", "2026-05-15", "--format", "json")
    assert result.exit_code == 2
    assert "2027" in result.stderr
    assert "Traceback" not in result.stderr


def test_uncovered_year_strict_leaves_output_file_alone(sanshi, write_toml, tmp_path):
    path = write_toml("[calendar]\nstrict = true\n\n" + SPANS_2027)
    target = tmp_path / "plan.json"
    target.write_text("previous plan\n", encoding="utf-8")
    result = sanshi("plan", "-f", str(path), "--all", "--as-of", "2026-05-15", "--format", "json", "-o", str(target))
    assert result.exit_code == 2 and "2027" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous plan\n"


def test_uncovered_year_strict_writes_no_partial_document(sanshi, write_toml):
    """Regression: the strict failure came mid-stream, after '{"as_of": ..., "nodes": [' was written."""
    path = write_toml("[calendar]\nstrict = true\n\n" + SPANS_2027)
    result = sanshi("plan", "-f", str(path), "--all", "--as-of", "2026-05-15", "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_typed_in_year_is_used_and_not_warned(sanshi, write_toml):
    notice = (
        "[calendar]\nstrict = true\n\n[calendar.years.2027]\n"
        "holidays = [2027-01-01, 2027-06-14]\nworkdays = [2027-06-12]\n\n"
    )
    path = write_toml(notice + SPANS_2027)
    result = sanshi("plan", "-f", str(path), "--weekly", "--all", "--as-of", "2026-05-15", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "2027" not in result.stderr
    nodes = by_period(json.loads(result.stdout))
    assert nodes["2027-W24"]["deadline"] == "2027-06-18"  # Mon 06-14 is a holiday; Fri 06-18 still last
    assert nodes["2027-W23"]["deadline"] == "2027-06-12"  # make-up Saturday
    assert nodes["2026-W53"]["deadline"] == "2026-12-31"
    assert nodes["2026-W53"]["end"] == "2027-01-03"  # ISO week 53 runs into 2027


# -- tables that fit the terminal ------------------------------------------------------------------------

SAMPLE_PLAN = (
    "plan", "-f", str(REPO / "data" / "projects.toml"), "--weekly", "--as-of", "2026-11-27", "-n", "2",
    "-p", "civic-center", "-p", "longyuan-road", "-p", "shanyang-bridge",
)  # fmt: skip

PLAN_80_ZH = """\
高新区“三十工程”重点项目　周节点清单　截至 2026-11-27

2026-W48  11-23～11-29
  市民中心        11-27    计划 32% · 填报 30%  本期    投资集团
      完成二层顶板混凝土浇筑
  龙源路道路工程  11-27    计划 7.5% · 填报 7%  本期    建设局
      施工许可证 11-20 逾期未完成
  山阳路大沙河桥  11-27  计划 34.8% · 填报 34%  本期    建设局
      完成 3# 墩承台混凝土浇筑

2026-W49  11-30～12-06
  市民中心        12-04                    33%  未到期  投资集团
      完成三层顶板钢筋绑扎
  龙源路道路工程  12-04                    10%  未到期  城管局
      开工 12-04 → 预计 12-11
  山阳路大沙河桥  12-04                    36%  未到期  建设局
      基础完工（桩基及承台） 11-30
      完成桩基检测，基础完工交账
"""

PLAN_80_EN = """\
高新区“三十工程”重点项目: weekly nodes as of 2026-11-27

2026-W48  11-23–11-29
  市民中心        11-27    planned 32% · reported 30%  current  投资集团
      完成二层顶板混凝土浇筑
  龙源路道路工程  11-27    planned 7.5% · reported 7%  current  建设局
      施工许可证 11-20 overdue, not done
  山阳路大沙河桥  11-27  planned 34.8% · reported 34%  current  建设局
      完成 3# 墩承台混凝土浇筑

2026-W49  11-30–12-06
  市民中心        12-04                           33%  future   投资集团
      完成三层顶板钢筋绑扎
  龙源路道路工程  12-04                           10%  future   城管局
      开工 12-04 → forecast 12-11
  山阳路大沙河桥  12-04                           36%  future   建设局
      基础完工（桩基及承台） 11-30
      完成桩基检测，基础完工交账
"""

PLAN_150_ZH = """\
高新区“三十工程”重点项目　周节点清单　截至 2026-11-27

周期          项目            节点时限                 计划进度  到期节点                      目标任务                责任单位                情况
─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
2026-W48      市民中心        2026-11-27    计划 32% · 填报 30%                                完成二层顶板混凝土浇筑  高新区投资集团有限公司  本期
11-23～11-29
              龙源路道路工程  2026-11-27    计划 7.5% · 填报 7%  施工许可证 11-20 逾期未完成                           高新区建设局            本期
              山阳路大沙河桥  2026-11-27  计划 34.8% · 填报 34%                                完成 3# 墩承台混凝土    高新区建设局            本期
                                                                                               浇筑

2026-W49      市民中心        2026-12-04                    33%                                完成三层顶板钢筋绑扎    高新区投资集团有限公司  未到期
11-30～12-06
              龙源路道路工程  2026-12-04                    10%  开工 12-04 → 预计 12-11                               高新区城市管理局        未到期
              山阳路大沙河桥  2026-12-04                    36%  基础完工（桩基及承台） 11-30  完成桩基检测，基础完工  高新区建设局            未到期
                                                                                               交账
"""

PLAN_150_EN = """\
高新区“三十工程”重点项目: weekly nodes as of 2026-11-27

Period       Project         Deadline                         Planned  Milestones due                Targets         Responsible unit        Status
────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
2026-W48     市民中心        2026-11-27    planned 32% · reported 30%                                完成二层顶板混  高新区投资集团有限公司  current
11-23–11-29                                                                                          凝土浇筑
             龙源路道路工程  2026-11-27    planned 7.5% · reported 7%  施工许可证 11-20                              高新区建设局            current
                                                                       overdue, not done
             山阳路大沙河桥  2026-11-27  planned 34.8% · reported 34%                                完成 3# 墩承台  高新区建设局            current
                                                                                                     混凝土浇筑

2026-W49     市民中心        2026-12-04                           33%                                完成三层顶板钢  高新区投资集团有限公司  future
11-30–12-06                                                                                          筋绑扎
             龙源路道路工程  2026-12-04                           10%  开工 12-04 → forecast 12-11                   高新区城市管理局        future
             山阳路大沙河桥  2026-12-04                           36%  基础完工（桩基及承台） 11-30  完成桩基检测，  高新区建设局            future
                                                                                                     基础完工交账
"""


@pytest.mark.parametrize(
    ("columns", "lang", "expected"),
    [("80", "zh", PLAN_80_ZH), ("80", "en", PLAN_80_EN), ("150", "zh", PLAN_150_ZH), ("150", "en", PLAN_150_EN)],
)
def test_sample_plan_fits_the_terminal(sanshi, monkeypatch, columns, lang, expected):
    monkeypatch.setenv("COLUMNS", columns)
    result = sanshi(*SAMPLE_PLAN, "--lang", lang)
    assert result.exit_code == 0
    assert result.stdout == expected


def test_plan_medium_width_shortens_units_and_drops_empty_columns(sanshi, monkeypatch):
    monkeypatch.setenv("COLUMNS", "110")
    result = sanshi(*SAMPLE_PLAN[:-4])
    lines = result.stdout.splitlines()
    # no milestone of the civic center falls in these weeks: no 到期节点 column
    assert lines[2].split() == ["周期", "项目", "节点时限", "计划进度", "目标任务", "责任单位", "情况"]
    assert lines[4].split() == ["2026-W48", "市民中心", "11-27", "计划", "32%", "·", "填报", "30%", "完成二层顶板混凝土浇筑",
                                "投资集团", "本期"]  # fmt: skip
    assert max(cell_width(line) for line in lines) <= 110
    road = sanshi(*SAMPLE_PLAN[:-6], "-p", "longyuan-road").stdout.splitlines()
    assert road[2].split() == ["周期", "项目", "节点时限", "计划进度", "到期节点", "责任单位", "情况"]


def test_plan_wide_and_piped_are_unwrapped(sanshi, monkeypatch, tmp_path):
    monkeypatch.delenv("COLUMNS")
    piped = sanshi(*SAMPLE_PLAN[:-6])
    monkeypatch.setenv("COLUMNS", "80")
    assert sanshi(*SAMPLE_PLAN[:-6], "--wide").stdout == piped.stdout
    target = tmp_path / "plan.txt"
    assert sanshi(*SAMPLE_PLAN[:-6], "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == piped.stdout
    lines = piped.stdout.splitlines()
    assert all(line == line.rstrip() for line in lines)
    assert "河南工信职业学院基础设施完善提升项目" in piped.stdout


@pytest.mark.parametrize(("columns", "lang"), [("200", "zh"), ("80", "en")])
def test_an_empty_plan_window_says_so_in_one_line(sanshi, monkeypatch, columns, lang):
    monkeypatch.setenv("COLUMNS", columns)
    result = sanshi(*SAMPLE_PLAN[:6], "--from", "2029-01", "--lang", lang)
    assert result.exit_code == 0
    expected = {
        "zh": ["高新区“三十工程”重点项目　周节点清单　截至 2026-11-27", "截至 2026-11-27，所选时段内没有项目节点。"],
        "en": ["高新区“三十工程”重点项目: weekly nodes as of 2026-11-27",
               "As of 2026-11-27, no project has a node in the chosen periods."],
    }[lang]  # fmt: skip
    assert result.stdout.splitlines() == expected


def cell_width(line: str) -> int:
    from sanshi_cli.layout import width_of

    return width_of(line)


# -- a unit's own checklist (-u) ------------------------------------------------------------------

# jsj leads "lead" (coordinates) but neither is responsible nor owns a milestone there; it owns c2
# in civic (zrzy's project) and is responsible for road.
CHECKLIST = (
    HEAD
    + project("road", "2026-03-02", "2026-12-31", milestone("r1", "施工许可证", due="2026-05-20"),
              name="龙源路道路工程", unit="jsj")
    + project("civic", "2026-01-05", "2026-12-31",
              milestone("c1", "用地预审与选址意见书", due="2026-05-22")
              + milestone("c2", "招标", due="2026-05-25", owner="jsj"),
              name="市民中心", unit="zrzy")
    + project("lead", "2026-01-05", "2026-12-31", milestone("l1", "环评批复", due="2026-05-21"),
              name="再生水综合利用项目", unit="zrzy").replace('lead_unit = "zrzy"', 'lead_unit = "jsj"')
)  # fmt: skip


def test_unit_plan_is_its_own_checklist(sanshi, write_toml):
    path = write_toml(CHECKLIST)
    nodes = plan_json(sanshi, path, "--weekly", "--as-of", "2026-05-15", "-u", "jsj")["nodes"]
    assert [(n["period"], n["project"]) for n in nodes] == [
        ("2026-W20", "road"),
        ("2026-W21", "road"),
        ("2026-W22", "road"), ("2026-W22", "civic"),  # civic only where it holds jsj's milestone
        ("2026-W23", "road"),
    ]  # fmt: skip
    assert [m["id"] for n in nodes for m in n["milestones"]] == ["r1", "c2"]


def test_unit_plan_names_the_milestones_owner_as_responsible_unit(sanshi, write_toml):
    path = write_toml(CHECKLIST)
    result = sanshi("plan", "-f", str(path), "-w", "--as-of", "2026-05-15", "-u", "jsj", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    units = {(r["period"], r["project"]): r["responsible_unit"] for r in rows}
    assert units[("2026-W22", "civic")] == "高新区建设局"  # c2's owner, not civic's unit
    assert units[("2026-W21", "road")] == "高新区建设局"
    everyone = sanshi("plan", "-f", str(path), "-w", "--as-of", "2026-05-15", "--format", "markdown")
    rows = [line for line in everyone.stdout.splitlines() if line.startswith("| 市民中心")]
    # W20 and W23 hold nothing (the project's unit); W21 holds c1 (zrzy), W22 c2 (jsj)
    assert [r.split(" | ")[5] for r in rows] == [
        "高新区自然资源和规划分局",
        "高新区自然资源和规划分局",
        "高新区建设局",
        "高新区自然资源和规划分局",
    ]
    mixed = write_toml(CARRIED)  # W17 holds x (zrzy) and c (jsj): both answer for it
    result = sanshi("plan", "-f", str(mixed), "-w", "--as-of", "2026-05-15", "--from", "2026-W17", "-n", "1",
                    "--format", "csv", "--lang", "en")  # fmt: skip
    [row] = csv.DictReader(io.StringIO(result.stdout))
    assert row["responsible_unit"] == "高新区自然资源和规划分局, 高新区建设局"


@pytest.mark.parametrize("unit", ["jsj", "zrzy"])
def test_status_and_plan_agree_on_who_owns_an_item(sanshi, write_toml, unit):
    path = write_toml(CHECKLIST)
    status = sanshi("status", "-f", str(path), "--as-of", "2026-05-15", "--all", "-u", unit, "--format", "json")
    owned = {(i["project"], i["milestone"], i["responsible_unit_id"]) for i in json.loads(status.stdout)["items"]}
    nodes = plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-15", "-u", unit)["nodes"]
    planned = {(n["project"], m["id"], m["owner"]) for n in nodes for m in n["milestones"] if not m["carried"]}
    assert owned == planned
    assert {owner for _, _, owner in owned} == {unit}


# -- overdue milestones carried into the current period ----------------------------------------

CARRIED = HEAD + project(
    "s", "2026-04-01", "2026-06-30",
    milestone("b", "环评批复", due="2026-04-15")
    + milestone("x", "征收公告", due="2026-04-20", owner="zrzy")
    + milestone("c", "施工图审查", due="2026-04-22", done="2026-04-30")
    + milestone("e", "开工", due="2026-05-13"),
    name="市民中心",
)  # fmt: skip


def test_overdue_milestones_are_carried_into_the_current_node(sanshi, write_toml):
    path = write_toml(CARRIED)
    nodes = by_period(plan_json(sanshi, path, "--weekly", "--all", "--as-of", "2026-05-15"))
    current = nodes["2026-W20"]
    assert [(m["id"], m["carried"]) for m in current["milestones"]] == [("b", True), ("x", True), ("e", False)]
    assert current["milestones"][0] == {
        "id": "b", "name": "环评批复", "due": "2026-04-15", "forecast": "2026-05-15", "done": None,
        "owner": "jsj", "carried": True,
    }  # fmt: skip
    # still in their own nodes too, not carried there; the done one is not carried
    assert [(m["id"], m["carried"]) for m in nodes["2026-W16"]["milestones"]] == [("b", False)]
    assert [(m["id"], m["carried"]) for m in nodes["2026-W17"]["milestones"]] == [("x", False), ("c", False)]
    assert all(not m["carried"] for p, n in nodes.items() if p != "2026-W20" for m in n["milestones"])


def test_carried_rows_in_every_view(sanshi, write_toml):
    path = write_toml(CARRIED)
    args = ("plan", "-f", str(path), "--weekly", "--as-of", "2026-05-15", "-n", "1")
    table = sanshi(*args).stdout
    assert "环评批复 04-15 逾期未完成" in table and "征收公告 04-20 逾期未完成" in table
    markdown = sanshi(*args, "--format", "markdown", "--lang", "en").stdout
    assert "环评批复 04-15 overdue, not done; 征收公告 04-20 overdue, not done; 开工 05-13" in markdown
    rows = list(csv.DictReader(io.StringIO(sanshi(*args, "--format", "csv").stdout)))
    assert rows[0]["milestones"].startswith("环评批复 04-15 逾期未完成; 征收公告 04-20 逾期未完成; 开工 05-13")
    toml = tomllib.loads(sanshi(*args, "--format", "toml").stdout)
    assert [m["carried"] for m in toml["nodes"][0]["milestones"]] == [True, True, False]


def test_carried_with_a_unit_filter(sanshi, write_toml):
    path = write_toml(CARRIED)
    zrzy = plan_json(sanshi, path, "--weekly", "--as-of", "2026-05-15", "-u", "zrzy")["nodes"]
    assert [(n["period"], [m["id"] for m in n["milestones"]]) for n in zrzy] == [("2026-W20", ["x"])]
    jsj = by_period(plan_json(sanshi, path, "--weekly", "--as-of", "2026-05-15", "-u", "jsj"))
    assert [m["id"] for m in jsj["2026-W20"]["milestones"]] == ["b", "e"]


def test_carried_until_done(sanshi, write_toml):
    path = write_toml(CARRIED.replace("due = 2026-04-15", "due = 2026-04-15\ndone = 2026-05-14"))
    current = by_period(plan_json(sanshi, path, "--weekly", "--as-of", "2026-05-15"))["2026-W20"]
    assert [m["id"] for m in current["milestones"]] == ["x", "e"]
    later = by_period(plan_json(sanshi, path, "--as-of", "2026-06-10"))["2026-06"]  # monthly: still there
    assert [(m["id"], m["carried"]) for m in later["milestones"]] == [("x", True), ("e", True)]


def test_an_ended_project_still_carries_its_overdue_milestones(sanshi, write_toml):
    path = write_toml(HEAD + project("s", "2026-03-02", "2026-04-30", milestone("b", "竣工验收", due="2026-04-28"),
                                     name="市民中心"))  # fmt: skip
    nodes = plan_json(sanshi, path, "--as-of", "2026-06-10")["nodes"]
    assert [(n["period"], n["start"], n["end"], n["deadline"]) for n in nodes] == [
        ("2026-06", "2026-06-01", "2026-06-30", "2026-06-30")
    ]
    assert [(m["id"], m["carried"]) for m in nodes[0]["milestones"]] == [("b", True)]
    done = write_toml(HEAD + project("s", "2026-03-02", "2026-04-30",
                                     milestone("b", "竣工验收", due="2026-04-28", done="2026-05-06")))  # fmt: skip
    assert plan_json(sanshi, done, "--as-of", "2026-06-10")["nodes"] == []


def test_finished_period_reads_ended(sanshi, write_toml):
    path = write_toml(HEAD + STATES)
    args = ("plan", "-f", str(path), "--weekly", "--as-of", "2026-05-15", "--from", "2026-W14", "-n", "1")
    assert "| 已结束 |" in sanshi(*args, "--format", "markdown").stdout
    assert "| ended |" in sanshi(*args, "--format", "markdown", "--lang", "en").stdout
    assert "已过期" not in sanshi(*args).stdout


# -- usage errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "lang", "expected"),
    [
        (("--weekly", "--monthly"), "zh", "错误：--weekly 与 --monthly 只能选一个：按周用 --weekly，按月用 --monthly（默认）"),
        (("-w", "-m"), "en",
         "error: --weekly and --monthly exclude each other: use --weekly for weeks or --monthly (the default) for months"),
        (("--all", "-n", "2"), "zh", "错误：--all 显示每个项目的全部工期，不能与 --periods/-n 同用：请去掉其中之一"),
        (("--periods", "3", "-a"), "en",
         "error: --all shows each project's whole span and cannot go with --periods/-n: drop one of them"),
        (("-n", "0"), "zh", "错误：--periods/-n 的值 0 无效：应为不小于 1 的整数（默认 4 周或 3 个月）"),
        (("--periods", "-2"), "en",
         "error: --periods/-n -2 is not valid: use a whole number of at least 1 (default: 4 weeks or 3 months)"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line_in_the_files_language(sanshi, write_toml, args, lang, expected):
    head = '[settings]\nlanguage = "en"\n\n' if lang == "en" else ""
    path = write_toml(head + HEAD + YEAR_2026)
    result = sanshi("plan", "-f", str(path), "--as-of", "2026-05-15", *args)
    assert result.exit_code == 2
    assert result.stderr == expected + "\n"
    assert result.stdout == ""


def test_every_usage_error_at_once(sanshi, year_file):
    result = sanshi("plan", "-f", str(year_file), "--as-of", "2026-05-15", "-w", "-m", "--all", "-n", "0")
    assert result.exit_code == 2
    assert [line.split("：")[1] for line in result.stderr.splitlines()] == [
        "--weekly 与 --monthly 只能选一个",
        "--all 显示每个项目的全部工期，不能与 --periods/-n 同用",
    ]
