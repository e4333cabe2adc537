"""Monthly and weekly nodes (节点化、清单化): each project's span cut into periods, with deadlines.

A node is one project's part of one calendar month or ISO week, clipped to the project's
span. Its deadline (节点时限) is the last working day inside it; a node with no working day
at all is a rest period. Nodes are produced period by period across the whole portfolio, so
that a large plan can be written out as it is produced.

A milestone that is overdue and not done is carried into the current period (逾期未完成):
it stays in the node of its due date and also shows, marked ``carried``, in its project's
node of the period that holds today, until it is done.

Beside a node's planned progress stands the latest reported 形象进度 (issue 9): that of the last
report dated on or before the node's end (and not after the as-of day), for nodes that have
begun by the as-of day; None for later nodes and where nothing was reported.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from heapq import heappop, heappush
from typing import Literal

from sanshi_cli.loading import Loaded
from sanshi_cli.model import Milestone, Project
from sanshi_cli.periods import ISO_DAY, Cadence, Span, parse_day, parse_month, parse_week, period_of, periods
from sanshi_cli.scheduling import forecast_dates
from sanshi_cli.status import NO_FILTERS, Filters
from sanshi_cli.workcalendar import WorkCalendar

NodeState = Literal["done", "overdue", "current", "future", "past", "rest"]


@dataclass(frozen=True, slots=True)
class NodeMilestone:
    """A milestone due inside a node (or carried into it), with its plan, forecast and done date."""

    milestone: Milestone
    due: date
    forecast: date
    owner: str
    carried: bool = False  # overdue, not done, due in an earlier period: listed again in today's

    @property
    def done(self) -> date | None:
        return self.milestone.done


@dataclass(frozen=True, slots=True)
class Target:
    """The user's own target for a period (月度目标 / 周目标)."""

    text: str
    invest_target: float | None = None


@dataclass(slots=True)
class Node:
    """One project's part of one period."""

    project: Project
    period: str
    start: date
    end: date
    deadline: date | None
    planned_progress: float
    state: NodeState
    milestones: list[NodeMilestone] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    reported_progress: float | None = None  # the latest reported 形象进度 by the node's end (see the module)

    @property
    def rest(self) -> bool:
        return self.deadline is None


WholeNode = tuple[Project, float, "list[Target] | None", "float | None"]
"""A node that is its project's whole period, without milestones (most nodes of a plan): its
project, planned progress, targets (None: none) and reported progress. The rest is its period's."""


@dataclass(slots=True)
class PeriodNodes:
    """One period's nodes, in the file's project order: a plan as written, period by period.

    The nodes that take the whole period without a milestone share its days, deadline and state,
    and come as :data:`WholeNode` tuples (renderers write them from what they share); the others
    as :class:`Node`. Iterating gives every one as a :class:`Node`.
    """

    label: str
    start: date
    end: date
    deadline: date | None  # a whole node's (a period without a working day has no whole nodes)
    state: NodeState  # a whole node's
    nodes: list[Node | WholeNode]

    def __iter__(self) -> Iterator[Node]:
        for entry in self.nodes:
            yield entry if isinstance(entry, Node) else self.node(entry)

    def node(self, whole: WholeNode) -> Node:
        """A whole node as a :class:`Node`."""
        project, progress, targets, reported = whole
        return Node(
            project, self.label, self.start, self.end, self.deadline, progress, self.state, [],
            targets if targets is not None else [], reported,
        )  # fmt: skip


class ProgressCurve:
    """Planned cumulative progress (%): piecewise linear in working days, never decreasing.

    Through (start, 0), each milestone that carries ``progress`` at its due date, and
    (finish, 100); plain linear from start to finish when no milestone carries one.

    A function of the working days after the start alone: days with the same count (a working
    day and the rest days after it) have the same progress, and where several points share a
    count (a step) the last, highest one holds. The start day counts 0 like the rest days after
    it, so a milestone due there with ``progress`` puts the start day at that progress as well.
    """

    def __init__(self, project: Project, due: dict[str, date], calendar: WorkCalendar) -> None:
        self._calendar = calendar
        self._start = project.start
        self._finish = project.finish
        points: list[tuple[int, float]] = [(0, 0.0)]
        marks = sorted(
            (min(max(due[m.id], project.start), project.finish), m.progress)
            for m in project.milestones
            if m.progress is not None and m.id in due
        )
        highest = 0.0
        for day, progress in marks:
            assert progress is not None
            highest = max(highest, min(progress, 100.0))
            points.append((calendar.workdays_between(project.start, day), highest))
        total = calendar.workdays_between(project.start, project.finish)
        points.append((max(total, points[-1][0]), 100.0))
        self._xs = [x for x, _ in points]
        self._ys = [y for _, y in points]
        self._before: dict[int, int] = {}  # per year: working days after the start and before 1 January
        self._piece = 0  # where the last day was found on the curve

    def at(self, day: date) -> float:
        """Planned progress at the end of ``day``, rounded to 0.1.

        Cheap when asked for day after day (a plan's nodes): the working days before each year
        are counted once, and the search for the curve's piece starts where the last one ended.
        """
        if day >= self._finish:
            return 100.0
        if day < self._start:
            return 0.0
        before = self._before.get(day.year)
        if before is None:
            before = self._before[day.year] = self._calendar.workdays_between(
                self._start, date(day.year - 1, 12, 31)
            ) - (self._calendar.workdays_into_year(self._start) if day.year == self._start.year else 0)
        return self.after(before + self._calendar.workdays_into_year(day))

    def after(self, count: int) -> float:
        """Planned progress ``count`` working days after the start (0: the start day), rounded to 0.1.

        What :meth:`at` gives a day from the start to before the finish with that count. Asked
        with counts that rise (a project's nodes, week after week), it mostly stays on the piece
        of the curve it found last, without a search.
        """
        xs = self._xs
        i = self._piece
        if not xs[i] <= count < xs[i + 1]:
            i = bisect_right(xs, count) - 1
            if i >= len(xs) - 1:
                return 100.0
            self._piece = i
        # xs[i] <= count < xs[i + 1]: a piece of positive length (the last of equal counts holds)
        x0, y0 = xs[i], self._ys[i]
        return round(y0 + (self._ys[i + 1] - y0) * (count - x0) / (xs[i + 1] - x0), 1)


def node_state(node: Node, as_of: date) -> NodeState:
    """done / overdue / current / future / past / rest, as of ``as_of``."""
    if node.milestones:
        if all(m.done is not None for m in node.milestones):
            return "done"
        # A node without a working day (a holiday week, or an ended project's last day carrying
        # its overdue milestones) has no deadline: it is late once it has ended.
        late = node.deadline if node.deadline is not None else node.end
        if late < as_of and any(m.done is None and m.due < as_of for m in node.milestones):
            return "overdue"
    elif node.rest:
        return "rest"
    if node.start <= as_of <= node.end:
        return "current"
    if node.start > as_of:
        return "future"
    return "past"


@dataclass(frozen=True, slots=True)
class Window:
    """Which part of the calendar to show: a date range, or every project's whole span."""

    first: date | None = None
    last: date | None = None


def default_window(as_of: date, cadence: Cadence, count: int, first: date | None, last: date | None) -> Window:
    """``--from``/``--to``; else the current period and the ``count - 1`` periods after it."""
    start = first or period_of(as_of, cadence)[1][0]
    if last is not None:
        return Window(start, last)
    end = period_of(start, cadence)[1][1]
    for _ in range(count - 1):
        end = period_of(end + timedelta(days=1), cadence)[1][1]
    return Window(start, end)


def parse_bound(text: str, *, is_end: bool) -> date | None:
    """A ``--from``/``--to`` value: a date, a month (2026-05) or an ISO week (2026-W19).

    A month or week means its first day for ``--from`` and its last day for ``--to``.
    Returns None when the text is none of these.
    """
    if ISO_DAY.fullmatch(text.strip()):
        return parse_day(text)
    span: Span | int | None = parse_month(text)
    if span is None and "w" in text.lower():
        span = parse_week(text)
    if span is None or isinstance(span, int):
        return None
    return span[1] if is_end else span[0]


class ReportedProgress:
    """A project's reported 形象进度 over time: the latest one given on or before a day."""

    def __init__(self, project: Project) -> None:
        reports = sorted((r.on, r.progress) for r in project.reports if r.progress is not None)
        self._days = [day for day, _ in reports]
        self._values = [value for _, value in reports]
        self.any = bool(reports)  # whether anything was reported at all

    def by(self, day: date) -> float | None:
        """The progress of the latest report dated on or before ``day``; None before the first."""
        i = bisect_right(self._days, day)
        return self._values[i - 1] if i else None

    def at_node(self, start: date, end: date, as_of: date) -> float | None:
        """For a node: the latest report by its end (never one after ``as_of``); None when it has not begun."""
        if start > as_of or not self._days:
            return None
        return self.by(min(end, as_of))


@dataclass(slots=True)
class _Prepared:
    """What a project's nodes need, worked out when its first node comes."""

    project: Project
    curve: ProgressCurve
    origin: int  # working days from the plan's base day to the project's start (see _nodes)
    milestones: dict[str, list[NodeMilestone]]
    targets: dict[str, list[Target]]
    carried: list[NodeMilestone]
    reported: ReportedProgress


def _prepare(
    loaded: Loaded,
    project: Project,
    cadence: Cadence,
    as_of: date,
    filters: Filters,
    base: date,
    labels: dict[date, str],
) -> _Prepared:
    """``labels``: the period label of each day asked about so far (shared by every project)."""
    calendar = loaded.calendar
    due = loaded.due[project.id]
    roll = loaded.portfolio.calendar.roll
    forecast = forecast_dates(project, due, as_of, calendar, roll, loaded.orders[project.id])
    by_period: dict[str, list[NodeMilestone]] = {}
    for milestone in project.milestones:
        owner = milestone.owner or project.responsible_unit
        if not filters.keeps_owner(owner):
            continue
        day = due[milestone.id]
        label = labels.get(day)
        if label is None:
            label = labels[day] = period_of(day, cadence)[0]
        by_period.setdefault(label, []).append(NodeMilestone(milestone, day, forecast[milestone.id], owner))
    for listed in by_period.values():
        listed.sort(key=lambda m: m.due)
    current_start = period_of(as_of, cadence)[1][0]
    carried = sorted(
        (
            NodeMilestone(m.milestone, m.due, m.forecast, m.owner, carried=True)
            for listed in by_period.values()
            for m in listed
            if m.done is None and m.due < current_start
        ),
        key=lambda m: m.due,
    )
    targets: dict[str, list[Target]] = {}
    if cadence == "monthly":
        for monthly in project.monthly:
            span = parse_month(monthly.month)
            if span is not None:
                targets.setdefault(period_of(span[0], cadence)[0], []).append(
                    Target(monthly.target, monthly.invest_target)
                )
    else:
        for weekly in project.weekly:
            week = parse_week(weekly.week)
            if not isinstance(week, int):
                targets.setdefault(period_of(week[0], cadence)[0], []).append(Target(weekly.target))
    return _Prepared(
        project,
        ProgressCurve(project, due, calendar),
        calendar.workdays_between(base, project.start),
        by_period,
        targets,
        carried,
        ReportedProgress(project),
    )


def _keeps(project: Project, filters: Filters) -> bool:
    """A project with a node in the plan: for ``--unit``, one it is responsible for or owns a milestone of."""
    if not filters.keeps_project(project):
        return False
    if not filters.units:
        return True
    units = {project.responsible_unit}
    units.update(m.owner for m in project.milestones if m.owner)
    return bool(units & filters.units)


def _carries(loaded: Loaded, project: Project, before: date, filters: Filters) -> bool:
    """Whether ``project`` has a milestone overdue and not done, due before ``before`` (for the filters)."""
    due = loaded.due[project.id]
    return any(
        m.done is None and due[m.id] < before and filters.keeps_owner(m.owner or project.responsible_unit)
        for m in project.milestones
    )


def plan_nodes(
    loaded: Loaded,
    as_of: date,
    cadence: Cadence,
    window: Window,
    *,
    filters: Filters = NO_FILTERS,
) -> Iterator[Node]:
    """Every node in ``window``, period by period, then in the file's project order.

    Produced lazily: a plan of 100,000 nodes is never held in memory at once. Every calendar
    year the plan needs is loaded before the first node, so that a year with no holiday data
    under ``strict = true`` fails before anything is written.
    """
    return (node for period in plan_periods(loaded, as_of, cadence, window, filters=filters) for node in period)


def plan_periods(
    loaded: Loaded,
    as_of: date,
    cadence: Cadence,
    window: Window,
    *,
    filters: Filters = NO_FILTERS,
) -> Iterator[PeriodNodes]:
    """The nodes of :func:`plan_nodes`, a period at a time (periods without a node left out)."""
    projects = [p for p in loaded.portfolio.projects if _keeps(p, filters)]
    if not projects:
        return iter(())
    _, (current_start, current_end) = period_of(as_of, cadence)
    # Projects with no node in today's period (ended, or not started) that have a milestone
    # still overdue: they get a node there, the whole period, to carry it.
    outside = {
        p.id
        for p in projects
        if (p.finish < current_start or p.start > current_end) and _carries(loaded, p, current_start, filters)
    }
    earliest = min(p.start for p in projects)
    latest = max(p.finish for p in projects)
    if outside:
        earliest, latest = min(earliest, current_start), max(latest, current_end)
    for year in range(earliest.year, latest.year + 1):
        loaded.calendar.is_workday(date(year, 1, 1))
    return _periods(loaded, as_of, cadence, window, filters, projects, outside, (earliest, latest))


def _periods(
    loaded: Loaded,
    as_of: date,
    cadence: Cadence,
    window: Window,
    filters: Filters,
    projects: list[Project],
    outside: set[str],
    reach_of_plan: Span,
) -> Iterator[PeriodNodes]:
    # The window picks whole periods; within them every project's node shows, whoever else
    # is selected (so the bounds are trimmed to the periods holding the earliest start and
    # the latest finish, never to a project's own days).
    first = max(window.first or date.min, period_of(reach_of_plan[0], cadence)[1][0])
    last = min(window.last or date.max, period_of(reach_of_plan[1], cadence)[1][1])
    current = period_of(as_of, cadence)[0]
    carried_into = {i for i, p in enumerate(projects) if p.id in outside}
    calendar = loaded.calendar
    ordered = sorted(range(len(projects)), key=lambda i: projects[i].start)
    arrived = 0  # projects ordered[:arrived] start by the current period's end
    live: set[int] = set()  # those that have not finished before the current period's start
    finishing: list[tuple[date, int]] = []  # the live ones by finish, to retire them in order
    prepared: dict[int, _Prepared] = {}
    deadlines: dict[Span, date | None] = {}
    labels: dict[date, str] = {}
    units = filters.units
    # Working days are counted from one base day for the whole plan (every year from it on is
    # loaded): a node's count on its project's curve is its deadline's count less its start's.
    base = date(reach_of_plan[0].year, 1, 1)
    for label, (shown, _) in periods(first, last, cadence):
        # The window picks which periods to show; a node is still the whole period, cut only by
        # its project's span, so that --to in mid-month does not move the month's deadline.
        start, end = period_of(shown, cadence)[1]
        while arrived < len(ordered) and projects[ordered[arrived]].start <= end:
            index = ordered[arrived]
            arrived += 1
            live.add(index)
            heappush(finishing, (projects[index].finish, index))
        while finishing and finishing[0][0] < start:
            index = heappop(finishing)[1]
            live.discard(index)
            prepared.pop(index, None)  # finished: free its tables
        is_current = label == current
        active = sorted(carried_into.union(live) if is_current and carried_into else live)
        # What every node of the whole period shares (most nodes: a project that started before
        # it and finishes after it, with no milestone in it): worked out once for all of them.
        # Today's period (where overdue milestones are carried) and --unit take the long way.
        whole_deadline = deadlines[start, end] = calendar.last_workday(start, end)
        whole = whole_deadline is not None and not is_current and not units
        whole_count = calendar.workdays_between(base, whole_deadline) if whole_deadline is not None else 0
        if whole_deadline is None:
            whole_state: NodeState = "rest"
        else:
            whole_state = "current" if start <= as_of <= end else "future" if start > as_of else "past"
        nodes: list[Node | WholeNode] = []
        add = nodes.append
        for index in active:
            ready = prepared.get(index)
            if ready is None:
                ready = prepared[index] = _prepare(loaded, projects[index], cadence, as_of, filters, base, labels)
            project = ready.project
            if whole and project.start <= start and end < project.finish and label not in ready.milestones:
                add(
                    (
                        project,
                        ready.curve.after(whole_count - ready.origin),
                        ready.targets.get(label),
                        ready.reported.at_node(start, end, as_of) if ready.reported.any else None,
                    )
                )
                continue
            if project.finish < start or project.start > end:  # only carried here: the whole period
                node_start, node_end = start, end
            else:
                node_start = start if start > project.start else project.start
                node_end = end if end < project.finish else project.finish
            span = (node_start, node_end)
            if span in deadlines:
                deadline = deadlines[span]
            else:
                deadline = deadlines[span] = calendar.last_workday(node_start, node_end)
            # The node holding the finish is where the plan reaches 100 %, even when no working
            # day lies after the start (a project whose only working day is its first).
            progress = 100.0 if node_end >= project.finish else ready.curve.at(deadline or node_end)
            milestones = ready.milestones.get(label, [])
            if is_current and ready.carried:
                milestones = ready.carried + milestones
            if units and not milestones and project.responsible_unit not in units:
                continue  # --unit: only nodes of its own projects, or holding a milestone it owns
            if milestones:
                state: NodeState | None = None
            elif deadline is None:
                state = "rest"
            else:  # as node_state, without a node to ask
                state = "current" if node_start <= as_of <= node_end else "future" if node_start > as_of else "past"
            node = Node(
                project,
                label,
                node_start,
                node_end,
                deadline,
                progress,
                state or "future",
                milestones,
                ready.targets.get(label, []),
                ready.reported.at_node(node_start, node_end, as_of) if ready.reported.any else None,
            )
            if state is None:
                node.state = node_state(node, as_of)
            add(node)
        if nodes:
            yield PeriodNodes(label, start, end, whole_deadline, whole_state, nodes)
        if is_current:
            for index in [i for i in prepared if i in carried_into and projects[i].finish <= end]:
                del prepared[index]  # carried only into this period: free their tables
