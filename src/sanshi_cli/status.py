"""Which milestones are late or due soon: states, alert levels (红灯/黄灯/蓝色提醒) and filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sanshi_cli.errors import Problem, UsageError
from sanshi_cli.i18n import Lang, label, one_line
from sanshi_cli.loading import Loaded, suggest
from sanshi_cli.model import Milestone, Person, Project, Unit
from sanshi_cli.scheduling import forecast_dates

Level = Literal["red", "yellow", "blue", "green"]
State = Literal["overdue", "at_risk", "due_soon", "on_track", "done", "done_late"]

LEVELS: tuple[Level, ...] = ("red", "yellow", "blue", "green")
RANK: dict[str, int] = {"red": 3, "yellow": 2, "blue": 1, "green": 0}


@dataclass(slots=True)
class Item:
    """One milestone as of a day: its dates, state, level, owner and leader."""

    project: Project
    milestone: Milestone
    owner: Unit
    leader: Person
    due: date
    forecast: date
    state: State
    level: Level
    days_overdue: int = 0
    workdays_left: int = 0

    @property
    def slip_days(self) -> int:
        """Calendar days the forecast lies after the plan (0 for done milestones)."""
        if self.milestone.done is not None:
            return 0
        return max(0, (self.forecast - self.due).days)

    @property
    def days_late(self) -> int:
        """For a milestone delivered late (交账逾期): by how many calendar days."""
        done = self.milestone.done
        return max(0, (done - self.due).days) if done is not None else 0


@dataclass(frozen=True, slots=True)
class Filters:
    """Resolved ``--project``, ``--unit`` and ``--leader`` values (ids); empty means all."""

    projects: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    leaders: frozenset[str] = frozenset()

    def keeps_project(self, project: Project) -> bool:
        return (not self.projects or project.id in self.projects) and (
            not self.leaders or project.leader in self.leaders
        )

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
) -> list[Item]:
    """Milestones that need attention as of ``as_of``, most severe first.

    Without ``include_all`` only not-done milestones that are red, yellow or blue are listed;
    with it, every milestone (done ones green). Order: level, then days overdue, then due date.
    """
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
            item = Item(
                project,
                milestone,
                loaded.units[owner_id],
                leader,
                planned,
                forecast[milestone.id],
                "on_track",
                "green",
            )
            if milestone.done is not None:
                item.state = "done_late" if milestone.done > planned else "done"
            elif planned < as_of:
                item.days_overdue = (as_of - planned).days
                item.state = "overdue"
                item.level = "red" if item.days_overdue > red_after else "yellow"
            elif item.forecast > planned:
                item.state, item.level = "at_risk", "yellow"
            elif planned < blue_before:
                item.state, item.level = "due_soon", "blue"
            if item.level == "green" and not include_all:
                continue
            if item.state in ("due_soon", "at_risk", "on_track"):
                item.workdays_left = calendar.workdays_between(as_of, planned)
            items.append(item)
    items.sort(key=lambda i: (-RANK[i.level], -i.days_overdue, i.due))
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
