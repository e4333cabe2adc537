"""Calendar months and ISO weeks as closed date ranges ``(first, last)``.

Labels are ``2026-05`` for a month and ``2026-W19`` for an ISO week (Monday to Sunday).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal

Cadence = Literal["weekly", "monthly"]
Span = tuple[date, date]

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


def parse_day(text: str) -> date | None:
    """``2026-05-04`` → that day; None for anything else, and for the other forms
    ``date.fromisoformat`` reads ("2026-W19" as its Monday, "20260504")."""
    found = ISO_DAY.fullmatch(text.strip())
    if found is None:
        return None
    try:
        return date.fromisoformat(found.group(0))
    except ValueError:
        return None


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last."""
    return date(year, 12, 28).isocalendar().week


def month_span(year: int, month: int) -> Span:
    first = date(year, month, 1)
    if month == 12:
        return first, date(year, 12, 31)
    return first, date(year, month + 1, 1) - timedelta(days=1)


def week_span(year: int, week: int) -> Span:
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def parse_month(text: str) -> Span | None:
    """``2026-07`` → its first and last day; None when it is no month."""
    found = _MONTH.fullmatch(text.strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or year < 1:
        return None
    return month_span(year, month)


def parse_week(text: str) -> Span | int:
    """``2026-W28`` → its Monday and Sunday; when it is no week, the year's number of weeks."""
    found = _WEEK.fullmatch(text.strip())
    year = int(found.group(1)) if found else 0
    if not found or not 1 <= year <= 9998:
        return 52
    week = int(found.group(2))
    last = weeks_in_year(year)
    if not 1 <= week <= last:
        return last
    return week_span(year, week)


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def week_label(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def period_of(day: date, cadence: Cadence) -> tuple[str, Span]:
    """The label and span of the month or ISO week that holds ``day``."""
    if cadence == "monthly":
        return month_label(day), month_span(day.year, day.month)
    iso = day.isocalendar()
    return week_label(day), week_span(iso.year, iso.week)


def periods(first: date, last: date, cadence: Cadence) -> Iterator[tuple[str, Span]]:
    """Every period touching ``first..last``, clipped to it, in order; they tile the range."""
    day = first
    while day <= last:
        label, (start, end) = period_of(day, cadence)
        yield label, (max(start, first), min(end, last))
        day = end + timedelta(days=1)
