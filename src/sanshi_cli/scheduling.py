"""Due dates and forecasts: relative milestones (倒排工期) and how a slip propagates.

A milestone's planned due date is either written down (``due``) or counted from another
milestone's planned due date (``after`` + ``offset``). Its forecast starts from the plan and
moves only later: to today when it is overdue, and to whatever its anchor's or dependencies'
forecasts push it to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta

from sanshi_cli.model import Milestone, Project, Roll
from sanshi_cli.workcalendar import WorkCalendar

OffsetUnit = Literal["wd", "d", "w", "m"]
_OFFSET = re.compile(r"([+-]?[0-9]{1,5})(wd|d|w|m)")
# The longest offset accepted, per unit: about ten years, longer than any construction plan.
OFFSET_LIMITS: dict[str, int] = {"wd": 2600, "d": 3660, "w": 520, "m": 120}
# Dates a plan may hold. Nothing is counted from a date outside them, so that a long chain of
# offsets (each up to ten years) stops there instead of running past year 9999.
EARLIEST, LATEST = date(1990, 1, 1), date(2199, 12, 31)


@dataclass(frozen=True, slots=True)
class Offset:
    """``10wd`` working days, ``15d`` calendar days, ``2w`` weeks or ``3m`` months; may be negative."""

    amount: int
    unit: OffsetUnit

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


def parse_offset(text: str) -> Offset | None:
    """The offset written as ``text``, or None when it is not one (or longer than ten years)."""
    try:
        return _PARSED[text]  # a portfolio writes the same few offsets thousands of times
    except KeyError:
        pass
    found = _OFFSET.fullmatch(text.strip().lower())
    offset = None
    if found is not None:
        unit: OffsetUnit = found.group(2)  # type: ignore[assignment]
        amount = int(found.group(1))
        if abs(amount) <= OFFSET_LIMITS[unit]:
            offset = Offset(amount, unit)
    if len(_PARSED) < 4096:
        _PARSED[text] = offset
    return offset


_PARSED: dict[str, Offset | None] = {}  # Offset is frozen: one shared per text


def apply_offset(anchor: date, offset: Offset, calendar: WorkCalendar, roll: Roll) -> date:
    """Count ``offset`` from ``anchor`` (the anchor day itself is not counted), then roll.

    ``Nm`` keeps the day of month, clamped to the month's end (01-31 + 1m = 02-28).
    """
    if offset.unit == "wd":
        day = calendar.add_workdays(anchor, offset.amount)
    elif offset.unit == "d":
        day = anchor + timedelta(days=offset.amount)
    elif offset.unit == "w":
        day = anchor + timedelta(weeks=offset.amount)
    else:
        day = anchor + relativedelta(months=offset.amount)
    if roll == "next_workday":
        return calendar.next_workday(day)
    if roll == "prev_workday":
        return calendar.previous_workday(day)
    return day


def prerequisites(milestone: Milestone) -> list[str]:
    """Ids this milestone waits for: its anchor, then its dependencies (itself never: that is
    reported as a self-reference, not as a cycle)."""
    ids = [milestone.after] if milestone.after and milestone.after != milestone.id else []
    ids.extend(d for d in milestone.depends if d != milestone.after and d != milestone.id)
    return ids


def topological_order(milestones: Sequence[Milestone]) -> tuple[list[Milestone], list[str]]:
    """Milestones with every prerequisite before its dependents, and a cycle if there is one.

    Unknown ids are ignored here (loading reports them). The cycle is returned as a list of ids
    whose last element repeats the first; it is empty when there is none.
    """
    by_id = {m.id: m for m in milestones}
    # The common case: every prerequisite is written above its dependent; keep file order.
    seen: set[str] = set()
    for milestone in milestones:
        after = milestone.after
        if after is not None and after in by_id and after not in seen:
            break
        if milestone.depends and any(d in by_id and d not in seen for d in milestone.depends):
            break
        seen.add(milestone.id)
    else:
        return list(milestones), []
    order: list[Milestone] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done
    for root in milestones:
        if state.get(root.id):
            continue
        stack: list[tuple[Milestone, int]] = [(root, 0)]
        path: list[str] = [root.id]
        state[root.id] = 1
        while stack:
            node, index = stack[-1]
            needs = [i for i in prerequisites(node) if i in by_id]
            if index < len(needs):
                stack[-1] = (node, index + 1)
                nxt = needs[index]
                mark = state.get(nxt)
                if mark == 1:
                    return order, path[path.index(nxt) :] + [nxt]
                if mark is None:
                    state[nxt] = 1
                    stack.append((by_id[nxt], 0))
                    path.append(nxt)
            else:
                stack.pop()
                path.pop()
                state[node.id] = 2
                order.append(node)
    return order, []


def schedule_order(project: Project) -> tuple[list[Milestone], list[str]]:
    """The milestones with every prerequisite before its dependents (file order when unlinked),
    and a cycle among them if there is one (see :func:`topological_order`)."""
    if not any(m.after or m.depends for m in project.milestones):
        return project.milestones, []
    return topological_order(project.milestones)


def resolve_due_dates(
    project: Project, calendar: WorkCalendar, default_roll: Roll, order: Sequence[Milestone] | None = None
) -> dict[str, date]:
    """Every milestone's planned due date, relative ones counted from their anchor's plan.

    ``order`` is :func:`schedule_order` of the project, when the caller has it already.
    """
    due: dict[str, date] = {}
    plain = True
    for milestone in project.milestones:
        if milestone.due is not None:
            due[milestone.id] = milestone.due
        else:
            plain = False
    if plain:
        return due
    for milestone in schedule_order(project)[0] if order is None else order:
        if milestone.id in due or milestone.after is None or milestone.offset is None:
            continue
        offset = parse_offset(milestone.offset)
        anchor = due.get(milestone.after)
        if offset is None or anchor is None or not EARLIEST <= anchor <= LATEST:
            continue  # loading reports the anchor (and a milestone left without a date)
        due[milestone.id] = apply_offset(anchor, offset, calendar, milestone.roll or default_roll)
    return due


def forecast_dates(
    project: Project,
    due: dict[str, date],
    as_of: date,
    calendar: WorkCalendar,
    default_roll: Roll,
    order: Sequence[Milestone] | None = None,
) -> dict[str, date]:
    """Each milestone's forecast as of ``as_of``: never before its plan while it is not done.

    A done milestone's forecast is its done date. A not-done one's is the latest of its plan,
    ``as_of`` when it is overdue, the date counted from its anchor's forecast, and the
    forecasts of its dependencies. ``due`` is :func:`resolve_due_dates` of the project with the
    same calendar and ``default_roll``.
    """
    forecast: dict[str, date] = {}
    for milestone in schedule_order(project)[0] if order is None else order:
        if milestone.done is not None:
            forecast[milestone.id] = milestone.done
            continue
        planned = due.get(milestone.id)
        if planned is None:
            continue
        best = max(planned, as_of)
        after = milestone.after
        if after and milestone.offset and after in forecast:
            anchor = forecast[after]
            # An anchor that keeps its plan gives this milestone its plan again (as
            # resolve_due_dates counted it), which ``best`` already is or passes.
            if (milestone.due is not None or anchor != due.get(after)) and EARLIEST <= anchor <= LATEST:
                offset = parse_offset(milestone.offset)
                if offset is not None:
                    best = max(best, apply_offset(anchor, offset, calendar, milestone.roll or default_roll))
        for other in milestone.depends:
            if other in forecast:
                best = max(best, forecast[other])
        forecast[milestone.id] = best
    return forecast
