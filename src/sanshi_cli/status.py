"""Which milestones are late or due soon: states, alert levels (红灯/黄灯/蓝色提醒) and filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from sanshi_cli.errors import Problem, UsageError
from sanshi_cli.i18n import Lang, label, one_line
from sanshi_cli.loading import Loaded, suggest
from sanshi_cli.model import Milestone, Person, Project, Unit
from sanshi_cli.scheduling import forecast_dates

if TYPE_CHECKING:
    from sanshi_cli.problems import ProblemView
    from sanshi_cli.progress import Lag

Level = Literal["red", "yellow", "blue", "green"]
# What an item is about: a milestone, one of the lags (issue 9), or a problem of the 问题清单 (issue 11).
Kind = Literal["milestone", "progress_lag", "invest_lag", "report_missing", "problem"]
KINDS: tuple[Kind, ...] = ("milestone", "progress_lag", "invest_lag", "report_missing", "problem")
# A milestone's state; for a lag the kind itself; a problem is overdue, due soon or awaiting verification.
State = Literal[
    "overdue", "at_risk", "due_soon", "on_track", "done", "done_late", "progress_lag", "invest_lag", "report_missing",
    "awaiting_verification",
]  # fmt: skip

LEVELS: tuple[Level, ...] = ("red", "yellow", "blue", "green")
RANK: dict[str, int] = {"red": 3, "yellow": 2, "blue": 1, "green": 0}


@dataclass(slots=True)
class Item:
    """One thing that needs attention as of a day: its kind, state, level, owner and leader.

    A ``milestone`` item has its milestone, due date and forecast. The other kinds (a project
    behind on progress or investment, or late with its report) have none of these (None) and
    carry the :class:`~sanshi_cli.progress.Lag` they come from; their state is their kind, their
    owner the project's responsible unit and their leader the project's.
    """

    project: Project
    milestone: Milestone | None
    owner: Unit
    leader: Person
    due: date | None
    forecast: date | None
    state: State
    level: Level
    days_overdue: int = 0
    workdays_left: int = 0
    kind: Kind = "milestone"
    lag: Lag | None = None
    problem: ProblemView | None = None

    @property
    def done(self) -> date | None:
        """The milestone's delivery date (交账), or the date a problem was reported solved; else None."""
        if self.problem is not None:
            return self.problem.solved
        return self.milestone.done if self.milestone is not None else None

    @property
    def slip_days(self) -> int:
        """Calendar days the forecast lies after the plan (0 for done milestones and other kinds)."""
        if self.done is not None or self.forecast is None or self.due is None:
            return 0
        return max(0, (self.forecast - self.due).days)

    @property
    def days_late(self) -> int:
        """For a milestone delivered late (交账逾期): by how many calendar days."""
        done = self.done
        return max(0, (done - self.due).days) if done is not None and self.due is not None else 0

    @property
    def planned_progress(self) -> float | None:
        """The project's planned 形象进度 (%) at the as-of day; None for a milestone item."""
        return self.lag.row.planned_progress if self.lag is not None else None

    @property
    def reported_progress(self) -> float | None:
        """The latest reported 形象进度 (%); None for a milestone item or when none was reported."""
        return self.lag.row.reported_progress if self.lag is not None else None

    @property
    def reported_on(self) -> date | None:
        """The date of the report that gave :attr:`reported_progress`."""
        return self.lag.row.reported_on if self.lag is not None else None

    @property
    def lag_points(self) -> float | None:
        """Points behind: 形象进度 behind plan, or the investment rate behind 序时; else None."""
        if self.lag is None or self.kind == "report_missing":
            return None
        return self.lag.lag_points

    @property
    def invest_rate(self) -> float | None:
        """This year's investment completion rate (%), one decimal; None for a milestone item."""
        rate = self.lag.row.invest_rate if self.lag is not None else None
        return None if rate is None else round(rate, 1)

    @property
    def last_report(self) -> date | None:
        """The date of the project's latest report (any kind); None for a milestone item."""
        report = self.lag.row.last_report if self.lag is not None else None
        return report.on if report is not None else None

    @property
    def report_due(self) -> date | None:
        """For ``report_missing``: when the first report still owed was due."""
        return self.lag.row.report_due if self.lag is not None and self.kind == "report_missing" else None

    @property
    def reports_missed(self) -> int:
        """For ``report_missing``: how many reports are overdue (0 for the other kinds)."""
        return self.lag.row.reports_missed if self.lag is not None and self.kind == "report_missing" else 0


@dataclass(frozen=True, slots=True)
class Filters:
    """Resolved ``--project``, ``--unit`` and ``--leader`` values (ids); empty means all."""

    projects: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    leaders: frozenset[str] = frozenset()

    def keeps_project(self, project: Project) -> bool:
        """The project is one of ``--project`` and led by one of ``--leader``."""
        return self.keeps_project_id(project.id) and self.keeps_leader(project.leader)

    def keeps_project_id(self, project_id: str) -> bool:
        return not self.projects or project_id in self.projects

    def keeps_leader(self, person_id: str) -> bool:
        return not self.leaders or person_id in self.leaders

    def keeps_owner(self, unit_id: str) -> bool:
        return not self.units or unit_id in self.units


NO_FILTERS = Filters()


def resolve_filters(
    loaded: Loaded,
    projects: Sequence[str] = (),
    units: Sequence[str] = (),
    leaders: Sequence[str] = (),
) -> Filters:
    """Turn ids or names given on the command line into ids; an unknown one is a usage error."""
    portfolio = loaded.portfolio
    problems: list[Problem] = []

    def pick(
        option: str, values: Sequence[str], known: dict[str, str], what: str, shorts: dict[str, str] | None = None
    ) -> frozenset[str]:
        chosen: set[str] = set()
        by_name: dict[str, list[str]] = {}
        for ident, name in known.items():
            by_name.setdefault(name, []).append(ident)
        for ident, short in (shorts or {}).items():  # a short name (简称) names its entry too
            by_name.setdefault(short, []).append(ident)
        for value in values:
            if value in known:
                chosen.add(value)
            elif value in by_name:
                chosen.update(by_name[value])
            else:
                problems.append(
                    Problem(
                        "unknown_filter",
                        {
                            "option": option,
                            "value": one_line(value),
                            "kind": _kind(what),
                            "hint": suggest(value, list(known) + list(by_name)),
                        },
                    )
                )
        return frozenset(chosen)

    filters = Filters(
        pick("--project", projects, {p.id: p.name for p in portfolio.projects}, "project"),
        pick("--unit", units, {u.id: u.name for u in portfolio.units}, "unit", _shorts(portfolio.units)),
        pick("--leader", leaders, {p.id: p.name for p in portfolio.people}, "person", _shorts(portfolio.people)),
    )
    if problems:
        raise UsageError(problems)
    return filters


def _shorts(entries: Iterable[Unit | Person]) -> dict[str, str]:
    return {e.id: e.short for e in entries if e.short}


def _kind(what: str) -> object:
    from sanshi_cli.errors import Msg

    return Msg(f"kind_{what}")


def find_items(
    loaded: Loaded,
    as_of: date,
    *,
    filters: Filters = NO_FILTERS,
    include_all: bool = False,
    lags: bool = True,
) -> list[Item]:
    """What needs attention as of ``as_of``: milestones and, with ``lags``, the other kinds; most severe first.

    Without ``include_all`` only not-done milestones that are red, yellow or blue are listed;
    with it, every milestone (done ones green). The other kinds (:func:`progress.find_lags`:
    progress or investment behind plan, a report overdue) are never green, and each is the
    responsible unit's to answer for. See :func:`severity` for the order.
    """
    items = milestone_items(loaded, as_of, filters=filters, include_all=include_all)
    if lags:
        items += lag_items(loaded, as_of, filters=filters)
        items += problem_items(loaded, as_of, filters=filters)
    items.sort(key=severity)
    return items


# Within a level, what comes first: the order of the alert subjects (逾期预警 > 进度滞后 >
# 延误风险 > 未按时填报 > 到期提醒), then the green milestones.
_SERIOUSNESS: dict[str, int] = {
    "overdue": 0,
    "progress_lag": 1,
    "invest_lag": 1,
    "at_risk": 2,
    "report_missing": 3,
    "awaiting_verification": 3,
    "due_soon": 4,
}


def severity(item: Item) -> tuple[int, int, float, date]:
    """The sort key of the status list.

    By level (red, yellow, blue, green); within a level overdue milestones first, then progress
    and investment lags, at-risk milestones, missing reports and milestones due soon; within
    each of these the one furthest behind first (days overdue; points behind, progress and
    investment alike; reports missed), then the earliest due date; ties keep the file's order.
    """
    if item.state == "overdue":
        behind: float = item.days_overdue
    elif item.kind == "report_missing":
        behind = item.reports_missed
    else:
        behind = item.lag_points or 0.0
    return (-RANK[item.level], _SERIOUSNESS.get(item.state, 5), -behind, item.due or date.max)


def lag_items(loaded: Loaded, as_of: date, *, filters: Filters = NO_FILTERS) -> list[Item]:
    """The items that are not milestones, in the file's project order (progress, investment, report)."""
    portfolio = loaded.portfolio
    if portfolio.settings.report_every_days is None and not any(p.reports for p in portfolio.projects):
        return []  # a file from before reports: nothing to find, and the progress module never loaded
    from sanshi_cli.progress import LAG_KINDS, find_lags

    found = find_lags(loaded, as_of, filters=filters)
    order = {p.id: n for n, p in enumerate(loaded.portfolio.projects)}
    found.sort(key=lambda lag: (order[lag.project.id], LAG_KINDS.index(lag.kind)))
    return [
        Item(
            lag.project,
            None,
            loaded.units[lag.project.responsible_unit],
            loaded.people[lag.project.leader],
            None,
            None,
            lag.kind,
            lag.level,
            kind=lag.kind,
            lag=lag,
        )
        for lag in found
    ]


def problem_items(loaded: Loaded, as_of: date, *, filters: Filters = NO_FILTERS) -> list[Item]:
    """The problems that need someone as of ``as_of`` (open and due soon or overdue, or awaiting
    verification), in the file's order; their owner is the problem's unit, their leader its leader."""
    if not any(p.problems for p in loaded.portfolio.projects):
        return []  # a file without a 问题清单: the module never loaded
    from sanshi_cli.problems import problems_as_of

    return [
        Item(
            view.project,
            None,
            loaded.units[view.owner],
            loaded.people[view.leader],
            view.deadline,
            None,
            view.state,  # type: ignore[arg-type]  # a listed problem's state is one of State's
            view.level,
            days_overdue=view.days_overdue,
            workdays_left=view.workdays_left,
            kind="problem",
            problem=view,
        )
        for view in problems_as_of(loaded, as_of, filters=filters)
        if view.level is not None
    ]


def milestone_items(
    loaded: Loaded,
    as_of: date,
    *,
    filters: Filters = NO_FILTERS,
    include_all: bool = False,
) -> list[Item]:
    """The milestone items, in the file's order (see :func:`find_items`)."""
    portfolio = loaded.portfolio
    calendar = loaded.calendar
    remind = portfolio.alerts.remind_workdays
    red_after = portfolio.alerts.red_after_days
    roll = portfolio.calendar.roll
    # due < blue_before ⟺ at most `remind` working days lie after as_of up to the due date
    blue_before = calendar.add_workdays(as_of, remind + 1)
    items: list[Item] = []
    for project in portfolio.projects:
        if not filters.keeps_project(project):
            continue
        due = loaded.due[project.id]
        forecast = forecast_dates(project, due, as_of, calendar, roll, loaded.orders[project.id])
        leader = loaded.people[project.leader]
        for milestone in project.milestones:
            owner_id = milestone.owner or project.responsible_unit
            if not filters.keeps_owner(owner_id):
                continue
            planned = due[milestone.id]
            predicted = forecast[milestone.id]
            state: State
            level: Level
            if milestone.done is not None:
                if not include_all:
                    continue  # the common case on a large file: decided before any Item is built
                state, level = ("done_late" if milestone.done > planned else "done"), "green"
            elif planned < as_of:
                state, level = "overdue", "red" if (as_of - planned).days > red_after else "yellow"
            elif predicted > planned:
                state, level = "at_risk", "yellow"
            elif planned < blue_before:
                state, level = "due_soon", "blue"
            elif include_all:
                state, level = "on_track", "green"
            else:
                continue
            item = Item(project, milestone, loaded.units[owner_id], leader, planned, predicted, state, level)
            if state == "overdue":
                item.days_overdue = (as_of - planned).days
            elif state in ("due_soon", "at_risk", "on_track"):
                item.workdays_left = calendar.workdays_between(as_of, planned)
            items.append(item)
    return items


GREEN_STATES: tuple[State, ...] = ("done", "done_late", "on_track")


# How people read a listed item: its level, except that a yellow item not yet overdue is 延误风险
# (at risk), never counted as 黄灯: yellow stays "overdue up to red_after_days".
Category = Literal["red", "yellow", "at_risk", "blue", "green"]
CATEGORIES: tuple[Category, ...] = ("red", "yellow", "at_risk", "blue")


def category(item: Item) -> Category:
    """The item's heading: its level, or ``at_risk`` for a yellow item not yet overdue."""
    return "at_risk" if item.state == "at_risk" else item.level


def category_name(kind: Category, lang: Lang) -> str:
    """``红灯``, ``黄灯``, ``延误风险``, ``蓝色提醒`` (``red``, ``yellow``, ``at risk``, ``due soon``)."""
    return label("level_at_risk" if kind == "at_risk" else kind, lang)


def count_categories(items: Iterable[Item]) -> dict[Category, int]:
    """How many items fall in each of :data:`CATEGORIES` (zeros included)."""
    counts: dict[Category, int] = dict.fromkeys(CATEGORIES, 0)
    for item in items:
        kind = category(item)
        if kind in counts:
            counts[kind] += 1
    return counts


def count_levels(items: Iterable[Item]) -> dict[str, int]:
    """How many listed items are at each level, and the green ones by state (zeros included).

    ``green`` is always the sum of ``done``, ``done_late`` and ``on_track``.
    """
    counts: dict[str, int] = dict.fromkeys((*LEVELS, *GREEN_STATES), 0)
    for item in items:
        counts[item.level] += 1
        if item.level == "green":
            counts[item.state] += 1
    return counts


def fails_on(items: Iterable[Item], threshold: Level | None) -> bool:
    """Whether ``--fail-on threshold`` should make the command exit 1."""
    if threshold is None:
        return False
    floor = RANK[threshold]
    return any(RANK[i.level] >= floor and i.level != "green" for i in items)
