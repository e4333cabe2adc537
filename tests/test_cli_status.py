"""``sanshi status``: levels, working days, the JSON contract, filters, formats and exit codes.

Expected dates are counted by hand from the official 2026 calendar (国务院办公厅通知):
Labor Day 2026-05-01..05 is a rest period and Saturday 2026-05-09 a make-up working day;
National Day 2026-10-01..07 with make-up Saturday 2026-10-10; Spring Festival rest days
2026-02-15..23 with make-up Saturdays 2026-02-14 and 2026-02-28. 2026-11-27 is a Friday.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import MINIMAL, SAMPLE, UNITS_AND_PEOPLE

FILE = "projects.toml"

PEOPLE_AND_UNITS = UNITS_AND_PEOPLE


def milestone(ident: str, name: str | None = None, **keys: str) -> str:
    """One [[projects.milestones]] table; values are written as TOML (quote strings yourself)."""
    lines = ["", "  [[projects.milestones]]", f'  id = "{ident}"', f'  name = "{name or ident}"']
    lines += [f"  {key} = {value}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


def project(
    *milestones: str,
    ident: str = "civic-center",
    name: str = "市民中心",
    leader: str = "leader-a",
    unit: str = "jsj",
    start: str = "2026-01-01",
    finish: str = "2026-12-31",
) -> str:
    return textwrap.dedent(
        f"""
            [[projects]]
            id = "{ident}"
            name = "{name}"
            leader = "{leader}"
            lead_unit = "{unit}"
            responsible_unit = "{unit}"
            start = {start}
            finish = {finish}
            """
    ) + "".join(milestones)


def portfolio(*projects: str, head: str = "") -> str:
    """A whole file: optional settings tables, the units and people, then the projects."""
    return textwrap.dedent(head) + PEOPLE_AND_UNITS + "".join(projects)


def status(sanshi, *args: str):
    return sanshi("status", "-f", FILE, *args)


def items(result) -> list[dict]:
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["items"]


def one_item(sanshi, text: str, write_toml, *args: str) -> dict | None:
    """The single item ``status --format json`` lists for a file, or None when nothing is listed."""
    write_toml(text)
    listed = items(status(sanshi, "--format", "json", *args))
    assert len(listed) <= 1
    return listed[0] if listed else None


# -- the as-of date and the alert levels ----------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "days_overdue", "level"),
    [("2026-11-27", 7, "yellow"), ("2026-11-28", 8, "red"), ("2026-11-21", 1, "yellow")],
)
def test_status_judges_as_of_the_given_day(sanshi, write_toml, as_of, days_overdue, level):
    write_toml(portfolio(project(milestone("permits", due="2026-11-20"))))
    result = status(sanshi, "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["as_of"] == as_of
    [item] = document["items"]
    assert (item["days_overdue"], item["level"], item["state"]) == (days_overdue, level, "overdue")
    assert item["forecast"] == as_of  # an overdue milestone can be done today at the earliest


# (alerts table, due, level, days overdue) as of Friday 2026-11-27
LEVELS = [
    pytest.param("", "2026-11-26", "yellow", 1, id="1-day-yellow"),
    pytest.param("", "2026-11-20", "yellow", 7, id="7-days-yellow"),
    pytest.param("", "2026-11-19", "red", 8, id="8-days-red"),
    pytest.param("", "2026-10-28", "red", 30, id="30-days-red"),
    pytest.param("[alerts]\nred_after_days = 3\n", "2026-11-24", "yellow", 3, id="custom-3-days-yellow"),
    pytest.param("[alerts]\nred_after_days = 3\n", "2026-11-23", "red", 4, id="custom-4-days-red"),
    pytest.param("[alerts]\nred_after_days = 14\n", "2026-11-19", "yellow", 8, id="custom-14-8-days-yellow"),
    pytest.param("[alerts]\nred_after_days = 0\n", "2026-11-26", "red", 1, id="custom-0-1-day-red"),
]


@pytest.mark.parametrize(("head", "due", "level", "days"), LEVELS)
def test_overdue_levels(sanshi, write_toml, head, due, level, days):
    item = one_item(sanshi, portfolio(project(milestone("m", due=due)), head=head), write_toml, "--as-of", "2026-11-27")
    assert item is not None
    assert (item["state"], item["level"], item["days_overdue"]) == ("overdue", level, days)


# (as_of, due, remind_workdays, listed as blue?, working days left)
BLUE = [
    pytest.param("2026-11-27", "2026-11-27", 3, True, 0, id="due-today"),
    pytest.param("2026-11-27", "2026-11-27", 0, True, 0, id="due-today-remind-0"),
    # after Fri 11-27: Mon 11-30, Tue 12-01, Wed 12-02 → 3 working days
    pytest.param("2026-11-27", "2026-12-02", 3, True, 3, id="fri-to-wed-3"),
    pytest.param("2026-11-27", "2026-12-03", 3, False, 4, id="fri-to-thu-not-yet"),
    pytest.param("2026-11-27", "2026-12-03", 4, True, 4, id="fri-to-thu-remind-4"),
    pytest.param("2026-11-27", "2026-11-30", 0, False, 1, id="monday-remind-0"),
    pytest.param("2026-11-27", "2026-11-30", 1, True, 1, id="monday-remind-1"),
    # Labor Day: after Wed 04-29 only Thu 04-30 and Wed 05-06 are working days (05-01..05 rest)
    pytest.param("2026-04-29", "2026-05-06", 3, True, 2, id="labor-day"),
    pytest.param("2026-04-29", "2026-05-06", 2, True, 2, id="labor-day-remind-2"),
    pytest.param("2026-04-29", "2026-05-06", 1, False, 2, id="labor-day-remind-1"),
    # make-up Saturday 05-09 works: after Wed 05-06 come 05-07, 05-08, 05-09, 05-11 → 4
    pytest.param("2026-05-06", "2026-05-11", 3, False, 4, id="make-up-saturday-counts"),
    pytest.param("2026-05-06", "2026-05-11", 4, True, 4, id="make-up-saturday-remind-4"),
    # after Thu 05-07: 05-08, 05-09 (Sat, working), 05-11 → 3
    pytest.param("2026-05-07", "2026-05-11", 3, True, 3, id="make-up-saturday-blue"),
    # Spring Festival: after Fri 02-13 come Sat 02-14 (make-up), then nothing until Tue 02-24
    pytest.param("2026-02-13", "2026-02-24", 3, True, 2, id="spring-festival"),
    # National Day: after Wed 09-30 come Thu 10-08, Fri 10-09, Sat 10-10 (make-up), Mon 10-12
    pytest.param("2026-09-30", "2026-10-12", 3, False, 4, id="national-day-not-yet"),
    pytest.param("2026-09-30", "2026-10-10", 3, True, 3, id="national-day-make-up-saturday"),
]


@pytest.mark.parametrize(("as_of", "due", "remind", "blue", "left"), BLUE)
def test_blue_when_due_within_remind_workdays(sanshi, write_toml, as_of, due, remind, blue, left):
    text = portfolio(project(milestone("m", due=due)), head=f"[alerts]\nremind_workdays = {remind}\n")
    item = one_item(sanshi, text, write_toml, "--as-of", as_of)
    if blue:
        assert item is not None
        assert (item["state"], item["level"], item["workdays_left"]) == ("due_soon", "blue", left)
    else:
        assert item is None
        every = one_item(sanshi, text, write_toml, "--as-of", as_of, "--all")
        assert every is not None
        assert (every["state"], every["level"], every["workdays_left"]) == ("on_track", "green", left)


def test_due_today_reads_due_today(sanshi, write_toml):
    write_toml(portfolio(project(milestone("m", "开工", due="2026-11-27"))))
    result = status(sanshi, "--as-of", "2026-11-27", "--lang", "en")
    assert result.exit_code == 0
    assert "due today" in result.stdout


@pytest.mark.parametrize(("as_of", "due"), [("2026-11-27", "2026-11-28"), ("2026-09-30", "2026-10-03")])
def test_due_on_a_later_rest_day_is_not_due_today(sanshi, write_toml, as_of, due):
    write_toml(portfolio(project(milestone("m", "开工", due=due))))
    for lang, today in (("en", "due today"), ("zh", "今天到期")):
        result = status(sanshi, "--as-of", as_of, "--lang", lang)
        assert result.exit_code == 0
        assert due in result.stdout
        assert today not in result.stdout


# -- relative due dates ---------------------------------------------------------------------------

# (anchor's due, offset, roll or None, [calendar] roll or None, the derived due)
RELATIVE = [
    # after Thu 04-30: 05-01..05 rest; 05-06 (1) 05-07 (2) 05-08 (3) Sat 05-09 make-up (4)
    # 05-10 Sun rest; 05-11 (5) 05-12 (6) 05-13 (7) 05-14 (8) 05-15 (9); 05-16/17 weekend; 05-18 (10)
    pytest.param("2026-04-30", '"10wd"', None, None, "2026-05-18", id="10wd-over-labor-day"),
    pytest.param("2026-04-30", '"10wd"', '"next_workday"', None, "2026-05-18", id="10wd-already-a-workday"),
    # before Fri 05-08: 05-07 (1) 05-06 (2) 05-05..01 rest, 04-30 (3) 04-29 (4) 04-28 (5)
    pytest.param("2026-05-08", '"-5wd"', None, None, "2026-04-28", id="minus-5wd"),
    # after Fri 05-08 the next working day is the make-up Saturday
    pytest.param("2026-05-08", '"1wd"', None, None, "2026-05-09", id="1wd-make-up-saturday"),
    # after Sat 02-14 (make-up): 02-15..23 rest, so the first working day is Tue 02-24
    pytest.param("2026-02-14", '"1wd"', None, None, "2026-02-24", id="1wd-over-spring-festival"),
    pytest.param("2026-04-30", '"-30d"', None, None, "2026-03-31", id="minus-30d"),
    pytest.param("2026-04-30", '"2w"', None, None, "2026-05-14", id="2w"),
    pytest.param("2026-01-31", '"1m"', None, None, "2026-02-28", id="1m-clamped-to-month-end"),
    pytest.param("2026-03-31", '"-1m"', None, None, "2026-02-28", id="minus-1m-clamped"),
    # 04-27 + 5d = Sat 05-02, in the Labor Day holiday
    pytest.param("2026-04-27", '"5d"', None, None, "2026-05-02", id="5d-no-roll"),
    pytest.param("2026-04-27", '"5d"', '"next_workday"', None, "2026-05-06", id="5d-next-workday"),
    pytest.param("2026-04-27", '"5d"', '"prev_workday"', None, "2026-04-30", id="5d-prev-workday"),
    pytest.param("2026-04-27", '"5d"', None, '"next_workday"', "2026-05-06", id="5d-calendar-roll"),
    pytest.param("2026-04-27", '"5d"', '"none"', '"next_workday"', "2026-05-02", id="5d-milestone-roll-wins"),
    # 09-24 + 1w = Thu 10-01, National Day; the next working day is Thu 10-08
    pytest.param("2026-09-24", '"1w"', '"next_workday"', None, "2026-10-08", id="1w-next-workday-national-day"),
]


@pytest.mark.parametrize(("anchor", "offset", "roll", "calendar_roll", "expected"), RELATIVE)
def test_relative_due_dates(sanshi, write_toml, anchor, offset, roll, calendar_roll, expected):
    keys = {"after": '"permits"', "offset": offset}
    if roll:
        keys["roll"] = roll
    head = f"[calendar]\nroll = {calendar_roll}\n" if calendar_roll else ""
    write_toml(portfolio(project(milestone("permits", due=anchor), milestone("start", **keys)), head=head))
    listed = items(status(sanshi, "--as-of", "2026-01-02", "--all", "--format", "json"))
    due = {item["milestone"]: item["due"] for item in listed}
    assert due == {"permits": anchor, "start": expected}


def test_minimal_file_start_is_due_2026_05_18(sanshi, minimal_file):
    # The conftest file: permits due 2026-04-30, start after permits 10wd (counted above).
    listed = items(sanshi("status", "-f", str(minimal_file), "--as-of", "2026-05-13", "--format", "json"))
    assert [(i["milestone"], i["due"], i["state"], i["level"]) for i in listed] == [
        ("permits", "2026-04-30", "overdue", "red"),
        ("start", "2026-05-18", "at_risk", "yellow"),
    ]
    # permits done on Wed 05-13 at the earliest; 10 working days later:
    # 05-14 (1) 05-15 (2) 05-18..22 (7) 05-25 (8) 05-26 (9) 05-27 (10)
    assert listed[1]["forecast"] == "2026-05-27"
    # after Wed 05-13: 05-14, 05-15, 05-18 → 3 working days to the plan
    assert listed[1]["workdays_left"] == 3


def test_at_risk_when_the_anchor_slips(sanshi, write_toml):
    write_toml(MINIMAL)
    listed = items(status(sanshi, "--as-of", "2026-05-15", "--format", "json"))
    by_id = {item["milestone"]: item for item in listed}
    assert by_id["permits"]["state"] == "overdue"
    assert by_id["permits"]["forecast"] == "2026-05-15"
    start = by_id["start"]
    # permits can be done on Fri 05-15 at the earliest; 10 working days later:
    # 05-18..22 (5) and 05-25..29 (10) → Fri 05-29, after the planned 05-18
    assert (start["due"], start["forecast"], start["state"], start["level"]) == (
        "2026-05-18",
        "2026-05-29",
        "at_risk",
        "yellow",
    )


def test_at_risk_shows_the_slip_in_the_table(sanshi, write_toml):
    write_toml(MINIMAL)
    result = status(sanshi, "--as-of", "2026-05-15", "--lang", "en")
    assert result.exit_code == 0
    start_row = next(line for line in result.stdout.splitlines() if "开工" in line)
    assert "2026-05-18" in start_row
    assert "slips 11 days" in start_row  # 05-18 → 05-29
    assert "2026-05-29" in start_row


def test_done_anchor_does_not_put_its_dependent_at_risk(sanshi, write_toml):
    write_toml(MINIMAL.replace("due = 2026-04-30", "due = 2026-04-30\n  done = 2026-04-28"))
    listed = items(status(sanshi, "--as-of", "2026-05-15", "--format", "json"))
    # start (due 05-18) is now only due soon: 05-18 is 1 working day after 05-15
    assert [(i["milestone"], i["state"], i["level"], i["workdays_left"]) for i in listed] == [
        ("start", "due_soon", "blue", 1)
    ]


# -- the JSON contract and the order --------------------------------------------------------------

ITEM_KEYS = {
    "project",
    "project_name",
    "milestone",
    "milestone_name",
    "stage",
    "due",
    "done",
    "forecast",
    "slip_days",
    "state",
    "level",
    "days_overdue",
    "workdays_left",
    "days_late",
    "responsible_unit",
    "responsible_unit_id",
    "leader",
    "leader_id",
    # issue 9: the kind, and the progress keys (null for a milestone)
    "kind",
    "planned_progress",
    "reported_progress",
    "reported_on",
    "lag_points",
    "invest_rate",
    "last_report",
    "report_due",
    "reports_missed",
    # issue 11: a problem's keys (null for the other kinds)
    "problem",
    "problem_text",
    "category",
    "lifecycle",
    "escalation",
    "late_extension",
}
PROGRESS_KEYS = ("planned_progress", "reported_progress", "reported_on", "lag_points", "invest_rate", "last_report",
                 "report_due", "reports_missed")  # fmt: skip


def test_json_contract(sanshi, write_toml):
    write_toml(portfolio(project(milestone("permits", "施工许可证", due="2026-11-19", stage='"手续办理"'))))
    result = status(sanshi, "--as-of", "2026-11-27", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document) == {"as_of", "title", "items", "summary"}
    assert document["as_of"] == "2026-11-27"
    [item] = document["items"]
    assert set(item) == ITEM_KEYS
    assert item == {
        "project": "civic-center",
        "project_name": "市民中心",
        "milestone": "permits",
        "milestone_name": "施工许可证",
        "stage": "手续办理",
        "due": "2026-11-19",
        "done": None,
        "forecast": "2026-11-27",
        "slip_days": 8,
        "state": "overdue",
        "level": "red",
        "days_overdue": 8,
        "workdays_left": 0,
        "days_late": 0,
        "responsible_unit": "高新区建设局",
        "responsible_unit_id": "jsj",
        "leader": "示例领导甲",
        "leader_id": "leader-a",
        "kind": "milestone",
        **dict.fromkeys(PROGRESS_KEYS),
        **dict.fromkeys(("problem", "problem_text", "category", "lifecycle", "escalation", "late_extension")),
    }
    assert document["summary"] == {
        "red": 1, "yellow": 0, "blue": 0, "green": 0, "done": 0, "done_late": 0, "on_track": 0, "at_risk": 0,
        "progress_lag": 0, "invest_lag": 0, "report_missing": 0, "problem": 0,
    }  # fmt: skip


def test_json_is_the_same_in_english(sanshi, write_toml):
    write_toml(portfolio(project(milestone("permits", "施工许可证", due="2026-11-19"))))
    zh = json.loads(status(sanshi, "--as-of", "2026-11-27", "--format", "json").stdout)
    en = json.loads(status(sanshi, "--as-of", "2026-11-27", "--format", "json", "--lang", "en").stdout)
    assert zh["items"] == en["items"]


def test_order_most_severe_then_most_overdue_then_earliest_due(sanshi, write_toml):
    write_toml(
        portfolio(
            project(
                milestone("blue-late", due="2026-12-02"),
                milestone("yellow-1", due="2026-11-26"),
                milestone("blue-soon", due="2026-11-30"),
                milestone("red-8", due="2026-11-19"),
                milestone("yellow-7", due="2026-11-20"),
            ),
            project(
                milestone("red-30", due="2026-10-28"),
                milestone("blue-today", due="2026-11-27"),
                ident="road",
                name="龙源路道路工程",
            ),
        )
    )
    listed = items(status(sanshi, "--as-of", "2026-11-27", "--format", "json"))
    assert [i["milestone"] for i in listed] == [
        "red-30",
        "red-8",
        "yellow-7",
        "yellow-1",
        "blue-today",
        "blue-soon",
        "blue-late",
    ]


def test_all_lists_done_and_done_late_as_green(sanshi, write_toml):
    write_toml(
        portfolio(
            project(
                milestone("on-time", due="2026-11-20", done="2026-11-19"),
                milestone("late", due="2026-11-10", done="2026-11-13"),
                milestone("open", due="2026-11-26"),
                milestone("later", due="2026-12-31"),
            )
        )
    )
    plain = items(status(sanshi, "--as-of", "2026-11-27", "--format", "json"))
    assert [i["milestone"] for i in plain] == ["open"]
    every = items(status(sanshi, "--as-of", "2026-11-27", "--format", "json", "--all"))
    rows = {i["milestone"]: (i["state"], i["level"], i["done"], i["days_late"]) for i in every}
    assert rows == {
        "open": ("overdue", "yellow", None, 0),
        "late": ("done_late", "green", "2026-11-13", 3),
        "on-time": ("done", "green", "2026-11-19", 0),
        "later": ("on_track", "green", None, 0),
    }
    assert every[0]["milestone"] == "open"


def test_all_in_the_table_marks_done_late(sanshi, write_toml):
    write_toml(
        portfolio(
            project(
                milestone("on-time", "可研批复", due="2026-11-20", done="2026-11-19"),
                milestone("late", "施工许可证", due="2026-11-10", done="2026-11-13"),
            )
        )
    )
    zh = status(sanshi, "--as-of", "2026-11-27", "--all")
    assert zh.exit_code == 0
    assert "逾期完成" in zh.stdout
    assert "2026-11-13 完成，晚 3 天" in zh.stdout
    assert "已完成" in zh.stdout
    en = status(sanshi, "--as-of", "2026-11-27", "--all", "--lang", "en")
    assert "done 2026-11-13, 3 days late" in en.stdout
    assert "done 2026-11-19" in en.stdout


# -- the summary ----------------------------------------------------------------------------------

SUMMARY = portfolio(
    project(
        milestone("on-time", "可研批复", due="2026-11-20", done="2026-11-19"),
        milestone("late", "施工许可证", due="2026-11-10", done="2026-11-13"),
        milestone("late-2", "环评批复", due="2026-11-02", done="2026-11-05"),
        milestone("open", "开工", due="2026-11-26"),
        milestone("later", "主体封顶", due="2026-12-31"),
    )
)


def test_json_summary_counts_done_done_late_and_on_track(sanshi, write_toml):
    write_toml(SUMMARY)
    expected = {"red": 0, "yellow": 1, "blue": 0, "green": 4, "done": 1, "done_late": 2, "on_track": 1, "at_risk": 0,
                "progress_lag": 0, "invest_lag": 0, "report_missing": 0, "problem": 0}  # fmt: skip
    every = json.loads(status(sanshi, "--as-of", "2026-11-27", "--format", "json", "--all").stdout)
    assert every["summary"] == expected
    plain = json.loads(status(sanshi, "--as-of", "2026-11-27", "--format", "json").stdout)
    assert plain["summary"] == {**dict.fromkeys(expected, 0), "yellow": 1}  # the same keys, only what is listed


def test_all_summary_lines_show_done_done_late_and_on_track(sanshi, write_toml):
    write_toml(SUMMARY)
    markdown = status(sanshi, "--as-of", "2026-11-27", "--format", "markdown", "--all").stdout
    assert markdown.splitlines()[-7:] == [
        "- 红灯：0 项", "- 黄灯：1 项", "- 延误风险：0 项", "- 蓝色提醒：0 项", "- 已完成：1 项", "- 逾期完成：2 项", "- 正常推进：1 项",
    ]  # fmt: skip
    english = status(sanshi, "--as-of", "2026-11-27", "--format", "markdown", "--all", "--lang", "en").stdout
    assert english.splitlines()[-7:] == [
        "- red: 0 items", "- yellow: 1 item", "- at risk: 0 items", "- due soon: 0 items", "- done: 1 item", "- done late: 2 items",
        "- on track: 1 item",
    ]  # fmt: skip
    table = status(sanshi, "--as-of", "2026-11-27", "--all", "--lang", "en").stdout
    assert "done: 1 item    done late: 2 items    on track: 1 item" in table
    plain = status(sanshi, "--as-of", "2026-11-27", "--format", "markdown").stdout
    assert plain.splitlines()[-4:] == ["- 红灯：0 项", "- 黄灯：1 项", "- 延误风险：0 项", "- 蓝色提醒：0 项"]


@pytest.mark.parametrize(
    ("body", "as_of", "phrase"),
    [
        (milestone("m", due="2026-11-26"), "2026-11-27", "1 day overdue"),
        (milestone("m", due="2026-11-25"), "2026-11-27", "2 days overdue"),
        (milestone("m", due="2026-11-30"), "2026-11-27", "1 working day left"),
        (milestone("m", due="2026-12-01"), "2026-11-27", "2 working days left"),
        (milestone("m", due="2026-11-26", done="2026-11-27"), "2026-11-27", "done 2026-11-27, 1 day late"),
        (milestone("m", due="2026-11-25", done="2026-11-27"), "2026-11-27", "done 2026-11-27, 2 days late"),
    ],
)
def test_english_plurals(sanshi, write_toml, body, as_of, phrase):
    write_toml(portfolio(project(body)))
    result = status(sanshi, "--as-of", as_of, "--all", "--lang", "en", "--format", "markdown")
    assert f"| {phrase} |" in result.stdout


@pytest.mark.parametrize(("anchor", "phrase"), [("2026-11-26", "slips 1 day"), ("2026-11-25", "slips 2 days")])
def test_english_plural_of_a_slip(sanshi, write_toml, anchor, phrase):
    # a is overdue (its forecast is today, 11-27), so b = a + 3 calendar days slips as much as a
    body = milestone("a", due=anchor) + milestone("b", after='"a"', offset='"3d"' if anchor.endswith("26") else '"4d"')
    write_toml(portfolio(project(body)))
    result = status(sanshi, "--as-of", "2026-11-27", "--lang", "en", "--format", "markdown")
    [row] = [line for line in result.stdout.splitlines() if "| b |" in line]
    assert f"| {phrase} |" in row


# -- owner, filters ---------------------------------------------------------------------------------

FILTERED = portfolio(
    project(
        milestone("permits", due="2026-11-20", owner='"zrzy"'),
        milestone("start", due="2026-11-26"),
    ),
    project(
        milestone("survey", due="2026-11-25"),
        ident="road",
        name="龙源路道路工程",
        leader="leader-b",
        unit="zrzy",
    ),
)


def test_milestone_owner_overrides_the_responsible_unit(sanshi, write_toml):
    write_toml(FILTERED)
    listed = items(status(sanshi, "--as-of", "2026-11-27", "--format", "json"))
    owners = {(i["project"], i["milestone"]): (i["responsible_unit"], i["responsible_unit_id"]) for i in listed}
    assert owners == {
        ("civic-center", "permits"): ("高新区自然资源和规划分局", "zrzy"),
        ("civic-center", "start"): ("高新区建设局", "jsj"),
        ("road", "survey"): ("高新区自然资源和规划分局", "zrzy"),
    }


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--project", "civic-center"], {"permits", "start"}),
        (["--project", "龙源路道路工程"], {"survey"}),
        (["-p", "road", "-p", "市民中心"], {"permits", "start", "survey"}),
        (["--unit", "jsj"], {"start"}),
        (["--unit", "高新区自然资源和规划分局"], {"permits", "survey"}),
        (["-u", "zrzy"], {"permits", "survey"}),
        (["--leader", "leader-b"], {"survey"}),
        (["--leader", "示例领导甲"], {"permits", "start"}),
        (["--leader", "示例领导甲", "--unit", "zrzy"], {"permits"}),
        (["--project", "road", "--unit", "jsj"], set()),
    ],
)
def test_filters_by_id_and_by_name(sanshi, write_toml, options, expected):
    write_toml(FILTERED)
    listed = items(status(sanshi, "--as-of", "2026-11-27", "--format", "json", *options))
    assert {i["milestone"] for i in listed} == expected


@pytest.mark.parametrize(
    ("options", "lang", "expected"),
    [
        (
            ["--unit", "jsx"],
            "en",
            "error: --unit 'jsx' matches no unit (did you mean 'jsj'?): use an id or a name",
        ),
        (
            ["--unit", "jsx"],
            None,
            "错误：--unit “jsx” 不是已知的单位（是否应为 “jsj”？）：请用 id 或名称",
        ),
        (
            ["--project", "civic-centre"],
            "en",
            "error: --project 'civic-centre' matches no project (did you mean 'civic-center'?): use an id or a name",
        ),
        (
            ["--project", "市民中"],
            "en",
            "error: --project '市民中' matches no project (did you mean '市民中心'?): use an id or a name",
        ),
        (
            ["--leader", "leader_a"],
            "en",
            "error: --leader 'leader_a' matches no person (did you mean 'leader-a'?): use an id or a name",
        ),
        (
            ["--leader", "nobody-at-all"],
            "en",
            "error: --leader 'nobody-at-all' matches no person: use an id or a name",
        ),
    ],
)
def test_unknown_filter_value_is_a_usage_error(sanshi, write_toml, options, lang, expected):
    write_toml(FILTERED)
    result = status(sanshi, "--as-of", "2026-11-27", *options, *(["--lang", lang] if lang else []))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [expected]
    assert "Traceback" not in result.stderr


# -- formats ----------------------------------------------------------------------------------------


def test_csv_has_a_header_and_defuses_formulas(sanshi, write_toml):
    text = FILTERED.replace('name = "高新区自然资源和规划分局"', 'name = "=HYPERLINK(\\"http://x.example\\")"')
    write_toml(text)
    result = status(sanshi, "--as-of", "2026-11-27", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["project", "project_name", "milestone", "milestone_name"]
    assert set(header) == ITEM_KEYS
    assert len(body) == 3
    units = [row[header.index("responsible_unit")] for row in body]
    assert units.count('\'=HYPERLINK("http://x.example")') == 2
    assert units.count("高新区建设局") == 1
    assert not any(cell.startswith("=") for row in body for cell in row)


def test_csv_matches_json(sanshi, write_toml):
    write_toml(FILTERED)
    listed = items(status(sanshi, "--as-of", "2026-11-27", "--format", "json"))
    rows = list(csv.DictReader(io.StringIO(status(sanshi, "--as-of", "2026-11-27", "--format", "csv").stdout)))
    assert [(r["milestone"], r["due"], r["level"], r["days_overdue"]) for r in rows] == [
        (i["milestone"], i["due"], i["level"], str(i["days_overdue"])) for i in listed
    ]


def test_markdown_escapes_pipes(sanshi, write_toml):
    write_toml(portfolio(project(milestone("m", "手续|审批", due="2026-11-20"), name="市民|中心")))
    result = status(sanshi, "--as-of", "2026-11-27", "--format", "markdown", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "## Key projects as of 2026-11-27"
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| Level | Project | Milestone | Due | Status | Forecast | Responsible unit | Leader |"
    assert table[1] == "|---|---|---|---|---|---|---|---|"
    assert (
        table[2]
        == "| yellow | 市民\\|中心 | 手续\\|审批 | 2026-11-20 | 7 days overdue |  | 高新区建设局 | 示例领导甲 |"
    )
    # every row still has 8 cells: the escaped pipes do not split cells
    for row in table:
        assert row.replace("\\|", "").count("|") == 9
    assert "- yellow: 1 item" in lines


def test_table_has_no_escape_codes_and_chinese_columns_line_up(sanshi, write_toml):
    write_toml(
        portfolio(
            project(
                milestone("a", "建设工程规划许可证", due="2026-11-20", owner='"zrzy"'),
                milestone("b", "b", due="2026-11-26"),
                milestone("c", "abc", due="2026-12-01"),
            ),
            project(milestone("d", "开工", due="2026-11-19"), ident="x", name="焦作市四级养老服务综合体示范项目"),
        )
    )
    result = status(sanshi, "--as-of", "2026-11-27")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    header = next(n for n, line in enumerate(lines) if "截止日期" in line)
    rows = [line for line in lines[header + 2 :] if "2026-" in line]
    assert len(rows) == 4
    assert all(line == line.rstrip() for line in lines)  # no padding after the last column
    due_columns = {cell_len(line[: line.index("2026-")]) for line in rows}
    assert due_columns == {cell_len(lines[header][: lines[header].index("截止日期")])}
    leader_columns = {cell_len(line[: line.index("示例领导")]) for line in rows}
    assert leader_columns == {cell_len(lines[header][: lines[header].index("分包领导")])}


def test_table_prints_markup_in_names_literally(sanshi, write_toml):
    write_toml(portfolio(project(milestone("m", "[bold]开工[/bold]", due="2026-11-20"), name="[red]x[/red]")))
    result = status(sanshi, "--as-of", "2026-11-27")
    assert result.exit_code == 0
    assert "[red]x[/red]" in result.stdout
    assert "[bold]开工[/bold]" in result.stdout


def test_table_summary_and_nothing_listed(sanshi, write_toml):
    write_toml(portfolio(project(milestone("m", due="2026-12-31"))))
    zh = status(sanshi, "--as-of", "2026-11-27")
    assert zh.exit_code == 0
    assert "截至 2026-11-27，没有逾期或即将到期的节点。" in zh.stdout
    assert "红灯：0 项    黄灯：0 项    延误风险：0 项    蓝色提醒：0 项" in zh.stdout
    en = status(sanshi, "--as-of", "2026-11-27", "--lang", "en")
    assert "As of 2026-11-27, nothing is overdue or due soon." in en.stdout
    assert "red: 0 items    yellow: 0 items    at risk: 0 items    due soon: 0 items" in en.stdout


# -- exit codes ---------------------------------------------------------------------------------------

ONE_RED = portfolio(project(milestone("m", due="2026-11-19")))
ONE_YELLOW = portfolio(project(milestone("m", due="2026-11-26")))
ONE_BLUE = portfolio(project(milestone("m", due="2026-12-01")))
NOTHING = portfolio(project(milestone("m", due="2026-12-31"), milestone("d", due="2026-11-02", done="2026-11-20")))


@pytest.mark.parametrize(
    ("text", "threshold", "extra", "code"),
    [
        pytest.param(ONE_RED, "red", [], 1, id="red-on-red"),
        pytest.param(ONE_YELLOW, "red", [], 0, id="red-on-yellow"),
        pytest.param(ONE_BLUE, "red", [], 0, id="red-on-blue"),
        pytest.param(ONE_RED, "yellow", [], 1, id="yellow-on-red"),
        pytest.param(ONE_YELLOW, "yellow", [], 1, id="yellow-on-yellow"),
        pytest.param(ONE_BLUE, "yellow", [], 0, id="yellow-on-blue"),
        pytest.param(ONE_RED, "blue", [], 1, id="blue-on-red"),
        pytest.param(ONE_YELLOW, "blue", [], 1, id="blue-on-yellow"),
        pytest.param(ONE_BLUE, "blue", [], 1, id="blue-on-blue"),
        pytest.param(NOTHING, "blue", [], 0, id="blue-on-nothing"),
        pytest.param(NOTHING, "blue", ["--all"], 0, id="blue-on-green-with-all"),
        pytest.param(ONE_RED, None, [], 0, id="no-fail-on"),
        pytest.param(ONE_RED, "red", ["--project", "nothing-here"], 2, id="unknown-filter-wins"),
    ],
)
def test_fail_on(sanshi, write_toml, text, threshold, extra, code):
    write_toml(text)
    options = ["--fail-on", threshold] if threshold else []
    result = status(sanshi, "--as-of", "2026-11-27", *options, *extra)
    assert result.exit_code == code


def test_fail_on_counts_only_what_the_filters_keep(sanshi, write_toml):
    write_toml(FILTERED.replace("due = 2026-11-25", "due = 2026-11-10"))
    # road/survey is red (17 days); civic-center has only yellow ones
    assert status(sanshi, "--as-of", "2026-11-27", "--fail-on", "red").exit_code == 1
    assert status(sanshi, "--as-of", "2026-11-27", "--fail-on", "red", "-p", "civic-center").exit_code == 0


# -- language -------------------------------------------------------------------------------------------


def test_lang_en_gives_english_labels(sanshi, write_toml):
    write_toml(ONE_RED)
    result = status(sanshi, "--as-of", "2026-11-27", "--lang", "en")
    assert result.exit_code == 0
    for word in ("Key projects as of 2026-11-27", "Level", "Milestone", "Responsible unit", "red", "8 days overdue"):
        assert word in result.stdout
    assert "红灯" not in result.stdout
    assert "逾期" not in result.stdout


def test_chinese_is_the_default(sanshi, write_toml):
    write_toml(ONE_RED)
    result = status(sanshi, "--as-of", "2026-11-27")
    for word in ("重点项目　截至 2026-11-27", "级别", "节点", "责任单位", "红灯", "逾期 8 天"):
        assert word in result.stdout


def test_language_setting_gives_english_labels(sanshi, write_toml):
    write_toml(portfolio(project(milestone("m", due="2026-11-19")), head='[settings]\nlanguage = "en"\n'))
    result = status(sanshi, "--as-of", "2026-11-27")
    assert result.exit_code == 0
    assert "Responsible unit" in result.stdout
    assert "8 days overdue" in result.stdout
    assert "红灯" not in result.stdout
    forced = status(sanshi, "--as-of", "2026-11-27", "--lang", "zh")
    assert "逾期 8 天" in forced.stdout


def test_title_setting_heads_the_table(sanshi, write_toml):
    write_toml(portfolio(project(milestone("m", due="2026-11-19")), head='[settings]\ntitle = "高新区“三十工程”"\n'))
    result = status(sanshi, "--as-of", "2026-11-27")
    assert result.stdout.splitlines()[0].rstrip() == "高新区“三十工程”　截至 2026-11-27"


# -- years without holiday data ------------------------------------------------------------------------

# Mon 2027-03-01 to Fri 2027-03-05: 4 working days after the Monday on a plain Mon–Fri calendar
LATE_2027 = project(milestone("m", due="2027-03-05"), finish="2027-12-31")


def test_year_without_holiday_data_warns_once(sanshi, write_toml):
    write_toml(portfolio(LATE_2027, project(milestone("n", due="2027-03-04"), ident="x", finish="2027-12-31")))
    result = status(sanshi, "--as-of", "2027-03-01", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "2027" in lines[0]
    assert "[calendar.years.2027]" in lines[0]
    assert lines[0].startswith("projects.toml: warning: ")


def test_year_without_holiday_data_warns_in_chinese(sanshi, write_toml):
    write_toml(portfolio(LATE_2027))
    result = status(sanshi, "--as-of", "2027-03-01")
    assert result.stderr.splitlines() == [
        "projects.toml: 警告：2027 年没有节假日数据，暂按周一至周五为工作日计算：请在项目文件中按国务院办公厅通知录入 "
        "[calendar.years.2027]（holidays 与 workdays）"
    ]


def test_typed_in_year_removes_the_warning_and_its_holidays_count(sanshi, write_toml):
    guessed = one_item(sanshi, portfolio(LATE_2027), write_toml, "--as-of", "2027-03-01", "--all")
    assert guessed is not None
    assert guessed["workdays_left"] == 4  # 03-02, 03-03, 03-04, 03-05
    assert guessed["level"] == "green"

    typed = "[calendar.years.2027]\nholidays = [2027-03-03]\nworkdays = []\n"
    write_toml(portfolio(LATE_2027, head=typed))
    result = status(sanshi, "--as-of", "2027-03-01", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    [item] = json.loads(result.stdout)["items"]
    # 03-03 is now a holiday: 03-02, 03-04, 03-05 → 3 working days, blue
    assert (item["level"], item["workdays_left"]) == ("blue", 3)


def test_typed_in_make_up_weekend_day_counts(sanshi, write_toml):
    typed = "[calendar.years.2027]\nworkdays = [2027-02-27]\n"  # a Saturday
    # after Fri 02-26: Sat 02-27 (make-up), Mon 03-01, Tue 03-02 → 3 working days
    text = portfolio(project(milestone("m", due="2027-03-02"), finish="2027-12-31"), head=typed)
    item = one_item(sanshi, text, write_toml, "--as-of", "2027-02-26")
    assert item is not None
    assert (item["level"], item["workdays_left"]) == ("blue", 3)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_strict_calendar_makes_a_missing_year_an_error(sanshi, write_toml, lang):
    write_toml(portfolio(LATE_2027, head="[calendar]\nstrict = true\n"))
    result = status(sanshi, "--as-of", "2027-03-01", "--lang", lang)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "2027" in line
    assert "strict = true" in line
    assert "[calendar.years.2027]" in line
    assert "Traceback" not in result.stderr


def test_strict_calendar_with_the_year_typed_in_is_fine(sanshi, write_toml):
    head = "[calendar]\nstrict = true\n\n[calendar.years.2027]\nholidays = [2027-01-01]\n"
    write_toml(portfolio(LATE_2027, head=head))
    result = status(sanshi, "--as-of", "2027-03-01")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_strict_calendar_error_names_the_file(sanshi, write_toml):
    write_toml(portfolio(LATE_2027, head="[calendar]\nstrict = true\n"))
    result = status(sanshi, "--as-of", "2027-03-01", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith("projects.toml")


# -- the sample, version and help ----------------------------------------------------------------------


def test_sample_file_runs(sanshi):
    result = sanshi("status", "-f", str(SAMPLE), "--as-of", "2026-11-27", "--format", "json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)["items"]
    assert listed
    assert listed[0]["level"] == "red"
    assert "Traceback" not in result.stderr


def test_sample_file_table_runs(sanshi):
    result = sanshi("status", "-f", str(SAMPLE), "--as-of", "2026-11-27")
    assert result.exit_code == 0
    assert "红灯" in result.stdout


def test_version(sanshi):
    from sanshi_cli import __version__

    result = sanshi("--version")
    assert result.exit_code == 0
    assert result.stdout == f"sanshi {__version__}\n"


@pytest.mark.parametrize("command", ["status", "check"])
def test_help_has_an_example(sanshi, command):
    result = sanshi(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"sanshi {command}" in result.stdout


@pytest.mark.parametrize("value", ["2026-02-30", "2026-W48-5", "20261127"])
def test_bad_as_of_is_a_usage_error(sanshi, write_toml, value):
    # date.fromisoformat would read the last two (as 2026-11-27); the option takes YYYY-MM-DD only
    write_toml(ONE_RED)
    result = status(sanshi, "--as-of", value, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: --as-of '{value}' is not a date: use YYYY-MM-DD such as 2026-04-28"]


# -- tables that fit the terminal ------------------------------------------------------------------------

SAMPLE_STATUS = ("status", "-f", str(SAMPLE), "--as-of", "2026-11-27")

STATUS_80_ZH = """\
高新区“三十工程”重点项目　截至 2026-11-27
河南工信职业学院基础设施完善提升项目  示例领导丙  建设局
  红灯      腾空交地                  10-30  逾期 28 天                 文苑街道
  延误风险  开工                      12-30  预计推迟 28 天
  蓝色提醒  问题：征迁协议未全部签订  11-30  剩 1 个工作日（逾时延期）  文苑街道
焦作市四级养老服务综合体示范项目  示例领导乙  投资集团
  红灯      问题：消防设计审查意见未  10-30  逾期 28 天，3 级督办       建设局
            出具
  红灯      开工                      11-10  逾期 17 天
  黄灯      问题：项目资本金未足额    11-20  逾期 7 天，2 级督办        财政金
            到位                                                        融局
龙源路道路工程  示例领导甲  城管局
  红灯      问题：燃气管线迁改进度    11-13  逾期 14 天，2 级督办
            滞后
  黄灯      施工许可证                11-20  逾期 7 天                  建设局
  延误风险  开工                      12-04  预计推迟 7 天
  蓝色提醒  未按时填报                       应于 11-20 填报，已逾期
                                             1 次
天宝恒祥超硬材料智慧谷  示例领导丙  经发局
  红灯      投资进度滞后                     投资完成率 35.0%，
                                             欠序时进度 48.3 个百分点
  蓝色提醒  问题：企业融资未到位      11-30  剩 1 个工作日
  蓝色提醒  主体封顶（一期厂房）      12-01  剩 2 个工作日
再生水综合利用项目  示例领导丁  投资集团
  黄灯      设备安装完成              11-24  逾期 3 天
  蓝色提醒  问题：核心设备到货延迟    11-20  11-18 已办结，待销号
河南理工大学科技园  示例领导戊  投资集团
  黄灯      主体封顶                  11-26  逾期 1 天
  黄灯      形象进度滞后                     计划 45.2%，填报 28.0%
                                             （11-20），滞后
                                             17.2 个百分点
山阳路大沙河桥  示例领导乙  建设局
  蓝色提醒  基础完工（桩基及承台）    11-30  剩 1 个工作日
市民中心  示例领导甲  投资集团
  蓝色提醒  问题：渣土消纳场地不足    12-01  剩 2 个工作日              城管局
焦作“智慧岛”  示例领导丁  投资集团
  蓝色提醒  施工许可证                12-02  剩 3 个工作日              建设局
红灯：5 项    黄灯：5 项    延误风险：2 项    蓝色提醒：8 项    其中问题：7 项
3 级督办：1 项
"""

STATUS_80_EN = """\
高新区“三十工程”重点项目 as of 2026-11-27
河南工信职业学院基础设施完善提升项目  示例领导丙  建设局
  red       腾空交地                   10-30  28 days overdue           文苑街道
  at risk   开工                       12-30  slips 28 days
  due soon  Problem: 征迁协议未全部    11-30  1 working day left        文苑街道
            签订                              (extended late)
焦作市四级养老服务综合体示范项目  示例领导乙  投资集团
  red       Problem: 消防设计审查意见  10-30  28 days overdue, level 3  建设局
            未出具
  red       开工                       11-10  17 days overdue
  yellow    Problem: 项目资本金未足额  11-20  7 days overdue, level 2   财政金
            到位                                                        融局
龙源路道路工程  示例领导甲  城管局
  red       Problem: 燃气管线迁改进度  11-13  14 days overdue, level 2
            滞后
  yellow    施工许可证                 11-20  7 days overdue            建设局
  at risk   开工                       12-04  slips 7 days
  due soon  report overdue                    report due 11-20,
                                              1 missed
天宝恒祥超硬材料智慧谷  示例领导丙  经发局
  red       investment behind plan            invested 35.0% of the
                                              year's plan, 48.3 points
                                              behind time
  due soon  Problem: 企业融资未到位    11-30  1 working day left
  due soon  主体封顶（一期厂房）       12-01  2 working days left
再生水综合利用项目  示例领导丁  投资集团
  yellow    设备安装完成               11-24  3 days overdue
  due soon  Problem: 核心设备到货延迟  11-20  solved 11-18, awaiting
                                              verification
河南理工大学科技园  示例领导戊  投资集团
  yellow    主体封顶                   11-26  1 day overdue
  yellow    progress behind plan              planned 45.2%, reported
                                              28.0% (11-20),
                                              17.2 points behind
山阳路大沙河桥  示例领导乙  建设局
  due soon  基础完工（桩基及承台）     11-30  1 working day left
市民中心  示例领导甲  投资集团
  due soon  Problem: 渣土消纳场地不足  12-01  2 working days left       城管局
焦作“智慧岛”  示例领导丁  投资集团
  due soon  施工许可证                 12-02  3 working days left       建设局
red: 5 items    yellow: 5 items    at risk: 2 items    due soon: 8 items
of which problems: 7 items    escalated to level 3: 1 item
"""

STATUS_150_ZH = """\
高新区“三十工程”重点项目　截至 2026-11-27

级别      项目                    节点                  截止日期    情况                                预计完成    责任单位                分包领导
──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
红灯      河南工信职业学院基础设  腾空交地              2026-10-30  逾期 28 天                                      文苑街道办事处          示例领导丙
          施完善提升项目
红灯      焦作市四级养老服务综合  问题：消防设计审查意  2026-10-30  逾期 28 天，3 级督办                            高新区建设局            示例领导乙
          体示范项目              见未出具
红灯      焦作市四级养老服务综合  开工                  2026-11-10  逾期 17 天                                      高新区投资集团有限公司  示例领导乙
          体示范项目
红灯      龙源路道路工程          问题：燃气管线迁改进  2026-11-13  逾期 14 天，2 级督办                            高新区城市管理局        示例领导甲
                                  度滞后
红灯      天宝恒祥超硬材料智慧谷  投资进度滞后                      投资完成率 35.0%，欠序时进度                    高新区经济发展局        示例领导丙
                                                                    48.3 个百分点
黄灯      龙源路道路工程          施工许可证            2026-11-20  逾期 7 天                                       高新区建设局            示例领导甲
黄灯      焦作市四级养老服务综合  问题：项目资本金未足  2026-11-20  逾期 7 天，2 级督办                             高新区财政金融局        示例领导乙
          体示范项目              额到位
黄灯      再生水综合利用项目      设备安装完成          2026-11-24  逾期 3 天                                       高新区投资集团有限公司  示例领导丁
黄灯      河南理工大学科技园      主体封顶              2026-11-26  逾期 1 天                                       高新区投资集团有限公司  示例领导戊
黄灯      河南理工大学科技园      形象进度滞后                      计划 45.2%，填报 28.0%                          高新区投资集团有限公司  示例领导戊
                                                                    （2026-11-20），滞后 17.2 个百分点
延误风险  龙源路道路工程          开工                  2026-12-04  预计推迟 7 天                       2026-12-11  高新区城市管理局        示例领导甲
延误风险  河南工信职业学院基础设  开工                  2026-12-30  预计推迟 28 天                      2027-01-27  高新区建设局            示例领导丙
          施完善提升项目
蓝色提醒  龙源路道路工程          未按时填报                        应于 2026-11-20 填报，已逾期 1 次               高新区城市管理局        示例领导甲
蓝色提醒  再生水综合利用项目      问题：核心设备到货    2026-11-20  2026-11-18 已办结，待销号                       高新区投资集团有限公司  示例领导丁
                                  延迟
蓝色提醒  山阳路大沙河桥          基础完工（桩基及承    2026-11-30  剩 1 个工作日                                   高新区建设局            示例领导乙
                                  台）
蓝色提醒  河南工信职业学院基础设  问题：征迁协议未全部  2026-11-30  剩 1 个工作日（逾时延期）                       文苑街道办事处          示例领导丙
          施完善提升项目          签订
蓝色提醒  天宝恒祥超硬材料智慧谷  问题：企业融资未到位  2026-11-30  剩 1 个工作日                                   高新区经济发展局        示例领导丙
蓝色提醒  天宝恒祥超硬材料智慧谷  主体封顶（一期厂房）  2026-12-01  剩 2 个工作日                                   高新区经济发展局        示例领导丙
蓝色提醒  市民中心                问题：渣土消纳场地    2026-12-01  剩 2 个工作日                                   高新区城市管理局        示例领导甲
                                  不足
蓝色提醒  焦作“智慧岛”            施工许可证            2026-12-02  剩 3 个工作日                                   高新区建设局            示例领导丁

红灯：5 项    黄灯：5 项    延误风险：2 项    蓝色提醒：8 项    其中问题：7 项    3 级督办：1 项
"""

STATUS_150_EN = """\
高新区“三十工程”重点项目 as of 2026-11-27

Level     Project                 Milestone               Due         Status                            Forecast    Responsible unit        Leader
──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
red       河南工信职业学院基础设  腾空交地                2026-10-30  28 days overdue                               文苑街道办事处          示例领导丙
          施完善提升项目
red       焦作市四级养老服务综合  Problem: 消防设计审查   2026-10-30  28 days overdue, level 3                      高新区建设局            示例领导乙
          体示范项目              意见未出具
red       焦作市四级养老服务综合  开工                    2026-11-10  17 days overdue                               高新区投资集团有限公司  示例领导乙
          体示范项目
red       龙源路道路工程          Problem: 燃气管线迁改   2026-11-13  14 days overdue, level 2                      高新区城市管理局        示例领导甲
                                  进度滞后
red       天宝恒祥超硬材料智慧谷  investment behind plan              invested 35.0% of the year's                  高新区经济发展局        示例领导丙
                                                                      plan, 48.3 points behind time
yellow    龙源路道路工程          施工许可证              2026-11-20  7 days overdue                                高新区建设局            示例领导甲
yellow    焦作市四级养老服务综合  Problem: 项目资本金未   2026-11-20  7 days overdue, level 2                       高新区财政金融局        示例领导乙
          体示范项目              足额到位
yellow    再生水综合利用项目      设备安装完成            2026-11-24  3 days overdue                                高新区投资集团有限公司  示例领导丁
yellow    河南理工大学科技园      主体封顶                2026-11-26  1 day overdue                                 高新区投资集团有限公司  示例领导戊
yellow    河南理工大学科技园      progress behind plan                planned 45.2%, reported 28.0%                 高新区投资集团有限公司  示例领导戊
                                                                      (2026-11-20), 17.2 points behind
at risk   龙源路道路工程          开工                    2026-12-04  slips 7 days                      2026-12-11  高新区城市管理局        示例领导甲
at risk   河南工信职业学院基础设  开工                    2026-12-30  slips 28 days                     2027-01-27  高新区建设局            示例领导丙
          施完善提升项目
due soon  龙源路道路工程          report overdue                      report due 2026-11-20, 1 missed               高新区城市管理局        示例领导甲
due soon  再生水综合利用项目      Problem: 核心设备到货   2026-11-20  solved 2026-11-18, awaiting                   高新区投资集团有限公司  示例领导丁
                                  延迟                                verification
due soon  山阳路大沙河桥          基础完工（桩基及承台）  2026-11-30  1 working day left                            高新区建设局            示例领导乙
due soon  河南工信职业学院基础设  Problem: 征迁协议未全   2026-11-30  1 working day left (extended                  文苑街道办事处          示例领导丙
          施完善提升项目          部签订                              late)
due soon  天宝恒祥超硬材料智慧谷  Problem: 企业融资未     2026-11-30  1 working day left                            高新区经济发展局        示例领导丙
                                  到位
due soon  天宝恒祥超硬材料智慧谷  主体封顶（一期厂房）    2026-12-01  2 working days left                           高新区经济发展局        示例领导丙
due soon  市民中心                Problem: 渣土消纳场地   2026-12-01  2 working days left                           高新区城市管理局        示例领导甲
                                  不足
due soon  焦作“智慧岛”            施工许可证              2026-12-02  3 working days left                           高新区建设局            示例领导丁

red: 5 items    yellow: 5 items    at risk: 2 items    due soon: 8 items    of which problems: 7 items    escalated to level 3: 1 item
"""


@pytest.mark.parametrize(
    ("columns", "lang", "expected"),
    [
        ("80", "zh", STATUS_80_ZH),
        ("80", "en", STATUS_80_EN),
        ("150", "zh", STATUS_150_ZH),
        ("150", "en", STATUS_150_EN),
    ],
)
def test_sample_status_fits_the_terminal(sanshi, monkeypatch, columns, lang, expected):
    monkeypatch.setenv("COLUMNS", columns)
    result = sanshi(*SAMPLE_STATUS, "--lang", lang)
    assert result.exit_code == 0
    assert result.stdout == expected


def test_sample_status_at_80_columns_takes_at_most_two_lines_an_item(sanshi, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = sanshi(*SAMPLE_STATUS)
    listed = json.loads(sanshi(*SAMPLE_STATUS, "--format", "json").stdout)["items"]
    # a problem's free text (问题：…) may take a third line
    problems = sum(1 for item in listed if item["kind"] == "problem")
    assert len(result.stdout.splitlines()) <= 2 * len(listed) + problems


def test_medium_width_drops_empty_columns_and_shortens_dates_and_units(sanshi, write_toml, monkeypatch):
    write_toml(
        portfolio(
            project(milestone("a", "施工许可证", due="2026-11-20"), milestone("b", "开工", due="2026-12-01"))
        ).replace('name = "高新区建设局"', 'name = "高新区建设局"\nshort = "建设局"')
    )
    monkeypatch.setenv("COLUMNS", "120")
    result = status(sanshi, "--as-of", "2026-11-27")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:6] == [
        "级别      项目      节点        截止日期  情况           责任单位  分包领导",
        "─" * 77,
        "黄灯      市民中心  施工许可证  11-20     逾期 7 天      建设局    示例领导甲",
        "蓝色提醒  市民中心  开工        12-01     剩 2 个工作日  建设局    示例领导甲",
    ]


def test_piped_output_is_the_wide_table_unwrapped_without_trailing_spaces(sanshi, monkeypatch):
    monkeypatch.delenv("COLUMNS")
    piped = sanshi(*SAMPLE_STATUS, "--lang", "en")
    assert piped.exit_code == 0
    lines = piped.stdout.splitlines()
    assert "河南工信职业学院基础设施完善提升项目" in piped.stdout  # nothing wrapped
    assert len(lines) == 26  # 20 items: 10 milestones, 7 problems, an investment lag, a progress lag, a missing report
    assert all(line == line.rstrip() for line in lines)
    assert max(cell_len(line) for line in lines) > 150


@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_wide_forces_the_full_table_at_any_width(sanshi, monkeypatch, columns):
    monkeypatch.delenv("COLUMNS")
    piped = sanshi(*SAMPLE_STATUS)
    monkeypatch.setenv("COLUMNS", columns)
    wide = sanshi(*SAMPLE_STATUS, "--wide")
    assert wide.exit_code == 0
    assert wide.stdout == piped.stdout
    assert "预计完成" in wide.stdout and "高新区投资集团有限公司" in wide.stdout


def test_nothing_listed_is_one_line_at_any_width(sanshi, write_toml, monkeypatch):
    write_toml(portfolio(project(milestone("m", due="2026-12-31"))))
    monkeypatch.setenv("COLUMNS", "60")
    result = status(sanshi, "--as-of", "2026-11-27")
    assert result.stdout.splitlines() == [
        "重点项目　截至 2026-11-27",
        "截至 2026-11-27，没有逾期或即将到期的节点。",
        "红灯：0 项    黄灯：0 项    延误风险：0 项    蓝色提醒：0 项",
    ]


def test_below_60_columns_the_checklist_still_prints(sanshi, monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    result = sanshi(*SAMPLE_STATUS, "--lang", "en")
    assert result.exit_code == 0
    assert "  red" in result.stdout and "10-30" in result.stdout


# -- short names ------------------------------------------------------------------------------------------

SHORTS = (
    portfolio(
        project(
            milestone("a", "施工许可证", due="2026-11-20"), milestone("b", "开工", due="2026-11-26", owner='"zrzy"')
        )
    )
    .replace('name = "高新区建设局"', 'name = "高新区建设局"\nshort = "建设局"')
    .replace('name = "示例领导甲"', 'name = "示例领导甲"\nshort = "领导甲"')
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-u", "建设局"], {"a"}),
        (["--unit", "高新区建设局"], {"a"}),
        (["-l", "领导甲"], {"a", "b"}),
        (["-l", "领导甲", "-u", "zrzy"], {"b"}),
    ],
)
def test_filters_take_short_names(sanshi, write_toml, args, expected):
    write_toml(SHORTS)
    assert {
        i["milestone"] for i in items(status(sanshi, "--as-of", "2026-11-27", "--format", "json", *args))
    } == expected


def test_narrow_views_use_short_names(sanshi, write_toml, monkeypatch):
    write_toml(SHORTS)
    monkeypatch.setenv("COLUMNS", "80")
    result = status(sanshi, "--as-of", "2026-11-27")
    assert result.stdout.splitlines()[1:4] == [
        "市民中心  领导甲  建设局",
        "  黄灯  施工许可证  11-20  逾期 7 天",
        "  黄灯  开工        11-26  逾期 1 天  高新区自然资源和规划分局",
    ]


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (
            ('name = "高新区自然资源和规划分局"', 'name = "高新区自然资源和规划分局"\nshort = "建设局"'),
            "projects.toml:9: error: unit zrzy, key short: duplicate unit short name '建设局' (first on line 4): "
            "every short name must be unique",
        ),
        (
            ('short = "领导甲"', 'short = "领导/甲"'),
            "projects.toml:13: error: person leader-a, key short: short name '领导/甲' contains '/': "
            "a short name cannot contain / \\ or :, choose another",
        ),
    ],
)
def test_short_names_are_unique_and_plain(sanshi, write_toml, replace, message):
    write_toml(SHORTS.replace(*replace))
    result = sanshi("check", "-f", FILE, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]


@pytest.mark.parametrize("command", ["status", "check"])
def test_strict_calendar_error_found_while_loading_names_the_file(sanshi, command):
    """The sample reaches into 2027 from its due dates: with strict = true the load itself stops."""
    text = SAMPLE.read_text("utf-8").replace("strict = false", "strict = true", 1)
    Path("projects.toml").write_text(text, encoding="utf-8")
    result = sanshi(command, "--as-of", "2026-11-27", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == (
        "projects.toml: error: 2027 has no holiday data and strict = true: type that year's State Council notice "
        "into [calendar.years.2027] (holidays and workdays)\n"
    )
