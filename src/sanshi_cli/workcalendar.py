"""The PRC working calendar: weekends, statutory holidays and make-up working days (调休).

Built-in data comes from the ``chinesecalendar`` package; a year typed into the project file
(``[calendar.years.YYYY]``) replaces that year's built-in data entirely. A year that neither
covers counts Monday to Friday as working days and is remembered in :attr:`uncovered`, so
that the CLI can warn about it (or, under ``strict``, it is an error).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sanshi_cli.errors import CalendarError, Problem

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Notice:
    """One year's holiday notice: weekday rest days and weekend make-up working days."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


class _Year:
    __slots__ = ("start", "flags", "before")

    def __init__(self, first: date, flags: bytearray) -> None:
        self.start = first.toordinal()  # flags[i] is the day start + i
        self.flags = flags
        # before[i]: working days among the first i days of the year
        before = array("i", [0])
        total = 0
        for flag in flags:
            total += flag
            before.append(total)
        self.before = before


def builtin_covers(year: int) -> bool:
    """Whether the ``chinesecalendar`` package has this year's official data."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Working-day arithmetic on the PRC calendar. Years are loaded lazily and cached."""

    def __init__(self, notices: Mapping[int, Notice] | None = None, *, strict: bool = False) -> None:
        self._notices = dict(notices or {})
        self._strict = strict
        self._years: dict[int, _Year] = {}
        self.uncovered: set[int] = set()

    # -- data ---------------------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        first = date(year, 1, 1)
        days = (date(year + 1, 1, 1) - first).days
        notice = self._notices.get(year)
        if notice is not None:
            flags = _weekday_flags(first, days)
            for day in notice.holidays:
                flags[(day - first).days] = 0
            for day in notice.workdays:
                flags[(day - first).days] = 1
        elif builtin_covers(year):
            import chinese_calendar

            flags = bytearray(chinese_calendar.is_workday(first + timedelta(days=i)) for i in range(days))
        else:
            if self._strict:
                raise CalendarError([Problem("uncovered_year_strict", {"year": year})])
            self.uncovered.add(year)
            flags = _weekday_flags(first, days)
        made = _Year(first, flags)
        self._years[year] = made
        return made

    def covers(self, year: int) -> bool:
        """Whether this year has real holiday data (typed in, or built in)."""
        return year in self._notices or builtin_covers(year)

    # -- questions ----------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        year = self._years.get(day.year) or self._year(day.year)
        return bool(year.flags[day.toordinal() - year.start])

    def workdays_between(self, start: date, end: date) -> int:
        """Working days ``d`` with ``start < d <= end`` (0 when ``end <= start``)."""
        if end <= start:
            return 0
        years = self._years
        last = years.get(end.year) or self._year(end.year)
        first = years.get(start.year) or self._year(start.year)
        total = last.before[end.toordinal() - last.start + 1] - first.before[start.toordinal() - first.start + 1]
        for year in range(start.year, end.year):
            total += self._year(year).before[-1]
        return total

    def workdays_into_year(self, day: date) -> int:
        """Working days from 1 January of ``day``'s year to ``day``, both included."""
        year = self._years.get(day.year) or self._year(day.year)
        return year.before[day.toordinal() - year.start + 1]

    def add_workdays(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (before it when negative); day itself not counted.

        Found by bisecting each year's running count of working days, a year at a time (the
        same years are loaded as by stepping a day at a time, and in the same order).
        """
        remaining = abs(count)
        if not remaining:
            return day
        years = self._years
        if count > 0:
            begin = day.toordinal() + 1  # the first day that may count
            while True:
                start = date.fromordinal(begin)
                year = years.get(start.year) or self._year(start.year)
                before = year.before
                i = begin - year.start
                if before[-1] - before[i] >= remaining:
                    # the first m with before[m] == before[i] + remaining: day m - 1 is the answer
                    return date.fromordinal(year.start + bisect_left(before, before[i] + remaining, i) - 1)
                remaining -= before[-1] - before[i]
                begin = year.start + len(year.flags)
        end = day.toordinal()  # the first day that may not count
        while True:
            last = date.fromordinal(end - 1)
            year = years.get(last.year) or self._year(last.year)
            before = year.before
            i = end - year.start
            if before[i] >= remaining:
                # the last m with before[m] == before[i] - remaining: day m is a working day
                return date.fromordinal(year.start + bisect_right(before, before[i] - remaining, 0, i + 1) - 1)
            remaining -= before[i]
            end = year.start

    def next_workday(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += _ONE_DAY
        return day

    def previous_workday(self, day: date) -> date:
        """``day`` itself when it is a working day, else the last working day before it."""
        while not self.is_workday(day):
            day -= _ONE_DAY
        return day

    def last_workday(self, first: date, last: date) -> date | None:
        """The last working day in ``first..last`` inclusive, or None for a rest period."""
        day = last
        while day >= first:
            if self.is_workday(day):
                return day
            day -= _ONE_DAY
        return None

    def workdays(self, first: date, last: date) -> Iterable[date]:
        """Every working day in ``first..last`` inclusive."""
        day = first
        while day <= last:
            if self.is_workday(day):
                yield day
            day += _ONE_DAY


def _weekday_flags(first: date, days: int) -> bytearray:
    start = first.weekday()
    return bytearray(1 if (start + i) % 7 < 5 else 0 for i in range(days))
