"""Calendar months and ISO weeks as closed date ranges.

ISO facts used below, counted by hand: 2026-01-01 is a Thursday, so 2026-W01 starts on Monday
2025-12-29 and 2026 has 53 ISO weeks (a year has 53 exactly when 1 January is a Thursday, or a
Wednesday in a leap year). 2027-01-01 is a Friday: it still belongs to 2026-W53, and 2027 has 52.
"""

from __future__ import annotations

import calendar as pycalendar
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshi_cli.periods import (
    month_label,
    month_span,
    parse_month,
    parse_week,
    period_of,
    periods,
    week_label,
    week_span,
    weeks_in_year,
)

D = date.fromisoformat
ONE = timedelta(days=1)
FAST = settings(max_examples=200, deadline=None)


def has_53_weeks(year: int) -> bool:
    """Oracle, from the weekday of 1 January (not from isocalendar)."""
    jan1 = date(year, 1, 1).weekday()  # Monday = 0
    return jan1 == 3 or (jan1 == 2 and pycalendar.isleap(year))


# -- month_span / parse_month -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "first", "last"),
    [
        (2026, 1, "2026-01-01", "2026-01-31"),
        (2026, 2, "2026-02-01", "2026-02-28"),
        (2024, 2, "2024-02-01", "2024-02-29"),
        (2000, 2, "2000-02-01", "2000-02-29"),  # divisible by 400: leap
        (2100, 2, "2100-02-01", "2100-02-28"),  # divisible by 100: not leap
        (2026, 4, "2026-04-01", "2026-04-30"),
        (2026, 11, "2026-11-01", "2026-11-30"),
        (2026, 12, "2026-12-01", "2026-12-31"),
    ],
)
def test_month_span(year: int, month: int, first: str, last: str) -> None:
    assert month_span(year, month) == (D(first), D(last))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-07", "2026-07-01", "2026-07-31"),
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("2026-12", "2026-12-01", "2026-12-31"),
        (" 2026-07 ", "2026-07-01", "2026-07-31"),  # surrounding blanks are ignored
        ("2026-7", "2026-07-01", "2026-07-31"),  # a one-digit month is accepted
        ("0001-01", "0001-01-01", "0001-01-31"),
    ],
)
def test_parse_month_valid(text: str, first: str, last: str) -> None:
    assert parse_month(text) == (D(first), D(last))


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026-00",
        "26-07",
        "2026/07",
        "202607",
        "2026-07-01",
        "2026-007",
        "0000-01",
        "2026-W28",
        "July 2026",
        "2026年7月",
        "",
        " ",
    ],
)
def test_parse_month_invalid(text: str) -> None:
    assert parse_month(text) is None


def test_parse_month_of_the_last_representable_month() -> None:
    assert parse_month("9999-12") in (None, (date(9999, 12, 1), date(9999, 12, 31)))


# -- weeks_in_year / week_span / parse_week -----------------------------------------------------


@pytest.mark.parametrize(
    ("year", "weeks"),
    [
        (2015, 53),  # Thursday
        (2020, 53),  # Wednesday, leap
        (2021, 52),
        (2024, 52),  # Monday, leap
        (2025, 52),
        (2026, 53),  # Thursday
        (2027, 52),
        (2032, 53),  # Thursday, leap
        (2037, 53),
    ],
)
def test_weeks_in_year(year: int, weeks: int) -> None:
    assert weeks_in_year(year) == weeks


@FAST
@given(st.integers(min_value=1, max_value=9998))
def test_weeks_in_year_property(year: int) -> None:
    assert weeks_in_year(year) == (53 if has_53_weeks(year) else 52)


@pytest.mark.parametrize(
    ("year", "week", "monday", "sunday"),
    [
        (2026, 1, "2025-12-29", "2026-01-04"),
        (2026, 19, "2026-05-04", "2026-05-10"),
        (2026, 28, "2026-07-06", "2026-07-12"),
        (2026, 53, "2026-12-28", "2027-01-03"),
        (2027, 1, "2027-01-04", "2027-01-10"),
        (2027, 52, "2027-12-27", "2028-01-02"),
        (2025, 1, "2024-12-30", "2025-01-05"),
    ],
)
def test_week_span(year: int, week: int, monday: str, sunday: str) -> None:
    assert week_span(year, week) == (D(monday), D(sunday))


@pytest.mark.parametrize(
    ("text", "monday", "sunday"),
    [
        ("2026-W28", "2026-07-06", "2026-07-12"),
        ("2026-w28", "2026-07-06", "2026-07-12"),  # case-insensitive
        ("2026W28", "2026-07-06", "2026-07-12"),  # the hyphen is optional
        (" 2026-W28 ", "2026-07-06", "2026-07-12"),
        ("2026-W1", "2025-12-29", "2026-01-04"),  # one-digit week accepted
        ("2026-W01", "2025-12-29", "2026-01-04"),
        ("2026-W53", "2026-12-28", "2027-01-03"),  # 2026 has 53 weeks
        ("2020-W53", "2020-12-28", "2021-01-03"),
        ("2027-W52", "2027-12-27", "2028-01-02"),
    ],
)
def test_parse_week_valid(text: str, monday: str, sunday: str) -> None:
    assert parse_week(text) == (D(monday), D(sunday))


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        # an out-of-range week returns that year's number of weeks (for the error message)
        ("2026-W54", 53),
        ("2026-W00", 53),
        ("2027-W53", 52),
        ("2027-W00", 52),
        ("2025-W53", 52),
        ("2020-W54", 53),
        # text that is no week at all returns 52
        ("2026-W123", 52),
        ("26-W28", 52),
        ("2026-28", 52),
        ("2026-07", 52),
        ("W28", 52),
        ("0000-W01", 52),
        ("", 52),
    ],
)
def test_parse_week_invalid(text: str, weeks: int) -> None:
    assert parse_week(text) == weeks


# -- labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label"),
    [
        ("2026-12-31", "2026-W53"),
        ("2027-01-01", "2026-W53"),  # Friday: still 2026's last week
        ("2027-01-03", "2026-W53"),
        ("2027-01-04", "2027-W01"),
        ("2025-12-29", "2026-W01"),  # Monday of 2026-W01, still in 2025
        ("2025-12-28", "2025-W52"),
        ("2026-01-01", "2026-W01"),
        ("2026-05-09", "2026-W19"),
        ("2026-07-06", "2026-W28"),
        ("2024-12-30", "2025-W01"),
    ],
)
def test_week_label(day: str, label: str) -> None:
    assert week_label(D(day)) == label


@pytest.mark.parametrize(
    ("day", "label"),
    [("2026-01-01", "2026-01"), ("2026-12-31", "2026-12"), ("0987-03-04", "0987-03")],
)
def test_month_label(day: str, label: str) -> None:
    assert month_label(D(day)) == label


@pytest.mark.parametrize(
    ("day", "cadence", "label", "first", "last"),
    [
        ("2026-05-09", "monthly", "2026-05", "2026-05-01", "2026-05-31"),
        ("2026-05-09", "weekly", "2026-W19", "2026-05-04", "2026-05-10"),
        ("2027-01-01", "weekly", "2026-W53", "2026-12-28", "2027-01-03"),
        ("2027-01-01", "monthly", "2027-01", "2027-01-01", "2027-01-31"),
        ("2025-12-30", "weekly", "2026-W01", "2025-12-29", "2026-01-04"),
    ],
)
def test_period_of(day: str, cadence: str, label: str, first: str, last: str) -> None:
    assert period_of(D(day), cadence) == (label, (D(first), D(last)))  # type: ignore[arg-type]


@FAST
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_labels_parse_back_to_a_span_holding_the_day(day: date) -> None:
    first, last = parse_month(month_label(day))  # type: ignore[misc]
    assert first <= day <= last and first.day == 1 and (last + ONE).day == 1
    week = parse_week(week_label(day))
    assert not isinstance(week, int)
    monday, sunday = week
    assert monday <= day <= sunday
    assert monday.weekday() == 0 and sunday - monday == timedelta(days=6)


# -- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "cadence", "expected"),
    [
        (
            "2026-05-15",
            "2026-07-10",
            "monthly",
            [
                ("2026-05", "2026-05-15", "2026-05-31"),
                ("2026-06", "2026-06-01", "2026-06-30"),
                ("2026-07", "2026-07-01", "2026-07-10"),
            ],
        ),
        (
            "2026-12-30",
            "2027-01-06",
            "weekly",
            [("2026-W53", "2026-12-30", "2027-01-03"), ("2027-W01", "2027-01-04", "2027-01-06")],
        ),
        (
            "2026-12-30",
            "2027-01-06",
            "monthly",
            [("2026-12", "2026-12-30", "2026-12-31"), ("2027-01", "2027-01-01", "2027-01-06")],
        ),
        (
            "2026-05-04",
            "2026-05-17",
            "weekly",
            [("2026-W19", "2026-05-04", "2026-05-10"), ("2026-W20", "2026-05-11", "2026-05-17")],
        ),
        ("2026-05-09", "2026-05-09", "weekly", [("2026-W19", "2026-05-09", "2026-05-09")]),
        ("2026-02-01", "2026-02-28", "monthly", [("2026-02", "2026-02-01", "2026-02-28")]),
        ("2026-05-10", "2026-05-09", "weekly", []),  # empty range
        ("2026-05-10", "2026-05-09", "monthly", []),
    ],
)
def test_periods_clip_to_the_range(first: str, last: str, cadence: str, expected: list[tuple[str, str, str]]) -> None:
    got = list(periods(D(first), D(last), cadence))  # type: ignore[arg-type]
    assert got == [(label, (D(a), D(b))) for label, a, b in expected]


def test_a_whole_year_of_weeks() -> None:
    got = list(periods(D("2025-12-29"), D("2027-01-03"), "weekly"))
    assert len(got) == 53
    assert got[0][0] == "2026-W01" and got[-1][0] == "2026-W53"
    got = list(periods(D("2026-01-01"), D("2026-12-31"), "monthly"))
    assert [label for label, _ in got] == [f"2026-{m:02d}" for m in range(1, 13)]


@FAST
@given(
    first=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=800),
    cadence=st.sampled_from(["weekly", "monthly"]),
)
def test_periods_tile_the_range(first: date, length: int, cadence: str) -> None:
    last = first + timedelta(days=length)
    got = list(periods(first, last, cadence))  # type: ignore[arg-type]
    assert got, "a non-empty range has at least one period"
    assert got[0][1][0] == first
    assert got[-1][1][1] == last
    labels = [label for label, _ in got]
    assert len(set(labels)) == len(labels)
    for (_, (_, end)), (_, (start, _)) in itertools.pairwise(got):
        assert start == end + ONE  # no gap, no overlap
    for label, (start, end) in got:
        assert start <= end
        if cadence == "monthly":
            assert (start.year, start.month) == (end.year, end.month)
            assert label == month_label(start)
            assert start.day == 1 or start == first
            assert (end + ONE).day == 1 or end == last
        else:
            assert start.isocalendar()[:2] == end.isocalendar()[:2]
            assert label == week_label(start)
            assert start.weekday() == 0 or start == first
            assert end.weekday() == 6 or end == last
    days = sum((end - start).days + 1 for _, (start, end) in got)
    assert days == length + 1
