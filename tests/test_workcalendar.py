"""WorkCalendar: the PRC working calendar (weekends, statutory holidays, make-up days 调休).

Expected values come from the State Council's 2026 holiday notice (国务院办公厅关于2026年部分节假日
安排的通知) as summarised in DOMAIN.md, and from counting by hand: never from the code under test.

2026 by the notice:
    元旦    01-01..03 (Thu-Sat)            make-up: 01-04 (Sun)
    春节    02-15..23 (Sun-Mon, 9 days)    make-up: 02-14 (Sat), 02-28 (Sat)
    清明    04-04..06 (Sat-Mon)
    劳动节  05-01..05 (Fri-Tue)            make-up: 05-09 (Sat)
    端午    06-19..21 (Fri-Sun)
    中秋    09-25..27 (Fri-Sun)
    国庆    10-01..07 (Thu-Wed)            make-up: 09-20 (Sun), 10-10 (Sat)
261 weekdays - 19 weekday holidays + 6 make-up days = 248 working days.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshi_cli.errors import CalendarError, SanshiError
from sanshi_cli.workcalendar import Notice, WorkCalendar

D = date.fromisoformat
ONE = timedelta(days=1)

# Weekday (Mon-Fri) rest days of 2026, by the notice.
HOLIDAYS_2026 = frozenset(
    D(s)
    for s in (
        "2026-01-01", "2026-01-02",
        "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23",
        "2026-04-06",
        "2026-05-01", "2026-05-04", "2026-05-05",
        "2026-06-19",
        "2026-09-25",
        "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07",
    )
)  # fmt: skip
MAKEUP_2026 = frozenset(
    D(s) for s in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")
)


def expected_workday_2026(day: date) -> bool:
    assert day.year == 2026
    return day in MAKEUP_2026 or (day.weekday() < 5 and day not in HOLIDAYS_2026)


# One shared calendar for the property tests (years are cached, so they stay fast).
CAL = WorkCalendar()

DATES = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
FAST = settings(max_examples=200, deadline=None)


# -- sanity of the hand-made oracle ------------------------------------------------------------


def test_oracle_counts_248_working_days() -> None:
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    assert sum(expected_workday_2026(d) for d in days) == 248
    assert all(d.weekday() >= 5 for d in MAKEUP_2026)
    assert all(d.weekday() < 5 for d in HOLIDAYS_2026)


# -- the year 2026 ------------------------------------------------------------------------------


def test_2026_has_248_working_days() -> None:
    assert WorkCalendar().workdays_between(D("2025-12-31"), D("2026-12-31")) == 248


def test_2026_has_248_working_days_by_enumeration() -> None:
    assert len(list(WorkCalendar().workdays(D("2026-01-01"), D("2026-12-31")))) == 248


@pytest.mark.parametrize("month", range(1, 13))
def test_every_day_of_2026_matches_the_notice(month: int) -> None:
    calendar = WorkCalendar()
    day = date(2026, month, 1)
    wrong = []
    while day.month == month:
        if calendar.is_workday(day) != expected_workday_2026(day):
            wrong.append(day.isoformat())
        day += ONE
    assert wrong == []
    assert calendar.uncovered == set()


@pytest.mark.parametrize("day", sorted(d.isoformat() for d in MAKEUP_2026))
def test_make_up_days_of_2026_are_working_days(day: str) -> None:
    assert D(day).weekday() >= 5  # a weekend day...
    assert WorkCalendar().is_workday(D(day))  # ...that is worked


@pytest.mark.parametrize(
    "day",
    [f"2026-02-{d:02d}" for d in range(15, 24)]
    + [f"2026-05-{d:02d}" for d in range(1, 6)]
    + [f"2026-10-{d:02d}" for d in range(1, 8)]
    + ["2026-01-01", "2026-01-02", "2026-01-03", "2026-04-06", "2026-06-19", "2026-09-25"],
)
def test_holidays_of_2026_are_rest_days(day: str) -> None:
    assert not WorkCalendar().is_workday(D(day))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-02-13", True),  # Friday before the Spring Festival
        ("2026-02-24", True),  # first working day after it
        ("2026-02-27", True),
        ("2026-04-30", True),
        ("2026-05-06", True),
        ("2026-05-10", False),  # Sunday after the make-up Saturday
        ("2026-06-22", True),
        ("2026-09-19", False),  # Saturday before the make-up Sunday
        ("2026-09-30", True),
        ("2026-10-08", True),
        ("2026-10-11", False),  # Sunday after the make-up Saturday
        ("2026-03-07", False),  # ordinary Saturday
        ("2026-03-09", True),  # ordinary Monday
    ],
)
def test_days_around_holidays(day: str, expected: bool) -> None:
    assert WorkCalendar().is_workday(D(day)) is expected


# -- last_workday -------------------------------------------------------------------------------


def test_spring_festival_week_has_no_working_day() -> None:
    calendar = WorkCalendar()
    assert calendar.last_workday(D("2026-02-16"), D("2026-02-22")) is None
    assert list(calendar.workdays(D("2026-02-16"), D("2026-02-22"))) == []
    assert calendar.workdays_between(D("2026-02-15"), D("2026-02-22")) == 0


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2026-05-04", "2026-05-10", "2026-05-09"),  # ISO 2026-W19: the make-up Saturday
        ("2026-02-16", "2026-02-22", None),  # 2026-W08: Spring Festival
        ("2026-02-15", "2026-02-23", None),  # the whole 9-day holiday
        ("2026-02-09", "2026-02-15", "2026-02-14"),  # 2026-W07: make-up Saturday
        ("2026-02-23", "2026-03-01", "2026-02-28"),  # 2026-W09: make-up Saturday
        ("2026-09-28", "2026-10-04", "2026-09-30"),  # 2026-W40: National Day starts Thursday
        ("2026-10-05", "2026-10-11", "2026-10-10"),  # 2026-W41: make-up Saturday
        ("2026-09-14", "2026-09-20", "2026-09-20"),  # 2026-W38: make-up Sunday
        ("2026-04-27", "2026-05-03", "2026-04-30"),  # 2026-W18: Labor Day starts Friday
        ("2026-12-28", "2027-01-03", "2027-01-01"),  # 2026-W53: 2027 uncovered, so 01-01 is a plain Friday
        ("2026-05-01", "2026-05-01", None),  # a single rest day
        ("2026-05-06", "2026-05-06", "2026-05-06"),  # a single working day
        ("2026-05-07", "2026-05-06", None),  # empty range
    ],
)
def test_last_workday(first: str, last: str, expected: str | None) -> None:
    found = WorkCalendar().last_workday(D(first), D(last))
    assert found == (D(expected) if expected else None)


def test_workdays_lists_labor_day_week() -> None:
    got = list(WorkCalendar().workdays(D("2026-05-01"), D("2026-05-10")))
    assert got == [D("2026-05-06"), D("2026-05-07"), D("2026-05-08"), D("2026-05-09")]


# -- add_workdays -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2026-05-05", 25, "2026-06-08"),
        ("2026-04-30", 1, "2026-05-06"),  # over Labor Day
        ("2026-04-30", 4, "2026-05-09"),  # the make-up Saturday counts
        ("2026-04-30", 5, "2026-05-11"),
        ("2026-05-08", 1, "2026-05-09"),
        ("2026-02-13", 1, "2026-02-14"),  # Friday -> make-up Saturday
        ("2026-02-14", 1, "2026-02-24"),  # over the Spring Festival
        ("2025-12-31", 1, "2026-01-04"),  # over New Year into the make-up Sunday
        ("2026-09-30", 1, "2026-10-08"),  # over National Day
        ("2026-10-09", 1, "2026-10-10"),
        ("2026-10-01", 1, "2026-10-08"),  # from a rest day
        ("2026-03-06", 5, "2026-03-13"),  # an ordinary week
        ("2026-12-31", 1, "2027-01-01"),  # 2027 is uncovered: Mon-Fri
    ],
)
def test_add_workdays_forward(start: str, count: int, expected: str) -> None:
    assert WorkCalendar().add_workdays(D(start), count) == D(expected)


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2026-06-08", -24, "2026-05-06"),
        ("2026-06-08", -25, "2026-04-30"),  # not 05-05: that is a rest day
        ("2026-05-06", -1, "2026-04-30"),
        ("2026-05-11", -1, "2026-05-09"),
        ("2026-10-08", -1, "2026-09-30"),
        ("2026-01-04", -1, "2025-12-31"),
        ("2026-02-24", -1, "2026-02-14"),
        ("2026-05-03", -1, "2026-04-30"),  # from a rest day
        ("2026-10-12", -5, "2026-09-29"),  # 10-10, 10-09, 10-08, 09-30, 09-29
    ],
)
def test_add_workdays_backward(start: str, count: int, expected: str) -> None:
    assert WorkCalendar().add_workdays(D(start), count) == D(expected)


@pytest.mark.parametrize("day", ["2026-05-01", "2026-05-06", "2026-02-14", "2026-03-08", "2027-06-05"])
def test_add_zero_workdays_is_the_day_itself(day: str) -> None:
    assert WorkCalendar().add_workdays(D(day), 0) == D(day)


# -- next_workday / previous_workday ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-05-01", "2026-05-06"),
        ("2026-05-03", "2026-05-06"),
        ("2026-05-06", "2026-05-06"),  # already a working day
        ("2026-05-09", "2026-05-09"),  # make-up Saturday
        ("2026-05-10", "2026-05-11"),
        ("2026-02-15", "2026-02-24"),  # 02-23 (Monday) is still a holiday
        ("2026-10-01", "2026-10-08"),
        ("2026-01-01", "2026-01-04"),  # make-up Sunday
        ("2026-01-03", "2026-01-04"),
        ("2026-03-07", "2026-03-09"),
        ("2026-12-26", "2026-12-28"),
    ],
)
def test_next_workday(day: str, expected: str) -> None:
    assert WorkCalendar().next_workday(D(day)) == D(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-05-05", "2026-04-30"),
        ("2026-05-01", "2026-04-30"),
        ("2026-05-06", "2026-05-06"),
        ("2026-05-10", "2026-05-09"),  # make-up Saturday
        ("2026-10-07", "2026-09-30"),
        ("2026-10-11", "2026-10-10"),
        ("2026-01-01", "2025-12-31"),  # into the previous year
        ("2026-02-22", "2026-02-14"),
        ("2026-02-23", "2026-02-14"),
        ("2026-03-08", "2026-03-06"),
    ],
)
def test_previous_workday(day: str, expected: str) -> None:
    assert WorkCalendar().previous_workday(D(day)) == D(expected)


# -- workdays_between ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-04-30", "2026-05-06", 1),  # start not counted, end counted
        ("2026-04-29", "2026-05-06", 2),
        ("2026-05-05", "2026-06-08", 25),
        ("2026-05-06", "2026-05-06", 0),
        ("2026-05-08", "2026-05-06", 0),  # end before start
        ("2026-02-13", "2026-02-28", 6),  # 02-14, 02-24, 25, 26, 27, 28 (make-up Saturday)
        ("2025-12-31", "2026-01-05", 2),  # across the year end: 01-04, 01-05
        ("2025-12-25", "2026-01-05", 6),  # 12-26, 29, 30, 31, 01-04, 01-05
        ("2026-12-25", "2027-01-08", 10),  # 12-28..31 and 2027 Mon-Fri (uncovered)
    ],
)
def test_workdays_between(start: str, end: str, expected: int) -> None:
    assert WorkCalendar().workdays_between(D(start), D(end)) == expected


def test_february_2026() -> None:
    # 20 weekdays, 6 of them holidays (02-16..20, 02-23), plus make-up 02-14 and 02-28.
    assert WorkCalendar().workdays_between(D("2026-01-31"), D("2026-02-28")) == 20 - 6 + 2


def test_workdays_between_spans_several_years() -> None:
    calendar = WorkCalendar()
    # 2026 whole + 2027 and 2028 Mon-Fri (uncovered): 248 + 261 + 260
    mon_fri_2027 = sum(1 for i in range(365) if (date(2027, 1, 1) + timedelta(days=i)).weekday() < 5)
    mon_fri_2028 = sum(1 for i in range(366) if (date(2028, 1, 1) + timedelta(days=i)).weekday() < 5)
    assert (mon_fri_2027, mon_fri_2028) == (261, 260)
    assert calendar.workdays_between(D("2025-12-31"), D("2028-12-31")) == 248 + 261 + 260
    assert calendar.uncovered == {2027, 2028}


# -- typed-in notices ---------------------------------------------------------------------------


def test_a_typed_in_notice_replaces_the_built_in_year_entirely() -> None:
    calendar = WorkCalendar({2026: Notice()})
    assert calendar.is_workday(D("2026-10-01"))  # no National Day any more
    assert calendar.is_workday(D("2026-02-17"))
    assert calendar.is_workday(D("2026-01-01"))
    assert not calendar.is_workday(D("2026-05-09"))  # no make-up Saturday either
    assert not calendar.is_workday(D("2026-01-04"))
    assert calendar.workdays_between(D("2025-12-31"), D("2026-12-31")) == 261
    assert calendar.covers(2026)
    assert calendar.uncovered == set()


def test_a_typed_in_notice_is_used_as_written() -> None:
    notice = Notice(
        holidays=frozenset({D("2026-10-01"), D("2026-10-02")}),
        workdays=frozenset({D("2026-10-10")}),
    )
    calendar = WorkCalendar({2026: notice})
    assert not calendar.is_workday(D("2026-10-01"))
    assert not calendar.is_workday(D("2026-10-02"))
    assert calendar.is_workday(D("2026-10-05"))  # not in this notice
    assert calendar.is_workday(D("2026-10-10"))
    assert not calendar.is_workday(D("2026-09-20"))  # not in this notice
    assert calendar.workdays_between(D("2025-12-31"), D("2026-12-31")) == 261 - 2 + 1


def test_a_notice_for_2027_covers_2027_and_leaves_2026_built_in() -> None:
    # A fictional notice: 2027-10-01 (Fri) off, 2027-10-09 (Sat) worked.
    assert D("2027-10-01").weekday() == 4 and D("2027-10-09").weekday() == 5
    notice = Notice(holidays=frozenset({D("2027-10-01")}), workdays=frozenset({D("2027-10-09")}))
    calendar = WorkCalendar({2027: notice}, strict=True)
    assert not calendar.is_workday(D("2027-10-01"))
    assert calendar.is_workday(D("2027-10-09"))
    assert calendar.is_workday(D("2027-10-08"))
    assert not calendar.is_workday(D("2026-10-01"))  # 2026 still from the built-in data
    assert calendar.is_workday(D("2026-10-10"))
    assert calendar.covers(2027)
    assert calendar.uncovered == set()


# -- uncovered years ----------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2027, 2030])
def test_an_uncovered_year_counts_monday_to_friday(year: int) -> None:
    calendar = WorkCalendar()
    assert not calendar.covers(year)
    assert calendar.uncovered == set()  # asking covers() does not touch the year
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    wrong = [
        (first + timedelta(days=i)).isoformat()
        for i in range(days)
        if calendar.is_workday(first + timedelta(days=i)) != ((first + timedelta(days=i)).weekday() < 5)
    ]
    assert wrong == []
    assert calendar.uncovered == {year}


def test_uncovered_year_is_recorded_only_when_touched() -> None:
    calendar = WorkCalendar()
    assert calendar.uncovered == set()
    calendar.is_workday(D("2026-06-01"))
    assert calendar.add_workdays(D("2026-12-30"), 1) == D("2026-12-31")
    assert calendar.next_workday(D("2026-12-31")) == D("2026-12-31")
    assert calendar.uncovered == set()
    assert calendar.add_workdays(D("2026-12-31"), 1) == D("2027-01-01")
    assert calendar.uncovered == {2027}
    calendar.is_workday(D("2030-03-04"))
    assert calendar.uncovered == {2027, 2030}


def test_2027_national_day_is_a_working_day_without_a_notice() -> None:
    # Nobody knows 2027's holidays yet: Mon-Fri is the fallback (and the CLI warns).
    calendar = WorkCalendar()
    assert calendar.is_workday(D("2027-10-01"))  # a Friday
    assert 2027 in calendar.uncovered


def test_strict_raises_for_an_uncovered_year() -> None:
    calendar = WorkCalendar(strict=True)
    with pytest.raises(CalendarError) as caught:
        calendar.is_workday(D("2027-03-01"))
    assert isinstance(caught.value, SanshiError)
    assert caught.value.problems[0].params["year"] == 2027


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_workdays(D("2026-12-31"), 1),
        lambda c: c.workdays_between(D("2026-06-01"), D("2027-06-01")),
        lambda c: c.next_workday(D("2030-01-01")),
        lambda c: c.previous_workday(D("2027-01-01")),
        lambda c: c.last_workday(D("2027-01-01"), D("2027-01-07")),
    ],
)
def test_strict_raises_whenever_an_uncovered_year_is_reached(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CalendarError):
        call(WorkCalendar(strict=True))


def test_strict_does_not_raise_for_2026() -> None:
    calendar = WorkCalendar(strict=True)
    assert calendar.workdays_between(D("2025-12-31"), D("2026-12-31")) == 248
    assert calendar.add_workdays(D("2026-05-05"), 25) == D("2026-06-08")
    assert calendar.add_workdays(D("2026-12-31"), -1) == D("2026-12-30")
    assert calendar.uncovered == set()


# -- properties ---------------------------------------------------------------------------------


@FAST
@given(day=DATES, count=st.integers(min_value=1, max_value=80))
def test_add_workdays_lands_on_the_nth_working_day_after(day: date, count: int) -> None:
    result = CAL.add_workdays(day, count)
    assert result > day
    assert CAL.is_workday(result)
    assert CAL.workdays_between(day, result) == count
    # and it is the first day reaching that count
    assert CAL.workdays_between(day, result - ONE) == count - 1


@FAST
@given(day=DATES, count=st.integers(min_value=1, max_value=80))
def test_negative_add_workdays_is_the_inverse_on_working_days(day: date, count: int) -> None:
    work = CAL.next_workday(day)
    assert CAL.add_workdays(CAL.add_workdays(work, count), -count) == work
    back = CAL.add_workdays(work, -count)
    assert back < work
    assert CAL.is_workday(back)
    assert CAL.workdays_between(back, work) == count
    assert CAL.add_workdays(back, count) == work


@FAST
@given(day=DATES, count=st.integers(min_value=1, max_value=80))
def test_there_and_back_from_a_rest_day_is_the_previous_working_day(day: date, count: int) -> None:
    assert CAL.add_workdays(CAL.add_workdays(day, count), -count) == CAL.previous_workday(day)


@FAST
@given(st.lists(DATES, min_size=3, max_size=3))
def test_workdays_between_is_additive(days: list[date]) -> None:
    a, b, c = sorted(days)
    assert CAL.workdays_between(a, c) == CAL.workdays_between(a, b) + CAL.workdays_between(b, c)
    assert CAL.workdays_between(c, a) == 0


@FAST
@given(a=DATES, span=st.integers(min_value=0, max_value=60))
def test_workdays_between_counts_working_days_after_start_up_to_end(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    counted = sum(CAL.is_workday(a + timedelta(days=i)) for i in range(1, span + 1))
    assert CAL.workdays_between(a, b) == counted
    assert list(CAL.workdays(a + ONE, b)) == [
        a + timedelta(days=i) for i in range(1, span + 1) if CAL.is_workday(a + timedelta(days=i))
    ]


@FAST
@given(day=DATES)
def test_next_workday_is_the_first_working_day_from_day(day: date) -> None:
    found = CAL.next_workday(day)
    assert found >= day
    assert CAL.is_workday(found)
    between = day
    while between < found:
        assert not CAL.is_workday(between)
        between += ONE
    assert CAL.workdays_between(day, found) == (1 if found > day else 0)


@FAST
@given(day=DATES)
def test_previous_workday_is_the_last_working_day_up_to_day(day: date) -> None:
    found = CAL.previous_workday(day)
    assert found <= day
    assert CAL.is_workday(found)
    between = found + ONE
    while between <= day:
        assert not CAL.is_workday(between)
        between += ONE
    assert CAL.last_workday(found, day) == found


@FAST
@given(day=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)))
def test_2026_matches_the_notice(day: date) -> None:
    assert CAL.is_workday(day) is expected_workday_2026(day)


def _stepped(calendar: WorkCalendar, day: date, count: int) -> date:
    """add_workdays counted by hand, a day at a time (what it did before it bisected)."""
    step = ONE if count >= 0 else -ONE
    remaining = abs(count)
    while remaining:
        day += step
        if calendar.is_workday(day):
            remaining -= 1
    return day


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D("2019-06-01"), max_value=D("2031-06-30")), st.integers(min_value=-2600, max_value=2600))
def test_add_workdays_matches_counting_a_day_at_a_time(day: date, count: int) -> None:
    """Across year ends, built-in, typed-in and uncovered years, forwards and backwards; and the
    same uncovered years are noted."""
    notices = {2026: Notice(frozenset({D("2026-06-15")}), frozenset({D("2026-06-13")}))}
    bisected, stepped = WorkCalendar(notices), WorkCalendar(notices)
    assert bisected.add_workdays(day, count) == _stepped(stepped, day, count)
    assert bisected.uncovered == stepped.uncovered
