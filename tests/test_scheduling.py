"""Offsets, relative due dates (倒排工期), topological order and forecasts.

Dates are counted by hand on the 2026 calendar (see tests/test_workcalendar.py for the notice):
Labor Day 05-01..05 with make-up Saturday 05-09, National Day 10-01..07 with make-up 09-20 and
10-10, Dragon Boat 06-19. The anchor day itself is never counted (Civil Code Art. 201).
"""

from __future__ import annotations

import calendar as pycalendar
import dataclasses
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshi_cli.model import Milestone, Project
from sanshi_cli.scheduling import (
    Offset,
    apply_offset,
    forecast_dates,
    parse_offset,
    prerequisites,
    resolve_due_dates,
    topological_order,
)
from sanshi_cli.workcalendar import WorkCalendar

D = date.fromisoformat
CAL = WorkCalendar()
FAST = settings(max_examples=200, deadline=None)


def ms(id: str, **fields: object) -> Milestone:
    return Milestone(id=id, name=fields.pop("name", id), **fields)  # type: ignore[arg-type]


def project(*milestones: Milestone) -> Project:
    return Project(
        id="p",
        name="市民中心",
        leader="leader-a",
        lead_unit="jsj",
        responsible_unit="jsj",
        start=D("2026-01-01"),
        finish=D("2027-12-31"),
        milestones=list(milestones),
    )


# -- parse_offset -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("10wd", 10, "wd"),
        ("-30d", -30, "d"),
        ("+2w", 2, "w"),
        ("3m", 3, "m"),
        ("-1m", -1, "m"),
        ("-20wd", -20, "wd"),
        ("0wd", 0, "wd"),
        ("-0d", 0, "d"),
        ("3660d", 3660, "d"),  # about ten years at most, per unit
        ("-120m", -120, "m"),
        ("007d", 7, "d"),
        # Surrounding whitespace is stripped and the unit is case-insensitive.
        (" 5WD ", 5, "wd"),
        ("10Wd", 10, "wd"),
        ("\t7D\n", 7, "d"),
        ("2W", 2, "w"),
        ("3M", 3, "m"),
    ],
)
def test_parse_offset_valid(text: str, amount: int, unit: str) -> None:
    assert parse_offset(text) == Offset(amount, unit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "10x",
        "wd",
        "1.5d",
        "",
        "   ",
        "10 wd",  # no space inside
        "10 d",
        "+ 10d",
        "10",  # a unit is required
        "d",
        "+-1d",
        "--1d",
        "123456d",  # more than five digits
        "10dw",
        "10wdd",
        "10wd10",
        "1e3d",
        "wd10",
        "10y",
        "10days",
        "十wd",
    ],
)
def test_parse_offset_invalid(text: str) -> None:
    assert parse_offset(text) is None


@FAST
@given(amount=st.integers(min_value=-120, max_value=120), unit=st.sampled_from(["wd", "d", "w", "m"]))
def test_parse_offset_round_trips(amount: int, unit: str) -> None:
    offset = Offset(amount, unit)  # type: ignore[arg-type]
    assert parse_offset(f"{amount}{unit}") == offset
    assert parse_offset(str(offset)) == offset
    if amount >= 0:
        assert parse_offset(f"+{amount}{unit.upper()}") == offset


# -- apply_offset -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anchor", "offset", "expected"),
    [
        # working days, across Labor Day and its make-up Saturday
        ("2026-04-30", "1wd", "2026-05-06"),
        ("2026-04-30", "4wd", "2026-05-09"),
        ("2026-04-30", "10wd", "2026-05-18"),
        ("2026-05-05", "25wd", "2026-06-08"),
        ("2026-05-06", "-1wd", "2026-04-30"),
        ("2026-10-12", "-5wd", "2026-09-29"),  # 10-10, 10-09, 10-08, 09-30, 09-29
        ("2026-12-31", "-20wd", "2026-12-03"),
        ("2026-05-01", "0wd", "2026-05-01"),  # zero: the anchor itself, even on a rest day
        # calendar days: the start day is not counted
        ("2026-03-02", "1d", "2026-03-03"),
        ("2026-04-30", "-30d", "2026-03-31"),
        ("2026-04-30", "5d", "2026-05-05"),  # no roll: a holiday is kept
        ("2026-12-31", "1d", "2027-01-01"),
        # weeks
        ("2026-04-24", "1w", "2026-05-01"),
        ("2026-03-06", "+2w", "2026-03-20"),
        ("2026-03-06", "-2w", "2026-02-20"),
        # months keep the day of month, clamped to the month's end
        ("2026-01-31", "1m", "2026-02-28"),
        ("2024-01-31", "1m", "2024-02-29"),  # leap year
        ("2026-03-31", "-1m", "2026-02-28"),
        ("2026-03-31", "1m", "2026-04-30"),
        ("2026-01-15", "3m", "2026-04-15"),
        ("2026-11-30", "3m", "2027-02-28"),
        ("2026-10-31", "-12m", "2025-10-31"),
        ("2028-02-29", "12m", "2029-02-28"),
        ("2026-05-18", "1m", "2026-06-18"),
    ],
)
def test_apply_offset_without_roll(anchor: str, offset: str, expected: str) -> None:
    parsed = parse_offset(offset)
    assert parsed is not None
    assert apply_offset(D(anchor), parsed, WorkCalendar(), "none") == D(expected)


@pytest.mark.parametrize(
    ("anchor", "offset", "roll", "expected"),
    [
        # 03-06 (Fri) + 2d = 03-08, a Sunday
        ("2026-03-06", "2d", "none", "2026-03-08"),
        ("2026-03-06", "2d", "next_workday", "2026-03-09"),
        ("2026-03-06", "2d", "prev_workday", "2026-03-06"),
        # 04-30 + 1d = 05-01, Labor Day
        ("2026-04-30", "1d", "next_workday", "2026-05-06"),
        ("2026-04-30", "1d", "prev_workday", "2026-04-30"),
        ("2026-04-24", "1w", "next_workday", "2026-05-06"),
        ("2026-04-01", "1m", "next_workday", "2026-05-06"),
        ("2026-04-01", "1m", "prev_workday", "2026-04-30"),
        # National Day and the Spring Festival
        ("2026-09-01", "1m", "next_workday", "2026-10-08"),
        ("2026-09-01", "1m", "prev_workday", "2026-09-30"),
        ("2026-01-18", "1m", "next_workday", "2026-02-24"),  # 02-18 in the Spring Festival
        ("2026-01-18", "1m", "prev_workday", "2026-02-14"),  # make-up Saturday
        # a make-up Saturday is a working day: no roll needed
        ("2026-05-02", "7d", "next_workday", "2026-05-09"),
        ("2026-05-02", "7d", "prev_workday", "2026-05-09"),
        # a working day stays put
        ("2026-03-06", "3d", "next_workday", "2026-03-09"),
        ("2026-03-06", "3d", "prev_workday", "2026-03-09"),
        # wd lands on working days already (except 0wd)
        ("2026-05-01", "0wd", "next_workday", "2026-05-06"),
        ("2026-04-30", "1wd", "prev_workday", "2026-05-06"),
    ],
)
def test_apply_offset_rolls_off_rest_days(anchor: str, offset: str, roll: str, expected: str) -> None:
    parsed = parse_offset(offset)
    assert parsed is not None
    assert apply_offset(D(anchor), parsed, WorkCalendar(), roll) == D(expected)  # type: ignore[arg-type]


def _add_months(day: date, months: int) -> date:
    """Oracle: the same day of month, clamped to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


@FAST
@given(
    anchor=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    amount=st.integers(min_value=-36, max_value=36),
)
def test_months_keep_the_day_of_month_clamped(anchor: date, amount: int) -> None:
    assert apply_offset(anchor, Offset(amount, "m"), CAL, "none") == _add_months(anchor, amount)


@FAST
@given(
    anchor=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    amount=st.integers(min_value=-400, max_value=400),
    unit=st.sampled_from(["wd", "d", "w", "m"]),
)
def test_rolls_move_only_as_far_as_the_nearest_working_day(anchor: date, amount: int, unit: str) -> None:
    offset = Offset(amount, unit)  # type: ignore[arg-type]
    raw = apply_offset(anchor, offset, CAL, "none")
    later = apply_offset(anchor, offset, CAL, "next_workday")
    earlier = apply_offset(anchor, offset, CAL, "prev_workday")
    assert earlier <= raw <= later
    assert CAL.is_workday(later) and CAL.is_workday(earlier)
    assert CAL.workdays_between(raw - timedelta(days=1), later) == 1
    assert CAL.workdays_between(earlier, raw) == 0
    if unit == "d":
        assert raw == anchor + timedelta(days=amount)
    if unit == "w":
        assert raw == anchor + timedelta(days=7 * amount)
    if unit == "wd" and amount != 0:
        assert CAL.is_workday(raw)
        if amount > 0:  # working days in (anchor, raw]
            assert CAL.workdays_between(anchor, raw) == amount
        else:  # working days in [raw, anchor)
            assert CAL.workdays_between(raw - timedelta(days=1), anchor - timedelta(days=1)) == -amount


@pytest.mark.parametrize("text", ["99999m", "-99999m", "121m", "3661d", "-2601wd", "521w", "１０wd", "١٠wd"])
def test_offsets_beyond_ten_years_or_with_non_ascii_digits_are_rejected(text: str) -> None:
    assert parse_offset(text) is None


@pytest.mark.parametrize("text", ["120m", "-120m", "3660d", "-3660d", "2600wd", "-2600wd", "520w"])
@pytest.mark.parametrize("day", ["1990-01-01", "2199-12-31"])
def test_the_longest_offsets_apply_to_any_date_a_file_may_hold(text: str, day: str) -> None:
    offset = parse_offset(text)
    assert offset is not None
    moved = apply_offset(D(day), offset, WorkCalendar(), "next_workday")
    assert abs((moved - D(day)).days) >= 365 * 7


# -- prerequisites / topological_order ----------------------------------------------------------


def test_prerequisites_are_the_anchor_then_dependencies_without_repeats() -> None:
    milestone = ms("c", after="a", offset="1wd", depends=["b", "a"])
    assert prerequisites(milestone) == ["a", "b"]
    assert prerequisites(ms("x", due=D("2026-01-05"))) == []


def _assert_topological(order: list[Milestone], milestones: list[Milestone]) -> None:
    ids = [m.id for m in order]
    assert sorted(ids) == sorted(m.id for m in milestones)
    position = {m.id: i for i, m in enumerate(order)}
    for m in order:
        for need in prerequisites(m):
            if need in position:
                assert position[need] < position[m.id], (need, m.id)


def _assert_is_cycle(cycle: list[str], milestones: list[Milestone]) -> None:
    by_id = {m.id: m for m in milestones}
    assert len(cycle) >= 2
    assert cycle[0] == cycle[-1]
    assert len(set(cycle[:-1])) == len(cycle) - 1  # no other repeat
    for here, there in itertools.pairwise(cycle):
        # each id waits for the next one
        assert there in prerequisites(by_id[here]), (here, there)


def test_topological_order_of_a_chain_listed_backwards() -> None:
    milestones = [
        ms("d", after="c", offset="2w"),
        ms("c", after="b", offset="1m"),
        ms("b", after="a", offset="10wd"),
        ms("a", due=D("2026-04-30")),
    ]
    order, cycle = topological_order(milestones)
    assert cycle == []
    assert [m.id for m in order] == ["a", "b", "c", "d"]


def test_topological_order_with_depends_and_unknown_ids() -> None:
    milestones = [
        ms("x", due=D("2026-06-30"), depends=["y", "ghost"]),
        ms("y", after="z", offset="5wd", depends=["w"]),
        ms("z", due=D("2026-05-06")),
        ms("w", due=D("2026-05-07"), depends=["nobody"]),
    ]
    order, cycle = topological_order(milestones)
    assert cycle == []
    _assert_topological(order, milestones)


@pytest.mark.parametrize(
    ("milestones", "members"),
    [
        ([ms("a", after="b", offset="1wd"), ms("b", after="a", offset="1wd")], {"a", "b"}),
        (  # through depends only
            [ms("a", due=D("2026-05-06"), depends=["b"]), ms("b", due=D("2026-05-07"), depends=["a"])],
            {"a", "b"},
        ),
        (  # mixed: a depends on c, c after b, b depends on a
            [
                ms("a", due=D("2026-05-06"), depends=["c"]),
                ms("b", due=D("2026-05-07"), depends=["a"]),
                ms("c", after="b", offset="1wd"),
            ],
            {"a", "b", "c"},
        ),
        (  # the cycle does not include the first milestone, nor the tail leading into it
            [
                ms("free", due=D("2026-03-02")),
                ms("tail", after="p", offset="1wd"),
                ms("p", after="q", offset="2wd", depends=["free"]),
                ms("q", due=D("2026-05-06"), depends=["r"]),
                ms("r", after="p", offset="3d"),
            ],
            {"p", "q", "r"},
        ),
    ],
)
def test_topological_order_finds_cycles(milestones: list[Milestone], members: set[str]) -> None:
    _, cycle = topological_order(milestones)
    _assert_is_cycle(cycle, milestones)
    assert set(cycle) == members


@pytest.mark.parametrize(
    "milestone",
    [ms("a", after="a", offset="1wd"), ms("a", due=D("2026-05-06"), depends=["a"])],
    ids=["after", "depends"],
)
def test_a_self_reference_is_not_a_cycle(milestone: Milestone) -> None:
    # Loading reports it once, as "cannot depend on itself"; a cycle would report it twice.
    order, cycle = topological_order([milestone])
    assert cycle == []
    assert [m.id for m in order] == ["a"]


def test_two_cycle_starts_from_the_first_listed() -> None:
    _, cycle = topological_order([ms("a", after="b", offset="1wd"), ms("b", after="a", offset="1wd")])
    assert cycle == ["a", "b", "a"]


@st.composite
def random_graph(draw: st.DrawFn) -> list[Milestone]:
    size = draw(st.integers(min_value=1, max_value=7))
    ids = [f"m{i}" for i in range(size)]
    result = []
    for i in ids:
        after = draw(st.none() | st.sampled_from(ids + ["ghost"]))
        depends = draw(st.lists(st.sampled_from(ids + ["ghost"]), max_size=3))
        if after is None:
            result.append(ms(i, due=D("2026-05-06"), depends=depends))
        else:
            result.append(ms(i, after=after, offset="1wd", depends=depends))
    return result


def _has_cycle(milestones: list[Milestone]) -> bool:
    """Oracle: repeatedly remove milestones whose known prerequisites are all removed."""
    by_id = {m.id: m for m in milestones}
    left = set(by_id)
    while True:
        ready = {i for i in left if not any(n in left for n in prerequisites(by_id[i]))}
        if not ready:
            return bool(left)
        left -= ready


@FAST
@given(random_graph())
def test_topological_order_property(milestones: list[Milestone]) -> None:
    order, cycle = topological_order(milestones)
    if _has_cycle(milestones):
        _assert_is_cycle(cycle, milestones)
    else:
        assert cycle == []
        _assert_topological(order, milestones)


# -- resolve_due_dates --------------------------------------------------------------------------


def test_resolve_plain_dates() -> None:
    p = project(ms("a", due=D("2026-04-30")), ms("b", due=D("2026-05-01")))
    assert resolve_due_dates(p, CAL, "next_workday") == {"a": D("2026-04-30"), "b": D("2026-05-01")}


def test_resolve_a_chain_listed_out_of_order() -> None:
    p = project(
        ms("d", after="c", offset="2w"),
        ms("c", after="b", offset="1m"),
        ms("a", due=D("2026-04-30")),
        ms("b", after="a", offset="10wd"),
    )
    assert resolve_due_dates(p, WorkCalendar(), "none") == {
        "a": D("2026-04-30"),
        "b": D("2026-05-18"),  # 05-06, 07, 08, 09 (make-up), 11..15, 18
        "c": D("2026-06-18"),
        "d": D("2026-07-02"),
    }


def test_resolve_backwards_from_completion() -> None:
    # 倒排工期: everything counted back from the completion date.
    p = project(
        ms("completion", name="竣工验收", due=D("2026-12-31")),
        ms("structure", name="主体封顶", after="completion", offset="-20wd"),
        ms("foundation", name="基础完工", after="structure", offset="-1m"),
        ms("start", name="开工", after="foundation", offset="-30d"),
        ms("permit", name="施工许可证", after="start", offset="-5wd"),
    )
    assert resolve_due_dates(p, WorkCalendar(), "none") == {
        "completion": D("2026-12-31"),
        "structure": D("2026-12-03"),  # 20 working days before 12-31
        "foundation": D("2026-11-03"),
        "start": D("2026-10-04"),  # a National Day holiday: no roll
        "permit": D("2026-09-23"),  # 09-30, 29, 28, (27-25 中秋 and weekend) 24, 23
    }


def test_resolve_rolls_with_the_default_and_the_milestone_roll() -> None:
    p = project(
        ms("a", due=D("2026-03-06")),
        ms("b", after="a", offset="2d"),  # Sunday 03-08
        ms("c", after="a", offset="2d", roll="none"),
        ms("e", after="a", offset="2d", roll="prev_workday"),
        ms("f", after="b", offset="1d"),  # counted from b's rolled date
    )
    assert resolve_due_dates(p, WorkCalendar(), "next_workday") == {
        "a": D("2026-03-06"),
        "b": D("2026-03-09"),
        "c": D("2026-03-08"),
        "e": D("2026-03-06"),
        "f": D("2026-03-10"),
    }
    assert resolve_due_dates(p, WorkCalendar(), "none")["b"] == D("2026-03-08")


def test_resolve_backwards_over_national_day_with_roll() -> None:
    p = project(
        ms("open", due=D("2026-10-12")),
        ms("check", after="open", offset="-5wd"),
        ms("inspect", after="open", offset="-1w", roll="prev_workday"),  # 10-05, a holiday
    )
    assert resolve_due_dates(p, WorkCalendar(), "none") == {
        "open": D("2026-10-12"),
        "check": D("2026-09-29"),
        "inspect": D("2026-09-30"),
    }


def test_resolve_skips_what_it_cannot_count() -> None:
    p = project(
        ms("a", due=D("2026-04-30")),
        ms("ghost", after="nobody", offset="1wd"),
        ms("bad", after="a", offset="10x"),
        ms("child", after="ghost", offset="1wd"),
    )
    assert resolve_due_dates(p, WorkCalendar(), "none") == {"a": D("2026-04-30")}


def test_a_fixed_due_wins_over_after() -> None:
    p = project(ms("a", due=D("2026-04-30")), ms("b", due=D("2026-06-01"), after="a", offset="1wd"))
    assert resolve_due_dates(p, WorkCalendar(), "none")["b"] == D("2026-06-01")


# -- forecast_dates -----------------------------------------------------------------------------


def _forecast(p: Project, as_of: str, roll: str = "none") -> dict[str, date]:
    calendar = WorkCalendar()
    due = resolve_due_dates(p, calendar, roll)  # type: ignore[arg-type]
    return forecast_dates(p, due, D(as_of), calendar, roll)  # type: ignore[arg-type]


def test_done_milestone_forecast_is_its_done_date() -> None:
    p = project(
        ms("late", due=D("2026-04-30"), done=D("2026-05-12")),
        ms("early", due=D("2026-04-30"), done=D("2026-04-20")),
    )
    assert _forecast(p, "2026-05-15") == {"late": D("2026-05-12"), "early": D("2026-04-20")}


def test_overdue_not_done_forecast_is_as_of() -> None:
    p = project(ms("a", due=D("2026-04-30")), ms("b", due=D("2026-06-30")), ms("c", due=D("2026-05-15")))
    assert _forecast(p, "2026-05-15") == {"a": D("2026-05-15"), "b": D("2026-06-30"), "c": D("2026-05-15")}


def test_a_late_anchor_pushes_a_relative_milestone() -> None:
    # permits due 04-30, still not done on 05-15: forecast 05-15, and start = 05-15 + 10wd.
    p = project(ms("permits", due=D("2026-04-30")), ms("start", after="permits", offset="10wd"))
    due = resolve_due_dates(p, WorkCalendar(), "none")
    assert due["start"] == D("2026-05-18")
    assert _forecast(p, "2026-05-15") == {"permits": D("2026-05-15"), "start": D("2026-05-29")}


def test_an_anchor_done_late_pushes_from_its_done_date() -> None:
    p = project(ms("permits", due=D("2026-04-30"), done=D("2026-05-20")), ms("start", after="permits", offset="10wd"))
    # 05-21, 22, 25, 26, 27, 28, 29, 06-01, 02, 03
    assert _forecast(p, "2026-05-25")["start"] == D("2026-06-03")


def test_an_anchor_done_early_does_not_pull_a_milestone_forward() -> None:
    p = project(ms("permits", due=D("2026-04-30"), done=D("2026-04-01")), ms("start", after="permits", offset="10wd"))
    assert _forecast(p, "2026-04-10")["start"] == D("2026-05-18")


def test_depends_pushes_a_milestone() -> None:
    p = project(
        ms("permits", due=D("2026-04-30")),
        ms("start", after="permits", offset="10wd"),
        ms("site", due=D("2026-05-20"), depends=["start"]),
    )
    assert _forecast(p, "2026-05-15") == {
        "permits": D("2026-05-15"),
        "start": D("2026-05-29"),
        "site": D("2026-05-29"),
    }


def test_a_slip_propagates_down_a_chain() -> None:
    p = project(
        ms("permits", due=D("2026-04-30")),
        ms("start", after="permits", offset="10wd"),
        ms("foundation", after="start", offset="1m"),
        ms("topping", after="foundation", offset="2w", roll="next_workday"),
    )
    assert resolve_due_dates(p, WorkCalendar(), "none") == {
        "permits": D("2026-04-30"),
        "start": D("2026-05-18"),
        "foundation": D("2026-06-18"),
        "topping": D("2026-07-02"),
    }
    assert _forecast(p, "2026-05-15") == {
        "permits": D("2026-05-15"),
        "start": D("2026-05-29"),
        "foundation": D("2026-06-29"),
        "topping": D("2026-07-13"),
    }


def test_forecast_uses_the_roll() -> None:
    # start = permits + 1m; forecast 05-15 + 1m = 06-15 (Mon); plan 04-30 + 1m = 05-30 (Sat).
    p = project(ms("permits", due=D("2026-04-30")), ms("start", after="permits", offset="1m"))
    assert _forecast(p, "2026-05-15", "next_workday") == {"permits": D("2026-05-15"), "start": D("2026-06-15")}
    assert _forecast(p, "2026-05-10", "next_workday")["start"] == D("2026-06-10")
    assert _forecast(p, "2026-05-03", "next_workday")["start"] == D("2026-06-03")
    assert resolve_due_dates(p, WorkCalendar(), "next_workday")["start"] == D("2026-06-01")


# -- forecast property --------------------------------------------------------------------------

OFFSETS = ["1wd", "10wd", "-5wd", "3d", "-10d", "2w", "1m", "-1m", "0wd"]


@st.composite
def random_project(draw: st.DrawFn) -> tuple[Project, date]:
    days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
    size = draw(st.integers(min_value=1, max_value=6))
    milestones = []
    for i in range(size):
        earlier = [f"m{j}" for j in range(i)]
        fields: dict[str, object] = {}
        if earlier and draw(st.booleans()):
            fields["after"] = draw(st.sampled_from(earlier))
            fields["offset"] = draw(st.sampled_from(OFFSETS))
            fields["roll"] = draw(st.none() | st.sampled_from(["none", "next_workday", "prev_workday"]))
        else:
            fields["due"] = draw(days)
        if earlier:
            fields["depends"] = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
        if draw(st.booleans()):
            fields["done"] = draw(days)
        milestones.append(ms(f"m{i}", **fields))
    order = draw(st.permutations(milestones))
    return project(*order), draw(days)


@FAST
@given(random_project(), st.sampled_from(["none", "next_workday", "prev_workday"]))
def test_forecast_is_never_before_the_plan(generated: tuple[Project, date], roll: str) -> None:
    p, as_of = generated
    due = resolve_due_dates(p, CAL, roll)  # type: ignore[arg-type]
    forecast = forecast_dates(p, due, as_of, CAL, roll)  # type: ignore[arg-type]
    by_id = {m.id: m for m in p.milestones}
    assert set(due) == set(by_id)  # acyclic and anchored: everything has a plan
    assert set(forecast) == set(by_id)
    for id, m in by_id.items():
        if m.done is not None:
            assert forecast[id] == m.done
            continue
        assert forecast[id] >= due[id]
        assert forecast[id] >= as_of
        for other in m.depends:
            assert forecast[id] >= forecast[other]
        if m.after is not None and m.offset is not None:
            offset = parse_offset(m.offset)
            assert offset is not None
            assert forecast[id] >= apply_offset(forecast[m.after], offset, CAL, m.roll or roll)  # type: ignore[arg-type]
        # and it is exactly the latest of those
        candidates = [due[id], as_of] + [forecast[o] for o in m.depends]
        if m.after is not None and m.offset is not None:
            candidates.append(apply_offset(forecast[m.after], parse_offset(m.offset), CAL, m.roll or roll))  # type: ignore[arg-type]
        assert forecast[id] == max(candidates)


@FAST
@given(random_project())
def test_nothing_late_means_forecast_equals_plan(generated: tuple[Project, date]) -> None:
    # As of a day before every plan, with nothing done and no cross-dependencies, nothing moves.
    p, _ = generated
    clean = project(*(dataclasses.replace(m, done=None, depends=[]) for m in p.milestones))
    due = resolve_due_dates(clean, CAL, "none")
    as_of = min(due.values()) - timedelta(days=1)
    assert forecast_dates(clean, due, as_of, CAL, "none") == due
