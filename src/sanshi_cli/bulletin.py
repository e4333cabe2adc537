"""The bulletin (月通报 / 周调度): the data of its sections for one month or ISO week. Pure: today is a parameter.

Everything is judged as of the period's last day, from the file alone: a milestone delivered
after that day was still open, a report dated later did not exist, and the problems' dated
history (:func:`sanshi_cli.problems.problem_as_of`) gives their state then. So a past period's
bulletin is reproducible. The previous period is judged the same way at its own last day, for
the changes (section 2).

The sections (the JSON's top-level keys, :func:`bulletin_json`):

1. ``overview`` 总体情况; 2. ``changes`` 变化; 3. ``red_yellow`` 红黄灯清单; 4. ``nodes`` 节点完成情况;
5. ``pace`` 序时进度; 6. ``problems`` 问题清单; 7. ``ranking`` 单位排名 (比学赶超, scored by
:mod:`sanshi_cli.ranking` on the whole file, before any filter); 8. ``next_steps`` 下步工作.

The timeline (:class:`TimelineRow`, the HTML's Gantt chart) is not a section and not in the JSON:
the same dates are in ``nodes`` and ``next_steps``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sanshi_cli.errors import Problem, UsageError
from sanshi_cli.i18n import one_line
from sanshi_cli.loading import Loaded
from sanshi_cli.model import Milestone, Project, TimeBasis
from sanshi_cli.periods import Cadence, parse_month, parse_week, period_of
from sanshi_cli.planning import Window, plan_periods
from sanshi_cli.problems import ProblemView, problems_as_of
from sanshi_cli.progress import ProgressRow, one_decimal, progress_rows, time_progress
from sanshi_cli.ranking import METRICS, Ranking, UnitRank, rank_units, ranking_record
from sanshi_cli.scheduling import forecast_dates
from sanshi_cli.status import NO_FILTERS, Filters, Item, find_items, milestone_items

Outcome = Literal["on_time", "late", "open"]  # 按期交账 / 逾期交账 / 未完成
Pace = Literal["on_pace", "behind", "no_report"]  # 按序时 / 慢序时 / 未填报
# A milestone's state on the Gantt chart (the HTML's data-state), as of the period's end.
Marker = Literal["done", "done-late", "overdue", "at-risk", "upcoming"]
# The top-level keys of the JSON, in order: the period, then one per section.
SECTIONS = ("period", "overview", "changes", "red_yellow", "nodes", "pace", "problems", "ranking", "next_steps")
WAN_PER_YI = 10000.0  # 万元 in one 亿元


# -- the period -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar month (``2026-11``) or ISO week (``2026-W48``), first and last day included."""

    label: str
    cadence: Cadence
    start: date
    end: date

    def previous(self) -> Period:
        return period_containing(self.start - timedelta(days=1), self.cadence)

    def next(self) -> Period:
        return period_containing(self.end + timedelta(days=1), self.cadence)


def period_containing(day: date, cadence: Cadence) -> Period:
    label, (start, end) = period_of(day, cadence)
    return Period(label, cadence, start, end)


def last_completed(today: date, cadence: Cadence) -> Period:
    """The last month (or ISO week) completed by ``today``: today's own when today is its last day."""
    current = period_containing(today, cadence)
    return current if today == current.end else current.previous()


def resolve_period(today: date, *, month: str | None = None, week: str | None = None, weekly: bool = False) -> Period:
    """``--month``, ``--week``, else the last month (``--weekly``: ISO week) completed by ``today``.

    A bad month or week, or both given, is a usage error.
    """
    if month is not None and week is not None:
        raise UsageError([Problem("bulletin_month_and_week", {})])
    if month is not None and weekly:
        raise UsageError([Problem("bulletin_weekly_and_month", {})])
    if month is not None:
        span = parse_month(month)
        if span is None:
            raise UsageError([Problem("bad_month", {"value": one_line(month)})])
        return period_containing(span[0], "monthly")
    if week is not None:
        found = parse_week(week)
        if isinstance(found, int):
            raise UsageError([Problem("bad_week", {"value": one_line(week), "max": found})])
        return period_containing(found[0], "weekly")
    return last_completed(today, "weekly" if weekly else "monthly")


# -- the file as it stood on a day ----------------------------------------------------------------


def as_it_stood(loaded: Loaded, day: date) -> Loaded:
    """``loaded`` as of the end of ``day``: milestones delivered later are not done yet.

    Reports and problems are already read by date (progress and problems ignore later ones);
    only the projects with a later ``done`` are copied, so a current file costs nothing.
    """
    projects = loaded.portfolio.projects
    if not any(m.done is not None and m.done > day for p in projects for m in p.milestones):
        return loaded
    changed: list[Project] = []
    orders = dict(loaded.orders)
    for project in projects:
        if not any(m.done is not None and m.done > day for m in project.milestones):
            changed.append(project)
            continue
        milestones = [dataclasses.replace(m, done=None) if m.done is not None and m.done > day else m
                      for m in project.milestones]  # fmt: skip
        by_id = {m.id: m for m in milestones}
        orders[project.id] = [by_id[m.id] for m in loaded.orders[project.id]]
        changed.append(dataclasses.replace(project, milestones=milestones))
    portfolio = dataclasses.replace(loaded.portfolio, projects=changed)
    return dataclasses.replace(loaded, portfolio=portfolio, orders=orders)


# -- the sections -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StageCount:
    """How many projects are at a stage: the stage of their earliest-due milestone not yet done."""

    stage: str | None  # None: a milestone without a stage
    completed: bool  # 竣工达效: every milestone done
    projects: int


@dataclass(frozen=True, slots=True)
class Investment:
    """The year's investment over the projects with an annual plan that year (万元)."""

    year: int
    projects: int  # with an annual plan
    plan: float
    completed: float
    time_progress: float  # 序时进度, %

    @property
    def plan_yi(self) -> float:
        return self.plan / WAN_PER_YI

    @property
    def completed_yi(self) -> float:
        return self.completed / WAN_PER_YI

    @property
    def rate(self) -> float | None:
        """Completed ÷ plan, %; None without a plan."""
        return 100.0 * self.completed / self.plan if self.plan else None

    @property
    def points(self) -> float | None:
        """Ahead (+) of or behind (−) 序时, in points, from the figures as shown (to 0.1)."""
        rate = self.rate
        return None if rate is None else one_decimal(one_decimal(rate) - one_decimal(self.time_progress))


@dataclass(frozen=True, slots=True)
class ProblemCounts:
    new: int  # raised in the period
    solved: int  # reported solved in the period
    closed: int  # closed off (销号) in the period
    overdue: int  # open and past the deadline at the period's end
    escalated: int  # open at escalation level 2 or 3 at the period's end


@dataclass(frozen=True, slots=True)
class Overview:
    """Section 1, 总体情况."""

    projects: int
    stages: list[StageCount]
    nodes_due: int
    nodes_on_time: int
    nodes_late: int
    nodes_open: int
    on_pace: int
    behind: int
    no_report: int
    investment: Investment
    problems: ProblemCounts


@dataclass(frozen=True, slots=True)
class NodeOutcome:
    """A milestone due in the period and what became of it by the period's end."""

    project: Project
    milestone: Milestone
    owner: str
    due: date
    done: date | None  # as of the period's end
    outcome: Outcome

    @property
    def days_late(self) -> int:
        """Calendar days after ``due``: of the delivery, or (still open) of the period's end."""
        return max(0, ((self.done or self.due) - self.due).days)


@dataclass(frozen=True, slots=True)
class NextNode:
    milestone: Milestone
    owner: str
    due: date
    forecast: date

    @property
    def slip_days(self) -> int:
        return max(0, (self.forecast - self.due).days)


@dataclass(frozen=True, slots=True)
class ProjectNodes:
    """Section 4's part for one project: its nodes due in the period, and the next one."""

    project: Project
    nodes: list[NodeOutcome]
    next: NextNode | None


@dataclass(frozen=True, slots=True)
class Flagged:
    """One red or yellow item at the period's end; ``new`` when it was not red or yellow before."""

    item: Item
    new: bool


@dataclass(frozen=True, slots=True)
class Changes:
    """Section 2, since the previous period's end."""

    previous: Period
    new_flags: list[Item]  # red or yellow now, neither at the previous end
    turned_red: list[Item]  # yellow then, red now
    cleared: list[Item]  # red or yellow then (as they were), neither now
    delivered: list[NodeOutcome]  # milestones done in the period (any due date)
    problems_new: list[ProblemView]
    problems_closed: list[ProblemView]


@dataclass(frozen=True, slots=True)
class PaceRow:
    """Section 5's line of one project: 形象进度 and investment against plan."""

    row: ProgressRow
    pace: Pace

    @property
    def project(self) -> Project:
        return self.row.project


@dataclass(frozen=True, slots=True)
class ProblemSection:
    """Section 6: open problems (not closed off) by escalation level, highest first, and those closed off."""

    open_by_level: dict[int, list[ProblemView]]
    closed: list[ProblemView]


@dataclass(frozen=True, slots=True)
class NextStep:
    """Section 8's part for one project: its nodes due next period, its target and its 下步计划."""

    project: Project
    milestones: list[NextNode]
    targets: list[str]
    plan_text: str | None  # `next` of the latest report by the period's end
    plan_on: date | None


@dataclass(frozen=True, slots=True)
class TimelineMilestone:
    """One milestone on the Gantt chart: its due date, delivery, forecast and state at the period's end."""

    milestone: Milestone
    due: date
    done: date | None
    forecast: date
    state: Marker

    @property
    def slip_days(self) -> int:
        """Days the forecast of an open milestone lies after its due date (the slip drawn on the chart)."""
        return 0 if self.done is not None else max(0, (self.forecast - self.due).days)


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One project's row of the Gantt chart, start to finish."""

    project: Project
    milestones: list[TimelineMilestone]


_MARKERS: dict[str, Marker] = {"done": "done", "done_late": "done-late", "overdue": "overdue", "at_risk": "at-risk"}


def timeline(loaded: Loaded, day: date, filters: Filters) -> list[TimelineRow]:
    """The kept projects with every milestone (kept by ``--unit``), as of ``day`` (``loaded`` as it stood then)."""
    rows: dict[str, TimelineRow] = {p.id: TimelineRow(p, []) for p in _kept(loaded, filters)}
    for item in milestone_items(loaded, day, filters=filters, include_all=True):
        assert item.milestone is not None and item.due is not None and item.forecast is not None
        state = _MARKERS.get(item.state, "upcoming")
        rows[item.project.id].milestones.append(
            TimelineMilestone(item.milestone, item.due, item.milestone.done, item.forecast, state)
        )
    return list(rows.values())


@dataclass(frozen=True, slots=True)
class Bulletin:
    """Everything a bulletin says about a period (sections 1–8), and the timeline of its charts."""

    period: Period
    as_of: date  # the period's last day
    title: str | None
    overview: Overview
    changes: Changes
    red_yellow: list[Flagged]
    nodes: list[ProjectNodes]
    pace: list[PaceRow]
    problems: ProblemSection
    next_steps: list[NextStep]
    next_period: Period
    filtered: bool = False
    ranking: Ranking | None = None  # section 7, of the whole file (before any filter)
    ranking_units: frozenset[str] | None = None  # with a filter: the units whose rows are shown
    timeline: list[TimelineRow] = dataclasses.field(default_factory=list)

    def pace_of(self, pace: Pace) -> list[PaceRow]:
        return [row for row in self.pace if row.pace == pace]

    @property
    def ranking_rows(self) -> list[UnitRank]:
        """The ranking's rows shown: all of them, or with a filter those of the units it concerns
        (ranks and lists stay those of the whole file)."""
        if self.ranking is None:
            return []
        shown = self.ranking_units
        return [row for row in self.ranking.rows if shown is None or row.unit.id in shown]

    @property
    def red_list(self) -> list[UnitRank]:
        return [row for row in self.ranking_rows if row.red]

    @property
    def black_list(self) -> list[UnitRank]:
        """Worst first."""
        return sorted((row for row in self.ranking_rows if row.black), key=lambda row: -(row.rank or 0))


# -- building ---------------------------------------------------------------------------------------


def _kept(loaded: Loaded, filters: Filters) -> list[Project]:
    return [p for p in loaded.portfolio.projects if filters.keeps_project(p)]


def stage_counts(loaded: Loaded, projects: Iterable[Project]) -> list[StageCount]:
    """Projects by stage, in the order stages first appear; 竣工达效 (every milestone done) last."""
    counts: dict[str | None, int] = {}
    completed = 0
    for project in projects:
        due = loaded.due[project.id]
        open_ = [m for m in project.milestones if m.done is None and m.id in due]
        if not open_:
            if project.milestones:
                completed += 1
            continue
        first = min(open_, key=lambda m: due[m.id])
        counts[first.stage] = counts.get(first.stage, 0) + 1
    found = [StageCount(stage, False, n) for stage, n in counts.items()]
    if completed:
        found.append(StageCount(None, True, completed))
    return found


def node_outcomes(loaded: Loaded, period: Period, filters: Filters) -> Iterator[NodeOutcome]:
    """Every milestone due in ``period``, as of its end (``loaded`` as it stood then)."""
    for project in _kept(loaded, filters):
        due = loaded.due[project.id]
        for milestone in project.milestones:
            day = due.get(milestone.id)
            owner = milestone.owner or project.responsible_unit
            if day is None or not period.start <= day <= period.end or not filters.keeps_owner(owner):
                continue
            done = milestone.done
            outcome: Outcome = "open" if done is None else ("on_time" if done <= day else "late")
            yield NodeOutcome(project, milestone, owner, day, done, outcome)


def delivered_in(loaded: Loaded, period: Period, filters: Filters) -> list[NodeOutcome]:
    """The milestones done in ``period`` (whatever their due date), as of its end."""
    found = []
    for project in _kept(loaded, filters):
        due = loaded.due[project.id]
        for milestone in project.milestones:
            done = milestone.done
            owner = milestone.owner or project.responsible_unit
            if done is None or not period.start <= done <= period.end or not filters.keeps_owner(owner):
                continue
            day = due.get(milestone.id, done)
            found.append(NodeOutcome(project, milestone, owner, day, done, "on_time" if done <= day else "late"))
    return found


def next_node(loaded: Loaded, project: Project, day: date, filters: Filters) -> NextNode | None:
    """The project's earliest-due milestone not done by ``day`` (and due after it), with its forecast."""
    due = loaded.due[project.id]
    later = [m for m in project.milestones if m.done is None and m.id in due and due[m.id] > day
             and filters.keeps_owner(m.owner or project.responsible_unit)]  # fmt: skip
    if not later:
        return None
    first = min(later, key=lambda m: due[m.id])
    forecast = forecast_dates(project, due, day, loaded.calendar, loaded.portfolio.calendar.roll,
                              loaded.orders[project.id])  # fmt: skip
    return NextNode(first, first.owner or project.responsible_unit, due[first.id], forecast[first.id])


def pace_of(row: ProgressRow) -> Pace:
    """慢序时 when the reported 形象进度 is below plan or this year's investment rate below 序时;
    未填报 without a report of either; 按序时 otherwise (and always once every milestone is done)."""
    if row.finished:
        return "on_pace"
    if row.reported_progress is None and row.invest_rate is None:
        return "no_report"
    behind = row.progress_lag_points
    points = row.invest_points
    if (behind is not None and behind > 0) or (points is not None and points < 0):
        return "behind"
    return "on_pace"


def investment(rows: Iterable[ProgressRow], day: date, basis: TimeBasis) -> Investment:
    plan = completed = 0.0
    projects = 0
    for row in rows:
        if row.annual_plan:
            projects += 1
            plan += row.annual_plan
            completed += row.invest_year
    return Investment(day.year, projects, plan, completed, time_progress(day, day.year, basis))


def _key(item: Item) -> tuple[str, str, str]:
    inner = item.problem.id if item.problem is not None else (item.milestone.id if item.milestone else "")
    return item.kind, item.project.id, inner


def _flags(items: Iterable[Item]) -> dict[tuple[str, str, str], Item]:
    return {_key(i): i for i in items if i.level in ("red", "yellow")}


def build_bulletin(loaded: Loaded, period: Period, *, filters: Filters = NO_FILTERS) -> Bulletin:
    """The bulletin of ``period``, judged as of its last day (and the previous period's, for changes)."""
    end = period.end
    previous = period.previous()
    now = as_it_stood(loaded, end)
    then = as_it_stood(loaded, previous.end)
    projects = _kept(now, filters)
    # problems: every one raised by the end, as of the end
    views = list(problems_as_of(now, end, filters=filters))
    in_period = [v for v in views if period.start <= v.raised <= end]
    closed_in = [v for v in views if v.closed is not None and period.start <= v.closed <= end]
    solved_in = [v for v in views if v.solved is not None and period.start <= v.solved <= end]
    open_views = [v for v in views if v.lifecycle != "closed"]
    counts = ProblemCounts(
        new=len(in_period),
        solved=len(solved_in),
        closed=len(closed_in),
        overdue=sum(1 for v in open_views if v.lifecycle == "open" and v.days_overdue > 0),
        escalated=sum(1 for v in open_views if v.escalation >= 2),
    )
    outcomes = list(node_outcomes(now, period, filters))
    rows = progress_rows(now, end, filters=filters)
    pace = [PaceRow(row, pace_of(row)) for row in rows if row.project.start <= end]
    overview = Overview(
        projects=len(projects),
        stages=stage_counts(now, projects),
        nodes_due=len(outcomes),
        nodes_on_time=sum(1 for n in outcomes if n.outcome == "on_time"),
        nodes_late=sum(1 for n in outcomes if n.outcome == "late"),
        nodes_open=sum(1 for n in outcomes if n.outcome == "open"),
        on_pace=sum(1 for p in pace if p.pace == "on_pace"),
        behind=sum(1 for p in pace if p.pace == "behind"),
        no_report=sum(1 for p in pace if p.pace == "no_report"),
        investment=investment(rows, end, now.portfolio.settings.time_basis),
        problems=counts,
    )
    items_now = find_items(now, end, filters=filters)
    items_then = find_items(then, previous.end, filters=filters)
    flags_now, flags_then = _flags(items_now), _flags(items_then)
    changes = Changes(
        previous=previous,
        new_flags=[i for k, i in flags_now.items() if k not in flags_then],
        turned_red=[
            i for k, i in flags_now.items() if i.level == "red" and k in flags_then and flags_then[k].level == "yellow"
        ],  # fmt: skip
        cleared=[i for k, i in flags_then.items() if k not in flags_now],
        delivered=delivered_in(now, period, filters),
        problems_new=in_period,
        problems_closed=closed_in,
    )
    red_yellow = [Flagged(i, _key(i) not in flags_then) for i in items_now if i.level in ("red", "yellow")]
    by_project: dict[str, list[NodeOutcome]] = {}
    for outcome in outcomes:
        by_project.setdefault(outcome.project.id, []).append(outcome)
    nodes = [
        ProjectNodes(p, sorted(by_project[p.id], key=lambda n: n.due), next_node(now, p, end, filters))
        for p in projects
        if p.id in by_project
    ]
    by_level: dict[int, list[ProblemView]] = {}
    for view in sorted(open_views, key=lambda v: (-v.escalation, v.deadline)):
        by_level.setdefault(view.escalation, []).append(view)
    following = period.next()
    ranking_units = None
    if filters != NO_FILTERS:
        concerned = {p.responsible_unit for p in projects}
        concerned |= {m.owner for p in projects for m in p.milestones if m.owner}
        concerned |= {v.owner for v in views}
        ranking_units = frozenset(u for u in concerned if filters.keeps_owner(u))
    return Bulletin(
        period=period,
        as_of=end,
        title=loaded.portfolio.settings.title,
        overview=overview,
        changes=changes,
        red_yellow=red_yellow,
        nodes=nodes,
        pace=pace,
        problems=ProblemSection(by_level, closed_in),
        next_steps=next_steps(now, end, following, filters),
        next_period=following,
        filtered=filters != NO_FILTERS,
        ranking=rank_units(loaded, end),  # the whole file: ranks never depend on a filter
        ranking_units=ranking_units,
        timeline=timeline(now, end, filters),
    )


def next_steps(loaded: Loaded, day: date, following: Period, filters: Filters) -> list[NextStep]:
    """Section 8: each project's nodes due in ``following`` (the plan's, as of ``day``), with its
    targets for that period and the 下步计划 of its latest report by ``day``."""
    found: list[NextStep] = []
    window = Window(following.start, following.end)
    for period in plan_periods(loaded, day, following.cadence, window, filters=filters):
        for node in period:
            if not node.milestones and not node.targets:
                continue
            project = node.project
            milestones = [NextNode(m.milestone, m.owner, m.due, m.forecast) for m in node.milestones]
            latest = next((r for r in reversed(project.reports) if r.on <= day and r.next), None)
            found.append(NextStep(project, milestones, [t.text for t in node.targets],
                                  latest.next if latest else None, latest.on if latest else None))  # fmt: skip
    return found


# -- JSON ---------------------------------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else (one_decimal(value) if digits == 1 else round(value, digits))


def _item_json(item: Item) -> dict[str, Any]:
    problem = item.problem
    return {
        "kind": item.kind,
        "level": item.level,
        "state": item.state,
        "project": item.project.id,
        "project_name": item.project.name,
        "milestone": item.milestone.id if item.milestone else None,
        "milestone_name": item.milestone.name if item.milestone else None,
        "problem": problem.id if problem else None,
        "problem_text": problem.text if problem else None,
        "responsible_unit": item.owner.name,
        "responsible_unit_id": item.owner.id,
        "due": _day(item.due),
        "forecast": _day(item.forecast),
        "days_overdue": item.days_overdue,
        "lag_points": item.lag_points,
    }


def _outcome_json(node: NodeOutcome) -> dict[str, Any]:
    return {
        "project": node.project.id,
        "project_name": node.project.name,
        "milestone": node.milestone.id,
        "milestone_name": node.milestone.name,
        "owner": node.owner,
        "due": _day(node.due),
        "done": _day(node.done),
        "outcome": node.outcome,
        "days_late": node.days_late,
    }


def _next_json(node: NextNode | None) -> dict[str, Any] | None:
    if node is None:
        return None
    return {"milestone": node.milestone.id, "milestone_name": node.milestone.name, "owner": node.owner,
            "due": _day(node.due), "forecast": _day(node.forecast), "slip_days": node.slip_days}  # fmt: skip


def _problem_json(view: ProblemView) -> dict[str, Any]:
    return {
        "problem": view.id,
        "text": view.text,
        "project": view.project.id,
        "project_name": view.project.name,
        "category": view.category,
        "owner": view.owner,
        "leader": view.leader,
        "raised": _day(view.raised),
        "deadline": _day(view.deadline),
        "lifecycle": view.lifecycle,
        "state": view.state,
        "days_overdue": view.days_overdue,
        "escalation": view.escalation,
        "solved": _day(view.solved),
        "closed": _day(view.closed),
        "measures": view.entry.measures,
    }


def _period_json(period: Period) -> dict[str, Any]:
    return {"label": period.label, "cadence": period.cadence, "start": _day(period.start), "end": _day(period.end)}


def ranking_json(b: Bulletin, footnote: str = "") -> dict[str, Any]:
    """Section 7: the settings, the rows shown (:func:`~sanshi_cli.ranking.ranking_record`) and the lists."""
    r = b.ranking
    if r is None:
        return {}
    c = r.config
    return {
        "year_start": _day(r.year_start),
        "period_end": _day(r.period_end),
        "time_progress": _round(r.time_progress),
        "weights": {name: getattr(c.weights, name) for name in METRICS},
        "settings": {
            "invest_bonus": c.invest_bonus,
            "min_items": c.min_items,
            "red": c.red,
            "black": c.black,
            "target": c.target,
        },  # fmt: skip
        "rows": [ranking_record(row) for row in b.ranking_rows],
        "red_list": [row.unit.id for row in b.red_list],
        "black_list": [row.unit.id for row in b.black_list],
        "footnote": footnote,
    }


def bulletin_json(b: Bulletin, *, footnote: str = "") -> dict[str, Any]:
    """The data behind every section, one stable top-level key per section (:data:`SECTIONS`).

    Money in 万元 (``*_yi`` in 亿元, to 2 decimals), rates and points in % to 0.1, dates ISO.
    ``footnote`` is the ranking's note on its renormalised weights, in the reader's language.
    """
    o = b.overview
    inv = o.investment
    return {
        "period": {**_period_json(b.period), "as_of": _day(b.as_of), "title": b.title, "filtered": b.filtered},
        "overview": {
            "projects": o.projects,
            "stages": [{"stage": s.stage, "completed": s.completed, "projects": s.projects} for s in o.stages],
            "nodes": {"due": o.nodes_due, "on_time": o.nodes_on_time, "late": o.nodes_late, "open": o.nodes_open},
            "pace": {"on_pace": o.on_pace, "behind": o.behind, "no_report": o.no_report},
            "investment": {
                "year": inv.year,
                "projects": inv.projects,
                "plan": inv.plan,
                "plan_yi": round(inv.plan_yi, 2),
                "completed": inv.completed,
                "completed_yi": round(inv.completed_yi, 2),
                "rate": _round(inv.rate),
                "time_progress": _round(inv.time_progress),
                "points": inv.points,
            },
            "problems": dataclasses.asdict(o.problems),
        },
        "changes": {
            "previous": _period_json(b.changes.previous),
            "new_flags": [_item_json(i) for i in b.changes.new_flags],
            "turned_red": [_item_json(i) for i in b.changes.turned_red],
            "cleared": [_item_json(i) for i in b.changes.cleared],
            "delivered": [_outcome_json(n) for n in b.changes.delivered],
            "problems_new": [_problem_json(v) for v in b.changes.problems_new],
            "problems_closed": [_problem_json(v) for v in b.changes.problems_closed],
        },
        "red_yellow": [{**_item_json(f.item), "new": f.new} for f in b.red_yellow],
        "nodes": [
            {
                "project": p.project.id,
                "project_name": p.project.name,
                "nodes": [_outcome_json(n) for n in p.nodes],
                "next": _next_json(p.next),
            }
            for p in b.nodes
        ],  # fmt: skip
        "pace": [
            {
                "project": r.project.id,
                "project_name": r.project.name,
                "pace": r.pace,
                "planned_progress": _round(r.row.planned_progress),
                "reported_progress": r.row.reported_progress,
                "reported_on": _day(r.row.reported_on),
                "progress_lag_points": r.row.progress_lag_points,
                "annual_plan": r.row.annual_plan,
                "invest_year": r.row.invest_year,
                "invest_rate": _round(r.row.invest_rate),
                "time_progress": _round(r.row.time_progress),
                "invest_points": r.row.invest_points,
            }
            for r in b.pace
        ],
        "problems": {
            "open_by_level": {
                str(level): [_problem_json(v) for v in views] for level, views in b.problems.open_by_level.items()
            },
            "closed": [_problem_json(v) for v in b.problems.closed],
        },  # fmt: skip
        "ranking": ranking_json(b, footnote),
        "next_steps": {
            "period": _period_json(b.next_period),
            "projects": [
                {
                    "project": s.project.id,
                    "project_name": s.project.name,
                    "milestones": [_next_json(m) for m in s.milestones],
                    "targets": s.targets,
                    "plan_text": s.plan_text,
                    "plan_on": _day(s.plan_on),
                }
                for s in b.next_steps
            ],
        },  # fmt: skip
    }
