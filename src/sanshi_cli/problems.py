"""问题清单: each problem as of a day, from raised to closed off (销号). Pure: today is a parameter.

A problem's history is in the file: ``raised``, ``due``, ``solved``, ``closed``, and dated
``updates``, ``extensions`` and ``reopenings``. Anything dated after the as-of day is ignored,
so a past month's list can be reproduced exactly.

- **Lifecycle** (derived, never typed): ``open`` (not solved), ``solved`` (solved, not closed;
  待销号 once more than ``verify_within_days`` working days have passed since ``solved``),
  ``closed``. A reopening dated after the as-of day means the problem still had the solved and
  closed dates the reopening keeps.
- **Deadline**: the ``due`` of the last extension dated on or before the as-of day, else ``due``.
  An extension is *late* when it was asked for after the deadline it replaces; the *timely*
  deadline (what the ranking judges) ignores late extensions.
- **Escalation** of an open problem: 1 + the number of ``escalate_after_days`` thresholds that the
  calendar days past its deadline reach; 1 for one not overdue, solved or closed.
- **Level**: an open problem is blue when its deadline is at most ``remind_workdays`` working
  days away, yellow when overdue 1 to ``red_after_days`` days, red beyond; a problem awaiting
  verification (待销号) is blue. Anything else has no level (None): it needs no attention.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sanshi_cli.loading import Loaded
from sanshi_cli.model import Extension, ProblemEntry, ProblemUpdate, Project
from sanshi_cli.status import NO_FILTERS, Filters, Level

Lifecycle = Literal["open", "solved", "closed"]
# What a listed problem is: the lifecycle, refined where it needs someone.
ProblemState = Literal["overdue", "due_soon", "open", "awaiting_verification", "solved", "closed"]
LIFECYCLES: tuple[Lifecycle, ...] = ("open", "solved", "closed")


@dataclass(frozen=True)
class ProblemView:
    """One problem of one project as of a day."""

    project: Project
    entry: ProblemEntry
    owner: str  # unit id: the problem's owner, else the project's responsible unit
    leader: str  # person id: the problem's leader, else the project's leader
    deadline: date  # effective: the last extension on or before the as-of day, else `due`
    timely_deadline: date  # the last deadline set in time (late extensions ignored)
    late_extension: bool  # an extension (on or before the as-of day) was asked for after its deadline
    extensions: tuple[Extension, ...]  # those dated on or before the as-of day
    solved: date | None  # as of the day (a later date, or one a later reopening keeps, is ignored)
    closed: date | None
    reopened: int  # reopenings dated on or before the as-of day
    lifecycle: Lifecycle
    state: ProblemState
    level: Level | None  # None: nothing to chase
    days_overdue: int  # calendar days past the deadline while open; 0 otherwise
    workdays_left: int  # working days from the as-of day to the deadline while open and not overdue
    escalation: int  # 1, 2 or 3
    last_update: ProblemUpdate | None  # the latest note on or before the as-of day

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def text(self) -> str:
        return self.entry.text

    @property
    def category(self) -> str | None:
        return self.entry.category

    @property
    def raised(self) -> date:
        return self.entry.raised

    @property
    def awaiting_verification(self) -> bool:
        """待销号: solved, not closed, for longer than ``verify_within_days`` working days."""
        return self.state == "awaiting_verification"

    @property
    def solved_in_time(self) -> bool | None:
        """Solved on or before its timely deadline; None while not solved."""
        return None if self.solved is None else self.solved <= self.timely_deadline


def problem_as_of(project: Project, entry: ProblemEntry, loaded: Loaded, as_of: date) -> ProblemView | None:
    """``entry`` as of ``as_of``; None when it was raised later (it did not exist yet)."""
    if entry.raised > as_of:
        return None
    portfolio = loaded.portfolio
    calendar = loaded.calendar
    config = portfolio.problems
    alerts = portfolio.alerts

    extensions = tuple(e for e in entry.extensions if e.on <= as_of)
    deadline = timely = entry.due
    late = False
    for extension in extensions:
        if extension.on > deadline:
            late = True
        else:
            timely = extension.due
        deadline = extension.due

    # A reopening dated after the as-of day had not happened: the dates it keeps still held.
    later = [r for r in entry.reopenings if r.on > as_of]
    solved, closed = (later[0].solved, later[0].closed) if later else (entry.solved, entry.closed)
    solved = solved if solved is not None and solved <= as_of else None
    closed = closed if closed is not None and closed <= as_of else None
    reopened = sum(1 for r in entry.reopenings if r.on <= as_of)

    days_overdue = workdays_left = 0
    escalation = 1
    level: Level | None = None
    lifecycle: Lifecycle
    state: ProblemState
    if closed is not None:
        lifecycle = state = "closed"
    elif solved is not None:
        lifecycle = state = "solved"
        if calendar.workdays_between(solved, as_of) > config.verify_within_days:
            state, level = "awaiting_verification", "blue"
    else:
        lifecycle = state = "open"
        if deadline < as_of:
            days_overdue = (as_of - deadline).days
            escalation = 1 + sum(1 for days in config.escalate_after_days if days_overdue >= days)
            state = "overdue"
            level = "red" if days_overdue > alerts.red_after_days else "yellow"
        else:
            workdays_left = calendar.workdays_between(as_of, deadline)
            if workdays_left <= alerts.remind_workdays:
                state, level = "due_soon", "blue"

    notes = [u for u in entry.updates if u.on <= as_of]
    return ProblemView(
        project=project,
        entry=entry,
        owner=entry.owner or project.responsible_unit,
        leader=entry.leader or project.leader,
        deadline=deadline,
        timely_deadline=timely,
        late_extension=late,
        extensions=extensions,
        solved=solved,
        closed=closed,
        reopened=reopened,
        lifecycle=lifecycle,
        state=state,
        level=level,
        days_overdue=days_overdue,
        workdays_left=workdays_left,
        escalation=escalation,
        last_update=max(notes, key=lambda u: u.on) if notes else None,
    )


def problems_as_of(loaded: Loaded, as_of: date, *, filters: Filters = NO_FILTERS) -> Iterator[ProblemView]:
    """Every problem raised by ``as_of``, in the file's order, kept by ``filters``: ``--unit`` is
    the problem's owner and ``--leader`` its own leader (the project's only where it names none)."""
    for project in loaded.portfolio.projects:
        if not project.problems or not filters.keeps_project_id(project.id):
            continue
        for entry in project.problems:
            view = problem_as_of(project, entry, loaded, as_of)
            if view is not None and filters.keeps_owner(view.owner) and filters.keeps_leader(view.leader):
                yield view
