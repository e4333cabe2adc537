"""Properties of the monthly and weekly nodes, checked against the official calendar.

Projects are generated at random inside 2025-01-01..2026-12-31 (the years the
`chinese_calendar` package knows); every expectation about working days is checked with
`chinese_calendar` directly, never with sanshi's own calendar.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanshi_cli.loading import Loaded, validate_portfolio
from sanshi_cli.planning import Node, ProgressCurve, Window, plan_nodes
from sanshi_cli.status import find_items

FIRST = date(2025, 1, 1)
LAST = date(2026, 12, 31)
ONE = timedelta(days=1)
CADENCES = ("weekly", "monthly")

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# The official calendar, read once from chinese_calendar: _WORKING[i] is day FIRST + i,
# _BEFORE[i] counts the working days among the first i days.
_WORKING = [bool(chinese_calendar.is_workday(FIRST + timedelta(days=i))) for i in range((LAST - FIRST).days + 1)]
_BEFORE = [0]
for _flag in _WORKING:
    _BEFORE.append(_BEFORE[-1] + _flag)


def is_workday(day: date) -> bool:
    if day > LAST:  # a carried node of the current period may reach into 2027, which has no data:
        return day.weekday() < 5  # sanshi counts Monday to Friday there, as the README says
    return _WORKING[(day - FIRST).days]


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += ONE


def workdays_after(start: date, end: date) -> int:
    """Working days d with start < d <= end (the start day itself is not counted)."""
    if end <= start:
        return 0
    return _BEFORE[(end - FIRST).days + 1] - _BEFORE[(start - FIRST).days + 1]


def test_calendar_table_matches_the_2026_notice():
    assert workdays_after(date(2025, 12, 31), date(2026, 12, 31)) == 248
    assert [is_workday(date(2026, 5, d)) for d in range(1, 11)] == [
        False, False, False, False, False, True, True, True, True, False,
    ]  # fmt: skip
    assert all(not is_workday(date(2026, 2, d)) for d in range(16, 23))


def label(day: date, cadence: str) -> str:
    if cadence == "monthly":
        return f"{day.year:04d}-{day.month:02d}"
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


# -- generating portfolios ----------------------------------------------------------------------

dates = st.dates(min_value=FIRST, max_value=LAST)


@st.composite
def project_data(draw: Any, pid: str = "p") -> dict[str, Any]:
    start = draw(dates)
    finish = start + timedelta(days=draw(st.integers(0, min(800, (LAST - start).days))))
    span = (finish - start).days
    count = draw(st.integers(0, 6))
    milestones: list[dict[str, Any]] = []
    for n in range(count):
        entry: dict[str, Any] = {"id": f"m{n}", "name": f"节点{n}"}
        if milestones and draw(st.booleans()):
            entry["after"] = draw(st.sampled_from([m["id"] for m in milestones]))
            entry["offset"] = f"{draw(st.integers(0, 40))}{draw(st.sampled_from(['wd', 'd', 'w']))}"
        else:
            entry["due"] = start + timedelta(days=draw(st.integers(0, span)))
        if milestones and draw(st.booleans()):
            others = [m["id"] for m in milestones if m["id"] != entry.get("after")]
            entry["depends"] = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
        if draw(st.integers(0, 3)) == 0:
            entry["done"] = draw(dates)
        milestones.append(entry)
    # progress points must rise with the fixed due dates (relative ones carry none)
    fixed = sorted((m for m in milestones if "due" in m), key=lambda m: m["due"])
    marked = [m for m in fixed if draw(st.booleans())]
    values = sorted(draw(st.lists(st.integers(0, 100), min_size=len(marked), max_size=len(marked))))
    for entry, value in zip(marked, values, strict=True):
        entry["progress"] = value
    return {
        "id": pid,
        "name": f"项目{pid}",
        "leader": "leader-a",
        "lead_unit": "jsj",
        "responsible_unit": "jsj",
        "start": start,
        "finish": finish,
        "milestones": milestones,
    }


def portfolio(projects: list[dict[str, Any]]) -> Loaded:
    data = {
        "units": [{"id": "jsj", "name": "高新区建设局"}],
        "people": [{"id": "leader-a", "name": "示例领导甲"}],
        "projects": projects,
    }
    return validate_portfolio(data, text="", display="x")


def nodes_of(loaded: Loaded, as_of: date, cadence: str, window: Window | None = None) -> list[Node]:
    return list(plan_nodes(loaded, as_of, cadence, window or Window()))  # type: ignore[arg-type]


def in_span(nodes: list[Node]) -> list[Node]:
    """The nodes inside their project's span (not the node an ended project's overdue ones are carried into)."""
    return [n for n in nodes if n.start <= n.project.finish]


# -- the nodes tile each project's span ---------------------------------------------------------


@PROPERTY
@given(project_data(), st.sampled_from(CADENCES), dates)
def test_nodes_tile_the_span_one_period_each(data, cadence, as_of):
    nodes = in_span(nodes_of(portfolio([data]), as_of, cadence))
    assert nodes, "every project has at least one node"
    assert nodes[0].start == data["start"]
    assert nodes[-1].end == data["finish"]
    for before, after in zip(nodes, nodes[1:], strict=False):
        assert after.start == before.end + ONE  # no gap, no overlap
    for node in nodes:
        assert node.start <= node.end
        assert label(node.start, cadence) == label(node.end, cadence) == node.period
    labels = [n.period for n in nodes]
    assert len(labels) == len(set(labels))


@PROPERTY
@given(st.lists(project_data(), min_size=1, max_size=4), st.sampled_from(CADENCES), dates)
def test_portfolio_nodes_tile_every_project_and_are_grouped_by_period(datas, cadence, as_of):
    for n, data in enumerate(datas):
        data["id"] = f"p{n}"
    nodes = nodes_of(portfolio(datas), as_of, cadence)
    for data in datas:
        own = in_span([n for n in nodes if n.project.id == data["id"]])
        assert own[0].start == data["start"] and own[-1].end == data["finish"]
        assert sum((n.end - n.start).days + 1 for n in own) == (data["finish"] - data["start"]).days + 1
    order = [d["id"] for d in datas]
    sequence = [n.period for n in nodes]
    grouped = list(dict.fromkeys(sequence))
    # one contiguous group per period, periods in calendar order
    assert sequence == [p for p in grouped for _ in range(sequence.count(p))]
    firsts = [min(n.start for n in nodes if n.period == p) for p in grouped]
    assert firsts == sorted(firsts)
    for period in grouped:  # inside one period, projects in file order
        members = [order.index(n.project.id) for n in nodes if n.period == period]
        assert members == sorted(members)


# -- deadlines ----------------------------------------------------------------------------------


@PROPERTY
@given(project_data(), st.sampled_from(CADENCES), dates)
def test_deadline_is_the_last_working_day_of_its_node(data, cadence, as_of):
    for node in nodes_of(portfolio([data]), as_of, cadence):
        working = [d for d in days(node.start, node.end) if is_workday(d)]
        if node.deadline is None:
            assert node.rest and not working
            assert node.state in ("rest", "done", "overdue", "current", "future", "past")
            if not node.milestones:
                assert node.state == "rest"
        else:
            assert not node.rest
            assert node.start <= node.deadline <= node.end
            assert is_workday(node.deadline)
            assert working[-1] == node.deadline
            assert node.state != "rest"


# -- planned progress -----------------------------------------------------------------------------


@PROPERTY
@given(project_data(), st.sampled_from(CADENCES), dates)
def test_planned_progress_is_monotone_and_ends_at_100(data, cadence, as_of):
    nodes = nodes_of(portfolio([data]), as_of, cadence)
    values = [n.planned_progress for n in nodes]
    assert all(0 <= v <= 100 for v in values)
    assert values == sorted(values)
    assert values[-1] == 100.0
    for before, node in zip(nodes, nodes[1:], strict=False):
        if node.rest:  # a rest node keeps the progress of the node before it
            assert node.planned_progress == before.planned_progress


@PROPERTY
@given(project_data(), st.sampled_from(CADENCES))
def test_planned_progress_is_linear_in_working_days_without_progress_points(data, cadence):
    for entry in data["milestones"]:
        entry.pop("progress", None)
    start, finish = data["start"], data["finish"]
    total = workdays_after(start, finish)
    for node in nodes_of(portfolio([data]), start, cadence)[:-1]:
        if total == 0:
            break
        day = node.deadline or node.end
        expected = round(100 * workdays_after(start, day) / total, 1)
        assert node.planned_progress == pytest.approx(expected, abs=0.05), node


def expected_progress(data: dict[str, Any], day: date) -> float:
    """The planned progress at the end of ``day``, worked out from the official calendar.

    Points: (0 working days, 0 %), each milestone's (working days to its due date, its
    progress, never below an earlier point), (all working days, 100 %); linear in between.
    Only the working days count: the start day is at 0 working days like the rest days after
    it, so where points share a count (a milestone due then) the last one holds there too.
    """
    start, finish = data["start"], data["finish"]
    if day >= finish:
        return 100.0
    if day < start:
        return 0.0
    total = workdays_after(start, finish)
    points = [(0, 0.0)]
    highest = 0.0
    marks = sorted((m["due"], m["progress"]) for m in data["milestones"] if m.get("progress") is not None)
    for due, progress in marks:
        highest = max(highest, float(progress))
        points.append((workdays_after(start, due), highest))
    points.append((max(total, points[-1][0]), 100.0))
    x = workdays_after(start, day)
    i = max(k for k, (px, _) in enumerate(points) if px <= x)  # the last point at or before x
    if i == len(points) - 1:
        return 100.0
    (x0, y0), (x1, y1) = points[i], points[i + 1]
    return round(y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0), 1)


@PROPERTY
@given(project_data(), st.sampled_from(CADENCES))
def test_planned_progress_is_piecewise_linear_through_milestone_progress(data, cadence):
    for node in nodes_of(portfolio([data]), data["start"], cadence):
        # the node holding the finish is where the plan reaches 100 %
        expected = 100.0 if node.end == data["finish"] else expected_progress(data, node.deadline or node.end)
        assert node.planned_progress == pytest.approx(expected, abs=0.051), node


def test_piecewise_oracle_agrees_with_hand_worked_june_example():
    # June 2026: 20 working days after 06-01; a milestone at 06-12 (9 working days) carries 60 %.
    data = {"start": date(2026, 6, 1), "finish": date(2026, 6, 30),
            "milestones": [{"due": date(2026, 6, 12), "progress": 60}]}  # fmt: skip
    assert [expected_progress(data, date(2026, 6, d)) for d in (5, 12, 18, 26, 30)] == [26.7, 60.0, 74.5, 92.7, 100.0]


def spring_festival_project(start: str, finish: str, *marks: tuple[str, int]) -> dict[str, Any]:
    """A project across the 2026 Spring Festival: Sat 02-14 is a working day (调休), 02-15..02-23 are rest
    days, so ISO week 2026-W08 (02-16..02-22) has no working day at all."""
    milestones = [
        {"id": f"m{n}", "name": f"节点{n}", "due": date.fromisoformat(due), "progress": progress}
        for n, (due, progress) in enumerate(marks)
    ]
    return {"id": "p", "name": "春节项目", "leader": "leader-a", "lead_unit": "jsj", "responsible_unit": "jsj",
            "start": date.fromisoformat(start), "finish": date.fromisoformat(finish), "milestones": milestones}  # fmt: skip


# Regression: ProgressCurve.at returned 0 for the start day itself but the curve's value at 0
# working days (the milestone's progress) for the rest days after it, so the all-rest week
# 2026-W08 showed a progress the node before it did not (0.0 %, then 1.0 % for W08).
# Both days are 0 working days after the start; the start day takes the milestone's progress.
SPRING_FESTIVAL_WEEKS = [
    # start, finish, milestones (due, progress) -> (period, deadline, planned progress) of the first three weeks
    ("2026-02-14", "2026-03-31", [("2026-02-18", 1)],
     [("2026-W07", "2026-02-14", 1.0), ("2026-W08", None, 1.0), ("2026-W09", "2026-02-28", 19.3)]),
    ("2026-02-14", "2026-03-31", [("2026-02-14", 10)],
     [("2026-W07", "2026-02-14", 10.0), ("2026-W08", None, 10.0), ("2026-W09", "2026-02-28", 26.7)]),
    ("2026-02-14", "2026-03-31", [("2026-02-23", 1)],  # Mon 02-23 is still a rest day: 0 working days
     [("2026-W07", "2026-02-14", 1.0), ("2026-W08", None, 1.0), ("2026-W09", "2026-02-28", 19.3)]),
    ("2026-02-15", "2026-03-31", [("2026-02-20", 5)],  # a start on a rest day: a rest node of one day
     [("2026-W07", None, 5.0), ("2026-W08", None, 5.0), ("2026-W09", "2026-02-28", 22.6)]),
    ("2026-02-14", "2026-03-31", [],  # no milestone progress: 0 % through the holiday, as before
     [("2026-W07", "2026-02-14", 0.0), ("2026-W08", None, 0.0), ("2026-W09", "2026-02-28", 18.5)]),
    ("2026-02-14", "2026-02-23", [],  # the start is the only working day: done at its end
     [("2026-W07", "2026-02-14", 100.0), ("2026-W08", None, 100.0), ("2026-W09", None, 100.0)]),
]  # fmt: skip


@pytest.mark.parametrize(("start", "finish", "marks", "weeks"), SPRING_FESTIVAL_WEEKS)
def test_a_rest_week_after_the_start_keeps_the_start_days_progress(start, finish, marks, weeks):
    data = spring_festival_project(start, finish, *marks)
    nodes = nodes_of(portfolio([data]), date(2026, 2, 14), "weekly")[:3]
    shown = [(n.period, n.deadline and n.deadline.isoformat(), n.planned_progress) for n in nodes]
    assert shown == [tuple(week) for week in weeks]
    for node in nodes:  # the oracle agrees (the node holding the finish shows 100 % whatever the curve)
        if node.end < data["finish"]:
            assert expected_progress(data, node.deadline or node.end) == node.planned_progress


CURVE_DAYS = [
    # the day -> planned progress, for 2026-02-14..03-31 with a milestone due 02-18 carrying 1 %
    ("2026-02-13", 0.0),  # before the start
    ("2026-02-14", 1.0),  # the start: 0 working days after it, like the holiday
    ("2026-02-15", 1.0),
    ("2026-02-18", 1.0),
    ("2026-02-23", 1.0),
    ("2026-02-24", 4.7),  # 1 of 27 working days: 1 + 99 / 27
    ("2026-03-30", 96.3),
    ("2026-03-31", 100.0),
]


@pytest.mark.parametrize(("day", "progress"), CURVE_DAYS)
def test_curve_is_a_function_of_working_days_from_the_start_day_on(day, progress):
    data = spring_festival_project("2026-02-14", "2026-03-31", ("2026-02-18", 1))
    loaded = portfolio([data])
    curve = ProgressCurve(loaded.portfolio.projects[0], loaded.due["p"], loaded.calendar)
    assert curve.at(date.fromisoformat(day)) == progress
    assert expected_progress(data, date.fromisoformat(day)) == progress


@pytest.mark.parametrize("cadence", CADENCES)
def test_one_working_day_project_ends_at_100(cadence):
    """Regression: ProgressCurve.at returned 0 for any day <= start, so a project whose only
    working day is its start day (Fri 2026-05-15 .. Sun 05-17) ended at 0 %, not 100 %."""
    data = {"id": "p", "name": "围挡", "leader": "leader-a", "lead_unit": "jsj", "responsible_unit": "jsj",
            "start": date(2026, 5, 15), "finish": date(2026, 5, 17)}  # fmt: skip
    nodes = nodes_of(portfolio([data]), date(2026, 5, 15), cadence)
    assert [(n.start, n.end, n.deadline) for n in nodes] == [(date(2026, 5, 15), date(2026, 5, 17), date(2026, 5, 15))]
    assert nodes[-1].planned_progress == 100.0


def test_one_day_project_is_done_at_100():
    data = {"id": "p", "name": "围挡", "leader": "leader-a", "lead_unit": "jsj", "responsible_unit": "jsj",
            "start": date(2026, 5, 15), "finish": date(2026, 5, 15)}  # fmt: skip
    nodes = nodes_of(portfolio([data]), date(2026, 5, 15), "weekly")
    assert [(n.period, n.deadline, n.planned_progress) for n in nodes] == [("2026-W20", date(2026, 5, 15), 100.0)]


# -- milestones in nodes and forecasts ------------------------------------------------------------


@PROPERTY
@given(project_data(), st.sampled_from(CADENCES), dates)
def test_each_milestone_in_span_sits_in_exactly_the_node_holding_its_due_date(data, cadence, as_of):
    loaded = portfolio([data])
    nodes = nodes_of(loaded, as_of, cadence)
    due = loaded.due["p"]
    placed: dict[str, Node] = {}
    for node in nodes:
        for entry in node.milestones:
            if entry.carried:
                continue
            assert entry.milestone.id not in placed
            placed[entry.milestone.id] = node
            assert entry.due == due[entry.milestone.id]
            assert label(entry.due, cadence) == node.period
    for mid, day in due.items():
        if data["start"] <= day <= data["finish"]:
            assert placed[mid].start <= day <= placed[mid].end


@PROPERTY
@given(project_data(), st.sampled_from(CADENCES), dates)
def test_overdue_milestones_are_carried_into_the_current_period_until_done(data, cadence, as_of):
    loaded = portfolio([data])
    nodes = nodes_of(loaded, as_of, cadence)
    current, (first, last) = label(as_of, cadence), period_span(as_of, cadence)
    due = loaded.due["p"]
    late = sorted(m["id"] for m in data["milestones"] if m.get("done") is None and due[m["id"]] < first)
    carried = [(n, e) for n in nodes for e in n.milestones if e.carried]
    assert all(node.period == current for node, _ in carried)
    assert sorted(e.milestone.id for _, e in carried) == late
    if late and data["finish"] < first:  # the project has ended: it gets today's whole period
        [node] = [n for n in nodes if n.period == current]
        assert (node.start, node.end) == (first, last)
        assert all(e.carried == (e.due < first) for e in node.milestones)
    elif not late:
        assert all(n.start <= n.project.finish for n in nodes)


@PROPERTY
@given(project_data(), dates)
def test_forecasts_never_before_plans(data, as_of):
    loaded = portfolio([data])
    items = {i.milestone.id: i for i in find_items(loaded, as_of, include_all=True)}
    assert set(items) == {m["id"] for m in data["milestones"]}
    for item in items.values():
        done = item.milestone.done
        if done is not None:
            assert item.forecast == done
            assert item.state in ("done", "done_late")
            continue
        assert item.forecast >= item.due
        if item.due < as_of:
            assert item.forecast >= as_of
            assert item.state == "overdue"
        elif item.forecast > item.due:
            assert (item.state, item.level) == ("at_risk", "yellow")
        for other in item.milestone.depends:
            assert item.forecast >= items[other].forecast
        if item.milestone.after is not None:  # offsets here are never negative
            assert item.forecast >= items[item.milestone.after].forecast
    for node in nodes_of(loaded, as_of, "weekly"):
        for entry in node.milestones:
            assert entry.forecast == items[entry.milestone.id].forecast
            if entry.done is None:
                assert entry.forecast >= entry.due


@PROPERTY
@given(project_data(), st.sampled_from(CADENCES), dates)
def test_node_states_follow_their_milestones(data, cadence, as_of):
    for node in nodes_of(portfolio([data]), as_of, cadence):
        if node.milestones and all(m.done is not None for m in node.milestones):
            assert node.state == "done"
        elif node.state == "overdue":
            assert any(m.done is None and m.due < as_of for m in node.milestones)
            assert (node.deadline or node.end) < as_of
        elif node.state == "current":
            assert node.start <= as_of <= node.end
        elif node.state == "future":
            assert node.start > as_of
        elif node.state == "past":
            assert node.end < as_of
            assert not any(m.done is None and m.due < as_of for m in node.milestones)


# -- windows ------------------------------------------------------------------------------------


def period_span(day: date, cadence: str) -> tuple[date, date]:
    first = last = day
    while label(first - ONE, cadence) == label(day, cadence):
        first -= ONE
    while label(last + ONE, cadence) == label(day, cadence):
        last += ONE
    return first, last


@PROPERTY
@given(st.lists(project_data(), min_size=1, max_size=3), st.sampled_from(CADENCES), dates, dates)
def test_a_window_shows_whole_nodes_the_same_as_all(datas, cadence, one, two):
    """--from/--to pick which periods to show; they never cut or change a node."""
    for n, data in enumerate(datas):
        data["id"] = f"p{n}"
    loaded = portfolio(datas)
    first, last = min(one, two), max(one, two)
    everything = {(n.project.id, n.period): n for n in nodes_of(loaded, first, cadence)}
    shown = nodes_of(loaded, first, cadence, Window(first, last))
    low = max(first, min(d["start"] for d in datas))
    high = min(last, max(d["finish"] for d in datas))

    def touches(node: Node, a: date, b: date) -> bool:
        period_first, period_last = period_span(node.start, cadence)
        return period_last >= a and period_first <= b

    shown_keys = {(n.project.id, n.period) for n in shown}
    assert len(shown_keys) == len(shown)
    # every node whose period meets both the window and the portfolio's span is shown ...
    assert {k for k, n in everything.items() if low <= high and touches(n, low, high)} <= shown_keys
    # ... and nothing from a period outside the window (see test_cli_plan's
    # test_window_shows_a_projects_node_whatever_the_other_projects for the gap between the two)
    assert shown_keys <= {k for k, n in everything.items() if touches(n, first, last)}
    for node in shown:
        same = everything[(node.project.id, node.period)]
        assert (node.start, node.end, node.deadline, node.planned_progress, node.state) == (
            same.start, same.end, same.deadline, same.planned_progress, same.state,
        )  # fmt: skip


# -- streaming ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_rows_are_written_as_they_are_produced(fmt):
    """A long plan is written node by node: the first rows are out before the last is made."""
    from sanshi_cli.rendering_plan import render_plan

    loaded = portfolio(
        [
            {
                "id": "p",
                "name": "再生水综合利用项目",
                "leader": "leader-a",
                "lead_unit": "jsj",
                "responsible_unit": "jsj",
                "start": date(2025, 1, 1),
                "finish": date(2026, 12, 31),
            }
        ]
    )
    out = io.StringIO()

    def interrupted():
        for n, node in enumerate(plan_nodes(loaded, date(2026, 5, 15), "weekly", Window())):
            if n == 3:
                raise RuntimeError("stop")
            yield node

    with pytest.raises(RuntimeError):
        render_plan(
            interrupted(), as_of=date(2026, 5, 15), cadence="weekly", fmt=fmt, lang="zh",
            title="重点项目", out=out, units={}, people={},
        )  # fmt: skip
    assert out.getvalue().count("再生水综合利用项目") == 3


def test_plan_nodes_is_lazy():
    loaded = portfolio(
        [
            {
                "id": f"p{n}",
                "name": f"项目{n}",
                "leader": "leader-a",
                "lead_unit": "jsj",
                "responsible_unit": "jsj",
                "start": date(2025, 1, 1),
                "finish": date(2026, 12, 31),
            }
            for n in range(200)
        ]
    )
    produced = plan_nodes(loaded, date(2026, 5, 15), "weekly", Window())
    first = next(iter(produced))
    assert (first.project.id, first.period, first.start) == ("p0", "2025-W01", date(2025, 1, 1))
    assert first.deadline == date(2025, 1, 3)  # Fri; 01-01 is New Year's Day
    assert sum(1 for _ in produced) == 200 * 105 - 1  # 2025-W01 .. 2026-W53


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_a_plan_a_period_at_a_time_writes_what_node_by_node_writes(fmt):
    """Whole-period nodes come as tuples from plan_periods; a CR in a name (every CSV cell quoted),
    a target, a report and an int progress still write as node by node."""
    from sanshi_cli.planning import plan_periods
    from sanshi_cli.rendering_plan import render_plan

    def project(n: int, name: str) -> dict[str, Any]:
        return {
            "id": f"p{n}", "name": name, "leader": "leader-a", "lead_unit": "jsj", "responsible_unit": "jsj",
            "start": date(2026, 3, 2), "finish": date(2026, 9, 30),
            "milestones": [{"id": "m", "name": "开工", "due": date(2026, 5, 20), "progress": 40}],
            "weekly": [{"week": "2026-W20", "target": "完成桩基"}],
            "reports": [{"on": date(2026, 4, 30), "progress": 20}, {"on": date(2026, 5, 8), "progress": 25.5}],
        }  # fmt: skip

    loaded = portfolio([project(1, "再生水\r综合利用"), project(2, "=SUM(A1)"), project(3, "龙源路")])
    texts = []
    for plan in (plan_nodes, plan_periods):
        out = io.StringIO()
        render_plan(
            plan(loaded, date(2026, 5, 15), "weekly", Window()), as_of=date(2026, 5, 15), cadence="weekly",
            fmt=fmt, lang="zh", title="重点项目", out=out, units={"jsj": "高新区建设局"}, people={},
        )  # fmt: skip
        texts.append(out.getvalue())
    assert texts[0] == texts[1]
    assert texts[0].count("龙源路") == 31  # 2026-W10 .. 2026-W40


def test_an_ended_projects_last_day_on_a_holiday_carries_its_overdue_milestones_as_overdue():
    """Found by Hypothesis: a project finishing on New Year's Day 2026 (no working day in its last
    node, so no deadline) carried its overdue milestones into that node, which then said "past"."""
    data = {
        "id": "p", "name": "项目p", "leader": "leader-a", "lead_unit": "jsj", "responsible_unit": "jsj",
        "start": date(2025, 10, 28), "finish": date(2026, 1, 1),
        "milestones": [
            {"id": "m0", "name": "节点0", "due": date(2025, 10, 28)},
            {"id": "m1", "name": "节点1", "due": date(2025, 12, 5)},
            {"id": "m4", "name": "节点4", "after": "m1", "offset": "19wd"},  # 2026-01-04, a make-up working day
        ],
    }  # fmt: skip
    last = nodes_of(portfolio([data]), date(2026, 1, 2), "monthly")[-1]
    assert (last.start, last.end, last.deadline) == (date(2026, 1, 1), date(2026, 1, 1), None)
    assert [m.milestone.id for m in last.milestones] == ["m0", "m1", "m4"]
    assert last.state == "overdue"
